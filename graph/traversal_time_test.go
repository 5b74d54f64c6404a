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
	sys := func(code, announced string, pop int) store.Organisation {
		return store.Organisation{Kind: store.KindICS, Code: code, Population: &pop, Designation: &store.Designation{Wave: "w", Announced: announced}}
	}
	systems := []store.Organisation{sys("A", "2018", 100), sys("B", "2021-04", 300), sys("C", "2021-04-01", 600)}
	tests := []struct {
		on      model.Date
		count   int
		share   float64
		hasNote bool
	}{
		{"2018-06-01", 0, 0, true}, // 2018 not over yet
		{"2018-12-31", 1, 0.1, true},
		{"2021-04-01", 2, 0.7, true}, // B (April 2021) pending, C counted on the day
		{"2021-04-30", 3, 1, true},
		{"2017-01-01", 0, 0, false}, // no period open, none counted: nothing to explain
	}
	for _, tt := range tests {
		t.Run(string(tt.on), func(t *testing.T) {
			c, err := coverage(systems, tt.on)
			if err != nil {
				t.Fatal(err)
			}
			if c.Count != tt.count || c.ShareOfEngland != tt.share || (c.Note != nil) != tt.hasNote {
				t.Errorf("count %d share %v note %v; want %d %v note %v", c.Count, c.ShareOfEngland, c.Note != nil, tt.count, tt.share, tt.hasNote)
			}
		})
	}
}
