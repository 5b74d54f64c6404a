package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/export/nxtest"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// gqlPost runs a GraphQL query through the mux and decodes data into out.
func gqlPost(t *testing.T, h http.Handler, query string, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	var resp struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("query %s: %v %s", query, err, rec.Body.String())
	}
	if err := json.Unmarshal(resp.Data, out); err != nil {
		t.Fatal(err)
	}
}

// fetchExport GETs an export and checks status, content type and filename.
func fetchExport(t *testing.T, h http.Handler, url string) []byte {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", url, rec.Code, rec.Body.String())
	}
	format := url[strings.LastIndex(url, "format=")+len("format="):]
	wantType := map[string]string{"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "csv": "application/zip", "cyjs": "application/json"}[format]
	if ct := rec.Header().Get("Content-Type"); ct != wantType {
		t.Errorf("GET %s: Content-Type %q, want %q", url, ct, wantType)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="icsgraph-`) {
		t.Errorf("GET %s: Content-Disposition %q", url, cd)
	}
	return rec.Body.Bytes()
}

type org struct{ Kind, Code string }

func (o org) id() string { return o.Kind + ":" + o.Code }

type hop struct {
	Relationship string
	Direction    string
	From, To     org
}

type apiPath struct {
	Organisations []org
	Hops          []hop
}

// pathGraph is the node and edge sets the API's paths make: an edge per
// relationship type and stored direction between two organisations.
func pathGraph(paths []apiPath) (nodes, edges map[string]bool) {
	nodes, edges = map[string]bool{}, map[string]bool{}
	for _, p := range paths {
		for _, o := range p.Organisations {
			nodes[o.id()] = true
		}
		for _, h := range p.Hops {
			a, z := h.From, h.To
			if h.Direction == "BACKWARD" {
				a, z = z, a
			}
			edges[h.Relationship+":"+a.id()+"->"+z.id()] = true
		}
	}
	return nodes, edges
}

const pathFields = `organisations { kind code } hops { relationship direction from { kind code } to { kind code } }`

