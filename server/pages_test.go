package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// The pages in a real headless Chromium (Debian's package), with every
// request to a host other than the test server blocked by the resolver and
// reported as a failure; the page's console must stay free of errors.
// Screenshots go to $ARTIFACTS_DIR or test-artifacts/ at the repository root.

// chromium finds the browser: $CHROMIUM, else chromium on the PATH. Under
// CI=true a missing browser fails the test.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is required (apt-get install -y chromium; .ci/run installs it)")
	}
	t.Skip("chromium not found (apt-get install -y chromium)")
	return ""
}

func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "test-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser is one headless Chromium with a fresh profile, watching what the
// pages request and log.
type browser struct {
	ctx      context.Context
	host     string // the test server's host:port
	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T, serverURL string) *browser {
	t.Helper()
	exe := chromium(t)
	u, _ := url.Parse(serverURL)
	// Chromium's helper processes may still write to the profile for a
	// moment after the browser exits, so the folder is removed with a few
	// retries (registered first: cleanups run last-in first-out, after the
	// browser's).
	profile, err := os.MkdirTemp("", "icsgraph-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; ; i++ {
			err := os.RemoveAll(profile)
			if err == nil {
				return
			}
			if i == 30 {
				t.Logf("the Chromium profile %s is left behind: %v", profile, err)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b := &browser{ctx: ctx, host: u.Host}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			r, err := url.Parse(e.Request.URL)
			if err != nil || (r.Scheme != "data" && r.Scheme != "blob" && r.Host != b.host) {
				b.problem("request to another host: %s", e.Request.URL)
			}
		case *cdpruntime.EventConsoleAPICalled:
			if e.Type == cdpruntime.APITypeError || e.Type == cdpruntime.APITypeAssert {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				b.problem("console.%s: %s", e.Type, strings.Join(parts, " "))
			}
		case *cdpruntime.EventExceptionThrown:
			b.problem("uncaught exception: %s", e.ExceptionDetails.Error())
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.LevelError {
				b.problem("console error (%s): %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
			}
		}
	})
	if err := chromedp.Run(ctx, network.Enable(), cdplog.Enable(), cdpruntime.Enable()); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	return b
}

func (b *browser) problem(format string, a ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, a...))
}

// check fails the test with every problem seen so far.
func (b *browser) check(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Error(p)
	}
	b.problems = nil
}

// visible is JavaScript for the first element matching the CSS selector
// that is laid out on screen (GraphiQL also renders its plugin pane off
// screen to measure it), or null.
func visible(selector string) string {
	return fmt.Sprintf(`([...document.querySelectorAll(%q)].find((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.left >= 0; }) || null)`, selector)
}

// poll waits until the JavaScript expression is true.
func poll(expr string) chromedp.Action {
	return chromedp.Poll(expr, nil, chromedp.WithPollingTimeout(30*time.Second))
}

