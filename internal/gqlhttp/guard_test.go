package gqlhttp

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/apierr"
)

func TestByteCache(t *testing.T) {
	c := newByteCache(100, 40, func(k string, v string) int64 { return int64(len(k) + len(v)) })
	ctx := withPending(context.Background())
	c.Add(ctx, "a", strings.Repeat("x", 29)) // 30 bytes
	if _, ok := c.Get(ctx, "a"); ok {
		t.Fatal("stored before the request passed its checks")
	}
	pendingFrom(ctx).commit()
	if _, ok := c.Get(ctx, "a"); !ok {
		t.Fatal("not stored after commit")
	}
	c.Add(context.Background(), "z", "no request scope")
	if _, ok := c.Get(ctx, "z"); ok {
		t.Fatal("stored without a request scope")
	}
	for _, k := range []string{"b", "c", "d"} {
		ctx := withPending(context.Background())
		c.Add(ctx, k, strings.Repeat("x", 29))
		pendingFrom(ctx).commit()
	}
	if c.Bytes() > 100 {
		t.Fatalf("holds %d bytes, budget 100", c.Bytes())
	}
	if _, ok := c.Get(ctx, "a"); ok {
		t.Fatal("the least recently used entry was kept over the budget")
	}
	ctx = withPending(context.Background())
	c.Add(ctx, "big", strings.Repeat("x", 50))
	pendingFrom(ctx).commit()
	if _, ok := c.Get(ctx, "big"); ok {
		t.Fatal("an entry over the per-entry limit was kept")
	}
}

// TestQueryCacheKeepsOnlyCheckedQueries: through the handler, a query that
// fails a limit is not cached; one that passes is.
func TestQueryCacheKeepsOnlyCheckedQueries(t *testing.T) {
	h, testQueryCache := newHandler(nil, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	send := func(q string) string {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(fmt.Sprintf(`{"query": %q}`, q)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	// More whole-schema introspections than the default cost limit allows.
	var aliases []string
	for i := range DefaultMaxComplexity/schemaCost + 1 {
		aliases = append(aliases, fmt.Sprintf("s%d: __schema { types { name } }", i))
	}
	refused := "{ " + strings.Join(aliases, " ") + " }"
	if b := send(refused); !strings.Contains(b, apierr.CodeComplexityLimit) {
		t.Fatalf("%s", b)
	}
	if _, ok := testQueryCache.Get(context.Background(), refused); ok {
		t.Fatal("a query refused by the cost limit was cached")
	}
	ok := `{ __typename }`
	if b := send(ok); !strings.Contains(b, `"Query"`) {
		t.Fatalf("%s", b)
	}
	if _, found := testQueryCache.Get(context.Background(), ok); !found {
		t.Fatal("a query that passed was not cached")
	}
}

func TestScanQuery(t *testing.T) {
	l := DefaultLimits
	for _, tc := range []struct {
		name, q, limit string
	}{
		{"plain", `query A($x: Int = 5) { a: trust(code: "x") { name } b: trust(code: "y") @include(if: true) { name } }`, ""},
		{"introspection", strings.Repeat(" ", 1) + `{ __schema { types { name fields { name args { name } } } } }`, ""},
		{"tokens", "{" + strings.Repeat(" a", 9000) + " }", "tokens"},
		{"fragments", "{ a }" + strings.Repeat(" fragment F on Query { a }", 65), "fragments"},
		{"directives", "{ a" + strings.Repeat(" @skip(if: false)", 65) + " }", "directives"},
		{"aliases", "{" + strings.Repeat(" x: a", 201) + " }", "aliases"},
		{"operations", strings.Repeat(" { a }", 33), "operations"},
		{"names", "{ " + strings.Repeat("n", 257) + " }", "nameLength"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := scanQuery(tc.q, l)
			if tc.limit == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || err.Extensions["limit"] != tc.limit {
				t.Fatalf("err = %v, want limit %s", err, tc.limit)
			}
		})
	}
}
