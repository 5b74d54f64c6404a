package convert

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// The time model of the seed files: every organisation has the dates it
// existed, every name and ONS code it held with the date it took it, and every
// relationship the dates it held (validTo exclusive, "" = still holds).

// Organisation kinds (the values of store.Kind…).
const (
	kRegion   = "REGION"
	kICS      = "ICS"
	kSub      = "SUB_ICB_LOCATION"
	kTrust    = "TRUST"
	kCouncil  = "COUNCIL"
	kAlliance = "CANCER_ALLIANCE"
	kSenate   = "CLINICAL_SENATE"
	kPCN      = "PCN"
	kPractice = "PRACTICE"
	kSTP      = "STP"
	kCCG      = "CCG"
)

// eras are the dates of the reorganisations and of the data, all read from
// the sources manifest by Build (setEras); none is written in Go.
var era struct {
	start    string // the manifest's data_start: CCGs, NHS England regions and Clinical Senates established
	icbs     string // the oldest sub-ICB → ICB lookup: ICBs statutory, CCGs and STPs abolished
	councils string // the newest council list: the latest council reorganisation
	icbsNow  string // the newest sub-ICB → ICB lookup: the current ICBs
	mapping  string // the practice → PCN → sub-ICB mapping (and registered patients): the newest extract
}

// The population measures' node properties, read from the manifest's
// measures by the family and file of each (setMeasures). Registered patients
// come one measure per file: every file of the role is read, each into its
// own measure (a new month or year of figures is a manifest file and measure
// row, not a code change).
var measure struct {
	residentsSmall, smallAreas, residents string
	registered                            []fileMeasure
}

// fileMeasure is a population file and the measure it fills.
type fileMeasure struct {
	file     manifest.File
	property string
}

// setMeasures finds the measure of each population file in the manifest.
func setMeasures(m *manifest.Manifest) error {
	measureOf := func(family string, f manifest.File) (string, error) {
		ms, ok := m.MeasureOf(family, f.ID)
		if !ok {
			return "", fmt.Errorf("%s: %w: no %s measure for %s (add it to measures)", m.Path, errBadData, family, f.ID)
		}
		return ms.Property, nil
	}
	for _, x := range []struct {
		out          *string
		family, role string
	}{
		{&measure.residentsSmall, "RESIDENTS", "small-area-population"},
		{&measure.smallAreas, "SMALL_AREAS", "small-area-population"},
		{&measure.residents, "RESIDENTS", "population"},
	} {
		fs := m.WithRole(x.role)
		if len(fs) != 1 {
			return fmt.Errorf("%s: %w: %d files with role %s, want 1", m.Path, errBadData, len(fs), x.role)
		}
		p, err := measureOf(x.family, fs[0])
		if err != nil {
			return err
		}
		*x.out = p
	}
	measure.registered = nil
	for _, f := range m.WithRole("registered-population") {
		p, err := measureOf("REGISTERED_PATIENTS", f)
		if err != nil {
			return err
		}
		measure.registered = append(measure.registered, fileMeasure{f, p})
	}
	if len(measure.registered) == 0 {
		return fmt.Errorf("%s: %w: no file with role registered-population", m.Path, errBadData)
	}
	return nil
}

// setEras reads the era dates from the manifest.
func setEras(m *manifest.Manifest) error {
	subs, councils, mapping := m.WithRole("subicb-icb-region-lookup"), m.WithRole("council-list"), m.WithRole("practice-mapping")
	if len(subs) == 0 || len(councils) == 0 || len(mapping) != 1 {
		return fmt.Errorf("%s: %w: want sub-ICB → ICB lookups, council lists and one practice mapping", m.Path, errBadData)
	}
	era.start, era.icbs, era.icbsNow = m.DataStart, subs[0].DescribesFrom, subs[len(subs)-1].DescribesFrom
	era.councils, era.mapping = councils[len(councils)-1].DescribesFrom, mapping[0].DescribesFrom
	return nil
}

type dated struct{ from, value, source string }

// org is one organisation: kind and stable code (ODS, or ONS where it has
// no ODS code), the dates it existed and what it was called when.
type org struct {
	kind, code, from, to, basis string
	dated                       bool
	sources                     map[string]bool
	names, ons                  []dated
}

func (o *org) src(ids ...string) {
	for _, id := range ids {
		if id != "" {
			o.sources[id] = true
		}
	}
}

// name records that the organisation was called name from the date on.
func (o *org) name(from, name, source string) {
	o.names = append(o.names, dated{from, name, source})
	o.src(source)
}

// onsCode records an ONS code held from the date on.
func (o *org) onsCode(from, code, source string) {
	if code != "" {
		o.ons = append(o.ons, dated{from, code, source})
		o.src(source)
	}
}

// holds reports whether the organisation existed on date d.
func (o *org) holds(d string) bool { return o.from <= d && (o.to == "" || o.to > d) }

