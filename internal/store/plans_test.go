package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPlanGate(t *testing.T) {
	g := newPlanGate()
	ctx := context.Background()
	doneA, err := g.admit(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	// A second new statement waits while A is being planned.
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := g.admit(short, "B"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a new statement during another's planning: %v, want it to wait and time out", err)
	}
	doneA(true)
	// A is known now: it goes through even while B holds the slot.
	doneB, err := g.admit(ctx, "B")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.admit(short, "A"); err != nil {
		t.Fatalf("a known statement waited: %v", err)
	}
	doneB(false) // B failed: still unknown, so it will wait its turn again
	if _, known := g.seen["B"]; known {
		t.Fatal("a failed statement was remembered as planned")
	}
}
