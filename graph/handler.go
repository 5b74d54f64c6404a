package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/icsgraph/icsgraph/internal/store"
)

// Options configure the GraphQL handler.
type Options struct {
	MaxDepth      int
	MaxComplexity int
	Introspection bool
	Logger        *slog.Logger
	// Limits bound each request (zero fields: DefaultLimits).
	Limits Limits
}

// MaxFirst caps every `first` argument.
const MaxFirst = 500

// NewHandler builds the GraphQL endpoint: a GraphQL-over-HTTP transport (GET
// and POST), parsed-query and persisted-query caches bounded in bytes that
// keep only queries which passed every check, depth, structure and cost
// limits decided before any resolver runs, and per-operation dataloaders with
// a bound on concurrent database calls.
func NewHandler(s *store.Store, opts Options) *handler.Server {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	limits := opts.Limits.withDefaults()
	if opts.MaxComplexity <= 0 {
		opts.MaxComplexity = 20000
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 12
	}
	cfg := Config{Resolvers: &Resolver{Store: s, Logger: logger}}

	es := NewExecutableSchema(cfg)
	srv := handler.New(es)
	srv.AddTransport(transport{limits: limits, logger: logger})
	queries := newByteCache(limits.QueryCacheBytes, limits.MaxCachedQuery,
		func(q string, _ *ast.QueryDocument) int64 { return int64(len(q)) })
	srv.SetQueryCache(queries)
	srv.SetParserTokenLimit(limits.MaxTokens)
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: newByteCache(limits.APQCacheBytes, limits.MaxCachedQuery,
		func(hash, q string) int64 { return int64(len(hash) + len(q)) })})
	srv.Use(depthLimit{max: opts.MaxDepth})
	// Registered after the persisted-query extension (it reads the query
	// that extension fills in) and after the depth limit.
	srv.Use(guard{limits: limits, maxComplexity: opts.MaxComplexity, schema: es.Schema(), queries: queries})
	srv.SetErrorPresenter(presentError(logger))
	srv.SetRecoverFunc(recoverPanic(logger))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		ctx = store.WithCallLimit(ctx, limits.MaxDBCalls)
		return next(withLoaders(ctx, newLoaders(ctx, s)))
	})
	return srv
}
