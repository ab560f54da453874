#!/usr/bin/env bash
# Known-item search on the shared eval set: 410 queries that each name one document of
# shared/corpora/vlc-laws and shared/corpora/gov-docs ("Luật Đất đai 2013",
# "Quyết định 2666/QĐ-UBND", the start of a title), accented and not. Indexes both folders
# into one index and prints success@1 and MRR@10 per kind and accent, and overall.
#
#   scripts/known-items.sh [SHARED_DIR]      (default: ../shared, or $KEHOACH_SHARED)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-${KEHOACH_SHARED:-../shared}}"
tsv="$shared/eval/known_items_dev.tsv"
[ -f "$tsv" ] || { echo "known-item queries not found: $tsv" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/kehoach
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" ingest --index "$work/index" "$shared/corpora/vlc-laws" "$shared/corpora/gov-docs" >/dev/null 2>&1
grep -v '^#' "$tsv" | cut -f1,3 > "$work/q.tsv"
"$bin" search --index "$work/index" --queries "$work/q.tsv" --limit 10 --format trec > "$work/run"
python3 - "$tsv" "$work/run" <<'PY'
import sys, collections
qrels, kinds = {}, {}
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    qid, kind, _query, want = line.rstrip("\n").split("\t")
    qrels[qid], kinds[qid] = want, kind
ranked = collections.defaultdict(list)
for line in open(sys.argv[2], encoding="utf-8"):
    parts = line.rstrip("\n").split(" ")
    qid, docid = parts[0], " ".join(parts[2:-3])
    ranked[qid].append(docid)
groups = collections.defaultdict(list)
for qid, want in qrels.items():
    docs = ranked.get(qid, [])[:10]
    rr = next((1 / (i + 1) for i, d in enumerate(docs) if d == want), 0.0)
    kind, accent = kinds[qid].split("/")
    for key in (kinds[qid], "all/" + accent, "all"):
        groups[key].append((docs[:1] == [want], rr))
print(f"{'kind/accent':28} {'n':>4} {'success@1':>9} {'MRR@10':>7}")
for key in sorted(groups, key=lambda k: (k.startswith("all"), k)):
    v = groups[key]
    print(f"{key:28} {len(v):4} {sum(s for s, _ in v) / len(v):9.3f} {sum(r for _, r in v) / len(v):7.3f}")
failed = [q for q, w in qrels.items() if ranked.get(q, [])[:1] != [w]]
if failed:
    print("first-rank misses:", " ".join(sorted(failed)))
PY
