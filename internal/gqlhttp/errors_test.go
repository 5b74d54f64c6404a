package gqlhttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/icsgraph/icsgraph/internal/apierr"
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
		{"bad input keeps its code", apierr.BadInput("first", "too big"), apierr.CodeBadUserInput, "first"},
		{"not found", fmt.Errorf("loading: %w", store.ErrNotFound), apierr.CodeNotFound, ""},
		{"outage", fmt.Errorf("%w: %w", store.ErrUnavailable, secret), apierr.CodeUnavailable, ""},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), apierr.CodeTimeout, ""},
		{"filter", store.ErrFilter{Field: "county", Kind: "TRUST"}, apierr.CodeBadUserInput, "filter.county"},
		{"anything else", secret, apierr.CodeInternal, ""},
		{"memory limit", fmt.Errorf("%w: %w", store.ErrMemoryLimit, secret), apierr.CodeMemoryLimit, ""},
		{"gqlgen request error without a code", gqlerror.Errorf("provided APQ hash does not match query"), apierr.CodeBadRequest, ""},
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
			if !errors.Is(got, tc.err) && !errors.Is(got.Err, tc.err) && tc.code != apierr.CodeBadUserInput {
				t.Fatalf("cause not kept for errors.Is: %v", got.Err)
			}
		})
	}
}

// TestPresentErrorKeepsItsInput: the presenter returns a new error and leaves
// the one it was given (and logs) as it was, cause included.
func TestPresentErrorKeepsItsInput(t *testing.T) {
	present := presentError(slog.New(slog.NewTextHandler(io.Discard, nil)))
	cause := errors.New("Neo.DatabaseError: something broke")
	in := gqlerror.WrapPath(nil, cause)
	before := in.Message
	out := present(context.Background(), in)
	if in.Message != before || in.Extensions != nil {
		t.Fatalf("input changed: %q %v", in.Message, in.Extensions)
	}
	if out.Message != "internal error" || !errors.Is(out, cause) {
		t.Fatalf("out = %q, cause kept: %v", out.Message, errors.Is(out, cause))
	}
}

// TestDeadlineIsTimeout: whatever the driver made of it (here an outage
// after retries), an error after the request's deadline is a TIMEOUT.
func TestDeadlineIsTimeout(t *testing.T) {
	present := presentError(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	out := present(ctx, fmt.Errorf("%w: retries exhausted", store.ErrUnavailable))
	if out.Extensions["code"] != apierr.CodeTimeout {
		t.Fatalf("code = %v, want TIMEOUT", out.Extensions["code"])
	}
}

// TestMessagesAreTruncated: input quoted in a message is cut.
func TestMessagesAreTruncated(t *testing.T) {
	present := presentError(slog.New(slog.NewTextHandler(io.Discard, nil)))
	long := &gqlerror.Error{Message: strings.Repeat("x", 100000), Extensions: map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}}
	if out := present(context.Background(), long); len(out.Message) > 4*maxMessageRunes {
		t.Fatalf("message of %d bytes", len(out.Message))
	}
}
