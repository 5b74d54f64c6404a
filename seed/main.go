// Command seed loads the project's dataset (seed/data) into Neo4j as a new
// data release:
//
//	go run ./seed [-data seed/data] [-reset] [-if-empty] [-grace 12s] [-quiet]
//
// It validates every file before writing anything, creates the constraints
// and indexes first, writes the whole dataset beside the release the API is
// serving and then makes it current in one transaction (see seed/README.md).
// SIGINT or SIGTERM stops the load: the unfinished release is never served
// and the next load deletes it. Connection settings come from NEO4J_URI,
// NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE; QUERY_TIMEOUT (the server's)
// sets the default grace period.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/store"
)

// options are the command's flags.
type options struct {
	reset   bool          // delete every older release as soon as the new one is current
	ifEmpty bool          // load only when the database holds no complete release
	grace   time.Duration // keep the previous release this long for requests in flight
}

func main() {
	dataDir := flag.String("data", "seed/data", "directory of the seed CSV files")
	var opt options
	flag.BoolVar(&opt.reset, "reset", false, "delete every older release as soon as the new one is current, without the grace period")
	flag.BoolVar(&opt.ifEmpty, "if-empty", false, "load only when the database holds no complete release (else only delete expired releases)")
	flag.DurationVar(&opt.grace, "grace", defaultGrace(), "keep the previous release this long for requests still reading it (at least the server's QUERY_TIMEOUT + "+store.TrackerLag.String()+")")
	quiet := flag.Bool("quiet", false, "print only errors")
	flag.Parse()
	// Stopping the loader stops the load: the write in flight rolls back.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := io.Writer(os.Stderr)
	if *quiet {
		log = io.Discard
	}
	if err := run(ctx, log, *dataDir, opt); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("stopped: %w", err)
		}
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

// defaultGrace is store.Grace of the server's QUERY_TIMEOUT (default 10s).
func defaultGrace() time.Duration {
	timeout := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv("QUERY_TIMEOUT")); err == nil && d > 0 {
		timeout = d
	}
	return store.Grace(timeout)
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, log io.Writer, dataDir string, opt options) error {
	start := time.Now()
	d, err := dataset.Read(dataDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "read and validated %s in %v\n", dataDir, time.Since(start).Round(time.Millisecond))
	s, err := store.Open(ctx, store.Config{
		URI:      env("NEO4J_URI", "bolt://127.0.0.1:7687"),
		User:     os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: env("NEO4J_DATABASE", "neo4j"),
	})
	if err != nil {
		return err
	}
	defer s.Close(context.Background())
	return load(ctx, log, s, d, opt, start)
}

// load writes d into s as a new release (see options) and prints the counts;
// start is when the run began, for the progress times.
func load(ctx context.Context, log io.Writer, s *store.Store, d *dataset.Dataset, opt options, start time.Time) error {
	prev, err := s.CurrentRelease(ctx)
	hasPrev := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	// A release an older loader wrote lacks what today's statements read
	// (store.Format), so -if-empty loads again (and, as any load, deletes
	// it after the grace period).
	outdated := hasPrev && prev.Format < store.Format
	if opt.ifEmpty && outdated {
		fmt.Fprintf(log, "release %d is of graph format %d, this loader writes format %d; loading seed/data again\n", prev.ID, prev.Format, store.Format)
	}
	if opt.ifEmpty && hasPrev && !outdated {
		n, err := s.Prune(ctx, opt.grace)
		if err != nil {
			return err
		}
		fmt.Fprintf(log, "database %s already holds release %d (loaded %s); nothing to load (-if-empty); %d nodes of unfinished or expired releases deleted\n",
			s.Database(), prev.ID, prev.LoadedAt.UTC().Format(time.RFC3339), n)
		return nil
	}
	rel, err := s.Load(ctx, d.Graph(), store.LoadOptions{Reset: opt.reset, Grace: opt.grace, Progress: func(stage string, rows int) {
		fmt.Fprintf(log, "%8v  %-55s %6d rows\n", time.Since(start).Round(time.Millisecond), stage, rows)
	}})
	switch {
	case err != nil && rel.ID != 0:
		return fmt.Errorf("release %d is current, but deleting older releases failed (the next load deletes them): %w", rel.ID, err)
	case err != nil:
		return fmt.Errorf("%w (the API keeps serving the previous release; the next load deletes the unfinished one)", err)
	}
	c, err := s.Count(store.WithRelease(ctx, rel.ID))
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "loaded release %d (data %s to %s) into %s (database %s) in %v\n",
		rel.ID, rel.DataFrom, rel.DataTo, s.URI(), s.Database(), time.Since(start).Round(time.Millisecond))
	for _, m := range []map[string]int64{c.Nodes, c.Edges} {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(log, "  %-20s %7d\n", k, m[k])
		}
	}
	if !hasPrev || opt.reset || opt.grace <= 0 {
		return nil
	}
	// Requests that pinned the previous release may still be reading it.
	fmt.Fprintf(log, "keeping release %d for %v for requests still reading it (Ctrl-C: the next load deletes it)\n", prev.ID, opt.grace)
	select {
	case <-ctx.Done():
		fmt.Fprintf(log, "not waiting: release %d is left to the next load\n", prev.ID)
		return nil
	case <-time.After(opt.grace):
	}
	n, err := s.Prune(ctx, opt.grace)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "deleted release %d (%d nodes)\n", prev.ID, n)
	return nil
}
