package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	decl "github.com/icsgraph/icsgraph/internal/model"
)

// Direct answers. A compiled root field (a lookup, a list, node, nodes,
// search) has read everything its selection asks in one statement
// (compiled.go); what is left is pure: hand each value to its field. gqlgen's
// executor does that with a FieldContext, a middleware chain and a goroutine
// for every list element and resolver field — about 2,500 goroutines for
// every region with its ICSs, trusts and council overlaps, most of the
// request's CPU. Here the same resolvers and model values are written
// straight into the answer, in one goroutine, in the order gqlgen would:
//
//   - a field bound to a resolver method (schema.resolvers.go …) calls it
//     with a FieldContext like gqlgen's (object, field, alias, typed
//     arguments), so the resolvers cannot tell the difference;
//   - other fields read the model's method or struct field, matched by name
//     as gqlgen binds them;
//   - scalars and enums are written by gqlgen's own marshallers.
//
// Anything unexpected — a resolver error, a null where the schema forbids
// one, a panic, a read that needs the loaders' batching (which relies on
// sibling fields resolving concurrently), an argument it cannot convert, a
// deferred fragment — and the root field is answered by gqlgen instead, from
// the root resolver's result already computed (no second database call), so
// errors keep gqlgen's exact paths, nulls and messages. TestDirectAnswers
// compares both executions byte for byte.

// directRoots are the root fields answered directly: those that compile
// their whole selection into one statement.
var directRoots = func() map[string]bool {
	out := map[string]bool{"node": true, "nodes": true, "organisation": true, "search": true}
	for _, k := range decl.Kinds {
		out[k.Lookup], out[k.List] = true, true
	}
	return out
}()

// errNotDirect sends a root field back to gqlgen's executor.
var errNotDirect = errors.New("graph: not answerable directly")

// direct is the gqlgen extension: a root-field interceptor that answers
// directly, and a field interceptor that hands gqlgen the root result
// already computed when it falls back.
type direct struct {
	schema *ast.Schema
	root   reflect.Value // the ResolverRoot
	logger *slog.Logger

	mu        sync.RWMutex
	bindings  map[bindKey]*binding
	resolvers map[string]reflect.Value    // GraphQL type → its resolver (r.Trust()…)
	objects   map[reflect.Type]objectInfo // Go model type → its object type
}

// objectInfo is the object type a Go model type is bound to and the types
// it satisfies (itself, its interfaces and unions); sat is nil when the Go
// type is bound to no object type.
type objectInfo struct {
	name string
	sat  []string
}

// NewDirectAnswers is the extension that answers compiled root fields
// directly; the handler (internal/gqlhttp) registers it unless
// Options.PerFieldExecution asks for gqlgen's executor on every field.
func NewDirectAnswers(schema *ast.Schema, root ResolverRoot, logger *slog.Logger) graphql.HandlerExtension {
	return newDirect(schema, root, logger)
}

func newDirect(schema *ast.Schema, root ResolverRoot, logger *slog.Logger) *direct {
	return &direct{schema: schema, root: reflect.ValueOf(root), logger: logger, bindings: map[bindKey]*binding{},
		resolvers: map[string]reflect.Value{}, objects: map[reflect.Type]objectInfo{}}
}

func (*direct) ExtensionName() string                   { return "DirectAnswers" }
func (*direct) Validate(graphql.ExecutableSchema) error { return nil }

// directKey marks the context of a direct answer (the loaders refuse it).
type directKey struct{}

// answeringDirectly reports whether ctx belongs to a direct answer.
func answeringDirectly(ctx context.Context) bool { return ctx.Value(directKey{}) != nil }

// rootMemo is a root resolver's result, for gqlgen to use when it takes over.
type rootMemo struct {
	field *ast.Field
	res   any
	err   error
	taken atomic.Bool
}

type memoKey struct{}

