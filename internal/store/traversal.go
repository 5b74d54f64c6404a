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

// Basis says which meaning of "belonging" a membership traversal follows.
type Basis string

const (
	// BasisGeography follows where organisations sit: practice → PCN →
	// sub-ICB location → ICS → region, Cancer Alliance, Clinical Senate;
	// trust headquarters → ICS; district → county.
	BasisGeography Basis = "GEOGRAPHY"
	// BasisPartnership starts with PARTNER_OF (a trust or council named in an
	// ICB's constitution) and then follows the ICS upwards by geography.
	BasisPartnership Basis = "PARTNERSHIP"
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

// geographyTypes are the relationships a geography membership climbs, each
// from the member towards the holder.
var geographyTypes = strings.Join([]string{
	RelMemberOf, RelInSubICBLocation, RelPartOf, RelInRegion,
	RelInCancerAlliance, RelInClinicalSenate, RelLocatedIn, RelWithin,
}, "|")

// icsUpTypes lead from an ICS to the areas above it.
var icsUpTypes = strings.Join([]string{RelInRegion, RelInCancerAlliance, RelInClinicalSenate}, "|")

// membershipFilter keeps a membership path honest: when the path passes
// through a sub-ICB location, the Cancer Alliance is reached from the sub-ICB
// location itself, not from its ICS: an ICS can lie in two alliances
// (Nottingham and Nottinghamshire, whose Bassetlaw sat in South Yorkshire and
// Bassetlaw), and its sub-ICB locations say exactly which. Organisations and
// relationships not holding on the date are pruned inside the patterns
// (heldOn), as the paths are expanded.
var membershipFilter = fmt.Sprintf(`
  NOT (any(r IN relationships(p) WHERE type(r) = '%s' AND startNode(r):%s)
       AND any(n IN nodes(p) WHERE n:%s))`, RelInCancerAlliance, LabelICS, LabelSubICBLocation)

// membershipPatterns are the path patterns from a member (m) up to its holder
// (h), by basis, each step held on the date. Bounds: the longest geography
// chain is practice → PCN → sub-ICB → ICS → Clinical Senate → region (5 hops).
var membershipPatterns = map[Basis]string{
	BasisGeography: fmt.Sprintf(`p = (m:%s)(()-[r:%s]->(x) WHERE %s AND %s){1,6}(h)`,
		LabelOrganisation, geographyTypes, heldOn("r"), heldOn("x")),
	BasisPartnership: fmt.Sprintf(`p = (m:%s)-[r0:%s]->(i:%s)(()-[r:%s]->(x) WHERE %s AND %s){0,2}(h)`,
		LabelOrganisation, RelPartnerOf, LabelICS, icsUpTypes, heldOn("r"), heldOn("x")),
}

// membershipHeld checks the ends a pattern's steps do not: the member, and
// for partnership the first hop.
var membershipHeld = map[Basis]string{
	BasisGeography:   heldOn("m"),
	BasisPartnership: heldOn("m") + " AND " + heldOn("r0") + " AND " + heldOn("i"),
}

// Members, their count and ancestors share the pattern and the filter, and
// keep the shortest path per member. Ties are broken by the code of the
// second organisation on the path (e.g. which of two ICSs an ambulance trust
// partners); in geography, where each organisation has one parent per
// relationship type on a date, shortest paths do not tie. (Ordering by every
// code on the path doubled the query's db hits.) The holder or start is the
// organisation FindOn found (its kind and code), in the pinned release.
const (
	cypherMembers = `
%[3]s
MATCH %[1]s
WHERE m.kind = $kind AND %[4]s AND %[2]s
WITH m, p ORDER BY length(p), nodes(p)[1].code
WITH m, head(collect(p)) AS p
WHERE $afterName IS NULL OR m.name > $afterName OR (m.name = $afterName AND m.code > $afterCode)
RETURN p ORDER BY m.name, m.code
LIMIT $limit`

	cypherMembersCount = `
%[3]s
MATCH %[1]s
WHERE m.kind = $kind AND %[4]s AND %[2]s
RETURN count(DISTINCT m)`

	cypherAncestors = `
%[3]s
MATCH %[1]s
WHERE %[4]s AND %[2]s
WITH h, p ORDER BY length(p), nodes(p)[1].code
WITH h, head(collect(p)) AS p
RETURN p ORDER BY length(p), h.kind, h.name, h.code`
)

// membershipQueries holds the Cypher for each basis, built once.
var membershipQueries = func() map[Basis][3]string {
	out := map[Basis][3]string{}
	for b, pattern := range membershipPatterns {
		out[b] = [3]string{
			fmt.Sprintf(cypherMembers, pattern, membershipFilter, startLookup("h", "code", "holderKind"), membershipHeld[b]),
			fmt.Sprintf(cypherMembersCount, pattern, membershipFilter, startLookup("h", "code", "holderKind"), membershipHeld[b]),
			fmt.Sprintf(cypherAncestors, pattern, membershipFilter, startLookup("m", "code", "startKind"), membershipHeld[b]),
		}
	}
	return out
}()

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
	qs, ok := membershipQueries[b]
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

// MaxPathHops bounds path searches; MaxNeighbourhoodDepth bounds neighbourhoods.
const (
	MaxPathHops           = 10
	MaxNeighbourhoodDepth = 3
)

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

// The shortest-path search checks each step as it goes, so a path through a
// relationship or organisation not held on the date, or through a kind not in
// $via, is never preferred over a longer acceptable one. The start is exempt
// from every check and the end from the kind check.
//
// It is Cypher's shortestPath/allShortestPaths, not a SHORTEST quantified path
// pattern. Both search from the two ends at once, and the all(...)
// predicates are universal ones that the planner evaluates during that
// search (the plan is one ShortestPath operator with no exhaustive fallback:
// TestPathPlan), so they find the same shortest paths. But they read very
// different amounts of the graph next to a hub: from a practice to its
// region (at ×100 the region has 500 ICSs) the quantified pattern read every
// relationship of the region, and its cost grew with the graph (17,434 db
// hits at ×100 against 3,194 at ×1), while shortestPath's search does not
// (3,608; bench/README.md, "path at ×100"). shortestPath refuses a start
// that is also the end, and a path from an organisation to itself is the
// empty one (the resolver's), hence a <> b.
var cypherPath = `
` + startLookup("a", "from", "fromKind") + startLookup("b", "to", "toKind") + `
WITH a, b WHERE a <> b
MATCH p = %s((a)-[*1..%d]-(b))
WHERE all(r IN relationships(p) WHERE ` + heldOn("r") + `)
  AND all(n IN nodes(p) WHERE n = a OR (` + heldOn("n") + ` AND (n = b OR $via IS NULL OR n.kind IN $via)))
RETURN p
ORDER BY [n IN nodes(p) | n.code], [r IN relationships(p) | type(r)]
LIMIT $limit`

// pathQueries[all][hops] is the path query for each bound, built once.
var pathQueries = func() [2][MaxPathHops + 1]string {
	var out [2][MaxPathHops + 1]string
	for hops := 1; hops <= MaxPathHops; hops++ {
		out[0][hops] = fmt.Sprintf(cypherPath, "shortestPath", hops)
		out[1][hops] = fmt.Sprintf(cypherPath, "allShortestPaths", hops)
	}
	return out
}()

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
	return s.paths(ctx, q, pathQueries[all][q.MaxHops])
}

