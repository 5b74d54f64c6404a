package graph

import (
	"context"
	"slices"
	"testing"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Successions on one date are grouped into mergers, splits and single
// successions: A and part of B merge into M; B is split between M and N; C is
// succeeded by D; and one succession (E → F) is on another date.
func TestGroupSuccessions(t *testing.T) {
	org := func(code string) store.Organisation {
		return store.Organisation{Kind: store.KindICS, Code: code, Name: "ICB " + code}
	}
	share := func(f float64) *float64 { return &f }
	row := func(from, to, date string, s float64) store.ChangeRow {
		o, other := org(from), org(to)
		return store.ChangeRow{Type: "SUCCESSION", Date: date, Org: o, Other: &other,
			Succession: &store.Succession{From: o, To: other, Date: date, Share: share(s)}}
	}
	rows := []store.ChangeRow{
		row("A", "M", "2026-04-01", 1), row("B", "M", "2026-04-01", 0.6), row("B", "N", "2026-04-01", 0.4),
		row("C", "D", "2026-04-01", 1), row("E", "F", "2025-04-01", 1),
		{Type: "CLOSED", Date: "2026-04-01", Org: org("A")},
	}
	got, err := changesOf(context.Background(), rows, store.When{AsOf: "2026-04-01"})
	if err != nil {
		t.Fatal(err)
	}
	type summary struct {
		typ     model.ChangeType
		date    string
		org     string
		parties []string
	}
	var sums []summary
	for _, c := range got {
		s := summary{typ: c.c.Type, date: string(c.c.Date), org: c.c.Organisation.(model.Organisational).Base().Code}
		for _, p := range c.c.Parties {
			s.parties = append(s.parties, string(p.Role)[:4]+" "+p.Organisation.(model.Organisational).Base().Code)
		}
		sums = append(sums, s)
	}
	want := []summary{
		{model.ChangeTypeSucceeded, "2025-04-01", "F", []string{"PRED E", "SUCC F"}},
		{model.ChangeTypeClosed, "2026-04-01", "A", []string{"SUBJ A"}},
		{model.ChangeTypeMerged, "2026-04-01", "M", []string{"PRED A", "PRED B", "SUCC M"}},
		{model.ChangeTypeSplit, "2026-04-01", "B", []string{"PRED B", "SUCC M", "SUCC N"}},
		{model.ChangeTypeSucceeded, "2026-04-01", "D", []string{"PRED C", "SUCC D"}},
	}
	if len(sums) != len(want) {
		t.Fatalf("%d changes %+v, want %d", len(sums), sums, len(want))
	}
	for i := range want {
		if sums[i].typ != want[i].typ || sums[i].date != want[i].date || sums[i].org != want[i].org || !slices.Equal(sums[i].parties, want[i].parties) {
			t.Errorf("change %d: %+v, want %+v", i, sums[i], want[i])
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].key <= got[i-1].key {
			t.Errorf("changes not in key order at %d", i)
		}
	}
	if d := got[2].c.Description; d != "ICB A (A) and part (60%) of ICB B (B) merged into ICB M (M)." {
		t.Errorf("merger described as %q", d)
	}
}
