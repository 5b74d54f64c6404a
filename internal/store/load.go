package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Graph is a validated dataset ready to be written: sources, organisation
// nodes per kind label and edges per (type, from label, to label). Labels and
// types must be the constants of schema.go; values travel as parameters.
type Graph struct {
	// Sources are the Source nodes, each with an "id".
	Sources []map[string]any
	Nodes   []NodeSet
	// Plain are nodes that are not organisations (small areas and their
	// periods, PlainLabels): written without the Organisation label.
	Plain []NodeSet
	Edges []EdgeSet
	// Release holds further properties of the Release node (changeReport:
	// the release's change report), set before it becomes current.
	Release map[string]any
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
	// Grace is how long a release that stopped being current stays in the
	// database for the requests that pinned it before the switch. It must be
	// at least the server's QUERY_TIMEOUT plus TrackerLag (see Grace). Zero
	// deletes the previous release as soon as the new one is current (right
	// when no server reads the database, e.g. in tests).
	Grace time.Duration
	// Reset deletes every other release once the new one is current, at
	// once, whatever Grace says.
	Reset bool
	// Progress, if set, is told about each stage as it finishes.
	Progress func(stage string, rows int)
}

// Grace is the shortest safe LoadOptions.Grace for a server whose requests
// take at most queryTimeout: a request pins the release its server's tracker
// knew when it started (at most TrackerLag old) and then reads for at most
// queryTimeout.
func Grace(queryTimeout time.Duration) time.Duration { return queryTimeout + TrackerLag }

// batchSize is the number of rows written per transaction: large enough that
// the ~25,000 rows need a handful of round-trips, small enough to keep each
// transaction's memory modest.
const batchSize = 5000

// Load writes g as a new release beside the current one and then makes it
// current in one write transaction; readers that pin a release (the server
// pins the current one per request) never see a partial or empty graph.
//
// Steps: schema (constraints and indexes, awaited); Prune (unfinished
// releases, releases superseded more than Grace ago, nodes without a
// release); a Release node {id: the largest id + 1, complete: false,
// heartbeat}; the sources, nodes and edges, each carrying `release: id`, in
// batched UNWIND … CREATE transactions, each batch checked to have written
// every row; then the switch (complete and current: true; the previous release
// current: false, supersededAt); then Prune again (or, with Reset, every
// other release). A load that fails or is cancelled leaves an unfinished
// release (marked abandoned) that readers never see and the next load
// deletes. Concurrent loads each write their own release (each batch beats
// its release's heartbeat, which keeps it from Prune); the last to switch
// wins.
func (s *Store) Load(ctx context.Context, g Graph, opt LoadOptions) (Release, error) {
	progress := opt.Progress
	if progress == nil {
		progress = func(string, int) {}
	}
	if err := s.EnsureSchema(ctx); err != nil {
		return Release{}, err
	}
	progress("schema", 0)
	n, err := s.Prune(ctx, opt.Grace)
	if err != nil {
		return Release{}, err
	}
	progress("prune: nodes of unfinished and expired releases deleted", int(n))
	id, err := s.beginRelease(ctx)
	if err != nil {
		return Release{}, err
	}
	progress(fmt.Sprintf("release %d: writing", id), 0)
	rel, err := s.writeRelease(ctx, id, g, progress)
	if err != nil {
		s.abandon(ctx, id)
		return Release{}, err
	}
	progress(fmt.Sprintf("release %d: current", id), 0)
	if opt.Reset {
		n, err = s.prune(ctx, []int64{id})
	} else {
		n, err = s.Prune(ctx, opt.Grace)
	}
	if err != nil {
		return rel, err
	}
	progress("prune: nodes of older releases deleted", int(n))
	return rel, nil
}

