package gqlhttp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/icsgraph/icsgraph/internal/apierr"
)

// QueryHash is the persisted-query hash of a query: SHA-256, hex.
func QueryHash(q string) string {
	sum := sha256.Sum256([]byte(q))
	return hex.EncodeToString(sum[:])
}

// LoadPersistedQueries reads every .graphql file of dir as a persisted query,
// keyed by QueryHash of its text.
func LoadPersistedQueries(dir string) (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no .graphql files in %s", dir)
	}
	sort.Strings(files)
	out := make(map[string]string, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out[QueryHash(string(b))] = string(b)
	}
	return out, nil
}

// persistedOnly admits only the listed queries: sent in full (their hash is
// looked up) or by hash (persistedQuery.sha256Hash in extensions, as
// automatic persisted queries send it). Registered before the persisted-query
// extension, which then finds the query filled in.
type persistedOnly struct{ queries map[string]string }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = persistedOnly{}

func (persistedOnly) ExtensionName() string                   { return "PersistedQueriesOnly" }
func (persistedOnly) Validate(graphql.ExecutableSchema) error { return nil }

func (p persistedOnly) MutateOperationParameters(_ context.Context, params *graphql.RawParams) *gqlerror.Error {
	refuse := &gqlerror.Error{
		Message:    "this server runs only its persisted queries; send one of them, or its sha256Hash in extensions.persistedQuery",
		Extensions: map[string]any{"code": apierr.CodePersistedOnly},
	}
	if params.Query != "" {
		if _, ok := p.queries[QueryHash(params.Query)]; !ok {
			return refuse
		}
		return nil
	}
	pq, _ := params.Extensions["persistedQuery"].(map[string]any)
	hash, _ := pq["sha256Hash"].(string)
	q, ok := p.queries[hash]
	if !ok {
		return refuse
	}
	params.Query = q
	return nil
}
