package main

import (
	"context"
	"sync"
	"sync/atomic"
)

// ReadyCheck is one condition for readiness: nil when met, else an error
// whose message says why the service should get no traffic (e.g. "no
// complete data release is loaded").
type ReadyCheck func(ctx context.Context) error

// readiness decides /readyz: not while shutting down, not while the store's
// circuit breaker is open (Neo4j known down: answered at once), not when
// Neo4j does not answer a ping, and not while any added check fails.
type readiness struct {
	store    pinger
	draining atomic.Bool
	mu       sync.Mutex
	checks   []ReadyCheck
}

// availability is implemented by the store's circuit breaker.
type availability interface {
	Available() bool
}

func newReadiness(p pinger) *readiness { return &readiness{store: p} }

// Add adds a readiness condition.
func (r *readiness) Add(c ReadyCheck) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checks = append(r.checks, c)
}

// Drain turns readiness off for good: the process is shutting down.
func (r *readiness) Drain() { r.draining.Store(true) }

// check is "" when ready, else the reason it is not.
func (r *readiness) check(ctx context.Context) string {
	if r.draining.Load() {
		return "shutting down"
	}
	if a, ok := r.store.(availability); ok && !a.Available() {
		return "the database does not answer"
	}
	if err := r.store.Ping(ctx); err != nil {
		return "the database does not answer"
	}
	r.mu.Lock()
	checks := append([]ReadyCheck(nil), r.checks...)
	r.mu.Unlock()
	for _, c := range checks {
		if err := c(ctx); err != nil {
			return err.Error()
		}
	}
	return ""
}
