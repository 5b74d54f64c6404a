// Package coterminosity measures how well two kinds of area line up, from
// the parts councils and sub-ICB locations share.
//
// Every area kind compared here is a union of the same building blocks: the
// part of one council (district or unitary) that lies in one base area — a
// sub-ICB location from July 2022, a CCG before — a Fragment. Councils are
// unions of their fragments; base areas likewise; ICSs (or STPs), Cancer
// Alliances, Clinical Senates and regions are unions of base areas. So one
// table of fragments for a date, with the areas above each base area on that
// date, answers the question for any pair of kinds: group the fragments by
// (inner area, outer area) and compare the sums with each area's total.
//
// The package is pure: no database, no GraphQL. Areas are named by code.
package coterminosity

import (
	"cmp"
	"fmt"
	"slices"
)

// Kind is a kind of area that tiles England. The values match the GraphQL
// AreaKind enum.
type Kind string

const (
	Council        Kind = "COUNCIL"
	ICS            Kind = "ICS"
	SubICBLocation Kind = "SUB_ICB_LOCATION"
	CancerAlliance Kind = "CANCER_ALLIANCE"
	ClinicalSenate Kind = "CLINICAL_SENATE"
	Region         Kind = "REGION"
	CCG            Kind = "CCG"
	STP            Kind = "STP"
)

// Kinds lists every kind, from the smallest building block up.
var Kinds = []Kind{Council, CCG, SubICBLocation, STP, ICS, CancerAlliance, ClinicalSenate, Region}

// Weight is what an overlap is measured by.
type Weight string

const (
	// Population weighs a fragment by its resident population.
	Population Weight = "POPULATION"
	// SmallAreas weighs a fragment by its count of small areas (LSOAs).
	SmallAreas Weight = "SMALL_AREAS"
)

// Fragment is the part of one council that lies in one base area.
type Fragment struct {
	Council string
	// SubICB is the code of the base area: a sub-ICB location, or a CCG
	// when Base says so.
	SubICB string
	// Base is the kind of the base area; empty means SubICBLocation.
	Base       Kind
	Population int
	SmallAreas int
}

func (f Fragment) base() Kind {
	if f.Base == "" {
		return SubICBLocation
	}
	return f.Base
}

func (f Fragment) weight(w Weight) int {
	if w == SmallAreas {
		return f.SmallAreas
	}
	return f.Population
}

// Table is everything the measures need.
type Table struct {
	Fragments []Fragment
	// Above gives, for each base area code, the code of the area of each
	// larger kind (ICS or STP, CancerAlliance, ClinicalSenate, Region) that
	// holds it.
	Above map[string]map[Kind]string
}

// MissingError says a kind of area cannot be compared: some fragment's base
// area has no area of that kind (e.g. sub-ICB locations before July 2022).
type MissingError struct {
	Kind Kind
	Base string // the base area without one
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("coterminosity: base area %s has no %s", e.Base, e.Kind)
}

// areaOf names the area of kind k that holds fragment f.
func (t *Table) areaOf(f Fragment, k Kind) (string, error) {
	switch k {
	case Council:
		return f.Council, nil
	case f.base():
		return f.SubICB, nil
	}
	if code := t.Above[f.SubICB][k]; code != "" {
		return code, nil
	}
	return "", &MissingError{Kind: k, Base: f.SubICB}
}

// Lacking counts the base areas of the table that have no area of kind k.
func (t *Table) Lacking(k Kind) (lacking, bases int) {
	seen := map[string]bool{}
	for _, f := range t.Fragments {
		if seen[f.SubICB] {
			continue
		}
		seen[f.SubICB] = true
		if _, err := t.areaOf(f, k); err != nil {
			lacking++
		}
	}
	return lacking, len(seen)
}

// Available lists the kinds every fragment has an area of, in the order of
// Kinds: the kinds Compare can measure. An empty table has none.
func (t *Table) Available() []Kind {
	if len(t.Fragments) == 0 {
		return nil
	}
	var out []Kind
	for _, k := range Kinds {
		ok := true
		for _, f := range t.Fragments {
			if _, err := t.areaOf(f, k); err != nil {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, k)
		}
	}
	return out
}

// Part is the overlap of the area being placed with another area.
type Part struct {
	// Area is the other area's code.
	Area       string
	Population int
	SmallAreas int
	// Share is the share of the area being placed that lies in Area.
	Share float64
	// ShareOfOther is the share of Area that the overlap makes up.
	ShareOfOther float64
}

// Fit is how one inner area sits in the outer kind.
type Fit struct {
	Area string
	// Coterminous is true when one outer area holds all of it.
	Coterminous bool
	// LargestShare is the largest share one outer area holds.
	LargestShare float64
	// Parts, largest first.
	Parts []Part
}

// Union is whether an outer area is a union of whole inner areas.
type Union struct {
	Area string
	// ExactUnion is true when every inner area touching it lies wholly in it.
	ExactUnion bool
	// ShareInWholeAreas is the share of its weight in inner areas it holds whole.
	ShareInWholeAreas float64
	// Whole are the inner areas it holds whole, by code.
	Whole []string
	// Partial are the inner areas it holds in part, largest first; Share is
	// of the outer area, ShareOfOther of the inner one.
	Partial []Part
}

