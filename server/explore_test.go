package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// labelStats measures, in the page, how the drawn node labels sit: every
// node's label box (cytoscape's boundingBox with labels only, in model
// coordinates, so independent of the zoom) against every other's. Labels
// shown only on hover or when zoomed in are measured as if shown: the
// figure is the layout's, not the zoom's.
type labelStats struct {
	Nodes int `json:"nodes"`
	// Pairs of labels whose boxes intersect at all, and those overlapping
	// by more than 10% of the smaller box.
	Overlapping int `json:"overlapping"`
	Over10      int `json:"over10"`
	// The largest overlap of two labels as a fraction of the smaller box.
	Worst float64 `json:"worst"`
	// Labels visible at the zoom the page shows (rendered font size at
	// least cytoscape's min-zoomed-font-size), and pairs of those that
	// intersect.
	Visible            int `json:"visible"`
	VisibleOverlapping int `json:"visibleOverlapping"`
}

const labelStatsJS = `(() => {
  const cy = window.icsExplore.cy;
  const zoom = cy.zoom();
  const boxes = cy.nodes().filter((n) => n.visible()).map((n) => {
    const b = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
    const fs = parseFloat(n.style('font-size')) || 0;
    const minFs = parseFloat(n.style('min-zoomed-font-size')) || 0;
    const shown = n.style('label') !== '' && n.style('text-opacity') !== '0' && fs * zoom >= minFs;
    return { b, shown };
  }).filter((x) => x.b.w > 0 && x.b.h > 0);
  let overlapping = 0, over10 = 0, worst = 0, visOverlap = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].b, c = boxes[j].b;
    const w = Math.min(a.x2, c.x2) - Math.max(a.x1, c.x1), h = Math.min(a.y2, c.y2) - Math.max(a.y1, c.y1);
    if (w <= 0 || h <= 0) continue;
    const f = (w * h) / Math.min(a.w * a.h, c.w * c.h);
    overlapping++;
    if (f > 0.1) over10++;
    if (f > worst) worst = f;
    if (boxes[i].shown && boxes[j].shown) visOverlap++;
  }
  return { nodes: cy.nodes().length, overlapping, over10, worst, visible: boxes.filter((x) => x.shown).length, visibleOverlapping: visOverlap };
})()`

