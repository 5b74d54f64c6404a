package store

import (
	"context"
	"time"
)

// A data release: one complete load of seed/data. Every organisation and
// Source node carries the id of the release it belongs to (property
// `release`), and every relationship joins nodes of one release, so a reader
// that enters the graph through nodes of release R stays inside R. A new load
// writes a new release beside the current one and then makes it current in
// one write; readers pin a release at the start of a request.
type Release struct {
	ID       int64     // increasing with every load
	LoadedAt time.Time // when the load completed
	// DataFrom and DataTo bound the dates the data describes (ISO dates):
	// DataTo is the newest date any fact starts on, the default `asOf`.
	DataFrom, DataTo string
	Sources          []string // ids of the Source nodes of this release
}

// LabelRelease marks the release nodes: {id, loadedAt, complete, current,
// dataFrom, dataTo, sources}.
const LabelRelease = "Release"

type releaseKey struct{}

// WithRelease pins the release that every read of a request answers from.
func WithRelease(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, releaseKey{}, id)
}

// ReleaseFrom returns the release pinned by WithRelease, if any. Entry-point
// reads (lookups, lists, search, traversal starts) add `n.release = $release`
// when one is pinned.
func ReleaseFrom(ctx context.Context) (int64, bool) {
	id, ok := ctx.Value(releaseKey{}).(int64)
	return id, ok
}

// The dates the data describes when no release says otherwise: CCGs began on
// 1 April 2013; the newest facts are NHS England's practice mapping of
// 1 August 2026. A loaded release records its own range (Release.DataFrom,
// Release.DataTo), computed from the graph's validFrom dates.
const (
	DefaultDataFrom = "2013-04-01"
	DefaultDataTo   = "2026-08-01"
)