// paths runs a path statement (one of pathQueries; tests also pass others)
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

// The nearest nodes are kept when the limit bites (then by name and code, so
// the cut is stable). Edges are every relationship between two kept nodes.
var (
	cypherNeighbours = `
` + startLookup("c", "code", "kind") + `
MATCH p = SHORTEST 1 (c) (()-[r]-(n) WHERE ` + heldOn("r") + ` AND ` + heldOn("n") + ` AND ($kinds IS NULL OR n.kind IN $kinds)){0,%d} (m)
RETURN m, length(p) AS depth, elementId(m) AS id, ` + heldOn("c") + ` AS centreHeld
ORDER BY depth, m.name, m.code
LIMIT $limit`

	cypherNeighbourEdges = `
UNWIND $ids AS id
MATCH (a) WHERE elementId(a) = id
MATCH (a)-[r]->(b) WHERE elementId(b) IN $ids AND ` + heldOn("r") + `
RETURN a.kind, a.code, r, b.kind, b.code
ORDER BY a.kind, a.code, type(r), b.kind, b.code, r.validFrom`
)

var neighbourQueries = func() [MaxNeighbourhoodDepth + 1]string {
	var out [MaxNeighbourhoodDepth + 1]string
	for d := 1; d <= MaxNeighbourhoodDepth; d++ {
		out[d] = fmt.Sprintf(cypherNeighbours, d)
	}
	return out
}()

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
		res, err := tx.Run(ctx, neighbourQueries[q.Depth], params)
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
		res, err = tx.Run(ctx, cypherNeighbourEdges, whenParams(ctx, q.When, map[string]any{"ids": ids}))
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

// startLookup binds v to the organisation a traversal starts from, inside
// the traversal's own statement (so the common case is one round trip):
// cypher.FindByCode by the code in $<codeParam>, of kind $<kindParam> when
// that is not null. FindOn is the same lookup on its own (with the
// former-code form), for answers that come back empty.
func startLookup(v, codeParam, kindParam string) string {
	return "\n" + cypher.FindByCode(v, codeParam, kindParam, "", false, "")
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

// A traversal start is found by cypher.FindByCode (current codes, then
// former ONS codes), returned with whether it held on the date.
var cypherStart = []string{findStart(false), findStart(true)}

func findStart(former bool) string {
	return cypher.FindByCode("n", "code", "kind", "", former, "") + "\nRETURN properties(n), n.validFrom, n.validTo, " + heldOn("n") + " AS held"
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
		for _, query := range cypherStart {
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
