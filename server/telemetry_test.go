package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// scrape reads /metrics with the Prometheus text parser.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// sample finds the series of a family with the given labels: its counter
// or gauge value, or its histogram's count and sum.
func metricSample(fams map[string]*dto.MetricFamily, name string, labels map[string]string) (value float64, count uint64, found bool) {
	f := fams[name]
	if f == nil {
		return 0, 0, false
	}
next:
	for _, m := range f.Metric {
		got := map[string]string{}
		for _, l := range m.Label {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range labels {
			if got[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), 0, true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), 0, true
		case m.Histogram != nil:
			return m.Histogram.GetSampleSum(), m.Histogram.GetSampleCount(), true
		}
	}
	return 0, 0, false
}

func post(h http.Handler, query string, header map[string]string) *httptest.ResponseRecorder {
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestMetrics(t *testing.T) {
	st := neo4jtest.Store(t)
	mux := newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	before := scrape(t, mux)
	for _, name := range []string{"icsgraph_neo4j_sessions_in_use", "go_goroutines", "process_resident_memory_bytes"} {
		if _, _, ok := metricSample(before, name, nil); !ok {
			t.Errorf("series %s missing", name)
		}
	}
	dbBefore, _, _ := metricSample(before, "icsgraph_neo4j_round_trips_total", map[string]string{"mode": "read", "outcome": "ok"})
	hitsBefore, _, _ := metricSample(before, "icsgraph_response_cache_total", map[string]string{"result": "hit"})

	post(mux, `query MetricsProbe { organisation(code: "QWE") { name } }`, nil)
	post(mux, `query MetricsProbe { organisation(code: "RJ1") { name } }`, nil)
	post(mux, `query MetricsBad { neighbourhood(code: "QWE", depth: 9) { truncated } }`, nil)
	// The same answer twice: the second from the response cache.
	for range 2 {
		post(mux, `query CacheProbe { organisation(code: "QKK") { name } }`, nil)
	}
	// An automatic persisted query: sent once with its hash, then by hash alone.
	const apq = `query Persisted { organisation(code: "QWE") { code } }`
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + fmt.Sprintf("%x", sha256.Sum256([]byte(apq))) + `"}}`
	for _, q := range []string{"query=" + url.QueryEscape(apq) + "&", ""} {
		if code, body := get(t, mux, "/graphql?"+q+"extensions="+url.QueryEscape(ext)); code != 200 || !strings.Contains(body, `"QWE"`) {
			t.Fatalf("persisted query = %d %s", code, body)
		}
	}
	get(t, mux, "/export/neighbourhood?code=QWE&format=cyjs")
	get(t, mux, "/export/neighbourhood?code=QWE&depth=0")

	after := scrape(t, mux)
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"icsgraph_graphql_operations_total", map[string]string{"operation": "MetricsProbe", "outcome": "ok"}, 2},
		{"icsgraph_graphql_operations_total", map[string]string{"operation": "MetricsBad", "outcome": "BAD_USER_INPUT"}, 1},
		{"icsgraph_http_requests_total", map[string]string{"route": "GET /export/{what}", "code": "200"}, 1},
		{"icsgraph_graphql_persisted_queries_total", map[string]string{"result": "registered"}, 1},
		{"icsgraph_graphql_persisted_queries_total", map[string]string{"result": "hit"}, 1},
		{"icsgraph_http_requests_total", map[string]string{"route": "GET /export/{what}", "code": "400"}, 1},
	} {
		t.Run(tc.name+"/"+tc.labels["operation"]+tc.labels["code"]+tc.labels["result"], func(t *testing.T) {
			if v, _, ok := metricSample(after, tc.name, tc.labels); !ok || v != tc.want {
				t.Errorf("%s%v = %v (present %v), want %v", tc.name, tc.labels, v, ok, tc.want)
			}
		})
	}
	if _, n, ok := metricSample(after, "icsgraph_graphql_operation_duration_seconds", map[string]string{"operation": "MetricsProbe"}); !ok || n != 2 {
		t.Errorf("latency histogram for MetricsProbe counted %d, want 2", n)
	}
	if sum, n, ok := metricSample(after, "icsgraph_http_request_duration_seconds", map[string]string{"route": "/graphql"}); !ok || n < 3 || sum <= 0 {
		t.Errorf("HTTP latency for /graphql: count %d sum %v", n, sum)
	}
	if hits, _, ok := metricSample(after, "icsgraph_response_cache_total", map[string]string{"result": "hit"}); !ok || hits < hitsBefore+1 {
		t.Errorf("response cache hits went from %v to %v, want at least one more", hitsBefore, hits)
	}
	dbAfter, _, _ := metricSample(after, "icsgraph_neo4j_round_trips_total", map[string]string{"mode": "read", "outcome": "ok"})
	if dbAfter < dbBefore+3 {
		t.Errorf("Neo4j round trips went from %v to %v, want at least 3 more", dbBefore, dbAfter)
	}
	if sum, n, ok := metricSample(after, "icsgraph_neo4j_round_trip_duration_seconds", map[string]string{"mode": "read"}); !ok || n == 0 || sum <= 0 {
		t.Errorf("Neo4j time: count %d sum %v", n, sum)
	}
}

func TestTracing(t *testing.T) {
	st := neo4jtest.Store(t)
	rec := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	otel.SetTextMapPropagator(propagation.TraceContext{})
	defer func() {
		otel.SetTracerProvider(noop.NewTracerProvider())
		otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator())
	}()
	mux := newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	resp := post(mux, `query TraceProbe { neighbourhood(code: "QWE") { truncated } }`, map[string]string{"traceparent": "00-" + traceID + "-00f067aa0ba902b7-01"})
	if resp.Code != 200 {
		t.Fatalf("query = %d", resp.Code)
	}
	spans := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		spans[s.Name()] = s
	}
	httpSpan, op, field := spans["/graphql"], spans["graphql query TraceProbe"], spans["graphql.field Query.neighbourhood"]
	if httpSpan == nil || op == nil || field == nil {
		names := []string{}
		for n := range spans {
			names = append(names, n)
		}
		t.Fatalf("spans %v: want /graphql, graphql query TraceProbe, graphql.field Query.neighbourhood", names)
	}
	if got := httpSpan.SpanContext().TraceID().String(); got != traceID {
		t.Errorf("HTTP span in trace %s, want the client's %s", got, traceID)
	}
	if op.Parent().SpanID() != httpSpan.SpanContext().SpanID() || field.Parent().SpanID() != op.SpanContext().SpanID() {
		t.Error("spans not nested HTTP > operation > field")
	}
	if op.SpanKind() != trace.SpanKindServer {
		t.Errorf("operation span kind %v", op.SpanKind())
	}
}
