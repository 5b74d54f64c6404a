package graph

import (
	"context"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/icsgraph/icsgraph/internal/store"
)

// batchWait is how long a loader collects keys before it queries. Root
// fields compile their whole selection into one statement (compiled.go), so
// the loaders serve only reads no statement covered (organisations inside
// traversal answers that have no prefetch hook); sibling fields resolve
// concurrently, so a few milliseconds gather a level.
const batchWait = 5 * time.Millisecond

// loaders batch and cache the reads of one GraphQL operation, so a nested
// query costs one round-trip per level, not per item.
type loaders struct {
	store *store.Store
	// sources reads the whole (small) Source table once per operation, on
	// first use, with no batching delay.
	sources func() (map[string]store.Source, error)

	mu   sync.Mutex
	hops map[string]*dataloadgen.Loader[string, []store.Link]
}

func newLoaders(ctx context.Context, s *store.Store) *loaders {
	l := &loaders{store: s, hops: map[string]*dataloadgen.Loader[string, []store.Link]{}}
	l.sources = sync.OnceValues(func() (map[string]store.Source, error) { return s.Sources(ctx) })
	return l
}

// related returns the organisations reached from code by hop, batched with
// every other call for the same hop in this operation.
func (l *loaders) related(ctx context.Context, hop store.Hop, code string) ([]store.Link, error) {
	if answeringDirectly(ctx) { // batching needs sibling fields resolved concurrently: gqlgen's (direct.go)
		return nil, errNotDirect
	}
	return l.hopLoader(hop).Load(ctx, code)
}

// hopLoader returns the operation's loader for hop, creating it on first use.
func (l *loaders) hopLoader(hop store.Hop) *dataloadgen.Loader[string, []store.Link] {
	l.mu.Lock()
	defer l.mu.Unlock()
	ld, ok := l.hops[hop.Name]
	if !ok {
		ld = dataloadgen.NewMappedLoader(func(ctx context.Context, codes []string) (map[string][]store.Link, error) {
			links, err := l.store.Related(ctx, hop, codes)
			if err != nil {
				return nil, err
			}
			for _, c := range codes { // no links is an answer, not a miss
				if _, ok := links[c]; !ok {
					links[c] = nil
				}
			}
			return links, nil
		}, dataloadgen.WithWait(batchWait))
		l.hops[hop.Name] = ld
	}
	return ld
}

type loadersKey struct{}

func withLoaders(ctx context.Context, l *loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFor(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}
