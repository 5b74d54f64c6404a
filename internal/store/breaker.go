package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// ErrMemoryLimit marks a query Neo4j stopped because its transaction needed
// more memory than the server allows one transaction
// (db.memory.transaction.max) or all of them together.
var ErrMemoryLimit = errors.New("the query needs more memory than the database allows")

// Guard settings. PoolSize bounds the connections the process uses at once
// (the driver's pool is sized to match, so a request waits in a queue that
// honours its deadline instead of timing out in the driver).
const (
	PoolSize = 64
	// probeInterval is how often an open breaker asks Neo4j whether it is back.
	probeInterval = 250 * time.Millisecond
	// suspectAfter is how long a call may run before the breaker checks, out
	// of band, that Neo4j still accepts connections: an outage is then found
	// within about half a second, not after the driver's retry budget.
	suspectAfter = 250 * time.Millisecond
	probeTimeout = 1500 * time.Millisecond
)

// guard stands between the store's callers and the driver: a circuit breaker
// that fails calls at once while Neo4j is known to be down, a bound on the
// connections the process uses, and an optional bound per operation.
type guard struct {
	addr   string // host:port of the Bolt server, for connection probes
	probe  func(context.Context) error
	logger *slog.Logger
	pool   chan struct{}

	mu       sync.Mutex
	open     bool
	since    time.Time
	cause    error
	inflight map[uint64]context.CancelCauseFunc
	nextID   uint64
	checking bool
	checked  time.Time // last connection check (at most one per probeInterval)
	stopped  bool
	stop     chan struct{}
	wg       sync.WaitGroup
}

func newGuard(uri string, probe func(context.Context) error) *guard {
	return &guard{
		addr:     boltAddr(uri),
		probe:    probe,
		pool:     make(chan struct{}, PoolSize),
		inflight: map[uint64]context.CancelCauseFunc{},
		stop:     make(chan struct{}),
	}
}

// boltAddr is host:port of a bolt:// or neo4j:// URI (port 7687 by default).
func boltAddr(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return ""
	}
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "7687")
	}
	return u.Host
}

func (g *guard) log() *slog.Logger {
	if g.logger != nil {
		return g.logger
	}
	return slog.Default()
}

// Available reports whether the breaker is closed: false while Neo4j is known
// to be down.
func (s *Store) Available() bool {
	if s.guard == nil {
		return true
	}
	s.guard.mu.Lock()
	defer s.guard.mu.Unlock()
	return !s.guard.open
}

// SetLogger sets where the breaker logs its state changes (slog.Default otherwise).
func (s *Store) SetLogger(l *slog.Logger) {
	if s.guard != nil {
		s.guard.logger = l
	}
}

type callLimitKey struct{}

// WithCallLimit bounds the database calls running at once for everything
// done with the returned context (one GraphQL operation): at most n; further
// calls wait their turn, or until the context ends.
func WithCallLimit(ctx context.Context, n int) context.Context {
	if n <= 0 {
		return ctx
	}
	return context.WithValue(ctx, callLimitKey{}, make(chan struct{}, n))
}

