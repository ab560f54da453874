//! The JSON API, driven over real HTTP against a server on an ephemeral port:
//! search, filters (repeated parameters), exact facets, highlights, documents,
//! references, health, OpenAPI, every error path, live reload of new commits,
//! and the `kehoach serve` command itself.

mod common;
mod http_fixture;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use http_fixture::{api_facets, count_facets, enc, get, get_with, qs, Doc, Server};
use serde_json::Value;

use http_fixture::setup;

fn search(s: &Server, pairs: &[(&str, &str)]) -> Value {
    let r = get(&s.base, &format!("/api/search?{}", qs(pairs)));
    assert_eq!(r.status, 200, "{pairs:?}: {}", r.body);
    assert!(r.content_type.starts_with("application/json"), "{r:?}");
    r.json()
}

/// Every matching id, by paging through the API.
fn all_ids(s: &Server, pairs: &[(&str, &str)]) -> Vec<String> {
    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let off = offset.to_string();
        let mut p = pairs.to_vec();
        p.push(("offset", &off));
        p.push(("limit", "7"));
        let v = search(s, &p);
        let hits = v["hits"].as_array().unwrap();
        if hits.is_empty() {
            break;
        }
        ids.extend(hits.iter().map(|h| h["id"].as_str().unwrap().to_string()));
        offset += hits.len();
    }
    ids
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn ids_where(docs: &[Doc], pred: impl Fn(&Doc) -> bool) -> Vec<String> {
    sorted(
        docs.iter()
            .filter(|d| pred(d))
            .map(|d| d.id.clone())
            .collect(),
    )
}

#[test]
fn search_returns_hits_with_metadata_snippets_and_exact_facets() {
    let (_t, docs, s) = setup();
    let v = search(&s, &[("q", "thi đua")]);
    let total = v["total"].as_u64().unwrap() as usize;
    assert!(total > 10, "{v}");
    assert_eq!(v["hits"].as_array().unwrap().len(), 10, "default page");
    assert!(v["took_ms"].as_f64().unwrap() >= 0.0);
    let hit = &v["hits"][0];
    for key in [
        "id", "title", "number", "date", "province", "themes", "score", "snippet",
    ] {
        assert!(hit.get(key).is_some(), "missing {key}: {hit}");
    }

    // Repeating a search is answered from the cache, identically.
    let path = format!("/api/search?{}", qs(&[("q", "thi đua")]));
    let again = get(&s.base, &path);
    assert_eq!(again.header("x-cache"), Some("hit"));
    assert_eq!(again.json(), v);
    let other = get(&s.base, &format!("{path}&limit=3"));
    assert_eq!(other.header("x-cache"), Some("miss"));

    // Facets are exact: compare with a brute-force count over every matching document.
    let ids: BTreeSet<String> = all_ids(&s, &[("q", "thi đua")]).into_iter().collect();
    assert_eq!(ids.len(), total);
    let expected = count_facets(docs.iter().filter(|d| ids.contains(&d.id)));
    assert_eq!(api_facets(&v["facets"]), expected);

    // Ordered by count, then value.
    for buckets in v["facets"].as_object().unwrap().values() {
        let b: Vec<(u64, String)> = buckets
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["count"].as_u64().unwrap(),
                    b["value"].as_str().unwrap().into(),
                )
            })
            .collect();
        let mut want = b.clone();
        want.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        assert_eq!(b, want);
    }
}

