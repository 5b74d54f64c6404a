package graph_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	wl "github.com/icsgraph/icsgraph/bench/workload"
	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// goldenQueries are the GraphQL queries whose statements are kept in
// testdata/statements: every root field, relationship fields nested in the
// compiled positions (lookups, lists, search, nodes, connections), fragments,
// aliases with different arguments, filters and sorting. Traversals and
// reports record the first statement they run (their own reads, with the
// date rule). Each lookup and list of every declared kind, with every
// relationship field of its type, and the benchmark's workload queries
// (bench/workload, with their variables), are added below.
var goldenQueries = []goldenQuery{
	{name: "organisation-fragments", query: `{ organisation(code: "RJ1", asOf: "2020-04-01") { code name kind ... on Trust { trustType integratedCareSystem { code } } ...ics } }
fragment ics on IntegratedCareSystem { region { code } trusts { code } }`},
	{name: "aliases-different-dates", query: `{ a: integratedCareSystem(code: "QMJ", asOf: "2024-06-01") { trusts { code } } b: integratedCareSystem(code: "QMJ") { t: trusts { code } } }`},
	{name: "aliases-different-arguments", query: `{ ics: integratedCareSystem(code: "QWE") { trusts: partners(kind: TRUST) { partner { code } } councils: partners(kind: COUNCIL) { partner { code } } all: partners { source { id } validFrom } } }`},
	{name: "list-filter-area-entry", query: `{ trusts(filter: { ics: "QWE", trustType: ACUTE, foundationTrust: true, nameContains: "king" }, first: 5) { totalCount edges { node { code } } } }`},
	{name: "list-two-area-filters", query: `{ gpPractices(filter: { region: "Y56", subIcbLocation: "93C" }, first: 3) { totalCount edges { node { code } } } }`},
	{name: "list-sort-population-desc", query: `{ councils(orderBy: { field: POPULATION, direction: DESC }, filter: { county: "E10000029" }, first: 3, asOf: "2019-04-01") { edges { cursor node { code population } } } }`},
	{name: "list-after-cursor", query: `{ regions(first: 2, after: "eyJzIjoibmFtZSIsImsiOiJMb25kb24iLCJjIjoiWTU2In0") { edges { node { code } } } }`},
	{name: "list-include-closed", query: `{ ccgs(includeClosed: true, asOf: "2021-06-01", first: 3) { totalCount edges { node { code validTo successors { organisation { code } date share } } } } }`},
	{name: "trusts-deprecated-filter-alias", query: `{ trusts(asOf: "2013-04-01", filter: { includeClosed: true }) { totalCount } }`},
	{name: "include-announced", query: `{ councils(includeAnnounced: true, first: 2) { edges { node { code announced overlaps { announced integratedCareSystem { code } } } } } }`},
	{name: "connection-nested", query: `{ subIcbLocation(code: "93C") { primaryCareNetworks(first: 2) { totalCount edges { cursor node { code practices(first: 3) { totalCount edges { node { code } } } } } } } }`},
	{name: "edge-objects-with-sources", query: `{ council(code: "E07000244", asOf: "2026-03-31") { overlaps { sharedPopulation shareOfCouncil shareOfIcs source { id } integratedCareSystem { code } } sources { id } } }`},
	{name: "search", query: `{ search(text: "guys st thomas", first: 3, kinds: [TRUST]) { score organisation { code ... on Trust { integratedCareSystem { code } } } } }`},
	{name: "node-and-nodes", query: `{ node(id: "VFJVU1Q6Uko3") { id ... on Trust { code } } nodes(ids: ["VFJVU1Q6Uko3", "SUNTOlFXRQ"], asOf: "2023-01-01") { ... on IntegratedCareSystem { trusts { code } } } }`},
	{name: "release-and-sources", query: `{ release { id dataTo announcedTo } sources { id } }`},
	{name: "members", query: `{ members(code: "Y56", kind: ICS, asOf: "2024-06-01") { edges { node { organisation { code ... on IntegratedCareSystem { trusts { code } } } } } } }`},
	{name: "ancestors", query: `{ ancestors(code: "A81001", basis: GEOGRAPHY, asOf: "2021-06-01") { organisation { code } } }`},
	{name: "path", query: `{ path(from: "A81001", to: "CS-NENC", maxHops: 6, via: [PCN, SUB_ICB_LOCATION, ICS], includeClosed: true) { organisations { code } } }`},
	{name: "neighbourhood", query: `{ neighbourhood(code: "QWE", depth: 2, kinds: [ICS, TRUST], limit: 50, asOf: "2023-01-01") { nodes { organisation { code } } } }`},
	{name: "coterminosity", query: `{ coterminosity(inner: COUNCIL, outer: ICS, asOf: "2024-06-01") { areas split fits { area { code ... on Council { overlaps { integratedCareSystem { code } } } } } } }`},
	{name: "split-councils", query: `{ splitCouncils(asOf: "2022-07-01") { area { ... on Council { code overlaps { integratedCareSystem { code } } } } } }`},
	{name: "coterminosity-summary", query: `{ coterminositySummary(asOf: "2020-04-01") { inner outer split } }`},
	{name: "designations", query: `{ designations(asOf: "2021-04-01") { system { code trusts { code } } } }`},
	{name: "coverage", query: `{ coverage(on: "2024-06-01") { count systems { code trusts { code } } } }`},
	{name: "lineage", query: `{ lineage(code: "11H") { organisations { organisation { code } } } }`},
	{name: "changes", query: `{ changes(from: "2026-03-31", to: "2026-04-01", kinds: [ICS]) { totalCount edges { node { type organisation { code } } } } }`},
}

