package cypher

import (
	"fmt"
	"strings"

	"github.com/icsgraph/icsgraph/internal/model"
)

// History, coterminosity, designations, exports and sources: the statements
// internal/store runs for them, built from internal/model's names and the
// rules of rules.go.

// MaxLineageSteps bounds how many successions a lineage follows each way.
const MaxLineageSteps = 30

var Lineage = fmt.Sprintf(`
MATCH (o:%[1]s {code: $code}) WHERE o.kind = $kind AND %[2]s
CALL {
  WITH o
  OPTIONAL MATCH (o)-[:%[3]s]->{1,%[4]d}(d) WHERE $down
  RETURN collect(DISTINCT d) AS down
}
CALL {
  WITH o
  OPTIONAL MATCH (o)<-[:%[3]s]-{1,%[4]d}(a) WHERE $up
  RETURN collect(DISTINCT a) AS up
}
WITH [x IN [o] + down + [a IN up WHERE NOT a IN down] WHERE $announced OR NOT coalesce(x.announced, false)] AS ns
RETURN
  [n IN ns | {n: properties(n), vf: n.validFrom, vt: n.validTo,
              parents: [(n)-[p:%[5]s]->(x) WHERE $announced OR NOT (coalesce(p.announced, false) OR coalesce(x.announced, false)) | {x: properties(x), vf: p.validFrom, vt: p.validTo, source: p.source}]}],
  [n IN ns | [(n)-[s:%[3]s]->(m) WHERE m IN ns AND ($announced OR NOT coalesce(s.announced, false)) | {from: n.kind + ' ' + n.code, to: m.kind + ' ' + m.code, s: properties(s)}]]`,
	model.LabelOrganisation, InRelease("o"), model.RelSucceededBy, MaxLineageSteps, model.RelPartOf)

// MoveTypes are the membership and hierarchy relationships whose change of
// parent is a move: a relationship of one of these types closed and another
// of the same type opened for the same child on the same date, to another
// parent.
var MoveTypes = []string{model.RelPartOf, model.RelInRegion, model.RelInCancerAlliance, model.RelInClinicalSenate,
	model.RelLocatedIn, model.RelWithin, model.RelInSubICBLocation, model.RelMemberOf}

// One statement: every kind of change is a branch of a UNION, each reading
// from nodes of the pinned release. A change is on a date d with
// $from < d <= $to: what differs between the graph as of $from and as of $to.
var Changes = fmt.Sprintf(`
CALL {
  MATCH (n:%[1]s) WHERE n.validFrom > $from AND n.validFrom <= $to AND %[2]s
  RETURN 'CREATED' AS type, n.validFrom AS date, n, null AS m, null AS p, null AS r, null AS before, null AS after,
         coalesce(n.validFromSource, head(n.sources)) AS source
  UNION ALL
  MATCH (n:%[1]s) WHERE n.validTo > $from AND n.validTo <= $to AND %[2]s
  RETURN 'CLOSED' AS type, n.validTo AS date, n, null AS m, null AS p, null AS r, null AS before, null AS after,
         coalesce(n.validToSource, head(n.sources)) AS source
  UNION ALL
  MATCH (n:%[1]s)-[r:%[3]s]->(m)
  WITH n, m, r, coalesce(r.date, r.validFrom) AS date
  WHERE date > $from AND date <= $to AND %[5]s AND ($kinds IS NULL OR n.kind IN $kinds OR m.kind IN $kinds)
  RETURN 'SUCCESSION' AS type, date, n, m, null AS p, r, null AS before, null AS after, r.source AS source
  UNION ALL
  MATCH (n:%[1]s) WHERE size(coalesce(n.namesFrom, [])) > 1 AND %[2]s
  UNWIND range(1, size(n.namesFrom) - 1) AS i
  WITH n, i WHERE n.namesFrom[i] > $from AND n.namesFrom[i] <= $to
  RETURN 'RENAMED' AS type, n.namesFrom[i] AS date, n, null AS m, null AS p, null AS r,
         n.names[i - 1] AS before, n.names[i] AS after, coalesce(n.namesSource[i], head(n.sources)) AS source
  UNION ALL
  MATCH (n:%[1]s) WHERE size(coalesce(n.onsCodesFrom, [])) > 1 AND %[2]s
  UNWIND range(1, size(n.onsCodesFrom) - 1) AS i
  WITH n, i WHERE n.onsCodesFrom[i] > $from AND n.onsCodesFrom[i] <= $to
  RETURN 'RECODED' AS type, n.onsCodesFrom[i] AS date, n, null AS m, null AS p, null AS r,
         n.onsCodes[i - 1] AS before, n.onsCodes[i] AS after, coalesce(n.onsCodesSource[i], head(n.sources)) AS source
  UNION ALL
  MATCH (n:%[1]s)-[old:%[4]s]->(p) WHERE old.validTo > $from AND old.validTo <= $to AND %[2]s
    AND n.validFrom < old.validTo AND (n.validTo IS NULL OR n.validTo > old.validTo)
  MATCH (n)-[r]->(m) WHERE type(r) = type(old) AND r.validFrom = old.validTo AND m <> p
  RETURN 'MOVED' AS type, r.validFrom AS date, n, m, p, r, null AS before, null AS after, r.source AS source
}
WITH * WHERE $announced OR NOT (%[6]s OR %[7]s OR %[8]s OR %[9]s)
RETURN type, date, properties(n), properties(m), properties(p), type(r), properties(r), before, after, source
ORDER BY date, type, n.kind, n.code, m.kind, m.code`,
	model.LabelOrganisation, "($kinds IS NULL OR n.kind IN $kinds) AND "+InRelease("n"), model.RelSucceededBy,
	strings.Join(MoveTypes, "|"), InRelease("n"), announcedOnly("n"), announcedOnly("m"), announcedOnly("p"), announcedOnly("r"))