#[test]
fn filters_repeat_as_alternatives_and_combine_with_and() {
    let (_t, docs, s) = setup();
    let prov = |d: &Doc, p: &[&str]| p.contains(&d.record.province.as_deref().unwrap_or(""));

    let got = sorted(all_ids(
        &s,
        &[("province", "Kiên Giang"), ("province", "dong thap")],
    ));
    assert_eq!(
        got,
        ids_where(&docs, |d| prov(d, &["Kiên Giang", "Đồng Tháp"]))
    );

    let got = sorted(all_ids(
        &s,
        &[
            ("province", "Kiên Giang"),
            ("year", "2019"),
            ("year", "2021"),
        ],
    ));
    let want = ids_where(&docs, |d| {
        prov(d, &["Kiên Giang"])
            && d.record
                .date
                .map(|x| x.to_string())
                .is_some_and(|x| x.starts_with("2019") || x.starts_with("2021"))
    });
    assert!(!want.is_empty());
    assert_eq!(got, want);

    let got = sorted(all_ids(&s, &[("type", "Quyết định"), ("theme", "y_te")]));
    let want = ids_where(&docs, |d| {
        d.record.doc_type.as_deref() == Some("Quyết định")
            && d.record.themes.iter().any(|t| t.id == "y_te")
    });
    assert!(!want.is_empty());
    assert_eq!(got, want);

    let got = sorted(all_ids(&s, &[("province_current", "An Giang")]));
    assert_eq!(
        got,
        ids_where(&docs, |d| d.record.province_current.as_deref()
            == Some("An Giang"))
    );

    // Level and commune (issue 19), accents optional.
    let got = sorted(all_ids(&s, &[("level", "xa")]));
    let want = ids_where(&docs, |d| d.record.level.as_deref() == Some("xã"));
    assert!(!want.is_empty());
    assert_eq!(got, want);
    let got = sorted(all_ids(&s, &[("commune", "phường 1"), ("level", "xã")]));
    let want = ids_where(&docs, |d| d.record.commune.as_deref() == Some("phường 1"));
    assert!(!want.is_empty());
    assert_eq!(got, want);

    let got = sorted(all_ids(&s, &[("issuer", "Sở Công Thương")]));
    assert_eq!(
        got,
        ids_where(&docs, |d| d.record.issuer.as_deref()
            == Some("Sở Công Thương"))
    );

    // Citing documents, any spelling of the number.
    assert_eq!(all_ids(&s, &[("ref", "136/kh-ubnd")]), ["kg/325 2019.txt"]);
    assert_eq!(
        sorted(all_ids(&s, &[("ref", "34-CT/TW")])),
        ["dt-1579", "kg-136"]
    );

    // Date range.
    let got = sorted(all_ids(&s, &[("from", "2022-06-01"), ("to", "2022-12-31")]));
    let want = ids_where(&docs, |d| {
        d.record
            .date
            .map(|x| x.to_string())
            .is_some_and(|x| ("2022-06-01".."2022-12-32").contains(&x.as_str()))
    });
    assert!(!want.is_empty());
    assert_eq!(got, want);

    // Facets under the filters are exact too.
    let v = search(&s, &[("q", "chuyển đổi số"), ("province", "Kiên Giang")]);
    let ids: BTreeSet<String> = all_ids(&s, &[("q", "chuyển đổi số"), ("province", "Kiên Giang")])
        .into_iter()
        .collect();
    assert!(ids.contains("kg-136"), "{ids:?}");
    let expected = count_facets(docs.iter().filter(|d| ids.contains(&d.id)));
    assert_eq!(api_facets(&v["facets"]), expected);
    assert_eq!(
        v["facets"]["province"],
        serde_json::json!([{"value": "Kiên Giang", "count": ids.len()}])
    );
}

#[test]
fn sorting_paging_and_limit_cap() {
    let (_t, docs, s) = setup();
    let v = search(&s, &[("sort", "date"), ("limit", "5")]);
    let dates: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    let mut all: Vec<String> = docs
        .iter()
        .filter_map(|d| d.record.date.map(|x| x.to_string()))
        .collect();
    all.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, all[..5]);

    let page1 = search(&s, &[("sort", "date"), ("limit", "3"), ("offset", "3")]);
    let ids: Vec<&str> = page1["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert_eq!(ids, all[3..6]);
    assert_eq!(page1["offset"], 3);

    let v = search(&s, &[("limit", "1000")]);
    assert_eq!(v["limit"], 100, "limit is capped");
    assert_eq!(v["total"], docs.len());
    assert_eq!(v["hits"].as_array().unwrap().len(), docs.len().min(100));
}