func (d *direct) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rfc := graphql.GetRootFieldContext(ctx)
	if rfc == nil || !directRoots[rfc.Field.Name] || graphql.GetOperationContext(ctx).Operation.Operation != ast.Query {
		return next(ctx)
	}
	out, memo, why := d.answer(ctx, rfc.Field)
	if out != nil {
		return out
	}
	d.logger.DebugContext(ctx, "answered by gqlgen's executor", "field", rfc.Field.Name, "reason", why)
	if memo != nil {
		ctx = context.WithValue(ctx, memoKey{}, memo)
	}
	return next(ctx)
}

// InterceptField answers the root field gqlgen took over with the result
// the direct attempt already has.
func (d *direct) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	if m, ok := ctx.Value(memoKey{}).(*rootMemo); ok {
		if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Field.Field == m.field && m.taken.CompareAndSwap(false, true) {
			return m.res, m.err
		}
	}
	return next(ctx)
}

// answer runs root field f's resolver and writes its answer; a nil
// Marshaler means gqlgen must answer, with memo (when not nil) holding the
// resolver's result.
func (d *direct) answer(ctx context.Context, f graphql.CollectedField) (out graphql.Marshaler, memo *rootMemo, why error) {
	op := graphql.GetOperationContext(ctx)
	b, err := d.binding(d.resolverOf("Query").Type(), "Query", f.Definition)
	if err != nil {
		return nil, nil, err
	}
	in, args, err := d.arguments(op, f, b, 1)
	if err != nil {
		return nil, nil, err
	}
	fc := &graphql.FieldContext{Object: "Query", Field: f, Args: args, IsMethod: true, IsResolver: true}
	ctx = context.WithValue(graphql.WithFieldContext(ctx, fc), directKey{}, true)
	defer func() {
		if r := recover(); r != nil { // gqlgen runs it again and reports the panic as it does
			out, why = nil, fmt.Errorf("%w: panic: %v", errNotDirect, r)
		}
	}()
	in[0] = reflect.ValueOf(ctx)
	res, err := call(b.method, in)
	memo = &rootMemo{field: f.Field, res: res.Interface(), err: err}
	if err != nil {
		return nil, memo, err
	}
	a := &answering{direct: d, op: op, w: &bytes.Buffer{}, plans: map[planKey]*plan{}}
	if err := a.value(ctx, f.Definition.Type, f.Selections, res); err != nil {
		return nil, memo, err
	}
	return graphql.WriterFunc(func(w io.Writer) { _, _ = w.Write(a.w.Bytes()) }), nil, nil
}

// answering is one direct answer being written. The fields a selection set
// selects on a Go type, and their bindings, are the same for every object
// of a list: they are collected once per answer (plans), not per object.
type answering struct {
	*direct
	op    *graphql.OperationContext
	w     *bytes.Buffer
	plans map[planKey]*plan
}

// plan is what objects of one Go type write for one selection set: the
// object type the Go type is bound to, the types it satisfies (nil: bound
// to none) and the fields.
type plan struct {
	name   string
	sat    []string
	fields []planned
}

// planKey is a selection set (its first selection's address and its
// length: the parsed document's, or a merge CollectFields made and the
// plans keep alive) at a Go type.
type planKey struct {
	sel    *ast.Selection
	n      int
	goType reflect.Type
}

// planned is one field to write and its binding (nil for __typename).
type planned struct {
	f graphql.CollectedField
	b *binding
}

// value writes v as GraphQL type t with selection sel.
func (a *answering) value(ctx context.Context, t *ast.Type, sel ast.SelectionSet, v reflect.Value) error {
	w := a.w
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if t.Elem != nil { // a list
		if v.Kind() != reflect.Slice {
			if isNil(v) && !t.NonNull {
				w.WriteString("null")
				return nil
			}
			return errNotDirect
		}
		if v.IsNil() && !t.NonNull { // gqlgen writes a nil slice as [] where the list is non-null
			w.WriteString("null")
			return nil
		}
		w.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				w.WriteByte(',')
			}
			// No FieldContext per element (gqlgen's only adds the index to
			// error paths, and an error sends the field back to gqlgen).
			if err := a.value(ctx, t.Elem, sel, v.Index(i)); err != nil {
				return err
			}
		}
		w.WriteByte(']')
		return nil
	}
	if isNil(v) {
		if t.NonNull {
			return errNotDirect
		}
		w.WriteString("null")
		return nil
	}
	def := a.schema.Types[t.NamedType]
	if def == nil {
		return errNotDirect
	}
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		return scalar(ctx, w, def.Name, v)
	default:
		return a.object(ctx, def, sel, v)
	}
}

