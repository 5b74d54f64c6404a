package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/cypher"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// A root field that returns organisations compiles its whole selection into
// one Cypher statement (internal/cypher), runs it in one round trip and
// decodes the rows into the model types. Every organisation carries what
// was read for its relationship fields in Org.Pre, keyed by response alias,
// so the field resolvers only hand the answer to gqlgen (relations.go).

// orgTypes are the GraphQL types of every organisation kind.
var orgTypes = func() []string {
	out := make([]string, len(decl.Kinds))
	for i, k := range decl.Kinds {
		out[i] = k.TypeName
	}
	return out
}()

// typesAt returns the organisation types a position of type name may hold.
func typesAt(name string) []string {
	if _, ok := decl.KindByType(name); ok {
		return []string{name}
	}
	return orgTypes // Organisation, Node
}

// shapeOf builds what to read of the organisations of types selected by sel.
func shapeOf(op *graphql.OperationContext, sel ast.SelectionSet, types []string) (*cypher.Shape, error) {
	s := &cypher.Shape{Rels: map[string][]*cypher.Rel{}}
	if len(types) == 1 {
		if k, ok := decl.KindByType(types[0]); ok {
			s.Kind = k.Value
		}
	}
	for _, t := range types {
		for _, f := range graphql.CollectFields(op, sel, []string{t, "Organisation", "Node"}) {
			if f.Name == "sources" {
				s.Sources = true
				continue
			}
			if f.Name == "designation" {
				for _, c := range graphql.CollectFields(op, f.Selections, []string{"Designation"}) {
					s.DesignationSources = s.DesignationSources || c.Name == "sources"
				}
			}
			d, ok := decl.Lookup(t, f.Name)
			if !ok {
				for _, p := range decl.KindProps(t, f.Name) {
					if !slices.Contains(s.Props, p) {
						s.Props = append(s.Props, p)
					}
				}
				continue
			}
			r, err := relOf(op, f, d)
			if err != nil {
				return nil, err
			}
			s.Rels[t] = append(s.Rels[t], r)
		}
	}
	return s, nil
}

// relOf reads one relationship field of the selection.
func relOf(op *graphql.OperationContext, f graphql.CollectedField, d *decl.Resolved) (*cypher.Rel, error) {
	r := &cypher.Rel{Alias: f.Alias, Field: d}
	args := f.ArgumentMap(op.Variables)
	if d.KindArg != "" {
		if k, ok := args[d.KindArg]; ok && k != nil {
			r.Kinds = []string{argString(k)}
		}
	}
	var path []string
	switch {
	case d.Card == decl.Connection:
		first, after := argInt(args["first"]), argStr(args["after"])
		n, err := pageSize(first, 100)
		if err != nil {
			return nil, err
		}
		pos, err := decodeCursor(after, store.SortName)
		if err != nil {
			return nil, err
		}
		r.First = n
		if pos != nil {
			key, _ := pos.Key.(string)
			r.AfterKey, r.AfterCode = &key, &pos.Code
		}
		for _, c := range graphql.CollectFields(op, f.Selections, nil) {
			if c.Name == "totalCount" {
				r.Count = true
			}
		}
		path = []string{"edges", "node"}
	case d.EdgeType != "":
		r.Edge = true
		r.EdgeProps = []string{}
		for _, c := range graphql.CollectFields(op, f.Selections, []string{d.EdgeType, "Relationship"}) {
			if c.Name == "source" {
				r.EdgeSource = true
			}
			r.EdgeProps = appendNew(r.EdgeProps, edgeProps(d, c.Name)...)
		}
		path = []string{d.EdgeNode}
	}
	// d.To are labels: the GraphQL types they hold are the possible types.
	node, err := shapeOf(op, selectionAt(op, f.Selections, path), typesOfLabels(d.To))
	r.Node = node
	return r, err
}

func typesOfLabels(labels []string) []string {
	var out []string
	for _, l := range labels {
		if k, ok := decl.KindByLabel(l); ok {
			out = append(out, k.TypeName)
		}
	}
	return out
}

func argString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case model.PartnerKind:
		return string(x)
	case *model.PartnerKind:
		if x != nil {
			return string(*x)
		}
	case interface{ String() string }:
		return x.String()
	}
	return ""
}

func argInt(v any) *int {
	switch x := v.(type) {
	case int:
		return &x
	case int64:
		n := int(x)
		return &n
	case float64:
		n := int(x)
		return &n
	case *int:
		return x
	}
	return nil
}

func argStr(v any) *string {
	switch x := v.(type) {
	case string:
		return &x
	case *string:
		return x
	}
	return nil
}

// item is one organisation reached by a relationship field, with the edge
// that reaches it when the field answers edge objects.
type item struct {
	Edge *store.Edge // nil when the field reads no edge (edge() reads it)
	Src  *model.Source
	Org  model.Organisational
	Key  string // connection cursor key (the name)
}

// edge is the edge that reaches the item (no properties when none was read).
func (it item) edge() *store.Edge {
	if it.Edge == nil {
		return &store.Edge{}
	}
	return it.Edge
}

