package graph_test

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/icsgraph/icsgraph/graph"
	"github.com/icsgraph/icsgraph/graph/model"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
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

// TestKindsAreWired tells a newcomer who adds an organisation kind what they
// forgot. A kind is declared once, in internal/model.Kinds; besides it they
// write its GraphQL type, enum value and root fields in schema.graphqls, its
// Go type and Maker in graph/model/org.go, and fill the resolver stubs
// `go generate ./...` writes into graph/schema.resolvers.go (README,
// "Adding a kind"). Everything else (the store's labels and constraints,
// list filters, the loader's kinds, costs, conversions) is derived from the
// declaration, and checked here to be so.
func TestKindsAreWired(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	query := schema.Types["Query"]
	seen := map[string]map[string]string{"value": {}, "label": {}, "type": {}, "lookup": {}, "list": {}}
	unique := func(what, name, kind string) {
		if other, dup := seen[what][name]; dup {
			t.Errorf("kinds %s and %s declare the same %s %q", other, kind, what, name)
		}
		seen[what][name] = kind
	}
	// The label each area filter reaches.
	areaLabels := map[string]string{"region": decl.LabelRegion, "ics": decl.LabelICS, "subIcbLocation": decl.LabelSubICBLocation, "county": decl.LabelCouncil}
	relTypes := map[string]bool{}
	for _, r := range decl.Relationships {
		relTypes[r.Type] = true
	}
	for _, k := range decl.Kinds {
		t.Run(k.Value, func(t *testing.T) {
			for what, name := range map[string]string{"value": k.Value, "label": k.Label, "type": k.TypeName, "lookup": k.Lookup, "list": k.List} {
				if name == "" {
					t.Errorf("declares no %s", what)
					continue
				}
				unique(what, name, k.Value)
			}
			if !model.OrganisationKind(k.Value).IsValid() {
				t.Errorf("%s is not a value of the OrganisationKind enum in schema.graphqls", k.Value)
			}
			if got := store.KindLabels[k.Value]; got != k.Label {
				t.Errorf("store.KindLabels[%s] = %q, want the declared label %q", k.Value, got, k.Label)
			}
			// The Go type: a Maker building the type gqlgen binds to the
			// GraphQL type (graph/model/org.go).
			mk := model.Makers[model.OrganisationKind(k.Value)]
			if mk == nil {
				t.Errorf("graph/model.Makers has no Maker for %s: add the Go type %s (embedding Org) and its Maker to graph/model/org.go", k.Value, k.TypeName)
			} else {
				o := model.FromStore(store.Organisation{Kind: k.Value, Code: "X1", Name: "x"})
				if o == nil {
					t.Fatalf("the Maker of %s built nil", k.Value)
				}
				if typ := reflect.TypeOf(o).Elem(); typ.Name() != k.TypeName || typ.PkgPath() != reflect.TypeOf(model.Org{}).PkgPath() {
					t.Errorf("the Maker of %s builds %s.%s, want graph/model.%s (the type gqlgen binds to %s)", k.Value, typ.PkgPath(), typ.Name(), k.TypeName, k.TypeName)
				}
				if b := o.Base(); b.Kind != model.OrganisationKind(k.Value) || b.Code != "X1" || b.Name != "x" {
					t.Errorf("the Maker of %s loses the shared fields: %+v", k.Value, *b)
				}
			}
			// Root fields.
			if f := query.Fields.ForName(k.Lookup); f == nil || f.Type.Name() != k.TypeName || f.Arguments.ForName("code") == nil {
				t.Errorf("Query.%s(code:) answering %s is missing from schema.graphqls", k.Lookup, k.TypeName)
			}
			list := query.Fields.ForName(k.List)
			if list == nil || list.Type.Name() != k.TypeName+"Connection" {
				t.Errorf("Query.%s answering %sConnection is missing from schema.graphqls", k.List, k.TypeName)
				return
			}
			// Filters: every declared one is a field of the list's filter
			// input (or an argument of the list), every area pattern binds
			// the area's label and follows declared relationships.
			var filter *ast.Definition
			if a := list.Arguments.ForName("filter"); a != nil {
				filter = schema.Types[a.Type.Name()]
			}
			for _, name := range append(slices.Sorted(func(yield func(string) bool) {
				for f := range k.Areas {
					if !yield(f) {
						return
					}
				}
			}), k.Filters...) {
				if (filter == nil || filter.Fields.ForName(name) == nil) && list.Arguments.ForName(name) == nil {
					t.Errorf("%s declares filter %s, which Query.%s's filter input lacks", k.Value, name, k.List)
				}
			}
			for area, pattern := range k.Areas {
				want, ok := areaLabels[area]
				if !ok {
					t.Errorf("%s declares area filter %s; cypher.ListQuery knows region, ics, subIcbLocation and county", k.Value, area)
					continue
				}
				if len(pattern) == 0 || pattern[len(pattern)-1].Label != want {
					t.Errorf("%s: area filter %s's chain %v must end at the label %s", k.Value, area, pattern, want)
				}
				for _, h := range pattern {
					if !relTypes[h.Rel] {
						t.Errorf("%s: area filter %s follows %s, which internal/model.Relationships does not declare", k.Value, area, h.Rel)
					}
					if _, ok := decl.KindByLabel(h.Label); !ok {
						t.Errorf("%s: area filter %s passes through label %s, which no kind declares", k.Value, area, h.Label)
					}
				}
			}
		})
	}
	// The other way round: nothing names a kind the declaration lacks.
	for _, v := range model.AllOrganisationKind {
		if _, ok := decl.KindByValue(string(v)); !ok {
			t.Errorf("the OrganisationKind enum has %s, which internal/model.Kinds does not declare", v)
		}
	}
	for v := range model.Makers {
		if _, ok := decl.KindByValue(string(v)); !ok {
			t.Errorf("graph/model.Makers has a Maker for %s, which internal/model.Kinds does not declare", v)
		}
	}
	if len(store.KindLabels) != len(decl.Kinds) {
		t.Errorf("store.KindLabels has %d kinds, internal/model.Kinds %d", len(store.KindLabels), len(decl.Kinds))
	}
	// Resolver stubs gqlgen generated for new root or relationship fields
	// must be filled in (a lookup calls lookup, a list listQuery; a
	// relationship field answers from its declaration through related).
	files, err := filepath.Glob("*.resolvers.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no resolver files found (%v)", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range stub.FindAllStringSubmatch(string(src), -1) {
			t.Errorf("%s: the resolver of %s.%s is still gqlgen's stub: fill it in like the other kinds' (lookup, listQuery+list, orgSources, successions, one, many, edgesOf, connectionOf)", f, m[1], m[2])
		}
	}
}

var (
	stub = regexp.MustCompile(`func \(r \*(\w+)Resolver\) (\w+)\([^{]*\{\s*panic\(fmt\.Errorf\("not implemented`)
)

func implements(def *ast.Definition, iface string) bool {
	for _, i := range def.Interfaces {
		if i == iface {
			return true
		}
	}
	return false
}
