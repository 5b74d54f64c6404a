package graph

import (
	"github.com/icsgraph/icsgraph/internal/store"

	decl "github.com/icsgraph/icsgraph/internal/model"
)

// compositionAsOf sets an area's figures that are sums of its small areas
// (residents2015, and so its default population, and smallAreas) to those
// of its composition on asOf (decl.CompositionProps, written by the loader
// from every date its composition changed). Figures published for the area
// itself (registered patients, the mid-2022 residents) keep their date.
// Before its first composition date, or without the lists, it is left as
// stored (the newest composition).
func compositionAsOf(o *store.Organisation, m map[string]any, asOf string) {
	p := decl.CompositionProps
	from, _ := m[p[0]].([]any)
	pops, _ := m[p[1]].([]any)
	ns, _ := m[p[2]].([]any)
	if len(from) == 0 || len(from) != len(pops) || len(from) != len(ns) {
		return
	}
	at := -1
	for i, f := range from {
		if s, _ := f.(string); s <= asOf {
			at = i
		}
	}
	if at < 0 {
		return
	}
	pop, ok1 := pops[at].(int64)
	n, ok2 := ns[at].(int64)
	if !ok1 || !ok2 {
		return
	}
	v, c := int(pop), int(n)
	if o.Populations == nil {
		o.Populations = map[string]int{}
	}
	o.Populations[decl.DefaultMeasure] = v
	o.Population = &v
	o.SmallAreas = &c
}
