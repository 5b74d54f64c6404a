package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/store"
)

// Tests of the time API (asOf on traversals, history.graphqls) against the
// time-aware data; expected answers come from seed/data (traversal_data_test.go).

// Counts by date through the API: the ICSs of every region (members) and
// the councils that tile England (coterminosity areas), either side of the
// April 2026 ICB mergers and the April 2023 council reorganisation.
func TestCountsByDate(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	icsOn := func(day string) int {
		n := 0
		for _, region := range d.open(store.KindRegion, day) {
			var got struct{ Members struct{ TotalCount int } }
			c.query(`query($r: String!, $d: Date) { members(code: $r, kind: ICS, asOf: $d) { totalCount } }`,
				map[string]any{"r": region, "d": day}, &got)
			n += got.Members.TotalCount
		}
		return n
	}
	for _, day := range []string{"2026-03-31", "2026-04-01", store.DefaultDataTo} {
		want := len(d.open(store.KindICS, day))
		if got := icsOn(day); got != want {
			t.Errorf("%s: %d ICSs in the regions, want %d", day, got, want)
		} else {
			t.Logf("%s: %d ICSs", day, got)
		}
	}
	if a, b := len(d.open(store.KindICS, "2026-03-31")), len(d.open(store.KindICS, "2026-04-01")); a <= b {
		t.Errorf("seed data: %d ICSs before the April 2026 mergers, %d after", a, b)
	}

	for _, day := range []string{"2023-03-31", "2023-04-01"} {
		var got struct {
			Coterminosity struct{ Areas int }
		}
		c.query(`query($d: Date) { coterminosity(inner: COUNCIL, outer: REGION, asOf: $d) { areas } }`, map[string]any{"d": day}, &got)
		if want := len(d.lowerTierCouncils(day)); got.Coterminosity.Areas != want {
			t.Errorf("%s: %d councils, want %d", day, got.Coterminosity.Areas, want)
		} else {
			t.Logf("%s: %d lower-tier councils", day, want)
		}
	}
}

// Coterminosity side by side: three eras in one query, each against the
// fragments and memberships held on its date.
func TestCoterminositySideBySide(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	eras := []struct{ alias, outer, day string }{
		{"ccg2016", "CCG", "2016-07-01"},
		{"region2016", "REGION", "2016-07-01"},
		{"stp2018", "STP", "2018-07-01"},
		{"ccg2018", "CCG", "2018-07-01"},
		{"ics2022", "ICS", "2022-07-01"},
		{"ics2026", "ICS", "2026-03-31"},
		{"ics36", "ICS", store.DefaultDataTo},
	}
	var q strings.Builder
	q.WriteString("{")
	for _, e := range eras {
		fmt.Fprintf(&q, ` %s: coterminosity(inner: COUNCIL, outer: %s, asOf: %q) { asOf areas split outerAreas weight { measure derivedFragments } }`, e.alias, e.outer, e.day)
	}
	q.WriteString(" }")
	var got map[string]struct {
		AsOf                     string
		Areas, Split, OuterAreas int
		Weight                   struct {
			Measure          string
			DerivedFragments int
		}
	}
	c.query(q.String(), nil, &got)
	for _, e := range eras {
		byArea := d.councilAreas(t, e.outer, e.day)
		split, outer, derived := 0, map[string]bool{}, 0
		for _, areas := range byArea {
			if len(areas) > 1 {
				split++
			}
			for a := range areas {
				outer[a] = true
			}
		}
		for _, f := range d.overlaps {
			if f.holds(e.day) && f.derived && (f.area.kind == store.KindSubICBLocation || f.area.kind == store.KindCCG) && d.councilType[f.council] != "COUNTY" {
				derived++
			}
		}
		r := got[e.alias]
		if r.AsOf != e.day || r.Areas != len(byArea) || r.Split != split || r.OuterAreas != len(outer) || r.Weight.DerivedFragments != derived || r.Weight.Measure != "residents2015" {
			t.Errorf("%s: %+v, want %d councils, %d split, %d %s areas, %d derived fragments", e.alias, r, len(byArea), split, len(outer), e.outer, derived)
		} else {
			t.Logf("%s (%s × %s): %d of %d councils split; %d derived fragments", e.day, "COUNCIL", e.outer, split, len(byArea), derived)
		}
	}
}

