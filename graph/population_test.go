package graph

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/store"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// seedMeasures reads seed/data/measures.csv (independently of the loader).
func seedMeasures(t *testing.T) []store.Measure {
	t.Helper()
	f, err := os.Open("../seed/data/measures.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Measure
	for _, r := range rows[1:] {
		out = append(out, store.Measure{Property: r[0], Family: r[1], Vintage: r[2], Date: r[3], Source: r[4], Derived: r[5] == "true", Description: r[6]})
	}
	return out
}

// TestLegacyMeasuresAreData: every deprecated PopulationMeasure value names
// a family and vintage that seed/data declares.
func TestLegacyMeasuresAreData(t *testing.T) {
	ms := seedMeasures(t)
	for _, v := range model.AllPopulationMeasure {
		t.Run(string(v), func(t *testing.T) {
			fv, ok := legacyMeasures[v]
			if !ok {
				t.Fatalf("%s maps to no family and vintage", v)
			}
			found := false
			for _, m := range ms {
				if m.Family == fv[0] && m.Vintage == fv[1] {
					found = true
					if got := legacyOf(m); got == nil || *got != v {
						t.Errorf("legacyOf(%s %s) = %v, want %s", m.Family, m.Vintage, got, v)
					}
				}
			}
			if !found {
				t.Errorf("%s: seed/data/measures.csv has no %s %s", v, fv[0], fv[1])
			}
		})
	}
}

// TestPopulationChoice: the arguments of population() choose a measure from
// the release's measures (seed/data's), the family alone its newest vintage
// the organisation has, and bad combinations are BAD_USER_INPUT naming the
// known vintages.
func TestPopulationChoice(t *testing.T) {
	ms := seedMeasures(t)
	prop := func(fam, vint string) string {
		for _, m := range ms {
			if m.Family == fam && m.Vintage == vint {
				return m.Property
			}
		}
		t.Fatalf("seed/data has no %s %s", fam, vint)
		return ""
	}
	r15, r22, reg := prop("RESIDENTS", "mid-2015"), prop("RESIDENTS", "mid-2022"), prop("REGISTERED_PATIENTS", "2026-08")
	v15, v22, v26 := 100, 110, 120
	both := model.Populated{Population: &v15, Populations: map[string]int{r15: v15}, Props: map[string]any{r22: int64(v22), reg: int64(v26)}}
	only15 := model.Populated{Population: &v15, Populations: map[string]int{r15: v15}}
	res, regs := model.PopulationFamilyResidents, model.PopulationFamilyRegisteredPatients
	legacy22 := model.PopulationMeasureResidents2022
	str := func(s string) *string { return &s }
	for _, c := range []struct {
		name    string
		p       model.Populated
		measure *model.PopulationMeasure
		family  *model.PopulationFamily
		vintage *string
		want    *int
		errHas  string
	}{
		{"default is residents mid-2015", both, nil, nil, nil, &v15, ""},
		{"a named vintage", both, nil, &res, str("mid-2022"), &v22, ""},
		{"the family's newest vintage held", both, nil, &res, nil, &v22, ""},
		{"the newest vintage this organisation has", only15, nil, &res, nil, &v15, ""},
		{"registered patients", both, nil, &regs, nil, &v26, ""},
		{"a deprecated value", both, &legacy22, nil, nil, &v22, ""},
		{"a measure not held", only15, &legacy22, nil, nil, nil, ""},
		{"an unknown vintage", both, nil, &res, str("mid-1999"), nil, `known vintages: "mid-2022", "mid-2015"`},
		{"a vintage without family", both, nil, nil, str("mid-2015"), nil, "needs its family"},
		{"measure and family", both, &legacy22, &res, nil, nil, "not both"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := populationOf(c.p, ms, c.measure, c.family, c.vintage)
			if c.errHas != "" {
				var ge *gqlerror.Error
				if !errors.As(err, &ge) || !strings.Contains(ge.Message, c.errHas) || ge.Extensions["code"] != apierr.CodeBadUserInput {
					t.Fatalf("error %v, want BAD_USER_INPUT containing %q", err, c.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
				t.Fatalf("got %v, want %v", deref(got), deref(c.want))
			}
		})
	}
}
