package store

// The relationship steps the API follows, each in the direction it is read.
// Names are unique; the dataloaders key on them.
var (
	HopICSRegion         = Hop{Name: "icsRegion", From: LabelICS, Rel: RelInRegion, To: LabelRegion}
	HopRegionICSs        = Hop{Name: "regionICSs", From: LabelRegion, Rel: RelInRegion, To: LabelICS, Reverse: true}
	HopRegionSenates     = Hop{Name: "regionSenates", From: LabelRegion, Rel: RelInRegion, To: LabelClinicalSenate, Reverse: true}
	HopSenateRegion      = Hop{Name: "senateRegion", From: LabelClinicalSenate, Rel: RelInRegion, To: LabelRegion}
	HopICSSubICBs        = Hop{Name: "icsSubICBs", From: LabelICS, Rel: RelPartOf, To: LabelSubICBLocation, Reverse: true}
	HopSubICBICS         = Hop{Name: "subICBICS", From: LabelSubICBLocation, Rel: RelPartOf, To: LabelICS}
	HopICSTrusts         = Hop{Name: "icsTrusts", From: LabelICS, Rel: RelLocatedIn, To: LabelTrust, Reverse: true}
	HopTrustICS          = Hop{Name: "trustICS", From: LabelTrust, Rel: RelLocatedIn, To: LabelICS}
	HopICSPartnerTrusts  = Hop{Name: "icsPartnerTrusts", From: LabelICS, Rel: RelPartnerOf, To: LabelTrust, Reverse: true}
	HopICSPartnerCouncil = Hop{Name: "icsPartnerCouncils", From: LabelICS, Rel: RelPartnerOf, To: LabelCouncil, Reverse: true}
	HopTrustPartnerOf    = Hop{Name: "trustPartnerOf", From: LabelTrust, Rel: RelPartnerOf, To: LabelICS}
	HopCouncilPartnerOf  = Hop{Name: "councilPartnerOf", From: LabelCouncil, Rel: RelPartnerOf, To: LabelICS}
	HopICSCouncils       = Hop{Name: "icsCouncils", From: LabelICS, Rel: RelOverlaps, To: LabelCouncil, Reverse: true, OrderBy: "r.population DESC, b.code"}
	HopCouncilICSs       = Hop{Name: "councilICSs", From: LabelCouncil, Rel: RelOverlaps, To: LabelICS, OrderBy: "r.population DESC, b.code"}
	HopSubICBCouncils    = Hop{Name: "subICBCouncils", From: LabelSubICBLocation, Rel: RelOverlaps, To: LabelCouncil, Reverse: true, OrderBy: "r.population DESC, b.code"}
	HopCouncilSubICBs    = Hop{Name: "councilSubICBs", From: LabelCouncil, Rel: RelOverlaps, To: LabelSubICBLocation, OrderBy: "r.population DESC, b.code"}
	HopICSAlliances      = Hop{Name: "icsAlliances", From: LabelICS, Rel: RelInCancerAlliance, To: LabelCancerAlliance, OrderBy: "r.share DESC, b.code"}
	HopAllianceICSs      = Hop{Name: "allianceICSs", From: LabelCancerAlliance, Rel: RelInCancerAlliance, To: LabelICS, Reverse: true}
	HopSubICBAlliance    = Hop{Name: "subICBAlliance", From: LabelSubICBLocation, Rel: RelInCancerAlliance, To: LabelCancerAlliance}
	HopAllianceSubICBs   = Hop{Name: "allianceSubICBs", From: LabelCancerAlliance, Rel: RelInCancerAlliance, To: LabelSubICBLocation, Reverse: true}
	HopICSSenate         = Hop{Name: "icsSenate", From: LabelICS, Rel: RelInClinicalSenate, To: LabelClinicalSenate}
	HopSenateICSs        = Hop{Name: "senateICSs", From: LabelClinicalSenate, Rel: RelInClinicalSenate, To: LabelICS, Reverse: true}
	HopCouncilCounty     = Hop{Name: "councilCounty", From: LabelCouncil, Rel: RelWithin, To: LabelCouncil}
	HopCountyDistricts   = Hop{Name: "countyDistricts", From: LabelCouncil, Rel: RelWithin, To: LabelCouncil, Reverse: true}
	HopSubICBPCNs        = Hop{Name: "subICBPCNs", From: LabelSubICBLocation, Rel: RelInSubICBLocation, To: LabelPCN, Reverse: true}
	HopPCNSubICB         = Hop{Name: "pcnSubICB", From: LabelPCN, Rel: RelInSubICBLocation, To: LabelSubICBLocation}
	HopPCNPractices      = Hop{Name: "pcnPractices", From: LabelPCN, Rel: RelMemberOf, To: LabelPractice, Reverse: true}
	HopPracticePCN       = Hop{Name: "practicePCN", From: LabelPractice, Rel: RelMemberOf, To: LabelPCN}
	HopICSPredecessors   = Hop{Name: "icsPredecessors", From: LabelICS, Rel: RelSucceededBy, To: LabelSTP, Reverse: true}
	HopSTPSuccessor      = Hop{Name: "stpSuccessor", From: LabelSTP, Rel: RelSucceededBy, To: LabelICS}
	HopSubICBPredecessor = Hop{Name: "subICBPredecessors", From: LabelSubICBLocation, Rel: RelSucceededBy, To: LabelCCG, Reverse: true}
	HopSTPCCGs           = Hop{Name: "stpCCGs", From: LabelSTP, Rel: RelPartOf, To: LabelCCG, Reverse: true}
	HopCCGSTPs           = Hop{Name: "ccgSTPs", From: LabelCCG, Rel: RelPartOf, To: LabelSTP}
	HopCCGSuccessors     = Hop{Name: "ccgSuccessors", From: LabelCCG, Rel: RelSucceededBy, To: LabelOrganisation}
	HopCCGPredecessors   = Hop{Name: "ccgPredecessors", From: LabelCCG, Rel: RelSucceededBy, To: LabelCCG, Reverse: true}
)