type tvChange struct {
	Type         string
	Date         string
	Organisation struct{ Code, Kind string }
	Parties      []struct {
		Organisation struct{ Code, Kind string }
		Role         string
	}
	Successions []struct {
		Predecessor, Successor struct{ Code, Kind string }
		Date                   string
		Share                  float64
	}
	Relationship *string
	Description  string
	Source       *struct{ ID string }
}

const tvChangeFields = `type date organisation { code kind } parties { organisation { code kind } role }
	successions { predecessor { code kind } successor { code kind } date share } relationship description source { id }`

func (c *tvClient) changes(t *testing.T, from, to string, first int, kinds []string) (all []tvChange, total int) {
	var after any
	for {
		var got struct {
			Changes struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
				Edges []struct{ Node tvChange }
			}
		}
		c.query(`query($f: Date!, $t: Date!, $n: Int, $a: String, $k: [OrganisationKind!]) { changes(from: $f, to: $t, first: $n, after: $a, kinds: $k) {
			totalCount pageInfo { hasNextPage endCursor } edges { node { `+tvChangeFields+` } } } }`,
			map[string]any{"f": from, "t": to, "n": first, "a": after, "k": kinds}, &got)
		for _, e := range got.Changes.Edges {
			all = append(all, e.Node)
		}
		total = got.Changes.TotalCount
		if !got.Changes.PageInfo.HasNextPage {
			return all, total
		}
		after = *got.Changes.PageInfo.EndCursor
	}
}

