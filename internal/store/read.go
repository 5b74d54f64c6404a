package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// KindCode names one organisation: its kind and its key.
type KindCode struct {
	Kind string
	Code string
}

// A lookup uses the code and onsCode indexes. Former ONS codes are kept only
// on kinds whose ONS codes changed and cannot be indexed (they are a list), so
// that scan is a second statement, run only when the indexes find nothing
// (the planner would otherwise scan on every lookup).
var cypherFindByCode = `
CALL {
  MATCH (n:Organisation {code: $code}) RETURN n
  UNION
  MATCH (n:Organisation {onsCode: $code}) RETURN n
}
WITH n WHERE ($kind IS NULL OR n.kind = $kind) AND ` + inRelease("n") + `
RETURN properties(n)
ORDER BY ` + closedLast + `, CASE WHEN n.code = $code THEN 0 ELSE 1 END
LIMIT 1`

// closedLast orders open organisations before closed ones (and, in a graph
// loaded before validity dates, current before historic ones).
const closedLast = "CASE WHEN n.validTo IS NULL AND NOT coalesce(n.historic, false) THEN 0 ELSE 1 END, n.validTo DESC"

var cypherFindByFormerCode = `
MATCH (n:ICS|SubICBLocation|Council|CCG|STP|Region) WHERE $code IN coalesce(n.onsCodes, n.formerOnsCodes)
  AND ($kind IS NULL OR n.kind = $kind) AND ` + inRelease("n") + `
RETURN properties(n)
ORDER BY ` + closedLast + `
LIMIT 1`

// FindByCode finds an organisation by ODS or ONS code (current or former),
// case-insensitively; kind, if not empty, restricts the kind. Current
// organisations win over historic ones with the same code.
func (s *Store) FindByCode(ctx context.Context, code, kind string) (Organisation, error) {
	params := releaseParams(ctx, map[string]any{"code": strings.ToUpper(strings.TrimSpace(code)), "kind": nil})
	if kind != "" {
		params["kind"] = kind
	}
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (Organisation, error) {
		var rec *neo4j.Record
		for _, query := range []string{cypherFindByCode, cypherFindByFormerCode} {
			res, err := tx.Run(ctx, query, params)
			if err != nil {
				return Organisation{}, err
			}
			if rec, err = res.Single(ctx); err == nil {
				break
			}
			if !isNoRecords(err) {
				return Organisation{}, err
			}
		}
		if rec == nil {
			return Organisation{}, ErrNotFound
		}
		n, _ := rec.Values[0].(map[string]any)
		return decodeOrganisation(n), nil
	})
}

// isNoRecords reports the driver's answer to Single on an empty result.
func isNoRecords(err error) bool {
	var usage *neo4j.UsageError
	return errors.As(err, &usage) && strings.Contains(usage.Message, "Result contains no more records")
}

var cypherSources = `
MATCH (s:Source) WHERE ` + inRelease("s") + `
RETURN properties(s) ORDER BY s.id`

// Sources returns every Source node, by id.
func (s *Store) Sources(ctx context.Context) (map[string]Source, error) {
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (map[string]Source, error) {
		res, err := tx.Run(ctx, cypherSources, releaseParams(ctx, nil))
		if err != nil {
			return nil, err
		}
		out := map[string]Source{}
		for res.Next(ctx) {
			n, _ := res.Record().Values[0].(map[string]any)
			src := decodeSource(n)
			out[src.ID] = src
		}
		return out, res.Err()
	})
}

// Link is a related organisation with the relationship that reaches it.
type Link struct {
	From string // the code the traversal started from
	Edge Edge
	Node Organisation
}

// Related follows hop from each of codes in one round-trip and returns the
// organisations reached, grouped by starting code, in the hop's order.
func (s *Store) Related(ctx context.Context, hop Hop, codes []string) (map[string][]Link, error) {
	query := hop.cypher()
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (map[string][]Link, error) {
		res, err := tx.Run(ctx, query, releaseParams(ctx, map[string]any{"codes": codes}))
		if err != nil {
			return nil, err
		}
		out := make(map[string][]Link, len(codes))
		for res.Next(ctx) {
			v := res.Record().Values
			from, _ := v[0].(string)
			typ, _ := v[1].(string)
			r, _ := v[2].(map[string]any)
			n, _ := v[3].(map[string]any)
			out[from] = append(out[from], Link{From: from, Edge: decodeEdge(typ, r), Node: decodeOrganisation(n)})
		}
		return out, res.Err()
	})
}

// Hop is one relationship step between two kinds, in a given direction. The
// hops the API follows are declared in hops.go; their Cypher is built only
// from those declarations, never from input.
type Hop struct {
	Name    string
	From    string // label of the starting node
	Rel     string // relationship type
	To      string // label of the node reached
	Reverse bool   // follow the relationship against its stored direction
	OrderBy string // Cypher ORDER BY over r and b
}

