package graph

import (
	"testing"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/store"
)

// TestMeasuresDeclaredOnce checks that every population measure the store
// reads is a GraphQL measure and is described (date, source) in the dataset.
func TestMeasuresDeclaredOnce(t *testing.T) {
	if len(measureProps) != len(model.AllPopulationMeasure) {
		t.Fatalf("%d GraphQL measures, %d mapped", len(model.AllPopulationMeasure), len(measureProps))
	}
	mapped := map[string]bool{}
	for _, prop := range measureProps {
		mapped[prop] = true
	}
	for _, m := range store.PopulationMeasures {
		t.Run(m, func(t *testing.T) {
			if !mapped[m] {
				t.Errorf("no GraphQL measure reads %s", m)
			}
			d, ok := dataset.Measures[m]
			if !ok || d.Date == "" || d.Source == "" || d.Description == "" {
				t.Errorf("dataset.Measures[%q] = %+v: want a description, a date and a source", m, d)
			}
		})
	}
}

func TestPopulationOf(t *testing.T) {
	v15, v26 := 100, 120
	p := model.Populated{Population: &v15, Populations: map[string]int{"residents2015": v15, "registered2026": v26}}
	reg := model.PopulationMeasureRegistered2026
	res22 := model.PopulationMeasureResidents2022
	for _, c := range []struct {
		name    string
		measure *model.PopulationMeasure
		want    *int
	}{
		{"default is residents mid-2015", nil, &v15},
		{"registered patients", &reg, &v26},
		{"a measure not held", &res22, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := populationOf(p, c.measure)
			if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}
