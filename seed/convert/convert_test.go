package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/convert"
	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// sharedDir is where the official downloads are: ICSGRAPH_SHARED, or
// ../shared/data beside the checkout (a git worktree under wt/ looks one
// level further up).
func sharedDir() string {
	if d := os.Getenv("ICSGRAPH_SHARED"); d != "" {
		return d
	}
	for _, d := range []string{"../../../shared/data", "../../../../shared/data"} {
		if _, err := os.Stat(filepath.Join(d, "raw")); err == nil {
			return d
		}
	}
	return "../../../shared/data"
}

// TestCommittedDataIsReproducible rebuilds seed/data from the official
// downloads and checks the committed files are byte for byte what the
// converter produces, and that no stray file is committed beside them.
func TestCommittedDataIsReproducible(t *testing.T) {
	shared := sharedDir()
	if _, err := os.Stat(shared); os.IsNotExist(err) && os.Getenv("ICSGRAPH_SHARED") == "" {
		t.Skipf("skipping: the official downloads (%s) are absent; a fresh clone loads from seed/data alone", shared)
	}
	m, err := manifest.Load(filepath.Join("..", "sources", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := convert.Build(m, filepath.Join(shared, "raw"), filepath.Join("..", "curated"))
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
