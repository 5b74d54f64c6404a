package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/icsgraph/icsgraph/graph"
	"github.com/icsgraph/icsgraph/internal/store"
)

// crosswalkColumns are the columns of /export/crosswalk, one row per pair.
var crosswalkColumns = []string{"from_kind", "from_code", "from_name", "from_date", "to_kind", "to_code", "to_name", "to_date",
	"weight", "shared_population", "shared_small_areas", "share_of_from", "share_of_to", "derived"}

// maxCrosswalkCodes bounds the codes argument (as the API's lists).
const maxCrosswalkCodes = graph.MaxFirst

// crosswalkHandler answers GET /export/crosswalk?fromKind=&fromDate=&toKind=
// &toDate=&weight=&codes=: Query.crosswalk as CSV (every pair, no paging;
// a crosswalk has at most a few thousand pairs), with the API's validation
// and the exports' JSON errors. Rows whose to-area is empty are the
// from-area's small areas in no area of the to-kind on the to-date.
func crosswalkHandler(st *store.Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		get := func(name string) string { return strings.TrimSpace(q.Get(name)) }
		req := graph.CrosswalkRequest{FromKind: get("fromKind"), FromDate: get("fromDate"), ToKind: get("toKind"), ToDate: get("toDate"),
			Weight: get("weight"), Arg: func(side, field string) string {
				if side == "" {
					return field
				}
				return side + map[string]string{"kind": "Kind", "asOf": "Date"}[field]
			}}
		for _, a := range []string{"fromKind", "toKind"} {
			if get(a) == "" {
				exportError(w, r, badArg(a, "required, e.g. %s=CCG", a), logger)
				return
			}
		}
		for _, v := range q["codes"] {
			for _, c := range strings.Split(v, ",") {
				if c = strings.TrimSpace(c); c != "" {
					req.Codes = append(req.Codes, c)
				}
			}
		}
		if len(req.Codes) > maxCrosswalkCodes {
			exportError(w, r, badArg("codes", "at most %d codes, got %d", maxCrosswalkCodes, len(req.Codes)), logger)
			return
		}
		ans, err := graph.ComputeCrosswalk(r.Context(), st, req)
		var bad *graph.CrosswalkArgError
		if errors.As(err, &bad) {
			err = argError{bad.Arg, bad.Msg}
		}
		if err != nil {
			exportError(w, r, err, logger)
			return
		}
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		_ = cw.Write(crosswalkColumns)
		num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
		for _, p := range ans.Rows {
			toCode, toName, toKind, shareTo := "", "", "", ""
			if p.To != nil {
				toCode, toName, toKind = p.To.Code, p.To.Name, p.To.Kind
			}
			if p.ShareOfTo != nil {
				shareTo = num(*p.ShareOfTo)
			}
			if toKind == "" {
				toKind = ans.ToKind
			}
			_ = cw.Write([]string{ans.FromKind, p.From.Code, p.From.Name, ans.FromDate, toKind, toCode, toName, ans.ToDate, ans.Weight,
				strconv.FormatInt(p.SharedPopulation, 10), strconv.FormatInt(p.SharedSmallAreas, 10), num(p.ShareOfFrom), shareTo, strconv.FormatBool(p.Derived)})
		}
		cw.Flush()
		name := safeName(fmt.Sprintf("crosswalk-%s-%s-%s-%s", strings.ToLower(ans.FromKind), ans.FromDate, strings.ToLower(ans.ToKind), ans.ToDate))
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="icsgraph-%s.csv"`, name))
		h.Set("Content-Length", strconv.Itoa(buf.Len()))
		_, _ = w.Write(buf.Bytes())
	})
}
