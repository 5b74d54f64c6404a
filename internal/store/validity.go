package store

import (
	"context"

	"github.com/icsgraph/icsgraph/internal/cypher"
)

// The rules of time and releases are internal/cypher's (rules.go: Valid,
// InRelease, When); the statements below apply them and never restate them.

// heldOn is "v holds on $asOf", or "had begun by then" when $closed
// (cypher.Valid with cypher.ClosedParam).
func heldOn(v string) string { return cypher.Valid(v, cypher.ClosedParam) }

// inRelease is the release predicate (cypher.InRelease).
func inRelease(v string) string { return cypher.InRelease(v) }

// When is the date a read answers for (cypher.When).
type When = cypher.When

// whenParams binds the date, the closed and announced flags and the pinned
// release into a query's parameters; every traversal and history query goes
// through it.
func whenParams(ctx context.Context, w When, p map[string]any) map[string]any {
	var release *int64
	if id, ok := ReleaseFrom(ctx); ok {
		release = &id
	}
	return w.Params(release, p)
}

// releaseParams binds $release (and the rest of When's parameters, for the
// newest date) for reads that take no date.
func releaseParams(ctx context.Context, params map[string]any) map[string]any {
	_, to := DataRange(ctx)
	return whenParams(ctx, When{AsOf: to}, params)
}

// Lists, their filters and cursors are compiled by internal/cypher.
type (
	ListQuery = cypher.ListQuery
	Filter    = cypher.Filter
	Cursor    = cypher.Cursor
	ErrFilter = cypher.ErrFilter
	KindCode  = cypher.KindCode
)

// Sort fields for lists.
const (
	SortName       = cypher.SortName
	SortCode       = cypher.SortCode
	SortPopulation = cypher.SortPopulation
)
