package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// The SYNTHETIC rehearsal release (seed/testdata/rehearsal: made-up rows, a
// test fixture never loaded by make run) through the API. Its data rows
// replace the seed/data rows with the same key or are added, as
// TestRehearsal (internal/dataset/invariants) merges them.
const (
	rehearsalDir = "../seed/testdata/rehearsal"
)

// rehearsalData writes seed/data with the rehearsal's rows merged in.
func rehearsalData(t *testing.T) string {
	t.Helper()
	return datasettest.Merge(t, "../seed/data", filepath.Join(rehearsalDir, "data"))
}

func dayBefore(t *testing.T, d string) string {
	t.Helper()
	x, err := time.Parse(time.DateOnly, d)
	if err != nil {
		t.Fatal(err)
	}
	return x.AddDate(0, 0, -1).Format(time.DateOnly)
}

// TestRehearsalThroughTheAPI loads the SYNTHETIC rehearsal release into the
// test database as a release and asks the API as of its date (the
// manifest's release_since) and the day before. The expected answers come
// from the fixture's rows: every organisation it opens on the date exists
// then and every one it closes has closed, with its successors (the merged
// ICB and trust, the two unitaries); the councils listed on the date hold
// the new ones and not the county and districts they replace (and the day
// before, the reverse); each sub-ICB location it re-parents is in its new
// ICB on the date and its old one the day before; a region's new name on
// the date, its seed/data name the day before; and changes(from, to) lists
// each succession, rename, move and opening. It reloads seed/data alone at
// its end, so the tests after it read the real release.
func TestRehearsalThroughTheAPI(t *testing.T) {
	st := neo4jtest.Store(t)
	m, err := manifest.Load(filepath.Join(rehearsalDir, "raw", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	day := m.ReleaseSince
	before := dayBefore(t, day)
	d, err := dataset.Read(rehearsalData(t))
	if err != nil {
		t.Fatalf("the loader rejects the rehearsal release: %v", err)
	}
	seed := seedData(t)
	reloadSeedAtEnd(t, st, seed)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rel, err := st.Load(ctx, d.Graph(), store.LoadOptions{Reset: true})
	if err != nil {
		t.Fatal(err)
	}
	if rel.DataTo != day {
		t.Fatalf("the rehearsal release's dataTo is %s, want its date %s", rel.DataTo, day)
	}
	// The first reads of a just-loaded release compile their statements
	// and warm the page cache: this test checks answers, not speed.
	cfg := testConfig(t)
	cfg.QueryTimeout = time.Minute
	mux := newMux(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))

	// What the fixture says happens on the date.
	fx := func(name string) []map[string]string {
		_, rows := datasettest.ReadCSVTable(t, filepath.Join(rehearsalDir, "data", name))
		return rows
	}
	var opened, closed []map[string]string
	for _, o := range fx("organisations.csv") {
		if o["valid_from"] == day {
			opened = append(opened, o)
		}
		if o["valid_to"] == day {
			closed = append(closed, o)
		}
	}
	var succs []map[string]string
	for _, s := range fx("successions.csv") {
		if s["date"] == day {
			succs = append(succs, s)
		}
	}
	if len(opened) == 0 || len(closed) == 0 || len(succs) == 0 {
		t.Fatalf("the fixture opens %d, closes %d and succeeds %d organisations on %s", len(opened), len(closed), len(succs), day)
	}

	type succ struct {
		Organisation struct{ Code string }
		Date         string
	}
	type orgAnswer struct {
		Code, Name, ValidFrom, ValidTo string
		Historic                       bool
		Predecessors, Successors       []succ
	}
	lookup := func(t *testing.T, code, asOf string) *orgAnswer {
		t.Helper()
		var out struct{ Organisation *orgAnswer }
		gqlPost(t, mux, fmt.Sprintf(`{ organisation(code: %q, asOf: %q) { code name validFrom validTo historic
			predecessors { organisation { code } date } successors { organisation { code } date } } }`, code, asOf), &out)
		if out.Organisation == nil {
			t.Fatalf("organisation %s as of %s: null", code, asOf)
		}
		return out.Organisation
	}
	has := func(ss []succ, code string) bool {
		return slices.ContainsFunc(ss, func(s succ) bool { return s.Organisation.Code == code && s.Date == day })
	}

	t.Run("opened on the date", func(t *testing.T) {
		for _, o := range opened {
			if a := lookup(t, o["code"], day); a.Historic || a.ValidFrom != day {
				t.Errorf("%s %s on %s: historic %v, validFrom %s", o["kind"], o["code"], day, a.Historic, a.ValidFrom)
			}
		}
	})
	t.Run("closed on the date, with successors", func(t *testing.T) {
		for _, o := range closed {
			if a := lookup(t, o["code"], before); a.Historic || a.ValidTo != day {
				t.Errorf("%s %s on %s: historic %v, validTo %s; want open, ending %s", o["kind"], o["code"], before, a.Historic, a.ValidTo, day)
			}
			if a := lookup(t, o["code"], day); !a.Historic {
				t.Errorf("%s %s is not historic on %s", o["kind"], o["code"], day)
			}
		}
		// Successions are answered from their date on.
		for _, s := range succs {
			if a := lookup(t, s["from_code"], day); !has(a.Successors, s["to_code"]) {
				t.Errorf("%s: successors %v, want %s on %s", s["from_code"], a.Successors, s["to_code"], day)
			}
			if a := lookup(t, s["to_code"], day); !has(a.Predecessors, s["from_code"]) {
				t.Errorf("%s: predecessors %v, want %s on %s", s["to_code"], a.Predecessors, s["from_code"], day)
			}
		}
	})

	// The lists of each kind the fixture opens or closes organisations of.
	lists := map[string]string{store.KindCouncil: "councils", store.KindICS: "integratedCareSystems", store.KindTrust: "trusts"}
	listed := func(t *testing.T, field, asOf string) map[string]bool {
		t.Helper()
		out := map[string]bool{}
		after := ""
		for {
			var page map[string]struct {
				Edges    []struct{ Node struct{ Code string } }
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
			cursor := ""
			if after != "" {
				cursor = fmt.Sprintf(", after: %q", after)
			}
			gqlPost(t, mux, fmt.Sprintf(`{ list: %s(asOf: %q, first: 500%s) { edges { node { code } } pageInfo { hasNextPage endCursor } } }`, field, asOf, cursor), &page)
			for _, e := range page["list"].Edges {
				out[e.Node.Code] = true
			}
			if !page["list"].PageInfo.HasNextPage {
				return out
			}
			after = page["list"].PageInfo.EndCursor
		}
	}
	for kind, field := range lists {
		t.Run(field, func(t *testing.T) {
			on, prev := listed(t, field, day), listed(t, field, before)
			n := 0
			for _, o := range opened {
				if o["kind"] == kind {
					n++
					if !on[o["code"]] || prev[o["code"]] {
						t.Errorf("%s: %s listed on %s %v, on %s %v; want only on %s", field, o["code"], day, on[o["code"]], before, prev[o["code"]], day)
					}
				}
			}
			for _, o := range closed {
				if o["kind"] == kind {
					n++
					if on[o["code"]] || !prev[o["code"]] {
						t.Errorf("%s: %s listed on %s %v, on %s %v; want only on %s", field, o["code"], day, on[o["code"]], before, prev[o["code"]], before)
					}
				}
			}
			if n == 0 {
				t.Fatalf("the fixture opens or closes no %s", kind)
			}
		})
	}

	t.Run("sub-ICB locations re-parented", func(t *testing.T) {
		n := 0
		for _, r := range fx("relationships.csv") {
			if r["type"] != "PART_OF" || r["from_kind"] != store.KindSubICBLocation {
				continue
			}
			for _, c := range []struct{ asOf, when string }{{day, r["valid_from"]}, {before, r["valid_to"]}} {
				if c.when != day {
					continue
				}
				n++
				var out struct {
					SubIcbLocation struct{ IntegratedCareSystem struct{ Code string } }
				}
				gqlPost(t, mux, fmt.Sprintf(`{ subIcbLocation(code: %q, asOf: %q) { integratedCareSystem { code } } }`, r["from_code"], c.asOf), &out)
				if got := out.SubIcbLocation.IntegratedCareSystem.Code; got != r["to_code"] {
					t.Errorf("sub-ICB location %s on %s: ICB %s, want %s", r["from_code"], c.asOf, got, r["to_code"])
				}
			}
		}
		if n == 0 {
			t.Fatal("the fixture re-parents no sub-ICB location")
		}
	})

	// Renames: the fixture's names from the date of organisations that
	// existed before it; the old name is seed/data's newest before the date.
	_, seedNames := datasettest.ReadCSVTable(t, "../seed/data/names.csv")
	var renames [][3]string // code, old, new
	for _, nm := range fx("names.csv") {
		if nm["valid_from"] != day || slices.ContainsFunc(opened, func(o map[string]string) bool { return o["code"] == nm["code"] && o["kind"] == nm["kind"] }) {
			continue
		}
		old, from := "", ""
		for _, s := range seedNames {
			if s["kind"] == nm["kind"] && s["code"] == nm["code"] && s["valid_from"] < day && s["valid_from"] >= from {
				old, from = s["name"], s["valid_from"]
			}
		}
		renames = append(renames, [3]string{nm["code"], old, nm["name"]})
	}
	t.Run("renamed", func(t *testing.T) {
		if len(renames) == 0 {
			t.Fatal("the fixture renames nothing")
		}
		for _, r := range renames {
			if a := lookup(t, r[0], day); a.Name != r[2] {
				t.Errorf("%s on %s: name %q, want %q", r[0], day, a.Name, r[2])
			}
			if a := lookup(t, r[0], before); a.Name != r[1] {
				t.Errorf("%s on %s: name %q, want %q", r[0], before, a.Name, r[1])
			}
		}
	})

	t.Run("changes", func(t *testing.T) {
		var out struct {
			Changes struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Type         string
						Date         string
						Organisation struct{ Code string }
						Before       *string
						After        *string
						Relationship *string
						Successions  []struct {
							Predecessor, Successor struct{ Code string }
						}
					}
				}
			}
		}
		gqlPost(t, mux, fmt.Sprintf(`{ changes(from: %q, to: %q, first: 500) { totalCount edges { node { type date organisation { code } before after relationship
			successions { predecessor { code } successor { code } } } } } }`, before, day), &out)
		type key struct{ typ, code string }
		got := map[key]bool{}
		pairs := map[[2]string]bool{}
		renamed := map[string]string{}
		for _, e := range out.Changes.Edges {
			n := e.Node
			if n.Date != day {
				t.Errorf("change %s %s dated %s", n.Type, n.Organisation.Code, n.Date)
			}
			got[key{n.Type, n.Organisation.Code}] = true
			if n.Type == "MOVED" && n.Relationship != nil {
				got[key{"MOVED " + *n.Relationship, n.Organisation.Code}] = true
			}
			if n.Type == "RENAMED" && n.After != nil {
				renamed[n.Organisation.Code] = *n.After
			}
			for _, s := range n.Successions {
				pairs[[2]string{s.Predecessor.Code, s.Successor.Code}] = true
			}
		}
		if out.Changes.TotalCount != len(out.Changes.Edges) {
			t.Fatalf("changes: %d of %d on one page", len(out.Changes.Edges), out.Changes.TotalCount)
		}
		for _, o := range opened {
			if !got[key{"CREATED", o["code"]}] {
				t.Errorf("changes: no CREATED %s %s", o["kind"], o["code"])
			}
		}
		for _, s := range succs {
			if !pairs[[2]string{s["from_code"], s["to_code"]}] {
				t.Errorf("changes: no succession %s → %s", s["from_code"], s["to_code"])
			}
		}
		for _, r := range renames {
			if renamed[r[0]] != r[2] {
				t.Errorf("changes: %s renamed to %q, want %q", r[0], renamed[r[0]], r[2])
			}
		}
		// A sub-ICB location whose ICB changes on the date while the ICB
		// goes on (a move, not a merger) is MOVED on PART_OF.
		for _, r := range fx("relationships.csv") {
			if r["type"] == "PART_OF" && r["valid_from"] == day && !slices.ContainsFunc(opened, func(o map[string]string) bool { return o["code"] == r["to_code"] }) {
				if !got[key{"MOVED PART_OF", r["from_code"]}] {
					t.Errorf("changes: no MOVED PART_OF for %s (to %s)", r["from_code"], r["to_code"])
				}
			}
		}
	})
}
