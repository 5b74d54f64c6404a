package cypher

import (
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/model"
)

func field(t *testing.T, typ, name string) *model.Resolved {
	t.Helper()
	f, ok := model.Lookup(typ, name)
	if !ok {
		t.Fatalf("%s.%s is not declared", typ, name)
	}
	return f
}

// TestValuesAreParameters compiles statements carrying hostile values and
// checks that no value reaches the Cypher text: every one is a parameter.
func TestValuesAreParameters(t *testing.T) {
	hostile := "x' }) DETACH DELETE n //"
	after := hostile
	release := int64(7)
	shape := &Shape{Props: []string{"population"}, Sources: true, Rels: map[string][]*Rel{
		"SubIcbLocation": {{
			Alias: "pcns", Field: field(t, "SubIcbLocation", "primaryCareNetworks"), First: 3,
			AfterKey: &after, AfterCode: &after, Count: true,
			Node: &Shape{Rels: map[string][]*Rel{"PrimaryCareNetwork": {{Alias: "p", Field: field(t, "PrimaryCareNetwork", "practices"), First: 1}}}},
		}},
		"IntegratedCareSystem": {{Alias: "partners", Field: field(t, "IntegratedCareSystem", "partners"), Kinds: []string{model.KindTrust}, Edge: true, EdgeSource: true}},
	}}
	c := New(When{AsOf: "2020-01-01"}, &release)
	for name, st := range map[string]Statement{
		"lookup": c.Lookup(hostile, model.KindSubICBLocation, shape),
		"keys":   New(When{AsOf: "2020-01-01"}, nil).ByKeys([]KindCode{{Kind: model.KindTrust, Code: hostile}}, shape),
		"search": New(When{AsOf: "2020-01-01"}, nil).Search(hostile, hostile, []string{hostile}, 5, shape),
	} {
		t.Run(name, func(t *testing.T) {
			for _, text := range []string{st.Cypher, st.Fallback} {
				if strings.Contains(text, "DETACH") || strings.Contains(text, "2020-01-01") {
					t.Fatalf("a value reached the statement:\n%s", text)
				}
			}
			found := false
			for _, v := range st.Params {
				found = found || v == hostile
			}
			if !found && name != "keys" {
				t.Fatalf("the value is not among the parameters: %v", st.Params)
			}
		})
	}
	list, err := New(When{AsOf: "2020-01-01"}, &release).List(ListQuery{Kind: model.KindTrust, First: 5, Filter: Filter{NameContains: hostile, ICS: hostile},
		After: &Cursor{Key: hostile, Code: hostile}}, true, true, shape)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(list.Cypher, "DETACH") || !strings.Contains(list.Cypher, "n.release = $release") {
		t.Fatalf("list:\n%s", list.Cypher)
	}
}

// TestLabelsFromDeclarations checks that a compiled relationship names only
// the declared type and labels, restricted by the kinds argument.
func TestLabelsFromDeclarations(t *testing.T) {
	f := field(t, "IntegratedCareSystem", "partners")
	for _, tc := range []struct {
		kinds      []string
		want, dont string
	}{
		{nil, "l IN ['" + model.LabelTrust + "', " + "'" + model.LabelCouncil + "']", ""},
		{[]string{model.KindCouncil}, "'" + model.LabelCouncil + "' IN labels(b2)", model.LabelTrust},
	} {
		c := New(When{AsOf: "2026-01-01"}, nil)
		s := &Shape{Rels: map[string][]*Rel{"IntegratedCareSystem": {{Alias: "a", Field: f, Kinds: tc.kinds}}}}
		got := c.Project("n", "", s)
		if !strings.Contains(got, "<-[r1:"+model.RelPartnerOf+"]-") || !strings.Contains(got, tc.want) || (tc.dont != "" && strings.Contains(got, tc.dont)) {
			t.Fatalf("kinds %v:\n%s", tc.kinds, got)
		}
		if !strings.Contains(got, "CASE WHEN n:"+model.LabelICS+" THEN") {
			t.Fatalf("the ICS fields are not guarded by the ICS label:\n%s", got)
		}
		// Where n can only be an ICS, no guard.
		if got := New(When{AsOf: "2026-01-01"}, nil).Project("n", model.LabelICS, s); strings.Contains(got, "CASE WHEN n:") {
			t.Fatalf("the fields of n, an ICS, are guarded by its label:\n%s", got)
		}
	}
}

func TestAliasesAreQuoted(t *testing.T) {
	if got := quote("a`b"); got != "`a``b`" {
		t.Fatalf("quote = %s", got)
	}
}

// TestMeasuresAreParameters: the population measures come from the data
// (the release), so a statement reads them by name from parameters with
// dynamic property access, never with a name in its text, even a hostile
// one: the figures of the selection ($measures, bound by the store) and the
// measures a list sorts by ($sortMeasures).
func TestMeasuresAreParameters(t *testing.T) {
	hostile := "x`}) DETACH DELETE n //"
	shape := &Shape{Props: []string{model.FiguresProp}}
	for _, c := range []struct {
		name string
		q    ListQuery
	}{
		{"sorted by a measure", ListQuery{Kind: model.KindICS, First: 5, Sort: SortPopulation, SortMeasures: []string{hostile, "residents2022"}}},
		{"sorted by the default measure", ListQuery{Kind: model.KindICS, First: 5, Sort: SortPopulation}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, err := New(When{AsOf: "2020-01-01"}, nil).List(c.q, true, false, shape)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(st.Cypher, "DETACH") || strings.Contains(st.Cypher, "residents2022") || model.FiguresProp == "" || strings.Contains(st.Cypher, "."+model.FiguresProp) {
				t.Fatalf("a measure name reached the statement:\n%s", st.Cypher)
			}
			if !strings.Contains(st.Cypher, "$"+ParamMeasures) {
				t.Fatalf("the figures are not read from $%s:\n%s", ParamMeasures, st.Cypher)
			}
			got, sorted := st.Params[ParamSortMeasures].([]string)
			if sorted != (len(c.q.SortMeasures) > 0) || (sorted && got[0] != hostile) || sorted != strings.Contains(st.Cypher, "$"+ParamSortMeasures) {
				t.Fatalf("sort measures %v bound as %v:\n%s", c.q.SortMeasures, st.Params[ParamSortMeasures], st.Cypher)
			}
		})
	}
	a := ListQuery{Sort: SortPopulation, PopulationFamily: "RESIDENTS", PopulationVintage: "mid-2022"}
	b := ListQuery{Sort: SortPopulation, PopulationFamily: "RESIDENTS"}
	if a.SortTag() == b.SortTag() || b.SortTag() == (ListQuery{Sort: SortPopulation}).SortTag() {
		t.Fatalf("cursors of lists sorted by different measures are alike: %q %q", a.SortTag(), b.SortTag())
	}
}
