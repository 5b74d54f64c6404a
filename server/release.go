package main

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Data releases (README "Data releases"): every GraphQL request reads the
// release that was current when it started, so a reload never shows a reader
// a partial or empty graph.

// releaseHeader names the response header that says which release answered.
const releaseHeader = "X-Data-Release"

// pinRelease pins the tracker's current release into each request's context
// (store.WithRelease) and names it in the X-Data-Release header. With no
// complete release loaded it answers 503 UNAVAILABLE instead of an empty
// graph; when the request's deadline runs out while the release is read,
// 504 TIMEOUT.
func pinRelease(t *store.Tracker, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, err := t.Current(r.Context())
		if err != nil {
			status, code, msg := http.StatusServiceUnavailable, apierr.CodeUnavailable, apierr.MsgUnavailable
			switch {
			case errors.Is(err, store.ErrNotFound):
				msg = "no complete data release is loaded yet; try again once the load finishes"
			case r.Context().Err() != nil:
				// The request's own deadline (QUERY_TIMEOUT) ran out while
				// the release was read: a timeout, as anywhere later.
				status, code, msg = http.StatusGatewayTimeout, apierr.CodeTimeout, apierr.MsgTimeout
			default:
				logger.Warn("cannot read the current data release", "error", err)
			}
			writeJSON(w, status, map[string]any{
				"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
			})
			return
		}
		w.Header().Set(releaseHeader, strconv.FormatInt(rel.ID, 10))
		next.ServeHTTP(w, r.WithContext(store.WithPinned(r.Context(), rel)))
	})
}

// releaseReady makes /readyz answer 503 while no complete release is loaded
// (an empty database, or only an unfinished load); otherwise next decides,
// and the header names the release.
func releaseReady(t *store.Tracker, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, err := t.Current(r.Context())
		if errors.Is(err, store.ErrNotFound) {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "no complete data release is loaded (run `make seed`)"})
			return
		}
		if err == nil {
			w.Header().Set(releaseHeader, strconv.FormatInt(rel.ID, 10))
		}
		next.ServeHTTP(w, r)
	})
}
