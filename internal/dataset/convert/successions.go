package convert

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// populations writes, per organisation, residents2015 and smallAreas (sums
// of the mid-2015 LSOA populations of its newest period), residents2022
// (sub-ICB locations and ICBs, from the derived mid-2022 file) and
// registered2026 (NHS England, 1 August 2026).
func (b *builder) populations() error {
	sum := func(frags map[fragKey][2]int64, match func(fragKey) bool) (int64, int64) {
		var p, n int64
		for k, f := range frags {
			if match(k) {
				p, n = p+f[0], n+f[1]
			}
		}
		return p, n
	}
	notCounty := func(k fragKey) bool { return !strings.HasPrefix(k.council, "E10") }
	for _, o := range b.f.orgs {
		var frags map[fragKey][2]int64
		var match func(fragKey) bool
		derived := ""
		switch o.kind {
		case kCCG:
			for i := len(b.ccgFrags) - 1; i >= 0 && frags == nil; i-- {
				if o.holds(b.ladLists[i].DescribesFrom) {
					frags = b.ccgFrags[i]
				}
			}
			match = func(k fragKey) bool { return k.area == o.code }
		case kSub, kICS, kCouncil:
			for e := len(b.eraDates) - 1; e >= 0 && frags == nil; e-- {
				if o.holds(b.eraDates[e]) {
					frags = b.icbFrags[e]
					now := b.eraDates[e] >= era.icbsNow
					if _, sp := b.splitOf(o.code); o.kind == kSub && now && sp != nil {
						derived = measure.residentsSmall + ", " + measure.smallAreas + ": " + sp.method
					} else if o.kind == kICS && now && !b.sameSubs(o.code) {
						derived = measure.residentsSmall + ", " + measure.smallAreas + ": " + b.splitMethod()
					}
					if o.kind == kCouncil && slices.Contains(slices.Collect(maps.Values(b.lad23Of)), o.code) {
						derived = measure.residentsSmall + ", " + measure.smallAreas + ": " + b.derive("unitary-measures", "", o.code, era.councils)
					}
				}
			}
			if frags == nil && o.kind == kCouncil {
				for i := len(b.ccgFrags) - 1; i >= 0 && frags == nil; i-- {
					if o.holds(b.ladLists[i].DescribesFrom) {
						frags = b.ccgFrags[i]
					}
				}
			}
			switch o.kind {
			case kCouncil:
				match = func(k fragKey) bool { return k.council == o.code && (k.areaKind == kSub || k.areaKind == kCCG) }
			default:
				match = func(k fragKey) bool { return k.area == o.code && k.areaKind == o.kind && notCounty(k) }
			}
		case kSTP:
			// The sums of its council × STP overlaps in its newest year.
			var p, n int64
			for i := len(b.ccgFrags) - 1; i >= 2 && n == 0; i-- {
				if !o.holds(b.ladLists[i].DescribesFrom) {
					continue
				}
				for _, x := range b.f.ovs {
					if x.areaKind == kSTP && x.area == o.code && x.from == b.ladLists[i].DescribesFrom && !strings.HasPrefix(x.council, "E10") {
						p, n = p+x.pop, n+x.areas
					}
				}
			}
			if n > 0 {
				b.f.pop(kSTP, o.code, measure.residentsSmall, p, srcPop, "")
				b.f.pop(kSTP, o.code, measure.smallAreas, n, srcPop, "")
			}
			continue
		default:
			continue
		}
		if frags == nil {
			continue
		}
		if p, n := sum(frags, match); n > 0 {
			b.f.pop(o.kind, o.code, measure.residentsSmall, p, srcPop, derived)
			b.f.pop(o.kind, o.code, measure.smallAreas, n, srcPop, derived)
		}
	}

	// residents2022: the derived file, per sub-ICB ONS code and vintage.
	pf, err := b.file("population")
	if err != nil {
		return err
	}
	srcPop22 := pf.ID
	s, err := b.open(pf, "vintage", "sub_ons", "denominator", "population")
	if err != nil {
		return err
	}
	b.pop22 = map[[2]string]int64{}
	byONS := map[string]string{}
	for _, o := range b.f.orgs {
		if o.kind == kSub {
			for _, x := range o.ons {
				byONS[x.value] = o.code
			}
		}
	}
	for i, r := range s.rows {
		if s.col(r, "denominator") != "total" {
			continue
		}
		code := byONS[s.col(r, "sub_ons")]
		n, err := s.number(r, "population")
		if code == "" || err != nil {
			return fmt.Errorf("%s: %w: unknown sub-ICB %s or bad population", s.where(i), errBadData, s.col(r, "sub_ons"))
		}
		b.pop22[[2]string{s.col(r, "vintage"), code}] = n
	}
	// The file's vintages are the years of the sub-ICB boundaries: the
	// current ICBs' year, and the year before for those they replaced.
	vNow, vBefore := era.icbsNow[:4], vintageBefore()
	const d22 = "derived: mid-2022 residents (IMD 2025 denominators, LSOA 2021) aggregated to sub-ICB locations by a third party"
	for sub := range b.icbOfSub[era.icbs] {
		if n, ok := b.pop22[[2]string{vBefore, sub}]; ok && !b.f.get(kSub, sub).holds(era.icbsNow) {
			b.f.pop(kSub, sub, measure.residents, n, srcPop22, d22+" ("+vBefore+" vintage)")
		}
	}
	for sub := range b.icbOfSub[era.icbsNow] {
		n, ok := b.pop22[[2]string{vNow, sub}]
		if !ok {
			return fmt.Errorf("%s: %w: no %s population for sub-ICB %s", s.file, errBadData, vNow, sub)
		}
		b.f.pop(kSub, sub, measure.residents, n, srcPop22, d22+" ("+vNow+" vintage)")
	}
	for _, x := range []struct{ date, vintage string }{{era.icbs, vBefore}, {era.icbsNow, vNow}} {
		e, vintage := x.date, x.vintage
		tot := map[string]int64{}
		for sub, ib := range b.icbOfSub[e] {
			tot[ib] += b.pop22[[2]string{vintage, sub}]
		}
		for ib, n := range tot {
			if (e == era.icbsNow) == b.f.get(kICS, ib).holds(era.icbsNow) {
				b.f.pop(kICS, ib, measure.residents, n, srcPop22, d22+" ("+vintage+" vintage), summed over the ICB's sub-ICB locations")
			}
		}
	}

	// Registered patients: each file of the role into its own measure, for
	// the organisations holding on the date it describes.
	for _, x := range measure.registered {
		if err := b.registered(x); err != nil {
			return err
		}
	}
	return nil
}

