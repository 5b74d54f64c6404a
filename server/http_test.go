package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

func testConfig(t *testing.T) config {
	t.Helper()
	cfg, err := loadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestHealthAndReadiness(t *testing.T) {
	st := neo4jtest.Store(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	mux := newMux(st, testConfig(t), logger)

	for _, tc := range []struct {
		path, want string
	}{
		{"/healthz", `"ok"`},
		{"/readyz", `"ready"`},
		{"/", "GraphiQL"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			code, body := get(t, mux, tc.path)
			if code != http.StatusOK || !strings.Contains(body, tc.want) {
				t.Fatalf("GET %s = %d %q, want 200 containing %q", tc.path, code, body, tc.want)
			}
		})
	}

	t.Run("readyz fails when the database is unreachable", func(t *testing.T) {
		// A second store on the same server, closed: its driver can no longer
		// reach Neo4j, exactly as after an outage.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		gone, err := store.Open(ctx, neo4jtest.Config())
		if err != nil {
			t.Fatal(err)
		}
		if err := gone.Close(ctx); err != nil {
			t.Fatal(err)
		}
		code, body := get(t, newMux(gone, testConfig(t), logger), "/readyz")
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "unavailable") {
			t.Fatalf("GET /readyz = %d %q, want 503 unavailable", code, body)
		}
		code, _ = get(t, newMux(gone, testConfig(t), logger), "/healthz")
		if code != http.StatusOK {
			t.Fatalf("GET /healthz = %d, want 200 while the process is up", code)
		}
	})
}

func TestOpenFailsWithClearMessage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := store.Open(ctx, store.Config{URI: "bolt://127.0.0.1:1", Database: "neo4j"})
	if err == nil || !strings.Contains(err.Error(), "bolt://127.0.0.1:1") {
		t.Fatalf("Open on a closed port: err = %v, want one naming the URI", err)
	}
}

func TestCORS(t *testing.T) {
	h := cors([]string{"https://app.example"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, tc := range []struct {
		origin, want string
	}{
		{"https://app.example", "https://app.example"},
		{"https://evil.example", ""},
	} {
		t.Run(tc.origin, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
			req.Header.Set("Origin", tc.origin)
			h.ServeHTTP(rec, req)
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != tc.want {
				t.Fatalf("Allow-Origin = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(config) bool
	}{
		{"defaults", nil, "", func(c config) bool {
			return c.Port == 8080 && c.Host == "127.0.0.1" && c.Store.Database == "neo4j" && c.Introspection && c.DirectAnswers
		}},
		{"direct answers off", map[string]string{"DIRECT_ANSWERS": "off"}, "", func(c config) bool { return !c.DirectAnswers }},
		{"bad direct answers", map[string]string{"DIRECT_ANSWERS": "sometimes"}, "DIRECT_ANSWERS", nil},
		{"overrides", map[string]string{"PORT": "9000", "INTROSPECTION": "false", "CORS_ORIGINS": "a, b"}, "", func(c config) bool {
			return c.Port == 9000 && !c.Introspection && len(c.CORSOrigins) == 2
		}},
		{"bad port", map[string]string{"PORT": "http"}, "PORT", nil},
		{"bad timeout", map[string]string{"QUERY_TIMEOUT": "soon"}, "QUERY_TIMEOUT", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadConfig(func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || !tc.check(c) {
				t.Fatalf("config = %+v, err = %v", c, err)
			}
		})
	}
}

// TestDirectAnswersSwitch: DIRECT_ANSWERS reaches the handler. With direct
// answers on (the default) a root field that fails (a bad cursor) is handed back to
// gqlgen's executor, which graph/direct.go logs at debug level; with
// DIRECT_ANSWERS=off no root field goes through direct.go at all. The
// answer is the same either way.
func TestDirectAnswersSwitch(t *testing.T) {
	st := neo4jtest.Store(t)
	const query = `{"query": "{ trusts(after: \"not-a-cursor\") { edges { node { code } } } }"}`
	answers := map[string]string{}
	for _, tc := range []struct {
		env      string
		fellBack bool
	}{{"", true}, {"on", true}, {"off", false}} {
		t.Run("DIRECT_ANSWERS="+tc.env, func(t *testing.T) {
			cfg, err := loadConfig(func(k string) string {
				if k == "DIRECT_ANSWERS" {
					return tc.env
				}
				return ""
			})
			if err != nil {
				t.Fatal(err)
			}
			var logs syncBuffer
			mux := newMux(st, cfg, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(query))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			if !strings.Contains(rec.Body.String(), "BAD_USER_INPUT") {
				t.Fatalf("answer %d %s, want BAD_USER_INPUT", rec.Code, rec.Body)
			}
			if got := strings.Contains(logs.String(), "answered by gqlgen's executor"); got != tc.fellBack {
				t.Fatalf("direct.go handed the field to gqlgen: %v, want %v; logs:\n%s", got, tc.fellBack, logs.String())
			}
			answers[tc.env] = rec.Body.String()
		})
	}
	if answers[""] != answers["off"] {
		t.Fatalf("the answers differ:\non:  %s\noff: %s", answers[""], answers["off"])
	}
}
