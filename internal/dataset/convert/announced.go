package convert

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// Announced changes (seed/curated/announced): facts announced for a date
// after the newest official extract. They go into the seed files with an
// announcement's id as their source (ids start "announced-"), and the
// closures of official organisations into announced_endings.csv, so that the
// loader can mark every node and relationship held only by an announcement
// (announced = true, announcement = id) and keep the closed organisations
// open unless announced facts are asked for. Nothing here invents what was
// not announced: a new council's overlaps and populations follow from its
// districts (marked derived); no ICB footprint is announced for 2027.

// AnnouncedPrefix starts the id of every announcement source.
const AnnouncedPrefix = "announced-"

// AnnouncedEndingsFile lists official organisations whose closure is
// announced (kind, code, valid_to, announcement).
const AnnouncedEndingsFile = "announced_endings.csv"

func (b *builder) announced() error {
	dir := b.curatedFile("curated-announced")
	s, err := readCSV(dir+"/sources.csv", true, "id", "title", "publisher", "released", "url")
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for i, r := range s.rows {
		id := s.col(r, "id")
		if !strings.HasPrefix(id, AnnouncedPrefix) || s.col(r, "title") == "" || (s.col(r, "released") != "" && !manifest.IsDate(s.col(r, "released"))) {
			return fmt.Errorf("%s: %w: want an id starting %q, a title and a yyyy-mm-dd date or none", s.where(i), errBadData, AnnouncedPrefix)
		}
		known[id] = true
		b.extraSources[id] = []string{id, s.col(r, "title"), s.col(r, "publisher"), s.col(r, "released"), "", s.col(r, "url"), ""}
	}
	c, err := readCSV(dir+"/councils.csv", true, "code", "name", "council_type", "valid_from", "districts", "replaces_county", "announcement", "note")
	if err != nil {
		return err
	}
	var endings [][]string
	ended := map[string]string{}
	var crows [][]string
	for i, r := range c.rows {
		code, date, county := c.col(r, "code"), c.col(r, "valid_from"), c.col(r, "replaces_county")
		ids := strings.Split(c.col(r, "announcement"), ";")
		districts := strings.Split(c.col(r, "districts"), ";")
		switch {
		case !manifest.IsDate(date) || date <= era.mapping:
			return fmt.Errorf("%s: %w: valid_from %q must be a date after the newest extract (%s)", c.where(i), errBadData, date, era.mapping)
		case b.f.get(kCouncil, code) != nil:
			return fmt.Errorf("%s: %w: council %s exists in the official files: delete the announced row", c.where(i), errBadData, code)
		case c.col(r, "note") == "" || c.col(r, "name") == "" || len(districts) == 0:
			return fmt.Errorf("%s: %w: want a name, districts and a note (say the key is provisional)", c.where(i), errBadData)
		}
		for _, id := range ids {
			if !known[id] {
				return fmt.Errorf("%s: %w: announcement %q is not in sources.csv", c.where(i), errBadData, id)
			}
		}
		src := ids[0]
		var region, regionName string
		var pop, areas int64
		for _, d := range districts {
			o := b.f.get(kCouncil, d)
			if o == nil || !o.holds(era.mapping) || o.to != "" {
				return fmt.Errorf("%s: %w: district %s is not an open council", c.where(i), errBadData, d)
			}
			if county != "" && !b.within(d, county) {
				return fmt.Errorf("%s: %w: district %s is not in county %s", c.where(i), errBadData, d, county)
			}
			if prev, dup := ended[d]; dup {
				return fmt.Errorf("%s: %w: district %s is also replaced by %s", c.where(i), errBadData, d, prev)
			}
			ended[d] = code
			endings = append(endings, []string{kCouncil, d, date, src})
			if x := b.councils[d]; x != nil {
				if region != "" && x.regionCode != region {
					return fmt.Errorf("%s: %w: the districts lie in regions %s and %s", c.where(i), errBadData, region, x.regionCode)
				}
				region, regionName = x.regionCode, x.regionName
			}
			p, ok1 := b.f.pops[[3]string{kCouncil, d, measure.residentsSmall}]
			n, ok2 := b.f.pops[[3]string{kCouncil, d, measure.smallAreas}]
			if !ok1 || !ok2 {
				return fmt.Errorf("%s: %w: district %s has no mid-2015 population", c.where(i), errBadData, d)
			}
			pop, areas = pop+p.value, areas+n.value
			b.f.succs = append(b.f.succs, succession{kCouncil, d, kCouncil, code, date, 1, "",
				"announced: the district goes whole into " + c.col(r, "name") + " (" + strings.Join(ids, ", ") + ")", src})
		}
		o := b.f.org(kCouncil, code)
		o.from, o.dated = date, true
		o.basis = "announced (" + strings.Join(ids, ", ") + "): " + c.col(r, "note")
		o.src(ids...)
		o.name(date, c.col(r, "name"), src)
		sum := b.derive("announced-unitary-sums", "", code, date)
		b.f.pop(kCouncil, code, measure.residentsSmall, pop, srcPop, sum)
		b.f.pop(kCouncil, code, measure.smallAreas, areas, srcPop, sum)
		crows = append(crows, []string{code, c.col(r, "council_type"), region, regionName, ""})
		b.announcedOverlaps(code, districts, date, sum)
		if county != "" {
			b.announcedCounty = append(b.announcedCounty, [3]string{county, code, date})
		}
	}
	// A replaced county: it ends on the date; its successors share it by
	// their districts' mid-2015 residents; every district must be replaced.
	byCounty := map[string][][2]string{}
	for _, x := range b.announcedCounty {
		byCounty[x[0]] = append(byCounty[x[0]], [2]string{x[1], x[2]})
	}
	for _, cty := range slices.Sorted(maps.Keys(byCounty)) {
		date := byCounty[cty][0][1]
		for _, r := range b.f.rels {
			if r.typ == "WITHIN" && r.toCode == cty && r.to == "" && ended[r.fromCode] == "" {
				return fmt.Errorf("announced/councils.csv: %w: county %s is replaced but its district %s is not", errBadData, cty, r.fromCode)
			}
		}
		var total int64
		shares := map[string]int64{}
		for _, x := range byCounty[cty] {
			shares[x[0]] = b.f.pops[[3]string{kCouncil, x[0], measure.residentsSmall}].value
			total += shares[x[0]]
		}
		src := ""
		for _, e := range endings {
			if ended[e[1]] == byCounty[cty][0][0] {
				src = e[3]
			}
		}
		endings = append(endings, []string{kCouncil, cty, date, src})
		for _, x := range byCounty[cty] {
			sc := succession{kCouncil, cty, kCouncil, x[0], date, 1, "", "announced: the county's districts go whole into the new unitaries; share = their mid-2015 residents", src}
			if len(byCounty[cty]) > 1 {
				sc.share, sc.weight = share(shares[x[0]], total), measure.residentsSmall
			}
			b.f.succs = append(b.f.succs, sc)
		}
	}
	b.add(AnnouncedEndingsFile, []string{"kind", "code", "valid_to", "announcement"}, endings)
	for i := range b.tables {
		if b.tables[i].Name == "councils.csv" {
			b.tables[i].Rows = append(b.tables[i].Rows, crows...)
			slices.SortFunc(b.tables[i].Rows, func(x, y []string) int { return slices.Compare(x, y) })
		}
	}
	return nil
}

