//! Search over a small corpus written for the test: accent routing, phrases,
//! exclusions, OR, document numbers, filters, sorting, paging, errors and the
//! CLI's output formats.

mod common;

use std::path::{Path, PathBuf};

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, Filters, SearchRequest, Sort};
use kehoach::Error;

/// Records with explicit metadata, so filters do not depend on extraction.
const RECORDS: &str = r#"{"id":"kg 325, 2019","title":"Kế hoạch chuyển đổi số","text":"Thực hiện Kế hoạch số 136/KH-UBND ngày 13/9/2019 của UBND tỉnh về chuyển đổi số và xây dựng nông thôn mới.","province":"Kiên Giang","date":"2019-10-08","type":"Kế hoạch"}
{"id":"dt-1579","title":"Thi đua chào mừng","text":"Thực hiện Chỉ thị số 34-CT/TW về đổi mới công tác thi đua, khen thưởng. Nông nghiệp thôn quê mới.","province":"Đồng Tháp","date":"2022-06-15","type":"Kế hoạch"}
{"id":"news-1","text":"Chuyên đội sơ cứu và sổ sách kế toán của xã được kiểm tra.","province":"Kiên Giang","date":"2021-03-01","type":"Tin tức"}
{"id":"news-2","text":"Giá trị hợp đồng là số tiền lớn, thi đua sản xuất.","province":"Hậu Giang","date":"2020-01-01","type":"Tin tức"}
"#;

fn setup() -> (tempfile::TempDir, PathBuf, Engine) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("records.jsonl");
    std::fs::write(&corpus, RECORDS).unwrap();
    let idx = tmp.path().join("index");
    let s = index::ingest(&idx, &[corpus], &IngestOptions::default(), &NoProgress).unwrap();
    assert_eq!(s.indexed, 4, "{s:#?}");
    let engine = Engine::open(&idx).unwrap();
    (tmp, idx, engine)
}

fn ids_for(engine: &Engine, req: SearchRequest) -> Vec<String> {
    engine
        .search(&req)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn q(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        ..SearchRequest::default()
    }
}

#[test]
fn unaccented_words_and_phrases_find_accented_text() {
    let (_t, _i, e) = setup();
    // "Chuyên đội sơ cứu" folds to the same syllables: found too (which spelling is
    // likelier is the corpus's to say: tests/query_semantics.rs).
    for query in ["chuyen doi so", "\"chuyen doi so\""] {
        let mut found = ids_for(&e, q(query));
        found.sort();
        assert_eq!(found, ["kg 325, 2019", "news-1"], "{query}");
    }
    // Typed with accents, it means that spelling only (spec decision 2).
    assert_eq!(ids_for(&e, q("chuyển đổi số")), ["kg 325, 2019"]);
    assert!(ids_for(&e, q("kiem tra")).contains(&"news-1".to_string()));
}

#[test]
fn accented_word_finds_its_spelling_and_unaccented_finds_every_spelling() {
    let (_t, _i, e) = setup();
    assert_eq!(ids_for(&e, q("sổ")), ["news-1"]);
    let hits = ids_for(&e, q("so"));
    assert!(hits.len() >= 2, "{hits:?}");
}

#[test]
fn phrases_need_adjacent_syllables() {
    let (_t, _i, e) = setup();
    assert_eq!(ids_for(&e, q("\"nông thôn mới\"")), ["kg 325, 2019"]);
    let loose = ids_for(&e, q("nông thôn mới"));
    assert_eq!(loose.len(), 2, "{loose:?}");
    assert_eq!(
        loose[0], "kg 325, 2019",
        "adjacent words rank first: {loose:?}"
    );
}

#[test]
fn exclusions_and_alternatives() {
    let (_t, _i, e) = setup();
    let mut hits = ids_for(&e, q("thi đua -khen"));
    hits.sort();
    assert_eq!(hits, ["news-2"]);
    let mut hits = ids_for(&e, q("\"sơ cứu\" OR \"nông thôn mới\""));
    hits.sort();
    assert_eq!(hits, ["kg 325, 2019", "news-1"]);
}

#[test]
fn document_numbers_match_in_any_spelling() {
    let (_t, _i, e) = setup();
    for spelling in ["136/KH-UBND", "136/kh-ubnd", "136/KH–UBND"] {
        assert_eq!(ids_for(&e, q(spelling)), ["kg 325, 2019"], "{spelling}");
    }
    assert_eq!(ids_for(&e, q("34-CT/TW")), ["dt-1579"]);
}

