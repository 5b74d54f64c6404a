// Package invariants checks the seed tables (seed/data, or the converter's
// tables before it writes them) on every date on which anything changes:
// one parent at a time in each hierarchy, succession shares summing to 1,
// every organisation that ends has successors or a recorded reason, a
// county ends when all its districts do, and each manifest file's counts on
// its date. The converter runs it before writing; a test runs it over the
// committed seed/data. Findings name the file and line.
package invariants

import (
	"encoding/csv"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Row is one CSV row by column name, with its 1-based line in the file.
type Row struct {
	Line int
	Cols map[string]string
}

// Get returns a column ("" when absent).
func (r Row) Get(col string) string { return r.Cols[col] }

// Tables are the seed tables by file name.
type Tables map[string][]Row

// Add adds a file's rows to Tables from a header and rows per file (the converter's
// tables; line 2 is the first row).
func (t Tables) Add(name string, header []string, rows [][]string) {
	for i, r := range rows {
		m := make(map[string]string, len(header))
		for j, h := range header {
			if j < len(r) {
				m[h] = r[j]
			}
		}
		t[name] = append(t[name], Row{Line: i + 2, Cols: m})
	}
}

// ReadDir reads every CSV file of a seed directory.
func ReadDir(dir string) (Tables, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	t := Tables{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".csv") {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if len(rows) == 0 {
			continue
		}
		t.Add(e.Name(), rows[0], rows[1:])
		if t[e.Name()] == nil {
			t[e.Name()] = []Row{}
		}
	}
	return t, nil
}

// Ending is a recorded reason for an organisation that ends without a
// successor (seed/curated/endings.csv): Code "*" covers every organisation
// of the kind whose basis contains BasisContains.
type Ending struct {
	Kind, Code, BasisContains, Reason string
}

// Count is a manifest file's count of organisations of a kind on its date.
type Count struct {
	File, Kind, Date string
	Want             int
}

// Options are what the checks need beyond the tables.
type Options struct {
	Endings []Ending
	Counts  []Count
}

// Finding is one broken invariant.
type Finding struct {
	Check, Where, Detail string
}

func (f Finding) String() string { return f.Where + ": " + f.Check + ": " + f.Detail }

// Hierarchies are the relationship types in which a child has one parent
// at a time: type, child kind, parent kind.
var Hierarchies = [][3]string{
	{"PART_OF", "SUB_ICB_LOCATION", "ICS"},
	{"PART_OF", "CCG", "STP"},
	{"IN_REGION", "ICS", "REGION"},
	{"IN_REGION", "CCG", "REGION"},
	{"IN_REGION", "STP", "REGION"},
	{"LOCATED_IN", "TRUST", "ICS"},
	{"MEMBER_OF", "PRACTICE", "PCN"},
	{"IN_SUB_ICB_LOCATION", "PCN", "SUB_ICB_LOCATION"},
	{"WITHIN", "COUNCIL", "COUNCIL"},
	{"IN_CANCER_ALLIANCE", "SUB_ICB_LOCATION", "CANCER_ALLIANCE"},
	{"IN_CANCER_ALLIANCE", "CCG", "CANCER_ALLIANCE"},
	{"IN_CLINICAL_SENATE", "ICS", "CLINICAL_SENATE"},
}

// ChangeDates returns every distinct validFrom, validTo and succession date
// in the tables, in order.
func ChangeDates(t Tables) []string {
	set := map[string]bool{}
	for _, f := range []string{"organisations.csv", "relationships.csv", "overlaps.csv", "icb_alliances.csv"} {
		for _, r := range t[f] {
			set[r.Get("valid_from")], set[r.Get("valid_to")] = true, true
		}
	}
	for _, r := range t["successions.csv"] {
		set[r.Get("date")] = true
	}
	delete(set, "")
	out := make([]string, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

func holds(from, to, d string) bool { return from <= d && (to == "" || to > d) }

// Check runs every invariant and returns what it found.
func Check(t Tables, o Options) []Finding {
	var out []Finding
	out = append(out, oneParent(t)...)
	out = append(out, shares(t)...)
	out = append(out, endings(t, o.Endings)...)
	out = append(out, counties(t)...)
	out = append(out, counts(t, o.Counts)...)
	out = append(out, announcedEndings(t)...)
	return out
}

// announcedEndings: an organisation whose closure is announced
// (announced_endings.csv) is still open in the official data and has a
// succession from it on that date; a county whose districts' closures are
// all announced has its own closure announced on the last of their dates.
func announcedEndings(t Tables) []Finding {
	has := map[[3]string]bool{}
	for _, r := range t["successions.csv"] {
		has[[3]string{r.Get("from_kind"), r.Get("from_code"), r.Get("date")}] = true
	}
	open := map[string]bool{}
	for _, r := range t["organisations.csv"] {
		if r.Get("valid_to") == "" {
			open[r.Get("kind")+" "+r.Get("code")] = true
		}
	}
	ends := map[string]string{}
	var out []Finding
	for _, r := range t["announced_endings.csv"] {
		k := r.Get("kind") + " " + r.Get("code")
		ends[r.Get("code")] = r.Get("valid_to")
		where := fmt.Sprintf("announced_endings.csv:%d", r.Line)
		if !open[k] {
			out = append(out, Finding{"announced closures", where, k + " is not open in the official data"})
		}
		if !has[[3]string{r.Get("kind"), r.Get("code"), r.Get("valid_to")}] {
			out = append(out, Finding{"announced closures", where, k + " has no succession on " + r.Get("valid_to")})
		}
	}
	last, all := map[string]string{}, map[string]bool{}
	for _, r := range t["relationships.csv"] {
		if r.Get("type") != "WITHIN" || r.Get("valid_to") != "" {
			continue
		}
		c := r.Get("to_code")
		if _, seen := all[c]; !seen {
			all[c] = true
		}
		e := ends[r.Get("from_code")]
		all[c] = all[c] && e != ""
		last[c] = max(last[c], e)
	}
	for _, c := range slices.Sorted(maps.Keys(all)) {
		if all[c] && ends[c] != last[c] {
			out = append(out, Finding{"announced closures", "announced_endings.csv", fmt.Sprintf("every district of county %s closes by %s (announced) but the county's closure is announced for %q", c, last[c], ends[c])})
		}
	}
	return out
}

// oneParent: in each hierarchy, a child's periods under different parents
// never overlap, so on every change date it has at most one parent. (Two
// periods overlap exactly when one starts on a change date inside the other.)
func oneParent(t Tables) []Finding {
	type key struct{ typ, kind, code, toKind string }
	by := map[key][]Row{}
	for _, r := range t["relationships.csv"] {
		k := key{r.Get("type"), r.Get("from_kind"), r.Get("from_code"), r.Get("to_kind")}
		by[k] = append(by[k], r)
	}
	var out []Finding
	for _, h := range Hierarchies {
		for k, rs := range by {
			if k.typ != h[0] || k.kind != h[1] || k.toKind != h[2] {
				continue
			}
			for i, a := range rs {
				for _, b := range rs[i+1:] {
					d := max(a.Get("valid_from"), b.Get("valid_from"))
					if a.Get("to_code") != b.Get("to_code") && holds(a.Get("valid_from"), a.Get("valid_to"), d) && holds(b.Get("valid_from"), b.Get("valid_to"), d) {
						out = append(out, Finding{"one parent at a time", fmt.Sprintf("relationships.csv:%d", b.Line),
							fmt.Sprintf("%s %s %s both %s and %s on %s (lines %d and %d)", k.kind, k.code, h[0], a.Get("to_code"), b.Get("to_code"), d, a.Line, b.Line)})
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Finding) int { return strings.Compare(a.Where, b.Where) })
	return out
}

// shares: a predecessor's successions on one date share 1 between them;
// an ICB's Cancer Alliance shares in a period sum to 1.
func shares(t Tables) []Finding {
	var out []Finding
	sum := func(file string, key func(Row) string, col string) {
		tot, first := map[string]float64{}, map[string]int{}
		var keys []string
		for _, r := range t[file] {
			k := key(r)
			v, err := strconv.ParseFloat(r.Get(col), 64)
			if err != nil {
				out = append(out, Finding{"shares sum to 1", fmt.Sprintf("%s:%d", file, r.Line), fmt.Sprintf("%s %q is not a number", col, r.Get(col))})
				continue
			}
			if _, ok := first[k]; !ok {
				first[k] = r.Line
				keys = append(keys, k)
			}
			tot[k] += v
		}
		for _, k := range keys {
			if math.Abs(tot[k]-1) > 1e-4 {
				out = append(out, Finding{"shares sum to 1", fmt.Sprintf("%s:%d", file, first[k]), fmt.Sprintf("%s: %s sums to %.6f", k, col, tot[k])})
			}
		}
	}
	sum("successions.csv", func(r Row) string { return r.Get("from_kind") + " " + r.Get("from_code") + " on " + r.Get("date") }, "share")
	sum("icb_alliances.csv", func(r Row) string { return "ICB " + r.Get("icb_code") + " from " + r.Get("valid_from") }, "share")
	return out
}

// endings: an organisation that ends has a succession from it on that date,
// or a recorded reason.
func endings(t Tables, reasons []Ending) []Finding {
	has := map[[3]string]bool{}
	for _, r := range t["successions.csv"] {
		has[[3]string{r.Get("from_kind"), r.Get("from_code"), r.Get("date")}] = true
	}
	var out []Finding
	for _, r := range t["organisations.csv"] {
		to := r.Get("valid_to")
		if to == "" || has[[3]string{r.Get("kind"), r.Get("code"), to}] {
			continue
		}
		if !slices.ContainsFunc(reasons, func(e Ending) bool {
			return e.Kind == r.Get("kind") && (e.Code == r.Get("code") || e.Code == "*" && strings.Contains(r.Get("valid_basis"), e.BasisContains))
		}) {
			out = append(out, Finding{"ends with successors or a reason", fmt.Sprintf("organisations.csv:%d", r.Line),
				fmt.Sprintf("%s %s ends on %s with no succession from it and no recorded reason (seed/curated/endings.csv)", r.Get("kind"), r.Get("code"), to)})
		}
	}
	return out
}

// counties: a county council ends exactly when the last of its districts
// does (and stays open while any district is open).
func counties(t Tables) []Finding {
	end := map[string]string{}
	line := map[string]int{}
	for _, r := range t["organisations.csv"] {
		if r.Get("kind") == "COUNCIL" {
			end[r.Get("code")], line[r.Get("code")] = r.Get("valid_to"), r.Line
		}
	}
	last := map[string]string{}
	open := map[string]bool{}
	for _, r := range t["relationships.csv"] {
		if r.Get("type") != "WITHIN" {
			continue
		}
		c, d := r.Get("to_code"), r.Get("from_code")
		if end[d] == "" {
			open[c] = true
		}
		last[c] = max(last[c], end[d])
	}
	var out []Finding
	for _, c := range slices.Sorted(maps.Keys(last)) {
		want := last[c]
		if open[c] {
			want = ""
		}
		if end[c] != want {
			out = append(out, Finding{"a county ends when its districts do", fmt.Sprintf("organisations.csv:%d", line[c]),
				fmt.Sprintf("county %s ends on %q but its last district ends on %q", c, end[c], want)})
		}
	}
	return out
}

// counts: on each manifest file's date, the organisations of a kind that
// hold number what the file lists.
func counts(t Tables, cs []Count) []Finding {
	var out []Finding
	for _, c := range cs {
		n := 0
		for _, r := range t["organisations.csv"] {
			if r.Get("kind") == c.Kind && holds(r.Get("valid_from"), r.Get("valid_to"), c.Date) {
				n++
			}
		}
		if n != c.Want {
			out = append(out, Finding{"counts equal the file's", c.File, fmt.Sprintf("%d %s on %s in the seed, the file lists %d", n, c.Kind, c.Date, c.Want)})
		}
	}
	return out
}
