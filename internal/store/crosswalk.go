package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/icsgraph/icsgraph/internal/crosswalk"
	"github.com/icsgraph/icsgraph/internal/cypher"
	"github.com/icsgraph/icsgraph/internal/lru"
)

// ErrNoSmallAreas is returned when the release holds no small areas (a
// release loaded before they were part of the seed).
var ErrNoSmallAreas = fmt.Errorf("the loaded data has no small areas")

// smallAreaTables keeps the small-area tables of the releases read most
// recently (one table is 32,844 rows, a few MB; each is read once per
// release), in the project's one cache (internal/lru), measured in tables.
type smallAreaTables struct {
	mu    sync.Mutex
	cache *lru.Cache[any, *smallAreaEntry] // by release: int64, or nil when none is pinned
}

type smallAreaEntry struct {
	once sync.Once
	data *crosswalk.Data
	err  error
}

// smallAreaTablesKept is how many releases' tables are kept.
const smallAreaTablesKept = 4

// entry returns the entry of release rel, added when missing.
func (t *smallAreaTables) entry(rel any) *smallAreaEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cache == nil {
		t.cache = lru.New[any, *smallAreaEntry](smallAreaTablesKept)
	}
	e, ok := t.cache.Get(rel)
	if !ok {
		e = &smallAreaEntry{}
		t.cache.Add(rel, e, 1)
	}
	return e
}

// drop forgets e, if it is still rel's entry.
func (t *smallAreaTables) drop(rel any, e *smallAreaEntry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if cur, ok := t.cache.Get(rel); ok && cur == e {
		t.cache.Remove(rel)
	}
}

// SmallAreas returns the small-area table of the pinned release: every
// small area with its residents2015 and its memberships, and the periods
// table. It is read from the graph once per release and kept.
func (s *Store) SmallAreas(ctx context.Context) (*crosswalk.Data, error) {
	var rel any
	if id, ok := ReleaseFrom(ctx); ok {
		rel = id
	}
	e := s.smallAreas.entry(rel)
	e.once.Do(func() { e.data, e.err = s.readSmallAreas(ctx) })
	if e.err != nil {
		s.smallAreas.drop(rel, e) // do not keep a failure (an outage, a cancelled request)
	}
	return e.data, e.err
}

// ForgetSmallAreas drops the kept small-area tables of s (after a load
// into an unpinned store, e.g. in tests).
func (s *Store) ForgetSmallAreas() {
	s.smallAreas.mu.Lock()
	defer s.smallAreas.mu.Unlock()
	s.smallAreas.cache = nil
}

func (s *Store) readSmallAreas(ctx context.Context) (*crosswalk.Data, error) {
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (*crosswalk.Data, error) {
		res, err := tx.Run(ctx, cypher.SmallAreas, releaseParams(ctx, nil))
		if err != nil {
			return nil, err
		}
		d := &crosswalk.Data{}
		var rel any
		for res.Next(ctx) {
			v := res.Record().Values
			rel = v[0]
			a := crosswalk.SmallArea{Code: str(v[1]), Population: int64(num(v[2]))}
			cc, cf, ct := strs(v[3]), strs(v[4]), strs(v[5])
			for i := range cc {
				if i < len(cf) && i < len(ct) {
					a.Councils = append(a.Councils, crosswalk.Span{Kind: KindCouncil, Code: cc[i], From: cf[i], To: ct[i]})
				}
			}
			ac, ak, af, at := strs(v[6]), strs(v[7]), strs(v[8]), strs(v[9])
			for i := range ac {
				if i < len(ak) && i < len(af) && i < len(at) {
					a.Areas = append(a.Areas, crosswalk.Span{Kind: ak[i], Code: ac[i], From: af[i], To: at[i]})
				}
			}
			d.SmallAreas = append(d.SmallAreas, a)
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		if len(d.SmallAreas) == 0 {
			return nil, ErrNoSmallAreas
		}
		if res, err = tx.Run(ctx, cypher.SmallAreaPeriods, map[string]any{"rel": rel}); err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			d.Periods = append(d.Periods, crosswalk.Period{Kind: str(v[0]), From: str(v[1]), To: str(v[2]), Source: str(v[3]), Derived: str(v[4]), Areas: strs(v[5])})
		}
		return d, res.Err()
	})
}

func strs(v any) []string {
	xs, _ := v.([]any)
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// CrosswalkSide is one side of a crosswalk request.
type CrosswalkSide struct{ Kind, AsOf string }

// CrosswalkArea is an area of a crosswalk side: code, newest name, and its
// names with the dates they were taken.
type CrosswalkArea struct {
	Code, Name       string
	Names, NamesFrom []string
}

// crosswalkSide reads what one side of a crosswalk needs from the graph on
// its date, in one transaction: the areas above each base area (as
// AreaTable) and the areas of the side's kind held then.
func (s *Store) crosswalkSide(ctx context.Context, side CrosswalkSide) (map[string]map[string]string, map[string]CrosswalkArea, error) {
	label, ok := KindLabels[side.Kind]
	if !ok {
		return nil, nil, fmt.Errorf("crosswalk: unknown kind %q", side.Kind)
	}
	params := whenParams(ctx, When{AsOf: side.AsOf}, map[string]any{"county": cypher.CouncilTypeCounty})
	type out struct {
		above map[string]map[string]string
		areas map[string]CrosswalkArea
	}
	o, err := read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (out, error) {
		o := out{above: map[string]map[string]string{}, areas: map[string]CrosswalkArea{}}
		res, err := tx.Run(ctx, cypher.AreaAbove, params)
		if err != nil {
			return o, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			m := map[string]string{}
			for k, x := range map[string]any{KindCancerAlliance: v[3], KindClinicalSenate: v[4], KindRegion: v[5]} {
				if c := str(x); c != "" {
					m[k] = c
				}
			}
			if k := str(v[1]); k != "" {
				m[k] = str(v[2])
			}
			o.above[str(v[0])] = m
		}
		if err := res.Err(); err != nil {
			return o, err
		}
		if res, err = tx.Run(ctx, cypher.AreaNames(label), params); err != nil {
			return o, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			o.areas[str(v[0])] = CrosswalkArea{Code: str(v[0]), Name: str(v[1]), Names: strs(v[2]), NamesFrom: strs(v[3])}
		}
		return o, res.Err()
	})
	return o.above, o.areas, err
}

// CrosswalkInput reads what a crosswalk between two dates needs: the small
// areas and, per side, the areas above the base areas and the areas of its
// kind held on its date (none: the kind did not exist then).
func (s *Store) CrosswalkInput(ctx context.Context, from, to CrosswalkSide) (*crosswalk.Data, [2]crosswalk.Side, [2]map[string]CrosswalkArea, error) {
	var sides [2]crosswalk.Side
	var areas [2]map[string]CrosswalkArea
	d, err := s.SmallAreas(ctx)
	if err != nil {
		return nil, sides, areas, err
	}
	for i, side := range []CrosswalkSide{from, to} {
		above, a, err := s.crosswalkSide(ctx, side)
		if err != nil {
			return nil, sides, areas, err
		}
		sides[i] = crosswalk.Side{Kind: side.Kind, AsOf: side.AsOf, Above: above}
		areas[i] = a
	}
	return d, sides, areas, nil
}
