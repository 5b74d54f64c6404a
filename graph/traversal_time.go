package graph

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Time: ICS designations and the coverage they had reached by a date.
//
// A system counts as designated from the day its designation took effect
// where the sources give one (designationEffectiveFrom: the later waves took
// effect on 1 April 2021). Where they do not, the announcement date is all
// there is, known to the day, the month or only the year; a date known to the
// month or year is a period, and the system counts once the whole period is
// on or before the date (a system announced "2020-05" counts from
// 2020-05-31), so coverage never claims a system early. A system closed by
// the date (the ICBs merged in April 2026) no longer counts.

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

// designated is an ICS with the day it counts from.
type designated struct {
	sys    store.System
	counts time.Time
	// effective says counts is the designation's effective date; otherwise
	// it is the end of the announcement's period.
	effective bool
}

func (d designated) partial() bool {
	return !d.effective && len(d.sys.Org.Designation.Announced) < len(time.DateOnly)
}

// designatedSystems returns the systems with a designation, in order of
// designation (by announced date, partial dates first in their period, then
// code).
func designatedSystems(systems []store.System) ([]designated, error) {
	var out []designated
	for _, s := range systems {
		des := s.Org.Designation
		if des == nil || des.Announced == "" {
			continue
		}
		d := designated{sys: s}
		if eff, err := time.Parse(time.DateOnly, des.EffectiveFrom); err == nil {
			d.counts, d.effective = eff, true
		} else if d.counts, err = periodEnd(des.Announced); err != nil {
			return nil, fmt.Errorf("ICS %s: %w", s.Org.Code, err)
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b designated) int {
		return cmp.Or(cmp.Compare(a.sys.Org.Designation.Announced, b.sys.Org.Designation.Announced), cmp.Compare(a.sys.Org.Code, b.sys.Org.Code))
	})
	return out, nil
}

// coverage computes what the designated systems covered on a date. England's
// population is the sum over every designated system (the 42 systems tile
// England).
func coverage(systems []store.System, on model.Date, w store.When) (*model.Coverage, error) {
	day, err := time.Parse(time.DateOnly, string(on))
	if err != nil {
		return nil, apierr.BadInput("on", "%q is not a date: want YYYY-MM-DD", on)
	}
	all, err := designatedSystems(systems)
	if err != nil {
		return nil, err
	}
	out := &model.Coverage{On: on, Systems: []*model.IntegratedCareSystem{}}
	england := 0
	for _, d := range all {
		england += d.sys.Population
		out.PopulationYear = max(out.PopulationYear, d.sys.PopulationYear)
	}
	partialCounted, effectiveCounted, closed := 0, 0, 0
	pending := map[string]int{} // partial dates whose period holds `on` → systems
	for _, d := range all {
		if d.counts.After(day) {
			if start, _ := time.Parse(layoutOf(d.sys.Org.Designation.Announced), d.sys.Org.Designation.Announced); d.partial() && !start.After(day) {
				pending[d.sys.Org.Designation.Announced]++
			}
			continue
		}
		if d.sys.ValidTo != "" && d.sys.ValidTo <= string(on) {
			closed++
			continue
		}
		if d.partial() {
			partialCounted++
		}
		if d.effective {
			effectiveCounted++
		}
		out.Systems = append(out.Systems, as[*model.IntegratedCareSystem](d.sys.Org, w))
		out.Population += d.sys.Population
	}
	out.Count = len(out.Systems)
	if england > 0 {
		out.ShareOfEngland = float64(out.Population) / float64(england)
	}
	out.Note = coverageNote(on, out.Count, partialCounted, effectiveCounted, closed, pending)
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

// coverageNote explains how dates were read: systems counted from their
// effective date, which periods still open on the date left systems out, how
// many of those counted have partial dates, and systems closed by the date.
func coverageNote(on model.Date, counted, partialCounted, effectiveCounted, closed int, pending map[string]int) *string {
	if partialCounted == 0 && effectiveCounted == 0 && closed == 0 && len(pending) == 0 {
		return nil
	}
	s := "A system counts from the date its designation took effect where the sources give one; otherwise a designation date known only to the month or year counts once the whole period is on or before the date."
	if effectiveCounted > 0 {
		s += fmt.Sprintf(" %d of the %d systems counted are counted from their effective date.", effectiveCounted, counted)
	}
	for _, period := range slices.Sorted(maps.Keys(pending)) {
		word := precisionWord(period)
		s += fmt.Sprintf(" %d systems designated in %s (known only to the %s) are not counted: that %s has not ended by %s.",
			pending[period], period, word, word, on)
	}
	if partialCounted > 0 {
		s += fmt.Sprintf(" %d of the %d systems counted have such partial dates.", partialCounted, counted)
	}
	if closed > 0 {
		s += fmt.Sprintf(" %d designated systems had closed by %s and are not counted.", closed, on)
	}
	return &s
}

func precisionWord(d string) string {
	if len(d) == 4 {
		return "year"
	}
	return "month"
}