func (b *browser) labelStats(t *testing.T) labelStats {
	t.Helper()
	var raw json.RawMessage
	if err := chromedp.Run(b.ctx, chromedp.Evaluate(labelStatsJS, &raw)); err != nil {
		t.Fatal(err)
	}
	var s labelStats
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// Bounds the explore view is held to at depth 2 around a split council.
const (
	maxLabelOverlap = 0.10 // no two label boxes overlap by more than 10% of the smaller
	maxLayoutMs     = 4000 // fcose and the label separation, in headless Chromium on a shared CI core
)

func TestExploreThroughTimeInChromium(t *testing.T) {
	st := neo4jtest.Store(t)
	srv := httptest.NewServer(newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	var rel struct {
		Release struct{ DataFrom, DataTo string }
	}
	gqlPost(t, srv.Config.Handler, `{ release { dataFrom dataTo } }`, &rel)

	t.Run("labels kept apart at depth 2 and 3 around a split council, laid out in time", func(t *testing.T) {
		for _, depth := range []int{2, 3} {
			var api struct {
				Neighbourhood struct{ Nodes []struct{ ID string } }
			}
			gqlPost(t, srv.Config.Handler, fmt.Sprintf(`{ neighbourhood(code: "E07000244", depth: %d, asOf: "2026-03-31") { nodes { id } } }`, depth), &api)
			var drawn, ms string
			err := chromedp.Run(b.ctx,
				chromedp.Navigate(fmt.Sprintf("%s/explore?code=E07000244&depth=%d&asOf=2026-03-31", srv.URL, depth)),
				poll(`!!document.body.dataset.drawn`),
				chromedp.Evaluate(`document.body.dataset.drawn`, &drawn),
				chromedp.Evaluate(`document.body.dataset.layoutMs`, &ms),
			)
			if err != nil {
				b.check(t)
				t.Fatal(err)
			}
			s := b.labelStats(t)
			t.Logf("depth %d: %s organisations, label boxes: %d pairs intersect, %d over 10%%, worst %.1f%%; %d labels visible at the fitted zoom, %d of them intersecting; layout %s ms",
				depth, drawn, s.Overlapping, s.Over10, 100*s.Worst, s.Visible, s.VisibleOverlapping, ms)
			if drawn != fmt.Sprint(len(api.Neighbourhood.Nodes)) || s.Nodes != len(api.Neighbourhood.Nodes) {
				t.Errorf("drew %s (%d in cytoscape), the API has %d", drawn, s.Nodes, len(api.Neighbourhood.Nodes))
			}
			if depth == 2 {
				var layoutMs float64
				fmt.Sscan(ms, &layoutMs)
				if s.Worst > maxLabelOverlap {
					t.Errorf("labels overlap by up to %.1f%% of the smaller box (bound %.0f%%)", 100*s.Worst, 100*maxLabelOverlap)
				}
				if layoutMs <= 0 || layoutMs > maxLayoutMs {
					t.Errorf("layout took %s ms (bound %d ms)", ms, maxLayoutMs)
				}
			}
			b.screenshot(t, fmt.Sprintf("explore-E07000244-depth%d-2026-03-31.png", depth))
		}
		b.check(t)
	})

	t.Run("filters by kind and relationship type", func(t *testing.T) {
		var councils, hiddenCouncils, overlaps, hiddenEdges int
		// cytoscape recomputes styles after the change event's batch: each
		// count waits up to 5 s for everything to be hidden, then counts
		// whatever it shows (the check below says what failed).
		hiddenPCNs := `window.icsExplore.cy.nodes('[kind = "PCN"]').filter((n) => !n.visible())`
		hidden := `window.icsExplore.cy.edges('[type = "OVERLAPS"]').filter((e) => !e.visible())`
		settle := func(hidden, all string) chromedp.Action {
			return chromedp.ActionFunc(func(ctx context.Context) error {
				_ = chromedp.Poll(hidden+`.length === `+all+`.length`, nil, chromedp.WithPollingTimeout(5*time.Second)).Do(ctx)
				return nil
			})
		}
		err := chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/explore?code=E07000244&depth=2&asOf=2026-03-31"),
			poll(`!!document.body.dataset.drawn`),
			chromedp.Evaluate(`window.icsExplore.cy.nodes('[kind = "PCN"]').length`, &councils),
			chromedp.Evaluate(`document.querySelector('#kindfilter input[data-kind="PCN"]').click()`, nil),
			settle(hiddenPCNs, `window.icsExplore.cy.nodes('[kind = "PCN"]')`),
			chromedp.Evaluate(hiddenPCNs+`.length`, &hiddenCouncils),
			chromedp.Evaluate(`window.icsExplore.cy.edges('[type = "OVERLAPS"]').length`, &overlaps),
			chromedp.Evaluate(`document.querySelector('#typefilter input[data-type="OVERLAPS"]').click()`, nil),
			settle(hidden, `window.icsExplore.cy.edges('[type = "OVERLAPS"]')`),
			chromedp.Evaluate(hidden+`.length`, &hiddenEdges),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		if councils == 0 || hiddenCouncils != councils || overlaps == 0 || hiddenEdges != overlaps {
			t.Errorf("unticking PCN hid %d of %d PCNs; unticking OVERLAPS hid %d of %d edges", hiddenCouncils, councils, hiddenEdges, overlaps)
		}
		b.screenshot(t, "explore-filtered.png")
		b.check(t)
	})

	t.Run("the date starts at the data's newest date", func(t *testing.T) {
		var value string
		err := chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/explore?code=QWE&depth=1"),
			poll(`!!document.body.dataset.drawn`),
			chromedp.Evaluate(`document.getElementById('asof').value`, &value),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		if value != rel.Release.DataTo {
			t.Errorf("the date control starts at %q, the data's newest date is %s", value, rel.Release.DataTo)
		}
		b.check(t)
	})

	t.Run("a selected area shows its population and small areas as of the drawn date", func(t *testing.T) {
		// D9Y0V gained Hart and Rushmoor from Frimley on 2026-04-01: its
		// figures differ on the two sides, and the panel follows the date.
		for _, on := range []string{"2026-03-31", "2026-04-01"} {
			var api struct {
				SubIcbLocation struct {
					Population, SmallAreas int
				}
			}
			gqlPost(t, srv.Config.Handler, fmt.Sprintf(`{ subIcbLocation(code: "D9Y0V", asOf: %q) { population smallAreas } }`, on), &api)
			var pop, areas string
			err := chromedp.Run(b.ctx,
				chromedp.Navigate(srv.URL+"/explore?code=D9Y0V&depth=1&asOf="+on),
				poll(`!!document.body.dataset.drawn`),
				chromedp.Evaluate(`window.icsExplore.cy.nodes().filter((n) => n.data('code') === 'D9Y0V')[0].emit('tap'), true`, nil),
				poll(`!!document.getElementById('sel-population')`),
				chromedp.Evaluate(`document.getElementById('sel-population').textContent.replace(/,/g, '')`, &pop),
				chromedp.Evaluate(`document.getElementById('sel-smallareas').textContent.replace(/,/g, '')`, &areas),
			)
			if err != nil {
				b.check(t)
				t.Fatal(err)
			}
			if pop != fmt.Sprint(api.SubIcbLocation.Population) || areas != fmt.Sprint(api.SubIcbLocation.SmallAreas) {
				t.Errorf("on %s the panel shows %s residents, %s small areas; the API answers %d, %d", on, pop, areas, api.SubIcbLocation.Population, api.SubIcbLocation.SmallAreas)
			}
		}
		b.check(t)
	})

	t.Run("play steps through the 2022 and 2026 changes of a merged ICB, listed with sources", func(t *testing.T) {
		// The API's changes to QMJ on its two dates, computed here from the
		// lineage: its creation from the STP (July 2022) and its merger (April 2026).
		var lin struct {
			Lineage struct {
				Successions []struct {
					Predecessor, Successor struct{ Code string }
					Date                   string
					Source                 *struct{ ID string }
				}
			}
		}
		gqlPost(t, srv.Config.Handler, `{ lineage(code: "QMJ", kind: ICS) { successions { predecessor { code } successor { code } date source { id } } } }`, &lin)
		var sources []string
		years := map[string]bool{}
		for _, s := range lin.Lineage.Successions {
			years[s.Date[:4]] = true
			if s.Source != nil {
				sources = append(sources, s.Source.ID)
			}
		}
		if !years["2022"] || !years["2026"] {
			t.Fatalf("QMJ's lineage has successions in %v; the test wants 2022 and 2026", years)
		}
		var played, panel string
		err := chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/explore?code=QMJ&depth=1&asOf=2026-03-31&playDelay=50"),
			poll(`!!document.body.dataset.drawn && document.body.dataset.changes !== undefined`),
			chromedp.Text("#changes", &panel, chromedp.ByQuery),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		b.screenshot(t, "explore-QMJ-changes.png")
		for _, src := range sources {
			if !strings.Contains(panel, "["+src+"]") {
				t.Errorf("the changes panel does not cite %s:\n%.1500s", src, panel)
			}
		}
		err = chromedp.Run(b.ctx,
			chromedp.Click("#play", chromedp.ByQuery),
			chromedp.Poll(`!window.icsExplore.state.playing && !!document.body.dataset.played`, nil, chromedp.WithPollingTimeout(80*time.Second)),
			chromedp.Evaluate(`document.body.dataset.played`, &played),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		t.Logf("play stepped through %s", played)
		var got2022, got2026 bool
		for _, s := range lin.Lineage.Successions {
			got2022 = got2022 || (strings.HasPrefix(s.Date, "2022") && strings.Contains(played, s.Date))
			got2026 = got2026 || (strings.HasPrefix(s.Date, "2026") && strings.Contains(played, s.Date))
		}
		if !got2022 || !got2026 {
			t.Errorf("play stepped through %q; want QMJ's 2022 and 2026 succession dates", played)
		}
		b.screenshot(t, "explore-QMJ-played.png")
		b.check(t)
	})

	t.Run("downloads the view as PNG and SVG", func(t *testing.T) {
		var png, svg string
		var circles, visibleNodes int
		err := chromedp.Run(b.ctx,
			chromedp.Navigate(srv.URL+"/explore?code=E07000244&depth=2&asOf=2026-03-31"),
			poll(`!!document.body.dataset.drawn`),
			chromedp.Click("#png", chromedp.ByQuery),
			poll(`(document.body.dataset.download || '').includes('.png')`),
			chromedp.Evaluate(`document.body.dataset.download`, &png),
			chromedp.Click("#svg", chromedp.ByQuery),
			poll(`(document.body.dataset.download || '').includes('.svg')`),
			chromedp.Evaluate(`document.body.dataset.download`, &svg),
			chromedp.Evaluate(`new DOMParser().parseFromString(window.icsExplore.svg(), 'image/svg+xml').querySelectorAll('circle').length`, &circles),
			chromedp.Evaluate(`window.icsExplore.cy.nodes(':visible').length`, &visibleNodes),
		)
		if err != nil {
			b.check(t)
			t.Fatal(err)
		}
		var pngName, svgName string
		var pngSize, svgSize int
		fmt.Sscan(png, &pngName, &pngSize)
		fmt.Sscan(svg, &svgName, &svgSize)
		if pngName != "icsgraph-E07000244-depth2-2026-03-31.png" || pngSize < 10000 || !strings.HasSuffix(svgName, ".svg") || svgSize < 1000 || circles != visibleNodes {
			t.Errorf("downloads: %q, %q; the SVG has %d circles for %d visible nodes", png, svg, circles, visibleNodes)
		}
		b.check(t)
	})
}
