package convert

import "github.com/icsgraph/icsgraph/internal/dataset"

// Source ids, shared with the loader (see dataset.Src…).
const (
	srcLOC22      = dataset.SrcLOC22
	srcSICBL23    = dataset.SrcSICBL23
	srcCAL21      = dataset.SrcCAL21
	srcNHSER21    = dataset.SrcNHSER21
	srcCCG20      = dataset.SrcCCG20
	srcLSOA       = dataset.SrcLSOA
	srcPop        = dataset.SrcPop
	srcWard       = dataset.SrcWard
	srcLAD        = dataset.SrcLAD
	srcETR        = dataset.SrcETR
	srcPartners   = dataset.SrcPartners
	srcEPCN       = dataset.SrcEPCN
	srcDesig      = dataset.SrcDesig
	srcSenates    = dataset.SrcSenates
	srcTrustTypes = dataset.SrcTrustTypes
)

const (
	oglONS = "Open Government Licence v3.0 (Source: Office for National Statistics)"
	oglODS = "Open Government Licence v3.0 (Contains information from NHS England / NHS Digital)"
	oglMHC = "Open Government Licence v3.0 (Source: Ministry of Housing, Communities and Local Government)"
)

// rawFile describes one official download in shared/data/raw. The URL is the
// public copy the bytes were taken from (see PROVENANCE.md); released is the
// date the release is published or dated, left empty where the file does not
// say (then the title says what is known).
type rawFile struct {
	id, title, publisher, released, file, url, licence string
}

