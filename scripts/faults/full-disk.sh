#!/usr/bin/env bash
# Ingest onto a full disk: a small tmpfs (root only).
#
#   sudo scripts/faults/full-disk.sh            (SIZE_MB=8 DOCS=6000 TIMEOUT=120)
#
# 1. mount a $SIZE_MB MiB tmpfs; ingest 300 generated records (fits);
# 2. ingest $DOCS more (about 3 KB each, more than fits) with --commit-every 1024:
#    expected: a non-zero exit within $TIMEOUT s, an error naming the problem
#    ("No space left on device"), no panic;
# 3. the index reopens at its last commit: the first 300 plus whole commits of the
#    second run (k×1024, k = commits announced or one less), exactly those ids, and
#    search works;
# 4. with room again (remount 256 MiB), a re-run completes to 300 + $DOCS.
# Prints what happened at each step; exits non-zero if a check failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
SIZE_MB="${SIZE_MB:-8}"
DOCS="${DOCS:-6000}"
TIMEOUT="${TIMEOUT:-120}"
WORK="${WORK:-/tmp/kehoach-faults-disk}"
[[ "$(id -u)" == 0 ]] || { echo "full-disk.sh: skipped: needs root (mount -t tmpfs)"; exit 0; }
command -v jq >/dev/null || { echo "full-disk.sh needs jq" >&2; exit 2; }
find_bin
mkdir -p "$WORK/disk"
if ! mount -t tmpfs -o "size=${SIZE_MB}m" tmpfs "$WORK/disk"; then
  echo "full-disk.sh: skipped: mount not permitted"; rm -rf "$WORK"; exit 0
fi
trap 'umount "$WORK/disk" 2>/dev/null; rm -rf "$WORK"' EXIT
idx="$WORK/disk/index"
gen_docs 300 0 1 > "$WORK/small.jsonl"
gen_docs "$DOCS" 300 2 > "$WORK/big.jsonl"
fail=0
check() { if eval "$2"; then echo "  ok    $1"; else echo "  FAIL  $1"; fail=1; fi; }

echo "binary: $BIN; tmpfs ${SIZE_MB} MiB; second run: $DOCS records ($(du -h "$WORK/big.jsonl" | cut -f1))"
"$BIN" ingest --index "$idx" "$WORK/small.jsonl" > /dev/null 2>&1
check "300 records fit" '[[ "$("$BIN" search --index "$idx" --json --limit 1 "" | jq .total)" == 300 ]]'

t0=$(date +%s.%N)
timeout -s KILL "$TIMEOUT" "$BIN" ingest --commit-every 1024 --index "$idx" "$WORK/big.jsonl" \
  > "$WORK/out" 2> "$WORK/err"
code=$?
t1=$(date +%s.%N)
echo "second run: exit $code after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s; disk: $(df -h "$WORK/disk" | awk 'NR==2 { print $3 " used of " $2 }')"
echo "  stderr (last lines):"; tail -n 3 "$WORK/err" | sed 's/^/    /'
check "ingest did not hang (killed after ${TIMEOUT} s otherwise)" '(( code != 137 ))'
check "non-zero exit" '(( code != 0 ))'
check "the error names the problem" 'grep -q "No space left on device" "$WORK/err"'
check "no panic" '! grep -q "panicked" "$WORK/err"'
# The process may still be around if it hung and timeout could not kill it.
announced="$(grep -c 'ingest: committing' "$WORK/err")"

list_ids "$idx" > "$WORK/ids" 2> "$WORK/open.err"
check "the index reopens" '[[ ! -s "$WORK/open.err" ]]'
n="$(wc -l < "$WORK/ids")"
extra=$(( n - 300 ))
k=$(( extra / 1024 ))
echo "  index after the failure: $n documents ($extra from the second run; $announced commits announced)"
check "a commit point (300 + k×1024, k = announced or one less)" \
  '(( extra >= 0 && extra % 1024 == 0 && (k == announced || k == announced - 1) ))'
{ jq -r .id "$WORK/small.jsonl"; jq -r .id "$WORK/big.jsonl" | head -n "$extra"; } | sort > "$WORK/want"
sort "$WORK/ids" > "$WORK/got"
check "exactly the committed ids, no duplicates" 'cmp -s "$WORK/want" "$WORK/got"'
check "search works" '(( $("$BIN" search --index "$idx" --json --limit 1 "kế hoạch" | jq .total) > 0 ))'

mount -o remount,size=256m "$WORK/disk"
"$BIN" ingest --commit-every 1024 --index "$idx" "$WORK/big.jsonl" > "$WORK/out2" 2> "$WORK/err2"
check "with room again, a re-run completes ($(( 300 + DOCS )) documents)" \
  '[[ "$("$BIN" search --index "$idx" --json --limit 1 "" | jq .total)" == $(( 300 + DOCS )) ]]'
echo
(( fail == 0 )) && echo "full disk: all checks passed" || echo "full disk: some checks FAILED"
exit "$fail"
