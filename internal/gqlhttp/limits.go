package gqlhttp

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/icsgraph/icsgraph/internal/apierr"
)

// depthLimit rejects operations nested deeper than max before any resolver
// runs. Introspection fields (__schema, __type) do not count: GraphiQL's own
// introspection query is deep by design.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (d depthLimit) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	if depth := selectionDepth(op.Operation.SelectionSet, op.Doc.Fragments, 0); depth > d.max {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("the query is nested %d levels deep; the limit is %d", depth, d.max),
			Extensions: map[string]any{"code": apierr.CodeDepthLimit, "depth": depth, "limit": d.max},
		}
	}
	return nil
}

// selectionDepth is the deepest field nesting below set. seen guards against
// fragment cycles (which validation rejects anyway) by bounding recursion.
func selectionDepth(set ast.SelectionSet, fragments ast.FragmentDefinitionList, level int) int {
	if level > 64 {
		return level
	}
	deepest := level
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = selectionDepth(s.SelectionSet, fragments, level+1)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, fragments, level)
		case *ast.FragmentSpread:
			if f := fragments.ForName(s.Name); f != nil {
				d = selectionDepth(f.SelectionSet, fragments, level)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}
