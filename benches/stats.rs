//! Statistics latency on a large index (a bench binary, not criterion: the cold
//! top-n-gram pass alone takes seconds).
//!
//! ```text
//! KEHOACH_BENCH_INDEX=/tmp/vntc-index cargo bench --bench stats   # an existing index
//! KEHOACH_BENCH_DOCS=5000 cargo bench --bench stats               # builds one from VNTC
//! ```
//! Without `KEHOACH_BENCH_INDEX`, indexes the first `KEHOACH_BENCH_DOCS` (default
//! 5,000) articles of `../shared/corpora/vntc-news-84k.jsonl.gz` (or
//! `$KEHOACH_SHARED/…`) into a temporary folder; skips with a message when absent.
//! Reports: top-100 1–3-grams of the whole corpus cold and cached; a term's
//! frequency by province and by year; the first 1,000 concordance lines of a
//! common term; collocates and keyness for reference.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::Engine;
use kehoach::stats::*;

fn build_index(tmp: &Path, limit: usize) -> Option<PathBuf> {
    let src = common::shared()?.join("corpora/vntc-news-84k.jsonl.gz");
    if !src.is_file() {
        return None;
    }
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(&src).ok()?,
    ));
    let sample = tmp.join("sample.jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&sample).ok()?);
    for line in r.lines().take(limit) {
        writeln!(w, "{}", line.ok()?).ok()?;
    }
    w.flush().ok()?;
    drop(w);
    let idx = tmp.join("index");
    let t = Instant::now();
    index::ingest(&idx, &[sample], &IngestOptions::default(), &NoProgress).ok()?;
    println!(
        "built an index of {limit} articles in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Some(idx)
}

/// Times one run: wall clock, and CPU-seconds of the process (the machine is
/// shared, so the wall clock alone depends on the neighbours' load).
fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let cpu0 = common::cpu_seconds();
    let t = Instant::now();
    let out = f();
    let wall = t.elapsed().as_secs_f64();
    match common::cpu_seconds().zip(cpu0).map(|(a, b)| a - b) {
        Some(cpu) => println!("{label:<55} {:>10.1} ms ({cpu:.2} CPU-s)", wall * 1e3),
        None => println!("{label:<55} {:>10.1} ms", wall * 1e3),
    }
    out
}

fn best_of<T>(label: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        out = Some(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("{label:<55} {:>10.1} ms (best of {runs})", best * 1e3);
    out.expect("at least one run")
}

#[allow(
    clippy::too_many_lines,
    reason = "one measured statistic per paragraph"
)]
fn main() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let idx = match std::env::var_os("KEHOACH_BENCH_INDEX") {
        Some(p) => PathBuf::from(p),
        None => {
            let limit = std::env::var("KEHOACH_BENCH_DOCS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(5_000);
            match build_index(tmp.path(), limit) {
                Some(p) => p,
                None => {
                    println!(
                        "stats bench skipped: no KEHOACH_BENCH_INDEX and no shared VNTC corpus"
                    );
                    return;
                }
            }
        }
    };
    let engine = Arc::new(Engine::open(&idx).expect("open index"));
    let stats = Stats::new(Arc::clone(&engine));
    let all = Subcorpus::all();
    let docs = all.resolve(&engine, &engine.searcher()).expect("subcorpus");
    println!(
        "index {}: {} documents, {} syllables, {} segments, {} threads",
        idx.display(),
        docs.documents(),
        docs.syllables(),
        engine.searcher().segment_readers().len(),
        rayon::current_num_threads()
    );
    let top = TopTermsRequest {
        n_min: 1,
        n_max: 3,
        limit: 100,
        ..TopTermsRequest::default()
    };
    let t = time("top-100 1–3-grams, whole corpus, cold", || {
        stats.top_terms(&top).expect("top terms")
    });
    assert!(!t.cached);
    let first: Vec<&str> = t
        .rows
        .iter()
        .filter(|r| r.n == 2)
        .take(5)
        .map(|r| r.ngram.as_str())
        .collect();
    println!("    top bigrams: {first:?}");
    let t = best_of("top-100 1–3-grams, whole corpus, cached", 5, || {
        stats.top_terms(&top).expect("top terms")
    });
    assert!(t.cached);
    for term in ["việt nam", "kinh tế", "người"] {
        for by in [GroupBy::Province, GroupBy::Year] {
            let req = FrequencyRequest {
                subcorpus: Subcorpus::all(),
                term: term.into(),
                group_by: by,
            };
            let r = best_of(
                &format!("frequency of {term:?} by {}", by.name()),
                5,
                || stats.frequency(&req).expect("frequency"),
            );
            println!(
                "    {} occurrences in {} documents",
                r.total.occurrences, r.total.documents
            );
        }
    }
    for term in ["người", "kinh tế"] {
        let req = ConcordanceRequest {
            term: term.into(),
            limit: 1_000,
            ..ConcordanceRequest::default()
        };
        let c = best_of(&format!("first 1,000 KWIC lines of {term:?}"), 5, || {
            stats.concordance(&req).expect("kwic")
        });
        assert_eq!(c.lines.len(), 1_000);
    }
    let req = CollocatesRequest {
        term: "kinh tế".into(),
        ..CollocatesRequest::default()
    };
    time("collocates of \"kinh tế\" (±5)", || {
        stats.collocates(&req).expect("collocates")
    });
    let req = FrequencyRequest {
        subcorpus: Subcorpus {
            q: "bóng đá".into(),
            ..Subcorpus::default()
        },
        term: "bàn thắng".into(),
        group_by: GroupBy::None,
    };
    best_of(
        "frequency of \"bàn thắng\" in the subcorpus q=\"bóng đá\"",
        5,
        || stats.frequency(&req).expect("frequency"),
    );
}
