package main

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
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
