package store

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/icsgraph/icsgraph/internal/cypher"
	"github.com/icsgraph/icsgraph/internal/model"
)

// Measure is one population measure of a release (a row of
// seed/data/measures.csv, which the loader writes on the Release node): the
// node property holding its figures, its family and vintage, the date the
// figures describe, their Source id, whether they are derived, and what it
// counts.
type Measure struct {
	Property, Family, Vintage, Date, Source, Description string
	Derived                                              bool
}

// The Release node holds its measures as parallel lists, one item per
// measure in the order of measures.csv.
const (
	releaseMeasureProperties   = "measureProperties"
	releaseMeasureFamilies     = "measureFamilies"
	releaseMeasureVintages     = "measureVintages"
	releaseMeasureDates        = "measureDates"
	releaseMeasureSources      = "measureSources"
	releaseMeasureDerived      = "measureDerived"
	releaseMeasureDescriptions = "measureDescriptions"
)

// MeasureReleaseProps returns the Release node properties recording ms
// (for Graph.Release).
func MeasureReleaseProps(ms []Measure) map[string]any {
	var props, fams, vints, dates, srcs, descs []string
	var derived []bool
	for _, m := range ms {
		props, fams, vints = append(props, m.Property), append(fams, m.Family), append(vints, m.Vintage)
		dates, srcs, descs = append(dates, m.Date), append(srcs, m.Source), append(descs, m.Description)
		derived = append(derived, m.Derived)
	}
	return map[string]any{
		releaseMeasureProperties: props, releaseMeasureFamilies: fams, releaseMeasureVintages: vints,
		releaseMeasureDates: dates, releaseMeasureSources: srcs, releaseMeasureDerived: derived, releaseMeasureDescriptions: descs,
	}
}

// decodeMeasures reads the measures of a Release node's properties; lists
// of unequal lengths (a node not written by MeasureReleaseProps) give none.
func decodeMeasures(p props) []Measure {
	names := p.strs(releaseMeasureProperties)
	fams, vints, dates := p.strs(releaseMeasureFamilies), p.strs(releaseMeasureVintages), p.strs(releaseMeasureDates)
	srcs, descs := p.strs(releaseMeasureSources), p.strs(releaseMeasureDescriptions)
	derived, _ := p[releaseMeasureDerived].([]any)
	n := len(names)
	if len(fams) != n || len(vints) != n || len(dates) != n || len(srcs) != n || len(descs) != n || len(derived) != n {
		return nil
	}
	out := make([]Measure, 0, n)
	for i, name := range names {
		if !model.MeasureProperty.MatchString(name) {
			continue // never the case for a loaded release (the loader checks)
		}
		d, _ := derived[i].(bool)
		out = append(out, Measure{Property: name, Family: fams[i], Vintage: vints[i], Date: dates[i], Source: srcs[i], Description: descs[i], Derived: d})
	}
	return out
}

// measureCache keeps the measures of the release an unpinned request reads
// (tests and tools that call the store without the server's tracker), at
// most TrackerInterval old.
type measureCache struct {
	id       int64 // the release pinned by WithRelease; 0: the current one
	at       time.Time
	measures []Measure
}

// Measures returns the population measures of the release a request reads:
// the pinned release's (the server pins one per request: WithPinned), else
// those of the release pinned by id or of the current release, read at most
// once per TrackerInterval. None when no release is loaded.
func (s *Store) Measures(ctx context.Context) ([]Measure, error) {
	if rel, ok := ctx.Value(pinnedKey{}).(Release); ok {
		return rel.Measures, nil
	}
	if s.rec != nil {
		return nil, nil // recording statements: no database
	}
	id, pinned := ReleaseFrom(ctx)
	if c := s.measures.Load(); c != nil && c.id == id && time.Since(c.at) < TrackerInterval {
		return c.measures, nil
	}
	start := time.Now()
	var (
		rel Release
		err error
	)
	if pinned {
		rel, err = s.ReleaseByID(ctx, id)
	} else {
		rel, err = s.CurrentRelease(ctx)
	}
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.measures.Store(&measureCache{id: id, at: start, measures: rel.Measures})
	return rel.Measures, nil
}

// MeasureProperties are the node properties of ms, in order.
func MeasureProperties(ms []Measure) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Property
	}
	return out
}

// bindMeasures sets $measures (cypher.ParamMeasures) of a statement that
// reads the release's figures and does not bind it yet.
func (s *Store) bindMeasures(ctx context.Context, query string, params map[string]any) error {
	if _, ok := params[cypher.ParamMeasures]; ok || !readsMeasures(query) {
		return nil
	}
	ms, err := s.Measures(ctx)
	if err != nil {
		return err
	}
	params[cypher.ParamMeasures] = MeasureProperties(ms)
	return nil
}

var measuresParam = regexp.MustCompile(`\$` + cypher.ParamMeasures + `\b`)

func readsMeasures(query string) bool { return measuresParam.MatchString(query) }
