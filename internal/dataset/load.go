package dataset

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// relKinds lists, per relationship type of relationships.csv, the kinds it
// may join (from → to): those internal/model.Relationships declares, except
// the edges other files carry with their figures (otherFiles: overlaps,
// partnerships and successions whatever their kinds, an ICS's Cancer
// Alliance memberships).
var relKinds = func() map[string][2][]string {
	otherFiles := map[string][]string{store.RelOverlaps: nil, store.RelPartnerOf: nil, store.RelSucceededBy: nil,
		store.RelInCancerAlliance: {store.KindICS}}
	kinds := func(labels []string, except []string) []string {
		var out []string
		for _, l := range labels {
			if k, ok := model.KindByLabel(l); ok && !slices.Contains(except, k.Value) {
				out = append(out, k.Value)
			}
		}
		return out
	}
	out := map[string][2][]string{}
	for _, r := range model.Relationships {
		except, other := otherFiles[r.Type]
		if other && except == nil {
			continue
		}
		out[r.Type] = [2][]string{kinds(r.From, except), kinds(r.To, nil)}
	}
	return out
}()

// Read reads and validates every seed file in dir. A missing or malformed
// file, a row without its key, a duplicate key, a bad date or period, or a
// reference to an unknown organisation or source is an error naming the file
// and line; nothing is returned half-read.
func Read(dir string) (*Dataset, error) {
	d := &Dataset{}
	srcIDs := map[string]bool{}
	source := func(r *row, col string) string { return r.ref(col, srcIDs, "source", false) }
	orgs := map[[2]string]*Org{}
	kinds := slices.Sorted(func(yield func(string) bool) {
		for k := range store.KindLabels {
			if !yield(k) {
				return
			}
		}
	})
	// orgRef checks a (kind, code) reference, optionally that the
	// organisation exists throughout [from, to).
	orgRef := func(r *row, kindCol, codeCol string, from, to string) *Org {
		k, c := r.oneOf(kindCol, kinds...), r.key(codeCol)
		o := orgs[[2]string{k, c}]
		if o == nil {
			r.fail("%s: unknown %s %q", codeCol, k, c)
			return nil
		}
		if from != "" && (from < o.ValidFrom || o.ValidTo != "" && (to == "" || to > o.ValidTo)) {
			r.fail("%s: %s %s exists %s–%s, not throughout %s–%s", codeCol, k, c, o.ValidFrom, o.ValidTo, from, to)
		}
		return o
	}
	period := func(r *row, fromCol, toCol string) (string, string) {
		from, to := r.date(fromCol), r.date(toCol)
		if from == "" {
			r.fail("%s is empty", fromCol)
		}
		if to != "" && to <= from {
			r.fail("%s %s is not after %s %s", toCol, to, fromCol, from)
		}
		return from, to
	}

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

	if f, err = readFile(dir, "organisations.csv", "kind", "code", "valid_from", "valid_to", "valid_basis", "sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		o := Org{Kind: r.oneOf("kind", kinds...), Code: r.key("code"), Basis: r.key("valid_basis"), Sources: r.list("sources")}
		o.ValidFrom, o.ValidTo = period(r, "valid_from", "valid_to")
		if len(o.Sources) == 0 {
			r.fail("sources is empty")
		}
		for _, s := range o.Sources {
			if !srcIDs[s] {
				r.fail("sources: unknown source %q", s)
			}
		}
		if orgs[[2]string{o.Kind, o.Code}] != nil {
			r.fail("%s %s appears twice", o.Kind, o.Code)
		}
		d.Orgs = append(d.Orgs, o)
		orgs[[2]string{o.Kind, o.Code}] = &d.Orgs[len(d.Orgs)-1]
		return nil
	}); err != nil {
		return nil, err
	}
	// d.Orgs must not grow after this point: the map holds pointers into it.
	if err := readAnnouncedEndings(dir, d, orgs, srcIDs); err != nil {
		return nil, err
	}
	if d.ChangeReport, err = readChangeReport(dir); err != nil {
		return nil, err
	}
	if d.MeasureRows, err = readMeasures(dir, srcIDs); err != nil {
		return nil, err
	}

	dated := func(name, col string, out *[]Dated) error {
		f, err := readFile(dir, name, "kind", "code", "valid_from", col, "source")
		if err != nil {
			return err
		}
		last := map[[2]string]string{}
		return f.each(func(r *row) error {
			x := Dated{Kind: r.str("kind"), Code: r.str("code"), Value: r.key(col), ValidFrom: r.date("valid_from"), Source: source(r, "source")}
			o := orgRef(r, "kind", "code", "", "")
			if o != nil && (x.ValidFrom < o.ValidFrom || o.ValidTo != "" && x.ValidFrom >= o.ValidTo) {
				r.fail("valid_from %s is outside the organisation's %s–%s", x.ValidFrom, o.ValidFrom, o.ValidTo)
			}
			k := [2]string{x.Kind, x.Code}
			if p, ok := last[k]; ok && p >= x.ValidFrom {
				r.fail("valid_from %s does not follow the previous %s of %s %s", x.ValidFrom, col, x.Kind, x.Code)
			}
			if _, ok := last[k]; !ok && o != nil && x.ValidFrom != o.ValidFrom {
				r.fail("the first %s of %s %s must hold from its start %s", col, x.Kind, x.Code, o.ValidFrom)
			}
			last[k] = x.ValidFrom
			*out = append(*out, x)
			return nil
		})
	}
	if err := dated("names.csv", "name", &d.Names); err != nil {
		return nil, err
	}
	if err := dated("ons_codes.csv", "ons_code", &d.OnsCodes); err != nil {
		return nil, err
	}
	named := map[[2]string]bool{}
	for _, n := range d.Names {
		named[[2]string{n.Kind, n.Code}] = true
	}
	for _, o := range d.Orgs {
		if !named[[2]string{o.Kind, o.Code}] {
			return nil, ensure(false, &file{path: dir + "/names.csv"}, "%s %s has no name", o.Kind, o.Code)
		}
	}

	if f, err = readFile(dir, "relationships.csv", "type", "from_kind", "from_code", "to_kind", "to_code", "valid_from", "valid_to", "source", "derived"); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	if err := f.each(func(r *row) error {
		x := Rel{Type: r.str("type"), FromKind: r.str("from_kind"), FromCode: r.str("from_code"), ToKind: r.str("to_kind"), ToCode: r.str("to_code"),
			Source: source(r, "source"), Derived: r.str("derived")}
		x.ValidFrom, x.ValidTo = period(r, "valid_from", "valid_to")
		ks, ok := relKinds[x.Type]
		if !ok {
			r.fail("type: %q is not a relationship type of relationships.csv", x.Type)
			return nil
		}
		if !slices.Contains(ks[0], x.FromKind) || !slices.Contains(ks[1], x.ToKind) {
			r.fail("a %s cannot be %s a %s", x.FromKind, x.Type, x.ToKind)
		}
		orgRef(r, "from_kind", "from_code", x.ValidFrom, x.ValidTo)
		orgRef(r, "to_kind", "to_code", x.ValidFrom, x.ValidTo)
		k := strings.Join([]string{x.Type, x.FromKind, x.FromCode, x.ToKind, x.ToCode, x.ValidFrom}, "/")
		if seen[k] {
			r.fail("relationship %s appears twice", k)
		}
		seen[k] = true
		d.Rels = append(d.Rels, x)
		return nil
	}); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "successions.csv", "from_kind", "from_code", "to_kind", "to_code", "date", "share", "share_weight", "basis", "source"); err != nil {
		return nil, err
	}
	shares := map[[3]string]float64{}
	if err := f.each(func(r *row) error {
		x := Succession{FromKind: r.str("from_kind"), FromCode: r.str("from_code"), ToKind: r.str("to_kind"), ToCode: r.str("to_code"),
			Date: r.date("date"), Share: r.float("share"), ShareWeight: r.str("share_weight"), Basis: r.key("basis"), Source: source(r, "source")}
		if a := orgRef(r, "from_kind", "from_code", "", ""); a != nil && a.ValidTo != x.Date && a.AnnouncedTo != x.Date {
			r.fail("from_code: %s %s ends on %s, not on %s", x.FromKind, x.FromCode, a.ValidTo, x.Date)
		}
		if b := orgRef(r, "to_kind", "to_code", "", ""); b != nil && !Holds(b.ValidFrom, b.ValidTo, x.Date) {
			r.fail("to_code: %s %s does not exist on %s", x.ToKind, x.ToCode, x.Date)
		}
		if x.Share <= 0 || x.Share > 1 || x.Share < 1 && x.ShareWeight == "" {
			r.fail("share %v must be in (0, 1], with share_weight when below 1", x.Share)
		}
		shares[[3]string{x.FromKind, x.FromCode, x.Date}] += x.Share
		d.Successions = append(d.Successions, x)
		return nil
	}); err != nil {
		return nil, err
	}
	for k, s := range shares {
		if math.Abs(s-1) > 1e-5 {
			return nil, ensure(false, f, "the shares of %s %s on %s sum to %v, not 1", k[0], k[1], k[2], s)
		}
	}

	if f, err = readFile(dir, "overlaps.csv", "council_code", "area_kind", "area_code", "valid_from", "valid_to", "population", "small_areas",
		"share_of_council", "share_of_area", "population_measure", "source", "population_source", "derived"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := Overlap{Council: r.str("council_code"), AreaKind: r.oneOf("area_kind", store.KindSubICBLocation, store.KindICS, store.KindCCG, store.KindSTP),
			Area: r.str("area_code"), Population: r.int("population"), SmallAreas: r.int("small_areas"),
			ShareOfCouncil: r.float("share_of_council"), ShareOfArea: r.float("share_of_area"), Measure: r.oneOf("population_measure", "residents2015"),
			Source: source(r, "source"), PopulationSource: source(r, "population_source"), Derived: r.str("derived")}
		x.ValidFrom, x.ValidTo = period(r, "valid_from", "valid_to")
		if o := orgs[[2]string{store.KindCouncil, x.Council}]; o == nil || x.ValidFrom < o.ValidFrom || o.ValidTo != "" && (x.ValidTo == "" || x.ValidTo > o.ValidTo) {
			r.fail("council_code: unknown council %q or not existing throughout the period", x.Council)
		}
		orgRef(r, "area_kind", "area_code", x.ValidFrom, x.ValidTo)
		if x.ShareOfCouncil > 1 || x.ShareOfArea > 1 {
			r.fail("shares must be at most 1")
		}
		d.Overlaps = append(d.Overlaps, x)
		return nil
	}); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "populations.csv", "kind", "code", "measure", "value", "source", "derived"); err != nil {
		return nil, err
	}
	// The measures are the data's own (measures.csv): populations.csv may
	// hold figures of those only, each citing its measure's source.
	sourceOf, measures := map[string]string{}, []string(nil)
	for _, m := range d.MeasureRows {
		sourceOf[m.Property] = m.Source
		measures = append(measures, m.Property)
	}
	if err := f.each(func(r *row) error {
		orgRef(r, "kind", "code", "", "")
		if src, ok := sourceOf[r.str("measure")]; ok && r.str("source") != src {
			r.fail("source %q is not the source of %s (%s)", r.str("source"), r.str("measure"), src)
		}
		d.Populations = append(d.Populations, Population{Kind: r.str("kind"), Code: r.str("code"), Measure: r.oneOf("measure", measures...),
			Value: r.int("value"), Source: source(r, "source"), Derived: r.str("derived")})
		return nil
	}); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "partners.csv", "icb_code", "partner_kind", "partner_code", "ods_code", "name_in_source", "valid_from", "valid_to", "source"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := Partner{ICB: r.str("icb_code"), Kind: r.oneOf("partner_kind", PartnerTrust, PartnerCouncil), Code: r.str("partner_code"),
			OdsCode: r.key("ods_code"), NameInSource: r.str("name_in_source"), Source: source(r, "source")}
		x.ValidFrom, x.ValidTo = period(r, "valid_from", "valid_to")
		if o := orgs[[2]string{store.KindICS, x.ICB}]; o == nil || !Holds(o.ValidFrom, o.ValidTo, x.ValidFrom) {
			r.fail("icb_code: unknown ICB %q", x.ICB)
		}
		if o := orgs[[2]string{x.Kind, x.Code}]; o == nil || !Holds(o.ValidFrom, o.ValidTo, x.ValidFrom) {
			r.fail("partner_code: unknown %s %q", strings.ToLower(x.Kind), x.Code)
		}
		d.Partners = append(d.Partners, x)
		return nil
	}); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "icb_alliances.csv", "icb_code", "alliance_code", "valid_from", "valid_to", "population", "share", "sub_icb_locations",
		"population_measure", "source", "derived"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := ICBAlliance{ICB: r.str("icb_code"), Alliance: r.str("alliance_code"), Population: r.int("population"), Share: r.float("share"),
			SubICBLocations: r.int("sub_icb_locations"), Measure: r.oneOf("population_measure", "residents2015"), Source: source(r, "source"), Derived: r.str("derived")}
		x.ValidFrom, x.ValidTo = period(r, "valid_from", "valid_to")
		for _, c := range [][2]string{{store.KindICS, x.ICB}, {store.KindCancerAlliance, x.Alliance}} {
			if o := orgs[c]; o == nil || x.ValidFrom < o.ValidFrom || o.ValidTo != "" && (x.ValidTo == "" || x.ValidTo > o.ValidTo) {
				r.fail("unknown %s %q, or it does not exist throughout the period", c[0], c[1])
			}
		}
		if x.Share > 1 {
			r.fail("share %v is above 1", x.Share)
		}
		d.ICBAlliances = append(d.ICBAlliances, x)
		return nil
	}); err != nil {
		return nil, err
	}

	exists := func(r *row, kind string) string {
		c := r.key("code")
		if orgs[[2]string{kind, c}] == nil {
			r.fail("code: unknown %s %q", kind, c)
		}
		return c
	}
	if f, err = readFile(dir, "icbs.csv", "code", "wave", "announced", "announced_precision", "effective_from", "name_as_announced", "designation_sources"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := Designation{Code: exists(r, store.KindICS), Wave: r.key("wave"), Announced: r.str("announced"),
			AnnouncedPrecision: r.oneOf("announced_precision", "year", "month", "day"), EffectiveFrom: r.date("effective_from"),
			NameAsAnnounced: r.str("name_as_announced"), Sources: r.list("designation_sources")}
		for _, s := range x.Sources {
			if !srcIDs[s] {
				r.fail("designation_sources: unknown source %q", s)
			}
		}
		d.Designations = append(d.Designations, x)
		return nil
	}); err != nil {
		return nil, err
	}

	regions := map[string]bool{}
	for _, o := range d.Orgs {
		if o.Kind == store.KindRegion {
			regions[o.Code] = true
		}
	}
	if f, err = readFile(dir, "trusts.csv", "code", "region_code", "postcode", "open_date", "close_date", "status", "foundation_trust", "trust_type", "trust_type_basis"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		x := Trust{Code: exists(r, store.KindTrust), Region: r.ref("region_code", regions, "region", true),
			Postcode: r.str("postcode"), OpenDate: r.date("open_date"), CloseDate: r.date("close_date"), Status: r.oneOf("status", "OPEN", "CLOSED"), FoundationTrust: r.bool("foundation_trust"),
			TrustType: r.oneOf("trust_type", "ACUTE", "MENTAL_HEALTH", "COMMUNITY", "AMBULANCE", "SPECIALIST", "UNKNOWN"), TrustTypeBasis: r.key("trust_type_basis")}
		if (x.Status == "CLOSED") != (x.CloseDate != "") {
			r.fail("status %s does not agree with close_date %q", x.Status, x.CloseDate)
		}
		d.Trusts = append(d.Trusts, x)
		return nil
	}); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "councils.csv", "code", "council_type", "ons_region_code", "ons_region_name", "ods_code"); err != nil {
		return nil, err
	}
	prefixes := map[string]string{"UNITARY": "E06", "NON_METROPOLITAN_DISTRICT": "E07", "METROPOLITAN_BOROUGH": "E08", "LONDON_BOROUGH": "E09", "COUNTY": "E10"}
	if err := f.each(func(r *row) error {
		c := Council{Code: exists(r, store.KindCouncil), CouncilType: r.oneOf("council_type", "UNITARY", "NON_METROPOLITAN_DISTRICT", "METROPOLITAN_BOROUGH", "LONDON_BOROUGH", "COUNTY"),
			OnsRegionCode: r.str("ons_region_code"), OnsRegion: r.str("ons_region_name"), OdsCode: r.str("ods_code")}
		if !strings.HasPrefix(c.Code, prefixes[c.CouncilType]) {
			r.fail("code %q does not match council_type %s", c.Code, c.CouncilType)
		}
		d.Councils = append(d.Councils, c)
		return nil
	}); err != nil {
		return nil, err
	}

	if f, err = readFile(dir, "clinical_senates.csv", "code", "note"); err != nil {
		return nil, err
	}
	if err := f.each(func(r *row) error {
		d.Senates = append(d.Senates, Senate{Code: exists(r, store.KindClinicalSenate), Note: r.str("note")})
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readSmallAreas(dir, d, orgs, srcIDs); err != nil {
		return nil, err
	}
	return d, nil
}

func (r *row) float(col string) float64 {
	x, err := strconv.ParseFloat(r.str(col), 64)
	if err != nil || x < 0 || math.IsNaN(x) {
		r.fail("%s: %q is not a non-negative number", col, r.str(col))
	}
	return x
}
