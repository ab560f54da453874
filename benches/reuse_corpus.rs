//! Text reuse over a whole index (issue 17 item 5; a bench binary): the time to
//! build the corpus fingerprints (once per commit, on the first reuse request),
//! the latency of one document's reuse report, and the time of the all-pairs list
//! over the whole corpus (`GET /api/reuse` without a query).
//!
//! ```text
//! cargo bench --bench reuse_corpus                                    # the shipped corpus/
//! KEHOACH_BENCH_INDEX=/tmp/vntc-index cargo bench --bench reuse_corpus  # an existing index (VNTC 84k)
//! ```
//!
//! The VNTC index is built with `kehoach ingest --index /tmp/vntc-index
//! ../shared/corpora/vntc-news-84k.jsonl.gz`.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use common::percentile_ms;
use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::Engine;
use kehoach::related::Graph;
use kehoach::reuse::Reuse;

/// Reports asked for, spread over the corpus.
const REPORTS: usize = 200;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("reuse_corpus bench: run with `cargo bench --bench reuse_corpus`");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = match std::env::var_os("KEHOACH_BENCH_INDEX") {
        Some(p) => PathBuf::from(p),
        None => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let dir = tmp.path().join("index");
            let s = index::ingest(
                &dir,
                &[root.join("corpus")],
                &IngestOptions::default(),
                &NoProgress,
            )
            .expect("ingest");
            println!("indexed {} documents of corpus/", s.indexed);
            dir
        }
    };
    let engine = Arc::new(Engine::open(&dir).expect("open index"));
    let ids: Vec<String> = {
        let graph = Graph::build(&engine).expect("graph");
        let nodes = graph.nodes();
        let step = (nodes.len() / REPORTS).max(1);
        nodes
            .iter()
            .step_by(step)
            .take(REPORTS)
            .map(|n| n.info.id.clone())
            .collect()
    };
    let reuse = Reuse::new(Arc::clone(&engine));

    // The first report builds the fingerprints of the commit.
    let Some(first) = ids.first() else {
        println!("reuse_corpus bench: the index is empty");
        return;
    };
    let start = Instant::now();
    reuse.document(first).expect("first report");
    let build = start.elapsed();
    println!(
        "fingerprints of {} documents built (with the first report) in {:.1} s",
        engine.num_docs(),
        build.as_secs_f64()
    );

    let mut times = Vec::with_capacity(ids.len());
    let (mut passages, mut with_reuse) = (0usize, 0usize);
    for id in &ids {
        let start = Instant::now();
        let r = reuse.document(id).expect("report");
        times.push(start.elapsed());
        passages += r.passages.len();
        with_reuse += usize::from(!r.passages.is_empty());
    }
    times.sort();
    println!(
        "one document's reuse report ({} documents): p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
         {with_reuse} share text, {passages} passages",
        times.len(),
        percentile_ms(&times, 0.5),
        percentile_ms(&times, 0.9),
        percentile_ms(&times, 0.99),
        percentile_ms(&times, 1.0),
    );

    let start = Instant::now();
    let pairs = reuse
        .pairs("", &Default::default(), 500)
        .expect("all pairs");
    println!(
        "all pairs over the corpus: {} candidate pairs from fingerprints, the top {} aligned and kept in {:.1} s",
        pairs.candidates,
        pairs.pairs.len(),
        start.elapsed().as_secs_f64()
    );
}