// conn is a prefetched page of a connection field.
type conn struct {
	Items   []item
	HasNext bool
	HasPrev bool
	Total   *int
}

// decoder turns compiled rows into model values answering for one date.
type decoder struct{ at store.When }

// org decodes an organisation's list (cypher.Compiler.Project, laid out as
// s.Layout() says) with its prefetched relationships.
func (d decoder) org(v any, s *cypher.Shape) model.Organisational {
	l, _ := v.([]any)
	if l == nil {
		return nil
	}
	lay := s.Layout()
	m := make(map[string]any, len(lay.Columns))
	for i, c := range lay.Columns {
		x := at(l, i)
		if x == nil {
			continue
		}
		if c.Dated == nil {
			m[c.Prop] = x
		} else if pair, _ := x.([]any); len(pair) == 2 {
			m[c.Dated.Values], m[c.Dated.From] = pair[0], pair[1]
		}
	}
	if lay.Kind != "" {
		m["kind"] = lay.Kind
	}
	org := toOrganisation(store.DecodeOrganisation(m), d.at)
	if org == nil {
		return nil
	}
	b := org.Base()
	if s == nil {
		return org
	}
	if ics, ok := org.(*model.IntegratedCareSystem); ok && lay.DesignationSources >= 0 && ics.Designation != nil {
		ics.Designation.Src, ics.Designation.HasSrc = sourceList(at(l, lay.DesignationSources)), true
	}
	t := typeNames[b.Kind]
	i := slices.Index(lay.Types, t)
	if i < 0 && lay.Sources < 0 {
		return org // no field of its type reads anything prefetched
	}
	b.Pre = map[string]any{}
	if lay.Sources >= 0 {
		b.Pre[model.PreSources] = sourceList(at(l, lay.Sources))
	}
	if i < 0 {
		return org
	}
	answers, _ := at(l, lay.RelsAt+i).([]any)
	for j, r := range s.Rels[t] {
		v := at(answers, j)
		switch r.Field.Card {
		case decl.One:
			if im, ok := v.([]any); ok {
				b.Pre[r.Alias] = []item{d.item(im, r)}
			} else {
				b.Pre[r.Alias] = []item{}
			}
		case decl.Connection:
			cm, _ := v.(map[string]any)
			c := conn{HasPrev: r.AfterKey != nil}
			list, _ := cm[cypher.KeyItems].([]any)
			for _, x := range list {
				if im, ok := x.([]any); ok {
					c.Items = append(c.Items, d.item(im, r))
				}
			}
			if len(c.Items) > r.First {
				c.Items, c.HasNext = c.Items[:r.First], true
			}
			if n, ok := cm[cypher.KeyTotal].(int64); ok {
				total := int(n)
				c.Total = &total
			}
			b.Pre[r.Alias] = c
		default:
			list, _ := v.([]any)
			items := make([]item, 0, len(list))
			for _, x := range list {
				if im, ok := x.([]any); ok {
					items = append(items, d.item(im, r))
				}
			}
			b.Pre[r.Alias] = items
		}
	}
	return org
}

// item decodes one item of relationship field r (positions cypher.ItemNode…).
func (d decoder) item(l []any, r *cypher.Rel) item {
	it := item{Org: d.org(at(l, cypher.ItemNode), r.Node)}
	if el, ok := at(l, cypher.ItemEdge).([]any); ok {
		cols := r.EdgeColumns()
		em := make(map[string]any, len(cols))
		for i, p := range cols {
			if x := at(el, i); x != nil {
				em[p] = x
			}
		}
		e := store.DecodeEdge(r.Field.Rel, em)
		it.Edge = &e
	}
	if sm, ok := at(l, cypher.ItemSource).(map[string]any); ok {
		it.Src = toSource(store.DecodeSource(sm))
	}
	it.Key, _ = at(l, cypher.ItemKey).(string)
	return it
}

// at is l[i], or nil past its end.
func at(l []any, i int) any {
	if i < len(l) {
		return l[i]
	}
	return nil
}

// compiledRoot is what a root field needs to compile its statement.
type compiledRoot struct {
	op      *graphql.OperationContext
	field   graphql.CollectedField
	at      store.When
	release *int64
}

// rootAt is the field being resolved (a root field, or a traversal's hook
// below it) compiled for w, the date its resolver received and checked
// (when), in the request's release.
func rootAt(ctx context.Context, w store.When) compiledRoot {
	r := compiledRoot{op: graphql.GetOperationContext(ctx), field: graphql.GetFieldContext(ctx).Field, at: w}
	if id, ok := store.ReleaseFrom(ctx); ok {
		r.release = &id
	}
	return r
}

func (r compiledRoot) compiler() *cypher.Compiler { return cypher.New(r.at, r.release) }