// within reports whether district d is in county c now.
func (b *builder) within(d, c string) bool {
	for _, r := range b.f.rels {
		if r.typ == "WITHIN" && r.fromCode == d && r.toCode == c && r.to == "" {
			return true
		}
	}
	return false
}

// announcedOverlaps gives an announced council the sums of its districts'
// current overlaps with each sub-ICB location and ICB (shares of the area
// add up; the share of the council is recomputed).
func (b *builder) announcedOverlaps(code string, districts []string, date, derived string) {
	type k struct{ kind, area string }
	sum := map[k]*overlap{}
	var order []k
	total := map[string]int64{}
	for _, x := range b.f.ovs {
		if x.to != "" || !slices.Contains(districts, x.council) || (x.areaKind != kSub && x.areaKind != kICS) {
			continue
		}
		kk := k{x.areaKind, x.area}
		if sum[kk] == nil {
			sum[kk] = &overlap{code, x.areaKind, x.area, date, "", 0, 0, 0, 0, x.source, x.popSource, derived}
			order = append(order, kk)
		}
		s := sum[kk]
		s.pop, s.areas, s.shareArea = s.pop+x.pop, s.areas+x.areas, s.shareArea+x.shareArea
		total[x.areaKind] += x.pop
	}
	for _, kk := range order {
		s := sum[kk]
		s.shareCouncil = share(s.pop, total[kk.kind])
		b.f.ovs = append(b.f.ovs, *s)
	}
}
