package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/icsgraph/icsgraph/internal/coterminosity"
	"github.com/icsgraph/icsgraph/internal/cypher"
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

// AreaTable reads the fragment table held on asOf in one transaction (three
// queries).
func (s *Store) AreaTable(ctx context.Context, w When) (*AreaTable, error) {
	asOf := w.AsOf
	params := whenParams(ctx, When{AsOf: w.AsOf, IncludeAnnounced: w.IncludeAnnounced}, map[string]any{"county": cypher.CouncilTypeCounty})
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (*AreaTable, error) {
		t := &AreaTable{
			Table: coterminosity.Table{Above: map[string]map[coterminosity.Kind]string{}},
			AsOf:  asOf,
			Areas: map[coterminosity.Kind]map[string]Organisation{},
		}
		res, err := tx.Run(ctx, cypher.AreaFragments, params)
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

		if res, err = tx.Run(ctx, cypher.AreaAbove, params); err != nil {
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

		if res, err = tx.Run(ctx, cypher.AreaAreas, params); err != nil {
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
