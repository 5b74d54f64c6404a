package graph

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/crosswalk"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Crosswalks (crosswalk.graphqls, and /export/crosswalk in server/web.go):
// one computation, one validation, for the API and the CSV export.

// CrosswalkRequest is a crosswalk asked for: kinds (AreaKind values), dates
// (YYYY-MM-DD; empty = the newest date the data describes), weight
// (POPULATION or SMALL_AREAS; empty = POPULATION) and the from-areas wanted
// (none = all).
type CrosswalkRequest struct {
	FromKind, FromDate, ToKind, ToDate, Weight string
	Codes                                      []string
	// Arg names the request's arguments in errors: the API's
	// ("from.kind", "from.asOf", …) or the export's ("fromKind", …).
	Arg func(side, field string) string
}

// CrosswalkArgError is bad crosswalk input: the argument and what is wrong.
type CrosswalkArgError struct{ Arg, Msg string }

func (e *CrosswalkArgError) Error() string { return e.Arg + ": " + e.Msg }

// CrosswalkArea is an area of one side with its composition on that date.
type CrosswalkArea struct {
	Kind, Code, Name       string
	Population, SmallAreas int64
}

// CrosswalkRow is one pair.
type CrosswalkRow struct {
	From             CrosswalkArea
	To               *CrosswalkArea // nil: small areas in no area of the to-kind
	SharedPopulation int64
	SharedSmallAreas int64
	ShareOfFrom      float64
	ShareOfTo        *float64
	Derived          bool
}

// CrosswalkAnswer is a computed crosswalk.
type CrosswalkAnswer struct {
	FromKind, FromDate, ToKind, ToDate, Weight string
	Rows                                       []CrosswalkRow
	Derived                                    []string
	FromAreasWithoutSmallAreas                 []string
}

// PopulationMeasure is the small-area measure crosswalks sum.
const crosswalkMeasure = "residents2015"

