package convert

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

type council struct {
	code, regionCode, regionName string
	odsCodes                     map[string]string // ODS LA code → name in the partners file
}

// councilType maps the ONS GSS prefix to the council type.
var councilTypes = map[string]string{
	"E06": "UNITARY",
	"E07": "NON_METROPOLITAN_DISTRICT",
	"E08": "METROPOLITAN_BOROUGH",
	"E09": "LONDON_BOROUGH",
	"E10": "COUNTY",
}

// The district/unitary lists are the manifest's council-list files, each
// dated to the 1 April from which it holds (b.ladLists, oldest first): in
// today's manifest the LSOA → CCG → LAD lookups of 2015–2020, the December
// 2022 LAD list (dated 2021-04-01: the 2021 Northamptonshire changes are the
// only ones between the April 2020 and the July 2022 lookups, and LAD
// changes take effect on 1 April) and the May 2023 ward lookup (296).

// councilLists reads the council lists of 2015–2023 (districts and
// unitaries; county councils from the ward lookups of December 2022 and May
// 2023). A council in the earliest list it could appear in is taken to exist
// from 2013-04-01 (the data start; no file dates it earlier). WITHIN (district
// → county) holds while both exist (a district never changed county).
func (b *builder) councilLists() error {
	var dates []string
	for _, l := range b.ladLists {
		dates = append(dates, l.DescribesFrom)
	}
	exist := newSeries("", dates...)
	for i, f := range b.ladLists {
		l := struct{ date, src string }{f.DescribesFrom, f.ID}
		s, err := b.open(f, "lad_code", "lad_name")
		if err != nil {
			return err
		}
		for j, r := range s.rows {
			code := s.col(r, "lad_code")
			if !strings.HasPrefix(code, "E") {
				continue // Wales, Scotland, Northern Ireland
			}
			if councilTypes[code[:min(3, len(code))]] == "" {
				return fmt.Errorf("%s: %w: %q is not an English district or unitary code", s.where(j), errBadData, code)
			}
			o := b.f.org(kCouncil, code)
			o.name(l.date, s.col(r, "lad_name"), l.src)
			o.onsCode(l.date, code, l.src)
			exist.see(i, l.src, code)
			c := b.councils[code]
			if c == nil {
				c = &council{code: code, odsCodes: map[string]string{}}
				b.councils[code] = c
			}
			if rg := s.col(r, "region_code"); rg != "" {
				c.regionCode, c.regionName = rg, s.col(r, "region_name")
			}
		}
	}
	exist.runs(func(k []string, from, to, src string) {
		o := b.f.org(kCouncil, k[0])
		if from == dates[0] {
			from = era.start
		}
		o.widen(from, to)
		o.basis = "the council lists of 2015–2023 (LSOA → LAD lookups 2015–2020, LAD December 2022, ward lookup May 2023); in the 2015 list: from the data start"
	})

	// Counties and WITHIN from the ward lookups.
	wards := b.filesWith("ward-council-county-lookup")
	counties := newSeries("")
	for _, f := range wards {
		counties.dates = append(counties.dates, f.DescribesFrom)
	}
	for i, f := range wards {
		l := struct{ src string }{f.ID}
		w, err := b.open(f, "ward_code", "lad_code", "county_code", "county_name", "region_code", "region_name")
		if err != nil {
			return err
		}
		for j, r := range w.rows {
			lad, cty := w.col(r, "lad_code"), w.col(r, "county_code")
			if !strings.HasPrefix(lad, "E") {
				continue
			}
			if b.f.get(kCouncil, lad) == nil {
				return fmt.Errorf("%s: %w: English district %s is not in the LAD list", w.where(j), errBadData, lad)
			}
			if i == 0 {
				b.ward22[w.col(r, "ward_code")] = lad
			} else if old := b.ward22[w.col(r, "ward_code")]; old != "" && old != lad {
				if prev, ok := b.lad23Of[old]; ok && prev != lad {
					return fmt.Errorf("%s: %w: district %s of 2022 lies in %s and %s in 2023", w.where(j), errBadData, old, prev, lad)
				}
				b.lad23Of[old] = lad
			}
			if !strings.HasPrefix(cty, "E10") {
				continue
			}
			o := b.f.org(kCouncil, cty)
			o.name(counties.dates[i], w.col(r, "county_name"), l.src)
			o.onsCode(counties.dates[i], cty, l.src)
			counties.see(i, l.src, cty)
			if b.councils[cty] == nil {
				b.councils[cty] = &council{code: cty, odsCodes: map[string]string{}}
			}
			b.councils[cty].regionCode, b.councils[cty].regionName = w.col(r, "region_code"), w.col(r, "region_name")
			counties.see(i, l.src, lad, cty)
		}
	}
	counties.runs(func(k []string, from, to, src string) {
		if len(k) == 2 {
			b.f.rel("WITHIN", kCouncil, k[0], kCouncil, k[1], era.start, to, src, "")
			return
		}
		o := b.f.org(kCouncil, k[0])
		o.widen(era.start, to)
		o.basis = "the ward → LAD → county lookups of December 2022 and May 2023; a county council of 2022 is taken to exist from the data start"
	})
	return nil
}