// widen extends the organisation's validity to include [from, to) ("" = open).
func (o *org) widen(from, to string) {
	if !o.dated {
		o.from, o.to, o.dated = from, to, true
		return
	}
	o.from = min(o.from, from)
	if o.to != "" && (to == "" || to > o.to) {
		o.to = to
	}
}

// squash sorts dated values and keeps each change only: the first entry
// holds from the organisation's start.
func squash(xs []dated, start string) []dated {
	slices.SortStableFunc(xs, func(a, b dated) int { return strings.Compare(a.from, b.from) })
	var out []dated
	for _, x := range xs {
		if len(out) > 0 && out[len(out)-1].value == x.value {
			continue
		}
		out = append(out, x)
	}
	if len(out) > 0 && start != "" && start < out[0].from {
		out[0].from = start
	}
	return out
}

// rel is one relationship with the period it held.
type rel struct {
	typ, fromKind, fromCode, toKind, toCode, from, to, source, derived string
}

// succession is one SUCCEEDED_BY edge.
type succession struct {
	fromKind, fromCode, toKind, toCode, date string
	share                                    float64
	weight, basis, source                    string
}

// overlap is one council × area fact for a period.
type overlap struct {
	council, areaKind, area, from, to string
	pop, areas                        int64
	shareCouncil, shareArea           float64
	source, popSource, derived        string
}

// population is one measure of an organisation.
type population struct {
	kind, code, measure string
	value               int64
	source, derived     string
}

type okey struct{ kind, code string }

// facts collects everything the steps learn.
type facts struct {
	orgs  map[okey]*org
	rels  []rel
	succs []succession
	ovs   []overlap
	pops  map[[3]string]population
}

func newFacts() *facts {
	return &facts{orgs: map[okey]*org{}, pops: map[[3]string]population{}}
}

// org returns the organisation, creating it.
func (f *facts) org(kind, code string) *org {
	k := okey{kind, code}
	o := f.orgs[k]
	if o == nil {
		o = &org{kind: kind, code: code, sources: map[string]bool{}}
		f.orgs[k] = o
	}
	return o
}

func (f *facts) get(kind, code string) *org { return f.orgs[okey{kind, code}] }

func (f *facts) rel(typ, fk, fc, tk, tc, from, to, source, derived string) {
	f.rels = append(f.rels, rel{typ, fk, fc, tk, tc, from, to, source, derived})
}

func (f *facts) pop(kind, code, measure string, value int64, source, derived string) {
	f.pops[[3]string{kind, code, measure}] = population{kind, code, measure, value, source, derived}
}

// series is a sequence of dated snapshots (lookups) of one kind of fact: a
// fact seen in snapshot i holds from dates[i] until the first later snapshot
// that does not show it, or until end ("" = still holds) after the last.
type series struct {
	dates []string
	end   string
	seen  map[string]map[int]string // fact key → snapshot index → source
	facts map[string][]string
}

func newSeries(end string, dates ...string) *series {
	return &series{dates: dates, end: end, seen: map[string]map[int]string{}, facts: map[string][]string{}}
}

func (s *series) see(i int, source string, fact ...string) {
	k := strings.Join(fact, "\x00")
	if s.seen[k] == nil {
		s.seen[k] = map[int]string{}
		s.facts[k] = fact
	}
	s.seen[k][i] = source
}

// runs calls fn for each maximal run of snapshots showing a fact.
func (s *series) runs(fn func(fact []string, from, to, source string)) {
	for _, k := range slices.Sorted(maps.Keys(s.seen)) {
		idx := slices.Sorted(maps.Keys(s.seen[k]))
		for j := 0; j < len(idx); {
			start := j
			for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
				j++
			}
			to := s.end
			if idx[j]+1 < len(s.dates) {
				to = s.dates[idx[j]+1]
			}
			fn(s.facts[k], s.dates[idx[start]], to, s.seen[k][idx[start]])
			j++
		}
	}
}

func dayAfter(d string) (string, error) {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return "", fmt.Errorf("%w: %q is not a date", errBadData, d)
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly), nil
}

