package dataset

import (
	"strconv"
	"strings"

	"github.com/icsgraph/icsgraph/internal/store"
)

// Since dates of facts that start with a reorganisation.
const (
	icbStart = "2022-07-01" // ICBs statutory, CCGs abolished, sub-ICB locations created
)

// orgProps is the property map every organisation node has.
func orgProps(o Org, kind string, historic bool) map[string]any {
	code := strings.ToUpper(o.Code)
	return map[string]any{
		"code":           code,
		"onsCode":        nilIfEmpty(o.OnsCode),
		"formerOnsCodes": o.FormerOnsCodes,
		"name":           o.Name,
		"kind":           kind,
		"historic":       historic,
		"searchText":     store.SearchText(append([]string{o.Name, code, strings.ToUpper(o.OnsCode)}, o.FormerOnsCodes...)...),
		"sources":        o.Sources,
	}
}

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

// areaTotals sums the council × sub-ICB fragments into population and small
// area counts per council, county, sub-ICB location and ICB.
type areaTotals struct {
	pop, areas map[string]int64
}

func (t areaTotals) add(code string, f Fragment) {
	t.pop[code] += f.Population
	t.areas[code] += f.SmallAreas
}

// overlaps accumulates council × area pairs (area: an ICB or a sub-ICB
// location) from the fragments.
type overlaps map[[2]string]*Fragment

func (o overlaps) add(council, area string, f Fragment) {
	k := [2]string{council, area}
	if o[k] == nil {
		o[k] = &Fragment{Source: f.Source, PopulationSource: f.PopulationSource}
	}
	o[k].Population += f.Population
	o[k].SmallAreas += f.SmallAreas
}

