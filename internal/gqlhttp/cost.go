package gqlhttp

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	decl "github.com/icsgraph/icsgraph/internal/model"

	"github.com/icsgraph/icsgraph/internal/apierr"
)

// The cost of a query is decided before any resolver runs, from this one
// table: every field of every type has a rule here or falls under a declared
// default (see costRuleFor), and TestCostRulesCoverSchema walks the whole
// schema to keep it so. A cost is roughly the number of values the answer can
// hold plus a charge for each database round trip or computation a field
// causes; lists multiply what each item asks for by how many items they can
// hold (their page size, or the most the data has).
//
// A relationship field of an organisation type is priced from its
// declaration in internal/model (cardinality and estimate): adding a
// relationship there prices it here. Other fields: costList(n) for a list of
// at most n items, costOne() for a single object, costLookup() for a root
// field that costs a database transaction of its own.

// costRule prices one occurrence of a field from its arguments and the cost
// of one item of its selection.
type costRule func(c costCtx, child int) int

// costCtx is what a rule can read: the field's arguments (defaults filled
// in) and, inside a connection, its page size.
type costCtx struct {
	args map[string]any
	page int
}

// Charges.
const (
	leafCost   = 1    // a scalar or enum value
	lookupCost = 10   // a root field that runs a database transaction of its own
	traverse   = 50   // a variable-length traversal in the database
	report     = 200  // a coterminosity report computed over every overlap
	schemaCost = 5000 // a whole-schema introspection answer (size bounded by the schema)
	typeCost   = 100  // one type's introspection answer
)

// one: a single object, resolved from its parent or a batched read.
func costOne() costRule { return func(_ costCtx, child int) int { return 1 + child } }

// list: at most n items, each costing child.
func costList(n int) costRule { return func(_ costCtx, child int) int { return 1 + n*child } }

// costPage: `first` items (default def, at most graph.MaxFirst) plus a fixed charge.
func costPage(fixed, def int) costRule {
	return func(c costCtx, child int) int { return fixed + intArg(c.args, "first", def)*child }
}

// costConnection: a fixed charge plus the connection's selection, whose
// edges cost the page size times each edge (see costEdges).
func costConnection(fixed int) costRule {
	return func(_ costCtx, child int) int { return fixed + child }
}

// costEdges: the edges of a connection, as many as its page size.
var costEdges costRule = func(c costCtx, child int) int { return 1 + c.page*child }

// lookup: its own transaction, then one object.
func costLookup() costRule {
	return func(_ costCtx, child int) int { return lookupCost + child }
}

// fixed: a flat charge whatever is selected (introspection: the answer is
// bounded by the schema and MaxIntrospectionDepth bounds the nesting).
func costFixed(n int) costRule { return func(costCtx, int) int { return n } }

