package store

import (
	"strings"
	"unicode"
)

// SearchText is the normalised text the full-text index reads for a node: the
// given parts (name, codes, former names) lower-cased, with apostrophes dropped
// ("Guy's" → "guys"), "&" spelled "and", and every other punctuation mark
// turned into a space. The same normalisation is applied to search input, so
// "guys st thomas" and "GUY'S AND ST THOMAS'" meet in the middle.
func SearchText(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(Normalise(p))
	}
	return b.String()
}

// Normalise lower-cases s, drops apostrophes, spells "&" as "and" and turns
// any other non-letter, non-digit rune into a single space.
func Normalise(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading spaces
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`':
			continue
		case r == '&':
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString("and ")
			space = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}
