// Package cypher compiles what a GraphQL root field selects into ONE Cypher
// statement whose rows are already shaped like the answer: a list per
// organisation (its properties, then a COLLECT {} subquery per relationship
// field), nested as deep as the selection goes. Labels and relationship
// types come only from the declarations in internal/model; every value is a
// $parameter.
//
// The compiler works on a Shape (what to read of the organisations at one
// position of the answer), built by package graph from the GraphQL
// selection; the same Shape's Layout then says where the decoder finds
// each value in the rows.
package cypher

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/icsgraph/icsgraph/internal/model"
)

// Shape is what to read of the organisations at one position.
type Shape struct {
	// Props are the node properties to read (code, kind and name always).
	Props []string
	// Sources reads the organisation's Source nodes (the `sources` field);
	// DesignationSources those of an ICS's designation.
	Sources, DesignationSources bool
	// Rels are the relationship fields selected, by the GraphQL type of the
	// organisations they apply to (an interface position may hold several).
	Rels map[string][]*Rel
	// Kind, when set, is the one kind (model.Kind.Value) every organisation
	// at this position has, because the statement reaches them by its
	// label: the decoder knows it, so the statement does not read it.
	Kind string

	once   sync.Once
	layout *Layout
}

// Layout is where the list Project answers an organisation with holds what
// it read. A statement's organisations are lists, not maps: the driver
// hydrates a map's keys as new strings for every organisation, and the
// decoder knows the positions from the Shape anyway.
type Layout struct {
	// Columns are what is read at positions 0, 1, ….
	Columns []Column
	// Kind is Shape.Kind: the kind of every organisation, read from no
	// column ("": the kind column says).
	Kind string
	// Sources and DesignationSources are the positions of the Source
	// lists (-1: not read).
	Sources, DesignationSources int
	// Types are the GraphQL types with relationship fields selected; from
	// position RelsAt on, one position per type holds, when the
	// organisation is of that type, the list of its relationship answers in
	// the order of Shape.Rels[type], and null otherwise.
	Types  []string
	RelsAt int
}

// Column is one position of an organisation's list.
type Column struct {
	// Prop is the property read, and the key the decoder files it under
	// (KeyFigures: the population figures as [measure, value] pairs).
	Prop string
	// Dated, when set, makes the column a dated property's lists read as
	// one pair [values, from], and only for a date before its newest value
	// began (model.Dated; null otherwise); Prop is then its Values.
	Dated *model.Dated
}

// Layout returns where Project puts what it reads of the organisations at
// s (computed once; a nil Shape reads the base properties only).
func (s *Shape) Layout() *Layout {
	if s == nil {
		return baseLayout
	}
	s.once.Do(func() { s.layout = layoutOf(s) })
	return s.layout
}

var baseLayout = layoutOf(nil)

func layoutOf(s *Shape) *Layout {
	l := &Layout{Sources: -1, DesignationSources: -1}
	props := slices.Clone(baseProps)
	if s != nil {
		for _, p := range s.Props {
			if !slices.Contains(props, p) {
				props = append(props, p)
			}
		}
		l.Kind = s.Kind
	}
	for _, p := range props {
		switch prop, dated := model.DatedList(p); {
		case p == "kind" && l.Kind != "":
			// no column: the decoder fills it from Layout.Kind
		case p == model.FiguresProp:
			l.Columns = append(l.Columns, Column{Prop: KeyFigures})
		case dated:
			d := model.DatedProps[prop]
			if !slices.ContainsFunc(l.Columns, func(c Column) bool { return c.Dated != nil && *c.Dated == d }) {
				l.Columns = append(l.Columns, Column{Prop: d.Values, Dated: &d})
			}
		default:
			l.Columns = append(l.Columns, Column{Prop: p})
		}
	}
	if s == nil {
		l.RelsAt = len(l.Columns)
		return l
	}
	n := len(l.Columns)
	if s.Sources {
		l.Sources, n = n, n+1
	}
	if s.DesignationSources {
		l.DesignationSources, n = n, n+1
	}
	l.RelsAt = n
	for t, rels := range s.Rels {
		if _, ok := model.KindByType(t); ok && len(rels) > 0 {
			l.Types = append(l.Types, t)
		}
	}
	slices.Sort(l.Types)
	return l
}

