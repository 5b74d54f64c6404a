package graph_test

import (
	"testing"

	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// TestEstimatesBoundTheData checks each declared list field's estimate (the
// cost model's bound on items per parent) against seed/data: no organisation
// has more on any date (successions: in all).
func TestEstimatesBoundTheData(t *testing.T) {
	d := loadTime(t)
	kindOfLabel := map[string]string{}
	for kind, label := range store.KindLabels {
		kindOfLabel[label] = kind
	}
	type edge struct {
		from, to kc
		span
	}
	byType := map[string][]edge{}
	for _, r := range d.rels {
		byType[r.typ] = append(byType[r.typ], edge{r.from, r.to, r.span})
	}
	for _, o := range d.overlaps {
		byType[store.RelOverlaps] = append(byType[store.RelOverlaps], edge{kc{store.KindCouncil, o.council}, o.area, o.span})
	}
	for _, r := range readCSV(t, "partners.csv") {
		byType[store.RelPartnerOf] = append(byType[store.RelPartnerOf], edge{kc{r["partner_kind"], r["partner_code"]}, kc{store.KindICS, r["icb_code"]}, span{r["valid_from"], r["valid_to"]}})
	}
	for _, s := range d.successions {
		byType[store.RelSucceededBy] = append(byType[store.RelSucceededBy], edge{s.from, s.to, span{}})
	}
	for _, k := range decl.Kinds {
		t.Run(k.TypeName, func(t *testing.T) {
			n := 0
			for o := range d.orgs {
				if o.kind == k.Value {
					n++
				}
			}
			if n > k.Most {
				t.Errorf("seed/data holds %d of kind %s; the declared bound Most is %d: raise it in internal/model", n, k.Value, k.Most)
			}
		})
		for _, f := range decl.FieldsOf(k.TypeName) {
			if f.Card != decl.Many {
				continue
			}
			t.Run(k.TypeName+"."+f.Name, func(t *testing.T) {
				reached := map[string]bool{}
				for _, l := range f.To {
					reached[kindOfLabel[l]] = true
				}
				dates := map[string]bool{}
				for _, e := range byType[f.Rel] {
					dates[e.span.from] = true
				}
				most, who := 0, kc{}
				for day := range dates {
					n := map[kc]int{}
					for _, e := range byType[f.Rel] {
						parent, other := e.from, e.to
						if f.Reverse {
							parent, other = e.to, e.from
						}
						if parent.kind == k.Value && reached[other.kind] && (e.span == span{} || e.holds(day)) {
							n[parent]++
						}
					}
					for p, c := range n {
						if c > most || (c == most && p.code < who.code) {
							most, who = c, p
						}
					}
				}
				est, _ := decl.FieldCost(k.TypeName, f.Name)
				t.Logf("at most %d (%s %s); estimate %d", most, who.kind, who.code, est)
				if most > est {
					t.Errorf("%s %s has %d on one date; the declared estimate is %d: raise it in internal/model", who.kind, who.code, most, est)
				}
			})
		}
	}
}
