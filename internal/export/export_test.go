package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/export/nxtest"
)

func TestInclusiveEnd(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"2022-07-01", "2022-06-30"},
		{"2026-04-01", "2026-03-31"},
		{"2024-03-01", "2024-02-29"}, // leap year
		{"2023-01-01", "2022-12-31"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := InclusiveEnd(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("InclusiveEnd(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
	if _, err := InclusiveEnd("2022-13-01"); err == nil {
		t.Fatal("InclusiveEnd accepted month 13")
	}
}

// sample is a small dated graph: an STP succeeded by an ICS, a CCG that
// became a sub-ICB location, a council split between two ICSs; names with
// XML and CSV metacharacters.
func sample() Graph {
	g := Graph{Name: "sample", Description: "a <small> & \"dated\" graph"}
	add := func(id, kind, code, name, from, to string, attrs map[string]any) {
		g.Nodes = append(g.Nodes, Node{ID: id, Kind: kind, Code: code, Name: name, ValidFrom: from, ValidTo: to, Attributes: attrs})
	}
	add("STP:E54000005", "STP", "E54000005", "West Yorkshire & Harrogate, \"WY&H\"", "2016-03-01", "2022-07-01", map[string]any{"historic": true})
	add("ICS:QWO", "ICS", "QWO", "NHS West Yorkshire ICB", "2022-07-01", "", map[string]any{"population": int64(2400000), "sources": []any{"ons-a", "ods-b"}})
	add("ICS:QF7", "ICS", "QF7", "NHS South Yorkshire ICB", "2022-07-01", "", map[string]any{"population": int64(1400000)})
	add("COUNCIL:E08000035", "COUNCIL", "E08000035", "Leeds\nCity <Council>", "", "", map[string]any{"councilType": "METROPOLITAN_BOROUGH"})
	g.Edges = []Edge{
		{ID: "SUCCEEDED_BY:STP:E54000005->ICS:QWO", Type: "SUCCEEDED_BY", Source: "STP:E54000005", Target: "ICS:QWO", ValidFrom: "2022-07-01", Attributes: map[string]any{"share": 1.0, "dataSource": "ods-succ"}},
		{ID: "OVERLAPS:COUNCIL:E08000035->ICS:QWO", Type: "OVERLAPS", Source: "COUNCIL:E08000035", Target: "ICS:QWO", ValidFrom: "2022-07-01", ValidTo: "2026-04-01", Attributes: map[string]any{"shareOfCouncil": 0.75, "population": int64(600000)}},
		{ID: "OVERLAPS:COUNCIL:E08000035->ICS:QF7", Type: "OVERLAPS", Source: "COUNCIL:E08000035", Target: "ICS:QF7", Attributes: map[string]any{"shareOfCouncil": int64(0)}}, // int and float mixed: a double
	}
	return g
}

func TestWritersParse(t *testing.T) {
	g := sample()
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, g, f); err != nil {
				t.Fatal(err)
			}
			switch f {
			case GraphML, GEXF:
				d := xml.NewDecoder(&buf)
				for {
					if _, err := d.Token(); err == io.EOF {
						break
					} else if err != nil {
						t.Fatalf("%s is not well-formed XML: %v", f, err)
					}
				}
			case Cytoscape:
				var out struct {
					Elements struct {
						Nodes, Edges []struct{ Data map[string]any }
					}
				}
				if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
					t.Fatal(err)
				}
				if len(out.Elements.Nodes) != len(g.Nodes) || len(out.Elements.Edges) != len(g.Edges) {
					t.Fatalf("cytoscape: %d nodes %d edges, want %d %d", len(out.Elements.Nodes), len(out.Elements.Edges), len(g.Nodes), len(g.Edges))
				}
				e := out.Elements.Edges[0].Data
				if e["source"] != g.Edges[0].Source || e["dataSource"] != "ods-succ" {
					t.Fatalf("cytoscape edge data %v: source must be the start node, the provenance in dataSource", e)
				}
			}
		})
	}
}

