package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
	"github.com/icsgraph/icsgraph/internal/model"
)

// TestMeasuresAreTheData: the measures a release holds are exactly the rows
// of measures.csv, in order, written on the Release node (the API reads them
// from there); a next-year measure (seed/testdata/next_measure, SYNTHETIC)
// is one more row and its figures, with no Go change.
func TestMeasuresAreTheData(t *testing.T) {
	for _, c := range []struct{ name, fixture string }{{"seed/data", ""}, {"seed/data + next_measure", "../../seed/testdata/next_measure"}} {
		t.Run(c.name, func(t *testing.T) {
			dir := datasettest.Append(t, dataDir)
			if c.fixture != "" {
				dir = datasettest.Append(t, dataDir, c.fixture)
			}
			want := datasettest.ReadCSV(t, filepath.Join(dir, "measures.csv"))
			d, err := Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			g := d.Graph()
			props, _ := g.Release["measureProperties"].([]string)
			fams, _ := g.Release["measureFamilies"].([]string)
			vints, _ := g.Release["measureVintages"].([]string)
			if len(props) != len(want) || len(fams) != len(want) || len(vints) != len(want) {
				t.Fatalf("release measures %v %v %v; measures.csv has %d rows", props, fams, vints, len(want))
			}
			for i, w := range want {
				if props[i] != w["property"] || fams[i] != w["family"] || vints[i] != w["vintage"] {
					t.Errorf("release measure %d: %s %s %s; measures.csv row %v", i, props[i], fams[i], vints[i], w)
				}
			}
			// Every figure of populations.csv is on its organisation's node.
			figures := map[[2]string]map[string]any{}
			for _, ns := range g.Nodes {
				for _, r := range ns.Rows {
					k, _ := r["kind"].(string)
					code, _ := r["code"].(string)
					figures[[2]string{k, code}] = r
				}
			}
			for _, p := range datasettest.ReadCSV(t, filepath.Join(dir, "populations.csv")) {
				if !slices.Contains(props, p["measure"]) {
					t.Fatalf("populations.csv measure %s is not in measures.csv", p["measure"])
				}
				n := figures[[2]string{p["kind"], p["code"]}]
				if got, ok := n[p["measure"]]; !ok || strings.TrimSpace(p["value"]) != fmt.Sprint(got) {
					t.Errorf("%s %s %s: node has %v, populations.csv %s", p["kind"], p["code"], p["measure"], got, p["value"])
				}
			}
		})
	}
}

// TestBadMeasureRows: a measures.csv row that could not name a node property
// safely, or that repeats a measure, stops the loader with the file and line.
func TestBadMeasureRows(t *testing.T) {
	const src = "mhclg-iod2019-population-lsoa11-mid2015"
	for _, c := range []struct{ name, row, want string }{
		{"a property with a space", "residents 2024,RESIDENTS,mid-2024,2024-06-30," + src + ",false,x", "not a measure property name"},
		{"a property that would break Cypher", "`x`}) DETACH DELETE n //,RESIDENTS,mid-2024,2024-06-30," + src + ",false,x", "not a measure property name"},
		{"a property starting with a digit", "2024residents,RESIDENTS,mid-2024,2024-06-30," + src + ",false,x", "not a measure property name"},
		{"another property of the model", "name,RESIDENTS,mid-2024,2024-06-30," + src + ",false,x", "another property of the model"},
		{"a composition list", "residents2015At,RESIDENTS,mid-2024,2024-06-30," + src + ",false,x", "another property of the model"},
		{"a repeated property", "residents2015,RESIDENTS,mid-2099,2024-06-30," + src + ",false,x", "declared twice"},
		{"a repeated vintage", "residents2099,RESIDENTS,mid-2015,2015-06-30," + src + ",false,x", "vintage \"mid-2015\" twice"},
		{"an unknown family", "workers2024,WORKERS,mid-2024,2024-06-30," + src + ",false,x", "is not one of"},
		{"an unknown source", "residents2024,RESIDENTS,mid-2024,2024-06-30,no-such-source,false,x", "source"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := datasettest.Overlay(t, dataDir)
			path := filepath.Join(dir, "measures.csv")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			line := strings.Count(string(b), "\n") + 1
			if err := os.WriteFile(path, append(b, []byte(c.row+"\n")...), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = Read(dir)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "measures.csv:"+strconv.Itoa(line)+":") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v; want ErrInvalid at measures.csv:%d saying %q", err, line, c.want)
			}
		})
	}
	t.Run("at most MaxMeasures", func(t *testing.T) {
		dir := datasettest.Overlay(t, dataDir)
		path := filepath.Join(dir, "measures.csv")
		b, _ := os.ReadFile(path)
		var extra strings.Builder
		for i := 0; i < model.MaxMeasures; i++ {
			extra.WriteString("extra" + strconv.Itoa(i) + ",RESIDENTS,v" + strconv.Itoa(i) + ",2024-06-30," + src + ",false,x\n")
		}
		_ = os.WriteFile(path, append(b, extra.String()...), 0o644)
		if _, err := Read(dir); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "more than") {
			t.Fatalf("error %v; want more than %d measures refused", err, model.MaxMeasures)
		}
	})
}