// registered reads one file of registered patients (totals only: SEX=ALL,
// AGE=ALL) into its measure.
func (b *builder) registered(x fileMeasure) error {
	rf := x.file
	var sex, age int
	keep := func(header, r []string) bool {
		if header != nil {
			sex, age = slices.Index(header, rf.Col("sex")), slices.Index(header, rf.Col("age"))
			return true
		}
		return sex >= 0 && age >= 0 && len(r) > max(sex, age) && r[sex] == "ALL" && r[age] == "ALL"
	}
	z, err := b.openTable(rf, "", 0, rf.Columns, keep, "org_type", "org_code", "sex", "age", "population")
	if err != nil {
		return err
	}
	kinds := map[string]string{"Comm Region": kRegion, "ICB": kICS, "SUB_ICB_LOCATION_CODE": kSub, "PCN": kPCN}
	for i, r := range z.rows {
		kind := kinds[z.col(r, "org_type")]
		o := b.f.get(kind, z.col(r, "org_code"))
		n, err := z.number(r, "population")
		if o == nil || !o.holds(rf.DescribesFrom) || err != nil {
			return fmt.Errorf("%s: %w: unknown %s %s on %s or bad count", z.where(i), errBadData, z.col(r, "org_type"), z.col(r, "org_code"), rf.DescribesFrom)
		}
		b.f.pop(kind, o.code, x.property, n, rf.ID, "")
	}
	return nil
}

// sameSubs reports whether an ICB of April 2026 is made of the same sub-ICB
// locations as in July 2022.
func (b *builder) sameSubs(ib string) bool {
	var a, c []string
	for sub, x := range b.icbOfSub[era.icbs] {
		if x == ib {
			a = append(a, sub)
		}
	}
	for sub, x := range b.icbOfSub[era.icbsNow] {
		if x == ib {
			c = append(c, sub)
		}
	}
	slices.Sort(a)
	slices.Sort(c)
	return slices.Equal(a, c)
}