// TestExportsMatchTheAPI exports subgraphs the API names in every format
// and reads them back — GraphML and GEXF with NetworkX, the CSVs and the
// Cytoscape JSON in Go — expecting the API's nodes and edges.
func TestExportsMatchTheAPI(t *testing.T) {
	nxtest.Require(t)
	st := neo4jtest.Store(t)
	mux := newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil)))

	// Codes to ask about, from the data.
	var pick struct {
		GpPractices struct{ Edges []struct{ Node org } }
		Trusts      struct {
			Edges []struct {
				Node struct {
					org
					IntegratedCareSystem struct{ Region org }
				}
			}
		}
		Systems struct{ Edges []struct{ Node org } } `json:"integratedCareSystems"`
	}
	gqlPost(t, mux, `{ gpPractices(first: 1) { edges { node { kind code } } }
		trusts(first: 1) { edges { node { kind code integratedCareSystem { region { kind code } } } } }
		integratedCareSystems(first: 1) { edges { node { kind code } } } }`, &pick)
	practice, trust := pick.GpPractices.Edges[0].Node, pick.Trusts.Edges[0].Node
	ics, region := pick.Systems.Edges[0].Node, trust.IntegratedCareSystem.Region

	type want struct{ nodes, edges map[string]bool }
	cases := []struct {
		name string
		url  string
		api  func() want
	}{
		{"neighbourhood", fmt.Sprintf("/export/neighbourhood?code=%s&depth=2", ics.Code), func() want {
			var d struct {
				Neighbourhood struct {
					Nodes []struct{ Organisation org }
					Edges []struct {
						Relationship string
						From, To     string
					}
				}
			}
			gqlPost(t, mux, fmt.Sprintf(`{ neighbourhood(code: %q, depth: 2) { nodes { id organisation { kind code } } edges { relationship from to } } }`, ics.Code), &d)
			w := want{map[string]bool{}, map[string]bool{}}
			for _, n := range d.Neighbourhood.Nodes {
				w.nodes[n.Organisation.id()] = true
			}
			for _, e := range d.Neighbourhood.Edges {
				w.edges[e.Relationship+":"+e.From+"->"+e.To] = true // global ids; compared by count
			}
			return w
		}},
		{"members", fmt.Sprintf("/export/members?code=%s&kind=PCN", ics.Code), func() want {
			var d struct {
				Members struct {
					TotalCount int
					Edges      []struct{ Node struct{ Path apiPath } }
				}
			}
			gqlPost(t, mux, fmt.Sprintf(`{ members(code: %q, kind: PCN, first: 500) { totalCount edges { node { path { %s } } } } }`, ics.Code, pathFields), &d)
			if d.Members.TotalCount != len(d.Members.Edges) || d.Members.TotalCount == 0 {
				t.Fatalf("members: %d of %d on one page", len(d.Members.Edges), d.Members.TotalCount)
			}
			var paths []apiPath
			for _, e := range d.Members.Edges {
				paths = append(paths, e.Node.Path)
			}
			n, e := pathGraph(paths)
			return want{n, e}
		}},
		{"ancestors", "/export/ancestors?code=" + practice.Code, func() want {
			var d struct{ Ancestors []struct{ Path apiPath } }
			gqlPost(t, mux, fmt.Sprintf(`{ ancestors(code: %q) { path { %s } } }`, practice.Code, pathFields), &d)
			var paths []apiPath
			for _, a := range d.Ancestors {
				paths = append(paths, a.Path)
			}
			n, e := pathGraph(paths)
			return want{n, e}
		}},
		{"path", fmt.Sprintf("/export/path?from=%s&to=%s&all=true", trust.Code, region.Code), func() want {
			var d struct{ Path []apiPath }
			gqlPost(t, mux, fmt.Sprintf(`{ path(from: %q, to: %q, all: true) { %s } }`, trust.Code, region.Code, pathFields), &d)
			if len(d.Path) < 2 {
				t.Fatalf("want several shortest paths from trust %s to its region %s, got %d", trust.Code, region.Code, len(d.Path))
			}
			n, e := pathGraph(d.Path)
			return want{n, e}
		}},
		{"landscape", "/export/landscape", func() want {
			// The API lists each kind; the landscape holds them all.
			var d map[string]struct{ Edges []struct{ Node org } }
			gqlPost(t, mux, `{ regions(first: 500) { edges { node { kind code } } }
				integratedCareSystems(first: 500) { edges { node { kind code } } }
				subIcbLocations(first: 500) { edges { node { kind code } } }
				trusts(first: 500) { edges { node { kind code } } }
				councils(first: 500) { edges { node { kind code } } }
				cancerAlliances(first: 500) { edges { node { kind code } } }
				clinicalSenates(first: 500) { edges { node { kind code } } } }`, &d)
			w := want{nodes: map[string]bool{}}
			for _, conn := range d {
				for _, e := range conn.Edges {
					w.nodes[e.Node.id()] = true
				}
			}
			return w
		}},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.api()
			gml := filepath.Join(dir, tc.name+".graphml")
			gexf := filepath.Join(dir, tc.name+".gexf")
			for f, p := range map[string]string{"graphml": gml, "gexf": gexf} {
				if err := os.WriteFile(p, fetchExport(t, mux, tc.url+sep(tc.url)+"format="+f), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res := nxtest.Read(t, gml, gexf)
			wantIDs := slices.Sorted(func(y func(string) bool) {
				for k := range w.nodes {
					if !y(k) {
						return
					}
				}
			})
			for _, p := range []string{gml, gexf} {
				s := res[p]
				if s.Nodes != len(w.nodes) || !slices.Equal(s.NodeIDs, wantIDs) {
					t.Errorf("%s: NetworkX read %d nodes, the API answers %d (ids equal: %v)", filepath.Base(p), s.Nodes, len(w.nodes), slices.Equal(s.NodeIDs, wantIDs))
				}
				if w.edges != nil && s.Edges != len(w.edges) {
					t.Errorf("%s: NetworkX read %d edges, the API answers %d", filepath.Base(p), s.Edges, len(w.edges))
				}
			}
			if res[gexf].Mode != "dynamic" {
				t.Errorf("GEXF mode %q, want dynamic", res[gexf].Mode)
			}
			nEdges := res[gml].Edges
			if res[gexf].Edges != nEdges {
				t.Errorf("GEXF has %d edges, GraphML %d", res[gexf].Edges, nEdges)
			}
			// CSV round trip: the same nodes and edges as the other formats.
			tables := nxtest.ReadCSVZip(t, fetchExport(t, mux, tc.url+sep(tc.url)+"format=csv"))
			var csvIDs []string
			for _, r := range tables["nodes.csv"] {
				csvIDs = append(csvIDs, r["id"])
			}
			slices.Sort(csvIDs)
			if !slices.Equal(csvIDs, wantIDs) || len(tables["edges.csv"]) != nEdges {
				t.Errorf("CSV: %d nodes %d edges, want %d %d", len(csvIDs), len(tables["edges.csv"]), len(wantIDs), nEdges)
			}
			for _, r := range tables["edges.csv"] {
				if !w.nodes[r["source"]] || !w.nodes[r["target"]] {
					t.Errorf("CSV edge %s joins nodes outside the subgraph", r["id"])
				}
			}
			var cy struct {
				Elements struct {
					Nodes, Edges []struct{ Data map[string]any }
				}
			}
			if err := json.Unmarshal(fetchExport(t, mux, tc.url+sep(tc.url)+"format=cyjs"), &cy); err != nil {
				t.Fatal(err)
			}
			if len(cy.Elements.Nodes) != len(wantIDs) || len(cy.Elements.Edges) != nEdges {
				t.Errorf("Cytoscape JSON: %d nodes %d edges, want %d %d", len(cy.Elements.Nodes), len(cy.Elements.Edges), len(wantIDs), nEdges)
			}
		})
	}

	t.Run("Subgraph.exports links the same neighbourhood", func(t *testing.T) {
		var d struct {
			Neighbourhood struct {
				Nodes   []struct{ ID string }
				Exports []struct{ Format, URL, ContentType string }
			}
		}
		gqlPost(t, mux, fmt.Sprintf(`{ neighbourhood(code: %q, depth: 1, kinds: [ICS, TRUST, REGION]) { nodes { id } exports { format url contentType } } }`, ics.Code), &d)
		if len(d.Neighbourhood.Exports) != 4 {
			t.Fatalf("exports %v, want 4 formats", d.Neighbourhood.Exports)
		}
		for _, l := range d.Neighbourhood.Exports {
			if !strings.Contains(l.URL, "kinds=ICS%2CTRUST%2CREGION") {
				t.Errorf("link %s lost the kinds argument", l.URL)
			}
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, l.URL, nil))
			if rec.Code != 200 || rec.Header().Get("Content-Type") != l.ContentType {
				t.Fatalf("GET %s = %d %s", l.URL, rec.Code, rec.Header().Get("Content-Type"))
			}
			if n, _ := strconv.Atoi(rec.Header().Get("X-Export-Nodes")); n != len(d.Neighbourhood.Nodes) {
				t.Errorf("%s: %d nodes, the API answered %d", l.Format, n, len(d.Neighbourhood.Nodes))
			}
		}
	})
}

