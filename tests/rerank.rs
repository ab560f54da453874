//! The ranking of a search equals a brute-force evaluation of its parts.
//!
//! * Long queries: the adjacency bonus is added to the best base matches only (a
//!   rerank window). When every match fits in the window, the scores must be exactly
//!   those of the single query "base AND optional bonus" evaluated for every match.
//! * Short queries: documents are ranked by level (the highest level query they
//!   match), then by base score plus the scores of every level they match; computed
//!   here with one plain tantivy search per level.

use std::collections::HashSet;
use std::path::Path;

use kehoach::index::{self, IngestOptions, NoProgress};

use kehoach::query::{parser, Engine, SearchRequest};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur};
use tantivy::DocAddress;

fn engine() -> (tempfile::TempDir, Engine) {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    index::ingest(&idx, &[corpus], &IngestOptions::default(), &NoProgress).unwrap();
    let engine = Engine::open(&idx).unwrap();
    (tmp, engine)
}

fn engine_scores(engine: &Engine, q: &str, limit: usize) -> (usize, Vec<f32>) {
    let res = engine
        .search(&SearchRequest {
            query: q.into(),
            limit,
            fragments: 0,
            ..SearchRequest::default()
        })
        .unwrap();
    (res.total, res.hits.iter().map(|h| h.score).collect())
}

fn assert_close(q: &str, want: &[f32], got: &[f32]) {
    assert_eq!(want.len(), got.len(), "{q:?}");
    for (w, g) in want.iter().zip(got) {
        assert!(
            (w - g).abs() <= 1e-4 * w.abs().max(1.0),
            "{q:?}: {want:?} vs {got:?}"
        );
    }
}

/// Brute force: every match's level (one search per level), its score (base + every
/// level and bonus query it matches, one tantivy search), sorted by (level, score).
fn brute_force(engine: &Engine, q: &str) -> (usize, Vec<f32>, bool, bool) {
    let searcher = engine.searcher();
    let parsed = parser::parse(q).unwrap();
    let opts = engine.options(q).unwrap();
    let compiled = kehoach::query::compile(&parsed, &searcher, engine.fields(), &opts)
        .unwrap()
        .unwrap();
    let base = compiled.query;
    // A level is reached by matching any of its alternatives.
    let reach: Vec<HashSet<DocAddress>> = compiled
        .levels
        .iter()
        .map(|alternatives| {
            let any = BooleanQuery::new(
                alternatives
                    .iter()
                    .map(|q| (Occur::Should, q.box_clone()))
                    .collect(),
            );
            let both = BooleanQuery::new(vec![
                (Occur::Must, base.box_clone()),
                (Occur::Must, Box::new(any) as Box<dyn tantivy::query::Query>),
            ]);
            searcher.search(&both, &DocSetCollector).unwrap()
        })
        .collect();
    let mut subs = vec![(Occur::Must, base.box_clone())];
    subs.extend(
        compiled
            .levels
            .iter()
            .flatten()
            .map(|q| (Occur::Should, q.box_clone())),
    );
    let has_bonus = !compiled.bonus.is_empty();
    subs.extend(compiled.bonus.into_iter().map(|b| (Occur::Should, b)));
    let full = BooleanQuery::new(subs);
    let (total, all) = searcher
        .search(
            &full,
            &(Count, TopDocs::with_limit(10_000).order_by_score()),
        )
        .unwrap();
    let n = reach.len();
    let mut ranked: Vec<(usize, f32)> = all
        .iter()
        .map(|(s, a)| {
            let level = reach
                .iter()
                .position(|r| r.contains(a))
                .map_or(0, |i| n - i);
            (level, *s)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
    let reached = ranked.iter().any(|(l, _)| *l > 0);
    (
        total,
        ranked.iter().take(10).map(|(_, s)| *s).collect(),
        reached,
        has_bonus,
    )
}

#[test]
fn ranking_equals_brute_force() {
    let (_tmp, engine) = engine();
    let (mut reached, mut bonus) = (0, 0);
    for q in [
        // Short: ranking levels.
        "kế hoạch thực hiện",
        "chuyen doi so",
        "ủy ban nhân dân tỉnh",
        "cai cach hanh chinh",
        "thi đua khen thưởng",
        // Long: pair bonus on the best matches (every match fits in the window here),
        // name and expansion levels.
        "ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện",
        "ke hoach phat trien kinh te xa hoi nam 2024",
        "phát triển kinh tế xã hội và chuyển đổi số của tỉnh",
    ] {
        let (total, want, r, b) = brute_force(&engine, q);
        assert!(
            total <= kehoach::query::RERANK_WINDOW,
            "{q:?}: {total} matches exceed the window"
        );
        let (engine_total, got) = engine_scores(&engine, q, 10);
        assert_eq!(engine_total, total, "{q:?}");
        assert_close(q, &want, &got);
        reached += usize::from(r);
        bonus += usize::from(b && total > 0);
    }
    assert!(reached >= 5, "most queries must reach a level");
    assert!(bonus >= 2, "long queries must get a bonus");
}
