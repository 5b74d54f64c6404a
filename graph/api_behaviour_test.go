package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/store"
)

type trustPage struct {
	Trusts struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct {
			Cursor string
			Node   struct{ Code, Name string }
		}
	}
}

func TestPaginationVisitsEveryTrustOnce(t *testing.T) {
	a := newAPI(t)
	for _, order := range []string{"NAME", "CODE"} {
		t.Run(order, func(t *testing.T) {
			seen := map[string]int{}
			var names []string
			after, total, pages := "", -1, 0
			for {
				var p trustPage
				arg := ""
				if after != "" {
					arg = fmt.Sprintf(", after: %q", after)
				}
				a.query(fmt.Sprintf(`{ trusts(first: 17%s, orderBy: {field: %s}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code name } } } }`, arg, order), &p)
				pages++
				total = p.Trusts.TotalCount
				for _, e := range p.Trusts.Edges {
					seen[e.Node.Code]++
					names = append(names, map[string]string{"NAME": e.Node.Name, "CODE": e.Node.Code}[order])
				}
				if !p.Trusts.PageInfo.HasNextPage {
					break
				}
				after = *p.Trusts.PageInfo.EndCursor
				if pages > 100 {
					t.Fatal("pagination does not end")
				}
			}
			if len(seen) != total {
				t.Fatalf("walked %d distinct trusts, totalCount says %d", len(seen), total)
			}
			for code, n := range seen {
				if n != 1 {
					t.Errorf("trust %s seen %d times", code, n)
				}
			}
			if !slices.IsSorted(names) {
				t.Errorf("pages are not in %s order", order)
			}
			if want := len(loadTime(t).open(store.KindTrust, store.DefaultDataTo)); total != want {
				t.Errorf("%d trusts; seed/data has %d open on %s", total, want, store.DefaultDataTo)
			}
		})
	}
}

func TestFiltersAndSorting(t *testing.T) {
	a := newAPI(t)
	type node struct {
		Code, Name  string
		Population  int
		TrustType   string
		CouncilType string
	}
	type conn struct {
		TotalCount int
		Edges      []struct{ Node node }
	}
	nodes := func(c conn) []node {
		out := make([]node, len(c.Edges))
		for i, e := range c.Edges {
			out[i] = e.Node
		}
		return out
	}
	t.Run("ICSs in London", func(t *testing.T) {
		var r struct{ IntegratedCareSystems conn }
		a.query(`{ integratedCareSystems(filter: {region: "Y56"}) { totalCount edges { node { code name } } } }`, &r)
		want := loadTime(t).children(store.RelInRegion, store.KindICS, kc{store.KindRegion, "Y56"}, store.DefaultDataTo)
		if r.IntegratedCareSystems.TotalCount != len(want) {
			t.Fatalf("London has %d ICSs, want %d (seed/data: %v)", r.IntegratedCareSystems.TotalCount, len(want), want)
		}
	})
	t.Run("councils by population, largest first", func(t *testing.T) {
		var r struct{ Councils conn }
		a.query(`{ councils(first: 20, orderBy: {field: POPULATION, direction: DESC}) { edges { node { code name population } } } }`, &r)
		ns := nodes(r.Councils)
		if len(ns) != 20 {
			t.Fatalf("got %d councils", len(ns))
		}
		for i := 1; i < len(ns); i++ {
			if ns[i].Population > ns[i-1].Population {
				t.Fatalf("not descending at %d: %+v then %+v", i, ns[i-1], ns[i])
			}
		}
	})
	t.Run("ambulance trusts", func(t *testing.T) {
		var r struct{ Trusts conn }
		a.query(`{ trusts(first: 50, filter: {trustType: AMBULANCE}) { totalCount edges { node { code name trustType } } } }`, &r)
		if r.Trusts.TotalCount < 10 || r.Trusts.TotalCount > 11 {
			t.Fatalf("%d ambulance trusts, want 10 or 11 in England", r.Trusts.TotalCount)
		}
		for _, n := range nodes(r.Trusts) {
			if n.TrustType != "AMBULANCE" || !strings.Contains(n.Name, "AMBULANCE") {
				t.Errorf("%+v is not an ambulance trust", n)
			}
		}
	})
	t.Run("trusts in an ICS by name", func(t *testing.T) {
		var r struct{ Trusts conn }
		a.query(`{ trusts(filter: {ics: "qwe", nameContains: "st george's university"}) { totalCount edges { node { code name } } } }`, &r)
		if r.Trusts.TotalCount != 1 || r.Trusts.Edges[0].Node.Code != "RJ7" {
			t.Fatalf("got %+v, want St George's (RJ7)", r.Trusts)
		}
	})
	t.Run("districts of a county", func(t *testing.T) {
		var r struct{ Councils conn }
		a.query(`{ councils(filter: {county: "E10000029"}) { totalCount edges { node { code name councilType } } } }`, &r)
		if r.Councils.TotalCount == 0 {
			t.Fatal("Suffolk has no districts")
		}
		for _, n := range nodes(r.Councils) {
			if n.CouncilType != "NON_METROPOLITAN_DISTRICT" {
				t.Errorf("%+v is not a district", n)
			}
		}
	})
}

