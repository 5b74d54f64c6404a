package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/icsgraph/icsgraph/internal/cypher"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Traversals: membership at any depth (members, ancestors), shortest paths
// and neighbourhoods. Every relationship type in the Cypher below comes from
// the constants in schema.go; the only numbers written into Cypher text are
// path-length bounds, which Cypher cannot take as parameters, checked against
// fixed ranges before use.

// Basis says which meaning of "belonging" a membership traversal follows
// (cypher.Basis).
type Basis = cypher.Basis

// The membership bases.
const (
	BasisGeography   = cypher.BasisGeography
	BasisPartnership = cypher.BasisPartnership
)

// MaxPathHops bounds path searches; MaxNeighbourhoodDepth bounds neighbourhoods.
const (
	MaxPathHops           = cypher.MaxPathHops
	MaxNeighbourhoodDepth = cypher.MaxNeighbourhoodDepth
)

// Step is one hop of a path: the relationship, and whether the hop follows
// its stored direction (Forward) or goes against it.
type Step struct {
	Edge    Edge
	Forward bool
}

// Path is a walk through the graph: Steps[i] leads from Nodes[i] to Nodes[i+1].
type Path struct {
	Nodes []Organisation
	Steps []Step
}

// Len is the number of hops.
func (p Path) Len() int { return len(p.Steps) }

// decodePath reads a driver path, noting for each hop whether it runs along
// the relationship's stored direction.
func decodePath(p dbtype.Path) Path {
	out := Path{Nodes: make([]Organisation, len(p.Nodes)), Steps: make([]Step, len(p.Relationships))}
	for i, n := range p.Nodes {
		out.Nodes[i] = decodeOrganisation(n.Props)
	}
	for i, r := range p.Relationships {
		out.Steps[i] = Step{Edge: decodeEdge(r.Type, r.Props), Forward: r.StartElementId == p.Nodes[i].ElementId}
	}
	return out
}

// MembersQuery asks for the organisations of Kind beneath Holder, in name
// order, First of them after the keyset position After (Key is the name).
type MembersQuery struct {
	When
	Holder KindCode
	Kind   string
	Basis  Basis
	First  int
	After  *Cursor
}

func (q MembersQuery) params(ctx context.Context) map[string]any {
	p := whenParams(ctx, q.When, map[string]any{
		"code": q.Holder.Code, "holderKind": orNil(q.Holder.Kind), "kind": q.Kind,
		"afterName": nil, "afterCode": nil, "limit": int64(q.First + 1),
	})
	if q.After != nil {
		p["afterName"], p["afterCode"] = q.After.Key, q.After.Code
	}
	return p
}

func queriesFor(b Basis) ([3]string, error) {
	qs, ok := cypher.Membership[b]
	if !ok {
		return qs, fmt.Errorf("store: unknown membership basis %q", b)
	}
	return qs, nil
}

// Members returns one page of members, each as its shortest path from the
// member (Nodes[0]) up to the holder, and whether more follow.
func (s *Store) Members(ctx context.Context, q MembersQuery) ([]Path, bool, error) {
	qs, err := queriesFor(q.Basis)
	if err != nil {
		return nil, false, err
	}
	paths, err := read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]Path, error) {
		return collectPaths(ctx, tx, qs[0], q.params(ctx))
	})
	if err != nil {
		return nil, false, err
	}
	if len(paths) > q.First {
		return paths[:q.First], true, nil
	}
	return paths, false, nil
}

// MembersCount counts every member, ignoring paging.
func (s *Store) MembersCount(ctx context.Context, q MembersQuery) (int, error) {
	qs, err := queriesFor(q.Basis)
	if err != nil {
		return 0, err
	}
	n, err := read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (int64, error) {
		return count(ctx, tx, qs[1], q.params(ctx))
	})
	return int(n), err
}

