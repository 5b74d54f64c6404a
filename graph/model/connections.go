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

// The connection and edge types of each kind are in org.go, next to the
// kind's type.

type MembershipConnection struct {
	Page
	Edges []*MembershipEdge
}

type MembershipEdge struct {
	Cursor string
	Node   *Membership
}