// object writes the selected fields of v, an object of def (or, when def is
// an interface or union, of the object type v's Go type is bound to).
func (a *answering) object(ctx context.Context, def *ast.Definition, sel ast.SelectionSet, v reflect.Value) error {
	if v.Kind() != reflect.Pointer { // methods of pointer receivers need an address
		p := reflect.New(v.Type())
		p.Elem().Set(v)
		v = p
	}
	pl, err := a.plan(sel, v.Type())
	if err != nil {
		return err
	}
	name := pl.name
	if pl.sat == nil || (name != def.Name && !slices.Contains(pl.sat, def.Name)) {
		return fmt.Errorf("%w: Go type %s at %s", errNotDirect, v.Type(), def.Name)
	}
	w := a.w
	w.WriteByte('{')
	for i, p := range pl.fields {
		if i > 0 {
			w.WriteByte(',')
		}
		quote(w, p.f.Alias)
		w.WriteByte(':')
		if p.b == nil { // __typename
			quote(w, name)
			continue
		}
		fv, fctx, err := a.read(ctx, a.op, p.b, name, p.f, v)
		if err != nil {
			return err
		}
		if err := a.value(fctx, p.f.Definition.Type, p.f.Selections, fv); err != nil {
			return err
		}
	}
	w.WriteByte('}')
	return nil
}

// plan collects the fields sel selects on Go type goType with their
// bindings, once per answer.
func (a *answering) plan(sel ast.SelectionSet, goType reflect.Type) (*plan, error) {
	var k planKey
	if len(sel) > 0 {
		k = planKey{&sel[0], len(sel), goType}
		if p, ok := a.plans[k]; ok {
			return p, nil
		}
	}
	p := &plan{}
	p.name, p.sat = a.objectType(goType)
	if p.sat != nil {
		fields := graphql.CollectFields(a.op, sel, p.sat)
		p.fields = make([]planned, len(fields))
		for i, f := range fields {
			if f.IsDeferred() {
				return nil, errNotDirect
			}
			p.fields[i].f = f
			if f.Name == "__typename" {
				continue
			}
			b, err := a.binding(goType, p.name, f.Definition)
			if err != nil {
				return nil, err
			}
			p.fields[i].b = b
		}
	}
	if len(sel) > 0 {
		a.plans[k] = p
	}
	return p, nil
}

// read gets field f of obj (of GraphQL type typ) through its binding.
func (d *direct) read(ctx context.Context, op *graphql.OperationContext, b *binding, typ string, f graphql.CollectedField, obj reflect.Value) (reflect.Value, context.Context, error) {
	switch b.how {
	case viaField:
		return obj.Elem().FieldByIndex(b.index), ctx, nil
	case viaResolver, viaMethod:
		first := 0 // the receiver (a model method) or the resolver's receiver
		if b.how == viaResolver {
			first = 2 // ctx, obj
		} else if b.ctx {
			first = 1
		}
		in, args, err := d.arguments(op, f, b, first)
		if err != nil {
			return reflect.Value{}, nil, err
		}
		fctx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: typ, Field: f, Args: args, IsMethod: true, IsResolver: b.how == viaResolver})
		switch {
		case b.how == viaResolver:
			in[0], in[1] = reflect.ValueOf(fctx), obj
		case b.ctx:
			in[0] = reflect.ValueOf(fctx)
		}
		fn := b.method
		if b.how == viaMethod {
			fn = obj.Method(b.methodIndex)
		}
		res, err := call(fn, in)
		if err != nil {
			return reflect.Value{}, nil, fmt.Errorf("%w: %s.%s: %w", errNotDirect, typ, f.Name, err)
		}
		return res, fctx, nil
	}
	return reflect.Value{}, nil, errNotDirect
}