func minDate(a, b string) string { // "" is open (infinitely late)
	if a == "" {
		return b
	}
	if b == "" || a < b {
		return a
	}
	return b
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// clipped returns the relationships clipped to the validity of both ends
// (dropping those that never held) and merged where one continues another
// with the same ends and derivation.
func (f *facts) clipped() ([]rel, error) {
	var out []rel
	for _, r := range f.rels {
		a, b := f.get(r.fromKind, r.fromCode), f.get(r.toKind, r.toCode)
		if a == nil || b == nil {
			return nil, fmt.Errorf("%w: %s %s:%s → %s:%s: unknown organisation", errBadData, r.typ, r.fromKind, r.fromCode, r.toKind, r.toCode)
		}
		r.from = max(r.from, a.from, b.from)
		r.to = minDate(minDate(r.to, a.to), b.to)
		if r.to != "" && r.to <= r.from {
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y rel) int {
		return slices.Compare([]string{x.typ, x.fromKind, x.fromCode, x.toKind, x.toCode, x.from}, []string{y.typ, y.fromKind, y.fromCode, y.toKind, y.toCode, y.from})
	})
	var merged []rel
	for _, r := range out {
		if n := len(merged); n > 0 {
			p := &merged[n-1]
			if p.typ == r.typ && p.fromKind == r.fromKind && p.fromCode == r.fromCode && p.toKind == r.toKind && p.toCode == r.toCode && p.derived == r.derived &&
				p.to != "" && p.to >= r.from {
				if r.to == "" || r.to > p.to {
					p.to = r.to
				}
				continue
			}
		}
		merged = append(merged, r)
	}
	return merged, nil
}

// mergeOverlaps merges consecutive periods of a council × area pair whose
// figures are the same.
func mergeOverlaps(ovs []overlap) []overlap {
	slices.SortFunc(ovs, func(x, y overlap) int {
		return slices.Compare([]string{x.council, x.areaKind, x.area, x.from}, []string{y.council, y.areaKind, y.area, y.from})
	})
	var out []overlap
	for _, o := range ovs {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.council == o.council && p.areaKind == o.areaKind && p.area == o.area && p.to == o.from && p.pop == o.pop && p.areas == o.areas &&
				ftoa(p.shareCouncil) == ftoa(o.shareCouncil) && ftoa(p.shareArea) == ftoa(o.shareArea) && p.derived == o.derived {
				p.to = o.to
				continue
			}
		}
		out = append(out, o)
	}
	return out
}

// tables writes the generic files.
func (b *builder) factTables() error {
	var orgs, names, ons [][]string
	for _, o := range b.f.orgs {
		if o.from == "" {
			return fmt.Errorf("%w: %s %s has no start date", errBadData, o.kind, o.code)
		}
		if o.to != "" && o.to <= o.from {
			return fmt.Errorf("%w: %s %s ends (%s) before it starts (%s)", errBadData, o.kind, o.code, o.to, o.from)
		}
		ns := squash(o.names, o.from)
		if len(ns) == 0 {
			return fmt.Errorf("%w: %s %s has no name", errBadData, o.kind, o.code)
		}
		orgs = append(orgs, []string{o.kind, o.code, o.from, o.to, o.basis, join(slices.Sorted(maps.Keys(o.sources))...)})
		for _, n := range ns {
			names = append(names, []string{o.kind, o.code, n.from, n.value, n.source})
		}
		for _, n := range squash(o.ons, o.from) {
			ons = append(ons, []string{o.kind, o.code, n.from, n.value, n.source})
		}
	}
	b.add("organisations.csv", []string{"kind", "code", "valid_from", "valid_to", "valid_basis", "sources"}, orgs)
	b.add("names.csv", []string{"kind", "code", "valid_from", "name", "source"}, names)
	b.add("ons_codes.csv", []string{"kind", "code", "valid_from", "ons_code", "source"}, ons)

	rels, err := b.f.clipped()
	if err != nil {
		return err
	}
	var rows [][]string
	for _, r := range rels {
		rows = append(rows, []string{r.typ, r.fromKind, r.fromCode, r.toKind, r.toCode, r.from, r.to, r.source, r.derived})
	}
	b.add("relationships.csv", []string{"type", "from_kind", "from_code", "to_kind", "to_code", "valid_from", "valid_to", "source", "derived"}, rows)

	rows = nil
	for _, s := range b.f.succs {
		rows = append(rows, []string{s.fromKind, s.fromCode, s.toKind, s.toCode, s.date, ftoa(s.share), s.weight, s.basis, s.source})
	}
	b.add("successions.csv", []string{"from_kind", "from_code", "to_kind", "to_code", "date", "share", "share_weight", "basis", "source"}, rows)

	rows = nil
	for _, o := range mergeOverlaps(b.f.ovs) {
		rows = append(rows, []string{o.council, o.areaKind, o.area, o.from, o.to, strconv.FormatInt(o.pop, 10), strconv.FormatInt(o.areas, 10),
			ftoa(o.shareCouncil), ftoa(o.shareArea), measure.residentsSmall, o.source, o.popSource, o.derived})
	}
	b.add("overlaps.csv", []string{"council_code", "area_kind", "area_code", "valid_from", "valid_to", "population", "small_areas",
		"share_of_council", "share_of_area", "population_measure", "source", "population_source", "derived"}, rows)

	rows = nil
	for _, p := range b.f.pops {
		rows = append(rows, []string{p.kind, p.code, p.measure, strconv.FormatInt(p.value, 10), p.source, p.derived})
	}
	b.add("populations.csv", []string{"kind", "code", "measure", "value", "source", "derived"}, rows)
	return nil
}
