package convert

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Small areas: the 32,844 English LSOAs of 2011 with their mid-2015
// residents, and their membership, period by period, of councils and of CCGs
// or sub-ICB locations (small_areas.csv, small_area_memberships.csv,
// small_area_periods.csv). Every area kind is, on each date, a union of these
// small areas: councils and base areas directly, ICSs, STPs, Cancer Alliances,
// Clinical Senates and regions through the base areas part of them then.

// SmallAreaLookup is one ONS small-area lookup: the file (under the raw
// directory), the first day of the period it describes, the kind of its
// area column and the names of its columns.
type SmallAreaLookup struct {
	File      string // path under the raw directory
	Sheet     string // worksheet of an .xlsx file ("" for CSV)
	HeaderRow int    // header row of a worksheet (1-based)
	From      string // first day of the period the lookup describes
	Kind      string // CCG or SUB_ICB_LOCATION
	LSOA      string // column of the 2011 LSOA code
	Area      string // column of the CCG or sub-ICB location's ODS code
	Council   string // column of the council's ONS code
	Source    string // source id (sources.csv)
}

// SmallAreaLookups are the lookups the converter reads by default (the
// sources manifest can name them instead).
var SmallAreaLookups = []SmallAreaLookup{
	{File: "history/ons_LSOA11_CCG15_LAD15_Jul2015.csv", From: "2015-04-01", Kind: kCCG, LSOA: "LSOA11CD", Area: "CCG15CDH", Council: "LAD15CD", Source: srcLSOA15},
	{File: "history/ons_LSOA11_CCG16_LAD16_Apr2016.csv", From: "2016-04-01", Kind: kCCG, LSOA: "LSOA11CD", Area: "CCG16CDH", Council: "LAD16CD", Source: srcLSOA16},
	{File: "history/ons_LSOA11_CCG17_LAD17_Apr2017_v4.csv", From: "2017-04-01", Kind: kCCG, LSOA: "LSOA11CD", Area: "CCG17CDH", Council: "LAD17CD", Source: srcLSOA17},
	{File: "history/ons_LSOA11_CCG18_LAD18_Apr2018.csv", From: "2018-04-01", Kind: kCCG, LSOA: "LSOA11CD", Area: "CCG18CDH", Council: "LAD18CD", Source: srcLSOA18},
	{File: "history/ons_LSOA11_CCG19_LAD19_Apr2019.csv", From: "2019-04-01", Kind: kCCG, LSOA: "LSOA11CD", Area: "CCG19CDH", Council: "LAD19CD", Source: srcLSOA19},
	{File: "history/ons_LSOA11_CCG20_LAD20_Apr2020.csv", From: "2020-04-01", Kind: kCCG, LSOA: "LSOA11CD", Area: "CCG20CDH", Council: "LAD20CD", Source: srcLSOA20},
	{File: "ons_lsoa11_loc22_icb22_lad22_lookup_jul2022.xlsx", Sheet: "LSOA11_LOC22_ICB22_LAD22", HeaderRow: 1, From: icbStart, Kind: kSub,
		LSOA: "LSOA11CD", Area: "LOC22CDH", Council: "LAD22CD", Source: srcLSOA},
}

// SmallAreaMeasures are the small-area figures of the population file: the
// column of small_areas.csv and the column of the raw file.
var SmallAreaMeasures = [][2]string{
	{"residents2015", "Total population: mid 2015 (excluding prisoners)"},
	{"aged0to15_2015", "Dependent Children aged 0-15: mid 2015 (excluding prisoners)"},
	{"aged16to59_2015", "Population aged 16-59: mid 2015 (excluding prisoners)"},
	{"aged60plus_2015", "Older population aged 60 and over: mid 2015 (excluding prisoners)"},
	{"workingAge2015", "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)"},
}

// Periods the lookups do not describe, derived from the nearest lookup and
// the recorded successions.
const (
	lookupsEnd = "2024-04-01" // the July 2022 lookup is taken to describe the sub-ICB locations until the April 2024 list (the same codes)
	ccg21      = "2021-04-01" // CCGs of April 2021 = sub-ICB locations of July 2022
)

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
func (b *builder) smallAreas() error { return b.smallAreasFrom(SmallAreaLookups) }