// announcedOnly is true when x is held only by an announcement (false for
// null, as for an absent party).
func announcedOnly(x string) string { return "coalesce(" + x + ".announced, false)" }

// The coterminosity reads of a date (internal/store.AreaTable): the council
// × base-area fragments, the areas above each base area, and the areas.
var (
	AreaFragments = fmt.Sprintf(`
MATCH (c:%s)-[o:%s]->(s:%s|%s)
WHERE coalesce(c.councilType, '') <> $county AND %s
  AND %s AND %s AND %s
RETURN c.code, s.kind, s.code, o.population, o.smallAreas, o.populationYear, o.populationMeasure, o.derived`,
		model.LabelCouncil, model.RelOverlaps, model.LabelSubICBLocation, model.LabelCCG, InRelease("c"),
		held("c"), held("o"), held("s"))

	// Base area → Cancer Alliance directly: an ICS can straddle two. A
	// region is the ICS's (or STP's) where it has one, else the base area's
	// own (CCGs were in regions directly).
	AreaAbove = fmt.Sprintf(`
MATCH (s:%[1]s|%[2]s) WHERE %[3]s AND %[4]s
OPTIONAL MATCH (s)-[p:%[5]s]->(i:%[6]s|%[7]s) WHERE %[8]s AND %[9]s
WITH s, head(collect(i)) AS i
RETURN s.code, i.kind, i.code,
  head([(s)-[x:%[10]s]->(a:%[11]s) WHERE %[12]s AND %[13]s | a.code]),
  head([(i)-[x:%[14]s]->(a:%[15]s) WHERE %[12]s AND %[13]s | a.code]),
  coalesce(head([(i)-[x:%[16]s]->(a:%[17]s) WHERE %[12]s AND %[13]s | a.code]),
           head([(s)-[x:%[16]s]->(a:%[17]s) WHERE %[12]s AND %[13]s | a.code]))`,
		model.LabelSubICBLocation, model.LabelCCG, InRelease("s"), held("s"),
		model.RelPartOf, model.LabelICS, model.LabelSTP, held("p"), held("i"),
		model.RelInCancerAlliance, model.LabelCancerAlliance, held("x"), held("a"),
		model.RelInClinicalSenate, model.LabelClinicalSenate, model.RelInRegion, model.LabelRegion)

	AreaAreas = fmt.Sprintf(`
MATCH (n:%s|%s|%s|%s|%s|%s|%s|%s)
WHERE coalesce(n.councilType, '') <> $county AND %s AND %s
RETURN properties(n)`,
		model.LabelCouncil, model.LabelSubICBLocation, model.LabelCCG, model.LabelICS, model.LabelSTP,
		model.LabelCancerAlliance, model.LabelClinicalSenate, model.LabelRegion, InRelease("n"), held("n"))
)

// CouncilTypeCounty is the councilType of county councils.
const CouncilTypeCounty = "COUNTY"

// The landscape export: the organisations of some kinds held on a date
// (count first, for the size limit), and every relationship among them.
var (
	LandscapeCount = fmt.Sprintf(`
MATCH (n:%s) WHERE n.kind IN $kinds AND %s AND %s
RETURN count(n)`, model.LabelOrganisation, InRelease("n"), held("n"))

	LandscapeNodes = fmt.Sprintf(`
MATCH (n:%s) WHERE n.kind IN $kinds AND %s AND %s
RETURN properties(n) ORDER BY n.kind, n.code`, model.LabelOrganisation, InRelease("n"), held("n"))

	LandscapeEdges = fmt.Sprintf(`
MATCH (a:%[1]s)-[r]->(b:%[1]s)
WHERE a.kind IN $kinds AND %[5]s AND b.kind IN $kinds AND %[2]s AND %[3]s AND %[4]s
RETURN a.kind, a.code, type(r), properties(r), b.kind, b.code`, model.LabelOrganisation, held("a"), held("b"), held("r"), InRelease("a"))
)

// Every integrated care system that was ever designated, by code, with its
// designation and population: designations are history, so systems closed
// since (the ICBs merged in April 2026) keep theirs. The open-on-asOf test is
// the caller's (the closed flag of When is ignored here).
var Systems = fmt.Sprintf(`
MATCH (n:%s) WHERE n.designationWave IS NOT NULL AND %s AND ($announced OR NOT coalesce(n.announced, false))
RETURN properties(n), n.validFrom, n.validTo, coalesce(n.residents2015, n.population),
  CASE WHEN n.residents2015 IS NOT NULL THEN 2015 ELSE n.populationYear END ORDER BY n.code`, model.LabelICS, InRelease("n"))

// Sources reads every Source node of the release, by id.
var Sources = `
MATCH (s:` + model.LabelSource + `) WHERE ` + InRelease("s") + `
RETURN properties(s) ORDER BY s.id`