// TestCSVRoundTrip reads nodes.csv and edges.csv back and compares them with the graph.
func TestCSVRoundTrip(t *testing.T) {
	g := sample()
	var buf bytes.Buffer
	if err := WriteCSVZip(&buf, g); err != nil {
		t.Fatal(err)
	}
	tables := nxtest.ReadCSVZip(t, buf.Bytes())
	nodes, edges := tables["nodes.csv"], tables["edges.csv"]
	if len(nodes) != len(g.Nodes) || len(edges) != len(g.Edges) {
		t.Fatalf("csv: %d nodes %d edges, want %d %d", len(nodes), len(edges), len(g.Nodes), len(g.Edges))
	}
	for i, n := range g.Nodes {
		row := nodes[i]
		if row["id"] != n.ID || row["name"] != n.Name || row["kind"] != n.Kind || row["validFrom"] != n.ValidFrom || row["validTo"] != n.ValidTo {
			t.Errorf("node %d: read back %v, want %+v", i, row, n)
		}
	}
	if nodes[1]["sources"] != "ons-a; ods-b" || nodes[1]["population"] != "2400000" {
		t.Errorf("attributes read back as %v", nodes[1])
	}
	for i, e := range g.Edges {
		row := edges[i]
		if row["id"] != e.ID || row["source"] != e.Source || row["target"] != e.Target || row["type"] != e.Type || row["validTo"] != e.ValidTo {
			t.Errorf("edge %d: read back %v, want %+v", i, row, e)
		}
	}
	// Same graph, same bytes.
	var again bytes.Buffer
	_ = WriteCSVZip(&again, g)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two writes of one graph differ")
	}
}

// TestNetworkXReadsIntervals writes the sample as GEXF and GraphML and
// reads both back with NetworkX: counts, the dynamic mode, and every
// interval (start = validFrom, end = the day before the exclusive validTo).
func TestNetworkXReadsIntervals(t *testing.T) {
	nxtest.Require(t)
	g := sample()
	dir := t.TempDir()
	paths := map[Format]string{GEXF: filepath.Join(dir, "s.gexf"), GraphML: filepath.Join(dir, "s.graphml")}
	for f, p := range paths {
		var buf bytes.Buffer
		if err := Write(&buf, g, f); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := nxtest.Read(t, paths[GEXF], paths[GraphML])
	for f, p := range paths {
		s := res[p]
		if s.Nodes != len(g.Nodes) || s.Edges != len(g.Edges) || !s.Directed {
			t.Errorf("%s: NetworkX read %d nodes %d edges (directed %v), want %d %d directed", f, s.Nodes, s.Edges, s.Directed, len(g.Nodes), len(g.Edges))
		}
	}
	s := res[paths[GEXF]]
	if s.Mode != "dynamic" {
		t.Errorf("GEXF mode %q, want dynamic", s.Mode)
	}
	check := func(what string, got map[string][2]*string, id, from, to string) {
		t.Helper()
		end, _ := InclusiveEnd(to)
		iv, ok := got[id]
		if from == "" && end == "" {
			if ok {
				t.Errorf("%s %s: interval %v, want none", what, id, iv)
			}
			return
		}
		deref := func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		}
		if deref(iv[0]) != from || deref(iv[1]) != end {
			t.Errorf("%s %s: interval [%s, %s], want [%s, %s]", what, id, deref(iv[0]), deref(iv[1]), from, end)
		}
	}
	for _, n := range g.Nodes {
		check("node", s.NodeIntervals, n.ID, n.ValidFrom, n.ValidTo)
	}
	for _, e := range g.Edges {
		check("edge", s.EdgeIntervals, e.ID, e.ValidFrom, e.ValidTo)
	}
	if got := s.NodeIntervals["STP:E54000005"]; got[1] == nil || !strings.HasPrefix(*got[1], "2022-06-30") {
		t.Errorf("the STP ends on its last day, 2022-06-30; NetworkX read %v", got)
	}
}
