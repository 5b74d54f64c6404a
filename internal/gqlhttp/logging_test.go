package gqlhttp

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/icsgraph/icsgraph/internal/apierr"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// post sends a GraphQL request to a handler without a database: the
// requests below fail before any store call, or panic trying one.
func post(t *testing.T, logs *lockedBuffer, body string) (int, string) {
	t.Helper()
	h := NewHandler(nil, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// TestOneLogLinePerFailedRequest: five failing aliases give five errors and
// one log line, with the operation name, the duration and the cause.
func TestOneLogLinePerFailedRequest(t *testing.T) {
	for _, tc := range []struct {
		name, body, code, level, cause string
	}{
		{"bad input in every alias",
			`{"operationName": "Deep", "query": "query Deep { a: neighbourhood(code: \"RJ1\", depth: 99) { truncated } b: neighbourhood(code: \"RJ1\", depth: 99) { truncated } c: neighbourhood(code: \"RJ1\", depth: 99) { truncated } d: neighbourhood(code: \"RJ1\", depth: 99) { truncated } e: neighbourhood(code: \"RJ1\", depth: 99) { truncated } }"}`,
			"BAD_USER_INPUT", "INFO", ""},
		{"a panic in every alias",
			`{"operationName": "Boom", "query": "query Boom { a: trust(code: \"RJ1\") { name } b: trust(code: \"RJ2\") { name } c: trust(code: \"RJ3\") { name } }"}`,
			"INTERNAL", "ERROR", "panic: runtime error"},
		{"malformed JSON", `{"query": `, "BAD_REQUEST", "INFO", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := &lockedBuffer{}
			_, body := post(t, logs, tc.body)
			if !strings.Contains(body, tc.code) {
				t.Fatalf("answer %s, want %s", body, tc.code)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("%d log lines, want 1:\n%s", len(lines), logs)
			}
			line := lines[0]
			for _, want := range []string{"request failed", "level=" + tc.level, "duration=", "codes=" + tc.code, tc.cause} {
				if !strings.Contains(line, want) {
					t.Errorf("log line lacks %q: %s", want, line)
				}
			}
			if strings.Contains(tc.body, "operationName") && !strings.Contains(line, "operation=") {
				t.Errorf("log line lacks the operation: %s", line)
			}
		})
	}
}

// TestRecoveredPanic: a panic in a resolver becomes that request's
// INTERNAL error carrying the panic (for errors.As and the log), not a crash.
// (Resolvers start no goroutines of their own since the loader path went, so
// the errgroup wrapper this test also covered is gone.)
func TestRecoveredPanic(t *testing.T) {
	err := recoverPanic(slog.New(slog.NewTextHandler(&lockedBuffer{}, nil)))(context.Background(), "boom")
	var p panicError
	if !errors.As(err, &p) || p.value != "boom" {
		t.Fatalf("err = %v, want the panic", err)
	}
	out := presentError(slog.New(slog.NewTextHandler(&lockedBuffer{}, nil)))(context.Background(), err)
	if out.Extensions["code"] != apierr.CodeInternal || out.Message != "internal error" {
		t.Fatalf("presented as %v %q", out.Extensions["code"], out.Message)
	}
}
