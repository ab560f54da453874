#!/usr/bin/env bash
# Load test over a mix of endpoints on loopback.
#
#   scripts/load-mix.sh [BASE_URL] [DURATION] [CONNECTIONS]   (defaults: http://127.0.0.1:8080 60s 64)
#
# Environment: THREADS (wrk threads, default 2), WARMUP (default 10s; 0 skips it),
# TOP_SHAPES (how many of the three /api/stats/top shapes to use, default 3),
# WARM_ONLY=1 (only warm the top-n-gram shapes and exit), PER_KIND (default 10s: afterwards each kind alone for that long at the same
# concurrency, for per-endpoint p50/p99; 0 skips), TIMEOUT (wrk's per-request
# timeout, default 30s, so slow answers are measured instead of dropped).
#
# Start a server first, e.g. on the 84k-article news index:
#   cargo build --release
#   target/release/kehoach serve --index /tmp/vntc-index --corpus /nonexistent --addr 127.0.0.1:8080
#
# The mix (weights in scripts/load-mix.lua): /api/search with facets and snippets (the
# queries of scripts/queries.txt, one in five sorted by date) 35%, /api/documents/{id}
# 20% (ids sampled first through /api/search), /api/stats/frequency 10%,
# /api/stats/kwic 10%, CSV exports (kwic 500 lines / frequency by year, format=csv) 15%,
# /api/facets 5%, /api/stats/top 5% (three shapes, warmed first). Statistics terms are the plain queries (no quotes,
# exclusions or OR). Every non-2xx answer is an error; the RESULT lines give requests,
# req/s, p50/p90/p99/max latency, non-2xx and socket errors.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:-http://127.0.0.1:8080}"
DURATION="${2:-60s}"
CONNECTIONS="${3:-64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-10s}"
PER_KIND="${PER_KIND:-10s}"
TIMEOUT="${TIMEOUT:-30s}"
for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "load-mix.sh: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
curl -fsS "$BASE/healthz" >/dev/null || { echo "load-mix.sh: no server at $BASE" >&2; exit 1; }

WORK="$(mktemp -d /tmp/kehoach-load-mix.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export QUERIES=scripts/queries.txt TERMS="$WORK/terms.txt" IDS="$WORK/ids.txt" TOPS="$WORK/tops.txt"

# /api/stats/top over a whole large corpus is computed once per request shape and then
# cached (64 shapes, src/stats/mod.rs); cold, on 84k articles, it takes longer than the
# server's 10 s timeout (408, while the computation finishes and fills the cache).
# The mix uses three shapes, warmed here one at a time before any load.
printf '%s\n' \
  "/api/stats/top?n_min=1&n_max=2&limit=50" \
  "/api/stats/top?n_min=2&n_max=3&limit=20&unit=words" \
  "/api/stats/top?n_min=1&n_max=1&limit=100&hide_stopwords=false" | head -n "${TOP_SHAPES:-3}" > "$TOPS"
while IFS= read -r path; do
  started=$(date +%s)
  # A 408 leaves the computation running; every retry starts another one (there is
  # no single-flight), so poll slowly.
  for _ in $(seq 1 40); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")
    [ "$code" = 200 ] && break
    sleep 30
  done
  echo "warmed $path: $code after $(( $(date +%s) - started )) s"
done < "$TOPS"
[ "${WARM_ONLY:-0}" = 1 ] && exit 0

# Statistics terms: the plain queries.
grep -v -e '"' -e '^-' -e ' -' -e ' OR ' scripts/queries.txt | grep . > "$TERMS"
# Document ids: the hits of the first 20 queries (percent-encoded for the path).
head -n 20 scripts/queries.txt | while IFS= read -r q; do
  curl -fsS -G "$BASE/api/search" --data-urlencode "q=$q" --data-urlencode "limit=100" \
    | jq -r '.hits[].id | @uri'
done | sort -u > "$IDS"
[ -s "$IDS" ] || { echo "load-mix.sh: no document ids found through /api/search" >&2; exit 1; }
echo "queries: $(wc -l < "$QUERIES"), statistics terms: $(wc -l < "$TERMS"), document ids: $(wc -l < "$IDS")"

run() { # DURATION CONNECTIONS [ONLY]
  ONLY="${3:-}" wrk -t"$THREADS" -c"$2" -d"$1" --timeout "$TIMEOUT" --latency -s scripts/load-mix.lua "$BASE"
}

if [ "$WARMUP" != 0 ]; then
  echo; echo "== warm-up: $WARMUP, 8 connections (not part of the figures) =="
  run "$WARMUP" 8 | grep -E '^(RESULT|status codes)'
fi
echo; echo "== mix: $CONNECTIONS connections, $THREADS threads, $DURATION =="
run "$DURATION" "$CONNECTIONS"
if [ "$PER_KIND" != 0 ]; then
  echo; echo "== each kind alone: $CONNECTIONS connections, $PER_KIND =="
  for kind in search facets document frequency kwic top csv; do
    run "$PER_KIND" "$CONNECTIONS" "$kind" | grep -E '^(RESULT|status codes)'
  done
fi
