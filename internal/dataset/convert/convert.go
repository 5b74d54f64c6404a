// Package convert turns the official downloads (shared/data/raw) and the
// curated tables (shared/data/curated) into the project's own seed files
// (seed/data/*.csv). It is pure file logic: same inputs, same bytes out, so a
// test can check that the committed files are what it produces.
package convert

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Table is one output file: its name, header and rows.
type Table struct {
	Name   string
	Header []string
	Rows   [][]string
}

// Bytes encodes the table as CSV (LF line ends, quotes only where needed).
func (t Table) Bytes() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(t.Header)
	_ = w.WriteAll(t.Rows) // a bytes.Buffer cannot fail
	return b.Bytes()
}

// Write writes every table into dir.
func Write(dir string, tables []Table) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	for _, t := range tables {
		if err := os.WriteFile(filepath.Join(dir, t.Name), t.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", t.Name, err)
		}
	}
	return nil
}

//go:embed seed_articles.csv
var seedArticlesCSV []byte

//go:embed trust_types.csv
var trustTypesCSV []byte

// Region, ICB and sub-ICB location as read from the ONS lookups.
type (
	region struct {
		code, ons, name string
		former          []string
	}
	icb struct {
		code, ons, name, region string
		former                  []string
	}
	subICB struct {
		code, ons, name, icb, alliance string
		former                         []string
	}
)

// builder carries what earlier steps learned to later ones.
type builder struct {
	raw, curated string
	regions      map[string]*region
	icbs         map[string]*icb
	subs         map[string]*subICB
	alliances    map[string]string // code → name
	councils     map[string]*council
	trusts       map[string]bool
	extraSources map[string][]string // id → sources.csv row, for seed articles and web pages
	tables       []Table
}

