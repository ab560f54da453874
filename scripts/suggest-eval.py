#!/usr/bin/env python3
"""Folded two-syllable phrases of a JSONL corpus, each with its most frequent accented
spelling there: the reference for the accent suggestion (src/query/suggest.rs).

    scripts/suggest-eval.py CORPUS.jsonl[.gz] OUT_DIR [N]

Counts, per document, the adjacent pairs of syllables of the `text` field (NFC, lower
case, letters only, not across punctuation: close to what the analyzer indexes), keeps
the pairs found in at least 20 documents whose folded form has a marked spelling, and
writes two samples of N folded phrases (default 400): `by_frequency.tsv`, drawn in
proportion to the documents of their most frequent spelling (what people type most),
and `uniform.tsv`. Columns: folded phrase, most frequent spelling, its documents, the
documents of every spelling. Score them with
    cargo run --release --example suggest_eval -- INDEX OUT_DIR/by_frequency.tsv OUT_DIR/uniform.tsv
"""
import collections
import gzip
import json
import random
import re
import sys
import unicodedata

WORD = re.compile(r"[^\W\d_]+")


def fold(s):
    s = s.replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    corpus, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    opener = gzip.open if corpus.endswith(".gz") else open
    df = collections.Counter()
    with opener(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            text = unicodedata.normalize("NFC", json.loads(line).get("text", "")).lower()
            pairs = set()
            for run in re.split(r"[^\w ]+", text):
                words = WORD.findall(run)
                pairs.update(zip(words, words[1:]))
            df.update(pairs)
    groups = collections.defaultdict(list)
    for (a, b), c in df.items():
        if c >= 20:
            groups[(fold(a), fold(b))].append((c, a, b))
    rows = []
    for key, spellings in groups.items():
        spellings.sort(reverse=True)
        c, a, b = spellings[0]
        if (a, b) != key:
            rows.append((key, a, b, c, sum(s[0] for s in spellings)))
    rows.sort()

    def write(name, sample):
        with open(f"{out}/{name}", "w", encoding="utf-8") as f:
            for (x, y), a, b, c, total in sample:
                f.write(f"{x} {y}\t{a} {b}\t{c}\t{total}\n")

    rng = random.Random(7)
    seen, by_frequency = set(), []
    for r in rng.choices(rows, weights=[r[3] for r in rows], k=4 * n):
        if r[0] not in seen:
            seen.add(r[0])
            by_frequency.append(r)
        if len(by_frequency) == n:
            break
    write("by_frequency.tsv", by_frequency)
    write("uniform.tsv", random.Random(11).sample(rows, min(n, len(rows))))
    print(f"{len(rows)} ambiguous folded phrases; samples written to {out}")


if __name__ == "__main__":
    main()
