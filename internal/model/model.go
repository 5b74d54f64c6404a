// Package model is the one declaration of the graph model: the organisation
// kinds (label, GraphQL type, codes, filters, kind-specific properties,
// population measures) and the relationships (type, direction, properties,
// the GraphQL fields on each side with their cardinality, order and cost).
//
// Everything that knows about the graph's shape is derived from these
// tables: every statement (internal/cypher writes them; this package holds
// no Cypher: area filters are typed hop chains, orders typed keys), the
// resolvers' wiring (graph/relations.go), the cost
// rules (FieldCost), the store's kind labels and constraints
// (KindLabels), the loader's validation of kinds, the GraphQL
// types' constructors (graph/model.Makers, checked against Kinds) and the
// schema-coverage test (graph/model_coverage_test.go).
//
// The label, relationship type and kind names are the constants below; the
// store (internal/store/schema.go) re-exports them, so a name is written
// once, here. This package imports nothing of the project.
package model

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
)

// Node labels. Every organisation node carries LabelOrganisation plus its
// kind's label (Kinds); internal/store/schema.go documents the properties.
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

// Relationship types (internal/store/schema.go documents their endpoints
// and properties).
const (
	RelInRegion         = "IN_REGION"
	RelPartOf           = "PART_OF"
	RelInCancerAlliance = "IN_CANCER_ALLIANCE"
	RelInClinicalSenate = "IN_CLINICAL_SENATE"
	RelLocatedIn        = "LOCATED_IN"
	RelPartnerOf        = "PARTNER_OF"
	RelOverlaps         = "OVERLAPS"
	RelWithin           = "WITHIN"
	RelInSubICBLocation = "IN_SUB_ICB_LOCATION"
	RelMemberOf         = "MEMBER_OF"
	RelSucceededBy      = "SUCCEEDED_BY"
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

// Population measures are data, not code: seed/data/measures.csv (generated
// from the manifest's `measures`) names each one (its node property, family,
// vintage, date, source, whether derived, description); the loader writes
// them on the Release node and the server learns them from the release it
// answers from. A new year of figures is a new row there, no Go change.

// PopulationFamilies are the measure families that count people (GraphQL
// enum PopulationFamily): a measure is one vintage of a family.
var PopulationFamilies = []string{"RESIDENTS", "REGISTERED_PATIENTS"}

// MeasureFamilies are every family a measure may belong to: the population
// families, and SMALL_AREAS (the number of small areas a residents sum
// adds up; listed in Release.measures, never a `population`).
var MeasureFamilies = append(slices.Clone(PopulationFamilies), "SMALL_AREAS")

// MeasureProperty is the pattern a measure's node property must match (the
// loader rejects any other row of measures.csv): a lower-camel identifier,
// read with dynamic property access (`n[$measure]`), never written into
// Cypher text.
var MeasureProperty = regexp.MustCompile(`^[a-z][A-Za-z0-9]{0,39}$`)

// MaxMeasures bounds how many measures a release may declare (the loader
// rejects more): the cost model prices a `populations` list at this many
// figures.
const MaxMeasures = 24

// ReservedProperty reports whether name is a node property the model
// declares for something other than a measure's figures (an organisation's
// code, name, dates, kind-specific properties, composition lists, the
// release), which a measure must not be named.
func ReservedProperty(name string) bool {
	if name == DefaultMeasure || name == "smallAreas" {
		return false // the figures of measures, declared here for their fields
	}
	if slices.Contains([]string{"release", "sources", "announcement", "population", "populationYear"}, name) || slices.Contains(CompositionProps, name) {
		return true
	}
	for _, p := range Common {
		if slices.Contains(p.Properties, name) {
			return true
		}
	}
	for _, k := range Kinds {
		for _, p := range k.Props {
			if slices.Contains(p.Properties, name) {
				return true
			}
		}
	}
	return false
}

// DefaultMeasure is the measure `population` answers without arguments
// (residents mid-2015, summed over the 2011 small areas), whose figure on a
// date the composition lists (CompositionProps) hold; DefaultMeasureYear
// is the deprecated `populationYear` of it.
const (
	DefaultMeasure     = "residents2015"
	DefaultMeasureYear = 2015
)

// Prop maps a GraphQL field of an organisation type to the node properties
// that answer it.
type Prop struct {
	Field      string   // GraphQL field name
	GraphQL    string   // GraphQL type of the field, e.g. "Int", "TrustType!"
	Properties []string // node properties read to answer it
}

// Kind is one kind of organisation.
type Kind struct {
	Value    string   // the `kind` property and the OrganisationKind enum value
	Label    string   // node label (besides Organisation)
	TypeName string   // GraphQL object type
	Codes    []string // which codes identify it: "ODS", "ONS", "curated"
	Lookup   string   // root lookup field, e.g. "trust"
	List     string   // root list field, e.g. "trusts"
	// Areas are the list's area filters (region, ics, subIcbLocation,
	// county): how an organisation of the kind lies within the area, as a
	// chain of declared hops from the organisation to the area (the last
	// hop's label is the area's). internal/cypher writes the pattern.
	Areas map[string][]Hop
	// Filters are the list's other filter fields, beyond nameContains
	// (kind-specific: store.ListQuery reads them).
	Filters []string
	Props   []Prop // kind-specific properties
	// Most bounds how many organisations of the kind the data holds, open or
	// closed: the cost model prices a list at min(first, Most) items
	// (TestEstimatesBoundTheData checks it against seed/data).
	Most int
}

// Hop is one step of an area chain: the relationship type, whether it is
// followed against its stored direction, and the label of the node reached.
type Hop struct {
	Rel     string
	Reverse bool
	Label   string
}

// out is a hop along the stored direction, in one against it.
func out(rel, label string) Hop { return Hop{Rel: rel, Label: label} }
func in(rel, label string) Hop  { return Hop{Rel: rel, Reverse: true, Label: label} }

// Chain joins hop chains.
func chain(parts ...[]Hop) []Hop {
	var out []Hop
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Common are the properties every organisation type has.
var Common = []Prop{
	{"id", "ID!", []string{"kind", "code"}},
	{"code", "String!", []string{"code"}},
	{"onsCode", "String", []string{"onsCode", "onsCodes", "onsCodesFrom"}},
	{"name", "String!", []string{"name", "names", "namesFrom"}},
	{"kind", "OrganisationKind!", []string{"kind"}},
	{"historic", "Boolean!", []string{"historic", "validTo"}},
	{"validFrom", "Date", []string{"validFrom"}},
	{"validTo", "Date", []string{"validTo"}},
	{"announced", "Boolean!", []string{"announced"}},
}

// A Dated property is one whose value changed over time (an
// organisation's name, its ONS code): the node holds the newest value under
// the property's own name, every value it held and the date each began as
// parallel lists (Values, From; ascending by date), and, only when it held
// more than one, the date the newest began (Changed). A read for a date on
// or after Changed, or of a node without it, needs the newest value alone,
// so a statement reads the lists (which Neo4j keeps in its dynamic array
// store, a read of their own) only for a date before it.
type Dated struct{ Values, From, Changed string }

// DatedProps are the dated properties, by property.
var DatedProps = map[string]Dated{
	"name":    {Values: "names", From: "namesFrom", Changed: "nameChanged"},
	"onsCode": {Values: "onsCodes", From: "onsCodesFrom", Changed: "onsCodeChanged"},
}

// DatedList returns the dated property whose lists hold p (a Dated's
// Values or From), and whether p is one.
func DatedList(p string) (string, bool) {
	for prop, d := range DatedProps {
		if p == d.Values || p == d.From {
			return prop, true
		}
	}
	return "", false
}

// CompositionProps are the node properties holding an area's figures that
// are sums of its small areas, from each date its composition changed
// (parallel lists ascending by date): the dates, residents2015, smallAreas.
var CompositionProps = []string{"compositionFrom", "residents2015At", "smallAreasAt"}

// FiguresProp in a Prop's Properties stands for every population measure of
// the release (not a stored property): a statement reads them as
// [name, value] pairs (internal/cypher, `n[m]` for each measure name m of
// the parameter $measures).
const FiguresProp = "*figures"

var populated = []Prop{
	{"population", "Int", append([]string{"population", FiguresProp}, CompositionProps...)},
	{"populationYear", "Int", []string{"populationYear", DefaultMeasure}},
	{"populations", "[PopulationFigure!]!", append([]string{FiguresProp}, CompositionProps...)},
	{"smallAreas", "Int", append([]string{"smallAreas"}, CompositionProps...)},
}

// Shared area chains.
var (
	practiceToPCN = []Hop{out(RelMemberOf, LabelPCN)}
	pcnToSub      = []Hop{out(RelInSubICBLocation, LabelSubICBLocation)}
	subToICS      = []Hop{out(RelPartOf, LabelICS)}
	subToRegion   = []Hop{out(RelPartOf, LabelICS), out(RelInRegion, LabelRegion)}
)

// Kinds declares every organisation kind.
var Kinds = []Kind{
	{Value: KindRegion, Most: 12, Label: LabelRegion, TypeName: "Region", Codes: []string{"ODS", "ONS"},
		Lookup: "region", List: "regions", Areas: map[string][]Hop{"ics": {in(RelInRegion, LabelICS)}}},
	{Value: KindICS, Most: 60, Label: LabelICS, TypeName: "IntegratedCareSystem", Codes: []string{"ODS", "ONS"},
		Lookup: "integratedCareSystem", List: "integratedCareSystems", Areas: map[string][]Hop{"region": {out(RelInRegion, LabelRegion)}},
		Props: append([]Prop{{"designation", "Designation", []string{"designationWave", "designationAnnounced",
			"designationAnnouncedPrecision", "designationEffectiveFrom", "nameAsAnnounced", "designationSources"}}}, populated...)},
	{Value: KindSubICBLocation, Most: 130, Label: LabelSubICBLocation, TypeName: "SubIcbLocation", Codes: []string{"ODS", "ONS"},
		Lookup: "subIcbLocation", List: "subIcbLocations", Props: populated,
		Areas: map[string][]Hop{"region": {out(RelPartOf, LabelICS), out(RelInRegion, LabelRegion)}, "ics": {out(RelPartOf, LabelICS)}}},
	{Value: KindTrust, Most: 300, Label: LabelTrust, TypeName: "Trust", Codes: []string{"ODS"},
		Lookup: "trust", List: "trusts", Filters: []string{"trustType", "foundationTrust", "includeClosed"},
		Areas: map[string][]Hop{"region": {out(RelLocatedIn, LabelICS), out(RelInRegion, LabelRegion)}, "ics": {out(RelLocatedIn, LabelICS)}},
		Props: []Prop{
			{"foundationTrust", "Boolean!", []string{"foundationTrust"}},
			{"trustType", "TrustType!", []string{"trustType"}},
			{"trustTypeBasis", "String", []string{"trustTypeBasis"}},
			{"status", "Status!", []string{"status"}},
			{"postcode", "String", []string{"postcode"}},
			{"openDate", "Date", []string{"openDate"}},
			{"closeDate", "Date", []string{"closeDate"}},
		}},
	{Value: KindCouncil, Most: 400, Label: LabelCouncil, TypeName: "Council", Codes: []string{"ONS"},
		Lookup: "council", List: "councils", Filters: []string{"councilType"},
		Areas: map[string][]Hop{"ics": {out(RelOverlaps, LabelICS)}, "county": {out(RelWithin, LabelCouncil)}},
		Props: append([]Prop{
			{"councilType", "CouncilType!", []string{"councilType"}},
			{"odsCode", "String", []string{"odsCode"}},
			{"onsRegion", "String", []string{"onsRegion"}},
		}, populated...)},
	{Value: KindCancerAlliance, Most: 40, Label: LabelCancerAlliance, TypeName: "CancerAlliance", Codes: []string{"ONS"},
		Lookup: "cancerAlliance", List: "cancerAlliances",
		Areas: map[string][]Hop{"region": {in(RelInCancerAlliance, LabelICS), out(RelInRegion, LabelRegion)}, "ics": {in(RelInCancerAlliance, LabelICS)}}},
	{Value: KindClinicalSenate, Most: 16, Label: LabelClinicalSenate, TypeName: "ClinicalSenate", Codes: []string{"curated"},
		Lookup: "clinicalSenate", List: "clinicalSenates",
		Areas: map[string][]Hop{"region": {out(RelInRegion, LabelRegion)}, "ics": {in(RelInClinicalSenate, LabelICS)}},
		Props: []Prop{{"note", "String", []string{"note"}}}},
	{Value: KindPCN, Most: 1500, Label: LabelPCN, TypeName: "PrimaryCareNetwork", Codes: []string{"ODS"},
		Lookup: "primaryCareNetwork", List: "primaryCareNetworks",
		Areas: map[string][]Hop{"region": chain(pcnToSub, subToRegion), "ics": chain(pcnToSub, subToICS), "subIcbLocation": pcnToSub},
		Props: []Prop{{"openDate", "Date", []string{"openDate"}}}},
	{Value: KindPractice, Most: 7500, Label: LabelPractice, TypeName: "GpPractice", Codes: []string{"ODS"},
		Lookup: "gpPractice", List: "gpPractices",
		Areas: map[string][]Hop{"region": chain(practiceToPCN, pcnToSub, subToRegion), "ics": chain(practiceToPCN, pcnToSub, subToICS),
			"subIcbLocation": chain(practiceToPCN, pcnToSub)},
		Props: []Prop{{"postcode", "String", []string{"postcode"}}, {"joinedPcn", "Date", []string{"joinedPcn"}}}},
	{Value: KindSTP, Most: 70, Label: LabelSTP, TypeName: "Stp", Codes: []string{"ODS", "ONS"},
		Lookup: "stp", List: "stps",
		Areas: map[string][]Hop{"region": {out(RelInRegion, LabelRegion)}, "ics": {out(RelSucceededBy, LabelICS)}}},
	{Value: KindCCG, Most: 300, Label: LabelCCG, TypeName: "Ccg", Codes: []string{"ODS", "ONS"},
		Lookup: "ccg", List: "ccgs",
		Areas: map[string][]Hop{"region": {out(RelInRegion, LabelRegion)}, "subIcbLocation": {out(RelSucceededBy, LabelSubICBLocation)}},
		Props: []Prop{{"years", "[Int!]!", []string{"years"}}}},
}

// Card is how many organisations a relationship field answers.
type Card int

const (
	One        Card = iota // a nullable object
	Many                   // a list
	Connection             // a Relay connection with first/after/totalCount
)

// EdgeProp is a stored relationship property and the GraphQL fields of the
// edge types that expose it.
type EdgeProp struct {
	Property string
	Fields   map[string]string // edge GraphQL type → field
}

// Field is a GraphQL field that follows a relationship from an organisation.
type Field struct {
	Type    string   // GraphQL type holding the field
	Name    string   // field name
	Card    Card     // one, many or a connection
	Target  []string // labels of the organisations reached (default: the other side)
	OrderBy []Order  // the order of the items; default the reached organisation's name, then code
	// Edge object fields (Partnership, CouncilIcsOverlap, …): the GraphQL
	// type of each item, its field holding the organisation reached and the
	// one holding this organisation. Empty for fields answering organisations.
	EdgeType, EdgeNode, EdgeSelf string
	// KindArg names an argument restricting the kinds reached (partners(kind:)).
	KindArg string
	// Estimate bounds the number of items per parent in the data (on any
	// date), for the cost model; TestEstimatesBoundTheData checks it.
	Estimate int
	// Deprecated marks a field kept for compatibility.
	Deprecated bool
	// History reaches organisations that may have closed (successions): the
	// organisations reached are not filtered by validity, only the edge.
	History bool
}

// Relationship is one relationship type between kinds, with the GraphQL
// fields that follow it forward (Out, from From) and backward (In, from To).
type Relationship struct {
	Type     string
	From, To []string // labels
	Props    []EdgeProp
	Out, In  []Field
	// Validity: every relationship carries validFrom/validTo (seed/README.md,
	// "The time model"); internal/cypher.Valid filters them as of the
	// request's date.
}

// Common relationship properties (source and validity) read for every edge.
var EdgeCommon = []string{"source", "validFrom", "validTo", "announced", "announcement"}

// Order is one key of a relationship field's order: the first present of
// Props, of the relationship (Edge) or of the organisation reached.
type Order struct {
	Edge  bool
	Props []string
	Desc  bool
}

var (
	byCode           = Order{Props: []string{"code"}}
	byEdgePopulation = []Order{{Edge: true, Props: []string{"population"}, Desc: true}, byCode}
	byEdgeShare      = []Order{{Edge: true, Props: []string{"share"}, Desc: true}, byCode}
	byDate           = []Order{{Edge: true, Props: []string{"date", "validFrom"}, Desc: true}, byCode}
	byKindName       = []Order{{Props: []string{"kind"}, Desc: true}, {Props: []string{"name"}}, byCode}
	// ByName is the default order.
	ByName = []Order{{Props: []string{"name"}}, byCode}
)

var overlapProps = []EdgeProp{
	{"population", map[string]string{"CouncilIcsOverlap": "sharedPopulation", "CouncilSubIcbOverlap": "sharedPopulation"}},
	{"smallAreas", map[string]string{"CouncilIcsOverlap": "sharedSmallAreas", "CouncilSubIcbOverlap": "sharedSmallAreas"}},
	{"shareOfCouncil", map[string]string{"CouncilIcsOverlap": "shareOfCouncil", "CouncilSubIcbOverlap": "shareOfCouncil"}},
	{"shareOfArea", map[string]string{"CouncilIcsOverlap": "shareOfIcs", "CouncilSubIcbOverlap": "shareOfSubIcbLocation"}},
	{"populationYear", map[string]string{"CouncilIcsOverlap": "populationYear", "CouncilSubIcbOverlap": "populationYear"}},
	{"populationMeasure", map[string]string{"CouncilIcsOverlap": "populationYear", "CouncilSubIcbOverlap": "populationYear"}},
	{"derived", map[string]string{"CouncilIcsOverlap": "derived", "CouncilSubIcbOverlap": "derived"}},
}

// Relationships declares every relationship the API follows.
var Relationships = []Relationship{
	{Type: RelInRegion, From: []string{LabelICS, LabelClinicalSenate, LabelSTP, LabelCCG}, To: []string{LabelRegion},
		Out: []Field{
			{Type: "IntegratedCareSystem", Name: "region", Card: One, Estimate: 1},
			{Type: "ClinicalSenate", Name: "region", Card: One, Estimate: 1},
		},
		In: []Field{
			{Type: "Region", Name: "integratedCareSystems", Card: Many, Target: []string{LabelICS}, Estimate: 12},
			{Type: "Region", Name: "clinicalSenates", Card: Many, Target: []string{LabelClinicalSenate}, Estimate: 4},
		}},
	{Type: RelPartOf, From: []string{LabelSubICBLocation, LabelCCG}, To: []string{LabelICS, LabelSTP},
		Out: []Field{
			{Type: "SubIcbLocation", Name: "integratedCareSystem", Card: One, Target: []string{LabelICS}, Estimate: 1},
			{Type: "Ccg", Name: "stps", Card: Many, Target: []string{LabelSTP}, Estimate: 3},
		},
		In: []Field{
			{Type: "IntegratedCareSystem", Name: "subIcbLocations", Card: Many, Target: []string{LabelSubICBLocation}, Estimate: 12},
			{Type: "Stp", Name: "ccgs", Card: Many, Target: []string{LabelCCG}, Estimate: 15},
		}},
	{Type: RelInCancerAlliance, From: []string{LabelSubICBLocation, LabelICS, LabelCCG}, To: []string{LabelCancerAlliance},
		Props: []EdgeProp{
			{"population", map[string]string{"CancerAllianceMembership": "population"}},
			{"residents2015", map[string]string{"CancerAllianceMembership": "population"}},
			{"derived", map[string]string{"CancerAllianceMembership": "derived"}},
			{"share", map[string]string{"CancerAllianceMembership": "share"}},
			{"subIcbLocations", map[string]string{"CancerAllianceMembership": "subIcbLocations"}},
			{"populationYear", nil},
		},
		Out: []Field{
			{Type: "SubIcbLocation", Name: "cancerAlliance", Card: One, Estimate: 1},
			{Type: "IntegratedCareSystem", Name: "cancerAlliances", Card: Many, OrderBy: byEdgeShare,
				EdgeType: "CancerAllianceMembership", EdgeNode: "cancerAlliance", EdgeSelf: "integratedCareSystem", Estimate: 4},
		},
		In: []Field{
			{Type: "CancerAlliance", Name: "systems", Card: Many, Target: []string{LabelICS},
				EdgeType: "CancerAllianceMembership", EdgeNode: "integratedCareSystem", EdgeSelf: "cancerAlliance", Estimate: 8},
			{Type: "CancerAlliance", Name: "subIcbLocations", Card: Many, Target: []string{LabelSubICBLocation}, Estimate: 25},
		}},
	{Type: RelInClinicalSenate, From: []string{LabelICS}, To: []string{LabelClinicalSenate},
		Out: []Field{{Type: "IntegratedCareSystem", Name: "clinicalSenate", Card: One, Estimate: 1}},
		In:  []Field{{Type: "ClinicalSenate", Name: "systems", Card: Many, Estimate: 10}}},
	{Type: RelLocatedIn, From: []string{LabelTrust}, To: []string{LabelICS},
		Out: []Field{{Type: "Trust", Name: "integratedCareSystem", Card: One, Estimate: 1}},
		In:  []Field{{Type: "IntegratedCareSystem", Name: "trusts", Card: Many, Estimate: 20}}},
	{Type: RelPartnerOf, From: []string{LabelTrust, LabelCouncil}, To: []string{LabelICS},
		Props: []EdgeProp{{"odsCode", nil}, {"nameInSource", nil}, {"derived", map[string]string{"Partnership": "derived"}}},
		Out: []Field{
			{Type: "Trust", Name: "partnerOf", Card: Many, EdgeType: "Partnership", EdgeNode: "integratedCareSystem", EdgeSelf: "partner", Estimate: 8},
			{Type: "Council", Name: "partnerOf", Card: Many, EdgeType: "Partnership", EdgeNode: "integratedCareSystem", EdgeSelf: "partner", Estimate: 4},
		},
		In: []Field{{Type: "IntegratedCareSystem", Name: "partners", Card: Many, KindArg: "kind", OrderBy: byKindName,
			EdgeType: "Partnership", EdgeNode: "partner", EdgeSelf: "integratedCareSystem", Estimate: 50}}},
	{Type: RelOverlaps, From: []string{LabelCouncil}, To: []string{LabelICS, LabelSubICBLocation},
		Props: overlapProps,
		Out: []Field{
			{Type: "Council", Name: "overlaps", Card: Many, Target: []string{LabelICS}, OrderBy: byEdgePopulation,
				EdgeType: "CouncilIcsOverlap", EdgeNode: "integratedCareSystem", EdgeSelf: "council", Estimate: 5},
			{Type: "Council", Name: "subIcbOverlaps", Card: Many, Target: []string{LabelSubICBLocation}, OrderBy: byEdgePopulation,
				EdgeType: "CouncilSubIcbOverlap", EdgeNode: "subIcbLocation", EdgeSelf: "council", Estimate: 8},
		},
		In: []Field{
			{Type: "IntegratedCareSystem", Name: "councils", Card: Many, OrderBy: byEdgePopulation,
				EdgeType: "CouncilIcsOverlap", EdgeNode: "council", EdgeSelf: "integratedCareSystem", Estimate: 29},
			{Type: "SubIcbLocation", Name: "councils", Card: Many, OrderBy: byEdgePopulation,
				EdgeType: "CouncilSubIcbOverlap", EdgeNode: "council", EdgeSelf: "subIcbLocation", Estimate: 16},
		}},
	{Type: RelWithin, From: []string{LabelCouncil}, To: []string{LabelCouncil},
		Out: []Field{{Type: "Council", Name: "county", Card: One, Estimate: 1}},
		In:  []Field{{Type: "Council", Name: "districts", Card: Many, Estimate: 15}}},
	{Type: RelInSubICBLocation, From: []string{LabelPCN}, To: []string{LabelSubICBLocation},
		Out: []Field{{Type: "PrimaryCareNetwork", Name: "subIcbLocation", Card: One, Estimate: 1}},
		In:  []Field{{Type: "SubIcbLocation", Name: "primaryCareNetworks", Card: Connection, Estimate: 40}}},
	{Type: RelMemberOf, From: []string{LabelPractice}, To: []string{LabelPCN},
		Out: []Field{{Type: "GpPractice", Name: "primaryCareNetwork", Card: One, Estimate: 1}},
		In:  []Field{{Type: "PrimaryCareNetwork", Name: "practices", Card: Connection, Estimate: 25}}},
	{Type: RelSucceededBy, From: allLabels(), To: allLabels(),
		Props: []EdgeProp{
			{"date", map[string]string{"Succession": "date"}},
			{"share", map[string]string{"Succession": "share"}},
			{"shareWeight", map[string]string{"Succession": "shareWeight"}},
			{"basis", map[string]string{"Succession": "basis"}},
			{"derived", map[string]string{"Succession": "derived"}},
		},
		Out: append(successions("successors"),
			Field{Type: "Stp", Name: "successor", Card: One, Target: []string{LabelICS}, Estimate: 1, Deprecated: true, History: true}),
		In: successions("predecessors")},
}

// successions declares name (predecessors or successors) on every kind:
// SUCCEEDED_BY joins any kinds, and the organisations reached may have closed.
func successions(name string) []Field {
	out := make([]Field, len(Kinds))
	for i, k := range Kinds {
		out[i] = Field{Type: k.TypeName, Name: name, Card: Many, OrderBy: byDate,
			EdgeType: "Succession", EdgeNode: "organisation", Estimate: 8, History: true}
	}
	return out
}

func allLabels() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = k.Label
	}
	return out
}

