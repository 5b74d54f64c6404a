package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// normalise turns a GraphQL (or raw-Cypher) response body into canonical JSON
// so that the three servers' answers can be compared. The same rules apply to
// every server:
//
//   - a response with errors, or without data, is an error;
//   - an object whose only key is "edges" becomes the list of its edges (the
//     peer's relationship connections; our Relay lists keep their pageInfo);
//   - an edge's "properties" object (the peer's relationship properties) is
//     merged into the edge, so {node, properties: {share}} reads {node, share};
//   - "cursor", "startCursor" and "endCursor" are dropped: cursors are opaque
//     and differ by design;
//   - a top-level field holding a one-element list becomes that element and an
//     empty list becomes null (the peer looks an organisation up with a
//     filtered list query, we with a nullable field);
//   - numbers are compared to 9 significant digits;
//   - object keys are sorted (encoding/json does that for maps).
//
// List order is kept: every server is asked for the same order.
func normalise(body []byte) (string, error) {
	var resp struct {
		Data   map[string]any `json:"data"`
		Errors []any          `json:"errors"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil {
		return "", fmt.Errorf("not JSON: %.200s", body)
	}
	if len(resp.Errors) > 0 || resp.Data == nil {
		return "", fmt.Errorf("errors: %.300s", body)
	}
	out := map[string]any{}
	for k, v := range resp.Data {
		v = canonical(v)
		if list, ok := v.([]any); ok && len(list) <= 1 {
			v = nil
			if len(list) == 1 {
				v = list[0]
			}
		}
		out[k] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// canonical applies normalise's rules below the top level.
func canonical(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if edges, ok := x["edges"]; ok && len(x) == 1 {
			return canonical(edges)
		}
		out := map[string]any{}
		for k, val := range x {
			switch k {
			case "cursor", "startCursor", "endCursor":
				continue
			case "properties":
				if props, ok := val.(map[string]any); ok {
					for pk, pv := range props {
						out[pk] = canonical(pv)
					}
					continue
				}
			}
			out[k] = canonical(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canonical(e)
		}
		return out
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		if f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return int64(f)
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 9, 64), 64)
		return r
	}
	return v
}

// firstDifference describes where two canonical JSON strings first differ,
// for the report.
func firstDifference(a, b string) string {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("at byte %d: …%s… vs …%s…", i, a[from:min(len(a), i+80)], b[from:min(len(b), i+80)])
}

// summarise describes a canonical answer in a few words: its size and the
// length of each top-level list, for the report.
func summarise(canon string) string {
	var v map[string]any
	if json.Unmarshal([]byte(canon), &v) != nil {
		return ""
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(v)) {
		switch x := v[k].(type) {
		case []any:
			parts = append(parts, fmt.Sprintf("%s: %d items", k, len(x)))
		case map[string]any:
			parts = append(parts, fmt.Sprintf("%s: object", k))
		case nil:
			parts = append(parts, k+": null")
		}
	}
	return fmt.Sprintf("%d bytes; %s", len(canon), strings.Join(parts, ", "))
}
