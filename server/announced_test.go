package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// TestAnnouncedFacts loads seed/data plus a SYNTHETIC announced change (a
// test fixture, never in seed/data: one council held only by an
// announcement from 2027-04-01 and its overlap with an ICS open today, both
// `announced = true`) as a new release, and checks the contract of
// announced facts: the release says how far they reach (announcedTo), a
// date past the data is BAD_USER_INPUT unless the request includes them,
// and every list, lookup, relationship field and traversal leaves them out
// unless asked, and marks them when it shows them. It reloads seed/data
// alone at its end.
func TestAnnouncedFacts(t *testing.T) {
	st := neo4jtest.Store(t)
	d := seedData(t)
	reloadSeedAtEnd(t, st, d)
	const (
		src     = "synthetic-test-announcement"
		council = "E06999901"
		day     = "2027-04-01"
	)
	ics := ""
	for _, o := range d.Orgs {
		if o.Kind == store.KindICS && o.ValidTo == "" && (ics == "" || o.Code < ics) {
			ics = o.Code
		}
	}
	g := d.Graph()
	g.Sources = append(g.Sources, map[string]any{"id": src, "title": "Synthetic announcement (test fixture only)"})
	g.Nodes = append(g.Nodes, store.NodeSet{Label: store.LabelCouncil, Rows: []map[string]any{{
		"kind": store.KindCouncil, "code": council, "name": "Synthetic Announced Council (test fixture)", "councilType": "UNITARY",
		"validFrom": day, "announced": true, "announcement": src, "sources": []string{src},
	}}})
	g.Edges = append(g.Edges, store.EdgeSet{Type: store.RelOverlaps, From: store.LabelCouncil, To: store.LabelICS, Rows: []map[string]any{{
		"from": council, "to": ics, "props": map[string]any{
			"validFrom": day, "announced": true, "announcement": src, "source": src,
			"population": int64(1000), "smallAreas": int64(1), "shareOfCouncil": 1.0, "shareOfArea": 0.001, "populationMeasure": "residents2015",
		},
	}}})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rel, err := st.Load(ctx, g, store.LoadOptions{Reset: true})
	if err != nil {
		t.Fatal(err)
	}
	if rel.AnnouncedTo != day || rel.DataTo >= day {
		t.Fatalf("release: dataTo %s, announcedTo %q; want announcedTo %s beyond dataTo", rel.DataTo, rel.AnnouncedTo, day)
	}
	srv := httptest.NewServer(newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	ask := func(q string) (map[string]json.RawMessage, []map[string]any) {
		t.Helper()
		a, err := postQuery(ctx, srv.Client(), srv.URL, q)
		if err != nil {
			t.Fatal(err)
		}
		var errs []map[string]any
		for _, e := range a.Errors {
			var m map[string]any
			_ = json.Unmarshal(e, &m)
			errs = append(errs, m)
		}
		return a.Data, errs
	}
	codes := func(raw json.RawMessage) []string {
		var v struct {
			Edges []struct{ Node struct{ Code string } }
		}
		_ = json.Unmarshal(raw, &v)
		var out []string
		for _, e := range v.Edges {
			out = append(out, e.Node.Code)
		}
		return out
	}

	t.Run("release", func(t *testing.T) {
		data, errs := ask(`{ release { dataTo announcedTo } }`)
		if len(errs) > 0 || !strings.Contains(string(data["release"]), `"announcedTo":"`+day+`"`) {
			t.Fatalf("release %s, errors %v", data["release"], errs)
		}
	})
	t.Run("a date past the data needs includeAnnounced", func(t *testing.T) {
		_, errs := ask(`{ councils(asOf: "` + day + `") { totalCount } }`)
		if len(errs) == 0 {
			t.Fatal("no error")
		}
		ext, _ := errs[0]["extensions"].(map[string]any)
		msg, _ := errs[0]["message"].(string)
		if ext["code"] != "BAD_USER_INPUT" || ext["argument"] != "asOf" || !strings.Contains(msg, "includeAnnounced") || !strings.Contains(msg, rel.DataTo) {
			t.Fatalf("error %v: want BAD_USER_INPUT on asOf naming the range and includeAnnounced", errs[0])
		}
	})
	t.Run("lists", func(t *testing.T) {
		data, errs := ask(`{ with: councils(asOf: "` + day + `", includeAnnounced: true, first: 500) { edges { node { code announced } } }
  without: councils(first: 500) { edges { node { code } } }
  today: councils(first: 500, includeAnnounced: true) { edges { node { code } } } }`)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if !slices.Contains(codes(data["with"]), council) || slices.Contains(codes(data["without"]), council) || slices.Contains(codes(data["today"]), council) {
			t.Fatalf("the announced council should be listed on %s with includeAnnounced only", day)
		}
		if !strings.Contains(string(data["with"]), `{"code":"`+council+`","announced":true}`) {
			t.Fatalf("the announced council is not marked: %s", data["with"])
		}
	})
	t.Run("lookups and relationship fields", func(t *testing.T) {
		data, errs := ask(`{ hidden: council(code: "` + council + `", includeAnnounced: true) { code }
  shown: council(code: "` + council + `", asOf: "` + day + `", includeAnnounced: true) { code announced overlaps { announced integratedCareSystem { code } } }
  icsWith: integratedCareSystem(code: "` + ics + `", asOf: "` + day + `", includeAnnounced: true) { councils { announced council { code announced } } }
  icsToday: integratedCareSystem(code: "` + ics + `") { councils { council { code } } } }`)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if string(data["hidden"]) != "null" {
			t.Fatalf("before its date the council is %s, want null", data["hidden"])
		}
		if want := `{"code":"` + council + `","announced":true,"overlaps":[{"announced":true,"integratedCareSystem":{"code":"` + ics + `"}}]}`; string(data["shown"]) != want {
			t.Fatalf("shown: %s, want %s", data["shown"], want)
		}
		if !strings.Contains(string(data["icsWith"]), `{"announced":true,"council":{"code":"`+council+`","announced":true}}`) {
			t.Fatalf("the ICS's councils on %s with includeAnnounced lack the announced one: %s", day, data["icsWith"])
		}
		if strings.Contains(string(data["icsToday"]), council) {
			t.Fatalf("the ICS's councils today include the announced one: %s", data["icsToday"])
		}
	})
	t.Run("traversals and reports", func(t *testing.T) {
		data, errs := ask(`{ with: neighbourhood(code: "` + ics + `", asOf: "` + day + `", includeAnnounced: true, limit: 1000) { nodes { organisation { code announced } } }
  without: neighbourhood(code: "` + ics + `", limit: 1000) { nodes { organisation { code } } }
  changes(from: "` + rel.DataTo + `", to: "` + day + `", includeAnnounced: true) { edges { node { type organisation { code announced } } } }
  none: changes(from: "` + rel.DataTo + `", to: "` + day + `", includeAnnounced: true, kinds: [TRUST]) { totalCount } }`)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if !strings.Contains(string(data["with"]), `{"code":"`+council+`","announced":true}`) || strings.Contains(string(data["without"]), council) {
			t.Fatalf("neighbourhood with %s / without %s", data["with"], data["without"])
		}
		if !strings.Contains(string(data["changes"]), `"type":"CREATED","organisation":{"code":"`+council+`","announced":true}`) {
			t.Fatalf("changes: %s", data["changes"])
		}
		_, errs = ask(`{ changes(from: "` + rel.DataTo + `", to: "` + day + `") { totalCount } }`)
		if len(errs) == 0 {
			t.Fatal("changes up to an announced date without includeAnnounced: no error")
		}
	})
}
