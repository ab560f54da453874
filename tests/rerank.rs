//! The adjacency bonus is added to the best base matches only (a rerank window).
//! When every match fits in the window, the scores must be exactly those of the
//! single query "base AND optional bonus" that tantivy would evaluate for every
//! match.

use std::path::Path;

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{build, parser, Engine, SearchRequest};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};

#[test]
fn windowed_bonus_scores_equal_full_evaluation() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    index::ingest(&idx, &[corpus], &IngestOptions::default(), &NoProgress).unwrap();
    let engine = Engine::open(&idx).unwrap();
    let searcher = engine.searcher();
    let mut with_bonus = 0;
    for q in [
        "kế hoạch thực hiện",
        "chuyen doi so",
        "ủy ban nhân dân tỉnh",
        "phát triển kinh tế xã hội",
        "cai cach hanh chinh",
    ] {
        let parsed = parser::parse(q).unwrap();
        let compiled = build::compile(&parsed, engine.fields()).unwrap().unwrap();
        let Some(bonus) = compiled.bonus else {
            panic!("{q:?}: consecutive plain words must give an adjacency bonus")
        };
        let full = BooleanQuery::new(vec![(Occur::Must, compiled.query), (Occur::Should, bonus)]);
        let (total, top) = searcher
            .search(
                &full as &dyn Query,
                &(Count, TopDocs::with_limit(10).order_by_score()),
            )
            .unwrap();
        assert!(
            total <= kehoach::query::search::RERANK_WINDOW,
            "{q:?}: {total} matches"
        );
        let res = engine
            .search(&SearchRequest {
                query: q.into(),
                limit: 10,
                fragments: 0,
                ..SearchRequest::default()
            })
            .unwrap();
        assert_eq!(res.total, total, "{q:?}");
        let want: Vec<f32> = top.iter().map(|(s, _)| *s).collect();
        let got: Vec<f32> = res.hits.iter().map(|h| h.score).collect();
        assert_eq!(want.len(), got.len(), "{q:?}");
        for (w, g) in want.iter().zip(&got) {
            assert!(
                (w - g).abs() <= 1e-4 * w.abs().max(1.0),
                "{q:?}: {want:?} vs {got:?}"
            );
        }
        with_bonus += usize::from(total > 0);
    }
    assert!(with_bonus >= 4, "most queries must match something");
}
