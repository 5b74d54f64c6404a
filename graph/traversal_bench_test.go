package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// BenchmarkTraversals times each traversal query end to end (in-process
// GraphQL over the seeded database) and reports p50 and p99 in ms. Targets:
// each traversal well under 50 ms; the full coterminosity summary < 500 ms.
//
//	go test -p 1 -run '^$' -bench Traversals ./graph/
func BenchmarkTraversals(b *testing.B) {
	cases := []struct{ name, query string }{
		{"members/PCNs-in-alliance-page100", `{ members(code: "E56000025", kind: PCN, first: 100) { totalCount edges { node { depth organisation { code name } path { hops { relationship direction since source { id } } } } } } }`},
		{"members/practices-in-region-page100", `{ members(code: "Y56", kind: PRACTICE, first: 100) { edges { node { depth organisation { code } path { length } } } } }`},
		{"ancestors/practice", `{ ancestors(code: "A81001") { depth organisation { code kind } path { hops { relationship source { id } } } } }`},
		{"path/practice-to-senate", `{ path(from: "A81001", to: "CS-NENC") { length hops { from { code } to { code } relationship direction source { id } since } } }`},
		{"path/trusts-across-regions-all", `{ path(from: "RVJ", to: "RAL", maxHops: 10, all: true) { length organisations { code } hops { relationship direction } } }`},
		{"path/unconnected-maxHops6", `{ path(from: "RVJ", to: "RRK") { length } }`},
		{"neighbourhood/ICS-depth2", `{ neighbourhood(code: "QJG", depth: 2, limit: 1000) { truncated nodes { id depth organisation { code kind } } edges { id relationship from to share } } }`},
		{"neighbourhood/region-depth3", `{ neighbourhood(code: "Y61", depth: 3, limit: 1000) { truncated nodes { id depth } edges { id from to } } }`},
		{"coterminosity/council-ICS", `{ coterminosity(inner: COUNCIL, outer: ICS) { split fits(onlySplit: true) { area { code } parts { area { code } share } } unions { area { code } exactUnion } } }`},
		{"splitCouncils", `{ splitCouncils { area { code name } largestShare parts { area { code } share } } }`},
		{"coterminositySummary", `{ coterminositySummary { inner outer weight { weight populationYear } areas coterminous split exactUnions outerAreas fits { area { code } largestShare parts { area { code } share shareOfOther } } unions { area { code } exactUnion shareInWholeAreas whole { code } partial { area { code } share } } } }`},
		{"designations", `{ designations { system { code name } designation { wave announced sources { id } } } }`},
		{"coverage", `{ coverage(on: "2021-04-01") { count population shareOfEngland note systems { code } } }`},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			c := newTV(b)
			var out json.RawMessage
			c.query(bc.query, nil, &out) // check the answer; warm the plan cache
			body, _ := json.Marshal(map[string]string{"query": bc.query})
			var took []time.Duration
			size := 0
			for b.Loop() {
				// Time the server alone: the response is written, not decoded.
				req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				start := time.Now()
				c.h.ServeHTTP(rec, req)
				took = append(took, time.Since(start))
				size = rec.Body.Len()
			}
			reportPercentiles(b, took)
			b.ReportMetric(float64(size)/1024, "resp-KiB")
		})
	}
}

// reportPercentiles adds p50 and p99 (ms) to the benchmark's output.
func reportPercentiles(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	at := func(q float64) float64 {
		return float64(took[min(len(took)-1, int(q*float64(len(took))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
