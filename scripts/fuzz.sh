#!/usr/bin/env bash
# The fuzzing campaign: three cargo-fuzz targets (fuzz/fuzz_targets/), run at once.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (defaults: 600, analyzer understand extract query)
#
#   analyzer    arbitrary UTF-8 → analysis::analyze and both tantivy tokenizers; checks the
#               invariants of tests/analysis_props.rs (offsets, positions, folding, NFC = NFD,
#               idempotence, tokenizers = analyze)
#   understand  arbitrary bytes → decode + clean → Understander::understand, and
#               Understander::read (first byte picks .txt/.html/.htm/.md)
#   extract     arbitrary bytes as .pdf/.docx/.doc/.odt (first byte picks the name and a
#               magic prefix) → document::read with OCR off; seeds are the office fixtures
#   query       arbitrary UTF-8 → query::parser::parse; parsed queries are compiled and run
#               (all match modes, snippets, facets) on a small in-RAM index
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Builds with
# debug assertions and overflow checks (-a) and without a sanitizer (-s none: kehoach has
# no unsafe code; this keeps throughput up on a shared 2-core machine). Runs every
# target under `nice -n 19` for SECONDS (-max_total_time), one libFuzzer process each.
#
# The analyzer target skips inputs with U+037A (a known open bug, see the ignored test in
# tests/fuzz_regressions.rs) so that a campaign can look past it.
#
# Seeds are assembled into fuzz/seeds/TARGET from tests/fixtures/decode, corpus/,
# ../shared/seeds (or $KEHOACH_SHARED/seeds, when present) and scripts/queries.txt; the
# growing corpus lives in fuzz/corpus/TARGET, crashes in fuzz/artifacts/TARGET, logs in
# fuzz/logs (all ignored by git). Each crash must be minimised
# (`cargo +nightly fuzz tmin -s none -a TARGET fuzz/artifacts/TARGET/crash-…`), fixed, and
# added to tests/fixtures/fuzz/TARGET/ (replayed by tests/fuzz_regressions.rs).
# The CI equivalents are the property tests: tests/analysis_props.rs,
# tests/decode_proptest.rs, tests/document_robust.rs and tests/query_props.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-600}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(analyzer understand extract query)
FUZZ_FLAGS=(-s none -a)

command -v cargo-fuzz >/dev/null || { echo "fuzz.sh: cargo-fuzz missing (cargo install cargo-fuzz)" >&2; exit 1; }
rustup toolchain list | grep -q nightly || { echo "fuzz.sh: nightly toolchain missing" >&2; exit 1; }

ROOT="$PWD"
SHARED="${KEHOACH_SHARED:-$PWD/../shared}"
seeds() { # TARGET
  local dir="fuzz/seeds/$1"
  rm -rf "$dir"; mkdir -p "$dir"
  local n=0
  case "$1" in
    analyzer)
      for f in corpus/*.txt "$SHARED"/seeds/*.txt; do
        [ -f "$f" ] || continue
        head -c 4000 "$f" > "$dir/$(basename "$f")"
      done
      while IFS= read -r q; do n=$((n + 1)); printf '%s' "$q" > "$dir/q$n"; done < scripts/queries.txt
      ;;
    understand)
      # First byte: 0 → plan.txt, 1 → page.html (see fuzz_targets/understand.rs).
      for f in tests/fixtures/decode/* corpus/*.txt "$SHARED"/seeds/*.txt \
               $(find corpus/gov-docs -type f -size -6k | sort | head -n 8); do
        [ -f "$f" ] || continue
        n=$((n + 1))
        case "$f" in *.htm|*.html) sel='\001' ;; *) sel='\000' ;; esac
        { printf "$sel"; head -c 12000 "$f"; } > "$dir/s$n-$(basename "$f")"
      done
      ;;
    extract)
      # First byte: name = byte % 4 (pdf, docx, doc, odt), prefix = (byte >> 2) % 4, 3 = none.
      for f in tests/fixtures/office/*; do
        n=$((n + 1))
        case "$f" in *.pdf) sel='\014' ;; *.docx) sel='\015' ;; *.doc) sel='\016' ;; *) sel='\017' ;; esac
        { printf "$sel"; cat "$f"; } > "$dir/s$n-$(basename "$f")"
      done
      ;;
    query)
      while IFS= read -r q; do n=$((n + 1)); printf '%s' "$q" > "$dir/q$n"; done < scripts/queries.txt
      for q in '136/KH-UBND' '"nông thôn mới" -"xây dựng"' 'thi đua OR khen thưởng OR "chuyển đổi số"' \
               'Đại hội XIII' 'khóa XV quý I' 'TP.HCM COVID-19 1.234.567 12,5'; do
        n=$((n + 1)); printf '%s' "$q" > "$dir/q$n"
      done
      ;;
  esac
  echo "$1: $(ls "$dir" | wc -l) seeds"
}

max_len() { case "$1" in analyzer) echo 4096 ;; understand) echo 16384 ;; extract) echo 262144 ;; query) echo 4096 ;; esac; }
dict() { [ -f "$ROOT/fuzz/dicts/$1.dict" ] && echo "-dict=$ROOT/fuzz/dicts/$1.dict" || true; }

echo "building ${TARGETS[*]} (nightly, ${FUZZ_FLAGS[*]})"
for t in "${TARGETS[@]}"; do
  (cd fuzz && nice -n 19 cargo +nightly fuzz build "${FUZZ_FLAGS[@]}" "$t" >/dev/null)
done

mkdir -p fuzz/logs
pids=()
for t in "${TARGETS[@]}"; do
  seeds "$t"
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  # shellcheck disable=SC2046
  (
    cd fuzz
    nice -n 19 cargo +nightly fuzz run "${FUZZ_FLAGS[@]}" "$t" "$ROOT/fuzz/corpus/$t" "$ROOT/fuzz/seeds/$t" -- \
      -max_total_time="$SECS" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 $(dict "$t")
  ) > "fuzz/logs/$t.log" 2>&1 &
  pids+=($!)
  echo "$t: running for ${SECS}s (log fuzz/logs/$t.log)"
done
status=0
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || status=1
done

echo
printf '%-11s %12s %10s %8s %8s %s\n' target execs exec/s cov ft crashes
for t in "${TARGETS[@]}"; do
  log="fuzz/logs/$t.log"
  execs=$(grep -oE 'stat::number_of_executed_units: +[0-9]+' "$log" | awk '{print $2}' | tail -n1 || true)
  rate=$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "$log" | awk '{print $2}' | tail -n1 || true)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 | awk '{print $2}' || true)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -n1 | awk '{print $2}' || true)
  crashes=$(find "fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  printf '%-11s %12s %10s %8s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$crashes"
  [ "$crashes" = 0 ] || status=1
done
exit $status