func (b *builder) smallAreasFrom(lookups []SmallAreaLookup) error {
	// Measures.
	cols := []string{"LSOA code (2011)"}
	for _, m := range SmallAreaMeasures {
		cols = append(cols, m[1])
	}
	p, err := readCSV(b.rawPath("mhclg_iod2019_population_denominators_lsoa11_mid2015.csv"), true, cols...)
	if err != nil {
		return err
	}
	var rows [][]string
	known := map[string]bool{}
	for i, r := range p.rows {
		code := p.col(r, "LSOA code (2011)")
		if !strings.HasPrefix(code, "E01") || known[code] {
			return fmt.Errorf("%s: %w: small area %q is not an English LSOA or is repeated", p.where(i), errBadData, code)
		}
		known[code] = true
		row := []string{code}
		for _, m := range SmallAreaMeasures {
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
	for _, m := range SmallAreaMeasures {
		header = append(header, m[0])
	}
	b.add("small_areas.csv", header, rows)

	// Lookups: small area → (area, council), each complete.
	type pair struct{ area, council string }
	read := make([]map[string]pair, len(lookups))
	for li, l := range lookups {
		var s *sheet
		if l.Sheet != "" {
			s, err = readXLSX(b.rawPath(l.File), l.Sheet, l.HeaderRow, l.LSOA, l.Area, l.Council)
		} else {
			s, err = readCSV(b.rawPath(l.File), true, l.LSOA, l.Area, l.Council)
		}
		if err != nil {
			return err
		}
		m := map[string]pair{}
		for i, r := range s.rows {
			code := s.col(r, l.LSOA)
			if !known[code] {
				return fmt.Errorf("%s: %w: small area %q is not in the population file", s.where(i), errBadData, code)
			}
			if _, dup := m[code]; dup {
				return fmt.Errorf("%s: %w: small area %s listed twice", s.where(i), errBadData, code)
			}
			m[code] = pair{s.col(r, l.Area), s.col(r, l.Council)}
		}
		if len(m) != len(known) {
			return fmt.Errorf("%s: %w: %d small areas, the population file has %d", s.file, errBadData, len(m), len(known))
		}
		read[li] = m
	}
	last := len(lookups) - 1
	if lookups[last].Kind != kSub || lookups[last].From != icbStart {
		return fmt.Errorf("%w: the newest small-area lookup must be the July 2022 sub-ICB lookup, got %s", errBadData, lookups[last].File)
	}

	// The periods: each lookup's, and the derived ones around them.
	var periods []saPeriod
	periods = append(periods, saPeriod{from: dataStart, to: lookups[0].From, lookup: 0, kind: kCCG,
		areaWhy: "derived: no LSOA → CCG lookup for " + dataStart + " to " + lookups[0].From + " in the files; the " + lookups[0].Source + " lookup is carried back (the CCGs of 2013 are those of 2015 except those merged on " + lookups[0].From + ", whose small areas go to the predecessor named after their council, or to none where no predecessor is)",
		cWhy:    "derived: the " + lookups[0].Source + " lookup's councils carried back to " + dataStart + " (no council changed in between)"})
	for i, l := range lookups[:last] {
		to := lookups[i+1].From
		if i+1 == last {
			to = ccg21
		}
		periods = append(periods, saPeriod{from: l.From, to: to, lookup: i, kind: l.Kind})
	}
	periods = append(periods,
		saPeriod{from: ccg21, to: icbStart, lookup: last, kind: kCCG,
			areaWhy: "derived: no LSOA → CCG lookup for " + ccg21 + " to " + icbStart + " in the files; the July 2022 LSOA → sub-ICB lookup serves, as the CCGs of April 2021 are the sub-ICB locations of July 2022 under the same codes",
			cWhy:    "derived: the councils of the July 2022 lookup (LAD22) serve from " + ccg21 + ", when the council list last changed before 2023"},
		saPeriod{from: icbStart, to: council23, lookup: last, kind: kSub},
		saPeriod{from: council23, to: lookupsEnd, lookup: last, kind: kSub, unions: true,
			cWhy: "derived: the unitary councils of " + council23 + " are unions of whole districts of 2022 (successions.csv); their small areas are their districts'"},
		saPeriod{from: lookupsEnd, to: icb26, lookup: last, kind: kSub, unions: true,
			areaWhy: "derived: no LSOA → sub-ICB lookup after the July 2022 one in the files; carried forward from " + lookupsEnd + " (the sub-ICB locations of the April 2023 and April 2024 lists are those of July 2022)",
			cWhy:    "derived: the councils of the July 2022 lookup, with the unions of " + council23 + ", carried forward from " + lookupsEnd},
		saPeriod{from: icb26, to: "", lookup: last, kind: kSub, unions: true, split: true,
			areaWhy: "derived: the July 2022 lookup carried forward; " + d4u1yMethod,
			cWhy:    "derived: the councils of the July 2022 lookup, with the unions of " + council23 + ", carried forward from " + lookupsEnd},
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
	var splitTo []string
	for _, s := range b.f.succs {
		if s.fromKind == kSub && s.fromCode == "D4U1Y" {
			splitTo = append(splitTo, s.toCode)
		}
	}
	slices.Sort(splitTo)
	if want := slices.Sorted(maps.Values(d4u1ySplit)); !slices.Equal(splitTo, want) {
		return fmt.Errorf("%w: D4U1Y's successors are %v, the split rule gives %v", errBadData, splitTo, want)
	}

	// state per small area per period.
	type state struct{ kind, area, council string }
	codes := slices.Sorted(maps.Keys(known))
	states := make([][]state, len(periods))
	unassigned := map[int]int{}
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
			if per.split && st.area == "D4U1Y" {
				to, ok := d4u1ySplit[county(pr.council, icbStart)]
				if !ok {
					return fmt.Errorf("%w: small area %s of D4U1Y (council %s) has no split rule", errBadData, code, pr.council)
				}
				st.area = to
			}
			if o := b.f.get(per.kind, st.area); (o == nil || !o.holds(per.from)) && per.from < lookups[per.lookup].From {
				// carried back over a merger: the predecessor named after the council
				var cands []string
				for _, s := range b.f.succs {
					if s.toKind == per.kind && s.toCode == st.area && s.fromKind == per.kind && s.date > per.from && s.date <= lookups[per.lookup].From {
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
					return fmt.Errorf("%s: %w: small area %s: %s %s does not exist throughout %s to %s", lookups[per.lookup].File, errBadData, code, per.kind, st.area, per.from, per.to)
				}
			}
			if o := b.f.get(kCouncil, st.council); o == nil || !o.holds(per.from) || (o.to != "" && (per.to == "" || o.to < per.to)) {
				return fmt.Errorf("%s: %w: small area %s: council %s does not exist throughout %s to %s", lookups[per.lookup].File, errBadData, code, st.council, per.from, per.to)
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
		src := lookups[per.lookup].Source
		why := per.areaWhy
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
