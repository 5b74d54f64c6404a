package convert

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// The CCG lists on 1 April of each year are the manifest's ccg-list files
// (today: 2013, and 2015–2021; 2014: none, the CHD shows no changes in 2014;
// the LSOA lookups give the lists of 2015 and 2016, the July 2015 lookup
// describing the CCGs of 1 April 2015).

// history reads the CCG era (2013–2022): CCGs from the yearly ONS lists with
// their names and ONS codes, their validity from the ODS eccg open and close
// dates; STPs from the ONS Code History (E54) keyed by ODS code where the
// 2020/2021 lookups give one, else by ONS code; CCG → STP (2017–2021),
// CCG → Cancer Alliance (2017, 2018, July 2019, 2021) and CCG → region (2013,
// 2017, 2018, 2021) per snapshot.
func (b *builder) history() error {
	exist := newSeries(era.icbs)
	ccgYears := b.filesWith("ccg-list")
	for i, f := range ccgYears {
		y := struct{ date, src string }{f.DescribesFrom, f.ID}
		exist.dates = append(exist.dates, y.date)
		s, err := b.open(f, "ccg_ons", "ccg_ods", "ccg_name")
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for j, r := range s.rows {
			code := s.col(r, "ccg_ods")
			if code == "" {
				return fmt.Errorf("%s: %w: CCG without an ODS code", s.where(j), errBadData)
			}
			if seen[code] {
				continue // LSOA lookups list each CCG once per small area
			}
			seen[code] = true
			o := b.f.org(kCCG, code)
			o.name(y.date, s.col(r, "ccg_name"), y.src)
			o.onsCode(y.date, s.col(r, "ccg_ons"), y.src)
			exist.see(i, y.src, code)
		}
		if err := checkCount(f, kCCG, len(seen)); err != nil {
			return err
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
	eccg, err := b.file("ccg-extract")
	if err != nil {
		return err
	}
	srcECCG := eccg.ID
	s, err := b.open(eccg, "code", "open_date", "close_date")
	if err != nil {
		return err
	}
	for i, r := range s.rows {
		o := b.f.get(kCCG, s.col(r, "code"))
		if o == nil || len(r) <= s.header["close_date"] {
			continue
		}
		open, err := isoDate(s.col(r, "open_date"))
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		closed, err := isoDate(s.col(r, "close_date"))
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		to := era.icbs
		if closed != "" {
			if to, err = dayAfter(closed); err != nil {
				return err
			}
		}
		if open > o.from || to != o.to {
			return fmt.Errorf("%s: %w: CCG %s open %s–%s in ODS, %s–%s in the ONS lists", s.where(i), errBadData, o.code, open, to, o.from, o.to)
		}
		o.basis = "the yearly ONS CCG lists (from the 1 April it first appears); the close date agrees with ODS eccg"
		o.src(srcECCG)
	}

	// STPs from the Code History: periods before July 2022 only (the same
	// ONS codes went on as ICB codes); one-day entries of 2020-03-31 are
	// artefacts of the 2020 code changes and are skipped.
	for _, l := range b.filesWith("stp-list") {
		s, err := b.open(l, "stp_ons", "stp_ods")
		if err != nil {
			return err
		}
		for _, r := range s.rows {
			b.stpByONS[s.col(r, "stp_ons")] = s.col(r, "stp_ods")
		}
	}
	chd, err := b.readCHDEntity("E54")
	if err != nil {
		return err
	}
	srcCHD54 := b.chdID("E54")
	for cd, entries := range chd {
		key := b.stpByONS[cd]
		if key == "" {
			key = cd
		}
		for _, e := range entries {
			if e.Date.S >= era.icbs || e.Date.S == e.Date.E {
				continue
			}
			end := e.Date.E
			// code-end-date corrections (corrections.csv): "old>new".
			if c := b.correct("code-end-date", cd); c != "" {
				if o, n, ok := strings.Cut(c, ">"); ok && end == o {
					end = n
				}
			}
			to, err := dayAfter(end)
			if err != nil {
				return err
			}
			b.stpByONS[cd] = key
			o := b.f.org(kSTP, key)
			o.widen(e.Date.S, min(to, era.icbs))
			o.name(e.Date.S, e.Nm, srcCHD54)
			o.onsCode(e.Date.S, cd, srcCHD54)
			o.basis = "ONS Code History Database (E54): the periods of its ONS code before July 2022"
			if key == cd {
				o.basis += "; no ODS code in the files (STP ODS codes appear in the 2020 lookups), so keyed by its ONS code"
			}
		}
	}

	// Memberships per snapshot.
	stpLookups := b.filesWith("ccg-stp-lookup")
	stp := newSeries(era.icbs)
	for _, f := range stpLookups {
		stp.dates = append(stp.dates, f.DescribesFrom)
	}
	for i, f := range stpLookups {
		s, err := b.open(f, "ccg_ods", "stp_ons")
		if err != nil {
			return err
		}
		for j, r := range s.rows {
			key := b.stpByONS[s.col(r, "stp_ons")]
			if key == "" || b.f.get(kCCG, s.col(r, "ccg_ods")) == nil {
				return fmt.Errorf("%s: %w: unknown CCG %s or STP %s", s.where(j), errBadData, s.col(r, "ccg_ods"), s.col(r, "stp_ons"))
			}
			stp.see(i, f.ID, s.col(r, "ccg_ods"), key)
		}
	}
	stp.runs(func(k []string, from, to, src string) { b.f.rel("PART_OF", kCCG, k[0], kSTP, k[1], from, to, src, "") })

	calLookups := b.filesWith("ccg-alliance-lookup")
	ca := newSeries("")
	for _, f := range calLookups {
		ca.dates = append(ca.dates, f.DescribesFrom)
	}
	caExist := newSeries("", ca.dates...)
	for i, f := range calLookups {
		l := struct{ src string }{f.ID}
		s, err := b.open(f, "ccg_ods", "alliance_ons", "alliance_name")
		if err != nil {
			return err
		}
		for j, r := range s.rows {
			code, cal := s.col(r, "ccg_ods"), s.col(r, "alliance_ons")
			if b.f.get(kCCG, code) == nil || cal == "" {
				return fmt.Errorf("%s: %w: unknown CCG %s or no alliance", s.where(j), errBadData, code)
			}
			o := b.f.org(kAlliance, cal)
			o.name(ca.dates[i], s.col(r, "alliance_name"), l.src)
			o.onsCode(ca.dates[i], cal, l.src)
			caExist.see(i, l.src, cal)
			ca.see(i, l.src, code, cal)
		}
	}
	caExist.runs(func(k []string, from, to, src string) {
		o := b.f.org(kAlliance, k[0])
		o.widen(from, to)
		o.basis = "the CCG → Cancer Alliance lookups of " + monthList(calLookups) + " (the newest; no later file)"
	})
	ca.runs(func(k []string, from, to, src string) {
		b.f.rel("IN_CANCER_ALLIANCE", kCCG, k[0], kAlliance, k[1], from, to, src, "")
	})

	// CCG → region on the date of each CCG list: from the CCG → region
	// lookup of that date, else (today 2015, 2016, 2019 and 2020) from the
	// Code History, which gives each CCG's parent (a local office, E39, or an
	// STP, E54) and theirs (E40).
	reg := newSeries(era.icbs, exist.dates...)
	regLookups := map[int]manifest.File{}
	chainDates := map[int]string{}
	for i, d := range reg.dates {
		found := false
		for _, f := range b.filesWith("ccg-region-lookup") {
			if f.DescribesFrom == d {
				regLookups[i], found = f, true
			}
		}
		if !found {
			chainDates[i] = d
		}
	}
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
					reg.see(j, b.chdID("E38"), o.code, rg)
				}
			}
		}
	}
	stpRegionFrom := ""
	for _, i := range slices.Sorted(maps.Keys(regLookups)) {
		f := regLookups[i]
		l := struct{ src string }{f.ID}
		s, err := b.open(f, "ccg_ons", "region_ons")
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
		// A lookup that also gives each CCG's STP gives the STPs' regions.
		withSTP := f.Col("stp_ons") != ""
		if withSTP {
			stpRegionFrom = f.DescribesFrom
		}
		for j, r := range s.rows {
			code, rg := byONS[s.col(r, "ccg_ons")], b.regionByONS[s.col(r, "region_ons")]
			if code == "" || rg == "" {
				return fmt.Errorf("%s: %w: unknown CCG %s or region %s", s.where(j), errBadData, s.col(r, "ccg_ons"), s.col(r, "region_ons"))
			}
			reg.see(i, l.src, code, rg)
			if withSTP {
				if st := b.f.get(kSTP, b.stpByONS[s.col(r, "stp_ons")]); st != nil {
					b.f.rel("IN_REGION", kSTP, st.code, kRegion, rg, f.DescribesFrom, era.icbs, f.ID, "")
				}
			}
		}
	}
	reg.runs(func(k []string, from, to, src string) {
		b.f.rel("IN_REGION", kCCG, k[0], kRegion, k[1], from, to, src, "")
	})

	// STP → region, 2017–2020: the region of all its CCGs on that 1 April
	// (derived; every STP's CCGs share one region). 2021: the lookup above.
	// (derived; every STP's CCGs share one region) until the lookup above.
	stpReg := newSeries(stpRegionFrom)
	var stpRegSrc []string
	for _, f := range stpLookups {
		if f.DescribesFrom < stpRegionFrom {
			stpReg.dates, stpRegSrc = append(stpReg.dates, f.DescribesFrom), append(stpRegSrc, f.ID)
		}
	}
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
				stpReg.see(i, stpRegSrc[i], st, slices.Collect(maps.Keys(rs))[0])
			}
		}
	}
	stpReg.runs(func(k []string, from, to, src string) {
		b.f.rel("IN_REGION", kSTP, k[0], kRegion, k[1], from, to, src, b.derive("stp-region-from-ccgs", "*", "*", from))
	})
	return nil
}

// chdRegions resolves, for each date, the region (key) of every CCG ONS code
// through the Code History: the CCG's parent on that date (E39 local office
// or E54 STP) and that parent's parent (E40).
func (b *builder) chdRegions(dates []string) (map[string]map[string]string, error) {
	all := map[string][]chdEntry{}
	for _, entity := range []string{"E38", "E39", "E54"} {
		m, err := b.readCHDEntity(entity)
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
