//! The most frequent two- and three-syllable phrases of an index.
//!
//! ```text
//! cargo run --release -- ingest corpus/ --index index/
//! cargo run --release --example top_ngrams -- index/ [QUERY]
//! ```
//!
//! With a QUERY, the counts are over the documents it matches (a subcorpus); stop
//! words at either end of an n-gram are hidden, as on the statistics page.

use std::path::PathBuf;
use std::sync::Arc;

use kehoach::query::Engine;
use kehoach::stats::{Stats, TopTermsRequest};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "index".into()));
    let query = args.next().unwrap_or_default();
    let stats = Stats::new(Arc::new(Engine::open(&dir)?));
    let mut req = TopTermsRequest {
        n_min: 2,
        n_max: 3,
        limit: 10,
        ..TopTermsRequest::default()
    };
    req.subcorpus.q = query;
    let table = stats.top_terms(&req)?;
    println!(
        "{} documents, {} syllables",
        table.subcorpus_documents, table.subcorpus_syllables
    );
    for row in &table.rows {
        println!("{}  {:<40} {:>7} {:>6}", row.n, row.ngram, row.tf, row.df);
    }
    Ok(())
}
