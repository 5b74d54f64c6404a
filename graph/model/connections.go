package model

import "context"

// PageInfo is Relay's page information.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// Page carries what every connection shares. The total is counted only when
// a query asks for totalCount, by a separate query.
type Page struct {
	PageInfo *PageInfo
	Count    func(ctx context.Context) (int, error)
}

// TotalCount runs the count query.
func (p Page) TotalCount(ctx context.Context) (int, error) { return p.Count(ctx) }

// The connection and edge types of each kind follow.

type RegionConnection struct {
	Page
	Edges []*RegionEdge
}

type RegionEdge struct {
	Cursor string
	Node   *Region
}

type IntegratedCareSystemConnection struct {
	Page
	Edges []*IntegratedCareSystemEdge
}

type IntegratedCareSystemEdge struct {
	Cursor string
	Node   *IntegratedCareSystem
}

type SubIcbLocationConnection struct {
	Page
	Edges []*SubIcbLocationEdge
}

type SubIcbLocationEdge struct {
	Cursor string
	Node   *SubIcbLocation
}

type TrustConnection struct {
	Page
	Edges []*TrustEdge
}

type TrustEdge struct {
	Cursor string
	Node   *Trust
}

type CouncilConnection struct {
	Page
	Edges []*CouncilEdge
}

type CouncilEdge struct {
	Cursor string
	Node   *Council
}

type CancerAllianceConnection struct {
	Page
	Edges []*CancerAllianceEdge
}

type CancerAllianceEdge struct {
	Cursor string
	Node   *CancerAlliance
}

type ClinicalSenateConnection struct {
	Page
	Edges []*ClinicalSenateEdge
}

type ClinicalSenateEdge struct {
	Cursor string
	Node   *ClinicalSenate
}

type PrimaryCareNetworkConnection struct {
	Page
	Edges []*PrimaryCareNetworkEdge
}

type PrimaryCareNetworkEdge struct {
	Cursor string
	Node   *PrimaryCareNetwork
}

type GpPracticeConnection struct {
	Page
	Edges []*GpPracticeEdge
}

type GpPracticeEdge struct {
	Cursor string
	Node   *GpPractice
}

type StpConnection struct {
	Page
	Edges []*StpEdge
}

type StpEdge struct {
	Cursor string
	Node   *Stp
}

type CcgConnection struct {
	Page
	Edges []*CcgEdge
}

type CcgEdge struct {
	Cursor string
	Node   *Ccg
}

type MembershipConnection struct {
	Page
	Edges []*MembershipEdge
}

type MembershipEdge struct {
	Cursor string
	Node   *Membership
}
