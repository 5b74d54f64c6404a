/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** The broad type of an NHS trust. */
export type TrustType =
  | 'ACUTE'
  | 'AMBULANCE'
  | 'COMMUNITY'
  | 'MENTAL_HEALTH'
  | 'SPECIALIST'
  /** Not derivable from the data: see `trustTypeBasis`. */
  | 'UNKNOWN';

export type IcbListQueryVariables = Exact<{
  asOf: string | null | undefined;
}>;


export type IcbListQuery = { release: { dataFrom: string, dataTo: string }, integratedCareSystems: { totalCount: number, edges: Array<{ node: { code: string, name: string } }> } };

export type IcbOrganisationsQueryVariables = Exact<{
  code: string;
  asOf: string | null | undefined;
}>;


export type IcbOrganisationsQuery = { integratedCareSystem: { code: string, name: string, validFrom: string | null, validTo: string | null, trusts: Array<{ code: string, name: string, trustType: TrustType, foundationTrust: boolean }>, councils: Array<{ shareOfCouncil: number, council: { code: string, name: string } }> } | null };