// orgFields are the fields every Organisation has (the interface's and each type's).
func orgFields(extra map[string]costRule) map[string]costRule {
	m := map[string]costRule{"sources": costList(6)}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

var costRules = func() map[string]costRule {
	t := map[string]map[string]costRule{
		"Query": {
			"node":         costLookup(),
			"nodes":        func(c costCtx, child int) int { return lookupCost + listLen(c.args, "ids")*child },
			"organisation": costLookup(),
			"search":       costPage(2*lookupCost, 10),
			"sources":      func(_ costCtx, child int) int { return lookupCost + 60*child },
			"members":      costConnection(traverse),
			"ancestors":    func(_ costCtx, child int) int { return traverse + 12*child },
			"path": func(c costCtx, child int) int {
				paths := 3
				if b, _ := c.args["all"].(bool); b {
					paths = 25
				}
				return traverse*max(intArg(c.args, "maxHops", 6), 1) + paths*child
			},
			"neighbourhood":        func(c costCtx, child int) int { return traverse + intArg(c.args, "limit", 300)*child },
			"coterminosity":        func(_ costCtx, child int) int { return report + child },
			"splitCouncils":        func(_ costCtx, child int) int { return report + 120*child },
			"coterminositySummary": func(_ costCtx, child int) int { return 30 * (report + child) },
			"designations":         func(_ costCtx, child int) int { return lookupCost + 50*child },
			"coverage":             func(_ costCtx, child int) int { return lookupCost + child },
			"release":              costLookup(),
			"lineage":              func(_ costCtx, child int) int { return traverse + child },
			"changes":              costConnection(report),
			"__schema":             costFixed(schemaCost),
			"__type":               costFixed(typeCost),
		},
		"Organisation": orgFields(nil),
		// Relationship fields of the organisation types are priced from their
		// declarations in internal/model (costRuleFor); these are the rest.
		"IntegratedCareSystem": orgFields(map[string]costRule{"designation": costOne()}),
		"Stp":                  orgFields(map[string]costRule{"successor": costOne()}),
		"Designation":          {"sources": costList(6)},
		"Release":              {"sources": costList(60), "measures": costList(decl.MaxMeasures)},
		"Measure":              {"source": costOne()},
		"PopulationFigure":     {"source": costOne()},
		"Succession":           {"source": costOne(), "organisation": costOne()},
		"Lineage":              {"organisation": costOne(), "organisations": costList(40), "successions": costList(60)},
		"LineageNode":          {"organisation": costOne(), "partOf": costList(4)},
		"LineagePartOf":        {"organisation": costOne(), "source": costOne()},
		"SuccessionLink":       {"predecessor": costOne(), "successor": costOne(), "source": costOne()},
		"Change":               {"organisation": costOne(), "parties": costList(12), "successions": costList(12), "source": costOne()},
		"ChangeParty":          {"organisation": costOne()},
		"ExportLink":           {},
		"Relationship":         {"source": costOne()},
		"Partnership":          {"source": costOne(), "integratedCareSystem": costOne(), "partner": costOne()},
		"CouncilIcsOverlap":    {"source": costOne(), "council": costOne(), "integratedCareSystem": costOne()},
		"CouncilSubIcbOverlap": {"source": costOne(), "council": costOne(), "subIcbLocation": costOne()},
		"CancerAllianceMembership": {
			"source": costOne(), "cancerAlliance": costOne(), "integratedCareSystem": costOne(),
		},
		"SearchResult":     {"organisation": costOne()},
		"PathHop":          {"from": costOne(), "to": costOne(), "source": costOne()},
		"Path":             {"organisations": costList(8), "hops": costList(8)},
		"Membership":       {"organisation": costOne(), "path": costOne()},
		"GraphNode":        {"organisation": costOne()},
		"GraphEdge":        {"source": costOne()},
		"Subgraph":         {"nodes": costOne(), "edges": costList(3), "exports": costList(4)},
		"AreaPart":         {"area": costOne()},
		"AreaFit":          {"area": costOne(), "parts": costList(8)},
		"AreaUnion":        {"area": costOne(), "whole": costList(40), "partial": costList(20)},
		"DesignatedSystem": {"system": costOne(), "designation": costOne()},
		"Coverage":         {"systems": costList(50)},
		"CoterminosityReport": {
			"weight": costOne(), "fits": costList(320), "unions": costList(320), "worstSplits": costPage(1, 5),
		},
		// Crosswalks (crosswalk.graphqls): two area tables and a pass over
		// the small areas, then a page of pairs.
		"CrosswalkConnection": {"edges": costEdges, "pageInfo": costOne()},
		"CrosswalkPairEdge":   {"node": costOne()},
		"CrosswalkPair":       {"from": costOne(), "to": costOne()},
	}
	t["Query"]["crosswalk"] = costConnection(2 * report)
	// Every declared kind (internal/model.Kinds): its root lookup and list,
	// and its population figures where it has them.
	connections := []string{"Membership", "Change"}
	for _, k := range decl.Kinds {
		t["Query"][k.Lookup] = costLookup()
		t["Query"][k.List] = costConnection(lookupCost)
		connections = append(connections, k.TypeName)
		if slices.ContainsFunc(k.Props, func(p decl.Prop) bool { return p.Field == "populations" }) {
			if t[k.TypeName] == nil {
				t[k.TypeName] = orgFields(nil)
			}
			t[k.TypeName]["populations"] = costList(decl.MaxMeasures) // the loader allows at most MaxMeasures
		}
	}
	// Connections: the field that takes `first` multiplies; edges, nodes
	// and page info count once per item.
	for _, c := range connections {
		t[c+"Connection"] = map[string]costRule{"edges": costEdges, "pageInfo": costOne()}
		t[c+"Edge"] = map[string]costRule{"node": costOne()}
	}
	out := map[string]costRule{}
	for typ, fields := range t {
		for f, r := range fields {
			out[typ+"."+f] = r
		}
	}
	return out
}()

// costRuleFor is the rule for a field of a type, or a declared default:
// scalar and enum values cost leafCost, and the fields inside introspection
// answers are covered by the flat price of __schema and __type. ok is false
// for an object-valued field without a rule (a gap the schema test reports).
func costRuleFor(s *ast.Schema, typ string, f *ast.FieldDefinition) (costRule, bool) {
	if r, ok := costRules[typ+"."+f.Name]; ok {
		return r, true
	}
	if strings.HasPrefix(typ, "__") {
		return costFixed(0), true
	}
	// A relationship field: priced from its declaration (internal/model),
	// the same table that compiles it; on an interface, from the costliest of
	// its types' declarations.
	if r, ok := declaredCost(typ, f.Name); ok {
		return r, true
	}
	if def := s.Types[typ]; def != nil && def.Kind == ast.Interface {
		var most costRule
		for _, impl := range s.GetPossibleTypes(def) {
			if r, ok := declaredCost(impl.Name, f.Name); ok && (most == nil || r(costCtx{}, 1) > most(costCtx{}, 1)) {
				most = r
			}
		}
		if most != nil {
			return most, true
		}
	}
	if def := s.Types[f.Type.Name()]; def == nil || def.Kind == ast.Scalar || def.Kind == ast.Enum {
		return costFixed(leafCost), true
	}
	// A field an interface declares uses the interface's rule on every type.
	if def := s.Types[typ]; def != nil {
		for _, iface := range def.Interfaces {
			if r, ok := costRules[iface+"."+f.Name]; ok {
				return r, true
			}
		}
	}
	return nil, false
}

// declaredCost prices a relationship field from its declaration: one object,
// a connection (priced by its page), or a list of at most its estimate.
func declaredCost(typ, field string) (costRule, bool) {
	d, ok := decl.Lookup(typ, field)
	if !ok {
		return nil, false
	}
	switch d.Card {
	case decl.One:
		return costOne(), true
	case decl.Connection:
		return costConnection(1), true
	}
	n, _ := decl.FieldCost(typ, field)
	return costList(n), true
}

// errTooCostly is returned when the walk passes the limit: it stops there.
type errTooCostly struct{}

func (errTooCostly) Error() string { return "too costly" }

// operationCost prices the operation, stopping as soon as the cost passes
// limit (so a query that expands to millions of fields is refused after
// about limit steps).
func operationCost(schema *ast.Schema, op *graphql.OperationContext, limit int) (cost int, err error) {
	w := costWalker{op: op, schema: schema, limit: limit}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(errTooCostly); !ok {
				panic(r)
			}
			cost, err = limit+1, nil
		}
	}()
	root := w.schema.Query
	if op.Operation.Operation != ast.Query {
		return 0, fmt.Errorf("only queries are served")
	}
	return w.selection(op.Operation.SelectionSet, root.Name), nil
}

