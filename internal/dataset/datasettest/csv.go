package datasettest

import (
	"bytes"
	"encoding/csv"
	"os"
	"testing"
)

// ReadCSV reads a whole CSV file with a header row as one map per row,
// keyed by the header (a leading UTF-8 byte-order mark dropped); any error
// fails t. Tests read the seed and raw files with it, independently of the
// loader's and the converter's readers.
func ReadCSV(t testing.TB, path string) []map[string]string {
	t.Helper()
	_, rows := ReadCSVTable(t, path)
	return rows
}

// ReadCSVTable is ReadCSV, also returning the header.
func ReadCSVTable(t testing.TB, path string) ([]string, []map[string]string) {
	t.Helper()
	rows := ReadCSVRows(t, path)
	out := make([]map[string]string, 0, len(rows)-1)
	for _, r := range rows[1:] {
		m := make(map[string]string, len(rows[0]))
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return rows[0], out
}

// ReadCSVRows reads a whole CSV file with a header row as records, the
// header first (a leading UTF-8 byte-order mark dropped); any error, or a
// file without a header, fails t.
func ReadCSVRows(t testing.TB, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no header row", path)
	}
	return rows
}
