// Command bench is the ICS Graph benchmark harness (issue #6): our GraphQL
// server side by side with the Neo4j GraphQL Library (the peer) and with
// hand-written Cypher (the limit), over the same Neo4j data, and how cost
// grows when the graph is grown ×10 and ×100. bench/run.sh drives it; see
// bench/README.md.
//
//	bench cypher-server [-addr 127.0.0.1:18081] [-uri bolt://…]   the raw-Cypher limit over HTTP
//	bench run [flags]                                             check answers, then measure (see run.go)
//	bench snapshot -uri bolt://… -source bolt://…                  cut a seeded database to the facts of its newest date (see snapshot.go)
//	bench scale -uri bolt://… -factor N                           grow a snapshot ×N (see scale.go)
//	bench report results/*.json                                   print the tables (see report.go)
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench cypher-server|run|snapshot|scale|report [flags]")
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "cypher-server":
		err = serveCypher(args)
	case "run":
		err = runBench(args)
	case "scale":
		err = scaleGraph(args)
	case "snapshot":
		err = snapshotGraph(args)
	case "report":
		err = report(args)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