// successions reads succ.csv (rows from 2013-04-01 whose predecessor closed
// on that date and whose successor held on it, of any kind in the graph) and
// adds the derived ones: D4U1Y's split, CCG → sub-ICB location and STP → ICS
// (same ODS code, 2022-07-01), and the councils of April 2023. A split's
// shares are population-weighted: ICBs by the mid-2022 residents (derived
// file) of the sub-ICB locations (or parts of D4U1Y) going to each successor.
func (b *builder) successions() error {
	sf, err := b.file("succession-file")
	if err != nil {
		return err
	}
	srcSucc := sf.ID
	s, err := b.open(sf, "predecessor", "successor", "date")
	if err != nil {
		return err
	}
	order := []string{kCCG, kICS, kSub, kTrust, kPCN, kPractice, kSTP, kRegion}
	find := func(code string, ok func(*org) bool) *org {
		for _, k := range order {
			if o := b.f.get(k, code); o != nil && ok(o) {
				return o
			}
		}
		return nil
	}
	// Every row dated from the data start is used or listed in
	// successions_unmatched.csv with its reason (rows after the newest
	// extract too).
	var inRange, used int
	var unmatched [][]string
	defer func() {
		b.add("successions_unmatched.csv", []string{"predecessor", "successor", "date", "reason", "source", "line"}, unmatched)
	}()
	type pair struct{ from, to *org }
	byPred := map[[2]string][]pair{}
	var keys [][2]string
	for i, r := range s.rows {
		if len(r) <= max(s.header["predecessor"], s.header["successor"], s.header["date"]) {
			return fmt.Errorf("%s: %w: %d columns, fewer than the manifest maps", s.where(i), errBadData, len(r))
		}
		date, err := isoDate(s.col(r, "date"))
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		if date < era.start {
			continue
		}
		inRange++
		if date > era.mapping { // not dropped in silence: listed for the next release
			unmatched = append(unmatched, []string{s.col(r, "predecessor"), s.col(r, "successor"), date,
				"dated after the newest extract (" + era.mapping + "): the data does not reach it yet", srcSucc, strconv.Itoa(s.firstLine + i)})
			continue
		}
		pc, sc := s.col(r, "predecessor"), s.col(r, "successor")
		pred := find(pc, func(o *org) bool {
			return o.to == date || (o.kind == kPCN || o.kind == kPractice) && o.to == era.mapping && o.from < date
		})
		if pred == nil {
			unmatched = append(unmatched, []string{pc, sc, date, b.succWhy(pc, sc, date, true), srcSucc, strconv.Itoa(s.firstLine + i)})
			continue
		}
		succ := find(sc, func(o *org) bool { return o.kind == pred.kind && o.from <= date && (o.to == "" || o.to > date) })
		if succ == nil {
			unmatched = append(unmatched, []string{pc, sc, date, b.succWhy(pc, sc, date, false), srcSucc, strconv.Itoa(s.firstLine + i)})
			continue
		}
		used++
		if pred.to != date { // a PCN or practice gone by August 2026: succ.csv dates it
			pred.to, pred.basis = date, pred.basis+"; end date from ODS succ.csv"
		}
		k := [2]string{pred.kind + "/" + pred.code, date}
		if byPred[k] == nil {
			keys = append(keys, k)
		}
		byPred[k] = append(byPred[k], pair{pred, succ})
	}
	if used+len(unmatched) != inRange {
		return fmt.Errorf("%s: %w: %d rows from %s, %d used and %d listed as unmatched", s.file, errBadData, inRange, era.start, used, len(unmatched))
	}
	// ICB split weights: mid-2022 residents of each predecessor's sub-ICB
	// locations by the ICB they belong to in April 2026 (a split location by
	// its parts).
	icbWeight := func(pred, succ string) int64 {
		var n int64
		for sub, ib := range b.icbOfSub[b.eraBefore(era.icbsNow)] {
			if ib != pred {
				continue
			}
			if b.splits[sub] != nil {
				for part, p := range b.splitParts(sub) {
					if b.icbOfSub[era.icbsNow][part] == succ {
						n += p
					}
				}
			} else if b.icbOfSub[era.icbsNow][sub] == succ {
				n += b.pop22[[2]string{vintageBefore(), sub}]
			}
		}
		return n
	}
	for _, k := range keys {
		ps := byPred[k]
		var total int64
		w := make([]int64, len(ps))
		for i, p := range ps {
			switch {
			case len(ps) == 1:
			case p.from.kind == kICS:
				w[i] = icbWeight(p.from.code, p.to.code)
			case p.from.kind == kRegion:
				w[i] = b.regionWeight(p.from.code, p.to.code, k[1])
			}
			total += w[i]
		}
		for i, p := range ps {
			x := succession{p.from.kind, p.from.code, p.to.kind, p.to.code, k[1], 1, "", "ODS succ.csv", srcSucc}
			if len(ps) > 1 {
				switch {
				case total > 0 && p.from.kind == kRegion:
					x.share, x.weight = share(w[i], total), measure.residentsSmall
					x.basis += "; " + b.derive("region-split-shares", p.from.code, p.to.code, k[1])
				case total > 0:
					x.share, x.weight = share(w[i], total), measure.residents
					x.basis += "; " + b.derive("icb-split-shares", p.from.code, p.to.code, k[1])
				default:
					x.share, x.weight = 1/float64(len(ps)), "none"
					x.basis += "; equal shares: no measure of the split in the files"
				}
			}
			b.f.succs = append(b.f.succs, x)
		}
	}
	b.inferSenates()
	// A region that ended without a succ.csv row (E40000004, South of
	// England, which had no ODS code) goes to the regions its CCGs went on in.
	for _, o := range b.f.orgs {
		if o.kind != kRegion || o.to == "" || byPred[[2]string{kRegion + "/" + o.code, o.to}] != nil {
			continue
		}
		w := map[string]int64{}
		var total int64
		for _, r := range b.f.orgs {
			if r.kind == kRegion && r.holds(o.to) {
				if n := b.regionWeight(o.code, r.code, o.to); n > 0 {
					w[r.code], total = n, total+n
				}
			}
		}
		for _, r := range slices.Sorted(maps.Keys(w)) {
			x := succession{kRegion, o.code, kRegion, r, o.to, share(w[r], total), "", b.derive("region-without-succession", o.code, r, o.to), ""}
			for _, f := range b.filesWith("ccg-region-lookup") {
				if f.DescribesFrom <= o.to {
					x.source = f.ID // the newest CCG → region lookup on the date
				}
			}
			if len(w) > 1 {
				x.weight = measure.residentsSmall
			}
			b.f.succs = append(b.f.succs, x)
		}
	}

	for _, from := range slices.Sorted(maps.Keys(b.splits)) {
		sp, parts := b.splits[from], b.splitParts(from)
		var total, total15 int64
		for _, p := range parts {
			total += p
		}
		for _, p := range b.splitPop15[from] {
			total15 += p
		}
		for _, part := range slices.Sorted(maps.Keys(parts)) {
			// The county allocation of the mid-2015 small areas must agree
			// with the mid-2022 figures of the parts within the tolerance.
			a, c := share(b.splitPop15[from][part], total15), share(parts[part], total)
			if sp.checkedBy != "" && math.Abs(a-c) > sp.tolerance {
				return fmt.Errorf("derivations.csv: %w: split of %s: %s gets %.3f of the mid-2015 residents by county but %.3f by %s (tolerance %g)", errBadData, from, part, a, c, sp.checkedBy, sp.tolerance)
			}
			b.f.succs = append(b.f.succs, succession{kSub, from, kSub, part, sp.date, c, measure.residents, sp.sharesMethod, b.newest("subicb-icb-region-lookup")})
		}
	}
	for _, o := range b.f.orgs {
		if o.to != era.icbs {
			continue
		}
		switch o.kind {
		case kCCG:
			if sub := b.f.get(kSub, o.code); sub != nil && sub.from == era.icbs {
				b.f.succs = append(b.f.succs, succession{kCCG, o.code, kSub, o.code, era.icbs, 1, "", b.derive("ccg-same-code", o.code, o.code, era.icbs), b.oldest("subicb-icb-region-lookup")})
			}
		case kSTP:
			if ib := b.f.get(kICS, o.code); ib != nil && ib.from == era.icbs {
				b.f.succs = append(b.f.succs, succession{kSTP, o.code, kICS, o.code, era.icbs, 1, "", b.derive("stp-same-code", o.code, o.code, era.icbs), b.oldest("subicb-icb-region-lookup")})
			}
		}
	}
	b.councilSuccessions()
	b.stpSuccessions()
	// Councils of April 2023: whole districts into unitaries; counties by residents2015.
	into := map[string]map[string]int64{}
	for d, u := range b.lad23Of {
		b.f.succs = append(b.f.succs, succession{kCouncil, d, kCouncil, u, era.councils, 1, "", b.derive("district-to-unitary", d, u, era.councils), b.newest("ward-council-county-lookup")})
		for _, r := range b.f.rels {
			if r.typ == "WITHIN" && r.fromCode == d && r.to == era.councils {
				if into[r.toCode] == nil {
					into[r.toCode] = map[string]int64{}
				}
				into[r.toCode][u] += b.f.pops[[3]string{kCouncil, d, measure.residentsSmall}].value
			}
		}
	}
	for cty, us := range into {
		var t int64
		for _, n := range us {
			t += n
		}
		for u, n := range us {
			x := succession{kCouncil, cty, kCouncil, u, era.councils, 1, "", b.derive("county-to-unitaries", cty, u, era.councils), b.newest("ward-council-county-lookup")}
			if len(us) > 1 {
				x.share, x.weight = share(n, t), measure.residentsSmall
			}
			b.f.succs = append(b.f.succs, x)
		}
	}
	return nil
}

