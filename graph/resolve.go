package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/cypher"
	decl "github.com/icsgraph/icsgraph/internal/model"
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

// lookup finds an organisation by code for a nullable root field, with its
// whole selection in one compiled statement: an unknown code answers null,
// not an error.
func lookup[T model.Organisational](ctx context.Context, s *store.Store, code, kind string, asOf *model.Date, includeAnnounced *bool) (T, error) {
	var zero T
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return zero, apierr.BadInput("code", "must not be empty")
	}
	w, err := when(ctx, asOf, includeAnnounced)
	if err != nil {
		return zero, err
	}
	r := rootAt(ctx, w)
	types := orgTypes
	if k, ok := decl.KindByValue(kind); ok {
		types = []string{k.TypeName}
	}
	shape, err := r.shape(nil, types)
	if err != nil {
		return zero, err
	}
	rows, err := run(ctx, s, r.compiler().Lookup(code, kind, shape))
	if err != nil || len(rows) == 0 {
		return zero, err
	}
	v, _ := decoder{at: w}.org(rows[0]["data"], shape).(T)
	return v, nil
}

// MaxFirst caps every `first` argument (the cost rules in internal/gqlhttp
// price a page by it too).
const MaxFirst = 500

// pageSize checks a `first` argument.
func pageSize(first *int, def int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 0 || *first > MaxFirst {
		return 0, apierr.BadInput("first", "must be between 0 and %d, got %d", MaxFirst, *first)
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
		return nil, apierr.BadInput("after", "not a cursor issued by this API")
	}
	if c.Sort != sort {
		return nil, apierr.BadInput("after", "the cursor belongs to a list sorted by %s, not %s", c.Sort, sort)
	}
	return &c.Cursor, nil
}

// kindsWithPopulation are the kinds a list may be sorted by population:
// those internal/model declares a population field for; listsWithPopulation
// names their lists for the error message.
var kindsWithPopulation, listsWithPopulation = func() (kinds []string, lists string) {
	var names []string
	for _, k := range decl.Kinds {
		if slices.ContainsFunc(k.Props, func(p decl.Prop) bool { return p.Field == "population" }) {
			kinds, names = append(kinds, k.Value), append(names, k.List)
		}
	}
	return kinds, strings.Join(names, ", ")
}()

// listQuery turns list arguments into a store query.
func listQuery(kind string, first *int, after *string, filter store.Filter, order *model.OrganisationOrder) (store.ListQuery, error) {
	q := store.ListQuery{Kind: kind, Filter: filter, Sort: store.SortName}
	if order != nil {
		switch order.Field {
		case model.OrganisationOrderFieldCode:
			q.Sort = store.SortCode
		case model.OrganisationOrderFieldPopulation:
			if !slices.Contains(kindsWithPopulation, kind) {
				return q, apierr.BadInput("orderBy.field", "POPULATION applies only to the lists %s", listsWithPopulation)
			}
			q.Sort = store.SortPopulation
			if order.Family != nil {
				q.PopulationFamily = string(*order.Family)
			}
			if order.Vintage != nil {
				if order.Family == nil {
					return q, apierr.BadInput("orderBy.vintage", "a vintage needs its family (e.g. family: RESIDENTS, vintage: %q)", *order.Vintage)
				}
				q.PopulationVintage = *order.Vintage
			}
		}
		if q.Sort != store.SortPopulation && (order.Family != nil || order.Vintage != nil) {
			return q, apierr.BadInput("orderBy.family", "family and vintage apply to field: POPULATION only")
		}
		q.Desc = order.Direction == model.OrderDirectionDesc
	}
	n, err := pageSize(first, 50)
	if err != nil {
		return q, err
	}
	q.First = n
	if q.After, err = decodeCursor(after, q.SortTag()); err != nil {
		return q, err
	}
	return q, nil
}

