#!/usr/bin/env bash
# make bench-compare: ICS Graph side by side with the Neo4j GraphQL Library
# (the peer) and hand-written Cypher (the limit), then how cost grows when the
# graph is grown ×10 and ×100. Prints the tables and writes bench/results/*.json
# and bench/results/summary.md. See bench/README.md.
#
# All of it runs on a SNAPSHOT: the time-aware graph cut to the facts that hold
# on its newest date (Release.dataTo), so that the peer and the raw Cypher,
# which know nothing of validFrom/validTo, answer as of the same date as our
# server (which keeps its validity filters). The ×1 snapshot is the seed
# loader's output in the benchmark's own Neo4j cut by `bench snapshot` and
# checked against the shared database (NEO4J_URI, default
# bolt://127.0.0.1:7687, loaded with `go run ./seed -if-empty`; only read);
# ×10 and ×100 are copies of the snapshot grown by `bench scale`.
#
# Needs Go, Node 20+, Java and Maven (scripts/neo4j.sh installs them). The
# benchmark's own Neo4j is bench/neo4j.sh (port BENCH_NEO4J_PORT, default
# 7697); its databases are built once and kept in bench/.work/neo4j-x<N> until
# seed/data, what a load writes, or the snapshot and scale code change.
#
# Settings (environment), defaults in brackets:
#   BENCH_DURATION [5s] BENCH_ROUNDS [2] BENCH_WARMUP [1500ms] BENCH_CONC [1,16,64]
#   BENCH_SCALES ["1 10 100"; empty skips the scale runs]
#   BENCH_SCALE_DURATION [2s] BENCH_SCALE_CONC [1,16]
#   BENCH_RESULTS [bench/results]: where the JSON and summary.md go
#   BENCH_PORT_OURS [18080] BENCH_PORT_PEER [14000] BENCH_PORT_CYPHER [18081] BENCH_PORT_CACHED [18082]
# Ours runs twice: RESPONSE_CACHE=off (the uncached rows, compared with the
# targets) and with the cache on (the cached rows, side-by-side run only).
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
work="$bench/.work"
bin="$work/bin"
logs="$work/logs"
results=${BENCH_RESULTS:-"$bench/results"}
mkdir -p "$bin" "$logs" "$results"
export BENCH_DIR="$bench"

main_uri=${NEO4J_URI:-bolt://127.0.0.1:7687}
db=${NEO4J_DATABASE:-neo4j}
duration=${BENCH_DURATION:-5s}
rounds=${BENCH_ROUNDS:-2}
warmup=${BENCH_WARMUP:-1500ms}
conc=${BENCH_CONC:-1,16,64}
scales=${BENCH_SCALES-1 10 100}
scale_duration=${BENCH_SCALE_DURATION:-2s}
scale_conc=${BENCH_SCALE_CONC:-1,16}
scale_port=${BENCH_NEO4J_PORT:-7697}
port_ours=${BENCH_PORT_OURS:-18080}
port_peer=${BENCH_PORT_PEER:-14000}
port_cypher=${BENCH_PORT_CYPHER:-18081}
port_cached=${BENCH_PORT_CACHED:-18082}

log() { printf '\n== bench: %s\n' "$*" >&2; }
started=$(date +%s)

# --- build --------------------------------------------------------------
log "building our server, the seed loader and the harness"
(cd "$root" && go build -o "$bin/icsgraph" ./server && go build -o "$bin/seed" ./seed && go build -o "$bin/bench" ./bench)
if ! [ -d "$bench/peer/node_modules/@neo4j/graphql" ] || [ "$bench/peer/package-lock.json" -nt "$bench/peer/node_modules/.package-lock.json" ]; then
	log "installing the peer (npm ci)"
	(cd "$bench/peer" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- servers --------------------------------------------------------------
# Only the processes started here are ever stopped, by their pids.
pids=()
pid_ours=0 pid_peer=0 pid_cypher=0 pid_cached=0

wait_http() { # url name pid
	for _ in $(seq 1 120); do
		if curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"query":"lookup","variables":{"code":"RJ1"}}' "$1" 2>/dev/null ||
			curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' "$1" 2>/dev/null; then
			return 0
		fi
		kill -0 "$3" 2>/dev/null || { echo "bench: $2 exited; see $logs/$2.log" >&2; tail -n 20 "$logs/$2.log" >&2; return 1; }
		sleep 0.5
	done
	echo "bench: $2 did not answer at $1" >&2
	return 1
}

start_servers() { # neo4j-uri tag
	local uri=$1 tag=$2
	HOST=127.0.0.1 PORT=$port_ours NEO4J_URI=$uri NEO4J_DATABASE=$db RESPONSE_CACHE=off "$bin/icsgraph" >"$logs/ours-$tag.log" 2>&1 &
	pid_ours=$!
	HOST=127.0.0.1 PORT=$port_cached NEO4J_URI=$uri NEO4J_DATABASE=$db RESPONSE_CACHE=on "$bin/icsgraph" >"$logs/ours-cached-$tag.log" 2>&1 &
	pid_cached=$!
	(cd "$bench/peer" && exec env PEER_PORT=$port_peer NEO4J_URI=$uri NEO4J_DATABASE=$db node server.mjs) >"$logs/peer-$tag.log" 2>&1 &
	pid_peer=$!
	"$bin/bench" cypher-server -addr "127.0.0.1:$port_cypher" -uri "$uri" -db "$db" >"$logs/cypher-$tag.log" 2>&1 &
	pid_cypher=$!
	pids=("$pid_ours" "$pid_peer" "$pid_cypher" "$pid_cached")
	wait_http "http://127.0.0.1:$port_ours/graphql" "ours-$tag" "$pid_ours"
	wait_http "http://127.0.0.1:$port_peer/graphql" "peer-$tag" "$pid_peer"
	wait_http "http://127.0.0.1:$port_cypher/graphql" "cypher-$tag" "$pid_cypher"
	wait_http "http://127.0.0.1:$port_cached/graphql" "ours-cached-$tag" "$pid_cached"
}

stop_servers() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	pids=()
}

