package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/icsgraph/icsgraph/internal/store"
)

// Growing the graph: the real graph (as `go run ./seed` loads it) is cloned
// N-1 times inside the database, so every region holds N times the systems,
// and each system its own copies of the sub-ICB locations, trusts, councils,
// Cancer Alliances, Clinical Senates, PCNs, practices, STPs and CCGs, with the
// same relationships and properties between the copies: the real graph's
// shape, ×N. Only the 7 regions (and the Source nodes) are shared.
//
// A copy k of a node gets the code `<code>-S<k>` (ONS codes likewise), the
// name `<name> S<k>` (so names stay distinct and orders stay total), the
// search text with `s<k>` added, and the properties replica = k and
// cloneOf = "<kind>:<code>#<k>" (indexed, to link the copies). Originals have
// no replica property, so the workload's codes (RJ1, E10000012, …) still
// name the same organisations at every size.
//
// This must only ever run against the benchmark's own scale database
// (bench/neo4j.sh), never against the shared one.

const cypherCloneNodes = `
MATCH (n:Organisation) WHERE n.replica IS NULL AND NOT n:Region
UNWIND range($from, $to) AS k
CALL (n, k) {
  // One SET of the finished map: setting the original code first would
  // break the uniqueness constraint on code before it was replaced.
  WITH n, k, n {.*,
      code: n.code + '-S' + k,
      onsCode: n.onsCode + '-S' + k,
      onsCodes: [c IN n.onsCodes | c + '-S' + k],
      name: n.name + ' S' + k,
      names: [x IN n.names | x + ' S' + k],
      searchText: coalesce(n.searchText, '') + ' s' + k,
      replica: k,
      cloneOf: n.kind + ':' + n.code + '#' + k} AS props
  CREATE (m:$(labels(n)))
  SET m = props
} IN TRANSACTIONS OF 5000 ROWS`

const cypherCloneRels = `
MATCH (a:Organisation)-[r]->(b:Organisation) WHERE a.replica IS NULL AND b.replica IS NULL
UNWIND range($from, $to) AS k
CALL (a, r, b, k) {
  MATCH (a2:Organisation {cloneOf: a.kind + ':' + a.code + '#' + k})
  OPTIONAL MATCH (b2:Organisation {cloneOf: b.kind + ':' + b.code + '#' + k})
  WITH a2, coalesce(b2, b) AS end, r
  CREATE (a2)-[r2:$(type(r))]->(end)
  SET r2 = properties(r)
} IN TRANSACTIONS OF 5000 ROWS`

// scaleGraph grows the database at -uri to -factor times the real graph.
// It is idempotent: copies already there are kept and only the missing ones
// are made.
func scaleGraph(args []string) error {
	fs := flag.NewFlagSet("scale", flag.ExitOnError)
	uri := fs.String("uri", "", "Bolt URI of the benchmark's own scale database (required)")
	factor := fs.Int("factor", 10, "grow to this many times the real graph")
	_ = fs.Parse(args)
	if *uri == "" {
		return fmt.Errorf("-uri is required (the scale database, never the shared one)")
	}
	ctx := context.Background()
	driver, err := neo4j.NewDriverWithContext(*uri, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer driver.Close(ctx)
	single := func(cypher string) (any, error) {
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
		if err != nil || len(res.Records) == 0 {
			return nil, err
		}
		return res.Records[0].Values[0], nil
	}
	originals, err := single("MATCH (n:Organisation) WHERE n.replica IS NULL RETURN count(n)")
	if err != nil {
		return err
	}
	if n, _ := originals.(int64); n == 0 {
		return fmt.Errorf("%s holds no organisations: seed it first (go run ./seed)", *uri)
	}
	have, err := single("MATCH (n:Organisation) WHERE n.replica IS NOT NULL RETURN coalesce(max(n.replica), 0)")
	if err != nil {
		return err
	}
	from, to := int(have.(int64))+1, *factor-1
	if from > to {
		fmt.Printf("scale: already ×%d or more (copies 1..%d)\n", *factor, from-1)
		return nil
	}
	start := time.Now()
	if _, err := single("CREATE INDEX bench_clone_of IF NOT EXISTS FOR (n:Organisation) ON (n.cloneOf)"); err != nil {
		return err
	}
	if _, err := single("CALL db.awaitIndexes(300)"); err != nil {
		return err
	}
	// The full-text index is dropped while copying and rebuilt afterwards
	// from the project's own schema (store.EnsureSchema): one bulk
	// population is much faster than updating Lucene row by row.
	if _, err := single("DROP INDEX " + store.FullTextIndex + " IF EXISTS"); err != nil {
		return err
	}
	// IN TRANSACTIONS needs an auto-commit transaction: session.Run.
	session := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j"})
	defer session.Close(ctx)
	for _, step := range []struct{ what, cypher string }{{"nodes", cypherCloneNodes}, {"relationships", cypherCloneRels}} {
		t0 := time.Now()
		res, err := session.Run(ctx, step.cypher, map[string]any{"from": from, "to": to})
		if err != nil {
			return err
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			return fmt.Errorf("cloning %s: %w", step.what, err)
		}
		c := sum.Counters()
		fmt.Printf("scale: copies %d..%d: %d nodes, %d relationships created in %v\n", from, to,
			c.NodesCreated(), c.RelationshipsCreated(), time.Since(t0).Round(time.Second))
	}
	t0 := time.Now()
	st, err := store.Open(ctx, store.Config{URI: *uri, Database: "neo4j"})
	if err != nil {
		return err
	}
	defer st.Close(ctx)
	if err := st.EnsureSchema(ctx); err != nil {
		return err
	}
	fmt.Printf("scale: indexes rebuilt and online in %v\n", time.Since(t0).Round(time.Second))
	n, _ := single("MATCH (n:Organisation) RETURN count(n)")
	r, _ := single("MATCH ()-[r]->() RETURN count(r)")
	fmt.Printf("scale: ×%d: %v organisations, %v relationships (%v)\n", *factor, n, r, time.Since(start).Round(time.Second))
	return nil
}