// list compiles a list root field (its page, its total when asked, and
// everything selected of its items) into one statement and builds the
// Relay edges with mk.
func list[T model.Organisational, E any](ctx context.Context, s *store.Store, q store.ListQuery, w store.When, mk func(string, T) E) ([]E, model.Page, error) {
	r := rootAt(ctx, w)
	items, count := false, false
	for _, f := range graphql.CollectFields(r.op, r.field.Selections, []string{r.field.Definition.Type.Name()}) {
		switch f.Name {
		case "edges", "pageInfo":
			items = true
		case "totalCount":
			count = true
		}
	}
	k, _ := decl.KindByValue(q.Kind)
	shape, err := r.shape([]string{"edges", "node"}, []string{k.TypeName})
	if err != nil {
		return nil, model.Page{}, err
	}
	if q.PopulationFamily != "" { // the measure to sort by, from the release's measures
		ms, err := s.Measures(ctx)
		if err != nil {
			return nil, model.Page{}, err
		}
		fam := model.PopulationFamily(q.PopulationFamily)
		var vint *string
		if q.PopulationVintage != "" {
			vint = &q.PopulationVintage
		}
		chosen, err := chosenMeasures(ms, "orderBy.", nil, &fam, vint)
		if err != nil {
			return nil, model.Page{}, err
		}
		q.SortMeasures = store.MeasureProperties(chosen)
	}
	st, err := r.compiler().List(q, items, count, shape)
	if err != nil {
		return nil, model.Page{}, err
	}
	rows, err := run(ctx, s, st)
	if err != nil {
		return nil, model.Page{}, err
	}
	var data map[string]any
	if len(rows) > 0 {
		data = asMap(rows[0]["data"])
	}
	list, _ := data[cypher.KeyItems].([]any)
	dec := decoder{at: w}
	edges := make([]E, 0, len(list))
	cursors := make([]string, 0, len(list))
	hasNext := len(list) > q.First
	for i, x := range list {
		if i == q.First {
			break
		}
		m := asMap(x)
		list[i] = nil // the driver's copy of this item can go once decoded: a page over the whole country is large
		v, ok := dec.org(m[cypher.KeyNode], shape).(T)
		if !ok {
			continue
		}
		c := encodeCursor(q.SortTag(), store.Cursor{Key: m[cypher.KeyCursor], Code: v.Base().Code})
		cursors = append(cursors, c)
		edges = append(edges, mk(c, v))
	}
	total, _ := data[cypher.KeyTotal].(int64)
	return edges, model.Page{
		PageInfo: pageInfo(cursors, q.After != nil, hasNext),
		Count:    func(context.Context) (int, error) { return int(total), nil },
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

// trustFilter reads the trust filter input; its deprecated includeClosed
// is the list's own (the resolver ORs them: the date rule, not a status).
func trustFilter(f *model.TrustFilter) store.Filter {
	if f == nil {
		return store.Filter{}
	}
	out := store.Filter{
		NameContains:    deref(f.NameContains),
		Region:          code(f.Region),
		ICS:             code(f.Ics),
		FoundationTrust: f.FoundationTrust,
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

func overlap(it item) model.Overlap {
	e := it.edge()
	return model.Overlap{
		Rel:              relFrom(it),
		SharedPopulation: deref(e.Population),
		SharedSmallAreas: deref(e.SmallAreas),
		ShareOfCouncil:   deref(e.ShareOfCouncil),
		PopulationYear:   deref(e.PopulationYear),
	}
}

func icsOverlap(it item, c *model.Council, ics *model.IntegratedCareSystem) *model.CouncilIcsOverlap {
	return &model.CouncilIcsOverlap{Overlap: overlap(it), Council: c, IntegratedCareSystem: ics, ShareOfIcs: deref(it.edge().ShareOfArea)}
}

func subIcbOverlap(it item, c *model.Council, loc *model.SubIcbLocation) *model.CouncilSubIcbOverlap {
	return &model.CouncilSubIcbOverlap{Overlap: overlap(it), Council: c, SubIcbLocation: loc, ShareOfSubIcbLocation: deref(it.edge().ShareOfArea)}
}

func allianceMembership(it item, ics *model.IntegratedCareSystem, ca *model.CancerAlliance) *model.CancerAllianceMembership {
	e := it.edge()
	return &model.CancerAllianceMembership{
		Rel:                  relFrom(it),
		IntegratedCareSystem: ics,
		CancerAlliance:       ca,
		Population:           e.Population,
		Share:                e.Share,
		SubIcbLocations:      e.SubICBLocations,
	}
}

func partnership(it item, partner model.Organisation, ics *model.IntegratedCareSystem) *model.Partnership {
	return &model.Partnership{Rel: relFrom(it), Partner: partner, IntegratedCareSystem: ics}
}

// nodes fetches organisations by global id in one compiled statement, in
// order; unknown ids give nil. argument names the argument for errors.
func (r *queryResolver) nodes(ctx context.Context, argument string, ids []string, asOf *model.Date, includeAnnounced *bool) ([]model.Node, error) {
	keys := make([]store.KindCode, len(ids))
	for i, id := range ids {
		kind, code, err := model.ParseGlobalID(id)
		if err != nil {
			return nil, apierr.BadInput(argument, "%q: %v", id, err)
		}
		keys[i] = store.KindCode{Kind: string(kind), Code: code}
	}
	w, err := when(ctx, asOf, includeAnnounced)
	if err != nil {
		return nil, err
	}
	root := rootAt(ctx, w)
	shape, err := root.shape(nil, orgTypes)
	if err != nil {
		return nil, err
	}
	rows, err := run(ctx, r.Store, root.compiler().ByKeys(keys, shape))
	if err != nil {
		return nil, err
	}
	out := make([]model.Node, len(ids))
	dec := decoder{at: w}
	for _, row := range rows {
		i, _ := row["i"].(int64)
		if o := dec.org(row["data"], shape); o != nil && int(i) < len(out) {
			out[i] = o
		}
	}
	return out, nil
}

// trustClosed is TrustFilter.includeClosed, the deprecated alias of the
// list's includeClosed.
func trustClosed(f *model.TrustFilter) *bool {
	if f == nil {
		return nil
	}
	return f.IncludeClosed
}
