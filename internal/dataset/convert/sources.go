package convert

// Source ids (each a row of sources.csv).
const (
	srcLOC22       = "ons-loc22-icb22-nhser22-jul2022"
	srcSICBL23     = "ons-sicbl23-icb23-nhser23-apr2023"
	srcSICBL24     = "ons-sicbl24-icb24-nhser24-apr2024"
	srcSICBL26     = "ons-sicbl26-icb26-nhser26-apr2026"
	srcCAL21       = "ons-ccg21-stp21-cal21-apr2021"
	srcNHSER21     = "ons-ccg21-stp21-nhser21-apr2021"
	srcCCG20       = "ons-ccg20-stp20-apr2020"
	srcLSOA        = "ons-lsoa11-loc22-icb22-lad22-jul2022"
	srcPop         = "mhclg-iod2019-population-lsoa11-mid2015"
	srcPop22       = "derived-imd2025-population-subicb-mid2022"
	srcWard        = "ons-wd22-lad22-cty22-rgn22-dec2022"
	srcWard23      = "ons-wd23-lad23-cty23-rgn23-may2023"
	srcLAD         = "ons-lad22-rgn22-dec2022"
	srcETR         = "ods-etr-nhs-trusts-2025"
	srcETR26       = "ods-etr-nhs-trusts-2026-07"
	srcSucc        = "ods-succ-2026-05"
	srcMap26       = "nhse-gp-reg-pat-prac-map-2026-08"
	srcReg26       = "nhse-gp-reg-pat-sing-age-2026-08"
	srcPartners    = "ods-icb-partners-2023-08"
	srcEPCN        = "ods-epcn-2023-01"
	srcDesig       = "curated-ics-designations"
	srcSenates     = "curated-clinical-senates"
	srcTrustTypes  = "icsgraph-trust-types"
	srcCCG13       = "ons-ccg13-names-apr2013"
	srcCCG13Region = "ons-ccg13-nhsat13-nhscr13-apr2013"
	srcLSOA15      = "ons-lsoa11-ccg15-lad15-jul2015"
	srcLSOA16      = "ons-lsoa11-ccg16-lad16-apr2016"
	srcLSOA17      = "ons-lsoa11-ccg17-lad17-apr2017"
	srcLSOA18      = "ons-lsoa11-ccg18-lad18-apr2018"
	srcLSOA19      = "ons-lsoa11-ccg19-lad19-apr2019"
	srcLSOA20      = "ons-lsoa11-ccg20-lad20-apr2020"
	srcCCG17       = "ons-ccg17-names-apr2017"
	srcCCG17STP    = "ons-ccg17-stp17-apr2017"
	srcCAL17       = "ons-ccg17-stp17-calncv17-apr2017"
	srcCCG17Region = "ons-ccg17-nhsrlo17-nhser17-apr2017"
	srcCCG18STP    = "ons-ccg18-stp18-apr2018"
	srcCAL18       = "ons-ccg18-stp18-calncv18-apr2018"
	srcCCG18Region = "ons-ccg18-nhsrlo18-nhser18-apr2018"
	srcCCG19       = "ons-ccg19-names-apr2019"
	srcCCG19STP    = "ons-ccg19-stp19-apr2019"
	srcCAL19       = "ons-ccg19-stp19-cal19-jul2019"
	srcCCG20Names  = "ons-ccg20-names-apr2020"
	srcSTP20       = "ons-stp20-names-apr2020"
	srcECCG        = "ods-eccg-closed-ccgs"
	srcCHD54       = "ons-chd2024-e54"
	srcCHD40       = "ons-chd2024-e40"
	srcCHD38       = "ons-chd2024-e38-e39"
)

