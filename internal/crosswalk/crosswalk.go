// Package crosswalk maps the areas of one kind on one date onto the areas of
// another kind on another date through the small areas (2011 LSOAs) they
// share, and sums an area's small areas on a date (its population and
// small-area count as of that date).
//
// Every area kind is, on each date, a union of small areas: a small area
// lies in one council and one base area (a CCG until 30 June 2022, a
// sub-ICB location from 1 July 2022) on every date; an ICS, STP, Cancer
// Alliance, Clinical Senate or region holds the small areas of the base areas
// above which it stands on that date (Side.Above, read from the graph's
// PART_OF, IN_CANCER_ALLIANCE, IN_CLINICAL_SENATE and IN_REGION edges).
//
// The package is pure: no database, no GraphQL. Areas are named by code.
package crosswalk

import (
	"cmp"
	"slices"
	"strings"
)

// Kind values (the GraphQL AreaKind enum and the graph's kinds).
const (
	Council        = "COUNCIL"
	CCG            = "CCG"
	SubICBLocation = "SUB_ICB_LOCATION"
	ICS            = "ICS"
	STP            = "STP"
	CancerAlliance = "CANCER_ALLIANCE"
	ClinicalSenate = "CLINICAL_SENATE"
	Region         = "REGION"
)

// Kinds lists every kind a crosswalk maps.
var Kinds = []string{Council, CCG, SubICBLocation, ICS, STP, CancerAlliance, ClinicalSenate, Region}

// Weight is what shares are measured by.
type Weight string

const (
	Population Weight = "POPULATION"  // residents (mid-2015) of the small areas
	SmallAreas Weight = "SMALL_AREAS" // the count of small areas
)

// Span is one membership: the area (Kind, Code) held from From to To
// (exclusive, "" = still).
type Span struct{ Kind, Code, From, To string }

func (s Span) holds(d string) bool { return s.From <= d && (s.To == "" || s.To > d) }

// SmallArea is one small area with its population and memberships.
type SmallArea struct {
	Code       string
	Population int64
	Councils   []Span // councils (districts and unitaries)
	Areas      []Span // CCGs and sub-ICB locations
}

// Period says where memberships of Kind come from between From and To: the
// lookup (Source) and how derived ones were made (Derived, "" = as the
// lookup). Areas, when set, restricts the row to those areas; the others
// take the row of the same kind and period without Areas.
type Period struct {
	Kind, From, To, Source, Derived string
	Areas                           []string
}

// Data is the small-area table of one release.
type Data struct {
	SmallAreas []SmallArea
	Periods    []Period
}

// Side is one side of a crosswalk: a kind on a date, and (for kinds above
// the base areas) the area of each kind above each base area on that date.
type Side struct {
	Kind  string
	AsOf  string
	Above map[string]map[string]string // base area code → kind → area code
}

// Member is the area of a side a small area lay in ("" = none of that kind
// on the date), and how the membership it came from was derived ("" = as
// its lookup).
type Member struct{ Code, Derived string }

// Assign returns, for every small area (in d.SmallAreas order), the area of
// the side's kind it lay in on the side's date.
func (d *Data) Assign(s Side) []Member {
	out := make([]Member, len(d.SmallAreas))
	memberKind := func(kind string) string {
		if kind == Council {
			return Council
		}
		return "" // a base area: CCG or sub-ICB location, whichever held
	}
	// periods on the date, by kind: generic and per area
	generic := map[string]string{}
	specific := map[[2]string]string{}
	for _, p := range d.Periods {
		if !(p.From <= s.AsOf && (p.To == "" || p.To > s.AsOf)) {
			continue
		}
		if len(p.Areas) == 0 {
			generic[p.Kind] = p.Derived
		}
		for _, a := range p.Areas {
			specific[[2]string{p.Kind, a}] = p.Derived
		}
	}
	derived := func(sp Span) string {
		if v, ok := specific[[2]string{sp.Kind, sp.Code}]; ok {
			return v
		}
		return generic[sp.Kind]
	}
	for i, a := range d.SmallAreas {
		spans := a.Areas
		if memberKind(s.Kind) == Council {
			spans = a.Councils
		}
		var sp Span
		found := false
		for _, x := range spans {
			if x.holds(s.AsOf) {
				sp, found = x, true
				break
			}
		}
		if !found {
			continue
		}
		m := Member{Derived: derived(sp)}
		switch s.Kind {
		case Council:
			m.Code = sp.Code
		case CCG, SubICBLocation:
			if sp.Kind == s.Kind {
				m.Code = sp.Code
			}
		default:
			m.Code = s.Above[sp.Code][s.Kind]
		}
		if m.Code == "" {
			m.Derived = "" // no area: nothing was derived about one
		}
		out[i] = m
	}
	return out
}

