package export

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// esc escapes text for XML content and attribute values (quotes included;
// characters XML cannot hold become U+FFFD).
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// coreNode and coreEdge are the attributes every node and edge has; a
// database property of the same name is not repeated.
var (
	coreNode = []string{"kind", "code", "onsCode", "name", "validFrom", "validTo"}
	coreEdge = []string{"type", "validFrom", "validTo"}
)

func nodeCore(n Node) []string {
	return []string{n.Kind, n.Code, n.OnsCode, n.Name, n.ValidFrom, n.ValidTo}
}
func edgeCore(e Edge) []string { return []string{e.Type, e.ValidFrom, e.ValidTo} }

func nodeAttrs(g Graph) []map[string]any {
	out := make([]map[string]any, len(g.Nodes))
	for i, n := range g.Nodes {
		out[i] = n.Attributes
	}
	return out
}

func edgeAttrs(g Graph) []map[string]any {
	out := make([]map[string]any, len(g.Edges))
	for i, e := range g.Edges {
		out[i] = e.Attributes
	}
	return out
}

// xmlTypes names the attribute types as GraphML and GEXF both spell them.
var xmlTypes = map[attrType]string{tBool: "boolean", tLong: "long", tDouble: "double", tString: "string"}

// WriteGraphML writes g as GraphML: a directed graph whose nodes carry
// label (= name), kind, code, onsCode, name, validFrom, validTo and their
// other properties, and whose edges carry type, validFrom, validTo and
// their other properties, each declared as a typed <key>. Lists are
// strings joined with "; ".
func WriteGraphML(w io.Writer, g Graph) error {
	bw := bufio.NewWriter(w)
	na, ea := declare(nodeAttrs(g)), declare(edgeAttrs(g))
	fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
`)
	if g.Description != "" {
		fmt.Fprintf(bw, "  <desc>%s</desc>\n", esc(g.Description))
	}
	fmt.Fprintf(bw, "  <key id=\"n_label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n")
	for i, k := range coreNode {
		fmt.Fprintf(bw, "  <key id=\"n%d\" for=\"node\" attr.name=\"%s\" attr.type=\"string\"/>\n", i, k)
	}
	for i, d := range na {
		fmt.Fprintf(bw, "  <key id=\"na%d\" for=\"node\" attr.name=\"%s\" attr.type=\"%s\"/>\n", i, esc(d.Name), xmlTypes[d.Type])
	}
	for i, k := range coreEdge {
		fmt.Fprintf(bw, "  <key id=\"e%d\" for=\"edge\" attr.name=\"%s\" attr.type=\"string\"/>\n", i, k)
	}
	for i, d := range ea {
		fmt.Fprintf(bw, "  <key id=\"ea%d\" for=\"edge\" attr.name=\"%s\" attr.type=\"%s\"/>\n", i, esc(d.Name), xmlTypes[d.Type])
	}
	fmt.Fprintf(bw, "  <graph id=\"%s\" edgedefault=\"directed\">\n", esc(cmpOr(g.Name, "G")))
	for _, n := range g.Nodes {
		fmt.Fprintf(bw, "    <node id=\"%s\">\n      <data key=\"n_label\">%s</data>\n", esc(n.ID), esc(n.Name))
		for i, v := range nodeCore(n) {
			if v != "" {
				fmt.Fprintf(bw, "      <data key=\"n%d\">%s</data>\n", i, esc(v))
			}
		}
		for i, d := range na {
			if v, ok := n.Attributes[d.Name]; ok && v != nil {
				fmt.Fprintf(bw, "      <data key=\"na%d\">%s</data>\n", i, esc(text(v)))
			}
		}
		fmt.Fprint(bw, "    </node>\n")
	}
	for _, e := range g.Edges {
		fmt.Fprintf(bw, "    <edge id=\"%s\" source=\"%s\" target=\"%s\">\n", esc(e.ID), esc(e.Source), esc(e.Target))
		for i, v := range edgeCore(e) {
			if v != "" {
				fmt.Fprintf(bw, "      <data key=\"e%d\">%s</data>\n", i, esc(v))
			}
		}
		for i, d := range ea {
			if v, ok := e.Attributes[d.Name]; ok && v != nil {
				fmt.Fprintf(bw, "      <data key=\"ea%d\">%s</data>\n", i, esc(text(v)))
			}
		}
		fmt.Fprint(bw, "    </edge>\n")
	}
	fmt.Fprint(bw, "  </graph>\n</graphml>\n")
	return bw.Flush()
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// WriteGEXF writes g as GEXF 1.3 in dynamic mode with timeformat="date":
// each node and edge whose validity is known gets start (= validFrom) and
// end attributes. GEXF intervals are inclusive at both ends while validTo
// is exclusive (the first day the fact no longer held), so end is the day
// before validTo (see InclusiveEnd); a missing validFrom leaves start open
// (since the beginning), a missing validTo leaves end open (still holds).
// Gephi's timeline then plays the reorganisations. Attributes (kind, code,
// onsCode, validFrom, validTo and every other property) are declared in
// <attributes> blocks, static; the label is the name (nodes) or the
// relationship type (edges).
func WriteGEXF(w io.Writer, g Graph) error {
	bw := bufio.NewWriter(w)
	na, ea := declare(nodeAttrs(g)), declare(edgeAttrs(g))
	fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
  <meta>
    <creator>ICS Graph</creator>
`)
	if g.Description != "" {
		fmt.Fprintf(bw, "    <description>%s</description>\n", esc(g.Description))
	}
	fmt.Fprint(bw, "  </meta>\n")
	fmt.Fprint(bw, "  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\" timerepresentation=\"interval\">\n")
	fmt.Fprint(bw, "    <attributes class=\"node\" mode=\"static\">\n")
	for i, k := range coreNode {
		if k == "name" { // the label
			continue
		}
		fmt.Fprintf(bw, "      <attribute id=\"n%d\" title=\"%s\" type=\"string\"/>\n", i, k)
	}
	for i, d := range na {
		fmt.Fprintf(bw, "      <attribute id=\"na%d\" title=\"%s\" type=\"%s\"/>\n", i, esc(d.Name), xmlTypes[d.Type])
	}
	fmt.Fprint(bw, "    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n")
	for i, k := range coreEdge {
		fmt.Fprintf(bw, "      <attribute id=\"e%d\" title=\"%s\" type=\"string\"/>\n", i, k)
	}
	for i, d := range ea {
		fmt.Fprintf(bw, "      <attribute id=\"ea%d\" title=\"%s\" type=\"%s\"/>\n", i, esc(d.Name), xmlTypes[d.Type])
	}
	fmt.Fprint(bw, "    </attributes>\n    <nodes>\n")
	for _, n := range g.Nodes {
		span, err := interval(n.ValidFrom, n.ValidTo)
		if err != nil {
			return fmt.Errorf("node %s: %w", n.ID, err)
		}
		fmt.Fprintf(bw, "      <node id=\"%s\" label=\"%s\"%s>\n        <attvalues>\n", esc(n.ID), esc(n.Name), span)
		for i, v := range nodeCore(n) {
			if v != "" && coreNode[i] != "name" {
				fmt.Fprintf(bw, "          <attvalue for=\"n%d\" value=\"%s\"/>\n", i, esc(v))
			}
		}
		for i, d := range na {
			if v, ok := n.Attributes[d.Name]; ok && v != nil {
				fmt.Fprintf(bw, "          <attvalue for=\"na%d\" value=\"%s\"/>\n", i, esc(text(v)))
			}
		}
		fmt.Fprint(bw, "        </attvalues>\n      </node>\n")
	}
	fmt.Fprint(bw, "    </nodes>\n    <edges>\n")
	for _, e := range g.Edges {
		span, err := interval(e.ValidFrom, e.ValidTo)
		if err != nil {
			return fmt.Errorf("edge %s: %w", e.ID, err)
		}
		fmt.Fprintf(bw, "      <edge id=\"%s\" source=\"%s\" target=\"%s\" label=\"%s\"%s>\n        <attvalues>\n", esc(e.ID), esc(e.Source), esc(e.Target), esc(e.Type), span)
		for i, v := range edgeCore(e) {
			if v != "" {
				fmt.Fprintf(bw, "          <attvalue for=\"e%d\" value=\"%s\"/>\n", i, esc(v))
			}
		}
		for i, d := range ea {
			if v, ok := e.Attributes[d.Name]; ok && v != nil {
				fmt.Fprintf(bw, "          <attvalue for=\"ea%d\" value=\"%s\"/>\n", i, esc(text(v)))
			}
		}
		fmt.Fprint(bw, "        </attvalues>\n      </edge>\n")
	}
	fmt.Fprint(bw, "    </edges>\n  </graph>\n</gexf>\n")
	return bw.Flush()
}

// interval is the start/end attribute text for a validity.
func interval(from, to string) (string, error) {
	end, err := InclusiveEnd(to)
	if err != nil {
		return "", err
	}
	s := ""
	if from != "" {
		s += fmt.Sprintf(" start=\"%s\"", esc(from))
	}
	if end != "" {
		s += fmt.Sprintf(" end=\"%s\"", end)
	}
	return s, nil
}
