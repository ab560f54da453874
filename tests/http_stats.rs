//! The statistics endpoints over real HTTP: every endpoint gives the numbers the
//! library gives on the same index (JSON and CSV), CSV headers, BOM, content type and
//! disposition, formula injection neutralised, a large concordance streamed
//! complete, and the 400 paths.

mod http_fixture;

use std::sync::Arc;

use http_fixture::{csv_of, get, qs, Doc, Resp, Server};
use kehoach::document::Record;
use kehoach::query::Filters;
use kehoach::stats::{
    CollocateSort, CollocatesRequest, ConcordanceRequest, FrequencyRequest, Granularity, GroupBy,
    KeynessRequest, KwicSort, Stats, Subcorpus, TopTermsRequest, TrendRequest, Unit,
};
use serde_json::Value;

/// Occurrences of [`BIG_TERM`] in the corpus (spread over five documents).
const BIG_PER_DOC: usize = 5_000;
const BIG_DOCS: usize = 5;
const BIG_TERM: &str = "kiểm định";

fn extra_docs() -> Vec<Doc> {
    let mut docs = vec![Doc {
        id: "formula".into(),
        record: Record {
            title: Some("-Kế hoạch =thử nghiệm".into()),
            text: "=SUM(A1) là công thức bảng tính. @cmd và +1 cũng vậy.".into(),
            province: Some("Cà Mau".into()),
            date: "2023-05-01".parse().ok(),
            language: Some("vie".into()),
            ..Record::default()
        },
    }];
    docs.push(Doc {
        id: "list-item".into(),
        record: Record {
            title: Some("=HYPERLINK(\"http://example.invalid\",\"x\")".into()),
            text: "- Tăng cường công tác kiểm tra giám sát.\n- Đẩy mạnh cải cách hành chính."
                .into(),
            province: Some("Cà Mau".into()),
            date: "2023-06-01".parse().ok(),
            language: Some("vie".into()),
            ..Record::default()
        },
    });
    for d in 0..BIG_DOCS {
        let text: String = (0..BIG_PER_DOC)
            .map(|i| format!("Kiểm định chất lượng lần {i}, đợt {d}. "))
            .collect();
        docs.push(Doc {
            id: format!("big-{d}"),
            record: Record {
                title: Some(format!("Báo cáo kiểm định {d}")),
                text,
                province: Some("Bạc Liêu".into()),
                date: format!("202{d}-03-04").parse().ok(),
                language: Some("vie".into()),
                ..Record::default()
            },
        });
    }
    docs
}

fn setup() -> (tempfile::TempDir, Server, Stats) {
    let tmp = tempfile::tempdir().unwrap();
    let mut docs = http_fixture::corpus();
    docs.extend(extra_docs());
    let dir = tmp.path().join("index");
    http_fixture::build_index(&dir, &docs);
    let server = Server::start(&dir);
    let stats = Stats::new(Arc::clone(&server.engine));
    (tmp, server, stats)
}

fn call(s: &Server, endpoint: &str, pairs: &[(&str, &str)]) -> Resp {
    get(&s.base, &format!("/api/stats/{endpoint}?{}", qs(pairs)))
}

fn api(s: &Server, endpoint: &str, pairs: &[(&str, &str)]) -> Value {
    let r = call(s, endpoint, pairs);
    assert_eq!(r.status, 200, "{endpoint} {pairs:?}: {}", r.body);
    assert!(r.content_type.starts_with("application/json"), "{r:?}");
    r.json()
}

/// The library's answer as the API's JSON reads back (same text, same float parsing).
fn lib<T: serde::Serialize>(v: T) -> Value {
    serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap()
}

fn kg_dt() -> Subcorpus {
    Subcorpus {
        filters: Filters {
            province: vec!["Kiên Giang".into(), "Đồng Tháp".into()],
            ..Filters::default()
        },
        ..Subcorpus::default()
    }
}

const KG_DT: [(&str, &str); 2] = [("province", "Kiên Giang"), ("province", "Đồng Tháp")];

