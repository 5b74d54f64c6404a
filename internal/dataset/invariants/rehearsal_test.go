package invariants_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/dataset/changes"
	"github.com/icsgraph/icsgraph/internal/dataset/convert"
	"github.com/icsgraph/icsgraph/internal/dataset/invariants"
	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// rowKeys are the columns that identify a row of each seed file: a fixture
// row with the key of a seed/data row replaces it, others are added.
var rowKeys = map[string][]string{
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

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// overlay writes seed/data with a release's fixture rows merged in.
func overlay(t *testing.T, seed, fixtures string) string {
	t.Helper()
	out := t.TempDir()
	entries, err := os.ReadDir(seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(seed, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fx, err := os.ReadDir(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range fx {
		keyCols, ok := rowKeys[e.Name()]
		if !ok {
			t.Fatalf("%s: no key columns for this file", e.Name())
		}
		base, add := readRows(t, filepath.Join(out, e.Name())), readRows(t, filepath.Join(fixtures, e.Name()))
		if !slices.Equal(base[0], add[0]) {
			t.Fatalf("%s: the fixture's header differs from seed/data's", e.Name())
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
		w := csv.NewWriter(f)
		if err := w.WriteAll(base); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return out
}

// TestRehearsal adds a synthetic future release (seed/testdata/rehearsal,
// made-up data: two ICBs merge, a county becomes two unitaries, a sub-ICB
// location moves ICB, two trusts merge, a region is renamed) with manifest
// and data rows only, and checks that the loader accepts it and every
// invariant holds on every change date, with the counts its manifest
// declares; its change report shows each change.
func TestRehearsal(t *testing.T) {
	dir := overlay(t, "../../../seed/data", "../../../seed/testdata/rehearsal/data")
	m, err := manifest.Load("../../../seed/testdata/rehearsal/raw/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Verify("../../../seed/testdata/rehearsal/raw"); err != nil {
		t.Fatal(err)
	}
	if _, err := dataset.Read(dir); err != nil {
		t.Fatalf("the loader rejects the rehearsal release: %v", err)
	}
	tables, err := invariants.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := manifest.Load("../../../seed/sources/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	opts, err := convert.InvariantOptions(repo, "../../../seed/curated")
	if err != nil {
		t.Fatal(err)
	}
	syn, err := convert.InvariantOptions(m, "../../../seed/curated")
	if err != nil {
		t.Fatal(err)
	}
	opts.Counts = append(opts.Counts, syn.Counts...)
	if !slices.Contains(invariants.ChangeDates(tables), m.ReleaseSince) {
		t.Fatalf("no change on %s", m.ReleaseSince)
	}
	for _, f := range invariants.Check(tables, opts) {
		t.Error(f)
	}
	report := changes.Report(tables, m.ReleaseSince)
	for _, want := range []string{"ICS SYN-ICB1", "← QSL 1.000000, QUY 1.000000", "COUNCIL E10000003", "E06-SYN-NORTH", "TRUST SYN-T1", "PART_OF:", "SYNTHETIC South West and Wessex"} {
		if !strings.Contains(report, want) {
			t.Errorf("the change report does not show %q", want)
		}
	}
	// The invariants see a broken release too: drop one succession.
	t.Run("a merge without its succession is caught", func(t *testing.T) {
		var kept []invariants.Row
		for _, r := range tables["successions.csv"] {
			if !(r.Get("from_code") == "QSL" && r.Get("date") == m.ReleaseSince) {
				kept = append(kept, r)
			}
		}
		broken := invariants.Tables{}
		for k, v := range tables {
			broken[k] = v
		}
		broken["successions.csv"] = kept
		fs := invariants.Check(broken, opts)
		if len(fs) != 1 || !strings.Contains(fs[0].String(), "ICS QSL ends on 2027-04-01 with no succession") {
			t.Errorf("findings %v, want one for QSL", fs)
		}
	})
}
