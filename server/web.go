package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/export"
	"github.com/icsgraph/icsgraph/internal/store"
	"github.com/icsgraph/icsgraph/internal/telemetry"
	"github.com/icsgraph/icsgraph/web"
)

// Browser pages and downloads: GraphiQL at /, the network view at
// /explore, the ICB map at /map, their assets under /assets/ (all embedded,
// see package web), and exports under /export/{what}.

// maxExportNodes caps the organisations in one export (the whole landscape,
// practices, PCNs, STPs and CCGs included, is 8,566 organisations and
// 10,054 relationships).
var maxExportNodes = 25000

// webRoutes registers the pages, assets, exports and /metrics on mux, and
// returns the metrics for the GraphQL handler and the HTTP middleware.
// pin wraps the routes that read the graph so each request reads one data
// release (server/release.go).
func webRoutes(mux *http.ServeMux, st *store.Store, cfg config, logger *slog.Logger, pin func(http.Handler) http.Handler) *telemetry.Metrics {
	metrics := telemetry.NewMetrics(st.SessionsInUse)
	st.SetObserver(metrics.ObserveDB)
	mux.Handle("GET /metrics", metrics.Handler())
	dist := web.Dist()
	page := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, dist, name)
		})
	}
	mux.Handle("GET /{$}", page("index.html"))
	mux.Handle("GET /explore", page("explore.html"))
	mux.Handle("GET /map", page("map.html"))
	mux.Handle("GET /favicon.ico", page("favicon.svg"))
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", assets(dist)))
	mux.Handle("GET /examples/frontend/", http.StripPrefix("/examples/frontend/", exampleFiles(dist))) // the typed client example (examples/frontend)
	mux.Handle("GET /export/{what}", withTimeout(cfg.QueryTimeout, pin(exportHandler(st, logger))))
	mux.Handle("GET /export/crosswalk", withTimeout(cfg.QueryTimeout, pin(crosswalkHandler(st, logger))))
	mux.Handle("GET /schema.graphql", pin(schemaHandler(cfg.Introspection))) // schema_sdl.go
	return metrics
}

// assets serves the built files; they change only with the binary.
func assets(dist fs.FS) http.Handler {
	files := http.FileServerFS(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		if strings.HasSuffix(r.URL.Path, ".json") {
			w.Header().Set("Content-Type", "application/geo+json")
		}
		files.ServeHTTP(w, r)
	})
}

