package model

// Rel holds what every relationship carries: its source (resolved by id) and
// the date from which it holds.
type Rel struct {
	SourceID  string
	Since     *Date
	ValidFrom *Date
	ValidTo   *Date
	// Announced: the relationship is known only from an announcement.
	Announced bool
	// Derived says how the relationship or its figures were derived, where
	// no source states them directly.
	Derived *string
	// Src is the Source node, when the compiled statement read it (HasSrc).
	Src    *Source
	HasSrc bool
}

// IsRelationship marks Rel-based types as Relationships.
func (Rel) IsRelationship() {}

type Partnership struct {
	Rel
	Partner              Organisation
	IntegratedCareSystem *IntegratedCareSystem
}

// Overlap holds the measured overlap of a council with an area.
type Overlap struct {
	Rel
	SharedPopulation int
	SharedSmallAreas int
	ShareOfCouncil   float64
	PopulationYear   int
}

type CouncilIcsOverlap struct {
	Overlap
	Council              *Council
	IntegratedCareSystem *IntegratedCareSystem
	ShareOfIcs           float64
}

type CouncilSubIcbOverlap struct {
	Overlap
	Council               *Council
	SubIcbLocation        *SubIcbLocation
	ShareOfSubIcbLocation float64
}

type CancerAllianceMembership struct {
	Rel
	IntegratedCareSystem *IntegratedCareSystem
	CancerAlliance       *CancerAlliance
	Population           *int
	Share                *float64
	SubIcbLocations      *int
}

// Succession is one organisation succeeding another (SUCCEEDED_BY), seen
// from either side: Organisation is the other one.
type Succession struct {
	Rel
	Organisation Organisation
	Date         *Date
	Share        *float64
	ShareWeight  *string
	Basis        *string
}
