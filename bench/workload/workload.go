// Package workload is the benchmark's workload (bench/README.md), shared by
// the load generator and the plan check (graph/plan_test.go).
package workload

// The workload: the same logical queries written three ways, for our API
// (schema.graphqls), for the peer (@neo4j/graphql over peer/typeDefs.graphql)
// and as the hand-written Cypher the raw-Cypher server runs, one statement per
// request. Each Cypher statement returns one row, `data`, shaped like our
// GraphQL response, so the three answers can be compared after normalisation
// (see normalise in bench/check.go).

// Query is one logical query of the workload.
type Query struct {
	Name string
	// Kind groups queries in the report: "workload" runs on all three
	// servers; "traversal" only on ours (the peer has no equivalent).
	Kind string
	// Ours and Peer are GraphQL documents; Cypher is the statement the
	// raw-Cypher server runs (empty: no raw-Cypher form).
	Ours, Peer, Cypher string
	// Vars are the variables (GraphQL) and parameters (Cypher).
	Vars map[string]any
	// Scaling says what the answer does as the graph grows ×N, for the report.
	Scaling string
	// Vary gives the variables of request i (the same for every target), so
	// no target is measured on one repeated answer; nil: always Vars.
	Vary func(p Pools, i int) map[string]any
}

// Pools are the values requests draw from: every trust and council code of
// the graph under test (read from it at the start of a run).
type Pools struct {
	Trusts, Councils []string
}

// VarsFor returns the variables of request i.
func (q Query) VarsFor(p Pools, i int) map[string]any {
	if q.Vary == nil {
		return q.Vars
	}
	if v := q.Vary(p, i); v != nil {
		return v
	}
	return q.Vars
}

// pick spreads request numbers over a list (a fixed stride coprime with
// typical list sizes), so consecutive requests ask for different items and
// the whole list is visited.
func pick(list []string, i int) (string, bool) {
	if len(list) == 0 {
		return "", false
	}
	return list[(i*7919)%len(list)], true
}

// trustTypes and pageSizes vary the list query.
var (
	trustTypes = []string{"ACUTE", "MENTAL_HEALTH", "COMMUNITY", "AMBULANCE", "SPECIALIST"}
	pageSizes  = []int{10, 25, 50}
)

// LuceneBirmingam is the index query our API builds for the search text
// "birmingam" (store.luceneQuery): exact, prefix, and one-typo matches. The
// peer and the raw Cypher are given the same index query, so all three ask
// the full-text index the same question.
const LuceneBirmingam = "(birmingam^4 OR birmingam*^2 OR birmingam~1)"