// splitParts returns the mid-2022 residents of each part of a split sub-ICB
// location: a new part whole (current vintage), a part that existed before
// as its current minus its previous figure.
func (b *builder) splitParts(from string) map[string]int64 {
	out := map[string]int64{}
	for _, part := range slices.Sorted(maps.Values(b.splits[from].parts)) {
		out[part] = b.pop22[[2]string{era.icbsNow[:4], part}] - b.pop22[[2]string{vintageBefore(), part}]
	}
	return out
}

// inferSenates gives each ICB created on 2026-04-01 the Clinical Senate of
// its predecessors (succ.csv) when they all share one.
func (b *builder) inferSenates() {
	preds := map[string][]string{}
	for _, x := range b.f.succs {
		if x.toKind == kICS && x.date == era.icbsNow && b.f.get(kICS, x.toCode).from == era.icbsNow {
			preds[x.toCode] = append(preds[x.toCode], x.fromCode)
		}
	}
	for _, ib := range slices.Sorted(maps.Keys(preds)) {
		senates := map[string]bool{}
		for _, p := range preds[ib] {
			senates[b.senateOf[p]] = true
		}
		if len(senates) == 1 {
			// inherit-senate (derivations.csv): one row per new ICB, its
			// predecessors in from_code and the senate in key.
			cs := slices.Collect(maps.Keys(senates))[0]
			var d *derivation
			for _, p := range preds[ib] {
				d = b.deriveRow("inherit-senate", p, ib, era.icbsNow)
			}
			if d != nil && d.key != cs && b.missing == nil {
				b.missing = fmt.Errorf("derivations.csv:%d: %w: inherit-senate row for %s names senate %q; its predecessors (%s) are in %s",
					d.line, errBadData, ib, d.key, strings.Join(preds[ib], ", "), cs)
			}
			if d != nil {
				b.f.rel("IN_CLINICAL_SENATE", kICS, ib, kSenate, cs, era.icbsNow, "", srcSenates, d.method)
			}
		}
	}
}

