package dataset

import (
	"maps"
	"slices"

	"github.com/icsgraph/icsgraph/internal/crosswalk"
	"github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Composition figures: an area's residents2015 and smallAreas are sums over
// the small areas it held, so they change with its composition. Graph()
// stores each populated area's figures from every date its composition
// changed (model.CompositionProps: compositionFrom, residents2015At,
// smallAreasAt, parallel lists ascending by date); the API answers the
// figure of the request's date (graph/compiled.go).

// SmallAreaData returns the small areas as the crosswalk package reads them.
func (d *Dataset) SmallAreaData() *crosswalk.Data {
	out := &crosswalk.Data{}
	idx := map[string]int{}
	for i, a := range d.SmallAreas {
		idx[a.Code] = i
		out.SmallAreas = append(out.SmallAreas, crosswalk.SmallArea{Code: a.Code, Population: a.Measures[0]})
	}
	for _, m := range d.Memberships {
		a := &out.SmallAreas[idx[m.SmallArea]]
		sp := crosswalk.Span{Kind: m.Kind, Code: m.Code, From: m.ValidFrom, To: m.ValidTo}
		if m.Kind == store.KindCouncil {
			a.Councils = append(a.Councils, sp)
		} else {
			a.Areas = append(a.Areas, sp)
		}
	}
	for _, p := range d.SmallAreaPeriods {
		out.Periods = append(out.Periods, crosswalk.Period{Kind: p.Kind, From: p.ValidFrom, To: p.ValidTo, Source: p.Source, Derived: p.Derived, Areas: p.Areas})
	}
	return out
}

// Above returns, for every base area (CCG or sub-ICB location) held on day,
// the ICS or STP it was part of, its Cancer Alliance, Clinical Senate and
// region then, from the relationships (as store.AreaTable reads them from
// the graph).
func (d *Dataset) Above(day string) map[string]map[string]string {
	out := map[string]map[string]string{}
	byFrom := map[[2]string][]Rel{}
	for _, r := range d.Rels {
		if Holds(r.ValidFrom, r.ValidTo, day) {
			k := [2]string{r.FromKind, r.FromCode}
			byFrom[k] = append(byFrom[k], r)
		}
	}
	get := func(typ, fromKind, fromCode string, toKinds ...string) string {
		for _, r := range byFrom[[2]string{fromKind, fromCode}] {
			if r.Type == typ && slices.Contains(toKinds, r.ToKind) {
				return r.ToKind + "\x00" + r.ToCode
			}
		}
		return ""
	}
	split := func(s string) (string, string) {
		for i := range len(s) {
			if s[i] == 0 {
				return s[:i], s[i+1:]
			}
		}
		return "", ""
	}
	for _, o := range d.Orgs {
		if (o.Kind != store.KindCCG && o.Kind != store.KindSubICBLocation) || !Holds(o.ValidFrom, o.ValidTo, day) {
			continue
		}
		m := map[string]string{}
		upKind, up := split(get(store.RelPartOf, o.Kind, o.Code, store.KindICS, store.KindSTP))
		if up != "" {
			m[upKind] = up
		}
		if _, ca := split(get(store.RelInCancerAlliance, o.Kind, o.Code, store.KindCancerAlliance)); ca != "" {
			m[crosswalk.CancerAlliance] = ca
		}
		if up != "" {
			if _, cs := split(get(store.RelInClinicalSenate, upKind, up, store.KindClinicalSenate)); cs != "" {
				m[crosswalk.ClinicalSenate] = cs
			}
		}
		_, rg := split(get(store.RelInRegion, upKind, up, store.KindRegion))
		if rg == "" {
			_, rg = split(get(store.RelInRegion, o.Kind, o.Code, store.KindRegion))
		}
		if rg != "" {
			m[crosswalk.Region] = rg
		}
		out[o.Code] = m
	}
	return out
}

// compositionKinds are the kinds whose population figures are sums of
// their small areas (the kinds with population fields, model.Kinds).
var compositionKinds = []string{store.KindCouncil, store.KindSubICBLocation, store.KindICS}

// ChangeDates are the dates an area's composition can change on: the
// starts and ends of memberships and of the relationships above base areas.
func (d *Dataset) ChangeDates() []string {
	set := map[string]bool{}
	for _, p := range d.SmallAreaPeriods {
		set[p.ValidFrom] = true
	}
	for _, m := range d.Memberships {
		set[m.ValidFrom] = true
		if m.ValidTo != "" {
			set[m.ValidTo] = true
		}
	}
	for _, r := range d.Rels {
		switch r.Type {
		case store.RelPartOf, store.RelInCancerAlliance, store.RelInClinicalSenate, store.RelInRegion:
			set[r.ValidFrom] = true
			if r.ValidTo != "" {
				set[r.ValidTo] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// compositions returns, per (kind, code), the dates its small-area
// composition changed and its residents2015 and smallAreas from each.
func (d *Dataset) compositions() map[[2]string]*composition {
	if len(d.SmallAreas) == 0 {
		return nil
	}
	data := d.SmallAreaData()
	out := map[[2]string]*composition{}
	last := map[[2]string]crosswalk.Total{}
	for _, day := range d.ChangeDates() {
		above := d.Above(day)
		for _, kind := range compositionKinds {
			totals, _ := data.Totals(data.Assign(crosswalk.Side{Kind: kind, AsOf: day, Above: above}))
			for code, t := range totals {
				k := [2]string{kind, code}
				if prev, ok := last[k]; ok && prev == t {
					continue
				}
				last[k] = t
				x := out[k]
				if x == nil {
					x = &composition{}
					out[k] = x
				}
				x.from, x.residents, x.smallAreas = append(x.from, day), append(x.residents, t.Population), append(x.smallAreas, t.SmallAreas)
			}
		}
	}
	return out
}

// composition is an area's figures from each date its composition changed.
type composition struct {
	from                  []string
	residents, smallAreas []int64
}

// props returns the node properties (model.CompositionProps).
func (c *composition) props() []any {
	p := model.CompositionProps
	return []any{p[0], c.from, p[1], c.residents, p[2], c.smallAreas}
}
