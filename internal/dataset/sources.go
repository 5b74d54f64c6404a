package dataset

// Source ids the converter writes and the loader cites on edges that have no
// source column of their own. Read checks that each one used is in sources.csv.
const (
	SrcLOC22      = "ons-loc22-icb22-nhser22-jul2022"
	SrcSICBL23    = "ons-sicbl23-icb23-nhser23-apr2023"
	SrcCAL21      = "ons-ccg21-stp21-cal21-apr2021"
	SrcNHSER21    = "ons-ccg21-stp21-nhser21-apr2021"
	SrcCCG20      = "ons-ccg20-stp20-apr2020"
	SrcLSOA       = "ons-lsoa11-loc22-icb22-lad22-jul2022"
	SrcPop        = "mhclg-iod2019-population-lsoa11-mid2015"
	SrcWard       = "ons-wd22-lad22-cty22-rgn22-dec2022"
	SrcLAD        = "ons-lad22-rgn22-dec2022"
	SrcETR        = "ods-etr-nhs-trusts-2025"
	SrcPartners   = "ods-icb-partners-2023-08"
	SrcEPCN       = "ods-epcn-2023-01"
	SrcDesig      = "curated-ics-designations"
	SrcSenates    = "curated-clinical-senates"
	SrcTrustTypes = "icsgraph-trust-types"
)
