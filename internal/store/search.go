package store

import (
	"strings"
)

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
