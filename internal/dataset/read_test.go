package dataset

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
	"github.com/icsgraph/icsgraph/internal/store"
)

const dataDir = "../../seed/data"

// overlay returns a directory holding seed/data with the fixture's files (if
// a fixture is named) replacing the same-named ones.
func overlay(t *testing.T, fixture string) string {
	if fixture == "" {
		return datasettest.Overlay(t, dataDir)
	}
	return datasettest.Overlay(t, dataDir, filepath.Join("../../seed/testdata", fixture))
}

// TestCountsByDate counts the organisations of each kind that exist on a
// date and checks them against the seed's own hierarchy on that date (the
// distinct parents of the sub-ICB locations, the councils overlapping some
// area, the members of PCNs): two independent parts of the data must agree.
// The comparison with the official files is in internal/dataset/convert.
func TestCountsByDate(t *testing.T) {
	d, err := Read(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	count := func(kind, date string, keep func(Org) bool) int {
		n := 0
		for _, o := range d.OrgsOn(kind, date) {
			if keep == nil || keep(o) {
				n++
			}
		}
		return n
	}
	parents := func(typ, fromKind, date string) int {
		set := map[string]bool{}
		for _, r := range d.RelsOn(typ, fromKind, date) {
			set[r.ToCode] = true
		}
		return len(set)
	}
	children := func(typ, fromKind, date string) int {
		set := map[string]bool{}
		for _, r := range d.RelsOn(typ, fromKind, date) {
			set[r.FromCode] = true
		}
		return len(set)
	}
	lower := func(o Org) bool { return !strings.HasPrefix(o.Code, "E10") }
	overlapping := func(date string) int {
		set := map[string]bool{}
		for _, o := range d.Overlaps {
			if o.AreaKind == store.KindSubICBLocation && !strings.HasPrefix(o.Council, "E10") && Holds(o.ValidFrom, o.ValidTo, date) {
				set[o.Council] = true
			}
		}
		return len(set)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"ICBs on 2026-03-31 = parents of sub-ICB locations", count(store.KindICS, "2026-03-31", nil), parents("PART_OF", store.KindSubICBLocation, "2026-03-31")},
		{"ICBs on 2026-04-01 = parents of sub-ICB locations", count(store.KindICS, "2026-04-01", nil), parents("PART_OF", store.KindSubICBLocation, "2026-04-01")},
		{"councils on 2023-03-31 = councils overlapping a sub-ICB location", count(store.KindCouncil, "2023-03-31", lower), overlapping("2023-03-31")},
		{"councils on 2023-04-01 = councils overlapping a sub-ICB location", count(store.KindCouncil, "2023-04-01", lower), overlapping("2023-04-01")},
		{"STPs on 2017-04-01 = parents of CCGs", count(store.KindSTP, "2017-04-01", nil), parents("PART_OF", store.KindCCG, "2017-04-01")},
		{"STPs on 2018-04-01 = parents of CCGs", count(store.KindSTP, "2018-04-01", nil), parents("PART_OF", store.KindCCG, "2018-04-01")},
		{"CCGs on 2017-04-01 = children of STPs", count(store.KindCCG, "2017-04-01", nil), children("PART_OF", store.KindCCG, "2017-04-01")},
		{"CCGs on 2021-04-01 = children of STPs", count(store.KindCCG, "2021-04-01", nil), children("PART_OF", store.KindCCG, "2021-04-01")},
		{"PCNs on 2026-08-01 = parents of practices", count(store.KindPCN, "2026-08-01", nil), parents("MEMBER_OF", store.KindPractice, "2026-08-01")},
		{"practices on 2026-08-01 = members of PCNs", count(store.KindPractice, "2026-08-01", nil), children("MEMBER_OF", store.KindPractice, "2026-08-01")},
	} {
		t.Run(c.what, func(t *testing.T) {
			if c.got != c.want || c.want == 0 {
				t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
			}
		})
	}
	// The CCG counts fall every April from 2015 (mergers) and never rise.
	prev := count(store.KindCCG, "2013-04-01", nil)
	for _, y := range []string{"2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021"} {
		n := count(store.KindCCG, y+"-04-01", nil)
		if n > prev || n == 0 {
			t.Errorf("CCGs on %s-04-01: %d after %d", y, n, prev)
		}
		prev = n
	}
}

