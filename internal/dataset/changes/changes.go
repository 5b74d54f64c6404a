// Package changes writes a release's change report: what the landscape
// does on and after a date (the newest data's), for a person to review
// before publishing: organisations opened and closed, merges and splits,
// re-parented organisations, renames, and the succession rows of the period
// that were not used. The converter writes it to seed/data/change_report.txt
// (the release keeps it; the API serves it under `release`).
package changes

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/internal/dataset/invariants"
)

// Report returns the change report for dates on or after since.
func Report(t invariants.Tables, since string) string {
	name := map[string]string{} // kind/code → newest name
	for _, r := range t["names.csv"] {
		name[r.Get("kind")+"/"+r.Get("code")] = r.Get("name")
	}
	label := func(kind, code string) string {
		if n := name[kind+"/"+code]; n != "" {
			return fmt.Sprintf("%s %s (%s)", kind, code, n)
		}
		return kind + " " + code
	}
	var b strings.Builder
	section := func(title string, lines []string) {
		slices.Sort(lines)
		fmt.Fprintf(&b, "\n## %s: %d\n", title, len(lines))
		for _, l := range lines {
			b.WriteString("- " + l + "\n")
		}
	}
	fmt.Fprintf(&b, "# Change report: what the data changes on and after %s\n", since)
	dates := map[string]bool{}
	for _, d := range invariants.ChangeDates(t) {
		if d >= since {
			dates[d] = true
		}
	}
	fmt.Fprintf(&b, "\nChange dates: %s\n", strings.Join(slices.Sorted(maps.Keys(dates)), ", "))

	from := map[string]string{}
	var opened, closed []string
	for _, r := range t["organisations.csv"] {
		k, c := r.Get("kind"), r.Get("code")
		from[k+"/"+c] = r.Get("valid_from")
		if r.Get("valid_from") >= since {
			opened = append(opened, r.Get("valid_from")+" "+label(k, c)+announced(r.Get("sources")))
		}
		if to := r.Get("valid_to"); to != "" && to >= since {
			closed = append(closed, to+" "+label(k, c))
		}
	}
	for _, r := range t["announced_endings.csv"] {
		if r.Get("valid_to") >= since {
			closed = append(closed, r.Get("valid_to")+" "+label(r.Get("kind"), r.Get("code"))+" [announced: "+r.Get("announcement")+"]")
		}
	}
	// Successions by predecessor and by successor on each date.
	type end struct{ kind, code, date string }
	preds, succs := map[end][]string{}, map[end][]string{}
	for _, r := range t["successions.csv"] {
		if r.Get("date") < since {
			continue
		}
		p := end{r.Get("from_kind"), r.Get("from_code"), r.Get("date")}
		s := end{r.Get("to_kind"), r.Get("to_code"), r.Get("date")}
		preds[s] = append(preds[s], fmt.Sprintf("%s %s%s", p.code, r.Get("share"), announced(r.Get("source"))))
		succs[p] = append(succs[p], fmt.Sprintf("%s %s%s", s.code, r.Get("share"), announced(r.Get("source"))))
	}
	var merged, split, succeeded []string
	for s, ps := range preds {
		if len(ps) > 1 {
			slices.Sort(ps)
			merged = append(merged, fmt.Sprintf("%s %s ← %s", s.date, label(s.kind, s.code), strings.Join(ps, ", ")))
		}
	}
	for p, ss := range succs {
		slices.Sort(ss)
		switch {
		case len(ss) > 1:
			split = append(split, fmt.Sprintf("%s %s → %s", p.date, label(p.kind, p.code), strings.Join(ss, ", ")))
		case len(preds[end{p.kind, strings.Fields(ss[0])[0], p.date}]) <= 1:
			succeeded = append(succeeded, fmt.Sprintf("%s %s → %s", p.date, label(p.kind, p.code), strings.Fields(ss[0])[0]))
		}
	}
	// Re-parented: in a hierarchy, a child whose parent on a date differs
	// from its parent the day before (both held).
	type child struct{ typ, kind, code, toKind string }
	rels := map[child][]invariants.Row{}
	for _, r := range t["relationships.csv"] {
		c := child{r.Get("type"), r.Get("from_kind"), r.Get("from_code"), r.Get("to_kind")}
		rels[c] = append(rels[c], r)
	}
	var reparented []string
	for _, h := range invariants.Hierarchies {
		for c, rs := range rels {
			if c.typ != h[0] || c.kind != h[1] || c.toKind != h[2] {
				continue
			}
			for _, a := range rs {
				d := a.Get("valid_from")
				if d < since {
					continue
				}
				for _, o := range rs {
					if o.Get("valid_to") == d && o.Get("to_code") != a.Get("to_code") {
						reparented = append(reparented, fmt.Sprintf("%s %s %s: %s → %s", d, label(c.kind, c.code), c.typ, o.Get("to_code"), a.Get("to_code")))
					}
				}
			}
		}
	}
	var renamed []string
	prev := map[string]string{}
	for _, r := range t["names.csv"] {
		k := r.Get("kind") + "/" + r.Get("code")
		if old, ok := prev[k]; ok && r.Get("valid_from") >= since && r.Get("valid_from") > from[k] {
			renamed = append(renamed, fmt.Sprintf("%s %s %s: %q → %q", r.Get("valid_from"), r.Get("kind"), r.Get("code"), old, r.Get("name")))
		}
		prev[k] = r.Get("name")
	}
	var unmatched []string
	for _, r := range t["successions_unmatched.csv"] {
		if r.Get("date") >= since {
			unmatched = append(unmatched, fmt.Sprintf("%s %s → %s (%s line %s): %s", r.Get("date"), r.Get("predecessor"), r.Get("successor"), r.Get("source"), r.Get("line"), r.Get("reason")))
		}
	}
	section("Opened", opened)
	section("Closed", closed)
	section("Merged (several predecessors, one successor; shares of each predecessor)", merged)
	section("Split (one predecessor, several successors; shares)", split)
	section("Succeeded one to one", succeeded)
	section("Re-parented", reparented)
	section("Renamed", renamed)
	section("Succession rows not used (ODS succ.csv)", unmatched)
	return b.String()
}

// announced marks facts whose sources are all announcements ("announced-…"):
// changes announced for after the newest official data.
func announced(sources string) string {
	for _, s := range strings.Split(sources, ";") {
		if !strings.HasPrefix(s, "announced-") {
			return ""
		}
	}
	return " [announced]"
}