#[test]
fn frequency_and_trend_match_the_library() {
    let (_t, s, stats) = setup();
    for (name, by) in [
        ("none", GroupBy::None),
        ("province", GroupBy::Province),
        ("year", GroupBy::Year),
        ("theme", GroupBy::Theme),
    ] {
        let mut pairs = KG_DT.to_vec();
        pairs.extend([("term", "thi đua"), ("group_by", name)]);
        let got = api(&s, "frequency", &pairs);
        let want = stats
            .frequency(&FrequencyRequest {
                subcorpus: kg_dt(),
                term: "thi đua".into(),
                group_by: by,
            })
            .unwrap();
        assert!(want.total.occurrences > 0);
        assert_eq!(got, lib(&want), "group_by={name}");

        // The CSV carries the same numbers, total row first.
        pairs.push(("format", "csv"));
        let (header, rows) = csv_of(&call(&s, "frequency", &pairs));
        assert_eq!(
            header,
            [
                "term",
                "group_by",
                "group",
                "occurrences",
                "documents",
                "rate_per_10k",
                "group_documents",
                "group_syllables"
            ]
        );
        assert_eq!(rows.len(), 1 + want.groups.len());
        for (row, w) in rows
            .iter()
            .zip(std::iter::once(&want.total).chain(&want.groups))
        {
            // Labelled as on the page: the total "Tổng", no value "(không có)".
            let label = match w.group.as_str() {
                "*" => "Tổng",
                "" => "(không có)",
                g => g,
            };
            assert_eq!(row[2], label);
            assert_eq!(row[3], w.occurrences.to_string());
            assert_eq!(row[4], w.documents.to_string());
            assert_eq!(row[7], w.group_syllables.to_string());
        }
    }

    // Unaccented terms count every spelling: same as the library, more than accented.
    let folded = api(&s, "frequency", &[("term", "chuyen doi so")]);
    let want = stats
        .frequency(&FrequencyRequest {
            term: "chuyen doi so".into(),
            ..FrequencyRequest::default()
        })
        .unwrap();
    assert_eq!(folded, lib(&want));

    for (by_province, granularity, g) in [
        ("0", "year", Granularity::Year),
        ("1", "month", Granularity::Month),
        ("1", "auto", Granularity::Auto),
    ] {
        let got = api(
            &s,
            "trend",
            &[
                ("term", "thi đua"),
                ("by_province", by_province),
                ("granularity", granularity),
            ],
        );
        let want = stats
            .trend(&TrendRequest {
                subcorpus: Subcorpus::default(),
                term: "thi đua".into(),
                granularity: g,
                by_province: by_province == "1",
            })
            .unwrap();
        assert!(!want.series.is_empty());
        assert_eq!(got, lib(&want), "{by_province} {granularity}");
    }
}

