package graph

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/coterminosity"
	decl "github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Helpers for the traversal, coterminosity and time resolvers
// (traversal.resolvers.go).

// notFound reports that the organisation a root argument names does not
// exist, naming the argument.
func notFound(argument, code string) error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf("%s: no organisation has the code %q", argument, code),
		Extensions: map[string]any{"code": apierr.CodeNotFound, "argument": argument},
	}
}

// findOrg looks up the organisation a traversal argument names, by ODS or
// ONS code, as of the traversal's date (where a code names several
// organisations, the one open on the date wins). An organisation not open on
// the date is BAD_USER_INPUT on asOf, saying when it was, unless
// includeClosed.
func findOrg(ctx context.Context, s *store.Store, argument, code string, w store.When) (store.Organisation, error) {
	return findKind(ctx, s, argument, code, "", w)
}

func findKind(ctx context.Context, s *store.Store, argument, code, kind string, w store.When) (store.Organisation, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return store.Organisation{}, apierr.BadInput(argument, "must not be empty")
	}
	st, err := s.FindOn(ctx, code, kind, w)
	if errors.Is(err, store.ErrNotFound) {
		return st.Org, notFound(argument, code)
	}
	if err != nil || st.Held || w.IncludeClosed {
		return st.Org, err
	}
	open := "since " + st.ValidFrom
	if st.ValidTo != "" {
		open = fmt.Sprintf("from %s until %s (exclusive)", st.ValidFrom, st.ValidTo)
	}
	return st.Org, apierr.BadInput("asOf", "%s (%s) was open %s, not on %s: ask for a date when it was open, or pass includeClosed: true", st.Org.Name, st.Org.Code, open, w.AsOf)
}

// startKey reads a traversal's code argument: the statement looks the
// organisation up itself (store.startLookup), so the common case is one
// round trip.
func startKey(argument, code string) (store.KindCode, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return store.KindCode{}, apierr.BadInput(argument, "must not be empty")
	}
	return store.KindCode{Code: code}, nil
}

// confirmStart is the second look when a traversal came back empty: it finds
// the organisation on its own (also by a former ONS code), so that an
// unknown code is NOT_FOUND and a closed one BAD_USER_INPUT on asOf, and says
// whether the traversal should run again under the organisation's own code.
func confirmStart(ctx context.Context, s *store.Store, argument string, k store.KindCode, w store.When) (store.KindCode, bool, error) {
	o, err := findOrg(ctx, s, argument, k.Code, w)
	if err != nil {
		return k, false, err
	}
	return keyOf(o), o.Code != k.Code, nil
}

func keyOf(o store.Organisation) store.KindCode { return store.KindCode{Kind: o.Kind, Code: o.Code} }

// basisOf reads a membership basis argument (GEOGRAPHY when absent).
func basisOf(b *model.MembershipBasis) store.Basis {
	if b != nil && *b == model.MembershipBasisPartnership {
		return store.BasisPartnership
	}
	return store.BasisGeography
}

// toPath turns a store path into its GraphQL type.
func toPath(p store.Path, w store.When) *model.Path {
	out := &model.Path{
		Length:        p.Len(),
		Organisations: make([]model.Organisation, len(p.Nodes)),
		Hops:          make([]*model.PathHop, len(p.Steps)),
	}
	for i, n := range p.Nodes {
		out.Organisations[i] = toOrganisation(n, w)
	}
	for i, st := range p.Steps {
		dir := model.HopDirectionForward
		if !st.Forward {
			dir = model.HopDirectionBackward
		}
		out.Hops[i] = &model.PathHop{
			Rel:          toRel(st.Edge),
			From:         out.Organisations[i],
			To:           out.Organisations[i+1],
			Relationship: st.Edge.Type,
			Direction:    dir,
		}
	}
	return out
}

// toMembership reads a membership path. Member paths run from the member up
// to the holder; ancestor paths from the organisation up to the ancestor.
// The organisation a Membership names is the far end from the one asked about.
func toMembership(p store.Path, org store.Organisation, w store.When) *model.Membership {
	return &model.Membership{Organisation: toOrganisation(org, w), Depth: p.Len(), Path: toPath(p, w)}
}

// edgeID is a relationship's stable id: its type and the global ids of its
// two ends, in stored direction.
func edgeID(rel string, from, to string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(rel + ":" + from + ":" + to))
}

func globalID(k store.KindCode) string { return model.GlobalID(model.OrganisationKind(k.Kind), k.Code) }

