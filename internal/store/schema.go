package store

// The graph model. Every label and relationship type used in Cypher comes from
// these constants; no label or type is ever built from user input.
//
// Every organisation node carries the label Organisation plus exactly one kind
// label below. Common properties on every organisation node:
//
//	code        string   stable key: ODS code (upper case), or the ONS GSS code for
//	                     councils and Cancer Alliances, or the curated id (CS-…) for
//	                     Clinical Senates. Unique per kind label.
//	onsCode     string   current ONS GSS code, where the kind has one
//	formerOnsCodes []string  ONS codes the organisation had before (code changes of
//	                     July 2022 / April 2023), so a lookup by an old code finds it
//	name        string   official name as published
//	kind        string   one of the Kind* values below
//	historic    bool     true for STPs and CCGs (predecessor organisations)
//	searchText  string   SearchText(name, code, …): what the full-text index reads
//	sources     []string ids of Source nodes the node's facts come from
//
// Every relationship carries `source` (a Source id) and, where known, `since`
// (an ISO date string, yyyy-mm-dd) from which the fact holds.
//
// Kind-specific node properties, as written by the seed loader (internal/dataset):
//
//	ICS, SubICBLocation, Council: population int (sum of the mid-2015 populations
//	    of the area's 2011 LSOAs), populationYear int (2015), smallAreas int (LSOAs)
//	ICS: designationWave, designationAnnounced, designationAnnouncedPrecision
//	    (year|month|day), designationEffectiveFrom, nameAsAnnounced (strings),
//	    designationSources []string (curated table + seed articles)
//	Trust: foundationTrust bool, trustType (ACUTE|MENTAL_HEALTH|COMMUNITY|
//	    AMBULANCE|SPECIALIST|UNKNOWN), trustTypeBasis ("name keyword: …",
//	    "curated list: …", "unknown: …"), status (OPEN|CLOSED), postcode,
//	    openDate, closeDate, regionCode (NHS England region, ODS)
//	Council: councilType (UNITARY|NON_METROPOLITAN_DISTRICT|METROPOLITAN_BOROUGH|
//	    LONDON_BOROUGH|COUNTY), onsRegion (name), onsRegionCode, odsCode (ODS LA
//	    code from the ICB partners file, where matched)
//	ClinicalSenate: note
//	PCN: openDate; Practice: joinedPcn (date its current PCN membership began)
//	STP, CCG: years []int (the April lookups, 2020 and/or 2021, they appear in)
//
// Additional relationship properties (beyond source and since):
//
//	OVERLAPS: populationSource (Source id of the population weights); shareOfArea
//	    is the share of the ICS's / sub-ICB location's population in the council.
//	    County councils get the sum of their districts' overlaps.
//	IN_CANCER_ALLIANCE (ICS): populationYear.
//	PARTNER_OF: odsCode and nameInSource (how the partners file names the partner).
//	SUCCEEDED_BY: basis (why the succession is asserted: "same ODS code", or for a
//	    2020 CCG merged in 2021 "the only CCG new in April 2021 in the same STP").
const (
	LabelOrganisation   = "Organisation"
	LabelRegion         = "Region"
	LabelICS            = "ICS"
	LabelSubICBLocation = "SubICBLocation"
	LabelTrust          = "Trust"
	LabelCouncil        = "Council"
	LabelCancerAlliance = "CancerAlliance"
	LabelClinicalSenate = "ClinicalSenate"
	LabelPCN            = "PCN"
	LabelPractice       = "Practice"
	LabelSTP            = "STP"
	LabelCCG            = "CCG"
	// LabelSource marks provenance nodes: {id, title, publisher, released, file, url, licence}.
	LabelSource = "Source"
)

// Relationship types. Direction is always from the smaller/member side to the
// larger/holding side.
const (
	// (ICS)-[:IN_REGION]->(Region); (ClinicalSenate)-[:IN_REGION]->(Region);
	// (CCG)-[:IN_REGION]->(Region) and (STP)-[:IN_REGION]->(Region) for history.
	RelInRegion = "IN_REGION"
	// (SubICBLocation)-[:PART_OF]->(ICS); (CCG)-[:PART_OF {year}]->(STP).
	RelPartOf = "PART_OF"
	// (SubICBLocation)-[:IN_CANCER_ALLIANCE]->(CancerAlliance);
	// (ICS)-[:IN_CANCER_ALLIANCE {population, share, subIcbLocations}]->(CancerAlliance):
	// share = the ICS population share that lies in the alliance (one edge per alliance).
	RelInCancerAlliance = "IN_CANCER_ALLIANCE"
	// (ICS)-[:IN_CLINICAL_SENATE]->(ClinicalSenate).
	RelInClinicalSenate = "IN_CLINICAL_SENATE"
	// (Trust)-[:LOCATED_IN]->(ICS): geography, the ICB whose area holds the trust HQ (ODS).
	RelLocatedIn = "LOCATED_IN"
	// (Trust|Council)-[:PARTNER_OF]->(ICS): partnership, named in the ICB constitution.
	RelPartnerOf = "PARTNER_OF"
	// (Council)-[:OVERLAPS {population, smallAreas, shareOfCouncil, shareOfArea,
	// populationYear}]->(ICS|SubICBLocation): measured from LSOA 2011 small areas.
	RelOverlaps = "OVERLAPS"
	// (Council)-[:WITHIN]->(Council): a district within its county.
	RelWithin = "WITHIN"
	// (PCN)-[:IN_SUB_ICB_LOCATION]->(SubICBLocation).
	RelInSubICBLocation = "IN_SUB_ICB_LOCATION"
	// (Practice)-[:MEMBER_OF]->(PCN).
	RelMemberOf = "MEMBER_OF"
	// (CCG)-[:SUCCEEDED_BY]->(SubICBLocation|CCG); (STP)-[:SUCCEEDED_BY]->(ICS).
	RelSucceededBy = "SUCCEEDED_BY"
)

// Kind values stored in the `kind` property; they match the GraphQL
// OrganisationKind enum.
const (
	KindRegion         = "REGION"
	KindICS            = "ICS"
	KindSubICBLocation = "SUB_ICB_LOCATION"
	KindTrust          = "TRUST"
	KindCouncil        = "COUNCIL"
	KindCancerAlliance = "CANCER_ALLIANCE"
	KindClinicalSenate = "CLINICAL_SENATE"
	KindPCN            = "PCN"
	KindPractice       = "PRACTICE"
	KindSTP            = "STP"
	KindCCG            = "CCG"
)

// KindLabels maps each kind to its node label.
var KindLabels = map[string]string{
	KindRegion:         LabelRegion,
	KindICS:            LabelICS,
	KindSubICBLocation: LabelSubICBLocation,
	KindTrust:          LabelTrust,
	KindCouncil:        LabelCouncil,
	KindCancerAlliance: LabelCancerAlliance,
	KindClinicalSenate: LabelClinicalSenate,
	KindPCN:            LabelPCN,
	KindPractice:       LabelPractice,
	KindSTP:            LabelSTP,
	KindCCG:            LabelCCG,
}

// FullTextIndex is the name of the full-text index over organisation names
// (properties name and searchText of every Organisation node).
const FullTextIndex = "organisation_search"
