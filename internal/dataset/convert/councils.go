package convert

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

type council struct {
	code, name, county, regionCode, regionName string
	odsCodes                                   map[string]string // ODS LA code → name in the partners file
}

// councilType maps the ONS GSS prefix to the council type.
var councilTypes = map[string]string{
	"E06": "UNITARY",
	"E07": "NON_METROPOLITAN_DISTRICT",
	"E08": "METROPOLITAN_BOROUGH",
	"E09": "LONDON_BOROUGH",
	"E10": "COUNTY",
}

// councilsAndAreas reads the LAD22 list, the ward lookup (for the county
// above each district: only E10 counties are councils, E11 metropolitan
// counties and E13 Inner/Outer London are not) and aggregates the LSOA
// lookup with mid-2015 populations into council × sub-ICB fragments.
func (b *builder) councilsAndAreas() error {
	s, err := readCSV(b.rawPath("ons_lad22_rgn22_lookup_dec2022.csv"), true, "LAD22CD", "LAD22NM", "RGN22CD", "RGN22NM")
	if err != nil {
		return err
	}
	for i, r := range s.rows {
		code := s.col(r, "LAD22CD")
		if councilTypes[code[:min(3, len(code))]] == "" {
			return fmt.Errorf("%s: %w: %q is not an English district or unitary code", s.where(i), errBadData, code)
		}
		b.councils[code] = &council{code: code, name: s.col(r, "LAD22NM"), regionCode: s.col(r, "RGN22CD"), regionName: s.col(r, "RGN22NM"), odsCodes: map[string]string{}}
	}
	w, err := readCSV(b.rawPath("ons_wd22_lad22_cty22_rgn22_ctry22_lookup_dec2022.csv"), true, "LAD22CD", "CTY22CD", "CTY22NM", "RGN22CD", "RGN22NM")
	if err != nil {
		return err
	}
	for i, r := range w.rows {
		lad, cty := w.col(r, "LAD22CD"), w.col(r, "CTY22CD")
		c, ok := b.councils[lad]
		if !ok {
			if strings.HasPrefix(lad, "E") {
				return fmt.Errorf("%s: %w: English district %s is not in the LAD22 list", w.where(i), errBadData, lad)
			}
			continue // Wales, Scotland, Northern Ireland
		}
		if !strings.HasPrefix(cty, "E10") {
			continue
		}
		if c.county != "" && c.county != cty {
			return fmt.Errorf("%s: %w: district %s in counties %s and %s", w.where(i), errBadData, lad, c.county, cty)
		}
		c.county = cty
		if _, ok := b.councils[cty]; !ok {
			b.councils[cty] = &council{code: cty, name: w.col(r, "CTY22NM"), regionCode: w.col(r, "RGN22CD"), regionName: w.col(r, "RGN22NM"), odsCodes: map[string]string{}}
		}
	}

	pop := map[string]int{}
	p, err := readCSV(b.rawPath("mhclg_iod2019_population_denominators_lsoa11_mid2015.csv"), true,
		"LSOA code (2011)", "Total population: mid 2015 (excluding prisoners)")
	if err != nil {
		return err
	}
	for i, r := range p.rows {
		// Quoted numbers carry thousands separators: "1,296".
		n, err := strconv.Atoi(strings.ReplaceAll(p.col(r, "Total population: mid 2015 (excluding prisoners)"), ",", ""))
		if err != nil {
			return fmt.Errorf("%s: %w: population: %w", p.where(i), errBadData, err)
		}
		pop[p.col(r, "LSOA code (2011)")] = n
	}

	l, err := readXLSX(b.rawPath("ons_lsoa11_loc22_icb22_lad22_lookup_jul2022.xlsx"), "LSOA11_LOC22_ICB22_LAD22", 1,
		"LSOA11CD", "LOC22CDH", "ICB22CDH", "LAD22CD")
	if err != nil {
		return err
	}
	type key struct{ lad, sub string }
	frag := map[key][2]int{}
	for i, r := range l.rows {
		lsoa, sub, lad := l.col(r, "LSOA11CD"), l.col(r, "LOC22CDH"), l.col(r, "LAD22CD")
		n, ok := pop[lsoa]
		if !ok {
			return fmt.Errorf("%s: %w: small area %s has no mid-2015 population", l.where(i), errBadData, lsoa)
		}
		if s, ok := b.subs[sub]; !ok || s.icb != l.col(r, "ICB22CDH") {
			return fmt.Errorf("%s: %w: sub-ICB %s / ICB %s do not match the sub-ICB lookup", l.where(i), errBadData, sub, l.col(r, "ICB22CDH"))
		}
		if _, ok := b.councils[lad]; !ok {
			return fmt.Errorf("%s: %w: unknown district %s", l.where(i), errBadData, lad)
		}
		f := frag[key{lad, sub}]
		frag[key{lad, sub}] = [2]int{f[0] + n, f[1] + 1}
	}
	if len(l.rows) != len(pop) {
		return fmt.Errorf("%s: %w: %d small areas, the population file has %d", l.file, errBadData, len(l.rows), len(pop))
	}
	var rows [][]string
	for k, f := range frag {
		rows = append(rows, []string{k.lad, k.sub, strconv.Itoa(f[0]), strconv.Itoa(f[1]), srcLSOA, srcPop})
	}
	b.add("council_areas.csv", []string{"council_code", "sub_icb_code", "population", "small_areas", "source", "population_source"}, rows)
	return nil
}