#[test]
fn snippets_mark_accented_unaccented_and_phrase_matches_and_escape_text() {
    let (_t, _d, s) = setup();
    for q in ["chuyển đổi số", "chuyen doi so"] {
        let v = search(&s, &[("q", q), ("ref", "136/KH-UBND")]);
        let snippet = v["hits"][0]["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("<mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark>"),
            "{q}: {snippet}"
        );
        // Up to three fragments per hit.
        assert!(v["hits"][0]["fragments"].as_array().unwrap().len() <= 3);
    }
    let v = search(&s, &[("q", "\"nông thôn mới\"")]);
    assert_eq!(v["total"], 1, "{v}");
    let snippet = v["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>nông thôn mới</mark>"), "{snippet}");

    // Text is escaped; only <mark> is HTML.
    let v = search(&s, &[("q", "yêu nước")]);
    let snippet = v["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
    assert!(!snippet.contains("<script"), "{snippet}");
    assert!(snippet.contains("&amp;"), "{snippet}");
}

#[test]
fn documents_by_id_with_citation_spans() {
    let (_t, _d, s) = setup();
    for path in [
        format!("/api/documents/{}", enc("kg/325 2019.txt")),
        "/api/documents/kg/325%202019.txt".to_string(),
    ] {
        let r = get(&s.base, &path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        let v = r.json();
        assert_eq!(v["id"], "kg/325 2019.txt");
        assert_eq!(v["number"], "325/KH-SCT");
        assert_eq!(v["province"], "Kiên Giang");
        assert_eq!(v["province_current"], "An Giang");
        assert_eq!(v["type"], "Kế hoạch");
        assert_eq!(v["themes"][0]["id"], "chuyen_doi_so");
        let text = v["text"].as_str().unwrap();
        let c = &v["references"][0];
        assert_eq!(c["key"], "136/KH-UBND");
        let (a, b) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[a..b], "136/KH-UBND");
        assert!(c["sentence"].as_str().unwrap().contains("136/KH-UBND"));
    }
    let r = get(&s.base, "/api/documents/no%20such%20doc");
    assert_eq!(r.status, 404);
    let v = r.json();
    assert_eq!(v["error"]["code"], "not_found");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no such doc"),
        "{v}"
    );
}