scale_running=""
cleanup() {
	stop_servers
	if [ -n "$scale_running" ]; then
		"$bench/neo4j.sh" stop "$scale_running" || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run_bench() { # label uri extra-args...
	local label=$1 uri=$2
	shift 2
	"$bin/bench" run -label "$label" -out "$results/$label.json" -neo4j "$uri" \
		-ours "http://127.0.0.1:$port_ours/graphql" -ours-pid "$pid_ours" \
		-peer "http://127.0.0.1:$port_peer/graphql" -peer-pid "$pid_peer" \
		-cypher "http://127.0.0.1:$port_cypher/graphql" -cypher-pid "$pid_cypher" \
		-rounds "$rounds" -traversals "$@"
}

# --- how cost grows ---------------------------------------------------------
# Each size is its own Neo4j home (bench/.work/neo4j-x<N>), built once: ×1 is
# the seed loader's output cut to the snapshot; ×N is a copy of ×1 grown by
# `bench scale`.
# Rebuilt when seed/data, what a load writes (internal/dataset/graph.go, the
# graph format in internal/store/release.go) or the snapshot and scale code
# change.
data_hash=$( (cd "$root" && cat seed/data/* internal/dataset/graph.go internal/store/release.go bench/snapshot.go bench/scale.go) | sha256sum | cut -c1-16)
ensure_scale_db() { # factor
	local f=$1 home="$work/neo4j-x$1"
	if [ -f "$home/ready" ] && [ "$(cat "$home/ready")" = "$data_hash" ]; then
		return
	fi
	log "building the ×$f database (once; kept in $home)"
	rm -rf "$home"
	if [ "$f" = 1 ]; then
		"$bench/neo4j.sh" start x1
		scale_running=x1
		NEO4J_URI="bolt://127.0.0.1:$scale_port" NEO4J_DATABASE=neo4j "$bin/seed" -quiet
		"$bin/bench" snapshot -uri "bolt://127.0.0.1:$scale_port" -source "$main_uri"
	else
		ensure_scale_db 1
		cp -a "$work/neo4j-x1" "$home"
		rm -f "$home/ready" "$home/run/"*
		"$bench/neo4j.sh" start "x$f"
		scale_running="x$f"
		"$bin/bench" scale -uri "bolt://127.0.0.1:$scale_port" -factor "$f"
	fi
	"$bench/neo4j.sh" stop "$scale_running"
	scale_running=""
	echo "$data_hash" >"$home/ready"
}

# --- side by side on the ×1 snapshot -----------------------------------------
# Every database first (building is heavy work, kept out of the timed runs,
# and a failure shows before the long part).
ensure_scale_db 1
for f in $scales; do
	ensure_scale_db "$f"
done
log "side by side on the snapshot (×1)"
"$bench/neo4j.sh" start x1
scale_running=x1
uri="bolt://127.0.0.1:$scale_port"
start_servers "$uri" main
run_bench compare "$uri" -conc "$conc" -duration "$duration" -warmup "$warmup" \
	-ours-cached "http://127.0.0.1:$port_cached/graphql" -ours-cached-pid "$pid_cached"
stop_servers
"$bench/neo4j.sh" stop x1
scale_running=""
files=("$results/compare.json")

for f in $scales; do
	ensure_scale_db "$f"
	log "scale ×$f"
	"$bench/neo4j.sh" start "x$f"
	scale_running="x$f"
	uri="bolt://127.0.0.1:$scale_port"
	start_servers "$uri" "x$f"
	run_bench "scale-x$f" "$uri" -conc "$scale_conc" -duration "$scale_duration" -warmup 1s
	stop_servers
	"$bench/neo4j.sh" stop "x$f"
	scale_running=""
	files+=("$results/scale-x$f.json")
done

# --- report -----------------------------------------------------------------
log "report (also in $results/summary.md)"
"$bin/bench" report "${files[@]}" | tee "$results/summary.md"
echo "bench: done in $(($(date +%s) - started))s" >&2
