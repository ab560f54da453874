//! `GET /api/search?format=csv` over real HTTP: the same hits as the JSON answer,
//! as a CSV attachment (header, one row per hit, optional BOM, formulas
//! neutralised), filters and order kept, declared in the OpenAPI description.

mod http_fixture;

use http_fixture::{csv_of, get, qs, setup};
use serde_json::Value;

const COLUMNS: [&str; 11] = [
    "id",
    "number",
    "title",
    "type",
    "date",
    "province",
    "province_current",
    "issuer",
    "themes",
    "theme_labels",
    "score",
];

#[test]
fn search_exports_its_hits_as_a_csv_attachment() {
    let (_t, _docs, s) = setup();
    let pairs = [
        ("q", "chuyển đổi số"),
        ("province", "Kiên Giang"),
        ("sort", "date"),
    ];
    let json = get(&s.base, &format!("/api/search?{}&limit=100", qs(&pairs))).json();
    let total = json["total"].as_u64().unwrap() as usize;
    assert!(total > 2, "{json}");

    let r = get(&s.base, &format!("/api/search?{}&format=csv", qs(&pairs)));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"kehoach-search-chuyen-doi-so.csv\""),
        "{r:?}"
    );
    assert!(!r.body.starts_with('\u{feff}'));
    let (header, rows) = csv_of(&r);
    assert_eq!(header, COLUMNS);
    // Every hit (the default limit of a CSV is the cap, not a page), in order.
    assert_eq!(rows.len(), total);
    let hits = json["hits"].as_array().unwrap();
    for (row, hit) in rows.iter().zip(hits) {
        assert_eq!(row[0], hit["id"].as_str().unwrap());
        assert_eq!(row[5], "Kiên Giang");
    }
    // The plan 136/KH-UBND, field by field.
    let row = rows
        .iter()
        .find(|r| r[0] == "kg-136")
        .unwrap_or_else(|| panic!("kg-136 missing: {rows:?}"));
    assert_eq!(
        row[..10],
        [
            "kg-136",
            "136/KH-UBND",
            "Kế hoạch chuyển đổi số tỉnh Kiên Giang",
            "Kế hoạch",
            "2019-09-13",
            "Kiên Giang",
            "An Giang",
            "UBND tỉnh Kiên Giang",
            "chuyen_doi_so; nong_thon_moi",
            // The fixture's records carry theme ids only: labels come from the
            // built-in taxonomy.
            "Chuyển đổi số, chính quyền số; Xây dựng nông thôn mới",
        ]
    );
    let score: f64 = row[10].parse().unwrap();
    let want = hits.iter().find(|h| h["id"] == "kg-136").unwrap()["score"]
        .as_f64()
        .unwrap();
    assert!((score - want).abs() < 1e-3, "{score} vs {want}");

    // A BOM on request, paging by limit/offset, no cache of JSON answers mixed in.
    let bom = get(
        &s.base,
        &format!(
            "/api/search?{}&format=csv&bom=1&limit=2&offset=1",
            qs(&pairs)
        ),
    );
    assert!(bom.body.starts_with('\u{feff}'), "{bom:?}");
    let (_, page) = csv_of(&bom);
    assert_eq!(page, rows[1..3]);
    let again = get(&s.base, &format!("/api/search?{}", qs(&pairs)));
    assert!(again.content_type.starts_with("application/json"));

    // A bad query is still a JSON 400 with its position.
    let bad = get(
        &s.base,
        &format!(
            "/api/search?{}",
            qs(&[("q", "thi \"đua"), ("format", "csv")])
        ),
    );
    assert_eq!(bad.status, 400);
    let v = bad.json();
    assert_eq!(v["error"]["code"], "bad_query", "{v}");
    assert_eq!(v["error"]["position"], 4, "{v}");
}

#[test]
fn csv_cells_from_documents_cannot_be_formulas() {
    // A document whose title and issuer a spreadsheet would run as formulas.
    let mut docs = http_fixture::corpus();
    let mut evil = docs
        .iter()
        .find(|d| d.id == "kg-136")
        .expect("kg-136")
        .clone();
    evil.id = "evil".into();
    evil.record.title = Some("=HYPERLINK(\"http://x\",\"bấm vào đây\")".into());
    evil.record.issuer = Some("@SUM(1+1)".into());
    evil.record.text = "Văn bản thử nghiệm công thức bảng tính.".into();
    evil.record.references.clear();
    docs.push(evil);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    http_fixture::build_index(&dir, &docs);
    let s = http_fixture::Server::start(&dir);

    let r = get(
        &s.base,
        &format!(
            "/api/search?{}",
            qs(&[("q", "thử nghiệm"), ("format", "csv")])
        ),
    );
    let (_, rows) = csv_of(&r);
    let row = rows.iter().find(|r| r[0] == "evil").expect("the document");
    assert_eq!(row[2], "'=HYPERLINK(\"http://x\",\"bấm vào đây\")");
    assert_eq!(row[7], "'@SUM(1+1)");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "unguarded formula {cell:?} in {row:?}"
            );
        }
    }
    // Markup in document text stays text.
    let r = get(
        &s.base,
        &format!(
            "/api/search?{}",
            qs(&[("q", "khen thưởng"), ("format", "csv")])
        ),
    );
    let (_, rows) = csv_of(&r);
    let row = rows.iter().find(|r| r[0] == "hg-12").expect("hg-12");
    assert_eq!(row[2], "Quyết định khen thưởng <phong trào> thi đua");
}

#[test]
fn the_description_offers_csv_on_search() {
    let (_t, _docs, s) = setup();
    let api: Value = get(&s.base, "/openapi.json").json();
    let op = &api["paths"]["/api/search"]["get"];
    let names: Vec<&str> = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        names.contains(&"format") && names.contains(&"bom"),
        "{names:?}"
    );
    let content = &op["responses"]["200"]["content"];
    assert!(content["text/csv"].is_object(), "{content}");
    assert!(content["application/json"].is_object(), "{content}");
}
