package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/icsgraph/icsgraph/graph"
	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// TestDirectAnswers runs every query twice over the same database — answered
// directly (direct.go, the default) and field by field by gqlgen's executor —
// and requires the same status and the same bytes: data, errors, paths,
// nulls, order. It also checks which path answered: the queries that should
// be written directly are (no fallback logged), and those with errors fall
// back to gqlgen.
func TestDirectAnswers(t *testing.T) {
	st := neo4jtest.Store(t)
	var logs lockedBuffer
	opts := gqlhttp.Options{MaxDepth: 12, MaxComplexity: gqlhttp.DefaultMaxComplexity,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	directSrv := httptest.NewServer(gqlhttp.NewHandler(st, opts))
	defer directSrv.Close()
	opts.PerFieldExecution, opts.Logger = true, slog.New(slog.NewTextHandler(io.Discard, nil))
	gqlgenSrv := httptest.NewServer(gqlhttp.NewHandler(st, opts))
	defer gqlgenSrv.Close()

	post := func(url, query string, vars map[string]any) (int, []byte) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		resp, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}

	// Inputs drawn from the data through the API (the per-field executor).
	var found struct {
		Data struct {
			Trusts struct {
				PageInfo struct{ EndCursor string }
				Edges    []struct{ Node struct{ Code, ID string } }
			}
			Councils struct {
				Edges []struct{ Node struct{ Code string } }
			}
			Regions struct {
				Edges []struct{ Node struct{ Code string } }
			}
			Pcns struct {
				Edges []struct{ Node struct{ Code string } }
			} `json:"primaryCareNetworks"`
		}
	}
	_, raw := post(gqlgenSrv.URL, `{ trusts(first: 3) { pageInfo { endCursor } edges { node { code id } } }
  councils(first: 2, filter: {councilType: COUNTY}) { edges { node { code } } }
  regions(first: 1) { edges { node { code } } }
  primaryCareNetworks(first: 1) { edges { node { code } } } }`, nil)
	if err := json.Unmarshal(raw, &found); err != nil || len(found.Data.Trusts.Edges) < 3 || len(found.Data.Councils.Edges) == 0 ||
		len(found.Data.Regions.Edges) == 0 || len(found.Data.Pcns.Edges) == 0 {
		t.Fatalf("drawing inputs: %v: %s", err, raw)
	}
	trust, council := found.Data.Trusts.Edges[0].Node.Code, found.Data.Councils.Edges[0].Node.Code
	region, pcn := found.Data.Regions.Edges[0].Node.Code, found.Data.Pcns.Edges[0].Node.Code
	ids := []any{found.Data.Trusts.Edges[1].Node.ID, model.GlobalID(model.OrganisationKindTrust, "ZZZZ9"), found.Data.Trusts.Edges[2].Node.ID}

	const orgFields = `__typename id code onsCode name kind historic validFrom validTo
  sources { id title publisher released file url licence }
  predecessors { date share shareWeight basis organisation { code kind } source { id } }
  successors { date organisation { code } }`
	// Every field of every organisation type, through the interface.
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	everyType := ""
	for _, p := range schema.GetPossibleTypes(schema.Types["Organisation"]) {
		everyType += " ... on " + p.Name + " { " + selectAll(schema, p.Name, 1) + " }"
	}
	cases := []struct {
		name  string
		query string
		vars  map[string]any
		path  string // who answers: direct, gqlgen (a resolver error), or none (refused before execution)
	}{
		{"nested regions", `{ r: regions(orderBy: {field: NAME}) { edges { node { code name
  integratedCareSystems { code name
    trusts { code name }
    councils { council { code name } sharedPopulation shareOfCouncil } } } } } }`, nil, "direct"},
		{"every organisation field through the interface", `query($c: String!) { organisation(code: $c) { ` + orgFields + `
  ... on Trust { foundationTrust trustType trustTypeBasis status postcode openDate closeDate
    integratedCareSystem { ...ics } partnerOf { since validFrom validTo source { id title } integratedCareSystem { code } partner { __typename ... on Node { id } } } } } }
fragment ics on IntegratedCareSystem { code name population populationYear smallAreas
  low: population(measure: REGISTERED_2026) mid: population(measure: RESIDENTS_2022)
  populations { measure value date description derived source { id } }
  region { code name clinicalSenates { code note } }
  designation { wave announced announcedPrecision effectiveFrom nameAsAnnounced sources { id } }
  partners(kind: COUNCIL) { partner { ... on Council { code councilType } } }
  everyPartner: partners { partner { __typename } }
  cancerAlliances { population share subIcbLocations cancerAlliance { code name } source { url } }
  clinicalSenate { code } subIcbLocations { code population primaryCareNetworks(first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { code } } } } }`,
			map[string]any{"c": trust}, "direct"},
		{"a council's overlaps and districts", `query($c: String!) { council(code: $c) { code councilType odsCode onsRegion population
  county { code } districts { code name county { code } }
  overlaps { sharedPopulation sharedSmallAreas shareOfCouncil shareOfIcs populationYear source { id } integratedCareSystem { code } council { code } }
  subIcbOverlaps { shareOfSubIcbLocation subIcbLocation { code } }
  partnerOf { integratedCareSystem { code } } } }`, map[string]any{"c": council}, "direct"},
		{"lists with filters, paging and counts", `query($after: String) {
  a: trusts(first: 5, filter: {foundationTrust: true}, orderBy: {field: CODE, direction: DESC}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code name trustType } } }
  b: trusts(first: 2, after: $after) { edges { node { code } } pageInfo { hasPreviousPage startCursor } }
  c: councils(first: 3, orderBy: {field: POPULATION, direction: DESC}) { totalCount edges { node { name population } } }
  d: integratedCareSystems(first: 0) { totalCount edges { node { code } } }
  e: integratedCareSystems(asOf: "2022-07-01", first: 100) { totalCount edges { node { code name historic validTo } } } }`,
			map[string]any{"after": found.Data.Trusts.PageInfo.EndCursor}, "direct"},
		{"node and nodes", `query($ids: [ID!]!) { nodes(ids: $ids) { id __typename ... on Organisation { code name } } node(id: "` + ids[0].(string) + `") { id } }`,
			map[string]any{"ids": ids}, "direct"},
		{"search", `{ search(text: "hospital", first: 5) { score organisation { code name kind } } }`, nil, "direct"},
		{"skip, include and aliases", `query($yes: Boolean!, $r: String!) { region(code: $r) { code name @skip(if: $yes) n2: name @include(if: $yes)
  s: integratedCareSystems { code } t: clinicalSenates { code } } }`,
			map[string]any{"yes": true, "r": region}, "direct"},
		{"a PCN's practices paged", `query($p: String!) { primaryCareNetwork(code: $p) { code openDate subIcbLocation { code } practices(first: 3) { totalCount edges { node { code name } } pageInfo { hasNextPage } } } }`,
			map[string]any{"p": pcn}, "direct"},
		{"not found", `{ trust(code: "ZZZZZ") { code } council(code: "E99999999") { name } }`, nil, "direct"},
		{"in the past", `{ organisation(code: "` + trust + `", asOf: "2016-04-01") { code name historic ... on Trust { integratedCareSystem { code } } } }`, nil, "direct"},
		{"a bad cursor: an error with its path", `{ trusts(after: "not-a-cursor") { edges { node { code } } } }`, nil, "gqlgen"},
		{"a bad page size", `{ x: regions(first: -1) { totalCount } y: region(code: "` + region + `") { code } }`, nil, "gqlgen"},
		{"a date outside the data", `{ region(code: "` + region + `", asOf: "2001-01-01") { code } }`, nil, "gqlgen"},
		{"an empty code", `{ trust(code: "  ") { code } }`, nil, "gqlgen"},
		{"a malformed date", `{ trust(code: "` + trust + `", asOf: "2021-13-45") { code } }`, nil, "none"},
		{"too many subqueries for one statement", `{ organisation(code: "` + trust + `") { ` + everyType + ` } }`, nil, "gqlgen"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := fallbacks(&logs)
			ds, db := post(directSrv.URL, c.query, c.vars)
			fellBack := fallbacks(&logs) > before
			gs, gb := post(gqlgenSrv.URL, c.query, c.vars)
			if ds != gs || !bytes.Equal(db, gb) {
				t.Fatalf("direct answer differs from gqlgen's:\ndirect (%d): %s\ngqlgen (%d): %s", ds, db, gs, gb)
			}
			executed := bytes.Contains(db, []byte(`"data":`))
			switch {
			case c.path == "direct" && (fellBack || bytes.Contains(db, []byte(`"errors"`)) || !executed):
				t.Errorf("want a direct answer with data, no errors; fell back: %v; answer %s", fellBack, db)
			case c.path == "gqlgen" && !fellBack:
				t.Errorf("want gqlgen to answer (a resolver error); answer %s", db)
			case strings.HasPrefix(c.name, "too many") && !bytes.Contains(db, []byte(`"code":"QUERY_LIMIT_EXCEEDED"`)):
				t.Errorf("want QUERY_LIMIT_EXCEEDED; answer %s", db)
			case c.path == "none" && (fellBack || executed):
				t.Errorf("want the request refused before execution; answer %s", db)
			}
		})
	}
}