// Ancestors returns every organisation above org on the date, each as its
// shortest path from org (Nodes[0]) up to it, nearest first.
func (s *Store) Ancestors(ctx context.Context, org KindCode, basis Basis, w When) ([]Path, error) {
	qs, err := queriesFor(basis)
	if err != nil {
		return nil, err
	}
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]Path, error) {
		return collectPaths(ctx, tx, qs[2], whenParams(ctx, w, map[string]any{"code": org.Code, "startKind": orNil(org.Kind)}))
	})
}

// collectPaths runs a query whose first column is a path.
func collectPaths(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) ([]Path, error) {
	res, err := tx.Run(ctx, query, params)
	if err != nil {
		return nil, err
	}
	var out []Path
	for res.Next(ctx) {
		p, _ := res.Record().Values[0].(dbtype.Path)
		out = append(out, decodePath(p))
	}
	return out, res.Err()
}

// PathQuery asks for the shortest path(s) between two organisations.
type PathQuery struct {
	When     // IncludeClosed also lets STPs, CCGs and every closed organisation into the middle
	From, To KindCode
	MaxHops  int      // 1..MaxPathHops
	Via      []string // kinds the intermediate organisations must have; empty for any
	All      bool     // every shortest path (up to MaxPaths), not just one
}

// MaxPaths caps the answer of an all-shortest-paths search: between two
// trusts in different regions there can be over a thousand shortest paths.
// The first MaxPaths in order of the codes along them are returned.
const MaxPaths = 100

// Paths finds the shortest path(s) from q.From to q.To; none when they are
// further apart than q.MaxHops or not connected.
func (s *Store) Paths(ctx context.Context, q PathQuery) ([]Path, error) {
	if q.MaxHops < 1 || q.MaxHops > MaxPathHops {
		return nil, fmt.Errorf("store: path length bound %d outside 1..%d", q.MaxHops, MaxPathHops)
	}
	all := 0
	if q.All {
		all = 1
	}
	return s.paths(ctx, q, cypher.Path[all][q.MaxHops])
}

// paths runs a path statement (one of cypher.Path; tests also pass others)
// with q's parameters.
func (s *Store) paths(ctx context.Context, q PathQuery, statement string) ([]Path, error) {
	limit := int64(1)
	if q.All {
		limit = MaxPaths
	}
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]Path, error) {
		return collectPaths(ctx, tx, statement, q.params(ctx, limit))
	})
}

func (q PathQuery) params(ctx context.Context, limit int64) map[string]any {
	params := whenParams(ctx, q.When, map[string]any{
		"from": q.From.Code, "fromKind": orNil(q.From.Kind), "to": q.To.Code, "toKind": orNil(q.To.Kind),
		"via": nil, "limit": limit,
	})
	if len(q.Via) > 0 {
		params["via"] = q.Via
	}
	return params
}

// NeighbourhoodQuery asks for the subgraph within Depth hops of Centre.
type NeighbourhoodQuery struct {
	When
	Centre KindCode
	Depth  int      // 1..MaxNeighbourhoodDepth
	Kinds  []string // only through organisations of these kinds; empty for any
	Limit  int      // at most this many nodes (the centre included)
}

// NeighbourNode is an organisation of a neighbourhood and its distance from
// the centre.
type NeighbourNode struct {
	Org   Organisation
	Depth int
}

// NeighbourEdge is a relationship between two nodes of a neighbourhood, in
// its stored direction.
type NeighbourEdge struct {
	From, To KindCode
	Edge     Edge
}

// Neighbourhood is a subgraph; Truncated says the node limit cut it short.
type Neighbourhood struct {
	Nodes     []NeighbourNode
	Edges     []NeighbourEdge
	Truncated bool
	// CentreHeld says the centre (Nodes[0]) held on the date; a centre that
	// did not has only itself as neighbourhood.
	CentreHeld bool
}

