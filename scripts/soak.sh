#!/usr/bin/env bash
# Soak test: serve an index, drive the endpoint mix for N minutes and sample the
# server's memory every 10 s.
#
#   scripts/soak.sh [MINUTES] [INDEX] [TSV]   (defaults: 10 /tmp/vntc-index /tmp/kehoach-soak-rss.tsv)
#
# Environment: TOP_SHAPES (passed to load-mix.sh; 1 keeps the cold warm-up short), PORT (default 8091), CONNECTIONS (default 16: moderate), NICE (niceness
# of server and load generator, default 0; use 19 while others benchmark), WARMUP_S
# (seconds counted as warm-up, default 120), BOUND_MB (allowed growth of anonymous
# memory after warm-up, default 64), BIN (default target/release/kehoach).
#
# Samples /proc/PID/status every 10 s into TSV (elapsed_s, VmRSS, RssAnon, RssFile, VmHWM
# in kB, threads). RssFile is the memory-mapped index (the page cache the process
# touches: bounded by the index size); RssAnon is the heap, where the caches live. Each
# cache has limits in entries and bytes, and GET /healthz shows its size now (printed
# at the start and at the end):
#   - search response cache (src/http/search.rs): `serve --cache` (1024) responses and
#     `--cache-mb` (64) MiB, emptied when full or on a new commit;
#   - statistics caches (src/stats/mod.rs, LRU of src/query/cache.rs): 64 top-n-gram
#     tables within 16 MiB, and 4 full n-gram count tables within 512 MiB (the latter
#     only for keyness, not in the mix);
#   - citation graph (src/related/cache.rs) and text-reuse fingerprints
#     (src/reuse/corpus.rs): one per commit, proportional to the corpus; built by
#     /api/related, /api/graph and /api/reuse;
#   - accent restoration (src/query/suggest.rs): one syllable table per commit and
#     256 answers within 1 MiB.
# The verdict compares the peak RssAnon after warm-up with the peak during warm-up:
# growth beyond BOUND_MB fails (exit status 1).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-10}"
INDEX="${2:-/tmp/vntc-index}"
TSV="${3:-/tmp/kehoach-soak-rss.tsv}"
PORT="${PORT:-8091}"
CONNECTIONS="${CONNECTIONS:-16}"
NICE="${NICE:-0}"
WARMUP_S="${WARMUP_S:-120}"
BOUND_MB="${BOUND_MB:-64}"
BIN="${BIN:-target/release/kehoach}"
BASE="http://127.0.0.1:$PORT"
[ -x "$BIN" ] || { echo "soak.sh: $BIN missing (cargo build --release)" >&2; exit 1; }
[ -f "$INDEX/meta.json" ] || { echo "soak.sh: no index in $INDEX" >&2; exit 1; }

LOG="$(mktemp /tmp/kehoach-soak-server.XXXXXX.log)"
nice -n "$NICE" "$BIN" serve --index "$INDEX" --corpus /nonexistent --addr "127.0.0.1:$PORT" > "$LOG" 2>&1 &
SERVER=$!
LOAD=""
cleanup() {
  [ -n "$LOAD" ] && kill "$LOAD" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null || true
  # Graceful shutdown waits for running blocking work; do not hang on it.
  for _ in $(seq 1 20); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -f "$LOG"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { echo "soak.sh: server exited:" >&2; cat "$LOG" >&2; exit 1; }
  sleep 0.5
done
echo "server pid $SERVER on $BASE ($(head -n1 "$LOG"))"

sample() { # elapsed
  awk -v t="$1" '
    /^VmRSS:/ {rss=$2} /^RssAnon:/ {anon=$2} /^RssFile:/ {file=$2} /^VmHWM:/ {hwm=$2} /^Threads:/ {thr=$2}
    END {printf "%d\t%d\t%d\t%d\t%d\t%d\n", t, rss, anon, file, hwm, thr}' "/proc/$SERVER/status"
}
# Cold /api/stats/top shapes take minutes on a large corpus: warm them before the clock.
WARM_ONLY=1 nice -n "$NICE" scripts/load-mix.sh "$BASE"
caches() { # what /healthz says each cache holds
  curl -fsS "$BASE/healthz" | python3 -c 'import json, sys
for c in json.load(sys.stdin)["caches"]:
    limit = ("limit %s entries, %.0f MiB" % (c["max_entries"], c["max_bytes"] / 2**20)
             if c["max_bytes"] is not None else c["note"])
    print("  %-40s %5d entries %9.1f MiB   (%s)" % (c["name"], c["entries"], c["bytes"] / 2**20, limit))' \
    || echo "  (could not read /healthz)"
}
echo "caches after the warm-up:"
caches
printf 'elapsed_s\tvmrss_kb\trssanon_kb\trssfile_kb\tvmhwm_kb\tthreads\n' > "$TSV"
sample 0 >> "$TSV"

WARMUP=0 PER_KIND=0 nice -n "$NICE" scripts/load-mix.sh "$BASE" "${MINUTES}m" "$CONNECTIONS" \
  > "${TSV%.tsv}-load.txt" 2>&1 &
LOAD=$!
start=$(date +%s)
end=$((start + MINUTES * 60 + 300)) # the load stops itself; this is a safety net
while kill -0 "$LOAD" 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do
  sleep 10
  kill -0 "$SERVER" 2>/dev/null || { echo "soak.sh: the server died" >&2; cat "$LOG" >&2; exit 1; }
  sample $(( $(date +%s) - start )) >> "$TSV"
done
wait "$LOAD" || echo "soak.sh: load generator failed (see ${TSV%.tsv}-load.txt)" >&2
LOAD=""
sample $(( $(date +%s) - start )) >> "$TSV"
echo
echo "load (${TSV%.tsv}-load.txt):"
grep -E '^(RESULT|status codes|sent by kind)' "${TSV%.tsv}-load.txt" || true
echo
echo "caches at the end:"
caches
echo
echo "memory samples: $TSV"
awk -F'\t' -v warm="$WARMUP_S" -v bound="$BOUND_MB" '
  NR == 1 { next }
  { n++; t[n] = $1; rss[n] = $2; anon[n] = $3; file[n] = $4 }
  $2 > prss { prss = $2; prss_t = $1 }
  $1 <= warm && $3 > warm_anon { warm_anon = $3 }
  $1 > warm && $3 > late_anon { late_anon = $3 }
  END {
    printf "samples: %d over %d s\n", n, t[n]
    printf "VmRSS   first %.1f MiB, peak %.1f MiB (at %d s), last %.1f MiB\n", rss[1]/1024, prss/1024, prss_t, rss[n]/1024
    printf "RssAnon first %.1f MiB, peak during warm-up (<= %d s) %.1f MiB, peak after %.1f MiB, last %.1f MiB\n", anon[1]/1024, warm, warm_anon/1024, late_anon/1024, anon[n]/1024
    printf "RssFile first %.1f MiB, last %.1f MiB (mapped index pages)\n", file[1]/1024, file[n]/1024
    growth = (late_anon - warm_anon) / 1024
    if (late_anon == 0) { print "verdict: too short to compare with the warm-up"; exit 2 }
    if (growth > bound) { printf "verdict: FAIL, heap grew %.1f MiB after warm-up (bound %d MiB)\n", growth, bound; exit 1 }
    printf "verdict: ok, heap grew %.1f MiB after warm-up (bound %d MiB)\n", growth, bound
  }' "$TSV"
