// Package neo4jtest opens the project's Neo4j store for integration tests.
//
// Tests need a real database. When none answers, the test fails — unless the
// run is `go test -short` outside CI, where it is skipped with a message. A
// database that silently disappears must never turn a red build green, so CI
// (CI=true) always fails.
package neo4jtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/store"
)

// DefaultURI is used when NEO4J_URI is not set.
const DefaultURI = "bolt://127.0.0.1:7687"

// Config reads the connection settings from NEO4J_URI, NEO4J_USER,
// NEO4J_PASSWORD and NEO4J_DATABASE (default database "neo4j").
func Config() store.Config {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		uri = DefaultURI
	}
	db := os.Getenv("NEO4J_DATABASE")
	if db == "" {
		db = "neo4j"
	}
	return store.Config{
		URI:      uri,
		User:     os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: db,
	}
}

// Store opens the store from the environment and closes it when the test ends.
// If Neo4j does not answer it calls t.Fatal, except under -short outside CI,
// where it calls t.Skip.
func Store(t testing.TB) *store.Store {
	t.Helper()
	cfg := Config()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		if testing.Short() && os.Getenv("CI") != "true" {
			t.Skipf("neo4jtest: skipping in -short mode, no Neo4j at %s: %v", cfg.URI, err)
		}
		t.Fatalf("neo4jtest: no Neo4j at %s (start it with scripts/neo4j.sh start): %v", cfg.URI, err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}
