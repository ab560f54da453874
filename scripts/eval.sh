#!/usr/bin/env bash
# Ranking quality on the shared eval set (ALQAC 2023 legal retrieval: 2,131 articles,
# 100 questions): indexes the eval corpus, runs the accented and the unaccented questions,
# prints R@10, R@100, MRR@10 and nDCG@10 for each with the shared scorer; then known-item
# search (success@1, MRR@10 per kind and accent: scripts/known-items.sh).
#
#   scripts/eval.sh [SHARED_DIR]      (default: ../shared, or $KEHOACH_SHARED)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-${KEHOACH_SHARED:-../shared}}"
eval_dir="$shared/eval"
[ -f "$eval_dir/corpus.jsonl" ] || { echo "eval data not found in $eval_dir" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/kehoach
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" ingest --index "$work/index" "$eval_dir/corpus.jsonl" >/dev/null
for set in dev dev_unaccented; do
  "$bin" search --index "$work/index" --queries "$eval_dir/$set.tsv" --limit 100 --format trec > "$work/$set.run"
  echo "== $set"
  python3 "$eval_dir/score.py" "$eval_dir/dev.qrels" "$work/$set.run" --corpus "$eval_dir/corpus.jsonl"
done
echo "== known items (scripts/known-items.sh)"
scripts/known-items.sh "$shared"
