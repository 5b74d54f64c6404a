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

	"github.com/icsgraph/icsgraph/graph"
	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// lockedBuffer collects log lines written from request goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

// TestDirectAnswers runs every query twice over the same database — answered
// directly (direct.go, the default) and field by field by gqlgen's executor —
// and requires the same status and the same bytes: data, errors, paths,
// nulls, order. It also checks which path answered: the queries that should
// be written directly are (no fallback logged), and those with errors fall
// back to gqlgen.
func TestDirectAnswers(t *testing.T) {
	st := neo4jtest.Store(t)
	var logs lockedBuffer
	opts := graph.Options{MaxDepth: 12, MaxComplexity: graph.DefaultMaxComplexity,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	directSrv := httptest.NewServer(graph.NewHandler(st, opts))
	defer directSrv.Close()
	opts.PerFieldExecution, opts.Logger = true, slog.New(slog.NewTextHandler(io.Discard, nil))
	gqlgenSrv := httptest.NewServer(graph.NewHandler(st, opts))
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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			logs.take()
			ds, db := post(directSrv.URL, c.query, c.vars)
			fellBack := strings.Contains(logs.take(), "answered by gqlgen")
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
			case c.path == "none" && (fellBack || executed):
				t.Errorf("want the request refused before execution; answer %s", db)
			}
		})
	}
}
