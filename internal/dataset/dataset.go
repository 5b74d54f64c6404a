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
		Code, Region, Postcode, OpenDate, CloseDate string
		FoundationTrust                             bool
		TrustType, TrustTypeBasis                   string
	}
	Council struct{ Code, CouncilType, OnsRegionCode, OnsRegion, OdsCode string }
	Senate  struct{ Code, Note string }
)

// Partner kinds used in partners.csv.
const (
	PartnerTrust   = "TRUST"
	PartnerCouncil = "COUNCIL"
)

// Measures are the population measures (populations.csv), each described
// once: the property name on the node and what it counts.
var Measures = map[string]string{
	"residents2015":  "residents, mid-2015 (MHCLG/ONS population of the 2011 LSOAs in the area, summed; official small-area figures)",
	"residents2022":  "residents, mid-2022 (derived: IMD 2025 denominators aggregated to sub-ICB locations by a third party; summed to ICBs)",
	"registered2026": "patients registered at GP practices, 1 August 2026 (NHS England)",
	"smallAreas":     "number of 2011 LSOAs in the area (with residents2015)",
}

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
	Designations []Designation
	Trusts       []Trust
	Councils     []Council
	Senates      []Senate
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
