//! A two-syllable word answered from the pair fields (`PairQuery`) matches the
//! documents and gives the scores of the phrase query it replaces, in both views,
//! boosted or not: here for the lexicon words among syllable pairs taken from the
//! shipped corpus itself (pairs across punctuation too) and for words no document holds.

use std::path::Path;

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, PairQuery};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BoostQuery, PhraseQuery, Query};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, TantivyDocument, Term};

fn ranked(engine: &Engine, q: &dyn Query) -> (usize, Vec<(DocAddress, u32)>) {
    let searcher = engine.searcher();
    let (count, top) = searcher
        .search(q, &(Count, TopDocs::with_limit(100_000).order_by_score()))
        .unwrap();
    let mut top: Vec<(DocAddress, u32)> = top.into_iter().map(|(s, a)| (a, s.to_bits())).collect();
    top.sort();
    (count, top)
}

#[test]
fn pair_queries_match_and_score_as_phrase_queries() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    index::ingest(&idx, &[corpus], &IngestOptions::default(), &NoProgress).unwrap();
    let engine = Engine::open(&idx).unwrap();
    let f = engine.fields().clone();
    let searcher = engine.searcher();

    // Adjacent syllables of the stored texts, both views, every 13th position.
    let mut pairs: Vec<(String, String, String, String)> = Vec::new();
    for segment in 0..searcher.segment_readers().len() {
        for doc in (0..searcher.segment_reader(segment as u32).max_doc()).step_by(3) {
            let d: TantivyDocument = searcher.doc(DocAddress::new(segment as u32, doc)).unwrap();
            let text = d
                .get_first(f.text)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            let tokens = kehoach::analysis::analyze(&text);
            for w in tokens.windows(2).step_by(5) {
                if w[1].position == w[0].position + 1
                    && kehoach::analysis::is_pair_word(&w[0].text, &w[1].text, false)
                {
                    pairs.push((
                        w[0].text.clone(),
                        w[1].text.clone(),
                        w[0].folded.clone(),
                        w[1].folded.clone(),
                    ));
                }
            }
        }
    }
    assert!(pairs.len() > 200, "only {} pairs sampled", pairs.len());
    pairs.push(("khủng".into(), "long".into(), "khung".into(), "long".into()));

    let phrase = |body: Field, a: &str, b: &str| {
        PhraseQuery::new(vec![
            Term::from_field_text(body, a),
            Term::from_field_text(body, b),
        ])
    };
    let mut matched = 0;
    for (i, (a, b, fa, fb)) in pairs.iter().enumerate() {
        for (body, pair_field, x, y) in [
            (f.body, f.body_pairs, a, b),
            (f.body_folded, f.body_folded_pairs, fa, fb),
        ] {
            assert!(
                kehoach::analysis::is_pair_word(x, y, body == f.body_folded),
                "{x} {y} is not a word of its view"
            );
            let want = ranked(&engine, &phrase(body, x, y));
            let got = ranked(&engine, &PairQuery::new(body, pair_field, x, y));
            assert_eq!(got, want, "{x} {y}");
            if want.0 > 0 {
                matched += 1;
            }
            if i % 10 == 0 {
                let want = ranked(&engine, &BoostQuery::new(Box::new(phrase(body, x, y)), 2.5));
                let pq = PairQuery::new(body, pair_field, x, y);
                let got = ranked(&engine, &BoostQuery::new(Box::new(pq), 2.5));
                assert_eq!(got, want, "boosted {x} {y}");
            }
        }
    }
    assert!(matched > 300, "only {matched} phrases matched");
}