// call calls fn, splitting a trailing error result.
func call(fn reflect.Value, in []reflect.Value) (reflect.Value, error) {
	out := fn.Call(in)
	if len(out) == 2 {
		if err, _ := out[1].Interface().(error); err != nil {
			return out[0], err
		}
	}
	return out[0], nil
}

// How a field is bound, as gqlgen binds it: a resolver method, else a method
// of the model type, else a struct field (names compared without case:
// onsCode ↔ OnsCode, id ↔ ID).
const (
	viaResolver = iota + 1
	viaMethod
	viaField
)

// bindKey: field definitions are the schema's (one pointer per field of
// each type), so the cache is bounded by the schema.
type bindKey struct {
	goType reflect.Type
	field  *ast.FieldDefinition
}

type binding struct {
	how         int
	method      reflect.Value // viaResolver: the resolver's bound method
	methodIndex int           // viaMethod: the index in the model type's method set
	params      []reflect.Type
	ctx         bool  // viaMethod: takes a context first
	index       []int // viaField
}

func (d *direct) binding(goType reflect.Type, typ string, field *ast.FieldDefinition) (*binding, error) {
	key := bindKey{goType, field}
	d.mu.RLock()
	b, ok := d.bindings[key]
	d.mu.RUnlock()
	if ok {
		if b == nil {
			return nil, fmt.Errorf("%w: no binding for %s.%s on %s", errNotDirect, typ, field.Name, goType)
		}
		return b, nil
	}
	b = d.bind(goType, typ, field.Name)
	d.mu.Lock()
	d.bindings[key] = b
	d.mu.Unlock()
	if b == nil {
		return nil, fmt.Errorf("%w: no binding for %s.%s on %s", errNotDirect, typ, field.Name, goType)
	}
	return b, nil
}

// objectType returns the object type Go type t (a pointer to a model
// struct) is bound to — autobind names model types as the schema does — and
// the types it satisfies; nil when t is not bound to an object type.
func (d *direct) objectType(t reflect.Type) (string, []string) {
	d.mu.RLock()
	o, ok := d.objects[t]
	d.mu.RUnlock()
	if !ok {
		o.name = t.Elem().Name()
		if def := d.schema.Types[o.name]; def != nil && def.Kind == ast.Object {
			o.sat = []string{o.name}
			for _, i := range d.schema.GetImplements(def) {
				o.sat = append(o.sat, i.Name)
			}
		}
		d.mu.Lock()
		d.objects[t] = o
		d.mu.Unlock()
	}
	return o.name, o.sat
}

func (d *direct) bind(goType reflect.Type, typ, field string) *binding {
	if r := d.resolverOf(typ); r.IsValid() {
		// The methods of the generated interface (TrustResolver…), not of
		// the type implementing it, which also has the root's methods.
		if m, ok := methodNamed(d.root.MethodByName(typ).Type().Out(0), field); ok {
			fn := r.MethodByName(m.Name)
			return &binding{how: viaResolver, method: fn, params: ins(fn.Type())}
		}
	}
	if goType.Kind() != reflect.Pointer {
		return nil
	}
	if m, ok := methodNamed(goType, field); ok {
		params := ins(m.Type)[1:] // without the receiver
		b := &binding{how: viaMethod, methodIndex: m.Index, params: params}
		b.ctx = len(params) > 0 && params[0] == contextType
		return b
	}
	if sf, ok := goType.Elem().FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, field) }); ok && sf.IsExported() {
		return &binding{how: viaField, index: sf.Index}
	}
	return nil
}

// resolverOf returns the resolver of GraphQL type typ (r.Query(), r.Trust()…),
// or an invalid Value when the type has no resolver fields.
func (d *direct) resolverOf(typ string) reflect.Value {
	d.mu.RLock()
	r, ok := d.resolvers[typ]
	d.mu.RUnlock()
	if ok {
		return r
	}
	if m := d.root.MethodByName(typ); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 && m.Type().Out(0).Kind() == reflect.Interface {
		r = m.Call(nil)[0].Elem()
	}
	d.mu.Lock()
	d.resolvers[typ] = r
	d.mu.Unlock()
	return r
}

