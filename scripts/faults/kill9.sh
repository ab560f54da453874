#!/usr/bin/env bash
# kill -9 during `kehoach ingest` at random moments.
#
#   scripts/faults/kill9.sh                  (KILLS=20 DOCS=20000 COMMIT_EVERY=2048 SEED=random)
#
# Corpus: the first $DOCS articles of the shared VNTC news corpus ($KEHOACH_SHARED or
# ../shared), else $DOCS generated plan-like records. Ingest runs with --threads 2 and
# --commit-every $COMMIT_EVERY (a multiple of 512, ingest's batch size) on one JSONL file,
# so documents are added in file order and a commit holds exactly the first k×COMMIT_EVERY
# documents (or all of them). Each trial, on a fresh index:
#   1. start ingest, kill -9 it after a random delay in [2%, 95%] of a calibration run
#      (trials go on until $KILLS runs were really killed mid-way; a run that ended
#      before its kill is checked too, but not counted);
#   2. the index reopens (kehoach search) and searching works;
#   3. its document count N is a commit point: N = k×COMMIT_EVERY or N = DOCS, and k is
#      the number of commits ingest announced ("ingest: committing") before the kill,
#      or one less (killed during that commit);
#   4. its ids are exactly the first N ids of the file (no duplicate, none missing,
#      none from after the commit);
#   5. a re-run completes the job: exit 0, N documents reported unchanged, DOCS - N
#      indexed, and the index then holds exactly the file's ids.
# Prints one line per trial and exits non-zero if any check failed.
# Scratch data in $WORK (default /tmp/kehoach-faults-kill9), deleted at the end unless KEEP=1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
KILLS="${KILLS:-20}"
DOCS="${DOCS:-20000}"
COMMIT_EVERY="${COMMIT_EVERY:-2048}"
SEED="${SEED:-$RANDOM}"
WORK="${WORK:-/tmp/kehoach-faults-kill9}"
(( COMMIT_EVERY % 512 == 0 )) || { echo "COMMIT_EVERY must be a multiple of 512" >&2; exit 2; }
command -v jq >/dev/null || { echo "kill9.sh needs jq" >&2; exit 2; }
find_bin
mkdir -p "$WORK"
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$WORK"' EXIT

corpus="$WORK/corpus.jsonl"
shared="$(shared_dir)"
if [[ -n "$shared" && -f "$shared/corpora/vntc-news-84k.jsonl.gz" ]]; then
  what="first $DOCS VNTC news articles"
  { zcat "$shared/corpora/vntc-news-84k.jsonl.gz" || true; } | head -n "$DOCS" > "$corpus"
else
  what="$DOCS generated records (shared corpus not found)"
  gen_docs "$DOCS" 0 7 > "$corpus"
fi
jq -r '.id // .path' "$corpus" > "$WORK/order"
DOCS="$(wc -l < "$WORK/order")"
sort "$WORK/order" > "$WORK/all.sorted"
[[ "$(uniq -d "$WORK/all.sorted" | wc -l)" == 0 ]] || { echo "corpus has duplicate ids" >&2; exit 2; }
echo "binary: $BIN"
echo "corpus: $what ($(du -h "$corpus" | cut -f1)), commit every $COMMIT_EVERY, seed $SEED"

idx="$WORK/index"
ingest() { nice -n 19 "$BIN" ingest --threads 2 --commit-every "$COMMIT_EVERY" --index "$idx" "$corpus"; }

# Calibration: one full run, timed.
rm -rf "$idx"
t0=$(date +%s.%N)
ingest > "$WORK/cal.out" 2> "$WORK/cal.err"
t1=$(date +%s.%N)
full="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
grep -q "holds $DOCS documents" "$WORK/cal.out" || { echo "calibration run failed:"; cat "$WORK/cal.out" "$WORK/cal.err"; exit 1; }
echo "calibration: a full run takes ${full} s and announces $(grep -c 'ingest: committing' "$WORK/cal.err") commits"
echo
printf '%-5s %8s %-7s %9s %7s %-12s %-7s %-6s %-22s %s\n' \
  trial "kill at" killed announced docs "commit pt" prefix search "re-run (new/unchanged)" result
