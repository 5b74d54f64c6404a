package graph_test

import (
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current answers")

// api is an in-process GraphQL client over the real seeded database.
type api struct {
	t     *testing.T
	c     *client.Client
	store *store.Store
}

func newAPI(t *testing.T) *api {
	t.Helper()
	st := neo4jtest.Store(t)
	h := gqlhttp.NewHandler(st, gqlhttp.Options{
		MaxDepth:      12,
		MaxComplexity: gqlhttp.DefaultMaxComplexity,
		Introspection: true,
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	return &api{t: t, c: client.New(h), store: st}
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// query runs q and decodes data into out; it fails the test on any error.
func (a *api) query(q string, out any, opts ...client.Option) {
	a.t.Helper()
	data, errs := a.raw(q, opts...)
	if len(errs) > 0 {
		a.t.Fatalf("query failed: %+v\nquery: %s", errs, q)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			a.t.Fatalf("decoding %s: %v", data, err)
		}
	}
}

// raw runs q and returns its data and errors.
func (a *api) raw(q string, opts ...client.Option) (json.RawMessage, []gqlError) {
	a.t.Helper()
	resp, err := a.c.RawPost(q, opts...)
	if err != nil {
		// The client reports a non-2xx answer (a request that failed
		// validation) as "http <status>: <body>"; the body is the response.
		_, body, ok := strings.Cut(err.Error(), ": ")
		resp = &client.Response{}
		if !ok || json.Unmarshal([]byte(body), resp) != nil {
			a.t.Fatalf("post: %v", err)
		}
	}
	var errs []gqlError
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			a.t.Fatalf("decoding errors %s: %v", resp.Errors, err)
		}
	}
	data, _ := json.Marshal(resp.Data)
	return data, errs
}

// TestExamples runs every query in examples/ and compares its answer with
// testdata/golden/<name>.json (go test ./graph -run Examples -update rewrites them).
func TestExamples(t *testing.T) {
	a := newAPI(t)
	files, err := filepath.Glob("../examples/*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".graphql")
		t.Run(name, func(t *testing.T) {
			q, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var data any
			a.query(string(q), &data)
			got, _ := json.MarshalIndent(data, "", "  ")
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("answer differs from %s:\ngot:\n%s", golden, got)
			}
		})
	}
}
