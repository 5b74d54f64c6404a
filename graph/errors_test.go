package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/icsgraph/icsgraph/internal/store"
)

func TestPresentError(t *testing.T) {
	present := presentError(slog.New(slog.NewTextHandler(io.Discard, nil)))
	secret := errors.New("Neo.ClientError.Statement.SyntaxError: MATCH (n) near line 3")
	for _, tc := range []struct {
		name     string
		err      error
		code     string
		argument string
	}{
		{"bad input keeps its code", badInput("first", "too big"), CodeBadUserInput, "first"},
		{"not found", fmt.Errorf("loading: %w", store.ErrNotFound), CodeNotFound, ""},
		{"outage", fmt.Errorf("%w: %w", store.ErrUnavailable, secret), CodeUnavailable, ""},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), CodeTimeout, ""},
		{"filter", store.ErrFilter{Field: "county", Kind: "TRUST"}, CodeBadUserInput, "filter.county"},
		{"anything else", secret, CodeInternal, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := present(context.Background(), tc.err)
			if got.Extensions["code"] != tc.code {
				t.Fatalf("code = %v, want %s", got.Extensions["code"], tc.code)
			}
			if tc.argument != "" && got.Extensions["argument"] != tc.argument {
				t.Fatalf("argument = %v, want %s", got.Extensions["argument"], tc.argument)
			}
			if got.Message == secret.Error() || errors.Is(tc.err, secret) && got.Message != "" && len(got.Message) > 60 {
				t.Fatalf("message leaks the cause: %q", got.Message)
			}
			if !errors.Is(got, tc.err) && !errors.Is(got.Err, tc.err) && tc.code != CodeBadUserInput {
				t.Fatalf("cause not kept for errors.Is: %v", got.Err)
			}
		})
	}
}