// The April 2026 changes: exactly the successions of that date in the data
// (ODS succ.csv, converted, and the Frimley sub-ICB split), the sub-ICB
// locations re-parented to the new ICBs, and the organisations opened and
// closed that day.
func TestChangesApril2026(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	const from, to = "2026-03-31", "2026-04-01"
	key := func(a, b kc) string { return a.kind + " " + a.code + " → " + b.kind + " " + b.code }

	wantSucc := map[string]bool{}
	for _, s := range d.successions {
		if s.date > from && s.date <= to {
			wantSucc[key(s.from, s.to)] = true
		}
	}
	wantMoved := map[string]bool{}
	for _, old := range d.rels {
		if old.span.to == "" || old.span.to <= from || old.span.to > to || !slices.Contains(store.MoveTypes, old.typ) {
			continue
		}
		child := d.orgs[old.from]
		if child.from >= old.span.to || (child.to != "" && child.to <= old.span.to) {
			continue
		}
		for _, r := range d.rels {
			if r.typ == old.typ && r.from == old.from && r.span.from == old.span.to && r.to != old.to {
				wantMoved[old.typ+" "+key(old.from, old.to)+" / "+r.to.code] = true
			}
		}
	}
	wantOpened, wantClosed := map[string]bool{}, map[string]bool{}
	for k, s := range d.orgs {
		if s.from > from && s.from <= to {
			wantOpened[k.kind+" "+k.code] = true
		}
		if s.to > from && s.to <= to {
			wantClosed[k.kind+" "+k.code] = true
		}
	}

	all, total := c.changes(t, from, to, 500, nil)
	paged, _ := c.changes(t, from, to, 17, nil)
	if len(all) != total || len(paged) != total {
		t.Fatalf("%d changes in one page, %d in pages of 17, totalCount %d", len(all), len(paged), total)
	}
	for i := range all {
		if all[i].Description != paged[i].Description {
			t.Fatalf("change %d differs when paged: %q / %q", i, all[i].Description, paged[i].Description)
		}
	}

	gotSucc, gotMoved, gotOpened, gotClosed := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	subICBMoves := 0
	for _, ch := range all {
		if ch.Date != to || ch.Source == nil || ch.Description == "" {
			t.Errorf("change %+v: want date %s, a source and a description", ch, to)
		}
		org := kc{ch.Organisation.Kind, ch.Organisation.Code}
		switch ch.Type {
		case "MERGED", "SPLIT", "SUCCEEDED":
			for _, s := range ch.Successions {
				gotSucc[key(kc{s.Predecessor.Kind, s.Predecessor.Code}, kc{s.Successor.Kind, s.Successor.Code})] = true
			}
		case "MOVED":
			var former, next string
			for _, p := range ch.Parties {
				switch p.Role {
				case "FORMER_PARENT":
					former = p.Organisation.Code
				case "NEW_PARENT":
					next = p.Organisation.Code
				}
			}
			// the former parent's kind is the new one's (same relationship type)
			var formerKind string
			for _, p := range ch.Parties {
				if p.Role == "FORMER_PARENT" {
					formerKind = p.Organisation.Kind
				}
			}
			gotMoved[*ch.Relationship+" "+key(org, kc{formerKind, former})+" / "+next] = true
			if org.kind == store.KindSubICBLocation && *ch.Relationship == store.RelPartOf {
				subICBMoves++
			}
		case "CREATED":
			gotOpened[org.kind+" "+org.code] = true
		case "CLOSED":
			gotClosed[org.kind+" "+org.code] = true
		}
	}
	for _, cmp := range []struct {
		what      string
		got, want map[string]bool
	}{{"successions", gotSucc, wantSucc}, {"moves", gotMoved, wantMoved}, {"openings", gotOpened, wantOpened}, {"closures", gotClosed, wantClosed}} {
		if len(cmp.want) == 0 {
			t.Errorf("seed data: no %s on %s", cmp.what, to)
		}
		for k := range cmp.want {
			if !cmp.got[k] {
				t.Errorf("%s: missing %s", cmp.what, k)
			}
		}
		for k := range cmp.got {
			if !cmp.want[k] {
				t.Errorf("%s: unexpected %s", cmp.what, k)
			}
		}
		t.Logf("%d %s", len(cmp.want), cmp.what)
	}
	if subICBMoves == 0 {
		t.Error("no sub-ICB location re-parented to a new ICB")
	}

	// kinds keeps changes about ICSs (a merger or split when any party is one).
	icsOnly, _ := c.changes(t, from, to, 500, []string{"ICS"})
	for _, ch := range icsOnly {
		involved := ch.Organisation.Kind == "ICS"
		for _, p := range ch.Parties {
			involved = involved || p.Organisation.Kind == "ICS"
		}
		if !involved {
			t.Errorf("kinds [ICS] let in %s", ch.Description)
		}
	}
	if len(icsOnly) == 0 || len(icsOnly) >= len(all) {
		t.Errorf("kinds [ICS]: %d of %d changes", len(icsOnly), len(all))
	}
}

