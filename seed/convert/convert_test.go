package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/convert"
)

// shared is where a checkout next to the shared data finds the official
// downloads (../shared/data from the repository root).
const shared = "../../../shared/data"

// TestCommittedDataIsReproducible rebuilds seed/data from the official
// downloads and checks the committed files are byte for byte what the
// converter produces, and that no stray file is committed beside them.
func TestCommittedDataIsReproducible(t *testing.T) {
	if _, err := os.Stat(shared); os.IsNotExist(err) {
		t.Skipf("skipping: the official downloads (%s) are absent; a fresh clone loads from seed/data alone", shared)
	}
	tables, err := convert.Build(filepath.Join(shared, "raw"), filepath.Join(shared, "curated"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, tb := range tables {
		want[tb.Name] = true
		t.Run(tb.Name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join("..", "data", tb.Name))
			if err != nil {
				t.Fatalf("%v (run: go run ./seed/convert -raw ../shared/data/raw -curated ../shared/data/curated -out seed/data)", err)
			}
			if !bytes.Equal(got, tb.Bytes()) {
				t.Errorf("seed/data/%s differs from what the converter produces; rerun go run ./seed/convert", tb.Name)
			}
		})
	}
	entries, err := os.ReadDir(filepath.Join("..", "data"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("seed/data/%s is not produced by the converter", e.Name())
		}
	}
}
