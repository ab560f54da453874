//! Indexes a folder into a temporary index and runs one search over it.
//!
//! ```text
//! cargo run --release --example search -- corpus/ "chuyen doi so"
//! ```
//!
//! The same two calls `kehoach ingest` and `kehoach search` make: [`index::ingest`]
//! reads, understands and indexes every file (in parallel, committing as it goes),
//! and [`Engine::search`] answers a query typed with or without accents.

use std::path::PathBuf;

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, SearchRequest};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(folder), Some(query)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: search FOLDER QUERY");
    };
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("index");
    let summary = index::ingest(
        &dir,
        &[PathBuf::from(folder)],
        &IngestOptions::default(),
        &NoProgress,
    )?;
    println!("indexed {} documents", summary.total_docs);

    let engine = Engine::open(&dir)?;
    let results = engine.search(&SearchRequest {
        query,
        limit: 5,
        ..SearchRequest::default()
    })?;
    println!("{} matching documents", results.total);
    for hit in &results.hits {
        println!("{:>6.2}  {}  {}", hit.score, hit.id, hit.title);
        println!("        {}", hit.snippet_text);
    }
    Ok(())
}
