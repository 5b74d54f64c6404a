package convert

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

// The curated derivations and corrections (seed/curated). The rules stay in
// code; every use of one is a row of derivations.csv (which rule, which
// codes, from which date, the method sentence the API shows, and the file
// and tolerance it is checked against), and every one-off correction of an
// official file is a row of corrections.csv with its reason. A row the
// converter does not use is an error, so the tables cannot go stale.

// Derivation rules the converter knows. The first four have their own
// readers (below); the others are looked up by derive, one row per use (or
// per family of uses, the codes listed in from_code / to_code).
var derivationRules = []string{"split-by-county", "split-shares", "inherit-alliance", "reparent-at-split",
	"district-to-unitary", "county-to-unitaries", "unitary-measures", "unitary-overlaps", "unitary-small-areas",
	"inherit-senate", "icb-split-shares", "region-split-shares", "region-without-succession", "ccg-same-code", "stp-same-code", "announced-unitary-sums",
	"stp-overlaps-sum", "icb-overlaps-sum", "county-overlaps-sum", "stp-region-from-ccgs", "stp-successions-by-ccgs",
	"council-successions-by-small-areas", "small-areas-carried-back", "small-area-councils-carried-back",
	"small-areas-from-subicb-lookup", "small-area-councils-from-subicb-lookup", "small-areas-carried-forward",
	"small-area-councils-carried-forward", "small-areas-split-carried-forward"}

// Correction kinds the converter knows.
var correctionKinds = []string{"council-alias", "council-ods-code", "code-end-date", "membership-end"}

type derivation struct {
	line                                         int
	rule, from, to, key, date, method, checkedBy string
	tolerance                                    float64
	used                                         bool
	usedCodes                                    map[string]bool // codes of from_code / to_code a use named (derive)
	fromList, toList                             []string        // from_code and to_code split (codeList)
}

type correction struct {
	line                          int
	kind, key, value, src, reason string
	used                          bool
}

// split is one sub-ICB location split by county on a date.
type split struct {
	date, method, sharesMethod string
	parts                      map[string]string // county ("" for none) → new sub-ICB location
	checkedBy                  string
	tolerance                  float64
}

// readCurated reads derivations.csv and corrections.csv.
func (b *builder) readCurated() error {
	s, err := readCSV(b.curatedFile("curated-derivations"), true, "rule", "from_code", "to_code", "key", "date", "method", "checked_against", "tolerance")
	if err != nil {
		return err
	}
	b.splits, b.inherits, b.reparents = map[string]*split{}, nil, map[string]*derivation{}
	for i, r := range s.rows {
		d := &derivation{line: s.firstLine + i, rule: s.col(r, "rule"), from: s.col(r, "from_code"), to: s.col(r, "to_code"), key: s.col(r, "key"),
			date: s.col(r, "date"), method: s.col(r, "method"), checkedBy: s.col(r, "checked_against"), usedCodes: map[string]bool{}}
		d.fromList, d.toList = codeList(d.from), codeList(d.to)
		if t := s.col(r, "tolerance"); t != "" {
			if d.tolerance, err = strconv.ParseFloat(t, 64); err != nil || d.tolerance < 0 || d.tolerance > 1 {
				return fmt.Errorf("%s: %w: tolerance %q is not a number from 0 to 1", s.where(i), errBadData, t)
			}
		}
		if !slices.Contains(derivationRules, d.rule) || d.from == "" || !manifest.IsDate(d.date) || d.method == "" {
			return fmt.Errorf("%s: %w: want a known rule (%s), a from_code, a yyyy-mm-dd date and a method", s.where(i), errBadData, strings.Join(derivationRules, ", "))
		}
		if d.checkedBy != "" {
			if _, ok := b.m.ByID(d.checkedBy); !ok {
				return fmt.Errorf("%s: %w: checked_against %q is not a manifest file", s.where(i), errBadData, d.checkedBy)
			}
		}
		b.derivations = append(b.derivations, d)
		switch d.rule {
		case "split-by-county":
			sp := b.splits[d.from]
			if sp == nil {
				sp = &split{date: d.date, method: d.method, parts: map[string]string{}, checkedBy: d.checkedBy, tolerance: d.tolerance}
				b.splits[d.from] = sp
			}
			if sp.date != d.date || d.to == "" {
				return fmt.Errorf("%s: %w: a split has one date and every part a to_code", s.where(i), errBadData)
			}
			if _, dup := sp.parts[d.key]; dup {
				return fmt.Errorf("%s: %w: county %q of %s twice", s.where(i), errBadData, d.key, d.from)
			}
			sp.parts[d.key] = d.to
			d.used = true
		case "inherit-alliance":
			b.inherits = append(b.inherits, d)
		case "reparent-at-split":
			b.reparents[d.from] = d
		}
	}
	for _, d := range b.derivations {
		if d.rule == "split-shares" {
			sp := b.splits[d.from]
			if sp == nil || sp.date != d.date {
				return fmt.Errorf("%s:%d: %w: split-shares for %s on %s, which no split-by-county row splits", s.file, d.line, errBadData, d.from, d.date)
			}
			sp.sharesMethod, d.used = d.method, true
		}
	}
	for from, sp := range b.splits {
		if sp.sharesMethod == "" {
			return fmt.Errorf("%s: %w: the split of %s has no split-shares row (the method of its succession shares)", s.file, errBadData, from)
		}
	}

	c, err := readCSV(b.curatedFile("curated-corrections"), true, "kind", "key", "value", "source", "reason")
	if err != nil {
		return err
	}
	b.corrections = nil
	for i, r := range c.rows {
		x := &correction{line: c.firstLine + i, kind: c.col(r, "kind"), key: c.col(r, "key"), value: c.col(r, "value"), src: c.col(r, "source"), reason: c.col(r, "reason")}
		if !slices.Contains(correctionKinds, x.kind) || x.key == "" || x.value == "" || x.reason == "" {
			return fmt.Errorf("%s: %w: want a known kind (%s), a key, a value and a reason", c.where(i), errBadData, strings.Join(correctionKinds, ", "))
		}
		if _, ok := b.m.ByID(x.src); !ok {
			return fmt.Errorf("%s: %w: source %q is not a manifest file", c.where(i), errBadData, x.src)
		}
		b.corrections = append(b.corrections, x)
	}
	return nil
}

