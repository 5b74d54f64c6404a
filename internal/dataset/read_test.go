package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
)

const dataDir = "../../seed/data"

// overlay returns a directory holding seed/data with the fixture's files (if
// a fixture is named) replacing the same-named ones.
func overlay(t *testing.T, fixture string) string {
	if fixture == "" {
		return datasettest.Overlay(t, dataDir)
	}
	return datasettest.Overlay(t, dataDir, filepath.Join("../../seed/testdata", fixture))
}

func TestReadRealDataset(t *testing.T) {
	d, err := Read(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, tr := range d.Trusts {
		if tr.Status == "OPEN" {
			open++
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"regions", len(d.Regions), 7},
		{"ICBs", len(d.ICBs), 42},
		{"sub-ICB locations", len(d.SubICBs), 106},
		{"open trusts", open, 202},
		{"councils", len(d.Councils), 309 + 24},
		{"Cancer Alliances", len(d.CancerAlliances), 21},
		{"Clinical Senates", len(d.Senates), 9},
		{"PCNs", len(d.PCNs), 1264},
		{"STPs", len(d.STPs), 42},
	} {
		t.Run(c.what, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("%s = %d, want %d", c.what, c.got, c.want)
			}
		})
	}
}

func TestReadRejectsBadFixtures(t *testing.T) {
	for _, c := range []struct {
		fixture string
		want    []string // substrings of the error
	}{
		{"bad_trust_icb", []string{"trusts.csv:3:", `unknown ICB "QZZ"`}},
		{"pcn_without_code", []string{"pcns.csv:2:", "code is empty"}},
		{"bad_population", []string{"council_areas.csv:4:", "population", "not a non-negative integer"}},
		{"unknown_source", []string{"regions.csv:2:", `unknown source "no-such-source"`}},
		{"bad_header", []string{"pcns.csv:1:", "header must be"}},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			_, err := Read(overlay(t, c.fixture))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Read: err = %v, want ErrInvalid", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestReadMissingFile(t *testing.T) {
	dir := overlay(t, "")
	if err := os.Remove(filepath.Join(dir, "practices.csv")); err != nil {
		t.Fatal(err)
	}
	_, err := Read(dir)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "practices.csv") {
		t.Fatalf("Read without practices.csv: err = %v", err)
	}
}

// TestGraphFigures checks the derived figures against the official files
// (via the seed files): the East Suffolk split and the QT1 Cancer Alliance
// split.
func TestGraphFigures(t *testing.T) {
	d, err := Read(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	g := d.Graph()
	find := func(typ, from, to string) []map[string]any {
		for _, es := range g.Edges {
			if es.Type == typ && es.From == from && es.To == to {
				return es.Rows
			}
		}
		t.Fatalf("no edge set (%s)-[%s]->(%s)", from, typ, to)
		return nil
	}
	t.Run("East Suffolk overlaps QJG and QMM about 52/48", func(t *testing.T) {
		shares := map[string]float64{}
		for _, e := range find("OVERLAPS", "Council", "ICS") {
			if e["from"] == "E07000244" {
				shares[e["to"].(string)] = e["props"].(map[string]any)["shareOfCouncil"].(float64)
			}
		}
		if len(shares) != 2 || shares["QJG"] < 0.51 || shares["QJG"] > 0.53 || shares["QMM"] < 0.47 || shares["QMM"] > 0.49 {
			t.Errorf("East Suffolk shares = %v, want QJG≈0.52, QMM≈0.48", shares)
		}
	})
	t.Run("QT1 spans two Cancer Alliances", func(t *testing.T) {
		var total float64
		n := 0
		for _, e := range find("IN_CANCER_ALLIANCE", "ICS", "CancerAlliance") {
			if e["from"] == "QT1" {
				n++
				total += e["props"].(map[string]any)["share"].(float64)
			}
		}
		if n != 2 || total < 0.9999 || total > 1.0001 {
			t.Errorf("QT1: %d alliance edges with shares summing to %v, want 2 summing to 1", n, total)
		}
	})
	t.Run("every council's overlap shares sum to 1", func(t *testing.T) {
		sum := map[string]float64{}
		for _, e := range find("OVERLAPS", "Council", "ICS") {
			sum[e["from"].(string)] += e["props"].(map[string]any)["shareOfCouncil"].(float64)
		}
		if len(sum) != 333 {
			t.Errorf("%d councils overlap an ICS, want 333", len(sum))
		}
		for c, s := range sum {
			if s < 0.9999 || s > 1.0001 {
				t.Errorf("council %s shares sum to %v", c, s)
			}
		}
	})
}
