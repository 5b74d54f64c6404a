// Package gqlhttp is GraphQL over HTTP for ICS Graph: everything between an
// HTTP request to /graphql and the resolvers of package graph. Its name says
// its one job — the GraphQL-over-HTTP protocol and the limits that protect
// the service — so that package graph holds only what answers a field.
//
// A request meets, in order:
//
//   - the response cache (respcache.go), which answers a repeated read query
//     from memory, keyed by the normalised document, the variables and the
//     data release the request is pinned to;
//   - the transport (transport.go), which decodes and checks the HTTP request
//     (GET, POST, OPTIONS; media types; body size) and writes the answer with
//     the status codes of the GraphQL-over-HTTP specification;
//   - persisted queries (persisted.go), when the server runs only its own;
//   - the guard (guard.go: tokens, fragments, aliases, root fields, argument
//     values, and the parsed-query cache that keeps only checked queries), the
//     depth limit (limits.go) and the cost limit (cost.go, priced from the
//     declarations in internal/model), all before any resolver runs;
//   - the resolvers and the answer writer (package graph: graph/direct.go,
//     switched off by Options.PerFieldExecution), with per-operation
//     dataloaders and a bound on concurrent database calls (handler.go);
//   - the error presenter and panic recovery (errors.go), which give every
//     error an extensions.code (internal/apierr), keep its cause for
//     errors.As and log each failed request once with log/slog.
//
// Every cache here is a byte-bounded LRU from internal/lru (hashicorp
// golang-lru v2).
package gqlhttp
