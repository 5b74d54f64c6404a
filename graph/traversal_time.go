package graph

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Time: ICS designations and the coverage they had reached by a date.
//
// A system's designation date is when it was announced (designationAnnounced),
// known to the day, the month or only the year. A date known to the month or
// year is a period; a system counts as designated by a date once the whole
// period is on or before it (a system announced "2021-04" counts from
// 2021-04-30), so coverage never claims a system early.

// periodEnd is the last day of the period a partial date names:
// "2018" → 2018-12-31, "2020-05" → 2020-05-31, "2021-04-01" → itself.
func periodEnd(d string) (time.Time, error) {
	for _, p := range []struct {
		layout string
		years  int
		months int
	}{{time.DateOnly, 0, 0}, {"2006-01", 0, 1}, {"2006", 1, 0}} {
		if t, err := time.Parse(p.layout, d); err == nil {
			if p.years == 0 && p.months == 0 {
				return t, nil
			}
			return t.AddDate(p.years, p.months, -1), nil
		}
	}
	return time.Time{}, fmt.Errorf("designation date %q: want YYYY, YYYY-MM or YYYY-MM-DD", d)
}

// designated is an ICS with the end of its designation period.
type designated struct {
	org store.Organisation
	end time.Time
}

// designatedSystems returns the systems with a designation, in order of
// designation (by announced date, partial dates first in their period, then
// code).
func designatedSystems(systems []store.Organisation) ([]designated, error) {
	var out []designated
	for _, o := range systems {
		if o.Designation == nil || o.Designation.Announced == "" {
			continue
		}
		end, err := periodEnd(o.Designation.Announced)
		if err != nil {
			return nil, fmt.Errorf("ICS %s: %w", o.Code, err)
		}
		out = append(out, designated{org: o, end: end})
	}
	slices.SortFunc(out, func(a, b designated) int {
		return cmp.Or(cmp.Compare(a.org.Designation.Announced, b.org.Designation.Announced), cmp.Compare(a.org.Code, b.org.Code))
	})
	return out, nil
}

// coverage computes what the designated systems covered on a date. England's
// population is the sum over every system (they tile England).
func coverage(systems []store.Organisation, on model.Date) (*model.Coverage, error) {
	day, err := time.Parse(time.DateOnly, string(on))
	if err != nil {
		return nil, badInput("on", "%q is not a date: want YYYY-MM-DD", on)
	}
	all, err := designatedSystems(systems)
	if err != nil {
		return nil, err
	}
	out := &model.Coverage{On: on, Systems: []*model.IntegratedCareSystem{}}
	england := 0
	for _, o := range systems {
		england += deref(o.Population)
		out.PopulationYear = max(out.PopulationYear, deref(o.PopulationYear))
	}
	partialCounted := 0
	pending := map[string]int{} // partial dates whose period holds `on` → systems
	for _, d := range all {
		partial := len(d.org.Designation.Announced) < len(time.DateOnly)
		if d.end.After(day) {
			if start, _ := time.Parse(layoutOf(d.org.Designation.Announced), d.org.Designation.Announced); partial && !start.After(day) {
				pending[d.org.Designation.Announced]++
			}
			continue
		}
		if partial {
			partialCounted++
		}
		out.Systems = append(out.Systems, as[*model.IntegratedCareSystem](d.org))
		out.Population += deref(d.org.Population)
	}
	out.Count = len(out.Systems)
	if england > 0 {
		out.ShareOfEngland = float64(out.Population) / float64(england)
	}
	out.Note = coverageNote(on, out.Count, partialCounted, pending)
	return out, nil
}

func layoutOf(d string) string {
	switch len(d) {
	case 4:
		return "2006"
	case 7:
		return "2006-01"
	}
	return time.DateOnly
}

// coverageNote explains how partial designation dates were treated: which
// periods still open on the date left systems out, and how many of those
// counted have partial dates.
func coverageNote(on model.Date, counted, partialCounted int, pending map[string]int) *string {
	if partialCounted == 0 && len(pending) == 0 {
		return nil
	}
	s := "A designation date known only to the month or year counts once the whole period is on or before the date."
	for _, period := range slices.Sorted(maps.Keys(pending)) {
		word := precisionWord(period)
		s += fmt.Sprintf(" %d systems designated in %s (known only to the %s) are not counted: that %s has not ended by %s.",
			pending[period], period, word, word, on)
	}
	if partialCounted > 0 {
		s += fmt.Sprintf(" %d of the %d systems counted have such dates.", partialCounted, counted)
	}
	return &s
}

func precisionWord(d string) string {
	if len(d) == 4 {
		return "year"
	}
	return "month"
}
