#!/usr/bin/env bash
# A local Neo4j Community server without Docker: the jars come from Maven
# Central (neo4j/pom.xml pins the version), data and logs stay in .neo4j/ inside
# this checkout, Bolt listens on 127.0.0.1 only.
#
#   scripts/neo4j.sh start    fetch jars if needed, start, wait until Bolt answers
#   scripts/neo4j.sh stop     stop the server this checkout started
#   scripts/neo4j.sh status   say whether it runs
#   scripts/neo4j.sh uri      print the bolt URI
#
# Settings (environment): NEO4J_BOLT_PORT (7687), NEO4J_HEAP (512m),
# NEO4J_PAGECACHE (256m), NEO4J_TX_MEMORY (128m: the most one transaction may
# use; a runaway query fails its transaction instead of exhausting the heap),
# NEO4J_TX_TOTAL_MEMORY (320m: all transactions together), NEO4J_START_TIMEOUT
# seconds (120), NEO4J_HOME
# (.neo4j; another folder runs a second, independent server, e.g. for the
# scale benchmarks, with another NEO4J_BOLT_PORT).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
home=${NEO4J_HOME:-$root/.neo4j} # data, logs, conf and pid of this server
lib="$root/.neo4j/lib"             # the jars, shared by every server of this checkout
port=${NEO4J_BOLT_PORT:-7687}
heap=${NEO4J_HEAP:-512m}
pagecache=${NEO4J_PAGECACHE:-256m}
txmemory=${NEO4J_TX_MEMORY:-128m}
txtotal=${NEO4J_TX_TOTAL_MEMORY:-320m}
timeout=${NEO4J_START_TIMEOUT:-120}
pidfile="$home/run/neo4j.pid"
version=$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$root/neo4j/pom.xml")

log() { printf 'neo4j: %s\n' "$*" >&2; }

need_tools() {
	local missing=()
	command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
	command -v mvn >/dev/null 2>&1 || missing+=(maven)
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]} (Debian packages)"
		if [ "$(id -u)" -eq 0 ]; then
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
		else
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
		fi
	fi
}

fetch_jars() {
	if [ -f "$lib/.version" ] && [ "$(cat "$lib/.version")" = "$version" ]; then
		return
	fi
	need_tools
	log "fetching Neo4j Community $version from Maven Central into $lib"
	rm -rf "$lib"
	# Maven's console library prints colour codes even with -q; drop them.
	mvn -q -B -Dstyle.color=never -f "$root/neo4j/pom.xml" dependency:copy-dependencies \
		-DoutputDirectory="$lib" -DincludeScope=runtime 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
	echo "$version" >"$lib/.version"
}

running() {
	[ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

bolt_answers() {
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

write_conf() {
	mkdir -p "$home/conf" "$home/data" "$home/logs" "$home/run" "$home/plugins" "$home/import"
	cat >"$home/conf/neo4j.conf" <<EOF
# Written by scripts/neo4j.sh; edits are overwritten at the next start.
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$port
server.bolt.advertised_address=127.0.0.1:$port
server.http.enabled=false
server.https.enabled=false
dbms.usage_report.enabled=false
dbms.security.auth_enabled=false
server.memory.pagecache.size=$pagecache
dbms.memory.transaction.total.max=$txtotal
db.memory.transaction.total.max=$txtotal
db.memory.transaction.max=$txmemory
server.directories.data=$home/data
server.directories.logs=$home/logs
server.directories.run=$home/run
server.directories.plugins=$home/plugins
server.directories.import=$home/import
server.directories.lib=$lib
dbms.security.procedures.unrestricted=apoc.*
EOF
}

start() {
	if running; then
		log "already running (pid $(cat "$pidfile")) on bolt://127.0.0.1:$port"
		return
	fi
	if bolt_answers; then
		log "port $port is taken by another process; set NEO4J_BOLT_PORT or NEO4J_URI"
		exit 1
	fi
	fetch_jars
	write_conf
	log "starting Neo4j $version on bolt://127.0.0.1:$port (heap $heap, page cache $pagecache)"
	local cp="$lib/*:$home/plugins/*"
	# neo4j.log survives restarts: only lines written by this start count.
	local seen
	seen=0
	[ -f "$home/logs/neo4j.log" ] && seen=$(wc -l <"$home/logs/neo4j.log")
	nohup java -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
		--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
		--add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
		-Dfile.encoding=UTF-8 -cp "$cp" org.neo4j.server.CommunityEntryPoint \
		--home-dir="$home" --config-dir="$home/conf" >"$home/logs/console.log" 2>&1 &
	echo $! >"$pidfile"
	local waited=0
	until awk -v seen="$seen" 'NR > seen && /Started\./ { ok = 1 } END { exit !ok }' "$home/logs/neo4j.log" 2>/dev/null && bolt_answers; do
		if ! running; then
			log "Neo4j exited during start; last lines of its logs:"
			tail -n 30 "$home/logs/console.log" "$home/logs/neo4j.log" 2>/dev/null >&2 || true
			exit 1
		fi
		if [ "$waited" -ge $((timeout * 2)) ]; then
			log "Bolt did not answer within ${timeout}s; last lines of its log:"
			tail -n 30 "$home/logs/neo4j.log" >&2 || true
			stop
			exit 1
		fi
		sleep 0.5
		waited=$((waited + 1))
	done
	log "ready after $((waited / 2))s (pid $(cat "$pidfile"))"
}

stop() {
	if ! running; then
		rm -f "$pidfile"
		return
	fi
	local pid
	pid=$(cat "$pidfile")
	log "stopping pid $pid"
	kill "$pid"
	for _ in $(seq 1 60); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "still running after 30s; killing"
		kill -9 "$pid" || true
	fi
	rm -f "$pidfile"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) if running; then echo "running (pid $(cat "$pidfile")) on bolt://127.0.0.1:$port"; else echo "stopped"; exit 3; fi ;;
uri) echo "bolt://127.0.0.1:$port" ;;
*) echo "usage: $0 start|stop|status|uri" >&2; exit 2 ;;
esac
