package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/export/nxtest"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// announcedCouncils reads seed/curated/announced/councils.csv (independently
// of the converter): the councils announced, the councils they replace (their
// districts and county) and the date they take effect.
func announcedCouncils(t *testing.T) (added, replaced []string, date string) {
	t.Helper()
	f, err := os.Open("../seed/curated/announced/councils.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		added = append(added, r[col["code"]])
		replaced = append(replaced, strings.Split(r[col["districts"]], ";")...)
		if c := r[col["replaces_county"]]; c != "" && !slices.Contains(replaced, c) {
			replaced = append(replaced, c)
		}
		if date != "" && date != r[col["valid_from"]] {
			t.Fatalf("announced councils on two dates (%s, %s): the test expects one", date, r[col["valid_from"]])
		}
		date = r[col["valid_from"]]
	}
	if len(added) == 0 || len(replaced) == 0 {
		t.Fatal("seed/curated/announced/councils.csv announces no council")
	}
	return added, replaced, date
}

// TestExportIncludeAnnounced: the exports take includeAnnounced as the API
// does. On the announced date, with includeAnnounced=true, the council
// landscape holds the announced councils (announced = true) and not the
// councils they replace; without it the date is BAD_USER_INPUT. On the
// data's newest date both ways give the official councils; asOf=all gives
// the announced ones only when asked. A bad value is BAD_USER_INPUT.
func TestExportIncludeAnnounced(t *testing.T) {
	st := neo4jtest.Store(t)
	mux := newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	added, replaced, day := announcedCouncils(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rel, err := st.CurrentRelease(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rel.AnnouncedTo < day {
		t.Fatalf("the loaded release's announcedTo is %q, before the announced councils' %s: load seed/data", rel.AnnouncedTo, day)
	}
	// councils exports the council landscape as CSV: code → announced column.
	councils := func(t *testing.T, query string) map[string]string {
		t.Helper()
		tables := nxtest.ReadCSVZip(t, fetchExport(t, mux, "/export/landscape?kinds=COUNCIL&"+query+"&format=csv"))
		out := map[string]string{}
		for _, r := range tables["nodes.csv"] {
			out[r["code"]] = r["announced"]
		}
		if len(out) == 0 {
			t.Fatalf("%s: no councils", query)
		}
		return out
	}
	check := func(t *testing.T, got map[string]string, withAdded, withReplaced bool) {
		t.Helper()
		for _, c := range added {
			if a, ok := got[c]; ok != withAdded || (ok && a != "true") {
				t.Errorf("announced council %s: listed %v (announced %q), want listed %v and announced true", c, ok, a, withAdded)
			}
		}
		for _, c := range replaced {
			if _, ok := got[c]; ok != withReplaced {
				t.Errorf("replaced council %s: listed %v, want %v", c, ok, withReplaced)
			}
		}
		for c, a := range got {
			if a == "true" && !slices.Contains(added, c) {
				t.Errorf("council %s is marked announced but not announced in seed/curated/announced", c)
			}
		}
	}
	t.Run("announced date with includeAnnounced", func(t *testing.T) {
		check(t, councils(t, "asOf="+day+"&includeAnnounced=true"), true, false)
	})
	t.Run("newest data date", func(t *testing.T) {
		plain, asked := councils(t, "asOf="+rel.DataTo), councils(t, "asOf="+rel.DataTo+"&includeAnnounced=true")
		check(t, plain, false, true)
		check(t, asked, false, true)
		if len(plain) != len(asked) {
			t.Errorf("before the announced date: %d councils, %d with includeAnnounced", len(plain), len(asked))
		}
	})
	t.Run("every version", func(t *testing.T) {
		check(t, councils(t, "asOf=all"), false, true)
		check(t, councils(t, "asOf=all&includeAnnounced=false"), false, true)
		check(t, councils(t, "asOf=all&includeAnnounced=true"), true, true)
	})
	t.Run("traversal exports", func(t *testing.T) {
		// The neighbourhood of an announced council exists on its date only
		// with includeAnnounced, and marks it.
		url := "/export/neighbourhood?code=" + added[0] + "&asOf=" + day + "&includeAnnounced=true&format=csv"
		tables := nxtest.ReadCSVZip(t, fetchExport(t, mux, url))
		found := false
		for _, r := range tables["nodes.csv"] {
			if r["code"] == added[0] {
				found = r["announced"] == "true"
			}
			if slices.Contains(replaced, r["code"]) {
				t.Errorf("%s: holds %s, which the announced council replaces", url, r["code"])
			}
		}
		if !found {
			t.Errorf("%s: no node %s marked announced", url, added[0])
		}
	})
	type errBody struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	for _, tc := range []struct{ url, argument, says string }{
		{"/export/landscape?kinds=COUNCIL&asOf=" + day, "asOf", "includeAnnounced=true"},
		{"/export/neighbourhood?code=" + added[0] + "&asOf=" + day, "asOf", "includeAnnounced=true"},
		{"/export/landscape?kinds=COUNCIL&includeAnnounced=maybe", "includeAnnounced", `must be true or false, got "maybe"`},
		{"/export/members?code=QWE&kind=PCN&includeAnnounced=yes", "includeAnnounced", "must be true or false"},
		{"/export/landscape?asOf=9999-01-01&includeAnnounced=true", "asOf", "is outside that range"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.url, nil))
			var b errBody
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || len(b.Errors) != 1 {
				t.Fatalf("GET %s = %d %s", tc.url, rec.Code, rec.Body.String())
			}
			e := b.Errors[0]
			if rec.Code != http.StatusBadRequest || e.Extensions["code"] != "BAD_USER_INPUT" || e.Extensions["argument"] != tc.argument || !strings.Contains(e.Message, tc.says) {
				t.Errorf("GET %s = %d %v; want 400 BAD_USER_INPUT on %s saying %q", tc.url, rec.Code, e, tc.argument, tc.says)
			}
		})
	}
}
