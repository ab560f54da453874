//! Proximity of the top hits: for the multi-syllable queries of `scripts/queries.txt`
//! (2–5 syllables), the share of the top 10 whose text holds the query's syllables
//! together and in order, over the queries that at least 10 documents hold so.
//!
//! ```sh
//! cargo bench --bench proximity                        # corpus/ and, with ../shared, VNTC
//! KEHOACH_BENCH_INDEX=/path/to/index cargo bench --bench proximity   # an existing index
//! ```
//! A hit holds the phrase when the quoted query (`"chuyển đổi số"`, same accent
//! routing) matches it: the query AND the hit's id.

mod common;

use std::path::{Path, PathBuf};

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, SearchRequest};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

fn queries() -> Vec<String> {
    common::query_lines()
        .into_iter()
        // Plain words only: no phrase, exclusion or alternative.
        .filter(|q| !q.contains(['"', '-']) && !q.split_whitespace().any(|w| w == "OR"))
        .filter(|q| (2..=5).contains(&kehoach::analysis::analyze(q).len()))
        .collect()
}

fn measure(name: &str, engine: &Engine) {
    let searcher = engine.searcher();
    let id_field = engine.fields().id;
    let mut shares = Vec::new();
    let mut worst: Vec<(f64, String)> = Vec::new();
    for q in queries() {
        let phrase_req = SearchRequest {
            query: format!("\"{q}\""),
            ..SearchRequest::default()
        };
        let Ok((phrase, _)) = engine.build_query(&phrase_req) else {
            continue;
        };
        let holding = searcher.search(&*phrase, &Count).expect("count");
        if holding < 10 {
            continue;
        }
        let res = engine
            .search(&SearchRequest {
                query: q.clone(),
                limit: 10,
                fragments: 0,
                ..SearchRequest::default()
            })
            .expect("search");
        let together = res
            .hits
            .iter()
            .filter(|h| {
                let both = BooleanQuery::new(vec![
                    (Occur::Must, phrase.box_clone()),
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(
                            Term::from_field_text(id_field, &h.id),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>,
                    ),
                ]);
                searcher.search(&both, &Count).expect("count") > 0
            })
            .count();
        let share = together as f64 / res.hits.len().max(1) as f64;
        shares.push(share);
        worst.push((share, q));
    }
    worst.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mean = shares.iter().sum::<f64>() / shares.len().max(1) as f64;
    println!(
        "{name}: {} queries with ≥ 10 documents holding the phrase; share of the top 10 holding it: {mean:.3}",
        shares.len()
    );
    for (share, q) in worst.iter().take(5).filter(|(s, _)| *s < 1.0) {
        println!("  {share:.1}  {q}");
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("proximity bench: run with `cargo bench --bench proximity`");
        return;
    }
    if let Some(dir) = std::env::var_os("KEHOACH_BENCH_INDEX") {
        let dir = PathBuf::from(dir);
        measure(
            &dir.display().to_string(),
            &Engine::open(&dir).expect("open"),
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sets: Vec<(&str, PathBuf)> = vec![("corpus/", root.join("corpus"))];
    match common::shared() {
        Some(shared) => sets.push(("VNTC", shared.join("corpora/vntc-news-84k.jsonl.gz"))),
        None => println!("../shared not found: VNTC skipped"),
    }
    for (name, input) in sets {
        let dir = tmp.path().join(name.trim_end_matches('/'));
        index::ingest(&dir, &[input], &IngestOptions::default(), &NoProgress).expect("ingest");
        measure(name, &Engine::open(&dir).expect("open"));
    }
}