// writeRelease writes g into release id and makes it current.
func (s *Store) writeRelease(ctx context.Context, id int64, g Graph, progress func(string, int)) (Release, error) {
	if err := s.writeBatches(ctx, id, "CREATE (n:"+LabelSource+") SET n = row, n.release = $release", g.Sources); err != nil {
		return Release{}, fmt.Errorf("load sources: %w", err)
	}
	progress(LabelSource, len(g.Sources))
	for _, ns := range g.Nodes {
		q := "CREATE (n:" + ns.Label + ":" + LabelOrganisation + ") SET n = row, n.release = $release"
		if err := s.writeBatches(ctx, id, q, ns.Rows); err != nil {
			return Release{}, fmt.Errorf("load %s nodes: %w", ns.Label, err)
		}
		progress(ns.Label, len(ns.Rows))
	}
	for _, ns := range g.Plain {
		if !slices.Contains(PlainLabels, ns.Label) {
			return Release{}, fmt.Errorf("load %s nodes: not a label of PlainLabels", ns.Label)
		}
		if err := s.writeBatches(ctx, id, "CREATE (n:"+ns.Label+") SET n = row, n.release = $release", ns.Rows); err != nil {
			return Release{}, fmt.Errorf("load %s nodes: %w", ns.Label, err)
		}
		progress(ns.Label, len(ns.Rows))
	}
	for _, es := range g.Edges {
		// A new release starts empty, so CREATE; parallel edges (es.Key)
		// are distinct rows.
		q := "MATCH (a:" + es.From + " {code: row.from, release: $release}) MATCH (b:" + es.To + " {code: row.to, release: $release}) " +
			"CREATE (a)-[r:" + es.Type + "]->(b) SET r = row.props"
		if err := s.writeBatches(ctx, id, q, es.Rows); err != nil {
			return Release{}, fmt.Errorf("load (%s)-[%s]->(%s): %w", es.From, es.Type, es.To, err)
		}
		progress("("+es.From+")-["+es.Type+"]->("+es.To+")", len(es.Rows))
	}
	if err := s.setReleaseProps(ctx, id, g.Release); err != nil {
		return Release{}, fmt.Errorf("release %d properties: %w", id, err)
	}
	return s.commitRelease(ctx, id, g)
}

// loadLiveness is how recently a load must have written (its release's
// heartbeat) for Prune to leave its unfinished release alone: far longer
// than one batch takes. A load stopped by a signal or an error marks its
// release abandoned at once; one killed outright is pruned once its
// heartbeat is this old.
const loadLiveness = 2 * time.Minute

// abandon marks the unfinished release id abandoned, so that the next Prune
// deletes it without waiting for its heartbeat to age. Best effort: ctx may
// be cancelled already (that is often why the load failed).
func (s *Store) abandon(ctx context.Context, id int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = s.exec(ctx, "MATCH (r:"+LabelRelease+" {id: $id}) WHERE NOT r.complete SET r.abandoned = true", map[string]any{"id": id})
}

// writeBatches runs q for rows in batches (row and $release bound) and
// checks that every row wrote a node or relationship: an edge whose end
// does not exist would otherwise vanish without a word.
func (s *Store) writeBatches(ctx context.Context, release int64, q string, rows []map[string]any) error {
	for start := 0; start < len(rows); start += batchSize {
		batch := rows[start:min(start+batchSize, len(rows))]
		created, err := write(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (int, error) {
			params := map[string]any{"rows": batch, "release": release}
			res, err := tx.Run(ctx, "UNWIND $rows AS row "+q, params)
			if err != nil {
				return 0, err
			}
			sum, err := res.Consume(ctx)
			if err != nil {
				return 0, err
			}
			// The heartbeat tells a concurrent Prune that this load is alive.
			beat, err := tx.Run(ctx, "MATCH (r:"+LabelRelease+" {id: $release}) SET r.heartbeat = datetime()", params)
			if err != nil {
				return 0, err
			}
			if _, err := beat.Consume(ctx); err != nil {
				return 0, err
			}
			return sum.Counters().NodesCreated() + sum.Counters().RelationshipsCreated(), nil
		})
		if err != nil {
			return err
		}
		if created != len(batch) {
			return fmt.Errorf("release %d: wrote %d of %d rows (rows %d…%d)", release, created, len(batch), start, start+len(batch)-1)
		}
	}
	return nil
}

// beginRelease creates the Release node of a new load, not complete, with the
// next id (the uniqueness constraint on Release.id turns a concurrent load's
// clash into an error).
func (s *Store) beginRelease(ctx context.Context) (id int64, err error) {
	for range 3 { // a concurrent load may take the same id first
		id, err = write(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (int64, error) {
			return count(ctx, tx, `
OPTIONAL MATCH (r:`+LabelRelease+`)
WITH coalesce(max(r.id), 0) + 1 AS id
CREATE (n:`+LabelRelease+` {id: id, complete: false, current: false, startedAt: datetime(), heartbeat: datetime()})
RETURN id`, nil)
		})
		if err == nil {
			return id, nil
		}
	}
	return 0, fmt.Errorf("begin release: %w", err)
}

