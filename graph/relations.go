package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/icsgraph/icsgraph/graph/model"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// The resolvers' wiring, derived from the declarations in internal/model: a
// relationship field resolver names no relationship; it asks itemsOf for
// what the field reached, which is the compiled statement's answer (Org.Pre)
// or, for organisations no root statement read (below some traversals), a
// batched read of the declared hop.

// defaultAsOf is the date a request answers for when it gives no asOf: the
// newest date the data describes (asof.go).
func defaultAsOf(ctx context.Context) string {
	_, to := dataRange(ctx)
	return to
}

// asOfOf reads the root field's asOf argument (or the default) and checks
// that it lies within the dates the data describes.
func asOfOf(ctx context.Context, fc *graphql.FieldContext) string {
	if fc != nil {
		if v, ok := fc.Args["asOf"]; ok {
			switch d := v.(type) {
			case *model.Date:
				if d != nil {
					return string(*d)
				}
			case model.Date:
				return string(d)
			}
		}
	}
	return defaultAsOf(ctx)
}

// checkAsOf returns BAD_USER_INPUT for a date outside the data's range.
func checkAsOf(ctx context.Context, asOf *model.Date) error {
	_, err := asOfDate(ctx, asOf)
	return err
}

// itemsOf returns what the relationship field being resolved reached from obj.
func itemsOf(ctx context.Context, obj model.Organisational) ([]item, error) {
	fc := graphql.GetFieldContext(ctx)
	b := obj.Base()
	if v, ok := b.Pre[fc.Field.Alias]; ok {
		switch x := v.(type) {
		case []item:
			return x, nil
		case conn:
			return x.Items, nil
		}
	}
	d, ok := decl.Lookup(fc.Object, fc.Field.Name)
	if !ok {
		return nil, fmt.Errorf("graph: %s.%s has no relationship declaration in internal/model", fc.Object, fc.Field.Name)
	}
	links, err := loadersFor(ctx).related(ctx, hop(d), b.Code)
	if err != nil {
		return nil, err
	}
	var kinds []string
	if d.KindArg != "" {
		if k := argString(fc.Args[d.KindArg]); k != "" {
			kinds = []string{k}
		}
	}
	labels := d.TargetLabels(kinds)
	out := make([]item, 0, len(links))
	for _, l := range links {
		if k, ok := decl.KindByValue(l.Node.Kind); !ok || !slices.Contains(labels, k.Label) {
			continue
		}
		out = append(out, item{Edge: l.Edge, Org: toOrganisation(l.Node), Key: l.Node.Name})
	}
	return out, nil
}

// many answers a list-of-organisations field.
func many[T model.Organisational](ctx context.Context, obj model.Organisational) ([]T, error) {
	items, err := itemsOf(ctx, obj)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		if v, ok := it.Org.(T); ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// one answers a single-organisation field (nil when nothing is reached).
func one[T model.Organisational](ctx context.Context, obj model.Organisational) (T, error) {
	all, err := many[T](ctx, obj)
	if err != nil || len(all) == 0 {
		var zero T
		return zero, err
	}
	return all[0], nil
}

// edgesOf answers an edge-object field (Partnership, CouncilIcsOverlap, …).
func edgesOf[E any](ctx context.Context, obj model.Organisational, mk func(item) E) ([]E, error) {
	items, err := itemsOf(ctx, obj)
	if err != nil {
		return nil, err
	}
	out := make([]E, 0, len(items))
	for _, it := range items {
		out = append(out, mk(it))
	}
	return out, nil
}

// connectionOf answers a connection field: from the compiled page when the
// root statement read it, else by paging the whole list in name order.
func connectionOf[T model.Organisational, E any](ctx context.Context, obj model.Organisational, first *int, after *string, mk func(string, T) E) ([]E, model.Page, error) {
	fc := graphql.GetFieldContext(ctx)
	if c, ok := obj.Base().Pre[fc.Field.Alias].(conn); ok {
		edges := make([]E, 0, len(c.Items))
		cursors := make([]string, 0, len(c.Items))
		for _, it := range c.Items {
			v, ok := it.Org.(T)
			if !ok {
				continue
			}
			cur := encodeCursor(store.SortName, store.Cursor{Key: it.Key, Code: v.Base().Code})
			cursors = append(cursors, cur)
			edges = append(edges, mk(cur, v))
		}
		total := c.Total
		return edges, model.Page{
			PageInfo: pageInfo(cursors, c.HasPrev, c.HasNext),
			Count: func(context.Context) (int, error) {
				if total == nil {
					return 0, fmt.Errorf("graph: totalCount was not compiled")
				}
				return *total, nil
			},
		}, nil
	}
	return subList(ctx, obj, first, after, mk)
}

// relFrom carries an edge's source and validity into a model.Rel.
func relFrom(it item) model.Rel {
	r := toRel(it.Edge)
	if it.Src != nil {
		r.Src, r.HasSrc = it.Src, true
	}
	return r
}

// orgSources answers an organisation's sources field.
func orgSources(ctx context.Context, b *model.Org) ([]*model.Source, error) {
	if v, ok := b.Pre[model.PreSources].([]*model.Source); ok {
		return v, nil
	}
	return sourcesOf(ctx, b.SourceIDs)
}

// relSource answers an edge's source field.
func relSource(ctx context.Context, r *model.Rel) (*model.Source, error) {
	if r.HasSrc {
		return r.Src, nil
	}
	return sourceOf(ctx, r.SourceID)
}

// asOrg returns the organisation an item reached as T (nil when of another type).
func asOrg[T model.Organisational](it item) T {
	v, _ := it.Org.(T)
	return v
}

// successions answers predecessors and successors (SUCCEEDED_BY).
func successions(ctx context.Context, obj model.Organisational) ([]*model.Succession, error) {
	return edgesOf(ctx, obj, func(it item) *model.Succession {
		e, rel := it.Edge, relFrom(it)
		date := optDate(e.Date)
		if date == nil { // the time model's date is its validFrom; older graphs say since
			date = rel.Since
		}
		return &model.Succession{Rel: rel, Organisation: it.Org, Date: date, Share: e.Share, ShareWeight: optStr(e.ShareWeight), Basis: optStr(e.Basis)}
	})
}

// hop is the store's read of a relationship field (one batched query for
// many starting codes), named typeName.field.
func hop(r *decl.Resolved) store.Hop {
	return store.Hop{Name: r.Type + "." + r.Name, From: r.From, Rel: r.Rel, To: strings.Join(r.To, "|"), Reverse: r.Reverse, OrderBy: r.OrderBy}
}
