#!/usr/bin/env bash
# Growth curve (issue 18): index VNTC repeated ×k (scripts/growth-corpus.py: new ids,
# lightly varied text) and measure, for each k, what grows.
#
#   scripts/growth.sh [K...]                  (default: 1 2 4 8)
#   BIN=target/release/kehoach WORK=/tmp/kehoach-growth scripts/growth.sh 1 2 4
#
# Environment: BIN (default target/release/kehoach; build with cargo build --release),
# WORK (corpora, indexes and logs; default /tmp/kehoach-growth), KEHOACH_SHARED
# (default ../shared), PORT (default 8095), SECS (wrk run, default 20), CONN (default
# 16), KEEP (k values whose index and corpus are kept, default "1"), INPROC (1: also
# run the in-process search bench, `cargo bench --bench ingest` with
# KEHOACH_BENCH_INDEX; default 1), NICE (niceness of everything, default 10).
# Needs python3, wrk, curl, bc and GNU time (/usr/bin/time; apt-get install wrk time).
#
# For each k, one row of WORK/growth.tsv and a line of Markdown on stdout:
#   docs, MB of text, distinct words and word bigrams of the corpus (the generator's
#   --stats); ingest wall s, CPU-ms per MB of text (user+sys of /usr/bin/time) and peak
#   RSS; index size (du) with its postings (.idx), positions (.pos), term dictionary
#   (.term) and document store (.store);
#   in-process search p50/p99 of the ingest bench's 240 typed queries;
#   `serve --cache 0` under wrk (scripts/load.lua, CONN connections, SECS s after a 5 s
#   warm-up): req/s, HTTP p50/p99 and server CPU-ms per search (from /proc/PID/stat,
#   as scripts/profile.sh), then VmHWM of that server;
#   on a second fresh server: the first GET /api/stats/top?n_min=1&n_max=3&limit=100
#   (cold top-100 1–3-grams) and the first GET /api/related/{id} (builds the citation
#   graph; the second call, graph cached, is subtracted): wall s and server CPU-s of
#   each, then VmHWM of that server.
# Skips (exit 0) without the shared corpora. Not part of `cargo test`.
# Fit and project the table: scripts/growth-fit.py WORK/growth.tsv (notes: /work/notes/growth.md).
set -euo pipefail
cd "$(dirname "$0")/.."
KS=("$@")
[ ${#KS[@]} -gt 0 ] || KS=(1 2 4 8)
BIN="${BIN:-target/release/kehoach}"
WORK="${WORK:-/tmp/kehoach-growth}"
SHARED="${KEHOACH_SHARED:-../shared}"
PORT="${PORT:-8095}"
SECS="${SECS:-20}"
CONN="${CONN:-16}"
KEEP="${KEEP:-1}"
INPROC="${INPROC:-1}"
NICE="${NICE:-10}"
SRC="$SHARED/corpora/vntc-news-84k.jsonl.gz"
BASE="http://127.0.0.1:$PORT"
if [ ! -f "$SRC" ]; then
  echo "growth.sh: skipped, $SRC not found (set KEHOACH_SHARED)"
  exit 0
fi
for tool in python3 wrk curl bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "growth.sh: $tool is not installed (apt-get install wrk time curl bc)" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "growth.sh: $BIN missing (cargo build --release)" >&2; exit 1; }
mkdir -p "$WORK"
TSV="$WORK/growth.tsv"
N=(nice -n "$NICE")
HZ=$(getconf CLK_TCK)

SERVER=""
stop_server() {
  [ -n "$SERVER" ] || return 0
  kill "$SERVER" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}
trap stop_server EXIT
start_server() { # INDEX LOG
  "${N[@]}" "$BIN" serve --index "$1" --corpus /nonexistent --addr "127.0.0.1:$PORT" \
    --cache 0 --timeout 3600 > "$2" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER" 2>/dev/null || { echo "growth.sh: server exited:" >&2; cat "$2" >&2; exit 1; }
    sleep 0.5
  done
  echo "growth.sh: server did not start" >&2; exit 1
}
ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
hwm_mb() { awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER/status"; }
cpu_s() { echo "scale=2; ($2 - $1) / $HZ" | bc; }
timed_get() { # PATH -> "code seconds"
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$BASE$1"
}
field() { # FILE KEY (/usr/bin/time -v)
  grep -F "$2" "$1" | head -n1 | awk -F': ' '{print $2}'
}
wall_s() { # h:mm:ss or m:ss.ss
  awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"
}
ext_mb() { # INDEX EXT
  find "$1" -name "*.$2" -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s / 1e6}'
}

HEADER="k	docs	text_MB	distinct_words	distinct_bigrams	ingest_wall_s	ingest_cpu_ms_per_MB	ingest_peak_rss_MB	index_MB	idx_MB	pos_MB	term_MB	store_MB	inproc_p50_ms	inproc_p99_ms	http_req_s	http_p50	http_p99	http_cpu_ms_per_search	serve_hwm_after_load_MB	ngrams_cold_s	ngrams_cold_cpu_s	graph_build_s	graph_build_cpu_s	serve_hwm_after_stats_graph_MB"
[ -f "$TSV" ] || echo "$HEADER" > "$TSV"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg); binary $BIN"

