package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Helpers shared by the resolvers: batched loads through the operation's
// loaders, argument checks and Relay paging.

// sourcesOf resolves source ids; ids the database does not know are skipped.
func sourcesOf(ctx context.Context, ids []string) ([]*model.Source, error) {
	out := make([]*model.Source, 0, len(ids))
	for _, id := range ids {
		src, err := sourceOf(ctx, id)
		if err != nil {
			return nil, err
		}
		if src != nil {
			out = append(out, src)
		}
	}
	return out, nil
}

func sourceOf(ctx context.Context, id string) (*model.Source, error) {
	if id == "" {
		return nil, nil
	}
	all, err := loadersFor(ctx).sources()
	if err != nil {
		return nil, err
	}
	src, ok := all[id]
	if !ok {
		return nil, nil
	}
	return toSource(src), nil
}

// many follows hop from code and returns the organisations reached as T.
func many[T model.Organisational](ctx context.Context, hop store.Hop, code string) ([]T, error) {
	links, err := loadersFor(ctx).related(ctx, hop, code)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(links))
	for _, l := range links {
		if v, ok := toOrganisation(l.Node).(T); ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// one follows hop from code and returns the first organisation reached, or
// the zero T (nil) when there is none.
func one[T model.Organisational](ctx context.Context, hop store.Hop, code string) (T, error) {
	all, err := many[T](ctx, hop, code)
	if err != nil || len(all) == 0 {
		var zero T
		return zero, err
	}
	return all[0], nil
}

// lookup finds an organisation by code for a nullable root field: an unknown
// code answers null, not an error.
func lookup[T model.Organisational](ctx context.Context, s *store.Store, code, kind string) (T, error) {
	var zero T
	if strings.TrimSpace(code) == "" {
		return zero, badInput("code", "must not be empty")
	}
	o, err := s.FindByCode(ctx, code, kind)
	if errors.Is(err, store.ErrNotFound) {
		return zero, nil
	}
	if err != nil {
		return zero, err
	}
	v, ok := toOrganisation(o).(T)
	if !ok {
		return zero, nil
	}
	return v, prefetch(ctx, []T{v})
}

// pageSize checks a `first` argument.
func pageSize(first *int, def int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 0 || *first > MaxFirst {
		return 0, badInput("first", "must be between 0 and %d, got %d", MaxFirst, *first)
	}
	return *first, nil
}

// cursor is what an opaque Relay cursor holds: the sort it belongs to and
// the keyset position.
type cursor struct {
	Sort string `json:"s"`
	store.Cursor
}

func encodeCursor(sort string, c store.Cursor) string {
	b, _ := json.Marshal(cursor{Sort: sort, Cursor: c})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(after *string, sort string) (*store.Cursor, error) {
	if after == nil || *after == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*after)
	var c cursor
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Code == "" {
		return nil, badInput("after", "not a cursor issued by this API")
	}
	if c.Sort != sort {
		return nil, badInput("after", "the cursor belongs to a list sorted by %s, not %s", c.Sort, sort)
	}
	return &c.Cursor, nil
}

// kindsWithPopulation are the kinds a list may be sorted by population.
var kindsWithPopulation = []string{store.KindICS, store.KindSubICBLocation, store.KindCouncil}

// listQuery turns list arguments into a store query.
func listQuery(kind string, first *int, after *string, filter store.Filter, order *model.OrganisationOrder) (store.ListQuery, error) {
	q := store.ListQuery{Kind: kind, Filter: filter, Sort: store.SortName}
	if order != nil {
		switch order.Field {
		case model.OrganisationOrderFieldCode:
			q.Sort = store.SortCode
		case model.OrganisationOrderFieldPopulation:
			if !slices.Contains(kindsWithPopulation, kind) {
				return q, badInput("orderBy.field", "POPULATION applies only to ICSs, sub-ICB locations and councils")
			}
			q.Sort = store.SortPopulation
		}
		q.Desc = order.Direction == model.OrderDirectionDesc
	}
	n, err := pageSize(first, 50)
	if err != nil {
		return q, err
	}
	q.First = n
	if q.After, err = decodeCursor(after, q.Sort); err != nil {
		return q, err
	}
	return q, nil
}

// list runs a list query and builds the Relay edges with mk.
func list[T model.Organisational, E any](ctx context.Context, s *store.Store, q store.ListQuery, mk func(string, T) E) ([]E, model.Page, error) {
	page, err := s.List(ctx, q)
	if err != nil {
		return nil, model.Page{}, err
	}
	edges := make([]E, 0, len(page.Items))
	nodes := make([]T, 0, len(page.Items))
	cursors := make([]string, len(page.Items))
	for i, o := range page.Items {
		cursors[i] = encodeCursor(q.Sort, page.Cursors[i])
		if v, ok := toOrganisation(o).(T); ok {
			edges = append(edges, mk(cursors[i], v))
			nodes = append(nodes, v)
		}
	}
	if err := prefetch(ctx, nodes, "edges", "node"); err != nil {
		return nil, model.Page{}, err
	}
	return edges, model.Page{
		PageInfo: pageInfo(cursors, q.After != nil, page.HasNext),
		Count:    func(ctx context.Context) (int, error) { return s.ListCount(ctx, q) },
	}, nil
}

// subList pages through the organisations reached by hop from code, in name
// order; the whole list is fetched in one batched query per level.
func subList[T model.Organisational, E any](ctx context.Context, hop store.Hop, code string, first *int, after *string, mk func(string, T) E) ([]E, model.Page, error) {
	n, err := pageSize(first, 100)
	if err != nil {
		return nil, model.Page{}, err
	}
	pos, err := decodeCursor(after, store.SortName)
	if err != nil {
		return nil, model.Page{}, err
	}
	all, err := many[T](ctx, hop, code)
	if err != nil {
		return nil, model.Page{}, err
	}
	start := 0
	if pos != nil {
		key, _ := pos.Key.(string)
		start = len(all)
		for i, v := range all {
			b := v.Base()
			if b.Name > key || (b.Name == key && b.Code > pos.Code) {
				start = i
				break
			}
		}
	}
	end := min(start+n, len(all))
	edges := make([]E, 0, end-start)
	cursors := make([]string, 0, end-start)
	for _, v := range all[start:end] {
		b := v.Base()
		c := encodeCursor(store.SortName, store.Cursor{Key: b.Name, Code: b.Code})
		cursors = append(cursors, c)
		edges = append(edges, mk(c, v))
	}
	total := len(all)
	return edges, model.Page{
		PageInfo: pageInfo(cursors, start > 0, end < len(all)),
		Count:    func(context.Context) (int, error) { return total, nil },
	}, nil
}

func pageInfo(cursors []string, hasPrev, hasNext bool) *model.PageInfo {
	info := &model.PageInfo{HasPreviousPage: hasPrev, HasNextPage: hasNext}
	if len(cursors) > 0 {
		info.StartCursor, info.EndCursor = &cursors[0], &cursors[len(cursors)-1]
	}
	return info
}

// orgFilter reads the shared filter input.
func orgFilter(f *model.OrganisationFilter) store.Filter {
	if f == nil {
		return store.Filter{}
	}
	return store.Filter{
		NameContains:   deref(f.NameContains),
		Region:         code(f.Region),
		ICS:            code(f.Ics),
		SubICBLocation: code(f.SubIcbLocation),
	}
}

func code(s *string) string { return strings.ToUpper(strings.TrimSpace(deref(s))) }

// trustFilter reads the trust filter input.
func trustFilter(f *model.TrustFilter) store.Filter {
	if f == nil {
		return store.Filter{}
	}
	out := store.Filter{
		NameContains:    deref(f.NameContains),
		Region:          code(f.Region),
		ICS:             code(f.Ics),
		FoundationTrust: f.FoundationTrust,
		IncludeClosed:   deref(f.IncludeClosed),
	}
	if f.TrustType != nil {
		out.TrustType = string(*f.TrustType)
	}
	return out
}

// councilFilter reads the council filter input.
func councilFilter(f *model.CouncilFilter) store.Filter {
	if f == nil {
		return store.Filter{}
	}
	out := store.Filter{NameContains: deref(f.NameContains), ICS: code(f.Ics), County: code(f.County)}
	if f.CouncilType != nil {
		out.CouncilType = string(*f.CouncilType)
	}
	return out
}

// partnerOf lists the ICSs that name org as a partner.
func partnerOf(ctx context.Context, hop store.Hop, org model.Organisational) ([]*model.Partnership, error) {
	links, err := loadersFor(ctx).related(ctx, hop, org.Base().Code)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Partnership, 0, len(links))
	for _, l := range links {
		out = append(out, &model.Partnership{Rel: toRel(l.Edge), Partner: org, IntegratedCareSystem: as[*model.IntegratedCareSystem](l.Node)})
	}
	return out, nil
}

