package graph_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/icsgraph/icsgraph/internal/cypher"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// TestAreaFilterEntry checks that lists with an area filter, which enter the
// graph through the area, answer exactly what the filter as a condition on
// every organisation of the kind answers.
func TestAreaFilterEntry(t *testing.T) {
	a := newAPI(t)
	areas := map[string]string{"region": "Y56", "ics": "QWE", "subIcbLocation": "A3A8R", "county": "E10000029"}
	for _, k := range decl.Kinds {
		for _, field := range slices.Sorted(maps.Keys(k.Areas)) {
			code, ok := areas[field]
			if !ok {
				t.Fatalf("kind %s declares area filter %s, which this test has no area for", k.Value, field)
			}
			t.Run(k.List+"/"+field, func(t *testing.T) {
				q := store.ListQuery{Kind: k.Value}
				switch field {
				case "region":
					q.Filter.Region = code
				case "ics":
					q.Filter.ICS = code
				case "subIcbLocation":
					q.Filter.SubICBLocation = code
				case "county":
					q.Filter.County = code
				}
				_, newest := store.DataRange(context.Background())
				st, err := cypher.New(cypher.When{AsOf: newest, IncludeClosed: true}, nil).CountByCondition(q)
				if err != nil {
					t.Fatal(err)
				}
				rows, err := a.store.Compiled(context.Background(), st.Cypher, "", st.Params)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := rows[0]["n"].(int64)
				var got map[string]struct{ TotalCount int }
				a.query(fmt.Sprintf(`{ %s(filter: {%s: %q}, includeClosed: true) { totalCount } }`, k.List, field, code), &got)
				if int64(got[k.List].TotalCount) != want {
					t.Fatalf("%s with %s %s: %d through the area, %d by condition", k.List, field, code, got[k.List].TotalCount, want)
				}
			})
		}
	}
}
