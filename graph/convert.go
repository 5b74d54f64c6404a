package graph

import (
	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// toOrganisation turns a store organisation into its GraphQL type (the
// kind's Maker in graph/model); nil for an unknown kind, which cannot be
// stored (the loader validates kinds): a programming error the caller
// surfaces as an internal error.
func toOrganisation(o store.Organisation) model.Organisational {
	return model.FromStore(o)
}

// as converts a store organisation to a specific GraphQL type, or nil when it
// is of another kind.
func as[T model.Organisational](o store.Organisation) T {
	v, _ := toOrganisation(o).(T)
	return v
}

// toEdge carries a relationship's source and date.
func toRel(e store.Edge) model.Rel {
	from := e.ValidFrom
	if from == "" { // graphs loaded before the time model say since
		from = e.Since
	}
	return model.Rel{SourceID: e.Source, Since: optDate(from), ValidFrom: optDate(from), ValidTo: optDate(e.ValidTo), Derived: optStr(e.Derived)}
}

func toSource(s store.Source) *model.Source {
	return &model.Source{
		ID:        s.ID,
		Title:     s.Title,
		Publisher: optStr(s.Publisher),
		Released:  optDate(s.Released),
		File:      optStr(s.File),
		URL:       optStr(s.URL),
		Licence:   optStr(s.Licence),
	}
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optDate(s string) *model.Date {
	if s == "" {
		return nil
	}
	d := model.Date(s)
	return &d
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
