package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"golang.org/x/sync/errgroup"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Prefetching plans a query's relationship reads before its resolvers run.
//
// A root field that returns organisations walks its own selection set: for
// every relationship field asked of those organisations it runs one batched
// query (store.Related) for all of them, then does the same for the
// organisations reached, level by level. The answers prime the operation's
// loaders, so the resolvers find everything cached and never wait for a
// batch to fill. A nested query therefore costs exactly one round-trip per
// level and relationship, with no batching delay. Fields the plan does not
// cover still resolve through the loaders.

// follow says how a GraphQL field is resolved: the hops to take and where,
// inside the field's own selection, the organisations reached are selected.
type follow struct {
	hops []store.Hop
	path []string // e.g. {"council"} for CouncilIcsOverlap, {"edges", "node"} for connections
}

func direct(hops ...store.Hop) follow { return follow{hops: hops} }

func via(path []string, hops ...store.Hop) follow { return follow{hops: hops, path: path} }

var connectionNodes = []string{"edges", "node"}

// plan maps each organisation type's relationship fields to how they are
// resolved; it mirrors the resolvers in schema.resolvers.go.
var plan = map[string]map[string]follow{
	"Region": {
		"integratedCareSystems": direct(store.HopRegionICSs),
		"clinicalSenates":       direct(store.HopRegionSenates),
	},
	"IntegratedCareSystem": {
		"region":          direct(store.HopICSRegion),
		"subIcbLocations": direct(store.HopICSSubICBs),
		"trusts":          direct(store.HopICSTrusts),
		"partners":        via([]string{"partner"}, store.HopICSPartnerTrusts, store.HopICSPartnerCouncil),
		"councils":        via([]string{"council"}, store.HopICSCouncils),
		"cancerAlliances": via([]string{"cancerAlliance"}, store.HopICSAlliances),
		"clinicalSenate":  direct(store.HopICSSenate),
		"predecessors":    direct(store.HopICSPredecessors),
	},
	"SubIcbLocation": {
		"integratedCareSystem": direct(store.HopSubICBICS),
		"cancerAlliance":       direct(store.HopSubICBAlliance),
		"councils":             via([]string{"council"}, store.HopSubICBCouncils),
		"primaryCareNetworks":  via(connectionNodes, store.HopSubICBPCNs),
		"predecessors":         direct(store.HopSubICBPredecessor),
	},
	"Trust": {
		"integratedCareSystem": direct(store.HopTrustICS),
		"partnerOf":            via([]string{"integratedCareSystem"}, store.HopTrustPartnerOf),
	},
	"Council": {
		"county":         direct(store.HopCouncilCounty),
		"districts":      direct(store.HopCountyDistricts),
		"overlaps":       via([]string{"integratedCareSystem"}, store.HopCouncilICSs),
		"subIcbOverlaps": via([]string{"subIcbLocation"}, store.HopCouncilSubICBs),
		"partnerOf":      via([]string{"integratedCareSystem"}, store.HopCouncilPartnerOf),
	},
	"CancerAlliance": {
		"systems":         via([]string{"integratedCareSystem"}, store.HopAllianceICSs),
		"subIcbLocations": direct(store.HopAllianceSubICBs),
	},
	"ClinicalSenate": {
		"region":  direct(store.HopSenateRegion),
		"systems": direct(store.HopSenateICSs),
	},
	"PrimaryCareNetwork": {
		"subIcbLocation": direct(store.HopPCNSubICB),
		"practices":      via(connectionNodes, store.HopPCNPractices),
	},
	"GpPractice": {
		"primaryCareNetwork": direct(store.HopPracticePCN),
	},
	"Stp": {
		"ccgs":      direct(store.HopSTPCCGs),
		"successor": direct(store.HopSTPSuccessor),
	},
	"Ccg": {
		"stps":         direct(store.HopCCGSTPs),
		"successors":   direct(store.HopCCGSuccessors),
		"predecessors": direct(store.HopCCGPredecessors),
	},
}

// typeNames maps organisation kinds to their GraphQL type names.
var typeNames = map[model.OrganisationKind]string{
	model.OrganisationKindRegion:         "Region",
	model.OrganisationKindIcs:            "IntegratedCareSystem",
	model.OrganisationKindSubIcbLocation: "SubIcbLocation",
	model.OrganisationKindTrust:          "Trust",
	model.OrganisationKindCouncil:        "Council",
	model.OrganisationKindCancerAlliance: "CancerAlliance",
	model.OrganisationKindClinicalSenate: "ClinicalSenate",
	model.OrganisationKindPcn:            "PrimaryCareNetwork",
	model.OrganisationKindPractice:       "GpPractice",
	model.OrganisationKindStp:            "Stp",
	model.OrganisationKindCcg:            "Ccg",
}

// prefetch plans and runs the reads for orgs, the organisations a root field
// returns, selected at path inside the field's selection set. It returns
// only the first error; the resolvers would meet the same one.
func prefetch[T model.Organisational](ctx context.Context, orgs []T, path ...string) error {
	fc := graphql.GetFieldContext(ctx)
	l := loadersFor(ctx)
	if fc == nil || l == nil || len(orgs) == 0 {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	sel := selectionAt(op, fc.Field.Selections, path)
	codes := make([]store.Organisation, len(orgs))
	for i, o := range orgs {
		b := o.Base()
		codes[i] = store.Organisation{Kind: string(b.Kind), Code: b.Code}
	}
	return l.prefetchLevel(ctx, op, codes, sel)
}

// prefetchLevel reads, for the organisations of one level, every planned
// relationship their selection asks for, primes the loaders, and recurses
// into the organisations reached.
func (l *loaders) prefetchLevel(ctx context.Context, op *graphql.OperationContext, orgs []store.Organisation, sel ast.SelectionSet) error {
	if len(orgs) == 0 || len(sel) == 0 {
		return nil
	}
	byType := map[string][]string{}
	for _, o := range orgs {
		t := typeNames[model.OrganisationKind(o.Kind)]
		if !slices.Contains(byType[t], o.Code) {
			byType[t] = append(byType[t], o.Code)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	for typ, codes := range byType {
		for _, f := range graphql.CollectFields(op, sel, []string{typ, "Organisation", "Node"}) {
			fl, ok := plan[typ][f.Name]
			if !ok {
				continue
			}
			next := selectionAt(op, f.Selections, fl.path)
			for _, hop := range fl.hops {
				g.Go(safely(func() error {
					reached, err := l.prime(gctx, hop, codes)
					if err != nil {
						return err
					}
					return l.prefetchLevel(gctx, op, reached, next)
				}))
			}
		}
	}
	return g.Wait()
}

// prime reads hop for codes in one query, caches the answer in the hop's
// loader and returns the organisations reached.
func (l *loaders) prime(ctx context.Context, hop store.Hop, codes []string) ([]store.Organisation, error) {
	links, err := l.store.Related(ctx, hop, codes)
	if err != nil {
		return nil, err
	}
	ld := l.hopLoader(hop)
	var reached []store.Organisation
	for _, c := range codes {
		ld.Prime(c, links[c]) // no links is an answer too
		for _, link := range links[c] {
			reached = append(reached, link.Node)
		}
	}
	return reached, nil
}

// selectionAt follows path (field names) into sel, merging fragments.
func selectionAt(op *graphql.OperationContext, sel ast.SelectionSet, path []string) ast.SelectionSet {
	for _, name := range path {
		var next ast.SelectionSet
		for _, f := range graphql.CollectFields(op, sel, nil) {
			if f.Name == name {
				next = append(next, f.Selections...)
			}
		}
		sel = next
	}
	return sel
}