// Build reads rawDir and curatedDir and returns the seed tables, sorted by
// file name. Every inconsistency between the official files is an error.
func Build(rawDir, curatedDir string) ([]Table, error) {
	b := &builder{raw: rawDir, curated: curatedDir,
		regions: map[string]*region{}, icbs: map[string]*icb{}, subs: map[string]*subICB{},
		alliances: map[string]string{}, councils: map[string]*council{}, trusts: map[string]bool{},
		extraSources: map[string][]string{}}
	steps := []func() error{
		b.geography, b.cancerAlliances, b.councilsAndAreas, b.trustList,
		b.partners, b.pcns, b.history, b.designations, b.senates, b.sources,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(b.tables, func(x, y Table) int { return strings.Compare(x.Name, y.Name) })
	return b.tables, nil
}

func (b *builder) rawPath(name string) string { return filepath.Join(b.raw, name) }

func (b *builder) add(name string, header []string, rows [][]string) {
	slices.SortFunc(rows, func(x, y []string) int { return slices.Compare(x, y) })
	b.tables = append(b.tables, Table{Name: name, Header: header, Rows: rows})
}

func join(xs ...string) string {
	return strings.Join(slices.DeleteFunc(xs, func(s string) bool { return s == "" }), ";")
}

// addFormer records an older ONS code unless it is the current one or known.
func addFormer(former []string, current, code string) []string {
	if code == "" || code == current || slices.Contains(former, code) {
		return former
	}
	return append(former, code)
}

// geography reads the July 2022 and April 2023 sub-ICB → ICB → region lookups.
// ODS codes are the keys; the April 2023 ONS codes are current and the July
// 2022 ones, where different, become former codes.
func (b *builder) geography() error {
	s, err := readCSV(b.rawPath("ons_loc22_icb22_nhser22_lookup_jul2022.csv"), true,
		"LOC22CD", "LOC22CDH", "LOC22NM", "ICB22CD", "ICB22CDH", "ICB22NM", "NHSER22CD", "NHSER22CDH", "NHSER22NM")
	if err != nil {
		return err
	}
	for i, r := range s.rows {
		loc, ib, rg := s.col(r, "LOC22CDH"), s.col(r, "ICB22CDH"), s.col(r, "NHSER22CDH")
		if loc == "" || ib == "" || rg == "" {
			return fmt.Errorf("%s: %w: missing ODS code", s.where(i), errBadData)
		}
		if _, dup := b.subs[loc]; dup {
			return fmt.Errorf("%s: %w: sub-ICB location %s twice", s.where(i), errBadData, loc)
		}
		b.subs[loc] = &subICB{code: loc, ons: s.col(r, "LOC22CD"), name: s.col(r, "LOC22NM"), icb: ib}
		if old, ok := b.icbs[ib]; ok && (old.ons != s.col(r, "ICB22CD") || old.region != rg) {
			return fmt.Errorf("%s: %w: ICB %s has two ONS codes or regions", s.where(i), errBadData, ib)
		}
		b.icbs[ib] = &icb{code: ib, ons: s.col(r, "ICB22CD"), name: s.col(r, "ICB22NM"), region: rg}
		b.regions[rg] = &region{code: rg, ons: s.col(r, "NHSER22CD"), name: s.col(r, "NHSER22NM")}
	}
	s, err = readCSV(b.rawPath("ons_sicbl23_icb23_nhser23_lookup_apr2023.csv"), true,
		"SICBL23CD", "SICBL23CDH", "SICBL23NM", "ICB23CD", "ICB23CDH", "ICB23NM")
	if err != nil {
		return err
	}
	if len(s.rows) != len(b.subs) {
		return fmt.Errorf("%s: %w: %d sub-ICB locations, July 2022 had %d", s.file, errBadData, len(s.rows), len(b.subs))
	}
	for i, r := range s.rows {
		sub, ok := b.subs[s.col(r, "SICBL23CDH")]
		if !ok || sub.icb != s.col(r, "ICB23CDH") {
			return fmt.Errorf("%s: %w: sub-ICB %s is not in the July 2022 lookup under ICB %s", s.where(i), errBadData, s.col(r, "SICBL23CDH"), s.col(r, "ICB23CDH"))
		}
		sub.former = addFormer(sub.former, s.col(r, "SICBL23CD"), sub.ons)
		sub.ons, sub.name = s.col(r, "SICBL23CD"), s.col(r, "SICBL23NM")
		ib := b.icbs[sub.icb]
		ib.former = addFormer(ib.former, s.col(r, "ICB23CD"), ib.ons)
		ib.ons, ib.name = s.col(r, "ICB23CD"), s.col(r, "ICB23NM")
	}
	return nil
}

// cancerAlliances joins the April 2021 CCG → Cancer Alliance lookup to the
// sub-ICB locations on ODS codes: six locations kept their ODS code but got a
// new ONS code in July 2022, so ONS codes would not join. The CCG21 ONS code
// becomes a former code of the location.
func (b *builder) cancerAlliances() error {
	s, err := readCSV(b.rawPath("ons_ccg21_stp21_cal21_lookup_apr2021.csv"), true, "CCG21CD", "CCG21CDH", "CAL21CD", "CAL21NM")
	if err != nil {
		return err
	}
	for i, r := range s.rows {
		code, cal := s.col(r, "CCG21CDH"), s.col(r, "CAL21CD")
		sub, ok := b.subs[code]
		if !ok {
			return fmt.Errorf("%s: %w: CCG %s has no sub-ICB location with that ODS code", s.where(i), errBadData, code)
		}
		if cal == "" {
			return fmt.Errorf("%s: %w: CCG %s has no Cancer Alliance", s.where(i), errBadData, code)
		}
		sub.alliance = cal
		sub.former = addFormer(sub.former, sub.ons, s.col(r, "CCG21CD"))
		b.alliances[cal] = s.col(r, "CAL21NM")
	}
	var rows, subRows [][]string
	for code, name := range b.alliances {
		rows = append(rows, []string{code, name, srcCAL21})
	}
	b.add("cancer_alliances.csv", []string{"code", "name", "sources"}, rows)
	for _, sub := range b.subs {
		if sub.alliance == "" {
			return fmt.Errorf("%s: %w: sub-ICB location %s has no Cancer Alliance", s.file, errBadData, sub.code)
		}
		subRows = append(subRows, []string{sub.code, sub.ons, join(sub.former...), sub.name, sub.icb, sub.alliance, join(srcLOC22, srcSICBL23, srcCAL21, srcLSOA, srcPop)})
	}
	b.add("sub_icb_locations.csv", []string{"code", "ons_code", "former_ons_codes", "name", "icb_code", "cancer_alliance_code", "sources"}, subRows)
	return nil
}

// trustList reads the ODS etr file (no header; 1 code, 2 name, 3 region,
// 4 ICB, 10 postcode, 11 open, 12 close). Welsh rows are out of scope. Column
// 24 is the ODS "GOR code" (Government Office Region letter: A North East …
// K South West, W Wales; it tracks column 3), not a trust type, so the type
// comes from the name or the curated list.
func (b *builder) trustList() error {
	s, err := readCSV(b.rawPath("ods_etr_nhs_trusts_2025.csv"), false)
	if err != nil {
		return err
	}
	types, err := curatedTrustTypes()
	if err != nil {
		return err
	}
	used := map[string]bool{}
	var rows [][]string
	for i, r := range s.rows {
		if len(r) != 27 {
			return fmt.Errorf("%s: %w: %d columns, want 27", s.where(i), errBadData, len(r))
		}
		code, name, rg, ib := r[0], r[1], r[2], r[3]
		if rg == "W00" || ib == "Q99" {
			continue
		}
		if _, ok := b.icbs[ib]; !ok {
			return fmt.Errorf("%s: %w: trust %s is in unknown ICB %q", s.where(i), errBadData, code, ib)
		}
		if _, ok := b.regions[rg]; !ok {
			return fmt.Errorf("%s: %w: trust %s is in unknown region %q", s.where(i), errBadData, code, rg)
		}
		open, err := isoDate(r[10])
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		closed, err := isoDate(r[11])
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		status := "OPEN"
		if closed != "" {
			status = "CLOSED"
		}
		tt, basis := trustType(name)
		srcs := []string{srcETR}
		if c, ok := types[code]; ok {
			tt, basis = c[0], "curated list: "+c[1]
			srcs = append(srcs, srcTrustTypes)
			used[code] = true
		}
		ft := strconv.FormatBool(strings.Contains(name, "FOUNDATION TRUST"))
		b.trusts[code] = true
		rows = append(rows, []string{code, name, rg, ib, r[9], open, closed, status, ft, tt, basis, join(srcs...)})
	}
	for code := range types {
		if !used[code] {
			return fmt.Errorf("trust_types.csv: %w: trust %s is not in the etr file", errBadData, code)
		}
	}
	b.add("trusts.csv", []string{"code", "name", "region_code", "icb_code", "postcode", "open_date", "close_date", "status", "foundation_trust", "trust_type", "trust_type_basis", "sources"}, rows)
	return nil
}

// trustKeywords are tried in order; the first keyword in the (upper-case)
// name decides the type. Specialist keywords come before HOSPITAL so that
// "MOORFIELDS EYE HOSPITAL" is specialist, not acute.
var trustKeywords = []struct{ keyword, trustType string }{
	{"AMBULANCE", "AMBULANCE"},
	{"MENTAL HEALTH", "MENTAL_HEALTH"},
	{"PARTNERSHIP", "MENTAL_HEALTH"}, // the English "… Partnership" trusts are mental health trusts (some also community)
	{"COMMUNITY", "COMMUNITY"},
	{"CHILDREN", "SPECIALIST"}, // CHILDREN'S, and GOSH's "HOSPITAL FOR CHILDREN"
	{"WOMEN'S", "SPECIALIST"},
	{"ORTHOPAEDIC", "SPECIALIST"},
	{"CANCER CENTRE", "SPECIALIST"},
	{"EYE HOSPITAL", "SPECIALIST"},
	{"HEART AND CHEST", "SPECIALIST"},
	{"HOSPITAL", "ACUTE"}, // also matches HOSPITALS
	{"ACUTE", "ACUTE"},
}

func trustType(name string) (trustType, basis string) {
	for _, k := range trustKeywords {
		if strings.Contains(name, k.keyword) {
			return k.trustType, "name keyword: " + k.keyword
		}
	}
	return "UNKNOWN", "unknown: no type keyword in the name and not in the curated list"
}

// curatedTrustTypes reads trust_types.csv: code → {type, reason}.
func curatedTrustTypes() (map[string][2]string, error) {
	rows, err := csv.NewReader(bytes.NewReader(trustTypesCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("trust_types.csv: %w", err)
	}
	valid := []string{"ACUTE", "MENTAL_HEALTH", "COMMUNITY", "AMBULANCE", "SPECIALIST"}
	out := map[string][2]string{}
	for i, r := range rows[1:] {
		if len(r) != 3 || !slices.Contains(valid, r[1]) || r[2] == "" {
			return nil, fmt.Errorf("trust_types.csv:%d: %w: want code, a trust type and a reason", i+2, errBadData)
		}
		out[r[0]] = [2]string{r[1], r[2]}
	}
	return out, nil
}

// pcns reads the ePCN workbook: open PCNs, and the practices whose membership
// of an open PCN has not ended (one current PCN per practice).
func (b *builder) pcns() error {
	path := b.rawPath("nhs_ods_epcn_2023.xlsx")
	s, err := readXLSX(path, "PCNDetails", 1, "PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Open Date", "Close Date")
	if err != nil {
		return err
	}
	open := map[string]bool{}
	var rows [][]string
	for i, r := range s.rows {
		code, sub := s.col(r, "PCN Code"), s.col(r, "Current Sub ICB Loc Code")
		if code == "" {
			return fmt.Errorf("%s: %w: PCN without a code", s.where(i), errBadData)
		}
		if s.col(r, "Close Date") != "" {
			continue
		}
		if _, ok := b.subs[sub]; !ok {
			return fmt.Errorf("%s: %w: PCN %s in unknown sub-ICB location %q", s.where(i), errBadData, code, sub)
		}
		od, err := isoDate(s.col(r, "Open Date"))
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		open[code] = true
		rows = append(rows, []string{code, s.col(r, "PCN Name"), sub, od, srcEPCN})
	}
	b.add("pcns.csv", []string{"code", "name", "sub_icb_code", "open_date", "sources"}, rows)

	s, err = readXLSX(path, "PCN Core Partner Details", 1, "Partner Organisation Code", "Partner Name", "PCN Code",
		"Practice to PCN Relationship Start Date", "Practice to PCN Relationship End Date")
	if err != nil {
		return err
	}
	member := map[string][]string{}
	for i, r := range s.rows {
		code, pcn := s.col(r, "Partner Organisation Code"), s.col(r, "PCN Code")
		if s.col(r, "Practice to PCN Relationship End Date") != "" {
			continue
		}
		if !open[pcn] {
			return fmt.Errorf("%s: %w: practice %s is a current member of PCN %q, which is not open", s.where(i), errBadData, code, pcn)
		}
		since, err := isoDate(s.col(r, "Practice to PCN Relationship Start Date"))
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		row := []string{code, s.col(r, "Partner Name"), pcn, since, srcEPCN}
		if old, dup := member[code]; dup && !slices.Equal(old, row) {
			return fmt.Errorf("%s: %w: practice %s is a current member of two PCNs", s.where(i), errBadData, code)
		}
		member[code] = row
	}
	b.add("practices.csv", []string{"code", "name", "pcn_code", "joined", "sources"}, slices.Collect(maps.Values(member)))
	return nil
}

// designations copies the curated ICS designation table onto the ICB rows,
// citing each row's seed articles, and writes icbs.csv and regions.csv.
func (b *builder) designations() error {
	s, err := readCSV(filepath.Join(b.curated, "ics_designations.csv"), true,
		"icb_ods_code", "system_name_as_announced", "announced", "announced_precision", "wave", "effective_from", "source")
	if err != nil {
		return err
	}
	desig := map[string][]string{}
	for i, r := range s.rows {
		code := s.col(r, "icb_ods_code")
		if _, ok := b.icbs[code]; !ok {
			return fmt.Errorf("%s: %w: unknown ICB %q", s.where(i), errBadData, code)
		}
		var seeds []string
		for _, f := range strings.Split(s.col(r, "source"), ";") {
			id, err := b.seedSource(strings.TrimSpace(f))
			if err != nil {
				return fmt.Errorf("%s: %w", s.where(i), err)
			}
			seeds = append(seeds, id)
		}
		desig[code] = []string{s.col(r, "wave"), s.col(r, "announced"), s.col(r, "announced_precision"),
			s.col(r, "effective_from"), s.col(r, "system_name_as_announced"), join(append([]string{srcDesig}, seeds...)...)}
	}
	var rows [][]string
	for _, ib := range b.icbs {
		d, ok := desig[ib.code]
		if !ok {
			return fmt.Errorf("%s: %w: no designation row for ICB %s", s.file, errBadData, ib.code)
		}
		srcs := join(srcLOC22, srcSICBL23, srcLSOA, srcPop, srcDesig)
		rows = append(rows, append([]string{ib.code, ib.ons, join(ib.former...), ib.name, ib.region}, append(d, srcs)...))
	}
	b.add("icbs.csv", []string{"code", "ons_code", "former_ons_codes", "name", "region_code", "wave", "announced", "announced_precision",
		"effective_from", "name_as_announced", "designation_sources", "sources"}, rows)

	rows = nil
	for _, rg := range b.regions {
		rows = append(rows, []string{rg.code, rg.ons, join(rg.former...), rg.name, join(srcLOC22, srcNHSER21)})
	}
	b.add("regions.csv", []string{"code", "ons_code", "former_ons_codes", "name", "sources"}, rows)
	return nil
}

// seedSource returns the Source id of a seed article, registering it.
func (b *builder) seedSource(file string) (string, error) {
	rows, err := csv.NewReader(bytes.NewReader(seedArticlesCSV)).ReadAll()
	if err != nil {
		return "", fmt.Errorf("seed_articles.csv: %w", err)
	}
	for _, r := range rows[1:] {
		if r[0] == file {
			id := "seed-" + strings.TrimSuffix(file, ".txt")
			b.extraSources[id] = []string{id, r[1], r[2], "", file, "", ""}
			return id, nil
		}
	}
	return "", fmt.Errorf("%w: seed article %q is not in seed_articles.csv", errBadData, file)
}

// webSource returns the Source id of a web page a curated table cites.
func (b *builder) webSource(url, title string) string {
	slug := strings.Trim(strings.Join(strings.FieldsFunc(strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://")),
		func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }), "-"), "-")
	id := "web-" + slug
	b.extraSources[id] = []string{id, title, "", "", "", url, ""}
	return id
}

// senates reads the curated Clinical Senate table. Its region is matched by
// name to the NHS England regions of the July 2022 lookup.
func (b *builder) senates() error {
	s, err := readCSV(filepath.Join(b.curated, "clinical_senates.csv"), true,
		"senate_id", "senate_name", "nhs_england_region", "member_icb_ods_codes", "source", "note")
	if err != nil {
		return err
	}
	var rows [][]string
	seen := map[string]string{}
	for i, r := range s.rows {
		code := s.col(r, "senate_id")
		var rg string
		for _, x := range b.regions {
			if strings.EqualFold(x.name, s.col(r, "nhs_england_region")) {
				rg = x.code
			}
		}
		if code == "" || rg == "" {
			return fmt.Errorf("%s: %w: missing id or unknown region %q", s.where(i), errBadData, s.col(r, "nhs_england_region"))
		}
		members := strings.Split(s.col(r, "member_icb_ods_codes"), ";")
		for _, m := range members {
			if _, ok := b.icbs[m]; !ok {
				return fmt.Errorf("%s: %w: unknown ICB %q", s.where(i), errBadData, m)
			}
			if other, dup := seen[m]; dup {
				return fmt.Errorf("%s: %w: ICB %s is in senates %s and %s", s.where(i), errBadData, m, other, code)
			}
			seen[m] = code
		}
		srcs := []string{srcSenates}
		for _, u := range strings.Split(s.col(r, "source"), ";") {
			srcs = append(srcs, b.webSource(strings.TrimSpace(u), "Web page cited by the curated Clinical Senates table"))
		}
		rows = append(rows, []string{code, s.col(r, "senate_name"), rg, strings.Join(members, ";"), s.col(r, "note"), join(srcs...)})
	}
	if len(seen) != len(b.icbs) {
		return fmt.Errorf("%s: %w: senates cover %d of %d ICBs", s.file, errBadData, len(seen), len(b.icbs))
	}
	b.add("clinical_senates.csv", []string{"code", "name", "region_code", "icb_codes", "note", "sources"}, rows)
	return nil
}

// sources writes sources.csv: the raw files, the curated tables, and the seed
// articles and web pages they cite.
func (b *builder) sources() error {
	var rows [][]string
	for _, f := range rawFiles {
		rows = append(rows, []string{f.id, f.title, f.publisher, f.released, f.file, f.url, f.licence})
	}
	rows = slices.AppendSeq(rows, maps.Values(b.extraSources))
	b.add("sources.csv", []string{"id", "title", "publisher", "released", "file", "url", "licence"}, rows)
	return nil
}
