package convert

import (
	"fmt"
	"slices"
	"strconv"
)

type (
	ccg struct {
		code, ons, name, region string
		former                  []string
		years                   []int
	}
	stp struct {
		code, ons, name, region string
		former                  []string
		years                   []int
	}
)

// history reads the CCG → STP lookups of April 2020 and April 2021: one CCG
// node per ODS code with the years it appears in, and the succession
// CCG (2021) → sub-ICB location (same ODS code) and STP → ICS (same ODS code).
// A CCG of 2020 that is gone in 2021 merged into a CCG new in 2021; it is
// linked to its successor only when exactly one new CCG appeared in its STP.
func (b *builder) history() error {
	ccgs, stps := map[string]*ccg{}, map[string]*stp{}
	var member [][]string
	read := func(file, year, src string, cols ...string) error {
		s, err := readCSV(b.rawPath(file), true, cols...)
		if err != nil {
			return err
		}
		y, _ := strconv.Atoi(year)
		for i, r := range s.rows {
			code, sc := s.col(r, "CCG"+year[2:]+"CDH"), s.col(r, "STP"+year[2:]+"CDH")
			if code == "" || sc == "" {
				return fmt.Errorf("%s: %w: missing CCG or STP code", s.where(i), errBadData)
			}
			c := ccgs[code]
			if c == nil {
				c = &ccg{code: code}
				ccgs[code] = c
			}
			c.former = addFormer(c.former, s.col(r, "CCG"+year[2:]+"CD"), c.ons)
			c.ons, c.name = s.col(r, "CCG"+year[2:]+"CD"), s.col(r, "CCG"+year[2:]+"NM")
			c.years = append(c.years, y)
			st := stps[sc]
			if st == nil {
				st = &stp{code: sc}
				stps[sc] = st
			}
			st.former = addFormer(st.former, s.col(r, "STP"+year[2:]+"CD"), st.ons)
			st.ons, st.name = s.col(r, "STP"+year[2:]+"CD"), s.col(r, "STP"+year[2:]+"NM")
			if !slices.Contains(st.years, y) {
				st.years = append(st.years, y)
			}
			if rg := s.col(r, "NHSER21CDH"); rg != "" {
				region, ok := b.regions[rg]
				if !ok {
					return fmt.Errorf("%s: %w: unknown region %q", s.where(i), errBadData, rg)
				}
				region.former = addFormer(region.former, region.ons, s.col(r, "NHSER21CD"))
				c.region, st.region = rg, rg
			}
			member = append(member, []string{code, sc, year, src})
		}
		return nil
	}
	if err := read("ons_ccg20_stp20_lookup_apr2020.csv", "2020", srcCCG20, "CCG20CD", "CCG20CDH", "CCG20NM", "STP20CD", "STP20CDH", "STP20NM"); err != nil {
		return err
	}
	if err := read("ons_ccg21_stp21_nhser21_lookup_apr2021.csv", "2021", srcNHSER21,
		"CCG21CD", "CCG21CDH", "CCG21NM", "STP21CD", "STP21CDH", "STP21NM", "NHSER21CD", "NHSER21CDH"); err != nil {
		return err
	}

	// The STP each CCG belonged to in a year, and the CCGs new in 2021 per STP.
	newIn := map[string][]string{}
	stpOf := map[[2]string]string{}
	for _, m := range member {
		stpOf[[2]string{m[0], m[2]}] = m[1]
		if m[2] == "2021" && !slices.Contains(ccgs[m[0]].years, 2020) {
			newIn[m[1]] = append(newIn[m[1]], m[0])
		}
	}
	var succ [][]string
	for _, c := range ccgs {
		switch {
		case slices.Contains(c.years, 2021):
			if _, ok := b.subs[c.code]; !ok {
				return fmt.Errorf("%w: CCG %s of 2021 has no sub-ICB location with its ODS code", errBadData, c.code)
			}
			succ = append(succ, []string{c.code, "SUB_ICB_LOCATION", c.code, "2022-07-01", "same ODS code", srcLOC22})
		default:
			cands := newIn[stpOf[[2]string{c.code, "2020"}]]
			if len(cands) != 1 {
				return fmt.Errorf("%w: CCG %s of 2020 has %d candidate successors %v", errBadData, c.code, len(cands), cands)
			}
			succ = append(succ, []string{c.code, "CCG", cands[0], "2021-04-01", "the only CCG new in April 2021 in the same STP", srcNHSER21})
		}
	}
	var crows, srows [][]string
	for _, c := range ccgs {
		crows = append(crows, []string{c.code, c.ons, join(c.former...), c.name, years(c.years), c.region, join(yearSources(c.years)...)})
	}
	for _, st := range stps {
		if _, ok := b.icbs[st.code]; !ok {
			return fmt.Errorf("%w: STP %s has no ICB with its ODS code", errBadData, st.code)
		}
		srows = append(srows, []string{st.code, st.ons, join(st.former...), st.name, years(st.years), st.region, st.code, join(yearSources(st.years)...)})
	}
	b.add("ccgs.csv", []string{"code", "ons_code", "former_ons_codes", "name", "years", "region_code", "sources"}, crows)
	b.add("stps.csv", []string{"code", "ons_code", "former_ons_codes", "name", "years", "region_code", "successor_icb_code", "sources"}, srows)
	b.add("ccg_stps.csv", []string{"ccg_code", "stp_code", "year", "source"}, member)
	b.add("ccg_successors.csv", []string{"ccg_code", "successor_kind", "successor_code", "since", "basis", "source"}, succ)
	return nil
}

func years(ys []int) string {
	var out []string
	for _, y := range ys {
		out = append(out, strconv.Itoa(y))
	}
	return join(out...)
}

func yearSources(ys []int) []string {
	var out []string
	for _, y := range ys {
		out = append(out, map[int]string{2020: srcCCG20, 2021: srcNHSER21}[y])
	}
	return out
}
