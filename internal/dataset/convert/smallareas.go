package convert

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// Small areas: the 32,844 English LSOAs of 2011 with their mid-2015
// residents, and their membership, period by period, of councils and of CCGs
// or sub-ICB locations (small_areas.csv, small_area_memberships.csv,
// small_area_periods.csv). Every area kind is, on each date, a union of these
// small areas: councils and base areas directly, ICSs, STPs, Cancer Alliances,
// Clinical Senates and regions through the base areas part of them then.

// smallAreaLookup is one ONS small-area lookup read through the sources
// manifest: the file, the first day of the period it describes, the kind
// of its area column and the manifest fields of its columns.
type smallAreaLookup struct {
	file manifest.File
	from string
	kind string // CCG or SUB_ICB_LOCATION
	area string // manifest field of the area's ODS code
	id   string // source id
}

// smallAreaLookups are the manifest's small-area lookups (role
// small-area-lookup), one per date, oldest first: where two describe the same
// date (the April 2017 and 2018 lookups with and without STPs), the one that
// is also a council list.
func (b *builder) smallAreaLookups() []smallAreaLookup {
	byDate := map[string]manifest.File{}
	for _, f := range b.filesWith("small-area-lookup") {
		prev, ok := byDate[f.DescribesFrom]
		if !ok || !slices.Contains(prev.Roles, "council-list") && slices.Contains(f.Roles, "council-list") {
			byDate[f.DescribesFrom] = f
		}
	}
	var out []smallAreaLookup
	for _, d := range slices.Sorted(maps.Keys(byDate)) {
		f := byDate[d]
		l := smallAreaLookup{file: f, from: d, kind: kCCG, area: "ccg_ods", id: f.ID}
		if f.Col("ccg_ods") == "" {
			l.kind, l.area = kSub, "sub_ods"
		}
		out = append(out, l)
	}
	return out
}

// smallAreaMeasures are the small-area figures of the population file: the
// column of small_areas.csv and the manifest field of the raw column.
var smallAreaMeasures = [][2]string{
	{"residents2015", "population"},
	{"aged0to15_2015", "aged_0_15"},
	{"aged16to59_2015", "aged_16_59"},
	{"aged60plus_2015", "aged_60_plus"},
	{"workingAge2015", "working_age"},
}

// saPeriod is one period of the membership timeline.
type saPeriod struct {
	from, to string
	lookup   int    // index of the lookup it is read from
	kind     string // CCG or SUB_ICB_LOCATION
	areaWhy  string // derived: how the CCG / sub-ICB memberships were made ("" = as the lookup)
	cWhy     string // derived: how the council memberships were made
	unions   bool   // councils of April 2023: unions of whole districts
	split    bool   // D4U1Y split of April 2026
}

