// Package convert turns the official downloads (shared/data/raw) and the
// curated tables (shared/data/curated) into the project's own seed files
// (seed/data/*.csv). It is pure file logic: same inputs, same bytes out, so a
// test can check that the committed files are what it produces.
package convert

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icsgraph/icsgraph/internal/dataset/changes"
	"github.com/icsgraph/icsgraph/internal/dataset/invariants"
	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// Table is one output file: its name, header and rows (or, for a text
// file such as the change report, its Text).
type Table struct {
	Name   string
	Header []string
	Rows   [][]string
	Text   []byte
}

// Bytes encodes the table as CSV (LF line ends, quotes only where needed).
func (t Table) Bytes() []byte {
	if t.Text != nil {
		return t.Text
	}
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

// builder carries what earlier steps learned to later ones.
type builder struct {
	m               *manifest.Manifest
	raw, curated    string
	f               *facts
	icbOfSub        map[string]map[string]string // per sub-ICB lookup date: sub-ICB → ICB
	eraDates        []string                     // the starts of the ICB-era periods the fragments describe
	ladLists        []manifest.File              // the council lists, oldest first
	regionByONS     map[string]string            // region ONS code → key (ODS where known)
	stpByONS        map[string]string            // STP ONS code → key
	councils        map[string]*council
	senateOf        map[string]string   // ICB (2022) → Clinical Senate
	pop15           map[string]int64    // LSOA 2011 → mid-2015 population
	pop22           map[[2]string]int64 // (vintage, sub-ICB) → mid-2022 residents (derived file)
	ward22          map[string]string   // ward (2022) → LAD22
	lad23Of         map[string]string   // district of 2022 → unitary of 2023 (the reorganised ones)
	lsoaLAD         []map[string]string // per LSOA lookup (2015–2020, July 2022): small area → council
	ccgFrags        []map[fragKey][2]int64
	icbFrags        []map[fragKey][2]int64 // per era of eraDates
	trustTypes      map[string][2]string
	derivations     []*derivation
	missing         error // the first use of a rule with no derivations.csv row (derive)
	corrections     []*correction
	splits          map[string]*split           // split sub-ICB location → how
	inherits        []*derivation               // inherit-alliance rows
	reparents       map[string]*derivation      // reparent-at-split rows by the split location
	announcedCounty [][3]string                 // county, replacing council, date
	splitPop15      map[string]map[string]int64 // split location → part → mid-2015 residents given to it
	extraSources    map[string][]string         // id → sources.csv row, for seed articles and web pages
	tables          []Table
}

// Build reads rawDir and curatedDir as the manifest m describes them and
// returns the seed tables, sorted by file name. A raw file that is missing
// or whose checksum differs from its manifest row, and every inconsistency
// between the official files, is an error (and nothing is returned).
func Build(m *manifest.Manifest, rawDir, curatedDir string) ([]Table, error) {
	if err := m.Verify(rawDir); err != nil {
		return nil, err
	}
	if err := setEras(m); err != nil {
		return nil, err
	}
	if err := setMeasures(m); err != nil {
		return nil, err
	}
	b := &builder{m: m, raw: rawDir, curated: curatedDir, f: newFacts(),
		regionByONS: map[string]string{}, stpByONS: map[string]string{}, councils: map[string]*council{},
		ward22: map[string]string{}, lad23Of: map[string]string{}, splitPop15: map[string]map[string]int64{}, extraSources: map[string][]string{}, icbOfSub: map[string]map[string]string{}}
	b.ladLists = m.WithRole("council-list")
	steps := []func() error{
		b.readCurated, b.regions, b.geography, b.cancerAlliances, b.history, b.councilLists, b.overlaps, b.trustList,
		b.partners, b.pcns, b.designations, b.senates, b.populations, b.successions, b.icbAlliances, b.smallAreas, b.announced, b.factTables, b.sources, b.unusedCurated,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(b.tables, func(x, y Table) int { return strings.Compare(x.Name, y.Name) })
	if err := b.checkInvariants(); err != nil {
		return nil, err
	}
	report := changes.Report(tablesOf(b.tables), m.ReleaseSince)
	b.tables = append(b.tables, Table{Name: ChangeReportFile, Text: []byte(report)})
	slices.SortFunc(b.tables, func(x, y Table) int { return strings.Compare(x.Name, y.Name) })
	return b.tables, nil
}

// ChangeReportFile is the release's change report in seed/data.
const ChangeReportFile = "change_report.txt"

func tablesOf(ts []Table) invariants.Tables {
	t := invariants.Tables{}
	for _, tb := range ts {
		if tb.Text == nil {
			t.Add(tb.Name, tb.Header, tb.Rows)
		}
	}
	return t
}

// checkInvariants runs the invariants (internal/dataset/invariants) over the
// tables before anything is written: a finding stops the converter.
func (b *builder) checkInvariants() error {
	t := tablesOf(b.tables)
	opts, err := InvariantOptions(b.m, b.curated)
	if err != nil {
		return err
	}
	if fs := invariants.Check(t, opts); len(fs) > 0 {
		var lines []string
		for _, f := range fs {
			lines = append(lines, "  seed/data/"+f.String())
		}
		return fmt.Errorf("%w: %d invariants broken (nothing written):\n%s", errBadData, len(fs), strings.Join(lines, "\n"))
	}
	return nil
}

// InvariantOptions reads what the invariants need besides the tables: the
// manifest's counts and the recorded reasons for endings without successors
// (endings.csv in the curated directory).
func InvariantOptions(m *manifest.Manifest, curatedDir string) (invariants.Options, error) {
	var o invariants.Options
	for _, f := range m.Files {
		for kind, n := range f.Counts {
			o.Counts = append(o.Counts, invariants.Count{File: f.File, Kind: kind, Date: f.DescribesFrom, Want: n})
		}
	}
	slices.SortFunc(o.Counts, func(a, b invariants.Count) int { return strings.Compare(a.File+a.Kind, b.File+b.Kind) })
	s, err := readCSV(filepath.Join(curatedDir, "endings.csv"), true, "kind", "code", "basis_contains", "reason")
	if err != nil {
		return o, err
	}
	for i, r := range s.rows {
		e := invariants.Ending{Kind: s.col(r, "kind"), Code: s.col(r, "code"), BasisContains: s.col(r, "basis_contains"), Reason: s.col(r, "reason")}
		if e.Kind == "" || e.Code == "" || e.Reason == "" || e.Code == "*" && e.BasisContains == "" {
			return o, fmt.Errorf("%s: %w: want kind, code (or * with basis_contains) and reason", s.where(i), errBadData)
		}
		o.Endings = append(o.Endings, e)
	}
	return o, nil
}

// checkCount compares a count read from a raw file with its manifest row's.
func checkCount(f manifest.File, kind string, n int) error {
	if want, ok := f.Counts[kind]; ok && want != n {
		return fmt.Errorf("%s: %w: %d %s in the file, the manifest says %d", f.File, errBadData, n, kind, want)
	}
	return nil
}

// chdFile returns the Code History extract of an ONS entity (E38, E40, …).
func (b *builder) chdFile(entity string) (string, error) {
	for _, f := range b.filesWith("code-history") {
		if f.Col("entity") == entity {
			return b.rawFile(f), nil
		}
	}
	return "", fmt.Errorf("%s: %w: no code-history file for entity %s", b.m.Path, errBadData, entity)
}

// readCHDEntity reads the Code History extract of an ONS entity.
func (b *builder) readCHDEntity(entity string) (map[string][]chdEntry, error) {
	p, err := b.chdFile(entity)
	if err != nil {
		return nil, err
	}
	return readCHD(p)
}

// monthList names the months of files' dates: "July 2022, April 2023 and April 2024".
func monthList(fs []manifest.File) string {
	var out []string
	for _, f := range fs {
		t, _ := time.Parse(time.DateOnly, f.DescribesFrom) // checked by the manifest
		out = append(out, t.Format("January 2006"))
	}
	if len(out) < 2 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}

func (b *builder) add(name string, header []string, rows [][]string) {
	slices.SortFunc(rows, func(x, y []string) int { return slices.Compare(x, y) })
	b.tables = append(b.tables, Table{Name: name, Header: header, Rows: rows})
}

func join(xs ...string) string {
	return strings.Join(slices.DeleteFunc(xs, func(s string) bool { return s == "" }), ";")
}

// chdEntry is one period of an ONS code in the Code History Database extract.
type chdEntry struct {
	Date   struct{ S, E string } `json:"date"`
	Nm     string                `json:"nm"`
	Parent string                `json:"parent"`
}

func readCHD(path string) (map[string][]chdEntry, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var doc struct {
		Areas map[string][]chdEntry `json:"areas"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return doc.Areas, nil
}

// regions: the NHS England regions (commissioning regions of 2013, the
// regions of 2018 and 2019) from the ONS Code History extract (E40), keyed by
// their ODS code where a lookup gives one (Y54…Y63), else by the ONS code.
// Y60…Y63 kept their ODS code when their ONS code changed (2022, 2024).
func (b *builder) regions() error {
	ods := map[string]string{}
	for _, l := range append(b.filesWith("region-codes"), b.filesWith("subicb-icb-region-lookup")...) {
		s, err := b.open(l, "region_ons", "region_ods")
		if err != nil {
			return err
		}
		for i, r := range s.rows {
			cd, cdh := s.col(r, "region_ons"), s.col(r, "region_ods")
			if old, ok := ods[cd]; ok && old != cdh {
				return fmt.Errorf("%s: %w: region %s has ODS codes %s and %s", s.where(i), errBadData, cd, old, cdh)
			}
			ods[cd] = cdh
		}
	}
	chd, err := b.readCHDEntity("E40")
	if err != nil {
		return err
	}
	srcCHD40 := b.chdID("E40")
	for _, cd := range slices.Sorted(maps.Keys(chd)) {
		key := ods[cd]
		if key == "" {
			key = cd
		}
		b.regionByONS[cd] = key
		o := b.f.org(kRegion, key)
		for _, e := range chd[cd] {
			to := ""
			if e.Date.E != "" {
				if to, err = dayAfter(e.Date.E); err != nil {
					return err
				}
			}
			o.widen(e.Date.S, to)
			o.name(e.Date.S, e.Nm, srcCHD40)
			o.onsCode(e.Date.S, cd, srcCHD40)
		}
		o.basis = "ONS Code History Database (E40): the periods of its ONS codes"
		if key == cd {
			o.basis += "; no ODS code in any lookup, so keyed by its ONS code"
		}
	}
	return nil
}

// geography reads the sub-ICB location → ICB → region lookups of July 2022,
// April 2023, April 2024 and April 2026: sub-ICB locations and ICBs with
// their names and ONS codes over time, PART_OF and IN_REGION per period. ODS
// codes are the keys.
func (b *builder) geography() error {
	lookups := b.filesWith("subicb-icb-region-lookup")
	var dates []string
	for _, l := range lookups {
		dates = append(dates, l.DescribesFrom)
	}
	exist, rels := newSeries("", dates...), newSeries("", dates...)
	for i, f := range lookups {
		l := struct{ date, src string }{f.DescribesFrom, f.ID}
		s, err := b.open(f, "sub_ons", "sub_ods", "sub_name", "icb_ons", "icb_ods", "icb_name", "region_ods")
		if err != nil {
			return err
		}
		icbOf := map[string]string{}
		for j, r := range s.rows {
			sub, ib, rg := s.col(r, "sub_ods"), s.col(r, "icb_ods"), s.col(r, "region_ods")
			if sub == "" || ib == "" || rg == "" {
				return fmt.Errorf("%s: %w: missing ODS code", s.where(j), errBadData)
			}
			if _, dup := icbOf[sub]; dup {
				return fmt.Errorf("%s: %w: sub-ICB location %s twice", s.where(j), errBadData, sub)
			}
			icbOf[sub] = ib
			so, io := b.f.org(kSub, sub), b.f.org(kICS, ib)
			so.name(l.date, s.col(r, "sub_name"), l.src)
			so.onsCode(l.date, s.col(r, "sub_ons"), l.src)
			io.name(l.date, s.col(r, "icb_name"), l.src)
			io.onsCode(l.date, s.col(r, "icb_ons"), l.src)
			exist.see(i, l.src, kSub, sub)
			exist.see(i, l.src, kICS, ib)
			rels.see(i, l.src, "PART_OF", kSub, sub, kICS, ib)
			rels.see(i, l.src, "IN_REGION", kICS, ib, kRegion, rg)
		}
		b.icbOfSub[l.date] = icbOf
		regions := map[string]bool{}
		for _, r := range s.rows {
			regions[s.col(r, "region_ods")] = true
		}
		for kind, n := range map[string]int{kSub: len(icbOf), kICS: len(slices.Compact(slices.Sorted(maps.Values(icbOf)))), kRegion: len(regions)} {
			if err := checkCount(f, kind, n); err != nil {
				return err
			}
		}
	}
	// The ICB-era periods of the council × area fragments start on every
	// date on which the ICBs' make-up or the councils change: a lookup that
	// repeats the previous make-up starts none unless the councils change
	// on its date.
	councilDates := map[string]bool{}
	for _, f := range b.ladLists {
		councilDates[f.DescribesFrom] = true
	}
	for i, d := range dates {
		if i == 0 || councilDates[d] || !maps.Equal(b.icbOfSub[d], b.icbOfSub[dates[i-1]]) {
			b.eraDates = append(b.eraDates, d)
		}
	}
	exist.runs(func(k []string, from, to, src string) {
		o := b.f.org(k[0], k[1])
		o.widen(from, to)
		o.basis = "the sub-ICB location → ICB → region lookups of " + monthList(lookups)
	})
	rels.runs(func(k []string, from, to, src string) { b.f.rel(k[0], k[1], k[2], k[3], k[4], from, to, src, "") })
	return nil
}

// cancerAlliances joins the April 2021 CCG → Cancer Alliance lookup to the
// sub-ICB locations on ODS codes: six locations kept their ODS code but got a
// new ONS code in July 2022, so ONS codes would not join. U2G6B (new in April
// 2026) has no official alliance: it takes D4U1Y's, marked derived.
func (b *builder) cancerAlliances() error {
	cals := b.filesWith("ccg-alliance-lookup")
	if len(cals) == 0 {
		return fmt.Errorf("%s: %w: no ccg-alliance-lookup file", b.m.Path, errBadData)
	}
	newest := cals[len(cals)-1]
	s, err := b.open(newest, "ccg_ods", "alliance_ons", "alliance_name")
	if err != nil {
		return err
	}
	srcCAL21 := newest.ID
	alliance := map[string]string{}
	for i, r := range s.rows {
		code, cal := s.col(r, "ccg_ods"), s.col(r, "alliance_ons")
		if b.f.get(kSub, code) == nil || cal == "" {
			return fmt.Errorf("%s: %w: CCG %s has no sub-ICB location with that ODS code, or no alliance", s.where(i), errBadData, code)
		}
		b.f.rel("IN_CANCER_ALLIANCE", kSub, code, kAlliance, cal, era.icbs, "", srcCAL21, "")
		alliance[code] = cal
	}
	// inherit-alliance (derivations.csv): a new sub-ICB location takes the
	// alliance of the one it was formed from.
	for _, d := range b.inherits {
		cal := alliance[d.from]
		if cal == "" || b.f.get(kSub, d.to) == nil {
			return fmt.Errorf("derivations.csv:%d: %w: no alliance for %s, or unknown sub-ICB location %s", d.line, errBadData, d.from, d.to)
		}
		b.f.rel("IN_CANCER_ALLIANCE", kSub, d.to, kAlliance, cal, d.date, "", srcCAL21, d.method)
		d.used = true
	}
	return nil
}

// trustList reads the ODS etr files (no header; 1 code, 2 name, 3 region,
// 4 ICB, 10 postcode, 11 open, 12 close): the 2025 extract for the 42-ICB era
// and the mid-2026 one (after the April 2026 mergers) for the 36-ICB era.
// Welsh rows are out of scope. Column 24 is the ODS "GOR code" (Government
// Office Region letter), not a trust type, so the type comes from the name or
// the curated list. LOCATED_IN (the ICB holding the HQ) is taken to hold from
// the trust's opening (at the earliest 2022-07-01) for the 2025 extract and
// from 2026-04-01 for the 2026 one; the newer file's dates, names and
// attributes win (a trust whose new name has no type keyword keeps the type
// its former name gave).
func (b *builder) trustList() error {
	types, err := curatedTrustTypes()
	if err != nil {
		return err
	}
	used := map[string]bool{}
	rows := map[string][]string{}
	extracts := b.filesWith("trust-extract")
	for x, f := range extracts {
		l := struct{ src, era, end string }{f.ID, max(f.DescribesFrom, era.icbs), ""}
		if x+1 < len(extracts) {
			l.end = extracts[x+1].DescribesFrom
		}
		fields := []string{"code", "name", "region_ods", "parent_ods", "postcode", "open_date", "close_date", "gor_code"}
		s, err := b.open(f, fields...)
		if err != nil {
			return err
		}
		width := 0
		for _, fd := range fields {
			width = max(width, s.header[fd]+1)
		}
		for i, r := range s.rows {
			if len(r) < width {
				return fmt.Errorf("%s: %w: %d columns, the manifest maps %d", s.where(i), errBadData, len(r), width)
			}
			code, name, rg, ib := s.col(r, "code"), s.col(r, "name"), s.col(r, "region_ods"), s.col(r, "parent_ods")
			if rg == "W00" || ib == "Q99" || s.col(r, "gor_code") == "W" {
				continue // Wales
			}
			open, err := isoDate(s.col(r, "open_date"))
			if err != nil {
				return fmt.Errorf("%s: %w", s.where(i), err)
			}
			closed, err := isoDate(s.col(r, "close_date"))
			if err != nil {
				return fmt.Errorf("%s: %w", s.where(i), err)
			}
			to := ""
			if closed != "" {
				if to, err = dayAfter(closed); err != nil {
					return err
				}
			}
			if to != "" && to <= era.start {
				continue // closed before the period the data describes
			}
			o := b.f.org(kTrust, code)
			o.from, o.to, o.dated, o.basis = open, to, true, "ODS open and close dates (etr)"
			o.name(max(open, l.era), name, l.src)
			if ib != "" && (to == "" || to > l.era) {
				if b.f.get(kICS, ib) == nil {
					return fmt.Errorf("%s: %w: trust %s is in unknown ICB %q", s.where(i), errBadData, code, ib)
				}
				b.f.rel("LOCATED_IN", kTrust, code, kICS, ib, max(open, l.era), l.end, l.src, "")
			}
			if b.f.get(kRegion, rg) == nil && (to == "" || to > era.icbs) {
				return fmt.Errorf("%s: %w: trust %s is in unknown region %q", s.where(i), errBadData, code, rg)
			}
			tt, basis := trustType(name)
			if old, ok := rows[code]; ok && tt == "UNKNOWN" && old[7] != "UNKNOWN" && !strings.HasPrefix(old[8], "curated") {
				tt, basis = old[7], old[8]+" (in its former name)"
			}
			if c, ok := types[code]; ok {
				tt, basis = c[0], "curated list: "+c[1]
				o.src(srcTrustTypes)
				used[code] = true
			}
			ft := strconv.FormatBool(strings.Contains(name, "FOUNDATION TRUST"))
			status := "OPEN"
			if closed != "" {
				status = "CLOSED"
			}
			rows[code] = []string{code, rg, s.col(r, "postcode"), open, closed, status, ft, tt, basis}
		}
	}
	for code := range types {
		if !used[code] {
			return fmt.Errorf("trust_types.csv: %w: trust %s is not in the etr files", errBadData, code)
		}
	}
	b.trustTypes = types
	b.add("trusts.csv", []string{"code", "region_code", "postcode", "open_date", "close_date", "status", "foundation_trust", "trust_type", "trust_type_basis"},
		slices.Collect(maps.Values(rows)))
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

// pcns reads the ePCN workbook (January 2023) and NHS England's practice →
// PCN → sub-ICB mapping of 1 August 2026. A PCN or practice exists from its
// ePCN open date (PCN) or earliest membership start (practice), else from the
// date a file first shows it; one the 2026 mapping no longer lists ends on
// its ePCN close date, else on 2026-08-01 (the first date a file shows it
// gone). Memberships: ePCN rows with their start and end dates; the 2026
// mapping's, where new, from 2026-08-01 (for PCNs of D4U1Y, re-parented by the
// April 2026 split, from 2026-04-01).
func (b *builder) pcns() error {
	epcn, err := b.file("pcn-list")
	if err != nil {
		return err
	}
	srcEPCN := epcn.ID
	s, err := b.open(epcn, "pcn_code", "pcn_name", "sub_ods", "open_date", "close_date")
	if err != nil {
		return err
	}
	type member struct{ from, to, parent, src string }
	pcnSub := map[string][]member{}
	practicePCN := map[string][]member{}
	for i, r := range s.rows {
		code, sub := s.col(r, "pcn_code"), s.col(r, "sub_ods")
		if code == "" {
			return fmt.Errorf("%s: %w: PCN without a code", s.where(i), errBadData)
		}
		od, err := isoDate(s.col(r, "open_date"))
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		cd, err := isoDate(s.col(r, "close_date"))
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		to := ""
		if cd != "" {
			if to, err = dayAfter(cd); err != nil {
				return err
			}
			if to <= era.icbs {
				continue // closed before the sub-ICB locations existed
			}
		}
		if b.f.get(kSub, sub) == nil {
			return fmt.Errorf("%s: %w: PCN %s in unknown sub-ICB location %q", s.where(i), errBadData, code, sub)
		}
		o := b.f.org(kPCN, code)
		o.from, o.to, o.dated, o.basis = od, to, true, "ePCN open and close dates"
		o.name(od, s.col(r, "pcn_name"), srcEPCN)
		pcnSub[code] = append(pcnSub[code], member{max(od, era.icbs), to, sub, srcEPCN})
	}
	var members *manifest.Table
	for i, t := range epcn.Tables {
		if t.Role == "practice-pcn-membership" {
			members = &epcn.Tables[i]
		}
	}
	if members == nil {
		return fmt.Errorf("%s: %w: %s has no practice-pcn-membership table", b.m.Path, errBadData, epcn.ID)
	}
	s, err = b.openTable(epcn, members.Sheet, members.HeaderRow, members.Columns, nil, "practice_code", "practice_name", "member_pcn_code", "member_from", "member_to")
	if err != nil {
		return err
	}
	for i, r := range s.rows {
		code, pcn := s.col(r, "practice_code"), s.col(r, "member_pcn_code")
		from, err := isoDate(s.col(r, "member_from"))
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		end, err := isoDate(s.col(r, "member_to"))
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		to := ""
		if end != "" {
			if to, err = dayAfter(end); err != nil {
				return err
			}
		}
		if b.f.get(kPCN, pcn) == nil || to != "" && to <= era.icbs {
			continue // a membership of a PCN closed before July 2022
		}
		// membership-end corrections (corrections.csv): a membership ePCN ends
		// on the day a practice's next one starts.
		if c := b.correct("membership-end", code+">"+pcn); c != "" {
			if !manifest.IsDate(c) {
				return fmt.Errorf("corrections.csv: %w: membership-end %s>%s: %q is not a date", errBadData, code, pcn, c)
			}
			to = c
		}
		o := b.f.org(kPractice, code)
		o.name(from, s.col(r, "practice_name"), srcEPCN)
		o.widen(from, to)
		o.basis = "ePCN: the practice's PCN memberships"
		practicePCN[code] = append(practicePCN[code], member{from, to, pcn, srcEPCN})
	}

	mapping, err := b.file("practice-mapping")
	if err != nil {
		return err
	}
	srcMap26 := mapping.ID
	m, err := b.open(mapping, "practice_code", "practice_name", "pcn_code", "pcn_name", "sub_ods", "icb_ods")
	if err != nil {
		return err
	}
	inMap := map[okey]bool{}
	for i, r := range m.rows {
		prac, pcn, sub, ib := m.col(r, "practice_code"), m.col(r, "pcn_code"), m.col(r, "sub_ods"), m.col(r, "icb_ods")
		if so := b.f.get(kSub, sub); so == nil || !so.holds(era.mapping) || b.icbOfSub[era.icbsNow][sub] != ib {
			return fmt.Errorf("%s: %w: sub-ICB %s / ICB %s do not match the April 2026 lookup", m.where(i), errBadData, sub, ib)
		}
		for _, x := range []struct{ kind, code, name, parent string }{{kPCN, pcn, m.col(r, "pcn_name"), sub}, {kPractice, prac, m.col(r, "practice_name"), pcn}} {
			k := okey{x.kind, x.code}
			if x.kind == kPractice {
				if o := b.f.get(kPractice, x.code); o != nil {
					o.to = "" // listed in August 2026: still open
				}
			}
			if x.kind == kPractice && inMap[k] {
				return fmt.Errorf("%s: %w: practice %s twice", m.where(i), errBadData, prac)
			}
			if inMap[k] {
				continue
			}
			inMap[k] = true
			o := b.f.get(x.kind, x.code)
			if o == nil {
				o = b.f.org(x.kind, x.code)
				o.from, o.dated, o.basis = era.mapping, true, "first listed in the NHS England practice mapping of 1 August 2026; no open date in the files"
			}
			if o.to != "" {
				return fmt.Errorf("%s: %w: %s %s is closed (%s) in ePCN but listed in August 2026", m.where(i), errBadData, x.kind, x.code, o.to)
			}
			o.name(era.mapping, x.name, srcMap26)
			ms := pcnSub
			if x.kind == kPractice {
				ms = practicePCN
			}
			cur := ms[x.code]
			if n := len(cur); n > 0 && cur[n-1].to == "" && cur[n-1].parent == x.parent {
				continue // the same membership still holds
			}
			if n := len(cur); n > 0 && cur[n-1].to == "" {
				cur[n-1].to = era.mapping
				if d := b.reparents[cur[n-1].parent]; x.kind == kPCN && d != nil {
					cur[n-1].to, d.used = d.date, true
				}
			}
			from := era.mapping
			if n := len(cur); n > 0 {
				from = cur[n-1].to
			}
			ms[x.code] = append(cur, member{from, "", x.parent, srcMap26})
		}
	}
	n := map[string]int{}
	for k := range inMap {
		n[k.kind]++
	}
	for _, kind := range []string{kPractice, kPCN} {
		if err := checkCount(mapping, kind, n[kind]); err != nil {
			return err
		}
	}
	for k, o := range b.f.orgs {
		if (k.kind == kPCN || k.kind == kPractice) && !inMap[k] && o.to == "" {
			o.to = era.mapping
			o.basis += "; not in the NHS England mapping of 1 August 2026 (closing date unknown: the first date a file shows it gone)"
		}
	}
	for kind, ms := range map[string]map[string][]member{kPCN: pcnSub, kPractice: practicePCN} {
		typ, to := "IN_SUB_ICB_LOCATION", kSub
		if kind == kPractice {
			typ, to = "MEMBER_OF", kPCN
		}
		for code, list := range ms {
			o := b.f.get(kind, code)
			for _, x := range list {
				end := x.to
				if end == "" {
					end = o.to
				}
				b.f.rel(typ, kind, code, to, x.parent, x.from, end, x.src, "")
			}
		}
	}
	return nil
}

// designations copies the curated ICS designation table (the 42 ICBs of
// July 2022), citing each row's seed articles, into icbs.csv.
func (b *builder) designations() error {
	s, err := readCSV(b.curatedFile(srcDesig), true,
		"icb_ods_code", "system_name_as_announced", "announced", "announced_precision", "wave", "effective_from", "source")
	if err != nil {
		return err
	}
	var rows [][]string
	for i, r := range s.rows {
		code := s.col(r, "icb_ods_code")
		o := b.f.get(kICS, code)
		if o == nil || !o.holds(era.icbs) {
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
		o.src(srcDesig)
		rows = append(rows, []string{code, s.col(r, "wave"), s.col(r, "announced"), s.col(r, "announced_precision"),
			s.col(r, "effective_from"), s.col(r, "system_name_as_announced"), join(append([]string{srcDesig}, seeds...)...)})
	}
	if n := len(b.icbOfSub[era.icbs]); len(rows) != len(slices.Compact(slices.Sorted(maps.Values(b.icbOfSub[era.icbs])))) {
		return fmt.Errorf("%s: %w: %d designation rows for the ICBs of July 2022 (%d sub-ICB locations)", s.file, errBadData, len(rows), n)
	}
	b.add("icbs.csv", []string{"code", "wave", "announced", "announced_precision", "effective_from", "name_as_announced", "designation_sources"}, rows)
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

// senates reads the curated Clinical Senate table (footprints of the 42
// ICBs). Its region is matched by name to a region of July 2022. A senate
// is taken to exist from 2013-04-01 (senates were set up with NHS England;
// no file dates them).
func (b *builder) senates() error {
	s, err := readCSV(b.curatedFile(srcSenates), true,
		"senate_id", "senate_name", "nhs_england_region", "member_icb_ods_codes", "source", "note")
	if err != nil {
		return err
	}
	var rows [][]string
	b.senateOf = map[string]string{}
	for i, r := range s.rows {
		code := s.col(r, "senate_id")
		var rg string
		for _, x := range b.f.orgs {
			if x.kind == kRegion && x.holds(era.icbs) && strings.EqualFold(squash(x.names, "")[len(squash(x.names, ""))-1].value, s.col(r, "nhs_england_region")) {
				rg = x.code
			}
		}
		if code == "" || rg == "" {
			return fmt.Errorf("%s: %w: missing id or unknown region %q", s.where(i), errBadData, s.col(r, "nhs_england_region"))
		}
		o := b.f.org(kSenate, code)
		o.from, o.dated, o.basis = era.start, true, "curated; Clinical Senates were set up in April 2013 (no file dates them): the data start"
		srcs := []string{srcSenates}
		for _, u := range strings.Split(s.col(r, "source"), ";") {
			srcs = append(srcs, b.webSource(strings.TrimSpace(u), "Web page cited by the curated Clinical Senates table"))
		}
		o.src(srcs...)
		o.name(era.start, s.col(r, "senate_name"), srcSenates)
		b.f.rel("IN_REGION", kSenate, code, kRegion, rg, era.icbs, "", srcSenates, "")
		for _, m := range strings.Split(s.col(r, "member_icb_ods_codes"), ";") {
			if ib := b.f.get(kICS, m); ib == nil || !ib.holds(era.icbs) {
				return fmt.Errorf("%s: %w: unknown ICB %q", s.where(i), errBadData, m)
			}
			if other, dup := b.senateOf[m]; dup {
				return fmt.Errorf("%s: %w: ICB %s is in senates %s and %s", s.where(i), errBadData, m, other, code)
			}
			b.senateOf[m] = code
			b.f.rel("IN_CLINICAL_SENATE", kICS, m, kSenate, code, era.icbs, "", srcSenates, "")
		}
		rows = append(rows, []string{code, s.col(r, "note")})
	}
	if n := len(slices.Compact(slices.Sorted(maps.Values(b.icbOfSub[era.icbs])))); len(b.senateOf) != n {
		return fmt.Errorf("%s: %w: senates cover %d of %d ICBs", s.file, errBadData, len(b.senateOf), n)
	}
	b.add("clinical_senates.csv", []string{"code", "note"}, rows)
	return nil
}

// sources writes sources.csv: the raw files and curated tables the manifest
// cites, and the seed articles and web pages the curated tables cite.
func (b *builder) sources() error {
	var ms [][]string
	for _, x := range b.m.Measures {
		ms = append(ms, []string{x.Property, x.Family, x.Vintage, x.Date, x.Source, strconv.FormatBool(x.Derived), x.Description})
	}
	b.add("measures.csv", []string{"property", "family", "vintage", "date", "source", "derived", "description"}, ms)
	rows := slices.AppendSeq(b.m.SourceRows(), maps.Values(b.extraSources))
	b.add("sources.csv", []string{"id", "title", "publisher", "released", "file", "url", "licence"}, rows)
	return nil
}

// curatedFile returns the path of a curated table the manifest lists.
func (b *builder) curatedFile(id string) string {
	for _, c := range b.m.Curated {
		if c.ID == id {
			return filepath.Join(b.curated, filepath.FromSlash(c.File))
		}
	}
	return filepath.Join(b.curated, id) // not in the manifest: reading it fails, naming it
}