// TestGoldenStatements compiles each golden query without a database (a
// recording store) and compares the statements and parameters with
// testdata/statements/<name>.txt; `make golden` (go test ./graph -run
// GoldenStatements -update) rewrites them, so every change to a statement
// is a reviewed diff.
func TestGoldenStatements(t *testing.T) {
	queries := slices.Clone(goldenQueries)
	for _, k := range decl.Kinds {
		queries = append(queries,
			goldenQuery{name: "lookup-" + k.Lookup, query: fmt.Sprintf(`{ %s(code: "X1", asOf: "2022-07-01") { code name%s } }`, k.Lookup, fields(k.TypeName))},
			goldenQuery{name: "list-" + k.List, query: fmt.Sprintf(`{ %s(first: 10, asOf: "2022-07-01") { totalCount edges { node { code%s } } } }`, k.List, fields(k.TypeName))})
	}
	for _, q := range wl.Workload() {
		queries = append(queries, goldenQuery{name: "workload-" + q.Name, query: q.Ours, vars: graphQLVars(q.Vars)})
	}
	n := 0
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			st, recorded := store.NewRecorder()
			c := client.New(gqlhttp.NewHandler(st, gqlhttp.Options{MaxDepth: 16, MaxComplexity: 1 << 40, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
			var opts []client.Option
			for _, k := range slices.Sorted(maps.Keys(q.vars)) {
				opts = append(opts, client.Var(k, q.vars[k]))
			}
			var resp map[string]any
			if err := c.Post(q.query, &resp, opts...); err != nil && !strings.Contains(err.Error(), "recording") && !strings.Contains(err.Error(), "UNAVAILABLE") &&
				!strings.Contains(err.Error(), "NOT_FOUND") && !strings.Contains(err.Error(), "INTERNAL") {
				t.Fatalf("%s: %v", q.name, err)
			}
			header := q.query
			if len(q.vars) > 0 {
				vars, _ := json.Marshal(q.vars)
				header += "\n# variables\n" + string(vars)
			}
			got := render(header, recorded())
			n += len(recorded())
			path := filepath.Join("testdata", "statements", q.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (make golden writes it)", err)
			}
			if string(want) != got {
				t.Errorf("%s: the statements changed (make golden rewrites %s; review the diff):\n%s", q.name, path, got)
			}
		})
	}
	t.Logf("%d queries, %d statements", len(queries), n)
}

// goldenQuery is one GraphQL query of the golden table, with its variables.
type goldenQuery struct {
	name, query string
	vars        map[string]any
}

// render writes a query's statements for review: the query, then each
// statement (in a stable order), its fallback and its parameters.
func render(query string, stmts []store.Recorded) string {
	type one struct{ text, key string }
	var out []one
	for _, s := range stmts {
		params, _ := json.MarshalIndent(s.Params, "", "  ")
		var b strings.Builder
		fmt.Fprintf(&b, "## statement\n%s\n", strings.TrimSpace(s.Cypher))
		if s.Fallback != "" {
			fmt.Fprintf(&b, "## fallback\n%s\n", strings.TrimSpace(s.Fallback))
		}
		fmt.Fprintf(&b, "## params\n%s\n", params)
		out = append(out, one{b.String(), b.String()})
	}
	slices.SortFunc(out, func(a, b one) int { return strings.Compare(a.key, b.key) })
	var b strings.Builder
	fmt.Fprintf(&b, "# query\n%s\n", query)
	for _, o := range out {
		b.WriteString("\n" + o.text)
	}
	return b.String()
}
