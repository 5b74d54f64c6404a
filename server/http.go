package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	"github.com/icsgraph/icsgraph/internal/store"
	"github.com/icsgraph/icsgraph/internal/telemetry"
)

// pinger is what /readyz needs of the store.
type pinger interface {
	Ping(ctx context.Context) error
}

// newMux routes the pages and exports (web.go), GraphQL at /graphql and the
// health checks. Readiness comes from ready when given (main shares it to
// drain on shutdown), else from a fresh one over st.
func newMux(st *store.Store, cfg config, logger *slog.Logger, ready ...*readiness) http.Handler {
	rd := newReadiness(st)
	if len(ready) > 0 && ready[0] != nil {
		rd = ready[0]
	}
	gql := gqlhttp.NewHandler(st, gqlhttp.Options{
		MaxDepth:      cfg.MaxDepth,
		MaxComplexity: cfg.MaxComplexity,
		Introspection: cfg.Introspection,
		Logger:        logger,
		Limits:        cfg.Limits,

		PersistedOnly:    cfg.PersistedOnly,
		PersistedQueries: cfg.PersistedQueries,

		PerFieldExecution: !cfg.DirectAnswers,
	})
	releases := store.NewTracker(st, store.TrackerInterval) // server/release.go
	mux := http.NewServeMux()
	pin := func(h http.Handler) http.Handler { return pinRelease(releases, logger, h) }
	metrics := webRoutes(mux, st, cfg, logger, pin) // GraphiQL, /explore, /map, /assets/, /export/, /metrics (web.go)
	gql.Use(metrics.GraphQL())
	gql.Use(telemetry.Tracing(nil))
	// The response cache sits inside pin: its key holds the pinned release.
	mux.Handle("/graphql", limitBody(cfg.MaxBodyBytes, withTimeout(cfg.QueryTimeout, pin(gqlhttp.CacheResponses(gql, os.Getenv, logger)))))
	mux.HandleFunc("GET /healthz", healthz)
	mux.Handle("GET /readyz", releaseReady(releases, readyz(rd, logger)))
	return telemetry.HTTPTracing(nil, metrics.HTTP(cors(cfg.CORSOrigins, mux)))
}

func healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 while the service should get traffic, 503 otherwise
// (see readiness).
func readyz(rd *readiness, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if reason := rd.check(ctx); reason != "" {
			logger.DebugContext(ctx, "not ready", "reason", reason)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": reason})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// withTimeout bounds each request; the deadline reaches Neo4j through the
// context, so a slow query is cancelled there too.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// limitBody refuses request bodies larger than n bytes.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{
				"errors": []map[string]any{{"message": "request body too large", "extensions": map[string]any{"code": apierr.CodeBadRequest, "limit": n}}},
			})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// cors allows the listed origins ("*" for any) to call the API from a browser.
func cors(origins []string, next http.Handler) http.Handler {
	any := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && (any || slices.Contains(origins, origin)) {
			h := w.Header()
			if any {
				h.Set("Access-Control-Allow-Origin", "*")
			} else {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Add("Vary", "Origin")
			}
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization")
			h.Set("Access-Control-Max-Age", "600")
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
