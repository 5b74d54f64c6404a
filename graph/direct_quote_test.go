package graph

import (
	"bytes"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// quote must write what gqlgen's MarshalString writes, byte for byte.
func checkQuote(t *testing.T, s string) {
	t.Helper()
	var got, want bytes.Buffer
	quote(&got, s)
	graphql.MarshalString(s).MarshalGQL(&want)
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("quote(%q) = %s, gqlgen writes %s", s, got.Bytes(), want.Bytes())
	}
}

func TestQuoteMatchesGQLGen(t *testing.T) {
	for _, s := range []string{"", "Leeds", `a "quoted" \ name`, "tab\tcr\rnl\n", "\x00\x01\x1f\x7f", "Ysbyty Gwynedd – Bangor", "\xff\xfe invalid UTF-8", "<script>&amp;</script>", "\u2028\u2029"} {
		checkQuote(t, s)
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "Hull & East Riding", "\"\\\n", "\xc3"} {
		f.Add(s)
	}
	f.Fuzz(checkQuote)
}
