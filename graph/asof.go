package graph

import (
	"context"
	"time"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/store"
)

// The date a request answers for. Every root field that takes `asOf` (or
// `on`, `from`/`to`) passes the value it received here; the organisations
// it answers carry the resulting store.When (model.Org.At), so the fields
// below them, at any depth, answer for the same date.

// dataRange returns the dates the data describes: the earliest and the
// newest (the default `asOf`), as the request's pinned release says.
func dataRange(ctx context.Context) (from, to string) {
	return store.DataRange(ctx)
}

// checkDate is BAD_USER_INPUT on argument when d is not a date or lies
// outside the range the request may ask about (dateRange).
func checkDate(ctx context.Context, argument string, d model.Date, announced bool) error {
	if _, err := time.Parse(time.DateOnly, string(d)); err != nil {
		return apierr.BadInput(argument, "%q is not a date: want YYYY-MM-DD", string(d))
	}
	from, to := store.DateRange(ctx, announced)
	if string(d) < from || string(d) > to {
		if a := store.AnnouncedTo(ctx); !announced && a > to {
			return apierr.BadInput(argument, "the data describes %s to %s; %s is outside that range (announced changes reach %s: pass includeAnnounced: true)", from, to, d, a)
		}
		return apierr.BadInput(argument, "the data describes %s to %s; %s is outside that range", from, to, d)
	}
	return nil
}

// when is the date a root field answers for: its `asOf` argument, checked,
// or the newest date the data describes; includeAnnounced and (for lists
// and traversals) includeClosed as given.
func when(ctx context.Context, asOf *model.Date, includeAnnounced *bool, includeClosed ...*bool) (store.When, error) {
	w := store.When{IncludeAnnounced: deref(includeAnnounced)}
	for _, c := range includeClosed {
		w.IncludeClosed = w.IncludeClosed || deref(c)
	}
	if asOf == nil || *asOf == "" {
		_, w.AsOf = dataRange(ctx)
		return w, nil
	}
	if err := checkDate(ctx, "asOf", *asOf, w.IncludeAnnounced); err != nil {
		return store.When{}, err
	}
	w.AsOf = string(*asOf)
	return w, nil
}

// nested is the date the organisations an answer reaches answer their own
// fields for: w's date and announced flag; closed ones never count below
// the root.
func nested(w store.When) store.When {
	return store.When{AsOf: w.AsOf, IncludeAnnounced: w.IncludeAnnounced}
}
