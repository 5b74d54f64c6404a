package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/icsgraph/icsgraph/internal/store"
)

// Error codes clients see in extensions.code.
const (
	CodeNotFound     = "NOT_FOUND"
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeUnavailable  = "UNAVAILABLE"
	CodeTimeout      = "TIMEOUT"
	CodeInternal     = "INTERNAL"
	CodeDepthLimit   = "DEPTH_LIMIT_EXCEEDED"
)

// badInput reports a bad argument, naming it.
func badInput(argument, format string, args ...any) error {
	return &gqlerror.Error{
		Message: fmt.Sprintf("%s: %s", argument, fmt.Sprintf(format, args...)),
		Extensions: map[string]any{
			"code":     CodeBadUserInput,
			"argument": argument,
		},
	}
}

// presentError gives every error a code and a message fit for clients; the
// cause stays in Err for errors.As and is logged here, once.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Extensions["code"] != nil {
			out := graphql.DefaultErrorPresenter(ctx, gqlErr)
			logger.DebugContext(ctx, "request error", "code", out.Extensions["code"], "message", out.Message, "path", out.Path.String())
			return out
		}
		// DefaultErrorPresenter keeps err as the cause (out.Err) for errors.As.
		out := graphql.DefaultErrorPresenter(ctx, err)
		var filterErr store.ErrFilter
		code := CodeInternal
		switch {
		case errors.As(err, &filterErr):
			code, out.Message = CodeBadUserInput, filterErr.Error()
			out.Extensions = map[string]any{"argument": "filter." + filterErr.Field}
		case errors.Is(err, store.ErrNotFound):
			code, out.Message = CodeNotFound, "not found"
		case errors.Is(err, context.DeadlineExceeded):
			code, out.Message = CodeTimeout, "the query took longer than the server allows; ask for less"
			logger.WarnContext(ctx, "query timed out", "path", out.Path.String(), "error", err)
		case errors.Is(err, store.ErrUnavailable):
			code, out.Message = CodeUnavailable, "the database is unavailable; try again shortly"
			logger.ErrorContext(ctx, "database unavailable", "path", out.Path.String(), "error", err)
		case errors.Is(err, context.Canceled):
			code, out.Message = CodeTimeout, "the request was cancelled"
		default:
			out.Message = "internal error"
			logger.ErrorContext(ctx, "internal error", "path", out.Path.String(), "error", err)
		}
		if out.Extensions == nil {
			out.Extensions = map[string]any{}
		}
		out.Extensions["code"] = code
		return out
	}
}

// recoverPanic turns a panic in a resolver into an internal error.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", p)
		return &gqlerror.Error{Message: "internal error", Extensions: map[string]any{"code": CodeInternal}}
	}
}
