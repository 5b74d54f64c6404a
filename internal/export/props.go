package export

import (
	"time"

	"github.com/icsgraph/icsgraph/internal/model"
)

// Internal properties are never exported: searchText is what the full-text
// index reads (name and codes again), release names the load, and a dated
// property's Changed date is its lists' last date again (model.Dated).
var internal = func() map[string]bool {
	out := map[string]bool{"searchText": true, "release": true}
	for _, d := range model.DatedProps {
		out[d.Changed] = true
	}
	return out
}()

// Edge properties whose names the formats reserve for the edge itself are
// renamed: a relationship's `source` (the id of the dataset it comes from)
// becomes `dataSource`, since `source` is the edge's start node in every
// format; the others get a `property_` prefix.
var edgeRenames = map[string]string{"source": "dataSource", "target": "property_target", "id": "property_id", "type": "property_type", "interaction": "property_interaction", "label": "property_label"}

// nodeRenames does the same for nodes ("label" is the name in GraphML and Cytoscape).
var nodeRenames = map[string]string{"id": "property_id", "label": "property_label"}

// NodeFromProps builds a node from an organisation's property map: the core
// fields (kind, code, onsCode, name, validFrom, validTo) and every other
// non-internal property as an attribute. Dates stored as Neo4j dates become
// ISO strings.
func NodeFromProps(id string, p map[string]any) Node {
	n := Node{ID: id, Attributes: map[string]any{}}
	for k, v := range p {
		if internal[k] || v == nil {
			continue
		}
		switch k {
		case "kind":
			n.Kind = str(v)
		case "code":
			n.Code = str(v)
		case "onsCode":
			n.OnsCode = str(v)
		case "name":
			n.Name = str(v)
		case "validFrom":
			n.ValidFrom = str(v)
		case "validTo":
			n.ValidTo = str(v)
		default:
			if r, ok := nodeRenames[k]; ok {
				k = r
			}
			n.Attributes[k] = plain(v)
		}
	}
	return n
}

// EdgeFromProps builds an edge from a relationship's type and property map.
func EdgeFromProps(id, typ, source, target string, p map[string]any) Edge {
	e := Edge{ID: id, Type: typ, Source: source, Target: target, Attributes: map[string]any{}}
	for k, v := range p {
		if internal[k] || v == nil {
			continue
		}
		switch k {
		case "validFrom":
			e.ValidFrom = str(v)
		case "validTo":
			e.ValidTo = str(v)
		default:
			if r, ok := edgeRenames[k]; ok {
				k = r
			}
			e.Attributes[k] = plain(v)
		}
	}
	return e
}

type dater interface{ Time() time.Time }

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case dater:
		return x.Time().Format(time.DateOnly)
	}
	return text(v)
}

// plain turns driver values into strings, numbers, booleans or lists of them.
func plain(v any) any {
	switch x := v.(type) {
	case string, bool, int64, float64:
		return x
	case int:
		return int64(x)
	case dater:
		return x.Time().Format(time.DateOnly)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return text(v)
}
