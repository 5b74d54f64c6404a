package convert

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ccgYear is one year's CCG list and the lookups that describe it.
type ccgYear struct {
	date, file, prefix, src string
}

// The CCG lists on 1 April of each year (2014: none; the CHD shows no
// changes in 2014). The LSOA lookups give the lists of 2015 and 2016 (the
// July 2015 lookup describes the CCGs of 1 April 2015).
var ccgYears = []ccgYear{
	{"2013-04-01", "history/ons_CCG13_names_codes_Apr2013.csv", "CCG13", srcCCG13},
	{"2015-04-01", "history/ons_LSOA11_CCG15_LAD15_Jul2015.csv", "CCG15", srcLSOA15},
	{"2016-04-01", "history/ons_LSOA11_CCG16_LAD16_Apr2016.csv", "CCG16", srcLSOA16},
	{"2017-04-01", "history/ons_CCG17_names_codes_Apr2017_v3.csv", "CCG17", srcCCG17},
	{"2018-04-01", "history/ons_CCG18_STP18_Apr2018_v2.csv", "CCG18", srcCCG18STP},
	{"2019-04-01", "history/ons_CCG19_names_codes_Apr2019.csv", "CCG19", srcCCG19},
	{"2020-04-01", "history/ons_CCG20_names_codes_Apr2020.csv", "CCG20", srcCCG20Names},
	{"2021-04-01", "ons_ccg21_stp21_nhser21_lookup_apr2021.csv", "CCG21", srcNHSER21},
}

