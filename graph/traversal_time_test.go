package graph

import (
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

func TestPeriodEnd(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2018", "2018-12-31"},
		{"2020-02", "2020-02-29"},
		{"2021-04", "2021-04-30"},
		{"2020-12", "2020-12-31"},
		{"2021-04-01", "2021-04-01"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := periodEnd(tt.in)
			if err != nil || got.Format(time.DateOnly) != tt.want {
				t.Errorf("periodEnd(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "April 2021", "2021-4"} {
		if _, err := periodEnd(bad); err == nil {
			t.Errorf("periodEnd(%q): want an error", bad)
		}
	}
}

func TestCoverageRule(t *testing.T) {
	sys := func(code, announced, effective, closed string, pop int) store.System {
		return store.System{Org: store.Organisation{Kind: store.KindICS, Code: code,
			Designation: &store.Designation{Wave: "w", Announced: announced, EffectiveFrom: effective}},
			Population: pop, ValidTo: closed}
	}
	// D was announced in December 2020 and took effect on 1 April 2021; E
	// closed on 2026-04-01.
	systems := []store.System{sys("A", "2018", "", "", 100), sys("B", "2021-04", "", "", 200), sys("C", "2021-04-01", "", "", 300),
		sys("D", "2020-12", "2021-04-01", "", 150), sys("E", "2019-06", "", "2026-04-01", 250)}
	tests := []struct {
		on      model.Date
		count   int
		share   float64
		hasNote bool
	}{
		{"2018-06-01", 0, 0, true}, // 2018 not over yet
		{"2018-12-31", 1, 0.1, true},
		{"2019-06-30", 2, 0.35, true},
		{"2021-01-15", 2, 0.35, true}, // D's announcement period is over, but it takes effect in April
		{"2021-04-01", 4, 0.8, true},  // B (April 2021) pending; C and D counted on the day
		{"2021-04-30", 5, 1, true},
		{"2026-04-01", 4, 0.75, true}, // E closed
		{"2017-01-01", 0, 0, false},   // no period open, none counted: nothing to explain
	}
	for _, tt := range tests {
		t.Run(string(tt.on), func(t *testing.T) {
			c, err := coverage(systems, tt.on, store.When{AsOf: string(tt.on)})
			if err != nil {
				t.Fatal(err)
			}
			if c.Count != tt.count || c.ShareOfEngland != tt.share || (c.Note != nil) != tt.hasNote {
				t.Errorf("count %d share %v note %v; want %d %v note %v", c.Count, c.ShareOfEngland, c.Note != nil, tt.count, tt.share, tt.hasNote)
			}
		})
	}
}
