package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/icsgraph/icsgraph/internal/coterminosity"
)

// AreaTable is what coterminosity on a date is computed from: every council ×
// base-area fragment held on the date (council × CCG before July 2022, council
// × sub-ICB location since), the areas above each base area on that date
// (through PART_OF, IN_CANCER_ALLIANCE, IN_CLINICAL_SENATE and IN_REGION
// relationships held on the date), and the area organisations themselves (for
// answers). An ICS (or STP) is the union of the base areas PART_OF it on the
// date, so council × ICS shares are sums of measured fragments in every era;
// the derived Council → ICS OVERLAPS edges are not read.
//
// COUNCIL means the lower-tier and unitary councils (districts, unitaries,
// metropolitan and London boroughs) held on the date, which tile England
// (309 before 1 April 2023, 296 from then). County councils are left out:
// each is a union of its districts (WITHIN), so counting them too would count
// their people twice.
type AreaTable struct {
	coterminosity.Table
	// AsOf is the date the table describes.
	AsOf string
	// PopulationYear is the year of the population estimates the fragments
	// carry (0 if the data does not say); PopulationMeasure names the measure
	// (e.g. "residents2015") where the data does.
	PopulationYear    int
	PopulationMeasure string
	// Derived lists, once each, how fragments not measured directly in a
	// small-area lookup of their period were derived; DerivedFragments
	// counts them.
	Derived          []string
	DerivedFragments int
	// Areas holds the organisation of each area, by kind and code.
	Areas map[coterminosity.Kind]map[string]Organisation
}

var (
	queryFragments = fmt.Sprintf(`
MATCH (c:%s)-[o:%s]->(s:%s|%s)
WHERE coalesce(c.councilType, '') <> $county AND %s
  AND %s AND %s AND %s
RETURN c.code, s.kind, s.code, o.population, o.smallAreas, o.populationYear, o.populationMeasure, o.derived`,
		LabelCouncil, RelOverlaps, LabelSubICBLocation, LabelCCG, inRelease("c"),
		heldOn("c"), heldOn("o"), heldOn("s"))

	// Base area → Cancer Alliance directly: an ICS can straddle two. A
	// region is the ICS's (or STP's) where it has one, else the base area's
	// own (CCGs were in regions directly).
	queryAbove = fmt.Sprintf(`
MATCH (s:%[1]s|%[2]s) WHERE %[3]s AND %[4]s
OPTIONAL MATCH (s)-[p:%[5]s]->(i:%[6]s|%[7]s) WHERE %[8]s AND %[9]s
WITH s, head(collect(i)) AS i
RETURN s.code, i.kind, i.code,
  head([(s)-[x:%[10]s]->(a:%[11]s) WHERE %[12]s AND %[13]s | a.code]),
  head([(i)-[x:%[14]s]->(a:%[15]s) WHERE %[12]s AND %[13]s | a.code]),
  coalesce(head([(i)-[x:%[16]s]->(a:%[17]s) WHERE %[12]s AND %[13]s | a.code]),
           head([(s)-[x:%[16]s]->(a:%[17]s) WHERE %[12]s AND %[13]s | a.code]))`,
		LabelSubICBLocation, LabelCCG, inRelease("s"), heldOn("s"),
		RelPartOf, LabelICS, LabelSTP, heldOn("p"), heldOn("i"),
		RelInCancerAlliance, LabelCancerAlliance, heldOn("x"), heldOn("a"),
		RelInClinicalSenate, LabelClinicalSenate, RelInRegion, LabelRegion)

	queryAreas = fmt.Sprintf(`
MATCH (n:%s|%s|%s|%s|%s|%s|%s|%s)
WHERE coalesce(n.councilType, '') <> $county AND %s AND %s
RETURN properties(n)`,
		LabelCouncil, LabelSubICBLocation, LabelCCG, LabelICS, LabelSTP,
		LabelCancerAlliance, LabelClinicalSenate, LabelRegion, inRelease("n"), heldOn("n"))
)

// councilTypeCounty is the councilType of county councils.
const councilTypeCounty = "COUNTY"

// AreaTable reads the fragment table held on asOf in one transaction (three
// queries).
func (s *Store) AreaTable(ctx context.Context, w When) (*AreaTable, error) {
	asOf := w.AsOf
	params := whenParams(ctx, When{AsOf: w.AsOf, IncludeAnnounced: w.IncludeAnnounced}, map[string]any{"county": councilTypeCounty})
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (*AreaTable, error) {
		t := &AreaTable{
			Table: coterminosity.Table{Above: map[string]map[coterminosity.Kind]string{}},
			AsOf:  asOf,
			Areas: map[coterminosity.Kind]map[string]Organisation{},
		}
		res, err := tx.Run(ctx, queryFragments, params)
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			t.Fragments = append(t.Fragments, coterminosity.Fragment{
				Council: str(v[0]), Base: coterminosity.Kind(str(v[1])), SubICB: str(v[2]),
				Population: num(v[3]), SmallAreas: num(v[4]),
			})
			t.PopulationYear = max(t.PopulationYear, num(v[5]))
			if m := str(v[6]); m != "" {
				t.PopulationMeasure = m
			}
			if d := str(v[7]); d != "" {
				t.DerivedFragments++
				if !slices.Contains(t.Derived, d) {
					t.Derived = append(t.Derived, d)
				}
			}
		}
		if err := res.Err(); err != nil {
			return nil, err
		}

		if res, err = tx.Run(ctx, queryAbove, params); err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			above := map[coterminosity.Kind]string{
				coterminosity.CancerAlliance: str(v[3]),
				coterminosity.ClinicalSenate: str(v[4]),
				coterminosity.Region:         str(v[5]),
			}
			if k := str(v[1]); k != "" {
				above[coterminosity.Kind(k)] = str(v[2])
			}
			t.Above[str(v[0])] = above
		}
		if err := res.Err(); err != nil {
			return nil, err
		}

		if res, err = tx.Run(ctx, queryAreas, params); err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			n, _ := res.Record().Values[0].(map[string]any)
			o := decodeOrganisation(n)
			k := coterminosity.Kind(o.Kind) // the kind values are the same
			if t.Areas[k] == nil {
				t.Areas[k] = map[string]Organisation{}
			}
			t.Areas[k][o.Code] = o
		}
		if t.PopulationMeasure == "" && t.PopulationYear > 0 {
			t.PopulationMeasure = fmt.Sprintf("residents%d", t.PopulationYear)
		}
		if t.PopulationYear == 0 {
			// "residents2015" names its year
			var y int
			if _, err := fmt.Sscanf(t.PopulationMeasure, "residents%d", &y); err == nil {
				t.PopulationYear = y
			}
		}
		return t, res.Err()
	})
}

func num(v any) int {
	switch n := v.(type) {
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}