func methodNamed(t reflect.Type, field string) (reflect.Method, bool) {
	for i := range t.NumMethod() {
		if m := t.Method(i); strings.EqualFold(m.Name, field) {
			return m, true
		}
	}
	return reflect.Method{}, false
}

func ins(t reflect.Type) []reflect.Type {
	out := make([]reflect.Type, t.NumIn())
	for i := range out {
		out[i] = t.In(i)
	}
	return out
}

var (
	contextType     = reflect.TypeFor[context.Context]()
	unmarshalerType = reflect.TypeFor[graphql.Unmarshaler]()
	stringType      = reflect.TypeFor[string]()
	boolType        = reflect.TypeFor[bool]()
	intType         = reflect.TypeFor[int]()
	floatType       = reflect.TypeFor[float64]()
)

// writeFloat writes a finite f exactly as gqlgen's MarshalFloatContext does
// (%g: the shortest representation, TestFloatMatchesGQLGen, FuzzFloat),
// without its closure and formatting allocations per number; gqlgen's own
// marshaller reports an infinite or NaN value.
func writeFloat(w *bytes.Buffer, f float64) {
	w.Write(strconv.AppendFloat(w.AvailableBuffer(), f, 'g', -1, 64))
}

// quote writes s as a JSON string exactly as gqlgen's MarshalString does
// (TestQuoteMatchesGQLGen, FuzzQuote), without its closure per string.
func quote(w *bytes.Buffer, s string) {
	const hex = "0123456789ABCDEF"
	w.WriteByte('"')
	start := 0
	for i, c := range s {
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		w.WriteString(s[start:i])
		switch c {
		case '\t':
			w.WriteString(`\t`)
		case '\r':
			w.WriteString(`\r`)
		case '\n':
			w.WriteString(`\n`)
		case '\\':
			w.WriteString(`\\`)
		case '"':
			w.WriteString(`\"`)
		default:
			w.WriteString(`\u00`)
			w.WriteByte(hex[c>>4])
			w.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}

// arguments converts f's arguments (variables and defaults applied) to the
// types of b's parameters from index first on; it returns the call's
// arguments (slots before first left for the caller) and the FieldContext's
// Args, typed as gqlgen types them.
func (d *direct) arguments(op *graphql.OperationContext, f graphql.CollectedField, b *binding, first int) ([]reflect.Value, map[string]any, error) {
	defs := f.Definition.Arguments
	if len(b.params) != first+len(defs) {
		return nil, nil, fmt.Errorf("%w: %s takes %d parameters, not %d", errNotDirect, f.Name, len(b.params), first+len(defs))
	}
	in := make([]reflect.Value, len(b.params))
	if len(defs) == 0 {
		return in, nil, nil
	}
	raw := f.ArgumentMap(op.Variables)
	args := make(map[string]any, len(defs))
	for i, a := range defs {
		v, err := d.convert(raw[a.Name], b.params[first+i], a.Type)
		if err != nil {
			return nil, nil, err
		}
		in[first+i], args[a.Name] = v, v.Interface()
	}
	return in, args, nil
}

// convert turns a raw argument value into Go type t (GraphQL type gt), as
// gqlgen's generated unmarshalers do; what it cannot convert is left to them.
func (d *direct) convert(raw any, t reflect.Type, gt *ast.Type) (reflect.Value, error) {
	if raw == nil {
		return reflect.Zero(t), nil
	}
	if t.Kind() == reflect.Pointer {
		e, err := d.convert(raw, t.Elem(), gt)
		if err != nil {
			return e, err
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(e)
		return p, nil
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		p := reflect.New(t)
		if err := p.Interface().(graphql.Unmarshaler).UnmarshalGQL(raw); err != nil {
			return p, errNotDirect
		}
		return p.Elem(), nil
	}
	switch t.Kind() {
	case reflect.String:
		if s, ok := raw.(string); ok {
			return reflect.ValueOf(s).Convert(t), nil
		}
	case reflect.Bool:
		if b, ok := raw.(bool); ok {
			return reflect.ValueOf(b).Convert(t), nil
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if n, ok := toInt64(raw); ok {
			return reflect.ValueOf(n).Convert(t), nil
		}
	case reflect.Float64:
		if x, ok := toFloat64(raw); ok {
			return reflect.ValueOf(x).Convert(t), nil
		}
	case reflect.Slice:
		if gt.Elem == nil {
			break
		}
		list, ok := raw.([]any)
		if !ok { // a single value where a list is expected is a list of one
			list = []any{raw}
		}
		out := reflect.MakeSlice(t, len(list), len(list))
		for i, x := range list {
			e, err := d.convert(x, t.Elem(), gt.Elem)
			if err != nil {
				return e, err
			}
			out.Index(i).Set(e)
		}
		return out, nil
	case reflect.Struct:
		m, ok := raw.(map[string]any)
		def := d.schema.Types[gt.NamedType]
		if !ok || def == nil || def.Kind != ast.InputObject {
			break
		}
		out := reflect.New(t).Elem()
		for _, fd := range def.Fields {
			x, present := m[fd.Name]
			if !present && fd.DefaultValue != nil {
				v, err := fd.DefaultValue.Value(nil)
				if err != nil {
					return out, errNotDirect
				}
				x, present = v, true
			}
			if !present {
				continue
			}
			sf, ok := t.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, fd.Name) })
			if !ok {
				return out, errNotDirect
			}
			e, err := d.convert(x, sf.Type, fd.Type)
			if err != nil {
				return e, err
			}
			out.FieldByIndex(sf.Index).Set(e)
		}
		return out, nil
	}
	return reflect.Zero(t), errNotDirect
}

func toInt64(raw any) (int64, bool) {
	switch x := raw.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	case float64:
		return int64(x), float64(int64(x)) == x
	}
	return 0, false
}

