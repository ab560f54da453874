//! Facet counts read from the engine's per-segment tables must equal those read
//! column by column, on a multi-segment index, and stay right after new commits;
//! counts kept between pages of a search equal those counted afresh.

use std::path::Path;

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, SearchRequest};
use kehoach::query::{FacetCollector, FacetCounts};
use tantivy::query::AllQuery;

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn facet_count_entries(engine: &Engine) -> u64 {
    engine
        .cache_usage()
        .iter()
        .find(|c| c.name == "facet counts")
        .map(|c| c.entries)
        .unwrap()
}

fn compare(engine: &Engine, queries: &[&str]) -> usize {
    let searcher = engine.searcher();
    let plain: FacetCounts = searcher
        .search(&AllQuery, &FacetCollector::new(50))
        .unwrap();
    let tabled: FacetCounts = searcher
        .search(&AllQuery, &engine.facet_collector(50))
        .unwrap();
    assert_eq!(plain, tabled, "whole corpus");
    let mut nonempty = 0;
    for q in queries {
        let req = SearchRequest {
            query: (*q).into(),
            ..SearchRequest::default()
        };
        let (_, a) = engine.search_with(&req, FacetCollector::new(50)).unwrap();
        let (_, b) = engine
            .search_with(&req, engine.facet_collector(50))
            .unwrap();
        assert_eq!(a, b, "query {q:?}");
        // Kept per search of the current index, not per page: a later page reuses
        // them, and after a commit they are counted again (see the second call).
        let (first, kept) = engine.search_with_facets(&req, 50).unwrap();
        assert_eq!(*kept, a, "kept counts, query {q:?}");
        let entries = facet_count_entries(engine);
        let later = SearchRequest {
            offset: 3,
            ..req.clone()
        };
        let (page, reused) = engine.search_with_facets(&later, 50).unwrap();
        assert_eq!(*reused, a, "a later page, query {q:?}");
        assert_eq!(page.total, first.total);
        assert_eq!(facet_count_entries(engine), entries, "query {q:?}");
        nonempty += usize::from(!a.province.is_empty() || !a.year.is_empty());
    }
    nonempty
}

#[test]
fn table_counts_equal_column_counts_across_segments_and_commits() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    // An index built from nothing ends as one segment; one that is added to keeps
    // the segments of its commits.
    let first = tmp.path().join("first.jsonl");
    std::fs::write(&first, r#"{"id":"x0","text":"Văn bản mở đầu."}"#).unwrap();
    index::ingest(&idx, &[first], &IngestOptions::default(), &NoProgress).unwrap();
    let opts = IngestOptions {
        commit_every: 60,
        ..IngestOptions::default()
    };
    let s = index::ingest(&idx, &[corpus()], &opts, &NoProgress).unwrap();
    assert!(s.indexed > 100, "{s:#?}");
    let engine = Engine::open(&idx).unwrap();
    assert!(
        engine.searcher().segment_readers().len() > 1,
        "the test needs several segments"
    );
    let queries = ["kế hoạch", "chuyen doi so", "ủy ban nhân dân", "năm 2022"];
    assert!(compare(&engine, &queries) >= 3);
    let before = engine
        .searcher()
        .search(&AllQuery, &engine.facet_collector(50))
        .unwrap();

    // A new commit adds a segment: its table is built, the old ones are reused.
    let extra = tmp.path().join("extra.jsonl");
    std::fs::write(
        &extra,
        r#"{"id":"x1","text":"Kế hoạch chuyển đổi số","province":"Cà Mau","date":"2031-05-01"}
{"id":"x2","text":"Kế hoạch chuyển đổi số năm 2031","province":"Cà Mau","date":"2031-06-01"}
"#,
    )
    .unwrap();
    index::ingest(&idx, &[extra], &IngestOptions::default(), &NoProgress).unwrap();
    engine.reload().unwrap();
    compare(&engine, &queries);
    let after = engine
        .searcher()
        .search(&AllQuery, &engine.facet_collector(50))
        .unwrap();
    let count =
        |f: &FacetCounts, v: &str| f.year.iter().find(|b| b.value == v).map_or(0, |b| b.count);
    assert_eq!(count(&before, "2031"), 0);
    assert_eq!(count(&after, "2031"), 2);
}
