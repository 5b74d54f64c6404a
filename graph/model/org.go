// Package model holds the Go types behind the GraphQL schema: hand-written
// organisation, relationship and connection types here, gqlgen's generated
// ones in models_gen.go.
package model

import (
	"encoding/base64"
	"errors"
	"strings"

	"github.com/icsgraph/icsgraph/internal/store"
)

// Org holds the fields every organisation type shares. Relationship fields
// are resolved in package graph; Org carries only what the node itself holds.
type Org struct {
	Code      string
	OnsCode   *string
	Name      string
	Kind      OrganisationKind
	Historic  bool
	SourceIDs []string
	ValidFrom *Date
	ValidTo   *Date
	// Announced: the organisation is known only from an announcement.
	Announced bool
	// At is the date (and flags) its relationship fields answer for: the
	// date of the root field or traversal that reached it. Every
	// organisation the API answers is made with one (toOrganisation).
	At store.When
	// Pre holds what the root field's compiled statement already read for
	// this organisation's relationship fields, by response alias (and its
	// Source nodes under PreSources); field resolvers answer from it.
	Pre map[string]any
}

// PreSources is the key of an organisation's prefetched Source nodes in Pre.
const PreSources = "\x00sources"

// ID is the organisation's opaque global id.
func (o Org) ID() string { return GlobalID(o.Kind, o.Code) }

// IsNode marks Org-based types as Nodes.
func (Org) IsNode() {}

// IsOrganisation marks Org-based types as Organisations.
func (Org) IsOrganisation() {}

// Base returns the shared fields; it lets code handle any organisation type.
func (o *Org) Base() *Org { return o }

// Organisational is implemented by every organisation type (through Org).
type Organisational interface {
	Organisation
	Base() *Org
}

// GlobalID encodes a kind and code as an opaque id.
func GlobalID(kind OrganisationKind, code string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(string(kind) + ":" + code))
}

// ErrBadID is returned for an id that was not made by GlobalID.
var ErrBadID = errors.New("not an id issued by this API")

// ParseGlobalID decodes an id made by GlobalID.
func ParseGlobalID(id string) (OrganisationKind, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", "", ErrBadID
	}
	kind, code, ok := strings.Cut(string(raw), ":")
	if !ok || code == "" || !OrganisationKind(kind).IsValid() {
		return "", "", ErrBadID
	}
	return OrganisationKind(kind), code, nil
}

// FromStore builds an organisation's GraphQL type from the store's
// organisation: the fields every kind shares here, the rest by its kind's
// Maker. It returns nil for a kind with no Maker (the loader accepts only
// declared kinds, and TestModelCoversSchema checks every declared kind has
// one).
func FromStore(o store.Organisation) Organisational {
	mk := Makers[OrganisationKind(o.Kind)]
	if mk == nil {
		return nil
	}
	return mk(o, Org{
		Code:      o.Code,
		OnsCode:   optStr(o.OnsCode),
		Name:      o.Name,
		Kind:      OrganisationKind(o.Kind),
		Historic:  o.Historic,
		SourceIDs: o.Sources,
		ValidFrom: optDate(o.ValidFrom),
		ValidTo:   optDate(o.ValidTo),
		Announced: o.Announced,
	})
}

// A Maker builds a kind's Go type from the stored organisation o and the
// fields every kind shares (b).
type Maker func(o store.Organisation, b Org) Organisational

// Makers holds the Maker of every kind declared in internal/model.Kinds, by
// the kind's value. Adding a kind adds its Go type below (gqlgen binds it
// to the GraphQL type of the same name) and its Maker here. A kind-specific
// property store.Organisation has no field for is read by name with
// o.Str, o.Int, o.Bool, o.Ints or o.Strs.
var Makers = map[OrganisationKind]Maker{
	OrganisationKindRegion: func(_ store.Organisation, b Org) Organisational { return &Region{Org: b} },
	OrganisationKindIcs: func(o store.Organisation, b Org) Organisational {
		ics := &IntegratedCareSystem{Org: b, Populated: PopulatedOf(o)}
		if d := o.Designation; d != nil {
			ics.Designation = &Designation{
				Wave:               d.Wave,
				Announced:          optStr(d.Announced),
				AnnouncedPrecision: optStr(d.AnnouncedPrecision),
				EffectiveFrom:      optDate(d.EffectiveFrom),
				NameAsAnnounced:    optStr(d.NameAsAnnounced),
				SourceIDs:          d.Sources,
			}
		}
		return ics
	},
	OrganisationKindSubIcbLocation: func(o store.Organisation, b Org) Organisational {
		return &SubIcbLocation{Org: b, Populated: PopulatedOf(o)}
	},
	OrganisationKindTrust: func(o store.Organisation, b Org) Organisational {
		t := &Trust{
			Org:             b,
			FoundationTrust: o.FoundationTrust,
			TrustType:       TrustType(o.TrustType),
			TrustTypeBasis:  optStr(o.TrustTypeBasis),
			Status:          Status(o.Status),
			Postcode:        optStr(o.Postcode),
			OpenDate:        optDate(o.OpenDate),
			CloseDate:       optDate(o.CloseDate),
		}
		if !t.TrustType.IsValid() {
			t.TrustType = TrustTypeUnknown
		}
		if !t.Status.IsValid() {
			t.Status = StatusOpen
		}
		return t
	},
	OrganisationKindCouncil: func(o store.Organisation, b Org) Organisational {
		return &Council{Org: b, Populated: PopulatedOf(o), CouncilType: CouncilType(o.CouncilType), OdsCode: optStr(o.OdsCode), OnsRegion: optStr(o.OnsRegion)}
	},
	OrganisationKindCancerAlliance: func(_ store.Organisation, b Org) Organisational { return &CancerAlliance{Org: b} },
	OrganisationKindClinicalSenate: func(o store.Organisation, b Org) Organisational {
		return &ClinicalSenate{Org: b, Note: optStr(o.Note)}
	},
	OrganisationKindPcn: func(o store.Organisation, b Org) Organisational {
		return &PrimaryCareNetwork{Org: b, OpenDate: optDate(o.OpenDate)}
	},
	OrganisationKindPractice: func(o store.Organisation, b Org) Organisational {
		return &GpPractice{Org: b, Postcode: optStr(o.Postcode), JoinedPcn: optDate(o.JoinedPcn)}
	},
	OrganisationKindStp: func(_ store.Organisation, b Org) Organisational { return &Stp{Org: b} },
	OrganisationKindCcg: func(o store.Organisation, b Org) Organisational { return &Ccg{Org: b, Years: o.Years} },
}

