#!/usr/bin/env bash
# Runs a command with a Neo4j available: the one at NEO4J_URI if set,
# otherwise the local server from scripts/neo4j.sh.
#   with-neo4j.sh keep -- CMD...   leave a server it started running
#   with-neo4j.sh stop -- CMD...   stop a server it started when CMD ends
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=$1
shift
[ "${1:-}" = "--" ] && shift

if [ -n "${NEO4J_URI:-}" ]; then
	exec "$@"
fi

started=no
if ! "$here/neo4j.sh" status >/dev/null 2>&1; then
	"$here/neo4j.sh" start
	started=yes
fi
NEO4J_URI=$("$here/neo4j.sh" uri)
export NEO4J_URI
if [ "$mode" = stop ] && [ "$started" = yes ]; then
	trap '"$here/neo4j.sh" stop' EXIT
	"$@"
else
	# Nothing to do afterwards: become CMD, so that a signal to our parent
	# (make forwards SIGTERM to its children) reaches CMD itself.
	exec "$@"
fi