#[test]
fn top_terms_and_keyness_match_the_library() {
    let (_t, s, stats) = setup();
    for (unit, hide) in [("syllables", "1"), ("words", "0")] {
        let mut pairs = KG_DT.to_vec();
        pairs.extend([
            ("n_min", "1"),
            ("n_max", "2"),
            ("limit", "20"),
            ("unit", unit),
            ("hide_stopwords", hide),
        ]);
        let mut got = api(&s, "top", &pairs);
        let want = stats
            .top_terms(&TopTermsRequest {
                subcorpus: kg_dt(),
                n_min: 1,
                n_max: 2,
                limit: 20,
                unit: if unit == "words" {
                    Unit::Words
                } else {
                    Unit::Syllables
                },
                hide_stopwords: hide == "1",
                min_freq: 1,
            })
            .unwrap();
        assert!(!want.rows.is_empty());
        let mut want = lib(&want);
        // Whether the table came from a cache depends on who asked first.
        got.as_object_mut().unwrap().remove("cached");
        want.as_object_mut().unwrap().remove("cached");
        assert_eq!(got, want, "{unit}");

        pairs.push(("format", "csv"));
        let (header, rows) = csv_of(&call(&s, "top", &pairs));
        assert_eq!(header, ["n", "ngram", "tf", "df", "rate_per_10k"]);
        assert_eq!(rows.len(), want["rows"].as_array().unwrap().len());
        for (row, w) in rows.iter().zip(want["rows"].as_array().unwrap()) {
            assert_eq!(row[1], w["ngram"].as_str().unwrap());
            assert_eq!(row[2], w["tf"].to_string());
        }
    }

    // Against the rest of the corpus (no ref_ parameter) and against a reference.
    let target = Subcorpus {
        filters: Filters {
            province: vec!["Kiên Giang".into()],
            ..Filters::default()
        },
        ..Subcorpus::default()
    };
    let got = api(
        &s,
        "keyness",
        &[("province", "Kiên Giang"), ("min_freq", "2")],
    );
    let want = stats
        .keyness(&KeynessRequest {
            target: target.clone(),
            min_freq: 2,
            ..KeynessRequest::default()
        })
        .unwrap();
    assert!(!want.rows.is_empty());
    assert_eq!(got, lib(&want));

    let got = api(
        &s,
        "keyness",
        &[
            ("province", "Kiên Giang"),
            ("ref_province", "Đồng Tháp"),
            ("ref_province", "Hậu Giang"),
            ("n", "2"),
            ("min_freq", "2"),
        ],
    );
    let reference = Subcorpus {
        filters: Filters {
            province: vec!["Đồng Tháp".into(), "Hậu Giang".into()],
            ..Filters::default()
        },
        ..Subcorpus::default()
    };
    let want = stats
        .keyness(&KeynessRequest {
            target,
            reference: Some(reference),
            n: 2,
            min_freq: 2,
            ..KeynessRequest::default()
        })
        .unwrap();
    assert!(!want.rows.is_empty());
    assert_eq!(got, lib(&want));
    // The reference really changes the answer.
    assert_ne!(
        want.reference_syllables,
        api(&s, "keyness", &[("province", "Kiên Giang"), ("n", "2")])["reference_syllables"]
    );
}

#[test]
fn concordance_and_collocates_match_the_library() {
    let (_t, s, stats) = setup();
    for (sort, k) in [
        ("document", KwicSort::Document),
        ("left", KwicSort::Left),
        ("right", KwicSort::Right),
    ] {
        let got = api(
            &s,
            "kwic",
            &[
                ("term", "thi đua"),
                ("sort", sort),
                ("width", "30"),
                ("limit", "15"),
                ("offset", "2"),
            ],
        );
        let want = stats
            .concordance(&ConcordanceRequest {
                term: "thi đua".into(),
                width: 30,
                sort: k,
                limit: 15,
                offset: 2,
                ..ConcordanceRequest::default()
            })
            .unwrap();
        assert_eq!(want.lines.len(), 15);
        assert_eq!(got, lib(&want), "{sort}");
    }

    // JSON lines are capped at 1000.
    let got = api(&s, "kwic", &[("term", BIG_TERM), ("limit", "5000")]);
    assert_eq!(got["lines"].as_array().unwrap().len(), 1000);

    for (sort, k) in [
        ("log_dice", CollocateSort::LogDice),
        ("mi", CollocateSort::Mi),
        ("frequency", CollocateSort::Frequency),
    ] {
        let mut pairs = KG_DT.to_vec();
        pairs.extend([
            ("term", "chuyển đổi số"),
            ("window", "3"),
            ("min_freq", "1"),
            ("sort", sort),
        ]);
        let got = api(&s, "collocates", &pairs);
        let want = stats
            .collocates(&CollocatesRequest {
                subcorpus: kg_dt(),
                term: "chuyển đổi số".into(),
                window: 3,
                min_freq: 1,
                limit: 50,
                sort: k,
                ..CollocatesRequest::default()
            })
            .unwrap();
        assert!(!want.rows.is_empty());
        assert_eq!(got, lib(&want), "{sort}");

        pairs.push(("format", "csv"));
        let (header, rows) = csv_of(&call(&s, "collocates", &pairs));
        assert_eq!(
            header,
            [
                "collocate",
                "cooccurrences",
                "collocate_frequency",
                "node_frequency",
                "log_dice",
                "mi"
            ]
        );
        let firsts: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        let wants: Vec<&str> = want.rows.iter().map(|r| r.collocate.as_str()).collect();
        assert_eq!(firsts, wants);
    }
}

