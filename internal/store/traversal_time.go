package store

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

const cypherSystems = `
MATCH (n:%s) WHERE NOT n.historic AND %s
RETURN n ORDER BY n.code`

var querySystems = fmt.Sprintf(cypherSystems, LabelICS, inRelease("n"))

// Systems returns every (current) integrated care system, by code, with its
// designation and population.
func (s *Store) Systems(ctx context.Context) ([]Organisation, error) {
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]Organisation, error) {
		res, err := tx.Run(ctx, querySystems, releaseParams(ctx, nil))
		if err != nil {
			return nil, err
		}
		var out []Organisation
		for res.Next(ctx) {
			n, _ := res.Record().Values[0].(dbtype.Node)
			out = append(out, decodeOrganisation(n.Props))
		}
		return out, res.Err()
	})
}