#[test]
fn references_autocomplete_and_citing_documents() {
    let (_t, _d, s) = setup();
    let r = get(
        &s.base,
        &format!("/api/references?prefix={}", enc("136/kh")),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(
        v["keys"],
        serde_json::json!([{"key": "136/KH-UBND", "fold": "136/kh/ubnd", "cited_by": 1, "documents": 1}])
    );
    let v = get(&s.base, "/api/references?prefix=34-ct").json();
    assert_eq!(v["keys"][0]["key"], "34-CT/TW");
    assert_eq!(v["keys"][0]["cited_by"], 2);
    assert_eq!(v["keys"][0]["documents"], 0);
    // The generated reports' own numbers: 100/BC-UBND … 135/BC-UBND.
    let v = get(&s.base, "/api/references?prefix=1&limit=5").json();
    assert_eq!(v["keys"].as_array().unwrap().len(), 5);
    let v = get(&s.base, "/api/references?prefix=zzz").json();
    assert_eq!(v["keys"], serde_json::json!([]));

    let v = get(&s.base, &format!("/api/references/{}", enc("34-ct/tw"))).json();
    assert_eq!(v["key"], "34-CT/TW");
    assert_eq!(v["cited_by_total"], 2);
    let citing: BTreeSet<&str> = v["cited_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(citing, BTreeSet::from(["dt-1579", "kg-136"]));
    assert!(v["cited_by"][0]["sentences"][0]
        .as_str()
        .unwrap()
        .contains("34-CT/TW"));

    // Unencoded slashes work too.
    let v = get(&s.base, "/api/references/136/KH-UBND").json();
    assert_eq!(v["documents"][0]["id"], "kg-136");
    assert_eq!(v["cited_by"][0]["id"], "kg/325 2019.txt");

    let r = get(&s.base, "/api/references/999%2FXX-YY");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"]["code"], "not_found");
}

#[test]
fn corpus_facets_health_and_openapi() {
    let (_t, docs, s) = setup();
    let v = get(&s.base, "/api/facets").json();
    assert_eq!(v["total"], docs.len());
    assert_eq!(api_facets(&v["facets"]), count_facets(&docs));

    let v = get(&s.base, "/healthz").json();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["documents"], docs.len());

    let r = get(&s.base, "/openapi.json");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert!(v["openapi"].as_str().unwrap().starts_with('3'));
    for path in [
        "/api/search",
        "/api/documents/{id}",
        "/api/references",
        "/api/references/{key}",
        "/api/facets",
        "/healthz",
    ] {
        assert!(v["paths"].get(path).is_some(), "missing {path}");
    }
    // The place fields of issue 19 are in the description.
    let schemas = &v["components"]["schemas"];
    for field in ["level", "commune", "district", "unit_candidates"] {
        assert!(
            schemas["Record"]["properties"].get(field).is_some(),
            "Record.{field} undocumented"
        );
    }
    for field in ["level", "commune"] {
        assert!(
            schemas["Facets"]["properties"].get(field).is_some(),
            "Facets.{field} undocumented"
        );
    }
    let params: Vec<&str> = v["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in ["q", "province", "type", "ref", "year", "limit", "sort"] {
        assert!(params.contains(&p), "{p} not in {params:?}");
    }
    for schema in ["SearchResponse", "DocumentResponse", "ErrorBody", "Facets"] {
        assert!(
            v["components"]["schemas"].get(schema).is_some(),
            "missing schema {schema}"
        );
    }
}

#[test]
fn health_lists_each_cache_with_its_size_and_limits() {
    let (_t, _docs, s) = setup();
    let v = get(&s.base, "/healthz").json();
    // Every cache says what it holds and its limits (issue 18: memory bounds).
    let caches = |v: &Value| -> Vec<(String, u64, u64, Value, Value)> {
        v["caches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["entries"].as_u64().unwrap(),
                    c["bytes"].as_u64().unwrap(),
                    c["max_entries"].clone(),
                    c["max_bytes"].clone(),
                )
            })
            .collect()
    };
    let before = caches(&v);
    let names: Vec<&str> = before.iter().map(|c| c.0.as_str()).collect();
    for name in [
        "search responses",
        "statistics: top n-gram tables",
        "citation graph",
        "text reuse fingerprints",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let responses = |cs: &[(String, u64, u64, Value, Value)]| {
        cs.iter()
            .find(|c| c.0 == "search responses")
            .cloned()
            .unwrap()
    };
    // A search response is kept, and its bytes counted within the limit.
    let body = get(&s.base, "/api/search?q=k%E1%BA%BF+ho%E1%BA%A1ch").body;
    let after = responses(&caches(&get(&s.base, "/healthz").json()));
    let was = responses(&before);
    assert_eq!(after.1, was.1 + 1);
    assert!(
        after.2 >= was.2 + body.len() as u64,
        "{after:?} {}",
        body.len()
    );
    assert!(after.2 <= after.4.as_u64().unwrap());
    // The graph is built on first use, and then reported with its size.
    let graph = |cs: &[(String, u64, u64, Value, Value)]| {
        cs.iter()
            .find(|c| c.0 == "citation graph")
            .cloned()
            .unwrap()
    };
    assert_eq!(graph(&before).1, 0);
    assert_eq!(get(&s.base, "/api/graph").status, 200);
    let g = graph(&caches(&get(&s.base, "/healthz").json()));
    assert!(g.1 == 1 && g.2 > 0 && g.4.is_null(), "{g:?}");
}

