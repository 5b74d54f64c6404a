package store

import (
	"github.com/icsgraph/icsgraph/internal/cypher"
	"github.com/icsgraph/icsgraph/internal/model"
)

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
//
// The names are declared once, in internal/model (the one declaration of
// the graph model); the store re-exports those its own Cypher uses.
const (
	LabelOrganisation   = model.LabelOrganisation
	LabelRegion         = model.LabelRegion
	LabelICS            = model.LabelICS
	LabelSubICBLocation = model.LabelSubICBLocation
	LabelTrust          = model.LabelTrust
	LabelCouncil        = model.LabelCouncil
	LabelCancerAlliance = model.LabelCancerAlliance
	LabelClinicalSenate = model.LabelClinicalSenate
	LabelPCN            = model.LabelPCN
	LabelPractice       = model.LabelPractice
	LabelSTP            = model.LabelSTP
	LabelCCG            = model.LabelCCG
	LabelSource         = model.LabelSource
)

// Relationship types. Direction is always from the smaller/member side to the
// larger/holding side.
const (
	// (ICS)-[:IN_REGION]->(Region); (ClinicalSenate)-[:IN_REGION]->(Region);
	// (CCG)-[:IN_REGION]->(Region) and (STP)-[:IN_REGION]->(Region) for history.
	RelInRegion = model.RelInRegion
	// (SubICBLocation)-[:PART_OF]->(ICS); (CCG)-[:PART_OF {year}]->(STP).
	RelPartOf = model.RelPartOf
	// (SubICBLocation)-[:IN_CANCER_ALLIANCE]->(CancerAlliance);
	// (ICS)-[:IN_CANCER_ALLIANCE {population, share, subIcbLocations}]->(CancerAlliance):
	// share = the ICS population share that lies in the alliance (one edge per alliance).
	RelInCancerAlliance = model.RelInCancerAlliance
	// (ICS)-[:IN_CLINICAL_SENATE]->(ClinicalSenate).
	RelInClinicalSenate = model.RelInClinicalSenate
	// (Trust)-[:LOCATED_IN]->(ICS): geography, the ICB whose area holds the trust HQ (ODS).
	RelLocatedIn = model.RelLocatedIn
	// (Trust|Council)-[:PARTNER_OF]->(ICS): partnership, named in the ICB constitution.
	RelPartnerOf = model.RelPartnerOf
	// (Council)-[:OVERLAPS {population, smallAreas, shareOfCouncil, shareOfArea,
	// populationYear}]->(ICS|SubICBLocation): measured from LSOA 2011 small areas.
	RelOverlaps = model.RelOverlaps
	// (Council)-[:WITHIN]->(Council): a district within its county.
	RelWithin = model.RelWithin
	// (PCN)-[:IN_SUB_ICB_LOCATION]->(SubICBLocation).
	RelInSubICBLocation = model.RelInSubICBLocation
	// (Practice)-[:MEMBER_OF]->(PCN).
	RelMemberOf = model.RelMemberOf
	// (CCG)-[:SUCCEEDED_BY]->(SubICBLocation|CCG); (STP)-[:SUCCEEDED_BY]->(ICS).
	RelSucceededBy = model.RelSucceededBy
)

// Kind values stored in the `kind` property; they match the GraphQL
// OrganisationKind enum.
const (
	KindRegion         = model.KindRegion
	KindICS            = model.KindICS
	KindSubICBLocation = model.KindSubICBLocation
	KindTrust          = model.KindTrust
	KindCouncil        = model.KindCouncil
	KindCancerAlliance = model.KindCancerAlliance
	KindClinicalSenate = model.KindClinicalSenate
	KindPCN            = model.KindPCN
	KindPractice       = model.KindPractice
	KindSTP            = model.KindSTP
	KindCCG            = model.KindCCG
)

// KindLabels maps each kind to its node label, as internal/model.Kinds
// declares them: a kind added there is known to the store (list queries,
// constraints and indexes, the loader) with no change here.
var KindLabels = model.KindLabels()

// FullTextIndex is the name of the full-text index over organisation names
// (properties name and searchText of every Organisation node).
const FullTextIndex = cypher.FullTextIndex