// kindStrings turns GraphQL kinds into store kind values.
func kindStrings(kinds []model.OrganisationKind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// Coterminosity.

// weightOf reads a weight argument (POPULATION when absent).
func weightOf(w *model.Weight) coterminosity.Weight {
	if w != nil && *w == model.WeightSmallAreas {
		return coterminosity.SmallAreas
	}
	return coterminosity.Population
}

// weightUsed says, in the answer, what the weight was.
func weightUsed(w coterminosity.Weight, t *store.AreaTable) *model.WeightUsed {
	out := &model.WeightUsed{DerivedFragments: t.DerivedFragments, Derived: t.Derived}
	if out.Derived == nil {
		out.Derived = []string{}
	}
	lookup := "the small-area (LSOA 2011) lookups of the period"
	if t.DerivedFragments > 0 {
		lookup += fmt.Sprintf("; %d fragments derived where no lookup exists (see derived)", t.DerivedFragments)
	}
	if w == coterminosity.SmallAreas {
		out.Weight = model.WeightSmallAreas
		out.Description = "count of shared 2011 small areas (LSOAs), from " + lookup
		return out
	}
	out.Weight = model.WeightPopulation
	out.Description = "resident population, summed over the shared 2011 small areas (LSOAs), from " + lookup
	if t.PopulationYear > 0 {
		year := t.PopulationYear
		out.PopulationYear = &year
		out.Description = fmt.Sprintf("resident population, mid-%d estimates, summed over the shared 2011 small areas (LSOAs), from %s", year, lookup)
	}
	if t.PopulationMeasure != "" {
		out.Measure = &t.PopulationMeasure
	}
	return out
}

// areaReport converts a coterminosity report, naming each area by its
// organisation.
func areaReport(t *store.AreaTable, r coterminosity.Report, w store.When) (*model.CoterminosityReport, error) {
	fits, err := areaFits(t, r.Inner, r.Outer, r.Fits, w)
	if err != nil {
		return nil, err
	}
	out := &model.CoterminosityReport{
		AsOf:        model.Date(t.AsOf),
		Inner:       model.AreaKind(r.Inner),
		Outer:       model.AreaKind(r.Outer),
		Weight:      weightUsed(r.Weight, t),
		Areas:       len(r.Fits),
		Coterminous: r.Coterminous,
		Split:       r.Split,
		ExactUnions: r.ExactUnions,
		OuterAreas:  len(r.Unions),
		AllFits:     fits,
		Unions:      make([]*model.AreaUnion, len(r.Unions)),
	}
	for i, u := range r.Unions {
		area, err := areaOrg(t, r.Outer, u.Area, w)
		if err != nil {
			return nil, err
		}
		mu := &model.AreaUnion{Area: area, ExactUnion: u.ExactUnion, ShareInWholeAreas: u.ShareInWholeAreas}
		for _, code := range u.Whole {
			whole, err := areaOrg(t, r.Inner, code, w)
			if err != nil {
				return nil, err
			}
			mu.Whole = append(mu.Whole, whole)
		}
		if mu.Partial, err = areaParts(t, r.Inner, u.Partial, w); err != nil {
			return nil, err
		}
		out.Unions[i] = mu
	}
	return out, nil
}

func areaFits(t *store.AreaTable, inner, outer coterminosity.Kind, fits []coterminosity.Fit, w store.When) ([]*model.AreaFit, error) {
	out := make([]*model.AreaFit, len(fits))
	for i, f := range fits {
		area, err := areaOrg(t, inner, f.Area, w)
		if err != nil {
			return nil, err
		}
		parts, err := areaParts(t, outer, f.Parts, w)
		if err != nil {
			return nil, err
		}
		out[i] = &model.AreaFit{Area: area, Coterminous: f.Coterminous, LargestShare: f.LargestShare, Parts: parts}
	}
	return out, nil
}

func areaParts(t *store.AreaTable, kind coterminosity.Kind, parts []coterminosity.Part, w store.When) ([]*model.AreaPart, error) {
	out := make([]*model.AreaPart, len(parts))
	for i, p := range parts {
		area, err := areaOrg(t, kind, p.Area, w)
		if err != nil {
			return nil, err
		}
		out[i] = &model.AreaPart{
			Area: area, SharedPopulation: p.Population, SharedSmallAreas: p.SmallAreas,
			Share: p.Share, ShareOfOther: p.ShareOfOther,
		}
	}
	return out, nil
}

// areaOrg finds the organisation of an area the fragment table names. Every
// name comes from the same read, so a miss is a data fault.
func areaOrg(t *store.AreaTable, kind coterminosity.Kind, code string, w store.When) (model.Organisation, error) {
	o, ok := t.Areas[kind][code]
	if !ok {
		return nil, fmt.Errorf("coterminosity: %s %s is in the fragment table but not among the areas", kind, code)
	}
	return toOrganisation(o, w), nil
}

// The fragment table of a date is read once per GraphQL operation: a query
// asking for several reports on one date (aliases, or the summary with a
// single report) reads it once, one per date when reports ask for several,
// and a reload of the data shows in the next operation. The cache is keyed by
// the operation's loaders, held weakly, and the date, so an entry goes when
// its operation is finished with.
var areaTables sync.Map // areaTableKey → *areaTableOnce

type areaTableKey struct {
	op weak.Pointer[loaders]
	at store.When
}

type areaTableOnce struct {
	once  sync.Once
	table *store.AreaTable
	err   error
}

// areaTable returns the operation's fragment table of a date, reading it on
// first use.
func areaTable(ctx context.Context, s *store.Store, at store.When) (*store.AreaTable, error) {
	l := loadersFor(ctx)
	if l == nil { // outside an operation (direct calls in tests): no cache
		return s.AreaTable(ctx, at)
	}
	key := areaTableKey{op: weak.Make(l), at: nested(at)}
	v, loaded := areaTables.LoadOrStore(key, &areaTableOnce{})
	if !loaded {
		runtime.AddCleanup(l, func(k areaTableKey) { areaTables.Delete(k) }, key)
	}
	e := v.(*areaTableOnce)
	e.once.Do(func() { e.table, e.err = s.AreaTable(ctx, at) })
	return e.table, e.err
}

// compare computes one coterminosity report on a date from the operation's
// table. A kind the data has no areas of on that date is BAD_USER_INPUT
// naming the kinds it has.
func compare(ctx context.Context, s *store.Store, at store.When, inner, outer coterminosity.Kind, w coterminosity.Weight, opts coterminosity.Options) (*store.AreaTable, coterminosity.Report, error) {
	asOf := at.AsOf
	t, err := areaTable(ctx, s, at)
	if err != nil {
		return nil, coterminosity.Report{}, err
	}
	avail := t.Available()
	if len(t.Fragments) == 0 {
		return nil, coterminosity.Report{}, apierr.BadInput("asOf", "the data has no council × CCG or sub-ICB location small-area fragments held on %s, so no coterminosity can be measured on that date", asOf)
	}
	for _, k := range []struct {
		arg  string
		kind coterminosity.Kind
	}{{"inner", inner}, {"outer", outer}} {
		if !slices.Contains(avail, k.kind) {
			lacking, bases := t.Lacking(k.kind)
			return nil, coterminosity.Report{}, apierr.BadInput(k.arg, "the data has no %s areas covering England on %s (%d of the %d base areas then have none); it has %s", k.kind, asOf, lacking, bases, kindList(avail))
		}
	}
	r, err := t.Compare(inner, outer, w, opts)
	return t, r, err
}

// kindList names area kinds for a message.
func kindList(kinds []coterminosity.Kind) string {
	if len(kinds) == 0 {
		return "none"
	}
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// sortMembership names the order of members lists in their cursors.
const sortMembership = "membership"

// maxNeighbourhoodNodes caps a neighbourhood's limit argument.
const maxNeighbourhoodNodes = 1000

// splitFits keeps the fits of areas that are split.
func splitFits(fits []*model.AreaFit) []*model.AreaFit {
	out := make([]*model.AreaFit, 0, len(fits))
	for _, f := range fits {
		if !f.Coterminous {
			out = append(out, f)
		}
	}
	return out
}

// partnerKinds are the kinds that may be partners of a system: the kinds
// of the organisations internal/model declares PARTNER_OF from.
var partnerKinds, partnerKindList = func() ([]string, string) {
	var out []string
	for _, r := range decl.Relationships {
		if r.Type != decl.RelPartnerOf {
			continue
		}
		for _, l := range r.From {
			if k, ok := decl.KindByLabel(l); ok {
				out = append(out, k.Value)
			}
		}
	}
	return out, strings.Join(out, ", ")
}()

func isPartnerKind(k model.OrganisationKind) bool { return slices.Contains(partnerKinds, string(k)) }
