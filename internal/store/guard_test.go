package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// TestRunawayQueryFailsItsTransaction: a query that needs more memory than
// Neo4j allows one transaction (db.memory.transaction.max, set by
// scripts/neo4j.sh and docker-compose.yml) fails with ErrMemoryLimit, once
// (no driver retries), the breaker stays closed and Neo4j keeps answering.
func TestRunawayQueryFailsItsTransaction(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	// 40 million integers collected in one list: several hundred MB, more
	// than the 128 MB a transaction may use and than the 512 MB heap.
	err := store.ReadForTest(ctx, st, "UNWIND range(1, 40000000) AS i WITH collect(i) AS xs RETURN size(xs)")
	took := time.Since(start)
	if !errors.Is(err, store.ErrMemoryLimit) {
		t.Fatalf("error = %v, want ErrMemoryLimit", err)
	}
	t.Logf("refused by Neo4j after %s: %v", took.Round(time.Millisecond), err)
	if !st.Available() {
		t.Fatal("a query too big for the server opened the circuit breaker")
	}
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("Neo4j no longer answers: %v", err)
	}
}

// TestCallLimit: with WithCallLimit(ctx, n), at most n calls of one
// operation run at once.
func TestCallLimit(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := store.WithCallLimit(context.Background(), 2)
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = store.ObserveForTest(ctx, st, func() {
				n := running.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				time.Sleep(20 * time.Millisecond)
				running.Add(-1)
			})
		}()
	}
	wg.Wait()
	if m := most.Load(); m > 2 || m < 1 {
		t.Fatalf("%d calls ran at once, limit 2", m)
	}
}
