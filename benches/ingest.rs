//! End-to-end ingestion and search-latency benchmark (a bench binary, not criterion:
//! one ingestion of a large corpus takes minutes).
//!
//! ```text
//! cargo bench --bench ingest                      # whole VNTC corpus (84k articles)
//! KEHOACH_BENCH_DOCS=20000 cargo bench --bench ingest   # the first 20k articles
//! KEHOACH_BENCH_INDEX=/tmp/vntc cargo bench --bench ingest  # search latency only, over that index
//! ```
//! Reads `../shared/corpora/vntc-news-84k.jsonl.gz` (or `$KEHOACH_SHARED/corpora/…`);
//! skips with a message when absent. Reports, in one run:
//! 1. kehoach: decompress + understand + analyse + index + commit: docs/s, MB/s of text,
//!    index size, peak RSS;
//! 2. the same corpus indexed with tantivy's stock tokenizer (one text field, stored);
//! 3. the same with **two** positional body fields, as kehoach's schema has (accented and
//!    folded views: stock `SimpleTokenizer` + `LowerCaser`, + `AsciiFoldingFilter`);
//! 4. kehoach's tantivy writer alone: the documents are read, understood and analysed
//!    first (not timed), then only `add_document` + commit is timed — what indexing
//!    costs with kehoach's schema, whatever the understanding costs;
//! 5. search latency over the kehoach index for 240 queries (single syllables,
//!    2–4-syllable phrases, unaccented, with and without filters; top 10 with snippets),
//!    for 100-word questions and for 10,000-character passages.
//!
//! Every indexing row also gives the process CPU time per MB of text: on 2 cores,
//! 30 MB/s leaves at most 66 CPU-ms per MB for everything.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, Filters, SearchRequest};

fn dir_size(p: &Path) -> u64 {
    walkdir::WalkDir::new(p)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Writes the first `limit` lines of the gzipped corpus to a plain gz file (so both
/// runs read the same input), returning (path, docs, text bytes).
fn sample(src: &Path, limit: usize, out: &Path) -> (usize, u64) {
    let f = std::fs::File::open(src).expect("open corpus");
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(f));
    let mut w = flate2::write::GzEncoder::new(
        std::fs::File::create(out).expect("create sample"),
        flate2::Compression::fast(),
    );
    let (mut n, mut bytes) = (0usize, 0u64);
    for line in r.lines().map_while(Result::ok).take(limit) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
            bytes += v["text"].as_str().map_or(0, |t| t.len() as u64);
        }
        w.write_all(line.as_bytes()).unwrap();
        w.write_all(b"\n").unwrap();
        n += 1;
    }
    w.finish().unwrap();
    (n, bytes)
}

/// Stock tantivy over the sample: one stored text field, or (`two_views`) also a
/// second positional field with an ASCII-folding analyzer, like kehoach's two body
/// views. Returns (wall time, CPU seconds, index size).
fn stock_tantivy(input: &Path, dir: &Path, two_views: bool) -> (Duration, f64, u64) {
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    use tantivy::schema::{STORED, STRING, TEXT};
    use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let body = b.add_text_field("body", TEXT | STORED);
    let folded = b.add_text_field(
        "body_f",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("folding")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let index = tantivy::Index::create_in_dir(dir, b.build()).unwrap();
    index.tokenizers().register(
        "folding",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    let (start, cpu) = (Instant::now(), common::cpu_seconds().unwrap_or(f64::NAN));
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(2, 512 << 20).unwrap();
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(input).unwrap(),
    ));
    for line in r.lines().map_while(Result::ok) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let mut doc = tantivy::TantivyDocument::default();
        let text = v["text"].as_str().unwrap_or("");
        doc.add_text(id, v["path"].as_str().unwrap_or(""));
        doc.add_text(body, text);
        if two_views {
            doc.add_text(folded, text);
        }
        writer.add_document(doc).unwrap();
    }
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
    (
        start.elapsed(),
        common::cpu_seconds().unwrap_or(f64::NAN) - cpu,
        dir_size(dir),
    )
}