// fragKey is a council × area pair.
type fragKey struct{ council, areaKind, area string }

// lsoaFragments aggregates an LSOA lookup with the mid-2015 populations into
// council × area fragments (population, small areas).
func (b *builder) lsoaFragments(s *sheet, lad, area string) (map[fragKey][2]int64, error) {
	out := map[fragKey][2]int64{}
	for i, r := range s.rows {
		n, ok := b.pop15[s.col(r, "lsoa_code")]
		if !ok {
			return nil, fmt.Errorf("%s: %w: small area %s has no mid-2015 population", s.where(i), errBadData, s.col(r, "lsoa_code"))
		}
		k := fragKey{s.col(r, lad), "", s.col(r, area)}
		f := out[k]
		out[k] = [2]int64{f[0] + n, f[1] + 1}
	}
	if len(s.rows) != len(b.pop15) {
		return nil, fmt.Errorf("%s: %w: %d small areas, the population file has %d", s.file, errBadData, len(s.rows), len(b.pop15))
	}
	return out, nil
}

// eraOverlaps turns one period's council × area fragments into overlap
// facts with their shares (of the council, of the area).
func (b *builder) eraOverlaps(frags map[fragKey][2]int64, from, to, src, derived string, derivedOf func(fragKey) string) {
	// Each kind of area partitions a council: its total is per kind.
	council, area := map[[2]string]int64{}, map[[2]string]int64{}
	for k, f := range frags {
		council[[2]string{k.council, k.areaKind}] += f[0]
		area[[2]string{k.areaKind, k.area}] += f[0]
	}
	for k, f := range frags {
		d := derived
		if derivedOf != nil {
			d = join(d, derivedOf(k))
		}
		b.f.ovs = append(b.f.ovs, overlap{k.council, k.areaKind, k.area, from, to, f[0], f[1],
			share(f[0], council[[2]string{k.council, k.areaKind}]), share(f[0], area[[2]string{k.areaKind, k.area}]), src, srcPop, d})
	}
}