// PopulatedOf reads the population fields of an area organisation.
func PopulatedOf(o store.Organisation) Populated {
	return Populated{Population: o.Population, PopulationYear: o.PopulationYear, SmallAreas: o.SmallAreas, Populations: o.Populations, Props: o.Props}
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	v := s // a copy made here: taking &s would move s to the heap on every call, "" too
	return &v
}

func optDate(s string) *Date {
	if s == "" {
		return nil
	}
	d := Date(s)
	return &d
}

// Populated holds the population fields of area organisations.
type Populated struct {
	Population     *int // residents mid-2015, the default measure
	PopulationYear *int
	SmallAreas     *int
	// Populations holds the figures read by name (the statement's
	// [measure, value] pairs, and the default measure's figure on the date);
	// Props the node as read, which holds the other figures under their
	// measure properties when it was read whole. Which properties are
	// measures is the release's data (graph/population.go).
	Populations map[string]int
	Props       map[string]any
}

// Each kind's Go types follow, named as its GraphQL types (gqlgen binds
// them by name): the organisation type embedding Org, and its list's
// connection and edge (Page counts totalCount only when asked). Its Maker
// is in Makers above.

type Region struct{ Org }

type RegionConnection struct {
	Page
	Edges []*RegionEdge
}

type RegionEdge struct {
	Cursor string
	Node   *Region
}

type IntegratedCareSystem struct {
	Org
	Populated
	Designation *Designation
}

type IntegratedCareSystemConnection struct {
	Page
	Edges []*IntegratedCareSystemEdge
}

type IntegratedCareSystemEdge struct {
	Cursor string
	Node   *IntegratedCareSystem
}

type SubIcbLocation struct {
	Org
	Populated
}

type SubIcbLocationConnection struct {
	Page
	Edges []*SubIcbLocationEdge
}

type SubIcbLocationEdge struct {
	Cursor string
	Node   *SubIcbLocation
}

type Trust struct {
	Org
	FoundationTrust bool
	TrustType       TrustType
	TrustTypeBasis  *string
	Status          Status
	Postcode        *string
	OpenDate        *Date
	CloseDate       *Date
}

type TrustConnection struct {
	Page
	Edges []*TrustEdge
}

type TrustEdge struct {
	Cursor string
	Node   *Trust
}

type Council struct {
	Org
	Populated
	CouncilType CouncilType
	OdsCode     *string
	OnsRegion   *string
}

type CouncilConnection struct {
	Page
	Edges []*CouncilEdge
}

type CouncilEdge struct {
	Cursor string
	Node   *Council
}

type CancerAlliance struct{ Org }

type CancerAllianceConnection struct {
	Page
	Edges []*CancerAllianceEdge
}

type CancerAllianceEdge struct {
	Cursor string
	Node   *CancerAlliance
}

type ClinicalSenate struct {
	Org
	Note *string
}

type ClinicalSenateConnection struct {
	Page
	Edges []*ClinicalSenateEdge
}

type ClinicalSenateEdge struct {
	Cursor string
	Node   *ClinicalSenate
}

type PrimaryCareNetwork struct {
	Org
	OpenDate *Date
}

type PrimaryCareNetworkConnection struct {
	Page
	Edges []*PrimaryCareNetworkEdge
}

type PrimaryCareNetworkEdge struct {
	Cursor string
	Node   *PrimaryCareNetwork
}

type GpPractice struct {
	Org
	Postcode  *string
	JoinedPcn *Date
}

type GpPracticeConnection struct {
	Page
	Edges []*GpPracticeEdge
}

type GpPracticeEdge struct {
	Cursor string
	Node   *GpPractice
}

type Stp struct{ Org }

type StpConnection struct {
	Page
	Edges []*StpEdge
}

type StpEdge struct {
	Cursor string
	Node   *Stp
}

type Ccg struct {
	Org
	Years []int
}

type CcgConnection struct {
	Page
	Edges []*CcgEdge
}

type CcgEdge struct {
	Cursor string
	Node   *Ccg
}

// Designation is an ICS designation; its sources are resolved by id.
type Designation struct {
	Wave               string
	Announced          *string
	AnnouncedPrecision *string
	EffectiveFrom      *Date
	NameAsAnnounced    *string
	SourceIDs          []string
	// Src are the Source nodes, when the compiled statement read them (HasSrc).
	Src    []*Source
	HasSrc bool
}
