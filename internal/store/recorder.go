package store

import (
	"context"
	"errors"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Recorded is one statement a recording store was asked to run.
type Recorded struct {
	Cypher, Fallback string
	Params           map[string]any
}

// ErrRecorded is what a recording store's reads outside the compiled
// statements answer: the statement was recorded, not run.
var ErrRecorded = errors.New("store: recording, not running")

type recorder struct {
	mu   sync.Mutex
	stmt []Recorded
}

func (r *recorder) add(st Recorded) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stmt = append(r.stmt, st)
}

// NewRecorder returns a Store without a database: compiled statements are
// recorded and answer no rows; every other read records its first
// statement and fails with ErrRecorded. recorded returns what was recorded
// so far. The golden statements (graph/golden_statements_test.go) compile
// GraphQL queries through it.
func NewRecorder() (s *Store, recorded func() []Recorded) {
	rec := &recorder{}
	s = &Store{rec: rec, plans: newPlanGate()}
	return s, func() []Recorded {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return append([]Recorded(nil), rec.stmt...)
	}
}

// recordingTx is the transaction a recording store hands its reads.
type recordingTx struct {
	neo4j.ManagedTransaction // never called: Run is the only method used
	rec                      *recorder
}

func (t recordingTx) Run(_ context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	t.rec.add(Recorded{Cypher: cypher, Params: params})
	return nil, ErrRecorded
}
