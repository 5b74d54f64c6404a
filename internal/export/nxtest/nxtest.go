// Package nxtest reads export files back with NetworkX for tests, through
// web/tests/read_exports.py. Without python3 and networkx the test fails
// under CI=true and is skipped otherwise (`make test-deps` installs them).
package nxtest

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// Summary is what the script reports about one file.
type Summary struct {
	Nodes         int                   `json:"nodes"`
	Edges         int                   `json:"edges"`
	Directed      bool                  `json:"directed"`
	NodeIDs       []string              `json:"node_ids"`
	EdgeTypes     []string              `json:"edge_types"`
	Kinds         []string              `json:"kinds"`
	Mode          string                `json:"mode"`
	NodeIntervals map[string][2]*string `json:"node_intervals"`
	EdgeIntervals map[string][2]*string `json:"edge_intervals"`
}

// Script is the path of read_exports.py.
func Script() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "web", "tests", "read_exports.py")
}

// Require checks that python3 with networkx is there.
func Require(t testing.TB) {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import networkx; print(networkx.__version__)").CombinedOutput()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 with networkx is required (make test-deps): %v: %s", err, out)
		}
		t.Skipf("python3 with networkx not found (make test-deps installs it): %v", err)
	}
}

// Read runs the script on the files (.graphml, .gexf).
func Read(t testing.TB, paths ...string) map[string]Summary {
	t.Helper()
	Require(t)
	cmd := exec.Command("python3", append([]string{Script()}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("NetworkX could not read %v: %v\n%s", paths, err, stderr.String())
	}
	var res map[string]Summary
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("read_exports.py output: %v\n%s", err, out)
	}
	return res
}

// ReadCSVZip reads every CSV file of a CSV export (a zip) into rows keyed
// by the header, and checks that it holds exactly nodes.csv and edges.csv.
func ReadCSVZip(t testing.TB, data []byte) map[string][]map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		rows := []map[string]string{}
		for _, r := range recs[1:] {
			m := map[string]string{}
			for i, h := range recs[0] {
				m[h] = r[i]
			}
			rows = append(rows, m)
		}
		out[f.Name] = rows
	}
	if got := slices.Sorted(maps.Keys(out)); !slices.Equal(got, []string{"edges.csv", "nodes.csv"}) {
		t.Fatalf("zip holds %v, want edges.csv and nodes.csv", got)
	}
	return out
}
