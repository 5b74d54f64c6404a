package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// TestPathsMatchQuantifiedPattern compares the path search (shortestPath)
// with the statement it replaced (a SHORTEST quantified path pattern, kept
// in path_internal_test.go) on pairs of organisations drawn from
// seed/data (read by internal/dataset), on several dates, with and without closed
// organisations, via filters and length bounds: the same shortest length,
// the same set of all shortest paths, and the one shortest path among them.
func TestPathsMatchQuantifiedPattern(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	if rel, err := s.CurrentRelease(ctx); err == nil {
		ctx = store.WithRelease(ctx, rel.ID)
	}
	type org struct{ kind, code string }
	var orgs []org
	data, err := dataset.Read(filepath.Join("..", "..", "seed", "data"))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range data.Orgs {
		orgs = append(orgs, org{o.Kind, o.Code})
	}
	// Fixed pairs (the benchmark's, its reverse, trusts in two regions, an
	// ICB by its ONS and its ODS code), then pairs drawn with a fixed seed.
	pairs := [][2]org{
		{{"PRACTICE", "H85001"}, {"REGION", "Y56"}},
		{{"REGION", "Y56"}, {"PRACTICE", "H85001"}},
		{{"TRUST", "RVJ"}, {"TRUST", "RAL"}},
		{{"ICS", "E54000031"}, {"ICS", "QWE"}},
	}
	rng := rand.New(rand.NewPCG(11, 100))
	for len(pairs) < 13 {
		a, b := orgs[rng.IntN(len(orgs))], orgs[rng.IntN(len(orgs))]
		if a != b {
			pairs = append(pairs, [2]org{a, b})
		}
	}
	// Most such pairs are further apart than maxHops; more pairs at most six
	// hops apart on the newest date: from a drawn organisation, a far one of
	// its neighbourhood, and a far one of that one's.
	far := func(code string) (org, bool) {
		nb, err := s.Neighbourhood(ctx, store.NeighbourhoodQuery{When: store.When{AsOf: store.DefaultDataTo},
			Centre: store.KindCode{Code: code}, Depth: 3, Limit: 300})
		if err != nil {
			t.Fatal(err)
		}
		var out []org
		for _, n := range nb.Nodes {
			if n.Depth >= 2 {
				out = append(out, org{n.Org.Kind, n.Org.Code})
			}
		}
		if len(out) == 0 {
			return org{}, false
		}
		return out[rng.IntN(len(out))], true
	}
	for len(pairs) < 40 {
		a := orgs[rng.IntN(len(orgs))]
		c, ok := far(a.code)
		if !ok {
			continue
		}
		if b, ok := far(c.code); ok && b != a {
			pairs = append(pairs, [2]org{a, b})
		}
	}
	cases := []struct {
		name string
		w    store.When
		via  []string
		hops int
	}{
		{"newest", store.When{AsOf: store.DefaultDataTo}, nil, 6},
		{"2019 (STPs and CCGs)", store.When{AsOf: "2019-06-01"}, nil, 6},
		{"2015, 5 hops", store.When{AsOf: "2015-04-01"}, nil, 5},
		{"2023 with the closed", store.When{AsOf: "2023-01-01", IncludeClosed: true}, nil, 6},
		{"2026-03-31 via ICS, trust, region", store.When{AsOf: "2026-03-31"}, []string{"ICS", "TRUST", "REGION"}, 10},
		{"newest via PCN, sub-ICB, ICS", store.When{AsOf: store.DefaultDataTo}, []string{"PCN", "SUB_ICB_LOCATION", "ICS"}, 8},
	}
	found, same := 0, 0
	for i, p := range pairs {
		for _, c := range cases {
			q := store.PathQuery{When: c.w, MaxHops: c.hops, Via: c.via,
				From: store.KindCode{Code: p[0].code}, To: store.KindCode{Code: p[1].code}}
			if i%2 == 1 { // with the kinds, as a typed lookup sends them
				q.From.Kind, q.To.Kind = p[0].kind, p[1].kind
			}
			name := fmt.Sprintf("%s-%s/%s", p[0].code, p[1].code, c.name)
			q.All = true
			oldAll, err := s.QuantifiedPaths(ctx, q)
			if err != nil {
				t.Fatalf("%s: reference: %v", name, err)
			}
			newAll, err := s.Paths(ctx, q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			q.All = false
			oldOne, err := s.QuantifiedPaths(ctx, q)
			if err != nil {
				t.Fatalf("%s: reference: %v", name, err)
			}
			newOne, err := s.Paths(ctx, q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(oldOne) == 1 && cycle(oldOne[0]) {
				// The two codes name one organisation: the reference found a
				// cycle through it (which the driver hands over with each
				// node once, so it decoded wrongly); the search now finds
				// nothing, and the resolver answers with the empty path.
				if len(newOne) != 0 || len(newAll) != 0 {
					t.Errorf("%s: a path from an organisation to itself: %v", name, keys(newOne, false))
				}
				same++
				continue
			}
			if len(newOne) != len(oldOne) || len(newAll) != len(oldAll) {
				t.Errorf("%s: %d path(s) and %d shortest, want %d and %d (%v, %v)", name,
					len(newOne), len(newAll), len(oldOne), len(oldAll), keys(newOne, false), keys(oldOne, false))
				continue
			}
			if len(oldOne) == 0 {
				continue
			}
			found++
			if newOne[0].Len() != oldOne[0].Len() {
				t.Errorf("%s: length %d, want %d", name, newOne[0].Len(), oldOne[0].Len())
			}
			// Below MaxPaths both answers are every shortest path; at the cap,
			// the first MaxPaths in code order (ties between parallel
			// relationships of different dates may be cut differently).
			whole := len(oldAll) < store.MaxPaths
			if got, want := keys(newAll, whole), keys(oldAll, whole); !slices.Equal(got, want) {
				t.Errorf("%s: all shortest paths differ:\n got %v\nwant %v", name, got, want)
			}
			if whole && !slices.Contains(keys(oldAll, true), keys(newOne, true)[0]) {
				t.Errorf("%s: %v is not one of the shortest paths %v", name, keys(newOne, true), keys(oldAll, true))
			}
		}
	}
	if found < len(pairs) {
		t.Errorf("only %d of %d searches found a path: the pairs test too little", found, len(pairs)*len(cases))
	}
	if same == 0 {
		t.Error("no pair named one organisation twice (E54000031 is QWE's ONS code)")
	}
	t.Logf("%d pairs × %d settings, %d with a path, %d from an organisation to itself", len(pairs), len(cases), found, same)
}

// TestPathPlan: the checks are evaluated during the bidirectional search
// (one ShortestPath operator); a plan with an exhaustive fallback
// (VarLengthExpand after the search) would enumerate every path up to
// maxHops when the search finds none.
func TestPathPlan(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	for _, all := range []bool{false, true} {
		for _, via := range [][]string{nil, {"ICS"}} {
			q := store.PathQuery{When: store.When{AsOf: store.DefaultDataTo}, MaxHops: store.MaxPathHops, All: all, Via: via,
				From: store.KindCode{Code: "H85001"}, To: store.KindCode{Code: "Y56"}}
			t.Run(fmt.Sprintf("all=%v via=%v", all, via), func(t *testing.T) {
				ops, err := s.PathPlanOperators(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, op := range ops {
					name, _, _ := strings.Cut(op, "@")
					switch name {
					case "ShortestPath":
						n++
					case "VarLengthExpand(Into)", "VarLengthExpand(All)", "VarLengthExpand(Pruning)", "AntiConditionalApply", "StatefulShortestPath(Into)", "StatefulShortestPath(All)":
						t.Errorf("plan has %s: %v", op, ops)
					}
				}
				if n != 1 {
					t.Errorf("want one ShortestPath operator, plan %v", ops)
				}
			})
		}
	}
}

// cycle says p ends where it starts.
func cycle(p store.Path) bool {
	if len(p.Nodes) != len(p.Steps)+1 {
		return true
	}
	a, b := p.Nodes[0], p.Nodes[len(p.Nodes)-1]
	return a.Kind == b.Kind && a.Code == b.Code
}

// keys writes each path as its organisations and hops (with the hops' dates
// when dated), sorted.
func keys(ps []store.Path, dated bool) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		if cycle(p) {
			out[i] = fmt.Sprintf("a cycle of %d hops through %s", p.Len(), p.Nodes[0].Code)
			continue
		}
		var b strings.Builder
		b.WriteString(p.Nodes[0].Kind + ":" + p.Nodes[0].Code)
		for j, st := range p.Steps {
			arrow := "<-"
			if st.Forward {
				arrow = "->"
			}
			fmt.Fprintf(&b, " %s%s", arrow, st.Edge.Type)
			if dated {
				fmt.Fprintf(&b, "[%s,%s]", st.Edge.ValidFrom, st.Edge.ValidTo)
			}
			b.WriteString(" " + p.Nodes[j+1].Kind + ":" + p.Nodes[j+1].Code)
		}
		out[i] = b.String()
	}
	slices.Sort(out)
	return out
}
