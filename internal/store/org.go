package store

import (
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/icsgraph/icsgraph/internal/cypher"
	"github.com/icsgraph/icsgraph/internal/model"
)

// Organisation is an organisation node as the store returns it: one flat
// struct for every kind, with the kind-specific fields left empty where they
// do not apply.
type Organisation struct {
	Kind     string
	Code     string
	OnsCode  string
	Name     string
	Historic bool
	// Announced: known only from an announcement (the data's `announced`).
	Announced bool
	Sources   []string
	// Validity (seed/README.md, "The time model"): the first day it held and the first day it no
	// longer did (empty: still holds).
	ValidFrom, ValidTo string

	// Areas (ICS, sub-ICB location, council). Population is residents
	// mid-2015 (the default measure); Populations every measure held, by
	// property name, as a statement read them (cypher.KeyFigures; a node
	// read whole has them in Props under the release's measure properties).
	Populations    map[string]int
	Population     *int
	PopulationYear *int
	SmallAreas     *int

	// ICS designation.
	Designation *Designation

	// Trust.
	FoundationTrust bool
	TrustType       string
	TrustTypeBasis  string
	Status          string
	Postcode        string
	OpenDate        string
	CloseDate       string

	// Council.
	CouncilType string
	OdsCode     string
	OnsRegion   string

	// Clinical Senate.
	Note string

	// CCG.
	Years []int

	// GP practice.
	JoinedPcn string

	// Props is every property as stored (for exports, which carry them all).
	Props map[string]any
}

// Designation is when and how a system was designated an ICS.
type Designation struct {
	Wave               string
	Announced          string
	AnnouncedPrecision string
	EffectiveFrom      string
	NameAsAnnounced    string
	Sources            []string
}

// Edge holds a relationship's properties.
type Edge struct {
	Type            string
	Source          string
	ValidFrom       string
	Announced       bool
	ValidTo         string
	Date            string
	ShareWeight     string
	Basis           string
	Population      *int
	SmallAreas      *int
	ShareOfCouncil  *float64
	ShareOfArea     *float64
	Share           *float64
	PopulationYear  *int
	SubICBLocations *int
	Derived         string         // how the edge or its figures were derived, if not read from a source
	Props           map[string]any // every property as stored (for exports)
}

// populations reads the population figures a statement read as [measure
// property, value] pairs (cypher.KeyFigures); a node read whole (properties)
// holds them under the release's measure properties, which the caller picks
// from Props.
func populations(p props) map[string]int {
	pairs, _ := p[cypher.KeyFigures].([]any)
	var out map[string]int
	for _, x := range pairs {
		pair, _ := x.([]any)
		if len(pair) != 2 {
			continue
		}
		name, _ := pair[0].(string)
		if v := (props{"v": pair[1]}).intp("v"); name != "" && v != nil {
			if out == nil {
				out = map[string]int{}
			}
			out[name] = *v
		}
	}
	return out
}

// withDefaultMeasure fills the population and its year from the default
// measure (residents mid-2015, model.DefaultMeasure) where the graph
// (time-aware) holds measures instead of the older population/populationYear
// pair: pop is the node's or edge's default-measure property when absent,
// and the year is known for that measure only.
func withDefaultMeasure(pop, year *int, p props, measure string) (*int, *int) {
	if pop == nil {
		if v := p.intp(model.DefaultMeasure); v != nil {
			pop = v
			if measure == "" {
				measure = model.DefaultMeasure
			}
		} else if v, ok := populations(p)[model.DefaultMeasure]; ok {
			pop = &v
			if measure == "" {
				measure = model.DefaultMeasure
			}
		}
	}
	if year == nil && pop != nil && measure == model.DefaultMeasure {
		y := model.DefaultMeasureYear
		year = &y
	}
	return pop, year
}

// Source is a dataset or article facts come from.
type Source struct {
	ID        string
	Title     string
	Publisher string
	Released  string
	File      string
	URL       string
	Licence   string
}