// enter admits a call: it fails at once while the breaker is open, then
// waits for a slot of the operation's and of the process's bound.
func (g *guard) enter(ctx context.Context) (func(), error) {
	if g == nil {
		return func() {}, nil
	}
	if err := g.allow(); err != nil {
		return nil, err
	}
	var op chan struct{}
	if sem, ok := ctx.Value(callLimitKey{}).(chan struct{}); ok {
		op = sem
		select {
		case op <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	select {
	case g.pool <- struct{}{}:
	case <-ctx.Done():
		if op != nil {
			<-op
		}
		return nil, ctx.Err()
	}
	return func() {
		<-g.pool
		if op != nil {
			<-op
		}
	}, nil
}

func (g *guard) allow() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open {
		return fmt.Errorf("%w: Neo4j has not answered since %s: %w", ErrUnavailable, g.since.Format(time.RFC3339), g.cause)
	}
	return nil
}

// track registers a call so that the breaker can cancel it when it opens,
// and checks the database out of band if the call runs long.
func (g *guard) track(ctx context.Context) (context.Context, func()) {
	if g == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	g.mu.Lock()
	g.nextID++
	id := g.nextID
	g.inflight[id] = cancel
	g.mu.Unlock()
	timer := time.AfterFunc(suspectAfter, g.suspect)
	return ctx, func() {
		timer.Stop()
		g.mu.Lock()
		delete(g.inflight, id)
		g.mu.Unlock()
		cancel(nil)
	}
}

// failed looks at a call's classified error: an outage opens the breaker; a
// call the breaker cancelled reports the outage, not a cancellation.
func (g *guard) failed(parent, ctx context.Context, err error) error {
	if g == nil || err == nil {
		return err
	}
	if parent.Err() != nil {
		// The caller's deadline or cancellation, not an outage (the driver
		// may still call it a connectivity error): a slow database is
		// found by suspect's connection check instead.
		return err
	}
	if cause := context.Cause(ctx); cause != nil && errors.Is(cause, ErrUnavailable) {
		return cause
	}
	if errors.Is(err, ErrUnavailable) {
		g.trip(err)
	}
	return err
}

// suspect checks that Neo4j still accepts connections: one check at a time,
// at most one per probeInterval however many calls run long.
func (g *guard) suspect() {
	g.mu.Lock()
	if g.open || g.checking || g.stopped || g.addr == "" || time.Since(g.checked) < probeInterval {
		g.mu.Unlock()
		return
	}
	g.checking, g.checked = true, time.Now()
	g.wg.Add(1)
	g.mu.Unlock()
	go func() {
		defer g.wg.Done()
		err := dial(g.addr)
		g.mu.Lock()
		g.checking = false
		g.mu.Unlock()
		if err != nil {
			g.trip(fmt.Errorf("%w: Neo4j does not accept connections: %w", ErrUnavailable, err))
		}
	}()
}

func dial(addr string) error {
	c, err := net.DialTimeout("tcp", addr, probeTimeout)
	if err != nil {
		return err
	}
	return c.Close()
}

// trip opens the breaker: calls in flight end now with ErrUnavailable, new
// ones fail at once, and a probe runs until Neo4j answers again.
func (g *guard) trip(cause error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open || g.stopped {
		return
	}
	g.open, g.since, g.cause = true, time.Now(), cause
	err := fmt.Errorf("%w: %w", ErrUnavailable, cause)
	if errors.Is(cause, ErrUnavailable) {
		err = cause
	}
	for _, cancel := range g.inflight {
		cancel(err)
	}
	g.log().Error("Neo4j unavailable: circuit breaker open, requests fail fast until it answers", "neo4j", g.addr, "cause", cause)
	g.wg.Add(1)
	go g.probeUntilBack()
}

func (g *guard) probeUntilBack() {
	defer g.wg.Done()
	t := time.NewTicker(probeInterval)
	defer t.Stop()
	failed := 0
	var last error
	for {
		select {
		case <-g.stop:
			return
		case <-t.C:
		}
		if g.addr != "" {
			if err := dial(g.addr); err != nil {
				failed, last = failed+1, err
				continue
			}
		}
		began := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
		err := g.probe(ctx)
		cancel()
		took := time.Since(began)
		if err != nil {
			failed, last = failed+1, err
			continue
		}
		g.mu.Lock()
		down := time.Since(g.since)
		g.open, g.cause = false, nil
		g.mu.Unlock()
		attrs := []any{"neo4j", g.addr, "down", down.Round(time.Millisecond), "failedProbes", failed, "probe", took.Round(time.Millisecond)}
		if last != nil {
			attrs = append(attrs, "lastProbeError", last.Error())
		}
		g.log().Info("Neo4j answers again: circuit breaker closed", attrs...)
		return
	}
}

// shutdown stops the probes; the breaker stays as it is.
func (g *guard) shutdown() {
	if g == nil {
		return
	}
	g.mu.Lock()
	if g.stopped {
		g.mu.Unlock()
		return
	}
	g.stopped = true
	close(g.stop)
	g.mu.Unlock()
	g.wg.Wait()
}

// probe asks Neo4j for RETURN 1 in a managed transaction: after a restart
// the pool still holds connections to the old process, and the driver's
// retries skip each dead one at once (within the probe's timeout).
func (s *Store) probe(ctx context.Context) error {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeRead})
	defer session.Close(ctx)
	_, err := session.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, "RETURN 1", nil)
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	}, neo4j.WithTxTimeout(probeTimeout))
	return err
}

// noRetry hides an error the driver would retry (Neo4j reports running out
// of its transaction memory pool as transient) so that a query too big for
// the server fails once instead of for the whole retry budget.
type noRetry struct{ cause error }

func (e noRetry) Error() string { return e.cause.Error() }

func stopRetry(err error) error {
	var dbErr *neo4j.Neo4jError
	if errors.As(err, &dbErr) && isMemoryError(dbErr) {
		return noRetry{err}
	}
	return err
}

func unwrapNoRetry(err error) error {
	var nr noRetry
	if errors.As(err, &nr) {
		return nr.cause
	}
	return err
}

func isMemoryError(e *neo4j.Neo4jError) bool {
	switch e.Code {
	case "Neo.ClientError.General.TransactionOutOfMemoryError",
		"Neo.TransientError.General.MemoryPoolOutOfMemoryError",
		"Neo.TransientError.General.OutOfMemoryError":
		return true
	}
	return false
}
