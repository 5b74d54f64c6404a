package dataset

import "fmt"

// Org holds what every organisation has.
type Org struct {
	Code, OnsCode, Name string
	FormerOnsCodes      []string
	Sources             []string
}

// Source is one row of sources.csv.
type Source struct{ ID, Title, Publisher, Released, File, URL, Licence string }

type (
	Region struct{ Org }
	ICB    struct {
		Org
		Region                                                              string
		Wave, Announced, AnnouncedPrecision, EffectiveFrom, NameAsAnnounced string
		DesignationSources                                                  []string
	}
	SubICB struct {
		Org
		ICB, CancerAlliance string
	}
	Trust struct {
		Org
		Region, ICB, Postcode, OpenDate, CloseDate, Status string
		FoundationTrust                                    bool
		TrustType, TrustTypeBasis                          string
	}
	Council struct {
		Org
		CouncilType, County, OnsRegionCode, OnsRegion, OdsCode string
	}
	// Fragment is the part of a district or unitary council that lies in one
	// sub-ICB location, aggregated from 2011 small areas.
	Fragment struct {
		Council, SubICB          string
		Population, SmallAreas   int64
		Source, PopulationSource string
	}
	CancerAlliance struct{ Org }
	Senate         struct {
		Org
		Region, Note string
		ICBs         []string
	}
	Partner struct {
		ICB, Kind, Code, OdsCode, NameInSource, Source string
	}
	PCN struct {
		Org
		SubICB, OpenDate string
	}
	Practice struct {
		Org
		PCN, Joined string
	}
	STP struct {
		Org
		Years     []int64
		Region    string
		Successor string
	}
	CCG struct {
		Org
		Years  []int64
		Region string
	}
	CCGInSTP struct {
		CCG, STP string
		Year     int64
		Source   string
	}
	CCGSuccession struct {
		CCG, Kind, Successor, Since, Basis, Source string
	}
)

// Partner kinds and CCG successor kinds used in the seed files.
const (
	PartnerTrust   = "TRUST"
	PartnerCouncil = "COUNCIL"
	SuccSubICB     = "SUB_ICB_LOCATION"
	SuccCCG        = "CCG"
)

// PopulationYear is the year of the small-area population estimates.
const PopulationYear = 2015

// Dataset is the whole validated seed.
type Dataset struct {
	Sources         []Source
	Regions         []Region
	ICBs            []ICB
	SubICBs         []SubICB
	Trusts          []Trust
	Councils        []Council
	Fragments       []Fragment
	CancerAlliances []CancerAlliance
	Senates         []Senate
	Partners        []Partner
	PCNs            []PCN
	Practices       []Practice
	STPs            []STP
	CCGs            []CCG
	CCGInSTPs       []CCGInSTP
	CCGSuccessions  []CCGSuccession
}

// codes collects the key set of a kind, rejecting duplicates.
func codes[T any](f *file, items []T, code func(T) string) (map[string]bool, error) {
	set := map[string]bool{}
	for i, it := range items {
		c := code(it)
		if set[c] {
			return nil, f.rowErr(i, "code %q appears twice", c)
		}
		set[c] = true
	}
	return set, nil
}

// ensure is a small helper to format a cross-file error.
func ensure(ok bool, f *file, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf("%s: %w: %s", f.path, ErrInvalid, fmt.Sprintf(format, args...))
}
