package store

import (
	"context"

	"github.com/icsgraph/icsgraph/internal/cypher"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// System is a designated system with the dates it held as an organisation.
type System struct {
	Org                Organisation
	ValidFrom, ValidTo string
	// Population is the residents (mid-2015 small-area estimates, summed)
	// and PopulationYear the year of the estimates.
	Population, PopulationYear int
}

// Systems returns every designated integrated care system.
func (s *Store) Systems(ctx context.Context, announced bool) ([]System, error) {
	params := whenParams(ctx, When{IncludeAnnounced: announced}, nil)
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]System, error) {
		res, err := tx.Run(ctx, cypher.Systems, params)
		if err != nil {
			return nil, err
		}
		var out []System
		for res.Next(ctx) {
			v := res.Record().Values
			n, _ := v[0].(map[string]any)
			out = append(out, System{Org: decodeOrganisation(n), ValidFrom: str(v[1]), ValidTo: str(v[2]), Population: num(v[3]), PopulationYear: num(v[4])})
		}
		return out, res.Err()
	})
}
