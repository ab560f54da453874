//! A page ranked among a search's essential matches (`src/query/prune.rs`: the
//! total and facet counts known, a repeated search ranks only the documents that
//! can reach its page) is the page of the full ranking: the same documents, in
//! the same order, with the same scores to the bit, and the same total.

mod common;

use std::path::Path;

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, Match, SearchRequest, DEFAULT_MAX_BUCKETS};

fn engine() -> (tempfile::TempDir, Engine) {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    index::ingest(&idx, &[corpus], &IngestOptions::default(), &NoProgress).unwrap();
    (tmp, Engine::open(&idx).unwrap())
}

/// `req` searched with facets twice: the first search counts and keeps its
/// total, the second (returned) may rank among the essential matches only.
fn repeated(engine: &Engine, req: &SearchRequest) -> kehoach::query::SearchResults {
    engine.search_with_facets(req, DEFAULT_MAX_BUCKETS).unwrap();
    engine
        .search_with_facets(req, DEFAULT_MAX_BUCKETS)
        .unwrap()
        .0
}

/// The load test's queries, some a researcher types on plans (names, numbers,
/// unaccented words, phrases, exclusions, alternatives), and runs of two to
/// three words of titles of the corpus, accented and not (the documents whose
/// title holds the words rank first, and those are what the short path looks
/// for).
fn queries(engine: &Engine) -> Vec<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/queries.txt");
    let mut out: Vec<String> = std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect();
    for q in [
        "kế hoạch chuyển đổi số",
        "ke hoach chuyen doi so",
        "ủy ban nhân dân tỉnh",
        "uy ban nhan dan",
        "thi đua khen thưởng",
        "thi dua khen thuong",
        "Luật Đất đai 2013",
        "luat dat dai",
        "nghị định 15/2020/NĐ-CP",
        "UBND tỉnh",
        "cải cách thủ tục hành chính",
        "\"cải cách hành chính\" -tham nhũng",
        "bảo hiểm xã hội OR bảo hiểm y tế",
        "phòng chống dịch",
    ] {
        out.push(q.to_string());
    }
    // The first 40 documents by id (ingest numbers them in any order).
    let mut all = engine
        .search(&SearchRequest {
            query: String::new(),
            limit: 1000,
            fragments: 0,
            ..SearchRequest::default()
        })
        .unwrap()
        .hits;
    all.sort_by(|a, b| a.id.cmp(&b.id));
    for hit in all.into_iter().take(40) {
        let words: Vec<&str> = hit
            .title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for (from, to) in [(0, 2), (0, 3), (2, 4), (3, 6)] {
            if let Some(w) = words.get(from..to) {
                let q = w.join(" ").to_lowercase();
                out.push(kehoach::analysis::fold(&q));
                out.push(q);
            }
        }
    }
    out
}

#[test]
fn a_page_ranked_among_the_essential_matches_is_the_full_rankings_page() {
    let (_tmp, engine) = engine();
    let mut pages = 0;
    for q in queries(&engine) {
        for (offset, limit) in [(0, 10), (10, 10), (0, 3), (5, 40)] {
            let req = SearchRequest {
                query: q.clone(),
                offset,
                limit,
                fragments: 0,
                matching: Match::Auto,
                ..SearchRequest::default()
            };
            // Every match ranked: no total known.
            let full = engine.search(&req).unwrap();
            // The first search with facets counts them and keeps the total; the
            // second may rank among the essential matches only.
            let (first, _) = engine
                .search_with_facets(&req, DEFAULT_MAX_BUCKETS)
                .unwrap();
            let (again, _) = engine
                .search_with_facets(&req, DEFAULT_MAX_BUCKETS)
                .unwrap();
            let key = |r: &kehoach::query::SearchResults| {
                let hits: Vec<(String, u32)> = r
                    .hits
                    .iter()
                    .map(|h| (h.id.clone(), h.score.to_bits()))
                    .collect();
                (r.total, r.relaxed, r.accents_ignored, hits)
            };
            assert_eq!(key(&first), key(&full), "{q:?} at {offset}+{limit}");
            assert_eq!(key(&again), key(&full), "{q:?} at {offset}+{limit}, again");
            // Its essential matches now kept (found by the first page shape of the
            // query that needed them), the same page once more.
            let (third, _) = engine
                .search_with_facets(&req, DEFAULT_MAX_BUCKETS)
                .unwrap();
            assert_eq!(key(&third), key(&full), "{q:?} at {offset}+{limit}, third");
            pages += 1;
        }
    }
    // The short path was taken, or this test compares nothing new (70 of 1,812
    // pages when written: on this small corpus, few pages are made of documents
    // whose title holds the words).
    let pruned = engine.pruned_pages();
    assert!(
        pruned >= 50,
        "{pruned} of {pages} pages ranked among essential matches"
    );
    println!("{pruned} of {pages} repeated pages ranked among essential matches");
}

