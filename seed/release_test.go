package main

import (
	"context"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// TestReleaseOfALoad checks the Release a load writes: a new id, the dates
// its data describes, its sources, current and alone once the previous one
// is pruned (no grace period in tests).
func TestReleaseOfALoad(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	d := loadReal(t, s)
	before, err := s.CurrentRelease(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d = loadReal(t, s)
	rel, err := s.CurrentRelease(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := d.Graph()
	var sources []string
	for _, src := range g.Sources {
		sources = append(sources, src["id"].(string))
	}
	wantFrom, wantTo := newestAndEarliest(g)
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"id increases", rel.ID > before.ID, true},
		{"loaded just now", time.Since(rel.LoadedAt) < 5*time.Minute && !rel.LoadedAt.Before(before.LoadedAt), true},
		{"dataFrom", rel.DataFrom, wantFrom},
		{"dataTo", rel.DataTo, wantTo},
		{"sources", strings.Join(slices.Sorted(slices.Values(rel.Sources)), ","), strings.Join(slices.Sorted(slices.Values(sources)), ",")},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %v, want %v", c.got, c.want)
			}
		})
	}
	// Nothing of the previous release is left, and every node has a release.
	left, err := s.Column(ctx, "MATCH (n:Organisation|Source) WHERE n.release IS NULL OR n.release <> $id RETURN count(n)", map[string]any{"id": rel.ID})
	if err != nil {
		t.Fatal(err)
	}
	if left[0].(int64) != 0 {
		t.Errorf("%d nodes outside the current release %d", left[0], rel.ID)
	}
}

// newestAndEarliest computes what a release's dataFrom and dataTo must be:
// the earliest and newest validFrom in the data (facts held only by an
// announcement left out); without validFrom (the data
// before the time-aware loader), the start of the data and the newest
// `since`, which store.DefaultDataTo must equal.
func newestAndEarliest(g store.Graph) (string, string) {
	var from, to, since string
	see := func(p map[string]any) {
		if a, _ := p["announced"].(bool); a {
			return // held only by an announcement: not what the data describes
		}
		if v, _ := p["validFrom"].(string); v != "" {
			if from == "" || v < from {
				from = v
			}
			to = max(to, v)
		}
		if v, _ := p["since"].(string); v != "" {
			since = max(since, v)
		}
	}
	for _, ns := range g.Nodes {
		for _, r := range ns.Rows {
			see(r)
		}
	}
	for _, es := range g.Edges {
		for _, r := range es.Rows {
			see(r["props"].(map[string]any))
		}
	}
	if from == "" {
		return store.DefaultDataFrom, since
	}
	// The landscape starts on 1 April 2013: older open dates (trusts,
	// practices) do not move the start of the dates the data describes.
	return max(from, store.DefaultDataFrom), to
}