// Resolved is a relationship field with everything needed to read it.
type Resolved struct {
	Field
	Rel     string   // relationship type
	Reverse bool     // followed against the stored direction
	From    string   // label of the organisation holding the field
	To      []string // labels reached
	Props   []string // relationship properties to read (common ones first)
}

var (
	kindByValue = map[string]*Kind{}
	kindByType  = map[string]*Kind{}
	kindByLabel = map[string]*Kind{}
	fields      = map[string]map[string]*Resolved{} // type → field → resolved
)

func init() {
	for i := range Kinds {
		k := &Kinds[i]
		kindByValue[k.Value], kindByType[k.TypeName], kindByLabel[k.Label] = k, k, k
	}
	for _, r := range Relationships {
		props := append([]string(nil), EdgeCommon...)
		for _, p := range r.Props {
			props = append(props, p.Property)
		}
		add := func(f Field, reverse bool, other []string) {
			k := kindByType[f.Type]
			if k == nil {
				panic(fmt.Sprintf("model: relationship %s declares a field on unknown type %s", r.Type, f.Type))
			}
			to := f.Target
			if len(to) == 0 {
				to = other
			}
			if fields[f.Type] == nil {
				fields[f.Type] = map[string]*Resolved{}
			}
			if _, dup := fields[f.Type][f.Name]; dup {
				panic(fmt.Sprintf("model: %s.%s declared twice", f.Type, f.Name))
			}
			fields[f.Type][f.Name] = &Resolved{Field: f, Rel: r.Type, Reverse: reverse, From: k.Label, To: to, Props: props}
		}
		for _, f := range r.Out {
			add(f, false, r.To)
		}
		for _, f := range r.In {
			add(f, true, r.From)
		}
	}
}

