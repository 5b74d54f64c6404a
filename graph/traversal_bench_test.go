package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
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
		{"path/trusts-across-regions-all", `{ path(from: "RVJ", to: "RAL", maxHops: 10, all: true, asOf: "2026-03-31") { length organisations { code } hops { relationship direction } } }`},
		{"path/unconnected-maxHops6", `{ path(from: "RVJ", to: "RRK", asOf: "2026-03-31") { length } }`},
		{"neighbourhood/ICS-depth2", `{ neighbourhood(code: "QJG", depth: 2, limit: 1000, asOf: "2026-03-31") { truncated nodes { id depth organisation { code kind } } edges { id relationship from to share } } }`},
		{"neighbourhood/region-depth3", `{ neighbourhood(code: "Y61", depth: 3, limit: 1000) { truncated nodes { id depth } edges { id from to } } }`},
		{"coterminosity/council-ICS", `{ coterminosity(inner: COUNCIL, outer: ICS) { split fits(onlySplit: true) { area { code } parts { area { code } share } } unions { area { code } exactUnion } } }`},
		{"splitCouncils", `{ splitCouncils { area { code name } largestShare parts { area { code } share } } }`},
		{"coterminositySummary", `{ coterminositySummary { inner outer weight { weight populationYear } areas coterminous split exactUnions outerAreas fits { area { code } largestShare parts { area { code } share shareOfOther } } unions { area { code } exactUnion shareInWholeAreas whole { code } partial { area { code } share } } } }`},
		{"designations", `{ designations { system { code name } designation { wave announced sources { id } } } }`},
		{"coverage", `{ coverage(on: "2021-04-01") { count population shareOfEngland note systems { code } } }`},
		{"coterminosity/council-STP-2018", `{ coterminosity(inner: COUNCIL, outer: STP, asOf: "2018-07-01") { split fits(onlySplit: true) { area { code } parts { area { code } share } } } }`},
		{"history/lineage-11H", `{ lineage(code: "11H") { organisations { generation organisation { code name kind } partOf { organisation { code } validFrom validTo } } successions { predecessor { code } successor { code } date share basis source { id } } } }`},
		{"history/changes-april-2026", `{ changes(from: "2026-03-31", to: "2026-04-01", first: 200) { totalCount edges { node { type date description organisation { code name } parties { role organisation { code } } source { id } } } } }`},
		{"history/changes-2013-2026-page100", `{ changes(from: "2013-04-01", to: "2026-08-01") { totalCount edges { node { type date organisation { code } } } } }`},
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

// BenchmarkAsOf compares each query with `asOf` against the same query
// without it (the newest date), interleaving the two so that both meet the
// same machine load, and reports both medians and their ratio (target:
// within 1.3×). Two dates: the newest date named explicitly (same answer),
// and 2026-03-31, the last day of the 42-ICB era (another answer of about
// the same size).
//
//	go test -p 1 -run '^$' -bench AsOf -benchtime 40x ./graph/
func BenchmarkAsOf(b *testing.B) {
	cases := []struct{ name, query string }{
		{"coterminosity/council-ICS", `{ coterminosity(inner: COUNCIL, outer: ICS%s) { split fits(onlySplit: true) { area { code } parts { area { code } share } } } }`},
		{"members/PCNs-in-ICS", `{ members(code: "QE1", kind: PCN, first: 100%s) { totalCount edges { node { depth organisation { code name } } } } }`},
		{"members/practices-in-region", `{ members(code: "Y56", kind: PRACTICE, first: 100%s) { edges { node { depth organisation { code } } } } }`},
		{"ancestors/practice", `{ ancestors(code: "A81001"%s) { depth organisation { code kind } } }`},
		{"neighbourhood/ICS-depth2", `{ neighbourhood(code: "QE1", depth: 2, limit: 1000%s) { nodes { id depth } edges { id from to } } }`},
		{"path/practice-to-senate", `{ path(from: "A81001", to: "CS-NENC"%s) { length hops { relationship } } }`},
	}
	for _, bc := range cases {
		for _, day := range []string{"2026-08-01", "2026-03-31"} {
			b.Run(bc.name+"/asOf="+day, func(b *testing.B) {
				c := newTV(b)
				plain := fmt.Sprintf(bc.query, "")
				dated := fmt.Sprintf(bc.query, fmt.Sprintf(", asOf: %q", day))
				var out json.RawMessage
				c.query(plain, nil, &out) // check both answers; warm the plan cache
				c.query(dated, nil, &out)
				serve := func(q string) time.Duration {
					body, _ := json.Marshal(map[string]string{"query": q})
					req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					start := time.Now()
					c.h.ServeHTTP(rec, req)
					return time.Since(start)
				}
				var without, with []time.Duration
				for b.Loop() {
					without = append(without, serve(plain))
					with = append(with, serve(dated))
				}
				p50 := func(d []time.Duration) float64 {
					slices.Sort(d)
					return float64(d[len(d)/2].Microseconds()) / 1000
				}
				a, w := p50(without), p50(with)
				b.ReportMetric(a, "p50-ms-without")
				b.ReportMetric(w, "p50-ms-asOf")
				if a > 0 {
					b.ReportMetric(w/a, "ratio")
				}
			})
		}
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