// Workload returns the five queries run on all three servers.
func Workload() []Query {
	return []Query{
		{
			Name:    "lookup",
			Kind:    "workload",
			Scaling: "constant (one trust by code, drawn per request from every trust)",
			Vars:    map[string]any{"code": "RJ1"},
			Vary: func(p Pools, i int) map[string]any {
				if c, ok := pick(p.Trusts, i); ok {
					return map[string]any{"code": c}
				}
				return nil
			},
			Ours: `query($code: String!) { r: trust(code: $code) {
  code name kind status trustType foundationTrust postcode
  integratedCareSystem { code name } } }`,
			Peer: `query($code: String!) { r: trusts(where: {code: {eq: $code}}) {
  code name kind status trustType foundationTrust postcode
  integratedCareSystem { code name } } }`,
			Cypher: `
MATCH (t:Trust {code: $code})
RETURN {r: t {.code, .name, .kind, .status, .trustType, .foundationTrust, .postcode,
  integratedCareSystem: head([(t)-[:LOCATED_IN]->(i:ICS) | i {.code, .name}])}} AS data`,
		},
		{
			Name:    "list",
			Kind:    "workload",
			Scaling: "constant page (10, 25 or 50 of the open trusts of one type, foundation or not, by name)",
			Vars:    map[string]any{"type": "ACUTE", "ft": true, "first": 50},
			Vary: func(_ Pools, i int) map[string]any {
				return map[string]any{"type": trustTypes[i%len(trustTypes)], "ft": (i/len(trustTypes))%2 == 0,
					"first": pageSizes[(i/(2*len(trustTypes)))%len(pageSizes)]}
			},
			Ours: `query($type: TrustType!, $ft: Boolean!, $first: Int!) { r: trusts(first: $first,
    filter: {trustType: $type, foundationTrust: $ft}, orderBy: {field: NAME}) {
  pageInfo { hasNextPage }
  edges { node { code name foundationTrust postcode integratedCareSystem { code name } } } } }`,
			Peer: `query($type: TrustType!, $ft: Boolean!, $first: Int!) { r: trustsConnection(first: $first,
    where: {trustType: {eq: $type}, foundationTrust: {eq: $ft}, status: {eq: OPEN}}, sort: [{name: ASC}, {code: ASC}]) {
  pageInfo { hasNextPage }
  edges { node { code name foundationTrust postcode integratedCareSystem { code name } } } } }`,
			Cypher: `
MATCH (n:Trust) WHERE n.trustType = $type AND n.foundationTrust = $ft AND n.status = 'OPEN'
WITH n ORDER BY n.name, n.code LIMIT $first + 1
WITH collect(n) AS ns
RETURN {r: {pageInfo: {hasNextPage: size(ns) > $first},
  edges: [n IN ns[0..$first] | {node: n {.code, .name, .foundationTrust, .postcode,
    integratedCareSystem: head([(n)-[:LOCATED_IN]->(i:ICS) | i {.code, .name}])}}]}} AS data`,
		},
		{
			Name:    "nested",
			Kind:    "workload",
			Scaling: "grows ×N (every region, its ICSs, their trusts and council overlaps)",
			Ours: `{ r: regions(orderBy: {field: NAME}) { edges { node { code name
  integratedCareSystems { code name
    trusts { code name }
    councils { council { code name } sharedPopulation shareOfCouncil } } } } } }`,
			Peer: `{ r: regionsConnection(sort: [{name: ASC}, {code: ASC}]) { edges { node { code name
  integratedCareSystems(sort: [{name: ASC}, {code: ASC}]) { code name
    trusts(sort: [{name: ASC}, {code: ASC}]) { code name }
    councils: councilsConnection(sort: [{edge: {sharedPopulation: DESC}}, {node: {code: ASC}}]) {
      edges { council: node { code name } properties { sharedPopulation shareOfCouncil } } } } } } } }`,
			Cypher: `
MATCH (g:Region)
WITH g ORDER BY g.name, g.code
WITH g, COLLECT {
  MATCH (g)<-[:IN_REGION]-(i:ICS)
  WITH i ORDER BY i.name, i.code
  RETURN i {.code, .name,
    trusts: COLLECT { MATCH (i)<-[:LOCATED_IN]-(t:Trust) WITH t ORDER BY t.name, t.code RETURN t {.code, .name} },
    councils: COLLECT { MATCH (i)<-[o:OVERLAPS]-(c:Council) WITH c, o ORDER BY o.population DESC, c.code
      RETURN {council: c {.code, .name}, sharedPopulation: o.population, shareOfCouncil: o.shareOfCouncil} }}
} AS systems
RETURN {r: {edges: collect({node: g {.code, .name, integratedCareSystems: systems}})}} AS data`,
		},
		{
			Name:    "overlaps",
			Kind:    "workload",
			Scaling: "constant (one council's ICS overlaps with shares, drawn per request from every council)",
			Vars:    map[string]any{"code": "E10000012"},
			Vary: func(p Pools, i int) map[string]any {
				if c, ok := pick(p.Councils, i); ok {
					return map[string]any{"code": c}
				}
				return nil
			},
			Ours: `query($code: String!) { r: council(code: $code) { code name councilType population
  overlaps { integratedCareSystem { code name } sharedPopulation sharedSmallAreas shareOfCouncil shareOfIcs } } }`,
			Peer: `query($code: String!) { r: councils(where: {code: {eq: $code}}) { code name councilType population
  overlaps: overlapsConnection(sort: [{edge: {sharedPopulation: DESC}}, {node: {code: ASC}}]) { edges {
    integratedCareSystem: node { code name }
    properties { sharedPopulation sharedSmallAreas shareOfCouncil shareOfIcs } } } } }`,
			Cypher: `
MATCH (c:Council {code: $code})
RETURN {r: c {.code, .name, .councilType, population: c.residents2015,
  overlaps: COLLECT { MATCH (c)-[o:OVERLAPS]->(i:ICS) WITH i, o ORDER BY o.population DESC, i.code
    RETURN {integratedCareSystem: i {.code, .name}, sharedPopulation: o.population, sharedSmallAreas: o.smallAreas,
      shareOfCouncil: o.shareOfCouncil, shareOfIcs: o.shareOfArea} }}} AS data`,
		},
		{
			Name:    "search",
			Kind:    "workload",
			Scaling: "top 10 of a full-text search whose matches grow ×N",
			Vars:    map[string]any{"text": "birmingam", "lucene": LuceneBirmingam},
			Ours:    `query($text: String!) { r: search(text: $text, first: 10) { score organisation { code name kind } } }`,
			Peer: `query($lucene: String!) { r: searchOrganisations(phrase: $lucene, first: 10,
    sort: [{score: DESC}, {node: {name: ASC}}, {node: {code: ASC}}]) {
  edges { score organisation: node { code name kind } } } }`,
			Cypher: `
CALL db.index.fulltext.queryNodes('organisation_search', $lucene) YIELD node, score
WITH node, score ORDER BY score DESC, node.name, node.code LIMIT 10
RETURN {r: collect({score: score, organisation: node {.code, .name, .kind}})} AS data`,
		},
	}
}

// Traversals returns the traversal queries of traversal.graphqls, run on our
// server only (the peer has no variable-length traversals without hand-written
// @cypher fields). They run only when they answer without errors.
func Traversals() []Query {
	return []Query{
		{
			Name:    "members",
			Kind:    "traversal",
			Scaling: "constant (first 100 practices of one ICS, at depth 3)",
			Vars:    map[string]any{"code": "QWE"},
			Ours: `query($code: String!) { r: members(code: $code, kind: PRACTICE, first: 100) {
  totalCount edges { node { depth organisation { code name } } } } }`,
		},
		{
			Name:    "ancestors",
			Kind:    "traversal",
			Scaling: "constant (the chain above one practice)",
			Vars:    map[string]any{"code": "H85001"},
			Ours:    `query($code: String!) { r: ancestors(code: $code) { depth organisation { code name kind } } }`,
		},
		{
			Name:    "path",
			Kind:    "traversal",
			Scaling: "constant answer; the search space around the region grows ×N",
			Vars:    map[string]any{"from": "H85001", "to": "Y56"},
			Ours: `query($from: String!, $to: String!) { r: path(from: $from, to: $to) {
  length organisations { code } hops { relationship direction } } }`,
		},
		{
			Name:    "coterminosity",
			Kind:    "traversal",
			Scaling: "grows ×N (a report over every council and ICS)",
			Ours: `{ r: coterminosity(inner: COUNCIL, outer: ICS) {
  areas coterminous split exactUnions outerAreas worstSplits(first: 5) { area { code } largestShare } } }`,
		},
	}
}
