package changes

import (
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/invariants"
)

// TestReport builds a small landscape and checks each section of the report
// lists what changed on or after the date, and nothing before it.
func TestReport(t *testing.T) {
	tb := invariants.Tables{}
	tb.Add("organisations.csv", []string{"kind", "code", "valid_from", "valid_to", "valid_basis", "sources"}, [][]string{
		{"ICS", "A", "2022-07-01", "2026-04-01", "b", "s"},
		{"ICS", "B", "2022-07-01", "2026-04-01", "b", "s"},
		{"ICS", "C", "2026-04-01", "", "b", "s"},
		{"ICS", "OLD", "2013-04-01", "2020-04-01", "b", "s"},
		{"SUB_ICB_LOCATION", "S", "2022-07-01", "", "b", "s"},
		{"COUNCIL", "E06-NEW", "2027-04-01", "", "b", "announced-x"},
	})
	tb.Add("names.csv", []string{"kind", "code", "valid_from", "name", "source"}, [][]string{
		{"ICS", "C", "2026-04-01", "Central", "s"},
		{"SUB_ICB_LOCATION", "S", "2022-07-01", "Old name", "s"},
		{"SUB_ICB_LOCATION", "S", "2026-04-01", "New name", "s"},
	})
	tb.Add("relationships.csv", []string{"type", "from_kind", "from_code", "to_kind", "to_code", "valid_from", "valid_to", "source", "derived"}, [][]string{
		{"PART_OF", "SUB_ICB_LOCATION", "S", "ICS", "A", "2022-07-01", "2026-04-01", "s", ""},
		{"PART_OF", "SUB_ICB_LOCATION", "S", "ICS", "C", "2026-04-01", "", "s", ""},
	})
	tb.Add("successions.csv", []string{"from_kind", "from_code", "to_kind", "to_code", "date", "share", "share_weight", "basis", "source"}, [][]string{
		{"ICS", "A", "ICS", "C", "2026-04-01", "1.000000", "", "x", "s"},
		{"ICS", "B", "ICS", "C", "2026-04-01", "1.000000", "", "x", "s"},
		{"ICS", "OLD", "ICS", "A", "2020-04-01", "1.000000", "", "x", "s"},
	})
	tb.Add("successions_unmatched.csv", []string{"predecessor", "successor", "date", "reason", "source", "line"}, [][]string{
		{"P1", "P2", "2026-05-01", "neither organisation is in the graph", "succ", "7"},
	})
	r := Report(tb, "2026-04-01")
	for _, c := range []struct{ section, want string }{
		{"## Opened: 2", "- 2026-04-01 ICS C (Central)"},
		{"## Opened: 2", "- 2027-04-01 COUNCIL E06-NEW [announced]"},
		{"## Closed: 2", "- 2026-04-01 ICS A"},
		{"## Merged", "- 2026-04-01 ICS C (Central) ← A 1.000000, B 1.000000"},
		{"## Re-parented: 1", "- 2026-04-01 SUB_ICB_LOCATION S (New name) PART_OF: A → C"},
		{"## Renamed: 1", `- 2026-04-01 SUB_ICB_LOCATION S: "Old name" → "New name"`},
		{"## Succession rows not used (ODS succ.csv): 1", "- 2026-05-01 P1 → P2 (succ line 7): neither organisation is in the graph"},
	} {
		t.Run(c.section, func(t *testing.T) {
			i := strings.Index(r, c.section)
			if i < 0 {
				t.Fatalf("no section %q in:\n%s", c.section, r)
			}
			body := r[i:]
			if j := strings.Index(body[1:], "\n## "); j >= 0 {
				body = body[:j+1]
			}
			if !strings.Contains(body, c.want) {
				t.Errorf("section %q lacks %q:\n%s", c.section, c.want, body)
			}
		})
	}
	if strings.Contains(r, "OLD") || strings.Contains(r, "2020-04-01") {
		t.Errorf("the report lists a change before 2026-04-01:\n%s", r)
	}
}
