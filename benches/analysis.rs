//! Analyzer throughput on real Vietnamese news text (first ~20 MB of the VNTC corpus),
//! in MB/s of input:
//! - `kehoach_both_views`: both kehoach tantivy tokenizers over the text (accented
//!   field + folded field), as titles and queries are analysed;
//! - `kehoach_ingest_pass`: the one pass ingest runs over a body
//!   (`index::Analysed::new`: both views as pre-analysed streams, the position count
//!   and the statistics' syllable stream);
//! - `tantivy_stock`: tantivy's SimpleTokenizer + LowerCaser + AsciiFoldingFilter;
//! - `repair_split_syllables`: `document::repair` over the same text (news has
//!   almost no split syllable: this is the cost on a clean document).
//!
//! Two groups: `analysis` measures wall time (the usual criterion clock), and
//! `analysis_cpu` measures the benchmark thread's CPU time (Linux
//! `/proc/thread-self/schedstat`), i.e. MB/s on one core even when the machine is
//! shared and loaded.
//!
//! Run: `KEHOACH_SHARED=/work/shared cargo bench --bench analysis`.
//! Skips with a message when the shared corpus is absent.

mod common;

use std::io::{BufRead, BufReader};
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream, TokenizerManager,
};

const LIMIT_BYTES: usize = 20_000_000;

fn load_corpus() -> Option<Vec<String>> {
    let path = common::shared()?.join("corpora/vntc-news-84k.jsonl.gz");
    let file = std::fs::File::open(&path).ok()?;
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let mut docs = Vec::new();
    let mut total = 0;
    for line in reader.lines() {
        let line = line.ok()?;
        let value: serde_json::Value = serde_json::from_str(&line).ok()?;
        if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
            total += text.len();
            docs.push(text.to_string());
        }
        if total >= LIMIT_BYTES {
            break;
        }
    }
    Some(docs)
}

/// Runs an analyzer over every document; returns the number of tokens (kept alive so
/// the work is not optimised away).
fn run(analyzer: &mut TextAnalyzer, docs: &[String]) -> usize {
    let mut n = 0;
    for d in docs {
        let mut stream = analyzer.token_stream(d);
        while stream.advance() {
            n += stream.token().text.len();
        }
    }
    n
}

/// CPU time of the current thread in nanoseconds, from `/proc/thread-self/schedstat`.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Criterion measurement: CPU time of the benchmark thread (values in ns, formatted
/// like wall time).
struct ThreadCpu {
    wall: WallTime,
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns().unwrap_or(0)
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().unwrap_or(0).saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

struct Setup {
    docs: Vec<String>,
    bytes: u64,
    accented: TextAnalyzer,
    folded: TextAnalyzer,
    stock: TextAnalyzer,
}

fn setup() -> Option<Setup> {
    let Some(docs) = load_corpus() else {
        println!("analysis bench: shared VNTC corpus not found (set KEHOACH_SHARED); skipping");
        return None;
    };
    let bytes: usize = docs.iter().map(String::len).sum();
    println!("analysis bench: {} documents, {} bytes", docs.len(), bytes);
    let manager = TokenizerManager::default();
    kehoach::analysis::register_on(&manager);
    let accented = manager.get(kehoach::analysis::ACCENTED_TOKENIZER)?;
    let folded = manager.get(kehoach::analysis::FOLDED_TOKENIZER)?;
    let stock = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    Some(Setup {
        docs,
        bytes: bytes as u64,
        accented,
        folded,
        stock,
    })
}

fn run_group<M: Measurement>(c: &mut Criterion<M>, name: &str) {
    let Some(mut s) = setup() else { return };
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::BytesDecimal(s.bytes));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    let docs = &s.docs;
    let (accented, folded) = (&mut s.accented, &mut s.folded);
    group.bench_function("kehoach_both_views", |b| {
        b.iter(|| run(accented, docs) + run(folded, docs))
    });
    // What ingest runs: one pass giving both views as pre-analysed streams, the
    // position count and the statistics' syllable stream (`index::Analysed`).
    group.bench_function("kehoach_ingest_pass", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| kehoach::index::Analysed::new(d).streams.positions)
                .sum::<u64>()
        })
    });
    let stock = &mut s.stock;
    group.bench_function("tantivy_stock", |b| b.iter(|| run(stock, docs)));
    // The split-syllable repair ingest may run before analysis (news text has almost
    // no split syllable: mostly its scan, the path of a clean document).
    group.bench_function("repair_split_syllables", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| kehoach::document::repair_split_syllables(d).joins)
                .sum::<usize>()
        })
    });
    group.finish();
}

fn bench_wall(c: &mut Criterion) {
    run_group(c, "analysis");
}

fn bench_cpu(c: &mut Criterion<ThreadCpu>) {
    if thread_cpu_ns().is_none() {
        println!("analysis bench: no /proc/thread-self/schedstat; skipping CPU-time group");
        return;
    }
    run_group(c, "analysis_cpu");
}

criterion_group!(wall, bench_wall);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu { wall: WallTime });
    targets = bench_cpu
}
criterion_main!(wall, cpu);
