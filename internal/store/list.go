package store

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/icsgraph/icsgraph/internal/model"
)

// Sort fields for lists.
const (
	SortName       = "name"
	SortCode       = "code"
	SortPopulation = "population"
)

// ListQuery selects one page of organisations of a kind.
type ListQuery struct {
	Kind   string
	Filter Filter
	Sort   string // SortName, SortCode or SortPopulation
	Desc   bool
	First  int
	After  *Cursor
}

// Filter narrows a list. Empty fields do not filter. Area codes match an
// area's code or ONS code and must already be upper case.
type Filter struct {
	NameContains    string
	Region          string
	ICS             string
	SubICBLocation  string
	County          string
	TrustType       string
	FoundationTrust *bool
	IncludeClosed   bool
	CouncilType     string
}

// Cursor is a keyset position: the sort key and code of the last row seen.
type Cursor struct {
	Key  any    `json:"k"`
	Code string `json:"c"`
}

// ErrFilter is returned for a filter that does not apply to a kind.
type ErrFilter struct {
	Field string
	Kind  string
}

func (e ErrFilter) Error() string {
	return fmt.Sprintf("filter %s does not apply to %s", e.Field, e.Kind)
}

// Where builds the WHERE clause and parameters for a filter, every area
// filter as an EXISTS condition.
func (q ListQuery) Where() (string, map[string]any, error) {
	_, where, params, err := q.where(false)
	return where, params, err
}

// Entry builds how a list enters the graph: with an area filter, through
// the area (found by the code and onsCode indexes) and the path from it to
// the organisations (entry binds n; they still need the kind's label),
// the other conditions in where; without one, entry is empty and the list
// scans the kind's label.
func (q ListQuery) Entry() (entry, where string, params map[string]any, err error) {
	return q.where(true)
}

var areaLabel = regexp.MustCompile(`\(a:(\w+)\)`)

func (q ListQuery) where(enter bool) (string, string, map[string]any, error) {
	if _, ok := KindLabels[q.Kind]; !ok {
		return "", "", nil, fmt.Errorf("unknown kind %q", q.Kind)
	}
	entry := ""
	var conds []string
	params := map[string]any{}
	f := q.Filter
	if f.NameContains != "" {
		conds = append(conds, "toLower(n.name) CONTAINS $name")
		params["name"] = strings.ToLower(f.NameContains)
	}
	// How an organisation n of the kind lies within an area a: fixed
	// Cypher patterns the declaration (internal/model.Kinds) chooses by
	// kind, never built from input.
	kind, _ := model.KindByValue(q.Kind)
	areas := []struct{ field, code string }{
		{"region", f.Region},
		{"ics", f.ICS},
		{"subIcbLocation", f.SubICBLocation},
		{"county", f.County},
	}
	for _, a := range areas {
		if a.code == "" {
			continue
		}
		pattern, ok := kind.Areas[a.field]
		if !ok {
			return "", "", nil, ErrFilter{Field: a.field, Kind: q.Kind}
		}
		params[a.field] = a.code
		if m := areaLabel.FindStringSubmatch(pattern); enter && entry == "" && m != nil {
			entry = fmt.Sprintf(`CALL { MATCH (a:%[1]s {code: $%[2]s}) RETURN a UNION MATCH (a:%[1]s {onsCode: $%[2]s}) RETURN a }
WITH a WHERE a:%[3]s
MATCH %[4]s
WITH DISTINCT n`, LabelOrganisation, a.field, m[1], pattern)
			continue
		}
		conds = append(conds, fmt.Sprintf("EXISTS { MATCH %s WHERE a.code = $%s OR a.onsCode = $%s }", pattern, a.field, a.field))
	}
	if q.Kind == KindTrust {
		if f.TrustType != "" {
			conds = append(conds, "n.trustType = $trustType")
			params["trustType"] = f.TrustType
		}
		if f.FoundationTrust != nil {
			conds = append(conds, "n.foundationTrust = $foundationTrust")
			params["foundationTrust"] = *f.FoundationTrust
		}
		if !f.IncludeClosed {
			conds = append(conds, "n.status = 'OPEN'")
		}
	}
	if f.CouncilType != "" {
		conds = append(conds, "n.councilType = $councilType")
		params["councilType"] = f.CouncilType
	}
	if len(conds) == 0 {
		return entry, "true", params, nil
	}
	return entry, strings.Join(conds, " AND "), params, nil
}

// SortKey is the Cypher expression a list sorts by.
func (q ListQuery) SortKey() string {
	switch q.Sort {
	case SortCode:
		return "n.code"
	case SortPopulation:
		// residents2015 of the area's composition on $asOf (the loader's
		// compositionFrom/residents2015At lists), else as stored.
		return "coalesce(last([i IN range(0, size(coalesce(n.compositionFrom, [])) - 1) WHERE n.compositionFrom[i] <= $asOf | n.residents2015At[i]]), n.population, n.residents2015, -1)"
	}
	return "n.name"
}