// partnerAliases name councils whose partners-file name cannot be matched to
// the ONS name by normalisation alone.
var partnerAliases = map[string]string{
	"hull":           "E06000010", // "Hull City Council" = ONS "Kingston upon Hull, City of"
	"bcp":            "E06000058", // "BCP Council" = Bournemouth, Christchurch and Poole
	"middlesborough": "E06000002", // misspelt in the partners file
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

// partners reads the "ICB Partners" sheet. Each row lists, side by side and
// unrelated to each other, one sub-ICB location, one council and one trust of
// the ICB. Councils are named by ODS LA code and matched to ONS councils by
// name; trusts must be in the etr list. What cannot be matched is written to
// partners_unmatched.csv rather than guessed.
func (b *builder) partners() error {
	s, err := readXLSX(b.rawPath("ods_icb_partners_master_2023-08.xlsx"), "ICB Partners", 5,
		"ODS ICB Code", "Local Authority", "ODS LA Code", "NHS Trusts", "ODS Trust Code")
	if err != nil {
		return err
	}
	byKey := map[string]string{}
	for code, c := range b.councils {
		k := councilKey(c.name)
		if other, dup := byKey[k]; dup {
			return fmt.Errorf("councils %s and %s have the same name key %q", other, code, k)
		}
		byKey[k] = code
	}
	seen := map[[3]string]bool{}
	var rows, unmatched [][]string
	for i, r := range s.rows {
		ib := s.col(r, "ODS ICB Code")
		if ib == "" {
			continue
		}
		if _, ok := b.icbs[ib]; !ok {
			return fmt.Errorf("%s: %w: unknown ICB %q", s.where(i), errBadData, ib)
		}
		if la, name := s.col(r, "ODS LA Code"), s.col(r, "Local Authority"); la != "" {
			code, ok := partnerAliases[councilKey(name)]
			if !ok {
				code, ok = byKey[councilKey(name)]
			}
			switch {
			case !ok:
				unmatched = append(unmatched, []string{ib, "COUNCIL", la, name, "no ONS council (LAD22/CTY22, December 2022) of that name", srcPartners})
			case !seen[[3]string{ib, "COUNCIL", code}]:
				seen[[3]string{ib, "COUNCIL", code}] = true
				rows = append(rows, []string{ib, "COUNCIL", code, la, name, srcPartners})
				b.councils[code].odsCodes[la] = name
			}
		}
		if t, name := s.col(r, "ODS Trust Code"), s.col(r, "NHS Trusts"); t != "" {
			switch {
			case !b.trusts[t]:
				unmatched = append(unmatched, []string{ib, "TRUST", t, name, "not in the ODS etr (NHS trusts) file", srcPartners})
			case !seen[[3]string{ib, "TRUST", t}]:
				seen[[3]string{ib, "TRUST", t}] = true
				rows = append(rows, []string{ib, "TRUST", t, t, name, srcPartners})
			}
		}
	}
	b.add("partners.csv", []string{"icb_code", "partner_kind", "partner_code", "ods_code", "name_in_source", "source"}, rows)
	b.add("partners_unmatched.csv", []string{"icb_code", "partner_kind", "ods_code", "name_in_source", "reason", "source"}, unmatched)

	var crows [][]string
	for _, c := range b.councils {
		ods, err := c.odsCode()
		if err != nil {
			return err
		}
		srcs := []string{srcLAD, srcWard, srcLSOA, srcPop}
		if strings.HasPrefix(c.code, "E10") {
			srcs = []string{srcWard, srcLSOA, srcPop}
		}
		if ods != "" {
			srcs = append(srcs, srcPartners)
		}
		crows = append(crows, []string{c.code, c.name, councilTypes[c.code[:3]], c.county, c.regionCode, c.regionName, ods, join(srcs...)})
	}
	b.add("councils.csv", []string{"code", "name", "council_type", "county_code", "ons_region_code", "ons_region_name", "ods_code", "sources"}, crows)
	return nil
}

// odsCode picks the council's ODS LA code. Buckinghamshire appears under two:
// 612 "Buckinghamshire County Council" (abolished 2020) and 916
// "Buckinghamshire Council" (the unitary); a council that is not a county
// takes the code whose name does not say "County Council".
func (c *council) odsCode() (string, error) {
	codes := slices.Sorted(maps.Keys(c.odsCodes))
	if len(codes) <= 1 {
		return strings.Join(codes, ""), nil
	}
	var keep []string
	for _, k := range codes {
		if strings.HasPrefix(c.code, "E10") || !strings.Contains(c.odsCodes[k], "County Council") {
			keep = append(keep, k)
		}
	}
	if len(keep) != 1 {
		return "", fmt.Errorf("%w: council %s has ODS codes %v in the partners file", errBadData, c.code, codes)
	}
	return keep[0], nil
}
