package store

import (
	"context"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Hit is a ranked search result.
type Hit struct {
	Organisation Organisation
	Score        float64
}

const cypherSearch = `
CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit})
YIELD node, score
WHERE $kinds IS NULL OR node.kind IN $kinds
RETURN properties(node), score
ORDER BY score DESC, node.historic, node.name
LIMIT $first`

// Search runs a ranked full-text search over organisation names and codes.
// Every word of text must match, as itself, as a prefix or (for words of five
// letters or more) within one typo; if that finds nothing, any word may match.
func (s *Store) Search(ctx context.Context, text string, kinds []string, first int) ([]Hit, error) {
	words := strings.Fields(Normalise(text))
	if len(words) == 0 {
		return nil, nil
	}
	var kindParam any
	limit := first
	if len(kinds) > 0 {
		kindParam = kinds
		limit = first * 20 // filter after ranking: ask the index for more
	}
	for _, op := range []string{" AND ", " OR "} {
		params := map[string]any{
			"index": FullTextIndex,
			"query": LuceneQuery(words, op),
			"limit": limit,
			"kinds": kindParam,
			"first": first,
		}
		hits, err := read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]Hit, error) {
			res, err := tx.Run(ctx, cypherSearch, params)
			if err != nil {
				return nil, err
			}
			var hits []Hit
			for res.Next(ctx) {
				v := res.Record().Values
				n, _ := v[0].(map[string]any)
				score, _ := v[1].(float64)
				hits = append(hits, Hit{Organisation: decodeOrganisation(n), Score: score})
			}
			return hits, res.Err()
		})
		if err != nil || len(hits) > 0 || len(words) == 1 {
			return hits, err
		}
	}
	return nil, nil
}

// LuceneQuery builds the index query from normalised words (letters and
// digits only, so nothing needs escaping). Exact matches score highest, then
// prefixes, then near spellings.
func LuceneQuery(words []string, op string) string {
	clauses := make([]string, len(words))
	for i, w := range words {
		c := w + "^4"
		if len([]rune(w)) >= 2 {
			c += " OR " + w + "*^2"
		}
		if len([]rune(w)) >= 5 {
			c += " OR " + w + "~1"
		}
		clauses[i] = "(" + c + ")"
	}
	return strings.Join(clauses, op)
}
