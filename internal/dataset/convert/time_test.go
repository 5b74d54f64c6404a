package convert

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/datasettest"
	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// Dates of the reorganisations and of the data, as the tests know them
// (the converter reads them from the manifest).
const (
	dataStart = "2013-04-01"
	icbStart  = "2022-07-01"
	council23 = "2023-04-01"
	icb26     = "2026-04-01"
	map26     = "2026-08-01"
)

// manifestPath is the repository's sources manifest, seen from this package.
const manifestPath = "../../../seed/sources/manifest.json"

// rawDir finds the official downloads: RAW_DIR when set (as `make data`
// reads it; a RAW_DIR that does not exist fails the test), else
// ICSGRAPH_SHARED/raw, else ../shared/data/raw beside the checkout. Tests
// comparing with them skip only when none is given and none exists (a fresh
// clone); when one is given or found, a file missing from it or differing
// from the manifest, or a curated row missing or unused, fails them.
func rawDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("RAW_DIR"); d != "" {
		if _, err := os.Stat(d); err != nil {
			t.Fatalf("RAW_DIR: %v", err)
		}
		return d
	}
	if d := os.Getenv("ICSGRAPH_SHARED"); d != "" {
		return filepath.Join(d, "raw")
	}
	for _, c := range []string{"../../../../shared/data/raw", "../../../../../shared/data/raw"} {
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	t.Skip("the official downloads (RAW_DIR, default ../shared/data/raw) are absent")
	return ""
}

var (
	buildOnce sync.Once
	built     map[string][]map[string]string
	buildErr  error
)

