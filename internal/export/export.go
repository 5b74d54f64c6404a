// Package export writes a subgraph of the ICS Graph in the formats network
// researchers use: GraphML (NetworkX, Gephi, yEd, igraph), GEXF 1.3 in
// dynamic mode (Gephi's timeline), CSV nodes + edges in a zip (R, pandas,
// spreadsheets) and Cytoscape.js JSON (Cytoscape, cytoscape.js).
//
// The graph is generic: every node and edge carries its core fields and a
// map of further attributes, read from the database's properties as they
// are, so new properties (dates, shares, populations) flow through without
// code changes here.
package export

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Node is an organisation.
type Node struct {
	ID        string // unique in the graph: KIND:CODE (with @validFrom when one code has several versions)
	Kind      string
	Code      string
	OnsCode   string
	Name      string
	ValidFrom string // ISO date, first day it held; empty: since the beginning of the data
	ValidTo   string // ISO date, exclusive: first day it no longer held; empty: still holds
	// Attributes are the node's other properties: string, int64, float64,
	// bool or a list of those.
	Attributes map[string]any
}

// Edge is a relationship, in its stored direction.
type Edge struct {
	ID         string
	Type       string
	Source     string // Node.ID
	Target     string // Node.ID
	ValidFrom  string
	ValidTo    string // exclusive, as for nodes
	Attributes map[string]any
}

// Graph is what an export writes.
type Graph struct {
	Name        string // e.g. "neighbourhood of QWE, depth 2"
	Description string
	AsOf        string // the date asked for; empty for the newest
	Nodes       []Node
	Edges       []Edge
}

// Format is an export format.
type Format string

const (
	GraphML   Format = "graphml"
	GEXF      Format = "gexf"
	CSV       Format = "csv"
	Cytoscape Format = "cyjs"
)

// Formats lists every format, in the order pages show them.
var Formats = []Format{GraphML, GEXF, CSV, Cytoscape}

// ParseFormat reads a format name (also "json" and "cytoscape" for cyjs, "zip" for csv).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "graphml":
		return GraphML, nil
	case "gexf":
		return GEXF, nil
	case "csv", "zip":
		return CSV, nil
	case "cyjs", "cytoscape", "json":
		return Cytoscape, nil
	}
	return "", fmt.Errorf("unknown format %q: want graphml, gexf, csv or cyjs", s)
}

// ContentType is the media type of the format's files.
func (f Format) ContentType() string {
	switch f {
	case GraphML:
		return "application/graphml+xml"
	case GEXF:
		return "application/gexf+xml"
	case CSV:
		return "application/zip"
	}
	return "application/json"
}

// Ext is the file name extension.
func (f Format) Ext() string {
	switch f {
	case CSV:
		return "zip"
	case Cytoscape:
		return "cyjs.json"
	}
	return string(f)
}

// Write writes g in format f.
func Write(w io.Writer, g Graph, f Format) error {
	switch f {
	case GraphML:
		return WriteGraphML(w, g)
	case GEXF:
		return WriteGEXF(w, g)
	case CSV:
		return WriteCSVZip(w, g)
	case Cytoscape:
		return WriteCytoscape(w, g)
	}
	return fmt.Errorf("export: unknown format %q", f)
}

// attrType is the common type of an attribute's values across a graph.
type attrType int

const (
	tBool attrType = iota
	tLong
	tDouble
	tString
)

// declared is an attribute key with its type.
type declared struct {
	Name string
	Type attrType
}

// declare finds every attribute key used and the narrowest type that holds
// all its values (ints and floats together are doubles; anything mixed or a
// list is a string), in name order.
func declare(attrs []map[string]any) []declared {
	types := map[string]attrType{}
	for _, a := range attrs {
		for k, v := range a {
			t := typeOf(v)
			if old, ok := types[k]; ok && old != t {
				if (old == tLong && t == tDouble) || (old == tDouble && t == tLong) {
					t = tDouble
				} else {
					t = tString
				}
			}
			types[k] = t
		}
	}
	out := make([]declared, 0, len(types))
	for _, k := range slices.Sorted(maps.Keys(types)) {
		out = append(out, declared{k, types[k]})
	}
	return out
}

func typeOf(v any) attrType {
	switch v.(type) {
	case bool:
		return tBool
	case int64, int:
		return tLong
	case float64:
		return tDouble
	}
	return tString
}

// text formats an attribute value as text; lists are joined with "; ".
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = text(e)
		}
		return strings.Join(parts, "; ")
	case []string:
		return strings.Join(x, "; ")
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// InclusiveEnd converts an exclusive end date (validTo, the first day a fact
// no longer holds) into the inclusive end GEXF wants (the last day it held):
// the day before. Empty stays empty (still holds).
func InclusiveEnd(validTo string) (string, error) {
	if validTo == "" {
		return "", nil
	}
	t, err := time.Parse(time.DateOnly, validTo)
	if err != nil {
		return "", fmt.Errorf("validTo %q is not a date: %w", validTo, err)
	}
	return t.AddDate(0, 0, -1).Format(time.DateOnly), nil
}

// Sort puts nodes in (kind, code, id) and edges in (type, source, target,
// id) order, so the same subgraph always gives the same bytes.
func (g *Graph) Sort() {
	slices.SortFunc(g.Nodes, func(a, b Node) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Code, b.Code), cmp.Compare(a.ID, b.ID))
	})
	slices.SortFunc(g.Edges, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Source, b.Source), cmp.Compare(a.Target, b.Target), cmp.Compare(a.ID, b.ID))
	})
}

// URL is the download path of an export: /export/{what}?{args}&format=f
// (args in key order, so links are stable).
func URL(what string, args map[string][]string, f Format) string {
	q := make([]string, 0, len(args)+1)
	for _, k := range slices.Sorted(maps.Keys(args)) {
		for _, v := range args[k] {
			q = append(q, queryEscape(k)+"="+queryEscape(v))
		}
	}
	q = append(q, "format="+string(f))
	return "/export/" + what + "?" + strings.Join(q, "&")
}