// TestIfEmpty: -if-empty loads nothing while a complete release is current,
// but deletes an unfinished one.
func TestIfEmpty(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	d := loadReal(t, s)
	cur, err := s.CurrentRelease(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stopped, cancel := context.WithCancel(ctx)
	_, err = s.Load(stopped, d.Graph(), store.LoadOptions{Progress: func(stage string, _ int) {
		if stage == store.LabelCouncil {
			cancel()
		}
	}})
	cancel()
	if err == nil {
		t.Fatal("the stopped load did not fail")
	}
	if err := load(ctx, io.Discard, s, d, options{ifEmpty: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	after, err := s.CurrentRelease(ctx)
	if err != nil || after.ID != cur.ID {
		t.Errorf("after -if-empty: current release %d (%v), want %d unchanged", after.ID, err, cur.ID)
	}
	left, err := s.Column(ctx, "MATCH (n:Organisation|Source) WHERE n.release <> $id RETURN count(n)", map[string]any{"id": cur.ID})
	if err != nil {
		t.Fatal(err)
	}
	if left[0].(int64) != 0 {
		t.Errorf("-if-empty left %d nodes of the unfinished release", left[0])
	}
}

// TestIfEmptyReloadsAnOlderFormat: a current release an older loader wrote
// (store.Format) is loaded again by -if-empty, and the new one records
// today's format and the dated properties' Changed dates.
func TestIfEmptyReloadsAnOlderFormat(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	d := loadReal(t, s)
	old, err := s.CurrentRelease(ctx)
	if err != nil {
		t.Fatal(err)
	}
	write(t, "MATCH (r:Release {id: $id}) REMOVE r.format", map[string]any{"id": old.ID})
	if err := load(ctx, io.Discard, s, d, options{ifEmpty: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	cur, err := s.CurrentRelease(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cur.ID == old.ID || cur.Format != store.Format {
		t.Fatalf("after -if-empty over a release of format 0: current release %d of format %d, want a new one of format %d", cur.ID, cur.Format, store.Format)
	}
	// Every organisation with more than one name carries the date of its
	// newest, and no other does.
	newest, count := map[string]string{}, map[string]int{}
	for _, n := range d.Names { // ascending by date: the newest is last
		newest[n.Kind+" "+n.Code] = n.ValidFrom
		count[n.Kind+" "+n.Code]++
	}
	rows, err := s.Column(ctx, "MATCH (n:Organisation) WHERE n.release = $id AND n.nameChanged IS NOT NULL RETURN [n.kind + ' ' + n.code, n.nameChanged]", map[string]any{"id": cur.ID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		kv := r.([]any)
		got[kv[0].(string)] = kv[1].(string)
	}
	want := map[string]string{}
	for k, n := range count {
		if n > 1 {
			want[k] = newest[k]
		}
	}
	if len(want) == 0 || !maps.Equal(got, want) {
		t.Errorf("nameChanged on %d organisations, want %d (those with more than one row in names.csv, the newest row's date)", len(got), len(want))
	}
}

// write runs one write statement on the test database.
func write(t *testing.T, q string, params map[string]any) {
	t.Helper()
	ctx := context.Background()
	cfg := neo4jtest.Config()
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth)
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	if _, err := neo4j.ExecuteQuery(ctx, driver, q, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(cfg.Database)); err != nil {
		t.Fatal(err)
	}
}

// TestLegacyNodesArePruned: nodes written before releases existed (no
// `release` property) are deleted by the next load.
func TestLegacyNodesArePruned(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	write(t, "CREATE (:Organisation:Trust {code: $code, kind: 'TRUST', name: 'legacy'})", map[string]any{"code": "LEGACY-TEST"})
	loadReal(t, s)
	left, err := s.Column(ctx, "MATCH (n:Organisation|Source) WHERE n.release IS NULL RETURN count(n)", nil)
	if err != nil {
		t.Fatal(err)
	}
	if left[0].(int64) != 0 {
		t.Errorf("%d nodes without a release after a load", left[0])
	}
}

// TestPruneSparesALoadInProgress: a Prune while a load is writing (another
// loader's, or `-if-empty`) leaves the unfinished release alone, and the load
// completes.
func TestPruneSparesALoadInProgress(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	d := loadReal(t, s)
	var pruned int64 = -1
	var pruneErr error
	rel, err := s.Load(ctx, d.Graph(), store.LoadOptions{Progress: func(stage string, _ int) {
		if stage == store.LabelPCN {
			pruned, pruneErr = s.Prune(ctx, 0)
		}
	}})
	if err != nil {
		t.Fatalf("load with a Prune halfway: %v", err)
	}
	if pruneErr != nil || pruned != 0 {
		t.Errorf("the Prune halfway deleted %d nodes (%v), want 0: the previous release is current and the new one is being written", pruned, pruneErr)
	}
	if cur, err := s.CurrentRelease(ctx); err != nil || cur.ID != rel.ID {
		t.Errorf("current release %d (%v), want %d", cur.ID, err, rel.ID)
	}
}
