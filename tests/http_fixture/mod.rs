//! Shared by the HTTP tests: a small corpus with full metadata (written straight
//! into an index, so citations, themes and merged provinces do not depend on
//! extraction), an in-process server on an ephemeral port, and a tiny HTTP client.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kehoach::document::{Record, Reference, ThemeMatch};
use kehoach::query::Engine;

/// One fixture document.
#[derive(Debug, Clone)]
pub struct Doc {
    pub id: String,
    pub record: Record,
}

fn reference(text: &str, key: &str, sentence_hint: &str) -> Reference {
    let start = text.find(key).expect("key in text");
    let sentence = text
        .split_inclusive('.')
        .find(|s| s.contains(key) && s.contains(sentence_hint))
        .unwrap_or(text)
        .trim()
        .to_string();
    Reference {
        key: key.to_string(),
        fold: kehoach::document::references::fold_number(key),
        date: None,
        issuer: None,
        relation: None,
        start,
        end: start + key.len(),
        sentence,
        written: key.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn doc(
    id: &str,
    title: Option<&str>,
    text: &str,
    province: &str,
    province_current: &str,
    date: &str,
    doc_type: &str,
    number: Option<&str>,
    issuer: &str,
    themes: &[&str],
    refs: &[&str],
) -> Doc {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Doc {
        id: id.to_string(),
        record: Record {
            number: number.map(String::from),
            doc_type: opt(doc_type),
            date: date.parse().ok(),
            title: title.map(String::from),
            issuer: opt(issuer),
            province: opt(province),
            province_current: opt(province_current),
            references: refs.iter().map(|k| reference(text, k, "")).collect(),
            themes: themes
                .iter()
                .map(|t| ThemeMatch {
                    id: t.to_string(),
                    score: 1.0,
                    ..ThemeMatch::default()
                })
                .collect(),
            language: Some("vie".into()),
            text: text.to_string(),
            ..Record::default()
        },
    }
}

/// The fixture corpus: a few hand-written plans that cite each other, and generated
/// reports spread over provinces, years, types and themes.
#[allow(clippy::too_many_lines, reason = "a data table of fixture documents")]
pub fn corpus() -> Vec<Doc> {
    let mut docs = vec![
        doc(
            "kg/325 2019.txt",
            Some("Kế hoạch phát động thi đua chuyển đổi số"),
            "Thực hiện Kế hoạch số 136/KH-UBND ngày 13/9/2019 của UBND tỉnh Kiên Giang về chuyển đổi số. Sở Công Thương phát động thi đua chuyển đổi số trong toàn ngành.",
            "Kiên Giang",
            "An Giang",
            "2019-10-08",
            "Kế hoạch",
            Some("325/KH-SCT"),
            "Sở Công Thương",
            &["chuyen_doi_so", "thi_dua"],
            &["136/KH-UBND"],
        ),
        doc(
            "kg-136",
            Some("Kế hoạch chuyển đổi số tỉnh Kiên Giang"),
            "Căn cứ Chỉ thị số 34-CT/TW của Bộ Chính trị. Tỉnh đẩy mạnh chuyển đổi số gắn với xây dựng nông thôn mới.",
            "Kiên Giang",
            "An Giang",
            "2019-09-13",
            "Kế hoạch",
            Some("136/KH-UBND"),
            "UBND tỉnh Kiên Giang",
            &["chuyen_doi_so", "nong_thon_moi"],
            &["34-CT/TW"],
        ),
        doc(
            "dt-1579",
            Some("Thi đua chào mừng kỷ niệm ngày thành lập tỉnh"),
            "Thực hiện Chỉ thị số 34-CT/TW về đổi mới công tác thi đua, khen thưởng. Nông nghiệp thôn quê mới.",
            "Đồng Tháp",
            "Đồng Tháp",
            "2022-06-15",
            "Kế hoạch",
            Some("1579/KH-SKHĐT"),
            "Sở Kế hoạch và Đầu tư",
            &["thi_dua"],
            &["34-CT/TW"],
        ),
        doc(
            "news-1",
            None,
            "Chuyên đội sơ cứu và sổ sách kế toán của xã được kiểm tra.",
            "Kiên Giang",
            "An Giang",
            "2021-03-01",
            "Tin tức",
            None,
            "",
            &[],
            &[],
        ),
        doc(
            "hg-12",
            Some("Quyết định khen thưởng <phong trào> thi đua"),
            "Khen thưởng phong trào thi đua yêu nước năm 2020 <script>alert(1)</script> & các tập thể.",
            "Hậu Giang",
            "Cần Thơ",
            "2020-04-30",
            "Quyết định",
            Some("12/QĐ-UBND"),
            "UBND tỉnh Hậu Giang",
            &["thi_dua"],
            &[],
        ),
    ];
    let provinces = [
        ("Kiên Giang", "An Giang"),
        ("Đồng Tháp", "Đồng Tháp"),
        ("Hậu Giang", "Cần Thơ"),
        ("An Giang", "An Giang"),
        ("Cà Mau", "Cà Mau"),
    ];
    let types = ["Kế hoạch", "Quyết định", "Báo cáo"];
    let issuers = ["UBND tỉnh", "Sở Nội vụ", "Sở Công Thương", "Sở Y tế"];
    let themes = ["thi_dua", "chuyen_doi_so", "y_te", "giao_duc"];
    for i in 0..36usize {
        let (p, pc) = provinces[i % provinces.len()];
        let year = 2018 + (i % 6);
        let topic = if i % 3 == 0 {
            "chuyển đổi số"
        } else {
            "thi đua"
        };
        let text = format!(
            "Báo cáo kết quả phong trào {topic} đợt {i} tại tỉnh {p}. Các đơn vị tiếp tục triển khai thực hiện."
        );
        let number = format!("{}/BC-UBND", 100 + i);
        let theme_list: Vec<&str> = themes
            .iter()
            .enumerate()
            .filter(|(k, _)| (i >> k) & 1 == 1)
            .map(|(_, t)| *t)
            .collect();
        docs.push(doc(
            &format!("gen-{i:02}"),
            Some(&format!("Báo cáo {topic} số {i}")),
            &text,
            p,
            pc,
            &format!("{year}-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            types[i % types.len()],
            Some(&number),
            issuers[i % issuers.len()],
            &theme_list,
            &[],
        ));
        // Levels and communes (issue 19): every fourth report is a commune's.
        let r = &mut docs.last_mut().expect("just pushed").record;
        r.level = Some(["tỉnh", "xã", "tỉnh", "trung ương"][i % 4].to_string());
        if i % 4 == 1 {
            r.commune = Some(["xã Tân Tiến", "phường 1"][i % 8 / 4].to_string());
        }
    }
    docs
}

/// Writes `docs` into a new index in `dir` (committed).
pub fn build_index(dir: &Path, docs: &[Doc]) {
    let index = kehoach::index::open_or_create(dir).unwrap();
    let fields = kehoach::index::fields(&index, dir).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(30_000_000).unwrap();
    for d in docs {
        writer
            .add_document(fields.to_document(&d.id, &d.id, "fixture", d.record.clone()))
            .unwrap();
    }
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
}

/// Facet values of a document, as the API names the facets.
pub fn facet_values(d: &Doc) -> Vec<(&'static str, String)> {
    let r = &d.record;
    let mut out = Vec::new();
    for (name, v) in [
        ("province", &r.province),
        ("province_current", &r.province_current),
        ("level", &r.level),
        ("commune", &r.commune),
        ("type", &r.doc_type),
        ("issuer", &r.issuer),
    ] {
        if let Some(v) = v {
            out.push((name, v.clone()));
        }
    }
    for t in &r.themes {
        out.push(("theme", t.id.clone()));
    }
    if let Some(d) = r.date {
        out.push(("year", d.year().to_string()));
    }
    out
}

/// Brute-force facet counts of `docs`: facet → value → count.
pub fn count_facets<'a>(
    docs: impl IntoIterator<Item = &'a Doc>,
) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for name in [
        "province",
        "province_current",
        "level",
        "commune",
        "theme",
        "type",
        "issuer",
        "year",
    ] {
        out.insert(name.to_string(), BTreeMap::new());
    }
    for d in docs {
        for (name, v) in facet_values(d) {
            *out.entry(name.to_string())
                .or_default()
                .entry(v)
                .or_default() += 1;
        }
    }
    out
}

/// The API's facets as facet → value → count.
pub fn api_facets(v: &serde_json::Value) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut out = BTreeMap::new();
    for (name, buckets) in v.as_object().expect("facets object") {
        let mut m = BTreeMap::new();
        for b in buckets.as_array().expect("bucket list") {
            m.insert(
                b["value"].as_str().expect("value").to_string(),
                b["count"].as_u64().expect("count"),
            );
        }
        out.insert(name.clone(), m);
    }
    out
}

