package graph_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

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
// relationship field of its type, is added below.
var goldenQueries = []struct{ name, query string }{
	{"organisation-fragments", `{ organisation(code: "RJ1", asOf: "2020-04-01") { code name kind ... on Trust { trustType integratedCareSystem { code } } ...ics } }
fragment ics on IntegratedCareSystem { region { code } trusts { code } }`},
	{"aliases-different-dates", `{ a: integratedCareSystem(code: "QMJ", asOf: "2024-06-01") { trusts { code } } b: integratedCareSystem(code: "QMJ") { t: trusts { code } } }`},
	{"aliases-different-arguments", `{ ics: integratedCareSystem(code: "QWE") { trusts: partners(kind: TRUST) { partner { code } } councils: partners(kind: COUNCIL) { partner { code } } all: partners { source { id } validFrom } } }`},
	{"list-filter-area-entry", `{ trusts(filter: { ics: "QWE", trustType: ACUTE, foundationTrust: true, nameContains: "king" }, first: 5) { totalCount edges { node { code } } } }`},
	{"list-two-area-filters", `{ gpPractices(filter: { region: "Y56", subIcbLocation: "93C" }, first: 3) { totalCount edges { node { code } } } }`},
	{"list-sort-population-desc", `{ councils(orderBy: { field: POPULATION, direction: DESC }, filter: { county: "E10000029" }, first: 3, asOf: "2019-04-01") { edges { cursor node { code population } } } }`},
	{"list-after-cursor", `{ regions(first: 2, after: "eyJzIjoibmFtZSIsImsiOiJMb25kb24iLCJjIjoiWTU2In0") { edges { node { code } } } }`},
	{"list-include-closed", `{ ccgs(includeClosed: true, asOf: "2021-06-01", first: 3) { totalCount edges { node { code validTo successors { organisation { code } date share } } } } }`},
	{"trusts-deprecated-filter-alias", `{ trusts(asOf: "2013-04-01", filter: { includeClosed: true }) { totalCount } }`},
	{"include-announced", `{ councils(includeAnnounced: true, first: 2) { edges { node { code announced overlaps { announced integratedCareSystem { code } } } } } }`},
	{"connection-nested", `{ subIcbLocation(code: "93C") { primaryCareNetworks(first: 2) { totalCount edges { cursor node { code practices(first: 3) { totalCount edges { node { code } } } } } } } }`},
	{"edge-objects-with-sources", `{ council(code: "E07000244", asOf: "2026-03-31") { overlaps { sharedPopulation shareOfCouncil shareOfIcs source { id } integratedCareSystem { code } } sources { id } } }`},
	{"search", `{ search(text: "guys st thomas", first: 3, kinds: [TRUST]) { score organisation { code ... on Trust { integratedCareSystem { code } } } } }`},
	{"node-and-nodes", `{ node(id: "VFJVU1Q6Uko3") { id ... on Trust { code } } nodes(ids: ["VFJVU1Q6Uko3", "SUNTOlFXRQ"], asOf: "2023-01-01") { ... on IntegratedCareSystem { trusts { code } } } }`},
	{"release-and-sources", `{ release { id dataTo announcedTo } sources { id } }`},
	{"members", `{ members(code: "Y56", kind: ICS, asOf: "2024-06-01") { edges { node { organisation { code ... on IntegratedCareSystem { trusts { code } } } } } } }`},
	{"ancestors", `{ ancestors(code: "A81001", basis: GEOGRAPHY, asOf: "2021-06-01") { organisation { code } } }`},
	{"path", `{ path(from: "A81001", to: "CS-NENC", maxHops: 6, via: [PCN, SUB_ICB_LOCATION, ICS], includeClosed: true) { organisations { code } } }`},
	{"neighbourhood", `{ neighbourhood(code: "QWE", depth: 2, kinds: [ICS, TRUST], limit: 50, asOf: "2023-01-01") { nodes { organisation { code } } } }`},
	{"coterminosity", `{ coterminosity(inner: COUNCIL, outer: ICS, asOf: "2024-06-01") { areas split fits { area { code ... on Council { overlaps { integratedCareSystem { code } } } } } } }`},
	{"split-councils", `{ splitCouncils(asOf: "2022-07-01") { area { ... on Council { code overlaps { integratedCareSystem { code } } } } } }`},
	{"coterminosity-summary", `{ coterminositySummary(asOf: "2020-04-01") { inner outer split } }`},
	{"designations", `{ designations(asOf: "2021-04-01") { system { code trusts { code } } } }`},
	{"coverage", `{ coverage(on: "2024-06-01") { count systems { code trusts { code } } } }`},
	{"lineage", `{ lineage(code: "11H") { organisations { organisation { code } } } }`},
	{"workload-nested", `{ r: regions(orderBy: {field: NAME}) { edges { node { code name integratedCareSystems { code name trusts { code name } councils { council { code name } sharedPopulation shareOfCouncil } } } } } }`},
	{"changes", `{ changes(from: "2026-03-31", to: "2026-04-01", kinds: [ICS]) { totalCount edges { node { type organisation { code } } } } }`},
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
			struct{ name, query string }{"lookup-" + k.Lookup, fmt.Sprintf(`{ %s(code: "X1", asOf: "2022-07-01") { code name%s } }`, k.Lookup, fields(k.TypeName))},
			struct{ name, query string }{"list-" + k.List, fmt.Sprintf(`{ %s(first: 10, asOf: "2022-07-01") { totalCount edges { node { code%s } } } }`, k.List, fields(k.TypeName))})
	}
	n := 0
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			st, recorded := store.NewRecorder()
			c := client.New(gqlhttp.NewHandler(st, gqlhttp.Options{MaxDepth: 16, MaxComplexity: 1 << 40, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
			var resp map[string]any
			if err := c.Post(q.query, &resp); err != nil && !strings.Contains(err.Error(), "recording") && !strings.Contains(err.Error(), "UNAVAILABLE") &&
				!strings.Contains(err.Error(), "NOT_FOUND") && !strings.Contains(err.Error(), "INTERNAL") {
				t.Fatalf("%s: %v", q.name, err)
			}
			got := render(q.query, recorded())
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
