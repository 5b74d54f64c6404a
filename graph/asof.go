package graph

import (
	"context"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// dataRange returns the dates the data describes: the earliest and the
// newest (the default `asOf`). It is the one place that knows where the
// range comes from (the pinned release, once releases carry it).
func dataRange(ctx context.Context) (from, to string) {
	return store.DefaultDataFrom, store.DefaultDataTo
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
	if d < from || d > to {
		return "", badInput("asOf", "the data describes %s to %s; %s is outside that range", from, to, d)
	}
	return d, nil
}
