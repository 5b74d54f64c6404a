package export

import (
	"encoding/json"
	"io"
)

// WriteCytoscape writes Cytoscape.js JSON: {"data": {...}, "elements":
// {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}}, which both
// cytoscape.js (cy.add / cy.json) and Cytoscape desktop (File → Import →
// Network from File, .cyjs) read. Node data: id, label (= name), kind,
// code, onsCode, name, validFrom, validTo and every other property; edge
// data: id, source, target, type (also as interaction), validFrom, validTo
// and every other property. Absent values are left out.
func WriteCytoscape(w io.Writer, g Graph) error {
	type elem struct {
		Data map[string]any `json:"data"`
	}
	out := struct {
		Data     map[string]any `json:"data"`
		Elements struct {
			Nodes []elem `json:"nodes"`
			Edges []elem `json:"edges"`
		} `json:"elements"`
	}{Data: map[string]any{"name": g.Name}}
	if g.AsOf != "" {
		out.Data["asOf"] = g.AsOf
	}
	out.Elements.Nodes = make([]elem, 0, len(g.Nodes))
	out.Elements.Edges = make([]elem, 0, len(g.Edges))
	for _, n := range g.Nodes {
		d := make(map[string]any, len(n.Attributes)+8)
		for k, v := range n.Attributes {
			d[k] = v
		}
		d["id"], d["label"] = n.ID, n.Name
		for i, v := range nodeCore(n) {
			if v != "" {
				d[coreNode[i]] = v
			}
		}
		out.Elements.Nodes = append(out.Elements.Nodes, elem{d})
	}
	for _, e := range g.Edges {
		d := make(map[string]any, len(e.Attributes)+6)
		for k, v := range e.Attributes {
			d[k] = v
		}
		d["id"], d["source"], d["target"], d["interaction"] = e.ID, e.Source, e.Target, e.Type
		for i, v := range edgeCore(e) {
			if v != "" {
				d[coreEdge[i]] = v
			}
		}
		out.Elements.Edges = append(out.Elements.Edges, elem{d})
	}
	enc := json.NewEncoder(w)
	return enc.Encode(out)
}
