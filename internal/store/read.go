package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/icsgraph/icsgraph/internal/cypher"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// FindByCode finds an organisation by ODS or ONS code (current or former),
// case-insensitively, as cypher.FindByCode finds it on the newest date the
// data describes; kind, if not empty, restricts the kind.
func (s *Store) FindByCode(ctx context.Context, code, kind string) (Organisation, error) {
	_, to := DataRange(ctx)
	st, err := s.FindOn(ctx, code, kind, When{AsOf: to})
	return st.Org, err
}

// isNoRecords reports the driver's answer to Single on an empty result.
func isNoRecords(err error) bool {
	var usage *neo4j.UsageError
	return errors.As(err, &usage) && strings.Contains(usage.Message, "Result contains no more records")
}

// Sources returns every Source node, by id.
func (s *Store) Sources(ctx context.Context) (map[string]Source, error) {
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (map[string]Source, error) {
		res, err := tx.Run(ctx, cypher.Sources, releaseParams(ctx, nil))
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

// Compiled runs a compiled read statement (internal/cypher) and returns its
// rows, each as its columns by name. It runs as an auto-commit read (RUN and
// PULL in one exchange, where a managed transaction adds BEGIN and COMMIT):
// one statement reads one consistent snapshot anyway. A transient failure is
// retried once. When the statement returns no rows and fallback is not
// empty, fallback runs next with the same parameters.
func (s *Store) Compiled(ctx context.Context, query, fallback string, params map[string]any) ([]map[string]any, error) {
	if err := s.bindMeasures(ctx, query, params); err != nil {
		return nil, err
	}
	if fn := s.observer.Load(); fn != nil {
		(*fn)(query, params)
	}
	if s.rec != nil {
		s.rec.add(Recorded{Cypher: query, Fallback: fallback, Params: params})
		return nil, nil
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