// icbAlliances writes icb_alliances.csv: per ICB and period, the Cancer
// Alliances its sub-ICB locations are in, with the residents2015 share of
// the ICB in each (an ICB can span two: QT1 with Bassetlaw 02Q), merged
// over periods where nothing changed.
func (b *builder) icbAlliances() error {
	caOf := map[string]string{}
	caWhy := map[string]string{}
	for _, r := range b.f.rels {
		if r.typ == "IN_CANCER_ALLIANCE" && r.fromKind == kSub {
			caOf[r.fromCode], caWhy[r.fromCode] = r.toCode, r.derived
		}
	}
	type row struct {
		icb, ca, from, to, derived string
		pop, subs                  int64
		share                      float64
	}
	var rows []row
	ends := append(slices.Clone(b.eraDates[1:]), "")
	for e, date := range b.eraDates {
		pop := map[string]int64{}
		for k, f := range b.icbFrags[e] {
			if k.areaKind == kSub && !strings.HasPrefix(k.council, "E10") {
				pop[k.area] += f[0]
			}
		}
		type ik struct{ icb, ca string }
		agg := map[ik]*row{}
		tot := map[string]int64{}
		for _, sub := range slices.Sorted(maps.Keys(b.icbOfSub[date])) {
			ib := b.icbOfSub[date][sub]
			k := ik{ib, caOf[sub]}
			if agg[k] == nil {
				agg[k] = &row{icb: ib, ca: caOf[sub], from: date, to: ends[e]}
			}
			agg[k].pop += pop[sub]
			agg[k].subs++
			tot[ib] += pop[sub]
			for _, why := range []string{caWhy[sub], b.splitWhy(sub, date)} {
				if why != "" && !strings.Contains(agg[k].derived, why) {
					agg[k].derived = join(agg[k].derived, why)
				}
			}
		}
		for _, r := range agg {
			r.share = share(r.pop, tot[r.icb])
			rows = append(rows, *r)
		}
	}
	slices.SortFunc(rows, func(x, y row) int {
		return slices.Compare([]string{x.icb, x.ca, x.from}, []string{y.icb, y.ca, y.from})
	})
	var out [][]string
	for i := 0; i < len(rows); i++ {
		r := rows[i]
		for i+1 < len(rows) && rows[i+1].icb == r.icb && rows[i+1].ca == r.ca && rows[i+1].from == r.to && rows[i+1].pop == r.pop &&
			rows[i+1].subs == r.subs && rows[i+1].derived == r.derived {
			r.to = rows[i+1].to
			i++
		}
		o := b.f.get(kICS, r.icb)
		to := minDate(r.to, o.to)
		if to != "" && to <= r.from {
			continue
		}
		out = append(out, []string{r.icb, r.ca, r.from, to, strconv.FormatInt(r.pop, 10), ftoa(r.share), strconv.FormatInt(r.subs, 10),
			measure.residentsSmall, b.newest("ccg-alliance-lookup"), r.derived})
	}
	b.add("icb_alliances.csv", []string{"icb_code", "alliance_code", "valid_from", "valid_to", "population", "share", "sub_icb_locations",
		"population_measure", "source", "derived"}, out)
	return nil
}

