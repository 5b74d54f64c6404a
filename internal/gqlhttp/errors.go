package gqlhttp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/store"
)

// presentError gives every error a code and a message fit for clients. It
// never changes the error it is given (the cause stays in Err for errors.As)
// and does not log: it notes each error on the request's log entry, which the
// HTTP transport writes once per failed request (see requestLog).
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		out, cause := presentation(ctx, err)
		if rl := requestLogFrom(ctx); rl != nil {
			rl.note(out, cause)
		} else if code := out.Extensions["code"]; code == apierr.CodeInternal || code == apierr.CodeUnavailable {
			logger.ErrorContext(ctx, "request error", "code", code, "path", out.Path.String(), "cause", cause)
		}
		return out
	}
}

// maxMessageRunes bounds messages, which may quote the client's input.
const maxMessageRunes = 300

// presentation is the client's view of err and the cause to log.
func presentation(ctx context.Context, err error) (*gqlerror.Error, error) {
	out := &gqlerror.Error{Err: err, Message: err.Error()}
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) {
		out.Message, out.Path, out.Locations, out.Rule = gqlErr.Message, gqlErr.Path, gqlErr.Locations, gqlErr.Rule
		out.Err = gqlErr.Err
		if len(gqlErr.Extensions) > 0 {
			out.Extensions = make(map[string]any, len(gqlErr.Extensions))
			for k, v := range gqlErr.Extensions {
				out.Extensions[k] = v
			}
		}
		if out.Err == nil {
			out.Err = err
		}
	}
	if out.Path == nil {
		out.Path = graphql.GetPath(ctx)
	}
	if out.Extensions == nil {
		out.Extensions = map[string]any{}
	}
	cause := out.Err
	if gqlErr != nil && gqlErr.Extensions["code"] != nil {
		out.Message = truncate(out.Message, maxMessageRunes)
		return out, cause
	}
	if gqlErr != nil && gqlErr.Err == nil && len(gqlErr.Path) == 0 {
		// Raised by gqlgen itself about the request (e.g. a persisted-query
		// hash that does not match its query): the client's to fix.
		out.Message = truncate(out.Message, maxMessageRunes)
		out.Extensions["code"] = apierr.CodeBadRequest
		return out, nil
	}
	var filterErr store.ErrFilter
	code := apierr.CodeInternal
	switch {
	case errors.As(err, &filterErr):
		code, out.Message = apierr.CodeBadUserInput, truncate(filterErr.Error(), maxMessageRunes)
		out.Extensions["argument"] = "filter." + filterErr.Field
	case errors.Is(err, store.ErrNotFound):
		code, out.Message = apierr.CodeNotFound, "not found"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		// The request's deadline passed, whatever the driver made of it.
		code, out.Message = apierr.CodeTimeout, apierr.MsgTimeout
	case errors.Is(err, store.ErrMemoryLimit):
		code, out.Message = apierr.CodeMemoryLimit, "the query needs more memory than the database allows"
	case errors.Is(err, store.ErrUnavailable):
		code, out.Message = apierr.CodeUnavailable, apierr.MsgUnavailable
	case errors.Is(err, context.Canceled):
		code, out.Message = apierr.CodeTimeout, "the request was cancelled"
	default:
		out.Message = "internal error"
	}
	out.Extensions["code"] = code
	return out, cause
}

// panicError is a recovered panic with its stack, kept as the cause of an
// INTERNAL error.
type panicError struct {
	value any
	stack []byte
}

func (p panicError) Error() string { return fmt.Sprintf("panic: %v\n%s", p.value, p.stack) }

// recoverPanic turns a panic in a resolver into that request's internal error.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		return &gqlerror.Error{Message: "internal error", Err: panicError{p, debug.Stack()}, Extensions: map[string]any{"code": apierr.CodeInternal}}
	}
}