func overlap(e store.Edge) model.Overlap {
	return model.Overlap{
		Rel:              toRel(e),
		SharedPopulation: deref(e.Population),
		SharedSmallAreas: deref(e.SmallAreas),
		ShareOfCouncil:   deref(e.ShareOfCouncil),
		PopulationYear:   deref(e.PopulationYear),
	}
}

func icsOverlap(l store.Link, c *model.Council, ics *model.IntegratedCareSystem) *model.CouncilIcsOverlap {
	return &model.CouncilIcsOverlap{Overlap: overlap(l.Edge), Council: c, IntegratedCareSystem: ics, ShareOfIcs: deref(l.Edge.ShareOfArea)}
}

func subIcbOverlap(l store.Link, c *model.Council, loc *model.SubIcbLocation) *model.CouncilSubIcbOverlap {
	return &model.CouncilSubIcbOverlap{Overlap: overlap(l.Edge), Council: c, SubIcbLocation: loc, ShareOfSubIcbLocation: deref(l.Edge.ShareOfArea)}
}

func allianceMembership(l store.Link, ics *model.IntegratedCareSystem, ca *model.CancerAlliance) *model.CancerAllianceMembership {
	return &model.CancerAllianceMembership{
		Rel:                  toRel(l.Edge),
		IntegratedCareSystem: ics,
		CancerAlliance:       ca,
		Population:           l.Edge.Population,
		Share:                l.Edge.Share,
		SubIcbLocations:      l.Edge.SubICBLocations,
	}
}

// nodes fetches organisations by global id in one query, in order; unknown
// ids give nil. argument names the argument for errors.
func (r *queryResolver) nodes(ctx context.Context, argument string, ids []string) ([]model.Node, error) {
	keys := make([]store.KindCode, len(ids))
	for i, id := range ids {
		kind, code, err := model.ParseGlobalID(id)
		if err != nil {
			return nil, badInput(argument, "%q: %v", id, err)
		}
		keys[i] = store.KindCode{Kind: string(kind), Code: code}
	}
	found, err := r.Store.Organisations(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make([]model.Node, len(ids))
	var orgs []model.Organisational
	for i, k := range keys {
		if o, ok := found[k]; ok {
			org := toOrganisation(o)
			out[i] = org
			orgs = append(orgs, org)
		}
	}
	return out, prefetch(ctx, orgs)
}
