//! Where one search's time goes (issue 18): the queries of `scripts/queries.txt`, each
//! run in-process as `/api/search` runs it the first time (ten hits, three-fragment
//! snippets, facet counts); as it runs it again (the facet counts and total kept, the
//! page ranked among the matches that can reach it, `src/query/prune.rs`); then without
//! facets, then without snippets either, so the differences are the cost of each part.
//!
//! ```sh
//! KEHOACH_BENCH_INDEX=/tmp/vntc-index cargo bench --bench search_cost
//! cargo bench --bench search_cost                 # an index of corpus/ built in a temp dir
//! ```
//! Figures are wall time on one thread per search (the machine otherwise idle),
//! median and mean over every query and round. `KEHOACH_BENCH_QUERIES=FILE` reads the
//! queries from FILE instead; `KEHOACH_BENCH_PER_QUERY=1` also prints each query's
//! mean time as served (to compare two builds query by query).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, SearchRequest, DEFAULT_MAX_BUCKETS};

const ROUNDS: usize = 5;

fn index_dir() -> (PathBuf, Option<tempfile::TempDir>) {
    if let Some(dir) = std::env::var_os("KEHOACH_BENCH_INDEX") {
        return (PathBuf::from(dir), None);
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    index::ingest(
        tmp.path(),
        &[corpus],
        &IngestOptions::default(),
        &NoProgress,
    )
    .expect("ingest corpus/");
    (tmp.path().to_path_buf(), Some(tmp))
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("search_cost bench: run with `cargo bench --bench search_cost`");
        return;
    }
    let (dir, _tmp) = index_dir();
    let engine = Engine::open(&dir).expect("open index");
    let queries = common::query_lines();
    let searcher = engine.searcher();
    println!(
        "index {} ({} documents), {} queries × {ROUNDS} rounds",
        dir.display(),
        searcher.num_docs(),
        queries.len()
    );
    let request = |q: &str, fragments: usize| SearchRequest {
        query: q.to_string(),
        fragments,
        ..SearchRequest::default()
    };
    type Run<'a> = Box<dyn Fn(&str) + 'a>;
    let runs: Vec<(&str, Run)> = vec![
        (
            "snippets + facets (as served)",
            Box::new(|q| {
                engine
                    .search_with(&request(q, 3), engine.facet_collector(DEFAULT_MAX_BUCKETS))
                    .expect("search");
            }),
        ),
        (
            "repeated (facet counts known)",
            Box::new(|q| {
                engine
                    .search_with_facets(&request(q, 3), DEFAULT_MAX_BUCKETS)
                    .expect("search");
            }),
        ),
        (
            "snippets, no facets",
            Box::new(|q| {
                engine.search(&request(q, 3)).expect("search");
            }),
        ),
        (
            "no snippets, no facets",
            Box::new(|q| {
                engine.search(&request(q, 0)).expect("search");
            }),
        ),
    ];
    if std::env::var_os("KEHOACH_BENCH_PER_QUERY").is_some() {
        let (_, served) = &runs[0];
        for q in &queries {
            served(q);
            let t = Instant::now();
            for _ in 0..ROUNDS {
                served(q);
            }
            let ms = t.elapsed().as_secs_f64() * 1e3 / ROUNDS as f64;
            println!("{ms:8.3} ms  {q}");
        }
    }
    for (name, run) in &runs {
        for q in &queries {
            run(q); // warm-up
        }
        let mut times: Vec<Duration> = Vec::new();
        let cpu0 = common::cpu_seconds();
        for _ in 0..ROUNDS {
            for q in &queries {
                let t = Instant::now();
                run(q);
                times.push(t.elapsed());
            }
        }
        let cpu = common::cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
        times.sort_unstable();
        let mean = times.iter().sum::<Duration>().as_secs_f64() * 1e3 / times.len() as f64;
        println!(
            "{name:32} p50 {:6.3} ms  mean {:6.3} ms  p99 {:6.3} ms  CPU {}",
            common::percentile_ms(&times, 0.5),
            mean,
            common::percentile_ms(&times, 0.99),
            cpu.map_or("?".into(), |c| format!(
                "{:.3} ms/search",
                c * 1e3 / times.len() as f64
            )),
        );
    }
}
