package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Graph is a validated dataset ready to be written: sources, organisation
// nodes per kind label and edges per (type, from label, to label). Labels and
// types must be the constants of schema.go; values travel as parameters.
type Graph struct {
	// Sources are the Source nodes, each with an "id".
	Sources []map[string]any
	Nodes   []NodeSet
	Edges   []EdgeSet
}

// NodeSet holds the nodes of one kind. Every row is the node's complete
// property map and has a "code".
type NodeSet struct {
	Label string
	Rows  []map[string]any
}

// EdgeSet holds edges of one type between two labels. Each row has "from" and
// "to" (node codes) and "props" (the edge's complete property map). Key names
// the properties that tell parallel edges apart (CCG PART_OF STP per year).
type EdgeSet struct {
	Type, From, To string
	Key            []string
	Rows           []map[string]any
}

// LoadOptions tune Load.
type LoadOptions struct {
	// Reset deletes every Organisation and Source node first.
	Reset bool
	// Progress, if set, is told about each stage as it finishes.
	Progress func(stage string, rows int)
}

// batchSize is the number of rows written per transaction: large enough that
// the ~25,000 rows need a handful of round-trips, small enough to keep each
// transaction's memory modest.
const batchSize = 5000

// Load writes g: schema first (constraints and indexes, awaited), then
// sources, nodes and edges in batched UNWIND … MERGE transactions. MERGE on
// the keys and SET of complete property maps make it idempotent, and a run
// killed halfway converges when run again.
func (s *Store) Load(ctx context.Context, g Graph, opt LoadOptions) error {
	progress := opt.Progress
	if progress == nil {
		progress = func(string, int) {}
	}
	if err := s.EnsureSchema(ctx); err != nil {
		return err
	}
	progress("schema", 0)
	if opt.Reset {
		n, err := s.Reset(ctx)
		if err != nil {
			return err
		}
		progress("reset", int(n))
	}
	if err := s.writeBatches(ctx, "MERGE (n:"+LabelSource+" {id: row.id}) SET n = row", g.Sources); err != nil {
		return fmt.Errorf("load sources: %w", err)
	}
	progress(LabelSource, len(g.Sources))
	for _, ns := range g.Nodes {
		q := "MERGE (n:" + ns.Label + " {code: row.code}) SET n = row, n:" + LabelOrganisation
		if err := s.writeBatches(ctx, q, ns.Rows); err != nil {
			return fmt.Errorf("load %s nodes: %w", ns.Label, err)
		}
		progress(ns.Label, len(ns.Rows))
	}
	for _, es := range g.Edges {
		var key []string
		for _, k := range es.Key {
			key = append(key, k+": row.props."+k)
		}
		merge := "MERGE (a)-[r:" + es.Type + "]->(b)"
		if len(key) > 0 {
			merge = "MERGE (a)-[r:" + es.Type + " {" + strings.Join(key, ", ") + "}]->(b)"
		}
		q := "MATCH (a:" + es.From + " {code: row.from}) MATCH (b:" + es.To + " {code: row.to}) " + merge + " SET r = row.props"
		if err := s.writeBatches(ctx, q, es.Rows); err != nil {
			return fmt.Errorf("load (%s)-[%s]->(%s): %w", es.From, es.Type, es.To, err)
		}
		progress("("+es.From+")-["+es.Type+"]->("+es.To+")", len(es.Rows))
	}
	return nil
}

