package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Options configure the GraphQL handler.
type Options struct {
	MaxDepth      int
	MaxComplexity int
	Introspection bool
	Logger        *slog.Logger
}

// MaxFirst caps every `first` argument.
const MaxFirst = 500

// NewHandler builds the GraphQL endpoint: GET and POST transports, a parsed
// query cache, automatic persisted queries, depth and complexity limits, and
// per-operation dataloaders.
func NewHandler(s *store.Store, opts Options) *handler.Server {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	cfg := Config{Resolvers: &Resolver{Store: s, Logger: logger}}
	setComplexity(&cfg.Complexity)

	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(depthLimit{max: opts.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(opts.MaxComplexity))
	srv.SetErrorPresenter(presentError(logger))
	srv.SetRecoverFunc(recoverPanic(logger))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withLoaders(ctx, newLoaders(ctx, s)))
	})
	return srv
}

// setComplexity makes lists cost their page size times what each item asks
// for, so a limit on complexity bounds the work a query can cause.
func setComplexity(c *ComplexityRoot) {
	page := func(child int, first *int) int { return 1 + child*clampFirst(first, 50) }
	q := &c.Query
	q.Regions = func(ch int, first *int, _ *string, _ *model.OrganisationFilter, _ *model.OrganisationOrder, _ *model.Date, _ *bool) int {
		return page(ch, first)
	}
	q.IntegratedCareSystems = q.Regions
	q.SubIcbLocations = q.Regions
	q.CancerAlliances = q.Regions
	q.ClinicalSenates = q.Regions
	q.PrimaryCareNetworks = q.Regions
	q.GpPractices = q.Regions
	q.Stps = q.Regions
	q.Ccgs = q.Regions
	q.Trusts = func(ch int, first *int, _ *string, _ *model.TrustFilter, _ *model.OrganisationOrder, _ *model.Date, _ *bool) int {
		return page(ch, first)
	}
	q.Councils = func(ch int, first *int, _ *string, _ *model.CouncilFilter, _ *model.OrganisationOrder, _ *model.Date, _ *bool) int {
		return page(ch, first)
	}
	q.Search = func(ch int, _ string, _ []model.OrganisationKind, first *int, _ *model.Date) int {
		return page(ch, first)
	}
	q.Members = func(ch int, _ string, _ model.OrganisationKind, _ *model.MembershipBasis, first *int, _ *string, _ *model.Date, _ *bool) int {
		return page(ch, first)
	}
	q.Changes = func(ch int, _, _ model.Date, _ []model.OrganisationKind, _ []model.ChangeType, first *int, _ *string) int {
		return page(ch, first)
	}
	c.SubIcbLocation.PrimaryCareNetworks = func(ch int, first *int, _ *string) int { return page(ch, first) }
	c.PrimaryCareNetwork.Practices = c.SubIcbLocation.PrimaryCareNetworks
}

// clampFirst reads a page size, defaulting and capping it for cost purposes.
func clampFirst(first *int, def int) int {
	if first == nil {
		return def
	}
	return min(max(*first, 0), MaxFirst)
}
