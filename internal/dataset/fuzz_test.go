package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead replaces one seed file with arbitrary bytes: Read must either
// return a dataset whose graph can be built or an ErrInvalid naming the
// file, never panic.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"organisations.csv", "names.csv", "relationships.csv", "successions.csv", "overlaps.csv"} {
		b, err := os.ReadFile(filepath.Join(dataDir, name))
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 4000 {
			b = b[:4000]
		}
		f.Add(name, b)
	}
	f.Add("names.csv", []byte("kind,code,valid_from,name,source\nCCG,00C,2013-04-01,\"x\n"))
	dir := datasetCopy(f)
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		switch name {
		case "organisations.csv", "names.csv", "relationships.csv", "successions.csv", "overlaps.csv":
		default:
			return
		}
		path := filepath.Join(dir, name)
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(path, orig, 0o644)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := Read(dir)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		d.Graph()
	})
}

// datasetCopy copies seed/data into a temporary directory for the fuzz target.
func datasetCopy(f *testing.F) string {
	dir := f.TempDir()
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dataDir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	return dir
}
