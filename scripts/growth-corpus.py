#!/usr/bin/env python3
"""A k-times-larger corpus from a JSON-lines corpus, for the growth bench (issue 18).

    scripts/growth-corpus.py IN.jsonl.gz K OUT.jsonl.gz [--stats OUT.json] [--seed N]

Writes K copies of every record, copy after copy (all of copy 0, then all of copy 1,
...: a larger corpus grows over time, it does not hold near-duplicates side by side,
which would compress unrealistically well in the document store). Streams: the input
is read once per copy and only bounded pools are kept in memory.

Copy 0 is the input, byte for byte. Copy c > 0 gets the id (`id` or `path`) suffixed
with `-cC` and lightly varied text, so that postings and vocabulary grow the way a
larger real corpus's would instead of every term's postings just doubling:

  * sentences: each sentence after the first (the title) is replaced, with
    probability 0.3, by a sentence of an earlier article of the same `label`
    (topic) -- new documents re-use the phrasing of their topic;
  * numbers: each number is changed with probability 0.5 (years by up to 5,
    other numbers to a random one with as many digits) -- dates, amounts;
  * syllables and names: a few syllables are swapped for one drawn from other
    articles (capitalised ones -- names -- from all articles, others from the
    same topic) -- new word combinations, hence new bigrams and phrases;
  * the long tail: a few words get a one-letter change (a typo or an unseen
    foreign name) -- new distinct terms, which a real corpus keeps adding.

The last two rates decay with c so that the distinct terms follow Heaps' law
V(k) ~ V(1) * k^BETA (BETA = 0.6, measured on VNTC itself: distinct lower-cased
words grow by n^0.67 and distinct word bigrams by n^0.60 between 42k and 84k
articles): the new material of copy c is proportional to (c+1)^BETA - c^BETA.

--stats writes {"docs", "text_bytes", "distinct_words", "distinct_bigrams"} of the
output (bigrams estimated from a 1/64 hash sample).
"""

import argparse
import gzip
import json
import random
import re
import sys

BETA = 0.6
P_SENTENCE = 0.3
P_NUMBER = 0.5
# Swaps per sentence and typos per article for copy 1 (calibrated so that copy 1
# adds about 2^BETA - 1 = 52% distinct words and bigrams on VNTC).
SWAPS_PER_SENTENCE = 0.9
TYPOS_PER_ARTICLE = 1.0
POOL_SENTENCES = 3000
POOL_WORDS = 20000

SENTENCE = re.compile(r"((?<=[.!?…])\s+|\r?\n)")
WORD = re.compile(r"\w+")
NUMBER = re.compile(r"\d+")
LETTERS = "abcdeghiklmnopqrstuvxyăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ"


class Pool:
    """A bounded reservoir of strings."""

    def __init__(self, size, rng):
        self.items, self.size, self.seen, self.rng = [], size, 0, rng

    def add(self, x):
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append(x)
        else:
            j = self.rng.randrange(self.seen)
            if j < self.size:
                self.items[j] = x

    def pick(self):
        return self.rng.choice(self.items) if self.items else None


def decay(c):
    """New material of copy c relative to copy 1: ((c+1)^b - c^b) / (2^b - 1)."""
    return ((c + 1) ** BETA - c**BETA) / (2**BETA - 1)


