package gqlhttp

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/lru"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Limits bound the work one request can ask for; each is checked before the
// database is touched. Zero fields take the defaults (DefaultLimits).
type Limits struct {
	MaxTokens       int   // lexical tokens in the query document (parser limit too)
	MaxFragments    int   // fragment definitions in the document
	MaxSpreads      int   // fragment spreads and inline fragments
	MaxDirectives   int   // directive uses
	MaxAliases      int   // aliased fields
	MaxOperations   int   // operations in one document
	MaxRootFields   int   // fields at the root of the operation, after fragments
	MaxErrors       int   // errors in one answer; the rest are counted in one last error
	MaxSearchChars  int   // characters of search text
	MaxSearchTerms  int   // words of search text
	MaxDBCalls      int   // database calls of one operation running at once
	QueryCacheBytes int64 // parsed-query cache budget (bytes of query text)
	APQCacheBytes   int64 // persisted-query cache budget (bytes of query text)
	MaxCachedQuery  int64 // longest query kept in either cache
	MaxBodyBytes    int64 // largest request body the handler reads
	MaxEchoedRunes  int   // longest message echoed back (input quoted in it is cut)
}

// DefaultLimits suit open data: a GraphiQL introspection query and the
// examples fit with room to spare.
var DefaultLimits = Limits{
	MaxTokens:       8000,
	MaxFragments:    64,
	MaxSpreads:      256,
	MaxDirectives:   64,
	MaxAliases:      200,
	MaxOperations:   32,
	MaxRootFields:   24,
	MaxErrors:       20,
	MaxSearchChars:  200,
	MaxSearchTerms:  12,
	MaxDBCalls:      4,
	QueryCacheBytes: 32 << 20,
	APQCacheBytes:   1 << 20,
	MaxCachedQuery:  64 << 10,
	MaxBodyBytes:    1 << 20,
	MaxEchoedRunes:  200,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick64 := func(v *int64, def int64) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.MaxTokens, d.MaxTokens)
	pick(&l.MaxFragments, d.MaxFragments)
	pick(&l.MaxSpreads, d.MaxSpreads)
	pick(&l.MaxDirectives, d.MaxDirectives)
	pick(&l.MaxAliases, d.MaxAliases)
	pick(&l.MaxOperations, d.MaxOperations)
	pick(&l.MaxRootFields, d.MaxRootFields)
	pick(&l.MaxErrors, d.MaxErrors)
	pick(&l.MaxSearchChars, d.MaxSearchChars)
	pick(&l.MaxSearchTerms, d.MaxSearchTerms)
	pick(&l.MaxDBCalls, d.MaxDBCalls)
	pick64(&l.QueryCacheBytes, d.QueryCacheBytes)
	pick64(&l.APQCacheBytes, d.APQCacheBytes)
	pick64(&l.MaxCachedQuery, d.MaxCachedQuery)
	pick64(&l.MaxBodyBytes, d.MaxBodyBytes)
	pick(&l.MaxEchoedRunes, d.MaxEchoedRunes)
	return l
}

// maxNameBytes bounds names (fields, aliases, arguments, fragments): the
// schema's longest is a few dozen characters, and validation compares an
// unknown name with every known one to suggest a spelling.
const maxNameBytes = 256

