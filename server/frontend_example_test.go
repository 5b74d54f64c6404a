package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// The typed client example (examples/frontend, served at
// /examples/frontend/) against a server that runs only its persisted
// queries: the example's operations folder is PERSISTED_QUERIES, so the page
// works only if it sends those operations, by hash, unchanged. What it shows
// is checked against the API's answer on an open server.
func TestFrontendExampleUnderPersistedQueriesOnly(t *testing.T) {
	st := neo4jtest.Store(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	env := map[string]string{
		"PERSISTED_QUERIES":      filepath.Join("..", "examples", "frontend", "operations"),
		"PERSISTED_QUERIES_ONLY": "true",
	}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	locked := httptest.NewServer(newMux(st, cfg, logger))
	defer locked.Close()
	open := newMux(st, testConfig(t), logger)

	// the locked server refuses anything else
	code, body := postJSON(t, locked.Config.Handler, `{"query":"{ release { id } }"}`)
	if !strings.Contains(body, "PERSISTED_QUERY_REQUIRED") {
		t.Fatalf("PERSISTED_QUERIES_ONLY server answered an ad-hoc query: %d %s", code, body)
	}

	var rel struct{ Release struct{ DataTo string } }
	gqlPost(t, open, `{ release { dataTo } }`, &rel)
	b := newBrowser(t, locked.URL)
	for _, tc := range []struct{ icb, asOf string }{
		{"QWE", ""},           // the newest date: the page's default
		{"QMJ", "2024-04-01"}, // an ICB merged away in April 2026, on a date it was open
	} {
		t.Run(tc.icb+" "+tc.asOf, func(t *testing.T) {
			date := tc.asOf
			if date == "" {
				date = rel.Release.DataTo
			}
			var api struct {
				IntegratedCareSystem struct {
					Code     string
					Trusts   []struct{ Code string }
					Councils []struct{ Council struct{ Code string } }
				}
			}
			gqlPost(t, open, fmt.Sprintf(`{ integratedCareSystem(code: %q, asOf: %q) { code trusts { code } councils { council { code } } } }`, tc.icb, date), &api)
			url := locked.URL + "/examples/frontend/?icb=" + tc.icb
			if tc.asOf != "" {
				url += "&asOf=" + tc.asOf
			}
			var shown, trustCodes, councilCodes, picked string
			err := chromedp.Run(b.ctx,
				chromedp.Navigate(url),
				poll(`!!document.body.dataset.shown`),
				chromedp.Evaluate(`document.body.dataset.shown`, &shown),
				chromedp.Evaluate(`[...document.querySelectorAll('#trusts tr td:nth-child(2)')].map((td) => td.textContent).sort().join(' ')`, &trustCodes),
				chromedp.Evaluate(`[...document.querySelectorAll('#councils tr td:nth-child(2)')].map((td) => td.textContent).sort().join(' ')`, &councilCodes),
				chromedp.Evaluate(`document.getElementById('icb').value + ' ' + document.getElementById('asof').value`, &picked),
			)
			if err != nil {
				b.check(t)
				t.Fatal(err)
			}
			want := fmt.Sprintf("%s %s %d %d", tc.icb, date, len(api.IntegratedCareSystem.Trusts), len(api.IntegratedCareSystem.Councils))
			if shown != want || picked != tc.icb+" "+date {
				t.Errorf("the page shows %q with %q picked, want %q", shown, picked, want)
			}
			var wantTrusts, wantCouncils []string
			for _, x := range api.IntegratedCareSystem.Trusts {
				wantTrusts = append(wantTrusts, x.Code)
			}
			for _, x := range api.IntegratedCareSystem.Councils {
				wantCouncils = append(wantCouncils, x.Council.Code)
			}
			if trustCodes != sortedJoin(wantTrusts) || councilCodes != sortedJoin(wantCouncils) {
				t.Errorf("trusts %q, want %q; councils %q, want %q", trustCodes, sortedJoin(wantTrusts), councilCodes, sortedJoin(wantCouncils))
			}
			if len(wantTrusts) == 0 || len(wantCouncils) == 0 {
				t.Errorf("%s on %s has no trusts or councils in the API: a weak case", tc.icb, date)
			}
			b.screenshot(t, fmt.Sprintf("frontend-example-%s-%s.png", tc.icb, date))
			b.check(t)
		})
	}
}

func postJSON(t *testing.T, h http.Handler, body string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func sortedJoin(s []string) string {
	s = slices.Clone(s)
	slices.Sort(s)
	return strings.Join(s, " ")
}
