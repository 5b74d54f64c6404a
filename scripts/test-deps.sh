#!/usr/bin/env bash
# Installs what the browser and export tests need beyond Go and Neo4j:
# Chromium (Debian's package) for the page tests, Python 3 with the pinned
# NetworkX, python-igraph and pandas (requirements-test.txt) for reading exports
# back and running the README's Python snippets. Idempotent.
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
# every pinned package (requirements-test.txt) at its pinned version
if ! python3 - <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
ok = True
for line in open("requirements-test.txt"):
    line = line.split("#")[0].strip()
    if "==" not in line:
        continue
    name, want = line.split("==")
    try:
        ok = ok and version(name) == want
    except PackageNotFoundError:
        ok = False
sys.exit(0 if ok else 1)
PY
then
	echo "test-deps: installing $(grep -v '^#' requirements-test.txt | tr '\n' ' ')"
	python3 -m pip install -q -r requirements-test.txt 2>/dev/null ||
		python3 -m pip install -q --break-system-packages -r requirements-test.txt
fi
echo "test-deps: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), $(python3 -c 'import networkx, igraph, pandas; print("networkx", networkx.__version__, "python-igraph", igraph.__version__, "pandas", pandas.__version__)')"