const (
	oglONS  = "Open Government Licence v3.0 (Source: Office for National Statistics)"
	oglODS  = "Open Government Licence v3.0 (Contains information from NHS England / NHS Digital)"
	oglNHSE = "Open Government Licence v3.0 (NHS England)"
	oglMHC  = "Open Government Licence v3.0 (Source: Ministry of Housing, Communities and Local Government)"
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
	{srcCCG13, "Clinical Commissioning Groups (April 2013) names and codes (CCG13; names without \" CCG\"; Windows-1252)", "Office for National Statistics", "2013-04-01",
		"history/ons_CCG13_names_codes_Apr2013.csv", "https://github.com/ebmdatalab/openprescribing/blob/2aab031b6d83d25a6247ccc85c5e9d0f8460d456/openprescribing/data/org_codes/CCG_APR_2013.csv", oglONS},
	{srcCCG13Region, "CCG to NHS Area Team to NHS Commissioning Region (April 2013) Lookup", "Office for National Statistics", "2013-04-01",
		"history/ons_CCG13_NHSAT13_NHSCR13_Apr2013.csv", "https://github.com/ebmdatalab/openprescribing/blob/2aab031b6d83d25a6247ccc85c5e9d0f8460d456/openprescribing/data/org_codes/CCG13_NHSAT13_NHSCR13_EW_LU.csv", oglONS},
	{srcLSOA15, "LSOA (2011) to CCG to LAD (July 2015) Lookup in England", "Office for National Statistics", "2015-07-01",
		"history/ons_LSOA11_CCG15_LAD15_Jul2015.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/212.csv", oglONS},
	{srcLSOA16, "LSOA (2011) to CCG to LAD (April 2016) Lookup in England", "Office for National Statistics", "2016-04-01",
		"history/ons_LSOA11_CCG16_LAD16_Apr2016.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/211.csv", oglONS},
	{srcLSOA17, "LSOA (2011) to CCG to LAD (April 2017) Lookup in England (Version 4)", "Office for National Statistics", "2017-04-01",
		"history/ons_LSOA11_CCG17_LAD17_Apr2017_v4.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/226.csv", oglONS},
	{srcLSOA18, "LSOA (2011) to CCG to LAD (April 2018) Lookup in England", "Office for National Statistics", "2018-04-01",
		"history/ons_LSOA11_CCG18_LAD18_Apr2018.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/216.csv", oglONS},
	{srcLSOA19, "LSOA (2011) to CCG to LAD (April 2019) Lookup in England", "Office for National Statistics", "2019-04-01",
		"history/ons_LSOA11_CCG19_LAD19_Apr2019.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/217.csv", oglONS},
	{srcLSOA20, "LSOA (2011) to CCG to LAD (April 2020) Lookup in England", "Office for National Statistics", "2020-04-01",
		"history/ons_LSOA11_CCG20_LAD20_Apr2020.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/219.csv", oglONS},
	{srcCCG17, "Clinical Commissioning Groups (April 2017) Names and Codes in England (Version 3)", "Office for National Statistics", "2017-04-01",
		"history/ons_CCG17_names_codes_Apr2017_v3.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/270.csv", oglONS},
	{srcCCG17STP, "Clinical Commissioning Group to STPs (April 2017) Lookup in England (Version 3)", "Office for National Statistics", "2017-04-01",
		"history/ons_CCG17_STP17_Apr2017_v3.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/066.csv", oglONS},
	{srcCAL17, "CCG to STPs to Cancer Alliances and National Cancer Vanguards (April 2017) Lookup (Version 3)", "Office for National Statistics", "2017-04-01",
		"history/ons_CCG17_STP17_CALNCV17_Apr2017_v3.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/204.csv", oglONS},
	{srcCCG17Region, "CCG to NHS England (Region, Local Office) and NHS England (Region) (April 2017) Lookup (Version 3)", "Office for National Statistics", "2017-04-01",
		"history/ons_CCG17_NHSRLO17_NHSER17_Apr2017_v3.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/222.csv", oglONS},
	{srcCCG18STP, "Clinical Commissioning Group to STPs (April 2018) Lookup in England (Version 2)", "Office for National Statistics", "2018-04-01",
		"history/ons_CCG18_STP18_Apr2018_v2.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/065.csv", oglONS},
	{srcCAL18, "CCG to STPs to Cancer Alliances and National Cancer Vanguards (April 2018) Lookup (Version 2)", "Office for National Statistics", "2018-04-01",
		"history/ons_CCG18_STP18_CALNCV18_Apr2018_v2.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/196.csv", oglONS},
	{srcCCG18Region, "CCG to NHS England (Region, Local Office) and NHS England (Region) (April 2018) Lookup in England", "Office for National Statistics", "2018-04-01",
		"history/ons_CCG18_NHSRLO18_NHSER18_Apr2018.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/202.csv", oglONS},
	{srcCCG19, "Clinical Commissioning Groups (April 2019) Names and Codes in England", "Office for National Statistics", "2019-04-01",
		"history/ons_CCG19_names_codes_Apr2019.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/273.csv", oglONS},
	{srcCCG19STP, "Clinical Commissioning Group to STPs (April 2019) Lookup in England", "Office for National Statistics", "2019-04-01",
		"history/ons_CCG19_STP19_Apr2019.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/028.csv", oglONS},
	{srcCAL19, "CCG to STPs to Cancer Alliances (July 2019) Lookup in England", "Office for National Statistics", "2019-07-01",
		"history/ons_CCG19_STP19_CAL19_Jul2019.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/075.csv", oglONS},
	{srcCCG20Names, "Clinical Commissioning Groups (April 2020) Names and Codes in England", "Office for National Statistics", "2020-04-01",
		"history/ons_CCG20_names_codes_Apr2020.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/245.csv", oglONS},
	{srcSTP20, "Sustainability and Transformation Partnerships (April 2020) Names and Codes in England", "Office for National Statistics", "2020-04-01",
		"history/ons_STP20_names_codes_Apr2020.csv", "https://github.com/jtrim-ons/ons-lookups/blob/85d0ba6e476badf3861d8dc7485aecf40598d031/csv/268.csv", oglONS},
	{srcCHD54, "Code History Database (July 2024), entity E54 (STPs / ICBs): periods, names (JSON re-format by open-innovations/geography-code-adder)", "Office for National Statistics", "2024-07-01",
		"history/chd2024_derived_E54.json", "https://github.com/open-innovations/geography-code-adder/blob/5c33e2d9f4c969d9c9b69d2fe6c8a07ba0e58b7b/docs/data/E54.json", oglONS},
	{srcCHD40, "Code History Database (July 2024), entity E40 (NHS England regions): periods, names (JSON re-format by open-innovations/geography-code-adder)", "Office for National Statistics", "2024-07-01",
		"history/chd2024_derived_E40.json", "https://github.com/open-innovations/geography-code-adder/blob/5c33e2d9f4c969d9c9b69d2fe6c8a07ba0e58b7b/docs/data/E40.json", oglONS},
	{srcECCG, "ODS eccg.csv (CCGs / sub-ICB locations), post-2024 extract keeping every closed CCG 2015–2021 with its open and close dates", "NHS England (Organisation Data Service)", "",
		"history/ods_eccg_recent_all_closed_ccgs.csv", "https://github.com/jhau/nhs-spend/blob/e602ea98154e694e9afddca87e50caef0b8488b9/data/eccg.csv", oglODS},
	{srcSICBL24, "Sub ICB Locations to Integrated Care Boards to NHS England (Region) (April 2024) Lookup in England", "Office for National Statistics", "2024-04-01",
		"ons_sicbl24_icb24_nhser24_lookup_apr2024.csv", "https://github.com/mjacksonresearch/mjacksonresearch.github.io/blob/eda6bf5aca11c4873f8dce46087226f0c29af3b4/Sub_ICB_Locations_to_Integrated_Care_Boards_to_NHS_England_(Region)_(2024)_Lookup_in_EN.csv", oglONS},
	{srcSICBL26, "Sub ICB Locations to Integrated Care Boards to NHS England (Region) (April 2026) Lookup in England", "Office for National Statistics", "2026-04-01",
		"ons_sicbl26_icb26_nhser26_lookup_apr2026.csv", "https://github.com/mohammadadnann/nhs-rtt-waiting-time-analytics/blob/d83d31167fe66d544f25290213b01dc201878453/data/reference/icb_region_lookup.csv", oglONS},
	{srcWard23, "Ward to Local Authority District to County to Region to Country (May 2023) Lookup in United Kingdom", "Office for National Statistics", "2023-05-01",
		"ons_wd23_lad23_cty23_rgn23_ctry23_lookup_may2023.csv", "https://github.com/obozkanucla/geo_analysis/blob/e9fd5b212d1060caa3264763809e084ddf6a218a/data/Ward_to_Local_Authority_District_to_County_to_Region_to_Country_(May_2023)_Lookup_in_United_Kingdom.csv", oglONS},
	{srcETR26, "ODS NHS Trusts (etr.csv), mid-2026 extract after the April 2026 ICB mergers", "NHS England (Organisation Data Service)", "",
		"ods_etr_nhs_trusts_2026-07_post_icb_mergers.csv", "https://github.com/Riyaburman-analytics/UK-healthcare-analysis/blob/be5d9213db84e4fa6c2e2f6f88cf13a79e062eb2/etr.csv", oglODS},
	{srcSucc, "ODS successor organisations (succ.csv), May 2026 extract: successions 1992–2026 with their dates", "NHS England (Organisation Data Service)", "",
		"ods_succ_2026-05.csv", "https://github.com/Maglehoj/42578-Project/blob/c0ee05455a35fe72a39dc3b1462973243a687712/data/succ.csv", oglODS},
	{srcMap26, "Patients Registered at a GP Practice: practice → PCN → sub-ICB → ICB mapping, 1 August 2026", "NHS England", "2026-08-01",
		"nhse_gp_reg_pat_prac_map_2026-08.zip", "https://github.com/robg-test/icb-map/blob/3677cdc485b30e879057c0e548f6ee2dfc785e17/data/nhs/gp-reg-pat-prac-map.zip", oglNHSE},
	{srcReg26, "Patients Registered at a GP Practice by single year of age: regions, ICBs, sub-ICBs and PCNs, 1 August 2026 (totals: SEX=ALL, AGE=ALL)", "NHS England", "2026-08-01",
		"nhse_gp_reg_pat_prac_sing_age_regions_2026-08.zip", "https://github.com/robg-test/icb-map/blob/3677cdc485b30e879057c0e548f6ee2dfc785e17/data/nhs/gp-reg-pat-prac-sing-age-regions.zip", oglNHSE},
	{srcPop22, "Mid-2022 resident population (English Indices of Deprivation 2025, File 6, LSOA 2021) aggregated to sub-ICB locations of 2023–2026 by a third party (DERIVED, not official as it stands)", "SIRSAZOFDUCK/IMD2025_subICB_scores (aggregation of MHCLG data)", "",
		"derived_imd2025_population_subicb_mid2022_2023-2026.csv", "https://github.com/SIRSAZOFDUCK/IMD2025_subICB_scores/blob/6ff8e5a6606615000f38970ae20c6de3a9801346/data/population_denominators_subicb.csv", oglMHC},
	{srcCHD38, "Code History Database (July 2024), entities E38 (CCGs / sub-ICB locations) and E39 (NHS England local offices): periods and parents (JSON re-format by open-innovations/geography-code-adder); used for CCG → region in 2019 and 2020", "Office for National Statistics", "2024-07-01",
		"history/chd2024_derived_E38.json", "https://github.com/open-innovations/geography-code-adder/blob/5c33e2d9f4c969d9c9b69d2fe6c8a07ba0e58b7b/docs/data/E38.json", oglONS},
}
