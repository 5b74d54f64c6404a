package store

import (
	"context"
	"testing"
)

func TestDataDates(t *testing.T) {
	node := func(p map[string]any) NodeSet { return NodeSet{Label: LabelICS, Rows: []map[string]any{p}} }
	edge := func(p map[string]any) EdgeSet {
		return EdgeSet{Type: RelPartOf, From: LabelSubICBLocation, To: LabelICS, Rows: []map[string]any{{"from": "A", "to": "B", "props": p}}}
	}
	for _, c := range []struct {
		name     string
		g        Graph
		from, to string
	}{
		{"no validFrom: the defaults", Graph{Nodes: []NodeSet{node(map[string]any{"code": "A"})}, Edges: []EdgeSet{edge(map[string]any{"since": "2022-07-01"})}},
			DefaultDataFrom, DefaultDataTo},
		{"nodes and edges", Graph{
			Nodes: []NodeSet{node(map[string]any{"validFrom": "2013-04-01"}), node(map[string]any{"validFrom": "2022-07-01", "validTo": "2030-01-01"})},
			Edges: []EdgeSet{edge(map[string]any{"validFrom": "2026-08-01"})}},
			"2013-04-01", "2026-08-01"},
		{"an edge starts first", Graph{
			Nodes: []NodeSet{node(map[string]any{"validFrom": "2020-04-01"})},
			Edges: []EdgeSet{edge(map[string]any{"validFrom": "2019-04-01"}), edge(map[string]any{"validFrom": ""})}},
			"2019-04-01", "2020-04-01"},
		{"open dates before the landscape's first day", Graph{
			Nodes: []NodeSet{node(map[string]any{"validFrom": "1991-04-01"}), node(map[string]any{"validFrom": "2026-04-01"})}},
			DefaultDataFrom, "2026-04-01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			from, to := DataDates(c.g)
			if from != c.from || to != c.to {
				t.Errorf("DataDates = %s, %s; want %s, %s", from, to, c.from, c.to)
			}
		})
	}
}

func TestReleaseParams(t *testing.T) {
	ctx := context.Background()
	if p := releaseParams(ctx, nil); p["release"] != nil || p["announced"] != false {
		t.Errorf("unpinned: %v, want release: nil, announced: false", p)
	}
	p := releaseParams(WithRelease(ctx, 7), map[string]any{"code": "RJ1"})
	if p["release"] != int64(7) || p["code"] != "RJ1" {
		t.Errorf("pinned: %v, want release 7 and the code kept", p)
	}
	if got, want := inRelease("n"), "($release IS NULL OR n.release = $release)"; got != want {
		t.Errorf("inRelease = %s, want %s", got, want)
	}
}

// TestReleaseMeasures: the measures written on a Release node are read back
// in order; lists of unequal lengths or a name that is not a measure
// property give none of them.
func TestReleaseMeasures(t *testing.T) {
	ms := []Measure{
		{Property: "residents2015", Family: "RESIDENTS", Vintage: "mid-2015", Date: "2015-06-30", Source: "a", Description: "x"},
		{Property: "registered2026", Family: "REGISTERED_PATIENTS", Vintage: "2026-08", Date: "2026-08-01", Source: "b", Description: "y", Derived: true},
	}
	// As the driver returns them: lists of any.
	asRead := func(in map[string]any) props {
		out := props{}
		for k, v := range in {
			var l []any
			switch x := v.(type) {
			case []string:
				for _, s := range x {
					l = append(l, s)
				}
			case []bool:
				for _, b := range x {
					l = append(l, b)
				}
			}
			out[k] = l
		}
		return out
	}
	for _, c := range []struct {
		name string
		edit func(p props)
		want []Measure
	}{
		{"as written", func(props) {}, ms},
		{"unequal lists", func(p props) { p[releaseMeasureDates] = p[releaseMeasureDates].([]any)[:1] }, nil},
		{"a name that is not a measure property", func(p props) { p[releaseMeasureProperties].([]any)[0] = "x}) DELETE n" }, ms[1:]},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := asRead(MeasureReleaseProps(ms))
			c.edit(p)
			got := decodeRelease(p).Measures
			if len(got) != len(c.want) {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("measure %d: got %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}
