// Package store owns every Cypher statement the project runs against Neo4j.
// Its functions take a context first, return the project's own types (never
// driver records) and report a missing organisation as ErrNotFound.
package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// ErrNotFound is returned when a requested organisation or node does not exist.
var ErrNotFound = errors.New("not found")

// ErrUnavailable wraps failures to reach the database, so callers can tell an
// outage from a bad query.
var ErrUnavailable = errors.New("database unavailable")

// Config says where the database is.
type Config struct {
	URI      string
	User     string
	Password string
	Database string
	// Driver tunes the driver; when zero, Open reads it from the
	// environment (DriverSettingsFromEnv).
	Driver DriverSettings
}

// Store is the project's handle on Neo4j: one driver per process.
type Store struct {
	driver neo4j.DriverWithContext
	db     string
	uri    string
	calls  atomic.Int64
	guard  *guard
	// observe, when set (SetObserver), hears of every round trip.
	observe func(mode string, d time.Duration, err error)
	open    atomic.Int64 // sessions in use
	// observer sees every compiled statement (read.go: Observe).
	observer atomic.Pointer[func(query string, params map[string]any)]
	plans    *planGate // one new compiled statement planned at a time (plans.go)
	// rec, when set (NewRecorder), records statements instead of running
	// them: a store without a database, for the golden statements.
	rec *recorder
	// smallAreas keeps the crosswalk's small-area tables (crosswalk.go).
	smallAreas smallAreaTables
	// measures caches the release measures of unpinned reads (measures.go).
	measures atomic.Pointer[measureCache]
}

// SetObserver makes every database round trip report its access mode
// ("read" or "write"), duration and error to fn (for metrics). Call it
// before serving.
func (s *Store) SetObserver(fn func(mode string, d time.Duration, err error)) { s.observe = fn }

// SessionsInUse is how many driver sessions are open now (the driver does
// not expose its connection pool).
func (s *Store) SessionsInUse() int64 { return s.open.Load() }

// Open creates the driver and verifies that the database answers.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Driver == (DriverSettings{}) {
		d, err := DriverSettingsFromEnv(os.Getenv)
		if err != nil {
			return nil, err
		}
		cfg.Driver = d
	}
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		// Retrying for the driver's default minute hides an outage from
		// users; a few seconds rides out a blip and then says so.
		c.MaxTransactionRetryTime = 5 * time.Second
		c.ConnectionAcquisitionTimeout = 5 * time.Second
		c.SocketConnectTimeout = 5 * time.Second
		c.MaxConnectionPoolSize = PoolSize + 8 // the guard queues calls beyond PoolSize
		if d := cfg.Driver; d.MaxPoolSize > 0 {
			c.MaxConnectionPoolSize = d.MaxPoolSize
		}
		if d := cfg.Driver; d.AcquisitionTimeout > 0 {
			c.ConnectionAcquisitionTimeout = d.AcquisitionTimeout
		}
		if d := cfg.Driver; d.MaxConnectionLifetime > 0 {
			c.MaxConnectionLifetime = d.MaxConnectionLifetime
		}
		if d := cfg.Driver; d.FetchSize != 0 {
			c.FetchSize = d.FetchSize
		}
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j driver for %s: %w", cfg.URI, err)
	}
	db := cfg.Database
	if db == "" {
		db = "neo4j"
	}
	s := &Store{driver: driver, db: db, uri: cfg.URI, plans: newPlanGate()}
	s.guard = newGuard(cfg.URI, s.probe)
	if err := driver.VerifyConnectivity(ctx); err != nil {
		_ = driver.Close(ctx)
		return nil, fmt.Errorf("%w: neo4j at %s does not answer: %w", ErrUnavailable, cfg.URI, err)
	}
	return s, nil
}

// Close closes the driver.
func (s *Store) Close(ctx context.Context) error {
	s.guard.shutdown()
	return s.driver.Close(ctx)
}

// URI is the address the store was opened with (for log messages).
func (s *Store) URI() string { return s.uri }

// Database is the name of the Neo4j database the store reads and writes.
func (s *Store) Database() string { return s.db }

// Calls counts the managed transactions run so far (database round-trips), so
// tests can check that nested queries are batched.
func (s *Store) Calls() int64 { return s.calls.Load() }

// Ping checks that the database answers a trivial read.
func (s *Store) Ping(ctx context.Context) error {
	_, err := read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, error) {
		res, err := tx.Run(ctx, "RETURN 1", nil)
		if err != nil {
			return struct{}{}, err
		}
		_, err = res.Consume(ctx)
		return struct{}{}, err
	})
	return err
}

// read runs fn in a managed read transaction on the configured database.
func read[T any](ctx context.Context, s *Store, fn func(context.Context, neo4j.ManagedTransaction) (T, error)) (T, error) {
	return run(ctx, s, neo4j.AccessModeRead, fn)
}

// write runs fn in a managed write transaction on the configured database.
func write[T any](ctx context.Context, s *Store, fn func(context.Context, neo4j.ManagedTransaction) (T, error)) (T, error) {
	return run(ctx, s, neo4j.AccessModeWrite, fn)
}

func run[T any](ctx context.Context, s *Store, mode neo4j.AccessMode, fn func(context.Context, neo4j.ManagedTransaction) (T, error)) (T, error) {
	if s.rec != nil {
		return fn(ctx, recordingTx{rec: s.rec})
	}
	s.calls.Add(1)
	release, err := s.guard.enter(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	defer release()
	parent := ctx
	ctx, done := s.guard.track(ctx)
	defer done()
	s.open.Add(1)
	start := time.Now()
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
	defer func() { _ = session.Close(ctx); s.open.Add(-1) }()
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		out, err := fn(ctx, tx)
		return out, stopRetry(err)
	}
	var configurers []func(*neo4j.TransactionConfig)
	if deadline, ok := ctx.Deadline(); ok {
		// The server stops the transaction at the caller's deadline too,
		// instead of finishing work nobody waits for.
		configurers = append(configurers, neo4j.WithTxTimeout(max(time.Until(deadline), time.Millisecond)))
	}
	var out any
	if mode == neo4j.AccessModeWrite {
		out, err = session.ExecuteWrite(ctx, work, configurers...)
	} else {
		out, err = session.ExecuteRead(ctx, work, configurers...)
	}
	if s.observe != nil {
		s.observe(map[neo4j.AccessMode]string{neo4j.AccessModeRead: "read", neo4j.AccessModeWrite: "write"}[mode], time.Since(start), err)
	}
	if err != nil {
		var zero T
		return zero, s.guard.failed(parent, ctx, classify(unwrapNoRetry(err)))
	}
	return out.(T), nil
}

// classify marks connectivity failures as ErrUnavailable, keeping the cause.
func classify(err error) error {
	if errors.Is(err, ErrNotFound) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	var dbErr *neo4j.Neo4jError
	if errors.As(err, &dbErr) && strings.HasSuffix(dbErr.Code, "TransactionTimedOut") {
		return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
	}
	if dbErr != nil && isMemoryError(dbErr) {
		return fmt.Errorf("%w: %w", ErrMemoryLimit, err)
	}
	var connErr *neo4j.ConnectivityError
	var retries *neo4j.TransactionExecutionLimit
	if errors.As(err, &connErr) || errors.As(err, &retries) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if neo4j.IsRetryable(err) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// count runs a query whose single record holds one integer, such as a
// count(*), and returns it.
func count(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) (int64, error) {
	res, err := tx.Run(ctx, query, params)
	if err != nil {
		return 0, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := rec.Values[0].(int64)
	return n, nil
}