// stpSuccessions derives the successions of STPs that ended before July 2022
// from their CCGs: each CCG of the STP on its last day (or the CCG that
// succeeded it that day) is in an STP on the next; the shares are the
// CCGs' mid-2015 residents. STPs of 2016 (no CCG → STP lookup) get none.
func (b *builder) stpSuccessions() {
	for _, o := range b.f.orgs {
		if o.kind != kSTP || o.to == "" || o.to >= era.icbs {
			continue
		}
		d := o.to
		var frags map[fragKey][2]int64
		for i := range b.ccgFrags {
			if b.ladLists[i].DescribesFrom < d {
				frags = b.ccgFrags[i]
			}
		}
		pop := map[string]int64{}
		for k, f := range frags {
			pop[k.area] += f[0]
		}
		into := map[string]int64{}
		for _, r := range b.f.rels {
			if r.typ != "PART_OF" || r.toKind != kSTP || r.toCode != o.code || r.to != d {
				continue
			}
			ccgs := []string{r.fromCode}
			if c := b.f.get(kCCG, r.fromCode); !c.holds(d) {
				ccgs = nil
				for _, x := range b.f.succs {
					if x.fromKind == kCCG && x.fromCode == r.fromCode && x.date == d {
						ccgs = append(ccgs, x.toCode)
					}
				}
			}
			for _, c := range ccgs {
				for _, q := range b.f.rels {
					if q.typ == "PART_OF" && q.fromKind == kCCG && q.fromCode == c && q.from <= d && (q.to == "" || q.to > d) {
						into[q.toCode] += pop[r.fromCode] / int64(len(ccgs))
					}
				}
			}
		}
		var total int64
		for _, n := range into {
			total += n
		}
		for _, t := range slices.Sorted(maps.Keys(into)) {
			x := succession{kSTP, o.code, kSTP, t, d, share(into[t], total), "", b.derive("stp-successions-by-ccgs", "*", "*", d), ""}
			for _, f := range b.filesWith("ccg-stp-lookup") {
				if f.DescribesFrom <= d {
					x.source = f.ID // the lookup of the STP's next day
				}
			}
			if len(into) > 1 {
				x.weight = measure.residentsSmall
			}
			b.f.succs = append(b.f.succs, x)
		}
	}
}

