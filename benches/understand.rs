//! Throughput of document understanding (docs/s and MB/s) with rayon over 2 threads,
//! on the vlc-laws corpus (108 laws) and the first 20 000 VNTC news articles.
//! `Understander::understand` includes the one analyzer pass whose tokens themes and
//! province mentions are matched on (at ingest that pass also feeds the index).
//! Needs the shared material (`KEHOACH_SHARED`, default `../shared`); skips without it.
//!
//! Run: `KEHOACH_SHARED=/work/shared cargo bench --bench understand`

mod common;

use std::io::{BufRead, BufReader};
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kehoach::document::Understander;
use rayon::prelude::*;

fn laws(shared: &std::path::Path) -> Vec<String> {
    let mut v = Vec::new();
    if let Ok(rd) = std::fs::read_dir(shared.join("corpora/vlc-laws")) {
        for e in rd.flatten() {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                if !t.trim().is_empty() {
                    v.push(t);
                }
            }
        }
    }
    v
}

fn news(shared: &std::path::Path, n: usize) -> Vec<String> {
    let Ok(f) = std::fs::File::open(shared.join("corpora/vntc-news-84k.jsonl.gz")) else {
        return Vec::new();
    };
    let r = BufReader::new(flate2::read::GzDecoder::new(f));
    r.lines()
        .map_while(Result::ok)
        .take(n)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

fn bench(c: &mut Criterion) {
    let Some(shared) = common::shared() else {
        eprintln!("SKIP: shared material not found (set KEHOACH_SHARED)");
        return;
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("thread pool");
    let u = Understander::new();
    for (name, docs) in [
        ("vlc-laws", laws(&shared)),
        ("vntc-news-20k", news(&shared, 20_000)),
    ] {
        if docs.is_empty() {
            eprintln!("SKIP {name}: corpus not found");
            continue;
        }
        let bytes: usize = docs.iter().map(String::len).sum();
        // One timed pass for a plain docs/s and MB/s line (wall clock), plus the CPU
        // time used: on a shared machine the wall clock says little.
        let cpu0 = common::cpu_seconds();
        let t = Instant::now();
        let refs: usize = pool.install(|| {
            docs.par_iter()
                .map(|d| u.understand(d).references.len())
                .sum()
        });
        let s = t.elapsed().as_secs_f64();
        let cpu = common::cpu_seconds().zip(cpu0).map(|(a, b)| a - b);
        println!(
            "{name}: {} docs, {:.1} MB, {refs} references: {:.0} docs/s, {:.1} MB/s wall (2 threads, one pass)",
            docs.len(),
            bytes as f64 / 1e6,
            docs.len() as f64 / s,
            bytes as f64 / 1e6 / s
        );
        if let Some(c) = cpu.filter(|c| *c > 0.0) {
            println!(
                "{name}: {c:.2} CPU-s: {:.1} MB per CPU-second, i.e. {:.1} MB/s on 2 free cores",
                bytes as f64 / 1e6 / c,
                2.0 * bytes as f64 / 1e6 / c
            );
        }
        let mut g = c.benchmark_group("understand");
        g.sample_size(10);
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                pool.install(|| {
                    docs.par_iter()
                        .map(|d| u.understand(d).references.len())
                        .sum::<usize>()
                })
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
