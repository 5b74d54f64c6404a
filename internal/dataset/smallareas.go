package dataset

import (
	"fmt"
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Small areas (small_areas.csv, small_area_memberships.csv,
// small_area_periods.csv): the 2011 LSOAs with their measures, their
// membership of councils and of CCGs / sub-ICB locations for each
// contiguous range, and the periods table saying where each kind's
// memberships come from on each date and how derived ones were made.
type (
	// SmallArea is one LSOA (2011) with its measures (model.SmallAreaMeasures).
	SmallArea struct {
		Code     string
		Measures []int64 // in the order of model.SmallAreaMeasures
	}
	// Membership is a small area's membership of one area for a period.
	Membership struct {
		SmallArea, Kind, Code, ValidFrom, ValidTo string
	}
	// SmallAreaPeriod says where the memberships of a kind come from in a
	// period: the lookup (Source) and, if derived, how (Derived); Areas,
	// when set, restricts the row to those areas (the others take the row
	// of the same kind and period without Areas).
	SmallAreaPeriod struct {
		Kind, ValidFrom, ValidTo, Source, Derived string
		Areas                                     []string
	}
)

// baseSwitch is the day sub-ICB locations replaced CCGs: a membership row
// of a base-area code across it is the CCG before and the sub-ICB location
// from it.
const baseSwitch = "2022-07-01"

// readSmallAreas reads and validates the three small-area files.
func readSmallAreas(dir string, d *Dataset, orgs map[[2]string]*Org, srcIDs map[string]bool) error {
	header := append([]string{"code"}, model.SmallAreaMeasures...)
	f, err := readFile(dir, "small_areas.csv", header...)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	if err := f.each(func(r *row) error {
		x := SmallArea{Code: r.key("code")}
		if !strings.HasPrefix(x.Code, "E01") {
			r.fail("code %q is not an English LSOA (2011) code", x.Code)
		}
		if known[x.Code] {
			r.fail("small area %s appears twice", x.Code)
		}
		known[x.Code] = true
		for _, m := range model.SmallAreaMeasures {
			x.Measures = append(x.Measures, r.int(m))
		}
		d.SmallAreas = append(d.SmallAreas, x)
		return nil
	}); err != nil {
		return err
	}

	if f, err = readFile(dir, "small_area_periods.csv", "kind", "valid_from", "valid_to", "source", "derived", "areas"); err != nil {
		return err
	}
	if err := f.each(func(r *row) error {
		x := SmallAreaPeriod{Kind: r.oneOf("kind", store.KindCouncil, store.KindCCG, store.KindSubICBLocation),
			Source: r.ref("source", srcIDs, "source", false), Derived: r.str("derived"), Areas: r.list("areas")}
		x.ValidFrom, x.ValidTo = r.date("valid_from"), r.date("valid_to")
		if x.ValidFrom == "" || x.ValidTo != "" && x.ValidTo <= x.ValidFrom {
			r.fail("bad period %s–%s", x.ValidFrom, x.ValidTo)
		}
		if x.Derived != "" && !strings.HasPrefix(x.Derived, "derived: ") {
			r.fail("derived must start with \"derived: \" and say how")
		}
		for _, a := range x.Areas {
			if orgs[[2]string{x.Kind, a}] == nil {
				r.fail("areas: unknown %s %q", x.Kind, a)
			}
		}
		d.SmallAreaPeriods = append(d.SmallAreaPeriods, x)
		return nil
	}); err != nil {
		return err
	}

	if f, err = readFile(dir, "small_area_memberships.csv", "small_area", "code", "valid_from", "valid_to"); err != nil {
		return err
	}
	type span struct {
		from, to string
		line     int
	}
	succDerived := map[[2]string]bool{}
	ranges := map[[2]string][]span{} // (small area, council or base) → its ranges
	if err := f.each(func(r *row) error {
		sa, code := r.key("small_area"), r.key("code")
		if !known[sa] {
			r.fail("small_area: unknown small area %q", sa)
		}
		from, to := r.date("valid_from"), r.date("valid_to")
		if from == "" || to != "" && to <= from {
			r.fail("bad period %s–%s", from, to)
			return nil
		}
		fam := "base"
		if orgs[[2]string{store.KindCouncil, code}] != nil {
			fam = store.KindCouncil
		}
		k := [2]string{sa, fam}
		ranges[k] = append(ranges[k], span{from, to, r.i + 2})
		var parts []Membership
		switch {
		case fam == store.KindCouncil:
			parts = []Membership{{sa, store.KindCouncil, code, from, to}}
		case from < baseSwitch && (to == "" || to > baseSwitch):
			parts = []Membership{{sa, store.KindCCG, code, from, baseSwitch}, {sa, store.KindSubICBLocation, code, baseSwitch, to}}
		case from < baseSwitch:
			parts = []Membership{{sa, store.KindCCG, code, from, to}}
		default:
			parts = []Membership{{sa, store.KindSubICBLocation, code, from, to}}
		}
		for len(parts) > 0 {
			m := parts[0]
			parts = parts[1:]
			o := orgs[[2]string{m.Kind, m.Code}]
			if o == nil {
				r.fail("code: no council, CCG or sub-ICB location %q", code)
				return nil
			}
			if m.Kind == store.KindCouncil && strings.HasPrefix(m.Code, "E10") {
				r.fail("code: %s is a county council; small areas are members of districts and unitaries", m.Code)
			}
			if m.ValidFrom < o.ValidFrom {
				r.fail("code: %s %s exists %s–%s, not from %s", m.Kind, m.Code, o.ValidFrom, o.ValidTo, m.ValidFrom)
			}
			if o.ValidTo != "" && (m.ValidTo == "" || m.ValidTo > o.ValidTo) {
				// The area ended while the file still places the small area
				// in it (a release whose lookups predate the change): it
				// goes on in the area's one whole successor, derived.
				next, why := d.wholeSuccessor(m.Kind, m.Code, o.ValidTo)
				if next == "" {
					r.fail("code: %s %s exists %s–%s, not throughout %s–%s, and has no one whole successor", m.Kind, m.Code, o.ValidFrom, o.ValidTo, m.ValidFrom, m.ValidTo)
					return nil
				}
				parts = append(parts, Membership{m.SmallArea, m.Kind, next, o.ValidTo, m.ValidTo})
				m.ValidTo = o.ValidTo
				if !succDerived[[2]string{m.Kind, next}] {
					succDerived[[2]string{m.Kind, next}] = true
					d.SmallAreaPeriods = append(d.SmallAreaPeriods, SmallAreaPeriod{Kind: m.Kind, ValidFrom: o.ValidTo, Source: why.Source,
						Derived: fmt.Sprintf("derived: %s succeeded whole areas on %s (successions.csv); its small areas are theirs, as no small-area lookup of its period is in the files", next, o.ValidTo),
						Areas:   []string{next}})
				}
			}
			d.Memberships = append(d.Memberships, m)
		}
		return nil
	}); err != nil {
		return err
	}
	// The ranges of one small area and kind do not overlap, and every small
	// area lies in a council on every date from the first period on.
	first := ""
	for _, p := range d.SmallAreaPeriods {
		if first == "" || p.ValidFrom < first {
			first = p.ValidFrom
		}
	}
	for k, rs := range ranges {
		slices.SortFunc(rs, func(a, b span) int { return strings.Compare(a.from, b.from) })
		for i := 1; i < len(rs); i++ {
			if rs[i-1].to == "" || rs[i-1].to > rs[i].from {
				return fmt.Errorf("%s:%d: %w: small area %s: its %s membership from %s overlaps the one of line %d", f.path, rs[i].line, ErrInvalid, k[0], strings.ToLower(k[1]), rs[i].from, rs[i-1].line)
			}
			if k[1] == store.KindCouncil && rs[i-1].to != rs[i].from {
				return fmt.Errorf("%s:%d: %w: small area %s has no council from %s to %s", f.path, rs[i].line, ErrInvalid, k[0], rs[i-1].to, rs[i].from)
			}
		}
	}
	for _, x := range d.SmallAreas {
		rs := ranges[[2]string{x.Code, store.KindCouncil}]
		if len(rs) == 0 || rs[0].from != first || rs[len(rs)-1].to != "" {
			return ensure(false, f, "small area %s is not in a council on every date from %s", x.Code, first)
		}
	}
	return nil
}

// wholeSuccessor returns the one organisation of the same kind that
// succeeded (kind, code) on date with all of it (share 1), and the
// succession; "" when there is none or several.
func (d *Dataset) wholeSuccessor(kind, code, date string) (string, Succession) {
	var out []Succession
	for _, s := range d.Successions {
		if s.FromKind == kind && s.FromCode == code && s.Date == date && s.ToKind == kind {
			out = append(out, s)
		}
	}
	if len(out) != 1 || out[0].Share < 1 {
		return "", Succession{}
	}
	return out[0].ToCode, out[0]
}

// periodOf returns the periods row describing a membership of kind in code
// on date day.
func (d *Dataset) periodOf(kind, code, day string) (SmallAreaPeriod, bool) {
	var out SmallAreaPeriod
	found := false
	for _, p := range d.SmallAreaPeriods {
		if p.Kind != kind || !Holds(p.ValidFrom, p.ValidTo, day) {
			continue
		}
		if len(p.Areas) > 0 && slices.Contains(p.Areas, code) {
			return p, true
		}
		if len(p.Areas) == 0 {
			out, found = p, true
		}
	}
	return out, found
}

// smallAreaGraph adds the SmallArea nodes, with their memberships as
// parallel lists ascending by date (model.LabelSmallArea), and the
// SmallAreaPeriod nodes.
func (d *Dataset) smallAreaGraph(g *store.Graph) {
	if len(d.SmallAreas) == 0 {
		return
	}
	byArea := map[string][]Membership{}
	for _, m := range d.Memberships {
		byArea[m.SmallArea] = append(byArea[m.SmallArea], m)
	}
	rows := make([]map[string]any, len(d.SmallAreas))
	for i, x := range d.SmallAreas {
		m := map[string]any{"code": x.Code}
		for j, name := range model.SmallAreaMeasures {
			m[name] = x.Measures[j]
		}
		ms := byArea[x.Code]
		slices.SortFunc(ms, func(a, b Membership) int { return strings.Compare(a.ValidFrom, b.ValidFrom) })
		cc, cf, ct := []string{}, []string{}, []string{}
		ac, ak, af, at := []string{}, []string{}, []string{}, []string{}
		for _, y := range ms {
			if y.Kind == store.KindCouncil {
				cc, cf, ct = append(cc, y.Code), append(cf, y.ValidFrom), append(ct, y.ValidTo)
			} else {
				ac, ak, af, at = append(ac, y.Code), append(ak, y.Kind), append(af, y.ValidFrom), append(at, y.ValidTo)
			}
		}
		with(m, "councilCodes", cc, "councilFrom", cf, "councilTo", ct, "areaCodes", ac, "areaKinds", ak, "areaFrom", af, "areaTo", at)
		rows[i] = m
	}
	g.Plain = append(g.Plain, store.NodeSet{Label: model.LabelSmallArea, Rows: rows})
	prow := make([]map[string]any, len(d.SmallAreaPeriods))
	for i, p := range d.SmallAreaPeriods {
		prow[i] = map[string]any{"code": fmt.Sprintf("%s/%s/%d", p.Kind, p.ValidFrom, i), "kind": p.Kind, "validFrom": p.ValidFrom,
			"validTo": nilIfEmpty(p.ValidTo), "source": p.Source, "derived": nilIfEmpty(p.Derived), "areas": p.Areas}
	}
	g.Plain = append(g.Plain, store.NodeSet{Label: model.LabelSmallAreaPeriod, Rows: prow})
}
