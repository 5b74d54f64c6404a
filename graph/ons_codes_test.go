package graph_test

import (
	"fmt"
	"testing"

	decl "github.com/icsgraph/icsgraph/internal/model"
)

// TestLookupByEveryOnsCode: an organisation whose ONS code changed keeps
// every code it held (seed/data/ons_codes.csv), and its kind's lookup finds
// it by any of them, in any case.
func TestLookupByEveryOnsCode(t *testing.T) {
	a := newAPI(t)
	type org struct{ kind, code string }
	codes := map[org][]string{}
	for _, r := range readCSV(t, "ons_codes.csv") {
		o := org{r["kind"], r["code"]}
		codes[o] = append(codes[o], r["ons_code"])
	}
	checked := 0
	for o, held := range codes {
		if len(held) < 2 {
			continue
		}
		k, ok := decl.KindByValue(o.kind)
		if !ok {
			t.Fatalf("ons_codes.csv: unknown kind %s", o.kind)
		}
		for _, c := range held {
			t.Run(o.code+"/"+c, func(t *testing.T) {
				var r map[string]*struct{ Code string }
				a.query(fmt.Sprintf(`{ found: %s(code: %q) { code } }`, k.Lookup, c), &r)
				if r["found"] == nil || r["found"].Code != o.code {
					t.Errorf("%s(code: %q) = %+v, want %s", k.Lookup, c, r["found"], o.code)
				}
			})
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no organisation in seed/data changed its ONS code")
	}
	t.Logf("%d ONS codes held by the organisations that changed code (of %d organisations with an ONS code)", checked, len(codes))
}
