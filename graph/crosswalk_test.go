package graph_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The crosswalk and the composition figures against the small-area tables of
// seed/data (and the raw ONS lookups when RAW_DIR, default ../../shared/data/raw,
// holds them), read here by code independent of the loader and the API.

const seedData = "../seed/data"

// seedTable reads a seed CSV file as maps by column.
func seedTable(t *testing.T, name string) []map[string]string {
	t.Helper()
	return readTable(t, filepath.Join(seedData, name))
}

func readTable(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	out := make([]map[string]string, 0, len(rows)-1)
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range header {
			if i < len(row) {
				m[h] = row[i]
			}
		}
		out = append(out, m)
	}
	return out
}

// smallAreaFacts is the small-area data as the test reads it.
type smallAreaFacts struct {
	pop     map[string]int64
	members []map[string]string // small_area_memberships.csv
	rels    []map[string]string // relationships.csv
}

var saFacts *smallAreaFacts

func loadSmallAreaFacts(t *testing.T) *smallAreaFacts {
	t.Helper()
	if saFacts != nil {
		return saFacts
	}
	f := &smallAreaFacts{pop: map[string]int64{}, members: seedTable(t, "small_area_memberships.csv"), rels: seedTable(t, "relationships.csv")}
	for _, r := range seedTable(t, "small_areas.csv") {
		n, err := strconv.ParseInt(r["residents2015"], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		f.pop[r["code"]] = n
	}
	saFacts = f
	return f
}

func holds(from, to, d string) bool { return from <= d && (to == "" || to > d) }

// base returns, per small area, its council and base area (CCG before
// 2022-07-01, sub-ICB location from then) on d.
func (f *smallAreaFacts) onDate(d string) (council, base map[string]string) {
	council, base = map[string]string{}, map[string]string{}
	for _, m := range f.members {
		if !holds(m["valid_from"], m["valid_to"], d) {
			continue
		}
		if strings.HasPrefix(m["code"], "E0") {
			council[m["small_area"]] = m["code"]
		} else {
			base[m["small_area"]] = m["code"]
		}
	}
	return council, base
}

// rel returns the target of the relationship typ from (fromKind, code)
// held on d, among toKinds.
func (f *smallAreaFacts) rel(typ, fromKind, code, d string, toKinds ...string) (string, string) {
	for _, r := range f.rels {
		if r["type"] == typ && r["from_kind"] == fromKind && r["from_code"] == code && slices.Contains(toKinds, r["to_kind"]) && holds(r["valid_from"], r["valid_to"], d) {
			return r["to_kind"], r["to_code"]
		}
	}
	return "", ""
}

// areaOf returns, per small area, the area of kind it lay in on d.
func (f *smallAreaFacts) areaOf(kind, d string) map[string]string {
	council, base := f.onDate(d)
	baseKind := "CCG"
	if d >= "2022-07-01" {
		baseKind = "SUB_ICB_LOCATION"
	}
	out := map[string]string{}
	memo := map[string]string{}
	for sa, b := range base {
		if kind == "COUNCIL" {
			break
		}
		v, ok := memo[b]
		if !ok {
			switch kind {
			case "CCG", "SUB_ICB_LOCATION":
				if kind == baseKind {
					v = b
				}
			case "ICS", "STP":
				_, v = f.rel("PART_OF", baseKind, b, d, kind)
			case "CANCER_ALLIANCE":
				_, v = f.rel("IN_CANCER_ALLIANCE", baseKind, b, d, "CANCER_ALLIANCE")
			case "CLINICAL_SENATE":
				if _, ics := f.rel("PART_OF", baseKind, b, d, "ICS"); ics != "" {
					_, v = f.rel("IN_CLINICAL_SENATE", "ICS", ics, d, "CLINICAL_SENATE")
				}
			case "REGION":
				if k, up := f.rel("PART_OF", baseKind, b, d, "ICS", "STP"); up != "" {
					_, v = f.rel("IN_REGION", k, up, d, "REGION")
				}
				if v == "" {
					_, v = f.rel("IN_REGION", baseKind, b, d, "REGION")
				}
			}
			memo[b] = v
		}
		if v != "" {
			out[sa] = v
		}
	}
	if kind == "COUNCIL" {
		return council
	}
	return out
}

type sums struct{ pop, n int64 }

// expectedCrosswalk computes from-area × to-area sums from the tables.
func (f *smallAreaFacts) expectedCrosswalk(fromKind, fromDate, toKind, toDate string) map[[2]string]sums {
	from, to := f.areaOf(fromKind, fromDate), f.areaOf(toKind, toDate)
	out := map[[2]string]sums{}
	for sa, a := range from {
		k := [2]string{a, to[sa]}
		s := out[k]
		out[k] = sums{s.pop + f.pop[sa], s.n + 1}
	}
	return out
}

func (f *smallAreaFacts) totals(kind, d string) map[string]sums {
	out := map[string]sums{}
	for sa, a := range f.areaOf(kind, d) {
		s := out[a]
		out[a] = sums{s.pop + f.pop[sa], s.n + 1}
	}
	return out
}

type cwArea struct {
	Kind, Code, Name string
	Population       int64
	SmallAreas       int64
}

type cwPair struct {
	From             cwArea
	To               *cwArea
	SharedPopulation int64
	SharedSmallAreas int64
	ShareOfFrom      float64
	ShareOfTo        *float64
	Derived          bool
}

// crosswalkAll reads every page of a crosswalk.
func (a *api) crosswalkAll(fromKind, fromDate, toKind, toDate, weight string) []cwPair {
	a.t.Helper()
	var out []cwPair
	after := ""
	for {
		var resp struct {
			Crosswalk struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct{ Node cwPair }
			}
		}
		q := fmt.Sprintf(`{ crosswalk(from: {kind: %s, asOf: "%s"}, to: {kind: %s, asOf: "%s"}, weight: %s, first: 500, after: %q) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { from { kind code name population smallAreas } to { kind code name population smallAreas }
    sharedPopulation sharedSmallAreas shareOfFrom shareOfTo derived } } } }`, fromKind, fromDate, toKind, toDate, weight, after)
		a.query(q, &resp)
		for _, e := range resp.Crosswalk.Edges {
			out = append(out, e.Node)
		}
		if !resp.Crosswalk.PageInfo.HasNextPage {
			if len(out) != resp.Crosswalk.TotalCount {
				a.t.Fatalf("read %d pairs, totalCount %d", len(out), resp.Crosswalk.TotalCount)
			}
			return out
		}
		after = resp.Crosswalk.PageInfo.EndCursor
	}
}

