// Package graph answers GraphQL fields: the resolvers, one file per schema
// file (schema.resolvers.go, traversal.resolvers.go, history.resolvers.go,
// release.resolvers.go, crosswalk.resolvers.go, stubbed by gqlgen into
// generated.go's interfaces), the compiled statements a root field runs and
// their decoding (compiled.go, relations.go, resolve.go, convert.go), the
// batched loaders for organisations no root statement read (loaders.go) and
// the answer writer (direct.go). This file holds only the resolvers'
// dependencies. Everything about HTTP — transport, limits, cost, persisted
// queries, the error presenter and the caches — is internal/gqlhttp's, which
// builds the handler over this package; the error codes both raise are
// internal/apierr's.
package graph

//go:generate sh -c "cd .. && go tool gqlgen generate"

import (
	"log/slog"

	"github.com/icsgraph/icsgraph/internal/store"
)

// Resolver holds the resolvers' dependencies; per-request state (dataloaders)
// lives in the request context.
type Resolver struct {
	Store  *store.Store
	Logger *slog.Logger
}