// regionWeight is the mid-2015 residents of the CCGs in region from on the
// day before date that are in region to on date.
func (b *builder) regionWeight(from, to, date string) int64 {
	var frags map[fragKey][2]int64
	for i := range b.ccgFrags {
		if b.ladLists[i].DescribesFrom < date {
			frags = b.ccgFrags[i]
		}
	}
	pop := map[string]int64{}
	for k, f := range frags {
		pop[k.area] += f[0]
	}
	in := func(ccg, region, d string) bool {
		for _, r := range b.f.rels {
			if r.typ == "IN_REGION" && r.fromKind == kCCG && r.fromCode == ccg && r.toCode == region && r.from <= d && (r.to == "" || r.to > d) {
				return true
			}
		}
		return false
	}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0
	}
	before := t.AddDate(0, 0, -1).Format(time.DateOnly)
	var n int64
	for _, o := range b.f.orgs {
		// CCGs that went on across the date (those merged that day are left out).
		if o.kind == kCCG && o.holds(before) && o.holds(date) && in(o.code, from, before) && in(o.code, to, date) {
			n += pop[o.code]
		}
	}
	return n
}

// vintageBefore is the population file's vintage for the sub-ICB locations
// the current ICBs replaced: the year before theirs.
func vintageBefore() string {
	y, _ := strconv.Atoi(era.icbsNow[:4]) // a date checked by the manifest
	return strconv.Itoa(y - 1)
}

// eraBefore returns the start of the ICB-era period before date's.
func (b *builder) eraBefore(date string) string {
	prev := ""
	for _, d := range b.eraDates {
		if d < date {
			prev = d
		}
	}
	return prev
}

// splitWhy is the method sentence of a part of a split from the split's date.
func (b *builder) splitWhy(sub, date string) string {
	if _, sp := b.splitOf(sub); sp != nil && date >= sp.date {
		return measure.residentsSmall + ": " + sp.method
	}
	return ""
}

// splitMethod is the method of the splits on the current ICBs' date (an
// ICB whose make-up changed is a sum over split parts).
func (b *builder) splitMethod() string {
	var ms []string
	for _, from := range slices.Sorted(maps.Keys(b.splits)) {
		if sp := b.splits[from]; sp.date == era.icbsNow && !slices.Contains(ms, sp.method) {
			ms = append(ms, sp.method)
		}
	}
	return strings.Join(ms, "; ")
}

// succWhy says why a succession row within the data's period was not used.
func (b *builder) succWhy(pred, succ, date string, predMissing bool) string {
	var pk, sk []string
	for _, k := range []string{kCCG, kICS, kSub, kTrust, kPCN, kPractice, kSTP, kRegion, kCouncil} {
		if o := b.f.get(k, pred); o != nil {
			pk = append(pk, k+" ending "+cmp.Or(o.to, "never"))
		}
		if o := b.f.get(k, succ); o != nil {
			sk = append(sk, k+" from "+o.from)
		}
	}
	switch {
	case len(pk) == 0 && len(sk) == 0:
		return "neither organisation is in the graph (a kind it does not hold, or outside its period)"
	case len(pk) == 0:
		return "the predecessor is not in the graph (a kind it does not hold, or outside its period)"
	case predMissing:
		return "the predecessor does not end on the row's date in the graph (" + strings.Join(pk, ", ") + ")"
	case len(sk) == 0:
		return "the successor is not in the graph (a kind it does not hold, or outside its period)"
	default:
		return "the successor is not of the predecessor's kind or not open on the row's date (" + strings.Join(sk, ", ") + ")"
	}
}
