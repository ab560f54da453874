//! Inputs the fuzz targets (fuzz/fuzz_targets/) found crashing, replayed through the same
//! code paths. Each file of tests/fixtures/fuzz/TARGET/ is one input.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kehoach::document::Understander;
use kehoach::query::parser::parse;
use kehoach::query::FacetCollector;
use kehoach::query::{Engine, Match, SearchRequest, Sort};
use kehoach::Error;

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
        let all: String = common::PLANS.iter().map(|(_, text)| *text).collect();
        let mut docs = common::PLANS.to_vec();
        docs.push(("all", &all));
        common::in_ram_engine(&docs, true)
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
/// parses, it runs in every match mode or fails with a query error positioned inside
/// it (`"#"`, a phrase of punctuation only, parses but has no word to search for).
#[test]
fn query_inputs_run() {
    let inputs = inputs("query");
    assert!(inputs.len() >= 2);
    for (path, bytes) in inputs {
        let q = String::from_utf8(bytes).unwrap();
        let n = q.chars().count();
        if parse(&q).is_err() {
            continue;
        }
        for matching in [Match::All, Match::Auto, Match::Fill] {
            let req = SearchRequest {
                query: q.clone(),
                fragments: 2,
                matching,
                ..SearchRequest::default()
            };
            match engine().search_with(&req, FacetCollector::new(10)) {
                Ok(_) => {}
                Err(Error::Query { position, .. }) => {
                    assert!(position < n, "{}: position {position}", path.display())
                }
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
    }
}

/// A 288-byte file whose one "word" carries hundreds of tone marks once read as legacy
/// 8-bit text overflowed the tone counter of the legacy-encoding judge
/// (src/document/decode/legacy.rs).
#[test]
fn understand_inputs_run() {
    let inputs = inputs("understand");
    assert!(!inputs.is_empty());
    let u = Understander::new();
    for (path, data) in inputs {
        // As in the fuzz target: the first byte picks the file name.
        let (&first, bytes) = data.split_first().unwrap();
        let name = ["plan.txt", "page.html", "page.htm", "notes.md"][usize::from(first) % 4];
        let decoded = kehoach::document::decode(bytes, Path::new(name));
        let read = u.read(Path::new(name), bytes);
        assert_eq!(decoded.is_ok(), read.is_ok(), "{}", path.display());
        if let Ok(rec) = read {
            for r in &rec.references {
                assert!(rec.text.get(r.start..r.end).is_some(), "{}", path.display());
            }
        }
    }
}

/// U+037A GREEK YPOGEGRAMMENI followed by U+0300: the folded view keeps the combining
/// grave, against the analyzer's "folded has no marks" property (fixed: a token whose
/// folding leaves nothing keeps its characters minus the marks).
#[test]
fn analyzer_inputs_fold_every_mark() {
    use unicode_normalization::char::is_combining_mark;
    for (path, bytes) in inputs("analyzer") {
        let s = String::from_utf8(bytes).unwrap();
        for t in kehoach::analysis::analyze(&s) {
            assert!(
                !t.folded.chars().any(is_combining_mark),
                "{}: {t:?}",
                path.display()
            );
        }
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