// commitRelease makes release id current in one write transaction, after
// checking that it holds every node of g, and returns it.
func (s *Store) commitRelease(ctx context.Context, id int64, g Graph) (Release, error) {
	want := int64(len(g.Sources))
	for _, ns := range append(slices.Clone(g.Nodes), g.Plain...) {
		want += int64(len(ns.Rows))
	}
	sources := make([]string, 0, len(g.Sources))
	for _, src := range g.Sources {
		if v, ok := src["id"].(string); ok {
			sources = append(sources, v)
		}
	}
	from, to := DataDates(g)
	params := map[string]any{"id": id, "want": want, "sources": sources, "dataFrom": from, "dataTo": to, "announcedTo": AnnouncedDate(g), "format": Format}
	rel, err := write(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (Release, error) {
		got, err := count(ctx, tx, "MATCH (n:"+releaseLabels+") WHERE n.release = $id RETURN count(n)", params)
		if err != nil {
			return Release{}, err
		}
		if got != want {
			return Release{}, fmt.Errorf("release %d holds %d nodes, want %d; not made current", id, got, want)
		}
		res, err := tx.Run(ctx, `
MATCH (new:`+LabelRelease+` {id: $id}) WHERE NOT new.complete
SET new.complete = true, new.current = true, new.loadedAt = datetime(),
    new.dataFrom = $dataFrom, new.dataTo = $dataTo, new.sources = $sources, new.announcedTo = $announcedTo,
    new.format = $format
WITH new
OPTIONAL MATCH (old:`+LabelRelease+`) WHERE old.current AND old.id <> new.id
WITH new, collect(old) AS olds
FOREACH (o IN olds | SET o.current = false, o.supersededAt = new.loadedAt)
RETURN properties(new)`, params)
		if err != nil {
			return Release{}, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return Release{}, err
		}
		p, _ := rec.Values[0].(map[string]any)
		return decodeRelease(p), nil
	})
	if err != nil {
		return Release{}, fmt.Errorf("make release %d current: %w", id, err)
	}
	return rel, nil
}

// DataDates returns the dates g's release describes: from the landscape's
// first day (DefaultDataFrom, the CCGs of 1 April 2013: trusts and practices
// that opened earlier keep their real open dates, but nothing else before
// that day is described), or the earliest `validFrom` if later, to the newest
// `validFrom` of its nodes and edges. Without any validFrom (the graph before
// the time-aware loader) they are DefaultDataFrom and DefaultDataTo.
func DataDates(g Graph) (from, to string) {
	see := func(p map[string]any) {
		if announced, _ := p["announced"].(bool); announced { // not data: announced facts reach further (AnnouncedDate)
			return
		}
		v, ok := p["validFrom"].(string)
		if !ok || v == "" {
			return
		}
		if from == "" || v < from {
			from = v
		}
		if v > to {
			to = v
		}
	}
	eachFact(g, see)
	if from == "" {
		return DefaultDataFrom, DefaultDataTo
	}
	return max(from, DefaultDataFrom), to
}

// eachFact calls see with the properties of every node and edge of g.
func eachFact(g Graph, see func(p map[string]any)) {
	for _, ns := range g.Nodes {
		for _, row := range ns.Rows {
			see(row)
		}
	}
	for _, es := range g.Edges {
		for _, row := range es.Rows {
			if p, ok := row["props"].(map[string]any); ok {
				see(p)
			}
		}
	}
}

// AnnouncedDate is the latest date (validFrom or validTo) among the facts
// of g held only by an announcement (`announced = true`), or nil when there
// are none: the Release's announcedTo, the furthest a request including
// announced facts may ask about.
func AnnouncedDate(g Graph) any {
	latest := ""
	see := func(p map[string]any) {
		if announced, _ := p["announced"].(bool); !announced {
			return
		}
		for _, k := range []string{"validFrom", "validTo"} {
			if v, _ := p[k].(string); v > latest {
				latest = v
			}
		}
	}
	eachFact(g, see)
	if latest == "" {
		return nil
	}
	return latest
}

// Prune deletes what no reader may be reading any more: unfinished releases
// of loads that failed, were stopped or have not written for loadLiveness,
// releases superseded more than grace ago, and organisation or Source nodes
// of no release (written before releases existed). It keeps the current
// release, those superseded within grace and those a load is still writing,
// and returns the number of nodes deleted.
func (s *Store) Prune(ctx context.Context, grace time.Duration) (int64, error) {
	keep, err := read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]int64, error) {
		res, err := tx.Run(ctx, `
MATCH (r:`+LabelRelease+`) WHERE r.deletedAt IS NULL AND (
  (r.complete AND (r.current OR r.supersededAt > datetime() - duration({milliseconds: $grace})))
  OR (NOT r.complete AND NOT coalesce(r.abandoned, false) AND r.heartbeat > datetime() - duration({milliseconds: $live})))
RETURN r.id`, map[string]any{"grace": grace.Milliseconds(), "live": loadLiveness.Milliseconds()})
		if err != nil {
			return nil, err
		}
		var ids []int64
		for res.Next(ctx) {
			id, _ := res.Record().Values[0].(int64)
			ids = append(ids, id)
		}
		return ids, res.Err()
	})
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	return s.prune(ctx, keep)
}