failures=0
kills=0
trials=0
for (( trial = 1; kills < KILLS && trial <= 2 * KILLS; trial++ )); do
  trials=$trial
  rm -rf "$idx"
  delay="$(awk -v s="$SEED" -v t="$trial" -v f="$full" 'BEGIN { srand(s * 1000 + t); printf "%.2f", f * (0.02 + 0.93 * rand()) }')"
  # `nice` execs kehoach, so $! is the ingest process itself.
  nice -n 19 "$BIN" ingest --threads 2 --commit-every "$COMMIT_EVERY" --index "$idx" "$corpus" \
    > "$WORK/run.out" 2> "$WORK/run.err" &
  pid=$!
  start=$(date +%s.%N)
  while kill -0 "$pid" 2>/dev/null \
    && awk -v s="$start" -v now="$(date +%s.%N)" -v d="$delay" 'BEGIN { exit !(now - s < d) }'; do
    sleep 0.05
  done
  if ! kill -0 "$pid" 2>/dev/null; then
    # Finished before its kill: the machine is faster now than at calibration;
    # aim the next kills within this run's real duration.
    full="$(awk -v s="$start" -v now="$(date +%s.%N)" 'BEGIN { printf "%.2f", now - s }')"
  fi
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    killed=yes
    kills=$(( kills + 1 ))
  else
    killed=no
  fi
  wait "$pid" 2>/dev/null || true
  announced="$(grep -c 'ingest: committing' "$WORK/run.err" || true)"
  ok=1
  notes=""
  # 2. Reopens (an index that never got its first commit is empty, not broken).
  if [[ -f "$idx/meta.json" ]]; then
    if list_ids "$idx" > "$WORK/ids" 2> "$WORK/open.err"; then :; else
      ok=0; notes+=" reopen-failed($(head -c 200 "$WORK/open.err"))"; : > "$WORK/ids"
    fi
  else
    : > "$WORK/ids"
    notes+=" (no commit yet)"
  fi
  n="$(wc -l < "$WORK/ids")"
  # 3. A commit point, consistent with what ingest announced.
  k=$(( (n + COMMIT_EVERY - 1) / COMMIT_EVERY ))
  if (( n % COMMIT_EVERY == 0 || n == DOCS )) && (( k == announced || k == announced - 1 )); then
    commit_pt="yes (k=$k)"
  else
    commit_pt="NO (k=$k)"; ok=0
  fi
  # 4. Exactly the first N ids, no duplicates.
  sort "$WORK/ids" > "$WORK/ids.sorted"
  head -n "$n" "$WORK/order" | sort > "$WORK/want.sorted"
  if [[ "$(uniq -d "$WORK/ids.sorted" | wc -l)" != 0 ]]; then
    prefix="DUPS"; ok=0
  elif cmp -s "$WORK/ids.sorted" "$WORK/want.sorted"; then
    prefix="yes"
  else
    prefix="NO"; ok=0
  fi
  # 2b. Searching works.
  if (( n > 0 )); then
    hits="$("$BIN" search --index "$idx" --json --limit 1 "nam" | jq -r .total 2>/dev/null || echo err)"
    if [[ "$hits" =~ ^[0-9]+$ ]] && (( hits > 0 )); then search=ok; else search="FAIL"; ok=0; fi
  else
    search="-"
  fi
  # 5. A re-run completes the job.
  if ingest > "$WORK/rerun.out" 2> "$WORK/rerun.err"; then
    summary="$(grep -o 'indexed [0-9]*, updated [0-9]*, unchanged [0-9]*' "$WORK/rerun.out" || true)"
    new="$(sed -E 's/indexed ([0-9]+).*/\1/' <<< "$summary")"
    unchanged="$(sed -E 's/.*unchanged ([0-9]+)/\1/' <<< "$summary")"
    list_ids "$idx" | sort > "$WORK/final.sorted"
    if [[ "$new" == "$(( DOCS - n ))" && "$unchanged" == "$n" ]] && cmp -s "$WORK/final.sorted" "$WORK/all.sorted"; then
      rerun="ok ($new/$unchanged)"
    else
      rerun="FAIL ($new/$unchanged, $(wc -l < "$WORK/final.sorted") ids)"; ok=0
    fi
  else
    rerun="FAIL (exit $?)"; ok=0
    notes+=" $(tail -n 3 "$WORK/rerun.err" | tr '\n' ' ')"
  fi
  (( ok )) && result=PASS || { result=FAIL; failures=$(( failures + 1 )); }
  printf '%-5s %7ss %-7s %9s %7s %-12s %-7s %-6s %-22s %s%s\n' \
    "$trial" "$delay" "$killed" "$announced" "$n" "$commit_pt" "$prefix" "$search" "$rerun" "$result" "$notes"
done
echo
echo "$(( trials - failures ))/$trials trials passed ($kills runs killed mid-way)"
(( failures == 0 && kills >= KILLS ))