/// Documents whose title holds the words and a document whose body repeats
/// them reach the same level (the words together, in the title or the body):
/// ranked among the essential matches alone, the page would miss the body's
/// document, which scores best. The page must be the full ranking's.
#[test]
fn a_level_the_body_can_reach_is_never_settled_among_the_titles() {
    let filler = "Các sở, ban, ngành tổ chức thực hiện nhiệm vụ được giao. ".repeat(40);
    let titled: Vec<String> = (1..=4)
        .map(|i| {
            format!(
                "KẾ HOẠCH\n\nTriển khai các nhiệm vụ của các sở, ban, ngành và địa phương về \
                 chuyển đổi số năm 202{i} trên địa bàn tỉnh\n\n{filler}\n"
            )
        })
        .collect();
    let body = format!(
        "KẾ HOẠCH\n\nSố hóa và chuyển đổi nông nghiệp\n\n{}\n",
        "Chuyển đổi số trong nông nghiệp. ".repeat(12)
    );
    let other = format!("KẾ HOẠCH\n\nXây dựng nông thôn mới\n\n{filler}\n");
    let mut docs: Vec<(String, String)> = titled
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("t{i}"), t.clone()))
        .collect();
    docs.push(("body".into(), body));
    for i in 0..6 {
        docs.push((format!("o{i}"), other.clone()));
    }
    let refs: Vec<(&str, &str)> = docs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    for segment_each in [false, true] {
        let engine = common::in_ram_engine(&refs, segment_each);
        for (offset, limit) in [(0, 1), (0, 3), (1, 2)] {
            let req = SearchRequest {
                query: "chuyển đổi số".into(),
                offset,
                limit,
                fragments: 0,
                ..SearchRequest::default()
            };
            let full = engine.search(&req).unwrap();
            let ids = |r: &kehoach::query::SearchResults| -> Vec<String> {
                r.hits.iter().map(|h| h.id.clone()).collect()
            };
            if offset == 0 {
                assert_eq!(ids(&full)[0], "body", "the body's document ranks first");
            }
            assert_eq!(
                ids(&repeated(&engine, &req)),
                ids(&full),
                "at {offset}+{limit}"
            );
        }
    }
}

/// A query whose accents match nothing is searched again without them: the
/// empty accented attempt does not keep the folded one, which finds the page,
/// from the short path.
#[test]
fn an_empty_accented_attempt_leaves_the_short_path_to_the_folded_one() {
    let plans: Vec<(String, String)> = (1..=6)
        .map(|i| {
            (
                format!("p{i}"),
                format!(
                    "KẾ HOẠCH\n\nChuyển đổi số năm 202{i} trên địa bàn tỉnh\n\n\
                     Các sở, ban, ngành tổ chức thực hiện nhiệm vụ chuyển đổi số được giao.\n"
                ),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = plans
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let engine = common::in_ram_engine(&refs, false);
    // `chuyên` (not `chuyển`): no document has the words so accented.
    let req = SearchRequest {
        query: "kế hoạch chuyên đổi số 2023".into(),
        limit: 1,
        fragments: 0,
        ..SearchRequest::default()
    };
    let full = engine.search(&req).unwrap();
    assert!(full.accents_ignored, "{full:?}");
    assert_eq!(full.hits[0].id, "p3");
    assert_eq!(repeated(&engine, &req).hits[0].id, "p3");
    assert_eq!(engine.pruned_pages(), 1);
    // Searched again, each attempt finds its own essential matches kept (the
    // accented attempt's are none): the folded one still takes the short path.
    let (again, _) = engine
        .search_with_facets(&req, DEFAULT_MAX_BUCKETS)
        .unwrap();
    assert_eq!(again.hits[0].id, "p3");
    assert_eq!(engine.pruned_pages(), 2);
}