func TestCrosswalkSharesSumToOne(t *testing.T) {
	a := newAPI(t)
	for _, c := range []struct{ fromKind, fromDate, toKind, toDate, weight string }{
		{"CCG", "2013-04-01", "ICS", "2026-08-01", "POPULATION"},
		{"COUNCIL", "2019-04-01", "COUNCIL", "2023-04-01", "POPULATION"},
		{"STP", "2017-04-01", "CANCER_ALLIANCE", "2026-04-01", "SMALL_AREAS"},
		{"SUB_ICB_LOCATION", "2022-07-01", "REGION", "2026-08-01", "POPULATION"},
		{"ICS", "2026-04-01", "CCG", "2019-04-01", "POPULATION"},
		{"CLINICAL_SENATE", "2023-04-01", "STP", "2020-04-01", "SMALL_AREAS"},
		{"REGION", "2013-04-01", "SUB_ICB_LOCATION", "2026-04-01", "POPULATION"},
	} {
		t.Run(fmt.Sprintf("%s %s → %s %s by %s", c.fromKind, c.fromDate, c.toKind, c.toDate, c.weight), func(t *testing.T) {
			pairs := a.crosswalkAll(c.fromKind, c.fromDate, c.toKind, c.toDate, c.weight)
			if len(pairs) == 0 {
				t.Fatal("no pairs")
			}
			share := map[string]float64{}
			shared := map[string]int64{}
			total := map[string]int64{}
			for _, p := range pairs {
				share[p.From.Code] += p.ShareOfFrom
				shared[p.From.Code] += p.SharedPopulation
				total[p.From.Code] = p.From.Population
			}
			for code, s := range share {
				if math.Abs(s-1) > 1e-9 {
					t.Errorf("%s: shares of the from-area sum to %.12f", code, s)
				}
				if shared[code] != total[code] {
					t.Errorf("%s: shared populations sum to %d, the area has %d", code, shared[code], total[code])
				}
			}
		})
	}
}