fn error_of(r: &http_fixture::Resp) -> (String, String) {
    assert!(
        r.content_type.starts_with("application/json"),
        "error is not JSON: {r:?}"
    );
    let v = r.json();
    (
        v["error"]["code"].as_str().unwrap().to_string(),
        v["error"]["message"].as_str().unwrap().to_string(),
    )
}

#[test]
fn every_error_is_json_with_the_right_status() {
    let (_t, _d, s) = setup();
    // Bad query: 400, with the position.
    let r = get(
        &s.base,
        &format!("/api/search?{}", qs(&[("q", "thi \"đua")])),
    );
    assert_eq!(r.status, 400);
    let (code, message) = error_of(&r);
    assert_eq!(code, "bad_query");
    assert!(message.contains("character 4"), "{message}");
    assert_eq!(r.json()["error"]["position"], 4);

    // Bad parameters: 400, naming the parameter.
    for (query, name) in [
        ("limit=abc", "limit"),
        ("offset=-3", "offset"),
        ("year=twenty", "year"),
        ("from=yesterday", "from"),
        ("sort=size", "sort"),
        ("colour=red", "colour"),
    ] {
        let r = get(&s.base, &format!("/api/search?{query}"));
        assert_eq!(r.status, 400, "{query}: {}", r.body);
        let (code, message) = error_of(&r);
        assert_eq!(code, "invalid_parameter", "{query}");
        assert!(message.contains(name), "{query}: {message}");
        assert_eq!(r.json()["error"]["parameter"], name);
    }
    let r = get(&s.base, "/api/references?limit=lots");
    assert_eq!(r.status, 400);
    assert_eq!(error_of(&r).0, "invalid_parameter");

    // Unknown id and unknown route: 404.
    let r = get(&s.base, "/api/documents/nope");
    assert_eq!((r.status, error_of(&r).0.as_str()), (404, "not_found"));
    let r = get(&s.base, "/api/nothing-here");
    assert_eq!((r.status, error_of(&r).0.as_str()), (404, "not_found"));
    let r = get(&s.base, "/no/such/page");
    assert_eq!((r.status, error_of(&r).0.as_str()), (404, "not_found"));

    // No write endpoints: other methods are refused.
    let (status, body) = raw(&s.base, "DELETE /api/documents/kg-136 HTTP/1.1", b"");
    assert_eq!(status, 405, "{body}");
    assert!(body.contains("\"method_not_allowed\""), "{body}");

    // Oversized body: 413.
    let big = vec![b'x'; 64 * 1024];
    let (status, body) = raw(&s.base, "POST /api/search HTTP/1.1", &big);
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("\"payload_too_large\""), "{body}");
}