/// kehoach's writer alone: documents prepared exactly as ingest prepares them
/// (clean, analyse, understand, convert; in parallel, not timed), then indexed with
/// the same writer settings. Returns (wall time, CPU seconds, index size).
fn writer_alone(input: &Path, dir: &Path) -> (Duration, f64, u64) {
    use rayon::prelude::*;
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(input).unwrap(),
    ));
    let records: Vec<(String, String)> = r
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .map(|v| {
            (
                v["path"].as_str().unwrap_or("").to_string(),
                v["text"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let index = index::open_or_create(dir).expect("index");
    let fields = index::Fields::from_schema(&index.schema()).expect("fields");
    let u = kehoach::document::Understander::new();
    let docs: Vec<tantivy::TantivyDocument> = records
        .into_par_iter()
        .map(|(id, text)| {
            let text = kehoach::document::clean(&text);
            let body = index::Analysed::new(&text);
            let rec = u.understand_analysed(&text, &body.streams);
            fields.to_document_analysed(&id, &id, "bench", rec, body)
        })
        .collect();
    let opts = IngestOptions::default();
    let (start, cpu) = (Instant::now(), common::cpu_seconds().unwrap_or(f64::NAN));
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(2, opts.writer_memory * 2)
        .unwrap();
    for d in docs {
        writer.add_document(d).unwrap();
    }
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
    (
        start.elapsed(),
        common::cpu_seconds().unwrap_or(f64::NAN) - cpu,
        dir_size(dir),
    )
}

#[allow(clippy::too_many_lines, reason = "a table of queries, one line each")]
fn queries() -> Vec<SearchRequest> {
    let texts = [
        "giáo dục",
        "bóng đá",
        "chứng khoán",
        "xuất khẩu",
        "ô nhiễm",
        "tuyển sinh",
        "thị trường",
        "giao thông",
        "bệnh viện",
        "công nghệ",
        "du lịch",
        "nông dân",
        "ngân hàng",
        "thời tiết",
        "học sinh",
        "điện thoại",
        "xăng dầu",
        "giá vàng",
        "đầu tư",
        "bất động sản",
        "kinh tế",
        "chính phủ",
        "văn hóa",
        "thể thao",
        "sức khỏe",
        "pháp luật",
        "khoa học",
        "internet",
        "máy tính",
        "đội tuyển",
        "huấn luyện viên",
        "cầu thủ",
        "ca sĩ",
        "phim",
        "\"thị trường chứng khoán\"",
        "\"đội tuyển Việt Nam\"",
        "\"giá xăng dầu\"",
        "\"bảo vệ môi trường\"",
        "\"an toàn giao thông\"",
        "\"công nghệ thông tin\"",
        "\"kỳ thi tuyển sinh đại học\"",
        "\"ngân hàng nhà nước\"",
        "\"thủ tướng chính phủ\"",
        "doanh nghiệp nhà nước",
        "tai nạn giao thông",
        "giá cả thị trường",
        "hiệu quả kinh tế",
        "thí sinh dự thi",
        "bệnh nhân điều trị",
        "học sinh giỏi quốc gia",
        "lãi suất ngân hàng",
        "thu hút vốn đầu tư",
        "phát triển du lịch",
        "cải cách hành chính",
        "chuyển đổi số",
        "nông thôn mới",
        "thi đua khen thưởng",
        "sở",
        "số",
        "năm",
        "người",
        "Hà Nội",
        "TP.HCM",
        "Đà Nẵng",
        "COVID-19",
        "2006",
        "WTO",
        "World Cup",
        "SEA Games",
        "Olympic",
    ];
    let mut out = Vec::new();
    for t in texts {
        out.push(t.to_string());
        let folded = kehoach::analysis::fold(t);
        if folded != t.to_lowercase() {
            out.push(folded);
        }
    }
    let mut reqs: Vec<SearchRequest> = out
        .iter()
        .map(|q| SearchRequest {
            query: q.clone(),
            limit: 10,
            fragments: 1,
            ..SearchRequest::default()
        })
        .collect();
    // The same queries with filters (year, type, theme — whatever the corpus has).
    let filtered: Vec<SearchRequest> = out
        .iter()
        .take(100)
        .enumerate()
        .map(|(i, q)| SearchRequest {
            query: q.clone(),
            filters: match i % 2 {
                0 => Filters {
                    year: vec![2006, 2007],
                    ..Filters::default()
                },
                _ => Filters {
                    doc_type: vec!["Kế hoạch".into()],
                    ..Filters::default()
                },
            },
            limit: 10,
            fragments: 1,
            ..SearchRequest::default()
        })
        .collect();
    reqs.extend(filtered);
    reqs
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: run only for bench.
    if !std::env::args().any(|a| a == "--bench") {
        println!("ingest bench: run with `cargo bench --bench ingest`");
        return;
    }
    let Some(shared) = common::shared() else {
        println!("ingest bench: skipped, shared corpora not found (set KEHOACH_SHARED)");
        return;
    };
    // Search latency only, over an index built before.
    if let Some(dir) = std::env::var_os("KEHOACH_BENCH_INDEX") {
        search_latency(&Engine::open(Path::new(&dir)).expect("open"), &shared);
        return;
    }
    let src = shared.join("corpora/vntc-news-84k.jsonl.gz");
    if !src.is_file() {
        println!("ingest bench: skipped, {} not found", src.display());
        return;
    }
    let limit: usize = std::env::var("KEHOACH_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("sample.jsonl.gz");
    let (docs, text_bytes) = sample(&src, limit, &input);
    println!(
        "corpus: {docs} articles, {:.1} MB of text",
        text_bytes as f64 / 1e6
    );

    let mb = text_bytes as f64 / 1e6;
    let idx = tmp.path().join("kehoach-index");
    let (start, cpu) = (Instant::now(), common::cpu_seconds().unwrap_or(f64::NAN));
    let opts = IngestOptions {
        threads: 2,
        ..IngestOptions::default()
    };
    let summary =
        index::ingest(&idx, std::slice::from_ref(&input), &opts, &NoProgress).expect("ingest");
    let t = start.elapsed().as_secs_f64();
    let cpu = common::cpu_seconds().unwrap_or(f64::NAN) - cpu;
    let rss = peak_rss_mb();
    println!(
        "kehoach ingest: {} docs in {t:.1} s = {:.0} docs/s, {:.1} MB/s of text, {:.0} CPU-ms/MB; index {:.0} MB; peak RSS {rss:.0} MB; failed {}",
        summary.indexed,
        summary.indexed as f64 / t,
        mb / t,
        cpu * 1e3 / mb,
        dir_size(&idx) as f64 / 1e6,
        summary.failed.len()
    );

    for (two, label) in [
        (false, "stock tantivy (default tokenizer, one field)"),
        (
            true,
            "stock tantivy (two positional fields, like kehoach's views)",
        ),
    ] {
        let stock = tmp.path().join(if two { "stock-2" } else { "stock-1" });
        std::fs::create_dir_all(&stock).unwrap();
        let (st, cpu, size) = stock_tantivy(&input, &stock, two);
        let st = st.as_secs_f64();
        println!(
            "{label}: {docs} docs in {st:.1} s = {:.0} docs/s, {:.1} MB/s, {:.0} CPU-ms/MB; index {:.0} MB",
            docs as f64 / st,
            mb / st,
            cpu * 1e3 / mb,
            size as f64 / 1e6
        );
        let _ = std::fs::remove_dir_all(&stock);
    }

    let alone = tmp.path().join("writer-alone");
    let (wt, cpu, size) = writer_alone(&input, &alone);
    let wt = wt.as_secs_f64();
    println!(
        "kehoach writer alone (documents prepared beforehand): {:.1} s = {:.1} MB/s, {:.0} CPU-ms/MB; index {:.0} MB",
        wt,
        mb / wt,
        cpu * 1e3 / mb,
        size as f64 / 1e6
    );
    let _ = std::fs::remove_dir_all(&alone);

    search_latency(&Engine::open(&idx).expect("open"), &shared);
}

/// Latency of one kind of request: p50, p90, p99 and max over `reqs`, after a warm-up.
fn latency(engine: &Engine, what: &str, reqs: &[SearchRequest]) {
    for r in reqs.iter().take(20) {
        let _ = engine.search(r); // warm up
    }
    let mut lat = Vec::with_capacity(reqs.len());
    let mut hits = 0usize;
    for r in reqs {
        let s = Instant::now();
        let res = engine.search(r).expect("search");
        lat.push(s.elapsed());
        hits += res.hits.len();
    }
    lat.sort();
    println!(
        "search, {what}: {} queries (top 10 + snippets), p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {hits} hits",
        lat.len(),
        common::percentile(&lat, 0.5).as_secs_f64() * 1e3,
        common::percentile(&lat, 0.9).as_secs_f64() * 1e3,
        common::percentile(&lat, 0.99).as_secs_f64() * 1e3,
        lat.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
}

/// Search latency: the 240 typed queries; 100-word questions (three ALQAC questions
/// of `../shared/eval` joined, with and without diacritics); 10,000-character
/// passages (cut from VNTC articles, which the index holds).
fn search_latency(engine: &Engine, shared: &Path) {
    latency(engine, "typed queries", &queries());
    let questions: Vec<String> = std::fs::read_to_string(shared.join("eval/dev.tsv"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('\t').map(|(_, q)| q.to_string()))
        .collect();
    let long: Vec<SearchRequest> = questions
        .windows(3)
        .map(|w| {
            let joined = w.join(" ");
            let words: Vec<&str> = joined.split_whitespace().take(100).collect();
            words.join(" ")
        })
        .flat_map(|q| [kehoach::analysis::fold(&q), q])
        .map(|q| SearchRequest {
            query: q,
            ..SearchRequest::default()
        })
        .collect();
    latency(engine, "100-word questions", &long);
    let src = shared.join("corpora/vntc-news-84k.jsonl.gz");
    let Ok(file) = std::fs::File::open(&src) else {
        return;
    };
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let passages: Vec<SearchRequest> = reader
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v["text"].as_str().map(|t| t.replace('"', " ")))
        .filter(|t| t.chars().count() >= 10_000)
        .take(60)
        .map(|t| SearchRequest {
            query: t.chars().take(10_000).collect(),
            ..SearchRequest::default()
        })
        .collect();
    latency(engine, "10,000-character passages", &passages);
}
