package model

// Path is a path through the graph.
type Path struct {
	Length        int
	Organisations []Organisation
	Hops          []*PathHop
}

// PathHop is one step of a path.
type PathHop struct {
	Rel
	From         Organisation
	To           Organisation
	Relationship string
	Direction    HopDirection
}

// Membership is an organisation reached by a membership traversal.
type Membership struct {
	Organisation Organisation
	Depth        int
	Path         *Path
}

// GraphEdge is an edge of a neighbourhood subgraph.
type GraphEdge struct {
	Rel
	ID           string
	Relationship string
	From         string
	To           string
	Share        *float64
}

// CoterminosityReport is the coterminosity of one kind of area with another.
// Its fits and worstSplits fields take arguments, so they are resolved from
// AllFits rather than bound to fields.
type CoterminosityReport struct {
	AsOf        Date
	Inner       AreaKind
	Outer       AreaKind
	Weight      *WeightUsed
	Areas       int
	Coterminous int
	Split       int
	ExactUnions int
	OuterAreas  int
	Unions      []*AreaUnion
	// AllFits has every inner area, worst split first.
	AllFits []*AreaFit
}
