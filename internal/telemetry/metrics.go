// Package telemetry holds the server's Prometheus metrics and OpenTelemetry
// tracing: a gqlgen extension that counts and times GraphQL operations (and
// opens spans for them and their resolvers), HTTP middleware that does the
// same for every route, and the database observer the store reports its
// round trips to.
package telemetry

import (
	"context"

	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/icsgraph/icsgraph/internal/apierr"
)

// Metrics is the server's metrics registry.
type Metrics struct {
	Registry *prometheus.Registry

	operations  *prometheus.CounterVec   // operation, outcome
	opDuration  *prometheus.HistogramVec // operation
	httpReqs    *prometheus.CounterVec   // route, code
	httpLatency *prometheus.HistogramVec // route
	dbCalls     *prometheus.CounterVec   // mode, outcome
	dbDuration  *prometheus.HistogramVec // mode
	apq         *prometheus.CounterVec   // result
	respCache   *prometheus.CounterVec   // result
	names       *boundedNames
}

// Buckets for request and database latency, 1 ms to 10 s.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// NewMetrics registers every series. sessionsInUse, when not nil, is
// sampled for the icsgraph_neo4j_sessions_in_use gauge.
func NewMetrics(sessionsInUse func() int64) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "icsgraph_graphql_operations_total",
			Help: "GraphQL operations by operation name and outcome (ok, or the first error's extensions.code).",
		}, []string{"operation", "outcome"}),
		opDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "icsgraph_graphql_operation_duration_seconds", Help: "Time to answer a GraphQL operation, by operation name.", Buckets: latencyBuckets,
		}, []string{"operation"}),
		httpReqs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "icsgraph_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		httpLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "icsgraph_http_request_duration_seconds", Help: "HTTP request latency by route pattern.", Buckets: latencyBuckets,
		}, []string{"route"}),
		dbCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "icsgraph_neo4j_round_trips_total", Help: "Neo4j managed transactions (database round trips) by access mode and outcome (ok or error).",
		}, []string{"mode", "outcome"}),
		dbDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "icsgraph_neo4j_round_trip_duration_seconds", Help: "Time spent in one Neo4j managed transaction, by access mode.", Buckets: latencyBuckets,
		}, []string{"mode"}),
		apq: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "icsgraph_graphql_persisted_queries_total",
			Help: "Automatic persisted queries: hit (the hash alone found the query in the cache) or registered (the query was sent with its hash).",
		}, []string{"result"}),
		respCache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "icsgraph_response_cache_total",
			Help: "GraphQL requests by what the response cache did: hit (answered from the cache, 200 or 304), miss (answered by the database, then stored).",
		}, []string{"result"}),
		names: &boundedNames{seen: map[string]bool{}, max: 200},
	}
	m.respCache.WithLabelValues("hit")
	m.respCache.WithLabelValues("miss")
	m.apq.WithLabelValues("hit")
	m.apq.WithLabelValues("registered")
	m.Registry.MustRegister(m.operations, m.opDuration, m.httpReqs, m.httpLatency, m.dbCalls, m.dbDuration, m.apq, m.respCache,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if sessionsInUse != nil {
		m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "icsgraph_neo4j_sessions_in_use", Help: "Neo4j driver sessions open now (each holds a pooled connection while it runs).",
		}, func() float64 { return float64(sessionsInUse()) }))
	}
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ObserveDB is the store's observer (store.SetObserver).
func (m *Metrics) ObserveDB(mode string, d time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.dbCalls.WithLabelValues(mode, outcome).Inc()
	m.dbDuration.WithLabelValues(mode).Observe(d.Seconds())
}

// HTTP counts and times every request by the pattern that routed it.
func (m *Metrics) HTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := r.Pattern // set by the ServeMux on this request
		if route == "" {
			route = "unmatched"
		}
		m.httpReqs.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		m.httpLatency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		// The response cache says what it did in X-Cache (internal/gqlhttp/respcache.go).
		switch sw.Header().Get("X-Cache") {
		case "HIT":
			m.respCache.WithLabelValues("hit").Inc()
		case "MISS":
			m.respCache.WithLabelValues("miss").Inc()
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// GraphQL is a gqlgen extension counting and timing operations.
func (m *Metrics) GraphQL() graphql.HandlerExtension { return gqlMetrics{m} }

type gqlMetrics struct{ m *Metrics }

func (gqlMetrics) ExtensionName() string                   { return "PrometheusMetrics" }
func (gqlMetrics) Validate(graphql.ExecutableSchema) error { return nil }
func (g gqlMetrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	name := "unknown"
	if graphql.HasOperationContext(ctx) {
		name = g.m.names.label(operationName(graphql.GetOperationContext(ctx)))
		if s := extension.GetApqStats(ctx); s != nil {
			if s.SentQuery {
				g.m.apq.WithLabelValues("registered").Inc()
			} else {
				g.m.apq.WithLabelValues("hit").Inc()
			}
		}
	}
	g.m.operations.WithLabelValues(name, outcome(resp)).Inc()
	g.m.opDuration.WithLabelValues(name).Observe(time.Since(start).Seconds())
	return resp
}

// outcome is "ok", or the first error's code (INTERNAL when it has none).
func outcome(resp *graphql.Response) string {
	if resp == nil || len(resp.Errors) == 0 {
		return "ok"
	}
	var e *gqlerror.Error = resp.Errors[0]
	if code, ok := e.Extensions["code"].(string); ok && code != "" {
		return code
	}
	return apierr.CodeInternal
}

// boundedNames keeps operation-name labels few and clean: names are
// clients' choice, so at most max distinct ones are kept (then "other"),
// each at most 64 characters of [A-Za-z0-9_]; no name is "anonymous".
type boundedNames struct {
	mu   sync.Mutex
	seen map[string]bool
	max  int
}

var nameChars = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

func (b *boundedNames) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !nameChars.MatchString(name) {
		return "invalid"
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen[name] {
		return name
	}
	if len(b.seen) >= b.max {
		return "other"
	}
	b.seen[name] = true
	return name
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = gqlMetrics{}

// operationName is the operation's name: the one the request chose, else
// the name in the document.
func operationName(oc *graphql.OperationContext) string {
	if oc.OperationName != "" {
		return oc.OperationName
	}
	if oc.Operation != nil {
		return oc.Operation.Name
	}
	return ""
}