// smallAreas writes the small-area tables. It runs after the organisations,
// successions' inputs and council lists are known (b.lad23Of, WITHIN).
func (b *builder) smallAreas() error {
	lookups := b.smallAreaLookups()
	if len(lookups) < 2 {
		return fmt.Errorf("%s: %w: want the small-area lookups of several periods", b.m.Path, errBadData)
	}
	// Measures.
	popFile, err := b.file("small-area-population")
	if err != nil {
		return err
	}
	fields := []string{"lsoa_code"}
	for _, m := range smallAreaMeasures {
		fields = append(fields, m[1])
	}
	p, err := b.open(popFile, fields...)
	if err != nil {
		return err
	}
	var rows [][]string
	known := map[string]bool{}
	for i, r := range p.rows {
		code := p.col(r, "lsoa_code")
		if !strings.HasPrefix(code, "E01") || known[code] {
			return fmt.Errorf("%s: %w: small area %q is not an English LSOA or is repeated", p.where(i), errBadData, code)
		}
		known[code] = true
		row := []string{code}
		for _, m := range smallAreaMeasures {
			// Quoted numbers carry thousands separators: "1,296".
			v := strings.ReplaceAll(p.col(r, m[1]), ",", "")
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return fmt.Errorf("%s: %w: %s: %w", p.where(i), errBadData, m[1], err)
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	header := []string{"code"}
	for _, m := range smallAreaMeasures {
		header = append(header, m[0])
	}
	b.add("small_areas.csv", header, rows)

	// Lookups: small area → (area, council), each complete.
	type pair struct{ area, council string }
	read := make([]map[string]pair, len(lookups))
	for li, l := range lookups {
		s, err := b.open(l.file, "lsoa_code", l.area, "lad_code")
		if err != nil {
			return err
		}
		m := map[string]pair{}
		for i, r := range s.rows {
			code := s.col(r, "lsoa_code")
			if !known[code] {
				return fmt.Errorf("%s: %w: small area %q is not in the population file", s.where(i), errBadData, code)
			}
			if _, dup := m[code]; dup {
				return fmt.Errorf("%s: %w: small area %s listed twice", s.where(i), errBadData, code)
			}
			m[code] = pair{s.col(r, l.area), s.col(r, "lad_code")}
		}
		if len(m) != len(known) {
			return fmt.Errorf("%s: %w: %d small areas, the population file has %d", s.file, errBadData, len(m), len(known))
		}
		read[li] = m
	}
	last := len(lookups) - 1
	if lookups[last].kind != kSub || lookups[last].from != era.icbs || lookups[last-1].kind != kCCG {
		return fmt.Errorf("%s: %w: the newest small-area lookup must be the sub-ICB lookup of %s, after the CCG ones; got %s", b.m.Path, errBadData, era.icbs, lookups[last].file.File)
	}
	// ccg21: the start of the last CCGs (those of the day before the
	// sub-ICB locations), which the sub-ICB lookup describes under the same
	// codes; lookupsEnd: the sub-ICB lookup is taken to describe the
	// sub-ICB locations until the newest sub-ICB → ICB list before the
	// current one (the same codes), derived after.
	ccg21 := ""
	for _, o := range b.f.orgs {
		if o.kind == kCCG && o.to == era.icbs && o.from > ccg21 {
			ccg21 = o.from
		}
	}
	subs := b.filesWith("subicb-icb-region-lookup")
	lookupsEnd := era.icbsNow
	if len(subs) >= 2 {
		lookupsEnd = subs[len(subs)-2].DescribesFrom
	}
	if ccg21 <= lookups[last-1].from || lookupsEnd <= era.councils || lookupsEnd > era.icbsNow {
		return fmt.Errorf("%s: %w: unexpected eras: last CCGs from %s, sub-ICB lookup taken to %s", b.m.Path, errBadData, ccg21, lookupsEnd)
	}
	// unitary-small-areas (derivations.csv): the councils formed of whole
	// districts hold their districts' small areas.
	unionsWhy := ""
	for _, u := range slices.Sorted(maps.Values(b.lad23Of)) {
		unionsWhy = b.derive("unitary-small-areas", "", u, era.councils)
	}
	// The periods: each lookup's, and the derived ones around them.
	var periods []saPeriod
	// The derived periods' method sentences are derivations.csv rows
	// (small-areas-… and small-area-councils-…, codes *, from the period's start).
	why := func(rule, from string) string { return b.derive(rule, "*", "*", from) }
	periods = append(periods, saPeriod{from: era.start, to: lookups[0].from, lookup: 0, kind: kCCG,
		areaWhy: why("small-areas-carried-back", era.start),
		cWhy:    why("small-area-councils-carried-back", era.start)})
	for i, l := range lookups[:last] {
		to := lookups[i+1].from
		if i+1 == last {
			to = ccg21
		}
		periods = append(periods, saPeriod{from: l.from, to: to, lookup: i, kind: l.kind})
	}
	periods = append(periods,
		saPeriod{from: ccg21, to: era.icbs, lookup: last, kind: kCCG,
			areaWhy: why("small-areas-from-subicb-lookup", ccg21),
			cWhy:    why("small-area-councils-from-subicb-lookup", ccg21)},
		saPeriod{from: era.icbs, to: era.councils, lookup: last, kind: kSub},
		saPeriod{from: era.councils, to: lookupsEnd, lookup: last, kind: kSub, unions: true,
			cWhy: unionsWhy},
		saPeriod{from: lookupsEnd, to: era.icbsNow, lookup: last, kind: kSub, unions: true,
			areaWhy: why("small-areas-carried-forward", lookupsEnd),
			cWhy:    why("small-area-councils-carried-forward", lookupsEnd)},
		saPeriod{from: era.icbsNow, to: "", lookup: last, kind: kSub, unions: true, split: true,
			areaWhy: why("small-areas-split-carried-forward", era.icbsNow),
			cWhy:    why("small-area-councils-carried-forward", era.icbsNow)},
	)

	county := func(c, date string) string {
		for _, r := range b.f.rels {
			if r.typ == "WITHIN" && r.fromCode == c && r.from <= date && (r.to == "" || r.to > date) {
				return r.toCode
			}
		}
		return ""
	}
	// predecessors named after a council, for the carry-back of merged CCGs.
	nameOf := func(kind, code string) string {
		o := b.f.get(kind, code)
		if o == nil || len(o.names) == 0 {
			return ""
		}
		n := squash(slices.Clone(o.names), "")
		return councilKey(strings.TrimSuffix(strings.TrimPrefix(n[len(n)-1].value, "NHS "), " CCG"))
	}
	// state per small area per period.
	type state struct{ kind, area, council string }
	codes := slices.Sorted(maps.Keys(known))
	states := make([][]state, len(periods))
	unassigned := map[int]int{}
	splitWhy := make([]map[string]bool, len(periods))
	for i := range splitWhy {
		splitWhy[i] = map[string]bool{}
	}
	for pi, per := range periods {
		states[pi] = make([]state, len(codes))
		for si, code := range codes {
			pr := read[per.lookup][code]
			st := state{per.kind, pr.area, pr.council}
			if per.unions {
				if u, ok := b.lad23Of[st.council]; ok {
					st.council = u
				}
			}
			if sp := b.splits[st.area]; sp != nil && per.from >= sp.date {
				to, ok := sp.parts[county(pr.council, era.icbs)]
				if !ok {
					return fmt.Errorf("derivations.csv: %w: small area %s of %s (council %s) has no split-by-county row", errBadData, code, st.area, pr.council)
				}
				if !splitWhy[pi][sp.method] {
					splitWhy[pi][sp.method] = true
				}
				st.area = to
			}
			if o := b.f.get(per.kind, st.area); (o == nil || !o.holds(per.from)) && per.from < lookups[per.lookup].from {
				// carried back over a merger: the predecessor named after the council
				var cands []string
				for _, s := range b.f.succs {
					if s.toKind == per.kind && s.toCode == st.area && s.fromKind == per.kind && s.date > per.from && s.date <= lookups[per.lookup].from {
						if nameOf(s.fromKind, s.fromCode) == nameOf(kCouncil, st.council) {
							cands = append(cands, s.fromCode)
						}
					}
				}
				if len(cands) == 1 {
					st.area = cands[0]
				} else {
					st.area = ""
					unassigned[pi]++
				}
			}
			if st.area != "" {
				o := b.f.get(per.kind, st.area)
				if o == nil || !o.holds(per.from) || (o.to != "" && (per.to == "" || o.to < per.to)) {
					return fmt.Errorf("%s: %w: small area %s: %s %s does not exist throughout %s to %s", lookups[per.lookup].file.File, errBadData, code, per.kind, st.area, per.from, per.to)
				}
			}
			if o := b.f.get(kCouncil, st.council); o == nil || !o.holds(per.from) || (o.to != "" && (per.to == "" || o.to < per.to)) {
				return fmt.Errorf("%s: %w: small area %s: council %s does not exist throughout %s to %s", lookups[per.lookup].file.File, errBadData, code, st.council, per.from, per.to)
			}
			states[pi][si] = st
		}
	}

	// Memberships: one row per small area per contiguous range of one code.
	// The kind is not written: a council's code is an ONS code (E06–E10), any
	// other code is the CCG before 2022-07-01 and the sub-ICB location from
	// then (a row across 2022-07-01 joins the CCG and the sub-ICB location of
	// the same code; the loader splits it).
	var mrows [][]string
	for si, code := range codes {
		for _, fam := range []func(state) string{
			func(s state) string { return s.area },
			func(s state) string { return s.council },
		} {
			start := 0
			for pi := 1; pi <= len(periods); pi++ {
				c0 := fam(states[start][si])
				if pi < len(periods) && fam(states[pi][si]) == c0 && periods[pi].from == periods[pi-1].to {
					continue
				}
				if c0 != "" {
					mrows = append(mrows, []string{code, c0, periods[start].from, periods[pi-1].to})
				}
				start = pi
			}
		}
	}
	b.add("small_area_memberships.csv", []string{"small_area", "code", "valid_from", "valid_to"}, mrows)

	// Periods: where each membership of a kind on a date comes from.
	var prows [][]string
	for pi, per := range periods {
		src := lookups[per.lookup].id
		why := per.areaWhy
		for _, m := range slices.Sorted(maps.Keys(splitWhy[pi])) {
			why += "; " + m
		}
		if n := unassigned[pi]; n > 0 {
			why += fmt.Sprintf(" (%d small areas have none)", n)
		}
		prows = append(prows, []string{per.kind, per.from, per.to, src, why, ""})
		if per.unions && per.cWhy != "" && per.areaWhy == "" {
			// only the unions are derived: measured for the other councils
			prows = append(prows, []string{kCouncil, per.from, per.to, src, "", ""})
			prows = append(prows, []string{kCouncil, per.from, per.to, src, per.cWhy, strings.Join(slices.Sorted(unique(maps.Values(b.lad23Of))), ";")})
		} else {
			prows = append(prows, []string{kCouncil, per.from, per.to, src, per.cWhy, ""})
		}
	}
	b.add("small_area_periods.csv", []string{"kind", "valid_from", "valid_to", "source", "derived", "areas"}, prows)
	return nil
}

func unique[T comparable](seq func(func(T) bool)) func(func(T) bool) {
	return func(yield func(T) bool) {
		seen := map[T]bool{}
		for v := range seq {
			if !seen[v] {
				seen[v] = true
				if !yield(v) {
					return
				}
			}
		}
	}
}
