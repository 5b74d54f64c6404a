package graph_test

import (
	"cmp"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Tests of traversal.graphqls against the real seeded database. Expected
// answers are computed here, independently, from the committed seed data
// (seed/data/*.csv), never copied from the server.

// tvClient is an in-process GraphQL client for these tests.
type tvClient struct {
	t testing.TB
	c *client.Client
	h http.Handler
}

func newTV(t testing.TB) *tvClient {
	t.Helper()
	h := gqlhttp.NewHandler(neo4jtest.Store(t), gqlhttp.Options{
		MaxDepth: 20, MaxComplexity: 100000, Introspection: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	return &tvClient{t: t, c: client.New(h), h: h}
}

type tvError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// do runs a query and returns its data and errors.
func (c *tvClient) do(q string, vars map[string]any) (json.RawMessage, []tvError) {
	c.t.Helper()
	var opts []client.Option
	for k, v := range vars {
		opts = append(opts, client.Var(k, v))
	}
	resp, err := c.c.RawPost(q, opts...)
	if err != nil {
		c.t.Fatalf("post: %v", err)
	}
	var errs []tvError
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			c.t.Fatalf("decoding errors %s: %v", resp.Errors, err)
		}
	}
	data, _ := json.Marshal(resp.Data)
	return data, errs
}

// query runs q, fails the test on any error, and decodes the data into out.
func (c *tvClient) query(q string, vars map[string]any, out any) {
	c.t.Helper()
	data, errs := c.do(q, vars)
	if len(errs) > 0 {
		c.t.Fatalf("query failed: %+v\n%s", errs, q)
	}
	if err := json.Unmarshal(data, out); err != nil {
		c.t.Fatalf("decoding %s: %v", data, err)
	}
}

// readCSV reads seed/data/<name> as maps keyed by the header.
func readCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	return datasettest.ReadCSV(t, filepath.Join("..", "seed", "data", name))
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const tol = 1e-9

// splitWant computes, from the fragments held on day, each split council's
// shares by ICS.
func splitWant(t *testing.T, d *timeData, day string) (councils int, want map[string]map[string]float64) {
	byICS := d.councilAreas(t, store.KindICS, day)
	want = map[string]map[string]float64{}
	for council, areas := range byICS {
		if len(areas) < 2 {
			continue
		}
		total := 0
		for _, p := range areas {
			total += p
		}
		want[council] = map[string]float64{}
		for ics, p := range areas {
			want[council][ics] = float64(p) / float64(total)
		}
	}
	return len(byICS), want
}

func TestSplitCouncils(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	eras := []struct{ name, asOf string }{
		{"first ICBs", "2022-07-01"},
		{"42 ICBs", "2026-03-31"},
		{"36 ICBs", ""}, // the default: the newest date the data describes
	}
	for _, era := range eras {
		t.Run(era.name, func(t *testing.T) {
			day := cmp.Or(era.asOf, store.DefaultDataTo)
			councils, want := splitWant(t, d, day)
			if lower := d.lowerTierCouncils(day); councils != len(lower) {
				t.Fatalf("seed data: fragments of %d councils on %s, %d lower-tier councils open", councils, day, len(lower))
			}
			var got struct {
				SplitCouncils []struct {
					Area         struct{ Code, Name string }
					Coterminous  bool
					LargestShare float64
					Parts        []struct {
						Area  struct{ Code string }
						Share float64
					}
				}
			}
			vars := map[string]any{"d": nil}
			if era.asOf != "" {
				vars["d"] = era.asOf
			}
			c.query(`query($d: Date) { splitCouncils(asOf: $d) { area { code name } coterminous largestShare parts { area { code } share } } }`, vars, &got)
			if len(got.SplitCouncils) != len(want) {
				t.Fatalf("%d split councils on %s, want %d", len(got.SplitCouncils), day, len(want))
			}
			t.Logf("%s: %d of %d councils split between ICSs", day, len(want), councils)
			prev := 0.0
			for _, f := range got.SplitCouncils {
				w, ok := want[f.Area.Code]
				if !ok || f.Coterminous {
					t.Errorf("%s (%s) reported split, coterminous=%v", f.Area.Code, f.Area.Name, f.Coterminous)
					continue
				}
				if f.LargestShare < prev {
					t.Errorf("not worst first: %s %v after %v", f.Area.Code, f.LargestShare, prev)
				}
				prev = f.LargestShare
				if len(f.Parts) != len(w) {
					t.Errorf("%s: %d parts, want %d", f.Area.Code, len(f.Parts), len(w))
				}
				for _, p := range f.Parts {
					if math.Abs(p.Share-w[p.Area.Code]) > tol {
						t.Errorf("%s in %s: share %v, want %v", f.Area.Code, p.Area.Code, p.Share, w[p.Area.Code])
					}
				}
			}
		})
	}
	// The domain's example in the 42-ICB era: East Suffolk, about 52/48
	// between QJG and QMM.
	if _, want := splitWant(t, d, "2026-03-31"); math.Abs(want["E07000244"]["QJG"]-0.52) > 0.01 || math.Abs(want["E07000244"]["QMM"]-0.48) > 0.01 {
		t.Errorf("East Suffolk shares %v, want about 0.52 QJG / 0.48 QMM", want["E07000244"])
	}

	// minShare drops small parts from the answer and the split test.
	_, want := splitWant(t, d, store.DefaultDataTo)
	var filtered struct {
		SplitCouncils []struct{ Area struct{ Code string } }
	}
	c.query(`{ splitCouncils(minShare: 0.4) { area { code } } }`, nil, &filtered)
	n := 0
	for _, shares := range want {
		parts := 0
		for _, s := range shares {
			if s >= 0.4 {
				parts++
			}
		}
		if parts > 1 {
			n++
		}
	}
	if len(filtered.SplitCouncils) != n {
		t.Errorf("minShare 0.4: %d split councils, want %d", len(filtered.SplitCouncils), n)
	}
}

func TestCoterminosityICSInAlliances(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	for _, day := range []string{"2026-03-31", store.DefaultDataTo} {
		t.Run(day, func(t *testing.T) {
			// An ICS's alliances are those of its sub-ICB locations on the day.
			alliances, outer := map[string]map[string]bool{}, map[string]bool{}
			for _, sub := range d.open(store.KindSubICBLocation, day) {
				k := kc{store.KindSubICBLocation, sub}
				ics, ca := d.parent(store.RelPartOf, k, store.KindICS, day), d.parent(store.RelInCancerAlliance, k, store.KindCancerAlliance, day)
				if alliances[ics] == nil {
					alliances[ics] = map[string]bool{}
				}
				alliances[ics][ca], outer[ca] = true, true
			}
			var want []string
			for ics, as := range alliances {
				if len(as) > 1 {
					want = append(want, ics)
				}
			}
			slices.Sort(want)
			if day == "2026-03-31" && !slices.Equal(want, []string{"QT1"}) {
				t.Fatalf("seed data: ICSs in several alliances %v; the domain expects [QT1] in the 42-ICB era", want)
			}

			var got struct {
				Coterminosity struct {
					AsOf, Inner, Outer string
					Weight             struct {
						Weight         string
						PopulationYear int
					}
					Areas, Coterminous, Split, OuterAreas int
					Fits                                  []struct{ Area struct{ Code string } }
					WorstSplits                           []struct {
						Area  struct{ Code string }
						Parts []struct{ Area struct{ Code string } }
					}
					Unions []struct{ ExactUnion bool }
				}
			}
			c.query(`query($d: Date) { coterminosity(inner: ICS, outer: CANCER_ALLIANCE, asOf: $d) {
				asOf inner outer weight { weight populationYear } areas coterminous split outerAreas
				fits(onlySplit: true) { area { code } }
				worstSplits(first: 3) { area { code } parts { area { code } } }
				unions { exactUnion } } }`, map[string]any{"d": day}, &got)
			r := got.Coterminosity
			var split []string
			for _, f := range r.Fits {
				split = append(split, f.Area.Code)
			}
			slices.Sort(split)
			if !slices.Equal(split, want) || r.Split != len(want) || r.Areas != len(alliances) || r.Coterminous != r.Areas-r.Split || r.AsOf != day {
				t.Errorf("split %v (split %d, areas %d, coterminous %d, asOf %s), want %v of %d", split, r.Split, r.Areas, r.Coterminous, r.AsOf, want, len(alliances))
			}
			if r.Weight.Weight != "POPULATION" || r.Weight.PopulationYear != 2015 {
				t.Errorf("weight %+v, want POPULATION 2015", r.Weight)
			}
			if len(r.WorstSplits) != min(3, len(want)) || r.OuterAreas != len(outer) || len(r.Unions) != len(outer) {
				t.Errorf("worstSplits %+v, outer areas %d, want %d", r.WorstSplits, r.OuterAreas, len(outer))
			}
		})
	}
}

func TestCoterminositySummary(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	day := store.DefaultDataTo
	// The areas of each kind that hold fragments on the day.
	counts := map[string]map[string]bool{}
	add := func(kind, code string) {
		if counts[kind] == nil {
			counts[kind] = map[string]bool{}
		}
		counts[kind][code] = true
	}
	for _, f := range d.overlaps {
		if !f.holds(day) || f.area.kind != store.KindSubICBLocation || d.councilType[f.council] == "COUNTY" {
			continue
		}
		add("COUNCIL", f.council)
		add("SUB_ICB_LOCATION", f.area.code)
		ics := d.parent(store.RelPartOf, f.area, store.KindICS, day)
		add("ICS", ics)
		add("CANCER_ALLIANCE", d.parent(store.RelInCancerAlliance, f.area, store.KindCancerAlliance, day))
		add("CLINICAL_SENATE", d.parent(store.RelInClinicalSenate, kc{store.KindICS, ics}, store.KindClinicalSenate, day))
		add("REGION", d.parent(store.RelInRegion, kc{store.KindICS, ics}, store.KindRegion, day))
	}
	var got struct {
		CoterminositySummary []struct {
			Inner, Outer string
			Weight       struct{ Weight string }
			Areas, Split int
			Coterminous  int
		}
	}
	c.query(`{ coterminositySummary(weight: SMALL_AREAS) { inner outer weight { weight } areas split coterminous } }`, nil, &got)
	if n := len(counts); len(got.CoterminositySummary) != n*(n-1) {
		t.Fatalf("%d reports, want %d (%d kinds)", len(got.CoterminositySummary), n*(n-1), n)
	}
	for _, r := range got.CoterminositySummary {
		if r.Areas != len(counts[r.Inner]) || r.Weight.Weight != "SMALL_AREAS" || r.Split+r.Coterminous != r.Areas {
			t.Errorf("%s in %s: %+v, want %d areas", r.Inner, r.Outer, r, len(counts[r.Inner]))
		}
		// Sub-ICB locations build every NHS kind: they never split.
		if r.Inner == "SUB_ICB_LOCATION" && r.Outer != "COUNCIL" && r.Split != 0 {
			t.Errorf("sub-ICB locations split in %s: %d", r.Outer, r.Split)
		}
	}
}

// csvPath walks practice → PCN → sub-ICB → ICS → Clinical Senate in the
// relationships held on the newest date.
func csvPath(t *testing.T, practice string) []string {
	d, day := loadTime(t), store.DefaultDataTo
	path := []string{practice}
	for _, step := range []struct{ from, rel, to string }{
		{store.KindPractice, store.RelMemberOf, store.KindPCN},
		{store.KindPCN, store.RelInSubICBLocation, store.KindSubICBLocation},
		{store.KindSubICBLocation, store.RelPartOf, store.KindICS},
		{store.KindICS, store.RelInClinicalSenate, store.KindClinicalSenate},
	} {
		next := d.parent(step.rel, kc{step.from, path[len(path)-1]}, step.to, day)
		if next == "" {
			t.Fatalf("seed data: %s %s has no %s on %s", step.from, path[len(path)-1], step.rel, day)
		}
		path = append(path, next)
	}
	return path
}

type tvPath struct {
	Length        int
	Organisations []struct {
		Code string
		Kind string
	}
	Hops []struct {
		From, To     struct{ Code string }
		Relationship string
		Direction    string
		Source       *struct{ ID string }
		Since        *string
	}
}

const tvPathFields = `length organisations { code kind } hops { from { code } to { code } relationship direction source { id } since }`

func codes(p tvPath) []string {
	var out []string
	for _, o := range p.Organisations {
		out = append(out, o.Code)
	}
	return out
}

// checkPath checks a path is well formed: its hops join its organisations.
func checkPath(t *testing.T, p tvPath) {
	t.Helper()
	if p.Length != len(p.Hops) || len(p.Organisations) != len(p.Hops)+1 {
		t.Fatalf("length %d, %d hops, %d organisations", p.Length, len(p.Hops), len(p.Organisations))
	}
	for i, h := range p.Hops {
		if h.From.Code != p.Organisations[i].Code || h.To.Code != p.Organisations[i+1].Code {
			t.Errorf("hop %d %s→%s does not join %s and %s", i, h.From.Code, h.To.Code, p.Organisations[i].Code, p.Organisations[i+1].Code)
		}
		if h.Relationship == "" || (h.Direction != "FORWARD" && h.Direction != "BACKWARD") || h.Source == nil {
			t.Errorf("hop %d: %+v (every hop needs a relationship, a direction and a source)", i, h)
		}
	}
}

func TestPracticeToSenate(t *testing.T) {
	c := newTV(t)
	for _, practice := range []string{"A81001", "C84001"} { // one in the North East, one in Bassetlaw's neighbour
		want := csvPath(t, practice)
		t.Run(practice, func(t *testing.T) {
			var got struct{ Path []tvPath }
			c.query(`query($a: String!, $b: String!) { path(from: $a, to: $b, all: true) { `+tvPathFields+` } }`,
				map[string]any{"a": practice, "b": want[len(want)-1]}, &got)
			if len(got.Path) != 1 {
				t.Fatalf("%d shortest paths, want 1", len(got.Path))
			}
			p := got.Path[0]
			checkPath(t, p)
			if !slices.Equal(codes(p), want) {
				t.Errorf("path %v, want %v", codes(p), want)
			}
			rels := []string{"MEMBER_OF", "IN_SUB_ICB_LOCATION", "PART_OF", "IN_CLINICAL_SENATE"}
			for i, h := range p.Hops {
				if h.Relationship != rels[i] || h.Direction != "FORWARD" {
					t.Errorf("hop %d %s %s, want %s FORWARD", i, h.Relationship, h.Direction, rels[i])
				}
			}
			// Backwards, every hop runs against the stored direction.
			c.query(`query($a: String!, $b: String!) { path(from: $b, to: $a) { `+tvPathFields+` } }`,
				map[string]any{"a": practice, "b": want[len(want)-1]}, &got)
			if len(got.Path) != 1 || got.Path[0].Length != 4 || got.Path[0].Hops[0].Direction != "BACKWARD" {
				t.Errorf("reverse path %+v", got.Path)
			}

			// ancestors gives the same chain, each ancestor with its path.
			var anc struct {
				Ancestors []struct {
					Organisation struct{ Code, Kind string }
					Depth        int
					Path         tvPath
				}
			}
			c.query(`query($a: String!) { ancestors(code: $a) { organisation { code kind } depth path { `+tvPathFields+` } } }`,
				map[string]any{"a": practice}, &anc)
			byKind := map[string]string{}
			for _, a := range anc.Ancestors {
				checkPath(t, a.Path)
				if a.Depth != a.Path.Length || codes(a.Path)[0] != practice || codes(a.Path)[a.Depth] != a.Organisation.Code {
					t.Errorf("ancestor %s: depth %d path %v", a.Organisation.Code, a.Depth, codes(a.Path))
				}
				byKind[a.Organisation.Kind] = a.Organisation.Code
			}
			for i, kind := range []string{"PCN", "SUB_ICB_LOCATION", "ICS", "CLINICAL_SENATE"} {
				if byKind[kind] != want[i+1] {
					t.Errorf("ancestor %s = %s, want %s", kind, byKind[kind], want[i+1])
				}
			}
			for _, kind := range []string{"CANCER_ALLIANCE", "REGION"} {
				if byKind[kind] == "" {
					t.Errorf("no %s among ancestors %v", kind, byKind)
				}
			}
		})
	}
}

// A practice in Bassetlaw (02Q) belongs to the South Yorkshire and Bassetlaw
// alliance only, though its ICS (QT1) also lies in the East Midlands one.
func TestAncestorsTakeTheAllianceFromTheSubICB(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	day := store.DefaultDataTo
	sub := kc{store.KindSubICBLocation, "02Q"}
	pcns := d.children(store.RelInSubICBLocation, store.KindPCN, sub, day)
	if len(pcns) == 0 {
		t.Fatalf("seed data: no PCN in 02Q on %s", day)
	}
	var got struct {
		Ancestors []struct{ Organisation struct{ Code, Kind string } }
	}
	c.query(`query($a: String!) { ancestors(code: $a) { organisation { code kind } } }`, map[string]any{"a": pcns[0]}, &got)
	var alliances []string
	for _, a := range got.Ancestors {
		if a.Organisation.Kind == "CANCER_ALLIANCE" {
			alliances = append(alliances, a.Organisation.Code)
		}
	}
	if want := d.parent(store.RelInCancerAlliance, sub, store.KindCancerAlliance, day); !slices.Equal(alliances, []string{want}) {
		t.Errorf("alliances of %s: %v, want [%s]", pcns[0], alliances, want)
	}
}

func TestMembers(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	day := store.DefaultDataTo
	subICS := func(sub string) string {
		return d.parent(store.RelPartOf, kc{store.KindSubICBLocation, sub}, store.KindICS, day)
	}
	subAlliance := func(sub string) string {
		return d.parent(store.RelInCancerAlliance, kc{store.KindSubICBLocation, sub}, store.KindCancerAlliance, day)
	}
	icsSenate := func(ics string) string {
		return d.parent(store.RelInClinicalSenate, kc{store.KindICS, ics}, store.KindClinicalSenate, day)
	}
	pcnsIn := func(pred func(sub string) bool) []string {
		var out []string
		for _, pcn := range d.open(store.KindPCN, day) {
			if sub := d.parent(store.RelInSubICBLocation, kc{store.KindPCN, pcn}, store.KindSubICBLocation, day); sub != "" && pred(sub) {
				out = append(out, pcn)
			}
		}
		return out
	}
	tests := []struct {
		name, code string
		want       []string
	}{
		{"PCNs in a Cancer Alliance", "E56000025", pcnsIn(func(s string) bool { return subAlliance(s) == "E56000025" })},
		{"PCNs in a Clinical Senate", "CS-EM", pcnsIn(func(s string) bool { return icsSenate(subICS(s)) == "CS-EM" })},
		{"PCNs in an ICS", "QT1", pcnsIn(func(s string) bool { return subICS(s) == "QT1" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var after any
			for page := 0; ; page++ {
				var resp struct {
					Members struct {
						TotalCount int
						PageInfo   struct {
							HasNextPage bool
							EndCursor   *string
						}
						Edges []struct {
							Node struct {
								Organisation struct{ Code, Kind string }
								Depth        int
								Path         tvPath
							}
						}
					}
				}
				c.query(`query($c: String!, $after: String) { members(code: $c, kind: PCN, first: 40, after: $after) {
					totalCount pageInfo { hasNextPage endCursor }
					edges { node { organisation { code kind } depth path { `+tvPathFields+` } } } } }`,
					map[string]any{"c": tt.code, "after": after}, &resp)
				m := resp.Members
				if m.TotalCount != len(tt.want) {
					t.Fatalf("totalCount %d, want %d", m.TotalCount, len(tt.want))
				}
				for _, e := range m.Edges {
					n := e.Node
					checkPath(t, n.Path)
					p := codes(n.Path)
					if n.Organisation.Kind != "PCN" || p[0] != n.Organisation.Code || p[len(p)-1] != tt.code || n.Depth != n.Path.Length {
						t.Errorf("member %s: depth %d path %v", n.Organisation.Code, n.Depth, p)
					}
					got = append(got, n.Organisation.Code)
				}
				if !m.PageInfo.HasNextPage {
					break
				}
				after = *m.PageInfo.EndCursor
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%d members, want %d", len(got), len(tt.want))
			}
		})
	}

	t.Run("partnership", func(t *testing.T) {
		want := map[string]bool{}
		for _, r := range readCSV(t, "partners.csv") {
			if r["partner_kind"] == "TRUST" && icsSenate(r["icb_code"]) == "CS-EM" && (span{r["valid_from"], r["valid_to"]}).holds(day) &&
				d.orgs[kc{store.KindTrust, r["partner_code"]}].holds(day) && d.orgs[kc{store.KindICS, r["icb_code"]}].holds(day) {
				want[r["partner_code"]] = true
			}
		}
		var resp struct {
			Members struct {
				TotalCount int
				Edges      []struct{ Node struct{ Path tvPath } }
			}
		}
		c.query(`{ members(code: "CS-EM", kind: TRUST, basis: PARTNERSHIP, first: 500) { totalCount edges { node { path { `+tvPathFields+` } } } } }`, nil, &resp)
		if resp.Members.TotalCount != len(want) || len(resp.Members.Edges) != len(want) {
			t.Fatalf("%d partner trusts, want %d", resp.Members.TotalCount, len(want))
		}
		for _, e := range resp.Members.Edges {
			if e.Node.Path.Hops[0].Relationship != "PARTNER_OF" || !want[e.Node.Path.Organisations[0].Code] {
				t.Errorf("path %v starts %s", codes(e.Node.Path), e.Node.Path.Hops[0].Relationship)
			}
		}
	})
}

func TestPathBetweenTrustsInDifferentRegions(t *testing.T) {
	c := newTV(t)
	region := map[string]string{}
	for _, r := range readCSV(t, "trusts.csv") {
		region[r["code"]] = r["region_code"]
	}
	const from, to = "RVJ", "RAL" // North Bristol (South West), Royal Free (London)
	if region[from] == region[to] || region[from] == "" || region[to] == "" {
		t.Fatalf("seed data: %s in %q, %s in %q", from, region[from], to, region[to])
	}
	// North Bristol merged in July 2026, and the London ICBs in April: ask for
	// the last day of the 42-ICB era.
	const day = "2026-03-31"
	d := loadTime(t)
	var got struct{ Path []tvPath }
	c.query(`query($a: String!, $b: String!, $d: Date) { path(from: $a, to: $b, maxHops: 10, all: true, asOf: $d) { `+tvPathFields+` } }`,
		map[string]any{"a": from, "b": to, "d": day}, &got)
	if len(got.Path) == 0 {
		t.Fatal("no path")
	}
	n := got.Path[0].Length
	for _, p := range got.Path {
		checkPath(t, p)
		cs := codes(p)
		if cs[0] != from || cs[len(cs)-1] != to || p.Length != n {
			t.Errorf("path %v: want %s…%s of length %d", cs, from, to, n)
		}
		for _, o := range p.Organisations {
			if !d.orgs[kc{o.Kind, o.Code}].holds(day) {
				t.Errorf("path %v goes through %s %s, not open on %s", cs, o.Kind, o.Code, day)
			}
		}
	}
	// Shortest: nothing within one hop less.
	c.query(`query($a: String!, $b: String!, $m: Int, $d: Date) { path(from: $a, to: $b, maxHops: $m, asOf: $d) { length } }`,
		map[string]any{"a": from, "b": to, "m": n - 1, "d": day}, &got)
	if len(got.Path) != 0 {
		t.Errorf("a path of %d hops within maxHops %d", got.Path[0].Length, n-1)
	}
	// via restricts the intermediate kinds: through ICSs and trusts only.
	c.query(`query($a: String!, $b: String!, $d: Date) { path(from: $a, to: $b, maxHops: 10, via: [ICS, TRUST], asOf: $d) { `+tvPathFields+` } }`,
		map[string]any{"a": from, "b": to, "d": day}, &got)
	for _, p := range got.Path {
		for _, o := range p.Organisations[1 : len(p.Organisations)-1] {
			if o.Kind != "ICS" && o.Kind != "TRUST" {
				t.Errorf("via [ICS, TRUST]: path %v passes a %s", codes(p), o.Kind)
			}
		}
	}
}

func TestNeighbourhood(t *testing.T) {
	c := newTV(t)
	type sub struct {
		Neighbourhood struct {
			Truncated bool
			Nodes     []struct {
				ID           string
				Depth        int
				Organisation struct{ ID, Code, Kind string }
			}
			Edges []struct {
				ID, Relationship, From, To string
				Source                     *struct{ ID string }
			}
		}
	}
	// QJG closed on 2026-04-01: its neighbourhood on its last day.
	const q = `query($c: String!, $d: Int, $l: Int, $k: [OrganisationKind!], $asOf: Date = "2026-03-31") { neighbourhood(code: $c, depth: $d, limit: $l, kinds: $k, asOf: $asOf) {
		truncated nodes { id depth organisation { id code kind } } edges { id relationship from to source { id } } } }`
	var a, b sub
	c.query(q, map[string]any{"c": "QJG", "d": 2, "l": 1000}, &a)
	c.query(q, map[string]any{"c": "QJG", "d": 2, "l": 1000}, &b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Error("two calls gave different subgraphs")
	}
	nb := a.Neighbourhood
	ids := map[string]bool{}
	for _, n := range nb.Nodes {
		if n.ID != n.Organisation.ID || n.Depth > 2 {
			t.Errorf("node %+v", n)
		}
		ids[n.ID] = true
	}
	edgeIDs := map[string]bool{}
	for _, e := range nb.Edges {
		if !ids[e.From] || !ids[e.To] || edgeIDs[e.ID] || e.Source == nil {
			t.Errorf("edge %+v: ends outside the nodes, repeated id or no source", e)
		}
		edgeIDs[e.ID] = true
	}
	if nb.Truncated || len(nb.Nodes) < 20 || nb.Nodes[0].Organisation.Code != "QJG" || nb.Nodes[0].Depth != 0 {
		t.Errorf("%d nodes, truncated %v, first %+v", len(nb.Nodes), nb.Truncated, nb.Nodes[0])
	}

	c.query(q, map[string]any{"c": "QJG", "d": 2, "l": 10}, &a)
	if !a.Neighbourhood.Truncated || len(a.Neighbourhood.Nodes) != 10 {
		t.Errorf("limit 10: %d nodes, truncated %v", len(a.Neighbourhood.Nodes), a.Neighbourhood.Truncated)
	}
	c.query(q, map[string]any{"c": "QJG", "d": 3, "k": []string{"SUB_ICB_LOCATION", "PCN"}}, &a)
	for _, n := range a.Neighbourhood.Nodes[1:] {
		if n.Organisation.Kind != "SUB_ICB_LOCATION" && n.Organisation.Kind != "PCN" {
			t.Errorf("kinds filter let in a %s", n.Organisation.Kind)
		}
	}
}

// designationEnd is the last day of the designation period, from the CSV.
func designationEnd(t *testing.T, announced, precision string) time.Time {
	switch precision {
	case "year":
		y := atoi(t, announced)
		return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	case "month":
		m, err := time.Parse("2006-01", announced)
		if err != nil {
			t.Fatal(err)
		}
		return m.AddDate(0, 1, -1)
	}
	d, err := time.Parse(time.DateOnly, announced)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCoverage(t *testing.T) {
	c, d := newTV(t), loadTime(t)
	icbs := readCSV(t, "icbs.csv")
	england := 0 // the designated systems tile England
	for _, r := range icbs {
		if r["announced"] != "" {
			england += d.residents[kc{store.KindICS, r["code"]}]
		}
	}
	// A system counts from its effective date where the data gives one (the
	// later waves: 1 April 2021), else from the end of its announcement period.
	counts := func(r map[string]string) time.Time {
		if eff, err := time.Parse(time.DateOnly, r["effective_from"]); err == nil {
			return eff
		}
		return designationEnd(t, r["announced"], r["announced_precision"])
	}
	for _, on := range []string{"2020-06-01", "2021-03-31", "2021-04-01", "2021-04-30", "2026-04-01"} {
		t.Run(on, func(t *testing.T) {
			day, _ := time.Parse(time.DateOnly, on)
			var want []string
			pop := 0
			for _, r := range icbs {
				closed := d.orgs[kc{store.KindICS, r["code"]}].to
				if r["announced"] != "" && !counts(r).After(day) && (closed == "" || closed > on) {
					want = append(want, r["code"])
					pop += d.residents[kc{store.KindICS, r["code"]}]
				}
			}
			slices.Sort(want)
			var got struct {
				Coverage struct {
					Count, Population, PopulationYear int
					ShareOfEngland                    float64
					Note                              *string
					Systems                           []struct{ Code string }
				}
			}
			c.query(`query($on: Date!) { coverage(on: $on) { count population populationYear shareOfEngland note systems { code } } }`,
				map[string]any{"on": on}, &got)
			cv := got.Coverage
			var codes []string
			for _, s := range cv.Systems {
				codes = append(codes, s.Code)
			}
			slices.Sort(codes)
			if !slices.Equal(codes, want) || cv.Count != len(want) || cv.Population != pop || cv.PopulationYear != 2015 {
				t.Errorf("got %d %v pop %d, want %d %v pop %d", cv.Count, codes, cv.Population, len(want), want, pop)
			}
			if math.Abs(cv.ShareOfEngland-float64(pop)/float64(england)) > tol {
				t.Errorf("share %v, want %v", cv.ShareOfEngland, float64(pop)/float64(england))
			}
			if cv.Note == nil {
				t.Error("no note on partial dates")
			} else {
				t.Logf("%s: %d systems, %.1f%% of England; %s", on, cv.Count, 100*cv.ShareOfEngland, *cv.Note)
			}
		})
	}
}

func TestDesignations(t *testing.T) {
	c := newTV(t)
	var got struct {
		Designations []struct {
			System      struct{ Code string }
			Designation struct {
				Wave, Announced string
				Sources         []struct{ ID string }
			}
		}
	}
	c.query(`{ designations { system { code } designation { wave announced sources { id } } } }`, nil, &got)
	n := 0
	for _, r := range readCSV(t, "icbs.csv") {
		if r["announced"] != "" {
			n++
		}
	}
	if len(got.Designations) != n {
		t.Fatalf("%d designations, want %d", len(got.Designations), n)
	}
	for i, d := range got.Designations {
		if i > 0 && d.Designation.Announced < got.Designations[i-1].Designation.Announced {
			t.Errorf("out of order at %s", d.System.Code)
		}
		if len(d.Designation.Sources) == 0 {
			t.Errorf("%s: no sources", d.System.Code)
		}
	}
}

func TestTraversalErrors(t *testing.T) {
	c := newTV(t)
	tests := []struct {
		name, query, code, argument string
	}{
		{"unknown members code", `{ members(code: "NOPE", kind: PCN) { totalCount } }`, "NOT_FOUND", "code"},
		{"unknown ancestors code", `{ ancestors(code: "NOPE") { depth } }`, "NOT_FOUND", "code"},
		{"unknown path end", `{ path(from: "QE1", to: "NOPE") { length } }`, "NOT_FOUND", "to"},
		{"unknown centre", `{ neighbourhood(code: "NOPE") { truncated } }`, "NOT_FOUND", "code"},
		{"maxHops too large", `{ path(from: "QE1", to: "QF7", maxHops: 11) { length } }`, "BAD_USER_INPUT", "maxHops"},
		{"maxHops zero", `{ path(from: "QE1", to: "QF7", maxHops: 0) { length } }`, "BAD_USER_INPUT", "maxHops"},
		{"depth too large", `{ neighbourhood(code: "QE1", depth: 4) { truncated } }`, "BAD_USER_INPUT", "depth"},
		{"limit too large", `{ neighbourhood(code: "QE1", limit: 1001) { truncated } }`, "BAD_USER_INPUT", "limit"},
		{"minShare above 1", `{ splitCouncils(minShare: 1.5) { largestShare } }`, "BAD_USER_INPUT", "minShare"},
		{"inner is outer", `{ coterminosity(inner: ICS, outer: ICS) { split } }`, "BAD_USER_INPUT", "outer"},
		{"bad cursor", `{ members(code: "QE1", kind: PCN, after: "x") { totalCount } }`, "BAD_USER_INPUT", "after"},
		{"partnership of PCNs", `{ members(code: "QE1", kind: PCN, basis: PARTNERSHIP) { totalCount } }`, "BAD_USER_INPUT", "kind"},
		{"negative worstSplits", `{ coterminosity(inner: COUNCIL, outer: ICS) { worstSplits(first: -1) { largestShare } } }`, "BAD_USER_INPUT", "first"},
		// Time.
		{"asOf before the data", `{ members(code: "QE1", kind: PCN, asOf: "2013-03-31") { totalCount } }`, "BAD_USER_INPUT", "asOf"},
		{"asOf after the data", `{ coterminosity(inner: COUNCIL, outer: ICS, asOf: "2099-01-01") { split } }`, "BAD_USER_INPUT", "asOf"},
		{"asOf not a date", `{ ancestors(code: "QE1", asOf: "2026-02-30") { depth } }`, "BAD_USER_INPUT", ""},
		{"closed centre", `{ neighbourhood(code: "QJG") { truncated } }`, "BAD_USER_INPUT", "asOf"},
		{"closed path end", `{ path(from: "QE1", to: "QJG") { length } }`, "BAD_USER_INPUT", "asOf"},
		{"sub-ICB locations before 2022", `{ coterminosity(inner: COUNCIL, outer: SUB_ICB_LOCATION, asOf: "2018-07-01") { split } }`, "BAD_USER_INPUT", "outer"},
		{"CCGs after 2022", `{ coterminosity(inner: CCG, outer: ICS) { split } }`, "BAD_USER_INPUT", "inner"},
		{"no fragments", `{ splitCouncils(asOf: "2014-01-01") { largestShare } }`, "BAD_USER_INPUT", "asOf"},
		{"coverage before the data", `{ coverage(on: "2012-01-01") { count } }`, "BAD_USER_INPUT", "on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := c.do(tt.query, nil)
			if len(errs) != 1 || errs[0].Extensions["code"] != tt.code || (tt.argument != "" && errs[0].Extensions["argument"] != tt.argument) {
				t.Fatalf("errors %+v, want one %s naming %s", errs, tt.code, tt.argument)
			}
			if m := strings.ToLower(errs[0].Message); strings.Contains(m, "cypher") || strings.Contains(m, "neo4j") {
				t.Errorf("message leaks the database: %s", errs[0].Message)
			}
			// A date outside the data names the range.
			if tt.argument == "asOf" && strings.Contains(tt.query, "20") && strings.Contains(tt.name, "the data") &&
				(!strings.Contains(errs[0].Message, store.DefaultDataFrom) || !strings.Contains(errs[0].Message, store.DefaultDataTo)) {
				t.Errorf("message does not name the range %s to %s: %s", store.DefaultDataFrom, store.DefaultDataTo, errs[0].Message)
			}
		})
	}
}
