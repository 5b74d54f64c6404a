// Package datasettest helps tests build seed data directories.
package datasettest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// Append copies base into a new temporary directory and appends the rows of
// each CSV file of the directories in extra to the same-named file (whose
// header must be the same), so a fixture can add rows to the real dataset;
// a CSV file base has not is added whole. Other files of extra are ignored.
func Append(t testing.TB, base string, extra ...string) string {
	t.Helper()
	out := Overlay(t, base)
	for _, dir := range extra {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".csv") {
				continue
			}
			add, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(out, e.Name())
			have, err := os.ReadFile(path)
			if errors.Is(err, os.ErrNotExist) {
				have, err = nil, nil
			} else if err == nil {
				head, rows, _ := strings.Cut(string(add), "\n")
				if h, _, _ := strings.Cut(string(have), "\n"); h != head {
					t.Fatalf("%s: header %q, %s has %q", filepath.Join(dir, e.Name()), head, e.Name(), h)
				}
				if len(have) > 0 && have[len(have)-1] != '\n' {
					have = append(have, '\n')
				}
				add = []byte(rows)
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append(have, add...), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}
