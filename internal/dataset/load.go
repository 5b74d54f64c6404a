package dataset

import (
	"strconv"
	"strings"
)

// Read reads and validates every seed file in dir. A missing or malformed
// file, a row without its key, a duplicate key or a reference to an unknown
// code is an error naming the file and line.
func Read(dir string) (*Dataset, error) {
	d := &Dataset{}
	srcIDs := map[string]bool{}
	org := func(r *row, withONS bool) Org {
		o := Org{Code: r.key("code"), Name: r.key("name"), FormerOnsCodes: []string{}, Sources: r.list("sources")}
		if withONS {
			o.OnsCode, o.FormerOnsCodes = r.str("ons_code"), r.list("former_ons_codes")
		}
		if len(o.Sources) == 0 {
			r.fail("sources is empty")
		}
		for _, s := range o.Sources {
			if !srcIDs[s] {
				r.fail("sources: unknown source %q", s)
			}
		}
		return o
	}
	source := func(r *row, col string) string { return r.ref(col, srcIDs, "source", false) }

	f, err := readFile(dir, "sources.csv", "id", "title", "publisher", "released", "file", "url", "licence")
	if err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		s := Source{ID: r.key("id"), Title: r.key("title"), Publisher: r.str("publisher"), Released: r.date("released"),
			File: r.str("file"), URL: r.str("url"), Licence: r.str("licence")}
		if srcIDs[s.ID] {
			r.fail("source %q appears twice", s.ID)
		}
		srcIDs[s.ID] = true
		d.Sources = append(d.Sources, s)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, id := range []string{SrcLOC22, SrcCAL21, SrcNHSER21, SrcLSOA, SrcWard, SrcETR, SrcEPCN, SrcSenates} {
		if err := ensure(srcIDs[id], f, "source %q, which the loader cites on edges, is missing", id); err != nil {
			return nil, err
		}
	}

	if f, err = readFile(dir, "regions.csv", "code", "ons_code", "former_ons_codes", "name", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error { d.Regions = append(d.Regions, Region{org(r, true)}); return nil }); err != nil {
		return nil, err
	}
	regions, err := codes(f, d.Regions, func(x Region) string { return x.Code })
	if err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "icbs.csv", "code", "ons_code", "former_ons_codes", "name", "region_code", "wave", "announced",
		"announced_precision", "effective_from", "name_as_announced", "designation_sources", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := ICB{Org: org(r, true), Region: r.ref("region_code", regions, "region", false), Wave: r.key("wave"),
			Announced: r.str("announced"), AnnouncedPrecision: r.oneOf("announced_precision", "year", "month", "day"),
			EffectiveFrom: r.date("effective_from"), NameAsAnnounced: r.str("name_as_announced"), DesignationSources: r.list("designation_sources")}
		for _, s := range x.DesignationSources {
			if !srcIDs[s] {
				r.fail("designation_sources: unknown source %q", s)
			}
		}
		d.ICBs = append(d.ICBs, x)
		return nil
	}); err != nil {
		return nil, err
	}
	icbs, err := codes(f, d.ICBs, func(x ICB) string { return x.Code })
	if err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "cancer_alliances.csv", "code", "name", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		o := org(r, false)
		o.OnsCode = o.Code // Cancer Alliances are keyed by their ONS code
		d.CancerAlliances = append(d.CancerAlliances, CancerAlliance{o})
		return nil
	}); err != nil {
		return nil, err
	}
	alliances, err := codes(f, d.CancerAlliances, func(x CancerAlliance) string { return x.Code })
	if err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "sub_icb_locations.csv", "code", "ons_code", "former_ons_codes", "name", "icb_code", "cancer_alliance_code", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		d.SubICBs = append(d.SubICBs, SubICB{Org: org(r, true), ICB: r.ref("icb_code", icbs, "ICB", false),
			CancerAlliance: r.ref("cancer_alliance_code", alliances, "Cancer Alliance", false)})
		return nil
	}); err != nil {
		return nil, err
	}
	subs, err := codes(f, d.SubICBs, func(x SubICB) string { return x.Code })
	if err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "councils.csv", "code", "name", "council_type", "county_code", "ons_region_code", "ons_region_name", "ods_code", "sources"); err != nil {
		return nil, err
	}
	prefixes := map[string]string{"UNITARY": "E06", "NON_METROPOLITAN_DISTRICT": "E07", "METROPOLITAN_BOROUGH": "E08", "LONDON_BOROUGH": "E09", "COUNTY": "E10"}
	if err := f.each(func(r *row) error {
		o := org(r, false)
		o.OnsCode = o.Code // councils are keyed by their ONS code
		c := Council{Org: o, CouncilType: r.oneOf("council_type", "UNITARY", "NON_METROPOLITAN_DISTRICT", "METROPOLITAN_BOROUGH", "LONDON_BOROUGH", "COUNTY"),
			County: r.str("county_code"), OnsRegionCode: r.str("ons_region_code"), OnsRegion: r.str("ons_region_name"), OdsCode: r.str("ods_code")}
		if !strings.HasPrefix(c.Code, prefixes[c.CouncilType]) {
			r.fail("code %q does not match council_type %s", c.Code, c.CouncilType)
		}
		d.Councils = append(d.Councils, c)
		return nil
	}); err != nil {
		return nil, err
	}
	councils, err := codes(f, d.Councils, func(x Council) string { return x.Code })
	if err != nil {
		return nil, err
	}
	for i, c := range d.Councils {
		if c.County != "" && (!councils[c.County] || !strings.HasPrefix(c.County, "E10") || c.CouncilType != "NON_METROPOLITAN_DISTRICT") {
			return nil, f.rowErr(i, "county_code: %q is not a county council above a district", c.County)
		}
	}

	if f, err = readFile(dir, "council_areas.csv", "council_code", "sub_icb_code", "population", "small_areas", "source", "population_source"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := Fragment{Council: r.ref("council_code", councils, "council", false), SubICB: r.ref("sub_icb_code", subs, "sub-ICB location", false),
			Population: r.int("population"), SmallAreas: r.int("small_areas"), Source: source(r, "source"), PopulationSource: source(r, "population_source")}
		if strings.HasPrefix(x.Council, "E10") {
			r.fail("council_code: %s is a county; fragments are of districts and unitaries", x.Council)
		}
		d.Fragments = append(d.Fragments, x)
		return nil
	}); err != nil {
		return nil, err
	}
	if _, err := codes(f, d.Fragments, func(x Fragment) string { return x.Council + "/" + x.SubICB }); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "trusts.csv", "code", "name", "region_code", "icb_code", "postcode", "open_date", "close_date", "status",
		"foundation_trust", "trust_type", "trust_type_basis", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := Trust{Org: org(r, false), Region: r.ref("region_code", regions, "region", false), ICB: r.ref("icb_code", icbs, "ICB", false),
			Postcode: r.str("postcode"), OpenDate: r.date("open_date"), CloseDate: r.date("close_date"), Status: r.oneOf("status", "OPEN", "CLOSED"),
			FoundationTrust: r.bool("foundation_trust"), TrustType: r.oneOf("trust_type", "ACUTE", "MENTAL_HEALTH", "COMMUNITY", "AMBULANCE", "SPECIALIST", "UNKNOWN"),
			TrustTypeBasis: r.key("trust_type_basis")}
		if (x.Status == "CLOSED") != (x.CloseDate != "") {
			r.fail("status %s does not agree with close_date %q", x.Status, x.CloseDate)
		}
		d.Trusts = append(d.Trusts, x)
		return nil
	}); err != nil {
		return nil, err
	}
	trusts, err := codes(f, d.Trusts, func(x Trust) string { return x.Code })
	if err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "clinical_senates.csv", "code", "name", "region_code", "icb_codes", "note", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := Senate{Org: org(r, false), Region: r.ref("region_code", regions, "region", false), Note: r.str("note"), ICBs: r.list("icb_codes")}
		for _, c := range x.ICBs {
			if !icbs[c] {
				r.fail("icb_codes: unknown ICB %q", c)
			}
		}
		d.Senates = append(d.Senates, x)
		return nil
	}); err != nil {
		return nil, err
	}
	if _, err := codes(f, d.Senates, func(x Senate) string { return x.Code }); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "partners.csv", "icb_code", "partner_kind", "partner_code", "ods_code", "name_in_source", "source"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := Partner{ICB: r.ref("icb_code", icbs, "ICB", false), Kind: r.oneOf("partner_kind", PartnerTrust, PartnerCouncil),
			OdsCode: r.key("ods_code"), NameInSource: r.str("name_in_source"), Source: source(r, "source")}
		if x.Kind == PartnerTrust {
			x.Code = r.ref("partner_code", trusts, "trust", false)
		} else {
			x.Code = r.ref("partner_code", councils, "council", false)
		}
		d.Partners = append(d.Partners, x)
		return nil
	}); err != nil {
		return nil, err
	}
	if _, err := codes(f, d.Partners, func(x Partner) string { return x.ICB + "/" + x.Kind + "/" + x.Code }); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "pcns.csv", "code", "name", "sub_icb_code", "open_date", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		d.PCNs = append(d.PCNs, PCN{Org: org(r, false), SubICB: r.ref("sub_icb_code", subs, "sub-ICB location", false), OpenDate: r.date("open_date")})
		return nil
	}); err != nil {
		return nil, err
	}
	pcns, err := codes(f, d.PCNs, func(x PCN) string { return x.Code })
	if err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "practices.csv", "code", "name", "pcn_code", "joined", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		d.Practices = append(d.Practices, Practice{Org: org(r, false), PCN: r.ref("pcn_code", pcns, "PCN", false), Joined: r.date("joined")})
		return nil
	}); err != nil {
		return nil, err
	}
	if _, err := codes(f, d.Practices, func(x Practice) string { return x.Code }); err != nil {
		return nil, err
	}

	years := func(r *row) []int64 {
		var ys []int64
		for _, y := range r.list("years") {
			n, err := strconv.ParseInt(y, 10, 64)
			if err != nil || n < 2013 || n > 2022 {
				r.fail("years: %q is not a year of the CCG era", y)
			}
			ys = append(ys, n)
		}
		if len(ys) == 0 {
			r.fail("years is empty")
		}
		return ys
	}
	if f, err = readFile(dir, "stps.csv", "code", "ons_code", "former_ons_codes", "name", "years", "region_code", "successor_icb_code", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		d.STPs = append(d.STPs, STP{Org: org(r, true), Years: years(r), Region: r.ref("region_code", regions, "region", true),
			Successor: r.ref("successor_icb_code", icbs, "ICB", true)})
		return nil
	}); err != nil {
		return nil, err
	}
	stps, err := codes(f, d.STPs, func(x STP) string { return x.Code })
	if err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "ccgs.csv", "code", "ons_code", "former_ons_codes", "name", "years", "region_code", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		d.CCGs = append(d.CCGs, CCG{Org: org(r, true), Years: years(r), Region: r.ref("region_code", regions, "region", true)})
		return nil
	}); err != nil {
		return nil, err
	}
	ccgs, err := codes(f, d.CCGs, func(x CCG) string { return x.Code })
	if err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "ccg_stps.csv", "ccg_code", "stp_code", "year", "source"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		d.CCGInSTPs = append(d.CCGInSTPs, CCGInSTP{CCG: r.ref("ccg_code", ccgs, "CCG", false), STP: r.ref("stp_code", stps, "STP", false),
			Year: r.int("year"), Source: source(r, "source")})
		return nil
	}); err != nil {
		return nil, err
	}
	if _, err := codes(f, d.CCGInSTPs, func(x CCGInSTP) string { return x.CCG + "/" + x.STP + "/" + strconv.FormatInt(x.Year, 10) }); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "ccg_successors.csv", "ccg_code", "successor_kind", "successor_code", "since", "basis", "source"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := CCGSuccession{CCG: r.ref("ccg_code", ccgs, "CCG", false), Kind: r.oneOf("successor_kind", SuccSubICB, SuccCCG),
			Since: r.date("since"), Basis: r.str("basis"), Source: source(r, "source")}
		if x.Kind == SuccSubICB {
			x.Successor = r.ref("successor_code", subs, "sub-ICB location", false)
		} else {
			x.Successor = r.ref("successor_code", ccgs, "CCG", false)
		}
		d.CCGSuccessions = append(d.CCGSuccessions, x)
		return nil
	}); err != nil {
		return nil, err
	}
	return d, nil
}