// scanQuery counts what the document holds without building it: tokens,
// fragment definitions, spreads, directives, aliases and operations. It
// stops at the first limit passed, so its work is bounded by MaxTokens.
func scanQuery(q string, l Limits) *gqlerror.Error {
	lx := lexer.New(&ast.Source{Input: q})
	var tokens, fragments, spreads, directives, aliases, operations, braces, parens int
	prevName := false
	for {
		tok, err := lx.ReadToken()
		if err != nil {
			return nil // the parser reports it, with its location
		}
		if tok.Kind == lexer.EOF {
			return nil
		}
		tokens++
		if tokens > l.MaxTokens {
			return apierr.LimitError("tokens", l.MaxTokens, tokens, "the query has more than %d tokens", l.MaxTokens)
		}
		switch tok.Kind {
		case lexer.BraceL:
			if braces == 0 && !prevName && parens == 0 {
				operations++ // an anonymous operation; named ones are counted by keyword
			}
			braces++
		case lexer.BraceR:
			braces--
		case lexer.ParenL:
			parens++
		case lexer.ParenR:
			parens--
		case lexer.Spread:
			spreads++
		case lexer.At:
			directives++
		case lexer.Colon:
			if prevName && braces > 0 && parens == 0 {
				aliases++
			}
		case lexer.Name:
			if len(tok.Value) > maxNameBytes {
				return apierr.LimitError("nameLength", maxNameBytes, len(tok.Value), "a name in the query is longer than %d characters", maxNameBytes)
			}
			if braces == 0 && parens == 0 {
				switch tok.Value {
				case "fragment":
					fragments++
				case "query", "mutation", "subscription":
					operations++
				}
			}
		}
		prevName = tok.Kind == lexer.Name || (tok.Kind == lexer.ParenR && braces == 0)
		switch {
		case fragments > l.MaxFragments:
			return apierr.LimitError("fragments", l.MaxFragments, fragments, "the query defines more than %d fragments", l.MaxFragments)
		case spreads > l.MaxSpreads:
			return apierr.LimitError("spreads", l.MaxSpreads, spreads, "the query uses more than %d fragment spreads", l.MaxSpreads)
		case directives > l.MaxDirectives:
			return apierr.LimitError("directives", l.MaxDirectives, directives, "the query uses more than %d directives", l.MaxDirectives)
		case aliases > l.MaxAliases:
			return apierr.LimitError("aliases", l.MaxAliases, aliases, "the query uses more than %d aliases", l.MaxAliases)
		case operations > l.MaxOperations:
			return apierr.LimitError("operations", l.MaxOperations, operations, "the document holds more than %d operations", l.MaxOperations)
		}
	}
}

// guard is the handler extension that applies the Limits: a scan of the
// query text before it is parsed, then (after validation) the root field
// count, argument checks and the cost; last, the caches keep the request's
// query only when all of that passed.
type guard struct {
	limits        Limits
	maxComplexity int
	schema        *ast.Schema
	queries       *byteCache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = guard{}

func (guard) ExtensionName() string                   { return "Limits" }
func (guard) Validate(graphql.ExecutableSchema) error { return nil }

func (g guard) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if _, ok := g.queries.Get(ctx, p.Query); ok {
		return nil // validated and within the limits before
	}
	return scanQuery(p.Query, g.limits)
}

func (g guard) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	if op.Operation.Operation != ast.Query {
		return &gqlerror.Error{Message: "only queries are served", Extensions: map[string]any{"code": apierr.CodeBadRequest}}
	}
	roots := graphql.CollectFields(op, op.Operation.SelectionSet, []string{"Query"})
	if len(roots) > g.limits.MaxRootFields {
		return apierr.LimitError("rootFields", g.limits.MaxRootFields, len(roots), "the query asks for %d root fields; the limit is %d", len(roots), g.limits.MaxRootFields)
	}
	if err := g.checkArguments(op); err != nil {
		return err
	}
	if err := costLimit(g.schema, op, g.maxComplexity); err != nil {
		return err
	}
	pendingFrom(ctx).commit()
	return nil
}