#[test]
fn csv_answers_are_attachments_with_optional_bom_and_neutralised_formulas() {
    let (_t, s, _stats) = setup();
    let plain = call(&s, "kwic", &[("term", "công thức"), ("format", "csv")]);
    let (header, rows) = csv_of(&plain);
    assert!(!plain.body.starts_with('\u{feff}'), "BOM only when asked");
    assert_eq!(
        header,
        ["doc_id", "title", "province", "date", "position", "left", "node", "right"]
    );
    assert_eq!(
        plain.header("content-disposition"),
        Some("attachment; filename=\"kehoach-kwic-cong-thuc.csv\"")
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row[0], "formula");
    assert_eq!(row[1], "'-Kế hoạch =thử nghiệm", "title neutralised");
    assert!(
        row[5].starts_with("'=SUM(A1)"),
        "left context: {:?}",
        row[5]
    );
    assert_eq!(row[6], "công thức");

    let bom = call(
        &s,
        "kwic",
        &[("term", "công thức"), ("format", "csv"), ("bom", "1")],
    );
    assert!(bom.body.starts_with('\u{feff}'), "{:?}", &bom.body[..20]);
    assert_eq!(csv_of(&bom), (header, rows));

    // Tables without a term are named after the subcorpus (ASCII only).
    let top = call(
        &s,
        "top",
        &[
            ("province", "Đồng Tháp"),
            ("year", "2022"),
            ("format", "csv"),
        ],
    );
    assert_eq!(
        top.header("content-disposition"),
        Some("attachment; filename=\"kehoach-top-dong-thap-2022.csv\"")
    );
    assert!(!csv_of(&top).1.is_empty());
    let whole = call(&s, "keyness", &[("format", "csv"), ("bom", "1")]);
    assert_eq!(
        whole.header("content-disposition"),
        Some("attachment; filename=\"kehoach-keyness-all.csv\"")
    );
    assert!(whole.body.starts_with("\u{feff}term,direction,"));
    let trend = call(&s, "trend", &[("term", "thi đua"), ("format", "csv")]);
    assert_eq!(
        csv_of(&trend).0,
        [
            "term",
            "province",
            "period",
            "occurrences",
            "documents",
            "rate_per_10k",
            "period_documents",
            "period_syllables"
        ]
    );
}

