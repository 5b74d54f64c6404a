package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	wl "github.com/icsgraph/icsgraph/bench/workload"
)

// Target is one server under test.
type Target struct {
	Name string // "ours", "peer" or "cypher"
	URL  string // the GraphQL (or raw-Cypher) endpoint
	PID  int    // for peak memory; 0 to skip
}

// variants is how many different requests a cell cycles through (request
// i sends variant i mod variants): enough to cover every trust and council.
const variants = 1024

// bodies are the requests a target gets for q, request i sending
// bodies[i % len]: the same variables for every target.
func (t Target) bodies(q Query, p wl.Pools) ([][]byte, bool) {
	n := 1
	if q.Vary != nil {
		n = variants
	}
	out := make([][]byte, n)
	for i := range out {
		b, ok := t.body(q, q.VarsFor(p, i))
		if !ok {
			return nil, false
		}
		out[i] = b
	}
	return out, true
}

// body is the request a target gets for q with vars: a GraphQL document for
// ours and the peer, the query's name for the raw-Cypher server.
func (t Target) body(q Query, vars map[string]any) ([]byte, bool) {
	doc := q.Ours
	switch t.Name {
	case "peer":
		doc = q.Peer
	case "cypher":
		doc = q.Name
		if q.Cypher == "" {
			return nil, false
		}
	}
	if doc == "" {
		return nil, false
	}
	if vars == nil {
		vars = map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"query": doc, "variables": vars})
	return b, true
}

// client is shared by every request: keep-alive connections, enough idle
// ones for the highest concurrency, loopback only.
var client = &http.Client{
	Timeout:   60 * time.Second,
	Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second},
}

// post sends one request and returns the body; a non-200 status or a body
// with GraphQL errors is an error.
func post(ctx context.Context, url string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return out, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, out)
	}
	if bytes.Contains(out, []byte(`"errors":`)) {
		return out, fmt.Errorf("GraphQL errors: %.300s", out)
	}
	return out, nil
}

// sample is the outcome of one slice of load on one target.
type sample struct {
	lat    []time.Duration
	errors int
	first  string // the first error, for the report
	busy   time.Duration
}

// drive sends bodies (request i sends bodies[i mod len]) to url from conc
// workers until d has passed (or maxReqs requests were sent), and records
// each request's latency. It stops by itself: every loop is bounded by the
// deadline and the request cap.
func drive(url string, bodies [][]byte, conc int, d time.Duration, maxReqs int) sample {
	ctx, cancel := context.WithTimeout(context.Background(), d+65*time.Second)
	defer cancel()
	deadline := time.Now().Add(d)
	var (
		mu  sync.Mutex
		out sample
		wg  sync.WaitGroup
	)
	var sent atomic.Int64 // requests started, against the cap
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var errs int
			var first string
			for {
				i := sent.Add(1)
				if i > int64(maxReqs) || !time.Now().Before(deadline) {
					break
				}
				t0 := time.Now()
				_, err := post(ctx, url, bodies[int(i-1)%len(bodies)])
				el := time.Since(t0)
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				lat = append(lat, el)
			}
			mu.Lock()
			out.lat = append(out.lat, lat...)
			out.errors += errs
			if out.first == "" {
				out.first = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.busy = time.Since(start)
	return out
}

// Cell is the measurement of one query on one target at one concurrency,
// pooled over the interleaved rounds.
type Cell struct {
	Query       string  `json:"query"`
	Kind        string  `json:"kind"`
	Target      string  `json:"target"`
	Concurrency int     `json:"concurrency"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	FirstError  string  `json:"firstError,omitempty"`
	Seconds     float64 `json:"seconds"`
	RPS         float64 `json:"rps"`
	P50ms       float64 `json:"p50ms"`
	P95ms       float64 `json:"p95ms"`
	P99ms       float64 `json:"p99ms"`
	MeanMs      float64 `json:"meanMs"`
	PeakRSSMB   float64 `json:"peakRssMB,omitempty"`
	Skipped     string  `json:"skipped,omitempty"` // why the cell was not run
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	i = min(max(i, 0), len(sorted)-1)
	return ms(sorted[i])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// cellOf summarises pooled samples.
func cellOf(q Query, t Target, conc int, s sample) Cell {
	slices.Sort(s.lat)
	c := Cell{Query: q.Name, Kind: q.Kind, Target: t.Name, Concurrency: conc, Requests: len(s.lat), Errors: s.errors,
		FirstError: s.first, Seconds: s.busy.Seconds()}
	if s.busy > 0 {
		c.RPS = float64(len(s.lat)) / s.busy.Seconds()
	}
	var sum time.Duration
	for _, l := range s.lat {
		sum += l
	}
	if len(s.lat) > 0 {
		c.MeanMs = ms(sum / time.Duration(len(s.lat)))
	}
	c.P50ms, c.P95ms, c.P99ms = percentile(s.lat, 0.50), percentile(s.lat, 0.95), percentile(s.lat, 0.99)
	return c
}

// resetPeak clears a process's peak resident set size (VmHWM), so the next
// read gives the peak over the cell; it needs to own the process (or root).
func resetPeak(pid int) {
	if pid > 0 {
		_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
	}
}

// peakRSS reads VmHWM (peak resident set size) in MB from /proc/<pid>/status.
func peakRSS(pid int) float64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
