#!/usr/bin/env bash
# Text-reuse detection scored on the shared corpora (issue 17 item 4): generates reuse
# cases (a passage of one document of ../shared/corpora/gov-docs or vlc-laws, verbatim,
# with its numbers and provinces changed, edited or with its sentences shuffled, inserted
# into another document), runs kehoach::reuse::align on each and prints PAN precision,
# recall, granularity and plagdet per obfuscation, per passage length and overall, and
# align's speed (benches/reuse.rs). Without ../shared it says so and exits 0.
#
#   scripts/reuse-eval.sh                        500 cases, seed 17
#   scripts/reuse-eval.sh --cases 2000 --seed 3
#   scripts/reuse-eval.sh --write /tmp/reuse     also writes cases/NNNN.txt (the suspicious
#                                                documents), truth.jsonl and detections.jsonl
#
# The shared folder is $KEHOACH_SHARED, or ../shared next to the repository.
# The same cases, fewer, on the shipped corpus: cargo test --test reuse_eval -- --nocapture
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --bench reuse -- "$@"
