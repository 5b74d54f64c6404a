package cypher

import (
	"fmt"
	"strings"

	"github.com/icsgraph/icsgraph/internal/model"
)

// Traversals: membership at any depth (members, ancestors), shortest paths
// and neighbourhoods, run by internal/store. Every relationship type comes
// from internal/model; the only numbers written into the text are
// path-length bounds, which Cypher cannot take as parameters, checked
// against fixed ranges before use. Every step applies Valid (ClosedParam:
// the traversal's includeClosed).

// held is Valid with the statement's $closed.
func held(v string) string { return Valid(v, ClosedParam) }

// Basis says which meaning of "belonging" a membership traversal follows.
type Basis string

const (
	// BasisGeography follows where organisations sit: practice → PCN →
	// sub-ICB location → ICS → region, Cancer Alliance, Clinical Senate;
	// trust headquarters → ICS; district → county.
	BasisGeography Basis = "GEOGRAPHY"
	// BasisPartnership starts with PARTNER_OF (a trust or council named in an
	// ICB's constitution) and then follows the ICS upwards by geography.
	BasisPartnership Basis = "PARTNERSHIP"
)

// geographyTypes are the relationships a geography membership climbs, each
// from the member towards the holder.
var geographyTypes = strings.Join([]string{
	model.RelMemberOf, model.RelInSubICBLocation, model.RelPartOf, model.RelInRegion,
	model.RelInCancerAlliance, model.RelInClinicalSenate, model.RelLocatedIn, model.RelWithin,
}, "|")

// icsUpTypes lead from an ICS to the areas above it.
var icsUpTypes = strings.Join([]string{model.RelInRegion, model.RelInCancerAlliance, model.RelInClinicalSenate}, "|")

// membershipFilter keeps a membership path honest: when the path passes
// through a sub-ICB location, the Cancer Alliance is reached from the sub-ICB
// location itself, not from its ICS: an ICS can lie in two alliances
// (Nottingham and Nottinghamshire, whose Bassetlaw sat in South Yorkshire and
// Bassetlaw), and its sub-ICB locations say exactly which. Organisations and
// relationships not holding on the date are pruned inside the patterns
// (heldOn), as the paths are expanded.
var membershipFilter = fmt.Sprintf(`
  NOT (any(r IN relationships(p) WHERE type(r) = '%s' AND startNode(r):%s)
       AND any(n IN nodes(p) WHERE n:%s))`, model.RelInCancerAlliance, model.LabelICS, model.LabelSubICBLocation)

// membershipPatterns are the path patterns from a member (m) up to its holder
// (h), by basis, each step held on the date. Bounds: the longest geography
// chain is practice → PCN → sub-ICB → ICS → Clinical Senate → region (5 hops).
var membershipPatterns = map[Basis]string{
	BasisGeography: fmt.Sprintf(`p = (m:%s)(()-[r:%s]->(x) WHERE %s AND %s){1,6}(h)`,
		model.LabelOrganisation, geographyTypes, held("r"), held("x")),
	BasisPartnership: fmt.Sprintf(`p = (m:%s)-[r0:%s]->(i:%s)(()-[r:%s]->(x) WHERE %s AND %s){0,2}(h)`,
		model.LabelOrganisation, model.RelPartnerOf, model.LabelICS, icsUpTypes, held("r"), held("x")),
}

// membershipHeld checks the ends a pattern's steps do not: the member, and
// for partnership the first hop.
var membershipHeld = map[Basis]string{
	BasisGeography:   held("m"),
	BasisPartnership: held("m") + " AND " + held("r0") + " AND " + held("i"),
}

// Members, their count and ancestors share the pattern and the filter, and
// keep the shortest path per member. Ties are broken by the code of the
// second organisation on the path (e.g. which of two ICSs an ambulance trust
// partners); in geography, where each organisation has one parent per
// relationship type on a date, shortest paths do not tie. (Ordering by every
// code on the path doubled the query's db hits.) The holder or start is the
// organisation FindOn found (its kind and code), in the pinned release.
const (
	cypherMembers = `
%[3]s
MATCH %[1]s
WHERE m.kind = $kind AND %[4]s AND %[2]s
WITH m, p ORDER BY length(p), nodes(p)[1].code
WITH m, head(collect(p)) AS p
WHERE $afterName IS NULL OR m.name > $afterName OR (m.name = $afterName AND m.code > $afterCode)
RETURN p ORDER BY m.name, m.code
LIMIT $limit`

	cypherMembersCount = `
%[3]s
MATCH %[1]s
WHERE m.kind = $kind AND %[4]s AND %[2]s
RETURN count(DISTINCT m)`

	cypherAncestors = `
%[3]s
MATCH %[1]s
WHERE %[4]s AND %[2]s
WITH h, p ORDER BY length(p), nodes(p)[1].code
WITH h, head(collect(p)) AS p
RETURN p ORDER BY length(p), h.kind, h.name, h.code`
)

