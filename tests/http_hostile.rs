//! Hostile input over real HTTP (issue 8, part 4), against a server on an ephemeral
//! port serving a corpus whose titles, bodies, ids and metadata carry HTML/script
//! payloads and spreadsheet formulas:
//!
//! * API snippets escape HTML (only `<mark>` is markup); the web page shows every
//!   payload as text and runs none of it (headless Chromium; skips without it);
//! * CSV exports (statistics tables, graph edges) neutralise `= + - @` cells;
//! * oversized bodies → 413 at once, oversized queries and query strings → 400/414
//!   at once, pathological queries and huge offsets/limits → 400 or capped, every
//!   answer within a client timeout (times printed, not asserted);
//! * ids with `../`, encoded dots and absolute paths → 404 and nothing read from disk;
//! * no write endpoints: every other method → 405 JSON.

mod browser_support;
mod http_fixture;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use http_fixture::{enc, qs, Doc, Server};
use kehoach::document::{Record, Reference, ThemeMatch};

/// Payloads that, if executed, leave a trace in the DOM (`data-pwned="…"`).
const SCRIPT: &str = "<script>document.body.setAttribute('data-pwned','script')</script>";
const IMG: &str = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">";
const SVG: &str = "<svg onload=\"document.body.setAttribute('data-pwned','svg')\">";
const BOLD: &str = "<b onmouseover=alert(3)>đậm</b>";
/// An id that is itself markup.
const HTML_ID: &str = "<img src=x onerror=\"document.body.setAttribute('data-pwned','id')\">";
/// An id that a spreadsheet would evaluate.
const FORMULA_ID: &str = "=HYPERLINK(\"http://evil.example\",\"id\")";

fn reference(text: &str, key: &str) -> Reference {
    let start = text.find(key).expect("key in text");
    Reference {
        key: key.to_string(),
        fold: kehoach::document::references::fold_number(key),
        date: None,
        issuer: None,
        relation: None,
        start,
        end: start + key.len(),
        sentence: text.to_string(),
        written: key.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn doc(
    id: &str,
    title: Option<&str>,
    text: &str,
    province: &str,
    issuer: &str,
    doc_type: &str,
    number: Option<&str>,
    refs: &[&str],
) -> Doc {
    Doc {
        id: id.to_string(),
        record: Record {
            number: number.map(String::from),
            doc_type: Some(doc_type.to_string()),
            date: "2024-03-15".parse().ok(),
            title: title.map(String::from),
            issuer: Some(issuer.to_string()),
            province: Some(province.to_string()),
            province_current: Some(province.to_string()),
            references: refs.iter().map(|k| reference(text, k)).collect(),
            themes: vec![ThemeMatch {
                id: "thien_tai".into(),
                score: 1.0,
                ..ThemeMatch::default()
            }],
            language: Some("vie".into()),
            text: text.to_string(),
            ..Record::default()
        },
    }
}

/// The hostile documents (plus the ordinary fixture corpus around them).
fn hostile() -> Vec<Doc> {
    let body = format!(
        "=HYPERLINK(\"http://evil.example\",\"thiên tai\") đầu văn bản.\n\
         Kế hoạch phòng chống thiên tai năm 2024 {SCRIPT} và {IMG} tại các xã.\n\
         Nội dung {BOLD} & \"ngoặc kép\" 'ngoặc đơn' {SVG} thiên tai.\n\
         +SUM(1,2) thiên tai\n\
         -2+3 thiên tai\n\
         @SUM(A1:A9) thiên tai\n"
    );
    let mut docs = http_fixture::corpus();
    docs.push(doc(
        "xss-1",
        Some(&format!("Kế hoạch {SCRIPT} phòng chống thiên tai {IMG}")),
        &body,
        "Kiên Giang",
        "=cmd|' /C calc'!A0",
        "Kế hoạch",
        Some("77/KH-UBND"),
        &[],
    ));
    docs.push(doc(
        HTML_ID,
        None,
        &format!("{IMG} Thiên tai lũ lụt và sạt lở đất ven sông."),
        &format!("+Tỉnh {SVG}"),
        &format!("@Sở {BOLD}"),
        "-Kế hoạch",
        None,
        &[],
    ));
    docs.push(doc(
        FORMULA_ID,
        Some("@Báo cáo thiên tai"),
        "Thực hiện Kế hoạch số 77/KH-UBND về phòng chống thiên tai và Kế hoạch số 99/KH-XYZ.",
        "Cà Mau",
        "+Sở Nông nghiệp",
        "Báo cáo",
        None,
        &["77/KH-UBND", "99/KH-XYZ"],
    ));
    docs
}

fn setup() -> (tempfile::TempDir, Server) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    http_fixture::build_index(&dir, &hostile());
    let server = Server::start(&dir);
    (tmp, server)
}

// ---------- a client with a hard timeout ----------

/// A response read off a raw socket.
#[derive(Debug)]
struct Raw {
    status: u16,
    head: String,
    body: String,
    elapsed: Duration,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.short()))
    }

    /// The status line and the start of the body, for messages.
    fn short(&self) -> String {
        let head = self.head.lines().next().unwrap_or("");
        let body: String = self.body.chars().take(300).collect();
        format!("{head} {body}")
    }
}