// Positions in the list answering one item of a relationship field
// (trailing positions not read are left out).
const (
	ItemNode   = iota // the organisation reached: Project's list
	ItemEdge          // the relationship's properties, in Rel.EdgeColumns order (Rel.Edge)
	ItemSource        // the relationship's Source node as a map (Rel.EdgeSource)
	ItemKey           // a connection's cursor key (the name)
)

// EdgeColumns are the relationship properties an edge object reads, in the
// order of its list: EdgeProps, or every declared property when nil.
func (r *Rel) EdgeColumns() []string {
	if r.EdgeProps == nil {
		return r.Field.Props
	}
	return r.EdgeProps
}

// Rel is one relationship field selected under one response alias.
type Rel struct {
	Alias string
	Field *model.Resolved
	Kinds []string // restrict the kinds reached (partners(kind:)); empty: all
	// Edge reads the relationship's properties (edge objects): EdgeProps
	// (all declared ones when nil); EdgeSource also reads its Source node.
	Edge, EdgeSource bool
	EdgeProps        []string
	// Connections: a page of First items after the keyset position
	// (name, code); Count asks for the total.
	First               int
	AfterKey, AfterCode *string
	Count               bool
	Node                *Shape // what to read of the organisations reached
}

// Keys of the maps around the organisations' lists: a list's items and
// total, a search hit's score, and the decoded property map's key for the
// population figures.
const (
	KeyNode   = "n"
	KeyItems  = "items"
	KeyTotal  = "total"
	KeyCursor = "key"
	KeyScore  = "score"
	// KeyFigures holds an organisation's population figures, as [measure
	// property, value] pairs (model.FiguresProp).
	KeyFigures = "__figures"
)

// ParamMeasures is the parameter holding the property names of the
// release's population measures (a list of strings the store binds from
// the release the statement reads; names from data are only ever values).
const ParamMeasures = "measures"

// Compiler builds one statement; it numbers variables and parameters.
type Compiler struct {
	params map[string]any
	vars   int
	when   When
}

// New starts a statement answering for w (the date, and whether announced
// facts count; IncludeClosed applies to a list's items only) from release
// (nil: whatever is loaded).
func New(w When, release *int64) *Compiler {
	return &Compiler{params: w.Params(release, nil), when: w}
}

// Params returns the statement's parameters.
func (c *Compiler) Params() map[string]any { return c.params }

func (c *Compiler) param(v any) string {
	name := fmt.Sprintf("p%d", len(c.params))
	c.params[name] = v
	return "$" + name
}

func (c *Compiler) fresh(prefix string) string {
	c.vars++
	return fmt.Sprintf("%s%d", prefix, c.vars)
}

var baseProps = []string{"code", "kind", "name"}

