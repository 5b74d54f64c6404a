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