/// How long any one request may take before the test fails (a hang is a failure).
const CLIENT_TIMEOUT: Duration = Duration::from_secs(20);

/// Sends `head` (request line and headers, without the final blank line, `Host`
/// and `Connection` added) and `body` verbatim, and reads the answer with a hard
/// timeout. Paths are sent exactly as given: no client-side normalisation of `..`.
fn send(base: &str, head: &str, body: &[u8]) -> Raw {
    let addr = base.trim_start_matches("http://");
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    let head = format!("{head}\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    // The server may answer (and close) before reading a long head or the body: a
    // failed write is not the verdict, the answer read below is.
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let mut out = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                panic!(
                    "no complete answer within {CLIENT_TIMEOUT:?} to {:?}",
                    head.lines()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(120)
                        .collect::<String>()
                )
            }
            // A reset after the answer (body not read) is fine.
            Err(_) => break,
        }
    }
    let elapsed = started.elapsed();
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {:?}", &text[..text.len().min(300)]));
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Raw {
        status,
        head: head.to_string(),
        body,
        elapsed,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn get(base: &str, path: &str) -> Raw {
    send(base, &format!("GET {path} HTTP/1.1"), b"")
}

/// Collects `(what, status, elapsed)` to print as a table at the end of a test.
#[derive(Default)]
struct Timings(Vec<(String, u16, Duration)>);

impl Timings {
    fn add(&mut self, what: &str, r: &Raw) {
        self.0.push((what.to_string(), r.status, r.elapsed));
    }

    fn print(&self, title: &str) {
        println!("{title}");
        for (what, status, t) in &self.0 {
            println!("  {status}  {:>8.1} ms  {what}", t.as_secs_f64() * 1e3);
        }
    }
}

// ---------- HTML in API answers ----------

/// `s` with `<mark>` and `</mark>` removed must contain no markup at all.
fn assert_only_marks(what: &str, s: &str) {
    let stripped = s.replace("<mark>", "").replace("</mark>", "");
    assert!(
        !stripped.contains('<') && !stripped.contains('>'),
        "{what}: raw markup in {s:?}"
    );
}

#[test]
fn snippets_escape_markup_and_json_is_served_as_json() {
    let (_t, s) = setup();
    let mut seen_escaped = 0;
    for q in [
        "thiên tai",
        "script",
        "onerror",
        "data pwned",
        "đậm",
        "ngoặc",
        "yêu nước",
    ] {
        let r = get(
            &s.base,
            &format!("/api/search?{}", qs(&[("q", q), ("limit", "100")])),
        );
        assert_eq!(r.status, 200, "{q}: {}", r.short());
        assert!(r
            .header("content-type")
            .unwrap_or("")
            .starts_with("application/json"));
        let v = r.json();
        let hits = v["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "{q}: no hits");
        for h in hits {
            let snippet = h["snippet"].as_str().unwrap();
            assert_only_marks(q, snippet);
            for f in h["fragments"].as_array().unwrap() {
                assert_only_marks(q, f.as_str().unwrap());
            }
            if snippet.contains("&lt;") {
                seen_escaped += 1;
            }
        }
    }
    // The payloads did reach the snippets (escaped), so the checks above saw them.
    assert!(seen_escaped >= 3, "payloads never reached a snippet");

    // JSON carries the text as data (JSON escaping only), with a JSON content type.
    for id in ["xss-1", HTML_ID] {
        let r = get(&s.base, &format!("/api/documents/{}", enc(id)));
        assert_eq!(r.status, 200, "{id}: {}", r.short());
        assert!(r
            .header("content-type")
            .unwrap_or("")
            .starts_with("application/json"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        let v = r.json();
        assert_eq!(v["id"], id);
        assert!(v["text"].as_str().unwrap().contains("<img src=x onerror="));
    }
    // Error messages echo input as JSON, never as HTML.
    let r = get(&s.base, &format!("/api/search?{}", qs(&[("year", SCRIPT)])));
    assert_eq!(r.status, 400);
    assert!(r
        .header("content-type")
        .unwrap_or("")
        .starts_with("application/json"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("<script>"));
    // The page forbids inline and foreign scripts.
    let r = get(&s.base, "/");
    let csp = r.header("content-security-policy").unwrap_or("");
    assert!(
        csp.contains("script-src 'self'"),
        "no CSP on the page: {}",
        r.head
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
}

#[test]
fn the_page_shows_payloads_as_text_and_runs_none_of_them() {
    let (_t, s) = setup();
    let Some(chrome) = browser_support::chromium() else {
        return;
    };
    let pages = [
        ("search", format!("{}/#q={}", s.base, enc("thiên tai"))),
        (
            "search for a payload",
            format!("{}/#q={}", s.base, enc("script pwned")),
        ),
        ("query is a payload", format!("{}/#q={}", s.base, enc(IMG))),
        ("document", format!("{}/#/doc/xss-1", s.base)),
        (
            "document with a markup id",
            format!("{}/#/doc/{}", s.base, enc(HTML_ID)),
        ),
        (
            "citing document",
            format!("{}/#/doc/{}", s.base, enc(FORMULA_ID)),
        ),
        (
            "unknown markup id",
            format!("{}/#/doc/{}", s.base, enc(SVG)),
        ),
        (
            "statistics",
            format!(
                "{}/#/stats?term={}&group_by=issuer",
                s.base,
                enc("thiên tai")
            ),
        ),
    ];
    for (what, url) in &pages {
        let dom = browser_support::dump_dom(&chrome, url);
        assert!(dom.contains("<body"), "{what}: no page");
        // Executed payloads would have marked the body.
        assert!(
            !dom.contains("data-pwned=\""),
            "{what}: a payload ran: {dom}"
        );
        // No element came out of the text.
        for needle in [
            "<script>document",
            "<img src=\"x\"",
            "<svg onload",
            "<b onmouseover",
        ] {
            assert!(
                !dom.contains(needle),
                "{what}: injected {needle:?} in {dom}"
            );
        }
        println!("{what}: ok ({} bytes of DOM)", dom.len());
    }
    // The payloads are on the page, as text (so the checks above looked at them).
    let dom = browser_support::dump_dom(&chrome, &pages[3].1);
    assert!(
        dom.contains("&lt;script&gt;document.body.setAttribute"),
        "the document's text is not shown: {dom}"
    );
    let dom = browser_support::dump_dom(&chrome, &pages[0].1);
    assert!(
        dom.contains("&lt;img src=x onerror="),
        "hostile id/snippet not shown"
    );
    assert!(
        dom.contains("+Tỉnh &lt;svg onload="),
        "hostile facet not shown"
    );
}

// ---------- CSV ----------

/// Every cell of a CSV body; panics on a cell a spreadsheet would evaluate.
/// Returns how many neutralised (`'`-prefixed) formula cells it saw.
fn check_csv(what: &str, body: &str) -> usize {
    let body = body.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut neutralised = 0;
    let mut rows = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{what}: bad CSV ({e})"));
        rows += 1;
        for cell in rec.iter() {
            let first = cell.chars().next();
            if matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
                // Numbers kehoach computed (e.g. a negative score) are fine.
                assert!(
                    cell.parse::<f64>().is_ok(),
                    "{what}: formula cell {cell:?} not neutralised"
                );
            }
            if cell.starts_with("'=")
                || cell.starts_with("'+")
                || cell.starts_with("'-")
                || cell.starts_with("'@")
            {
                neutralised += 1;
            }
        }
    }
    assert!(rows > 1, "{what}: no data rows in {body:?}");
    neutralised
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one request and its assertions per export, read top to bottom"
)]
fn csv_exports_neutralise_formula_cells() {
    let (_t, s) = setup();
    let term = "thiên tai";
    let mut total = 0;
    for (what, path, must_neutralise) in [
        (
            "frequency by issuer",
            format!(
                "/api/stats/frequency?{}",
                qs(&[("term", term), ("group_by", "issuer"), ("format", "csv")])
            ),
            true,
        ),
        (
            "frequency by province",
            format!(
                "/api/stats/frequency?{}",
                qs(&[
                    ("term", term),
                    ("group_by", "province"),
                    ("format", "csv"),
                    ("bom", "1")
                ])
            ),
            true,
        ),
        (
            "frequency by type",
            format!(
                "/api/stats/frequency?{}",
                qs(&[("term", term), ("group_by", "type"), ("format", "csv")])
            ),
            true,
        ),
        (
            "kwic",
            format!(
                "/api/stats/kwic?{}",
                qs(&[("term", term), ("width", "40"), ("format", "csv")])
            ),
            true,
        ),
        (
            "top",
            format!("/api/stats/top?{}", qs(&[("q", term), ("format", "csv")])),
            false,
        ),
        (
            "trend by province",
            format!(
                "/api/stats/trend?{}",
                qs(&[("term", term), ("by_province", "1"), ("format", "csv")])
            ),
            true,
        ),
        (
            "collocates",
            format!(
                "/api/stats/collocates?{}",
                qs(&[("term", term), ("format", "csv")])
            ),
            false,
        ),
        (
            "keyness",
            format!(
                "/api/stats/keyness?{}",
                qs(&[("q", term), ("format", "csv")])
            ),
            false,
        ),
        ("graph edges", "/api/graph?format=csv".to_string(), true),
    ] {
        let r = get(&s.base, &path);
        assert_eq!(r.status, 200, "{what}: {}", r.short());
        assert!(
            r.header("content-type")
                .unwrap_or("")
                .starts_with("text/csv"),
            "{what}: {}",
            r.head
        );
        let disposition = r.header("content-disposition").unwrap_or("");
        assert!(
            disposition.starts_with("attachment") && disposition.is_ascii(),
            "{what}: {disposition}"
        );
        let n = check_csv(what, &r.body);
        println!("{what}: {n} neutralised cells");
        if must_neutralise {
            assert!(
                n > 0,
                "{what}: the hostile cells are missing: {}",
                r.short()
            );
        }
        total += n;
    }
    assert!(total >= 6);
    // A hostile term cannot reach the header either.
    let r = get(
        &s.base,
        &format!(
            "/api/stats/frequency?{}",
            qs(&[("term", "=\"a\r\nSet-Cookie: x"), ("format", "csv")])
        ),
    );
    assert!(r.status == 200 || r.status == 400, "{}", r.short());
    assert!(r.header("set-cookie").is_none(), "{}", r.head);
}

// ---------- sizes, pathological queries ----------

#[test]
fn oversized_bodies_get_413_at_once() {
    let (_t, s) = setup();
    let mut t = Timings::default();
    // Announced larger than the limit: answered before a byte of body is sent.
    for (what, head) in [
        (
            "GET, Content-Length 1 GiB, no body sent",
            "GET /api/search?q=thi HTTP/1.1\r\nContent-Length: 1073741824",
        ),
        (
            "POST, Content-Length 1 GiB, no body sent",
            "POST /api/search HTTP/1.1\r\nContent-Length: 1073741824",
        ),
        (
            "POST /api/stats/kwic, 17 KiB announced",
            "POST /api/stats/kwic HTTP/1.1\r\nContent-Length: 17408",
        ),
    ] {
        let r = send(&s.base, head, b"");
        t.add(what, &r);
        assert_eq!(r.status, 413, "{what}: {}", r.short());
        assert_eq!(r.json()["error"]["code"], "payload_too_large");
    }
    // Streamed (chunked, no length): 1 MiB of body on a GET route.
    let mut body = Vec::new();
    for _ in 0..64 {
        body.extend_from_slice(format!("{:x}\r\n", 16 * 1024).as_bytes());
        body.extend(std::iter::repeat_n(b'x', 16 * 1024));
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"0\r\n\r\n");
    for head in [
        "GET /api/search?q=thi HTTP/1.1\r\nTransfer-Encoding: chunked",
        "POST /api/search HTTP/1.1\r\nTransfer-Encoding: chunked",
    ] {
        let r = send(&s.base, head, &body);
        t.add(
            &format!("{}, 1 MiB chunked", head.lines().next().unwrap()),
            &r,
        );
        // GET routes take no body: either ignored (200) or refused; never a hang.
        assert!([200, 405, 413].contains(&r.status), "{head}: {}", r.short());
    }
    t.print("oversized bodies:");
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one hostile request and its assertion per paragraph"
)]
fn oversized_and_pathological_queries_are_refused_or_capped_quickly() {
    let (_t, s) = setup();
    let mut t = Timings::default();
    let words = |n: usize, w: &str| vec![w; n].join(" ");
    let max = kehoach::query::MAX_QUERY_CHARS;
    // Long questions and passages are answered (reduced to their most distinctive
    // syllables); only a query over the documented bound is refused.
    let q200 = [
        ("5,000 terms", words(max / 4, "thi")),
        ("1,000 one-letter terms", words(999, "a")),
        ("8,000 accented letters (48 KB encoded)", "đ".repeat(8_000)),
    ];
    let q400 = [
        ("20,001 characters", "a".repeat(max + 1)),
        ("5,001 terms", words(max / 4 + 1, "thi")),
    ];
    for (what, q, status) in q200
        .iter()
        .map(|(w, q)| (w, q, 200))
        .chain(q400.iter().map(|(w, q)| (w, q, 400)))
    {
        for endpoint in [
            "/api/search",
            "/api/stats/kwic",
            "/api/stats/top",
            "/api/graph",
        ] {
            let extra = if endpoint == "/api/stats/kwic" {
                "&term=thi"
            } else {
                ""
            };
            let r = get(&s.base, &format!("{endpoint}?q={}{extra}", enc(q)));
            t.add(&format!("{endpoint} q={what}"), &r);
            assert_eq!(r.status, status, "{endpoint} {what}: {}", r.short());
            if status == 400 {
                assert!(r.json()["error"]["code"] == "bad_query", "{}", r.short());
            }
        }
    }
    // A 10,000-syllable statistics term (it once kept a thread busy long after the
    // request timed out); a 200-character one is still counted.
    let long_term = words(10_000, "thi");
    let ok_term = words(50, "thi");
    for endpoint in ["frequency", "trend", "kwic", "collocates"] {
        let r = get(
            &s.base,
            &format!("/api/stats/{endpoint}?term={}", enc(&long_term)),
        );
        t.add(&format!("/api/stats/{endpoint} term=10,000 syllables"), &r);
        assert_eq!(r.status, 400, "{}", r.short());
        assert_eq!(r.json()["error"]["parameter"], "term");
        let r = get(
            &s.base,
            &format!("/api/stats/{endpoint}?term={}", enc(&ok_term)),
        );
        t.add(&format!("/api/stats/{endpoint} term=50 syllables"), &r);
        assert_eq!(r.status, 200, "{}", r.short());
    }

    // Odd but short queries: a clear 400 or an answer, never a hang or a 500.
    let nested_quotes = "\"".repeat(1_999);
    let nested_parens = format!("{}thi{}", "(".repeat(990), ")".repeat(990));
    let or_chain = vec!["thi"; 400].join(" OR ");
    let not_chain = vec!["-thi"; 60].join(" ");
    let phrase = format!("\"{}\"", words(900, "thi"));
    let operators = "OR ".repeat(600);
    let mixed = "-\"-\"OR-\"\" -- OR \"\"\" -OR".repeat(60);
    let dashes = "-".repeat(1_999);
    let control = "thi\u{0}\u{1}\u{7f}\u{202e}đua\u{feff}".repeat(50);
    for (what, q) in [
        ("1,999 quotes", nested_quotes.as_str()),
        ("990 nested parentheses", nested_parens.as_str()),
        ("400-way OR", or_chain.as_str()),
        ("60 exclusions", not_chain.as_str()),
        ("900-word phrase", phrase.as_str()),
        ("600 bare ORs", operators.as_str()),
        ("mixed operators", mixed.as_str()),
        ("1,999 dashes", dashes.as_str()),
        ("control characters", control.as_str()),
    ] {
        for endpoint in ["/api/search", "/api/stats/top", "/api/facets"] {
            let r = get(&s.base, &format!("{endpoint}?q={}", enc(q)));
            t.add(&format!("{endpoint} q={what}"), &r);
            assert!(
                r.status == 200 || r.status == 400,
                "{endpoint} {what}: {} {}",
                r.status,
                r.body
            );
            if r.status == 400 {
                assert!(r.json()["error"]["code"].is_string());
            }
        }
    }

    // Huge offsets and limits: 400 or capped.
    for (path, want) in [
        ("/api/search?offset=1000000000000", 400),
        ("/api/search?offset=1e12", 400),
        ("/api/search?offset=18446744073709551616", 400),
        ("/api/search?limit=1e9", 400),
        ("/api/search?limit=1000000000", 200),
        ("/api/search?q=thi&limit=1000000000&offset=100000", 200),
        ("/api/search?q=thi&limit=1000000000&offset=100001", 400),
        ("/api/stats/kwic?term=thi&offset=1000000000000", 200),
        ("/api/stats/kwic?term=thi&limit=1000000000", 200),
        ("/api/stats/kwic?term=thi&limit=1000000000&format=csv", 200),
        ("/api/stats/kwic?term=thi&width=1000000000", 200),
        ("/api/stats/top?limit=1000000000&n_max=1000000", 400),
        ("/api/stats/top?limit=1000000000", 200),
        ("/api/stats/collocates?term=thi&window=1000000000", 200),
        ("/api/references?limit=1000000000&prefix=1", 200),
        ("/api/references/34-CT%2FTW?limit=1000000000", 200),
        ("/api/related/kg-136?limit=1000000000", 200),
        ("/api/graph?limit=1000000000", 200),
    ] {
        let r = get(&s.base, path);
        t.add(path, &r);
        assert!(
            r.status == want || (want == 200 && r.status == 400),
            "{path}: {} {}",
            r.status,
            r.body
        );
        if r.status == 200 && path.contains("limit=1000000000") && !path.contains("csv") {
            let v = r.json();
            // Whatever the list is called, no answer is larger than the caps allow.
            assert!(r.body.len() < 8 << 20, "{path}: {} bytes", r.body.len());
            if let Some(limit) = v["limit"].as_u64() {
                assert!(limit <= 100_000, "{path}: limit {limit} not capped");
            }
        }
    }

    // Long query strings: 10,000 repeated filters, 100 KB of unknown parameters.
    // (as many as fit in the 64 KiB a URI may have).
    let many = vec!["year=2019"; 6_000].join("&");
    let r = get(&s.base, &format!("/api/search?{many}"));
    t.add("/api/search 6,000 year filters", &r);
    assert!(r.status == 200 || r.status == 400, "{}", r.short());
    let r = get(&s.base, &format!("/api/stats/top?{many}"));
    t.add("/api/stats/top 6,000 year filters", &r);
    assert!(r.status == 200 || r.status == 400, "{}", r.short());
    let junk = format!("/api/search?x={}", "y".repeat(60_000));
    let r = get(&s.base, &junk);
    t.add("/api/search 60 KB unknown parameter", &r);
    assert_eq!(r.status, 400, "{}", r.short());
    // Longer than a URI may be (64 KiB, hyper): 414; longer than a request head may
    // be (about 400 KiB, hyper): 431. Both before the router, so not JSON.
    for (what, n, want) in [
        ("100 KB query string", 100_000, 414),
        ("2 MiB query string", 2 << 20, 431),
    ] {
        let r = get(&s.base, &format!("/api/search?q={}", "a".repeat(n)));
        t.add(&format!("/api/search {what}"), &r);
        assert_eq!(r.status, want, "{what}: {}", r.short());
    }
    // The server still answers normally afterwards.
    let r = get(&s.base, "/api/search?q=thi");
    assert_eq!(r.status, 200);
    t.print("pathological requests (status, time):");
}

// ---------- paths ----------

#[test]
fn ids_with_dots_and_absolute_paths_never_reach_the_filesystem() {
    let (tmp, s) = setup();
    // Files that a path-joining bug would serve: next to the index, one and two
    // levels up, and in the server's working directory.
    let marker = "KEHOACH-SECRET-7f3a";
    std::fs::write(tmp.path().join("secret.txt"), marker).unwrap();
    let nested = tmp.path().join("index").join("secret.txt");
    std::fs::write(&nested, marker).unwrap();
    let abs = tmp.path().join("secret.txt");
    let abs = abs.to_str().unwrap();
    let cwd_file = "Cargo.toml"; // the tests run in the crate's folder
    assert!(Path::new(cwd_file).is_file());

    let ids = [
        "../secret.txt".to_string(),
        "../../secret.txt".to_string(),
        "secret.txt".to_string(),
        "../../../../../../../../etc/passwd".to_string(),
        "..%2F..%2Fsecret.txt".to_string(),
        "%2e%2e%2f%2e%2e%2fsecret.txt".to_string(),
        "%2E%2E/%2E%2E/etc/passwd".to_string(),
        "..%252F..%252Fetc%252Fpasswd".to_string(),
        "..\\..\\secret.txt".to_string(),
        "....//....//etc/passwd".to_string(),
        abs.to_string(),
        enc(abs),
        "/etc/passwd".to_string(),
        "%2Fetc%2Fpasswd".to_string(),
        "file:%2F%2F%2Fetc%2Fpasswd".to_string(),
        cwd_file.to_string(),
        "./Cargo.toml".to_string(),
        "%00../secret.txt".to_string(),
    ];
    let mut checked = 0;
    for id in &ids {
        // Ids go raw into the path (`..` is not normalised by this client).
        let id = id.trim_start_matches('/');
        for path in [
            format!("/api/documents/{id}"),
            format!("/api/documents/{id}/related"),
            format!("/api/related/{id}"),
            format!("/api/references/{id}"),
            format!("/{id}"),
            format!("/app.js/../{id}"),
        ] {
            let r = get(&s.base, &path);
            assert!(
                r.status == 404 || r.status == 400,
                "{path}: {} {}",
                r.status,
                r.body
            );
            for leak in [marker, "root:", "[package]"] {
                assert!(
                    !r.body.contains(leak),
                    "{path} leaked {leak:?}: {}",
                    r.short()
                );
            }
            checked += 1;
        }
    }
    println!("{checked} traversal paths: all 404/400, nothing leaked");
    // The same endpoints do serve real ids (so the 404s above are meaningful).
    assert_eq!(get(&s.base, "/api/documents/kg-136").status, 200);
    assert_eq!(get(&s.base, "/api/related/kg-136").status, 200);
}

// ---------- methods ----------

#[test]
fn there_are_no_write_endpoints() {
    let (_t, s) = setup();
    let routes = [
        "/api/search",
        "/api/documents/kg-136",
        "/api/documents/kg-136/related",
        "/api/related/kg-136",
        "/api/graph",
        "/api/references",
        "/api/references/34-CT%2FTW",
        "/api/facets",
        "/api/stats/frequency",
        "/api/stats/trend",
        "/api/stats/top",
        "/api/stats/keyness",
        "/api/stats/kwic",
        "/api/stats/collocates",
        "/healthz",
        "/openapi.json",
        "/",
        "/app.js",
        "/stats.js",
        "/related.js",
        "/style.css",
    ];
    let mut n = 0;
    for route in routes {
        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            for auth in ["", "\r\nAuthorization: Bearer anything"] {
                let body = b"{\"id\":\"x\",\"text\":\"y\"}";
                let r = send(
                    &s.base,
                    &format!(
                        "{method} {route} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}{auth}",
                        body.len()
                    ),
                    body,
                );
                assert_eq!(r.status, 405, "{method} {route}: {}", r.short());
                assert_eq!(r.json()["error"]["code"], "method_not_allowed");
                let allow = r.header("allow").unwrap_or("");
                assert!(allow.contains("GET"), "{method} {route}: Allow {allow:?}");
                n += 1;
            }
        }
    }
    println!("{n} write attempts: all 405");
    // Nothing changed.
    let v = get(&s.base, "/healthz").json();
    assert_eq!(v["documents"], hostile().len());
}