var rawFiles = []rawFile{
	{srcLOC22, "Sub ICB Locations to Integrated Care Boards to NHS England (Region) (July 2022) Lookup in England (LOC22_ICB22_NHSER22_EN_LU)", "Office for National Statistics", "2022-07-01",
		"ons_loc22_icb22_nhser22_lookup_jul2022.csv", "https://github.com/craig-shenton/cqc-icb-lookup/blob/2415e278a01b08befd10ad28dc9d20d0d878830f/data/LOC22_ICB22_NHSER22_EN_LU.csv", oglONS},
	{srcSICBL23, "Sub ICB Locations to Integrated Care Boards to NHS England (Region) (April 2023) Lookup in England", "Office for National Statistics", "2023-04-01",
		"ons_sicbl23_icb23_nhser23_lookup_apr2023.csv", "https://github.com/nhsx/open-cyber/blob/00a113d938378e1ecbcd3809abe0685b1393f6c7/data/aux/22_23/Sub_ICB_Locations_to_Integrated_Care_Boards_to_NHS_England_(Region)_(April_2023)_Lookup_in_England%20(1).csv", oglONS},
	{srcCAL21, "Clinical Commissioning Group to STP to Cancer Alliances (April 2021) Lookup in England", "Office for National Statistics", "2021-04-01",
		"ons_ccg21_stp21_cal21_lookup_apr2021.csv", "https://github.com/ncl-icb-analytics/dbt-ncl-analytics/blob/1bd9011afd1bca9ad84d08f3b88bbce58257b0cd/seeds/ccg_icb_to_cancer_alliance.csv", oglONS},
	{srcNHSER21, "Clinical Commissioning Group to STP and NHS England (Region) (April 2021) Lookup in England", "Office for National Statistics", "2021-04-01",
		"ons_ccg21_stp21_nhser21_lookup_apr2021.csv", "https://github.com/nhsx/open-cyber/blob/49656575dc4fd1c1144f091f48ef2cda05074382/data/aux/21_22/Clinical_Commissioning_Group_to_STP_and_NHS_England_(Region)_(April_2021)_Lookup_in_England.csv", oglONS},
	{srcCCG20, "Clinical Commissioning Group to STPs (April 2020) Lookup in England", "Office for National Statistics", "2020-04-01",
		"ons_ccg20_stp20_lookup_apr2020.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/031.csv", oglONS},
	{srcLSOA, "LSOA (2011) to Sub ICB Locations to Integrated Care Boards to Local Authority Districts (July 2022) Lookup in England", "Office for National Statistics", "2022-07-01",
		"ons_lsoa11_loc22_icb22_lad22_lookup_jul2022.xlsx", "https://github.com/NHSDigital/NDOP-publication/blob/ecd6fbc22907e4f2dec8ae0d21ac1987fe4b9499/inputs/LSOA11_LOC22_ICB22_LAD22_EN_LU.xlsx", oglONS},
	{srcPop, "English Indices of Deprivation 2019, File 6: population denominators (mid-2015 population of 2011 LSOAs, excluding prisoners)", "Ministry of Housing, Communities and Local Government", "2019-09-26",
		"mhclg_iod2019_population_denominators_lsoa11_mid2015.csv", "https://github.com/bitowaqr/DoPE/blob/e8e0279f6e26c305b53e70042e3ff7b7c9782c17/raw_data/IoD2019_Population_Denominators.csv", oglMHC},
	{srcWard, "Ward to Local Authority District to County to Region to Country (December 2022) Lookup in United Kingdom", "Office for National Statistics", "2022-12-01",
		"ons_wd22_lad22_cty22_rgn22_ctry22_lookup_dec2022.csv", "https://github.com/open-innovations/jrf-insight/blob/5699bdc2b59eca60d8ec56938d4bbad3c3afb27d/data-raw/geo/Ward_to_Local_Authority_District_to_County_to_Region_to_Country_(December_2022)_Lookup_in_United_Kingdom.csv", oglONS},
	{srcLAD, "Local Authority District to Region (December 2022) Lookup in England", "Office for National Statistics", "2022-12-01",
		"ons_lad22_rgn22_lookup_dec2022.csv", "https://github.com/open-innovations/jrf-insight/blob/5699bdc2b59eca60d8ec56938d4bbad3c3afb27d/data-raw/geo/Local_Authority_District_to_Region_(December_2022)_Lookup_in_England.csv", oglONS},
	{srcETR, "ODS NHS Trusts (etr.csv), early/mid-2025 extract (latest date inside 2024-12-31)", "NHS England (Organisation Data Service)", "",
		"ods_etr_nhs_trusts_2025.csv", "https://github.com/folakeobalakun/NHS-AE-RTT-Analysis/blob/77d5a68e026c5daf6ed0e85a071d534a0e83b026/etr.csv", oglODS},
	{srcPartners, "ODS ICB Partners mapping (partners named in ICB constitutions), as at 7 August 2023", "NHS England (Organisation Data Service)", "2023-08-07",
		"ods_icb_partners_master_2023-08.xlsx", "https://github.com/nhsx/open-cyber/blob/49656575dc4fd1c1144f091f48ef2cda05074382/data/aux/22_23/ICB+Partners+MASTER.xlsx", oglODS},
	{srcEPCN, "ODS ePCN: primary care networks and their core partner practices, January 2023 edition (latest date inside 2023-01-09)", "NHS England (Organisation Data Service)", "",
		"nhs_ods_epcn_2023.xlsx", "https://github.com/blackwellrd/practice_pcn_imd/blob/99f57a727325500e084f94d40d5f9488fcb539f8/data/ePCN.xlsx", oglODS},
	{srcDesig, "ICS designation waves, curated from the seed articles (each row cites its articles)", "ICS Graph (curated)", "",
		"ics_designations.csv", "", ""},
	{srcSenates, "Clinical Senates and their ICB footprints, curated (each row cites its web pages)", "ICS Graph (curated)", "",
		"clinical_senates.csv", "", ""},
	{srcTrustTypes, "Trust types for trusts whose name has no type keyword, curated by the ICS Graph project (internal/dataset/convert/trust_types.csv; each row gives its reason)", "ICS Graph (curated)", "",
		"trust_types.csv", "", ""},
}
