package gqlhttp

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/lru"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

func TestResponseCache(t *testing.T) {
	st := neo4jtest.Store(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	gql := NewHandler(st, Options{MaxDepth: 12, MaxComplexity: DefaultMaxComplexity, Logger: logger})
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	h := CacheResponses(gql, env(nil), logger)

	do := func(method, query, vars string, hdr map[string]string) *httptest.ResponseRecorder {
		t.Helper()
		var req *http.Request
		if method == http.MethodGet {
			v := url.Values{"query": {query}}
			if vars != "" {
				v.Set("variables", vars)
			}
			req = httptest.NewRequest(method, "/graphql?"+v.Encode(), nil)
		} else {
			body := `{"query": ` + quoteJSON(query) + `, "variables": ` + or(vars, "null") + `}`
			req = httptest.NewRequest(method, "/graphql", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	q := `query($c: String!) { trust(code: $c) { name } }`
	t.Run("a repeated read is served from the cache, the same bytes, no database call", func(t *testing.T) {
		first := do(http.MethodPost, q, `{"c": "RJ1"}`, nil)
		before := st.Calls()
		// The same document laid out differently, variables spaced differently.
		again := do(http.MethodPost, "# comment\n"+strings.ReplaceAll(q, " ", "  "), `{ "c" : "RJ1" }`, nil)
		if st.Calls() != before {
			t.Fatalf("the repeat reached the database")
		}
		if first.Code != 200 || again.Body.String() != first.Body.String() || again.Header().Get("X-Cache") != "HIT" {
			t.Fatalf("first %d %s, again %s %s", first.Code, first.Body, again.Header().Get("X-Cache"), again.Body)
		}
		other := do(http.MethodPost, q, `{"c": "RJ7"}`, nil)
		if other.Body.String() == first.Body.String() || other.Header().Get("X-Cache") != "MISS" {
			t.Fatalf("other variables answered from the cache: %s", other.Body)
		}
	})
	t.Run("GET has an ETag, Cache-Control, and If-None-Match gives 304", func(t *testing.T) {
		first := do(http.MethodGet, q, `{"c":"RJ1"}`, nil)
		etag := first.Header().Get("ETag")
		if first.Code != 200 || etag == "" || !strings.Contains(first.Header().Get("Cache-Control"), "max-age=") {
			t.Fatalf("GET: %d, headers %v", first.Code, first.Header())
		}
		again := do(http.MethodGet, q, `{"c":"RJ1"}`, map[string]string{"If-None-Match": etag})
		if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Fatalf("If-None-Match: %d %q", again.Code, again.Body)
		}
	})
	t.Run("answers with errors are not cached", func(t *testing.T) {
		bad := `{ trusts(first: 5000) { totalCount } }`
		do(http.MethodPost, bad, "", nil)
		second := do(http.MethodPost, bad, "", nil)
		if second.Header().Get("X-Cache") != "" || !strings.Contains(second.Body.String(), "errors") {
			t.Fatalf("an error answer was cached: %v %s", second.Header(), second.Body)
		}
	})
	t.Run("RESPONSE_CACHE=off", func(t *testing.T) {
		if CacheResponses(gql, env(map[string]string{"RESPONSE_CACHE": "off"}), logger) != http.Handler(gql) {
			t.Fatal("the cache is on")
		}
	})
}

func TestByteLRU(t *testing.T) {
	l := lru.New[string, *cached](100)
	l.Add("a", &cached{}, 40)
	l.Add("b", &cached{}, 40)
	l.Get("a") // a is now the most recent
	l.Add("c", &cached{}, 40)
	if _, ok := l.Get("b"); ok {
		t.Fatal("b, the least recently used, was kept")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := l.Get(k); !ok {
			t.Fatalf("%s was evicted", k)
		}
	}
	if l.Bytes() > 100 {
		t.Fatalf("%d bytes held, bound 100", l.Bytes())
	}
	l.Add("huge", &cached{}, 1000)
	if _, ok := l.Get("huge"); ok {
		t.Fatal("an entry larger than the bound was kept")
	}
}

func TestNormalise(t *testing.T) {
	a, ok1 := normalise("{ trust(code: \"RJ1\") { name } }", nil)
	b, ok2 := normalise("# hi\nquery {\n  trust(code: \"RJ1\") {\n name\n }\n}", nil)
	if !ok1 || !ok2 || a != b {
		t.Fatalf("%q != %q", a, b)
	}
	if _, ok := normalise("mutation { x }", nil); ok {
		t.Fatal("a mutation was cacheable")
	}
	// A persisted query sent by hash alone is keyed by its hash (decoded as
	// the transport decodes it).
	p, err := decodeBody([]byte(`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := normalise(p.Query, p.Extensions); !ok || k != "apq:abc" {
		t.Fatalf("persisted query by hash: %q %v", k, ok)
	}
}

func quoteJSON(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
