package convert

import (
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// TestRegisteredMeasuresPerFile: every registered-patients file of the
// manifest is read into its own measure, so a new month or year of figures
// is a file row and a measure row, not a code change; a file without its
// measure row stops the converter.
func TestRegisteredMeasuresPerFile(t *testing.T) {
	repo, err := manifest.Load("../../../seed/sources/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	current := repo.WithRole("registered-population")
	if len(current) != 1 {
		t.Fatalf("%d registered-population files in the manifest, this test adds one to one", len(current))
	}
	cur, ok := repo.MeasureOf("REGISTERED_PATIENTS", current[0].ID)
	if !ok {
		t.Fatalf("no measure for %s", current[0].ID)
	}
	// A later file of the same role (synthetic: only its manifest row).
	next := current[0]
	next.ID, next.DescribesFrom = "synthetic-registered-later", "2099-01-01"
	nextMeasure := cur
	nextMeasure.Property, nextMeasure.Vintage, nextMeasure.Source = "registeredSynthetic", "2099-01", next.ID

	for _, tc := range []struct {
		name      string
		files     []manifest.File
		measures  []manifest.Measure
		want      []string // the measures filled, in the order of their files' dates
		wantError string
	}{
		{"today's manifest", nil, nil, []string{cur.Property}, ""},
		{"a second file with its measure", []manifest.File{next}, []manifest.Measure{nextMeasure}, []string{cur.Property, nextMeasure.Property}, ""},
		{"a second file without its measure", []manifest.File{next}, nil, nil, "no REGISTERED_PATIENTS measure for synthetic-registered-later"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := *repo
			m.Files = append(append([]manifest.File{}, repo.Files...), tc.files...)
			m.Measures = append(append([]manifest.Measure{}, repo.Measures...), tc.measures...)
			err := setMeasures(&m)
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range measure.registered {
				got = append(got, x.property)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("registered measures %v, want %v", got, tc.want)
			}
		})
	}
	if err := setMeasures(repo); err != nil { // leave the package's state as Build sets it
		t.Fatal(err)
	}
}
