package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// TestGraphQLOverHTTP checks the GraphQL-over-HTTP conventions on the real
// handler: GET and POST, the response media type, the body limit, automatic
// persisted queries and switching introspection off.
func TestGraphQLOverHTTP(t *testing.T) {
	st := neo4jtest.Store(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := testConfig(t)
	cfg.MaxBodyBytes = 4096
	srv := httptest.NewServer(newMux(st, cfg, logger))
	defer srv.Close()

	do := func(t *testing.T, req *http.Request) (*http.Response, string) {
		t.Helper()
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	post := func(t *testing.T, body, accept string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		return do(t, req)
	}
	const query = `{ trust(code: "RJ1") { code } }`

	t.Run("GET", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql?query="+url.QueryEscape(query), nil)
		resp, body := do(t, req)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"RJ1"`) {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("POST asking for application/graphql-response+json", func(t *testing.T) {
		resp, body := post(t, fmt.Sprintf(`{"query": %q}`, query), "application/graphql-response+json")
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/graphql-response+json") || !strings.Contains(body, `"RJ1"`) {
			t.Fatalf("content type %q, body %s", ct, body)
		}
	})
	t.Run("body too large", func(t *testing.T) {
		resp, body := post(t, `{"query": "{ trust(code: \"RJ1\") { code } }", "x": "`+strings.Repeat("a", 5000)+`"}`, "")
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("%d %s, want 413", resp.StatusCode, body)
		}
	})
	t.Run("automatic persisted query", func(t *testing.T) {
		sum := sha256.Sum256([]byte(query))
		ext := fmt.Sprintf(`"extensions": {"persistedQuery": {"version": 1, "sha256Hash": %q}}`, hex.EncodeToString(sum[:]))
		_, body := post(t, `{`+ext+`}`, "")
		if !strings.Contains(body, "PersistedQueryNotFound") {
			t.Fatalf("unknown hash: %s", body)
		}
		if _, body = post(t, fmt.Sprintf(`{"query": %q, %s}`, query, ext), ""); !strings.Contains(body, `"RJ1"`) {
			t.Fatalf("register: %s", body)
		}
		if _, body = post(t, `{`+ext+`}`, ""); !strings.Contains(body, `"RJ1"`) {
			t.Fatalf("hash only: %s", body)
		}
	})
	t.Run("introspection can be switched off", func(t *testing.T) {
		off := cfg
		off.Introspection = false
		h := httptest.NewServer(newMux(st, off, logger))
		defer h.Close()
		resp, err := h.Client().Post(h.URL+"/graphql", "application/json", strings.NewReader(`{"query": "{ __schema { queryType { name } } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(b), `"errors"`) || strings.Contains(string(b), `"Query"`) {
			t.Fatalf("introspection answered while off: %s", b)
		}
	})
}
