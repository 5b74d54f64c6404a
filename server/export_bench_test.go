package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/icsgraph/icsgraph/internal/export"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// BenchmarkExportLandscape times whole-landscape exports (every kind,
// practices and history included) in each format and reports their size.
func BenchmarkExportLandscape(b *testing.B) {
	st := neo4jtest.Store(b)
	cfg, err := loadConfig(func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	mux := newMux(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	const all = "REGION,ICS,SUB_ICB_LOCATION,TRUST,COUNCIL,CANCER_ALLIANCE,CLINICAL_SENATE,PCN,PRACTICE,STP,CCG"
	for _, f := range export.Formats {
		b.Run(string(f), func(b *testing.B) {
			var size, nodes, edges int
			for b.Loop() {
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/export/landscape?kinds="+all+"&format="+string(f), nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body.String())
				}
				size = rec.Body.Len()
				nodes, _ = strconv.Atoi(rec.Header().Get("X-Export-Nodes"))
				edges, _ = strconv.Atoi(rec.Header().Get("X-Export-Edges"))
			}
			b.ReportMetric(float64(size), "bytes/export")
			b.ReportMetric(float64(nodes), "nodes")
			b.ReportMetric(float64(edges), "edges")
		})
	}
}