// overlaps computes council × CCG (2015–2020, from the yearly LSOA
// lookups), council × sub-ICB location and council × ICB (from July 2022,
// the July 2022 LSOA lookup; April 2023: the new unitaries as sums of their
// districts; April 2026: D4U1Y's fragments re-assigned), and the county
// councils' overlaps as sums of their districts'.
func (b *builder) overlaps() error {
	b.pop15 = map[string]int64{}
	popFile, err := b.file("small-area-population")
	if err != nil {
		return err
	}
	srcPop = popFile.ID
	p, err := b.open(popFile, "lsoa_code", "population")
	if err != nil {
		return err
	}
	for i, r := range p.rows {
		// The manifest declares the thousands separator ("1,296").
		n, err := p.number(r, "population")
		if err != nil {
			return fmt.Errorf("%s: %w: population: %w", p.where(i), errBadData, err)
		}
		b.pop15[p.col(r, "lsoa_code")] = n
	}

	// CCG era: the council lists that are small-area lookups with CCGs.
	ccgLists := b.ccgLists()
	for i, f := range ccgLists {
		l := struct{ date, src string }{f.DescribesFrom, f.ID}
		s, err := b.open(f, "lsoa_code", "ccg_ods", "lad_code")
		if err != nil {
			return err
		}
		frags, err := b.lsoaFragments(s, "lad_code", "ccg_ods")
		if err != nil {
			return err
		}
		b.keepLSOAs(s, "lad_code")
		tagged := map[fragKey][2]int64{}
		for k, f := range frags {
			if b.f.get(kCCG, k.area) == nil || b.f.get(kCouncil, k.council) == nil {
				return fmt.Errorf("%s: %w: unknown CCG %s or council %s", s.file, errBadData, k.area, k.council)
			}
			k.areaKind = kCCG
			tagged[k] = f
		}
		to := b.ladLists[i+1].DescribesFrom
		b.eraOverlaps(tagged, l.date, to, l.src, "", nil)
		b.ccgFrags = append(b.ccgFrags, tagged)
		// Council × STP (from 2017): sums over the STP's CCGs.
		stps := map[fragKey][2]int64{}
		for k, f := range tagged {
			for _, r := range b.f.rels {
				if r.typ == "PART_OF" && r.fromKind == kCCG && r.fromCode == k.area && r.from <= l.date && (r.to == "" || r.to > l.date) {
					sk := fragKey{k.council, kSTP, r.toCode}
					g := stps[sk]
					stps[sk] = [2]int64{g[0] + f[0], g[1] + f[1]}
				}
			}
		}
		if len(stps) > 0 {
			b.eraOverlaps(stps, l.date, to, l.src, b.derive("stp-overlaps-sum", "*", "*", l.date), nil)
		}
	}

	// ICB era.
	var icbLookup *manifest.File
	for _, f := range b.filesWith("small-area-lookup") {
		if f.Col("sub_ods") != "" {
			icbLookup = &f
		}
	}
	if icbLookup == nil || icbLookup.DescribesFrom != era.icbs {
		return fmt.Errorf("%s: %w: no small-area → sub-ICB lookup for %s", b.m.Path, errBadData, era.icbs)
	}
	srcLSOA := icbLookup.ID
	l, err := b.open(*icbLookup, "lsoa_code", "sub_ods", "icb_ods", "lad_code")
	if err != nil {
		return err
	}
	base, err := b.lsoaFragments(l, "lad_code", "sub_ods")
	if err != nil {
		return err
	}
	b.keepLSOAs(l, "lad_code")
	for i, r := range l.rows {
		if b.icbOfSub[era.icbs][l.col(r, "sub_ods")] != l.col(r, "icb_ods") {
			return fmt.Errorf("%s: %w: sub-ICB %s / ICB %s do not match the sub-ICB lookup", l.where(i), errBadData, l.col(r, "sub_ods"), l.col(r, "icb_ods"))
		}
	}
	county := func(c, date string) string {
		for _, r := range b.f.rels {
			if r.typ == "WITHIN" && r.fromCode == c && r.from <= date && (r.to == "" || r.to > date) {
				return r.toCode
			}
		}
		return ""
	}
	eras := append(slices.Clone(b.eraDates), "")
	subsOf := func(e int, ib string) []string {
		var out []string
		for sub, x := range b.icbOfSub[eras[e]] {
			if x == ib {
				out = append(out, sub)
			}
		}
		slices.Sort(out)
		return out
	}
	for e := 0; e+1 < len(eras); e++ {
		date := eras[e]
		frags := map[fragKey][2]int64{}
		why := map[fragKey][]string{}
		addF := func(k fragKey, f [2]int64, ds ...string) {
			g := frags[k]
			frags[k] = [2]int64{g[0] + f[0], g[1] + f[1]}
			for _, d := range ds {
				if d != "" && !slices.Contains(why[k], d) {
					why[k] = append(why[k], d)
				}
			}
		}
		for k, f := range base {
			c, sub, d := k.council, k.area, []string{}
			if date >= era.councils {
				if u, ok := b.lad23Of[c]; ok {
					c, d = u, append(d, b.derive("unitary-overlaps", c, u, era.councils))
				}
			}
			if sp := b.splits[sub]; sp != nil && date >= sp.date {
				to, ok := sp.parts[county(k.council, era.icbs)]
				if !ok {
					return fmt.Errorf("derivations.csv: %w: the %s fragment of council %s (county %q) has no split-by-county row", errBadData, sub, k.council, county(k.council, era.icbs))
				}
				if b.splitPop15[sub] == nil {
					b.splitPop15[sub] = map[string]int64{}
				}
				if date == sp.date {
					b.splitPop15[sub][to] += f[0]
				}
				sub, d = to, append(d, sp.method)
			}
			addF(fragKey{c, kSub, sub}, f, d...)
		}
		// ICBs and counties as sums.
		for k, f := range maps.Clone(frags) {
			ib := b.icbOfSub[date][k.area]
			icbWhy := slices.Clone(why[k])
			if !slices.Equal(subsOf(e, ib), subsOf(0, ib)) {
				icbWhy = append(icbWhy, b.derive("icb-overlaps-sum", "*", "*", date))
			}
			addF(fragKey{k.council, kICS, ib}, f, icbWhy...)
			if cty := county(k.council, date); cty != "" {
				sum := b.derive("county-overlaps-sum", "*", "*", date)
				addF(fragKey{cty, kSub, k.area}, f, append(slices.Clone(why[k]), sum)...)
				addF(fragKey{cty, kICS, ib}, f, append(icbWhy, sum)...)
			}
		}
		b.eraOverlaps(frags, date, eras[e+1], srcLSOA, "", func(k fragKey) string { return strings.Join(slices.Sorted(slices.Values(why[k])), "; ") })
		b.icbFrags = append(b.icbFrags, frags)
	}
	return nil
}