// tables builds the seed tables once from the raw files, as maps per row.
func tables(t *testing.T) map[string][]map[string]string {
	shared := rawDir(t)
	buildOnce.Do(func() {
		var ts []Table
		var m *manifest.Manifest
		if m, buildErr = manifest.Load(manifestPath); buildErr != nil {
			return
		}
		ts, buildErr = Build(m, shared, "../../../seed/curated")
		built = map[string][]map[string]string{}
		for _, tb := range ts {
			for _, r := range tb.Rows {
				m := map[string]string{}
				for i, h := range tb.Header {
					m[h] = r[i]
				}
				built[tb.Name] = append(built[tb.Name], m)
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

func holds(r map[string]string, d string) bool {
	return r["valid_from"] <= d && (r["valid_to"] == "" || r["valid_to"] > d)
}

// rawCSV reads a raw CSV (header row) as maps.
func rawCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	return datasettest.ReadCSV(t, filepath.Join(rawDir(t), name))
}

// rawLines reads a headerless raw CSV.
func rawLines(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(rawDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func distinct(rows []map[string]string, col string, keep func(map[string]string) bool) int {
	set := map[string]bool{}
	for _, r := range rows {
		if keep == nil || keep(r) {
			set[r[col]] = true
		}
	}
	return len(set)
}

func TestCountsByDateMatchTheOfficialFiles(t *testing.T) {
	tb := tables(t)
	count := func(kind, d string, keep func(map[string]string) bool) int {
		n := 0
		for _, o := range tb["organisations.csv"] {
			if o["kind"] == kind && holds(o, d) && (keep == nil || keep(o)) {
				n++
			}
		}
		return n
	}
	lower := func(o map[string]string) bool { return !strings.HasPrefix(o["code"], "E10") }
	english := func(col string) func(map[string]string) bool {
		return func(r map[string]string) bool { return strings.HasPrefix(r[col], "E") }
	}
	// The CCGs on each 1 April from the ONS Code History (E38), an independent file.
	var chd struct {
		Areas map[string][]struct {
			Date struct{ S, E string } `json:"date"`
		} `json:"areas"`
	}
	b, err := os.ReadFile(filepath.Join(rawDir(t), "history", "chd2024_derived_E38.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &chd); err != nil {
		t.Fatal(err)
	}
	type c struct {
		what, kind, date string
		keep             func(map[string]string) bool
		want             int
	}
	cases := []c{
		{"ICBs before the 2026 mergers (April 2024 lookup)", kICS, "2026-03-31", nil, distinct(rawCSV(t, "ons_sicbl24_icb24_nhser24_lookup_apr2024.csv"), "ICB24CDH", nil)},
		{"ICBs from 1 April 2026", kICS, "2026-04-01", nil, distinct(rawCSV(t, "ons_sicbl26_icb26_nhser26_lookup_apr2026.csv"), "ICB26CDH", nil)},
		{"lower-tier councils on 2023-03-31", kCouncil, "2023-03-31", lower, len(rawCSV(t, "ons_lad22_rgn22_lookup_dec2022.csv"))},
		{"lower-tier councils from 2023-04-01", kCouncil, "2023-04-01", lower, distinct(rawCSV(t, "ons_wd23_lad23_cty23_rgn23_ctry23_lookup_may2023.csv"), "LAD23CD", english("LAD23CD"))},
		{"STPs on 2017-04-01", kSTP, "2017-04-01", nil, distinct(rawCSV(t, "history/ons_CCG17_STP17_Apr2017_v3.csv"), "STP17CD", nil)},
		{"STPs on 2018-04-01", kSTP, "2018-04-01", nil, distinct(rawCSV(t, "history/ons_CCG18_STP18_Apr2018_v2.csv"), "STP18CD", nil)},
	}
	for y := 2013; y <= 2021; y++ {
		d := strings.Replace("YYYY-04-01", "YYYY", string(rune('0'+y/1000))+string(rune('0'+y/100%10))+string(rune('0'+y/10%10))+string(rune('0'+y%10)), 1)
		n := 0
		for _, es := range chd.Areas {
			for _, e := range es {
				if e.Date.S <= d && (e.Date.E == "" || e.Date.E >= d) && d < icbStart {
					n++
					break
				}
			}
		}
		cases = append(cases, c{"CCGs on " + d + " (ONS Code History E38)", kCCG, d, nil, n})
	}
	var mapRows []map[string]string
	for _, r := range readZip(t, "nhse_gp_reg_pat_prac_map_2026-08.zip") {
		mapRows = append(mapRows, r)
	}
	cases = append(cases,
		c{"practices on 2026-08-01", kPractice, map26, nil, distinct(mapRows, "PRACTICE_CODE", nil)},
		c{"PCNs on 2026-08-01", kPCN, map26, nil, distinct(mapRows, "PCN_CODE", nil)})
	openTrusts := 0
	for _, r := range rawLines(t, "ods_etr_nhs_trusts_2026-07_post_icb_mergers.csv") {
		if r[2] != "W00" && r[23] != "W" && r[10] <= "20260801" && r[11] == "" {
			openTrusts++
		}
	}
	cases = append(cases,
		c{"sub-ICB locations on 2026-04-01", kSub, icb26, nil, distinct(rawCSV(t, "ons_sicbl26_icb26_nhser26_lookup_apr2026.csv"), "SICBL26CDH", nil)},
		c{"sub-ICB locations on 2022-07-01", kSub, icbStart, nil, distinct(rawCSV(t, "ons_loc22_icb22_nhser22_lookup_jul2022.csv"), "LOC22CDH", nil)},
		c{"regions on 2026-04-01", kRegion, icb26, nil, distinct(rawCSV(t, "ons_sicbl26_icb26_nhser26_lookup_apr2026.csv"), "NHSER26CDH", nil)},
		c{"regions on 2013-04-01", kRegion, dataStart, nil, distinct(rawCSV(t, "history/ons_CCG13_NHSAT13_NHSCR13_Apr2013.csv"), "NHSCR13CD", nil)},
		c{"regions on 2018-04-01", kRegion, "2018-04-01", nil, distinct(rawCSV(t, "history/ons_CCG18_NHSRLO18_NHSER18_Apr2018.csv"), "NHSER18CD", nil)},
		c{"Cancer Alliances on 2021-04-01", kAlliance, "2021-04-01", nil, distinct(rawCSV(t, "ons_ccg21_stp21_cal21_lookup_apr2021.csv"), "CAL21CD", nil)},
		c{"Cancer Alliances on 2017-04-01", kAlliance, "2017-04-01", nil, distinct(rawCSV(t, "history/ons_CCG17_STP17_CALNCV17_Apr2017_v3.csv"), "CALNCV17CD", nil)},
		c{"open trusts on 2026-08-01 (mid-2026 etr)", kTrust, map26, nil, openTrusts},
		c{"Clinical Senates (curated)", kSenate, icb26, nil, len(datasettest.ReadCSV(t, "../../../seed/curated/clinical_senates.csv"))},
	)
	for _, x := range cases {
		t.Run(x.what, func(t *testing.T) {
			if got := count(x.kind, x.date, x.keep); got != x.want || x.want == 0 {
				t.Errorf("%s on %s: %d in the seed, %d in the official file", x.kind, x.date, got, x.want)
			}
		})
	}
}

func readZip(t *testing.T, name string) []map[string]string {
	t.Helper()
	s, err := readZipCSV(filepath.Join(rawDir(t), name), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range s.rows {
		m := map[string]string{}
		for h, i := range s.header {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestLineageAndSuccessions(t *testing.T) {
	tb := tables(t)
	succ := rawLines(t, "ods_succ_2026-05.csv")
	succOf := func(from, date string) []map[string]string {
		var out []map[string]string
		for _, s := range tb["successions.csv"] {
			if s["from_code"] == from && (date == "" || s["date"] == date) {
				out = append(out, s)
			}
		}
		return out
	}
	t.Run("11H NHS Bristol CCG → 15C → sub-ICB 15C → today's ICB", func(t *testing.T) {
		var want string
		for _, r := range succ {
			if r[0] == "11H" {
				want = r[1]
			}
		}
		s := succOf("11H", "")
		if len(s) != 1 || s[0]["to_code"] != want {
			t.Fatalf("11H succeeded by %v, succ.csv says %s", s, want)
		}
		s = succOf(want, icbStart)
		if len(s) != 1 || s[0]["to_kind"] != kSub {
			t.Fatalf("%s on 2022-07-01: %v", want, s)
		}
		var icb string
		for _, r := range rawCSV(t, "ons_sicbl26_icb26_nhser26_lookup_apr2026.csv") {
			if r["SICBL26CDH"] == want {
				icb = r["ICB26CDH"]
			}
		}
		var got []string
		for _, r := range tb["relationships.csv"] {
			if r["type"] == "PART_OF" && r["from_code"] == want && r["from_kind"] == kSub && holds(r, map26) {
				got = append(got, r["to_code"])
			}
		}
		if len(got) != 1 || got[0] != icb {
			t.Errorf("sub-ICB %s is in %v on 2026-08-01, the April 2026 lookup says %s", want, got, icb)
		}
	})
	t.Run("predecessors of 15E", func(t *testing.T) {
		var want, got []string
		for _, r := range succ {
			if r[1] == "15E" && r[3] >= "20130401" {
				want = append(want, r[0])
			}
		}
		for _, s := range tb["successions.csv"] {
			if s["to_code"] == "15E" && s["to_kind"] == kCCG {
				got = append(got, s["from_code"])
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("predecessors of 15E = %v, succ.csv: %v", got, want)
		}
	})
	t.Run("successions dated 2026-04-01 = succ.csv rows + D4U1Y's split", func(t *testing.T) {
		var want, got []string
		for _, r := range succ {
			if r[3] == "20260401" {
				want = append(want, r[0]+">"+r[1])
			}
		}
		for _, p := range []string{"U2G6B", "D9Y0V", "92A"} {
			want = append(want, "D4U1Y>"+p)
		}
		sums := map[string]float64{}
		for _, s := range tb["successions.csv"] {
			if s["date"] == icb26 {
				got = append(got, s["from_code"]+">"+s["to_code"])
				var x float64
				if _, err := fmtSscan(s["share"], &x); err != nil {
					t.Fatal(err)
				}
				sums[s["from_code"]] += x
				if x < 1 && (s["share_weight"] == "" || !strings.Contains(s["basis"], "derived")) {
					t.Errorf("%v: a split share without its weight and method", s)
				}
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("successions on 2026-04-01:\n got %v\nwant %v", got, want)
		}
		for from, s := range sums {
			if math.Abs(s-1) > 1e-5 {
				t.Errorf("shares of %s sum to %v", from, s)
			}
		}
		if n := len(succOf("QNQ", icb26)); n != 3 {
			t.Errorf("QNQ has %d successors, want 3", n)
		}
	})
	t.Run("a trust's ICB before and after the mergers", func(t *testing.T) {
		icbOf := func(file, code string) string {
			for _, r := range rawLines(t, file) {
				if r[0] == code {
					return r[3]
				}
			}
			return ""
		}
		for _, code := range []string{"RWW", "RY3", "G6V2S"} {
			for _, c := range []struct{ date, file string }{{"2026-03-31", "ods_etr_nhs_trusts_2025.csv"}, {icb26, "ods_etr_nhs_trusts_2026-07_post_icb_mergers.csv"}} {
				var got []string
				for _, r := range tb["relationships.csv"] {
					if r["type"] == "LOCATED_IN" && r["from_code"] == code && holds(r, c.date) {
						got = append(got, r["to_code"])
					}
				}
				if want := icbOf(c.file, code); len(got) != 1 || got[0] != want {
					t.Errorf("%s on %s is in %v, %s says %s", code, c.date, got, c.file, want)
				}
			}
		}
	})
	t.Run("ONS codes that changed while the ODS code stayed", func(t *testing.T) {
		for _, code := range []string{"92A", "D9Y0V"} {
			var want, got []string
			for _, l := range []struct{ file, p string }{{"ons_loc22_icb22_nhser22_lookup_jul2022.csv", "LOC22"}, {"ons_sicbl23_icb23_nhser23_lookup_apr2023.csv", "SICBL23"},
				{"ons_sicbl24_icb24_nhser24_lookup_apr2024.csv", "SICBL24"}, {"ons_sicbl26_icb26_nhser26_lookup_apr2026.csv", "SICBL26"}} {
				for _, r := range rawCSV(t, l.file) {
					if r[l.p+"CDH"] == code && !slices.Contains(want, r[l.p+"CD"]) {
						want = append(want, r[l.p+"CD"])
					}
				}
			}
			for _, r := range tb["ons_codes.csv"] {
				if r["kind"] == kSub && r["code"] == code {
					got = append(got, r["ons_code"])
				}
			}
			if !slices.Equal(got, want) || len(want) < 2 {
				t.Errorf("%s ONS codes %v, the lookups give %v", code, got, want)
			}
		}
	})
}

// TestD4U1YSplitAgainstMid2022 checks the council-based allocation of
// D4U1Y's small areas (mid-2015 residents) against the mid-2022 populations
// of the derived sub-ICB file (2026 minus 2025 vintage for D9Y0V and 92A,
// U2G6B whole). Tolerance: 2 percentage points, because the weights differ
// (mid-2015 LSOA 2011 residents vs mid-2022 LSOA 2021 residents, and the
// real split follows ward-level boundaries the council rule only approximates).
func TestD4U1YSplitAgainstMid2022(t *testing.T) {
	tb := tables(t)
	pop15 := map[string]float64{}
	var total15 float64
	for _, r := range tb["overlaps.csv"] {
		if part := r["area_code"]; r["area_kind"] == kSub && !strings.HasPrefix(r["council_code"], "E10") && slices.Contains([]string{"U2G6B", "D9Y0V", "92A"}, part) {
			var n float64
			if _, err := fmtSscan(r["population"], &n); err != nil {
				t.Fatal(err)
			}
			if holds(r, icb26) {
				pop15[part] += n
			}
			if holds(r, icbStart) {
				pop15[part] -= n
			}
		}
		if r["area_kind"] == kSub && r["area_code"] == "D4U1Y" && !strings.HasPrefix(r["council_code"], "E10") && holds(r, icbStart) {
			var n float64
			fmtSscan(r["population"], &n)
			total15 += n
		}
	}
	pop22 := map[[2]string]float64{}
	for _, r := range rawCSV(t, "derived_imd2025_population_subicb_mid2022_2023-2026.csv") {
		if r["denominator"] == "total" {
			var n float64
			fmtSscan(r["population"], &n)
			pop22[[2]string{r["sicbl_vintage"], r["sicbl_name"][len(r["sicbl_name"])-strings.Index(reverse(r["sicbl_name"]), " "):]}] = n
		}
	}
	d4 := pop22[[2]string{"2025", "D4U1Y"}]
	for _, part := range []string{"U2G6B", "D9Y0V", "92A"} {
		want := (pop22[[2]string{"2026", part}] - pop22[[2]string{"2025", part}]) / d4
		got := pop15[part] / total15
		t.Logf("%s: %.3f of D4U1Y by the council rule (mid-2015), %.3f by the derived mid-2022 file", part, got, want)
		if math.Abs(got-want) > 0.02 || want <= 0 {
			t.Errorf("%s: share %.3f, derived file %.3f (tolerance 0.02)", part, got, want)
		}
	}
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

func fmtSscan(s string, x *float64) (int, error) { return fmt.Sscan(s, x) }

// TestReparentedSubICBLocations checks that the sub-ICB locations whose ICB
// changes on 2026-04-01 in the seed are those the April 2024 and April 2026
// lookups put in different ICBs (plus U2G6B, new).
func TestReparentedSubICBLocations(t *testing.T) {
	tb := tables(t)
	before := map[string]string{}
	for _, r := range rawCSV(t, "ons_sicbl24_icb24_nhser24_lookup_apr2024.csv") {
		before[r["SICBL24CDH"]] = r["ICB24CDH"]
	}
	var want []string
	for _, r := range rawCSV(t, "ons_sicbl26_icb26_nhser26_lookup_apr2026.csv") {
		if before[r["SICBL26CDH"]] != r["ICB26CDH"] {
			want = append(want, r["SICBL26CDH"])
		}
	}
	var got []string
	for _, r := range tb["relationships.csv"] {
		if r["type"] == "PART_OF" && r["from_kind"] == kSub && r["valid_from"] == icb26 {
			got = append(got, r["from_code"])
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) || len(want) == 0 {
		t.Errorf("re-parented on 2026-04-01: %v, the lookups: %v", got, want)
	}
}

// TestCCGOnsCodesAndNames checks every CCG's ONS codes and names in the seed
// against the yearly ONS lists: each change of code or name, in order.
func TestCCGOnsCodesAndNames(t *testing.T) {
	tb := tables(t)
	want := map[string][2][]string{} // code → (ONS codes, names), changes only
	m, err := manifest.Load(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range m.WithRole("ccg-list") {
		cd, cdh, nm := y.Col("ccg_ons"), y.Col("ccg_ods"), y.Col("ccg_name")
		s, err := readCSV(filepath.Join(rawDir(t), y.File), true, cd, cdh, nm)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range s.rows {
			code := s.col(r, cdh)
			if seen[code] {
				continue
			}
			seen[code] = true
			w := want[code]
			if n := len(w[0]); n == 0 || w[0][n-1] != s.col(r, cd) {
				w[0] = append(w[0], s.col(r, cd))
			}
			if n := len(w[1]); n == 0 || w[1][n-1] != s.col(r, nm) {
				w[1] = append(w[1], s.col(r, nm))
			}
			want[code] = w
		}
	}
	got := map[string][2][]string{}
	for i, f := range []string{"ons_codes.csv", "names.csv"} {
		col := map[int]string{0: "ons_code", 1: "name"}[i]
		for _, r := range tb[f] {
			if r["kind"] == kCCG {
				g := got[r["code"]]
				g[i] = append(g[i], r[col])
				got[r["code"]] = g
			}
		}
	}
	changed := 0
	for code, w := range want {
		if !slices.Equal(got[code][0], w[0]) || !slices.Equal(got[code][1], w[1]) {
			t.Errorf("CCG %s: seed %v, lists %v", code, got[code], w)
		}
		if len(w[0]) > 1 {
			changed++
		}
	}
	if len(got) != len(want) || changed == 0 {
		t.Errorf("%d CCGs in the seed, %d in the lists; %d changed ONS code", len(got), len(want), changed)
	}
	t.Logf("%d CCGs, %d changed ONS code while keeping their ODS code", len(want), changed)
}