for K in "${KS[@]}"; do
  CORPUS="$WORK/vntc-x$K.jsonl.gz"
  STATS="$WORK/vntc-x$K.stats.json"
  IDX="$WORK/index-x$K"
  LOG="$WORK/x$K"
  echo
  echo "== ×$K =="
  if [ ! -f "$STATS" ]; then
    "${N[@]}" python3 scripts/growth-corpus.py "$SRC" "$K" "$CORPUS" --stats "$STATS"
  fi
  read -r DOCS BYTES WORDS BIGRAMS < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["docs"], s["text_bytes"], s["distinct_words"], s["distinct_bigrams"])' "$STATS")
  MB=$(echo "scale=1; $BYTES / 1000000" | bc)
  echo "corpus: $DOCS docs, $MB MB of text, $WORDS distinct words, ~$BIGRAMS distinct bigrams"

  rm -rf "$IDX"
  "${N[@]}" /usr/bin/time -v "$BIN" ingest "$CORPUS" --index "$IDX" > "$LOG-ingest.log" 2> "$LOG-ingest.time"
  USER_S=$(field "$LOG-ingest.time" "User time (seconds)")
  SYS_S=$(field "$LOG-ingest.time" "System time (seconds)")
  WALL=$(wall_s "$(field "$LOG-ingest.time" "Elapsed (wall clock) time (h:mm:ss or m:ss)")")
  RSS_MB=$(( $(field "$LOG-ingest.time" "Maximum resident set size (kbytes)") / 1024 ))
  CPU_MB=$(echo "($USER_S + $SYS_S) * 1000 / $MB" | bc)
  INDEX_MB=$(du -sm "$IDX" | cut -f1)
  echo "ingest: ${WALL} s wall, $CPU_MB CPU-ms/MB, peak RSS $RSS_MB MB; index $INDEX_MB MB"

  P50="" P99=""
  if [ "$INPROC" = 1 ]; then
    KEHOACH_SHARED="$SHARED" KEHOACH_BENCH_INDEX="$IDX" "${N[@]}" cargo bench --bench ingest > "$LOG-inproc.log" 2>&1
    LINE=$(grep -F "search, typed queries" "$LOG-inproc.log" || true)
    P50=$(grep -o 'p50 [0-9.]*' <<<"$LINE" | awk '{print $2}')
    P99=$(grep -o 'p99 [0-9.]*' <<<"$LINE" | awk '{print $2}')
    grep -F "search," "$LOG-inproc.log" || true
  fi

  start_server "$IDX" "$LOG-serve-load.log"
  load() { QUERIES=scripts/queries.txt "${N[@]}" wrk -t2 -c"$CONN" -d"$1"s --latency -s scripts/load.lua "$BASE"; }
  load 5 > /dev/null
  T0=$(ticks)
  OUT=$(load "$SECS")
  T1=$(ticks)
  echo "$OUT" > "$LOG-wrk.txt"
  REQ=$(grep -o "[0-9]* requests in" <<<"$OUT" | awk '{print $1}')
  RPS=$(grep "Requests/sec" <<<"$OUT" | awk '{print $2}')
  HP50=$(grep -E '^ +50%' <<<"$OUT" | awk '{print $2}')
  HP99=$(grep -E '^ +99%' <<<"$OUT" | awk '{print $2}')
  CPU_SEARCH=$(echo "scale=2; ($T1 - $T0) * 1000 / $HZ / $REQ" | bc)
  HWM_LOAD=$(hwm_mb)
  echo "serve --cache 0, $CONN connections, $SECS s: $REQ searches, $RPS req/s, p50 $HP50, p99 $HP99, $CPU_SEARCH CPU-ms per search; VmHWM $HWM_LOAD MB"
  stop_server

  start_server "$IDX" "$LOG-serve-stats.log"
  T0=$(ticks)
  read -r CODE NG_S < <(timed_get "/api/stats/top?n_min=1&n_max=3&limit=100")
  T1=$(ticks)
  NG_CPU=$(cpu_s "$T0" "$T1")
  echo "cold top-100 1–3-grams: HTTP $CODE in $NG_S s ($NG_CPU CPU-s)"
  ID=$(python3 -c 'import gzip,json,sys,urllib.parse; r=json.loads(gzip.open(sys.argv[1], "rt").readline()); print(urllib.parse.quote(str(r.get("id", r.get("path"))), safe=""))' "$CORPUS")
  T0=$(ticks)
  read -r CODE G1 < <(timed_get "/api/related/$ID")
  T1=$(ticks)
  read -r CODE2 G2 < <(timed_get "/api/related/$ID")
  T2=$(ticks)
  GRAPH_S=$(echo "$G1 - $G2" | bc)
  GRAPH_CPU=$(echo "scale=2; (($T1 - $T0) - ($T2 - $T1)) / $HZ" | bc)
  HWM_STATS=$(hwm_mb)
  echo "graph build (first /api/related/{id} minus the second): HTTP $CODE/$CODE2, $GRAPH_S s ($GRAPH_CPU CPU-s); VmHWM $HWM_STATS MB"
  stop_server

  printf '%s\n' "$K	$DOCS	$MB	$WORDS	$BIGRAMS	$WALL	$CPU_MB	$RSS_MB	$INDEX_MB	$(ext_mb "$IDX" idx)	$(ext_mb "$IDX" pos)	$(ext_mb "$IDX" term)	$(ext_mb "$IDX" store)	$P50	$P99	$RPS	$HP50	$HP99	$CPU_SEARCH	$HWM_LOAD	$NG_S	$NG_CPU	$GRAPH_S	$GRAPH_CPU	$HWM_STATS" >> "$TSV"
  if ! grep -qw "$K" <<<"$KEEP"; then
    rm -rf "$IDX" "$CORPUS"
  fi
done

echo
echo "results: $TSV"
awk -F'\t' 'NR == 1 {h = "|"; s = "|"; for (i = 1; i <= NF; i++) {h = h " " $i " |"; s = s "---|"}; print h; print s; next}
  {r = "|"; for (i = 1; i <= NF; i++) r = r " " $i " |"; print r}' "$TSV"
