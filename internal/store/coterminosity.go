package store

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/icsgraph/icsgraph/internal/coterminosity"
)

// AreaTable is what coterminosity is computed from: every council ×
// sub-ICB location fragment, the areas above each sub-ICB location, and the
// area organisations themselves (for answers).
//
// COUNCIL means the 309 lower-tier and unitary councils (districts,
// unitaries, metropolitan and London boroughs), which tile England. County
// councils are left out: each is a union of its districts (WITHIN), so
// counting them too would count their people twice.
type AreaTable struct {
	coterminosity.Table
	// PopulationYear is the year of the population estimates the fragments
	// carry (0 if the data does not say).
	PopulationYear int
	// Areas holds the organisation of each area, by kind and code.
	Areas map[coterminosity.Kind]map[string]Organisation
}

const (
	cypherFragments = `
MATCH (c:%s)-[o:%s]->(s:%s)
WHERE %s AND NOT c.historic AND NOT s.historic AND coalesce(c.councilType, '') <> $county
RETURN c.code, s.code, o.population, o.smallAreas, o.populationYear`

	// Sub-ICB location → Cancer Alliance directly: an ICS can straddle two.
	cypherAbove = `
MATCH (s:%[1]s)-[:%[2]s]->(i:%[3]s)
WHERE %[10]s AND NOT s.historic
OPTIONAL MATCH (s)-[:%[4]s]->(ca:%[5]s)
OPTIONAL MATCH (i)-[:%[6]s]->(cs:%[7]s)
OPTIONAL MATCH (i)-[:%[8]s]->(r:%[9]s)
RETURN s.code, i.code, ca.code, cs.code, r.code`

	cypherAreas = `
MATCH (n:%s|%s|%s|%s|%s|%s)
WHERE %s AND NOT n.historic AND coalesce(n.councilType, '') <> $county
RETURN n`
)

var (
	queryFragments = fmt.Sprintf(cypherFragments, LabelCouncil, RelOverlaps, LabelSubICBLocation, inRelease("c"))
	queryAbove     = fmt.Sprintf(cypherAbove, LabelSubICBLocation, RelPartOf, LabelICS,
		RelInCancerAlliance, LabelCancerAlliance, RelInClinicalSenate, LabelClinicalSenate, RelInRegion, LabelRegion, inRelease("s"))
	queryAreas = fmt.Sprintf(cypherAreas, LabelCouncil, LabelSubICBLocation, LabelICS,
		LabelCancerAlliance, LabelClinicalSenate, LabelRegion, inRelease("n"))
)

// councilTypeCounty is the councilType of county councils.
const councilTypeCounty = "COUNTY"

// AreaTable reads the fragment table in one transaction (three queries).
func (s *Store) AreaTable(ctx context.Context) (*AreaTable, error) {
	params := releaseParams(ctx, map[string]any{"county": councilTypeCounty})
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (*AreaTable, error) {
		t := &AreaTable{
			Table: coterminosity.Table{Above: map[string]map[coterminosity.Kind]string{}},
			Areas: map[coterminosity.Kind]map[string]Organisation{},
		}
		res, err := tx.Run(ctx, queryFragments, params)
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			t.Fragments = append(t.Fragments, coterminosity.Fragment{
				Council: str(v[0]), SubICB: str(v[1]), Population: num(v[2]), SmallAreas: num(v[3]),
			})
			t.PopulationYear = max(t.PopulationYear, num(v[4]))
		}
		if err := res.Err(); err != nil {
			return nil, err
		}

		if res, err = tx.Run(ctx, queryAbove, params); err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			t.Above[str(v[0])] = map[coterminosity.Kind]string{
				coterminosity.ICS:            str(v[1]),
				coterminosity.CancerAlliance: str(v[2]),
				coterminosity.ClinicalSenate: str(v[3]),
				coterminosity.Region:         str(v[4]),
			}
		}
		if err := res.Err(); err != nil {
			return nil, err
		}

		if res, err = tx.Run(ctx, queryAreas, params); err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			n, _ := res.Record().Values[0].(dbtype.Node)
			o := decodeOrganisation(n.Props)
			k := coterminosity.Kind(o.Kind) // the kind values are the same
			if t.Areas[k] == nil {
				t.Areas[k] = map[string]Organisation{}
			}
			t.Areas[k][o.Code] = o
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
