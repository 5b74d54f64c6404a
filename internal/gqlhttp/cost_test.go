package gqlhttp

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/icsgraph/icsgraph/graph"
)

func testSchema() *ast.Schema {
	return graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
}

// TestCostRulesCoverSchema walks every field of every object and interface
// type: each has a rule in costRules or falls under a declared default, and
// every rule names a field that exists.
func TestCostRulesCoverSchema(t *testing.T) {
	s := testSchema()
	var gaps []string
	fields := map[string]bool{}
	for name, def := range s.Types {
		if def.Kind != ast.Object && def.Kind != ast.Interface {
			continue
		}
		for _, f := range def.Fields {
			fields[name+"."+f.Name] = true
			if _, ok := costRuleFor(s, name, f); !ok {
				gaps = append(gaps, name+"."+f.Name)
			}
		}
	}
	sort.Strings(gaps)
	if len(gaps) > 0 {
		t.Errorf("fields without a cost rule (add them to costRules in cost.go):\n%s", strings.Join(gaps, "\n"))
	}
	for key := range costRules {
		if !fields[key] {
			t.Errorf("cost rule %s names no field of the schema", key)
		}
	}
}

// operation parses and validates q as the executor would.
func operation(t testing.TB, s *ast.Schema, q string) *graphql.OperationContext {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if errs := validator.Validate(s, doc); len(errs) > 0 {
		t.Fatalf("validate: %v", errs)
	}
	op := doc.Operations[0]
	vars, verr := validator.VariableValues(s, op, nil)
	if verr != nil {
		t.Fatal(verr)
	}
	return &graphql.OperationContext{Doc: doc, Operation: op, Variables: vars, RawQuery: q}
}

// TestCostOfQueries: what people ask (the examples, GraphiQL's introspection)
// fits in the default limit; what the hostile requests ask does not.
func TestCostOfQueries(t *testing.T) {
	s := testSchema()
	const limit = DefaultMaxComplexity
	files, _ := filepath.Glob("../../examples/*.graphql")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	fits := map[string]string{"introspection": introspection.Query}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fits[filepath.Base(f)] = string(b)
	}
	fits["nested batched"] = `{ integratedCareSystems(first: 50) { edges { node { region { name } trusts { name partnerOf { integratedCareSystem { code } } } subIcbLocations { primaryCareNetworks { totalCount } } } } } }`
	fits["coterminosity fits"] = `{ coterminosity(inner: COUNCIL, outer: ICS) { areas split fits(onlySplit: true) { area { code name } largestShare parts { area { code } share } } } }`
	fits["summary counts"] = `{ coterminositySummary { inner outer areas coterminous split exactUnions } }`
	for name, q := range fits {
		t.Run("fits "+name, func(t *testing.T) {
			cost, err := operationCost(s, operation(t, s, q), limit)
			if err != nil || cost > limit {
				t.Fatalf("cost %d (limit %d), err %v", cost, limit, err)
			}
			t.Logf("%s: cost %d", name, cost)
		})
	}
	aliases := func(n int, field string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: %s", i, field)
		}
		b.WriteString(" }")
		return b.String()
	}
	for name, q := range map[string]string{
		"schema introspections over the limit": aliases(limit/schemaCost+1, "__schema { types { name } }"),
		"100 coterminosity summaries":          aliases(100, "coterminositySummary { areas fits { area { code } parts { share } } }"),
		"20 coterminosity summaries":           aliases(20, "coterminositySummary { areas split }"),
		"500 trusts with their ICS":            `{ trusts(first: 500) { edges { node { integratedCareSystem { trusts { partnerOf { integratedCareSystem { trusts { name } } } } } } } } }`,
		"members, first 100000":                `{ members(code: "Y56", kind: PRACTICE, first: 100000) { edges { node { organisation { name } } } } }`,
		"fragments that multiply":              `query { trusts(first: 500) { edges { node { ...A } } } } fragment A on Trust { integratedCareSystem { ...B } } fragment B on IntegratedCareSystem { trusts { ...C } } fragment C on Trust { partnerOf { integratedCareSystem { name } } }`,
		"interface fields on members":          `{ members(code: "Y56", kind: PRACTICE, first: 500) { edges { node { path { hops { from { ... on Trust { partnerOf { integratedCareSystem { name } } } } } } } } } }`,
	} {
		t.Run("refused "+name, func(t *testing.T) {
			cost, err := operationCost(s, operation(t, s, q), limit)
			if err != nil || cost <= limit {
				t.Fatalf("cost %d within the limit %d (err %v)", cost, limit, err)
			}
		})
	}
}