// Membership holds the members, members-count and ancestors statements of
// each basis, built once.
var Membership = func() map[Basis][3]string {
	out := map[Basis][3]string{}
	for b, pattern := range membershipPatterns {
		out[b] = [3]string{
			fmt.Sprintf(cypherMembers, pattern, membershipFilter, StartLookup("h", "code", "holderKind"), membershipHeld[b]),
			fmt.Sprintf(cypherMembersCount, pattern, membershipFilter, StartLookup("h", "code", "holderKind"), membershipHeld[b]),
			fmt.Sprintf(cypherAncestors, pattern, membershipFilter, StartLookup("m", "code", "startKind"), membershipHeld[b]),
		}
	}
	return out
}()

// MaxPathHops bounds path searches; MaxNeighbourhoodDepth bounds neighbourhoods.
const (
	MaxPathHops           = 10
	MaxNeighbourhoodDepth = 3
)

// The shortest-path search checks each step as it goes, so a path through a
// relationship or organisation not held on the date, or through a kind not in
// $via, is never preferred over a longer acceptable one. The start is exempt
// from every check and the end from the kind check.
//
// It is Cypher's shortestPath/allShortestPaths, not a SHORTEST quantified path
// pattern. Both search from the two ends at once, and the all(...)
// predicates are universal ones that the planner evaluates during that
// search (the plan is one ShortestPath operator with no exhaustive fallback:
// TestPathPlan), so they find the same shortest paths. But they read very
// different amounts of the graph next to a hub: from a practice to its
// region (at ×100 the region has 500 ICSs) the quantified pattern read every
// relationship of the region, and its cost grew with the graph (17,434 db
// hits at ×100 against 3,194 at ×1), while shortestPath's search does not
// (3,608; bench/README.md, "path at ×100"). shortestPath refuses a start
// that is also the end, and a path from an organisation to itself is the
// empty one (the resolver's), hence a <> b.
var cypherPath = `
` + StartLookup("a", "from", "fromKind") + StartLookup("b", "to", "toKind") + `
WITH a, b WHERE a <> b
MATCH p = %s((a)-[*1..%d]-(b))
WHERE all(r IN relationships(p) WHERE ` + held("r") + `)
  AND all(n IN nodes(p) WHERE n = a OR (` + held("n") + ` AND (n = b OR $via IS NULL OR n.kind IN $via)))
RETURN p
ORDER BY [n IN nodes(p) | n.code], [r IN relationships(p) | type(r)]
LIMIT $limit`

// Path[all][hops] is the path statement for each bound, built once.
var Path = func() [2][MaxPathHops + 1]string {
	var out [2][MaxPathHops + 1]string
	for hops := 1; hops <= MaxPathHops; hops++ {
		out[0][hops] = fmt.Sprintf(cypherPath, "shortestPath", hops)
		out[1][hops] = fmt.Sprintf(cypherPath, "allShortestPaths", hops)
	}
	return out
}()

// The nearest nodes are kept when the limit bites (then by name and code, so
// the cut is stable). Edges are every relationship between two kept nodes.
var (
	cypherNeighbours = `
` + StartLookup("c", "code", "kind") + `
MATCH p = SHORTEST 1 (c) (()-[r]-(n) WHERE ` + held("r") + ` AND ` + held("n") + ` AND ($kinds IS NULL OR n.kind IN $kinds)){0,%d} (m)
RETURN m, length(p) AS depth, elementId(m) AS id, ` + held("c") + ` AS centreHeld
ORDER BY depth, m.name, m.code
LIMIT $limit`

	NeighbourEdges = `
UNWIND $ids AS id
MATCH (a) WHERE elementId(a) = id
MATCH (a)-[r]->(b) WHERE elementId(b) IN $ids AND ` + held("r") + `
RETURN a.kind, a.code, r, b.kind, b.code
ORDER BY a.kind, a.code, type(r), b.kind, b.code, r.validFrom`
)

var Neighbourhood = func() [MaxNeighbourhoodDepth + 1]string {
	var out [MaxNeighbourhoodDepth + 1]string
	for d := 1; d <= MaxNeighbourhoodDepth; d++ {
		out[d] = fmt.Sprintf(cypherNeighbours, d)
	}
	return out
}()

// StartLookup binds v to the organisation a traversal starts from, inside
// the traversal's own statement (so the common case is one round trip):
// FindByCode by the code in $<codeParam>, of kind $<kindParam> when
// that is not null. FindOn is the same lookup on its own (with the
// former-code form), for answers that come back empty.
func StartLookup(v, codeParam, kindParam string) string {
	return "\n" + FindByCode(v, codeParam, kindParam, "", false, "")
}

// A traversal start is found by FindByCode (current codes, then
// former ONS codes), returned with whether it held on the date.
var Start = []string{findStart(false), findStart(true)}

func findStart(former bool) string {
	return FindByCode("n", "code", "kind", "", former, "") + "\nRETURN properties(n), n.validFrom, n.validTo, " + held("n") + " AS held"
}