// exampleFiles serves the typed client example built into
// dist/examples/frontend (its page and script), revalidated like the pages.
func exampleFiles(dist fs.FS) http.Handler {
	sub, err := fs.Sub(dist, "examples/frontend")
	if err != nil {
		panic(err) // a constant path in the embedded files
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// argError is a bad export argument: 400 BAD_USER_INPUT naming it.
type argError struct{ arg, msg string }

func (e argError) Error() string { return e.arg + ": " + e.msg }

func badArg(arg, format string, a ...any) error { return argError{arg, fmt.Sprintf(format, a...)} }

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// exportRequest is a parsed /export URL.
type exportRequest struct {
	what   string
	format export.Format
	opts   store.ExportOptions
	q      map[string][]string
}

func (x exportRequest) str(name string) string {
	if v := x.q[name]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

func (x exportRequest) required(name string) (string, error) {
	v := x.str(name)
	if v == "" {
		return "", badArg(name, "required")
	}
	return v, nil
}

func (x exportRequest) integer(name string, def, lo, hi int) (int, error) {
	s := x.str(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badArg(name, "must be a whole number between %d and %d, got %q", lo, hi, s)
	}
	return n, nil
}

func (x exportRequest) boolean(name string) (bool, error) {
	s := x.str(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, badArg(name, "must be true or false, got %q", s)
	}
	return b, nil
}

// kinds reads a list of kinds (comma-separated or repeated), checked
// against the model's kinds.
func (x exportRequest) kinds(name string) ([]string, error) {
	var out []string
	for _, v := range x.q[name] {
		for _, k := range strings.Split(v, ",") {
			k = strings.ToUpper(strings.TrimSpace(k))
			if k == "" {
				continue
			}
			if _, ok := store.KindLabels[k]; !ok {
				return nil, badArg(name, "unknown kind %q; kinds are %s", k, strings.Join(slices.Sorted(maps.Keys(store.KindLabels)), ", "))
			}
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out, nil
}

func (x exportRequest) basis() (store.Basis, error) {
	switch b := store.Basis(strings.ToUpper(x.str("basis"))); b {
	case "":
		return store.BasisGeography, nil
	case store.BasisGeography, store.BasisPartnership:
		return b, nil
	}
	return "", badArg("basis", "must be GEOGRAPHY or PARTNERSHIP, got %q", x.str("basis"))
}

// landscapeKinds is the landscape's default: today's organisations above
// general practice.
var landscapeKinds = []string{store.KindRegion, store.KindICS, store.KindSubICBLocation, store.KindTrust, store.KindCouncil, store.KindCancerAlliance, store.KindClinicalSenate}

// parseExport reads the common arguments: what, format and asOf.
func parseExport(r *http.Request) (exportRequest, error) {
	x := exportRequest{what: r.PathValue("what"), q: r.URL.Query(), opts: store.ExportOptions{MaxNodes: maxExportNodes}}
	if !slices.Contains([]string{"neighbourhood", "members", "ancestors", "path", "landscape"}, x.what) {
		return x, badArg("what", "unknown export %q: want neighbourhood, members, ancestors, path or landscape", x.what)
	}
	f, err := export.ParseFormat(cmpOr(x.str("format"), "graphml"))
	if err != nil {
		return x, badArg("format", "%s", err.Error())
	}
	x.format = f
	// asOf: validated here and carried in opts to the store, the one place
	// it is applied. Omitted, the newest date the data describes (as the
	// API); "all", every version of every fact (the whole timeline, which
	// GEXF's dynamic mode plays).
	// includeAnnounced: as the API's argument, facts held only by an
	// announcement (and announced ends) count only when asked, and asOf may
	// then go past the data's newest date up to the release's announcedTo.
	announced, err := x.boolean("includeAnnounced")
	if err != nil {
		return x, err
	}
	x.opts.IncludeAnnounced = announced
	_, dataTo := store.DataRange(r.Context())
	dataFrom, upTo := store.DateRange(r.Context(), announced)
	announcedTo := store.AnnouncedTo(r.Context())
	switch a := x.str("asOf"); a {
	case "all":
	case "":
		x.opts.AsOf = dataTo
	default:
		if _, err := time.Parse(time.DateOnly, a); err != nil || !isoDate.MatchString(a) {
			return x, badArg("asOf", "%q is not a date: want YYYY-MM-DD, or all for every version", a)
		}
		if a < dataFrom || a > upTo {
			if !announced && announcedTo > dataTo && a <= announcedTo {
				return x, badArg("asOf", "the data describes %s to %s; %s is outside that range (announced changes reach %s: pass includeAnnounced=true)", dataFrom, dataTo, a, announcedTo)
			}
			return x, badArg("asOf", "the data describes %s to %s; %s is outside that range", dataFrom, upTo, a)
		}
		x.opts.AsOf = a
	}
	return x, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// find looks an organisation up by code (as the API does; one held only by
// an announcement when the request includes them), reporting a missing one
// as not found for that argument.
func find(ctx context.Context, st *store.Store, x exportRequest, arg, code string) (store.KindCode, error) {
	_, to := store.DataRange(ctx)
	s, err := st.FindOn(ctx, code, "", store.When{AsOf: to, IncludeAnnounced: x.opts.IncludeAnnounced})
	if errors.Is(err, store.ErrNotFound) {
		return store.KindCode{}, notFoundArg{arg, code}
	}
	if err != nil {
		return store.KindCode{}, err
	}
	return store.KindCode{Kind: s.Org.Kind, Code: s.Org.Code}, nil
}

type notFoundArg struct{ arg, code string }

func (e notFoundArg) Error() string {
	return fmt.Sprintf("%s: no organisation has the code %q", e.arg, e.code)
}

// buildExport reads the subgraph a request names.
func buildExport(ctx context.Context, st *store.Store, x exportRequest) (export.Graph, string, error) {
	switch x.what {
	case "neighbourhood":
		code, err := x.required("code")
		if err != nil {
			return export.Graph{}, "", err
		}
		depth, err := x.integer("depth", 1, 1, store.MaxNeighbourhoodDepth)
		if err != nil {
			return export.Graph{}, "", err
		}
		limit, err := x.integer("limit", 300, 1, 1000) // as the API's neighbourhood
		if err != nil {
			return export.Graph{}, "", err
		}
		kinds, err := x.kinds("kinds")
		if err != nil {
			return export.Graph{}, "", err
		}
		centre, err := find(ctx, st, x, "code", code)
		if err != nil {
			return export.Graph{}, "", err
		}
		g, _, err := st.ExportNeighbourhood(ctx, store.NeighbourhoodQuery{Centre: centre, Depth: depth, Kinds: kinds, Limit: limit}, x.opts)
		return g, fmt.Sprintf("neighbourhood-%s-depth%d", centre.Code, depth), err
	case "members":
		code, err := x.required("code")
		if err != nil {
			return export.Graph{}, "", err
		}
		kinds, err := x.kinds("kind")
		if err != nil {
			return export.Graph{}, "", err
		}
		if len(kinds) != 1 {
			return export.Graph{}, "", badArg("kind", "one kind is required, e.g. kind=PCN")
		}
		basis, err := x.basis()
		if err != nil {
			return export.Graph{}, "", err
		}
		holder, err := find(ctx, st, x, "code", code)
		if err != nil {
			return export.Graph{}, "", err
		}
		g, err := st.ExportMembers(ctx, holder, kinds[0], basis, x.opts)
		return g, fmt.Sprintf("members-%s-%s", holder.Code, strings.ToLower(kinds[0])), err
	case "ancestors":
		code, err := x.required("code")
		if err != nil {
			return export.Graph{}, "", err
		}
		basis, err := x.basis()
		if err != nil {
			return export.Graph{}, "", err
		}
		org, err := find(ctx, st, x, "code", code)
		if err != nil {
			return export.Graph{}, "", err
		}
		g, err := st.ExportAncestors(ctx, org, basis, x.opts)
		return g, "ancestors-" + org.Code, err
	case "path":
		return buildPath(ctx, st, x)
	default: // landscape
		kinds, err := x.kinds("kinds")
		if err != nil {
			return export.Graph{}, "", err
		}
		name := "landscape"
		if len(kinds) == 0 {
			kinds = landscapeKinds
		} else {
			name += "-" + strings.ToLower(strings.Join(kinds, "-"))
		}
		g, err := st.ExportLandscape(ctx, kinds, x.opts)
		return g, name, err
	}
}

func buildPath(ctx context.Context, st *store.Store, x exportRequest) (export.Graph, string, error) {
	fromCode, err := x.required("from")
	if err != nil {
		return export.Graph{}, "", err
	}
	toCode, err := x.required("to")
	if err != nil {
		return export.Graph{}, "", err
	}
	hops, err := x.integer("maxHops", 6, 1, store.MaxPathHops)
	if err != nil {
		return export.Graph{}, "", err
	}
	via, err := x.kinds("via")
	if err != nil {
		return export.Graph{}, "", err
	}
	all, err := x.boolean("all")
	if err != nil {
		return export.Graph{}, "", err
	}
	historic, err := x.boolean("includeHistoric") // the API's deprecated name
	if err != nil {
		return export.Graph{}, "", err
	}
	closed, err := x.boolean("includeClosed")
	if err != nil {
		return export.Graph{}, "", err
	}
	from, err := find(ctx, st, x, "from", fromCode)
	if err != nil {
		return export.Graph{}, "", err
	}
	to, err := find(ctx, st, x, "to", toCode)
	if err != nil {
		return export.Graph{}, "", err
	}
	g, err := st.ExportPaths(ctx, store.PathQuery{From: from, To: to, MaxHops: hops, Via: via, All: all, When: store.When{IncludeClosed: historic || closed}}, x.opts)
	return g, fmt.Sprintf("path-%s-%s", from.Code, to.Code), err
}

// exportHandler answers GET /export/{what}: the file, or a JSON error
// shaped like the API's ({"errors":[{"message","extensions":{"code",…}}]}):
// 400 BAD_USER_INPUT with the argument, 404 NOT_FOUND, 413 for an export
// over the node limit (BAD_USER_INPUT, with the limit), 503 UNAVAILABLE,
// 504 TIMEOUT.
func exportHandler(st *store.Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x, err := parseExport(r)
		var g export.Graph
		var name string
		if err == nil {
			g, name, err = buildExport(r.Context(), st, x)
		}
		var buf bytes.Buffer
		if err == nil {
			err = export.Write(&buf, g, x.format)
		}
		if err != nil {
			exportError(w, r, err, logger)
			return
		}
		if x.opts.AsOf != "" {
			name += "-" + x.opts.AsOf
		}
		if x.opts.IncludeAnnounced {
			name += "-announced"
		}
		h := w.Header()
		h.Set("Content-Type", x.format.ContentType())
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="icsgraph-%s.%s"`, safeName(name), x.format.Ext()))
		h.Set("Content-Length", strconv.Itoa(buf.Len()))
		h.Set("X-Export-Nodes", strconv.Itoa(len(g.Nodes)))
		h.Set("X-Export-Edges", strconv.Itoa(len(g.Edges)))
		_, _ = w.Write(buf.Bytes())
	})
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return unsafeChars.ReplaceAllString(s, "_") }

func exportError(w http.ResponseWriter, r *http.Request, err error, logger *slog.Logger) {
	status, ext, msg := http.StatusInternalServerError, map[string]any{"code": apierr.CodeInternal}, "internal error"
	var arg argError
	var nf notFoundArg
	var big store.ErrExportTooLarge
	switch {
	case errors.As(err, &arg):
		status, msg = http.StatusBadRequest, arg.Error()
		ext = map[string]any{"code": apierr.CodeBadUserInput, "argument": arg.arg}
	case errors.As(err, &nf):
		status, msg = http.StatusNotFound, nf.Error()
		ext = map[string]any{"code": apierr.CodeNotFound, "argument": nf.arg}
	case errors.As(err, &big):
		status, msg = http.StatusRequestEntityTooLarge, big.Error()
		ext = map[string]any{"code": apierr.CodeBadUserInput, "limit": big.Limit, "nodes": big.Nodes}
	case errors.Is(err, store.ErrUnavailable):
		status, msg = http.StatusServiceUnavailable, apierr.MsgUnavailable
		ext = map[string]any{"code": apierr.CodeUnavailable}
		w.Header().Set("Retry-After", "5")
		logger.ErrorContext(r.Context(), "export: database unavailable", "url", r.URL.String(), "error", err)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		status, msg = http.StatusGatewayTimeout, "the export took longer than the server allows; ask for less"
		ext = map[string]any{"code": apierr.CodeTimeout}
		logger.WarnContext(r.Context(), "export timed out", "url", r.URL.String(), "error", err)
	default:
		logger.ErrorContext(r.Context(), "export failed", "url", r.URL.String(), "error", err)
	}
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{"message": msg, "extensions": ext}}})
}