// ComputeCrosswalk validates req against the pinned release and computes
// the crosswalk. Bad input is a *CrosswalkArgError naming the argument and
// what the data held then.
func ComputeCrosswalk(ctx context.Context, st *store.Store, req CrosswalkRequest) (*CrosswalkAnswer, error) {
	arg := req.Arg
	if arg == nil {
		arg = func(side, field string) string {
			if side == "" {
				return field
			}
			return side + "." + field
		}
	}
	bad := func(a, format string, args ...any) error {
		return &CrosswalkArgError{a, fmt.Sprintf(format, args...)}
	}
	dataFrom, dataTo := store.DataRange(ctx)
	ans := &CrosswalkAnswer{FromKind: strings.ToUpper(req.FromKind), ToKind: strings.ToUpper(req.ToKind), Weight: strings.ToUpper(req.Weight)}
	if ans.Weight == "" {
		ans.Weight = string(crosswalk.Population)
	}
	if ans.Weight != string(crosswalk.Population) && ans.Weight != string(crosswalk.SmallAreas) {
		return nil, bad(arg("", "weight"), "must be POPULATION or SMALL_AREAS, got %q", req.Weight)
	}
	for _, s := range []struct {
		side, kind, date string
		outKind, outDate *string
	}{{"from", ans.FromKind, req.FromDate, &ans.FromKind, &ans.FromDate}, {"to", ans.ToKind, req.ToDate, &ans.ToKind, &ans.ToDate}} {
		if !slices.Contains(crosswalk.Kinds, s.kind) {
			return nil, bad(arg(s.side, "kind"), "unknown kind %q; kinds are %s", s.kind, strings.Join(crosswalk.Kinds, ", "))
		}
		d := s.date
		if d == "" {
			d = dataTo
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil || len(d) != 10 {
			return nil, bad(arg(s.side, "asOf"), "%q is not a date: want YYYY-MM-DD", d)
		}
		if d < dataFrom || d > dataTo {
			return nil, bad(arg(s.side, "asOf"), "the data describes %s to %s; %s is outside that range", dataFrom, dataTo, d)
		}
		*s.outDate = d
	}
	data, sides, areas, err := st.CrosswalkInput(ctx, store.CrosswalkSide{Kind: ans.FromKind, AsOf: ans.FromDate}, store.CrosswalkSide{Kind: ans.ToKind, AsOf: ans.ToDate})
	if err != nil {
		return nil, err
	}
	for i, s := range []struct{ side, kind, date string }{{"from", ans.FromKind, ans.FromDate}, {"to", ans.ToKind, ans.ToDate}} {
		if held := kindsOn(data, sides[i]); len(areas[i]) == 0 || !slices.Contains(held, s.kind) {
			return nil, bad(arg(s.side, "kind"), "there were no %s areas holding small areas on %s; the kinds then were %s", s.kind, s.date, strings.Join(held, ", "))
		}
	}
	for _, c := range req.Codes {
		if _, ok := areas[0][c]; !ok {
			return nil, bad(arg("", "codes"), "no %s has the code %q on %s", ans.FromKind, c, ans.FromDate)
		}
	}
	res := data.Compute(sides[0], sides[1], crosswalk.Weight(ans.Weight), req.Codes)
	area := func(i int, kind, code, date string, totals map[string]crosswalk.Total) CrosswalkArea {
		o := areas[i][code]
		t := totals[code]
		name := o.Name
		for j, n := range o.Names {
			if j < len(o.NamesFrom) && o.NamesFrom[j] <= date && n != "" {
				name = n
			}
		}
		return CrosswalkArea{Kind: kind, Code: code, Name: name, Population: t.Population, SmallAreas: t.SmallAreas}
	}
	for _, p := range res.Pairs {
		row := CrosswalkRow{From: area(0, ans.FromKind, p.From, ans.FromDate, res.FromTotals), SharedPopulation: p.Population,
			SharedSmallAreas: p.SmallAreas, ShareOfFrom: p.ShareOfFrom, Derived: p.Derived}
		if p.To != "" {
			to := area(1, ans.ToKind, p.To, ans.ToDate, res.ToTotals)
			share := p.ShareOfTo
			row.To, row.ShareOfTo = &to, &share
		}
		ans.Rows = append(ans.Rows, row)
	}
	ans.Derived = res.Methods
	if ans.Derived == nil {
		ans.Derived = []string{}
	}
	ans.FromAreasWithoutSmallAreas = []string{}
	for _, c := range slices.Sorted(maps.Keys(areas[0])) {
		if _, ok := res.FromTotals[c]; !ok && (len(req.Codes) == 0 || slices.Contains(req.Codes, c)) {
			ans.FromAreasWithoutSmallAreas = append(ans.FromAreasWithoutSmallAreas, c)
		}
	}
	return ans, nil
}

// kindsOn lists the kinds with areas on a side's date: councils and the
// base area's kind from the small areas' memberships, the others from the
// areas above the base areas.
func kindsOn(d *crosswalk.Data, s crosswalk.Side) []string {
	have := map[string]bool{}
	for _, a := range d.SmallAreas {
		for _, sp := range a.Councils {
			if sp.From <= s.AsOf && (sp.To == "" || sp.To > s.AsOf) {
				have[crosswalk.Council] = true
			}
		}
		for _, sp := range a.Areas {
			if sp.From <= s.AsOf && (sp.To == "" || sp.To > s.AsOf) {
				have[sp.Kind] = true
			}
		}
		if len(have) >= 2 {
			break
		}
	}
	for _, m := range s.Above {
		for k := range m {
			have[k] = true
		}
	}
	var out []string
	for _, k := range crosswalk.Kinds {
		if have[k] {
			out = append(out, k)
		}
	}
	return out
}

// crosswalkError turns a CrosswalkArgError into the API's BAD_USER_INPUT.
func crosswalkError(err error) error {
	var a *CrosswalkArgError
	if errors.As(err, &a) {
		return apierr.BadInput(a.Arg, "%s", a.Msg)
	}
	return err
}

// crosswalkConnection answers Query.crosswalk: one page of pairs.
func crosswalkConnection(ctx context.Context, st *store.Store, from, to model.CrosswalkSide, weight *model.Weight, codes []string, first *int, after *string) (*model.CrosswalkConnection, error) {
	n := 500
	if first != nil {
		n = *first
	}
	if n < 0 || n > MaxFirst {
		return nil, apierr.BadInput("first", "must be between 0 and %d, got %d", MaxFirst, n)
	}
	start := 0
	if after != nil && *after != "" {
		raw, err := base64.RawURLEncoding.DecodeString(*after)
		i, ok := strings.CutPrefix(string(raw), "crosswalk:")
		if err != nil || !ok {
			return nil, apierr.BadInput("after", "not a cursor issued by this API")
		}
		if start, err = strconv.Atoi(i); err != nil || start < 0 {
			return nil, apierr.BadInput("after", "not a cursor issued by this API")
		}
		start++
	}
	req := CrosswalkRequest{FromKind: string(from.Kind), ToKind: string(to.Kind), Codes: codes}
	if from.AsOf != nil {
		req.FromDate = string(*from.AsOf)
	}
	if to.AsOf != nil {
		req.ToDate = string(*to.AsOf)
	}
	if weight != nil {
		req.Weight = string(*weight)
	}
	ans, err := ComputeCrosswalk(ctx, st, req)
	if err != nil {
		return nil, crosswalkError(err)
	}
	out := &model.CrosswalkConnection{
		FromKind: model.AreaKind(ans.FromKind), FromDate: model.Date(ans.FromDate), ToKind: model.AreaKind(ans.ToKind), ToDate: model.Date(ans.ToDate),
		Weight: model.Weight(ans.Weight), PopulationMeasure: crosswalkMeasure, Derived: ans.Derived,
		FromAreasWithoutSmallAreas: ans.FromAreasWithoutSmallAreas, TotalCount: len(ans.Rows),
		Edges: []*model.CrosswalkPairEdge{}, PageInfo: &model.PageInfo{HasPreviousPage: start > 0},
	}
	area := func(a CrosswalkArea) *model.CrosswalkArea {
		return &model.CrosswalkArea{Kind: model.AreaKind(a.Kind), Code: a.Code, Name: a.Name, Population: int(a.Population), SmallAreas: int(a.SmallAreas)}
	}
	for i := start; i < len(ans.Rows) && i < start+n; i++ {
		r := ans.Rows[i]
		p := &model.CrosswalkPair{From: area(r.From), SharedPopulation: int(r.SharedPopulation), SharedSmallAreas: int(r.SharedSmallAreas),
			ShareOfFrom: r.ShareOfFrom, ShareOfTo: r.ShareOfTo, Derived: r.Derived}
		if r.To != nil {
			p.To = area(*r.To)
		}
		c := base64.RawURLEncoding.EncodeToString([]byte("crosswalk:" + strconv.Itoa(i)))
		out.Edges = append(out.Edges, &model.CrosswalkPairEdge{Cursor: c, Node: p})
	}
	if len(out.Edges) > 0 {
		out.PageInfo.StartCursor = &out.Edges[0].Cursor
		out.PageInfo.EndCursor = &out.Edges[len(out.Edges)-1].Cursor
	}
	out.PageInfo.HasNextPage = start+n < len(ans.Rows)
	return out, nil
}
