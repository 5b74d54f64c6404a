package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/icsgraph/icsgraph/graph/model"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// The resolvers' wiring, derived from the declarations in internal/model: a
// relationship field resolver names no relationship; it asks preOf for what
// the field reached, which is always a compiled statement's answer: the
// root field's (Org.Pre), or, for organisations no root statement read
// (inside reports), the same statement compiled for the field alone and
// batched over its organisations (loaders.go), for the date the
// organisation answers for (Org.At). There is no other read path.

// preOf returns what the relationship field being resolved reached from
// obj: a []item, or a conn for a connection field.
func preOf(ctx context.Context, obj model.Organisational) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	b := obj.Base()
	if v, ok := b.Pre[fc.Field.Alias]; ok {
		return v, nil
	}
	d, ok := decl.Lookup(fc.Object, fc.Field.Name)
	if !ok {
		return nil, fmt.Errorf("graph: %s.%s has no relationship declaration in internal/model", fc.Object, fc.Field.Name)
	}
	return loadersFor(ctx).field(ctx, fc, d, store.KindCode{Kind: string(b.Kind), Code: b.Code}, b.At)
}

// itemsOf returns what the relationship field being resolved reached from obj.
func itemsOf(ctx context.Context, obj model.Organisational) ([]item, error) {
	v, err := preOf(ctx, obj)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case []item:
		return x, nil
	case conn:
		return x.Items, nil
	}
	return nil, nil
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

// connectionOf answers a connection field from the compiled page.
func connectionOf[T model.Organisational, E any](ctx context.Context, obj model.Organisational, first *int, after *string, mk func(string, T) E) ([]E, model.Page, error) {
	v, err := preOf(ctx, obj)
	if err != nil {
		return nil, model.Page{}, err
	}
	c, _ := v.(conn)
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

// relFrom carries an edge's source and validity into a model.Rel.
func relFrom(it item) model.Rel {
	r := toRel(*it.edge())
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
		e, rel := it.edge(), relFrom(it)
		date := optDate(e.Date)
		if date == nil { // a succession's date is its validFrom unless it says otherwise
			date = rel.ValidFrom
		}
		return &model.Succession{Rel: rel, Organisation: it.Org, Date: date, Share: e.Share, ShareWeight: optStr(e.ShareWeight), Basis: optStr(e.Basis)}
	})
}
