package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/icsgraph/icsgraph/internal/cypher"
	"github.com/icsgraph/icsgraph/internal/export"
)

// Exports: the subgraphs the API can name (a neighbourhood, an
// organisation's members or ancestors, a path, the landscape of a set of
// kinds) as a generic export.Graph carrying every stored property. The
// traversals are the API's own (traversal.go); only the landscape has its
// own Cypher.
//
// Dates: ExportOptions.AsOf is the one place a date enters: the traversals
// and the landscape read what held on it (a fact holds on d when
// validFrom <= d < validTo), and an empty AsOf reads every version of every
// fact (the whole timeline, for GEXF's dynamic mode).

// ExportOptions are what every export takes.
type ExportOptions struct {
	AsOf     string // YYYY-MM-DD, validated by the caller; empty for every version (the whole timeline)
	MaxNodes int    // refuse (ErrExportTooLarge) a subgraph with more organisations
	// IncludeAnnounced counts facts held only by an announcement, and
	// official facts end on their announced end (the API's includeAnnounced).
	IncludeAnnounced bool
}

// ErrExportTooLarge says a subgraph exceeds the export's node limit.
type ErrExportTooLarge struct {
	What         string // e.g. "the landscape of PRACTICE"
	Nodes, Limit int
}

func (e ErrExportTooLarge) Error() string {
	return fmt.Sprintf("%s has %d organisations, more than the export limit of %d; ask for less", e.What, e.Nodes, e.Limit)
}

// when is the date the traversals read: AsOf, or with no AsOf everything
// that ever held.
func (o ExportOptions) when() When {
	if o.AsOf == "" {
		return When{AsOf: "9999-12-31", IncludeClosed: true, IncludeAnnounced: o.IncludeAnnounced}
	}
	return When{AsOf: o.AsOf, IncludeAnnounced: o.IncludeAnnounced}
}

// holdsOn is cypher.Holds for properties already read: with no date asked,
// everything (but facts held only by an announcement only when asked for).
func holdsOn(p map[string]any, o ExportOptions) bool {
	if o.AsOf == "" {
		announced, _ := p["announced"].(bool)
		return !announced || o.IncludeAnnounced
	}
	return cypher.Holds(p, When{AsOf: o.AsOf, IncludeAnnounced: o.IncludeAnnounced})
}

// NodeID is an organisation's id in exports: KIND:CODE.
func NodeID(k KindCode) string { return k.Kind + ":" + k.Code }

// graphBuilder collects nodes and edges once each, dropping those not
// holding on opts.AsOf and edges whose ends were dropped.
type graphBuilder struct {
	g     export.Graph
	opts  ExportOptions
	nodes map[string]bool
	edges map[string]bool
}

func newGraphBuilder(name string, opts ExportOptions) *graphBuilder {
	return &graphBuilder{g: export.Graph{Name: name, Description: name + ", exported from ICS Graph", AsOf: opts.AsOf}, opts: opts, nodes: map[string]bool{}, edges: map[string]bool{}}
}

func (b *graphBuilder) node(o Organisation) {
	id := NodeID(KindCode{Kind: o.Kind, Code: o.Code})
	if b.nodes[id] || !holdsOn(o.Props, b.opts) {
		return
	}
	b.nodes[id] = true
	b.g.Nodes = append(b.g.Nodes, export.NodeFromProps(id, o.Props))
}

// edge adds a relationship in its stored direction. Relationships of one
// type between the same two ends with the same validity appear once, as in
// the API's neighbourhood (e.g. a CCG's PART_OF its STP in 2020 and 2021).
func (b *graphBuilder) edge(from, to KindCode, e Edge) {
	src, dst := NodeID(from), NodeID(to)
	if !b.nodes[src] || !b.nodes[dst] || !holdsOn(e.Props, b.opts) {
		return
	}
	id := e.Type + ":" + src + "->" + dst
	if vf, _ := e.Props["validFrom"].(string); vf != "" {
		id += "@" + vf
	}
	if b.edges[id] {
		return
	}
	b.edges[id] = true
	b.g.Edges = append(b.g.Edges, export.EdgeFromProps(id, e.Type, src, dst, e.Props))
}

func (b *graphBuilder) paths(paths []Path) {
	for _, p := range paths {
		for _, n := range p.Nodes {
			b.node(n)
		}
	}
	for _, p := range paths {
		for i, st := range p.Steps {
			a, z := keyOfOrg(p.Nodes[i]), keyOfOrg(p.Nodes[i+1])
			if !st.Forward {
				a, z = z, a
			}
			b.edge(a, z, st.Edge)
		}
	}
}

func (b *graphBuilder) done() (export.Graph, error) {
	if b.opts.MaxNodes > 0 && len(b.g.Nodes) > b.opts.MaxNodes {
		return export.Graph{}, ErrExportTooLarge{What: b.g.Name, Nodes: len(b.g.Nodes), Limit: b.opts.MaxNodes}
	}
	b.g.Sort()
	return b.g, nil
}

