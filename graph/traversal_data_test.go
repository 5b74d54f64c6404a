package graph_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/icsgraph/icsgraph/internal/store"
)

// The time-aware seed data (seed/data), read independently of the loader:
// what the traversal and history tests compute their expected answers from.
// A fact holds on d when validFrom <= d and validTo is empty or after d.

type kc struct{ kind, code string }

type span struct{ from, to string }

func (s span) holds(d string) bool { return s.from <= d && (s.to == "" || s.to > d) }

type rel struct {
	typ      string
	from, to kc
	span
	source string
}

type fragment struct {
	council  string
	area     kc
	pop, lso int
	span
	derived bool
}

type succession struct {
	from, to kc
	date     string
	share    float64
}

type timeData struct {
	orgs        map[kc]span
	rels        []rel
	overlaps    []fragment
	successions []succession
	councilType map[string]string
	residents   map[kc]int // residents2015
}

var timeDataCache *timeData

func loadTime(t testing.TB) *timeData {
	t.Helper()
	if timeDataCache != nil {
		return timeDataCache
	}
	d := &timeData{orgs: map[kc]span{}, councilType: map[string]string{}, residents: map[kc]int{}}
	for _, r := range readCSV(t, "organisations.csv") {
		d.orgs[kc{r["kind"], r["code"]}] = span{r["valid_from"], r["valid_to"]}
	}
	for _, r := range readCSV(t, "relationships.csv") {
		d.rels = append(d.rels, rel{typ: r["type"], from: kc{r["from_kind"], r["from_code"]}, to: kc{r["to_kind"], r["to_code"]},
			span: span{r["valid_from"], r["valid_to"]}, source: r["source"]})
	}
	for _, r := range readCSV(t, "overlaps.csv") {
		d.overlaps = append(d.overlaps, fragment{council: r["council_code"], area: kc{r["area_kind"], r["area_code"]},
			pop: atoi(t, r["population"]), lso: atoi(t, r["small_areas"]), span: span{r["valid_from"], r["valid_to"]},
			derived: r["derived"] != ""})
	}
	for _, r := range readCSV(t, "successions.csv") {
		share, err := strconv.ParseFloat(r["share"], 64)
		if err != nil {
			t.Fatal(err)
		}
		d.successions = append(d.successions, succession{from: kc{r["from_kind"], r["from_code"]}, to: kc{r["to_kind"], r["to_code"]},
			date: r["date"], share: share})
	}
	for _, r := range readCSV(t, "councils.csv") {
		d.councilType[r["code"]] = r["council_type"]
	}
	for _, r := range readCSV(t, "populations.csv") {
		if r["measure"] == "residents2015" {
			d.residents[kc{r["kind"], r["code"]}] = atoi(t, r["value"])
		}
	}
	timeDataCache = d
	return d
}

// open lists the codes of kind open on day, sorted.
func (d *timeData) open(kind, day string) []string {
	var out []string
	for k, s := range d.orgs {
		if k.kind == kind && s.holds(day) {
			out = append(out, k.code)
		}
	}
	slices.Sort(out)
	return out
}

// lowerTierCouncils lists the non-county councils open on day.
func (d *timeData) lowerTierCouncils(day string) []string {
	return slices.DeleteFunc(d.open(store.KindCouncil, day), func(c string) bool { return d.councilType[c] == "COUNTY" })
}

// parent is the organisation of kind toKind that from is joined to by a
// relationship of type typ held on day ("" if none).
func (d *timeData) parent(typ string, from kc, toKind, day string) string {
	for _, r := range d.rels {
		if r.typ == typ && r.from == from && r.to.kind == toKind && r.holds(day) {
			return r.to.code
		}
	}
	return ""
}

// children lists the codes of kind fromKind joined to `to` by typ on day.
func (d *timeData) children(typ, fromKind string, to kc, day string) []string {
	var out []string
	for _, r := range d.rels {
		if r.typ == typ && r.to == to && r.from.kind == fromKind && r.holds(day) && d.orgs[r.from].holds(day) {
			out = append(out, r.from.code)
		}
	}
	slices.Sort(out)
	return out
}

// councilAreas sums, for day, the lower-tier councils' fragments by the area
// of kind outer holding each fragment's base area (through PART_OF held on
// the day for ICS and STP): councilAreas[council][area] = population.
func (d *timeData) councilAreas(t testing.TB, outer, day string) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, f := range d.overlaps {
		if !f.holds(day) || (f.area.kind != store.KindSubICBLocation && f.area.kind != store.KindCCG) ||
			d.councilType[f.council] == "COUNTY" || !d.orgs[kc{store.KindCouncil, f.council}].holds(day) || !d.orgs[f.area].holds(day) {
			continue
		}
		area := f.area.code
		switch outer {
		case f.area.kind:
		case store.KindRegion: // the region of its ICS or STP, else its own
			area = ""
			for _, k := range []string{store.KindICS, store.KindSTP} {
				if p := d.parent(store.RelPartOf, f.area, k, day); p != "" && area == "" {
					area = d.parent(store.RelInRegion, kc{k, p}, store.KindRegion, day)
				}
			}
			if area == "" {
				area = d.parent(store.RelInRegion, f.area, store.KindRegion, day)
			}
		default:
			area = d.parent(store.RelPartOf, f.area, outer, day)
		}
		if area == "" {
			t.Fatalf("%s %s has no %s on %s", f.area.kind, f.area.code, outer, day)
		}
		if out[f.council] == nil {
			out[f.council] = map[string]int{}
		}
		out[f.council][area] += f.pop
	}
	return out
}
