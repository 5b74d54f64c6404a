package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// BenchmarkCrosswalk: the crosswalk CCG (2013-04-01) → ICS (the newest
// date), every area, through the server's mux with the response cache off:
// GraphQL and CSV at one client, GraphQL at 16 clients, and cold (the
// small-area table read from Neo4j again before every request, as on the
// first request after a load). Reports p50/p99 per request, errors, and the
// process's peak RSS (VmHWM: the server and this benchmark share it).
func BenchmarkCrosswalk(b *testing.B) {
	st := neo4jtest.Store(b)
	b.Setenv("RESPONSE_CACHE", "off") // read by the response cache itself
	cfg, err := loadConfig(func(k string) string {
		if k == "RESPONSE_CACHE" {
			return "off"
		}
		return ""
	})
	if err != nil {
		b.Fatal(err)
	}
	mux := newMux(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	const query = `{ crosswalk(from: {kind: CCG, asOf: "2013-04-01"}, to: {kind: ICS}) { totalCount derived
  edges { node { from { code name population smallAreas } to { code name population smallAreas } sharedPopulation sharedSmallAreas shareOfFrom shareOfTo derived } } } }`
	body, _ := json.Marshal(map[string]any{"query": query})
	gql := func() error {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
			return &benchErr{rec.Code, rec.Body.String()}
		}
		return nil
	}
	csvReq := func() error {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/export/crosswalk?fromKind=CCG&fromDate=2013-04-01&toKind=ICS", nil))
		if rec.Code != http.StatusOK {
			return &benchErr{rec.Code, rec.Body.String()}
		}
		return nil
	}
	if err := gql(); err != nil { // the first request reads the small-area table
		b.Fatal(err)
	}
	run := func(b *testing.B, clients int, do func() error, before func()) {
		var mu sync.Mutex
		var times []time.Duration
		var errs atomic.Int64
		b.ResetTimer()
		if clients == 1 {
			for b.Loop() {
				if before != nil {
					before()
				}
				t0 := time.Now()
				if err := do(); err != nil {
					errs.Add(1)
				}
				times = append(times, time.Since(t0))
			}
		} else {
			b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					t0 := time.Now()
					if err := do(); err != nil {
						errs.Add(1)
					}
					d := time.Since(t0)
					mu.Lock()
					times = append(times, d)
					mu.Unlock()
				}
			})
		}
		b.StopTimer()
		slices.Sort(times)
		if len(times) > 0 {
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[min(len(times)-1, len(times)*99/100)].Microseconds())/1000, "p99-ms")
		}
		b.ReportMetric(float64(errs.Load()), "errors")
		b.ReportMetric(peakRSSMiB(), "peak-RSS-MiB")
	}
	b.Run("graphql-1-client", func(b *testing.B) { run(b, 1, gql, nil) })
	b.Run("csv-1-client", func(b *testing.B) { run(b, 1, csvReq, nil) })
	b.Run("graphql-16-clients", func(b *testing.B) { run(b, 16, gql, nil) })
	b.Run("graphql-cold", func(b *testing.B) { run(b, 1, gql, st.ForgetSmallAreas) })
}

type benchErr struct {
	status int
	body   string
}

func (e *benchErr) Error() string { return strconv.Itoa(e.status) + " " + e.body }

// peakRSSMiB is the process's peak resident set (VmHWM), in MiB.
func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
