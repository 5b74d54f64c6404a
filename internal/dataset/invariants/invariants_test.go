package invariants_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/convert"
	"github.com/icsgraph/icsgraph/internal/dataset/invariants"
	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// TestSeedData runs every invariant over the committed seed/data, on every
// date on which anything in it changes (no raw files needed).
func TestSeedData(t *testing.T) {
	tables, err := invariants.ReadDir("../../../seed/data")
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load("../../../seed/sources/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	opts, err := convert.InvariantOptions(m, "../../../seed/curated")
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.Counts) == 0 {
		t.Fatal("the manifest declares no counts")
	}
	dates := invariants.ChangeDates(tables)
	t.Logf("%d change dates, %s … %s; %d manifest counts", len(dates), dates[0], dates[len(dates)-1], len(opts.Counts))
	for _, f := range invariants.Check(tables, opts) {
		t.Error(f)
	}
	t.Run("unmatched successions have reasons", func(t *testing.T) {
		for _, r := range tables["successions_unmatched.csv"] {
			if r.Get("reason") == "" || r.Get("line") == "" {
				t.Errorf("successions_unmatched.csv:%d: no reason or line", r.Line)
			}
		}
	})
}

// TestCheckFinds: each invariant catches the breach it is for.
func TestCheckFinds(t *testing.T) {
	org := func(kind, code, from, to string) []string { return []string{kind, code, from, to, "b", "s"} }
	rel := func(typ, fk, fc, tk, tc, from, to string) []string {
		return []string{typ, fk, fc, tk, tc, from, to, "s", ""}
	}
	orgH := []string{"kind", "code", "valid_from", "valid_to", "valid_basis", "sources"}
	relH := []string{"type", "from_kind", "from_code", "to_kind", "to_code", "valid_from", "valid_to", "source", "derived"}
	sucH := []string{"from_kind", "from_code", "to_kind", "to_code", "date", "share", "share_weight", "basis", "source"}
	for _, c := range []struct {
		name      string
		orgs      [][]string
		rels      [][]string
		succs     [][]string
		counts    []invariants.Count
		want      string
		wantCount int
	}{
		{"clean", [][]string{org("ICS", "A", "2022-07-01", ""), org("REGION", "R", "2013-04-01", "")},
			[][]string{rel("IN_REGION", "ICS", "A", "REGION", "R", "2022-07-01", "")}, nil, nil, "", 0},
		{"two parents", [][]string{org("TRUST", "T", "2020-01-01", "")},
			[][]string{rel("LOCATED_IN", "TRUST", "T", "ICS", "A", "2022-07-01", ""), rel("LOCATED_IN", "TRUST", "T", "ICS", "B", "2026-04-01", "")}, nil, nil, "TRUST T LOCATED_IN both A and B on 2026-04-01", 1},
		{"shares", [][]string{org("ICS", "A", "2022-07-01", "2026-04-01"), org("ICS", "B", "2026-04-01", ""), org("ICS", "C", "2026-04-01", "")}, nil,
			[][]string{{"ICS", "A", "ICS", "B", "2026-04-01", "0.5", "", "x", "s"}, {"ICS", "A", "ICS", "C", "2026-04-01", "0.4", "", "x", "s"}}, nil, "sums to 0.900000", 1},
		{"ends without successor", [][]string{org("ICS", "A", "2022-07-01", "2026-04-01")}, nil, nil, nil, "ICS A ends on 2026-04-01 with no succession", 1},
		{"county outlives its districts", [][]string{org("COUNCIL", "E10000001", "2013-04-01", ""), org("COUNCIL", "E07000001", "2013-04-01", "2027-04-01")},
			[][]string{rel("WITHIN", "COUNCIL", "E07000001", "COUNCIL", "E10000001", "2013-04-01", "2027-04-01")},
			[][]string{{"COUNCIL", "E07000001", "COUNCIL", "E06000099", "2027-04-01", "1", "", "x", "s"}}, nil, `county E10000001 ends on "" but its last district ends on "2027-04-01"`, 1},
		{"count", [][]string{org("ICS", "A", "2022-07-01", "")}, nil, nil, []invariants.Count{{File: "f.csv", Kind: "ICS", Date: "2022-07-01", Want: 42}}, "1 ICS on 2022-07-01 in the seed, the file lists 42", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := invariants.Tables{}
			tb.Add("organisations.csv", orgH, c.orgs)
			tb.Add("relationships.csv", relH, c.rels)
			tb.Add("successions.csv", sucH, c.succs)
			fs := invariants.Check(tb, invariants.Options{Counts: c.counts})
			if len(fs) != c.wantCount {
				t.Fatalf("%d findings %v, want %d", len(fs), fs, c.wantCount)
			}
			if c.want != "" && !strings.Contains(fs[0].String(), c.want) {
				t.Errorf("finding %q does not say %q", fs[0], c.want)
			}
		})
	}
}

// TestAnnouncedClosures: an announced closure needs a succession, and a
// county whose districts all close by announcement closes with them.
func TestAnnouncedClosures(t *testing.T) {
	tb := invariants.Tables{}
	tb.Add("organisations.csv", []string{"kind", "code", "valid_from", "valid_to", "valid_basis", "sources"},
		[][]string{{"COUNCIL", "E10000001", "2013-04-01", "", "b", "s"}, {"COUNCIL", "E07000001", "2013-04-01", "", "b", "s"}})
	tb.Add("relationships.csv", []string{"type", "from_kind", "from_code", "to_kind", "to_code", "valid_from", "valid_to", "source", "derived"},
		[][]string{{"WITHIN", "COUNCIL", "E07000001", "COUNCIL", "E10000001", "2013-04-01", "", "s", ""}})
	tb.Add("announced_endings.csv", []string{"kind", "code", "valid_to", "announcement"}, [][]string{{"COUNCIL", "E07000001", "2027-04-01", "announced-x"}})
	var got []string
	for _, f := range invariants.Check(tb, invariants.Options{}) {
		got = append(got, f.String())
	}
	for _, want := range []string{"announced_endings.csv:2: announced closures: COUNCIL E07000001 has no succession on 2027-04-01",
		`every district of county E10000001 closes by 2027-04-01 (announced) but the county's closure is announced for ""`} {
		if !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("findings %q lack %q", got, want)
		}
	}
}
