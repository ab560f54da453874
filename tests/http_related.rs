//! Related plans and the citation graph over real HTTP, on a corpus of plans
//! written as plain text with real headers (tests/fixtures/related) and ingested
//! through document understanding — so numbers, dates, provinces and citations
//! come from extraction, as in production:
//!
//! * `kg-136.txt`  136/KH-UBND Kiên Giang 2019-09-13, cites Chỉ thị 34-CT/TW (not in the corpus)
//! * `dt-136.txt`  136/KH-UBND Đồng Tháp 2019-07-01, cites 34-CT/TW too
//! * `kg-325.txt`  325/KH-SCT Kiên Giang 2019-10-08, cites 136/KH-UBND of 13/9/2019 (→ kg-136)
//! * `cm-12.txt`   12/KH-UBND Cà Mau 2021-02-20, cites 325/KH-SCT of 08/10/2019 (→ kg-325)
//! * `=hg-50.txt`  50/KH-UBND Hậu Giang 2020-03-15, cites 136/KH-UBND with no date or
//!   issuer (ambiguous: kg-136 or dt-136; neither in Hậu Giang)
//! * `ag-10.txt` ↔ `an-giang/ag-22.txt`: An Giang 2022, citing each other (a cycle)
//!
//! Also the page's related panel in headless Chromium (skips without it).

mod browser_support;
mod http_fixture;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[allow(unused_imports)]
use browser_support::*;
use http_fixture::{enc, get, Server};
use serde_json::Value;

const KG136: &str = "kg-136.txt";
const DT136: &str = "dt-136.txt";
const KG325: &str = "kg-325.txt";
const CM12: &str = "cm-12.txt";
const HG50: &str = "=hg-50.txt";
const AG10: &str = "ag-10.txt";
const AG22: &str = "an-giang/ag-22.txt";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/related")
}

fn ingest(index: &Path, root: &Path) {
    let summary = kehoach::index::ingest(
        index,
        &[root.to_path_buf()],
        &kehoach::index::IngestOptions {
            threads: 1,
            writer_memory: 30_000_000,
            ..Default::default()
        },
        &kehoach::index::NoProgress,
    )
    .unwrap();
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
}

fn setup() -> (tempfile::TempDir, Server) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    ingest(&dir, &fixtures());
    let server = Server::start(&dir);
    (tmp, server)
}

