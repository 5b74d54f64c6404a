package dataset

import "fmt"

// Source is one row of sources.csv.
type Source struct{ ID, Title, Publisher, Released, File, URL, Licence string }

// The seed files describe every period: each organisation has the dates it
// existed (ValidTo exclusive, "" = still exists), each name and ONS code the
// date it was taken, each relationship the dates it held.
type (
	// Org is one row of organisations.csv.
	Org struct {
		Kind, Code, ValidFrom, ValidTo, Basis string
		Sources                               []string
		// AnnouncedTo and AnnouncedEnd: the date and announcement of an
		// announced closure (announced_endings.csv; ValidTo stays "").
		AnnouncedTo, AnnouncedEnd string
	}
	// Dated is a name (names.csv) or ONS code (ons_codes.csv) held from ValidFrom.
	Dated struct{ Kind, Code, Value, ValidFrom, Source string }
	// Rel is one relationship (relationships.csv) for the period it held.
	Rel struct {
		Type, FromKind, FromCode, ToKind, ToCode, ValidFrom, ValidTo, Source, Derived string
	}
	// Succession is one SUCCEEDED_BY fact (successions.csv).
	Succession struct {
		FromKind, FromCode, ToKind, ToCode, Date string
		Share                                    float64
		ShareWeight, Basis, Source               string
	}
	// Overlap is a council × area (sub-ICB location, ICB, CCG) fact for a period.
	Overlap struct {
		Council, AreaKind, Area, ValidFrom, ValidTo string
		Population, SmallAreas                      int64
		ShareOfCouncil, ShareOfArea                 float64
		Measure, Source, PopulationSource, Derived  string
	}
	// Population is one measure of an organisation (populations.csv).
	Population struct {
		Kind, Code, Measure string
		Value               int64
		Source, Derived     string
	}
	// ICBAlliance is an ICB's share in a Cancer Alliance for a period
	// (icb_alliances.csv): the residents2015 of its sub-ICB locations there.
	ICBAlliance struct {
		ICB, Alliance, ValidFrom, ValidTo string
		Population, SubICBLocations       int64
		Share                             float64
		Measure, Source, Derived          string
	}
	// Partner is one PARTNER_OF fact (partners.csv).
	Partner struct {
		ICB, Kind, Code, OdsCode, NameInSource, ValidFrom, ValidTo, Source string
	}
	// Designation is the curated ICS designation of an ICB of July 2022.
	Designation struct {
		Code, Wave, Announced, AnnouncedPrecision, EffectiveFrom, NameAsAnnounced string
		Sources                                                                   []string
	}
	Trust struct {
		Code, Region, Postcode, OpenDate, CloseDate, Status string
		FoundationTrust                                     bool
		TrustType, TrustTypeBasis                           string
	}
	Council struct{ Code, CouncilType, OnsRegionCode, OnsRegion, OdsCode string }
	Senate  struct{ Code, Note string }
)

// Partner kinds used in partners.csv.
const (
	PartnerTrust   = "TRUST"
	PartnerCouncil = "COUNCIL"
)

// Dataset is the whole validated seed.
type Dataset struct {
	Sources      []Source
	Orgs         []Org
	Names        []Dated
	OnsCodes     []Dated
	Rels         []Rel
	Successions  []Succession
	Overlaps     []Overlap
	Populations  []Population
	Partners     []Partner
	ICBAlliances []ICBAlliance
	Designations []Designation
	Trusts       []Trust
	Councils     []Council
	Senates      []Senate
	// Small areas (smallareas.go).
	SmallAreas       []SmallArea
	Memberships      []Membership
	SmallAreaPeriods []SmallAreaPeriod
	// ChangeReport is the release's change report (change_report.txt).
	ChangeReport string
	// MeasureRows are the population measures of measures.csv.
	MeasureRows []MeasureRow
}

// Holds reports whether a period [from, to) contains date d (ISO strings;
// to "" = still holds).
func Holds(from, to, d string) bool { return from <= d && (to == "" || to > d) }

// ensure is a small helper to format a cross-file error.
func ensure(ok bool, f *file, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf("%s: %w: %s", f.path, ErrInvalid, fmt.Sprintf(format, args...))
}

// OrgsOn returns the organisations of a kind that exist on date d.
func (d *Dataset) OrgsOn(kind, date string) []Org {
	var out []Org
	for _, o := range d.Orgs {
		if o.Kind == kind && Holds(o.ValidFrom, o.ValidTo, date) {
			out = append(out, o)
		}
	}
	return out
}

// RelsOn returns the relationships of a type from a kind that hold on date d.
func (d *Dataset) RelsOn(typ, fromKind, date string) []Rel {
	var out []Rel
	for _, r := range d.Rels {
		if r.Type == typ && r.FromKind == fromKind && Holds(r.ValidFrom, r.ValidTo, date) {
			out = append(out, r)
		}
	}
	return out
}
