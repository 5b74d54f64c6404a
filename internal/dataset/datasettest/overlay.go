// Package datasettest helps tests build seed data directories.
package datasettest

import (
	"os"
	"path/filepath"
	"testing"
)

// Overlay copies the files of each directory in dirs, in order, into a new
// temporary directory and returns it: a later directory's file replaces an
// earlier one of the same name, so a fixture can replace one file of the
// real dataset.
func Overlay(t testing.TB, dirs ...string) string {
	t.Helper()
	out := t.TempDir()
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}