func TestSearch(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct {
		text, kinds string
		want        string // a code expected among the top three
	}{
		{"guys st thomas", "", "RJ1"},
		{"GUY'S AND ST THOMAS'", "", "RJ1"},
		{"royal marsden", "", "RPY"},
		{"derbys", "[ICS]", "QJ2"},
		{"birmingam", "[ICS]", "QHL"},
		{"qwe", "", "QWE"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			kinds := ""
			if tc.kinds != "" {
				kinds = ", kinds: " + tc.kinds
			}
			var r struct {
				Search []struct {
					Score        float64
					Organisation struct{ Code, Name string }
				}
			}
			a.query(fmt.Sprintf(`{ search(text: %q, first: 3%s) { score organisation { code name } } }`, tc.text, kinds), &r)
			var codes []string
			for _, h := range r.Search {
				codes = append(codes, h.Organisation.Code)
			}
			if !slices.Contains(codes, tc.want) {
				t.Fatalf("search %q found %v, want %s among them", tc.text, r.Search, tc.want)
			}
			for i := 1; i < len(r.Search); i++ {
				if r.Search[i].Score > r.Search[i-1].Score {
					t.Fatalf("results not ranked: %+v", r.Search)
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct {
		name, query, code, argument string
	}{
		{"first too large", `{ trusts(first: 5000) { totalCount } }`, "BAD_USER_INPUT", "first"},
		{"negative first", `{ councils(first: -1) { totalCount } }`, "BAD_USER_INPUT", "first"},
		{"bad cursor", `{ trusts(after: "nonsense") { totalCount } }`, "BAD_USER_INPUT", "after"},
		{"population on trusts", `{ trusts(orderBy: {field: POPULATION}) { totalCount } }`, "BAD_USER_INPUT", "orderBy.field"},
		{"filter that does not apply", `{ councils(filter: {county: "E10000029"}) { totalCount } regions(filter: {subIcbLocation: "07L"}) { totalCount } }`, "BAD_USER_INPUT", "filter.subIcbLocation"},
		{"bad id", `{ node(id: "bm9wZQ") { id } }`, "BAD_USER_INPUT", "id"},
		{"empty search", `{ search(text: " '' ") { score } }`, "BAD_USER_INPUT", "text"},
		{"empty code", `{ trust(code: " ") { name } }`, "BAD_USER_INPUT", "code"},
		{"unknown field", `{ trust(code: "RJ1") { colour } }`, "GRAPHQL_VALIDATION_FAILED", ""},
		{"too deep", `{ regions { edges { node { integratedCareSystems { region { integratedCareSystems { region { integratedCareSystems { region { integratedCareSystems { region { integratedCareSystems { region { name } } } } } } } } } } } } } }`, "DEPTH_LIMIT_EXCEEDED", ""},
		{"too complex", `{ gpPractices(first: 500) { edges { node { primaryCareNetwork { practices(first: 500) { edges { node { name code postcode } } } } } } } }`, "COMPLEXITY_LIMIT_EXCEEDED", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := a.raw(tc.query)
			if len(errs) == 0 {
				t.Fatalf("no error for %s", tc.query)
			}
			e := errs[0]
			if e.Extensions["code"] != tc.code {
				t.Fatalf("code = %v, want %s (%+v)", e.Extensions["code"], tc.code, e)
			}
			if tc.argument != "" && e.Extensions["argument"] != tc.argument {
				t.Fatalf("argument = %v, want %s (%+v)", e.Extensions["argument"], tc.argument, e)
			}
			for _, leak := range []string{"MATCH", "neo4j", "Cypher", "cypher"} {
				if strings.Contains(e.Message, leak) {
					t.Fatalf("message leaks %q: %s", leak, e.Message)
				}
			}
		})
	}
	t.Run("unknown code is null", func(t *testing.T) {
		data, errs := a.raw(`{ trust(code: "ZZZ99") { name } organisation(code: "E99999999") { name } }`)
		if len(errs) > 0 || string(data) != `{"organisation":null,"trust":null}` && string(data) != `{"trust":null,"organisation":null}` {
			t.Fatalf("data = %s, errors = %+v", data, errs)
		}
	})
}

// TestNestedQueryIsOneRoundTrip checks that a 4-level query over all 42
// ICSs costs one database round trip: the root field compiles its whole
// selection into one statement.
func TestNestedQueryIsOneRoundTrip(t *testing.T) {
	a := newAPI(t)
	before := a.store.Calls()
	var r struct {
		IntegratedCareSystems struct {
			Edges []struct {
				Node struct {
					Region struct{ Name string }
					Trusts []struct {
						Name      string
						PartnerOf []struct {
							IntegratedCareSystem struct{ Code string }
						}
					}
					SubIcbLocations []struct {
						PrimaryCareNetworks struct{ TotalCount int }
					}
				}
			}
		}
	}
	a.query(`{
	  integratedCareSystems(first: 50) {
	    edges { node {
	      region { name }
	      trusts { name partnerOf { integratedCareSystem { code } } }
	      subIcbLocations { primaryCareNetworks { totalCount } }
	    } }
	  }
	}`, &r)
	calls := a.store.Calls() - before
	if n, want := len(r.IntegratedCareSystems.Edges), len(loadTime(t).open(store.KindICS, store.DefaultDataTo)); n != want {
		t.Fatalf("%d ICSs, want %d (open on %s in seed/data)", n, want, store.DefaultDataTo)
	}
	trusts := 0
	for _, e := range r.IntegratedCareSystems.Edges {
		trusts += len(e.Node.Trusts)
	}
	t.Logf("%d ICSs, %d trusts: %d store calls", len(r.IntegratedCareSystems.Edges), trusts, calls)
	if calls != 1 {
		t.Fatalf("%d store calls, want 1 (one per root field)", calls)
	}
}

// TestCompiledSelections checks selections the compiler must get right, each
// against the same facts asked one at a time, and each costing one round
// trip per root field.
func TestCompiledSelections(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct {
		name, query string
		roots       int64
	}{
		{"aliases with different arguments", `{ integratedCareSystem(code: "QWE") {
		  trusts: partners(kind: TRUST) { partner { code } }
		  councils: partners(kind: COUNCIL) { partner { code } }
		  all: partners { partner { code } } } }`, 1},
		{"fragments on interfaces", `fragment f on Organisation { code ... on Trust { integratedCareSystem { code } } }
		  { organisation(code: "rj1") { ...f ... on Node { id } sources { id } } }`, 1},
		{"edge properties and sources", `{ council(code: "E10000012") { overlaps { integratedCareSystem { code } sharedPopulation shareOfIcs source { id } since } } }`, 1},
		{"nested connection pages", `{ subIcbLocation(code: "A3A8R") { primaryCareNetworks(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code practices(first: 1) { totalCount edges { node { code } } } } } } } }`, 1},
		{"search", `{ search(text: "guys st thomas", first: 3) { organisation { code ... on Trust { integratedCareSystem { code } } } } }`, 1},
		{"designation sources", `{ integratedCareSystem(code: "QWE") { designation { wave sources { id } } sources { id } } }`, 1},
		{"successions", `{ ccgs(first: 20, includeClosed: true) { edges { node { successors { organisation { code ... on SubIcbLocation { integratedCareSystem { code } } } date share source { id } } } } } }`, 1},
		{"a code the indexes miss also tries former ONS codes", `{ subIcbLocation(code: "E99999999") { name } }`, 2},
		{"two root fields", `{ a: trust(code: "RJ1") { name } b: trusts(first: 2, filter: {trustType: AMBULANCE}) { totalCount edges { node { integratedCareSystem { code } } } } }`, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.store.Calls()
			var data any
			a.query(tc.query, &data)
			if calls := a.store.Calls() - before; calls != tc.roots {
				t.Fatalf("%d store calls, want %d", calls, tc.roots)
			}
			if strings.Contains(fmt.Sprint(data), ":<nil>]") && tc.roots == 1 {
				t.Fatalf("a root field answered null: %v", data)
			}
		})
	}
	t.Run("aliases answer as their own queries", func(t *testing.T) {
		type partners []struct{ Partner struct{ Code string } }
		var both struct {
			IntegratedCareSystem struct{ T, C, All partners }
		}
		a.query(`{ integratedCareSystem(code: "QWE") { t: partners(kind: TRUST) { partner { code } } c: partners(kind: COUNCIL) { partner { code } } all: partners { partner { code } } } }`, &both)
		for alias, kind := range map[string]string{"T": "TRUST", "C": "COUNCIL"} {
			var one struct {
				IntegratedCareSystem struct{ Partners partners }
			}
			a.query(fmt.Sprintf(`{ integratedCareSystem(code: "QWE") { partners(kind: %s) { partner { code } } } }`, kind), &one)
			got := map[string]partners{"T": both.IntegratedCareSystem.T, "C": both.IntegratedCareSystem.C}[alias]
			if fmt.Sprint(got) != fmt.Sprint(one.IntegratedCareSystem.Partners) || len(got) == 0 {
				t.Fatalf("alias %s = %v, alone %v", alias, got, one.IntegratedCareSystem.Partners)
			}
		}
		if n := len(both.IntegratedCareSystem.All); n != len(both.IntegratedCareSystem.T)+len(both.IntegratedCareSystem.C) {
			t.Fatalf("all partners %d, trusts %d + councils %d", n, len(both.IntegratedCareSystem.T), len(both.IntegratedCareSystem.C))
		}
	})
	t.Run("connection pages walk every practice once", func(t *testing.T) {
		var whole struct {
			PrimaryCareNetwork struct {
				Practices struct {
					TotalCount int
					Edges      []struct{ Node struct{ Code string } }
				}
			}
		}
		a.query(`{ primaryCareNetworks(first: 1) { edges { node { code } } } }`, nil)
		var pcns struct {
			PrimaryCareNetworks struct {
				Edges []struct{ Node struct{ Code string } }
			}
		}
		a.query(`{ primaryCareNetworks(first: 1) { edges { node { code } } } }`, &pcns)
		code := pcns.PrimaryCareNetworks.Edges[0].Node.Code
		a.query(fmt.Sprintf(`{ primaryCareNetwork(code: %q) { practices(first: 500) { totalCount edges { node { code } } } } }`, code), &whole)
		var seen []string
		after := ""
		for range 100 {
			var p struct {
				PrimaryCareNetwork struct {
					Practices struct {
						PageInfo struct {
							HasNextPage bool
							EndCursor   string
						}
						Edges []struct{ Node struct{ Code string } }
					}
				}
			}
			arg := ""
			if after != "" {
				arg = fmt.Sprintf(", after: %q", after)
			}
			a.query(fmt.Sprintf(`{ primaryCareNetwork(code: %q) { practices(first: 1%s) { pageInfo { hasNextPage endCursor } edges { node { code } } } } }`, code, arg), &p)
			for _, e := range p.PrimaryCareNetwork.Practices.Edges {
				seen = append(seen, e.Node.Code)
			}
			if !p.PrimaryCareNetwork.Practices.PageInfo.HasNextPage {
				break
			}
			after = p.PrimaryCareNetwork.Practices.PageInfo.EndCursor
		}
		var want []string
		for _, e := range whole.PrimaryCareNetwork.Practices.Edges {
			want = append(want, e.Node.Code)
		}
		if fmt.Sprint(seen) != fmt.Sprint(want) || len(want) != whole.PrimaryCareNetwork.Practices.TotalCount || len(want) == 0 {
			t.Fatalf("paged %v, whole %v (total %d)", seen, want, whole.PrimaryCareNetwork.Practices.TotalCount)
		}
	})
}

func TestNodeByGlobalID(t *testing.T) {
	a := newAPI(t)
	var r struct{ Organisation struct{ ID string } }
	a.query(`{ organisation(code: "RJ1") { id } }`, &r)
	unknown := "VFJVU1Q6WlpaOTk" // TRUST:ZZZ99, well formed but not in the graph
	var n struct {
		Node  struct{ Name string }
		Nodes []*struct {
			Code                 string
			IntegratedCareSystem struct{ Code string }
		}
	}
	a.query(fmt.Sprintf(`{ node(id: %q) { ... on Trust { name } }
	  nodes(ids: [%q, %q]) { ... on Trust { code integratedCareSystem { code } } } }`, r.Organisation.ID, r.Organisation.ID, unknown), &n)
	if !strings.Contains(n.Node.Name, "GUY'S") {
		t.Fatalf("node = %+v", n.Node)
	}
	if len(n.Nodes) != 2 || n.Nodes[0] == nil || n.Nodes[0].Code != "RJ1" || n.Nodes[0].IntegratedCareSystem.Code != "QKK" || n.Nodes[1] != nil {
		t.Fatalf("nodes = %+v", n.Nodes)
	}
}
