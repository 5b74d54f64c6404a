package telemetry

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// instrumentation is the tracer name spans are recorded under.
const instrumentation = "github.com/icsgraph/icsgraph"

// SetupTracing starts OpenTelemetry tracing when the standard variables ask
// for it, and installs it as the global tracer provider. Off by default:
// OTEL_TRACES_EXPORTER unset or "none", or OTEL_SDK_DISABLED=true, leaves
// the no-op provider (spans cost nothing). OTEL_TRACES_EXPORTER=otlp sends
// spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; default http://localhost:4318), with
// OTEL_EXPORTER_OTLP_HEADERS; "console" prints them to standard output.
// OTEL_SERVICE_NAME (default icsgraph), OTEL_RESOURCE_ATTRIBUTES and
// OTEL_TRACES_SAMPLER[_ARG] are read by the SDK. The returned function
// flushes and stops the exporter.
func SetupTracing(ctx context.Context, getenv func(string) string) (shutdown func(context.Context) error, enabled bool, err error) {
	noop := func(context.Context) error { return nil }
	if strings.EqualFold(getenv("OTEL_SDK_DISABLED"), "true") {
		return noop, false, nil
	}
	var exp sdktrace.SpanExporter
	switch name := strings.ToLower(strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER"))); name {
	case "", "none":
		return noop, false, nil
	case "otlp":
		if p := getenv("OTEL_EXPORTER_OTLP_PROTOCOL"); p != "" && p != "http/protobuf" {
			return noop, false, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL=%s: only http/protobuf is built in", p)
		}
		exp, err = otlptracehttp.New(ctx)
	case "console":
		exp, err = stdouttrace.New(stdouttrace.WithWriter(os.Stdout))
	default:
		return noop, false, fmt.Errorf("OTEL_TRACES_EXPORTER=%s: want otlp, console or none", name)
	}
	if err != nil {
		return noop, false, fmt.Errorf("tracing exporter: %w", err)
	}
	attrs := []attribute.KeyValue{}
	if getenv("OTEL_SERVICE_NAME") == "" {
		attrs = append(attrs, semconv.ServiceName("icsgraph"))
	}
	res, err := resource.New(ctx, resource.WithFromEnv(), resource.WithTelemetrySDK(), resource.WithAttributes(attrs...))
	if err != nil {
		return noop, false, fmt.Errorf("tracing resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return tp.Shutdown, true, nil
}

// Tracing is a gqlgen extension opening a span per operation (named
// "graphql <operation type> <name>") and per resolver call ("graphql.field
// <Type.field>"), from the provider given (the global one when nil, looked
// up on each operation so SetupTracing may run later).
func Tracing(tp trace.TracerProvider) graphql.HandlerExtension { return gqlTracing{tp} }

type gqlTracing struct{ tp trace.TracerProvider }

func (t gqlTracing) tracer() trace.Tracer {
	if t.tp != nil {
		return t.tp.Tracer(instrumentation)
	}
	return otel.GetTracerProvider().Tracer(instrumentation)
}

func (gqlTracing) ExtensionName() string                   { return "OpenTelemetryTracing" }
func (gqlTracing) Validate(graphql.ExecutableSchema) error { return nil }

func (t gqlTracing) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	name, opType := "", ""
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		name = operationName(oc)
		if oc.Operation != nil {
			opType = string(oc.Operation.Operation)
		}
	}
	ctx, span := t.tracer().Start(ctx, strings.TrimSpace("graphql "+opType+" "+name), trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("graphql.operation.name", name), attribute.String("graphql.operation.type", opType)))
	defer span.End()
	resp := next(ctx)
	if o := outcome(resp); o != "ok" {
		span.SetStatus(codes.Error, o)
		span.SetAttributes(attribute.String("graphql.error.code", o))
	}
	return resp
}

func (t gqlTracing) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !fc.IsResolver || !trace.SpanFromContext(ctx).IsRecording() {
		return next(ctx) // no span for the operation (tracing off, or not sampled): none per field
	}
	ctx, span := t.tracer().Start(ctx, "graphql.field "+fc.Object+"."+fc.Field.Name,
		trace.WithAttributes(attribute.String("graphql.field.path", fc.Path().String())))
	defer span.End()
	res, err := next(ctx)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	return res, err
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
	graphql.FieldInterceptor
} = gqlTracing{}

// HTTPTracing opens a server span per request, continuing a trace the
// client sent (W3C traceparent), named by the route pattern that served it.
func HTTPTracing(tp trace.TracerProvider, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tracer := gqlTracing{tp}.tracer()
		ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer.Start(ctx, "HTTP "+r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", r.URL.Path)))
		defer span.End()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		r = r.WithContext(ctx)
		next.ServeHTTP(sw, r)
		if r.Pattern != "" {
			span.SetName(r.Pattern)
			span.SetAttributes(attribute.String("http.route", r.Pattern))
		}
		span.SetAttributes(attribute.Int("http.response.status_code", sw.code))
		if sw.code >= 500 {
			span.SetStatus(codes.Error, http.StatusText(sw.code))
		}
	})
}