// The lineage of 11H (NHS Bristol CCG): its successors at any remove, with
// the successions between them, from successions.csv.
func TestLineage(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	walk := func(start kc, forward bool) map[kc]int {
		gen := map[kc]int{start: 0}
		frontier := []kc{start}
		for step := 1; len(frontier) > 0; step++ {
			var next []kc
			for _, s := range d.successions {
				from, to := s.from, s.to
				if !forward {
					from, to = to, from
				}
				if slices.Contains(frontier, from) {
					if _, seen := gen[to]; !seen {
						gen[to] = step
						if !forward {
							gen[to] = -step
						}
						next = append(next, to)
					}
				}
			}
			frontier = next
		}
		return gen
	}
	tests := []struct {
		code, kind, direction string
		start                 kc
	}{
		{"11H", "", "BOTH", kc{store.KindCCG, "11H"}},
		{"15C", "SUB_ICB_LOCATION", "PREDECESSORS", kc{store.KindSubICBLocation, "15C"}},
		{"QNQ", "ICS", "SUCCESSORS", kc{store.KindICS, "QNQ"}},
	}
	for _, tt := range tests {
		t.Run(tt.code+" "+tt.direction, func(t *testing.T) {
			want := map[kc]int{}
			if tt.direction != "PREDECESSORS" {
				for k, g := range walk(tt.start, true) {
					want[k] = g
				}
			}
			if tt.direction != "SUCCESSORS" {
				for k, g := range walk(tt.start, false) {
					want[k] = g
				}
			}
			wantEdges := map[string]bool{}
			for _, s := range d.successions {
				_, a := want[s.from]
				_, b := want[s.to]
				if a && b {
					wantEdges[s.from.code+"→"+s.to.code] = true
				}
			}
			var got struct {
				Lineage struct {
					Organisation  struct{ Code, Kind string }
					Organisations []struct {
						Organisation struct{ Code, Kind string }
						Generation   int
						PartOf       []struct {
							Organisation struct{ Code, Kind string }
							ValidTo      *string
						}
					}
					Successions []struct {
						Predecessor, Successor struct{ Code string }
						Source                 *struct{ ID string }
					}
				}
			}
			vars := map[string]any{"c": tt.code, "k": nil, "d": tt.direction}
			if tt.kind != "" {
				vars["k"] = tt.kind
			}
			c.query(`query($c: String!, $k: OrganisationKind, $d: LineageDirection) { lineage(code: $c, kind: $k, direction: $d) {
				organisation { code kind } organisations { organisation { code kind } generation partOf { organisation { code kind } validTo } }
				successions { predecessor { code } successor { code } source { id } } } }`, vars, &got)
			l := got.Lineage
			if (kc{l.Organisation.Kind, l.Organisation.Code}) != tt.start {
				t.Errorf("lineage of %+v, want %v", l.Organisation, tt.start)
			}
			if len(l.Organisations) != len(want) {
				t.Errorf("%d organisations, want %d: %+v", len(l.Organisations), len(want), l.Organisations)
			}
			for i, n := range l.Organisations {
				k := kc{n.Organisation.Kind, n.Organisation.Code}
				if g, ok := want[k]; !ok || g != n.Generation {
					t.Errorf("%v: generation %d, want %d (in lineage: %v)", k, n.Generation, g, ok)
				}
				if i > 0 && n.Generation < l.Organisations[i-1].Generation {
					t.Errorf("not by generation at %v", k)
				}
			}
			gotEdges := map[string]bool{}
			for _, s := range l.Successions {
				gotEdges[s.Predecessor.Code+"→"+s.Successor.Code] = true
				if s.Source == nil {
					t.Errorf("succession %+v has no source", s)
				}
			}
			if len(gotEdges) != len(wantEdges) {
				t.Errorf("successions %v, want %v", gotEdges, wantEdges)
			}
			for e := range wantEdges {
				if !gotEdges[e] {
					t.Errorf("missing succession %s", e)
				}
			}
		})
	}

	// 11H → 15C → the sub-ICB location 15C, part of an ICB today.
	var got struct {
		Lineage struct {
			Organisations []struct {
				Organisation struct{ Code, Kind string }
				ValidTo      *string
				PartOf       []struct {
					Organisation struct{ Code, Kind string }
					ValidTo      *string
				}
			}
		}
	}
	c.query(`{ lineage(code: "11H") { organisations { organisation { code kind } validTo partOf { organisation { code kind } validTo } } } }`, nil, &got)
	var today []string
	for _, n := range got.Lineage.Organisations {
		for _, p := range n.PartOf {
			if n.ValidTo == nil && p.ValidTo == nil {
				today = append(today, n.Organisation.Kind+" "+n.Organisation.Code+" in "+p.Organisation.Kind+" "+p.Organisation.Code)
			}
		}
	}
	var want []string
	for k, s := range d.orgs {
		if _, in := walk(kc{store.KindCCG, "11H"}, true)[k]; in && s.to == "" {
			if ics := d.parent(store.RelPartOf, k, store.KindICS, store.DefaultDataTo); ics != "" {
				want = append(want, k.kind+" "+k.code+" in ICS "+ics)
			}
		}
	}
	if len(want) == 0 || !slices.Equal(today, want) {
		t.Errorf("open today: %v, want %v", today, want)
	} else {
		t.Logf("11H today: %v", today)
	}
}

