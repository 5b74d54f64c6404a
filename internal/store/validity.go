package store

import (
	"context"
	"fmt"
)

// Validity on a date, for the traversal and history reads.
//
// Every organisation and relationship of the time-aware graph carries
// validFrom (ISO date, the first day it held) and optionally validTo
// (exclusive). A fact holds on $asOf when validFrom <= $asOf and validTo is
// absent or after it. A graph loaded before validity dates existed has no
// validFrom: there a fact holds "since the beginning", except the
// predecessor organisations flagged `historic` (STPs, CCGs), which are
// closed. With $closed, facts that began on or before $asOf count whether or
// not they still held ("ever, up to that date").

// heldOn is the Cypher predicate "v holds on $asOf" (v a node or
// relationship variable); it reads the parameters $asOf and $closed.
func heldOn(v string) string {
	return fmt.Sprintf(`(CASE WHEN %[1]s.validFrom IS NULL THEN $closed OR NOT coalesce(%[1]s.historic, false)
  ELSE %[1]s.validFrom <= $asOf AND ($closed OR %[1]s.validTo IS NULL OR %[1]s.validTo > $asOf) END)`, v)
}

// When is the date a traversal answers for: AsOf (ISO date), and whether
// organisations and relationships that closed by then still count.
type When struct {
	AsOf          string
	IncludeClosed bool
}

// params adds the date, the closed flag and the pinned release to a query's
// parameters; every traversal and history query goes through it.
func (w When) params(ctx context.Context, p map[string]any) map[string]any {
	if p == nil {
		p = map[string]any{}
	}
	p["asOf"], p["closed"] = w.AsOf, w.IncludeClosed
	return releaseParams(ctx, p)
}