/// Reads a `decimal=comma` CSV answer (`;` between fields).
fn semicolon_csv(r: &Resp) -> Vec<Vec<String>> {
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.content_type, "text/csv; charset=utf-8", "{r:?}");
    let body = r.body.strip_prefix('\u{feff}').expect("a byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(b';')
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn decimal_comma_csv_is_semicolon_separated_with_comma_decimals() {
    let (_t, s, stats) = setup();
    let opts = [("format", "csv"), ("decimal", "comma"), ("bom", "1")];

    // Frequency: `;` separators, `,` decimals (4 places at most), labels as on the page.
    let mut pairs = vec![("term", "thi đua"), ("group_by", "province")];
    pairs.extend(opts);
    let r = call(&s, "frequency", &pairs);
    assert!(
        r.body
            .starts_with("\u{feff}term;group_by;group;occurrences;documents;rate_per_10k;"),
        "{}",
        &r.body[..80.min(r.body.len())]
    );
    let rows = semicolon_csv(&r);
    let want = stats
        .frequency(&FrequencyRequest {
            term: "thi đua".into(),
            group_by: GroupBy::Province,
            ..FrequencyRequest::default()
        })
        .unwrap();
    assert_eq!(rows.len(), 2 + want.groups.len());
    assert_eq!(rows[1][2], "Tổng");
    let mut with_decimals = 0;
    for (row, g) in rows[1..]
        .iter()
        .zip(std::iter::once(&want.total).chain(&want.groups))
    {
        assert_eq!(row.len(), 8, "{row:?}");
        assert_eq!(row[3], g.occurrences.to_string());
        let rate = &row[5];
        assert!(!rate.contains('.') && !rate.contains('e'), "{rate}");
        if let Some((_, decimals)) = rate.split_once(',') {
            assert!((1..=4).contains(&decimals.len()), "{rate}");
            with_decimals += 1;
        }
        let back: f64 = rate.replace(',', ".").parse().unwrap();
        assert!(
            (back - g.rate_per_10k).abs() <= 0.00005,
            "{rate} vs {}",
            g.rate_per_10k
        );
    }
    assert!(with_decimals > 0, "{rows:?}");
    // JSON is unchanged by the CSV options' existence: the total is still `*`.
    let json = api(
        &s,
        "frequency",
        &[("term", "thi đua"), ("group_by", "province")],
    );
    assert_eq!(json["total"]["group"], "*");

    // KWIC: a `=` cell is neutralised; a lone list dash is not, a `- ` list item is
    // (Excel evaluates it; see kehoach::table).
    let mut pairs = vec![("term", "tăng cường")];
    pairs.extend(opts);
    let rows = semicolon_csv(&call(&s, "kwic", &pairs));
    assert_eq!(
        rows[0],
        ["doc_id", "title", "province", "date", "position", "left", "node", "right"]
    );
    let row = rows
        .iter()
        .find(|r| r[0] == "list-item")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(row[1], "'=HYPERLINK(\"http://example.invalid\",\"x\")");
    assert_eq!(row[5], "- ", "a lone list dash is kept as it is: {row:?}");
    assert!(row[7].trim_start().starts_with("công tác"), "{row:?}");
    let mut pairs = vec![("term", "cải cách hành chính")];
    pairs.extend(opts);
    let rows = semicolon_csv(&call(&s, "kwic", &pairs));
    let row = rows
        .iter()
        .find(|r| r[0] == "list-item")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert!(row[5].starts_with("'- Tăng cường"), "{row:?}");

    // decimal=point is the default, and anything else is refused naming `decimal`.
    let mut pairs = vec![("term", "thi đua")];
    pairs.extend([("format", "csv"), ("decimal", "point")]);
    let r = call(&s, "frequency", &pairs);
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with("term,group_by,group,"), "{}", r.body);
    let r = call(&s, "frequency", &[("term", "thi đua"), ("decimal", ",")]);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["parameter"], "decimal", "{}", r.body);
}

#[test]
fn a_large_concordance_streams_complete() {
    let (_t, s, stats) = setup();
    let total = (BIG_DOCS * BIG_PER_DOC) as u64;
    let freq = stats
        .frequency(&FrequencyRequest {
            term: BIG_TERM.into(),
            ..FrequencyRequest::default()
        })
        .unwrap();
    assert_eq!(freq.total.occurrences, total);

    let r = call(
        &s,
        "kwic",
        &[("term", BIG_TERM), ("format", "csv"), ("limit", "100000")],
    );
    assert!(r.body.len() > 1 << 20, "several MB: {}", r.body.len());
    // Streamed: chunked, no length known up front.
    assert_eq!(r.header("content-length"), None, "{:?}", r.headers);
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    let (_, rows) = csv_of(&r);
    assert_eq!(rows.len() as u64, total);
    // Same lines, same order as the library streams them.
    let mut i = 0usize;
    stats
        .concordance_each(
            &ConcordanceRequest {
                term: BIG_TERM.into(),
                limit: 100_000,
                ..ConcordanceRequest::default()
            },
            &mut |line| {
                let row = &rows[i];
                assert_eq!(
                    (row[0].as_str(), row[4].as_str(), row[6].as_str()),
                    (
                        line.doc_id.as_str(),
                        line.position.to_string().as_str(),
                        line.node.as_str()
                    ),
                    "line {i}"
                );
                i += 1;
                Ok(())
            },
        )
        .unwrap();
    assert_eq!(i as u64, total);

    // Sorted CSV has every line too.
    let r = call(
        &s,
        "kwic",
        &[
            ("term", BIG_TERM),
            ("format", "csv"),
            ("sort", "right"),
            ("limit", "100000"),
        ],
    );
    assert_eq!(csv_of(&r).1.len() as u64, total);
}

