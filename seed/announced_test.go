package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// readCSVMaps reads a seed file as maps (independent of internal/dataset).
func readCSVMaps(t *testing.T, name string) []map[string]string {
	t.Helper()
	return datasettest.ReadCSV(t, filepath.Join("data", name))
}

// TestAnnouncedFacts loads the real seed and checks that the Release keeps
// seed/data/change_report.txt, and the announced-facts
// property contract against seed/data read here: organisations citing only
// announcements are announced nodes with their announcement; the closures of
// official organisations (announced_endings.csv) leave validTo null and set
// announcedValidTo and announcedEnd, on the node and its open
// relationships; edges from an announcement or touching an announced node
// are announced; nothing else is.
func TestAnnouncedFacts(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	loadReal(t, s)
	announcedOrgs := map[string]string{}
	for _, o := range readCSVMaps(t, "organisations.csv") {
		srcs := strings.Split(o["sources"], ";")
		all := true
		for _, x := range srcs {
			all = all && strings.HasPrefix(x, "announced-")
		}
		if all {
			announcedOrgs[o["kind"]+" "+o["code"]] = srcs[0]
		}
	}
	if len(announcedOrgs) == 0 {
		t.Fatal("seed/data has no announced organisation (the Surrey councils of 2027)")
	}
	wantEdges := 0
	for _, x := range readCSVMaps(t, "successions.csv") {
		if strings.HasPrefix(x["source"], "announced-") || announcedOrgs[x["from_kind"]+" "+x["from_code"]] != "" || announcedOrgs[x["to_kind"]+" "+x["to_code"]] != "" {
			wantEdges++
		}
	}
	for _, x := range readCSVMaps(t, "overlaps.csv") {
		if announcedOrgs["COUNCIL "+x["council_code"]] != "" {
			wantEdges++
		}
	}
	one := func(t *testing.T, q string, p map[string]any) string {
		t.Helper()
		vals, err := s.Column(ctx, q, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(vals) != 1 {
			t.Fatalf("%d values, want 1", len(vals))
		}
		return toString(vals[0])
	}
	t.Run("the release keeps its change report", func(t *testing.T) {
		want, err := os.ReadFile(filepath.Join("data", "change_report.txt"))
		if err != nil {
			t.Fatal(err)
		}
		rel, err := s.CurrentRelease(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ChangeReport(ctx, rel.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) || !strings.Contains(got, "E06-PROV-EAST-SURREY") {
			t.Errorf("change report on release %d: %d bytes, seed/data/change_report.txt has %d (or no announced council)", rel.ID, len(got), len(want))
		}
	})
	t.Run("announced nodes", func(t *testing.T) {
		for k, src := range announcedOrgs {
			kind, code, _ := strings.Cut(k, " ")
			got := one(t, "MATCH (o:Organisation {kind: $kind, code: $code}) RETURN toString(o.announced) + ' ' + o.announcement", map[string]any{"kind": kind, "code": code})
			if got != "true "+src {
				t.Errorf("%s: %q, want announced true %s", k, got, src)
			}
		}
		if got := one(t, "MATCH (o:Organisation) WHERE o.announced RETURN count(o)", nil); got != toString(int64(len(announcedOrgs))) {
			t.Errorf("%s announced nodes, want %d", got, len(announcedOrgs))
		}
	})
	t.Run("announced relationships", func(t *testing.T) {
		if got := one(t, "MATCH ()-[r]->() WHERE r.announced AND r.announcement STARTS WITH 'announced-' RETURN count(r)", nil); got != toString(int64(wantEdges)) {
			t.Errorf("%s announced relationships, want %d (successions and overlaps from seed/data)", got, wantEdges)
		}
	})
	t.Run("announced closures keep the organisation open", func(t *testing.T) {
		ends := readCSVMaps(t, "announced_endings.csv")
		if len(ends) == 0 {
			t.Fatal("no announced endings")
		}
		for _, e := range ends {
			got := one(t, "MATCH (o:Organisation {kind: $kind, code: $code}) RETURN coalesce(o.validTo, 'open') + ' ' + o.announcedValidTo + ' ' + o.announcedEnd + ' ' + toString(coalesce(o.announced, false))",
				map[string]any{"kind": e["kind"], "code": e["code"]})
			if want := "open " + e["valid_to"] + " " + e["announcement"] + " false"; got != want {
				t.Errorf("%s %s: %q, want %q", e["kind"], e["code"], got, want)
			}
			open := one(t, "MATCH (o:Organisation {kind: $kind, code: $code})-[r]-() WHERE r.validTo IS NULL AND NOT coalesce(r.announced, false) AND type(r) <> 'SUCCEEDED_BY' AND coalesce(r.announcedValidTo, '') <> $to RETURN count(r)",
				map[string]any{"kind": e["kind"], "code": e["code"], "to": e["valid_to"]})
			if open != "0" {
				t.Errorf("%s %s: %s open relationships without announcedValidTo %s", e["kind"], e["code"], open, e["valid_to"])
			}
		}
	})
}
