package store

import (
	"context"
	"sync"
)

// planGate lets one statement at a time be planned. Neo4j plans each new
// statement text once and caches the plan; a compiled statement with a few
// dozen COLLECT subqueries takes it one to two seconds of CPU to plan, before
// any data is read. Statements this process has run before go straight
// through; a new one waits for the single planning slot, so a stream of new
// selections (each a new statement) takes at most one of Neo4j's cores
// between them while the known ones keep being answered.
type planGate struct {
	mu   sync.Mutex
	seen map[string]struct{}
	slot chan struct{}
}

// maxKnownPlans is Neo4j's default plan cache size
// (server.db.query_cache_size): past it, Neo4j may have dropped plans too,
// so the gate forgets and starts again.
const maxKnownPlans = 1000

func newPlanGate() *planGate {
	return &planGate{seen: map[string]struct{}{}, slot: make(chan struct{}, 1)}
}

// admit waits, for a statement not seen before, until no other new one is
// being planned; done(ok) ends the wait's hold and remembers the statement
// when it ran.
func (g *planGate) admit(ctx context.Context, query string) (done func(ok bool), err error) {
	g.mu.Lock()
	_, known := g.seen[query]
	g.mu.Unlock()
	if known {
		return func(bool) {}, nil
	}
	select {
	case g.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return func(ok bool) {
		<-g.slot
		if !ok {
			return
		}
		g.mu.Lock()
		if len(g.seen) >= maxKnownPlans {
			clear(g.seen)
		}
		g.seen[query] = struct{}{}
		g.mu.Unlock()
	}, nil
}
