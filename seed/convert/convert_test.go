package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/convert"
	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// rawDir is where the official downloads are: RAW_DIR (as `make data`
// reads it), ICSGRAPH_SHARED/raw, or ../shared/data/raw beside the checkout
// (a git worktree under wt/ looks one level further up); given says one was
// named, so its absence is a failure, not a skip.
func rawDir() (dir string, given bool) {
	if d := os.Getenv("RAW_DIR"); d != "" {
		return d, true
	}
	if d := os.Getenv("ICSGRAPH_SHARED"); d != "" {
		return filepath.Join(d, "raw"), true
	}
	for _, d := range []string{"../../../shared/data/raw", "../../../../shared/data/raw"} {
		if _, err := os.Stat(d); err == nil {
			return d, false
		}
	}
	return "../../../shared/data/raw", false
}

// TestCommittedDataIsReproducible rebuilds seed/data from the official
// downloads and checks the committed files are byte for byte what the
// converter produces, and that no stray file is committed beside them.
func TestCommittedDataIsReproducible(t *testing.T) {
	raw, given := rawDir()
	if _, err := os.Stat(raw); os.IsNotExist(err) {
		if given {
			t.Fatalf("the raw folder %s is absent", raw)
		}
		t.Skipf("skipping: the official downloads (%s) are absent; a fresh clone loads from seed/data alone", raw)
	}
	m, err := manifest.Load(filepath.Join("..", "sources", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := convert.Build(m, raw, filepath.Join("..", "curated"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, tb := range tables {
		want[tb.Name] = true
		t.Run(tb.Name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join("..", "data", tb.Name))
			if err != nil {
				t.Fatalf("%v (run: make data)", err)
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
