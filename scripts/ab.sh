#!/usr/bin/env bash
# CPU per search of one or more builds, on the same index and load (issue 18): each
# binary serves INDEX with the response cache off, gets a 5 s warm-up, then SECONDS
# of wrk (scripts/load.lua: the queries of scripts/queries.txt, facets and three
# snippets per hit) at CONNECTIONS; its CPU time is read from /proc/PID/stat before
# and after. Run binaries alternately, twice, to see the noise:
#
#   scripts/ab.sh INDEX OLD_BIN NEW_BIN OLD_BIN NEW_BIN
#   SECONDS_=15 CONNECTIONS=64 scripts/ab.sh /tmp/vntc-index target/release/kehoach
#   scripts/ab.sh - OLD_BIN@OLD_INDEX NEW_BIN@NEW_INDEX     (a build whose schema differs)
#
# Needs wrk (apt-get install wrk). Build a VNTC index with
#   target/release/kehoach ingest --index /tmp/vntc-index ../shared/corpora/vntc-news-84k.jsonl.gz
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
INDEX=$1
shift
SECS=${SECONDS_:-15}
CONN=${CONNECTIONS:-16}
PORT=${PORT:-7788}
TICK=$(getconf CLK_TCK)
for ARG in "$@"; do
  BIN=${ARG%%@*}
  IDX=$INDEX
  [[ $ARG == *@* ]] && IDX=${ARG#*@}
  "$BIN" serve --index "$IDX" --corpus /nonexistent --addr "127.0.0.1:$PORT" --cache 0 \
    > "/tmp/kehoach-ab-$PORT.log" 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    curl -fsS "127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && break
    sleep 1
  done
  wrk -t2 -c"$CONN" -d5s -s scripts/load.lua "http://127.0.0.1:$PORT" > /dev/null
  T0=$(awk '{print $14 + $15}' "/proc/$PID/stat")
  OUT=$(wrk -t2 -c"$CONN" -d"${SECS}s" --latency -s scripts/load.lua "http://127.0.0.1:$PORT")
  T1=$(awk '{print $14 + $15}' "/proc/$PID/stat")
  REQ=$(grep -o "[0-9]* requests in" <<< "$OUT" | awk '{print $1}')
  ERR=$(grep -o "Non-2xx or 3xx responses: [0-9]*" <<< "$OUT" | awk '{print $NF}' || true)
  CPU=$(echo "scale=3; ($T1 - $T0) * 1000 / $TICK / $REQ" | bc)
  P50=$(awk '$1 == "50%" {print $2}' <<< "$OUT")
  P99=$(awk '$1 == "99%" {print $2}' <<< "$OUT")
  RPS=$(awk '/Requests\/sec/ {print $2}' <<< "$OUT")
  echo "$ARG: $REQ searches (${ERR:-0} errors) at $CONN connections: $CPU CPU-ms/search, $RPS req/s, p50 $P50, p99 $P99"
  kill "$PID"
  wait "$PID" 2> /dev/null || true
  trap - EXIT
done
