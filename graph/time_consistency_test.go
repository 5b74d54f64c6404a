package graph_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// TestTimeConsistency asks the whole API the same questions about many dates
// and checks every answer against the facts of that date computed here,
// from seed/data, by code that shares nothing with the server's date rule:
// an organisation or relationship holds on d when valid_from <= d and
// valid_to is empty or after d (a succession holds from its date on, and
// reaches organisations that had begun by d).
//
// Dates: every 1 April from 2013 to the newest year, a sample of the dates
// on which something in seed/data changes (every distinct valid_from,
// valid_to and succession date within the data's range; all of them with
// TIME_CONSISTENCY_DATES=all), and a few days drawn with a fixed seed.
//
// Positions: every root list (its members on d, with and without
// includeClosed, and TrustFilter.includeClosed), a sample of root lookups,
// and every relationship field of every organisation type in each of these
// positions: root lookups, list items, coverage(on:) systems, designations,
// splitCouncils and coterminosity areas and parts, members, ancestors,
// neighbourhood nodes, path organisations, changes (organisations and
// parties, as of `to`) and lineage organisations (as of the newest date).
// Relationship fields are asked under aliases r_<field>, so the check walks
// any answer: every object with a code and a kind is an organisation, its
// name must be the one it held on the date (names.csv), and each r_ field
// beside it must list exactly the organisations the CSVs give for that
// organisation, field and date.
func TestTimeConsistency(t *testing.T) {
	// A handler whose cost limit admits every relationship field of whole
	// pages (the limits are tested elsewhere; here every answer is wanted).
	st := neo4jtest.Store(t)
	a := &api{t: t, store: st, c: client.New(gqlhttp.NewHandler(st, gqlhttp.Options{
		MaxDepth: 16, MaxComplexity: 1 << 40, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))}
	f := loadFacts(t)
	var rel struct {
		Release struct{ DataFrom, DataTo string }
	}
	a.query(`{ release { dataFrom dataTo } }`, &rel)
	from, to := rel.Release.DataFrom, rel.Release.DataTo
	dates := f.sampleDates(from, to, os.Getenv("TIME_CONSISTENCY_DATES") == "all")
	c := &checker{t: t, a: a, f: f, newest: to, mismatches: map[string]int{}}
	start := time.Now()
	for _, d := range dates {
		c.date(d)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range c.mismatches {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		t.Logf("mismatches %-60s %d", k, c.mismatches[k])
	}
	t.Logf("%d dates, %d queries, %d relationship fields checked in %d positions, %d list memberships, in %s",
		len(dates), c.queries, c.checked, len(c.positions), c.lists, time.Since(start).Round(time.Second))
}

// facts are the seed data's organisations and relationships.
type facts struct {
	orgs  map[kc]span
	names map[kc][]tcName            // every name held, ascending by date
	out   map[string]map[kc][]tcEdge // type → from → edges
	in    map[string]map[kc][]tcEdge // type → to → edges
	kinds map[string][]kc            // kind → organisations
	dates []string                   // every date something changes
}

type tcName struct{ from, name string }

type tcEdge struct {
	other kc
	span
	succession bool
}

func loadFacts(t *testing.T) *facts {
	f := &facts{orgs: map[kc]span{}, names: map[kc][]tcName{}, out: map[string]map[kc][]tcEdge{}, in: map[string]map[kc][]tcEdge{}, kinds: map[string][]kc{}}
	seen := map[string]bool{}
	date := func(ds ...string) {
		for _, d := range ds {
			if d != "" && !seen[d] {
				seen[d] = true
				f.dates = append(f.dates, d)
			}
		}
	}
	add := func(typ string, from, to kc, s span, succession bool) {
		if f.out[typ] == nil {
			f.out[typ], f.in[typ] = map[kc][]tcEdge{}, map[kc][]tcEdge{}
		}
		f.out[typ][from] = append(f.out[typ][from], tcEdge{other: to, span: s, succession: succession})
		f.in[typ][to] = append(f.in[typ][to], tcEdge{other: from, span: s, succession: succession})
		date(s.from, s.to)
	}
	for _, r := range readCSV(t, "organisations.csv") {
		k := kc{r["kind"], r["code"]}
		f.orgs[k] = span{r["valid_from"], r["valid_to"]}
		f.kinds[k.kind] = append(f.kinds[k.kind], k)
		date(r["valid_from"], r["valid_to"])
	}
	for _, r := range readCSV(t, "names.csv") {
		k := kc{r["kind"], r["code"]}
		f.names[k] = append(f.names[k], tcName{r["valid_from"], r["name"]})
		date(r["valid_from"])
	}
	for _, ns := range f.names {
		slices.SortFunc(ns, func(a, b tcName) int { return strings.Compare(a.from, b.from) })
	}
	for _, r := range readCSV(t, "relationships.csv") {
		add(r["type"], kc{r["from_kind"], r["from_code"]}, kc{r["to_kind"], r["to_code"]}, span{r["valid_from"], r["valid_to"]}, false)
	}
	for _, r := range readCSV(t, "overlaps.csv") {
		add("OVERLAPS", kc{"COUNCIL", r["council_code"]}, kc{r["area_kind"], r["area_code"]}, span{r["valid_from"], r["valid_to"]}, false)
	}
	for _, r := range readCSV(t, "partners.csv") {
		add("PARTNER_OF", kc{r["partner_kind"], r["partner_code"]}, kc{"ICS", r["icb_code"]}, span{r["valid_from"], r["valid_to"]}, false)
	}
	for _, r := range readCSV(t, "icb_alliances.csv") {
		add("IN_CANCER_ALLIANCE", kc{"ICS", r["icb_code"]}, kc{"CANCER_ALLIANCE", r["alliance_code"]}, span{r["valid_from"], r["valid_to"]}, false)
	}
	for _, r := range readCSV(t, "successions.csv") {
		add("SUCCEEDED_BY", kc{r["from_kind"], r["from_code"]}, kc{r["to_kind"], r["to_code"]}, span{r["date"], ""}, true)
	}
	sort.Strings(f.dates)
	return f
}

// sampleDates: every 1 April in range, change dates (all, or every third
// one plus the first and last of each year), and five seeded random days.
func (f *facts) sampleDates(from, to string, all bool) []string {
	set := map[string]bool{}
	for y := 2013; y <= 2100; y++ {
		d := fmt.Sprintf("%d-04-01", y)
		if d > to {
			break
		}
		if d >= from {
			set[d] = true
		}
	}
	set[to] = true
	var changes []string
	for _, d := range f.dates {
		if d >= from && d <= to {
			changes = append(changes, d)
		}
	}
	for i, d := range changes {
		if all || i%3 == 0 || i == len(changes)-1 {
			set[d] = true
			// and the day before, when something ends or starts the next day
			if p := dayBefore(d); p >= from {
				set[p] = all || set[p]
			}
		}
	}
	rng := rand.New(rand.NewPCG(16, 2026))
	t0, _ := time.Parse(time.DateOnly, from)
	t1, _ := time.Parse(time.DateOnly, to)
	for range 5 {
		set[t0.AddDate(0, 0, rng.IntN(int(t1.Sub(t0).Hours()/24)+1)).Format(time.DateOnly)] = true
	}
	var out []string
	for d, ok := range set {
		if ok {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

func dayBefore(d string) string {
	t, _ := time.Parse(time.DateOnly, d)
	return t.AddDate(0, 0, -1).Format(time.DateOnly)
}

// heldOn lists the organisations of kind held on d (begun only: had begun
// by d, closed or not).
func (f *facts) heldOn(kind, d string, begun bool) []string {
	var out []string
	for _, k := range f.kinds[kind] {
		s := f.orgs[k]
		if s.from <= d && (begun || s.to == "" || s.to > d) {
			out = append(out, k.code)
		}
	}
	sort.Strings(out)
	return out
}

// name is the name o held on d: the one of the latest names.csv row on or
// before d (the newest when none is, as for an organisation asked about
// before it began).
func (f *facts) name(o kc, d string) string {
	ns := f.names[o]
	if len(ns) == 0 {
		return ""
	}
	out := ns[len(ns)-1].name
	for _, n := range ns {
		if n.from <= d {
			out = n.name
		}
	}
	return out
}

// expect is what relationship field r of organisation o reaches on d.
func (f *facts) expect(r *decl.Resolved, o kc, d string) []string {
	idx := f.out[r.Rel]
	if r.Reverse {
		idx = f.in[r.Rel]
	}
	var out []string
	for _, e := range idx[o] {
		k, ok := decl.KindByValue(e.other.kind)
		if !ok || !slices.Contains(r.To, k.Label) {
			continue
		}
		if !(e.from <= d && (e.to == "" || e.to > d)) {
			continue
		}
		s, ok := f.orgs[e.other]
		if !ok || s.from > d || (!e.succession && s.to != "" && s.to <= d) {
			continue
		}
		out = append(out, e.other.kind+":"+e.other.code)
	}
	sort.Strings(out)
	return out
}

// checker runs the queries of each date and counts mismatches by field and
// position.
type checker struct {
	t          *testing.T
	a          *api
	f          *facts
	newest     string
	mismatches map[string]int
	reported   map[string]int
	queries    int
	checked    int
	lists      int
	positions  map[string]bool
}

func (c *checker) fail(key, format string, args ...any) {
	c.mismatches[key]++
	if c.reported == nil {
		c.reported = map[string]int{}
	}
	if c.reported[key]++; c.reported[key] <= 2 {
		c.t.Errorf(format, args...)
	}
}

// fields selects every relationship field of typeName under r_ aliases,
// each reaching organisations' code and kind.
func fields(typeName string) string {
	var b strings.Builder
	for _, r := range decl.FieldsOf(typeName) {
		org := "{ code kind name }"
		switch {
		case r.Card == decl.Connection:
			org = "(first: 500) { edges { node { code kind name } } }"
		case r.EdgeType != "":
			org = fmt.Sprintf("{ %s { code kind name } }", r.EdgeNode)
		}
		fmt.Fprintf(&b, " r_%s: %s %s", r.Name, r.Name, org)
	}
	return b.String()
}

// fragments selects the relationship fields of the given types, one inline
// fragment each.
func fragments(types ...string) string {
	var b strings.Builder
	for _, t := range types {
		fmt.Fprintf(&b, " ... on %s {%s }", t, fields(t))
	}
	return b.String()
}

// typeChunks splits every organisation type into groups whose relationship
// fields stay within a compiled statement's subquery limit.
func typeChunks() [][]string {
	var out [][]string
	var cur []string
	n := 0
	for _, k := range decl.Kinds {
		m := len(decl.FieldsOf(k.TypeName))
		if n+m > 30 && len(cur) > 0 {
			out, cur, n = append(out, cur), nil, 0
		}
		cur, n = append(cur, k.TypeName), n+m
	}
	return append(out, cur)
}

// run asks q and checks every organisation in the answer as of d; errors
// of kind BAD_USER_INPUT (a report the date cannot answer) are skipped.
func (c *checker) run(position, d, q string) map[string]any {
	c.queries++
	if c.positions == nil {
		c.positions = map[string]bool{}
	}
	c.positions[position] = true
	data, errs := c.a.raw(q)
	for _, e := range errs {
		if e.Extensions["code"] == "BAD_USER_INPUT" || e.Extensions["code"] == "NOT_FOUND" {
			continue
		}
		c.fail(position+" error", "%s on %s: %s\n%s", position, d, e.Message, q)
	}
	var v map[string]any
	_ = json.Unmarshal(data, &v)
	c.walk(position, d, v)
	return v
}

func (c *checker) walk(position, d string, v any) {
	switch x := v.(type) {
	case []any:
		for _, y := range x {
			c.walk(position, d, y)
		}
	case map[string]any:
		code, _ := x["code"].(string)
		kind, _ := x["kind"].(string)
		k, isKind := decl.KindByValue(kind)
		if name, ok := x["name"].(string); ok && isKind && code != "" {
			c.checked++
			if want := c.f.name(kc{kind, code}, d); name != want {
				c.fail(k.TypeName+".name @ "+position, "%s %s %s.name on %s: got %q, want %q", position, code, k.TypeName, d, name, want)
			}
		}
		for key, val := range x {
			name, ok := strings.CutPrefix(key, "r_")
			if !ok || !isKind || code == "" {
				c.walk(position, d, val)
				continue
			}
			r, ok := decl.Lookup(k.TypeName, name)
			if !ok {
				c.t.Fatalf("%s.%s is not declared", k.TypeName, name)
			}
			got := reached(r, val)
			want := c.f.expect(r, kc{kind, code}, d)
			c.checked++
			if r.Card == decl.One && len(want) > 1 {
				if len(got) != 1 || !slices.Contains(want, got[0]) {
					c.fail(k.TypeName+"."+name+" @ "+position, "%s %s %s.%s on %s: got %v, want one of %v", position, code, k.TypeName, name, d, got, want)
				}
			} else if !slices.Equal(got, want) {
				c.fail(k.TypeName+"."+name+" @ "+position, "%s %s %s.%s on %s: got %v, want %v", position, code, k.TypeName, name, d, got, want)
			}
			c.walk(position, d, val)
		}
	}
}

// reached lists "KIND:CODE" of what a relationship field answered.
func reached(r *decl.Resolved, v any) []string {
	var items []any
	switch x := v.(type) {
	case nil:
	case []any:
		items = x
	case map[string]any:
		if edges, ok := x["edges"].([]any); ok {
			for _, e := range edges {
				items = append(items, e.(map[string]any)["node"])
			}
		} else {
			items = []any{x}
		}
	}
	out := []string{}
	for _, it := range items {
		m, _ := it.(map[string]any)
		if r.EdgeType != "" {
			m, _ = m[r.EdgeNode].(map[string]any)
		}
		if m != nil {
			out = append(out, fmt.Sprintf("%s:%s", m["kind"], m["code"]))
		}
	}
	sort.Strings(out)
	return out
}

// pick returns up to n organisations of kind held on d, drawn with a seed
// of the date.
func (c *checker) pick(kind, d string, n int) []string {
	held := c.f.heldOn(kind, d, false)
	rng := rand.New(rand.NewPCG(uint64(len(d)), uint64(strings.Count(d, "0")*31+int(d[len(d)-1]))))
	rng.Shuffle(len(held), func(i, j int) { held[i], held[j] = held[j], held[i] })
	return held[:min(n, len(held))]
}

func (c *checker) date(d string) {
	c.t.Helper()
	// Root lists: members on d (open, then with includeClosed), with every
	// relationship field of each item.
	for _, k := range decl.Kinds {
		for _, closed := range []bool{false, true} {
			want := c.f.heldOn(k.Value, d, closed)
			var got []string
			total := -1
			after := ""
			for page := 0; ; page++ {
				sel := "code kind name"
				if !closed {
					sel += fields(k.TypeName)
				}
				q := fmt.Sprintf(`{ l: %s(asOf: %q, includeClosed: %t, first: 500%s) { totalCount pageInfo { hasNextPage endCursor } edges { node { %s } } } }`,
					k.List, d, closed, after, sel)
				v := c.run("list", d, q)
				l, _ := v["l"].(map[string]any)
				if l == nil {
					break
				}
				if n, ok := l["totalCount"].(float64); ok {
					total = int(n)
				}
				edges, _ := l["edges"].([]any)
				for _, e := range edges {
					got = append(got, e.(map[string]any)["node"].(map[string]any)["code"].(string))
				}
				pi, _ := l["pageInfo"].(map[string]any)
				if more, _ := pi["hasNextPage"].(bool); !more || k.Value == "PRACTICE" {
					break
				}
				after = fmt.Sprintf(", after: %q", pi["endCursor"])
			}
			c.lists++
			key := fmt.Sprintf("%s(includeClosed: %t)", k.List, closed)
			if total != len(want) {
				c.fail(key+" totalCount", "%s on %s: totalCount %d, want %d", key, d, total, len(want))
			}
			if k.Value != "PRACTICE" {
				sort.Strings(got)
				if !slices.Equal(got, want) {
					c.fail(key+" members", "%s on %s: %d listed, want %d (%s)", key, d, len(got), len(want), diff(got, want))
				}
			}
		}
	}
	// The trust list's deprecated filter alias means what includeClosed means.
	for _, closed := range []bool{false, true} {
		var r struct{ Trusts struct{ TotalCount int } }
		c.queries++
		c.a.query(fmt.Sprintf(`{ trusts(asOf: %q, filter: {includeClosed: %t}) { totalCount } }`, d, closed), &r)
		if want := len(c.f.heldOn("TRUST", d, closed)); r.Trusts.TotalCount != want {
			c.fail(fmt.Sprintf("trusts(filter: {includeClosed: %t}) totalCount", closed), "trusts(asOf: %s, filter: {includeClosed: %t}): %d, want %d", d, closed, r.Trusts.TotalCount, want)
		}
	}
	// Root lookups of a few organisations of each kind held on d.
	for _, k := range decl.Kinds {
		for _, code := range c.pick(k.Value, d, 2) {
			c.run("lookup", d, fmt.Sprintf(`{ o: %s(code: %q, asOf: %q) { code kind name %s } }`, k.Lookup, code, d, fields(k.TypeName)))
		}
	}
	// The same organisations by global id (nodes) and by code on the
	// interface (organisation), with every type's fields.
	var ids []string
	for _, k := range decl.Kinds {
		for _, code := range c.pick(k.Value, d, 1) {
			ids = append(ids, fmt.Sprintf("%q", base64.RawURLEncoding.EncodeToString([]byte(k.Value+":"+code))))
			c.run("organisation", d, fmt.Sprintf(`{ o: organisation(code: %q, asOf: %q) { code kind name %s } }`, code, d, fragments(k.TypeName)))
		}
	}
	for _, ch := range typeChunks() {
		c.run("nodes", d, fmt.Sprintf(`{ nodes(ids: [%s], asOf: %q) { ... on Organisation { code kind name } %s } }`, strings.Join(ids, ", "), d, fragments(ch...)))
	}
	ics := fragments("IntegratedCareSystem")
	// Reports and traversals.
	c.run("coverage", d, fmt.Sprintf(`{ coverage(on: %q) { systems { code kind name %s } } }`, d, ics))
	c.run("designations", d, fmt.Sprintf(`{ designations(asOf: %q) { system { code kind name %s } } }`, d, ics))
	outer := "CCG"
	if len(c.f.heldOn("ICS", d, false)) > 0 {
		outer = "ICS"
		c.run("splitCouncils", d, fmt.Sprintf(`{ splitCouncils(asOf: %q) { area { code kind name %s } parts { area { code kind name %s } } } }`, d, fragments("Council"), ics))
	}
	c.run("coterminosity", d, fmt.Sprintf(`{ coterminosity(inner: COUNCIL, outer: %s, asOf: %q) { fits(onlySplit: true) { area { code kind name %s } parts { area { code kind name %s } } } } }`,
		outer, d, fragments("Council"), fragments("IntegratedCareSystem", "Ccg")))
	for _, region := range c.pick("REGION", d, 1) {
		for _, kind := range []string{"ICS", "SUB_ICB_LOCATION", "CCG", "STP"} {
			k, _ := decl.KindByValue(kind)
			c.run("members", d, fmt.Sprintf(`{ members(code: %q, kind: %s, asOf: %q) { edges { node { organisation { code kind name %s } } } } }`, region, kind, d, fragments(k.TypeName)))
		}
	}
	chunks := typeChunks()
	for _, pcn := range c.pick("PCN", d, 1) {
		for _, ch := range chunks {
			c.run("ancestors", d, fmt.Sprintf(`{ ancestors(code: %q, asOf: %q) { organisation { code kind name %s } } }`, pcn, d, fragments(ch...)))
		}
		for _, trust := range c.pick("TRUST", d, 1) {
			for _, ch := range chunks {
				c.run("path", d, fmt.Sprintf(`{ path(from: %q, to: %q, asOf: %q) { organisations { code kind name %s } } }`, pcn, trust, d, fragments(ch...)))
			}
		}
	}
	centre := c.pick("ICS", d, 1)
	if len(centre) == 0 {
		centre = c.pick("STP", d, 1)
	}
	if len(centre) == 0 {
		centre = c.pick("CCG", d, 1)
	}
	for _, code := range centre {
		for _, ch := range chunks {
			c.run("neighbourhood", d, fmt.Sprintf(`{ neighbourhood(code: %q, asOf: %q, limit: 60) { nodes { organisation { code kind name %s } } } }`, code, d, fragments(ch...)))
		}
	}
	if slices.Contains(c.f.dates, d) && d > "2013-04-01" {
		for _, ch := range chunks {
			c.run("changes", d, fmt.Sprintf(`{ changes(from: %q, to: %q, first: 40) { edges { node { organisation { code kind name %s } parties { organisation { code kind name %s } } } } } }`,
				dayBefore(d), d, fragments(ch...), fragments(ch...)))
		}
	}
	if d == c.newest {
		for _, code := range []string{"15C", "QUY", "E06000060"} {
			for _, ch := range chunks {
				c.run("lineage", d, fmt.Sprintf(`{ lineage(code: %q) { organisations { organisation { code kind name %s } } } }`, code, fragments(ch...)))
			}
		}
	}
}

// diff names a few codes in one list and not the other.
func diff(got, want []string) string {
	var extra, missing []string
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	return fmt.Sprintf("extra %v, missing %v", extra[:min(5, len(extra))], missing[:min(5, len(missing))])
}
