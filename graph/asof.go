package graph

import (
	"context"
	"time"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// dataRange returns the dates the data describes: the earliest and the
// newest (the default `asOf`), as the request's pinned release says.
func dataRange(ctx context.Context) (from, to string) {
	return store.DataRange(ctx)
}

// asOfDate returns the date a root field answers for: its `asOf` argument,
// or the newest date the data describes. A date outside the data's range is
// BAD_USER_INPUT naming the range.
func asOfDate(ctx context.Context, arg *model.Date) (string, error) {
	from, to := dataRange(ctx)
	if arg == nil || *arg == "" {
		return to, nil
	}
	d := string(*arg)
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return "", badInput("asOf", "%q is not a date: want YYYY-MM-DD", d)
	}
	if d < from || d > to {
		return "", badInput("asOf", "the data describes %s to %s; %s is outside that range", from, to, d)
	}
	return d, nil
}