func (r compiledRoot) shape(path []string, types []string) (*cypher.Shape, error) {
	s, err := shapeOf(r.op, selectionAt(r.op, r.field.Selections, path), types)
	if err != nil {
		return nil, err
	}
	if n := subqueries(s); n > MaxSubqueries {
		return nil, apierr.LimitError("subqueries", MaxSubqueries, n,
			"%s asks for %d relationship fields in one statement (fragments on an interface count once per organisation type); at most %d: split the query",
			r.field.Alias, n, MaxSubqueries)
	}
	return s, nil
}

// MaxSubqueries bounds the relationship fields one compiled statement reads
// (each is a COLLECT subquery). Neo4j's planning time grows with them, and
// a new plan is made for every new selection: every field of every kind two
// levels deep (some 150 subqueries) takes it 1–2 s of CPU, three levels 8–13
// s, before any data is read, which the cost limit (priced on the data read)
// does not see.
const MaxSubqueries = 32

// subqueries counts the relationship fields of s, nested ones included.
func subqueries(s *cypher.Shape) int {
	if s == nil {
		return 0
	}
	n := 0
	for _, rels := range s.Rels {
		for _, r := range rels {
			n += 1 + subqueries(r.Node)
		}
	}
	return n
}

// run executes a compiled statement in one round trip.
func run(ctx context.Context, s *store.Store, st cypher.Statement) ([]map[string]any, error) {
	return s.Compiled(ctx, st.Cypher, st.Fallback, st.Params)
}

// attach runs one compiled statement for orgs (organisations a traversal
// found by its own statement), selected at path inside the current field's
// selection, and hands each the relationship answers its selection needs:
// the hook that keeps traversals' sub-selections to one more round trip.
func attach[T model.Organisational](ctx context.Context, s *store.Store, w store.When, orgs []T, path ...string) error {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || len(orgs) == 0 {
		return nil
	}
	r := rootAt(ctx, nested(w))
	shape, err := r.shape(path, orgTypes)
	if err != nil {
		return err
	}
	if len(shape.Rels) == 0 && !shape.Sources {
		return nil
	}
	keys := make([]store.KindCode, 0, len(orgs))
	seen := map[store.KindCode]bool{}
	for _, o := range orgs {
		b := o.Base()
		k := store.KindCode{Kind: string(b.Kind), Code: b.Code}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	rows, err := run(ctx, s, r.compiler().ByKeys(keys, shape))
	if err != nil {
		return err
	}
	dec := decoder{at: r.at}
	found := map[store.KindCode]map[string]any{}
	for _, row := range rows {
		if o := dec.org(row["data"], shape); o != nil {
			b := o.Base()
			found[store.KindCode{Kind: string(b.Kind), Code: b.Code}] = b.Pre
		}
	}
	for _, o := range orgs {
		b := o.Base()
		if pre, ok := found[store.KindCode{Kind: string(b.Kind), Code: b.Code}]; ok {
			b.Pre = pre
		}
	}
	return nil
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

// typeNames maps organisation kinds to their GraphQL type names.
var typeNames = func() map[model.OrganisationKind]string {
	out := map[model.OrganisationKind]string{}
	for _, k := range decl.Kinds {
		out[model.OrganisationKind(k.Value)] = k.TypeName
	}
	return out
}()

// prefetch is the traversals' hook (traversal.resolvers.go): the
// organisations a traversal found, selected at path inside the field's
// selection, get their whole sub-selection in one more statement.
func prefetch[T model.Organisational](ctx context.Context, w store.When, orgs []T, path ...string) error {
	l := loadersFor(ctx)
	if l == nil {
		return nil
	}
	return attach(ctx, l.store, w, orgs, path...)
}

// selectionAt follows path (field names) into sel, merging fragments.
func selectionAt(op *graphql.OperationContext, sel ast.SelectionSet, path []string) ast.SelectionSet {
	for _, name := range path {
		var next ast.SelectionSet
		for _, f := range graphql.CollectFields(op, sel, nil) {
			if f.Name == name {
				next = append(next, f.Selections...)
			}
		}
		sel = next
	}
	return sel
}

func sourceList(v any) []*model.Source {
	list, _ := v.([]any)
	srcs := make([]*model.Source, 0, len(list))
	for _, x := range list {
		if sm, ok := x.(map[string]any); ok {
			srcs = append(srcs, toSource(store.DecodeSource(sm)))
		}
	}
	return srcs
}

// edgeProps are the relationship properties answering field of d's edge
// type: the declared ones, and validity (since and date read validFrom).
func edgeProps(d *decl.Resolved, field string) []string {
	switch field {
	case "since", "validFrom", "date":
		return []string{"validFrom", "date"}
	case "announced":
		return []string{"announced"}
	case "validTo":
		return []string{"validTo"}
	case "source":
		return []string{"source"}
	}
	// Every property that feeds the field (a figure and the measure that
	// dates it, say).
	var out []string
	for _, r := range decl.Relationships {
		if r.Type != d.Rel {
			continue
		}
		for _, p := range r.Props {
			if p.Fields[d.EdgeType] == field {
				out = append(out, p.Property)
			}
		}
	}
	return out
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