// KindLabels maps each kind's value to its node label.
func KindLabels() map[string]string {
	out := make(map[string]string, len(Kinds))
	for _, k := range Kinds {
		out[k.Value] = k.Label
	}
	return out
}

// KindByValue returns the kind with the given `kind` value.
func KindByValue(v string) (*Kind, bool) { k, ok := kindByValue[v]; return k, ok }

// KindByType returns the kind whose GraphQL type is name.
func KindByType(name string) (*Kind, bool) { k, ok := kindByType[name]; return k, ok }

// KindByLabel returns the kind with the given node label.
func KindByLabel(label string) (*Kind, bool) { k, ok := kindByLabel[label]; return k, ok }

// Lookup returns the relationship field typeName.field, if declared.
func Lookup(typeName, field string) (*Resolved, bool) {
	f, ok := fields[typeName][field]
	return f, ok
}

// FieldsOf returns the declared relationship fields of a type, by name.
func FieldsOf(typeName string) []*Resolved {
	out := make([]*Resolved, 0, len(fields[typeName]))
	for _, f := range fields[typeName] {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// FieldCost returns the declared cardinality estimate of a relationship
// field (items per parent), for the cost model; ok is false for fields that
// are not relationship reads.
func FieldCost(typeName, field string) (estimate int, ok bool) {
	f, ok := fields[typeName][field]
	if !ok {
		return 0, false
	}
	return max(f.Estimate, 1), true
}

// TargetLabels returns the labels reached, restricted to kinds (values) when
// kinds is not empty.
func (r *Resolved) TargetLabels(kinds []string) []string {
	if len(kinds) == 0 {
		return r.To
	}
	var out []string
	for _, l := range r.To {
		for _, v := range kinds {
			if k, ok := kindByValue[v]; ok && k.Label == l {
				out = append(out, l)
			}
		}
	}
	return out
}

// KindProps returns the node properties answering field on typeName (common
// or kind-specific), or nil when the field is not a declared property.
func KindProps(typeName, field string) []string {
	for _, p := range Common {
		if p.Field == field {
			return p.Properties
		}
	}
	if k, ok := kindByType[typeName]; ok {
		for _, p := range k.Props {
			if p.Field == field {
				return p.Properties
			}
		}
	}
	return nil
}

// Small areas: the 2011 LSOAs, the atoms every area kind is a union of on
// each date (seed/README.md "Small areas"). They are not organisations. A
// SmallArea node has `code`, `release`, its measures (SmallAreaMeasures) and
// its memberships as parallel lists ascending by date, as organisations hold
// their names: the council (`councilCodes`, `councilFrom`, `councilTo`) and
// the CCG or sub-ICB location (`areaCodes`, `areaKinds`, `areaFrom`,
// `areaTo`) it lay in from each date (validTo exclusive, "" = still). The
// SmallAreaPeriod nodes say, per kind and period, which lookup the
// memberships come from and how derived ones were made (`kind`, `validFrom`,
// `validTo`, `source`, `derived`, and `areas` when the row is for those
// areas only). Memberships are node lists rather than edges: 120,000 edges
// onto a few hundred area nodes made each load several times slower.
const (
	LabelSmallArea       = "SmallArea"
	LabelSmallAreaPeriod = "SmallAreaPeriod"
)

// LabelRelease marks the release nodes (internal/store/release.go lists
// their properties).
const LabelRelease = "Release"

// SmallAreaMemberOf are the kinds of area a small area is a member of: a council
// (lower tier or unitary) and a base area (CCG until 30 June 2022, sub-ICB
// location from 1 July 2022) on every date.
var SmallAreaMemberOf = []string{KindCouncil, KindCCG, KindSubICBLocation}

// SmallAreaMeasures are the small-area figures (node properties of
// SmallArea and columns of small_areas.csv); the first is the population
// crosswalks and composition figures weigh by.
var SmallAreaMeasures = []string{"residents2015", "aged0to15_2015", "aged16to59_2015", "aged60plus_2015", "workingAge2015"}
