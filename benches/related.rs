//! Related-plans benchmark (a bench binary): graph build time and the latency of
//! the related sets of every document (cites, cited by, siblings, chain, similar).
//!
//! ```text
//! cargo bench --bench related                          # the shipped corpus/ (+ ../shared laws when present)
//! KEHOACH_BENCH_INDEX=/tmp/vntc-index cargo bench --bench related   # an existing index
//! ```

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::percentile_ms;
use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::Engine;
use kehoach::related::Graph;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("related bench: run with `cargo bench --bench related`");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = match std::env::var_os("KEHOACH_BENCH_INDEX") {
        Some(p) => PathBuf::from(p),
        None => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let mut inputs = vec![root.join("corpus")];
            let shared = std::env::var_os("KEHOACH_SHARED")
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("../shared"));
            if shared.join("corpora/vlc-laws").is_dir() {
                inputs.push(shared.join("corpora/vlc-laws"));
            }
            let dir = tmp.path().join("index");
            let s = index::ingest(&dir, &inputs, &IngestOptions::default(), &NoProgress)
                .expect("ingest");
            println!("indexed {} documents from {:?}", s.indexed, inputs);
            dir
        }
    };
    let engine = Engine::open(&dir).expect("open index");
    let start = Instant::now();
    let graph = Graph::build(&engine).expect("graph");
    let built = start.elapsed();
    let edges = graph.edges().count();
    println!(
        "graph: {} documents, {edges} citations resolved in {:.1} ms",
        graph.len(),
        built.as_secs_f64() * 1e3
    );
    let ids: Vec<String> = graph
        .nodes()
        .iter()
        .take(500)
        .map(|n| n.info.id.clone())
        .collect();
    let mut lat = Vec::with_capacity(ids.len());
    for id in &ids {
        let s = Instant::now();
        let r = graph.related(id, Some(&engine), 10).expect("related");
        lat.push(s.elapsed());
        std::hint::black_box(r);
    }
    lat.sort();
    println!(
        "related sets (with similar) of {} documents: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        lat.len(),
        percentile_ms(&lat, 0.5),
        percentile_ms(&lat, 0.9),
        percentile_ms(&lat, 0.99),
        percentile_ms(&lat, 1.0)
    );
}