/// Sends one raw HTTP/1.1 request and returns the status and the body.
fn raw(base: &str, request_line: &str, body: &[u8]) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let head = format!(
        "{request_line}\r\nHost: {addr}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer before reading the body; a failed write is fine then.
    let _ = stream.write_all(body);
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

#[test]
fn cors_allows_get_from_anywhere_and_responses_compress() {
    let (_t, _d, s) = setup();
    let r = get_with(
        &s.base,
        "/api/search?q=thi",
        &[("Origin", "http://example.org")],
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = get_with(&s.base, "/openapi.json", &[("Accept-Encoding", "gzip")]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
}

#[test]
fn the_web_page_and_its_assets_are_served() {
    let (_t, _d, s) = setup();
    let r = get(&s.base, "/");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/html"));
    assert!(r.body.contains("Tìm kiếm") && r.body.contains("/app.js"));
    assert!(!r.body.contains("https://"), "no external assets");
    let js = get(&s.base, "/app.js");
    assert!(js.content_type.starts_with("text/javascript"));
    assert!(js.body.contains("/api/search"));
    let css = get(&s.base, "/style.css");
    assert!(css.content_type.starts_with("text/css"));
}

fn poll_until(deadline: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn new_commits_are_searchable_without_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let first = tmp.path().join("a.jsonl");
    std::fs::write(
        &first,
        r#"{"id":"a1","title":"Kế hoạch thi đua","text":"Phát động thi đua năm 2024.","province":"Kiên Giang","date":"2024-01-02","type":"Kế hoạch"}
"#,
    )
    .unwrap();
    let opts = kehoach::index::IngestOptions::default();
    kehoach::index::ingest(&dir, &[first], &opts, &kehoach::index::NoProgress).unwrap();
    let s = Server::start(&dir);
    assert_eq!(search(&s, &[("q", "hải sản")])["total"], 0);

    let second = tmp.path().join("b.jsonl");
    std::fs::write(
        &second,
        r#"{"id":"b1","title":"Kế hoạch phát triển hải sản","text":"Nuôi trồng hải sản bền vững.","province":"Cà Mau","date":"2024-05-06","type":"Kế hoạch"}
"#,
    )
    .unwrap();
    kehoach::index::ingest(&dir, &[second], &opts, &kehoach::index::NoProgress).unwrap();
    let found = poll_until(Duration::from_secs(60), || {
        search(&s, &[("q", "hai san")])["hits"][0]["id"] == "b1"
    });
    assert!(found, "the new document never became searchable");
    assert_eq!(get(&s.base, "/healthz").json()["documents"], 2);
    assert_eq!(
        search(&s, &[])["facets"]["province"],
        serde_json::json!([{"value": "Cà Mau", "count": 1}, {"value": "Kiên Giang", "count": 1}])
    );
    s.stop().unwrap();
}

/// Starts `kehoach serve` and returns it with the base URL it printed.
fn spawn_serve(index: &Path, corpus: &Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = common::kehoach()
        .args(["serve", "--addr", "127.0.0.1:0", "--index"])
        .arg(index)
        .arg("--corpus")
        .arg(corpus)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The ingest summary (if any) comes first, then the line with the URL.
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    let url = loop {
        let Some(Ok(line)) = lines.next() else {
            panic!("kehoach serve printed no URL: {seen:?}");
        };
        if let Some(w) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            break w.trim_end_matches('/').to_string();
        }
        seen.push(line);
    };
    (child, url)
}

fn terminate(mut child: std::process::Child) -> (bool, String) {
    let pid = child.id().to_string();
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.success(), err);
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("kehoach serve did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_ingests_a_missing_or_stale_index_and_stops_on_sigterm() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.jsonl"),
        r#"{"id":"a1","title":"Kế hoạch thi đua","text":"Phát động thi đua năm 2024.","province":"Kiên Giang","date":"2024-01-02","type":"Kế hoạch"}
{"id":"a2","title":"Kế hoạch y tế","text":"Tiêm chủng mở rộng.","province":"Cà Mau","date":"2023-01-02","type":"Kế hoạch"}
"#,
    )
    .unwrap();
    let index = tmp.path().join("index");

    // No index: ingest, then serve.
    let (child, url) = spawn_serve(&index, &corpus);
    assert_eq!(get(&url, "/healthz").json()["documents"], 2);
    let (ok, err) = terminate(child);
    assert!(ok, "{err}");
    assert!(err.contains("ingesting"), "{err}");
    assert!(err.contains("shutting down"), "{err}");

    // Index up to date: served as is.
    let (child, url) = spawn_serve(&index, &corpus);
    assert_eq!(get(&url, "/healthz").json()["documents"], 2);
    let (ok, err) = terminate(child);
    assert!(ok, "{err}");
    assert!(!err.contains("ingesting"), "{err}");

    // A newer file in the corpus: ingested before serving.
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(
        corpus.join("b.jsonl"),
        r#"{"id":"b1","title":"Kế hoạch hải sản","text":"Nuôi trồng hải sản.","province":"Cà Mau","date":"2024-05-06","type":"Kế hoạch"}
"#,
    )
    .unwrap();
    let (child, url) = spawn_serve(&index, &corpus);
    assert_eq!(get(&url, "/healthz").json()["documents"], 3);
    let v = get(&url, "/api/search?q=hai%20san").json();
    assert_eq!(v["hits"][0]["id"], "b1");
    let (ok, err) = terminate(child);
    assert!(ok, "{err}");
    assert!(err.contains("newer"), "{err}");
}

