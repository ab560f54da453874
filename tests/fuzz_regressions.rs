//! Inputs the fuzz targets (fuzz/fuzz_targets/) found crashing, replayed through the same
//! code paths. Each file of tests/fixtures/fuzz/TARGET/ is one input.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kehoach::document::Understander;
use kehoach::index::{build_schema, Fields};
use kehoach::query::facets::FacetCollector;
use kehoach::query::parser::parse;
use kehoach::query::{Engine, Match, SearchRequest, Sort};
use tantivy::Index;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

/// The test plans of `tests/common`, one document per segment (phrase exclusions
/// then meet segments where the excluded phrase never or only partly occurs).
fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let index = Index::create_in_ram(build_schema());
        kehoach::analysis::register(&index);
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let u = Understander::new();
        for (id, text) in common::PLANS {
            writer
                .add_document(fields.to_document(id, id, "h", u.understand(text)))
                .unwrap();
            writer.commit().unwrap();
        }
        let mut all = String::new();
        for (_, text) in common::PLANS {
            all.push_str(text);
        }
        writer
            .add_document(fields.to_document("all", "all", "h", u.understand(&all)))
            .unwrap();
        writer.commit().unwrap();
        Engine::from_index(index, Path::new("in-ram")).unwrap()
    })
}

fn ids(q: &str, matching: Match) -> Vec<String> {
    let req = SearchRequest {
        query: q.to_string(),
        limit: 100,
        fragments: 2,
        matching,
        sort: Sort::Relevance,
        ..SearchRequest::default()
    };
    let (res, _) = engine().search_with(&req, FacetCollector::new(10)).unwrap();
    let mut ids: Vec<String> = res.hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

/// Every crashing query input parses or fails with a positioned error, and when it
/// parses, it runs in every match mode.
#[test]
fn query_inputs_run() {
    let inputs = inputs("query");
    assert!(!inputs.is_empty());
    for (path, bytes) in inputs {
        let q = String::from_utf8(bytes).unwrap();
        if parse(&q).is_err() {
            continue;
        }
        for m in [Match::All, Match::Auto, Match::Fill] {
            let _ = ids(&q, m);
        }
        eprintln!("{}: ok", path.display());
    }
}

/// The first crash: `xây dựng -nöng\0mới`, an excluded two-syllable phrase. Excluding
/// a phrase removes exactly the documents holding that phrase.
#[test]
fn excluded_phrase_removes_exactly_its_documents() {
    let with = ids("xây dựng", Match::All);
    assert!(with.len() >= 2, "{with:?}");
    for (excluded, phrase) in [
        ("-nöng\u{0}mới", "\"nông mới\""),
        ("-\"nông thôn mới\"", "\"nông thôn mới\""),
        ("-\"thi đua\"", "\"thi đua\""),
        ("-\"chuyên đội\"", "\"chuyên đội\""),
    ] {
        let holding = ids(phrase, Match::All);
        let want: Vec<String> = with
            .iter()
            .filter(|d| !holding.contains(d))
            .cloned()
            .collect();
        let got = ids(&format!("xây dựng {excluded}"), Match::All);
        assert_eq!(got, want, "xây dựng {excluded} (phrase in {holding:?})");
    }
}
