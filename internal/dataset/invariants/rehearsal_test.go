package invariants_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/dataset/changes"
	"github.com/icsgraph/icsgraph/internal/dataset/convert"
	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
	"github.com/icsgraph/icsgraph/internal/dataset/invariants"
	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// TestRehearsal adds a synthetic future release (seed/testdata/rehearsal,
// made-up data: two ICBs merge, a county becomes two unitaries, a sub-ICB
// location moves ICB, two trusts merge, a region is renamed) with manifest
// and data rows only, and checks that the loader accepts it and every
// invariant holds on every change date, with the counts its manifest
// declares; its change report shows each change.
func TestRehearsal(t *testing.T) {
	dir := datasettest.Merge(t, "../../../seed/data", "../../../seed/testdata/rehearsal/data")
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
