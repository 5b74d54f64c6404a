package graph

import (
	"github.com/icsgraph/icsgraph/graph/model"
	decl "github.com/icsgraph/icsgraph/internal/model"
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
	// The name and ONS code it held on the date, and the figures of its
	// small areas, wherever it was read.
	o.Name = asOfValue(o.Props, datedName, w.AsOf, o.Name)
	o.OnsCode = asOfValue(o.Props, datedOnsCode, w.AsOf, o.OnsCode)
	compositionAsOf(&o, o.Props, w.AsOf)
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
	v := s // a copy made here: taking &s would move s to the heap on every call, "" too
	return &v
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

var datedName, datedOnsCode = decl.DatedProps["name"], decl.DatedProps["onsCode"]

// asOfValue picks, from a dated property's lists in m (internal/model
// Dated: names/namesFrom, onsCodes/onsCodesFrom), the value holding on
// asOf; plain (the newest) is the answer when the lists are absent, as the
// compiled statements leave them for a date on or after the newest value
// began.
func asOfValue(m map[string]any, d decl.Dated, asOf, plain string) string {
	vs, _ := m[d.Values].([]any)
	fs, _ := m[d.From].([]any)
	if len(vs) == 0 || len(vs) != len(fs) {
		return plain
	}
	out := plain
	for i, v := range vs {
		f, _ := fs[i].(string)
		s, _ := v.(string)
		if f <= asOf && s != "" {
			out = s
		}
	}
	return out
}
