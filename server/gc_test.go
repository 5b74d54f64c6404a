package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
	for _, tc := range []struct {
		name        string
		env         map[string]string
		wantPercent int
		wantLimit   int64
	}{
		{"defaults", nil, defaultGCPercent, defaultMemoryLimit},
		{"GOGC set: the runtime's", map[string]string{"GOGC": "100"}, 100, defaultMemoryLimit},
		{"GOMEMLIMIT set: the runtime's", map[string]string{"GOMEMLIMIT": "1GiB"}, defaultGCPercent, math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// As the runtime would have read them at start.
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			p, l := tuneGC(func(k string) string { return tc.env[k] })
			if p != tc.wantPercent || l != tc.wantLimit {
				t.Errorf("tuneGC = %d, %d; want %d, %d", p, l, tc.wantPercent, tc.wantLimit)
			}
			if got := debug.SetGCPercent(-1); got != tc.wantPercent {
				t.Errorf("GC percent in force %d, want %d", got, tc.wantPercent)
			}
			debug.SetGCPercent(tc.wantPercent)
		})
	}
}