// Neighbourhood returns the organisations within q.Depth hops of the centre
// (the centre at depth 0) and the relationships between them.
func (s *Store) Neighbourhood(ctx context.Context, q NeighbourhoodQuery) (Neighbourhood, error) {
	if q.Depth < 1 || q.Depth > MaxNeighbourhoodDepth {
		return Neighbourhood{}, fmt.Errorf("store: neighbourhood depth %d outside 1..%d", q.Depth, MaxNeighbourhoodDepth)
	}
	params := whenParams(ctx, q.When, map[string]any{"code": q.Centre.Code, "kind": orNil(q.Centre.Kind), "kinds": nil, "limit": int64(q.Limit + 1)})
	if len(q.Kinds) > 0 {
		params["kinds"] = q.Kinds
	}
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (Neighbourhood, error) {
		var out Neighbourhood
		res, err := tx.Run(ctx, cypher.Neighbourhood[q.Depth], params)
		if err != nil {
			return out, err
		}
		var ids []string
		for res.Next(ctx) {
			v := res.Record().Values
			n, _ := v[0].(dbtype.Node)
			d, _ := v[1].(int64)
			id, _ := v[2].(string)
			out.CentreHeld, _ = v[3].(bool)
			out.Nodes = append(out.Nodes, NeighbourNode{Org: decodeOrganisation(n.Props), Depth: int(d)})
			ids = append(ids, id)
		}
		if err := res.Err(); err != nil {
			return out, err
		}
		if len(out.Nodes) > q.Limit {
			out.Nodes, ids, out.Truncated = out.Nodes[:q.Limit], ids[:q.Limit], true
		}
		if len(ids) == 0 {
			return out, nil
		}
		res, err = tx.Run(ctx, cypher.NeighbourEdges, whenParams(ctx, q.When, map[string]any{"ids": ids}))
		if err != nil {
			return out, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			r, _ := v[2].(dbtype.Relationship)
			out.Edges = append(out.Edges, NeighbourEdge{
				From: KindCode{Kind: str(v[0]), Code: str(v[1])},
				To:   KindCode{Kind: str(v[3]), Code: str(v[4])},
				Edge: decodeEdge(r.Type, r.Props),
			})
		}
		return out, res.Err()
	})
}

func str(v any) string { s, _ := v.(string); return s }

// orNil is s, or nil (a Cypher null) when empty.
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Start is the organisation a traversal or history read starts from, with
// the dates it held.
type Start struct {
	Org Organisation
	// ValidFrom and ValidTo are the organisation's dates (empty where the
	// graph has none); Held says it held on the date asked about.
	ValidFrom, ValidTo string
	Held               bool
}

// FindOn finds the organisation a traversal starts from (kind may be empty
// for any); ErrNotFound when no organisation has the code. The second
// statement (a scan of ONS code lists) runs only when the indexes find
// nothing held on the date: a code can be one organisation's newest ONS code
// and another's former one (an STP's, kept by its ICS).
func (s *Store) FindOn(ctx context.Context, code, kind string, w When) (Start, error) {
	params := whenParams(ctx, w, map[string]any{"code": strings.ToUpper(strings.TrimSpace(code)), "kind": nil})
	if kind != "" {
		params["kind"] = kind
	}
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (Start, error) {
		var found *Start
		for _, query := range cypher.Start {
			res, err := tx.Run(ctx, query, params)
			if err != nil {
				return Start{}, err
			}
			if res.Next(ctx) {
				v := res.Record().Values
				n, _ := v[0].(map[string]any)
				held, _ := v[3].(bool)
				st := Start{Org: decodeOrganisation(n), ValidFrom: str(v[1]), ValidTo: str(v[2]), Held: held}
				if held {
					return st, nil
				}
				if found == nil {
					found = &st
				}
			}
			if err := res.Err(); err != nil {
				return Start{}, err
			}
		}
		if found == nil {
			return Start{}, ErrNotFound
		}
		return *found, nil
	})
}