// decodeOrganisation reads a node's property map. Queries return
// properties(n) rather than the node where they can: a node also carries its
// labels and element id, which the API does not use and Bolt must encode.
// It reads the map in one pass: a compiled read's map holds a few of the
// properties below, a node read whole some twenty.
func decodeOrganisation(p props) Organisation {
	o := Organisation{Props: p}
	var d Designation
	for k, v := range p {
		switch k {
		case "kind":
			o.Kind = asStr(v)
		case "code":
			o.Code = asStr(v)
		case "onsCode":
			o.OnsCode = asStr(v)
		case "name":
			o.Name = asStr(v)
		case "historic":
			o.Historic = asBool(v)
		case "announced":
			o.Announced = asBool(v)
		case "sources":
			o.Sources = asStrs(v)
		case "validFrom":
			o.ValidFrom = asStr(v)
		case "validTo":
			o.ValidTo = asStr(v)
		case cypher.KeyFigures:
			o.Populations = populations(p)
		case "population":
			o.Population = asIntp(v)
		case "populationYear":
			o.PopulationYear = asIntp(v)
		case "smallAreas":
			o.SmallAreas = asIntp(v)
		case "foundationTrust":
			o.FoundationTrust = asBool(v)
		case "trustType":
			o.TrustType = asStr(v)
		case "trustTypeBasis":
			o.TrustTypeBasis = asStr(v)
		case "status":
			o.Status = asStr(v)
		case "postcode":
			o.Postcode = asStr(v)
		case "openDate":
			o.OpenDate = asStr(v)
		case "closeDate":
			o.CloseDate = asStr(v)
		case "councilType":
			o.CouncilType = asStr(v)
		case "odsCode":
			o.OdsCode = asStr(v)
		case "onsRegion":
			o.OnsRegion = asStr(v)
		case "note":
			o.Note = asStr(v)
		case "years":
			o.Years = asInts(v)
		case "joinedPcn":
			o.JoinedPcn = asStr(v)
		case "designationWave":
			d.Wave = asStr(v)
		case "designationAnnounced":
			d.Announced = asStr(v)
		case "designationAnnouncedPrecision":
			d.AnnouncedPrecision = asStr(v)
		case "designationEffectiveFrom":
			d.EffectiveFrom = asStr(v)
		case "nameAsAnnounced":
			d.NameAsAnnounced = asStr(v)
		case "designationSources":
			d.Sources = asStrs(v)
		}
	}
	if o.Sources == nil {
		o.Sources = []string{}
	}
	if o.Years == nil {
		o.Years = []int{}
	}
	if d.Wave != "" {
		if d.Sources == nil {
			d.Sources = []string{}
		}
		o.Designation = &d
	}
	o.Population, o.PopulationYear = withDefaultMeasure(o.Population, o.PopulationYear, p, "")
	return o
}

func decodeEdge(typ string, p props) Edge {
	e := Edge{
		Type:            typ,
		Source:          p.str("source"),
		Announced:       p.boolean("announced"),
		ValidFrom:       p.str("validFrom"),
		ValidTo:         p.str("validTo"),
		Date:            p.str("date"),
		ShareWeight:     p.str("shareWeight"),
		Basis:           p.str("basis"),
		Population:      p.intp("population"),
		SmallAreas:      p.intp("smallAreas"),
		ShareOfCouncil:  p.floatp("shareOfCouncil"),
		ShareOfArea:     p.floatp("shareOfArea"),
		Share:           p.floatp("share"),
		PopulationYear:  p.intp("populationYear"),
		SubICBLocations: p.intp("subIcbLocations"),
		Derived:         p.str("derived"),
		Props:           p,
	}
	// Time-aware edges say which measure their population is
	// (populationMeasure), or hold it under the measure's own name
	// (an ICS's Cancer Alliance membership: residents2015).
	e.Population, e.PopulationYear = withDefaultMeasure(e.Population, e.PopulationYear, p, p.str("populationMeasure"))
	return e
}

func decodeSource(p props) Source {
	return Source{
		ID:        p.str("id"),
		Title:     p.str("title"),
		Publisher: p.str("publisher"),
		Released:  p.str("released"),
		File:      p.str("file"),
		URL:       p.str("url"),
		Licence:   p.str("licence"),
	}
}

// props reads typed values out of a node's or relationship's properties,
// tolerating absent keys and the driver's numeric types.
type props map[string]any

func (p props) str(k string) string      { return asStr(p[k]) }
func (p props) boolean(k string) bool    { return asBool(p[k]) }
func (p props) intp(k string) *int       { return asIntp(p[k]) }
func (p props) floatp(k string) *float64 { return asFloatp(p[k]) }
func (p props) strs(k string) []string   { return asStrs(p[k]) }
func (p props) ints(k string) []int      { return asInts(p[k]) }

func asStr(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case dbtype.Date:
		return v.Time().Format("2006-01-02")
	}
	return ""
}

func asBool(v any) bool { b, _ := v.(bool); return b }

func asIntp(v any) *int {
	switch v := v.(type) {
	case int64:
		n := int(v)
		return &n
	case float64:
		n := int(v)
		return &n
	}
	return nil
}

func asFloatp(v any) *float64 {
	switch v := v.(type) {
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	}
	return nil
}

func asStrs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func asInts(v any) []int {
	list, _ := v.([]any)
	out := make([]int, 0, len(list))
	for _, x := range list {
		if n, ok := x.(int64); ok {
			out = append(out, int(n))
		}
	}
	return out
}

// Str, Bool, Int, Ints and Strs read a stored property of the organisation
// by name, tolerating its absence: for a kind-specific property the struct
// has no field for (graph/model's Makers read them).
func (o Organisation) Str(k string) string    { return props(o.Props).str(k) }
func (o Organisation) Bool(k string) bool     { return props(o.Props).boolean(k) }
func (o Organisation) Int(k string) *int      { return props(o.Props).intp(k) }
func (o Organisation) Ints(k string) []int    { return props(o.Props).ints(k) }
func (o Organisation) Strs(k string) []string { return props(o.Props).strs(k) }
