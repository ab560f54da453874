#!/usr/bin/env bash
# Where a search's CPU goes (issue 18): serves an index with the response cache off,
# loads it with wrk (scripts/load.lua, the queries of scripts/queries.txt), reads the
# server's CPU time from /proc over the run (CPU-ms per search), then samples it with
# perf and prints the flat profile.
#
#   scripts/profile.sh INDEX [SECONDS] [CONNECTIONS]     (defaults: 20 s, 16)
#
# Needs wrk and perf (apt-get install wrk linux-perf) and a release build
# (cargo build --release). Build a VNTC index with
#   target/release/kehoach ingest --index /tmp/vntc-index ../shared/corpora/vntc-news-84k.jsonl.gz
set -euo pipefail
cd "$(dirname "$0")/.."
INDEX="${1:?usage: scripts/profile.sh INDEX [SECONDS] [CONNECTIONS]}"
SECS="${2:-20}"
CONN="${3:-16}"
PORT="${PORT:-8093}"
BASE="http://127.0.0.1:$PORT"
for tool in wrk perf bc; do
  command -v "$tool" >/dev/null || { echo "profile.sh: $tool is not installed" >&2; exit 1; }
done
target/release/kehoach serve --index "$INDEX" --corpus /nonexistent --addr "127.0.0.1:$PORT" --cache 0 \
  > /tmp/kehoach-profile-serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 1; done
load() { QUERIES=scripts/queries.txt wrk -t2 -c"$CONN" -d"$1"s --latency -s scripts/load.lua "$BASE"; }
load 5 > /dev/null   # warm-up
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
T0=$(ticks)
OUT=$(load "$SECS")
T1=$(ticks)
REQ=$(grep -o "[0-9]* requests in" <<<"$OUT" | awk '{print $1}')
MS=$(( (T1 - T0) * 1000 / $(getconf CLK_TCK) ))
echo "$CONN connections, ${SECS} s: $REQ searches, server CPU $MS ms, $(echo "scale=2; $MS / $REQ" | bc) CPU-ms per search"
grep -E "Requests/sec|50%|99%" <<<"$OUT"
perf record -F 499 -g -p "$PID" -o /tmp/kehoach-profile.data -- sleep "$SECS" >/dev/null 2>&1 &
PERF=$!
load "$SECS" > /dev/null
wait "$PERF" || true
echo
echo "flat profile (self time), top 40:"
perf report -i /tmp/kehoach-profile.data --no-children --sort symbol --stdio -g none 2>/dev/null \
  | grep -v "^#" | grep "%" | sed 's/  */ /g' | cut -c1-160 | head -40