// fallbacks counts the root fields direct.go handed to gqlgen so far.
func fallbacks(logs *lockedBuffer) int { return strings.Count(logs.String(), "answered by gqlgen") }

// selectAll builds a selection of every field of type name reachable within
// depth levels (fields with required arguments left out): the widest
// question the schema allows, to compare the two executions on every
// binding, not only the fields the other tests happen to ask.
func selectAll(s *ast.Schema, name string, depth int) string {
	def := s.Types[name]
	var b strings.Builder
	b.WriteString("__typename")
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || hasRequiredArg(f) {
			continue
		}
		t := s.Types[f.Type.Name()]
		switch t.Kind {
		case ast.Scalar, ast.Enum:
			b.WriteString(" " + f.Name)
		default:
			if depth == 0 {
				continue
			}
			inner := selectAll(s, t.Name, depth-1)
			if t.Kind != ast.Object { // an interface or union: each possible type's fields too
				for _, p := range s.GetPossibleTypes(t) {
					inner += " ... on " + p.Name + " { " + selectAll(s, p.Name, depth-1) + " }"
				}
			}
			b.WriteString(" " + f.Name + " { " + inner + " }")
		}
	}
	return b.String()
}

func hasRequiredArg(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

// TestDirectAnswersEveryField asks each kind's lookup for every field within
// two levels, for one organisation of the kind that the data holds, and
// requires the direct answer to equal gqlgen's byte for byte.
func TestDirectAnswersEveryField(t *testing.T) {
	st := neo4jtest.Store(t)
	var logs lockedBuffer
	opts := gqlhttp.Options{MaxDepth: 12, MaxComplexity: 10 * gqlhttp.DefaultMaxComplexity,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	directH := gqlhttp.NewHandler(st, opts)
	opts.PerFieldExecution, opts.Logger = true, slog.New(slog.NewTextHandler(io.Discard, nil))
	gqlgenH := gqlhttp.NewHandler(st, opts)
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()

	post := func(h http.Handler, query string) []byte {
		body, _ := json.Marshal(map[string]any{"query": query})
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Body.Bytes()
	}
	for _, k := range decl.Kinds {
		t.Run(k.TypeName, func(t *testing.T) {
			var first struct {
				Data map[string]struct {
					Edges []struct{ Node struct{ Code string } }
				}
			}
			raw := post(gqlgenH, `{ l: `+k.List+`(first: 1, includeClosed: true) { edges { node { code } } } }`)
			if err := json.Unmarshal(raw, &first); err != nil || len(first.Data["l"].Edges) == 0 {
				t.Fatalf("no %s in the data: %v %s", k.TypeName, err, raw)
			}
			q := `{ o: ` + k.Lookup + `(code: "` + first.Data["l"].Edges[0].Node.Code + `") { ` + selectAll(schema, k.TypeName, 2) + ` } }`
			before := fallbacks(&logs)
			db := post(directH, q)
			fellBack := fallbacks(&logs) > before
			gb := post(gqlgenH, q)
			if !bytes.Equal(db, gb) {
				t.Fatalf("direct answer differs from gqlgen's for %s\ndirect: %s\ngqlgen: %s", q, db, gb)
			}
			if fellBack || bytes.Contains(db, []byte(`"errors"`)) {
				t.Fatalf("want a direct answer without errors (fell back: %v): %s", fellBack, db)
			}
		})
	}
}

// lockedBuffer collects the handler's log lines, written from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