func TestCrosswalkIdentity(t *testing.T) {
	a := newAPI(t)
	for _, c := range []struct{ kind, date string }{
		{"COUNCIL", "2019-04-01"}, {"CCG", "2016-04-01"}, {"SUB_ICB_LOCATION", "2026-04-01"}, {"ICS", "2026-08-01"},
		{"STP", "2018-04-01"}, {"CANCER_ALLIANCE", "2021-04-01"}, {"CLINICAL_SENATE", "2024-04-01"}, {"REGION", "2013-04-01"},
	} {
		t.Run(c.kind+" "+c.date, func(t *testing.T) {
			pairs := a.crosswalkAll(c.kind, c.date, c.kind, c.date, "POPULATION")
			if len(pairs) == 0 {
				t.Fatal("no pairs")
			}
			for _, p := range pairs {
				if p.To == nil || p.To.Code != p.From.Code || p.ShareOfFrom != 1 || p.ShareOfTo == nil || *p.ShareOfTo != 1 {
					t.Errorf("not the identity: %+v", p)
				}
			}
		})
	}
}

// TestCrosswalkMatchesSmallAreaData checks whole crosswalks against sums
// computed here from seed/data's small-area tables.
func TestCrosswalkMatchesSmallAreaData(t *testing.T) {
	a := newAPI(t)
	f := loadSmallAreaFacts(t)
	for _, c := range []struct{ fromKind, fromDate, toKind, toDate string }{
		{"CCG", "2019-04-01", "ICS", "2022-07-01"},
		{"COUNCIL", "2019-04-01", "COUNCIL", "2023-04-01"},
		{"CCG", "2013-04-01", "ICS", "2026-08-01"},
		{"STP", "2018-04-01", "SUB_ICB_LOCATION", "2026-04-01"},
	} {
		t.Run(fmt.Sprintf("%s %s → %s %s", c.fromKind, c.fromDate, c.toKind, c.toDate), func(t *testing.T) {
			want := f.expectedCrosswalk(c.fromKind, c.fromDate, c.toKind, c.toDate)
			fromTotals, toTotals := f.totals(c.fromKind, c.fromDate), f.totals(c.toKind, c.toDate)
			got := map[[2]string]sums{}
			for _, p := range a.crosswalkAll(c.fromKind, c.fromDate, c.toKind, c.toDate, "POPULATION") {
				to := ""
				if p.To != nil {
					to = p.To.Code
					if p.To.Population != toTotals[to].pop || p.To.SmallAreas != toTotals[to].n {
						t.Errorf("to %s: %d residents in %d small areas, want %d in %d", to, p.To.Population, p.To.SmallAreas, toTotals[to].pop, toTotals[to].n)
					}
					if w := float64(p.SharedPopulation) / float64(toTotals[to].pop); math.Abs(*p.ShareOfTo-w) > 1e-12 {
						t.Errorf("%s → %s: shareOfTo %v, want %v", p.From.Code, to, *p.ShareOfTo, w)
					}
				}
				got[[2]string{p.From.Code, to}] = sums{p.SharedPopulation, p.SharedSmallAreas}
				if w := float64(p.SharedPopulation) / float64(fromTotals[p.From.Code].pop); math.Abs(p.ShareOfFrom-w) > 1e-12 {
					t.Errorf("%s → %s: shareOfFrom %v, want %v", p.From.Code, to, p.ShareOfFrom, w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d pairs, want %d", len(got), len(want))
			}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s → %s: %+v, want %+v", k[0], k[1], got[k], w)
				}
			}
		})
	}
}

// TestSmallAreasMatchTheRawLookups checks seed/data's memberships on each
// lookup's date against the raw ONS LSOA → CCG → LAD lookups, when present.
func TestSmallAreasMatchTheRawLookups(t *testing.T) {
	raw := os.Getenv("RAW_DIR")
	if raw == "" {
		raw = "../../shared/data/raw"
	}
	f := loadSmallAreaFacts(t)
	for _, l := range []struct{ file, date, ccg, lad string }{
		{"history/ons_LSOA11_CCG16_LAD16_Apr2016.csv", "2016-04-01", "CCG16CDH", "LAD16CD"},
		{"history/ons_LSOA11_CCG19_LAD19_Apr2019.csv", "2019-04-01", "CCG19CDH", "LAD19CD"},
		{"history/ons_LSOA11_CCG20_LAD20_Apr2020.csv", "2020-04-01", "CCG20CDH", "LAD20CD"},
	} {
		t.Run(l.file, func(t *testing.T) {
			path := filepath.Join(raw, l.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("no raw lookup (%v): seed/data is checked by the other tests", err)
			}
			council, base := f.onDate(l.date)
			rows := readTable(t, path)
			if len(rows) != len(f.pop) {
				t.Errorf("%d rows, %d small areas", len(rows), len(f.pop))
			}
			for _, r := range rows {
				sa := r["LSOA11CD"]
				if base[sa] != r[l.ccg] || council[sa] != r[l.lad] {
					t.Errorf("%s: seed %s/%s, lookup %s/%s", sa, base[sa], council[sa], r[l.ccg], r[l.lad])
				}
			}
		})
	}
}

