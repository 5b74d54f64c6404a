package graph

import (
	"bytes"
	"context"
	"math"
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

// writeFloat must write what gqlgen's MarshalFloatContext writes for every
// finite float, byte for byte.
func checkFloat(t *testing.T, f float64) {
	t.Helper()
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return // gqlgen's marshaller answers those (an error)
	}
	var got, want bytes.Buffer
	writeFloat(&got, f)
	if err := graphql.MarshalFloatContext(f).MarshalGQLContext(context.Background(), &want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("writeFloat(%v) = %s, gqlgen writes %s", f, got.Bytes(), want.Bytes())
	}
}

func TestFloatMatchesGQLGen(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.1, 1.0 / 3, 0.4526, 123456, 1e6, 1e20, 1e21, 1e-4, 1e-5, 1.5e-7,
		math.MaxFloat64, math.SmallestNonzeroFloat64, -math.MaxFloat64, 2.5e15, 12345678901234567890} {
		checkFloat(t, f)
	}
}

func FuzzFloat(f *testing.F) {
	for _, x := range []float64{0, 0.2072, 1e21, -3.5e-9} {
		f.Add(x)
	}
	f.Fuzz(checkFloat)
}
