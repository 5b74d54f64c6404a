package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// hostile is one request a hostile client could send, with what the server
// must answer: status, error code, and bounds on the time to answer and on
// the server's memory growth (heap after GC).
type hostile struct {
	name        string
	method      string
	contentType string // default application/json
	accept      string
	body        func() string // for GET: the raw query string
	chunked     bool          // send without Content-Length
	repeat      int           // send this many variants (body gets the index through variant)
	variant     func(i int) string
	status      int
	code        string
	maxTime     time.Duration // per request
	maxHeapMB   float64
	check       func(t *testing.T, body []byte)
}

func words(n int, w string) string { return strings.TrimSpace(strings.Repeat(w+" ", n)) }

func gql(q string) string {
	b, _ := json.Marshal(map[string]string{"query": q})
	return string(b)
}

// overIntrospections is how many whole-schema introspections (5000 each,
// internal/gqlhttp/cost.go) pass the default cost limit.
const overIntrospections = gqlhttp.DefaultMaxComplexity/5000 + 1

func aliases(n int, field string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field)
	}
	b.WriteString(" }")
	return b.String()
}

func fragmentCycle(n int) string {
	var b strings.Builder
	b.WriteString("{ trust(code: \"RJ1\") { ...F0 } }")
	for i := range n {
		fmt.Fprintf(&b, " fragment F%d on Trust { name ...F%d }", i, (i+1)%n)
	}
	return b.String()
}