// Report is the coterminosity of the inner kind with the outer kind.
type Report struct {
	Inner, Outer Kind
	Weight       Weight
	// Fits has every inner area, worst split (lowest largest share) first,
	// then coterminous areas by code.
	Fits []Fit
	// Unions has every outer area, by code.
	Unions      []Union
	Coterminous int
	Split       int
	ExactUnions int
}

// Splits returns the fits of inner areas split between outer areas, worst first.
func (r *Report) Splits() []Fit {
	return slices.DeleteFunc(slices.Clone(r.Fits), func(f Fit) bool { return f.Coterminous })
}

// Options tune Compare.
type Options struct {
	// MinShare drops parts smaller than it (a share of the inner area) from
	// the fits and from the split test; the largest part is always kept.
	MinShare float64
}

// Compare measures how the areas of kind inner sit in the areas of kind outer.
func (t *Table) Compare(inner, outer Kind, w Weight, opts Options) (Report, error) {
	if inner == outer {
		return Report{}, fmt.Errorf("coterminosity: inner and outer are both %s", inner)
	}
	// Sum the fragments by (inner, outer) pair and by area.
	type pair struct{ in, out string }
	type sums struct{ population, smallAreas int }
	add := func(s *sums, f Fragment) { s.population += f.Population; s.smallAreas += f.SmallAreas }
	overlap := map[pair]*sums{}
	innerTotal, outerTotal := map[string]*sums{}, map[string]*sums{}
	get := func(m map[string]*sums, k string) *sums {
		if m[k] == nil {
			m[k] = &sums{}
		}
		return m[k]
	}
	for _, f := range t.Fragments {
		in, err := t.areaOf(f, inner)
		if err != nil {
			return Report{}, err
		}
		out, err := t.areaOf(f, outer)
		if err != nil {
			return Report{}, err
		}
		p := pair{in, out}
		if overlap[p] == nil {
			overlap[p] = &sums{}
		}
		add(overlap[p], f)
		add(get(innerTotal, in), f)
		add(get(outerTotal, out), f)
	}
	weigh := func(s *sums) int {
		return Fragment{Population: s.population, SmallAreas: s.smallAreas}.weight(w)
	}
	share := func(part, whole *sums) float64 {
		if weigh(whole) == 0 {
			return 0
		}
		return float64(weigh(part)) / float64(weigh(whole))
	}
	part := func(area string, s, of, other *sums) Part {
		return Part{Area: area, Population: s.population, SmallAreas: s.smallAreas, Share: share(s, of), ShareOfOther: share(s, other)}
	}
	byShare := func(a, b Part) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(a.Area, b.Area))
	}

	// Parts of each inner area (in outer areas) and of each outer area (in
	// inner areas).
	innerParts, outerParts := map[string][]Part{}, map[string][]Part{}
	for p, s := range overlap {
		innerParts[p.in] = append(innerParts[p.in], part(p.out, s, innerTotal[p.in], outerTotal[p.out]))
		outerParts[p.out] = append(outerParts[p.out], part(p.in, s, outerTotal[p.out], innerTotal[p.in]))
	}

	r := Report{Inner: inner, Outer: outer, Weight: w}
	whole := map[string]bool{} // inner areas lying in one outer area
	for area, parts := range innerParts {
		slices.SortFunc(parts, byShare)
		whole[area] = len(parts) == 1
		kept := []Part{parts[0]}
		for _, p := range parts[1:] {
			if p.Share >= opts.MinShare {
				kept = append(kept, p)
			}
		}
		fit := Fit{Area: area, Coterminous: len(kept) == 1, LargestShare: parts[0].Share, Parts: kept}
		if fit.Coterminous {
			r.Coterminous++
		} else {
			r.Split++
		}
		r.Fits = append(r.Fits, fit)
	}
	slices.SortFunc(r.Fits, func(a, b Fit) int {
		return cmp.Or(cmp.Compare(a.LargestShare, b.LargestShare), cmp.Compare(a.Area, b.Area))
	})

	for area, parts := range outerParts {
		slices.SortFunc(parts, byShare)
		u := Union{Area: area}
		var inWhole sums
		for _, p := range parts {
			if whole[p.Area] {
				u.Whole = append(u.Whole, p.Area)
				inWhole.population += p.Population
				inWhole.smallAreas += p.SmallAreas
			} else {
				u.Partial = append(u.Partial, p)
			}
		}
		slices.Sort(u.Whole)
		u.ExactUnion = len(u.Partial) == 0
		u.ShareInWholeAreas = share(&inWhole, outerTotal[area])
		if u.ExactUnion {
			r.ExactUnions++
		}
		r.Unions = append(r.Unions, u)
	}
	slices.SortFunc(r.Unions, func(a, b Union) int { return cmp.Compare(a.Area, b.Area) })
	return r, nil
}
