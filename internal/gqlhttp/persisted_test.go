package gqlhttp

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/apierr"
)

func TestPersistedQueriesOnly(t *testing.T) {
	listed := `{ __typename }`
	h := NewHandler(nil, Options{
		Logger:           slog.New(slog.NewTextHandler(io.Discard, nil)),
		Introspection:    true,
		PersistedOnly:    true,
		PersistedQueries: map[string]string{QueryHash(listed): listed},
	})
	send := func(body string) string {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	ext := func(hash string) string {
		return fmt.Sprintf(`"extensions": {"persistedQuery": {"version": 1, "sha256Hash": %q}}`, hash)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"listed, in full", fmt.Sprintf(`{"query": %q}`, listed), `"__typename":"Query"`},
		{"listed, by hash", `{` + ext(QueryHash(listed)) + `}`, `"__typename":"Query"`},
		{"not listed", `{"query": "{ __schema { queryType { name } } }"}`, apierr.CodePersistedOnly},
		{"unknown hash", `{` + ext(QueryHash("{ x }")) + `}`, apierr.CodePersistedOnly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if b := send(tc.body); !strings.Contains(b, tc.want) {
				t.Fatalf("answer %s, want %s", b, tc.want)
			}
		})
	}
}

func TestLoadPersistedQueries(t *testing.T) {
	q, err := LoadPersistedQueries("../../examples")
	if err != nil || len(q) == 0 {
		t.Fatalf("%d queries, %v", len(q), err)
	}
	for h, text := range q {
		if QueryHash(text) != h {
			t.Fatalf("hash %s does not match its query", h)
		}
	}
	if _, err := LoadPersistedQueries(t.TempDir()); err == nil {
		t.Fatal("an empty folder was accepted")
	}
}
