// Command seed loads the project's dataset (seed/data) into Neo4j:
//
//	go run ./seed [-data seed/data] [-reset] [-if-empty] [-quiet]
//
// It validates every file before writing anything, creates the constraints
// and indexes first, and is idempotent: run twice, same graph. Connection
// settings come from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"time"

	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/store"
)

func main() {
	dataDir := flag.String("data", "seed/data", "directory of the seed CSV files")
	reset := flag.Bool("reset", false, "delete every Organisation and Source node before loading")
	ifEmpty := flag.Bool("if-empty", false, "load only when the database holds no Organisation nodes")
	quiet := flag.Bool("quiet", false, "print only errors")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := io.Writer(os.Stderr)
	if *quiet {
		log = io.Discard
	}
	if err := run(ctx, log, *dataDir, *reset, *ifEmpty); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, log io.Writer, dataDir string, reset, ifEmpty bool) error {
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
	return load(ctx, log, s, d, reset, ifEmpty, start)
}

// load writes d into s (see the flags for reset and ifEmpty) and prints the
// counts; start is when the run began, for the progress times.
func load(ctx context.Context, log io.Writer, s *store.Store, d *dataset.Dataset, reset, ifEmpty bool, start time.Time) error {
	if ifEmpty {
		n, err := s.CountOrganisations(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			fmt.Fprintf(log, "database %s already holds %d organisations; nothing to do (-if-empty)\n", s.Database(), n)
			return nil
		}
	}
	err := s.Load(ctx, d.Graph(), store.LoadOptions{Reset: reset, Progress: func(stage string, rows int) {
		fmt.Fprintf(log, "%8v  %-55s %6d rows\n", time.Since(start).Round(time.Millisecond), stage, rows)
	}})
	if err != nil {
		return err
	}
	c, err := s.Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "loaded into %s (database %s) in %v\n", s.URI(), s.Database(), time.Since(start).Round(time.Millisecond))
	for _, m := range []map[string]int64{c.Nodes, c.Edges} {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(log, "  %-20s %7d\n", k, m[k])
		}
	}
	return nil
}
