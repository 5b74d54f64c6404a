package cypher

import (
	"fmt"
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/internal/model"
)

// KindCode names one organisation: its kind and its key.
type KindCode struct {
	Kind string
	Code string
}

// FullTextIndex is the name of the full-text index over organisation names
// and codes (the store creates it; search reads it).
const FullTextIndex = "organisation_search"

// MaxReleases is how many releases the database holds at most while loads
// overlap (the store keeps it so): the full-text index ranks every release's
// copy of a name, so search asks it for that many times the page.
const MaxReleases = 3

// formerLabels are the labels of the kinds identified by ONS codes, whose
// codes may have changed (the declared kinds' Codes).
func formerLabels(kind string) []string {
	var out []string
	for _, k := range model.Kinds {
		if slices.Contains(k.Codes, "ONS") && (kind == "" || k.Value == kind) {
			out = append(out, k.Label)
		}
	}
	return out
}

// FormerCodes says whether organisations of kind ("" any) may be found by a
// former ONS code, so a find needs its fallback statement.
func FormerCodes(kind string) bool { return len(formerLabels(kind)) > 0 }

// FindByCode is THE find-by-code: it binds v to the organisation named by
// the parameter $<code> (upper case), of the kind in $<kindParam> (null: any),
// in the pinned release (InRelease) and not held only by an announcement
// the request did not ask for, meeting cond ("" none). A code may name
// several organisations (a CCG and the sub-ICB location that kept it; an STP
// and its ICS; one organisation in several releases): the one held on
// $asOf wins, then the one whose own code it is, then the newest. With
// former, it looks the code up among the former ONS codes of the kinds
// identified by ONS codes (a list property no index serves, so callers run
// that form only when the other finds nothing); kind names the kind when
// the caller knows it when compiling ("" when it is the parameter's), which
// picks the label whose index the lookup seeks.
func FindByCode(v, code, kindParam, kind string, former bool, cond string) string {
	label := model.LabelOrganisation
	if k, ok := model.KindByValue(kind); ok {
		label = k.Label
	}
	var match string
	if former {
		labels := formerLabels(kind)
		if len(labels) == 0 {
			labels = []string{label}
		}
		match = fmt.Sprintf("MATCH (n:%s) WHERE $%s IN coalesce(n.onsCodes, []) OR $%s IN coalesce(n.formerOnsCodes, [])",
			strings.Join(labels, "|"), code, code)
	} else {
		// The kind's unique code constraint (or the Organisation code
		// index), and the onsCode index on every organisation.
		match = fmt.Sprintf("CALL {\n    MATCH (n:%s {code: $%s}) RETURN n\n    UNION\n    MATCH (n:%s {onsCode: $%s}) RETURN n\n  }",
			label, code, model.LabelOrganisation, code)
	}
	conds := []string{fmt.Sprintf("($%[1]s IS NULL OR n.kind = $%[1]s)", kindParam), InRelease("n"), "($announced OR NOT coalesce(n.announced, false))"}
	if cond != "" {
		conds = append(conds, cond)
	}
	return fmt.Sprintf(`CALL {
  %s
  WITH n WHERE %s
  RETURN n AS %s ORDER BY CASE WHEN %s THEN 0 ELSE 1 END, CASE WHEN n.code = $%s THEN 0 ELSE 1 END, n.validFrom DESC
  LIMIT 1
}`, match, strings.Join(conds, " AND "), v, Valid("n", HeldOn), code)
}
