// Package model holds the Go types behind the GraphQL schema: hand-written
// organisation, relationship and connection types here, gqlgen's generated
// ones in models_gen.go.
package model

import (
	"encoding/base64"
	"errors"
	"strings"
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

// Populated holds the population fields of area organisations.
type Populated struct {
	Population     *int // residents mid-2015, the default measure
	PopulationYear *int
	SmallAreas     *int
	// Populations holds every measure's figure, by its property name
	// (residents2015, residents2022, registered2026).
	Populations map[string]int
}

type Region struct{ Org }

type IntegratedCareSystem struct {
	Org
	Populated
	Designation *Designation
}

type SubIcbLocation struct {
	Org
	Populated
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

type Council struct {
	Org
	Populated
	CouncilType CouncilType
	OdsCode     *string
	OnsRegion   *string
}

type CancerAlliance struct{ Org }

type ClinicalSenate struct {
	Org
	Note *string
}

type PrimaryCareNetwork struct {
	Org
	OpenDate *Date
}

type GpPractice struct {
	Org
	Postcode  *string
	JoinedPcn *Date
}

type Stp struct{ Org }

type Ccg struct {
	Org
	Years []int
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
