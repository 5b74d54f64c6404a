package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// These tests write to the database the API team's tests read (Neo4j
// Community has one user database). They only ever load the full real
// dataset, without -reset, so the database holds it when they finish.

// expected counts the nodes per label and edges per type the graph of d has.
func expected(d *dataset.Dataset) store.Counts {
	g := d.Graph()
	c := store.Counts{Nodes: map[string]int64{store.LabelSource: int64(len(g.Sources))}, Edges: map[string]int64{}}
	for _, ns := range g.Nodes {
		c.Nodes[ns.Label] += int64(len(ns.Rows))
		c.Nodes[store.LabelOrganisation] += int64(len(ns.Rows))
	}
	for _, es := range g.Edges {
		c.Edges[es.Type] += int64(len(es.Rows))
	}
	return c
}

func loadReal(t testing.TB, s *store.Store) *dataset.Dataset {
	t.Helper()
	d, err := dataset.Read("data")
	if err != nil {
		t.Fatal(err)
	}
	if err := load(context.Background(), io.Discard, s, d, false, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLoadIsIdempotent(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	d := loadReal(t, s)
	first, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	loadReal(t, s)
	second, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := expected(d)
	for _, c := range []struct {
		what string
		want map[string]int64
		got  [2]map[string]int64
	}{
		{"nodes", want.Nodes, [2]map[string]int64{first.Nodes, second.Nodes}},
		{"edges", want.Edges, [2]map[string]int64{first.Edges, second.Edges}},
	} {
		for k, n := range c.want {
			t.Run(c.what+"/"+k, func(t *testing.T) {
				if c.got[0][k] != n || c.got[1][k] != n {
					t.Errorf("%s: %d after the first load, %d after the second, want %d", k, c.got[0][k], c.got[1][k], n)
				}
			})
		}
	}
}

// TestSpotFacts checks facts read from the official files against the graph.
func TestSpotFacts(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	d := loadReal(t, s)
	pcnPractices := 0
	openTrusts := 0
	for _, tr := range d.Trusts {
		if tr.Status == "OPEN" {
			openTrusts++
		}
	}
	icbsOn := func(date string) int {
		n := 0
		for _, o := range d.Orgs {
			if o.Kind == store.KindICS && dataset.Holds(o.ValidFrom, o.ValidTo, date) {
				n++
			}
		}
		return n
	}
	for _, r := range d.Rels {
		if r.Type == store.RelMemberOf && r.ToCode == "U00070" {
			pcnPractices++ // every membership, of any period (the query counts edges)
		}
	}
	for _, c := range []struct {
		name   string
		query  string
		params map[string]any
		want   string
	}{
		{"trust RJ1 Guy's and St Thomas' is located in ICB QKK (etr column 4)",
			"MATCH (:Trust {code: $code})-[r:LOCATED_IN]->(i:ICS) WHERE r.validTo IS NULL RETURN i.code", map[string]any{"code": "RJ1"}, "QKK"},
		{"open trusts", "MATCH (t:Trust {status: 'OPEN'}) RETURN count(t)", nil, strconv.Itoa(openTrusts)},
		{"sub-ICB 02Q Bassetlaw is part of QT1 (LOC22)",
			"MATCH (:SubICBLocation {code: $code})-[r:PART_OF]->(i:ICS) WHERE r.validTo IS NULL RETURN i.code", map[string]any{"code": "02Q"}, "QT1"},
		{"ONS code E38000220 (CCG 2018–2022) finds CCG 15E",
			"MATCH (o:Organisation) WHERE $ons IN o.onsCodes RETURN o.kind + ' ' + o.code", map[string]any{"ons": "E38000220"}, "CCG 15E"},
		{"former ONS code E54000052 finds Surrey Heartlands",
			"MATCH (o:ICS) WHERE $ons IN o.onsCodes RETURN o.code", map[string]any{"ons": "E54000052"}, "QXU"},
		{"East Suffolk's share in QJG is about 0.52",
			"MATCH (:Council {code: 'E07000244'})-[r:OVERLAPS {validFrom: '2022-07-01'}]->(:ICS {code: $icb}) RETURN round(r.shareOfCouncil, 2)", map[string]any{"icb": "QJG"}, "0.52"},
		{"East Suffolk's share in QMM is about 0.48",
			"MATCH (:Council {code: 'E07000244'})-[r:OVERLAPS {validFrom: '2022-07-01'}]->(:ICS {code: $icb}) RETURN round(r.shareOfCouncil, 2)", map[string]any{"icb": "QMM"}, "0.48"},
		{"QT1 is not wholly inside one Cancer Alliance",
			"MATCH (:ICS {code: $code})-[r:IN_CANCER_ALLIANCE]->(a) RETURN count(a)", map[string]any{"code": "QT1"}, "2"},
		{"PCN U00070 West Merton has its practices (ePCN)",
			"MATCH (:PCN {code: $code})<-[:MEMBER_OF]-(p:Practice) RETURN count(p)", map[string]any{"code": "U00070"}, strconv.Itoa(pcnPractices)},
		{"East Suffolk lies within Suffolk County Council",
			"MATCH (:Council {code: 'E07000244'})-[:WITHIN]->(c:Council) RETURN c.code", nil, "E10000029"},
		{"the ambulance trust RX7 is a partner of four ICBs (QHM, QE1, QOP, QYG)",
			"MATCH (:Trust {code: 'RX7'})-[:PARTNER_OF]->(i:ICS) RETURN count(i)", nil, "4"},
		{"RY2 (Bridgewater) was in QYG before the mergers and is succeeded by RWW on 2026-04-01",
			"MATCH (:Trust {code: 'RY2'})-[s:SUCCEEDED_BY]->(t:Trust) RETURN t.code + ' ' + s.date", nil, "RWW 2026-04-01"},
		{"ICBs on 2026-03-31", "MATCH (i:ICS) WHERE i.validFrom <= $d AND (i.validTo IS NULL OR i.validTo > $d) RETURN count(i)", map[string]any{"d": "2026-03-31"}, strconv.Itoa(icbsOn("2026-03-31"))},
		{"ICBs on 2026-04-01", "MATCH (i:ICS) WHERE i.validFrom <= $d AND (i.validTo IS NULL OR i.validTo > $d) RETURN count(i)", map[string]any{"d": "2026-04-01"}, strconv.Itoa(icbsOn("2026-04-01"))},
		{"full-text search finds Guy's",
			"CALL db.index.fulltext.queryNodes($index, 'guys') YIELD node RETURN node.code LIMIT 1", map[string]any{"index": store.FullTextIndex}, "RJ1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			vals, err := s.Column(ctx, c.query, c.params)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vals {
				got = append(got, toString(v))
			}
			if len(got) != 1 || got[0] != c.want {
				t.Errorf("got %v, want [%s]", got, c.want)
			}
		})
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return "?"
}

// TestBadFixtureWritesNothing loads a seed with one bad row: the error names
// the file and line, and the database is unchanged.
func TestBadFixtureWritesNothing(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	loadReal(t, s)
	before, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := datasettest.Overlay(t, "data", filepath.Join("testdata", "bad_trust_icb"))
	err = run(ctx, io.Discard, dir, true, false) // even with -reset, nothing may be touched
	if !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), "trusts.csv:3:") || !strings.Contains(err.Error(), "QZZ") {
		t.Fatalf("run with bad_trust_icb: err = %v, want trusts.csv:3 unknown ICB QZZ", err)
	}
	after, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range [][2]map[string]int64{{before.Nodes, after.Nodes}, {before.Edges, after.Edges}} {
		for k, n := range m[0] {
			if m[1][k] != n {
				t.Errorf("%s: %d before, %d after the rejected load", k, n, m[1][k])
			}
		}
	}
}

// BenchmarkLoad loads the full dataset into the (warm) database and reports
// the peak resident memory of the process.
func BenchmarkLoad(b *testing.B) {
	s := neo4jtest.Store(b)
	d, err := dataset.Read("data")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if err := s.Load(ctx, d.Graph(), store.LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<20), "go-sys-MiB")
	if kb, ok := peakRSSKiB(); ok {
		b.ReportMetric(float64(kb)/1024, "peak-rss-MiB")
	}
}

// peakRSSKiB reads the process's peak resident set size (Linux only).
func peakRSSKiB() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
