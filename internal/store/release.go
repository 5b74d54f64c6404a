package store

import (
	"context"
	"time"

	"github.com/icsgraph/icsgraph/internal/cypher"
	"github.com/icsgraph/icsgraph/internal/model"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
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
	// AnnouncedTo is the latest date among the facts held only by an
	// announcement ("" when there are none): asOf may go up to it when a
	// request includes announced facts.
	AnnouncedTo string
	Sources     []string // ids of the Source nodes of this release
	// Measures are the population measures the release holds
	// (measures.go), in the order of seed/data/measures.csv.
	Measures []Measure
	// Format is the graph format the loader that wrote it wrote (Format;
	// 0 for a loader from before formats were recorded).
	Format int64
}

// Format is the version of what a load writes that the statements read,
// recorded on every release. A release of an older format lacks something
// today's statements rely on, so `seed -if-empty` loads seed/data again over
// it. Raise it with every such change to the loader:
//
//	1  the population measures recorded on the release (measures.go), and
//	   each renamed organisation's nameChanged / onsCodeChanged
//	   (internal/model Dated), without which the compiled reads would give
//	   every date the newest name
const Format = 1

// LabelRelease marks the release nodes: {id, startedAt, heartbeat (the last
// write of its load), abandoned (its load stopped), loadedAt, complete,
// current, dataFrom, dataTo, sources}; on a release that is no longer
// current, supersededAt (when the next one became current); on one whose
// nodes are deleted, deletedAt (the Release nodes stay, a log of the loads).
const LabelRelease = model.LabelRelease

// The dates the data describes when no release says otherwise (a release
// records its own range, computed from the graph's validFrom dates):
// DefaultDataFrom is the CCGs' first day, 1 April 2013; DefaultDataTo the
// newest facts, NHS England's practice mapping of 1 August 2026.
const (
	DefaultDataFrom = "2013-04-01"
	DefaultDataTo   = "2026-08-01"
)

type releaseKey struct{}

// WithRelease pins the release that every read of a request answers from.
func WithRelease(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, releaseKey{}, id)
}

type pinnedKey struct{}

// WithPinned pins rel (WithRelease of its id) and keeps the whole release,
// so that the request's default date is the release's own DataTo.
func WithPinned(ctx context.Context, rel Release) context.Context {
	return context.WithValue(WithRelease(ctx, rel.ID), pinnedKey{}, rel)
}

// DataRange returns the dates the data of the pinned release describes, or
// DefaultDataFrom and DefaultDataTo when none is pinned (or it does not say).
func DataRange(ctx context.Context) (from, to string) {
	from, to = DefaultDataFrom, DefaultDataTo
	if rel, ok := ctx.Value(pinnedKey{}).(Release); ok {
		if rel.DataFrom != "" {
			from = rel.DataFrom
		}
		if rel.DataTo != "" {
			to = rel.DataTo
		}
	}
	return from, to
}

// AnnouncedTo returns the latest date of the announced facts of the pinned
// release ("" when it holds none).
func AnnouncedTo(ctx context.Context) string {
	if rel, ok := ctx.Value(pinnedKey{}).(Release); ok {
		return rel.AnnouncedTo
	}
	return ""
}

// DateRange is the range a date argument of a request may take: DataRange,
// extended to AnnouncedTo when the request includes announced facts (the
// API's includeAnnounced, and the exports').
func DateRange(ctx context.Context, announced bool) (from, to string) {
	from, to = DataRange(ctx)
	if a := AnnouncedTo(ctx); announced && a > to {
		to = a
	}
	return from, to
}

// ReleaseFrom returns the release pinned by WithRelease, if any. Entry-point
// reads (lookups, lists, search, traversal starts) add `n.release = $release`
// when one is pinned.
func ReleaseFrom(ctx context.Context) (int64, bool) {
	id, ok := ctx.Value(releaseKey{}).(int64)
	return id, ok
}

// cypherCurrentRelease reads the current complete release; the Release label
// has a uniqueness constraint on id, and there are only a few such nodes.
const cypherCurrentRelease = `
MATCH (r:Release) WHERE r.current AND r.complete AND r.deletedAt IS NULL
RETURN properties(r) ORDER BY r.id DESC LIMIT 1`

const cypherReleaseByID = `
MATCH (r:Release {id: $id}) WHERE r.complete AND r.deletedAt IS NULL
RETURN properties(r)`

// CurrentRelease returns the current complete release, or ErrNotFound when
// the database holds none (empty, or only an unfinished load).
func (s *Store) CurrentRelease(ctx context.Context) (Release, error) {
	return s.readRelease(ctx, cypherCurrentRelease, nil)
}

// ReleaseByID returns the complete release id (current or not), or
// ErrNotFound.
func (s *Store) ReleaseByID(ctx context.Context, id int64) (Release, error) {
	return s.readRelease(ctx, cypherReleaseByID, map[string]any{"id": id})
}

func (s *Store) readRelease(ctx context.Context, q string, params map[string]any) (Release, error) {
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (Release, error) {
		res, err := tx.Run(ctx, q, params)
		if err != nil {
			return Release{}, err
		}
		rec, err := res.Single(ctx)
		if isNoRecords(err) {
			return Release{}, ErrNotFound
		}
		if err != nil {
			return Release{}, err
		}
		p, _ := rec.Values[0].(map[string]any)
		return decodeRelease(p), nil
	})
}

func decodeRelease(p props) Release {
	r := Release{DataFrom: p.str("dataFrom"), DataTo: p.str("dataTo"), AnnouncedTo: p.str("announcedTo"), Sources: p.strs("sources"),
		Measures: decodeMeasures(p)}
	r.ID, _ = p["id"].(int64)
	r.Format, _ = p["format"].(int64)
	r.LoadedAt, _ = p["loadedAt"].(time.Time)
	return r
}

// releaseCopies is the most releases the database holds at once with one
// loader: the current one, the previous one (within its grace period) and the
// one being written (a load prunes abandoned releases before it begins).
// Overlapping loads can exceed it; a search may then return fewer hits.
// Reads that take the best n of an index over every release (full-text
// search) ask it for n × releaseCopies.
const releaseCopies = 3

// MaxReleases is how many releases the database holds at most while loads do
// not overlap: the current one, the previous one in its grace period and one
// being written. Full-text search asks its index for this many times the
// hits it needs, since every release has its own copy of each name.
const MaxReleases = cypher.MaxReleases