// TestDerivedFiguresCarryTheirMethod checks every derived figure says how it
// was derived, and that split shares sum to 1 and name their weight.
func TestDerivedFiguresCarryTheirMethod(t *testing.T) {
	d, err := Read(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[[2]string]float64{}
	for _, s := range d.Successions {
		sums[[2]string{s.FromCode, s.Date}] += s.Share
		if s.Share < 1 && (s.ShareWeight == "" || s.Basis == "") {
			t.Errorf("%+v: split without weight or basis", s)
		}
	}
	for k, s := range sums {
		if math.Abs(s-1) > 1e-5 {
			t.Errorf("%v: shares sum to %v", k, s)
		}
	}
	for _, o := range d.Overlaps {
		if o.ValidFrom >= "2026-04-01" && (o.Area == "U2G6B" || o.Area == "S0E4D") && o.Derived == "" {
			t.Errorf("%+v: a 2026 overlap of a new area without its method", o)
		}
	}
	for _, p := range d.Populations {
		if p.Measure == "residents2022" && p.Derived == "" {
			t.Errorf("%+v: residents2022 is derived but says not how", p)
		}
	}
	for _, r := range d.Rels {
		if r.FromCode == "U2G6B" && r.Type == store.RelInCancerAlliance && r.Derived == "" {
			t.Errorf("U2G6B's Cancer Alliance is inferred but not marked")
		}
	}
	g := d.Graph()
	for _, ns := range g.Nodes {
		for _, n := range ns.Rows {
			if n["validFrom"] == nil || n["validFrom"] == "" {
				t.Fatalf("%s %v has no validFrom", ns.Label, n["code"])
			}
		}
	}
	for _, es := range g.Edges {
		for _, e := range es.Rows {
			if p := e["props"].(map[string]any); p["validFrom"] == nil || p["source"] == nil {
				t.Fatalf("(%s)-[%s]->(%s) %v: no validFrom or source", es.From, es.Type, es.To, e)
			}
		}
	}
}

func TestReadRejectsBadFixtures(t *testing.T) {
	for _, c := range []struct {
		fixture string
		want    []string // substrings of the error
	}{
		{"bad_trust_icb", []string{"trusts.csv:3:", `unknown region "QZZ"`}},
		{"pcn_without_code", []string{"organisations.csv:2:", "code is empty"}},
		{"bad_population", []string{"overlaps.csv:4:", "population", "not a non-negative integer"}},
		{"unknown_source", []string{"names.csv:2:", `unknown source "no-such-source"`}},
		{"bad_header", []string{"names.csv:1:", "header must be"}},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			_, err := Read(overlay(t, c.fixture))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Read: err = %v, want ErrInvalid", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestReadMissingFile(t *testing.T) {
	dir := overlay(t, "")
	if err := os.Remove(filepath.Join(dir, "relationships.csv")); err != nil {
		t.Fatal(err)
	}
	_, err := Read(dir)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "relationships.csv") {
		t.Fatalf("Read without relationships.csv: err = %v", err)
	}
}

// TestOneParentPerDate checks that on every 1 April 2013–2021 each CCG is
// in exactly one region and (from 2017) one STP, and on sample dates of the
// ICB era each sub-ICB location is in one ICB and each practice in one PCN.
func TestOneParentPerDate(t *testing.T) {
	d, err := Read(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	check := func(typ, kind, date string) {
		t.Helper()
		parents := map[string]int{}
		for _, r := range d.Rels {
			if r.Type == typ && r.FromKind == kind && Holds(r.ValidFrom, r.ValidTo, date) {
				parents[r.FromCode]++
			}
		}
		for _, o := range d.Orgs {
			if o.Kind == kind && Holds(o.ValidFrom, o.ValidTo, date) && parents[o.Code] != 1 {
				t.Errorf("%s %s on %s: %d %s parents", kind, o.Code, date, parents[o.Code], typ)
			}
		}
	}
	for y := 2013; y <= 2021; y++ {
		date := strconv.Itoa(y) + "-04-01"
		check(store.RelInRegion, store.KindCCG, date)
		if y >= 2017 {
			check(store.RelPartOf, store.KindCCG, date)
		}
	}
	for _, date := range []string{"2022-07-01", "2023-04-01", "2026-03-31", "2026-04-01", "2026-08-01"} {
		check(store.RelPartOf, store.KindSubICBLocation, date)
		check(store.RelInCancerAlliance, store.KindSubICBLocation, date)
	}
	check(store.RelMemberOf, store.KindPractice, "2026-08-01")
	check(store.RelInSubICBLocation, store.KindPCN, "2026-08-01")
}

// TestOverlapSharesSumToOne checks that on each date a council's overlaps
// with the areas of one kind share out its whole population.
func TestOverlapSharesSumToOne(t *testing.T) {
	d, err := Read(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, date := range []string{"2015-04-01", "2019-04-01", "2020-04-01", "2022-07-01", "2023-04-01", "2026-04-01"} {
		sums := map[[2]string]float64{}
		for _, o := range d.Overlaps {
			if Holds(o.ValidFrom, o.ValidTo, date) {
				sums[[2]string{o.Council, o.AreaKind}] += o.ShareOfCouncil
			}
		}
		if len(sums) == 0 {
			t.Errorf("no overlaps on %s", date)
		}
		for k, s := range sums {
			if math.Abs(s-1) > 1e-4 {
				t.Errorf("%s: council %s × %s shares sum to %v", date, k[0], k[1], s)
			}
		}
	}
}

// TestEndedAreasHaveSuccessors checks that every CCG, ICB, sub-ICB location,
// council and region that ended has a successor dated its end, and every
// STP except those of 2016 (no CCG → STP lookup for 2016).
func TestEndedAreasHaveSuccessors(t *testing.T) {
	d, err := Read(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	has := map[[3]string]bool{}
	for _, s := range d.Successions {
		has[[3]string{s.FromKind, s.FromCode, s.Date}] = true
	}
	for _, o := range d.Orgs {
		switch o.Kind {
		case store.KindCCG, store.KindICS, store.KindSubICBLocation, store.KindCouncil, store.KindRegion, store.KindSTP:
		default:
			continue
		}
		if o.ValidTo == "" || o.Kind == store.KindSTP && o.ValidFrom < "2017-01-01" && o.ValidTo < "2018-01-01" {
			continue
		}
		if !has[[3]string{o.Kind, o.Code, o.ValidTo}] {
			t.Errorf("%s %s ended on %s without a successor", o.Kind, o.Code, o.ValidTo)
		}
	}
}
