package graph

import (
	"context"
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/apierr"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Populations: every figure the graph holds for an area, by measure. The
// measures are data (seed/data/measures.csv, written on the Release node):
// the API learns them from the release a request reads (store.Measures), so
// a new vintage of a family is a data row, not a schema change.

// legacyMeasures are the family and vintage of each deprecated
// PopulationMeasure value: the measures of the first releases, frozen (a
// test checks them against seed/data/measures.csv). New measures get no
// value.
var legacyMeasures = map[model.PopulationMeasure][2]string{
	model.PopulationMeasureResidents2015:  {"RESIDENTS", "mid-2015"},
	model.PopulationMeasureResidents2022:  {"RESIDENTS", "mid-2022"},
	model.PopulationMeasureRegistered2026: {"REGISTERED_PATIENTS", "2026-08"},
}

// legacyOf is the deprecated enum value of a measure, if it has one.
func legacyOf(m store.Measure) *model.PopulationMeasure {
	for v, fv := range legacyMeasures {
		if fv == [2]string{m.Family, m.Vintage} {
			return &v
		}
	}
	return nil
}

// measures returns the release's population measures (store.Measures).
func (r *Resolver) measures(ctx context.Context) ([]store.Measure, error) {
	if r.Store == nil {
		return nil, nil
	}
	return r.Store.Measures(ctx)
}

// figure is p's figure of the measure held in property prop.
func figure(p model.Populated, prop string) (int, bool) {
	if v, ok := p.Populations[prop]; ok {
		return v, true
	}
	switch v := p.Props[prop].(type) {
	case int64:
		return int(v), true
	case float64:
		return int(v), true
	}
	return 0, false
}

// vintagesOf returns the measures of family, newest first (by date, then
// vintage).
func vintagesOf(ms []store.Measure, family string) []store.Measure {
	var out []store.Measure
	for _, m := range ms {
		if m.Family == family {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b store.Measure) int {
		if c := strings.Compare(b.Date, a.Date); c != 0 {
			return c
		}
		return strings.Compare(b.Vintage, a.Vintage)
	})
	return out
}

// vintageNames lists the vintages of ms for an error message.
func vintageNames(ms []store.Measure) string {
	if len(ms) == 0 {
		return "none in this release"
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = `"` + m.Vintage + `"`
	}
	return strings.Join(names, ", ")
}

// chosenMeasures reads the arguments choosing a measure (population's
// measure, family, vintage; a list's orderBy) into the measures to try, in
// order: one when the vintage is named (or the deprecated value is), every
// vintage of the family newest first when it is not; nil for the default
// measure. arg prefixes the argument names in errors (e.g. "orderBy.").
func chosenMeasures(ms []store.Measure, arg string, measure *model.PopulationMeasure, family *model.PopulationFamily, vintage *string) ([]store.Measure, error) {
	switch {
	case measure != nil && family != nil:
		return nil, apierr.BadInput(arg+"family", "choose the measure by family and vintage, or by the deprecated measure, not both")
	case vintage != nil && family == nil:
		return nil, apierr.BadInput(arg+"vintage", "a vintage needs its family (e.g. family: RESIDENTS, vintage: %q)", *vintage)
	case measure != nil:
		fv, ok := legacyMeasures[*measure]
		if !ok {
			return nil, apierr.BadInput(arg+"measure", "unknown measure %s", *measure)
		}
		for _, m := range ms {
			if m.Family == fv[0] && m.Vintage == fv[1] {
				return []store.Measure{m}, nil
			}
		}
		return []store.Measure{{Property: "", Family: fv[0], Vintage: fv[1]}}, nil // not in this release: no figure
	case family == nil:
		return nil, nil
	}
	vs := vintagesOf(ms, string(*family))
	if vintage == nil {
		if len(vs) == 0 {
			return nil, apierr.BadInput(arg+"family", "this release holds no measure of family %s", *family)
		}
		return vs, nil
	}
	for _, m := range vs {
		if m.Vintage == *vintage {
			return []store.Measure{m}, nil
		}
	}
	return nil, apierr.BadInput(arg+"vintage", "family %s has no vintage %q in this release; known vintages: %s", *family, *vintage, vintageNames(vs))
}

// population answers `population(measure:, family:, vintage:)`: the figure
// of the measure chosen (the newest vintage of the family this organisation
// has a figure for when no vintage is named), or with no argument the
// default measure (residents mid-2015) or the older `population` property
// of a graph loaded before measures.
func (r *Resolver) population(ctx context.Context, p model.Populated, measure *model.PopulationMeasure, family *model.PopulationFamily, vintage *string) (*int, error) {
	ms, err := r.measures(ctx)
	if err != nil {
		return nil, err
	}
	return populationOf(p, ms, measure, family, vintage)
}

// populationOf is population over the release's measures ms.
func populationOf(p model.Populated, ms []store.Measure, measure *model.PopulationMeasure, family *model.PopulationFamily, vintage *string) (*int, error) {
	try, err := chosenMeasures(ms, "", measure, family, vintage)
	if err != nil {
		return nil, err
	}
	if try == nil {
		if v, ok := figure(p, decl.DefaultMeasure); ok {
			return &v, nil
		}
		return p.Population, nil
	}
	for _, m := range try {
		if v, ok := figure(p, m.Property); ok && m.Property != "" {
			return &v, nil
		}
	}
	return nil, nil
}

// populationFigures answers `populations`: one figure per measure of a
// population family (decl.PopulationFamilies) held, by family and then date,
// each with its date, description and source.
func (r *Resolver) populationFigures(ctx context.Context, p model.Populated) ([]*model.PopulationFigure, error) {
	ms, err := r.measures(ctx)
	if err != nil {
		return nil, err
	}
	out := []*model.PopulationFigure{}
	for _, fam := range decl.PopulationFamilies {
		vs := vintagesOf(ms, fam)
		slices.Reverse(vs) // oldest first
		for _, m := range vs {
			v, ok := figure(p, m.Property)
			if !ok {
				continue
			}
			src, err := sourceOf(ctx, m.Source)
			if err != nil {
				return nil, err
			}
			out = append(out, &model.PopulationFigure{
				Measure:     legacyOf(m),
				Value:       v,
				Date:        model.Date(m.Date),
				Description: m.Description,
				Derived:     m.Derived,
				Family:      m.Family,
				Vintage:     m.Vintage,
				Source:      src,
			})
		}
	}
	return out, nil
}

// releaseMeasures answers `release { measures }`.
func releaseMeasures(ctx context.Context, ms []store.Measure) ([]*model.Measure, error) {
	out := make([]*model.Measure, 0, len(ms))
	for _, m := range ms {
		src, err := sourceOf(ctx, m.Source)
		if err != nil {
			return nil, err
		}
		out = append(out, &model.Measure{Family: m.Family, Vintage: m.Vintage, Date: model.Date(m.Date), Description: m.Description,
			Derived: m.Derived, Property: m.Property, Source: src})
	}
	return out, nil
}