type costWalker struct {
	op     *graphql.OperationContext
	schema *ast.Schema
	limit  int
	steps  int
	page   int // page size of the connection being priced
}

func (w *costWalker) selection(set ast.SelectionSet, typ string) int {
	total := 0
	for _, f := range graphql.CollectFields(w.op, set, w.satisfies(typ)) {
		total += w.field(f, typ)
		if total > w.limit {
			panic(errTooCostly{})
		}
	}
	return total
}

// satisfies lists the type names whose fragments apply to a selection on
// typ: typ itself and its interfaces.
func (w *costWalker) satisfies(typ string) []string {
	names := []string{typ}
	if def := w.schema.Types[typ]; def != nil {
		names = append(names, def.Interfaces...)
	}
	return names
}

func (w *costWalker) field(f graphql.CollectedField, typ string) int {
	w.steps++
	if w.steps > 4*w.limit+1000 {
		panic(errTooCostly{})
	}
	if f.Name == "__typename" {
		return leafCost
	}
	def := f.Definition
	if def == nil {
		return leafCost
	}
	owner := typ
	if f.ObjectDefinition != nil {
		owner = f.ObjectDefinition.Name
	}
	rule, ok := costRuleFor(w.schema, owner, def)
	if !ok {
		rule = costOne()
	}
	if strings.HasPrefix(f.Name, "__") {
		return rule(costCtx{}, 0)
	}
	c := costCtx{args: f.ArgumentMap(w.op.Variables), page: w.page}
	child := 0
	if len(f.Selections) > 0 {
		outer := w.page
		if conn, ok := strings.CutSuffix(def.Type.Name(), "Connection"); ok {
			w.page = intArg(c.args, "first", 50)
			// A list of a kind holds at most what the data has of it.
			if k, ok := decl.KindByType(conn); ok && k.Most > 0 {
				w.page = min(w.page, k.Most)
			}
		}
		child = w.selectionAbstract(f.Selections, def.Type.Name())
		w.page = outer
	}
	return rule(c, child)
}