// compositionDates are every 1 April of the data and every date a
// small-area period starts.
func compositionDates(t *testing.T) []string {
	var out []string
	for y := 2013; y <= 2026; y++ {
		out = append(out, fmt.Sprintf("%d-04-01", y))
	}
	for _, p := range seedTable(t, "small_area_periods.csv") {
		out = append(out, p["valid_from"])
	}
	out = append(out, "2026-03-31", "2026-08-01")
	slices.Sort(out)
	return slices.Compact(out)
}

// TestCompositionFigures: every council's, sub-ICB location's and ICB's
// population and small-area count on every 1 April and change date is the
// sum of its small areas then.
func TestCompositionFigures(t *testing.T) {
	a := newAPI(t)
	f := loadSmallAreaFacts(t)
	lists := []struct{ kind, field string }{{"COUNCIL", "councils"}, {"SUB_ICB_LOCATION", "subIcbLocations"}, {"ICS", "integratedCareSystems"}}
	figures := func(field, d string) map[string]sums {
		var resp map[string]struct {
			Edges []struct {
				Node struct {
					Code       string
					Population *int64
					SmallAreas *int64
				}
			}
		}
		a.query(fmt.Sprintf(`{ %s(asOf: "%s", first: 500) { edges { node { code population smallAreas } } } }`, field, d), &resp)
		out := map[string]sums{}
		for _, e := range resp[field].Edges {
			if e.Node.Population != nil && e.Node.SmallAreas != nil {
				out[e.Node.Code] = sums{*e.Node.Population, *e.Node.SmallAreas}
			}
		}
		return out
	}
	for _, d := range compositionDates(t) {
		for _, l := range lists {
			if (l.kind == "SUB_ICB_LOCATION" || l.kind == "ICS") && d < "2022-07-01" {
				continue
			}
			t.Run(l.kind+" "+d, func(t *testing.T) {
				want := f.totals(l.kind, d)
				got := figures(l.field, d)
				for code, w := range want {
					if got[code] != w {
						t.Errorf("%s: %+v, want the sum of its small areas %+v", code, got[code], w)
					}
				}
			})
		}
	}
	// Lists sorted by population sort by the figures of the date.
	for _, d := range []string{"2022-07-01", "2026-03-31", "2026-04-01"} {
		var resp struct {
			SubIcbLocations struct {
				Edges []struct{ Node struct{ Population int64 } }
			}
		}
		a.query(fmt.Sprintf(`{ subIcbLocations(asOf: "%s", first: 500, orderBy: {field: POPULATION, direction: DESC}) { edges { node { population } } } }`, d), &resp)
		pops := []int64{}
		for _, e := range resp.SubIcbLocations.Edges {
			pops = append(pops, e.Node.Population)
		}
		if len(pops) < 100 || !slices.IsSortedFunc(pops, func(x, y int64) int { return int(y - x) }) {
			t.Errorf("sub-ICB locations on %s sorted by population: %v", d, pops)
		}
	}
	// The areas whose composition changed on 2026-04-01 report different
	// figures either side of it.
	for _, l := range lists[1:] {
		before, after := f.totals(l.kind, "2026-03-31"), f.totals(l.kind, "2026-04-01")
		gotBefore, gotAfter := figures(l.field, "2026-03-31"), figures(l.field, "2026-04-01")
		changed := 0
		for code, b := range before {
			if x, ok := after[code]; ok && x != b {
				changed++
				if gotBefore[code] != b || gotAfter[code] != x || gotBefore[code] == gotAfter[code] {
					t.Errorf("%s %s: %+v before, %+v after; want %+v and %+v", l.kind, code, gotBefore[code], gotAfter[code], b, x)
				}
			}
		}
		if changed == 0 {
			t.Errorf("%s: no area changed on 2026-04-01 in the small-area data", l.kind)
		}
	}
}

