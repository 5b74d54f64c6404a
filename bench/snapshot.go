package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The snapshot: the time-aware graph (every node and relationship with
// validFrom/validTo, several versions of a relationship side by side, closed
// organisations kept) cut down to the facts that hold on one date, the
// newest the release describes (Release.dataTo, our server's default asOf).
// The peer and the raw Cypher know nothing of validity; on the snapshot their
// unfiltered queries answer as of that date, while our server still runs its
// validity filters (it does not know the graph is a snapshot). So all three
// compute the same answer as of the same date. Properties are kept as they
// are (release, validFrom, names lists…).
//
// The snapshot is cut from a fresh load of seed/data in the benchmark's own
// database and then checked against the source database (-source, read
// only): per label and per relationship type, as many nodes and
// relationships as hold on that date in the source, where a relationship
// holds when it and both its ends hold (SUCCEEDED_BY edges start from closed
// predecessors and so never survive).

const holds = `(%[1]s.validFrom IS NULL OR %[1]s.validFrom <= $d) AND (%[1]s.validTo IS NULL OR %[1]s.validTo > $d)`

func h(x string) string { return fmt.Sprintf(holds, x) }

var (
	cypherSnapshotRels  = `MATCH (a)-[r]->(b) WHERE NOT (` + h("r") + ` AND ` + h("a") + ` AND ` + h("b") + `) DELETE r RETURN count(*)`
	cypherSnapshotNodes = `MATCH (n:Organisation) WHERE NOT (` + h("n") + `) DETACH DELETE n RETURN count(*)`
	cypherHoldingNodes  = `MATCH (n:Organisation) WHERE ` + h("n") + ` UNWIND labels(n) AS l WITH l WHERE l <> 'Organisation' RETURN l AS k, count(*) AS c`
	cypherHoldingRels   = `MATCH (a)-[r]->(b) WHERE ` + h("r") + ` AND ` + h("a") + ` AND ` + h("b") + ` RETURN type(r) AS k, count(*) AS c`
	cypherDataTo        = `MATCH (r:Release) WHERE r.current = true AND r.complete = true RETURN r.dataTo, r.id ORDER BY r.id DESC LIMIT 1`
)

func snapshotGraph(args []string) error {
	fs := flag.NewFlagSet("snapshot", flag.ExitOnError)
	uri := fs.String("uri", "", "Bolt URI of the benchmark's own database, freshly seeded (required; it is cut down)")
	source := fs.String("source", "", "Bolt URI of the source database to check the snapshot against (read only; empty: no check)")
	_ = fs.Parse(args)
	if *uri == "" {
		return fmt.Errorf("-uri is required (the benchmark's own database, never the shared one)")
	}
	if *uri == *source {
		return fmt.Errorf("-uri and -source are the same database: the snapshot deletes, so it never runs on the source")
	}
	ctx := context.Background()
	start := time.Now()
	driver, err := neo4j.NewDriverWithContext(*uri, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer driver.Close(ctx)
	rows := func(d neo4j.DriverWithContext, cypher string, params map[string]any, read bool) ([]*neo4j.Record, error) {
		opts := []neo4j.ExecuteQueryConfigurationOption{neo4j.ExecuteQueryWithDatabase("neo4j")}
		if read {
			opts = append(opts, neo4j.ExecuteQueryWithReadersRouting())
		}
		res, err := neo4j.ExecuteQuery(ctx, d, cypher, params, neo4j.EagerResultTransformer, opts...)
		if err != nil {
			return nil, err
		}
		return res.Records, nil
	}
	rel, err := rows(driver, cypherDataTo, nil, true)
	if err != nil {
		return err
	}
	if len(rel) == 0 {
		return fmt.Errorf("%s holds no complete current release: seed it first", *uri)
	}
	date, _ := rel[0].Values[0].(string)
	if date == "" {
		return fmt.Errorf("%s: the current release has no dataTo", *uri)
	}
	p := map[string]any{"d": date}
	r, err := rows(driver, cypherSnapshotRels, p, false)
	if err != nil {
		return fmt.Errorf("removing relationships: %w", err)
	}
	n, err := rows(driver, cypherSnapshotNodes, p, false)
	if err != nil {
		return fmt.Errorf("removing organisations: %w", err)
	}
	fmt.Printf("snapshot: as of %s: removed %v relationships and %v organisations that do not hold then\n", date, r[0].Values[0], n[0].Values[0])

	counts := func(d neo4j.DriverWithContext) (map[string]int64, error) {
		out := map[string]int64{}
		for i, q := range []string{cypherHoldingNodes, cypherHoldingRels} {
			recs, err := rows(d, q, p, true)
			if err != nil {
				return nil, err
			}
			for _, rec := range recs {
				out[[]string{":", "-"}[i]+rec.Values[0].(string)] = rec.Values[1].(int64)
			}
		}
		return out, nil
	}
	have, err := counts(driver)
	if err != nil {
		return err
	}
	if *source != "" {
		src, err := neo4j.NewDriverWithContext(*source, neo4j.NoAuth())
		if err != nil {
			return err
		}
		defer src.Close(ctx)
		srel, err := rows(src, cypherDataTo, nil, true)
		if err != nil {
			return fmt.Errorf("source %s: %w", *source, err)
		}
		if len(srel) == 0 || srel[0].Values[0] != date {
			return fmt.Errorf("source %s: its current release does not end on %s", *source, date)
		}
		want, err := counts(src)
		if err != nil {
			return fmt.Errorf("source %s: %w", *source, err)
		}
		if !maps.Equal(have, want) {
			all := maps.Clone(want)
			maps.Copy(all, have)
			for _, k := range slices.Sorted(maps.Keys(all)) {
				if have[k] != want[k] {
					fmt.Printf("snapshot: %s: %d here, %d holding in the source\n", k, have[k], want[k])
				}
			}
			return fmt.Errorf("the snapshot differs from the facts holding on %s in %s", date, *source)
		}
		fmt.Printf("snapshot: the same counts per label and type as the facts holding on %s in %s\n", date, *source)
	}
	var nodes, edges int64
	for k, v := range have {
		if k[0] == '-' {
			edges += v
		} else {
			nodes += v
		}
	}
	fmt.Printf("snapshot: %d organisations, %d relationships as of %s (%v)\n", nodes, edges, date, time.Since(start).Round(time.Second))
	return nil
}
