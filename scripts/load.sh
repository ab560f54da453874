#!/usr/bin/env bash
# Load test of the search API on loopback.
#
#   scripts/load.sh [BASE_URL] [DURATION]        (defaults: http://127.0.0.1:8080 30s)
#
# Start a server first, e.g. on the 84k-article news corpus:
#   cargo build --release
#   target/release/kehoach ingest /path/to/vntc-news-84k.jsonl.gz --index /tmp/vntc-index
#   target/release/kehoach serve --index /tmp/vntc-index --corpus /nonexistent --addr 127.0.0.1:8080
#
# Every request is GET /api/search?q=… with facet counts and 3-fragment snippets, cycling
# through the queries of scripts/queries.txt (single syllables, 2–4 syllable phrases,
# unaccented variants, quoted phrases, exclusions, OR). Runs wrk (apt-get install wrk)
# at 16 and 64 connections and prints throughput, the latency distribution and errors.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:-http://127.0.0.1:8080}"
DURATION="${2:-30s}"
THREADS="${THREADS:-2}"
command -v wrk >/dev/null || { echo "load.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
curl -fsS "$BASE/healthz" || { echo "load.sh: no server at $BASE" >&2; exit 1; }
echo
echo "queries: $(grep -c . scripts/queries.txt) from scripts/queries.txt"
for c in 16 64; do
  echo
  echo "== $c connections, $THREADS threads, $DURATION =="
  QUERIES=scripts/queries.txt wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency -s scripts/load.lua "$BASE"
done
