package graph

import (
	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// toOrganisation turns a store organisation into its GraphQL type.
func toOrganisation(o store.Organisation) model.Organisational {
	base := model.Org{
		Code:      o.Code,
		OnsCode:   optStr(o.OnsCode),
		Name:      o.Name,
		Kind:      model.OrganisationKind(o.Kind),
		Historic:  o.Historic,
		SourceIDs: o.Sources,
		ValidFrom: optDate(o.ValidFrom),
		ValidTo:   optDate(o.ValidTo),
	}
	pop := model.Populated{Population: o.Population, PopulationYear: o.PopulationYear, SmallAreas: o.SmallAreas, Populations: o.Populations}
	switch o.Kind {
	case store.KindRegion:
		return &model.Region{Org: base}
	case store.KindICS:
		ics := &model.IntegratedCareSystem{Org: base, Populated: pop}
		if d := o.Designation; d != nil {
			ics.Designation = &model.Designation{
				Wave:               d.Wave,
				Announced:          optStr(d.Announced),
				AnnouncedPrecision: optStr(d.AnnouncedPrecision),
				EffectiveFrom:      optDate(d.EffectiveFrom),
				NameAsAnnounced:    optStr(d.NameAsAnnounced),
				SourceIDs:          d.Sources,
			}
		}
		return ics
	case store.KindSubICBLocation:
		return &model.SubIcbLocation{Org: base, Populated: pop}
	case store.KindTrust:
		t := &model.Trust{
			Org:             base,
			FoundationTrust: o.FoundationTrust,
			TrustType:       model.TrustType(o.TrustType),
			TrustTypeBasis:  optStr(o.TrustTypeBasis),
			Status:          model.Status(o.Status),
			Postcode:        optStr(o.Postcode),
			OpenDate:        optDate(o.OpenDate),
			CloseDate:       optDate(o.CloseDate),
		}
		if !t.TrustType.IsValid() {
			t.TrustType = model.TrustTypeUnknown
		}
		if !t.Status.IsValid() {
			t.Status = model.StatusOpen
		}
		return t
	case store.KindCouncil:
		return &model.Council{Org: base, Populated: pop, CouncilType: model.CouncilType(o.CouncilType), OdsCode: optStr(o.OdsCode), OnsRegion: optStr(o.OnsRegion)}
	case store.KindCancerAlliance:
		return &model.CancerAlliance{Org: base}
	case store.KindClinicalSenate:
		return &model.ClinicalSenate{Org: base, Note: optStr(o.Note)}
	case store.KindPCN:
		return &model.PrimaryCareNetwork{Org: base, OpenDate: optDate(o.OpenDate)}
	case store.KindPractice:
		return &model.GpPractice{Org: base, Postcode: optStr(o.Postcode), JoinedPcn: optDate(o.JoinedPcn)}
	case store.KindSTP:
		return &model.Stp{Org: base}
	case store.KindCCG:
		return &model.Ccg{Org: base, Years: o.Years}
	}
	// Unknown kinds cannot be stored (the loader validates kinds), so this
	// is a programming error surfaced as an internal error by the caller.
	return nil
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
