package graph_test

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/icsgraph/icsgraph/graph"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
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
	h := graph.NewHandler(neo4jtest.Store(t), graph.Options{
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
	f, err := os.Open(filepath.Join("..", "seed", "data", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := make([]map[string]string, 0, len(rows)-1)
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// seedData is what the tests derive from the CSVs.
type seedData struct {
	subICBToICS      map[string]string
	subICBToAlliance map[string]string
	icsPopulation    map[string]int
	// councilICS[council][ics] = population of the council in the ICS.
	councilICS map[string]map[string]int
}

func loadSeed(t testing.TB) seedData {
	d := seedData{
		subICBToICS: map[string]string{}, subICBToAlliance: map[string]string{},
		icsPopulation: map[string]int{}, councilICS: map[string]map[string]int{},
	}
	for _, r := range readCSV(t, "sub_icb_locations.csv") {
		d.subICBToICS[r["code"]] = r["icb_code"]
		d.subICBToAlliance[r["code"]] = r["cancer_alliance_code"]
	}
	county := map[string]bool{}
	for _, r := range readCSV(t, "councils.csv") {
		county[r["code"]] = r["council_type"] == "COUNTY"
	}
	for _, r := range readCSV(t, "council_areas.csv") {
		if county[r["council_code"]] {
			continue
		}
		ics := d.subICBToICS[r["sub_icb_code"]]
		pop := atoi(t, r["population"])
		if d.councilICS[r["council_code"]] == nil {
			d.councilICS[r["council_code"]] = map[string]int{}
		}
		d.councilICS[r["council_code"]][ics] += pop
		d.icsPopulation[ics] += pop
	}
	return d
}

const tol = 1e-9

func TestSplitCouncils(t *testing.T) {
	c, seed := newTV(t), loadSeed(t)
	// Expected: councils with population in more than one ICS, and shares.
	want := map[string]map[string]float64{}
	for council, byICS := range seed.councilICS {
		if len(byICS) < 2 {
			continue
		}
		total := 0
		for _, p := range byICS {
			total += p
		}
		want[council] = map[string]float64{}
		for ics, p := range byICS {
			want[council][ics] = float64(p) / float64(total)
		}
	}
	if len(seed.councilICS) != 309 || len(want) != 12 {
		t.Fatalf("seed data: %d councils, %d split; the brief expects 309 and 12", len(seed.councilICS), len(want))
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
	c.query(`{ splitCouncils { area { code name } coterminous largestShare parts { area { code } share } } }`, nil, &got)
	if len(got.SplitCouncils) != len(want) {
		t.Fatalf("%d split councils, want %d", len(got.SplitCouncils), len(want))
	}
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
	// The domain's example: East Suffolk, about 52/48 between QJG and QMM.
	es := want["E07000244"]
	if math.Abs(es["QJG"]-0.52) > 0.01 || math.Abs(es["QMM"]-0.48) > 0.01 {
		t.Errorf("East Suffolk shares %v, want about 0.52 QJG / 0.48 QMM", es)
	}

	// minShare drops small parts from the answer and the split test.
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
	c, seed := newTV(t), loadSeed(t)
	alliances := map[string]map[string]bool{}
	for sub, ics := range seed.subICBToICS {
		if alliances[ics] == nil {
			alliances[ics] = map[string]bool{}
		}
		alliances[ics][seed.subICBToAlliance[sub]] = true
	}
	var want []string
	for ics, as := range alliances {
		if len(as) > 1 {
			want = append(want, ics)
		}
	}
	slices.Sort(want)
	if !slices.Equal(want, []string{"QT1"}) {
		t.Fatalf("seed data: ICSs in several alliances %v; the brief expects [QT1]", want)
	}

	var got struct {
		Coterminosity struct {
			Inner, Outer string
			Weight       struct {
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
	c.query(`{ coterminosity(inner: ICS, outer: CANCER_ALLIANCE) {
		inner outer weight { weight populationYear } areas coterminous split outerAreas
		fits(onlySplit: true) { area { code } }
		worstSplits(first: 3) { area { code } parts { area { code } } }
		unions { exactUnion } } }`, nil, &got)
	r := got.Coterminosity
	var split []string
	for _, f := range r.Fits {
		split = append(split, f.Area.Code)
	}
	slices.Sort(split)
	if !slices.Equal(split, want) || r.Split != len(want) || r.Areas != len(alliances) || r.Coterminous != r.Areas-r.Split {
		t.Errorf("split %v (split %d, areas %d, coterminous %d), want %v of %d", split, r.Split, r.Areas, r.Coterminous, want, len(alliances))
	}
	if r.Weight.Weight != "POPULATION" || r.Weight.PopulationYear != 2015 {
		t.Errorf("weight %+v, want POPULATION 2015", r.Weight)
	}
	if len(r.WorstSplits) != 1 || len(r.WorstSplits[0].Parts) != 2 || r.OuterAreas != 21 || len(r.Unions) != 21 {
		t.Errorf("worstSplits %+v, outer areas %d", r.WorstSplits, r.OuterAreas)
	}
}

func TestCoterminositySummary(t *testing.T) {
	c := newTV(t)
	var got struct {
		CoterminositySummary []struct {
			Inner, Outer string
			Weight       struct{ Weight string }
			Areas, Split int
			Coterminous  int
		}
	}
	c.query(`{ coterminositySummary(weight: SMALL_AREAS) { inner outer weight { weight } areas split coterminous } }`, nil, &got)
	if len(got.CoterminositySummary) != 30 {
		t.Fatalf("%d reports, want 30 (6 kinds × 5)", len(got.CoterminositySummary))
	}
	counts := map[string]int{"COUNCIL": 309, "SUB_ICB_LOCATION": 106, "ICS": 42, "CANCER_ALLIANCE": 21, "CLINICAL_SENATE": 9, "REGION": 7}
	for _, r := range got.CoterminositySummary {
		if r.Areas != counts[r.Inner] || r.Weight.Weight != "SMALL_AREAS" || r.Split+r.Coterminous != r.Areas {
			t.Errorf("%s in %s: %+v", r.Inner, r.Outer, r)
		}
		// Sub-ICB locations build every NHS kind: they never split.
		if r.Inner == "SUB_ICB_LOCATION" && r.Outer != "COUNCIL" && r.Split != 0 {
			t.Errorf("sub-ICB locations split in %s: %d", r.Outer, r.Split)
		}
	}
}

// csvPath walks practice → PCN → sub-ICB → ICS → Clinical Senate in the CSVs.
func csvPath(t *testing.T, practice string) []string {
	find := func(file, key, val string) map[string]string {
		for _, r := range readCSV(t, file) {
			if r[key] == val {
				return r
			}
		}
		t.Fatalf("%s: no %s %s", file, key, val)
		return nil
	}
	p := find("practices.csv", "code", practice)
	pcn := find("pcns.csv", "code", p["pcn_code"])
	sub := find("sub_icb_locations.csv", "code", pcn["sub_icb_code"])
	for _, cs := range readCSV(t, "clinical_senates.csv") {
		if slices.Contains(strings.Split(cs["icb_codes"], ";"), sub["icb_code"]) {
			return []string{practice, pcn["code"], sub["code"], sub["icb_code"], cs["code"]}
		}
	}
	t.Fatalf("no senate holds %s", sub["icb_code"])
	return nil
}

type tvPath struct {
	Length        int
	Organisations []struct {
		Code     string
		Kind     string
		Historic bool
	}
	Hops []struct {
		From, To     struct{ Code string }
		Relationship string
		Direction    string
		Source       *struct{ ID string }
		Since        *string
	}
}

const tvPathFields = `length organisations { code kind historic } hops { from { code } to { code } relationship direction source { id } since }`

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
	c, seed := newTV(t), loadSeed(t)
	var pcn string
	for _, r := range readCSV(t, "pcns.csv") {
		if r["sub_icb_code"] == "02Q" {
			pcn = r["code"]
			break
		}
	}
	var got struct {
		Ancestors []struct{ Organisation struct{ Code, Kind string } }
	}
	c.query(`query($a: String!) { ancestors(code: $a) { organisation { code kind } } }`, map[string]any{"a": pcn}, &got)
	var alliances []string
	for _, a := range got.Ancestors {
		if a.Organisation.Kind == "CANCER_ALLIANCE" {
			alliances = append(alliances, a.Organisation.Code)
		}
	}
	if want := seed.subICBToAlliance["02Q"]; !slices.Equal(alliances, []string{want}) {
		t.Errorf("alliances of %s: %v, want [%s]", pcn, alliances, want)
	}
}

func TestMembers(t *testing.T) {
	c, seed := newTV(t), loadSeed(t)
	pcnsIn := func(pred func(sub string) bool) []string {
		var out []string
		for _, r := range readCSV(t, "pcns.csv") {
			if pred(r["sub_icb_code"]) {
				out = append(out, r["code"])
			}
		}
		slices.Sort(out)
		return out
	}
	senateICS := map[string]string{}
	for _, r := range readCSV(t, "clinical_senates.csv") {
		for _, ics := range strings.Split(r["icb_codes"], ";") {
			senateICS[ics] = r["code"]
		}
	}
	tests := []struct {
		name, code string
		want       []string
	}{
		{"PCNs in a Cancer Alliance", "E56000025", pcnsIn(func(s string) bool { return seed.subICBToAlliance[s] == "E56000025" })},
		{"PCNs in a Clinical Senate", "CS-EM", pcnsIn(func(s string) bool { return senateICS[seed.subICBToICS[s]] == "CS-EM" })},
		{"PCNs in an ICS", "QT1", pcnsIn(func(s string) bool { return seed.subICBToICS[s] == "QT1" })},
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
			if r["partner_kind"] == "TRUST" && senateICS[r["icb_code"]] == "CS-EM" {
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
	var got struct{ Path []tvPath }
	c.query(`query($a: String!, $b: String!) { path(from: $a, to: $b, maxHops: 10, all: true) { `+tvPathFields+` } }`,
		map[string]any{"a": from, "b": to}, &got)
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
			if o.Historic {
				t.Errorf("path %v goes through history", cs)
			}
		}
	}
	// Shortest: nothing within one hop less.
	c.query(`query($a: String!, $b: String!, $m: Int) { path(from: $a, to: $b, maxHops: $m) { length } }`,
		map[string]any{"a": from, "b": to, "m": n - 1}, &got)
	if len(got.Path) != 0 {
		t.Errorf("a path of %d hops within maxHops %d", got.Path[0].Length, n-1)
	}
	// via restricts the intermediate kinds: through ICSs and trusts only.
	c.query(`query($a: String!, $b: String!) { path(from: $a, to: $b, maxHops: 10, via: [ICS, TRUST]) { `+tvPathFields+` } }`,
		map[string]any{"a": from, "b": to}, &got)
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
	const q = `query($c: String!, $d: Int, $l: Int, $k: [OrganisationKind!]) { neighbourhood(code: $c, depth: $d, limit: $l, kinds: $k) {
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
	c, seed := newTV(t), loadSeed(t)
	icbs := readCSV(t, "icbs.csv")
	england := 0
	for _, p := range seed.icsPopulation {
		england += p
	}
	// A system counts from its effective date where the data gives one (the
	// later waves: 1 April 2021), else from the end of its announcement period.
	counts := func(r map[string]string) time.Time {
		if eff, err := time.Parse(time.DateOnly, r["effective_from"]); err == nil {
			return eff
		}
		return designationEnd(t, r["announced"], r["announced_precision"])
	}
	for _, on := range []string{"2020-06-01", "2021-03-31", "2021-04-01", "2021-04-30"} {
		t.Run(on, func(t *testing.T) {
			day, _ := time.Parse(time.DateOnly, on)
			var want []string
			pop := 0
			for _, r := range icbs {
				if r["announced"] != "" && !counts(r).After(day) {
					want = append(want, r["code"])
					pop += seed.icsPopulation[r["code"]]
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
		{"unknown path end", `{ path(from: "QJG", to: "NOPE") { length } }`, "NOT_FOUND", "to"},
		{"unknown centre", `{ neighbourhood(code: "NOPE") { truncated } }`, "NOT_FOUND", "code"},
		{"maxHops too large", `{ path(from: "QJG", to: "QMM", maxHops: 11) { length } }`, "BAD_USER_INPUT", "maxHops"},
		{"maxHops zero", `{ path(from: "QJG", to: "QMM", maxHops: 0) { length } }`, "BAD_USER_INPUT", "maxHops"},
		{"depth too large", `{ neighbourhood(code: "QJG", depth: 4) { truncated } }`, "BAD_USER_INPUT", "depth"},
		{"limit too large", `{ neighbourhood(code: "QJG", limit: 1001) { truncated } }`, "BAD_USER_INPUT", "limit"},
		{"minShare above 1", `{ splitCouncils(minShare: 1.5) { largestShare } }`, "BAD_USER_INPUT", "minShare"},
		{"inner is outer", `{ coterminosity(inner: ICS, outer: ICS) { split } }`, "BAD_USER_INPUT", "outer"},
		{"bad cursor", `{ members(code: "QJG", kind: PCN, after: "x") { totalCount } }`, "BAD_USER_INPUT", "after"},
		{"partnership of PCNs", `{ members(code: "QJG", kind: PCN, basis: PARTNERSHIP) { totalCount } }`, "BAD_USER_INPUT", "kind"},
		{"negative worstSplits", `{ coterminosity(inner: COUNCIL, outer: ICS) { worstSplits(first: -1) { largestShare } } }`, "BAD_USER_INPUT", "first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := c.do(tt.query, nil)
			if len(errs) != 1 || errs[0].Extensions["code"] != tt.code || errs[0].Extensions["argument"] != tt.argument {
				t.Fatalf("errors %+v, want one %s naming %s", errs, tt.code, tt.argument)
			}
			if m := strings.ToLower(errs[0].Message); strings.Contains(m, "cypher") || strings.Contains(m, "neo4j") {
				t.Errorf("message leaks the database: %s", errs[0].Message)
			}
		})
	}
}
