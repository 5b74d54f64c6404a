package coterminosity

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// A toy England: two ICSs (I1 with sub-ICBs S1, S2; I2 with S3), two
// alliances (A1 holds S1; A2 holds S2 and S3, so I1 straddles them), one
// region. Council C2 is split between S2 (I1) and S3 (I2).
func toyTable() *Table {
	above := func(ics, alliance string) map[Kind]string {
		return map[Kind]string{ICS: ics, CancerAlliance: alliance, ClinicalSenate: "CS", Region: "R"}
	}
	return &Table{
		Fragments: []Fragment{
			{Council: "C1", SubICB: "S1", Population: 100, SmallAreas: 10},
			{Council: "C2", SubICB: "S2", Population: 60, SmallAreas: 2},
			{Council: "C2", SubICB: "S3", Population: 40, SmallAreas: 8},
			{Council: "C3", SubICB: "S3", Population: 200, SmallAreas: 20},
		},
		Above: map[string]map[Kind]string{"S1": above("I1", "A1"), "S2": above("I1", "A2"), "S3": above("I2", "A2")},
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCompare(t *testing.T) {
	tests := []struct {
		name                      string
		inner, outer              Kind
		weight                    Weight
		minShare                  float64
		coterminous, split, exact int
		worst                     string  // the worst split inner area ("" if none)
		worstShare                float64 // its largest share
	}{
		{"councils in ICSs by population", Council, ICS, Population, 0, 2, 1, 0, "C2", 0.6},
		{"councils in ICSs by small areas", Council, ICS, SmallAreas, 0, 2, 1, 0, "C2", 0.8},
		{"minShare drops the small part", Council, ICS, Population, 0.5, 3, 0, 0, "", 0},
		{"councils in sub-ICBs", Council, SubICBLocation, Population, 0, 2, 1, 1, "C2", 0.6},
		{"ICSs in alliances", ICS, CancerAlliance, Population, 0, 1, 1, 0, "I1", 100.0 / 160},
		{"sub-ICBs in ICSs", SubICBLocation, ICS, Population, 0, 3, 0, 2, "", 0},
		{"ICSs in the region", ICS, Region, Population, 0, 2, 0, 1, "", 0},
		{"the region in ICSs", Region, ICS, Population, 0, 0, 1, 0, "R", 240.0 / 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := toyTable().Compare(tt.inner, tt.outer, tt.weight, Options{MinShare: tt.minShare})
			if err != nil {
				t.Fatal(err)
			}
			if r.Coterminous != tt.coterminous || r.Split != tt.split || r.ExactUnions != tt.exact {
				t.Errorf("coterminous/split/exact = %d/%d/%d, want %d/%d/%d",
					r.Coterminous, r.Split, r.ExactUnions, tt.coterminous, tt.split, tt.exact)
			}
			if r.Coterminous+r.Split != len(r.Fits) {
				t.Errorf("%d fits, want %d", len(r.Fits), r.Coterminous+r.Split)
			}
			splits := r.Splits()
			if tt.worst == "" {
				if len(splits) != 0 {
					t.Errorf("splits %+v, want none", splits)
				}
				return
			}
			if len(splits) == 0 || splits[0].Area != tt.worst || !near(splits[0].LargestShare, tt.worstShare) {
				t.Fatalf("worst split %+v, want %s at %v", splits, tt.worst, tt.worstShare)
			}
			sum := 0.0
			for _, p := range splits[0].Parts {
				sum += p.Share
			}
			if !near(sum, 1) {
				t.Errorf("shares of %s sum to %v, want 1", tt.worst, sum)
			}
		})
	}
}

func TestCompareUnions(t *testing.T) {
	r, err := toyTable().Compare(Council, ICS, Population, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// I1 = C1 (100, whole) + 60 of C2; I2 = C3 (200, whole) + 40 of C2.
	want := map[string]struct {
		whole   int
		inWhole float64
		partial string
		share   float64 // of the ICS in the partial council
		ofOther float64 // of the partial council in the ICS
	}{
		"I1": {1, 100.0 / 160, "C2", 60.0 / 160, 0.6},
		"I2": {1, 200.0 / 240, "C2", 40.0 / 240, 0.4},
	}
	for _, u := range r.Unions {
		w := want[u.Area]
		if u.ExactUnion || len(u.Whole) != w.whole || !near(u.ShareInWholeAreas, w.inWhole) || len(u.Partial) != 1 {
			t.Errorf("%s: %+v", u.Area, u)
			continue
		}
		if p := u.Partial[0]; p.Area != w.partial || !near(p.Share, w.share) || !near(p.ShareOfOther, w.ofOther) {
			t.Errorf("%s partial %+v, want %s %v/%v", u.Area, p, w.partial, w.share, w.ofOther)
		}
	}
}

func TestCompareErrors(t *testing.T) {
	tab := toyTable()
	if _, err := tab.Compare(ICS, ICS, Population, Options{}); err == nil {
		t.Error("inner == outer: want an error")
	}
	delete(tab.Above["S3"], ClinicalSenate)
	if _, err := tab.Compare(Council, ClinicalSenate, Population, Options{}); err == nil {
		t.Error("a sub-ICB location with no senate: want an error")
	}
}

// A CCG-era table: fragments on CCGs, STPs above them, no ICS and no
// sub-ICB locations; one CCG without a Clinical Senate.
func TestCCGEra(t *testing.T) {
	tb := &Table{
		Fragments: []Fragment{
			{Council: "C1", SubICB: "G1", Base: CCG, Population: 100, SmallAreas: 10},
			{Council: "C2", SubICB: "G1", Base: CCG, Population: 30, SmallAreas: 3},
			{Council: "C2", SubICB: "G2", Base: CCG, Population: 70, SmallAreas: 7},
		},
		Above: map[string]map[Kind]string{
			"G1": {STP: "P1", Region: "R", ClinicalSenate: "CS"},
			"G2": {STP: "P2", Region: "R"},
		},
	}
	if got, want := tb.Available(), []Kind{Council, CCG, STP, Region}; !slices.Equal(got, want) {
		t.Errorf("Available() = %v, want %v", got, want)
	}
	for _, tt := range []struct {
		kind               Kind
		lacking, baseAreas int
	}{{ClinicalSenate, 1, 2}, {SubICBLocation, 2, 2}, {ICS, 2, 2}, {STP, 0, 2}} {
		if l, n := tb.Lacking(tt.kind); l != tt.lacking || n != tt.baseAreas {
			t.Errorf("Lacking(%s) = %d of %d, want %d of %d", tt.kind, l, n, tt.lacking, tt.baseAreas)
		}
	}
	r, err := tb.Compare(Council, STP, Population, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Split != 1 || r.Coterminous != 1 || r.Fits[0].Area != "C2" || !near(r.Fits[0].LargestShare, 0.7) {
		t.Errorf("councils in STPs: %+v", r)
	}
	var missing *MissingError
	if _, err := tb.Compare(Council, ICS, Population, Options{}); !errors.As(err, &missing) || missing.Kind != ICS {
		t.Errorf("councils in ICSs before ICSs: %v, want a MissingError for ICS", err)
	}
	if (&Table{}).Available() != nil {
		t.Error("an empty table has kinds")
	}
}
