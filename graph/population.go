package graph

import (
	"context"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/dataset"
)

// Populations: every figure the graph holds for an area, by measure
// (store.PopulationMeasures, described once in dataset.Measures).

// measureProps maps the GraphQL measures to the properties holding them.
var measureProps = map[model.PopulationMeasure]string{
	model.PopulationMeasureResidents2015:  "residents2015",
	model.PopulationMeasureResidents2022:  "residents2022",
	model.PopulationMeasureRegistered2026: "registered2026",
}

// populationOf answers `population(measure:)`: the figure of that measure,
// or the older `population` property of a graph loaded before measures.
func populationOf(p model.Populated, measure *model.PopulationMeasure) *int {
	m := model.PopulationMeasureResidents2015
	if measure != nil {
		m = *measure
	}
	if v, ok := p.Populations[measureProps[m]]; ok {
		return &v
	}
	if m == model.PopulationMeasureResidents2015 {
		return p.Population
	}
	return nil
}

// populationFigures answers `populations`: one figure per measure held, in
// the order of the measures, each with its date, description and source.
func populationFigures(ctx context.Context, p model.Populated) ([]*model.PopulationFigure, error) {
	out := []*model.PopulationFigure{}
	for _, m := range model.AllPopulationMeasure {
		prop := measureProps[m]
		v, ok := p.Populations[prop]
		if !ok {
			continue
		}
		d := dataset.Measures[prop]
		src, err := sourceOf(ctx, d.Source)
		if err != nil {
			return nil, err
		}
		out = append(out, &model.PopulationFigure{
			Measure:     m,
			Value:       v,
			Date:        model.Date(d.Date),
			Description: d.Description,
			Derived:     d.Derived,
			Family:      d.Family,
			Vintage:     d.Vintage,
			Source:      src,
		})
	}
	return out, nil
}
