#!/usr/bin/env bash
# The benchmark's own Neo4j, for the scale runs: scripts/neo4j.sh with its
# own home under bench/.work/ and its own Bolt port, so the shared database
# (.neo4j/, :7687) is never touched. The jars are the checkout's.
#
#   bench/neo4j.sh start|stop|status NAME   the server in bench/.work/neo4j-NAME
#
# Settings: BENCH_NEO4J_PORT (7697), BENCH_NEO4J_HEAP (1g),
# BENCH_NEO4J_PAGECACHE (1g), BENCH_NEO4J_TX_MEMORY (512m per transaction) and
# BENCH_NEO4J_TX_TOTAL_MEMORY (800m for all), NEO4J_START_TIMEOUT seconds (180).
# The transaction limits are above the shared server's (128m/320m): growing
# the graph ×100 and the whole-country queries at ×100 need more, and all
# three targets read this one server under the same limits.
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmd=${1:?usage: $0 start|stop|status NAME}
name=${2:?usage: $0 start|stop|status NAME}

NEO4J_HOME="$bench/.work/neo4j-$name" \
	NEO4J_BOLT_PORT=${BENCH_NEO4J_PORT:-7697} \
	NEO4J_HEAP=${BENCH_NEO4J_HEAP:-1g} \
	NEO4J_PAGECACHE=${BENCH_NEO4J_PAGECACHE:-1g} \
	NEO4J_TX_MEMORY=${BENCH_NEO4J_TX_MEMORY:-512m} \
	NEO4J_TX_TOTAL_MEMORY=${BENCH_NEO4J_TX_TOTAL_MEMORY:-800m} \
	NEO4J_START_TIMEOUT=${NEO4J_START_TIMEOUT:-180} \
	exec "$(dirname "$bench")/scripts/neo4j.sh" "$cmd"
