//! Property tests of the query language (the CI equivalent of the `query` fuzz target):
//! `parse` never panics, its errors carry a position inside the input, and every query
//! that parses compiles and runs on a small index (all match modes, snippets, facets)
//! without panicking, or is refused with a query error positioned inside it.

mod common;

use std::sync::OnceLock;

use kehoach::query::parser::{parse, Clause, MAX_CLAUSES, MAX_QUERY_CHARS};
use kehoach::query::FacetCollector;
use kehoach::query::{compile, CompileOptions};
use kehoach::query::{Engine, Match, SearchRequest, Sort};
use kehoach::Error;
use proptest::prelude::*;

/// The test plans of `tests/common` in an in-RAM index.
fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| common::in_ram_engine(common::PLANS, false))
}

/// Pieces of queries: words of the test plans, operators, quotes, document numbers,
/// Roman numerals, punctuation and whitespace of every kind.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(vec![
            "chuyển", "đổi", "số", "thi", "đua", "nông", "thôn", "mới", "Kiên", "Giang",
            "kien", "giang", "chuyen", "doi", "so", "hoà", "thuỷ", "Đại hội", "XIII", "khóa",
            "136/KH-UBND", "34-CT/TW", "325/KH-SCT", "1579/KH-SKHĐT", "2019", "13/9/2019",
            "TP.HCM", "COVID-19", "1.234.567", "12,5", "xyz", "ngày",
        ])
        .prop_map(String::from),
        3 => proptest::sample::select(vec![
            " ", " ", "  ", "\t", "\n", "\u{A0}", "\u{3000}", "\"", "\"", "-", "-", " -", "OR",
            " OR ", "or", "–", "/", ".", "&", "*", "(", ")", "\u{301}", "\u{200B}", "\u{FEFF}",
        ])
        .prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::collection::vec(piece(), 0..24).prop_map(|v| v.concat()),
        1 => proptest::collection::vec(any::<char>(), 0..40).prop_map(|v| v.into_iter().collect()),
        // Long queries: near and past the length and clause limits.
        1 => (proptest::collection::vec(piece(), 60..140), 1usize..30)
            .prop_map(|(v, k)| v.concat().repeat(k)),
    ]
}

fn count_clauses(c: &Clause) -> (usize, usize) {
    match c {
        Clause::Word(w) | Clause::Phrase(w) => (usize::from(!w.trim().is_empty()), 0),
        Clause::Not(inner) => (0, count_clauses(inner).0),
        Clause::Or(alts) => (
            alts.iter().map(|a| count_clauses(a).0).sum(),
            alts.iter().map(|a| count_clauses(a).1).sum(),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn parse_errors_carry_a_position_inside_the_input(q in query()) {
        let n = q.chars().count();
        match parse(&q) {
            Ok(parsed) => {
                prop_assert!(n <= MAX_QUERY_CHARS);
                let structured = parsed.clauses.iter().filter(|c| !matches!(c, Clause::Word(_))).count();
                prop_assert!(structured <= MAX_CLAUSES, "{} phrases, exclusions, alternatives", structured);
                // A query is never exclusions only, and no clause is empty.
                if !parsed.clauses.is_empty() {
                    prop_assert!(parsed.positive_clauses() > 0, "{:?}", parsed);
                }
                for c in &parsed.clauses {
                    let (pos, neg) = count_clauses(c);
                    prop_assert!(pos + neg > 0, "empty clause {:?} from {:?}", c, q);
                    if let Clause::Or(alts) = c {
                        prop_assert!(alts.len() >= 2, "{:?}", c);
                        prop_assert!(!alts.iter().any(|a| matches!(a, Clause::Not(_))), "{:?}", c);
                    }
                }
                // Parsing is a function of the text.
                prop_assert_eq!(parse(&q).ok(), Some(parsed));
            }
            Err(Error::Query { position, message }) => {
                prop_assert!(!message.is_empty());
                if n > MAX_QUERY_CHARS {
                    prop_assert_eq!(position, MAX_QUERY_CHARS);
                } else {
                    prop_assert!(position < n, "position {} outside {:?} ({} chars): {}", position, q, n, message);
                }
            }
            Err(other) => prop_assert!(false, "not a query error: {:?}", other),
        }
    }

    #[test]
    fn parsed_queries_compile_and_run(q in query()) {
        let Ok(parsed) = parse(&q) else {
            return Ok(());
        };
        let engine = engine();
        let n = q.chars().count();
        // A parsed query compiles, or is refused with a query error inside the input
        // (`"#"`: a phrase of punctuation only has no word to search for).
        let refused = |e: &Error| matches!(e, Error::Query { position, .. } if *position < n);
        for any in [false, true] {
            let opts = CompileOptions { any, ..CompileOptions::for_text(&q) };
            match compile(&parsed, &engine.searcher(), engine.fields(), &opts) {
                Ok(compiled) => prop_assert_eq!(compiled.is_none(), parsed.clauses.is_empty()),
                Err(e) => prop_assert!(refused(&e), "{:?} does not compile: {:?}", q, e),
            }
        }
        for (matching, sort) in [(Match::All, Sort::Relevance), (Match::Auto, Sort::Date), (Match::Fill, Sort::Relevance)] {
            let req = SearchRequest {
                query: q.clone(),
                limit: 2,
                fragments: 2,
                matching,
                sort,
                ..SearchRequest::default()
            };
            let out = engine.search_with(&req, FacetCollector::new(10));
            if let Err(e) = &out {
                prop_assert!(refused(e), "{:?} ({:?}): {:?}", q, matching, e);
            }
            if let Ok((res, _)) = out {
                prop_assert!(res.hits.len() <= req.limit);
                prop_assert!(res.total <= common::PLANS.len());
                for hit in &res.hits {
                    prop_assert!(hit.fragments.len() <= req.fragments);
                    prop_assert_eq!(hit.snippet.matches("<mark>").count(), hit.snippet.matches("</mark>").count());
                }
            }
        }
    }
}

/// The generators reach both outcomes (so the properties above test something).
#[test]
fn generators_reach_errors_and_successes() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut ok, mut err, mut hits) = (0, 0, 0);
    for _ in 0..300 {
        let q = query().new_tree(&mut runner).unwrap().current();
        match parse(&q) {
            Ok(p) if !p.clauses.is_empty() => {
                ok += 1;
                let req = SearchRequest {
                    query: q,
                    ..SearchRequest::default()
                };
                if engine().search(&req).is_ok_and(|r| r.total > 0) {
                    hits += 1;
                }
            }
            Ok(_) => {}
            Err(_) => err += 1,
        }
    }
    assert!(
        ok > 30 && err > 30 && hits > 10,
        "ok {ok}, err {err}, with hits {hits}"
    );
}
