package gqlhttp

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/99designs/gqlgen/graphql"

	"github.com/icsgraph/icsgraph/internal/apierr"
)

// Seeds live in testdata/fuzz/<FuzzName>/; `make test` runs each target
// briefly (see the Makefile) and plain `go test` runs the seeds.

// FuzzDecodeBody: decoding a POST body never panics, and a body it accepts
// has a query or a persisted-query hash to look one up by.
func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{
		`{"query": "{ __typename }"}`,
		`{"query": "query Q($c: String!) { trust(code: $c) { name } }", "operationName": "Q", "variables": {"c": "RJ1"}}`,
		`[{"query": "{ __typename }"}]`,
		`{"query": 5}`,
		`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab"}}}`,
		`{"query": "{ a }"} {"query": "{ b }"}`,
		`{"variables": [[[[[]]]]]}`,
		"\ufeff{}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodeBody(body)
		if err != nil {
			if p != nil {
				t.Fatal("params with an error")
			}
			return
		}
		if strings.TrimSpace(p.Query) == "" && p.Extensions["persistedQuery"] == nil {
			t.Fatalf("accepted a body without a query: %q", body)
		}
	})
}

// FuzzScanQuery: the scan of query text never panics, is bounded by the
// token limit, and agrees with the parser: a document it lets through never
// passes the parser's token limit.
func FuzzScanQuery(f *testing.F) {
	for _, s := range []string{
		`{ trust(code: "RJ1") { name } }`,
		`query A { a: __typename b: __typename } fragment F on Query { __typename }`,
		`{ x @include(if: true) @skip(if: false) }`,
		`{ ...F } fragment F on Query { ...F }`,
		`"""block""" query { a(b: {c: [1, 2.5, "s", $v, ENUM, null]}) }`,
		`{ a(`,
		"{ \u00e9 }",
	} {
		f.Add(s)
	}
	l := DefaultLimits
	l.MaxTokens = 200
	f.Fuzz(func(t *testing.T, q string) {
		start := time.Now()
		err := scanQuery(q, l)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("scan took %s", d)
		}
		if err != nil {
			if err.Extensions["code"] != apierr.CodeQueryLimit {
				t.Fatalf("scan error without the limit code: %v", err)
			}
			return
		}
		if _, perr := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, l.MaxTokens); perr != nil && strings.Contains(perr.Error(), "token limit") {
			t.Fatalf("scan let through a document over the token limit: %v", perr)
		}
	})
}

// FuzzCost: any document that parses and validates gets a price, in bounded
// time, without panicking.
func FuzzCost(f *testing.F) {
	for _, s := range []string{
		`{ trusts(first: 500) { edges { node { integratedCareSystem { trusts { name } } } } } }`,
		`{ members(code: "Y56", kind: PCN, first: 3) { edges { node { path { hops { from { ... on Trust { partnerOf { integratedCareSystem { name } } } } } } } } } }`,
		`{ a: __schema { types { name } } b: __type(name: "Trust") { name } }`,
		`query { ...Q } fragment Q on Query { coterminositySummary { fits { parts { area { ...O } } } } } fragment O on Organisation { name sources { title } }`,
		`{ nodes(ids: ["a", "b", "c"]) { id ... on Council { districts { name } } } }`,
		`{ path(from: "A", to: "B", maxHops: 99999, all: true) { length } }`,
	} {
		f.Add(s)
	}
	s := testSchema()
	f.Fuzz(func(t *testing.T, q string) {
		if len(q) > 4000 {
			return
		}
		doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, 1000)
		if err != nil || len(doc.Operations) == 0 || len(validator.Validate(s, doc)) > 0 {
			return
		}
		op := doc.Operations[0]
		vars, verr := validator.VariableValues(s, op, nil)
		if verr != nil {
			return
		}
		oc := &graphql.OperationContext{Doc: doc, Operation: op, Variables: vars, RawQuery: q}
		start := time.Now()
		cost, cerr := operationCost(s, oc, DefaultMaxComplexity)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("pricing took %s", d)
		}
		if cerr == nil && cost < 0 {
			t.Fatalf("negative cost %d", cost)
		}
	})
}

// FuzzHandler: whatever the body and media types, the handler answers with
// a status the GraphQL-over-HTTP rules allow and a JSON body with errors or
// data, never a 500. (No database: a query that passes every check reaches
// a resolver without a store, which panics; that must become INTERNAL.)
func FuzzHandler(f *testing.F) {
	f.Add(`{"query": "{ __typename }"}`, "application/json", "")
	f.Add(`{"query": "{ trust(code: \"RJ1\") { name } }"}`, "application/json", "application/graphql-response+json")
	f.Add(`[1]`, "application/json", "*/*")
	f.Add(`{"query": "{ coverage(on: \"2021-13-45\") { count } }"}`, "application/json; charset=utf-8", "")
	f.Add(`query=%7B__typename%7D`, "application/x-www-form-urlencoded", "text/html")
	h := NewHandler(nil, Options{Introspection: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: Limits{MaxBodyBytes: 1 << 16}})
	allowed := map[int]bool{200: true, 204: true, 400: true, 405: true, 406: true, 413: true, 415: true}
	f.Fuzz(func(t *testing.T, body, contentType, accept string) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if rec.Code == http.StatusNoContent {
			return
		}
		var r map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatalf("answer is not JSON: %q", rec.Body)
		}
		_, hasData := r["data"]
		_, hasErrors := r["errors"]
		if !hasData && !hasErrors {
			t.Fatalf("answer with neither data nor errors: %s", rec.Body)
		}
		if rec.Code >= 400 && hasData {
			t.Fatalf("a %d answer carries data: %s", rec.Code, rec.Body)
		}
	})
}
