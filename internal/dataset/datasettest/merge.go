package datasettest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// RowKeys are the columns that identify a row of each seed file: a fixture
// row with the key of a seed row replaces it, others are added (Merge).
var RowKeys = map[string][]string{
	"organisations.csv": {"kind", "code"},
	"trusts.csv":        {"code"},
	"councils.csv":      {"code"},
	"sources.csv":       {"id"},
	"relationships.csv": {"type", "from_kind", "from_code", "to_kind", "to_code", "valid_from"},
	"overlaps.csv":      {"council_code", "area_kind", "area_code", "valid_from"},
	"partners.csv":      {"icb_code", "partner_kind", "partner_code", "valid_from"},
	"icb_alliances.csv": {"icb_code", "alliance_code", "valid_from"},
	"names.csv":         {"kind", "code", "valid_from"},
	"successions.csv":   {"from_kind", "from_code", "to_kind", "to_code", "date"},
}

// Merge writes, into a new temporary directory, the seed files of seed with
// the rows of each fixture file of fixtures merged in by RowKeys (a release
// written as rows: seed/testdata/rehearsal/data), and returns it. A fixture
// file with no key columns, or whose header differs from the seed file's,
// fails t.
func Merge(t testing.TB, seed, fixtures string) string {
	t.Helper()
	out := t.TempDir()
	if err := os.CopyFS(out, os.DirFS(seed)); err != nil {
		t.Fatal(err)
	}
	fx, err := os.ReadDir(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range fx {
		keyCols, ok := RowKeys[e.Name()]
		if !ok {
			t.Fatalf("%s: no key columns for this file", e.Name())
		}
		base, add := ReadCSVRows(t, filepath.Join(out, e.Name())), ReadCSVRows(t, filepath.Join(fixtures, e.Name()))
		if !slices.Equal(base[0], add[0]) {
			t.Fatalf("%s: the fixture's header differs from the seed's", e.Name())
		}
		key := func(r []string) string {
			var k []string
			for _, c := range keyCols {
				k = append(k, r[slices.Index(base[0], c)])
			}
			return strings.Join(k, "\x00")
		}
		at := map[string]int{}
		for i, r := range base[1:] {
			at[key(r)] = i + 1
		}
		for _, r := range add[1:] {
			if i, ok := at[key(r)]; ok {
				base[i] = r
			} else {
				base = append(base, r)
			}
		}
		f, err := os.Create(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		err = csv.NewWriter(f).WriteAll(base)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}