def poisson(rng, lam):
    """Poisson draw (small lambda)."""
    # Knuth; lam <= ~2 here.
    limit, k, p = pow(2.718281828459045, -lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def change_number(rng, m):
    s = m.group(0)
    if rng.random() >= P_NUMBER:
        return s
    v = int(s)
    if len(s) == 4 and 1900 <= v <= 2099:
        return str(v + rng.randint(-5, 5))
    if len(s) == 1:
        return str(rng.randint(0, 9))
    return str(rng.randint(10 ** (len(s) - 1), 10 ** len(s) - 1))


def swap_word(rng, sentence, names, words):
    """One word of the sentence (not its first) swapped for a pooled one."""
    ms = list(WORD.finditer(sentence))[1:]
    if not ms:
        return sentence
    m = rng.choice(ms)
    w = m.group(0)
    if w.isdigit():
        return sentence
    new = names.pick() if w[0].isupper() else words.pick()
    if not new:
        return sentence
    return sentence[: m.start()] + new + sentence[m.end() :]


def typo(rng, sentence):
    """One letter of one word (4+ letters) changed."""
    ms = [m for m in WORD.finditer(sentence) if len(m.group(0)) >= 4 and not m.group(0).isdigit()]
    if not ms:
        return sentence
    m = rng.choice(ms)
    i = rng.randrange(m.start(), m.end())
    ch = rng.choice(LETTERS)
    if sentence[i].isupper():
        ch = ch.upper()
    return sentence[:i] + ch + sentence[i + 1 :]


def vary(rng, text, label, c, pools):
    sents_pool, words_pool, names = pools
    # Sentences at even positions, the separators (kept as they were) at odd ones.
    out = SENTENCE.split(text)
    topic = sents_pool.setdefault(label, Pool(POOL_SENTENCES, rng))
    topic_words = words_pool.setdefault(label, Pool(POOL_WORDS, rng))
    d = decay(c)
    for i in range(0, len(out), 2):
        s = out[i]
        if not s.strip():
            continue
        if i > 0 and rng.random() < P_SENTENCE:
            other = topic.pick()
            if other:
                s = other
        for _ in range(poisson(rng, SWAPS_PER_SENTENCE * d)):
            s = swap_word(rng, s, names, topic_words)
        out[i] = s
    for _ in range(poisson(rng, TYPOS_PER_ARTICLE * d)):
        j = 2 * rng.randrange((len(out) + 1) // 2)
        out[j] = typo(rng, out[j])
    varied = "".join(out)
    return NUMBER.sub(lambda m: change_number(rng, m), varied)


def learn(rng, text, label, pools):
    """Feeds an original article to the pools (a sample of its sentences and words)."""
    sents_pool, words_pool, names = pools
    topic = sents_pool.setdefault(label, Pool(POOL_SENTENCES, rng))
    topic_words = words_pool.setdefault(label, Pool(POOL_WORDS, rng))
    parts = [s for s in SENTENCE.split(text)[::2] if len(s) > 20]
    for s in rng.sample(parts, min(3, len(parts))):
        topic.add(s)
        for i, m in enumerate(WORD.finditer(s)):
            w = m.group(0)
            if w.isdigit() or rng.random() > 0.2:
                continue
            if w[0].isupper() and i > 0:
                names.add(w)
            elif w.islower():
                topic_words.add(w)


class Stats:
    def __init__(self):
        self.docs = self.bytes = 0
        self.words, self.bigrams = set(), set()

    def add(self, text):
        self.docs += 1
        self.bytes += len(text.encode("utf-8"))
        toks = WORD.findall(text.lower())
        self.words.update(toks)
        self.bigrams.update(h for p in zip(toks, toks[1:]) if (h := hash(p)) & 63 == 0)

    def json(self):
        return {
            "docs": self.docs,
            "text_bytes": self.bytes,
            "distinct_words": len(self.words),
            "distinct_bigrams": len(self.bigrams) * 64,
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("k", type=int)
    ap.add_argument("output")
    ap.add_argument("--stats")
    ap.add_argument("--seed", type=int, default=18)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pools = ({}, {}, Pool(POOL_WORDS, rng))
    stats = Stats() if a.stats else None
    opener = gzip.open if a.output.endswith(".gz") else open
    kw = {"compresslevel": 1} if a.output.endswith(".gz") else {}
    with opener(a.output, "wt", encoding="utf-8", **kw) as out:
        for c in range(a.k):
            with gzip.open(a.input, "rt", encoding="utf-8") as f:
                for n, line in enumerate(f):
                    line = line.rstrip("\n")
                    if not line:
                        continue
                    rec = json.loads(line)
                    text = rec.get("text") or ""
                    label = rec.get("label") or ""
                    if c == 0:
                        learn(rng, text, label, pools)
                        out.write(line + "\n")
                    else:
                        key = "id" if "id" in rec else "path"
                        rec[key] = f"{rec.get(key, n)}-c{c}"
                        text = vary(rng, text, label, c, pools)
                        rec["text"] = text
                        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    if stats:
                        stats.add(text)
            print(f"growth-corpus: copy {c + 1}/{a.k} written", file=sys.stderr, flush=True)
    if stats:
        with open(a.stats, "w", encoding="utf-8") as f:
            json.dump(stats.json(), f)
        print(json.dumps(stats.json()), file=sys.stderr)


if __name__ == "__main__":
    main()
