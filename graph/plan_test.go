package graph_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"

	wl "github.com/icsgraph/icsgraph/bench/workload"
	"github.com/icsgraph/icsgraph/internal/store"
)

// TestWorkloadPlans EXPLAINs the statement the compiler builds for each
// workload query of the benchmark (bench/workload) and fails when it enters
// the graph by scanning: an AllNodesScan anywhere, or a NodeByLabelScan
// other than the one a query needs by nature (every region is the answer of
// the nested query, so no index narrows it). With -v it logs the
// PROFILE of each statement (rows and db hits per operator), as pasted into
// bench/README.md.
func TestWorkloadPlans(t *testing.T) {
	a := newAPI(t)
	// The indexes the statements rely on (idempotent; a database seeded
	// before an index was added gets it here).
	if err := a.store.EnsureSchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The label scan inherent to a query: "every region".
	allowed := map[string]string{"nested": "Region"}
	for _, q := range wl.Workload() {
		t.Run(q.Name, func(t *testing.T) {
			var mu sync.Mutex
			type stmt struct {
				query  string
				params map[string]any
			}
			var seen []stmt
			a.store.Observe(func(query string, params map[string]any) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, stmt{query, params})
			})
			defer a.store.Observe(nil)
			var opts []client.Option
			for k, v := range q.Vars {
				if k != "lucene" {
					opts = append(opts, client.Var(k, v))
				}
			}
			a.query(q.Ours, nil, opts...)
			a.store.Observe(nil)
			if len(seen) != 1 {
				t.Fatalf("%d compiled statements, want 1", len(seen))
			}
			s := seen[0]
			// Both the plan and the profile of what ran: no scan of every
			// node or of a label at the entry point.
			plan, err := a.store.Plan(context.Background(), s.query, s.params, false)
			if err != nil {
				t.Fatal(err)
			}
			prof, err := a.store.Plan(context.Background(), s.query, s.params, true)
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range append(flatten(plan, 0), flatten(prof, 0)...) {
				switch {
				case strings.HasPrefix(op.Operator, "AllNodesScan"):
					t.Errorf("AllNodesScan in the plan: %s", op.Details)
				case strings.HasPrefix(op.Operator, "NodeByLabelScan"):
					if label := allowed[q.Name]; label == "" || !strings.Contains(op.Details, ":"+label) {
						t.Errorf("label scan %s in the plan of %s", op.Details, q.Name)
					}
				}
			}
			var b strings.Builder
			var total int64
			fmt.Fprintf(&b, "PROFILE of %s:\n| operator | details | rows | db hits |\n|---|---|--:|--:|\n", q.Name)
			for _, op := range flatten(prof, 0) {
				total += op.DBHits
				d := strings.Join(strings.Fields(op.Details), " ")
				if len(d) > 90 {
					d = d[:87] + "..."
				}
				fmt.Fprintf(&b, "| %s%s | `%s` | %d | %d |\n", strings.Repeat("·", op.depth), op.Operator, strings.ReplaceAll(d, "|", "\\|"), op.Rows, op.DBHits)
			}
			fmt.Fprintf(&b, "| total | | | %d |\n", total)
			t.Log("\n" + b.String())
		})
	}
}

type flatOp struct {
	store.PlanNode
	depth int
}

func flatten(n store.PlanNode, depth int) []flatOp {
	out := []flatOp{{n, depth}}
	for _, c := range n.Children {
		out = append(out, flatten(c, depth+1)...)
	}
	return out
}