// DeleteAllReleases empties the graph: every release, complete or not, and
// every organisation and Source node (the Release nodes stay as a log, marked
// deleted, so ids keep increasing). For tests of an empty database; a
// serving database is never emptied (a load replaces a release).
func (s *Store) DeleteAllReleases(ctx context.Context) (int64, error) {
	return s.prune(ctx, nil)
}

// prune deletes every organisation and Source node whose release is not in
// keep, in batches so that no single transaction holds a whole release, and
// then marks the Release nodes not in keep deleted (deletedAt).
func (s *Store) prune(ctx context.Context, keep []int64) (int64, error) {
	if keep == nil {
		keep = []int64{}
	}
	var total int64
	for {
		n, err := write(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (int64, error) {
			return count(ctx, tx, "MATCH (n:"+releaseLabels+") WHERE NOT coalesce(n.release, -1) IN $keep"+
				" WITH n LIMIT $limit DETACH DELETE n RETURN count(*)", map[string]any{"keep": keep, "limit": batchSize})
		})
		if err != nil {
			return total, fmt.Errorf("prune: %w", err)
		}
		total += n
		if n == 0 {
			break
		}
	}
	// The Release nodes stay, marked deleted: a log of the loads that also
	// keeps release ids increasing.
	err := s.exec(ctx, "MATCH (r:"+LabelRelease+") WHERE NOT r.id IN $keep AND r.deletedAt IS NULL"+
		" SET r.current = false, r.deletedAt = datetime()", map[string]any{"keep": keep})
	if err != nil {
		return total, fmt.Errorf("prune: %w", err)
	}
	return total, nil
}

// schemaStatements create the constraints and indexes the API relies on.
// A code is unique per kind label within a release: (code, release) is a
// composite property uniqueness constraint (Neo4j 5 Community), backed by a
// composite range index, which a lookup by code alone cannot seek; so each
// kind label also has a range index on code (a per-kind lookup such as
// MATCH (n:Trust {code: $code}) seeks it instead of scanning the label).
// The constraints on code alone, from before releases, are dropped.
func schemaStatements() []string {
	var out []string
	for _, label := range KindLabels {
		name := strings.ToLower(label) + "_code"
		out = append(out,
			"DROP CONSTRAINT "+name+" IF EXISTS",
			"CREATE CONSTRAINT "+name+"_release IF NOT EXISTS FOR (n:"+label+") REQUIRE (n.code, n.release) IS UNIQUE",
			"CREATE INDEX "+name+"_seek IF NOT EXISTS FOR (n:"+label+") ON (n.code)")
	}
	return append(out,
		"DROP CONSTRAINT source_id IF EXISTS",
		"CREATE CONSTRAINT source_id_release IF NOT EXISTS FOR (n:"+LabelSource+") REQUIRE (n.id, n.release) IS UNIQUE",
		"CREATE CONSTRAINT small_area_code_release IF NOT EXISTS FOR (n:"+LabelSmallArea+") REQUIRE (n.code, n.release) IS UNIQUE",
		"CREATE CONSTRAINT release_id IF NOT EXISTS FOR (n:"+LabelRelease+") REQUIRE n.id IS UNIQUE",
		"CREATE INDEX organisation_code IF NOT EXISTS FOR (n:"+LabelOrganisation+") ON (n.code)",
		"CREATE INDEX organisation_ons_code IF NOT EXISTS FOR (n:"+LabelOrganisation+") ON (n.onsCode)",
		"CREATE INDEX organisation_name IF NOT EXISTS FOR (n:"+LabelOrganisation+") ON (n.name)",
		"CREATE INDEX organisation_release IF NOT EXISTS FOR (n:"+LabelOrganisation+") ON (n.release)",
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

// Counts is the number of nodes per label and edges per type.
type Counts struct {
	Nodes map[string]int64
	Edges map[string]int64
}

// Count counts nodes per kind label (plus Organisation and Source) and edges
// per relationship type, of the release pinned in ctx (else of every release).
func (s *Store) Count(ctx context.Context) (Counts, error) {
	params := releaseParams(ctx, nil)
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (Counts, error) {
		c := Counts{Nodes: map[string]int64{}, Edges: map[string]int64{}}
		labels := []string{LabelOrganisation, LabelSource}
		for _, l := range KindLabels {
			labels = append(labels, l)
		}
		for _, l := range labels {
			n, err := count(ctx, tx, "MATCH (n:"+l+") WHERE "+inRelease("n")+" RETURN count(n) AS n", params)
			if err != nil {
				return c, err
			}
			c.Nodes[l] = n
		}
		res, err := tx.Run(ctx, "MATCH (a)-[r]->() WHERE "+inRelease("a")+" RETURN type(r) AS t, count(r) AS n", params)
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
