package main

import wl "github.com/icsgraph/icsgraph/bench/workload"

// Query is one logical query of the workload (bench/workload).
type Query = wl.Query

func workload() []Query   { return wl.Workload() }
func traversals() []Query { return wl.Traversals() }
