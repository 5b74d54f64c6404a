package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/export"
)

// exportLinks links the export of the subgraph a field answered, with the
// field's own arguments (code, depth, kinds, limit, and asOf when the
// schema has it): the same subgraph as a file.
func exportLinks(ctx context.Context, what string) []*model.ExportLink {
	args := map[string][]string{}
	if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Parent != nil {
		for name, v := range fc.Parent.Args {
			if s := argText(v); len(s) > 0 {
				args[name] = s
			}
		}
	}
	out := make([]*model.ExportLink, 0, len(export.Formats))
	for _, f := range export.Formats {
		out = append(out, &model.ExportLink{Format: string(f), URL: export.URL(what, args, f), ContentType: f.ContentType()})
	}
	return out
}

// argText renders an argument for a URL; lists become one comma-separated value.
func argText(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case *int:
		if x == nil {
			return nil
		}
		return []string{fmt.Sprint(*x)}
	case *string:
		if x == nil {
			return nil
		}
		return []string{*x}
	case *bool:
		if x == nil {
			return nil
		}
		return []string{fmt.Sprint(*x)}
	case *model.Date:
		if x == nil {
			return nil
		}
		return []string{string(*x)}
	case []model.OrganisationKind:
		if len(x) == 0 {
			return nil
		}
		parts := make([]string, len(x))
		for i, k := range x {
			parts[i] = string(k)
		}
		return []string{strings.Join(parts, ",")}
	case fmt.Stringer:
		return []string{x.String()}
	}
	return []string{fmt.Sprint(v)}
}