// correction returns the value of the correction of kind for key, marking
// it used ("" when there is none).
func (b *builder) correct(kind, key string) string {
	for _, x := range b.corrections {
		if x.kind == kind && x.key == key {
			x.used = true
			return x.value
		}
	}
	return ""
}

// codeList splits a from_code / to_code cell: codes separated by ";", or
// "*" (any code).
func codeList(cell string) []string {
	if cell == "" {
		return nil
	}
	return strings.Split(cell, ";")
}

// structural says a row is a rule applied to every code from its date on
// (from_code and to_code both "*"): an area as the sum of its parts.
func structural(d *derivation) bool { return d.from == "*" && d.to == "*" }

// covers says a cell (and its codeList) names code.
func covers(cell string, list []string, code string) bool {
	return cell == "*" || (cell == "" && code == "") || slices.Contains(list, code)
}

// derive returns the method sentence of the derivations.csv row of rule that
// covers from → to on date, and marks the row and those codes used. A use
// with no row is an error naming what is missing (kept in b.missing; Build
// stops on it after the steps, before anything is written): an inferred
// fact never comes from code alone.
func (b *builder) derive(rule, from, to, date string) string {
	if d := b.deriveRow(rule, from, to, date); d != nil {
		return d.method
	}
	return ""
}

// deriveRow is derive returning the row (nil when there is none).
func (b *builder) deriveRow(rule, from, to, date string) *derivation {
	for _, d := range b.derivations {
		if d.rule == rule && (d.date == date || structural(d) && d.date <= date) && covers(d.from, d.fromList, from) && covers(d.to, d.toList, to) {
			d.used = true
			d.usedCodes[from], d.usedCodes[to] = true, true
			return d
		}
	}
	if b.missing == nil {
		b.missing = fmt.Errorf("%s: %w: no %s row for %s → %s on %s: every use of an inference rule needs a row (rule, from_code, to_code, date, method)",
			b.curatedFile("curated-derivations"), errBadData, rule, orAny(from), orAny(to), date)
	}
	return nil
}

func orAny(code string) string {
	if code == "" {
		return `""`
	}
	return code
}

// unusedCurated reports a use of a rule with no row, and rows of the
// curated tables (or codes listed in them) no rule used.
func (b *builder) unusedCurated() error {
	if b.missing != nil {
		return b.missing
	}
	for _, d := range b.derivations {
		if !d.used {
			return fmt.Errorf("derivations.csv:%d: %w: %s %s → %s on %s was not used (the files no longer call for it?)", d.line, errBadData, d.rule, d.from, d.to, d.date)
		}
		if !slices.Contains(derivationRules[:4], d.rule) {
			for _, c := range append(slices.Clone(d.fromList), d.toList...) {
				if c != "*" && !d.usedCodes[c] {
					return fmt.Errorf("derivations.csv:%d: %w: %s %s → %s on %s lists %s, which no use of the rule needed", d.line, errBadData, d.rule, d.from, d.to, d.date, c)
				}
			}
		}
	}
	for _, x := range b.corrections {
		if !x.used {
			return fmt.Errorf("corrections.csv:%d: %w: %s %s was not used (the official file no longer needs it?)", x.line, errBadData, x.kind, x.key)
		}
	}
	return nil
}

// splitOf returns the split that made sub-ICB location code (a part), if any.
func (b *builder) splitOf(code string) (string, *split) {
	for from, sp := range b.splits {
		for _, p := range sp.parts {
			if p == code {
				return from, sp
			}
		}
	}
	return "", nil
}
