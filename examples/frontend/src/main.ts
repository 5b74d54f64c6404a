// A typed client of ICS Graph: an ICB's trusts and councils as of a date.
//
// The operations are the files in ../operations (also the server's persisted
// queries: PERSISTED_QUERIES=examples/frontend/operations); their result and
// variable types are generated from the schema by GraphQL Code Generator
// (graphql.config.yml, project "frontend") into ./generated/graphql.ts.
// Requests send only the operation's SHA-256 hash, so the page runs against a
// server started with PERSISTED_QUERIES_ONLY=true; a server that does not
// know the hash yet (automatic persisted queries) is sent the text once.
import icbList from '../operations/IcbList.graphql';
import icbOrganisations from '../operations/IcbOrganisations.graphql';
import type {
  IcbListQuery,
  IcbListQueryVariables,
  IcbOrganisationsQuery,
  IcbOrganisationsQueryVariables,
} from './generated/graphql';

type Operation = { query: string; hash: string };
type GraphQLError = { message: string; extensions?: { code?: string } };

export class APIError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

async function post<Data>(op: Operation, variables: object, withText: boolean): Promise<{ data?: Data; errors?: GraphQLError[] }> {
  const body: Record<string, unknown> = {
    variables,
    extensions: { persistedQuery: { version: 1, sha256Hash: op.hash } },
  };
  if (withText) body.query = op.query;
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}

// run sends a persisted operation by hash (and its text only when the server
// asks for it) and returns its typed data.
export async function run<Data, Variables extends object>(op: Operation, variables: Variables): Promise<Data> {
  let body = await post<Data>(op, variables, false);
  if (body.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) {
    body = await post<Data>(op, variables, true);
  }
  if (body.errors?.length) throw new APIError(body.errors[0].message, body.errors[0].extensions?.code);
  if (!body.data) throw new APIError('the answer has no data', undefined);
  return body.data;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function cell(tag: 'td' | 'th', text: string): HTMLElement {
  const c = document.createElement(tag);
  c.textContent = text;
  return c;
}

function table(head: string[], rows: string[][]): HTMLTableElement {
  const t = document.createElement('table');
  const tr = document.createElement('tr');
  tr.append(...head.map((h) => cell('th', h)));
  t.append(tr);
  for (const r of rows) {
    const row = document.createElement('tr');
    row.append(...r.map((v) => cell('td', v)));
    t.append(row);
  }
  return t;
}

async function loadIcbs(asOf: string | null): Promise<IcbListQuery> {
  const data = await run<IcbListQuery, IcbListQueryVariables>(icbList, { asOf });
  const select = $<HTMLSelectElement>('icb');
  const keep = select.value;
  select.replaceChildren(...data.integratedCareSystems.edges.map(({ node }) => {
    const o = document.createElement('option');
    o.value = node.code;
    o.textContent = `${node.name} (${node.code})`;
    return o;
  }));
  const wanted = new URLSearchParams(location.search).get('icb') || keep;
  if (wanted && data.integratedCareSystems.edges.some(({ node }) => node.code === wanted)) select.value = wanted;
  return data;
}

async function show(): Promise<void> {
  const code = $<HTMLSelectElement>('icb').value;
  const asOf = $<HTMLInputElement>('asof').value || null;
  const out = $('result');
  out.textContent = 'Loading…';
  try {
    const { integratedCareSystem: icb } = await run<IcbOrganisationsQuery, IcbOrganisationsQueryVariables>(icbOrganisations, { code, asOf });
    if (!icb) {
      out.textContent = `${code} is not an ICS on ${asOf}.`;
      return;
    }
    const h2 = document.createElement('h2');
    h2.textContent = `${icb.name} (${icb.code}) on ${asOf}`;
    const trusts = [...icb.trusts].sort((a, b) => a.name.localeCompare(b.name));
    const councils = [...icb.councils].sort((a, b) => a.council.name.localeCompare(b.council.name));
    const t1 = table(['Trust', 'Code', 'Type', 'Foundation trust'],
      trusts.map((t) => [t.name, t.code, t.trustType, t.foundationTrust ? 'yes' : 'no']));
    t1.id = 'trusts';
    const t2 = table(['Council', 'Code', 'Share of the council in this ICB'],
      councils.map((c) => [c.council.name, c.council.code, `${(100 * c.shareOfCouncil).toFixed(1)}%`]));
    t2.id = 'councils';
    const p1 = document.createElement('h3');
    p1.textContent = `${trusts.length} trusts`;
    const p2 = document.createElement('h3');
    p2.textContent = `${councils.length} councils`;
    out.replaceChildren(h2, p1, t1, p2, t2);
    document.body.dataset.shown = `${icb.code} ${asOf} ${trusts.length} ${councils.length}`;
    history.replaceState(null, '', `?icb=${encodeURIComponent(icb.code)}&asOf=${asOf}`);
  } catch (err) {
    out.textContent = `Could not load ${code}: ${(err as Error).message}`;
    out.className = 'error';
  }
}

async function main(): Promise<void> {
  const date = $<HTMLInputElement>('asof');
  const fromURL = new URLSearchParams(location.search).get('asOf');
  // The newest date the data describes, and its range, from the first answer.
  const first = await loadIcbs(fromURL);
  date.min = first.release.dataFrom;
  date.max = first.release.dataTo;
  date.value = fromURL || first.release.dataTo;
  date.addEventListener('change', async () => { await loadIcbs(date.value || null); await show(); });
  $<HTMLSelectElement>('icb').addEventListener('change', show);
  await show();
}

main().catch((err: Error) => {
  $('result').textContent = `Could not start: ${err.message}`;
});
