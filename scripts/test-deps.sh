#!/usr/bin/env bash
# Installs what the browser and export tests need beyond Go and Neo4j:
# Chromium (Debian's package) for the page tests, Python 3 with the pinned
# NetworkX (requirements-test.txt) for reading exports back. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM:-}" ]; then
	echo "test-deps: installing chromium"
	apt_install chromium
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "test-deps: installing python3"
	apt_install python3 python3-pip
fi
if ! python3 -c 'import networkx' >/dev/null 2>&1 || ! python3 - <<'PY'
import sys, networkx
want = [l.split("==")[1].strip() for l in open("requirements-test.txt") if l.startswith("networkx==")][0]
sys.exit(0 if networkx.__version__ == want else 1)
PY
then
	echo "test-deps: installing $(grep '^networkx==' requirements-test.txt)"
	python3 -m pip install -q -r requirements-test.txt 2>/dev/null ||
		python3 -m pip install -q --break-system-packages -r requirements-test.txt
fi
echo "test-deps: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), networkx $(python3 -c 'import networkx; print(networkx.__version__)')"
