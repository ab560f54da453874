//! Arbitrary UTF-8 → `kehoach::query::parser::parse`; when it parses, the query is
//! compiled (all-words and any-word) against the kehoach schema and run through
//! `Engine::search_with` (snippets and facets) on a small in-RAM index, in every
//! match mode, so the query builder, the collectors and the snippet code are
//! fuzzed too.
//!
//! Asserts: no panic; a parse error's position is within the input (or at the
//! length limit for a too-long query); a parsed query compiles and searches, or is
//! refused with a query error positioned inside it; hits never exceed
//! the limit; snippets have at most the fragments asked for and balanced `<mark>`s.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use kehoach::document::Understander;
use kehoach::index::{build_schema, Fields};
use kehoach::query::build::{compile, Options};
use kehoach::query::facets::FacetCollector;
use kehoach::query::parser::{parse, MAX_QUERY_CHARS};
use kehoach::query::{Engine, Match, SearchRequest, Sort};
use kehoach::Error;
use libfuzzer_sys::fuzz_target;
use tantivy::Index;

const DOCS: &[(&str, &str)] = &[
    (
        "kg/325.txt",
        "UBND TỈNH KIÊN GIANG\nSỞ CÔNG THƯƠNG\n\nSố: 325/KH-SCT\n\nKiên Giang, ngày 08 tháng 10 năm 2019\n\nKẾ HOẠCH\n\nPhát động thi đua chuyển đổi số\n\nThực hiện Kế hoạch số 136/KH-UBND ngày 13/9/2019 của UBND tỉnh Kiên Giang về chuyển đổi số và xây dựng nông thôn mới.\n",
    ),
    (
        "dt/1579.txt",
        "Số: 1579/KH-SKHĐT\n\nĐồng Tháp, ngày 15 tháng 6 năm 2022\n\nKẾ HOẠCH\n\nThi đua chào mừng kỷ niệm ngày thành lập tỉnh\n\nThực hiện Chỉ thị số 34-CT/TW của Bộ Chính trị về đổi mới công tác thi đua, khen thưởng. Nông nghiệp thôn quê mới. Đại hội XIII, khóa XV, quý I.\n",
    ),
    (
        "news/so-sach.txt",
        "Chuyên đội sơ cứu và sổ sách kế toán của xã được kiểm tra. COVID-19, TP.HCM, 1.234.567 đồng, tăng 12,5%.\n",
    ),
    (
        "hn/12.txt",
        "UBND THÀNH PHỐ HÀ NỘI\n\nSố: 12/QĐ-UBND\n\nHà Nội, ngày 02 tháng 01 năm 2024\n\nQUYẾT ĐỊNH\n\nVề việc ban hành kế hoạch cải cách hành chính năm 2024\n\nCăn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ; hoà thuỷ khoẻ uỷ ban.\n",
    ),
];

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let index = Index::create_in_ram(build_schema());
        kehoach::analysis::register(&index);
        let fields = Fields::from_schema(&index.schema()).expect("kehoach schema");
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let u = Understander::new();
        for (id, text) in DOCS {
            let rec = u.understand(text);
            writer
                .add_document(fields.to_document(id, id, "h", rec))
                .expect("add");
        }
        writer.commit().expect("commit");
        Engine::from_index(index, Path::new("in-ram")).expect("engine")
    })
}

fuzz_target!(|q: &str| {
    let engine = engine();
    let parsed = match parse(q) {
        Ok(p) => p,
        Err(Error::Query { position, .. }) => {
            let n = q.chars().count();
            assert!(
                position < n.max(1) || (n > MAX_QUERY_CHARS && position == MAX_QUERY_CHARS),
                "error position {position} outside {q:?} ({n} chars)"
            );
            return;
        }
        Err(e) => panic!("parse returned a non-query error {e:?} for {q:?}"),
    };
    let n = q.chars().count();
    // A parsed query compiles, or is refused with a query error inside the input (a
    // phrase of punctuation only, `"#"`, has no word to search for).
    let refused = |e: &Error| matches!(e, Error::Query { position, .. } if *position < n);
    for any in [false, true] {
        if let Err(e) = compile(
            &parsed,
            &engine.searcher(),
            engine.fields(),
            &Options { any, ..Options::for_text(&q) },
        ) {
            assert!(
                refused(&e),
                "{q:?} parsed as {parsed:?}, compile (any={any}): {e:?}"
            );
        }
    }
    for (matching, sort) in [
        (Match::All, Sort::Relevance),
        (Match::Auto, Sort::Date),
        (Match::Fill, Sort::Relevance),
    ] {
        let req = SearchRequest {
            query: q.to_string(),
            limit: 5,
            fragments: 2,
            matching,
            sort,
            ..SearchRequest::default()
        };
        match engine.search_with(&req, FacetCollector::new(10)) {
            Ok((res, _facets)) => {
                assert!(res.hits.len() <= req.limit, "{q:?}: {res:?}");
                for hit in &res.hits {
                    assert!(hit.fragments.len() <= req.fragments, "{q:?}: {hit:?}");
                    assert_eq!(
                        hit.snippet.matches("<mark>").count(),
                        hit.snippet.matches("</mark>").count(),
                        "unbalanced marks for {q:?}: {hit:?}"
                    );
                    assert!(!hit.snippet.contains("<mark><mark>"), "{q:?}: {hit:?}");
                }
            }
            Err(e) => assert!(refused(&e), "{q:?} ({matching:?}): {e:?}"),
        }
    }
});