func sep(url string) string {
	if strings.Contains(url, "?") {
		return "&"
	}
	return "?"
}

// TestExportErrors: the API's error shape and codes for bad exports.
func TestExportErrors(t *testing.T) {
	st := neo4jtest.Store(t)
	mux := newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	type errBody struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	for _, tc := range []struct {
		url, code, argument string
		status              int
	}{
		{"/export/neighbourhood?code=QWE&depth=9", "BAD_USER_INPUT", "depth", 400},
		{"/export/neighbourhood?code=QWE&depth=x", "BAD_USER_INPUT", "depth", 400},
		{"/export/neighbourhood", "BAD_USER_INPUT", "code", 400},
		{"/export/neighbourhood?code=QWE&limit=0", "BAD_USER_INPUT", "limit", 400},
		{"/export/neighbourhood?code=QWE&kinds=ICS,NOPE", "BAD_USER_INPUT", "kinds", 400},
		{"/export/neighbourhood?code=QWE&format=pdf", "BAD_USER_INPUT", "format", 400},
		{"/export/neighbourhood?code=QWE&asOf=2026-02-30", "BAD_USER_INPUT", "asOf", 400},
		{"/export/neighbourhood?code=QWE&asOf=1.5.2026", "BAD_USER_INPUT", "asOf", 400},
		{"/export/everything", "BAD_USER_INPUT", "what", 400},
		{"/export/members?code=QWE", "BAD_USER_INPUT", "kind", 400},
		{"/export/members?code=QWE&kind=PCN&basis=VIBES", "BAD_USER_INPUT", "basis", 400},
		{"/export/path?from=QWE", "BAD_USER_INPUT", "to", 400},
		{"/export/path?from=QWE&to=QWE&maxHops=99", "BAD_USER_INPUT", "maxHops", 400},
		{"/export/path?from=QWE&to=QWE&all=maybe", "BAD_USER_INPUT", "all", 400},
		{"/export/neighbourhood?code=NOSUCHCODE", "NOT_FOUND", "code", 404},
		{"/export/path?from=QWE&to=NOSUCHCODE", "NOT_FOUND", "to", 404},
	} {
		t.Run(tc.url, func(t *testing.T) {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.url, nil))
			var b errBody
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || len(b.Errors) != 1 {
				t.Fatalf("GET %s = %d %s", tc.url, rec.Code, rec.Body.String())
			}
			ext := b.Errors[0].Extensions
			if rec.Code != tc.status || ext["code"] != tc.code || ext["argument"] != tc.argument {
				t.Fatalf("GET %s = %d %v, want %d %s argument %s", tc.url, rec.Code, b.Errors[0], tc.status, tc.code, tc.argument)
			}
		})
	}

	t.Run("over the node limit", func(t *testing.T) {
		old := maxExportNodes
		maxExportNodes = 50
		defer func() { maxExportNodes = old }()
		for _, url := range []string{"/export/landscape?kinds=PRACTICE", "/export/members?code=QWE&kind=PRACTICE"} {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
			var b errBody
			_ = json.Unmarshal(rec.Body.Bytes(), &b)
			if rec.Code != http.StatusRequestEntityTooLarge || len(b.Errors) != 1 || b.Errors[0].Extensions["limit"] != float64(50) || !strings.Contains(b.Errors[0].Message, "export limit of 50") {
				t.Fatalf("GET %s = %d %s", url, rec.Code, rec.Body.String())
			}
		}
	})

	t.Run("database down", func(t *testing.T) {
		cfg := neo4jtest.Config()
		cut := neo4jtest.NewProxy(t, cfg.URI)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cfg.URI = cut.URI()
		st, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close(context.Background())
		down := newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
		cut.Cut()
		rec := httptest.NewRecorder()
		down.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/export/landscape", nil))
		var b errBody
		_ = json.Unmarshal(rec.Body.Bytes(), &b)
		if rec.Code != http.StatusServiceUnavailable || len(b.Errors) != 1 || b.Errors[0].Extensions["code"] != "UNAVAILABLE" {
			t.Fatalf("export with the database down = %d %s", rec.Code, rec.Body.String())
		}
	})

	t.Run("asOf is carried", func(t *testing.T) {
		// Today's graph has no validFrom: every fact holds on any date, so a
		// dated export equals the undated one, and is named by the date.
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/export/neighbourhood?code=QWE&asOf=2026-05-01&format=gexf", nil))
		plain := httptest.NewRecorder()
		mux.ServeHTTP(plain, httptest.NewRequest(http.MethodGet, "/export/neighbourhood?code=QWE&format=gexf", nil))
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Disposition"), "2026-05-01") || rec.Header().Get("X-Export-Nodes") != plain.Header().Get("X-Export-Nodes") {
			t.Fatalf("dated export = %d %v", rec.Code, rec.Header())
		}
	})
}