func (h Hop) cypher() string {
	arrow := fmt.Sprintf("-[r:%s]->", h.Rel)
	if h.Reverse {
		arrow = fmt.Sprintf("<-[r:%s]-", h.Rel)
	}
	order := h.OrderBy
	if order == "" {
		order = "b.name, b.code"
	}
	// The start is found through the Organisation(code) index: a code is
	// unique per kind only within a release, so the kind labels carry
	// composite (code, release) indexes, which `code` alone cannot seek.
	return fmt.Sprintf(`
UNWIND $codes AS code
MATCH (a:%s {code: code})%s(b:%s)
WHERE a:%s AND %s
RETURN code, type(r), properties(r), properties(b)
ORDER BY code, %s`, LabelOrganisation, arrow, h.To, h.From, inRelease("a"), order)
}

// Compiled runs a compiled read statement (internal/cypher) and returns its
// rows, each as its columns by name. It runs as an auto-commit read (RUN and
// PULL in one exchange, where a managed transaction adds BEGIN and COMMIT):
// one statement reads one consistent snapshot anyway. A transient failure is
// retried once. When the statement returns no rows and fallback is not
// empty, fallback runs next with the same parameters.
func (s *Store) Compiled(ctx context.Context, query, fallback string, params map[string]any) ([]map[string]any, error) {
	if fn := s.observer.Load(); fn != nil {
		(*fn)(query, params)
	}
	// The same guard as every other call (breaker.go): the call limits, the
	// breaker, and the outage check of a call that hangs.
	release, err := s.guard.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	planned, err := s.plans.admit(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: waiting to plan a new statement: %w", err) // the context's error: TIMEOUT
	}
	parent := ctx
	ctx, done := s.guard.track(ctx)
	defer done()
	s.open.Add(1)
	start := time.Now()
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeRead})
	defer func() { _ = session.Close(ctx); s.open.Add(-1) }()
	var rows []map[string]any
	for _, q := range []string{query, fallback} {
		if q == "" {
			break
		}
		for attempt := 0; ; attempt++ {
			s.calls.Add(1)
			rows, err = autoCommit(ctx, session, q, params)
			if err == nil || attempt > 0 || !neo4j.IsRetryable(err) || ctx.Err() != nil {
				break
			}
		}
		if err != nil {
			err = s.guard.failed(parent, ctx, classify(err))
			break
		}
		if len(rows) > 0 {
			break
		}
	}
	planned(err == nil)
	if s.observe != nil {
		s.observe("read", time.Since(start), err)
	}
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func autoCommit(ctx context.Context, session neo4j.SessionWithContext, query string, params map[string]any) ([]map[string]any, error) {
	var configurers []func(*neo4j.TransactionConfig)
	if deadline, ok := ctx.Deadline(); ok {
		configurers = append(configurers, neo4j.WithTxTimeout(max(time.Until(deadline), time.Millisecond)))
	}
	res, err := session.Run(ctx, query, params, configurers...)
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	for res.Next(ctx) {
		rows = append(rows, res.Record().AsMap())
	}
	return rows, res.Err()
}

// DecodeOrganisation reads an organisation's property map (as the compiled
// statements project it).
func DecodeOrganisation(p map[string]any) Organisation { return decodeOrganisation(p) }

// DecodeEdge reads a relationship's property map.
func DecodeEdge(typ string, p map[string]any) Edge { return decodeEdge(typ, p) }

// DecodeSource reads a Source node's property map.
func DecodeSource(p map[string]any) Source { return decodeSource(p) }

// Observe makes fn see every compiled statement before it runs (nil: stop),
// so tests can EXPLAIN what the compiler built.
func (s *Store) Observe(fn func(query string, params map[string]any)) {
	if fn == nil {
		s.observer.Store(nil)
		return
	}
	s.observer.Store(&fn)
}

// PlanNode is one operator of a query plan; DBHits and Rows are set only by
// PROFILE.
type PlanNode struct {
	Operator    string
	Details     string
	Identifiers []string
	DBHits      int64
	Rows        int64
	Children    []PlanNode
}

// Plan returns the plan of query: PROFILE runs it (db hits and rows per
// operator), else EXPLAIN only plans it.
func (s *Store) Plan(ctx context.Context, query string, params map[string]any, profile bool) (PlanNode, error) {
	prefix := "EXPLAIN "
	if profile {
		prefix = "PROFILE "
	}
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (PlanNode, error) {
		res, err := tx.Run(ctx, prefix+query, params)
		if err != nil {
			return PlanNode{}, err
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			return PlanNode{}, err
		}
		if profile {
			if p := sum.Profile(); p != nil {
				return profiled(p), nil
			}
		}
		if p := sum.Plan(); p != nil {
			return planned(p), nil
		}
		return PlanNode{}, fmt.Errorf("no plan for %s", prefix)
	})
}

func details(args map[string]any) string {
	d, _ := args["Details"].(string)
	return d
}

func planned(p neo4j.Plan) PlanNode {
	n := PlanNode{Operator: p.Operator(), Details: details(p.Arguments()), Identifiers: p.Identifiers()}
	for _, c := range p.Children() {
		n.Children = append(n.Children, planned(c))
	}
	return n
}

func profiled(p neo4j.ProfiledPlan) PlanNode {
	n := PlanNode{Operator: p.Operator(), Details: details(p.Arguments()), Identifiers: p.Identifiers(), DBHits: p.DbHits(), Rows: p.Records()}
	for _, c := range p.Children() {
		n.Children = append(n.Children, profiled(c))
	}
	return n
}