// history reads the CCG era (2013–2022): CCGs from the yearly ONS lists with
// their names and ONS codes, their validity from the ODS eccg open and close
// dates; STPs from the ONS Code History (E54) keyed by ODS code where the
// 2020/2021 lookups give one, else by ONS code; CCG → STP (2017–2021),
// CCG → Cancer Alliance (2017, 2018, July 2019, 2021) and CCG → region (2013,
// 2017, 2018, 2021) per snapshot.
func (b *builder) history() error {
	exist := newSeries(icbStart)
	for i, y := range ccgYears {
		exist.dates = append(exist.dates, y.date)
		s, err := readCSV(b.rawPath(y.file), true, y.prefix+"CD", y.prefix+"CDH", y.prefix+"NM")
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for j, r := range s.rows {
			code := s.col(r, y.prefix+"CDH")
			if code == "" {
				return fmt.Errorf("%s: %w: CCG without an ODS code", s.where(j), errBadData)
			}
			if seen[code] {
				continue // LSOA lookups list each CCG once per small area
			}
			seen[code] = true
			o := b.f.org(kCCG, code)
			o.name(y.date, s.col(r, y.prefix+"NM"), y.src)
			o.onsCode(y.date, s.col(r, y.prefix+"CD"), y.src)
			exist.see(i, y.src, code)
		}
	}
	exist.runs(func(k []string, from, to, src string) {
		o := b.f.org(kCCG, k[0])
		o.widen(from, to)
		o.basis = "the yearly ONS CCG lists (1 April 2013, 2015–2021)"
	})
	// ODS close dates, where the eccg file has the CCG, must agree (an ODS
	// open date can precede the first 1 April a CCG operated: 13T opened in
	// ODS on 2014-11-26 and first appears on 1 April 2015).
	s, err := readCSV(b.histPath("ods_eccg_recent_all_closed_ccgs.csv"), false)
	if err != nil {
		return err
	}
	for i, r := range s.rows {
		o := b.f.get(kCCG, r[0])
		if o == nil || len(r) < 12 {
			continue
		}
		open, err := isoDate(r[10])
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		closed, err := isoDate(r[11])
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		to := icbStart
		if closed != "" {
			if to, err = dayAfter(closed); err != nil {
				return err
			}
		}
		if open > o.from || to != o.to {
			return fmt.Errorf("%s: %w: CCG %s open %s–%s in ODS, %s–%s in the ONS lists", s.where(i), errBadData, r[0], open, to, o.from, o.to)
		}
		o.basis = "the yearly ONS CCG lists (from the 1 April it first appears); the close date agrees with ODS eccg"
		o.src(srcECCG)
	}

	// STPs from the Code History: periods before July 2022 only (the same
	// ONS codes went on as ICB codes); one-day entries of 2020-03-31 are
	// artefacts of the 2020 code changes and are skipped.
	for _, l := range []struct{ file, prefix string }{
		{"history/ons_STP20_names_codes_Apr2020.csv", "STP20"},
		{"ons_ccg21_stp21_nhser21_lookup_apr2021.csv", "STP21"},
	} {
		s, err := readCSV(b.rawPath(l.file), true, l.prefix+"CD", l.prefix+"CDH")
		if err != nil {
			return err
		}
		for _, r := range s.rows {
			b.stpByONS[s.col(r, l.prefix+"CD")] = s.col(r, l.prefix+"CDH")
		}
	}
	chd, err := readCHD(b.histPath("chd2024_derived_E54.json"))
	if err != nil {
		return err
	}
	for cd, entries := range chd {
		key := b.stpByONS[cd]
		if key == "" {
			key = cd
		}
		for _, e := range entries {
			if e.Date.S >= icbStart || e.Date.S == e.Date.E {
				continue
			}
			end := e.Date.E
			if end == "2020-03-30" {
				// E54000033 ends a day before the others of 2020 (whose new
				// codes have one-day entries on 2020-03-31, skipped above).
				end = "2020-03-31"
			}
			to, err := dayAfter(end)
			if err != nil {
				return err
			}
			b.stpByONS[cd] = key
			o := b.f.org(kSTP, key)
			o.widen(e.Date.S, min(to, icbStart))
			o.name(e.Date.S, e.Nm, srcCHD54)
			o.onsCode(e.Date.S, cd, srcCHD54)
			o.basis = "ONS Code History Database (E54): the periods of its ONS code before July 2022"
			if key == cd {
				o.basis += "; no ODS code in the files (STP ODS codes appear in the 2020 lookups), so keyed by its ONS code"
			}
		}
	}

	// Memberships per snapshot.
	stp := newSeries(icbStart, "2017-04-01", "2018-04-01", "2019-04-01", "2020-04-01", "2021-04-01")
	for i, l := range []struct{ file, ccg, stp, src string }{
		{"history/ons_CCG17_STP17_Apr2017_v3.csv", "CCG17CDH", "STP17CD", srcCCG17STP},
		{"history/ons_CCG18_STP18_Apr2018_v2.csv", "CCG18CDH", "STP18CD", srcCCG18STP},
		{"history/ons_CCG19_STP19_Apr2019.csv", "CCG19CDH", "STP19CD", srcCCG19STP},
		{"history/ons_CCG20_STP20_Apr2020.csv", "CCG20CDH", "STP20CD", srcCCG20},
		{"ons_ccg21_stp21_nhser21_lookup_apr2021.csv", "CCG21CDH", "STP21CD", srcNHSER21},
	} {
		s, err := readCSV(b.rawPath(l.file), true, l.ccg, l.stp)
		if err != nil {
			return err
		}
		for j, r := range s.rows {
			key := b.stpByONS[s.col(r, l.stp)]
			if key == "" || b.f.get(kCCG, s.col(r, l.ccg)) == nil {
				return fmt.Errorf("%s: %w: unknown CCG %s or STP %s", s.where(j), errBadData, s.col(r, l.ccg), s.col(r, l.stp))
			}
			stp.see(i, l.src, s.col(r, l.ccg), key)
		}
	}
	stp.runs(func(k []string, from, to, src string) { b.f.rel("PART_OF", kCCG, k[0], kSTP, k[1], from, to, src, "") })

	ca := newSeries("", "2017-04-01", "2018-04-01", "2019-07-01", "2021-04-01")
	caExist := newSeries("", ca.dates...)
	for i, l := range []struct{ file, ccg, cal, src string }{
		{"history/ons_CCG17_STP17_CALNCV17_Apr2017_v3.csv", "CCG17CDH", "CALNCV17", srcCAL17},
		{"history/ons_CCG18_STP18_CALNCV18_Apr2018_v2.csv", "CCG18CDH", "CALNCV18", srcCAL18},
		{"history/ons_CCG19_STP19_CAL19_Jul2019.csv", "CCG19CDH", "CAL19", srcCAL19},
		{"ons_ccg21_stp21_cal21_lookup_apr2021.csv", "CCG21CDH", "CAL21", srcCAL21},
	} {
		s, err := readCSV(b.rawPath(l.file), true, l.ccg, l.cal+"CD", l.cal+"NM")
		if err != nil {
			return err
		}
		for j, r := range s.rows {
			code, cal := s.col(r, l.ccg), s.col(r, l.cal+"CD")
			if b.f.get(kCCG, code) == nil || cal == "" {
				return fmt.Errorf("%s: %w: unknown CCG %s or no alliance", s.where(j), errBadData, code)
			}
			o := b.f.org(kAlliance, cal)
			o.name(ca.dates[i], s.col(r, l.cal+"NM"), l.src)
			o.onsCode(ca.dates[i], cal, l.src)
			caExist.see(i, l.src, cal)
			ca.see(i, l.src, code, cal)
		}
	}
	caExist.runs(func(k []string, from, to, src string) {
		o := b.f.org(kAlliance, k[0])
		o.widen(from, to)
		o.basis = "the CCG → Cancer Alliance lookups of April 2017, April 2018, July 2019 and April 2021 (the newest; no later file)"
	})
	ca.runs(func(k []string, from, to, src string) {
		b.f.rel("IN_CANCER_ALLIANCE", kCCG, k[0], kAlliance, k[1], from, to, src, "")
	})

	reg := newSeries(icbStart, "2013-04-01", "2015-04-01", "2016-04-01", "2017-04-01", "2018-04-01", "2019-04-01", "2020-04-01", "2021-04-01")
	// 2015, 2016, 2019 and 2020 have no CCG → region lookup: the Code History
	// gives each CCG's parent (a local office, E39, or an STP, E54) and theirs (E40).
	chainDates := map[int]string{1: "2015-04-01", 2: "2016-04-01", 5: "2019-04-01", 6: "2020-04-01"}
	chains, err := b.chdRegions(slices.Collect(maps.Values(chainDates)))
	if err != nil {
		return err
	}
	for j, d := range chainDates {
		for _, o := range b.f.orgs {
			if o.kind != kCCG || !o.holds(d) {
				continue
			}
			for _, x := range squash(slices.Clone(o.ons), "") {
				if rg := chains[d][x.value]; rg != "" && x.from <= d {
					reg.see(j, srcCHD38, o.code, rg)
				}
			}
		}
	}
	for i, l := range []struct{ file, ccg, region, src string }{
		{"history/ons_CCG13_NHSAT13_NHSCR13_Apr2013.csv", "CCG13CD", "NHSCR13CD", srcCCG13Region},
		{"", "", "", ""},
		{"", "", "", ""},
		{"history/ons_CCG17_NHSRLO17_NHSER17_Apr2017_v3.csv", "CCG17CD", "NHSER17CD", srcCCG17Region},
		{"history/ons_CCG18_NHSRLO18_NHSER18_Apr2018.csv", "CCG18CD", "NHSER18CD", srcCCG18Region},
		{"", "", "", ""},
		{"", "", "", ""},
		{"ons_ccg21_stp21_nhser21_lookup_apr2021.csv", "CCG21CD", "NHSER21CD", srcNHSER21},
	} {
		if l.file == "" {
			continue // from the Code History above
		}
		s, err := readCSV(b.rawPath(l.file), true, l.ccg, l.region)
		if err != nil {
			return err
		}
		// These lookups name CCGs by ONS code: find the CCG that held it then.
		byONS := map[string]string{}
		for _, o := range b.f.orgs {
			if o.kind != kCCG {
				continue
			}
			for _, x := range o.ons {
				if x.from <= reg.dates[i] && o.holds(reg.dates[i]) {
					byONS[x.value] = o.code
				}
			}
		}
		for j, r := range s.rows {
			code, rg := byONS[s.col(r, l.ccg)], b.regionByONS[s.col(r, l.region)]
			if code == "" || rg == "" {
				return fmt.Errorf("%s: %w: unknown CCG %s or region %s", s.where(j), errBadData, s.col(r, l.ccg), s.col(r, l.region))
			}
			reg.see(i, l.src, code, rg)
			if i == 7 {
				if st := b.f.get(kSTP, b.stpByONS[s.col(r, "STP21CD")]); st != nil {
					b.f.rel("IN_REGION", kSTP, st.code, kRegion, rg, "2021-04-01", icbStart, srcNHSER21, "")
				}
			}
		}
	}
	reg.runs(func(k []string, from, to, src string) {
		b.f.rel("IN_REGION", kCCG, k[0], kRegion, k[1], from, to, src, "")
	})

	// STP → region, 2017–2020: the region of all its CCGs on that 1 April
	// (derived; every STP's CCGs share one region). 2021: the lookup above.
	stpReg := newSeries("2021-04-01", "2017-04-01", "2018-04-01", "2019-04-01", "2020-04-01")
	for i, d := range stpReg.dates {
		regions := map[string]map[string]bool{}
		for _, r := range b.f.rels {
			if r.typ != "PART_OF" || r.fromKind != kCCG || !(r.from <= d && (r.to == "" || r.to > d)) {
				continue
			}
			for _, q := range b.f.rels {
				if q.typ == "IN_REGION" && q.fromKind == kCCG && q.fromCode == r.fromCode && q.from <= d && (q.to == "" || q.to > d) {
					if regions[r.toCode] == nil {
						regions[r.toCode] = map[string]bool{}
					}
					regions[r.toCode][q.toCode] = true
				}
			}
		}
		for st, rs := range regions {
			if len(rs) == 1 {
				stpReg.see(i, []string{srcCCG17STP, srcCCG18STP, srcCCG19STP, srcCCG20}[i], st, slices.Collect(maps.Keys(rs))[0])
			}
		}
	}
	stpReg.runs(func(k []string, from, to, src string) {
		b.f.rel("IN_REGION", kSTP, k[0], kRegion, k[1], from, to, src, "derived: the region of every CCG of the STP on that date (no STP → region lookup before April 2021)")
	})
	return nil
}

// chdRegions resolves, for each date, the region (key) of every CCG ONS code
// through the Code History: the CCG's parent on that date (E39 local office
// or E54 STP) and that parent's parent (E40).
func (b *builder) chdRegions(dates []string) (map[string]map[string]string, error) {
	all := map[string][]chdEntry{}
	for _, f := range []string{"chd2024_derived_E38.json", "chd2024_derived_E39.json", "chd2024_derived_E54.json"} {
		m, err := readCHD(b.histPath(f))
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			all[k] = v
		}
	}
	parent := func(code, d string) string {
		for _, e := range all[code] {
			if e.Date.S <= d && (e.Date.E == "" || e.Date.E >= d) {
				return e.Parent
			}
		}
		return ""
	}
	out := map[string]map[string]string{}
	for _, d := range dates {
		out[d] = map[string]string{}
		for code := range all {
			if !strings.HasPrefix(code, "E38") {
				continue
			}
			p := parent(code, d)
			if strings.HasPrefix(p, "E39") || strings.HasPrefix(p, "E54") {
				p = parent(p, d)
			}
			if rg := b.regionByONS[p]; rg != "" {
				out[d][code] = rg
			}
		}
	}
	return out, nil
}