// Project is the list answering for the organisation bound to v, laid out
// as s.Layout() says; label is the one kind label every organisation bound
// to v has ("" when it may be of several kinds). The relationship answers
// of a type are guarded by its label only where v may be of another: Neo4j
// plans a COLLECT {} under a CASE as an expression run row by row, and one
// that is not as a RollUpApply.
func (c *Compiler) Project(v, label string, s *Shape) string {
	l := s.Layout()
	parts := make([]string, 0, l.RelsAt+len(l.Types))
	for _, col := range l.Columns {
		switch {
		case col.Prop == KeyFigures:
			// Every population measure of the release ($measures: their
			// property names, from the data), as [name, value] pairs.
			parts = append(parts, fmt.Sprintf("[m IN coalesce($%s, []) WHERE %s[m] IS NOT NULL | [m, %s[m]]]", ParamMeasures, v, v))
		case col.Dated != nil:
			parts = append(parts, fmt.Sprintf("CASE WHEN %[1]s.%[2]s > $asOf THEN [%[1]s.%[3]s, %[1]s.%[4]s] END", v, col.Dated.Changed, col.Dated.Values, col.Dated.From))
		default:
			parts = append(parts, v+"."+col.Prop)
		}
	}
	if l.Sources >= 0 {
		parts = append(parts, sourcesOf(v+".sources"))
	}
	if l.DesignationSources >= 0 {
		parts = append(parts, sourcesOf(v+".designationSources"))
	}
	for _, t := range l.Types {
		k, _ := model.KindByType(t)
		rels := make([]string, len(s.Rels[t]))
		for i, r := range s.Rels[t] {
			rels[i] = c.rel(v, r)
		}
		if k.Label == label {
			parts = append(parts, "["+strings.Join(rels, ", ")+"]")
			continue
		}
		parts = append(parts, fmt.Sprintf("CASE WHEN %s:%s THEN [%s] END", v, k.Label, strings.Join(rels, ", ")))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// sourcesOf reads the Source nodes whose ids are in the list expression
// ids, through the Source id constraint.
func sourcesOf(ids string) string {
	return fmt.Sprintf("COLLECT { UNWIND coalesce(%s, []) AS sid MATCH (s:%s {id: sid}) RETURN s {.*} }", ids, model.LabelSource)
}

// orderOf writes a declared order over the relationship bound to rv and
// the organisation reached bound to bv.
func orderOf(keys []model.Order, rv, bv string) string {
	if len(keys) == 0 {
		keys = model.ByName
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		v := bv
		if k.Edge {
			v = rv
		}
		props := make([]string, len(k.Props))
		for j, p := range k.Props {
			props[j] = v + "." + p
		}
		out[i] = props[0]
		if len(props) > 1 {
			out[i] = "coalesce(" + strings.Join(props, ", ") + ")"
		}
		if k.Desc {
			out[i] += " DESC"
		}
	}
	return strings.Join(out, ", ")
}

// rel is the expression answering one relationship field from the
// organisation bound to v.
func (c *Compiler) rel(v string, r *Rel) string {
	f := r.Field
	rv, bv := c.fresh("r"), c.fresh("b")
	arrow := fmt.Sprintf("-[%s:%s]->", rv, f.Rel)
	if f.Reverse {
		arrow = fmt.Sprintf("<-[%s:%s]-", rv, f.Rel)
	}
	labels := f.TargetLabels(r.Kinds)
	if len(labels) == 0 {
		return "[]"
	}
	// The relationship holds on the date; so does the organisation reached,
	// except through a history field (successions), which reaches
	// organisations that had begun by then, closed or not.
	conds := []string{reached(bv, labels), Valid(rv, HeldOn), Valid(bv, HeldOn)}
	if f.History {
		conds[2] = Valid(bv, Begun)
	}
	pattern := fmt.Sprintf("MATCH (%s)%s(%s) WHERE %s", v, arrow, bv, strings.Join(conds, " AND "))
	order := orderOf(f.OrderBy, rv, bv)
	only := ""
	if len(labels) == 1 {
		only = labels[0]
	}
	item := []string{ItemNode: c.Project(bv, only, r.Node), ItemEdge: "null", ItemSource: "null", ItemKey: "null"}
	if r.Edge {
		cols := r.EdgeColumns()
		eps := make([]string, len(cols))
		for i, p := range cols {
			eps[i] = rv + "." + p
		}
		item[ItemEdge] = "[" + strings.Join(eps, ", ") + "]"
		if r.EdgeSource {
			item[ItemSource] = fmt.Sprintf("head(COLLECT { MATCH (s:%s {id: %s.source}) RETURN s {.*} })", model.LabelSource, rv)
		}
	}
	if f.Card == model.Connection {
		item[ItemKey] = bv + ".name"
	}
	for len(item) > 1 && item[len(item)-1] == "null" {
		item = item[:len(item)-1]
	}
	ret := "[" + strings.Join(item, ", ") + "]"
	switch f.Card {
	case model.One:
		return fmt.Sprintf("head(COLLECT { %s WITH %s, %s ORDER BY %s LIMIT 1 RETURN %s })", pattern, rv, bv, order, ret)
	case model.Connection:
		page := pattern
		if r.AfterKey != nil && r.AfterCode != nil {
			page += fmt.Sprintf(" AND (%[1]s.name > %[2]s OR (%[1]s.name = %[2]s AND %[1]s.code > %[3]s))", bv, c.param(*r.AfterKey), c.param(*r.AfterCode))
		}
		parts := []string{fmt.Sprintf("%s: COLLECT { %s WITH %s, %s ORDER BY %s LIMIT %s RETURN %s }",
			KeyItems, page, rv, bv, order, c.param(r.First+1), ret)}
		if r.Count {
			parts = append(parts, fmt.Sprintf("%s: COUNT { %s }", KeyTotal, pattern))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprintf("COLLECT { %s WITH %s, %s ORDER BY %s RETURN %s }", pattern, rv, bv, order, ret)
}

// reached is the condition that the node bound to b, reached by a
// relationship field's expansion, has one of labels. It is a predicate on
// labels(b), not a label in the pattern: a subquery planned as a RollUpApply
// could otherwise enter the graph by a scan of every node of the label and
// hash-join it with the expansion (TestWorkloadPlans), where the expansion
// from the organisation the field belongs to is always the way in.
func reached(b string, labels []string) string {
	if len(labels) == 1 {
		return fmt.Sprintf("'%s' IN labels(%s)", labels[0], b)
	}
	return fmt.Sprintf("any(l IN labels(%s) WHERE l IN ['%s'])", b, strings.Join(labels, "', '"))
}

func quote(alias string) string { return "`" + strings.ReplaceAll(alias, "`", "``") + "`" }

// Statement is one compiled statement; Fallback, when set, runs in the same
// transaction only when Statement returns no rows.
type Statement struct {
	Cypher   string
	Params   map[string]any
	Fallback string
}

// Lookup finds one organisation by ODS or ONS code (FindByCode: current
// codes through the indexes, former ONS codes in a fallback statement run
// only when the indexes find nothing), of kind ("" any), which must have
// begun by the date; the one held on the date wins.
func (c *Compiler) Lookup(code, kind string, s *Shape) Statement {
	c.params["code"] = code
	c.params["kind"] = nil
	label := "" // what FindByCode finds is of kind, when one is given
	if k, ok := model.KindByValue(kind); ok {
		c.params["kind"], label = k.Value, k.Label
	}
	// The fallback answers with the same projection (and its parameters):
	// it is written once.
	proj := c.Project("n", label, s)
	stmt := func(former bool) string {
		return FindByCode("n", "code", "kind", kind, former, Valid("n", Begun)) + "\nRETURN " + proj + " AS data"
	}
	st := Statement{Cypher: stmt(false), Params: c.params}
	if FormerCodes(kind) {
		st.Fallback = stmt(true)
	}
	return st
}

// ByKeys reads organisations by kind and code, one row each (key: the index
// into keys); unknown keys give no row.
func (c *Compiler) ByKeys(keys []KindCode, s *Shape) Statement {
	ks := make([]map[string]any, len(keys))
	for i, k := range keys {
		ks[i] = map[string]any{"kind": k.Kind, "code": strings.ToUpper(k.Code), "i": i}
	}
	c.params["keys"] = ks
	return Statement{Cypher: fmt.Sprintf(`UNWIND $keys AS k
MATCH (n:%s {code: k.code}) WHERE n.kind = k.kind AND %s AND ($announced OR NOT coalesce(n.announced, false))
RETURN k.i AS i, %s AS data`, model.LabelOrganisation, InRelease("n"), c.Project("n", "", s)), Params: c.params}
}

// List is one page of a list (and its total when count), as one row:
// {items: [{key, n}], total}.
func (c *Compiler) List(q ListQuery, items, count bool, s *Shape) (Statement, error) {
	entry, conds, err := q.where(c, true)
	if err != nil {
		return Statement{}, err
	}
	k, ok := model.KindByValue(q.Kind)
	if !ok {
		return Statement{}, fmt.Errorf("unknown kind %q", q.Kind)
	}
	held := HeldOn
	if c.when.IncludeClosed {
		held = Begun
	}
	conds = append(conds, InRelease("n"), Valid("n", held))
	// Through the area when an area filter gives one (index seeks, then the
	// path to the members), else every organisation of the kind.
	match := fmt.Sprintf("MATCH (n:%s) WHERE %s", k.Label, strings.Join(conds, " AND "))
	if entry != "" {
		match = fmt.Sprintf("%s WHERE n:%s AND %s", strings.ReplaceAll(entry, "\n", " "), k.Label, strings.Join(conds, " AND "))
	}
	key := q.SortKey()
	if q.Sort == SortPopulation && len(q.SortMeasures) > 0 {
		c.params[ParamSortMeasures] = q.SortMeasures
	}
	dir, cmp := "ASC", ">"
	if q.Desc {
		dir, cmp = "DESC", "<"
	}
	page := match
	if q.After != nil {
		page += fmt.Sprintf(" AND (%[1]s %[2]s %[3]s OR (%[1]s = %[3]s AND n.code > %[4]s))", key, cmp, c.param(q.After.Key), c.param(q.After.Code))
	}
	var ret []string
	var calls []string
	if items {
		calls = append(calls, fmt.Sprintf(`CALL {
  %s
  WITH n, %s AS key ORDER BY key %s, n.code LIMIT %s
  RETURN collect({%s: key, %s: %s}) AS items
}`, page, key, dir, c.param(q.First+1), KeyCursor, KeyNode, c.Project("n", k.Label, s)))
		ret = append(ret, KeyItems+": items")
	}
	if count {
		calls = append(calls, fmt.Sprintf("CALL { %s RETURN count(n) AS total }", match))
		ret = append(ret, KeyTotal+": total")
	}
	if len(calls) == 0 {
		return Statement{Cypher: "RETURN {} AS data", Params: c.params}, nil
	}
	return Statement{Cypher: strings.Join(calls, "\n") + "\nRETURN {" + strings.Join(ret, ", ") + "} AS data", Params: c.params}, nil
}

// Search ranks organisations by the full-text index: lucene is the index
// query (built by store.LuceneQuery), kinds restrict the kinds. One row per
// hit: {score, n}. The OR form of the query (any word) runs as the fallback
// when every word must match and nothing does.
func (c *Compiler) Search(and, or string, kinds []string, first int, s *Shape) Statement {
	// The index ranks every release's copy of a name, and the kinds filter
	// comes after ranking: ask it for more hits than the page.
	limit := first * MaxReleases
	var kindParam any
	if len(kinds) > 0 {
		kindParam = kinds
		limit *= 20
	}
	c.params["index"] = FullTextIndex
	c.params["kinds"] = kindParam
	c.params["limit"] = limit
	c.params["first"] = first
	proj := c.Project("n", "", s) // the same in the fallback
	stmt := func(q string) string {
		return fmt.Sprintf(`CALL db.index.fulltext.queryNodes($index, %s, {limit: $limit}) YIELD node AS n, score
WITH n, score WHERE ($kinds IS NULL OR n.kind IN $kinds) AND %s AND %s
WITH n, score ORDER BY score DESC, CASE WHEN %s THEN 0 ELSE 1 END, n.name, n.code LIMIT $first
RETURN {%s: score, %s: %s} AS data`, q, Valid("n", Begun), InRelease("n"), Valid("n", HeldOn), KeyScore, KeyNode, proj)
	}
	st := Statement{Cypher: stmt(c.param(and)), Params: c.params}
	if or != "" {
		st.Fallback = stmt(c.param(or))
	}
	return st
}
