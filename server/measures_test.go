package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// nextMeasure is the SYNTHETIC next-year measure: rows to append to
// seed/data (seed/testdata/next_measure/README.md).
const nextMeasure = "../seed/testdata/next_measure"

// TestNextYearMeasure proves that next year's figures are a data row, not a
// schema change: a running server over seed/data, then a release of seed/data
// plus the SYNTHETIC fixture's rows (one measures.csv row of a new vintage of
// RESIDENTS, its figures and its source; no Go change) loaded beside it. The
// same server, without a restart, lists the new vintage, answers
// population(family:, vintage:) with the fixture's figures, takes the newest
// vintage for family alone, sorts by it, and refuses an unknown vintage
// naming the known ones. Every expected figure is read from the fixture and
// seed/data files here. It reloads seed/data alone at its end.
func TestNextYearMeasure(t *testing.T) {
	st := neo4jtest.Store(t)
	base := seedData(t)
	ensureOneRelease(t, st, base)
	reloadSeedAtEnd(t, st, base)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv := httptest.NewServer(newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	ask := func(t *testing.T, q string) (map[string]json.RawMessage, []map[string]any) {
		t.Helper()
		a, err := postQuery(ctx, srv.Client(), srv.URL, q)
		if err != nil {
			t.Fatal(err)
		}
		var errs []map[string]any
		for _, e := range a.Errors {
			var m map[string]any
			_ = json.Unmarshal(e, &m)
			errs = append(errs, m)
		}
		return a.Data, errs
	}
	type measure struct {
		Family, Vintage, Date, Description, Property string
		Derived                                      bool
		Source                                       *struct{ ID string }
	}
	measures := func(t *testing.T) (string, []measure) {
		t.Helper()
		data, errs := ask(t, `{ release { id measures { family vintage date description derived property source { id } } } }`)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var rel struct {
			ID       string
			Measures []measure
		}
		if err := json.Unmarshal(data["release"], &rel); err != nil {
			t.Fatal(err)
		}
		return rel.ID, rel.Measures
	}

	added := datasettest.ReadCSV(t, filepath.Join(nextMeasure, "measures.csv"))
	if len(added) != 1 {
		t.Fatalf("the fixture declares %d measures, want 1", len(added))
	}
	newM := added[0]
	before := datasettest.ReadCSV(t, "../seed/data/measures.csv")
	t.Run("before: the release lists seed/data's measures", func(t *testing.T) {
		_, ms := measures(t)
		if len(ms) != len(before) {
			t.Fatalf("release lists %d measures, seed/data/measures.csv %d", len(ms), len(before))
		}
		for i, m := range ms {
			if m.Family != before[i]["family"] || m.Vintage != before[i]["vintage"] || m.Vintage == newM["vintage"] {
				t.Errorf("measure %d: %s %s, seed/data %s %s", i, m.Family, m.Vintage, before[i]["family"], before[i]["vintage"])
			}
		}
		_, errs := ask(t, fmt.Sprintf(`{ integratedCareSystems(first: 1) { edges { node { population(family: %s, vintage: %q) } } } }`, newM["family"], newM["vintage"]))
		if len(errs) == 0 || errs[0]["extensions"].(map[string]any)["code"] != "BAD_USER_INPUT" {
			t.Fatalf("a vintage seed/data has not: errors %v, want BAD_USER_INPUT", errs)
		}
	})

	// The next release: seed/data plus the fixture's rows.
	dir := datasettest.Append(t, "../seed/data", nextMeasure)
	next, err := dataset.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := st.Load(ctx, next.Graph(), store.LoadOptions{Grace: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := strconv.FormatInt(rel.ID, 10)
	var ms []measure
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		id, got := measures(t)
		if id == want {
			ms = got
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server still answers from release %s, not the new %s", id, want)
		}
	}

	figures := datasettest.ReadCSV(t, filepath.Join(nextMeasure, "populations.csv"))
	lookup := map[string]string{store.KindICS: "integratedCareSystem", store.KindSubICBLocation: "subIcbLocation"}
	t.Run("the release lists the new vintage", func(t *testing.T) {
		if len(ms) != len(before)+1 {
			t.Fatalf("%d measures, want %d", len(ms), len(before)+1)
		}
		i := slices.IndexFunc(ms, func(m measure) bool { return m.Vintage == newM["vintage"] })
		if i < 0 {
			t.Fatalf("no vintage %s in %+v", newM["vintage"], ms)
		}
		m := ms[i]
		if m.Family != newM["family"] || m.Date != newM["date"] || m.Description != newM["description"] || m.Property != newM["property"] ||
			strconv.FormatBool(m.Derived) != newM["derived"] || m.Source == nil || m.Source.ID != newM["source"] {
			t.Errorf("release measure %+v, fixture %v", m, newM)
		}
	})
	t.Run("population(family:, vintage:) answers the fixture's figures", func(t *testing.T) {
		for _, f := range figures {
			t.Run(f["code"], func(t *testing.T) {
				field := lookup[f["kind"]]
				if field == "" {
					t.Fatalf("no lookup for kind %s", f["kind"])
				}
				data, errs := ask(t, fmt.Sprintf(`{ o: %s(code: %q) { named: population(family: %s, vintage: %q) newest: population(family: %s)
  populations { family vintage value date derived measure } } }`, field, f["code"], newM["family"], newM["vintage"], newM["family"]))
				if len(errs) > 0 {
					t.Fatal(errs)
				}
				var o struct {
					Named, Newest *int
					Populations   []struct {
						Family, Vintage, Date string
						Value                 int
						Derived               bool
						Measure               *string
					}
				}
				if err := json.Unmarshal(data["o"], &o); err != nil {
					t.Fatal(err)
				}
				v, _ := strconv.Atoi(f["value"])
				if o.Named == nil || *o.Named != v || o.Newest == nil || *o.Newest != v {
					t.Errorf("population: named %v, newest %v; fixture %d", o.Named, o.Newest, v)
				}
				i := slices.IndexFunc(o.Populations, func(p struct {
					Family, Vintage, Date string
					Value                 int
					Derived               bool
					Measure               *string
				}) bool {
					return p.Vintage == newM["vintage"]
				})
				if i < 0 || o.Populations[i].Value != v || o.Populations[i].Date != newM["date"] || o.Populations[i].Measure != nil {
					t.Errorf("populations %+v: want the %s figure %d dated %s with no deprecated measure value", o.Populations, newM["vintage"], v, newM["date"])
				}
			})
		}
	})
	t.Run("family alone: each organisation's newest vintage", func(t *testing.T) {
		// An open ICB the fixture gives no figure: its newest RESIDENTS
		// figure is the one of seed/data with the latest date.
		has := map[string]bool{}
		for _, f := range figures {
			has[f["kind"]+" "+f["code"]] = true
		}
		dates := map[string]string{}
		for _, m := range before {
			if m["family"] == newM["family"] {
				dates[m["property"]] = m["date"]
			}
		}
		best := map[string]map[string]string{}
		for _, p := range datasettest.ReadCSV(t, "../seed/data/populations.csv") {
			if p["kind"] != store.KindICS || has[p["kind"]+" "+p["code"]] || dates[p["measure"]] == "" {
				continue
			}
			if b := best[p["code"]]; b == nil || dates[p["measure"]] > dates[b["measure"]] {
				best[p["code"]] = p
			}
		}
		checked := 0
		for _, o := range next.Orgs {
			b := best[o.Code]
			if o.Kind != store.KindICS || o.ValidTo != "" || b == nil || checked == 3 {
				continue
			}
			checked++
			data, errs := ask(t, fmt.Sprintf(`{ o: integratedCareSystem(code: %q) { population(family: %s) } }`, o.Code, newM["family"]))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			var got struct{ Population *int }
			_ = json.Unmarshal(data["o"], &got)
			v, _ := strconv.Atoi(b["value"])
			if got.Population == nil || *got.Population != v {
				t.Errorf("%s: population(family: %s) = %v, want its %s figure %d", o.Code, newM["family"], got.Population, b["measure"], v)
			}
		}
		if checked == 0 {
			t.Fatal("no open ICB without a fixture figure")
		}
	})
	t.Run("sorted by the new vintage", func(t *testing.T) {
		type fig struct {
			code string
			v    int
		}
		var icbs []fig
		for _, f := range figures {
			if f["kind"] == store.KindICS {
				v, _ := strconv.Atoi(f["value"])
				icbs = append(icbs, fig{f["code"], v})
			}
		}
		slices.SortFunc(icbs, func(a, b fig) int { return b.v - a.v })
		data, errs := ask(t, fmt.Sprintf(`{ integratedCareSystems(first: %d, orderBy: {field: POPULATION, direction: DESC, family: %s, vintage: %q}) { edges { node { code } } } }`,
			len(icbs), newM["family"], newM["vintage"]))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var got []string
		var conn struct {
			Edges []struct{ Node struct{ Code string } }
		}
		_ = json.Unmarshal(data["integratedCareSystems"], &conn)
		for _, e := range conn.Edges {
			got = append(got, e.Node.Code)
		}
		var wantCodes []string
		for _, f := range icbs {
			wantCodes = append(wantCodes, f.code)
		}
		if !slices.Equal(got, wantCodes) {
			t.Errorf("order %v, want %v (the fixture's figures, largest first)", got, wantCodes)
		}
	})
	t.Run("an unknown vintage names the known ones", func(t *testing.T) {
		_, errs := ask(t, fmt.Sprintf(`{ integratedCareSystem(code: %q) { population(family: %s, vintage: "mid-1899") } }`, figures[0]["code"], newM["family"]))
		if len(errs) == 0 {
			t.Fatal("no error")
		}
		ext, _ := errs[0]["extensions"].(map[string]any)
		msg, _ := errs[0]["message"].(string)
		if ext["code"] != "BAD_USER_INPUT" || !strings.Contains(msg, strconv.Quote(newM["vintage"])) {
			t.Fatalf("error %v: want BAD_USER_INPUT naming %q", errs[0], newM["vintage"])
		}
		for _, m := range before {
			if m["family"] == newM["family"] && !strings.Contains(msg, strconv.Quote(m["vintage"])) {
				t.Errorf("error %q does not name the vintage %s", msg, m["vintage"])
			}
		}
	})
}
