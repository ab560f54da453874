#!/usr/bin/env bash
# Checks the HTTP API against its own OpenAPI description with an independent
# client: Schemathesis (PyPI) reads /openapi.json from a `kehoach serve` on the
# shipped corpus and sends generated requests — valid ones and, with negative
# data, ones that break the description — running every check (server errors,
# status codes, content types, response schemas, headers, positive data
# accepted, negative data rejected, unsupported methods…). Exits non-zero on any
# failure.
#
#   scripts/api-check.sh            # ~2–4 minutes after the build
#
# Environment:
#   KEHOACH_BIN          a built kehoach binary (default: cargo build, then target/debug/kehoach)
#   API_CHECK_VENV       where the Python venv lives (default: target/api-check/venv, reused)
#   API_CHECK_EXAMPLES   test cases per operation and phase (default: 100)
#   API_CHECK_SEED       Schemathesis seed (default: 1, so runs are reproducible)
#
# Skips (exit 0, "skipping: …") when python3, its venv module or PyPI is not
# available. schemathesis.toml next to this script holds the few settings the
# description cannot carry; each is explained there.

set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

skip() {
    echo "api-check: skipping: $*"
    exit 0
}

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
python3 -c 'import venv, ensurepip' 2>/dev/null || skip "python3 has no venv/ensurepip module"

venv=${API_CHECK_VENV:-$root/target/api-check/venv}
if [ ! -x "$venv/bin/st" ]; then
    echo "api-check: installing Schemathesis into $venv"
    python3 -m venv "$venv" >/dev/null 2>&1 || skip "python3 -m venv failed"
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        'schemathesis>=4.32,<5' 2>"$venv.pip.log"; then
        tail -3 "$venv.pip.log" >&2 || true
        rm -rf "$venv"
        skip "cannot install Schemathesis from PyPI (offline?)"
    fi
fi

bin=${KEHOACH_BIN:-}
if [ -z "$bin" ]; then
    cargo build --quiet --bin kehoach
    bin=$root/target/debug/kehoach
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kehoach-api-check.XXXXXX")
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# A free port on the loopback interface.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"

started=$(date +%s)
"$bin" serve --index "$tmp/index" --corpus corpus --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen('$base/healthz', timeout=1)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$tmp/serve.log" >&2
        echo "api-check: kehoach serve exited before answering" >&2
        exit 1
    fi
    sleep 0.5
done
echo "api-check: serving the corpus at $base ($(($(date +%s) - started)) s to index and start)"

cd "$tmp"   # Schemathesis keeps a cache in its working directory
set +e
"$venv/bin/st" --config-file "$root/scripts/schemathesis.toml" run "$base/openapi.json" \
    --checks all \
    --mode all \
    --max-examples "${API_CHECK_EXAMPLES:-100}" \
    --seed "${API_CHECK_SEED:-1}" \
    --workers 2 \
    --request-timeout 30 \
    --report junit --report-dir "$tmp/report" \
    --warnings off
status=$?
set -e
echo "api-check: Schemathesis exited with $status after $(($(date +%s) - started)) s"
if [ "$status" -ne 0 ]; then
    echo "api-check: server log (last 40 lines):" >&2
    tail -40 "$tmp/serve.log" >&2
fi
exit "$status"