// bigQuery is a distinct ~790 KB query, as in the cache test.
func bigQuery(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query Q%d {", i)
	for b.Len() < 790_000 {
		fmt.Fprintf(&b, " f%d: trust(code: \"RJ1\") { name code onsCode }", b.Len())
	}
	b.WriteString(" }")
	return b.String()
}

func deepJSON(n int) string {
	return `{"query": "{ __typename }", "variables": {"x": ` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}}`
}

func hostileRequests() []hostile {
	const fast = 2 * time.Second // generous: two shared cores
	return []hostile{
		{name: "search text of 100,000 words (300 KB)", body: func() string {
			return gql(fmt.Sprintf(`{ search(text: %q) { score } }`, words(100_000, "ab")))
		}, status: 200, code: "BAD_USER_INPUT", maxTime: fast, maxHeapMB: 30},
		{name: "search text of 3,000 words", body: func() string {
			return gql(fmt.Sprintf(`{ search(text: %q) { score } }`, words(3000, "trust")))
		}, status: 200, code: "BAD_USER_INPUT", maxTime: fast, maxHeapMB: 20},
		{name: "40 distinct ~790 KB queries (parsed-query cache)", repeat: 40, variant: func(i int) string { return gql(bigQuery(i)) },
			status: 200, code: "QUERY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 40},
		{name: "1,000 aliases of __schema", body: func() string { return gql(aliases(1000, "__schema { types { name } }")) },
			status: 200, code: "QUERY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20},
		{name: "whole-schema introspections over the cost limit", body: func() string {
			return gql(aliases(overIntrospections, "__schema { types { name fields { name } } }"))
		},
			status: 200, code: "COMPLEXITY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20},
		{name: "100 aliases of coterminositySummary", body: func() string {
			return gql(aliases(100, "coterminositySummary { areas fits { area { code } parts { share } } }"))
		}, status: 200, code: "QUERY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20},
		{name: "20 aliases of coterminositySummary with fits (cost)", body: func() string {
			return gql(aliases(20, "coterminositySummary { areas fits { area { code } parts { share } } }"))
		}, status: 200, code: "COMPLEXITY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20},
		{name: "2,000 aliases of a lookup", body: func() string { return gql(aliases(2000, `trust(code: "RJ1") { name }`)) },
			status: 200, code: "QUERY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20},
		{name: "50 aliases of a lookup (root fields)", body: func() string { return gql(aliases(50, `trust(code: "RJ1") { name }`)) },
			status: 200, code: "QUERY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20},
		{name: "2,000-fragment cycle", body: func() string { return gql(fragmentCycle(2000)) },
			status: 200, code: "QUERY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20},
		{name: "50,000 repeated directives", body: func() string {
			return gql(`{ trust(code: "RJ1") { name ` + strings.Repeat("@include(if: true) ", 50_000) + `} }`)
		}, status: 200, code: "QUERY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20},
		{name: "malformed JSON body", body: func() string { return `{"query": "{ __typename }"` },
			status: 400, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "JSON batch array", body: func() string { return `[` + gql("{ __typename }") + `,` + gql("{ __typename }") + `]` },
			status: 400, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "chunked body over the limit", chunked: true, body: func() string { return gql(`{ __typename }`) + strings.Repeat(" ", 2<<20) },
			status: 413, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 10},
		{name: "malformed Date coverage(on: 2021-13-45)", body: func() string { return gql(`{ coverage(on: "2021-13-45") { count } }`) },
			status: 200, code: "BAD_USER_INPUT", maxTime: fast, maxHeapMB: 5, check: func(t *testing.T, b []byte) {
				if !strings.Contains(string(b), `"argument":"on"`) {
					t.Errorf("the error does not name the argument: %s", b)
				}
			}},
		{name: "900 KB field name", body: func() string { return gql(`{ ` + strings.Repeat("x", 900_000) + ` }`) },
			status: 200, code: "QUERY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20, check: func(t *testing.T, b []byte) {
				if len(b) > 4096 {
					t.Errorf("answer of %d bytes echoes the input", len(b))
				}
			}},
		{name: "900 KB argument echoed back", body: func() string {
			return gql(`{ trust(code: 5` + strings.Repeat("0", 900_000) + `) { name } }`)
		}, status: 200, code: "GRAPHQL_VALIDATION_FAILED", maxTime: fast, maxHeapMB: 20, check: func(t *testing.T, b []byte) {
			if len(b) > 4096 {
				t.Errorf("answer of %d bytes echoes the input", len(b))
			}
		}},
		{name: "unsupported media type", contentType: "text/plain", body: func() string { return gql(`{ __typename }`) },
			status: 415, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "no Content-Type", contentType: "-", body: func() string { return gql(`{ __typename }`) },
			status: 415, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "no query", body: func() string { return `{"variables": {}}` },
			status: 400, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "query not a string", body: func() string { return `{"query": 5}` },
			status: 400, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "variables not an object", body: func() string { return `{"query": "{ __typename }", "variables": [1]}` },
			status: 400, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "two JSON values", body: func() string { return gql(`{ __typename }`) + gql(`{ __typename }`) },
			status: 400, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "JSON nested 100,000 deep", body: func() string { return deepJSON(100_000) },
			status: 400, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 20},
		{name: "GET with malformed variables", method: http.MethodGet, body: func() string {
			return "query=" + url.QueryEscape("{ __typename }") + "&variables=" + url.QueryEscape("{nope")
		}, status: 400, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "PUT", method: http.MethodPut, body: func() string { return gql(`{ __typename }`) },
			status: 405, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "Accept: text/html only", accept: "text/html", body: func() string { return gql(`{ __typename }`) },
			status: 406, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "parse error, graphql-response+json", accept: "application/graphql-response+json", body: func() string { return gql(`{ trust(`) },
			status: 400, code: "GRAPHQL_PARSE_FAILED", maxTime: fast, maxHeapMB: 5, check: noData},
		{name: "parse error, application/json", body: func() string { return gql(`{ trust(`) },
			status: 200, code: "GRAPHQL_PARSE_FAILED", maxTime: fast, maxHeapMB: 5, check: noData},
		{name: "variable coercion error, graphql-response+json", accept: "application/graphql-response+json", body: func() string {
			return `{"query": "query($c: String!) { trust(code: $c) { name } }", "variables": {"c": {"not": "a string"}}}`
		}, status: 400, code: "GRAPHQL_VALIDATION_FAILED", maxTime: fast, maxHeapMB: 5, check: noData},
		{name: "nested 40 deep", body: func() string {
			return gql(`{ trust(code: "RJ1") {` + strings.Repeat(` integratedCareSystem { region { integratedCareSystems { trusts {`, 10) + ` name` + strings.Repeat(` } } } }`, 10) + ` } }`)
		}, status: 200, code: "DEPTH_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 5},
		{name: "deep introspection", body: func() string {
			return gql(`{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`)
		}, status: 200, code: "GRAPHQL_VALIDATION_FAILED", maxTime: fast, maxHeapMB: 5},
		{name: "members first 100000", body: func() string {
			return gql(`{ members(code: "Y56", kind: PRACTICE, first: 100000) { edges { node { organisation { name } } } } }`)
		}, status: 200, code: "COMPLEXITY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 5},
		{name: "150 unknown fields (error count)", body: func() string {
			var b strings.Builder
			b.WriteString("{")
			for i := range 150 {
				fmt.Fprintf(&b, " nope%d", i)
			}
			return gql(b.String() + " }")
		}, status: 200, code: "GRAPHQL_VALIDATION_FAILED", maxTime: fast, maxHeapMB: 5, check: func(t *testing.T, b []byte) {
			var r struct{ Errors []map[string]any }
			_ = json.Unmarshal(b, &r)
			if len(r.Errors) > 20 {
				t.Errorf("%d errors returned, want at most 20", len(r.Errors))
			}
		}},
		{name: "persisted query with a wrong hash", body: func() string {
			return `{"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "00"}}}`
		}, status: 200, code: "BAD_REQUEST", maxTime: fast, maxHeapMB: 5},
		{name: "200 refused persisted queries (APQ cache)", repeat: 200, variant: func(i int) string {
			q := fmt.Sprintf("query Q%d %s", i, aliases(overIntrospections, "__schema { types { name } }"))
			return fmt.Sprintf(`{"query": %q, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": %q}}}`, q, sha(q))
		}, status: 200, code: "COMPLEXITY_LIMIT_EXCEEDED", maxTime: fast, maxHeapMB: 20},
		{name: "900 KB string where an enum goes", body: func() string {
			return gql(`{ members(code: "Y56", kind: "` + strings.Repeat("P", 900_000) + `") { totalCount } }`)
		}, status: 200, code: "GRAPHQL_VALIDATION_FAILED", maxTime: fast, maxHeapMB: 20, check: func(t *testing.T, b []byte) {
			if len(b) > 4096 {
				t.Errorf("answer of %d bytes echoes the input", len(b))
			}
		}},
		{name: "mutation", body: func() string { return gql(`mutation { x }`) },
			status: 200, code: "GRAPHQL_VALIDATION_FAILED", maxTime: fast, maxHeapMB: 5},
	}
}

func noData(t *testing.T, b []byte) {
	var r map[string]json.RawMessage
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if _, ok := r["data"]; ok {
		t.Errorf("a request error carries a data key: %s", b)
	}
}

func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// TestAbuse sends every hostile request of the table to the real handler
// over loopback and checks status, code, time and memory, then that Neo4j
// and the API still answer. Set ABUSE_REPORT=1 to print the table.
func TestAbuse(t *testing.T) {
	st := neo4jtest.Store(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(newMux(st, testConfig(t), logger))
	defer srv.Close()
	client := &http.Client{Timeout: 60 * time.Second}
	base := srv.URL
	// ABUSE_URL measures another server instead (e.g. an older build) and
	// only reports; ABUSE_PID is its process, for its resident memory.
	external := os.Getenv("ABUSE_URL")
	if external != "" {
		base = external
	}
	memMB := heapMB
	if pid := os.Getenv("ABUSE_PID"); pid != "" {
		memMB = func() float64 { return rssMB(pid) }
	}
	var report strings.Builder
	fmt.Fprintf(&report, "| request | status | code | time | heap growth |\n|---|---|---|---|---|\n")

	send := func(t *testing.T, h hostile, body string) (int, []byte, time.Duration) {
		method := h.method
		if method == "" {
			method = http.MethodPost
		}
		target := base + "/graphql"
		var rd io.Reader = strings.NewReader(body)
		if method == http.MethodGet {
			target += "?" + body
			rd = nil
		} else if h.chunked {
			rd = io.MultiReader(strings.NewReader(body)) // unknown length: sent chunked
		}
		req, err := http.NewRequest(method, target, rd)
		if err != nil {
			t.Fatal(err)
		}
		switch h.contentType {
		case "":
			req.Header.Set("Content-Type", "application/json")
		case "-":
		default:
			req.Header.Set("Content-Type", h.contentType)
		}
		if h.accept != "" {
			req.Header.Set("Accept", h.accept)
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			if external != "" {
				return 0, []byte(err.Error()), time.Since(start)
			}
			t.Fatalf("no answer: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, b, time.Since(start)
	}

	for _, h := range hostileRequests() {
		t.Run(h.name, func(t *testing.T) {
			if skip := os.Getenv("ABUSE_SKIP"); skip != "" && strings.Contains(h.name, skip) {
				t.Skip("ABUSE_SKIP")
			}
			n := max(h.repeat, 1)
			before := memMB()
			var worst time.Duration
			var status int
			var code string
			for i := range n {
				body := ""
				if h.variant != nil {
					body = h.variant(i)
				} else {
					body = h.body()
				}
				s, b, d := send(t, h, body)
				body = ""
				worst = max(worst, d)
				status = s
				var r struct {
					Errors []struct {
						Extensions map[string]any `json:"extensions"`
					} `json:"errors"`
				}
				_ = json.Unmarshal(b, &r)
				code = ""
				if len(r.Errors) > 0 {
					code, _ = r.Errors[0].Extensions["code"].(string)
				}
				if s == 0 {
					code = "NO ANSWER"
				}
				if external != "" {
					continue
				}
				if s != h.status || code != h.code {
					t.Fatalf("answer %d %s, want %d %s: %.300s", s, code, h.status, h.code, b)
				}
				if h.check != nil {
					h.check(t, b)
				}
			}
			growth := memMB() - before
			fmt.Fprintf(&report, "| %s | %d | %s | %s | %+.1f MB |\n", h.name, status, code, worst.Round(time.Millisecond), growth)
			if external != "" {
				return
			}
			if worst > h.maxTime {
				t.Errorf("took %s to refuse, bound %s", worst, h.maxTime)
			}
			if growth > h.maxHeapMB {
				t.Errorf("heap grew %.1f MB, bound %.0f MB", growth, h.maxHeapMB)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := st.Ping(ctx); err != nil {
				t.Fatalf("Neo4j no longer answers: %v", err)
			}
		})
	}
	t.Run("the API still answers", func(t *testing.T) {
		if external != "" {
			t.Skip("reporting on another server")
		}
		s, b, _ := send(t, hostile{}, gql(`{ trust(code: "RJ1") { code } }`))
		if s != 200 || !strings.Contains(string(b), `"RJ1"`) {
			t.Fatalf("%d %s", s, b)
		}
	})
	// ABUSE_REPORT=1 logs the table; any other value is a file to write it to.
	switch r := os.Getenv("ABUSE_REPORT"); r {
	case "":
	case "1":
		t.Log("\n" + report.String())
	default:
		if err := os.WriteFile(r, []byte(report.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

func sha(q string) string {
	sum := sha256.Sum256([]byte(q))
	return hex.EncodeToString(sum[:])
}

// rssMB is the resident memory of process pid (Linux).
func rssMB(pid string) float64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
