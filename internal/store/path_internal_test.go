package store

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/icsgraph/icsgraph/internal/cypher"
)

// quantifiedPath is the path statement as it was before shortestPath (a
// SHORTEST quantified path pattern with the checks inside), kept as the
// reference the statement in use is compared with (path_test.go).
var quantifiedPath = `
` + cypher.StartLookup("a", "from", "fromKind") + cypher.StartLookup("b", "to", "toKind") + `
MATCH p = %s (a) (()-[r]-(n) WHERE ` + heldOn("r") + ` AND ` + heldOn("n") + ` AND (n = b OR $via IS NULL OR n.kind IN $via)){1,%d} (b)
RETURN p
ORDER BY [n IN nodes(p) | n.code], [r IN relationships(p) | type(r)]
LIMIT $limit`

// QuantifiedPaths answers q with the reference statement.
func (s *Store) QuantifiedPaths(ctx context.Context, q PathQuery) ([]Path, error) {
	selector := "SHORTEST 1"
	if q.All {
		selector = "ALL SHORTEST"
	}
	return s.paths(ctx, q, fmt.Sprintf(quantifiedPath, selector, q.MaxHops))
}

// PathPlanOperators EXPLAINs the statement Paths runs for q and returns the
// plan's operators, parents before children.
func (s *Store) PathPlanOperators(ctx context.Context, q PathQuery) ([]string, error) {
	all := 0
	if q.All {
		all = 1
	}
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]string, error) {
		res, err := tx.Run(ctx, "EXPLAIN "+cypher.Path[all][q.MaxHops], q.params(ctx, 1))
		if err != nil {
			return nil, err
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			return nil, err
		}
		var ops []string
		var walk func(p neo4j.Plan)
		walk = func(p neo4j.Plan) {
			ops = append(ops, p.Operator())
			for _, c := range p.Children() {
				walk(c)
			}
		}
		walk(sum.Plan())
		return ops, nil
	})
}
