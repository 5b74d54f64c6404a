package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	wl "github.com/icsgraph/icsgraph/bench/workload"
	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// benchQueries are five representative queries.
var benchQueries = []struct{ name, query string }{
	{"lookup", `{ organisation(code: "RJ1") { code name kind ... on Trust { trustType integratedCareSystem { name } } } }`},
	{"list", `{ trusts(first: 50, filter: {region: "Y56"}, orderBy: {field: NAME}) { pageInfo { endCursor } edges { node { code name foundationTrust } } } }`},
	{"nested", `{ integratedCareSystems(first: 50) { edges { node { name region { name } trusts { name partnerOf { integratedCareSystem { code } } } subIcbLocations { name } } } } }`},
	{"search", `{ search(text: "birmingam", first: 10) { score organisation { code name } } }`},
	{"overlaps", `{ council(code: "E07000244") { name overlaps { integratedCareSystem { code } sharedPopulation shareOfCouncil shareOfIcs } } }`},
}

// BenchmarkAPI serves the API on a loopback port and drives each query with
// 1 and 16 concurrent clients, reporting requests/s and p50/p99 latency.
// The "-pinned" runs pin the current data release per request, as the
// server does (every entry point then filters on `release`); the others
// read with no release pinned.
func BenchmarkAPI(b *testing.B) {
	st := neo4jtest.Store(b)
	h := gqlhttp.NewHandler(st, gqlhttp.Options{MaxDepth: 12, MaxComplexity: gqlhttp.DefaultMaxComplexity, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(h) // listens on 127.0.0.1
	defer srv.Close()
	releases := store.NewTracker(st, store.TrackerInterval)
	pinned := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, err := releases.Current(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r.WithContext(store.WithRelease(r.Context(), rel.ID)))
	}))
	defer pinned.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	for _, q := range benchQueries {
		for _, mode := range []struct{ suffix, url string }{{"", srv.URL}, {"-pinned", pinned.URL}} {
			benchQuery(b, client, mode.url, q.name, q.query, mode.suffix)
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.Logf("process memory after the run: heap in use %.1f MiB, total from OS %.1f MiB", float64(m.HeapInuse)/(1<<20), float64(m.Sys)/(1<<20))
}

// benchQuery runs one query against url with 1 and 16 clients.
func benchQuery(b *testing.B, client *http.Client, url, name, query, suffix string) {
	body, _ := json.Marshal(map[string]string{"query": query})
	post := func() error {
		resp, err := client.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var out struct{ Errors []any }
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
			return fmt.Errorf("status %d, errors %v, decode %v", resp.StatusCode, out.Errors, err)
		}
		return nil
	}
	if err := post(); err != nil { // warm up and check the answer
		b.Fatalf("%s: %v", name, err)
	}
	for _, clients := range []int{1, 16} {
		b.Run(fmt.Sprintf("%s/c%d%s", name, clients, suffix), func(b *testing.B) {
			lat := make([]time.Duration, b.N)
			var next sync.WaitGroup
			work := make(chan int)
			errs := make(chan error, 1)
			b.ResetTimer()
			start := time.Now()
			for range clients {
				next.Add(1)
				go func() {
					defer next.Done()
					for i := range work {
						t0 := time.Now()
						if err := post(); err != nil {
							select {
							case errs <- err:
							default:
							}
						}
						lat[i] = time.Since(t0)
					}
				}()
			}
			for i := range b.N {
				work <- i
			}
			close(work)
			next.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			select {
			case err := <-errs:
				b.Fatal(err)
			default:
			}
			slices.Sort(lat)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkWorkloadInProcess answers the five workload queries of the
// benchmark (bench/workload) in process, one request at a time, through
// the same handler the server builds, with direct answers (graph/direct.go)
// on and with every field through gqlgen's executor (DIRECT_ANSWERS=off).
// No network and no load generator share the machine, so ns/op is the
// server's time per request (its Go work plus one round trip to Neo4j) and
// B/op and allocs/op are its own: the numbers behind bench/README.md's
// "Direct answers: with and without".
func BenchmarkWorkloadInProcess(b *testing.B) {
	st := neo4jtest.Store(b)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Pinned to the current release, as the server pins every request
	// (a database can hold the previous release beside it).
	rel, err := store.NewTracker(st, store.TrackerInterval).Current(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	ctx := store.WithRelease(context.Background(), rel.ID)
	for _, mode := range []struct {
		name     string
		perField bool
	}{{"direct", false}, {"per-field", true}} {
		h := gqlhttp.NewHandler(st, gqlhttp.Options{MaxDepth: 12, MaxComplexity: gqlhttp.DefaultMaxComplexity,
			PerFieldExecution: mode.perField, Logger: quiet})
		for _, q := range wl.Workload() {
			body := workloadBody(b, q)
			b.Run(q.Name+"/"+mode.name, func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					w := post(ctx, h, body)
					if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
						b.Fatalf("%s: status %d: %.300s", q.Name, w.Code, w.Body.String())
					}
				}
			})
		}
	}
}

// graphQLVars are a workload query's GraphQL variables: its Vars without the
// Lucene string only the peer and the raw Cypher take.
func graphQLVars(vars map[string]any) map[string]any {
	out := make(map[string]any, len(vars))
	for k, v := range vars {
		if k != "lucene" {
			out[k] = v
		}
	}
	return out
}

// BenchmarkWorkloadCompile answers the five workload queries through the
// same handler with a recording store (store.NewRecorder): everything our
// server does for a request except the round trip to Neo4j and decoding
// its rows (transport, parse cache, validation, cost, the shape, the
// statement). No database is needed, so its numbers are steady where
// BenchmarkWorkloadInProcess's include Neo4j's time.
func BenchmarkWorkloadCompile(b *testing.B) {
	st, _ := store.NewRecorder()
	h := gqlhttp.NewHandler(st, gqlhttp.Options{MaxDepth: 12, MaxComplexity: gqlhttp.DefaultMaxComplexity,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, q := range wl.Workload() {
		body := workloadBody(b, q)
		b.Run(q.Name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				w := post(context.Background(), h, body)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: status %d: %.300s", q.Name, w.Code, w.Body.String())
				}
			}
		})
	}
}

// workloadBody is the JSON request body of a workload query.
func workloadBody(b *testing.B, q wl.Query) []byte {
	body, err := json.Marshal(map[string]any{"query": q.Ours, "variables": graphQLVars(q.Vars)})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// post sends body to h as a GraphQL POST and returns the recorded answer.
func post(ctx context.Context, h http.Handler, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}