// TestCoterminosityFragmentsFromSmallAreas: the council × CCG / sub-ICB
// fragments coterminosity is computed from (overlaps.csv) are the sums of
// the small areas on every date they cover.
func TestCoterminosityFragmentsFromSmallAreas(t *testing.T) {
	f := loadSmallAreaFacts(t)
	frag := map[string]map[[2]string]sums{} // valid_from → (council, area) → sums
	for _, o := range seedTable(t, "overlaps.csv") {
		if (o["area_kind"] != "CCG" && o["area_kind"] != "SUB_ICB_LOCATION") || strings.HasPrefix(o["council_code"], "E10") {
			continue
		}
		pop, _ := strconv.ParseInt(o["population"], 10, 64)
		n, _ := strconv.ParseInt(o["small_areas"], 10, 64)
		for _, d := range compositionDates(t) {
			if holds(o["valid_from"], o["valid_to"], d) {
				if frag[d] == nil {
					frag[d] = map[[2]string]sums{}
				}
				frag[d][[2]string{o["council_code"], o["area_code"]}] = sums{pop, n}
			}
		}
	}
	for _, d := range compositionDates(t) {
		t.Run(d, func(t *testing.T) {
			if frag[d] == nil {
				t.Skipf("overlaps.csv has no fragments on %s (the crosswalk answers from small areas there; coterminosity does not)", d)
			}
			council, base := f.onDate(d)
			want := map[[2]string]sums{}
			for sa, c := range council {
				k := [2]string{c, base[sa]}
				s := want[k]
				want[k] = sums{s.pop + f.pop[sa], s.n + 1}
			}
			if len(want) != len(frag[d]) {
				t.Errorf("%d fragments from small areas, overlaps.csv has %d", len(want), len(frag[d]))
			}
			for k, w := range want {
				if frag[d][k] != w {
					t.Errorf("%s × %s: overlaps.csv %+v, small areas %+v", k[0], k[1], frag[d][k], w)
				}
			}
		})
	}
}

func TestCrosswalkBadInput(t *testing.T) {
	a := newAPI(t)
	for _, c := range []struct{ name, args, code, argument, says string }{
		{"date before the data", `from: {kind: CCG, asOf: "2012-04-01"}, to: {kind: ICS}`, "BAD_USER_INPUT", "from.asOf", "the data describes"},
		{"date after the data", `from: {kind: CCG, asOf: "2019-04-01"}, to: {kind: ICS, asOf: "2031-01-01"}`, "BAD_USER_INPUT", "to.asOf", "outside that range"},
		{"not a date", `from: {kind: CCG, asOf: "April 2019"}, to: {kind: ICS}`, "BAD_USER_INPUT", "from.asOf", "not a date"},
		{"no ICSs in 2016", `from: {kind: ICS, asOf: "2016-04-01"}, to: {kind: ICS}`, "BAD_USER_INPUT", "from.kind", "the kinds then were COUNCIL, CCG"},
		{"no CCGs in 2023", `from: {kind: COUNCIL, asOf: "2019-04-01"}, to: {kind: CCG, asOf: "2023-04-01"}`, "BAD_USER_INPUT", "to.kind", "SUB_ICB_LOCATION"},
		{"no sub-ICB locations in 2019", `from: {kind: SUB_ICB_LOCATION, asOf: "2019-04-01"}, to: {kind: ICS}`, "BAD_USER_INPUT", "from.kind", "CCG"},
		{"unknown code", `from: {kind: CCG, asOf: "2019-04-01"}, to: {kind: ICS}, codes: ["QE1"]`, "BAD_USER_INPUT", "codes", "QE1"},
		{"bad cursor", `from: {kind: CCG, asOf: "2019-04-01"}, to: {kind: ICS}, after: "nonsense"`, "BAD_USER_INPUT", "after", "cursor"},
		{"page too large", `from: {kind: CCG, asOf: "2019-04-01"}, to: {kind: ICS}, first: 5000`, "BAD_USER_INPUT", "first", "500"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errs := a.raw(`{ crosswalk(` + c.args + `) { totalCount } }`)
			if len(errs) != 1 {
				t.Fatalf("errors %+v, want one", errs)
			}
			e := errs[0]
			if e.Extensions["code"] != c.code || e.Extensions["argument"] != c.argument || !strings.Contains(e.Message, c.says) {
				t.Errorf("got %q %v, want %s on %s saying %q", e.Message, e.Extensions, c.code, c.argument, c.says)
			}
		})
	}
	t.Run("unknown kind", func(t *testing.T) {
		_, errs := a.raw(`{ crosswalk(from: {kind: PARISH}, to: {kind: ICS}) { totalCount } }`)
		if len(errs) == 0 || !strings.Contains(errs[0].Message, "PARISH") {
			t.Fatalf("errors %+v", errs)
		}
		if code := errs[0].Extensions["code"]; code != "GRAPHQL_VALIDATION_FAILED" && code != "BAD_USER_INPUT" {
			t.Errorf("code %v", code)
		}
	})
}
