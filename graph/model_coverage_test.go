package graph_test

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/icsgraph/icsgraph/graph"
	decl "github.com/icsgraph/icsgraph/internal/model"
)

// TestModelCoversSchema walks the GraphQL schema gqlgen serves and the
// declarations of internal/model: every relationship field of an
// organisation type (one answering organisations, relationship edges or a
// connection of organisations) must be declared, and every declaration must
// name a field the schema has, with the declared cardinality. A newcomer who
// adds a relationship in one place learns here what they forgot.
func TestModelCoversSchema(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	orgTypes := map[string]bool{"Organisation": true, "Node": true}
	for _, k := range decl.Kinds {
		def := schema.Types[k.TypeName]
		if def == nil {
			t.Errorf("kind %s declares GraphQL type %s, which the schema lacks", k.Value, k.TypeName)
			continue
		}
		orgTypes[k.TypeName] = true
		if !implements(def, "Organisation") {
			t.Errorf("%s does not implement Organisation", k.TypeName)
		}
		for _, p := range k.Props {
			if def.Fields.ForName(p.Field) == nil {
				t.Errorf("kind %s declares property field %s.%s, which the schema lacks", k.Value, k.TypeName, p.Field)
			}
		}
	}
	for name, def := range schema.Types {
		if implements(def, "Organisation") && def.Kind == ast.Object {
			if _, ok := decl.KindByType(name); !ok {
				t.Errorf("organisation type %s has no kind in internal/model.Kinds", name)
			}
		}
	}
	// Edge types: objects implementing Relationship (Partnership, overlaps, …).
	isEdge := func(name string) bool {
		d := schema.Types[name]
		return d != nil && implements(d, "Relationship")
	}
	isConnection := func(name string) bool {
		d := schema.Types[name]
		if d == nil || !strings.HasSuffix(name, "Connection") {
			return false
		}
		e := d.Fields.ForName("edges")
		if e == nil {
			return false
		}
		n := schema.Types[e.Type.Name()].Fields.ForName("node")
		return n != nil && orgTypes[n.Type.Name()]
	}
	for _, k := range decl.Kinds {
		def := schema.Types[k.TypeName]
		if def == nil {
			continue
		}
		for _, f := range def.Fields {
			target := f.Type.Name()
			relational := orgTypes[target] || isEdge(target) || isConnection(target)
			d, declared := decl.Lookup(k.TypeName, f.Name)
			switch {
			case relational && !declared:
				t.Errorf("%s.%s (%s) follows a relationship but internal/model.Relationships does not declare it: add it to the relationship's Out or In fields", k.TypeName, f.Name, f.Type)
			case declared && !relational:
				t.Errorf("%s.%s is declared as a relationship field but answers %s", k.TypeName, f.Name, f.Type)
			case declared:
				var want decl.Card
				switch {
				case isConnection(target):
					want = decl.Connection
				case f.Type.Elem != nil:
					want = decl.Many
				default:
					want = decl.One
				}
				if d.Card != want {
					t.Errorf("%s.%s is declared with cardinality %d, the schema's %s is %d", k.TypeName, f.Name, d.Card, f.Type, want)
				}
				if (d.EdgeType != "") != isEdge(target) || (d.EdgeType != "" && d.EdgeType != target) {
					t.Errorf("%s.%s declares edge type %q, the schema answers %s", k.TypeName, f.Name, d.EdgeType, target)
				}
				if d.KindArg != "" && f.Arguments.ForName(d.KindArg) == nil {
					t.Errorf("%s.%s declares argument %s, which the schema lacks", k.TypeName, f.Name, d.KindArg)
				}
			}
		}
	}
	for _, r := range decl.Relationships {
		for _, f := range append(append([]decl.Field(nil), r.Out...), r.In...) {
			def := schema.Types[f.Type]
			if def == nil || def.Fields.ForName(f.Name) == nil {
				t.Errorf("relationship %s declares field %s.%s, which the schema lacks", r.Type, f.Type, f.Name)
				continue
			}
			if f.EdgeType != "" {
				e := schema.Types[f.EdgeType]
				for _, sub := range []string{f.EdgeNode, f.EdgeSelf} {
					if sub != "" && (e == nil || e.Fields.ForName(sub) == nil) {
						t.Errorf("relationship %s: edge type %s lacks field %s", r.Type, f.EdgeType, sub)
					}
				}
			}
			if _, ok := decl.FieldCost(f.Type, f.Name); !ok {
				t.Errorf("%s.%s has no cost", f.Type, f.Name)
			}
		}
		for _, p := range r.Props {
			for edgeType, field := range p.Fields {
				if e := schema.Types[edgeType]; e == nil || e.Fields.ForName(field) == nil {
					t.Errorf("relationship %s: property %s maps to %s.%s, which the schema lacks", r.Type, p.Property, edgeType, field)
				}
			}
		}
	}
}

func implements(def *ast.Definition, iface string) bool {
	for _, i := range def.Interfaces {
		if i == iface {
			return true
		}
	}
	return false
}
