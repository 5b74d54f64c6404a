package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// TestGracefulShutdown: on shutdown /readyz turns 503 first, a request in
// flight finishes, then the listener closes.
func TestGracefulShutdown(t *testing.T) {
	st := neo4jtest.Store(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := testConfig(t)
	cfg.ShutdownDrain = 400 * time.Millisecond
	cfg.ShutdownTimeout = 5 * time.Second
	ready := newReadiness(st)
	api := newMux(st, cfg, logger, ready)
	mux := http.NewServeMux()
	mux.Handle("/", api)
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(800 * time.Millisecond) // a request still running when the drain ends
		w.WriteHeader(http.StatusOK)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	base := "http://" + ln.Addr().String()
	status := func(path string) int {
		resp, err := http.Get(base + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := status("/readyz"); s != http.StatusOK {
		t.Fatalf("/readyz = %d before shutdown", s)
	}
	slow := make(chan int, 1)
	go func() {
		time.Sleep(200 * time.Millisecond) // starts during the drain
		slow <- status("/slow")
	}()
	done := make(chan error, 1)
	go func() { done <- shutdown(srv, ready, cfg, logger) }()
	time.Sleep(100 * time.Millisecond)
	if s := status("/readyz"); s != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d during the drain, want 503", s)
	}
	if s := <-slow; s != http.StatusOK {
		t.Errorf("request in flight answered %d, want 200", s)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s := status("/readyz"); s != 0 {
		t.Errorf("still answering after shutdown: %d", s)
	}
}

// TestReadinessChecks: an added check (e.g. "no complete release") makes
// /readyz 503 with its reason until it passes.
func TestReadinessChecks(t *testing.T) {
	st := neo4jtest.Store(t)
	ready := newReadiness(st)
	h := newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil)), ready)
	var missing atomic.Bool
	missing.Store(true)
	ready.Add(func(context.Context) error {
		if missing.Load() {
			return errors.New("no complete data release is loaded")
		}
		return nil
	})
	if code, body := get(t, h, "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "no complete data release") {
		t.Fatalf("GET /readyz = %d %s, want 503 with the reason", code, body)
	}
	missing.Store(false)
	if code, body := get(t, h, "/readyz"); code != http.StatusOK {
		t.Fatalf("GET /readyz = %d %s, want 200", code, body)
	}
}

// TestDeadlineGivesTimeout: a request that outlives QUERY_TIMEOUT answers
// TIMEOUT (not UNAVAILABLE, whatever the driver made of the cancelled
// call), and the circuit breaker stays closed: a slow query is no outage.
// With 1 ns the deadline runs out while the current release is read, before
// any resolver; with 10 ms, in the release read or in the query.
func TestDeadlineGivesTimeout(t *testing.T) {
	st := neo4jtest.Store(t)
	for _, timeout := range []time.Duration{time.Nanosecond, 10 * time.Millisecond} {
		t.Run(timeout.String(), func(t *testing.T) {
			cfg := testConfig(t)
			cfg.QueryTimeout = timeout
			h := newMux(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			req, _ := http.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query": "{ coterminositySummary { inner outer split } }"}`))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if !strings.Contains(rec.Body.String(), `"TIMEOUT"`) {
				t.Fatalf("answer %s, want TIMEOUT", rec.Body)
			}
			if !st.Available() {
				t.Fatal("a request deadline opened the circuit breaker")
			}
		})
	}
}