#[test]
fn serve_refuses_without_index_or_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let out = common::kehoach()
        .args(["serve", "--addr", "127.0.0.1:0", "--index"])
        .arg(tmp.path().join("index"))
        .arg("--corpus")
        .arg(tmp.path().join("corpus"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no index"), "{err}");
}

#[test]
fn facet_buckets_are_capped() {
    // 60 distinct issuers: the issuer facet keeps the 50 largest.
    let tmp = tempfile::tempdir().unwrap();
    let mut docs = Vec::new();
    for i in 0..60 {
        let mut d = http_fixture::corpus().remove(0);
        d.id = format!("d{i}");
        d.record.issuer = Some(format!("Cơ quan {i:02}"));
        d.record.number = None;
        docs.push(d.clone());
        if i < 5 {
            let mut extra = d;
            extra.id = format!("d{i}-bis");
            docs.push(extra);
        }
    }
    let dir = tmp.path().join("index");
    http_fixture::build_index(&dir, &docs);
    let s = Server::start(&dir);
    let v = get(&s.base, "/api/facets").json();
    let issuers = v["facets"]["issuer"].as_array().unwrap();
    assert_eq!(issuers.len(), 50);
    let top: BTreeMap<&str, u64> = issuers[..5]
        .iter()
        .map(|b| (b["value"].as_str().unwrap(), b["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        top,
        BTreeMap::from([
            ("Cơ quan 00", 2),
            ("Cơ quan 01", 2),
            ("Cơ quan 02", 2),
            ("Cơ quan 03", 2),
            ("Cơ quan 04", 2)
        ])
    );
    assert_eq!(issuers[5]["count"], 1);
}

#[test]
fn answers_say_what_was_done_to_the_query() {
    let (_t, _d, s) = setup();
    let plain = search(&s, &[("q", "thi đua")]);
    for key in [
        "relaxed",
        "accents_ignored",
        "reduced",
        "expanded",
        "suggestion",
    ] {
        assert!(plain.get(key).is_some(), "missing {key}: {plain}");
    }
    assert_eq!(plain["relaxed"], false);
    let relaxed = search(&s, &[("q", "thi đua xyzzy")]);
    assert_eq!(relaxed["relaxed"], true, "{relaxed}");
    let expanded = search(&s, &[("q", "UBND")]);
    assert!(
        expanded["expanded"][0]["to"]
            .as_array()
            .is_some_and(|to| to.iter().any(|t| t == "ủy ban nhân dân")),
        "{expanded}"
    );
    let suggested = search(&s, &[("q", "chuyen doi so")]);
    assert_eq!(suggested["suggestion"], "chuyển đổi số", "{suggested}");
    let long = "người lao động được nghỉ việc riêng ".repeat(40);
    let reduced = search(&s, &[("q", long.as_str())]);
    assert!(
        reduced["reduced"]["kept"]
            .as_array()
            .is_some_and(|k| !k.is_empty()),
        "{reduced}"
    );
}

#[test]
fn themes_are_listed_with_their_names() {
    let (_t, _docs, s) = setup();
    let themes = get(&s.base, "/api/themes").json();
    let themes = themes.as_array().expect("an array");
    assert_eq!(themes.len(), 25, "the taxonomy has 25 themes");
    let names: BTreeMap<&str, &str> = themes
        .iter()
        .map(|t| (t["id"].as_str().unwrap(), t["label_vi"].as_str().unwrap()))
        .collect();
    assert_eq!(names["chuyen_doi_so"], "Chuyển đổi số, chính quyền số");
    assert!(themes
        .iter()
        .all(|t| !t["label_en"].as_str().unwrap().is_empty()));
}