// Total is an area's population and small-area count on a date.
type Total struct{ Population, SmallAreas int64 }

func (t Total) weight(w Weight) int64 {
	if w == SmallAreas {
		return t.SmallAreas
	}
	return t.Population
}

// Totals sums the small areas of every area of the side's kind on its date
// (its composition then), with whether any membership summed was derived.
func (d *Data) Totals(members []Member) (map[string]Total, map[string]bool) {
	out, derived := map[string]Total{}, map[string]bool{}
	for i, m := range members {
		if m.Code == "" {
			continue
		}
		t := out[m.Code]
		t.Population += d.SmallAreas[i].Population
		t.SmallAreas++
		out[m.Code] = t
		if m.Derived != "" {
			derived[m.Code] = true
		}
	}
	return out, derived
}

// Pair is the overlap of a from-area and a to-area (To "" = the from-area's
// small areas in no area of the to-kind on the to-date).
type Pair struct {
	From, To    string
	Population  int64
	SmallAreas  int64
	ShareOfFrom float64 // of the from-area's weight
	ShareOfTo   float64 // of the to-area's weight (0 when To is "")
	Derived     bool    // a membership used on either side was derived
}

// Result is a crosswalk.
type Result struct {
	Pairs      []Pair
	FromTotals map[string]Total // every from-area of the date (all, not only those asked for)
	ToTotals   map[string]Total
	// Methods are the derivations of the memberships used, once each.
	Methods []string
}

// Compute maps every from-area (or those in codes) onto the to-areas
// through their shared small areas. Pairs come sorted by from-area, then by
// shared weight (largest first), then to-area.
func (d *Data) Compute(from, to Side, w Weight, codes []string) Result {
	fm, tm := d.Assign(from), d.Assign(to)
	ft, _ := d.Totals(fm)
	tt, _ := d.Totals(tm)
	want := map[string]bool{}
	for _, c := range codes {
		want[c] = true
	}
	type key struct{ from, to string }
	acc := map[key]*Pair{}
	methods := map[string]bool{}
	for i, f := range fm {
		if f.Code == "" || (len(want) > 0 && !want[f.Code]) {
			continue
		}
		t := tm[i]
		k := key{f.Code, t.Code}
		p := acc[k]
		if p == nil {
			p = &Pair{From: f.Code, To: t.Code}
			acc[k] = p
		}
		p.Population += d.SmallAreas[i].Population
		p.SmallAreas++
		for _, m := range []string{f.Derived, t.Derived} {
			if m != "" {
				p.Derived = true
				methods[m] = true
			}
		}
	}
	res := Result{FromTotals: ft, ToTotals: tt}
	for _, p := range acc {
		pw := Total{p.Population, p.SmallAreas}.weight(w)
		if fw := ft[p.From].weight(w); fw > 0 {
			p.ShareOfFrom = float64(pw) / float64(fw)
		}
		if p.To != "" {
			if tw := tt[p.To].weight(w); tw > 0 {
				p.ShareOfTo = float64(pw) / float64(tw)
			}
		}
		res.Pairs = append(res.Pairs, *p)
	}
	slices.SortFunc(res.Pairs, func(a, b Pair) int {
		return cmp.Or(strings.Compare(a.From, b.From),
			cmp.Compare(Total{b.Population, b.SmallAreas}.weight(w), Total{a.Population, a.SmallAreas}.weight(w)),
			strings.Compare(a.To, b.To))
	})
	res.Methods = slices.Sorted(func(yield func(string) bool) {
		for m := range methods {
			if !yield(m) {
				return
			}
		}
	})
	return res
}
