package gqlhttp

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/icsgraph/icsgraph/graph"
	"github.com/icsgraph/icsgraph/internal/store"
)

// DefaultMaxComplexity is the default cost limit of a query (cost.go): room
// for the nested query over every ICS with its trusts and their
// partnerships, far below what the hostile requests of the abuse suite ask.
const DefaultMaxComplexity = 50000

// Options configure the GraphQL handler.
type Options struct {
	MaxDepth      int
	MaxComplexity int
	Introspection bool
	Logger        *slog.Logger
	// Limits bound each request (zero fields: DefaultLimits).
	Limits Limits
	// PersistedOnly admits only PersistedQueries (hash → query text).
	PersistedOnly    bool
	PersistedQueries map[string]string
	// PerFieldExecution answers every field through gqlgen's executor, also
	// those of compiled root fields (graph/direct.go answers them by
	// default; the server's DIRECT_ANSWERS=off sets this).
	PerFieldExecution bool
}

// docBytesPerQueryByte estimates the memory a parsed, validated document
// holds per byte of query text (measured: about 22 for a 60 KB query of
// aliased lookups), so that the parsed-query cache's budget is in bytes of
// memory.
const docBytesPerQueryByte = 24

// NewHandler builds the GraphQL endpoint: a GraphQL-over-HTTP transport (GET
// and POST), parsed-query and persisted-query caches bounded in bytes that
// keep only queries which passed every check, depth, structure and cost
// limits decided before any resolver runs, and per-operation dataloaders with
// a bound on concurrent database calls.
func NewHandler(s *store.Store, opts Options) *handler.Server {
	srv, _ := newHandler(s, opts)
	return srv
}

// newHandler is NewHandler, also returning its parsed-query cache.
func newHandler(s *store.Store, opts Options) (*handler.Server, *byteCache[*ast.QueryDocument]) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	limits := opts.Limits.withDefaults()
	if opts.MaxComplexity <= 0 {
		opts.MaxComplexity = DefaultMaxComplexity
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 12
	}
	cfg := graph.Config{Resolvers: &graph.Resolver{Store: s, Logger: logger}}

	es := graph.NewExecutableSchema(cfg)
	srv := handler.New(es)
	srv.AddTransport(transport{limits: limits, logger: logger})
	queries := newByteCache(limits.QueryCacheBytes, docBytesPerQueryByte*limits.MaxCachedQuery,
		func(q string, _ *ast.QueryDocument) int64 { return docBytesPerQueryByte * int64(len(q)) })
	srv.SetQueryCache(queries)
	srv.SetParserTokenLimit(limits.MaxTokens)
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	if opts.PersistedOnly {
		srv.Use(persistedOnly{queries: opts.PersistedQueries})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: newByteCache(limits.APQCacheBytes, limits.MaxCachedQuery+256,
		func(hash, q string) int64 { return int64(len(hash)+len(q)) + 128 })})
	srv.Use(depthLimit{max: opts.MaxDepth})
	// Registered after the persisted-query extension (it reads the query
	// that extension fills in) and after the depth limit.
	srv.Use(guard{limits: limits, maxComplexity: opts.MaxComplexity, schema: es.Schema(), queries: queries})
	if !opts.PerFieldExecution {
		srv.Use(graph.NewDirectAnswers(es.Schema(), cfg.Resolvers, logger))
	}
	srv.SetErrorPresenter(presentError(logger))
	srv.SetRecoverFunc(recoverPanic(logger))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		ctx = store.WithCallLimit(ctx, limits.MaxDBCalls)
		return next(graph.WithLoaders(ctx, s))
	})
	return srv, queries
}
