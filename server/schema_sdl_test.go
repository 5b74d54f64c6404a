package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/icsgraph/icsgraph/graph"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// GET /schema.graphql: parses back into the executable schema (the same
// types, fields, arguments, descriptions and deprecations: both formatted
// alike), carries the schema's own description, and is cacheable with an
// ETag naming the data release. The browser test (pages_test.go) checks it
// against introspection with graphql-js.
func TestSchemaSDL(t *testing.T) {
	st := neo4jtest.Store(t)
	mux := newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil)))

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/schema.graphql", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /schema.graphql = %d %s", rec.Code, rec.Body.String())
	}
	sdl := rec.Body.String()
	release := rec.Header().Get(releaseHeader)
	etag := rec.Header().Get("ETag")

	t.Run("parses into the executable schema", func(t *testing.T) {
		parsed, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: sdl})
		if err != nil {
			t.Fatalf("the served SDL does not parse: %v", err)
		}
		exec := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
		format := func(s *ast.Schema) string {
			var b bytes.Buffer
			formatter.NewFormatter(&b, formatter.WithNonIntrospectionBuiltin()).FormatSchema(s) // built-ins too: @defer is one
			return b.String()
		}
		if got, want := format(parsed), format(exec); got != want {
			t.Errorf("the served SDL differs from the executable schema (%d vs %d bytes)", len(got), len(want))
		}
		if parsed.Description != exec.Description || !strings.Contains(parsed.Description, "integrated care landscape") {
			t.Errorf("schema description %.80q, want the executable schema's %.80q", parsed.Description, exec.Description)
		}
		deprecated := 0
		for _, d := range exec.Types {
			for _, f := range d.Fields {
				if f.Directives.ForName("deprecated") != nil {
					deprecated++
					if !strings.Contains(sdl, f.Name+": ") {
						t.Errorf("deprecated field %s.%s is missing", d.Name, f.Name)
					}
				}
				for _, a := range f.Arguments {
					if a.Directives.ForName("deprecated") != nil {
						deprecated++
					}
				}
			}
			for _, v := range d.EnumValues {
				if v.Directives.ForName("deprecated") != nil {
					deprecated++
				}
			}
		}
		if n := strings.Count(sdl, "@deprecated("); deprecated == 0 || n != deprecated {
			t.Errorf("the SDL has %d @deprecated, the executable schema %d deprecated fields, arguments and enum values", n, deprecated)
		}
	})

	t.Run("cacheable, with the release in the ETag", func(t *testing.T) {
		if release == "" || !strings.HasSuffix(etag, "-r"+release+`"`) {
			t.Errorf("ETag %q does not name the release %q", etag, release)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
			t.Errorf("Cache-Control %q", cc)
		}
		for _, tc := range []struct {
			name, inm string
			want      int
		}{
			{"the same tag", etag, http.StatusNotModified},
			{"weak, in a list", `"other", W/` + etag, http.StatusNotModified},
			{"another release", strings.Replace(etag, "-r"+release, "-r0", 1), http.StatusOK},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req := httptest.NewRequest(http.MethodGet, "/schema.graphql", nil)
				req.Header.Set("If-None-Match", tc.inm)
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, req)
				if rec.Code != tc.want || (tc.want == http.StatusNotModified && rec.Body.Len() != 0) {
					t.Errorf("If-None-Match %s: %d with %d bytes, want %d", tc.inm, rec.Code, rec.Body.Len(), tc.want)
				}
			})
		}
	})

	t.Run("not published with introspection off", func(t *testing.T) {
		cfg := testConfig(t)
		cfg.Introspection = false
		code, body := get(t, newMux(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))), "/schema.graphql")
		if code != http.StatusNotFound || !strings.Contains(body, `"NOT_FOUND"`) {
			t.Errorf("with INTROSPECTION=false: %d %s", code, body)
		}
	})
}