/// A server running in-process on an ephemeral loopback port.
pub struct Server {
    pub base: String,
    pub engine: Arc<Engine>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    /// Serves the index in `dir` with the default configuration.
    pub fn start(dir: &Path) -> Server {
        Server::start_with(dir, kehoach::http::Config::default())
    }

    /// Serves the index in `dir` with `config`.
    pub fn start_with(dir: &Path, config: kehoach::http::Config) -> Server {
        let engine = Arc::new(Engine::open(dir).unwrap());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = runtime.spawn(kehoach::http::serve(
            listener,
            engine.clone(),
            config,
            async move {
                let _ = rx.await;
            },
        ));
        Server {
            base: format!("http://{addr}"),
            engine,
            shutdown: Some(tx),
            handle: Some(handle),
            runtime,
        }
    }

    /// Stops accepting, lets requests in flight finish, and returns serve's result.
    pub fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let handle = self.handle.take().unwrap();
        self.runtime
            .block_on(async { tokio::time::timeout(Duration::from_secs(10), handle).await })
            .expect("server stops within 10 s")
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Percent-encodes everything but unreserved characters.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string from pairs (keys may repeat).
pub fn qs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// A response: status, headers we care about, body.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// GET `base` + `path` (already encoded), with extra headers.
pub fn get_with(base: &str, path: &str, headers: &[(&str, &str)]) -> Resp {
    let mut req = agent().get(format!("{base}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut resp = req.call().unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect::<Vec<_>>();
    let content_type = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let body = if headers
        .iter()
        .any(|(k, v)| k == "content-encoding" && v == "gzip")
    {
        String::new() // compressed; callers only look at the headers
    } else {
        resp.body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .unwrap()
    };
    Resp {
        status,
        content_type,
        headers,
        body,
    }
}

/// GET `base` + `path` (already encoded).
pub fn get(base: &str, path: &str) -> Resp {
    get_with(base, path, &[])
}

/// A temporary index of [`corpus`] served over real TCP: (its folder, the
/// documents, the server).
pub fn setup() -> (tempfile::TempDir, Vec<Doc>, Server) {
    let tmp = tempfile::tempdir().unwrap();
    let docs = corpus();
    let dir = tmp.path().join("index");
    build_index(&dir, &docs);
    let server = Server::start(&dir);
    (tmp, docs, server)
}

/// A CSV answer: checks the status and content type, returns (header, rows).
pub fn csv_of(r: &Resp) -> (Vec<String>, Vec<Vec<String>>) {
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.content_type, "text/csv; charset=utf-8", "{r:?}");
    let body = r.body.strip_prefix('\u{feff}').unwrap_or(&r.body);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_bytes());
    let header = rd.headers().unwrap().iter().map(String::from).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}