#[test]
fn filters_sorting_and_paging() {
    let (_t, _i, e) = setup();
    let filtered = |f: Filters| {
        let mut v = ids_for(
            &e,
            SearchRequest {
                filters: f,
                ..SearchRequest::default()
            },
        );
        v.sort();
        v
    };
    assert_eq!(
        filtered(Filters {
            province: vec!["kien giang".into()],
            ..Filters::default()
        }),
        ["kg 325, 2019", "news-1"]
    );
    assert_eq!(
        filtered(Filters {
            doc_type: vec!["Tin tức".into()],
            from: Some("2021".into()),
            ..Filters::default()
        }),
        ["news-1"]
    );
    assert_eq!(
        filtered(Filters {
            year: vec![2019, 2022],
            ..Filters::default()
        }),
        ["dt-1579", "kg 325, 2019"]
    );
    assert_eq!(
        filtered(Filters {
            to: Some("2020-01-01".into()),
            ..Filters::default()
        }),
        ["kg 325, 2019", "news-2"]
    );
    let by_date = ids_for(
        &e,
        SearchRequest {
            sort: Sort::Date,
            ..SearchRequest::default()
        },
    );
    assert_eq!(by_date, ["dt-1579", "news-1", "news-2", "kg 325, 2019"]);
    let page = e
        .search(&SearchRequest {
            sort: Sort::Date,
            limit: 2,
            offset: 1,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(
        page.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["news-1", "news-2"]
    );
}

#[test]
fn snippets_mark_matches_and_escape_text() {
    let (_t, _i, e) = setup();
    let res = e.search(&q("chuyen doi so")).unwrap();
    let plan = res.hits.iter().find(|h| h.id == "kg 325, 2019").unwrap();
    let s = &plan.snippet;
    assert!(
        s.contains("<mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark>"),
        "{s}"
    );
    let res = e.search(&q("\"nông thôn mới\"")).unwrap();
    assert!(
        res.hits[0].snippet.contains("<mark>nông thôn mới</mark>"),
        "{}",
        res.hits[0].snippet
    );
}

#[test]
fn bad_requests_say_what_and_where() {
    let (_t, _i, e) = setup();
    match e.search(&q("thi \"đua")) {
        Err(Error::Query { position, message }) => {
            assert_eq!(position, 4);
            assert!(message.contains("never closed"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    for (req, name) in [
        (
            SearchRequest {
                limit: 1_000_000,
                ..SearchRequest::default()
            },
            "limit",
        ),
        (
            SearchRequest {
                filters: Filters {
                    from: Some("yesterday".into()),
                    ..Filters::default()
                },
                ..SearchRequest::default()
            },
            "from",
        ),
    ] {
        match e.search(&req) {
            Err(Error::InvalidParameter { name: n, .. }) => assert_eq!(n, name),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(e.document("nope"), Err(Error::NotFound(_))));
}

fn run(idx: &Path, args: &[&str]) -> (bool, String, String) {
    let out = common::kehoach()
        .arg("search")
        .arg("--index")
        .arg(idx)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_formats_and_batch_trec_runs() {
    let (tmp, idx, _e) = setup();
    let (ok, out, _) = run(&idx, &["chuyen doi so", "--json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"], 2);
    assert!(v["hits"][0]["id"] == "kg 325, 2019" || v["hits"][1]["id"] == "kg 325, 2019");
    assert!(v["suggestion"].is_string(), "{out}");
    for key in ["title", "number", "date", "province", "score", "snippet"] {
        assert!(v["hits"][0].get(key).is_some(), "missing {key}: {out}");
    }

    let (ok, out, _) = run(&idx, &["sổ", "--province", "Kiên Giang"]);
    assert!(ok);
    assert!(out.starts_with("1 documents"), "only that spelling: {out}");
    assert!(out.contains("1. Chuyên đội sơ cứu"), "{out}");
    let (ok, out, _) = run(&idx, &["so", "--province", "Kiên Giang"]);
    assert!(ok);
    assert!(out.starts_with("2 documents"), "every spelling: {out}");
    // What was done to the query is said, and what the count counts.
    let (ok, out, _) = run(&idx, &["thi đua xyzzy"]);
    assert!(ok);
    assert!(
        out.lines().next().is_some_and(
            |l| l.ends_with("documents with some of the words (no document has every word)")
        ),
        "{out}"
    );
    let (ok, out, _) = run(&idx, &["UBND"]);
    assert!(
        ok && out.contains("(also searched: ubnd = ủy ban nhân dân"),
        "{out}"
    );
    let (ok, out, _) = run(&idx, &["chuyen doi so"]);
    assert!(ok && out.contains("(did you mean: "), "{out}");
    let (ok, out, _) = run(&idx, &["sổ", "--province", "Hau Giang"]);
    assert!(ok);
    assert!(out.starts_with("1 documents"), "{out}");

    let queries = tmp.path().join("q.tsv");
    std::fs::write(&queries, "q1\tchuyen doi so\nq2\tthi đua\n").unwrap();
    let (ok, out, err) = run(
        &idx,
        &[
            "--queries",
            queries.to_str().unwrap(),
            "--limit",
            "100",
            "--match",
            "all",
        ],
    );
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    // Ids with spaces and commas are printed verbatim: `qid Q0 id rank score tag`.
    let plan = lines
        .iter()
        .find(|l| l.starts_with("q1 Q0 kg 325, 2019 "))
        .expect("the plan is listed");
    let rest: Vec<&str> = plan["q1 Q0 kg 325, 2019 ".len()..].split(' ').collect();
    assert!(
        rest.len() == 3 && rest[0].parse::<usize>().is_ok(),
        "{plan}"
    );
    assert!(
        rest[1].parse::<f32>().is_ok() && rest[2] == "kehoach",
        "{plan}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("q1 Q0 ")).count(),
        2,
        "{out}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("q2 Q0 ")).count(),
        2,
        "{out}"
    );
    assert!(lines.iter().all(|l| l.ends_with(" kehoach")));
    // Batch runs fill the list with partial matches by default, scores decreasing.
    let (ok, out, err) = run(
        &idx,
        &["--queries", queries.to_str().unwrap(), "--limit", "100"],
    );
    assert!(ok, "{err}");
    let q1: Vec<f64> = out
        .lines()
        .filter(|l| l.starts_with("q1 "))
        .map(|l| l.rsplit(' ').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(q1.len() > 2, "{out}");
    assert!(q1.windows(2).all(|w| w[0] >= w[1]), "{out}");

    let (ok, _, err) = run(&idx, &["OR thi"]);
    assert!(!ok);
    assert!(
        err.contains("OR needs a word") && err.contains('^'),
        "{err}"
    );
}

#[test]
fn match_modes_relax_or_fill_when_words_never_meet() {
    use kehoach::query::Match;
    let (_t, _i, e) = setup();
    let with = |query: &str, matching: Match| {
        e.search(&SearchRequest {
            query: query.into(),
            matching,
            ..SearchRequest::default()
        })
        .unwrap()
    };
    // No document has both "sơ cứu" and "khen thưởng".
    let strict = with("sơ cứu khen thưởng", Match::All);
    assert_eq!((strict.total, strict.relaxed), (0, false));
    let auto = with("sơ cứu khen thưởng", Match::Auto);
    assert!(auto.relaxed);
    // Both exact matches first; documents matching only a folded variant ("số") after.
    let mut top: Vec<&str> = auto.hits.iter().take(2).map(|h| h.id.as_str()).collect();
    top.sort();
    assert_eq!(top, ["dt-1579", "news-1"], "{:?}", auto.hits);
    assert!(auto.hits.iter().all(|h| h.partial));

    // "thi đua sản xuất": news-2 has every word, dt-1579 only "thi đua".
    let auto = with("thi đua sản xuất", Match::Auto);
    assert!(!auto.relaxed);
    assert_eq!(
        auto.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["news-2"]
    );
    let fill = with("thi đua sản xuất", Match::Fill);
    assert_eq!(
        fill.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["news-2", "dt-1579"]
    );
    assert_eq!(
        fill.hits.iter().map(|h| h.partial).collect::<Vec<_>>(),
        [false, true]
    );
    assert!(
        fill.hits[0].score > fill.hits[1].score,
        "partial matches rank below full ones"
    );
}
