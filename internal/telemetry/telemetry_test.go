package telemetry

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace/noop"
)

func TestSetupTracing(t *testing.T) {
	defer otel.SetTracerProvider(noop.NewTracerProvider())
	for _, tc := range []struct {
		name    string
		env     map[string]string
		enabled bool
		fails   bool
	}{
		{"off by default", nil, false, false},
		{"none", map[string]string{"OTEL_TRACES_EXPORTER": "none"}, false, false},
		{"console", map[string]string{"OTEL_TRACES_EXPORTER": "console"}, true, false},
		{"otlp over http", map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, true, false},
		{"otlp over grpc is not built in", map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, false, true},
		{"unknown exporter", map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}, false, true},
		{"SDK disabled wins", map[string]string{"OTEL_TRACES_EXPORTER": "console", "OTEL_SDK_DISABLED": "true"}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shutdown, enabled, err := SetupTracing(context.Background(), func(k string) string { return tc.env[k] })
			if (err != nil) != tc.fails || enabled != tc.enabled {
				t.Fatalf("SetupTracing = enabled %v, err %v; want enabled %v, failure %v", enabled, err, tc.enabled, tc.fails)
			}
			if err := shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestBoundedNames(t *testing.T) {
	b := &boundedNames{seen: map[string]bool{}, max: 3}
	for _, tc := range []struct{ in, want string }{
		{"", "anonymous"},
		{"One", "One"},
		{"bad name!", "invalid"},
		{"Two", "Two"},
		{"Three", "Three"},
		{"Four", "other"}, // over the limit
		{"One", "One"},    // known names stay
	} {
		if got := b.label(tc.in); got != tc.want {
			t.Errorf("label(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := b.label(strings.Repeat("a", 70)); got != "invalid" {
		t.Errorf("a 70-character name gave %q", got)
	}
}
