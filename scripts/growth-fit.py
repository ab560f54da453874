#!/usr/bin/env python3
"""Fits the growth of each measure of scripts/growth.sh and projects it.

    scripts/growth-fit.py [GROWTH.tsv] [--docs 5000000] [--text-mb 50000]

For every measure y of the table (one row per k): the power law y = a * x^b
(least squares on logs) and the straight line y = c + d * x, each with R^2, where
x is the documents (for per-document measures) or the MB of text (for sizes and
CPU). Prints a Markdown table with b and both projections to --docs documents
and --text-mb MB of text (by the power law; by the line in brackets). The two
targets are different corpus sizes unless documents are as long as --text-mb /
--docs: a measure is projected to each through the corpus's MB per document.
"""

import argparse
import csv
import math
import re


def num(s):
    """A number from a cell: '12.3', '12.3ms', '1.2s', '800us', '.5'."""
    s = (s or "").strip()
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)?", s)
    if not m or m.group(1) in ("", "."):
        return None
    v = float(m.group(1))
    return v * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4, None: 1.0}[m.group(2)]


def fit_power(xs, ys):
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    sxx = sum((x - mx) ** 2 for x in lx)
    b = sum((x - mx) * (y - my) for x, y in zip(lx, ly)) / sxx
    a = math.exp(my - b * mx)
    return a, b, r2(ly, [math.log(a) + b * x for x in lx])


def fit_line(xs, ys):
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    d = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    c = my - d * mx
    return c, d, r2(ys, [c + d * x for x in xs])


def r2(ys, fs):
    m = sum(ys) / len(ys)
    tot = sum((y - m) ** 2 for y in ys)
    res = sum((y - f) ** 2 for y, f in zip(ys, fs))
    return 1 - res / tot if tot else 1.0


# Measure -> (label, unit, x axis: "docs" or "text").
MEASURES = {
    "distinct_words": ("distinct words", "", "text"),
    "distinct_bigrams": ("distinct word bigrams", "", "text"),
    "ingest_wall_s": ("ingest wall time", "s", "text"),
    "ingest_cpu_ms_per_MB": ("ingest CPU per MB of text", "ms/MB", "text"),
    "ingest_peak_rss_MB": ("ingest peak RSS", "MB", "text"),
    "index_MB": ("index size", "MB", "text"),
    "idx_MB": ("  postings (.idx)", "MB", "text"),
    "pos_MB": ("  positions (.pos)", "MB", "text"),
    "term_MB": ("  term dictionaries (.term)", "MB", "text"),
    "store_MB": ("  document store (.store)", "MB", "text"),
    "inproc_p50_ms": ("search p50, in-process", "ms", "docs"),
    "inproc_p99_ms": ("search p99, in-process", "ms", "docs"),
    "http_req_s": ("HTTP searches/s (16 conn., cache 0)", "req/s", "docs"),
    "http_p50": ("HTTP search p50", "ms", "docs"),
    "http_p99": ("HTTP search p99", "ms", "docs"),
    "http_cpu_ms_per_search": ("server CPU per HTTP search", "ms", "docs"),
    "serve_hwm_after_load_MB": ("serve peak RSS after search load", "MB", "docs"),
    "ngrams_cold_s": ("cold top-100 1–3-grams, wall", "s", "text"),
    "ngrams_cold_cpu_s": ("cold top-100 1–3-grams, CPU", "s", "text"),
    "graph_build_s": ("citation graph build, wall", "s", "docs"),
    "graph_build_cpu_s": ("citation graph build, CPU", "s", "docs"),
    "serve_hwm_after_stats_graph_MB": ("serve peak RSS after n-grams + graph", "MB", "text"),
}


def fmt(v):
    if v is None:
        return "–"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv", nargs="?", default="/tmp/kehoach-growth/growth.tsv")
    ap.add_argument("--docs", type=float, default=5e6)
    ap.add_argument("--text-mb", type=float, default=50_000)
    a = ap.parse_args()
    with open(a.tsv, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    mb_doc = sum(float(r["text_MB"]) for r in rows) / sum(float(r["docs"]) for r in rows)
    print(
        f"| measure | x | b (y = a·x^b) | R² | R² line "
        f"| at {a.docs / 1e6:g} M docs (= {a.docs * mb_doc / 1e3:.1f} GB of this corpus's text) "
        f"| at {a.text_mb / 1e3:g} GB text (= {a.text_mb / mb_doc / 1e6:.1f} M of this corpus's docs) |"
    )
    print("|---|---|---|---|---|---|---|")
    for key, (label, unit, axis) in MEASURES.items():
        pts = [
            (float(r["docs"]), float(r["text_MB"]), num(r.get(key)))
            for r in rows
        ]
        pts = [p for p in pts if p[2] is not None and p[2] > 0]
        if len(pts) < 2:
            continue
        xs = [p[0] if axis == "docs" else p[1] for p in pts]
        ys = [p[2] for p in pts]
        pa, pb, pr = fit_power(xs, ys)
        lc, ld, lr = fit_line(xs, ys)
        # Project both targets on this measure's own axis (docs per MB from the data).
        mb_per_doc = sum(p[1] for p in pts) / sum(p[0] for p in pts)
        targets = [a.docs, a.text_mb / mb_per_doc] if axis == "docs" else [a.docs * mb_per_doc, a.text_mb]
        proj = [f"{fmt(pa * t**pb)} [{fmt(lc + ld * t)}]" for t in targets]
        u = f" {unit}" if unit else ""
        print(
            f"| {label}{u} | {axis} | {pb:.2f} | {pr:.3f} | {lr:.3f} | {proj[0]} | {proj[1]} |"
        )


if __name__ == "__main__":
    main()