// Graph turns the dataset into the nodes and edges the store writes. Derived
// figures (populations, overlaps, Cancer Alliance shares) are computed here
// from the fragments, so the seed files hold each fact once.
func (d *Dataset) Graph() store.Graph {
	subICB := map[string]SubICB{}
	for _, s := range d.SubICBs {
		subICB[s.Code] = s
	}
	county := map[string]string{}
	for _, c := range d.Councils {
		county[c.Code] = c.County
	}
	tot := areaTotals{pop: map[string]int64{}, areas: map[string]int64{}}
	icsOverlaps, subOverlaps := overlaps{}, overlaps{}
	for _, f := range d.Fragments {
		icb := subICB[f.SubICB].ICB
		councils := []string{f.Council}
		if c := county[f.Council]; c != "" {
			councils = append(councils, c)
		}
		for _, c := range councils {
			tot.add(c, f)
			icsOverlaps.add(c, icb, f)
			subOverlaps.add(c, f.SubICB, f)
		}
		tot.add("sub:"+f.SubICB, f)
		tot.add("icb:"+icb, f)
	}

	g := store.Graph{}
	for _, s := range d.Sources {
		g.Sources = append(g.Sources, map[string]any{"id": s.ID, "title": s.Title, "publisher": nilIfEmpty(s.Publisher),
			"released": nilIfEmpty(s.Released), "file": nilIfEmpty(s.File), "url": nilIfEmpty(s.URL), "licence": nilIfEmpty(s.Licence)})
	}
	nodes := func(label string, rows []map[string]any) {
		g.Nodes = append(g.Nodes, store.NodeSet{Label: label, Rows: rows})
	}
	edges := func(typ, from, to string, rows []map[string]any, key ...string) {
		g.Edges = append(g.Edges, store.EdgeSet{Type: typ, From: from, To: to, Key: key, Rows: rows})
	}
	population := func(m map[string]any, key string) map[string]any {
		return with(m, "population", tot.pop[key], "populationYear", PopulationYear, "smallAreas", tot.areas[key])
	}

	var rows, e1, e2 []map[string]any
	for _, r := range d.Regions {
		rows = append(rows, orgProps(r.Org, store.KindRegion, false))
	}
	nodes(store.LabelRegion, rows)

	rows = nil
	for _, x := range d.ICBs {
		rows = append(rows, population(with(orgProps(x.Org, store.KindICS, false),
			"designationWave", x.Wave, "designationAnnounced", nilIfEmpty(x.Announced), "designationAnnouncedPrecision", nilIfEmpty(x.AnnouncedPrecision),
			"designationEffectiveFrom", nilIfEmpty(x.EffectiveFrom), "nameAsAnnounced", nilIfEmpty(x.NameAsAnnounced),
			"designationSources", x.DesignationSources), "icb:"+x.Code))
		e1 = append(e1, edge(x.Code, x.Region, "source", SrcLOC22, "since", icbStart))
	}
	nodes(store.LabelICS, rows)
	edges(store.RelInRegion, store.LabelICS, store.LabelRegion, e1)

	rows = nil
	for _, x := range d.CancerAlliances {
		rows = append(rows, orgProps(x.Org, store.KindCancerAlliance, false))
	}
	nodes(store.LabelCancerAlliance, rows)

	rows, e1, e2 = nil, nil, nil
	type icbCA struct{ icb, ca string }
	caPop, caSubs := map[icbCA]int64{}, map[icbCA]int64{}
	var caOrder []icbCA
	for _, x := range d.SubICBs {
		rows = append(rows, population(orgProps(x.Org, store.KindSubICBLocation, false), "sub:"+x.Code))
		e1 = append(e1, edge(x.Code, x.ICB, "source", SrcLOC22, "since", icbStart))
		e2 = append(e2, edge(x.Code, x.CancerAlliance, "source", SrcCAL21))
		k := icbCA{x.ICB, x.CancerAlliance}
		if _, ok := caSubs[k]; !ok {
			caOrder = append(caOrder, k)
		}
		caPop[k] += tot.pop["sub:"+x.Code]
		caSubs[k]++
	}
	nodes(store.LabelSubICBLocation, rows)
	edges(store.RelPartOf, store.LabelSubICBLocation, store.LabelICS, e1)
	edges(store.RelInCancerAlliance, store.LabelSubICBLocation, store.LabelCancerAlliance, e2)
	e1 = nil
	for _, k := range caOrder {
		e1 = append(e1, edge(k.icb, k.ca, "source", SrcCAL21, "population", caPop[k],
			"share", share(caPop[k], tot.pop["icb:"+k.icb]), "subIcbLocations", caSubs[k], "populationYear", PopulationYear))
	}
	edges(store.RelInCancerAlliance, store.LabelICS, store.LabelCancerAlliance, e1)

	rows, e1, e2 = nil, nil, nil
	for _, x := range d.Senates {
		rows = append(rows, with(orgProps(x.Org, store.KindClinicalSenate, false), "note", nilIfEmpty(x.Note)))
		e1 = append(e1, edge(x.Code, x.Region, "source", SrcSenates))
		for _, icb := range x.ICBs {
			e2 = append(e2, edge(icb, x.Code, "source", SrcSenates))
		}
	}
	nodes(store.LabelClinicalSenate, rows)
	edges(store.RelInRegion, store.LabelClinicalSenate, store.LabelRegion, e1)
	edges(store.RelInClinicalSenate, store.LabelICS, store.LabelClinicalSenate, e2)

	rows, e1 = nil, nil
	for _, x := range d.Trusts {
		rows = append(rows, with(orgProps(x.Org, store.KindTrust, false), "foundationTrust", x.FoundationTrust,
			"trustType", x.TrustType, "trustTypeBasis", x.TrustTypeBasis, "status", x.Status, "postcode", nilIfEmpty(x.Postcode),
			"openDate", nilIfEmpty(x.OpenDate), "closeDate", nilIfEmpty(x.CloseDate), "regionCode", x.Region))
		e1 = append(e1, edge(x.Code, x.ICB, "source", SrcETR, "since", max(x.OpenDate, icbStart)))
	}
	nodes(store.LabelTrust, rows)
	edges(store.RelLocatedIn, store.LabelTrust, store.LabelICS, e1)

	rows, e1 = nil, nil
	for _, x := range d.Councils {
		rows = append(rows, population(with(orgProps(x.Org, store.KindCouncil, false), "councilType", x.CouncilType,
			"onsRegion", nilIfEmpty(x.OnsRegion), "onsRegionCode", nilIfEmpty(x.OnsRegionCode), "odsCode", nilIfEmpty(x.OdsCode)), x.Code))
		if x.County != "" {
			e1 = append(e1, edge(x.Code, x.County, "source", SrcWard))
		}
	}
	nodes(store.LabelCouncil, rows)
	edges(store.RelWithin, store.LabelCouncil, store.LabelCouncil, e1)
	overlapEdges := func(o overlaps, areaKey string) []map[string]any {
		var out []map[string]any
		for k, f := range o {
			council, area := k[0], k[1]
			out = append(out, edge(council, area, "source", f.Source, "populationSource", f.PopulationSource, "since", icbStart,
				"population", f.Population, "smallAreas", f.SmallAreas, "populationYear", PopulationYear,
				"shareOfCouncil", share(f.Population, tot.pop[council]), "shareOfArea", share(f.Population, tot.pop[areaKey+area])))
		}
		return out
	}
	edges(store.RelOverlaps, store.LabelCouncil, store.LabelICS, overlapEdges(icsOverlaps, "icb:"))
	edges(store.RelOverlaps, store.LabelCouncil, store.LabelSubICBLocation, overlapEdges(subOverlaps, "sub:"))

	e1, e2 = nil, nil
	for _, p := range d.Partners {
		e := edge(p.Code, p.ICB, "source", p.Source, "odsCode", p.OdsCode, "nameInSource", nilIfEmpty(p.NameInSource))
		if p.Kind == PartnerTrust {
			e1 = append(e1, e)
		} else {
			e2 = append(e2, e)
		}
	}
	edges(store.RelPartnerOf, store.LabelTrust, store.LabelICS, e1)
	edges(store.RelPartnerOf, store.LabelCouncil, store.LabelICS, e2)

	rows, e1 = nil, nil
	for _, x := range d.PCNs {
		rows = append(rows, with(orgProps(x.Org, store.KindPCN, false), "openDate", nilIfEmpty(x.OpenDate)))
		e1 = append(e1, edge(x.Code, x.SubICB, "source", SrcEPCN))
	}
	nodes(store.LabelPCN, rows)
	edges(store.RelInSubICBLocation, store.LabelPCN, store.LabelSubICBLocation, e1)

	rows, e1 = nil, nil
	for _, x := range d.Practices {
		rows = append(rows, with(orgProps(x.Org, store.KindPractice, false), "joinedPcn", nilIfEmpty(x.Joined)))
		e1 = append(e1, edge(x.Code, x.PCN, "source", SrcEPCN, "since", nilIfEmpty(x.Joined)))
	}
	nodes(store.LabelPractice, rows)
	edges(store.RelMemberOf, store.LabelPractice, store.LabelPCN, e1)

	rows, e1, e2 = nil, nil, nil
	for _, x := range d.STPs {
		rows = append(rows, with(orgProps(x.Org, store.KindSTP, true), "years", x.Years))
		if x.Region != "" {
			e1 = append(e1, edge(x.Code, x.Region, "source", SrcNHSER21))
		}
		if x.Successor != "" {
			e2 = append(e2, edge(x.Code, x.Successor, "source", SrcLOC22, "since", icbStart, "basis", "same ODS code"))
		}
	}
	nodes(store.LabelSTP, rows)
	edges(store.RelInRegion, store.LabelSTP, store.LabelRegion, e1)
	edges(store.RelSucceededBy, store.LabelSTP, store.LabelICS, e2)

	rows, e1 = nil, nil
	for _, x := range d.CCGs {
		rows = append(rows, with(orgProps(x.Org, store.KindCCG, true), "years", x.Years))
		if x.Region != "" {
			e1 = append(e1, edge(x.Code, x.Region, "source", SrcNHSER21))
		}
	}
	nodes(store.LabelCCG, rows)
	edges(store.RelInRegion, store.LabelCCG, store.LabelRegion, e1)
	e1 = nil
	for _, m := range d.CCGInSTPs {
		e1 = append(e1, edge(m.CCG, m.STP, "source", m.Source, "year", m.Year, "since", strconv.FormatInt(m.Year, 10)+"-04-01")) // the April lookup of that year)
	}
	edges(store.RelPartOf, store.LabelCCG, store.LabelSTP, e1, "year")
	e1, e2 = nil, nil
	for _, s := range d.CCGSuccessions {
		e := edge(s.CCG, s.Successor, "source", s.Source, "since", nilIfEmpty(s.Since), "basis", nilIfEmpty(s.Basis))
		if s.Kind == SuccSubICB {
			e1 = append(e1, e)
		} else {
			e2 = append(e2, e)
		}
	}
	edges(store.RelSucceededBy, store.LabelCCG, store.LabelSubICBLocation, e1)
	edges(store.RelSucceededBy, store.LabelCCG, store.LabelCCG, e2)
	return g
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}
