package graph

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/cypher"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// batchWait is how long a loader collects keys before it queries. Root
// fields compile their whole selection into one statement (compiled.go), so
// the loaders serve only the relationship fields of organisations no
// statement read them for (inside report answers: coverage, designations,
// coterminosity, changes, paths…); sibling fields resolve concurrently, so
// a few milliseconds gather a level.
const batchWait = 5 * time.Millisecond

// loaders batch and cache the reads of one GraphQL operation, so a nested
// query costs one round-trip per level, not per item.
type loaders struct {
	store *store.Store
	// sources reads the whole (small) Source table once per operation, on
	// first use, with no batching delay.
	sources func() (map[string]store.Source, error)

	mu     sync.Mutex
	fields map[fieldKey]*dataloadgen.Loader[store.KindCode, any]
}

// fieldKey names one relationship field of the document (its AST node: the
// alias, arguments and sub-selection) read for organisations answering for
// one date: the loader of a field compiles the same statement as a root
// field's would (cypher.Compiler.ByKeys), with the same validity rule.
type fieldKey struct {
	typ   string
	field *ast.Field
	at    store.When
}

func newLoaders(ctx context.Context, s *store.Store) *loaders {
	l := &loaders{store: s, fields: map[fieldKey]*dataloadgen.Loader[store.KindCode, any]{}}
	l.sources = sync.OnceValues(func() (map[string]store.Source, error) { return s.Sources(ctx) })
	return l
}

// field returns what the relationship field being resolved (fc) reached
// from the organisation k answering for at: a []item, or a conn for a
// connection field; batched with every other organisation asking for the
// same field on the same date in this operation.
func (l *loaders) field(ctx context.Context, fc *graphql.FieldContext, d *decl.Resolved, k store.KindCode, at store.When) (any, error) {
	if answeringDirectly(ctx) { // batching needs sibling fields resolved concurrently: gqlgen's (direct.go)
		return nil, errNotDirect
	}
	if at.AsOf == "" {
		return nil, fmt.Errorf("graph: %s %s was answered without a date (toOrganisation)", k.Kind, k.Code)
	}
	key := fieldKey{typ: fc.Object, field: fc.Field.Field, at: at}
	l.mu.Lock()
	ld, ok := l.fields[key]
	if !ok {
		op := graphql.GetOperationContext(ctx)
		rel, err := relOf(op, fc.Field, d)
		if err != nil {
			l.mu.Unlock()
			return nil, err
		}
		shape := &cypher.Shape{Rels: map[string][]*cypher.Rel{fc.Object: {rel}}}
		if n := subqueries(shape); n > MaxSubqueries {
			l.mu.Unlock()
			return nil, apierr.LimitError("subqueries", MaxSubqueries, n,
				"%s asks for %d relationship fields in one statement; at most %d: split the query", fc.Field.Alias, n, MaxSubqueries)
		}
		ld = dataloadgen.NewMappedLoader(func(ctx context.Context, keys []store.KindCode) (map[store.KindCode]any, error) {
			return l.read(ctx, keys, shape, rel.Alias, at)
		}, dataloadgen.WithWait(batchWait))
		l.fields[key] = ld
	}
	l.mu.Unlock()
	return ld.Load(ctx, k)
}

// read runs one compiled statement for the organisations keys and returns
// what the field (alias) reached from each.
func (l *loaders) read(ctx context.Context, keys []store.KindCode, shape *cypher.Shape, alias string, at store.When) (map[store.KindCode]any, error) {
	var release *int64
	if id, ok := store.ReleaseFrom(ctx); ok {
		release = &id
	}
	rows, err := run(ctx, l.store, cypher.New(at, release).ByKeys(keys, shape))
	if err != nil {
		return nil, err
	}
	dec := decoder{at: at}
	out := make(map[store.KindCode]any, len(keys))
	for _, row := range rows {
		if o := dec.org(row["data"], shape); o != nil {
			b := o.Base()
			out[store.KindCode{Kind: string(b.Kind), Code: b.Code}] = b.Pre[alias]
		}
	}
	for _, k := range keys { // no organisation is an answer (nothing reached), not a miss
		if _, ok := out[k]; !ok {
			out[k] = []item{}
		}
	}
	return out, nil
}

type loadersKey struct{}

// WithLoaders gives one operation its dataloaders over s (the handler in
// internal/gqlhttp calls it around every operation).
func WithLoaders(ctx context.Context, s *store.Store) context.Context {
	return context.WithValue(ctx, loadersKey{}, newLoaders(ctx, s))
}

func loadersFor(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}
