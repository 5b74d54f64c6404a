package dataset

import (
	"testing"
)

// TestMeasuresAreTheData: the measures the API describes (Measures) are the
// ones seed/data declares (measures.csv, generated from the manifest), with
// the same family, vintage, date, source and derivation.
func TestMeasuresAreTheData(t *testing.T) {
	d, err := Read("../../seed/data")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.MeasureRows) == 0 {
		t.Fatal("seed/data/measures.csv declares no measure")
	}
	seen := map[string]bool{}
	for _, m := range d.MeasureRows {
		t.Run(m.Property, func(t *testing.T) {
			seen[m.Property] = true
			g, ok := Measures[m.Property]
			if !ok {
				t.Fatalf("measure %s of seed/data is not described in Measures", m.Property)
			}
			if g.Family != m.Family || g.Vintage != m.Vintage || g.Date != m.Date || g.Source != m.Source || g.Derived != m.Derived || g.Description != m.Description {
				t.Errorf("Measures[%s] = %+v, seed/data says %+v", m.Property, g, m)
			}
		})
	}
	for k := range Measures {
		if !seen[k] {
			t.Errorf("Measures has %s, which seed/data does not declare", k)
		}
	}
}