func keyOfOrg(o Organisation) KindCode { return KindCode{Kind: o.Kind, Code: o.Code} }

// ExportNeighbourhood is the API's neighbourhood (same nodes, same edges),
// q.Limit bounding the nodes as there; truncated says the limit cut it.
func (s *Store) ExportNeighbourhood(ctx context.Context, q NeighbourhoodQuery, opts ExportOptions) (export.Graph, bool, error) {
	q.When = opts.when()
	nb, err := s.Neighbourhood(ctx, q)
	if err != nil {
		return export.Graph{}, false, err
	}
	b := newGraphBuilder(fmt.Sprintf("neighbourhood of %s %s, depth %d", q.Centre.Kind, q.Centre.Code, q.Depth), opts)
	for _, n := range nb.Nodes {
		b.node(n.Org)
	}
	for _, e := range nb.Edges {
		b.edge(e.From, e.To, e.Edge)
	}
	g, err := b.done()
	return g, nb.Truncated, err
}

// ExportMembers is every member of kind beneath holder with the paths that
// make them members (the holder, the members and the organisations between).
func (s *Store) ExportMembers(ctx context.Context, holder KindCode, kind string, basis Basis, opts ExportOptions) (export.Graph, error) {
	first := opts.MaxNodes
	if first <= 0 {
		first = 100000
	}
	paths, more, err := s.Members(ctx, MembersQuery{Holder: holder, Kind: kind, Basis: basis, First: first, When: opts.when()})
	if err != nil {
		return export.Graph{}, err
	}
	name := fmt.Sprintf("members of kind %s of %s %s (%s)", kind, holder.Kind, holder.Code, strings.ToLower(string(basis)))
	if more {
		n, err := s.MembersCount(ctx, MembersQuery{Holder: holder, Kind: kind, Basis: basis, When: opts.when()})
		if err != nil {
			return export.Graph{}, err
		}
		return export.Graph{}, ErrExportTooLarge{What: name, Nodes: n, Limit: opts.MaxNodes}
	}
	b := newGraphBuilder(name, opts)
	b.paths(paths)
	return b.done()
}

// ExportAncestors is the chain above org with the paths that make it.
func (s *Store) ExportAncestors(ctx context.Context, org KindCode, basis Basis, opts ExportOptions) (export.Graph, error) {
	paths, err := s.Ancestors(ctx, org, basis, opts.when())
	if err != nil {
		return export.Graph{}, err
	}
	b := newGraphBuilder(fmt.Sprintf("ancestors of %s %s (%s)", org.Kind, org.Code, strings.ToLower(string(basis))), opts)
	b.paths(paths)
	return b.done()
}

// ExportPaths is the shortest path(s) of q as one graph.
func (s *Store) ExportPaths(ctx context.Context, q PathQuery, opts ExportOptions) (export.Graph, error) {
	closed := q.IncludeClosed
	q.When = opts.when()
	q.IncludeClosed = q.IncludeClosed || closed
	paths, err := s.Paths(ctx, q)
	if err != nil {
		return export.Graph{}, err
	}
	b := newGraphBuilder(fmt.Sprintf("shortest paths from %s %s to %s %s", q.From.Kind, q.From.Code, q.To.Kind, q.To.Code), opts)
	b.paths(paths)
	return b.done()
}

// ExportLandscape is every organisation of the given kinds and every
// relationship among them, refused when over opts.MaxNodes.
func (s *Store) ExportLandscape(ctx context.Context, kinds []string, opts ExportOptions) (export.Graph, error) {
	params := whenParams(ctx, opts.when(), map[string]any{"kinds": kinds})
	name := "the landscape of " + strings.Join(kinds, ", ")
	b := newGraphBuilder(name, opts)
	_, err := read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, error) {
		n, err := count(ctx, tx, cypher.LandscapeCount, params)
		if err != nil {
			return struct{}{}, err
		}
		if opts.MaxNodes > 0 && int(n) > opts.MaxNodes {
			return struct{}{}, ErrExportTooLarge{What: name, Nodes: int(n), Limit: opts.MaxNodes}
		}
		res, err := tx.Run(ctx, cypher.LandscapeNodes, params)
		if err != nil {
			return struct{}{}, err
		}
		for res.Next(ctx) {
			p, _ := res.Record().Values[0].(map[string]any)
			b.node(decodeOrganisation(p))
		}
		if err := res.Err(); err != nil {
			return struct{}{}, err
		}
		res, err = tx.Run(ctx, cypher.LandscapeEdges, params)
		if err != nil {
			return struct{}{}, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			r, _ := v[3].(map[string]any)
			b.edge(KindCode{Kind: str(v[0]), Code: str(v[1])}, KindCode{Kind: str(v[4]), Code: str(v[5])}, decodeEdge(str(v[2]), r))
		}
		return struct{}{}, res.Err()
	})
	if err != nil {
		return export.Graph{}, err
	}
	return b.done()
}