func TestHistoryErrors(t *testing.T) {
	c := newTV(t)
	tests := []struct {
		name, query, code, argument string
	}{
		{"unknown lineage code", `{ lineage(code: "NOPE") { organisation { code } } }`, "NOT_FOUND", "code"},
		{"empty lineage code", `{ lineage(code: " ") { organisation { code } } }`, "BAD_USER_INPUT", "code"},
		{"changes before the data", `{ changes(from: "2010-01-01", to: "2014-01-01") { totalCount } }`, "BAD_USER_INPUT", "from"},
		{"changes after the data", `{ changes(from: "2020-01-01", to: "2099-01-01") { totalCount } }`, "BAD_USER_INPUT", "to"},
		{"changes backwards", `{ changes(from: "2026-04-01", to: "2026-03-31") { totalCount } }`, "BAD_USER_INPUT", "to"},
		{"changes bad cursor", `{ changes(from: "2026-03-31", to: "2026-04-01", after: "x") { totalCount } }`, "BAD_USER_INPUT", "after"},
		{"changes page too large", `{ changes(from: "2026-03-31", to: "2026-04-01", first: 100000) { totalCount } }`, "BAD_USER_INPUT", "first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := c.do(tt.query, nil)
			if len(errs) != 1 || errs[0].Extensions["code"] != tt.code || errs[0].Extensions["argument"] != tt.argument {
				t.Fatalf("errors %+v, want one %s naming %s", errs, tt.code, tt.argument)
			}
		})
	}
}

// A traversal looks its start up in its own statement: one round trip for a
// flat answer, and the start is found by ODS code, newest ONS code (in any
// case) or a former ONS code.
func TestTraversalStart(t *testing.T) {
	a := newAPI(t)
	var onsCodes []string // QRL's ONS codes, oldest first
	for _, r := range readCSV(t, "ons_codes.csv") {
		if r["kind"] == store.KindICS && r["code"] == "QRL" {
			onsCodes = append(onsCodes, r["ons_code"])
		}
	}
	if len(onsCodes) < 2 {
		t.Fatalf("seed data: QRL has ONS codes %v; want a former and a newest", onsCodes)
	}
	count := func(code string) (n, calls int) {
		var got struct{ Members struct{ TotalCount int } }
		before := a.store.Calls()
		a.query(fmt.Sprintf(`{ members(code: %q, kind: SUB_ICB_LOCATION) { totalCount edges { node { depth } } } }`, code), &got)
		return got.Members.TotalCount, int(a.store.Calls() - before)
	}
	want, calls := count("QRL")
	if want == 0 {
		t.Fatal("QRL has no sub-ICB locations")
	}
	// one statement for the page, one for the count
	if calls != 2 {
		t.Errorf("members of QRL: %d round trips, want 2 (page and count)", calls)
	}
	for _, code := range []string{strings.ToLower(onsCodes[len(onsCodes)-1]), onsCodes[0]} {
		if got, _ := count(code); got != want {
			t.Errorf("members of %s: %d, want %d (as QRL)", code, got, want)
		}
	}
	var anc struct{ Ancestors []struct{ Depth int } }
	before := a.store.Calls()
	a.query(`{ ancestors(code: "qrl") { depth } }`, &anc)
	if calls := a.store.Calls() - before; len(anc.Ancestors) == 0 || calls != 1 {
		t.Errorf("ancestors of qrl: %d in %d round trips, want some in 1", len(anc.Ancestors), calls)
	}
}
