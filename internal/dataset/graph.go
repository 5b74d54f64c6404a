package dataset

import (
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// nilIfEmpty keeps absent values out of the graph rather than storing "".
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func edge(from, to string, props ...any) map[string]any {
	return map[string]any{"from": from, "to": to, "props": with(map[string]any{}, props...)}
}

// Graph turns the dataset into the nodes and edges the store writes: one
// node per organisation with its validity, every name and ONS code it held
// (parallel lists, ascending by date; name/onsCode = the newest), its
// population measures and kind-specific properties; one edge per
// relationship, overlap, partnership and succession with its validity.
// Several edges of one type may join the same two nodes for disjoint
// periods, so edge sets are keyed by validFrom.
func (d *Dataset) Graph() store.Graph {
	g := store.Graph{}
	for _, s := range d.Sources {
		g.Sources = append(g.Sources, map[string]any{"id": s.ID, "title": s.Title, "publisher": nilIfEmpty(s.Publisher),
			"released": nilIfEmpty(s.Released), "file": nilIfEmpty(s.File), "url": nilIfEmpty(s.URL), "licence": nilIfEmpty(s.Licence)})
	}
	type key struct{ kind, code string }
	names, ons := map[key][]Dated{}, map[key][]Dated{}
	for _, n := range d.Names {
		names[key{n.Kind, n.Code}] = append(names[key{n.Kind, n.Code}], n)
	}
	for _, n := range d.OnsCodes {
		ons[key{n.Kind, n.Code}] = append(ons[key{n.Kind, n.Code}], n)
	}
	extra := map[key][]any{}
	add := func(k key, kv ...any) { extra[k] = append(extra[k], kv...) }
	derived := map[key][]string{}
	for _, p := range d.Populations {
		k := key{p.Kind, p.Code}
		add(k, p.Measure, p.Value)
		if p.Derived != "" && !slices.Contains(derived[k], p.Derived) {
			derived[k] = append(derived[k], p.Derived)
		}
	}
	for _, x := range d.Designations {
		add(key{store.KindICS, x.Code}, "designationWave", x.Wave, "designationAnnounced", nilIfEmpty(x.Announced),
			"designationAnnouncedPrecision", nilIfEmpty(x.AnnouncedPrecision), "designationEffectiveFrom", nilIfEmpty(x.EffectiveFrom),
			"nameAsAnnounced", nilIfEmpty(x.NameAsAnnounced), "designationSources", x.Sources)
	}
	for _, x := range d.Trusts {
		add(key{store.KindTrust, x.Code}, "foundationTrust", x.FoundationTrust, "trustType", x.TrustType, "trustTypeBasis", x.TrustTypeBasis,
			"postcode", nilIfEmpty(x.Postcode), "openDate", nilIfEmpty(x.OpenDate), "closeDate", nilIfEmpty(x.CloseDate), "status", x.Status, "regionCode", nilIfEmpty(x.Region))
	}
	for _, x := range d.Councils {
		add(key{store.KindCouncil, x.Code}, "councilType", x.CouncilType, "onsRegion", nilIfEmpty(x.OnsRegion),
			"onsRegionCode", nilIfEmpty(x.OnsRegionCode), "odsCode", nilIfEmpty(x.OdsCode))
	}
	for _, x := range d.Senates {
		add(key{store.KindClinicalSenate, x.Code}, "note", nilIfEmpty(x.Note))
	}

	comps := d.compositions()
	byLabel := map[string][]map[string]any{}
	var labels []string
	for _, o := range d.Orgs {
		k := key{o.Kind, o.Code}
		ns, os := names[k], ons[k]
		m := map[string]any{"code": o.Code, "kind": o.Kind, "validFrom": o.ValidFrom, "validTo": nilIfEmpty(o.ValidTo), "validBasis": o.Basis,
			"sources": o.Sources, "name": ns[len(ns)-1].Value, "onsCode": nil}
		search := []string{o.Code}
		lists := func(prop string, xs []Dated) {
			d := model.DatedProps[prop]
			vals, from, src := []string{}, []string{}, []string{}
			for _, x := range xs {
				vals, from, src = append(vals, x.Value), append(from, x.ValidFrom), append(src, x.Source)
			}
			m[d.Values], m[d.From], m[prop+"sSource"] = vals, from, src
			if len(xs) > 1 {
				m[d.Changed] = xs[len(xs)-1].ValidFrom
			}
			search = append(search, vals...)
		}
		lists("name", ns)
		lists("onsCode", os)
		if len(os) > 0 {
			m["onsCode"] = os[len(os)-1].Value
		}
		m["searchText"] = store.SearchText(search...)
		with(m, extra[k]...)
		if c := comps[[2]string{o.Kind, o.Code}]; c != nil {
			with(m, c.props()...)
		}
		if len(derived[k]) > 0 {
			m["derived"] = strings.Join(derived[k], " | ")
		}
		label := store.KindLabels[o.Kind]
		if byLabel[label] == nil {
			labels = append(labels, label)
		}
		byLabel[label] = append(byLabel[label], m)
	}
	for _, l := range labels {
		g.Nodes = append(g.Nodes, store.NodeSet{Label: l, Rows: byLabel[l]})
	}

	sets := map[[3]string]int{}
	edges := func(typ, fromKind, toKind string, row map[string]any) {
		k := [3]string{typ, fromKind, toKind}
		i, ok := sets[k]
		if !ok {
			i = len(g.Edges)
			sets[k] = i
			g.Edges = append(g.Edges, store.EdgeSet{Type: typ, From: store.KindLabels[fromKind], To: store.KindLabels[toKind], Key: []string{"validFrom"}})
		}
		g.Edges[i].Rows = append(g.Edges[i].Rows, row)
	}
	for _, r := range d.Rels {
		edges(r.Type, r.FromKind, r.ToKind, edge(r.FromCode, r.ToCode, "validFrom", r.ValidFrom, "validTo", nilIfEmpty(r.ValidTo),
			"source", r.Source, "derived", nilIfEmpty(r.Derived)))
	}
	for _, o := range d.Overlaps {
		edges(store.RelOverlaps, store.KindCouncil, o.AreaKind, edge(o.Council, o.Area, "validFrom", o.ValidFrom, "validTo", nilIfEmpty(o.ValidTo),
			"population", o.Population, "smallAreas", o.SmallAreas, "shareOfCouncil", o.ShareOfCouncil, "shareOfArea", o.ShareOfArea,
			"populationMeasure", o.Measure, "source", o.Source, "populationSource", o.PopulationSource, "derived", nilIfEmpty(o.Derived)))
	}
	for _, p := range d.Partners {
		edges(store.RelPartnerOf, p.Kind, store.KindICS, edge(p.Code, p.ICB, "validFrom", p.ValidFrom, "validTo", nilIfEmpty(p.ValidTo),
			"source", p.Source, "odsCode", p.OdsCode, "nameInSource", nilIfEmpty(p.NameInSource)))
	}
	for _, a := range d.ICBAlliances {
		edges(store.RelInCancerAlliance, store.KindICS, store.KindCancerAlliance, edge(a.ICB, a.Alliance, "validFrom", a.ValidFrom,
			"validTo", nilIfEmpty(a.ValidTo), "residents2015", a.Population, "share", a.Share, "subIcbLocations", a.SubICBLocations,
			"populationMeasure", a.Measure, "source", a.Source, "derived", nilIfEmpty(a.Derived)))
	}
	for _, s := range d.Successions {
		edges(store.RelSucceededBy, s.FromKind, s.ToKind, edge(s.FromCode, s.ToCode, "validFrom", s.Date, "date", s.Date, "share", s.Share,
			"shareWeight", nilIfEmpty(s.ShareWeight), "basis", s.Basis, "source", s.Source))
	}
	d.smallAreaGraph(&g)
	d.markAnnounced(&g)
	// The release's population measures (measures.csv): the API learns
	// which measures exist, and what they are, from the release it reads.
	ms := make([]store.Measure, len(d.MeasureRows))
	for i, m := range d.MeasureRows {
		ms[i] = store.Measure{Property: m.Property, Family: m.Family, Vintage: m.Vintage, Date: m.Date, Source: m.Source, Description: m.Description, Derived: m.Derived}
	}
	g.Release = store.MeasureReleaseProps(ms)
	if d.ChangeReport != "" {
		g.Release["changeReport"] = d.ChangeReport
	}
	return g
}
