package main

import "runtime/debug"

// The collector's defaults for this server. Its heap is small and short
// lived: one answer's decoded values, gone when it is written. With Go's
// default (GOGC=100) the collector ran after every few nested answers and
// took about a quarter of the server's CPU; at 400 it runs a quarter as
// often (BenchmarkWorkloadInProcess, bench/README.md "Garbage collection").
// The soft memory limit makes it collect harder as the heap nears 512 MiB,
// so a burst of large answers costs CPU, not memory. GOGC and GOMEMLIMIT,
// when set, are the runtime's own settings and are left as they are.
const (
	defaultGCPercent   = 400
	defaultMemoryLimit = 512 << 20
)

// tuneGC applies the defaults that the environment does not set and
// returns the settings in force.
func tuneGC(getenv func(string) string) (percent int, limit int64) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}