func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot(&png)); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	p := filepath.Join(artifactsDir(t), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

func TestPagesInChromium(t *testing.T) {
	st := neo4jtest.Store(t)
	srv := httptest.NewServer(newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	b := newBrowser(t, srv.URL)

	t.Run("GraphiQL loads, shows the schema's description and runs a query", func(t *testing.T) {
		var result, docs string
		err := chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/"),
			chromedp.WaitVisible(".graphiql-container", chromedp.ByQuery),
			poll(`!!document.querySelector('.graphiql-execute-button')`),
			chromedp.Click(".graphiql-execute-button", chromedp.ByQuery),
			poll(`(document.querySelector('.result-window')?.innerText || '').includes('"neighbourhood"')`),
			chromedp.Text(".result-window", &result, chromedp.ByQuery),
			chromedp.Evaluate(`[...document.querySelectorAll('button')].find(b => (b.getAttribute('aria-label') || '').includes('Documentation Explorer')).click()`, nil),
			poll(`(document.querySelector('.graphiql-doc-explorer')?.innerText || '').includes('integrated care landscape')`),
			chromedp.Text(".graphiql-doc-explorer", &docs, chromedp.ByQuery),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		if !strings.Contains(result, "NHS South West London") || strings.Contains(result, `"errors"`) {
			t.Errorf("GraphiQL result: %.300s", result)
		}
		if !strings.Contains(docs, "England's integrated care landscape as a graph") {
			t.Errorf("docs pane: %.300s", docs)
		}
		var icon string
		_ = chromedp.Run(b.ctx, chromedp.Evaluate(`document.querySelector('link[rel=icon]').href`, &icon))
		if !strings.HasSuffix(icon, "/assets/favicon.svg") {
			t.Errorf("favicon link %q", icon)
		}
		b.screenshot(t, "graphiql.png")
		b.check(t)
	})

	t.Run("GraphiQL's explorer builds a query by clicking fields, and it runs", func(t *testing.T) {
		var api struct{ Release struct{ DataTo string } }
		gqlPost(t, srv.Config.Handler, `{ release { dataTo } }`, &api)
		var query, result string
		err := chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/"),
			// the page opens the Explorer, unless another pane was open last time
			poll(`!!document.querySelector('button[aria-label$="GraphiQL Explorer"]')`),
			chromedp.Evaluate(`document.querySelector('button[aria-label="Show GraphiQL Explorer"]')?.click()`, nil),
			poll(visible(`[data-field-name="release"]`)+` !== null`),
			// a new tab (it opens with the welcome query), emptied as a user would
			chromedp.Evaluate(`window.tabsBefore = document.querySelectorAll('.graphiql-tab').length`, nil),
			chromedp.Click(".graphiql-tab-add", chromedp.ByQuery),
			poll(`document.querySelectorAll('.graphiql-tab').length === window.tabsBefore + 1`),
			poll(`(() => { const cm = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror;
				if (cm.getValue() !== '') cm.setValue('');
				return cm.getValue() === '' && `+visible(`[data-field-name="release"]`)+` !== null; })()`),
			chromedp.Sleep(300*time.Millisecond), // the explorer reads the emptied query

			chromedp.Evaluate(visible(`[data-field-name="release"]`)+`.click()`, nil),
			poll(visible(`[data-field-name="dataTo"]`)+` !== null`),
			chromedp.Evaluate(visible(`[data-field-name="dataTo"]`)+`.click()`, nil),
			poll(`/dataTo/.test(document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue())`),
			chromedp.Evaluate(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()`, &query),
			chromedp.Click(".graphiql-execute-button", chromedp.ByQuery),
			poll(`(document.querySelector('.result-window')?.innerText || '').includes('"dataTo"')`),
			chromedp.Text(".result-window", &result, chromedp.ByQuery),
		)
		if err != nil {
			b.check(t)
			b.screenshot(t, "graphiql-explorer-failed.png")
			t.Fatal(err)
		}
		if !strings.Contains(query, "release") || !strings.Contains(result, `"dataTo": "`+api.Release.DataTo+`"`) {
			t.Errorf("the explorer built\n%s\nwhich answered\n%.300s\n(want dataTo %s)", query, result, api.Release.DataTo)
		}
		b.screenshot(t, "graphiql-explorer.png")
		b.check(t)
	})

	t.Run("GraphiQL offers the examples/ queries and runs one", func(t *testing.T) {
		files, err := filepath.Glob(filepath.Join("..", "examples", "*.graphql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("examples: %v %v", files, err)
		}
		want, err := os.ReadFile(filepath.Join("..", "examples", "split_council.graphql"))
		if err != nil {
			t.Fatal(err)
		}
		var offered int
		var query, result string
		err = chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/"),
			poll(`!!document.querySelector('button[aria-label="Show Examples"]')`),
			chromedp.Click(`button[aria-label="Show Examples"]`, chromedp.ByQuery),
			poll(visible(`button.ics-example[data-file="examples/split_council.graphql"]`)+` !== null`),
			chromedp.Evaluate(`document.querySelectorAll('.graphiql-plugin button.ics-example').length / document.querySelectorAll('.graphiql-plugin .ics-examples').length`, &offered),
			chromedp.Evaluate(visible(`button.ics-example[data-file="examples/split_council.graphql"]`)+`.click()`, nil),
			poll(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue().includes('E07000244')`),
			chromedp.Evaluate(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()`, &query),
			chromedp.Click(".graphiql-execute-button", chromedp.ByQuery),
			poll(`(document.querySelector('.result-window')?.innerText || '').includes('East Suffolk')`),
			chromedp.Text(".result-window", &result, chromedp.ByQuery),
		)
		if err != nil {
			b.check(t)
			b.screenshot(t, "graphiql-examples-failed.png")
			t.Fatal(err)
		}
		if offered != len(files) {
			t.Errorf("the Examples pane offers %d queries, examples/ holds %d", offered, len(files))
		}
		if query != string(want) {
			t.Errorf("the opened example differs from examples/split_council.graphql:\n%s", query)
		}
		if strings.Contains(result, `"errors"`) {
			t.Errorf("the example answered %.300s", result)
		}
		// then an anonymous one, from the tab of a named one
		var anon string
		err = chromedp.Run(b.ctx,
			chromedp.Evaluate(visible(`button.ics-example[data-file="examples/lineage_bristol.graphql"]`)+`.click()`, nil),
			poll(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue().includes('11H')`),
			chromedp.Click(".graphiql-execute-button", chromedp.ByQuery),
			poll(`(document.querySelector('.result-window')?.innerText || '').includes('"lineage"') || (document.querySelector('.result-window')?.innerText || '').includes('"errors"')`),
			chromedp.Text(".result-window", &anon, chromedp.ByQuery),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		if strings.Contains(anon, `"errors"`) || !strings.Contains(anon, "NHS Bristol CCG") {
			t.Errorf("the anonymous example answered %.600q", anon)
		}
		b.screenshot(t, "graphiql-examples.png")
		b.check(t)
	})

	t.Run("/schema.graphql parses with graphql-js and equals the introspected schema", func(t *testing.T) {
		var res struct {
			Equal             bool
			SDL, Introspected int
			Deprecated, Descr int
			FirstDiff         string
		}
		err := chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/"),
			poll(`!!window.icsGraphiQL`),
			chromedp.Evaluate(`(async () => {
				const g = window.icsGraphiQL;
				const sdl = await (await fetch('/schema.graphql')).text();
				const r = await fetch('/graphql', { method: 'POST', headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ query: g.getIntrospectionQuery({ descriptions: true, schemaDescription: true, inputValueDeprecation: true, directiveIsRepeatable: true, specifiedByUrl: true }) }) });
				const intro = (await r.json()).data;
				const a = g.printSchema(g.lexicographicSortSchema(g.buildSchema(sdl)));
				const b = g.printSchema(g.lexicographicSortSchema(g.buildClientSchema(intro)));
				let i = 0; while (i < a.length && a[i] === b[i]) i++;
				return { equal: a === b, sdl: a.length, introspected: b.length,
					deprecated: (a.match(/@deprecated/g) || []).length, descr: (a.match(/"""/g) || []).length,
					firstDiff: a === b ? '' : a.slice(Math.max(0, i - 80), i + 80) + ' <> ' + b.slice(Math.max(0, i - 80), i + 80) };
			})()`, &res, func(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams { return p.WithAwaitPromise(true) }),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		if !res.Equal || res.SDL < 10000 || res.Deprecated == 0 || res.Descr == 0 {
			t.Errorf("/schema.graphql vs introspection: equal %v, %d vs %d characters, %d deprecations, %d block descriptions; first difference: %s",
				res.Equal, res.SDL, res.Introspected, res.Deprecated, res.Descr, res.FirstDiff)
		}
		b.check(t)
	})

	t.Run("explore draws a neighbourhood, searches and links exports", func(t *testing.T) {
		var api struct {
			Neighbourhood struct{ Nodes []struct{ ID string } }
		}
		gqlPost(t, srv.Config.Handler, `{ neighbourhood(code: "QWE", depth: 2) { nodes { id } } }`, &api)
		var drawn string
		var canvases, exports int
		var status string
		err := chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/explore?code=QWE&depth=2"),
			poll(`!!document.body.dataset.drawn`),
			chromedp.Evaluate(`document.body.dataset.drawn`, &drawn),
			chromedp.Evaluate(`document.querySelectorAll('#cy canvas').length`, &canvases),
			chromedp.Evaluate(`document.querySelectorAll('#exports a.export').length`, &exports),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		if drawn != fmt.Sprint(len(api.Neighbourhood.Nodes)) || canvases == 0 || exports != 4 {
			t.Errorf("explore drew %s nodes (API: %d) on %d canvases, %d export links", drawn, len(api.Neighbourhood.Nodes), canvases, exports)
		}
		b.screenshot(t, "explore.png")
		// Click a node on the canvas (a real mouse click where cytoscape drew
		// it): its neighbourhood is added (a PCN at depth 2: its practices are new).
		var pos []float64
		var before, after int
		err = chromedp.Run(b.ctx,
			chromedp.Evaluate(`(() => { const cy = window.icsExplore.cy; const n = cy.nodes().filter(n => n.data('kind') === 'PCN')[0];
				const box = document.getElementById('cy').getBoundingClientRect(); const p = n.renderedPosition();
				return [box.left + p.x, box.top + p.y]; })()`, &pos),
			chromedp.Evaluate(`window.icsExplore.cy.nodes().length`, &before),
		)
		if err == nil && len(pos) == 2 {
			err = chromedp.Run(b.ctx, chromedp.MouseClickXY(pos[0], pos[1]))
		}
		if err == nil {
			err = chromedp.Run(b.ctx,
				poll(`document.getElementById('status').innerText.includes('added by expanding')`),
				chromedp.Evaluate(`window.icsExplore.cy.nodes().length`, &after),
			)
		}
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		if after <= before {
			t.Errorf("expanding a PCN (its practices lie one hop further) left %d nodes (was %d)", after, before)
		}
		b.screenshot(t, "explore-expanded.png")
		// Search, pick the first result: a new neighbourhood is drawn.
		err = chromedp.Run(b.ctx,
			chromedp.SendKeys("#q", "Frimley", chromedp.ByQuery),
			chromedp.WaitVisible("#results button", chromedp.ByQuery),
			chromedp.Click("#results button", chromedp.ByQuery),
			poll(`document.getElementById('status').innerText.includes('organisations') && !!document.getElementById('maplink')`),
			chromedp.Text("#status", &status, chromedp.ByQuery),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		b.screenshot(t, "explore-search.png")
		b.check(t)
	})

	t.Run("map draws every ICB and highlights a selection", func(t *testing.T) {
		// Expected from the data: the shapes in the converted boundaries, and
		// the API's ICSs whose ONS code is among them.
		raw, err := os.ReadFile(filepath.Join("..", "web", "geo", "icb26.json"))
		if err != nil {
			t.Fatal(err)
		}
		var geo struct {
			Features []struct{ Properties struct{ ICB26CD string } }
		}
		if err := json.Unmarshal(raw, &geo); err != nil {
			t.Fatal(err)
		}
		codes := map[string]bool{}
		for _, f := range geo.Features {
			codes[f.Properties.ICB26CD] = true
		}
		var api struct {
			IntegratedCareSystems struct {
				Edges []struct {
					Node struct{ Code, OnsCode, Name string }
				}
			}
		}
		gqlPost(t, srv.Config.Handler, `{ integratedCareSystems(first: 100) { edges { node { code onsCode name } } } }`, &api)
		matched, pick, pickName := 0, "", ""
		for _, e := range api.IntegratedCareSystems.Edges {
			if codes[e.Node.OnsCode] {
				matched++
				if pick == "" {
					pick, pickName = e.Node.Code, e.Node.Name
				}
			}
		}
		var shapes, selected int
		var gotMatched, selectedText string
		err = chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/map?select="+pick), // an ICS on the April 2026 map
			poll(`document.body.dataset.ready === 'true'`),
			chromedp.Evaluate(`document.querySelectorAll('#mapbox svg path.icb').length`, &shapes),
			chromedp.Evaluate(`document.querySelectorAll('path.icb.selected').length`, &selected),
			chromedp.Evaluate(`document.body.dataset.matched`, &gotMatched),
			chromedp.Text("#selected", &selectedText, chromedp.ByQuery),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		if shapes != len(geo.Features) || shapes != 36 {
			t.Errorf("map drew %d ICBs, the boundaries hold %d (want 36)", shapes, len(geo.Features))
		}
		if gotMatched != fmt.Sprint(matched) {
			t.Errorf("map matched %s ICBs to the API's ICSs, want %d", gotMatched, matched)
		}
		if selected != 1 || !strings.Contains(selectedText, pickName) {
			t.Errorf("selection: %d shapes highlighted, panel %q", selected, selectedText)
		}
		b.screenshot(t, "map.png")
		for _, m := range []string{"population", "alliance", "largest"} {
			if err := chromedp.Run(b.ctx, chromedp.SetValue("#measure", m, chromedp.ByQuery),
				chromedp.Evaluate(`document.getElementById('measure').dispatchEvent(new Event('change'))`, nil),
				poll(`document.querySelectorAll('path.icb:not(.nodata)').length > 0`)); err != nil {
				t.Fatal(err)
			}
		}
		b.screenshot(t, "map-largest-split-share.png")
		b.check(t)
	})
}
