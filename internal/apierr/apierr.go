// Package apierr holds the error codes clients see in extensions.code and the
// constructors of the errors that carry them. It is shared by the resolvers
// (graph) and the HTTP side (internal/gqlhttp), which imports graph; keeping
// the codes here lets both raise them without an import cycle. The presenter
// that gives every other error a code, keeps its cause for errors.As and
// logs it once lives in internal/gqlhttp (errors.go).
package apierr

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Error codes clients see in extensions.code.
const (
	CodeNotFound     = "NOT_FOUND"
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeUnavailable  = "UNAVAILABLE"
	CodeTimeout      = "TIMEOUT"
	CodeInternal     = "INTERNAL"
	CodeDepthLimit   = "DEPTH_LIMIT_EXCEEDED"
	// CodeComplexityLimit: the query's cost passes MAX_COMPLEXITY.
	CodeComplexityLimit = "COMPLEXITY_LIMIT_EXCEEDED"
	// CodeQueryLimit: the document passes a structural limit (tokens,
	// fragments, directives, aliases, root fields); extensions.limit names it.
	CodeQueryLimit = "QUERY_LIMIT_EXCEEDED"
	// CodeBadRequest: the HTTP request is not a GraphQL request this server
	// accepts (malformed JSON, a batch, a wrong media type, a body too large).
	CodeBadRequest = "BAD_REQUEST"
	// CodeMemoryLimit: Neo4j stopped the query at its per-transaction memory limit.
	CodeMemoryLimit = "MEMORY_LIMIT_EXCEEDED"
	// CodeTooManyErrors: the last error of an answer whose errors were cut.
	CodeTooManyErrors = "TOO_MANY_ERRORS"
	// CodePersistedOnly: the server runs only its persisted queries and the
	// request asked for another.
	CodePersistedOnly = "PERSISTED_QUERY_REQUIRED"
)

// The messages of the codes a request can meet before or after its
// resolvers (the presenter in internal/gqlhttp; the release pin and the
// exports in server).
const (
	MsgTimeout     = "the query took longer than the server allows; ask for less"
	MsgUnavailable = "the database is unavailable; try again shortly"
)

// BadInput reports a bad argument, naming it.
func BadInput(argument, format string, args ...any) error {
	return &gqlerror.Error{
		Message: fmt.Sprintf("%s: %s", argument, fmt.Sprintf(format, args...)),
		Extensions: map[string]any{
			"code":     CodeBadUserInput,
			"argument": argument,
		},
	}
}

// LimitError is a request refused by one of the limits on its size or
// shape (extensions.limit names it, max and found say by how much).
func LimitError(limit string, max, found int, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": CodeQueryLimit, "limit": limit, "max": max, "found": found},
	}
}