func (s *Store) writeBatches(ctx context.Context, q string, rows []map[string]any) error {
	for start := 0; start < len(rows); start += batchSize {
		batch := rows[start:min(start+batchSize, len(rows))]
		_, err := write(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, error) {
			res, err := tx.Run(ctx, "UNWIND $rows AS row "+q, map[string]any{"rows": batch})
			if err != nil {
				return struct{}{}, err
			}
			_, err = res.Consume(ctx)
			return struct{}{}, err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// schemaStatements create the constraints and indexes the API relies on.
func schemaStatements() []string {
	var out []string
	for _, label := range KindLabels {
		out = append(out, "CREATE CONSTRAINT "+strings.ToLower(label)+"_code IF NOT EXISTS FOR (n:"+label+") REQUIRE n.code IS UNIQUE")
	}
	return append(out,
		"CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:"+LabelSource+") REQUIRE n.id IS UNIQUE",
		"CREATE INDEX organisation_code IF NOT EXISTS FOR (n:"+LabelOrganisation+") ON (n.code)",
		"CREATE INDEX organisation_ons_code IF NOT EXISTS FOR (n:"+LabelOrganisation+") ON (n.onsCode)",
		"CREATE INDEX organisation_name IF NOT EXISTS FOR (n:"+LabelOrganisation+") ON (n.name)",
		"CREATE INDEX trust_type IF NOT EXISTS FOR (n:"+LabelTrust+") ON (n.trustType)", // list filter (compiler)
		"CREATE FULLTEXT INDEX "+FullTextIndex+" IF NOT EXISTS FOR (n:"+LabelOrganisation+") ON EACH [n.name, n.searchText]",
	)
}

// EnsureSchema creates the constraints and indexes if they do not exist and
// waits until every index is online.
func (s *Store) EnsureSchema(ctx context.Context) error {
	for _, q := range append(schemaStatements(), "CALL db.awaitIndexes(300)") {
		if err := s.exec(ctx, q, nil); err != nil {
			return fmt.Errorf("schema: %s: %w", q, err)
		}
	}
	return nil
}

func (s *Store) exec(ctx context.Context, q string, params map[string]any) error {
	_, err := write(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, error) {
		res, err := tx.Run(ctx, q, params)
		if err != nil {
			return struct{}{}, err
		}
		_, err = res.Consume(ctx)
		return struct{}{}, err
	})
	return err
}

// Reset deletes every Organisation and Source node with their edges, in
// batches so that no single transaction holds the whole graph. It returns the
// number of nodes deleted.
func (s *Store) Reset(ctx context.Context) (int64, error) {
	var total int64
	for {
		n, err := write(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (int64, error) {
			return count(ctx, tx, "MATCH (n) WHERE n:"+LabelOrganisation+" OR n:"+LabelSource+
				" WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n", map[string]any{"limit": batchSize})
		})
		if err != nil {
			return total, fmt.Errorf("reset: %w", err)
		}
		total += n
		if n == 0 {
			return total, nil
		}
	}
}

// Counts is the number of nodes per label and edges per type.
type Counts struct {
	Nodes map[string]int64
	Edges map[string]int64
}

// Count counts nodes per kind label (plus Organisation and Source) and edges
// per relationship type.
func (s *Store) Count(ctx context.Context) (Counts, error) {
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (Counts, error) {
		c := Counts{Nodes: map[string]int64{}, Edges: map[string]int64{}}
		labels := []string{LabelOrganisation, LabelSource}
		for _, l := range KindLabels {
			labels = append(labels, l)
		}
		for _, l := range labels {
			n, err := count(ctx, tx, "MATCH (n:"+l+") RETURN count(n) AS n", nil)
			if err != nil {
				return c, err
			}
			c.Nodes[l] = n
		}
		res, err := tx.Run(ctx, "MATCH ()-[r]->() RETURN type(r) AS t, count(r) AS n", nil)
		if err != nil {
			return c, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return c, err
		}
		for _, r := range recs {
			t, _ := r.Get("t")
			n, _ := r.Get("n")
			c.Edges[t.(string)] = n.(int64)
		}
		return c, nil
	})
}

// CountOrganisations returns how many Organisation nodes the database holds.
func (s *Store) CountOrganisations(ctx context.Context) (int64, error) {
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (int64, error) {
		return count(ctx, tx, "MATCH (n:"+LabelOrganisation+") RETURN count(n) AS n", nil)
	})
}

// Column runs a read query and returns its first column, one value per
// record. It exists for checks of the loaded graph (tests, diagnostics); the
// API uses the typed reads.
func (s *Store) Column(ctx context.Context, q string, params map[string]any) ([]any, error) {
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]any, error) {
		res, err := tx.Run(ctx, q, params)
		if err != nil {
			return nil, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]any, 0, len(recs))
		for _, r := range recs {
			out = append(out, r.Values[0])
		}
		return out, nil
	})
}