func toFloat64(raw any) (float64, bool) {
	switch x := raw.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// scalar writes a scalar or enum value with gqlgen's marshallers.
func scalar(ctx context.Context, w *bytes.Buffer, typ string, v reflect.Value) error {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	switch v.Type() { // the plain Go types, without boxing them
	case stringType:
		if typ == "String" || typ == "ID" {
			quote(w, v.String())
			return nil
		}
	case boolType:
		if typ == "Boolean" {
			w.WriteString(strconv.FormatBool(v.Bool()))
			return nil
		}
	case intType:
		if typ == "Int" {
			w.Write(strconv.AppendInt(w.AvailableBuffer(), v.Int(), 10))
			return nil
		}
	case floatType:
		if f := v.Float(); typ == "Float" && !math.IsInf(f, 0) && !math.IsNaN(f) {
			writeFloat(w, f)
			return nil
		}
	}
	switch x := v.Interface().(type) {
	case graphql.Marshaler:
		x.MarshalGQL(w)
		return nil
	case graphql.ContextMarshaler:
		return x.MarshalGQLContext(ctx, w)
	}
	switch {
	case typ == "String" && v.Kind() == reflect.String:
		graphql.MarshalString(v.String()).MarshalGQL(w)
	case typ == "ID" && v.Kind() == reflect.String:
		graphql.MarshalID(v.String()).MarshalGQL(w)
	case typ == "Boolean" && v.Kind() == reflect.Bool:
		graphql.MarshalBoolean(v.Bool()).MarshalGQL(w)
	case typ == "Int" && v.CanInt():
		graphql.MarshalInt64(v.Int()).MarshalGQL(w)
	case typ == "Float" && v.CanFloat():
		return graphql.MarshalFloatContext(v.Float()).MarshalGQLContext(ctx, w)
	default:
		return fmt.Errorf("%w: %s from %s", errNotDirect, typ, v.Type())
	}
	return nil
}

func isNil(v reflect.Value) bool {
	if !v.IsValid() {
		return true
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map, reflect.Func:
		return v.IsNil()
	}
	return false
}

var _ interface {
	graphql.HandlerExtension
	graphql.RootFieldInterceptor
	graphql.FieldInterceptor
} = (*direct)(nil)
