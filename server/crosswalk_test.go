package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// TestCrosswalkExport: /export/crosswalk is the API's crosswalk as CSV, row
// for row, with the exports' errors.
func TestCrosswalkExport(t *testing.T) {
	st := neo4jtest.Store(t)
	mux := newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, c := range []struct{ fromKind, fromDate, toKind, toDate, weight string }{
		{"CCG", "2019-04-01", "ICS", "2026-04-01", "POPULATION"},
		{"COUNCIL", "2019-04-01", "COUNCIL", "2023-04-01", "SMALL_AREAS"},
		{"ICS", "2022-07-01", "CANCER_ALLIANCE", "2019-04-01", "POPULATION"},
	} {
		t.Run(c.fromKind+"-"+c.toKind, func(t *testing.T) {
			url := fmt.Sprintf("/export/crosswalk?fromKind=%s&fromDate=%s&toKind=%s&toDate=%s&weight=%s", c.fromKind, c.fromDate, c.toKind, c.toDate, c.weight)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
			if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
				t.Fatalf("GET %s = %d %s %s", url, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
			}
			rows, err := csv.NewReader(rec.Body).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"from_kind", "from_code", "from_name", "from_date", "to_kind", "to_code", "to_name", "to_date", "weight",
				"shared_population", "shared_small_areas", "share_of_from", "share_of_to", "derived"}
			if !slices.Equal(rows[0], want) {
				t.Fatalf("header %v, want %v", rows[0], want)
			}
			var resp struct {
				Crosswalk struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							From             struct{ Code, Name string }
							To               *struct{ Code, Name string }
							SharedPopulation int64
							SharedSmallAreas int64
							ShareOfFrom      float64
							ShareOfTo        *float64
							Derived          bool
						}
					}
				}
			}
			gqlPost(t, mux, fmt.Sprintf(`{ crosswalk(from: {kind: %s, asOf: "%s"}, to: {kind: %s, asOf: "%s"}, weight: %s, first: 500) {
  totalCount edges { node { from { code name } to { code name } sharedPopulation sharedSmallAreas shareOfFrom shareOfTo derived } } } }`,
				c.fromKind, c.fromDate, c.toKind, c.toDate, c.weight), &resp)
			if resp.Crosswalk.TotalCount > 500 {
				t.Skip("more than one page; compared on the first")
			}
			if len(rows)-1 != resp.Crosswalk.TotalCount {
				t.Fatalf("%d rows, the API has %d pairs", len(rows)-1, resp.Crosswalk.TotalCount)
			}
			sum := map[string]float64{}
			for i, r := range rows[1:] {
				p := resp.Crosswalk.Edges[i].Node
				toCode, toName, shareTo := "", "", ""
				if p.To != nil {
					toCode, toName = p.To.Code, p.To.Name
				}
				if p.ShareOfTo != nil {
					shareTo = strconv.FormatFloat(*p.ShareOfTo, 'g', -1, 64)
				}
				got := []string{c.fromKind, p.From.Code, p.From.Name, c.fromDate, c.toKind, toCode, toName, c.toDate, c.weight,
					strconv.FormatInt(p.SharedPopulation, 10), strconv.FormatInt(p.SharedSmallAreas, 10),
					strconv.FormatFloat(p.ShareOfFrom, 'g', -1, 64), shareTo, strconv.FormatBool(p.Derived)}
				if !slices.Equal(r, got) {
					t.Errorf("row %d: %v, the API: %v", i+1, r, got)
				}
				f, _ := strconv.ParseFloat(r[11], 64)
				sum[r[1]] += f
			}
			for code, s := range sum {
				if math.Abs(s-1) > 1e-9 {
					t.Errorf("%s: share_of_from sums to %v", code, s)
				}
			}
		})
	}
	for _, tc := range []struct{ url, argument, says string }{
		{"/export/crosswalk?toKind=ICS", "fromKind", "required"},
		{"/export/crosswalk?fromKind=PARISH&toKind=ICS", "fromKind", "unknown kind"},
		{"/export/crosswalk?fromKind=CCG&fromDate=2010-01-01&toKind=ICS", "fromDate", "outside"},
		{"/export/crosswalk?fromKind=CCG&fromDate=2019-04-01&toKind=ICS&toDate=2016-04-01", "toKind", "no ICS"},
		{"/export/crosswalk?fromKind=CCG&fromDate=2019-04-01&toKind=ICS&weight=PEOPLE", "weight", "POPULATION"},
		{"/export/crosswalk?fromKind=CCG&fromDate=2019-04-01&toKind=ICS&codes=ZZZ", "codes", "ZZZ"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.url, nil))
			var body struct {
				Errors []struct {
					Message    string
					Extensions map[string]any
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
				t.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
			e := body.Errors[0]
			if rec.Code != http.StatusBadRequest || e.Extensions["code"] != "BAD_USER_INPUT" || e.Extensions["argument"] != tc.argument || !strings.Contains(e.Message, tc.says) {
				t.Errorf("%d %q %v, want 400 BAD_USER_INPUT on %s saying %q", rec.Code, e.Message, e.Extensions, tc.argument, tc.says)
			}
		})
	}
}
