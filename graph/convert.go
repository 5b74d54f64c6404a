package graph

import (
	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// toOrganisation turns a store organisation into its GraphQL type (the
// kind's Maker in graph/model) answering for the date w: its relationship
// fields answer for w (never including closed facts below the root), and
// `historic` says whether it had closed by w's date (a display field
// derived from the dates). nil for an unknown kind, which cannot be stored
// (the loader validates kinds): a programming error the caller surfaces as
// an internal error.
func toOrganisation(o store.Organisation, w store.When) model.Organisational {
	o.Historic = o.ValidTo != "" && o.ValidTo <= w.AsOf
	compositionAsOf(&o, o.Props, w.AsOf) // figures of its small areas on the date, wherever it was read
	org := model.FromStore(o)
	if org != nil {
		org.Base().At = nested(w)
	}
	return org
}

// as converts a store organisation to a specific GraphQL type answering for
// w, or nil when it is of another kind.
func as[T model.Organisational](o store.Organisation, w store.When) T {
	v, _ := toOrganisation(o, w).(T)
	return v
}

// toRel carries a relationship's source, dates and announcement.
func toRel(e store.Edge) model.Rel {
	return model.Rel{SourceID: e.Source, Since: optDate(e.ValidFrom), ValidFrom: optDate(e.ValidFrom), ValidTo: optDate(e.ValidTo),
		Announced: e.Announced, Derived: optStr(e.Derived)}
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