// checkArguments checks argument values the schema's validation cannot:
// custom scalars (a Date must be a real date) and the size of search text,
// so that a bad value is BAD_USER_INPUT naming the argument, before any
// resolver or database work.
func (g guard) checkArguments(op *graphql.OperationContext) *gqlerror.Error {
	seen := map[string]bool{}
	var walk func(set ast.SelectionSet) *gqlerror.Error
	walk = func(set ast.SelectionSet) *gqlerror.Error {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Definition != nil && len(s.Arguments) > 0 {
					args := s.ArgumentMap(op.Variables)
					for _, a := range s.Definition.Arguments {
						if err := checkValue(g.schema, a.Name, a.Type, args[a.Name]); err != nil {
							return err
						}
					}
					if s.ObjectDefinition != nil && s.ObjectDefinition.Name == "Query" && s.Name == "search" {
						if err := g.checkSearch(args["text"]); err != nil {
							return err
						}
					}
				}
				if err := walk(s.SelectionSet); err != nil {
					return err
				}
			case *ast.InlineFragment:
				if err := walk(s.SelectionSet); err != nil {
					return err
				}
			case *ast.FragmentSpread:
				if seen[s.Name] {
					continue
				}
				seen[s.Name] = true
				if f := op.Doc.Fragments.ForName(s.Name); f != nil {
					if err := walk(f.SelectionSet); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	return walk(op.Operation.SelectionSet)
}

// scalarChecks parse custom scalars the way their resolvers will.
var scalarChecks = map[string]func(any) error{
	"Date": func(v any) error {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("a Date must be a string YYYY-MM-DD")
		}
		if _, err := model.ParseDate(s); err != nil {
			return fmt.Errorf("%q is not a date YYYY-MM-DD", truncate(s, 40))
		}
		return nil
	},
}

// checkValue checks v against t, going into lists and input objects.
func checkValue(s *ast.Schema, path string, t *ast.Type, v any) *gqlerror.Error {
	if v == nil || t == nil {
		return nil
	}
	if t.Elem != nil {
		if l, ok := v.([]any); ok {
			for i, e := range l {
				if err := checkValue(s, fmt.Sprintf("%s[%d]", path, i), t.Elem, e); err != nil {
					return err
				}
			}
			return nil
		}
		return checkValue(s, path, t.Elem, v)
	}
	if check, ok := scalarChecks[t.NamedType]; ok {
		if err := check(v); err != nil {
			return badInputError(path, "%s", err.Error())
		}
		return nil
	}
	def := s.Types[t.NamedType]
	if def == nil || def.Kind != ast.InputObject {
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	for _, f := range def.Fields {
		if err := checkValue(s, path+"."+f.Name, f.Type, obj[f.Name]); err != nil {
			return err
		}
	}
	return nil
}

func (g guard) checkSearch(v any) *gqlerror.Error {
	text, _ := v.(string)
	if n := utf8.RuneCountInString(text); n > g.limits.MaxSearchChars {
		return badInputError("text", "search text is limited to %d characters, got %d", g.limits.MaxSearchChars, n)
	}
	if n := len(strings.Fields(store.Normalise(text))); n > g.limits.MaxSearchTerms {
		return badInputError("text", "search text is limited to %d words, got %d", g.limits.MaxSearchTerms, n)
	}
	return nil
}

// badInputError is apierr.BadInput as the *gqlerror.Error extensions return.
func badInputError(argument, format string, args ...any) *gqlerror.Error {
	err, _ := apierr.BadInput(argument, format, args...).(*gqlerror.Error)
	return err
}

// pending holds what a request would add to the caches until its query has
// passed validation and every limit (the executor adds a parsed query
// before the limits run, the persisted-query extension before parsing).
type pending struct {
	mu   sync.Mutex
	adds []func()
}

type pendingKey struct{}

func withPending(ctx context.Context) context.Context {
	return context.WithValue(ctx, pendingKey{}, &pending{})
}

func pendingFrom(ctx context.Context) *pending {
	p, _ := ctx.Value(pendingKey{}).(*pending)
	return p
}

func (p *pending) add(f func()) {
	if p == nil {
		return // no request scope: nothing is cached
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.adds = append(p.adds, f)
}

func (p *pending) commit() {
	if p == nil {
		return
	}
	p.mu.Lock()
	adds := p.adds
	p.adds = nil
	p.mu.Unlock()
	for _, f := range adds {
		f()
	}
}

// byteCache is a parsed-query or persisted-query cache: an LRU bounded by
// the bytes of its keys and values as size says (internal/lru), which keeps
// entries only once the request that offered them has passed every check
// (see pending).
type byteCache[T any] struct {
	maxEntry int64
	size     func(key string, v T) int64
	lru      *lru.Cache[string, T]
}

func newByteCache[T any](budget, maxEntry int64, size func(string, T) int64) *byteCache[T] {
	return &byteCache[T]{maxEntry: maxEntry, size: size, lru: lru.New[string, T](budget)}
}

func (c *byteCache[T]) Get(_ context.Context, key string) (T, bool) { return c.lru.Get(key) }

// Add offers an entry; it is stored when the request passes its checks.
func (c *byteCache[T]) Add(ctx context.Context, key string, v T) {
	pendingFrom(ctx).add(func() { c.store(key, v) })
}

func (c *byteCache[T]) store(key string, v T) {
	if n := c.size(key, v); n <= c.maxEntry {
		if _, held := c.lru.Get(key); !held {
			c.lru.Add(key, v, n)
		}
	}
}

// Bytes is what the cache holds, by its size measure.
func (c *byteCache[T]) Bytes() int64 { return c.lru.Bytes() }

// truncate cuts s to n runes, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
