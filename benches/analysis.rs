//! Analyzer throughput on real Vietnamese news text (first ~20 MB of the VNTC corpus),
//! in MB/s of input:
//! - `kehoach_both_views`: both kehoach tantivy tokenizers over the text, as indexing
//!   does (accented field + folded field);
//! - `tantivy_stock`: tantivy's SimpleTokenizer + LowerCaser + AsciiFoldingFilter.
//!
//! Run: `KEHOACH_SHARED=/work/shared cargo bench --bench analysis`.
//! Skips with a message when the shared corpus is absent.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream, TokenizerManager,
};

const LIMIT_BYTES: usize = 20_000_000;

fn shared_dir() -> PathBuf {
    match std::env::var_os("KEHOACH_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

fn load_corpus() -> Option<Vec<String>> {
    let path = shared_dir().join("corpora/vntc-news-84k.jsonl.gz");
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

fn bench(c: &mut Criterion) {
    let Some(docs) = load_corpus() else {
        println!(
            "analysis bench: corpus not found under {} (set KEHOACH_SHARED); skipping",
            shared_dir().display()
        );
        return;
    };
    let bytes: usize = docs.iter().map(String::len).sum();
    println!("analysis bench: {} documents, {} bytes", docs.len(), bytes);

    let manager = TokenizerManager::default();
    kehoach::analysis::register_on(&manager);
    let (Some(mut accented), Some(mut folded)) = (
        manager.get(kehoach::analysis::ACCENTED_TOKENIZER),
        manager.get(kehoach::analysis::FOLDED_TOKENIZER),
    ) else {
        println!("analysis bench: tokenizers not registered; skipping");
        return;
    };
    let mut stock = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();

    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("kehoach_both_views", |b| {
        b.iter(|| run(&mut accented, &docs) + run(&mut folded, &docs))
    });
    group.bench_function("tantivy_stock", |b| b.iter(|| run(&mut stock, &docs)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