// councilWords are dropped when comparing council names: "Durham County
// Council" and ONS "County Durham" both become "durham".
var councilWords = map[string]bool{"council": true, "county": true, "metropolitan": true, "borough": true,
	"district": true, "city": true, "of": true, "the": true, "royal": true, "corporation": true}

func councilKey(name string) string {
	name = strings.ToLower(strings.NewReplacer("&", " and ", "-", " ", ",", " ", ".", " ", "'", "").Replace(name))
	name = strings.TrimPrefix(strings.TrimSpace(name), "london borough of ")
	var words []string
	for _, w := range strings.Fields(name) {
		if !councilWords[w] {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// partners reads the "ICB Partners" sheet (7 August 2023). Each row lists,
// side by side and unrelated to each other, one sub-ICB location, one council
// and one trust of the ICB. Councils are named by ODS LA code and matched by
// name to the ONS councils of that date; trusts must be in the etr files. A
// partnership is taken to hold while the ICB and the partner both exist
// (from the ICB's start until either closes). What cannot be matched is
// written to partners_unmatched.csv rather than guessed.
func (b *builder) partners() error {
	pf, err := b.file("icb-partners")
	if err != nil {
		return err
	}
	srcPartners, asAt := pf.ID, pf.DescribesFrom
	s, err := b.open(pf, "icb_ods", "council_name", "council_ods", "trust_name", "trust_ods")
	if err != nil {
		return err
	}
	byKey := map[string]string{}
	for code := range b.councils {
		o := b.f.get(kCouncil, code)
		if !o.holds(asAt) {
			continue
		}
		k := councilKey(squash(o.names, "")[len(squash(o.names, ""))-1].value)
		if other, dup := byKey[k]; dup {
			return fmt.Errorf("councils %s and %s have the same name key %q", other, code, k)
		}
		byKey[k] = code
	}
	seen := map[[3]string]bool{}
	var rows, unmatched [][]string
	period := func(ib *org, kind, code string) (string, string) {
		p := b.f.get(kind, code)
		return max(ib.from, p.from), minDate(ib.to, p.to)
	}
	for i, r := range s.rows {
		ib := s.col(r, "icb_ods")
		if ib == "" {
			continue
		}
		io := b.f.get(kICS, ib)
		if io == nil || !io.holds(asAt) {
			return fmt.Errorf("%s: %w: unknown ICB %q", s.where(i), errBadData, ib)
		}
		if la, name := s.col(r, "council_ods"), s.col(r, "council_name"); la != "" {
			// council-alias corrections name councils whose partners-file name
			// cannot be matched to the ONS name by normalisation alone.
			code := b.correct("council-alias", councilKey(name))
			ok := code != ""
			if !ok {
				code, ok = byKey[councilKey(name)]
			}
			switch {
			case !ok:
				unmatched = append(unmatched, []string{ib, "COUNCIL", la, name, "no ONS council of that name on " + asAt, srcPartners})
			case !seen[[3]string{ib, "COUNCIL", code}]:
				seen[[3]string{ib, "COUNCIL", code}] = true
				from, to := period(io, kCouncil, code)
				rows = append(rows, []string{ib, "COUNCIL", code, la, name, from, to, srcPartners})
				b.councils[code].odsCodes[la] = name
				b.f.get(kCouncil, code).src(srcPartners)
			}
		}
		if t, name := s.col(r, "trust_ods"), s.col(r, "trust_name"); t != "" {
			switch {
			case b.f.get(kTrust, t) == nil || !b.f.get(kTrust, t).holds(asAt):
				unmatched = append(unmatched, []string{ib, "TRUST", t, name, "not an open trust in the ODS etr files on " + asAt, srcPartners})
			case !seen[[3]string{ib, "TRUST", t}]:
				seen[[3]string{ib, "TRUST", t}] = true
				from, to := period(io, kTrust, t)
				rows = append(rows, []string{ib, "TRUST", t, t, name, from, to, srcPartners})
			}
		}
	}
	b.add("partners.csv", []string{"icb_code", "partner_kind", "partner_code", "ods_code", "name_in_source", "valid_from", "valid_to", "source"}, rows)
	b.add("partners_unmatched.csv", []string{"icb_code", "partner_kind", "ods_code", "name_in_source", "reason", "source"}, unmatched)

	var crows [][]string
	for _, c := range b.councils {
		ods, err := c.odsCode(b.correct("council-ods-code", c.code))
		if err != nil {
			return err
		}
		crows = append(crows, []string{c.code, councilTypes[c.code[:3]], c.regionCode, c.regionName, ods})
	}
	b.add("councils.csv", []string{"code", "council_type", "ons_region_code", "ons_region_name", "ods_code"}, crows)
	return nil
}

// odsCode picks the council's ODS LA code. A council the partners file
// names under two codes needs a council-ods-code correction (corrections.csv)
// saying which is its own; chosen is that correction's value ("" if none).
func (c *council) odsCode(chosen string) (string, error) {
	codes := slices.Sorted(maps.Keys(c.odsCodes))
	if len(codes) <= 1 {
		return strings.Join(codes, ""), nil
	}
	if !slices.Contains(codes, chosen) {
		return "", fmt.Errorf("%w: council %s has ODS codes %v in the partners file and no council-ods-code correction choosing one of them", errBadData, c.code, codes)
	}
	return chosen, nil
}

// keepLSOAs remembers the council of every small area in one list (for the
// successions of councils).
func (b *builder) keepLSOAs(s *sheet, col string) {
	m := map[string]string{}
	for _, r := range s.rows {
		m[s.col(r, "lsoa_code")] = s.col(r, col)
	}
	b.lsoaLAD = append(b.lsoaLAD, m)
}

// councilSuccessions derives the successions of the councils that ended
// between two lists (2015–2021): each goes to the councils its 2011 small
// areas lie in on the next list, with mid-2015 residents as the weight.
func (b *builder) councilSuccessions() {
	for i := 0; i+1 < len(b.lsoaLAD); i++ {
		date := b.ladLists[i+1].DescribesFrom
		to := map[string]map[string]int64{}
		for lsoa, c := range b.lsoaLAD[i] {
			if o := b.f.get(kCouncil, c); o.to != date {
				continue
			}
			if to[c] == nil {
				to[c] = map[string]int64{}
			}
			to[c][b.lsoaLAD[i+1][lsoa]] += b.pop15[lsoa]
		}
		for _, c := range slices.Sorted(maps.Keys(to)) {
			var total int64
			for _, n := range to[c] {
				total += n
			}
			for _, s := range slices.Sorted(maps.Keys(to[c])) {
				x := succession{kCouncil, c, kCouncil, s, date, share(to[c][s], total), "", b.derive("council-successions-by-small-areas", c, s, date), b.ladLists[i+1].ID}
				if len(to[c]) > 1 {
					x.weight = measure.residentsSmall
				}
				b.f.succs = append(b.f.succs, x)
			}
		}
	}
}

// ccgLists are the council lists that are also small-area lookups with CCGs
// (the CCG era's council × CCG fragments), oldest first.
func (b *builder) ccgLists() []manifest.File {
	var out []manifest.File
	for _, f := range b.ladLists {
		if slices.Contains(f.Roles, "small-area-lookup") && f.Col("ccg_ods") != "" {
			out = append(out, f)
		}
	}
	return out
}
