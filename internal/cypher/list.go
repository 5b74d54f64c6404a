package cypher

import (
	"fmt"
	"strings"

	"github.com/icsgraph/icsgraph/internal/model"
)

// Sort fields for lists.
const (
	SortName       = "name"
	SortCode       = "code"
	SortPopulation = "population"
)

// ParamSortMeasures binds ListQuery.SortMeasures.
const ParamSortMeasures = "sortMeasures"

// SortTag names the list's order in its cursors: a cursor of one order is
// refused by a list in another.
func (q ListQuery) SortTag() string {
	if q.Sort == SortPopulation && q.PopulationFamily != "" {
		return q.Sort + "/" + q.PopulationFamily + "/" + q.PopulationVintage
	}
	return q.Sort
}

// ListQuery selects one page of organisations of a kind.
type ListQuery struct {
	Kind   string
	Filter Filter
	Sort   string // SortName, SortCode or SortPopulation
	// SortMeasures are, for SortPopulation, the population measures to sort
	// by (their node properties, from the release's data): an organisation's
	// first one held. Empty: the default measure on the date.
	// PopulationFamily and PopulationVintage are the measure as asked, for
	// the caller to resolve into SortMeasures (and to tell cursors apart).
	SortMeasures                        []string
	PopulationFamily, PopulationVintage string
	Desc                                bool
	First                               int
	After                               *Cursor
}

// Filter narrows a list. Empty fields do not filter. Area codes match an
// area's code or ONS code and must already be upper case. Which
// organisations count on the date (open ones, or also closed ones) is the
// list's When, never a filter.
type Filter struct {
	NameContains    string
	Region          string
	ICS             string
	SubICBLocation  string
	County          string
	TrustType       string
	FoundationTrust *bool
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

// areaPattern writes a declared area chain (internal/model.Kind.Areas) from
// the organisation bound to n to the area bound to a, every hop and every
// organisation on the way held on the date (Valid).
func areaPattern(hops []model.Hop) (pattern string, conds []string) {
	var b strings.Builder
	b.WriteString("(n)")
	for i, h := range hops {
		r, v := fmt.Sprintf("ar%d", i), fmt.Sprintf("ax%d", i)
		if i == len(hops)-1 {
			v = "a"
		}
		if h.Reverse {
			fmt.Fprintf(&b, "<-[%s:%s]-(%s:%s)", r, h.Rel, v, h.Label)
		} else {
			fmt.Fprintf(&b, "-[%s:%s]->(%s:%s)", r, h.Rel, v, h.Label)
		}
		conds = append(conds, Valid(r, HeldOn), Valid(v, HeldOn))
	}
	return b.String(), conds
}

// where builds how a list enters the graph and its conditions: with an area
// filter, through the area (found by the code and onsCode indexes) and the
// declared chain from it to the organisations (entry binds n, which still
// needs the kind's label); without one, entry is empty and the list scans
// the kind's label. Values become parameters through c.
func (q ListQuery) where(c *Compiler, enter bool) (entry string, conds []string, err error) {
	kind, ok := model.KindByValue(q.Kind)
	if !ok {
		return "", nil, fmt.Errorf("unknown kind %q", q.Kind)
	}
	f := q.Filter
	if f.NameContains != "" {
		conds = append(conds, "toLower(n.name) CONTAINS "+c.param(strings.ToLower(f.NameContains)))
	}
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
		hops, ok := kind.Areas[a.field]
		if !ok {
			return "", nil, ErrFilter{Field: a.field, Kind: q.Kind}
		}
		code := c.param(a.code)
		pattern, held := areaPattern(hops)
		label := hops[len(hops)-1].Label
		if enter && entry == "" {
			entry = fmt.Sprintf(`CALL { MATCH (a:%[1]s {code: %[2]s}) RETURN a UNION MATCH (a:%[1]s {onsCode: %[2]s}) RETURN a }
WITH a WHERE a:%[3]s AND %[4]s
MATCH %[5]s WHERE %[6]s
WITH DISTINCT n`, model.LabelOrganisation, code, label, InRelease("a"), pattern, strings.Join(held, " AND "))
			continue
		}
		conds = append(conds, fmt.Sprintf("EXISTS { MATCH %s WHERE (a.code = %s OR a.onsCode = %s) AND %s }", pattern, code, code, strings.Join(held, " AND ")))
	}
	if f.TrustType != "" || f.FoundationTrust != nil {
		if q.Kind != model.KindTrust {
			return "", nil, ErrFilter{Field: "trustType", Kind: q.Kind}
		}
		if f.TrustType != "" {
			conds = append(conds, "n.trustType = "+c.param(f.TrustType))
		}
		if f.FoundationTrust != nil {
			conds = append(conds, "n.foundationTrust = "+c.param(*f.FoundationTrust))
		}
	}
	if f.CouncilType != "" {
		conds = append(conds, "n.councilType = "+c.param(f.CouncilType))
	}
	return entry, conds, nil
}

// SortKey is the Cypher expression a list sorts by.
func (q ListQuery) SortKey() string {
	switch q.Sort {
	case SortCode:
		return "n.code"
	case SortPopulation:
		if len(q.SortMeasures) > 0 {
			// The chosen measure: names from the data are only values
			// ($sortMeasures), read with dynamic property access.
			return "coalesce(head([m IN $" + ParamSortMeasures + " WHERE n[m] IS NOT NULL | n[m]]), -1)"
		}
		// residents2015 of the area's composition on $asOf (the loader's
		// compositionFrom/residents2015At lists), else as stored.
		return "coalesce(last([i IN range(0, size(coalesce(n.compositionFrom, [])) - 1) WHERE n.compositionFrom[i] <= $asOf | n.residents2015At[i]]), n.population, n.residents2015, -1)"
	}
	return "n.name"
}

// CountByCondition counts the list's organisations with every area filter
// as an EXISTS condition on each organisation of the kind instead of an
// entry through the area: the same answer, read the slow way (tests compare
// the two).
func (c *Compiler) CountByCondition(q ListQuery) (Statement, error) {
	_, conds, err := q.where(c, false)
	if err != nil {
		return Statement{}, err
	}
	k, _ := model.KindByValue(q.Kind)
	held := HeldOn
	if c.when.IncludeClosed {
		held = Begun
	}
	conds = append(conds, InRelease("n"), Valid("n", held))
	return Statement{Cypher: fmt.Sprintf("MATCH (n:%s) WHERE %s RETURN count(n) AS n", k.Label, strings.Join(conds, " AND ")), Params: c.params}, nil
}