#[test]
fn bad_parameters_get_json_400s() {
    let (_t, s, _stats) = setup();
    for (endpoint, pairs, parameter) in [
        ("frequency", vec![], Some("term")),
        ("frequency", vec![("term", "   ")], Some("term")),
        ("frequency", vec![("term", "...")], Some("term")),
        (
            "frequency",
            vec![("term", "a"), ("group_by", "colour")],
            Some("group_by"),
        ),
        (
            "trend",
            vec![("term", "a"), ("granularity", "week")],
            Some("granularity"),
        ),
        (
            "trend",
            vec![("term", "a"), ("by_province", "perhaps")],
            Some("by_province"),
        ),
        ("top", vec![("n_min", "5"), ("n_max", "5")], Some("n")),
        ("top", vec![("n_min", "3"), ("n_max", "2")], Some("n")),
        ("top", vec![("limit", "-1")], Some("limit")),
        ("top", vec![("unit", "letters")], Some("unit")),
        ("keyness", vec![("n", "0")], Some("n")),
        ("keyness", vec![("ref_year", "20")], Some("ref_year")),
        ("keyness", vec![("ref_colour", "red")], Some("ref_colour")),
        (
            "kwic",
            vec![("term", "a"), ("width", "5000")],
            Some("width"),
        ),
        (
            "kwic",
            vec![("term", "a"), ("sort", "middle")],
            Some("sort"),
        ),
        (
            "kwic",
            vec![("term", "a"), ("format", "xml")],
            Some("format"),
        ),
        ("kwic", vec![("term", ""), ("format", "csv")], Some("term")),
        (
            "kwic",
            vec![("term", "a"), ("ref_province", "x")],
            Some("ref_province"),
        ),
        (
            "collocates",
            vec![("term", "a"), ("window", "0")],
            Some("window"),
        ),
        (
            "collocates",
            vec![("term", "a"), ("window", "21"), ("format", "csv")],
            Some("window"),
        ),
        (
            "collocates",
            vec![("term", "a"), ("colour", "red")],
            Some("colour"),
        ),
        ("frequency", vec![("term", "a"), ("q", "\"unclosed")], None),
        ("top", vec![("q", "\"unclosed"), ("format", "csv")], None),
    ] {
        let r = call(&s, endpoint, &pairs);
        assert_eq!(r.status, 400, "{endpoint} {pairs:?}: {}", r.body);
        assert!(r.content_type.starts_with("application/json"), "{r:?}");
        let v = r.json();
        match parameter {
            Some(p) => {
                assert_eq!(v["error"]["code"], "invalid_parameter", "{v}");
                assert_eq!(v["error"]["parameter"], p, "{endpoint} {pairs:?}: {v}");
            }
            None => assert_eq!(v["error"]["code"], "bad_query", "{v}"),
        }
    }
}

#[test]
fn openapi_describes_the_statistics_endpoints() {
    let (_t, s, _stats) = setup();
    let v = get(&s.base, "/openapi.json").json();
    for path in ["frequency", "trend", "top", "keyness", "kwic", "collocates"] {
        let op = &v["paths"][format!("/api/stats/{path}")]["get"];
        assert!(op.is_object(), "{path}");
        let content = &op["responses"]["200"]["content"];
        assert!(content["text/csv"].is_object(), "{path}: {content}");
        let params: Vec<&str> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for name in ["q", "province", "format", "bom", "decimal"] {
            assert!(params.contains(&name), "{path}: {params:?}");
        }
    }
}
