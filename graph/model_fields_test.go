package graph_test

import (
	"fmt"
	"strings"
	"testing"

	decl "github.com/icsgraph/icsgraph/internal/model"
)

// TestEveryDeclaredFieldAnswers asks, for every kind, organisations for
// every relationship field the model declares on its type, in one compiled
// statement, and again below a traversal answer that no statement prefetches
// (the loaders' declared hops): a declaration without a working resolver
// (gqlgen's "not implemented" stub) or a statement Neo4j rejects fails here,
// naming the type.
func TestEveryDeclaredFieldAnswers(t *testing.T) {
	a := newAPI(t)
	selection := func(typeName string) string {
		var sel []string
		for _, f := range decl.FieldsOf(typeName) {
			switch {
			case f.Card == decl.Connection:
				sel = append(sel, f.Name+"(first: 2) { totalCount edges { cursor node { code } } }")
			case f.EdgeType != "":
				sel = append(sel, fmt.Sprintf("%s { __typename %s { code } source { id } since validFrom validTo }", f.Name, f.EdgeNode))
			default:
				sel = append(sel, f.Name+" { code name }")
			}
		}
		return strings.Join(sel, " ")
	}
	for _, k := range decl.Kinds {
		t.Run(k.TypeName, func(t *testing.T) {
			q := fmt.Sprintf(`{ %s(first: 3, includeClosed: true) { edges { node { code %s } } } }`, k.List, selection(k.TypeName))
			before := a.store.Calls()
			var r map[string]struct {
				Edges []struct{ Node map[string]any }
			}
			a.query(q, &r)
			if calls := a.store.Calls() - before; calls != 1 {
				t.Errorf("%d round trips, want 1", calls)
			}
			if len(r[k.List].Edges) == 0 {
				t.Fatalf("no %s in the graph", k.List)
			}
		})
	}
}

func TestDeclaredFieldsBelowTraversals(t *testing.T) {
	a := newAPI(t)
	var frags []string
	for _, k := range decl.Kinds {
		frags = append(frags, fmt.Sprintf("... on %s { %s }", k.TypeName, selectionOf(k.TypeName)))
	}
	var r struct {
		Path []struct {
			Organisations []map[string]any
		}
	}
	a.query(fmt.Sprintf(`{ path(from: "A81001", to: "CS-NENC") { organisations { code %s } } }`, strings.Join(frags, " ")), &r)
	if len(r.Path) == 0 || len(r.Path[0].Organisations) < 3 {
		t.Fatalf("path = %+v", r.Path)
	}
	for _, o := range r.Path[0].Organisations {
		if len(o) < 2 {
			t.Fatalf("organisation without its relationships: %v", o)
		}
	}
}

func selectionOf(typeName string) string {
	var sel []string
	for _, f := range decl.FieldsOf(typeName) {
		switch {
		case f.Card == decl.Connection:
			sel = append(sel, f.Name+"(first: 2) { totalCount edges { node { code } } }")
		case f.EdgeType != "":
			sel = append(sel, fmt.Sprintf("%s { %s { code } source { id } }", f.Name, f.EdgeNode))
		default:
			sel = append(sel, f.Name+" { code }")
		}
	}
	return strings.Join(sel, " ")
}