fn json(s: &Server, path: &str) -> Value {
    let r = get(&s.base, path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    assert!(r.content_type.starts_with("application/json"), "{r:?}");
    r.json()
}

fn related(s: &Server, id: &str) -> Value {
    json(s, &format!("/api/related/{}", enc(id)))
}

fn doc_ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|it| it["document"]["id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// (key, status, resolved id) of each citation.
fn cites(v: &Value) -> Vec<(String, String, String)> {
    v["cites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().to_string(),
                c["resolution"]["status"].as_str().unwrap().to_string(),
                c["document"]["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn chain(v: &Value) -> Vec<(String, u64)> {
    v["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["document"]["id"].as_str().unwrap().to_string(),
                c["depth"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn t(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[test]
fn extraction_gives_the_metadata_the_expectations_rest_on() {
    let (_t, s) = setup();
    for (id, number, date, province) in [
        (KG136, "136/KH-UBND", "2019-09-13", "Kiên Giang"),
        (DT136, "136/KH-UBND", "2019-07-01", "Đồng Tháp"),
        (KG325, "325/KH-SCT", "2019-10-08", "Kiên Giang"),
        (CM12, "12/KH-UBND", "2021-02-20", "Cà Mau"),
        (HG50, "50/KH-UBND", "2020-03-15", "Hậu Giang"),
        (AG10, "10/KH-UBND", "2022-01-05", "An Giang"),
        (AG22, "22/KH-SNV", "2022-01-10", "An Giang"),
    ] {
        let d = json(&s, &format!("/api/documents/{}", enc(id)));
        assert_eq!(
            (
                d["number"].as_str(),
                d["date"].as_str(),
                d["province"].as_str()
            ),
            (Some(number), Some(date), Some(province)),
            "{id}"
        );
    }
}

#[test]
fn related_sets_are_exactly_the_expected_ones() {
    let (_t, s) = setup();

    // The Kiên Giang plan: cites a Politburo directive that is not in the corpus;
    // cited exactly by the Sở Công Thương plan and ambiguously from Hậu Giang;
    // sibling of the Đồng Tháp plan implementing the same directive.
    let v = related(&s, KG136);
    assert_eq!(v["document"]["id"], KG136);
    assert_eq!(cites(&v), [t("34-CT/TW", "external", "")]);
    assert_eq!(
        v["cites"][0]["evidence"].as_str().unwrap(),
        "Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua, khen thưởng."
    );
    assert_eq!(doc_ids(&v["cited_by"]), [KG325, HG50], "exact first");
    assert!(v["cited_by"][0]["score"].as_f64() > v["cited_by"][1]["score"].as_f64());
    assert_eq!(doc_ids(&v["siblings"]), [DT136]);
    assert!(v["siblings"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("34-CT/TW"));
    assert!(chain(&v).is_empty());

    // Same number in another province: only the ambiguous citation points at it.
    let v = related(&s, DT136);
    assert_eq!(doc_ids(&v["cited_by"]), [HG50]);
    assert_eq!(doc_ids(&v["siblings"]), [KG136]);

    // The Sở Công Thương plan resolves 136/KH-UBND by its date.
    let v = related(&s, KG325);
    assert_eq!(cites(&v), [t("136/KH-UBND", "exact", KG136)]);
    assert!(v["cites"][0]["evidence"]
        .as_str()
        .unwrap()
        .starts_with("Thực hiện Kế hoạch số 136/KH-UBND ngày 13/9/2019 của UBND tỉnh Kiên Giang"));
    assert_eq!(doc_ids(&v["cited_by"]), [CM12]);
    assert!(doc_ids(&v["siblings"]).is_empty());
    assert_eq!(chain(&v), [(KG136.to_string(), 1)]);

    // Cà Mau, two years later: a chain of two across provinces and years.
    let v = related(&s, CM12);
    assert_eq!(cites(&v), [t("325/KH-SCT", "exact", KG325)]);
    assert_eq!(chain(&v), [(KG325.to_string(), 1), (KG136.to_string(), 2)]);
    assert!(doc_ids(&v["cited_by"]).is_empty());

    // Hậu Giang cites 136/KH-UBND without date or issuer: both candidates, no guess.
    let v = related(&s, HG50);
    assert_eq!(cites(&v), [t("136/KH-UBND", "ambiguous", "")]);
    let cands: BTreeSet<&str> = v["cites"][0]["resolution"]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(cands, BTreeSet::from([DT136, KG136]));
    assert!(chain(&v).is_empty() && doc_ids(&v["siblings"]).is_empty());

    // The cycle terminates: each is the other's only upstream document.
    let v = related(&s, AG10);
    assert_eq!(cites(&v), [t("22/KH-SNV", "exact", AG22)]);
    assert_eq!(doc_ids(&v["cited_by"]), [AG22]);
    assert_eq!(chain(&v), [(AG22.to_string(), 1)]);
    let v = related(&s, AG22);
    assert_eq!(chain(&v), [(AG10.to_string(), 1)]);

    // Similar documents are other corpus documents.
    for it in v["similar"].as_array().unwrap() {
        let id = it["document"]["id"].as_str().unwrap();
        assert_ne!(id, AG22);
    }
}

#[test]
fn routes_limits_and_errors() {
    let (_t, s) = setup();
    // `/api/documents/{id}/related` is the same answer as `/api/related/{id}`,
    // also for an id containing `/` (plain or percent-encoded).
    let a = related(&s, KG136);
    let b = json(&s, &format!("/api/documents/{}/related", enc(KG136)));
    assert_eq!(a, b);
    let a = related(&s, AG22);
    let b = json(&s, "/api/documents/an-giang/ag-22.txt/related");
    let c = json(&s, "/api/related/an-giang/ag-22.txt");
    assert_eq!(a, b);
    assert_eq!(a, c);
    // … while the document route still serves documents.
    let d = json(&s, "/api/documents/an-giang/ag-22.txt");
    assert_eq!(d["id"], AG22);
    assert!(d.get("cites").is_none() && d["text"].is_string());

    // `limit` cuts every set but `cites`.
    let v = json(&s, &format!("/api/related/{}?limit=1", enc(KG136)));
    assert_eq!(doc_ids(&v["cited_by"]), [KG325]);
    assert_eq!(v["cites"].as_array().unwrap().len(), 1);

    for path in [
        "/api/related/nope.txt".to_string(),
        "/api/documents/nope.txt/related".to_string(),
    ] {
        let r = get(&s.base, &path);
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert_eq!(r.json()["error"]["code"], "not_found", "{path}");
    }
    let r = get(&s.base, &format!("/api/related/{}?limit=x", enc(KG136)));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["parameter"], "limit");

    let api = json(&s, "/openapi.json");
    for p in [
        "/api/related/{id}",
        "/api/documents/{id}/related",
        "/api/graph",
    ] {
        assert!(api["paths"].get(p).is_some(), "{p} missing in OpenAPI");
    }
}

type EdgeSet = BTreeSet<(String, String, String, String)>;

fn edges(v: &Value) -> EdgeSet {
    v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let f = |k: &str| e[k].as_str().unwrap().to_string();
            (f("from"), f("to"), f("key"), f("status"))
        })
        .collect()
}

fn e(from: &str, to: &str, key: &str, status: &str) -> (String, String, String, String) {
    (from.into(), to.into(), key.into(), status.into())
}

fn node_ids(v: &Value) -> BTreeSet<String> {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn graph_nodes_edges_subcorpora_and_cap() {
    let (_t, s) = setup();
    let all_edges: EdgeSet = [
        e(KG136, "ref:34/ct/tw", "34-CT/TW", "external"),
        e(DT136, "ref:34/ct/tw", "34-CT/TW", "external"),
        e(KG325, KG136, "136/KH-UBND", "exact"),
        e(CM12, KG325, "325/KH-SCT", "exact"),
        e(HG50, "ref:136/kh/ubnd", "136/KH-UBND", "ambiguous"),
        e(AG10, AG22, "22/KH-SNV", "exact"),
        e(AG22, AG10, "10/KH-UBND", "exact"),
    ]
    .into_iter()
    .collect();

    let v = json(&s, "/api/graph");
    assert_eq!(v["documents"], 7);
    assert_eq!(
        node_ids(&v),
        set(&[
            KG136,
            DT136,
            KG325,
            CM12,
            HG50,
            AG10,
            AG22,
            "ref:34/ct/tw",
            "ref:136/kh/ubnd"
        ])
    );
    assert_eq!(edges(&v), all_edges);
    assert_eq!(v["truncated"], false);
    assert_eq!(v["max_nodes"], 2000);
    for n in v["nodes"].as_array().unwrap() {
        let ext = n["id"].as_str().unwrap().starts_with("ref:");
        assert_eq!(n["external"], ext, "{n}");
        if ext {
            assert!(n["key"] == "34-CT/TW" || n["key"] == "136/KH-UBND", "{n}");
        } else {
            assert_eq!(n["type"], "Kế hoạch", "{n}");
            assert!(n["number"].is_string() && n["date"].is_string() && n["province"].is_string());
        }
    }
    let amb = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["status"] == "ambiguous")
        .unwrap();
    let cands: BTreeSet<String> = amb["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(cands, set(&[KG136, DT136]));

    // Repeated keys are alternatives: Kiên Giang or Cà Mau.
    let v = json(
        &s,
        &format!(
            "/api/graph?province={}&province={}",
            enc("Kiên Giang"),
            enc("Cà Mau")
        ),
    );
    assert_eq!(v["documents"], 3);
    assert_eq!(node_ids(&v), set(&[KG136, KG325, CM12, "ref:34/ct/tw"]));
    let want: EdgeSet = all_edges
        .iter()
        .filter(|x| [KG136, KG325, CM12].contains(&x.0.as_str()))
        .cloned()
        .collect();
    assert_eq!(edges(&v), want);

    // A query: only Cà Mau's plan; the document it cites is a node outside the subcorpus.
    let v = json(&s, &format!("/api/graph?q={}", enc("lan tỏa")));
    assert_eq!(v["documents"], 1);
    assert_eq!(node_ids(&v), set(&[CM12, KG325]));
    let outside: Vec<&Value> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["in_subcorpus"] == false)
        .collect();
    assert_eq!(outside.len(), 1);
    assert_eq!(outside[0]["id"], KG325);

    // The cap: nodes dropped, with the edges touching them.
    let v = json(&s, "/api/graph?limit=3");
    assert_eq!(v["truncated"], true);
    assert_eq!(v["total_nodes"], 9);
    assert_eq!(v["nodes"].as_array().unwrap().len(), 3);
    let kept = node_ids(&v);
    for (from, to, _, _) in edges(&v) {
        assert!(kept.contains(&from) && kept.contains(&to));
    }
    assert!(edges(&v).is_subset(&all_edges));

    let r = get(&s.base, "/api/graph?format=xml");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["parameter"], "format");
}

/// The edge list of the fixture corpus as CSV rows.
fn expected_edge_rows() -> BTreeSet<Vec<String>> {
    // One row per citing document and cited node; the label is the citation as
    // the text writes it, the count how often it is cited.
    let row = |a: &str, b: &str, c: &str, d: &str, e: &str, f: &str, g: &str| {
        vec![a, b, c, d, e, f, g, "1"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    [
        row(
            KG136,
            "",
            "34-CT/TW",
            "thực hiện",
            "external",
            "",
            "Chỉ thị số 34-CT/TW",
        ),
        row(
            DT136,
            "",
            "34-CT/TW",
            "căn cứ",
            "external",
            "",
            "Chỉ thị số 34-CT/TW",
        ),
        row(
            KG325,
            KG136,
            "136/KH-UBND",
            "thực hiện",
            "exact",
            "",
            "Kế hoạch số 136/KH-UBND",
        ),
        row(
            CM12,
            KG325,
            "325/KH-SCT",
            "thực hiện",
            "exact",
            "",
            "Kế hoạch số 325/KH-SCT",
        ),
        // The id starting with `=` is neutralised for spreadsheets.
        row(
            "'=hg-50.txt",
            "",
            "136/KH-UBND",
            "",
            "ambiguous",
            "dt-136.txt | kg-136.txt",
            "Kế hoạch số 136/KH-UBND",
        ),
        row(
            AG10,
            AG22,
            "22/KH-SNV",
            "căn cứ",
            "exact",
            "",
            "Kế hoạch số 22/KH-SNV",
        ),
        row(
            AG22,
            AG10,
            "10/KH-UBND",
            "thực hiện",
            "exact",
            "",
            "Kế hoạch số 10/KH-UBND",
        ),
    ]
    .into_iter()
    .collect()
}

#[test]
fn graph_csv_is_the_edge_list_neutralised() {
    let (_t, s) = setup();
    let r = get(&s.base, "/api/graph?format=csv");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.content_type.starts_with("text/csv"), "{r:?}");
    assert!(!r.body.starts_with('\u{feff}'));
    let mut rd = csv::Reader::from_reader(r.body.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "source_id",
            "target_id",
            "target_key",
            "relation",
            "status",
            "candidates",
            "target_label",
            "citations"
        ]
    );
    let rows: BTreeSet<Vec<String>> = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let want = expected_edge_rows();
    assert_eq!(rows, want);

    let r = get(
        &s.base,
        &format!("/api/graph?format=csv&bom=1&province={}", enc("Đồng Tháp")),
    );
    assert!(r.body.starts_with('\u{feff}'), "BOM");
    assert_eq!(r.body.trim_end().lines().count(), 2, "{}", r.body);
    assert!(r.body.contains("dt-136.txt,,34-CT/TW,căn cứ,external,"));

    // decimal=comma: the same rows, `;` between fields (the edge list has no decimals).
    let semi = get(&s.base, "/api/graph?format=csv&decimal=comma&bom=1");
    assert_eq!(semi.status, 200, "{}", semi.body);
    let body = semi.body.strip_prefix('\u{feff}').expect("BOM");
    assert!(body.starts_with(
        "source_id;target_id;target_key;relation;status;candidates;target_label;citations\r\n"
    ));
    let rows: BTreeSet<Vec<String>> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows, want);
}

#[test]
fn a_new_commit_while_serving_updates_the_graph() {
    let (t, s) = setup();
    assert_eq!(
        doc_ids(&related(&s, KG325)["cited_by"]),
        [CM12],
        "graph built and cached"
    );
    let extra = t.path().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    std::fs::write(
        extra.join("kg-400.txt"),
        "UBND TỈNH KIÊN GIANG\nSỞ NỘI VỤ\n\nSố: 400/KH-SNV\n\nKiên Giang, ngày 02 tháng 3 năm 2020\n\nKẾ HOẠCH\n\nThi đua của Sở Nội vụ\n\nThực hiện Kế hoạch số 325/KH-SCT ngày 08/10/2019 của Sở Công Thương tỉnh Kiên Giang về thi đua. Sở Nội vụ triển khai như sau.\n",
    )
    .unwrap();
    ingest(&t.path().join("index"), &extra);
    let started = Instant::now();
    loop {
        let ids = doc_ids(&related(&s, KG325)["cited_by"]);
        if ids.len() == 2 {
            assert_eq!(
                ids.iter().cloned().collect::<BTreeSet<_>>(),
                set(&[CM12, "kg-400.txt"])
            );
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the new plan never showed up: {ids:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // And its siblings: the Cà Mau plan implements the same document.
    assert_eq!(doc_ids(&related(&s, "kg-400.txt")["siblings"]), [CM12]);
}

// ---------- the page ----------

/// The text from `start` to the next `end` after it.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let a = s.find(start)?;
    let b = s[a..].find(end)? + a;
    Some(&s[a..b])
}

#[test]
fn the_document_page_shows_the_related_panel_and_graph() {
    let Some(chrome) = chromium() else { return };
    let (_t, s) = setup();
    let url = format!("{}/#/doc/{}", s.base, enc(KG136));
    let dom = run_chromium(&chrome, &url, &["--dump-dom"]);
    let panel = between(
        &dom,
        "<section class=\"related\"",
        "</section></div></section>",
    )
    .unwrap_or_else(|| panic!("no related panel: {dom}"));
    assert!(panel.contains("Văn bản liên quan"), "{panel}");
    // The SVG: the document in the centre, its neighbours clickable.
    let svg = between(panel, "<svg", "</svg>").unwrap_or_else(|| panic!("no svg: {panel}"));
    assert!(svg.contains(">136/KH-UBND</text>"), "centre: {svg}");
    assert!(svg.contains(">34-CT/TW</text>"), "upstream: {svg}");
    for id in [KG325, HG50, DT136] {
        assert!(
            svg.contains(&format!("href=\"#/doc/{}\"", enc(id))),
            "{id} not clickable in {svg}"
        );
    }
    // The lists, with statuses and evidence.
    for (set, title) in [
        ("cites", "Căn cứ / thực hiện (1)"),
        ("cited_by", "Được dẫn chiếu bởi (2)"),
        ("siblings", "Cùng thực hiện (1)"),
    ] {
        let group = between(panel, &format!("data-set=\"{set}\""), "</ul>")
            .unwrap_or_else(|| panic!("no {set} group: {panel}"));
        assert!(group.contains(title), "{group}");
    }
    let cites = between(panel, "data-set=\"cites\"", "</ul>").unwrap();
    assert!(
        cites.contains("ngoài kho") && cites.contains("34-CT/TW"),
        "{cites}"
    );
    let cited_by = between(panel, "data-set=\"cited_by\"", "</ul>").unwrap();
    assert!(cited_by.contains(&format!("href=\"#/doc/{}\"", enc(KG325))));
    assert!(cited_by.contains("Thực hiện Kế hoạch số 136/KH-UBND ngày 13/9/2019"));
    assert!(!panel.contains("data-set=\"chain\""), "empty chain shown");

    // Hậu Giang's ambiguous citation lists both candidates.
    let dom = run_chromium(
        &chrome,
        &format!("{}/#/doc/{}", s.base, enc(HG50)),
        &["--dump-dom"],
    );
    let cites = between(&dom, "data-set=\"cites\"", "</ul>").unwrap_or_else(|| panic!("{dom}"));
    assert!(cites.contains("nhiều văn bản"), "{cites}");
    for id in [KG136, DT136] {
        assert!(
            cites.contains(&format!("href=\"#/doc/{}\"", enc(id))),
            "{cites}"
        );
    }
    // Cà Mau's chain of two.
    let dom = run_chromium(
        &chrome,
        &format!("{}/#/doc/{}", s.base, enc(CM12)),
        &["--dump-dom"],
    );
    let chain = between(&dom, "data-set=\"chain\"", "</ul>").unwrap_or_else(|| panic!("{dom}"));
    assert!(
        chain.contains("Chuỗi văn bản (2)") && chain.contains("↑2"),
        "{chain}"
    );

    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-output");
    std::fs::create_dir_all(&out).unwrap();
    for (name, size) in [
        ("related-desktop.png", "1280,1000"),
        ("related-phone.png", "390,1400"),
    ] {
        let file = out.join(name);
        let _ = std::fs::remove_file(&file);
        run_chromium(
            &chrome,
            &url,
            &[
                &format!("--screenshot={}", file.display()),
                &format!("--window-size={size}"),
            ],
        );
        assert!(std::fs::read(&file).unwrap().starts_with(b"\x89PNG"));
    }
}