// selectionAbstract prices a selection on a type; for an interface or union
// it takes the costliest of the interface's own fields and of each concrete
// type the selection names in a fragment.
func (w *costWalker) selectionAbstract(set ast.SelectionSet, typ string) int {
	def := w.schema.Types[typ]
	if def == nil || !def.IsAbstractType() {
		return w.selection(set, typ)
	}
	most := w.selection(set, typ)
	for _, c := range w.conditions(set, map[string]bool{}, nil) {
		if c != typ && w.schema.Types[c] != nil && !w.schema.Types[c].IsAbstractType() {
			most = max(most, w.selection(set, c))
		}
	}
	return most
}

// conditions lists the type conditions of the fragments directly in set
// (following fragment spreads, each once).
func (w *costWalker) conditions(set ast.SelectionSet, seen map[string]bool, out []string) []string {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.InlineFragment:
			if s.TypeCondition != "" && !seen["type:"+s.TypeCondition] {
				seen["type:"+s.TypeCondition] = true
				out = append(out, s.TypeCondition)
			}
			out = w.conditions(s.SelectionSet, seen, out)
		case *ast.FragmentSpread:
			if seen["frag:"+s.Name] {
				continue
			}
			seen["frag:"+s.Name] = true
			if f := w.op.Doc.Fragments.ForName(s.Name); f != nil {
				if !seen["type:"+f.TypeCondition] {
					seen["type:"+f.TypeCondition] = true
					out = append(out, f.TypeCondition)
				}
				out = w.conditions(f.SelectionSet, seen, out)
			}
		}
	}
	return out
}

// intArg reads an integer argument (default def). Out-of-range values are
// the resolvers' to refuse; the price takes them as given (bounded to keep
// the arithmetic safe).
func intArg(args map[string]any, name string, def int) int {
	v, ok := args[name]
	if !ok || v == nil {
		return def
	}
	var n int64
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int64:
		n = x
	case int32:
		n = int64(x)
	case float64:
		n = int64(x)
	case json.Number:
		i, err := x.Int64()
		if err != nil {
			return def
		}
		n = i
	default:
		return def
	}
	return int(min(max(n, 0), 1<<20))
}

func listLen(args map[string]any, name string) int {
	if l, ok := args[name].([]any); ok {
		return len(l)
	}
	return 1
}

// costLimit refuses an operation whose cost passes the limit.
func costLimit(schema *ast.Schema, op *graphql.OperationContext, limit int) *gqlerror.Error {
	cost, err := operationCost(schema, op, limit)
	if err != nil {
		return &gqlerror.Error{Message: err.Error(), Extensions: map[string]any{"code": apierr.CodeBadRequest}}
	}
	if cost > limit {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("the query costs more than the limit of %d; ask for fewer fields, smaller pages or fewer aliases", limit),
			Extensions: map[string]any{"code": apierr.CodeComplexityLimit, "limit": limit},
		}
	}
	return nil
}
