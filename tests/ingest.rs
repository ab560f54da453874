//! Ingestion: every input kind, bad input reported with nothing lost,
//! incremental runs, rebuilds, locking and crash safety.

mod common;

use std::path::Path;

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, SearchRequest};

fn ingest(dir: &Path, paths: &[&Path], opts: &IngestOptions) -> index::Summary {
    let paths: Vec<_> = paths.iter().map(|p| p.to_path_buf()).collect();
    index::ingest(dir, &paths, opts, &NoProgress).expect("ingest")
}

/// Every id in the index, sorted (duplicates kept, so they show).
fn ids(dir: &Path) -> Vec<String> {
    let engine = Engine::open(dir).unwrap();
    let res = engine
        .search(&SearchRequest {
            limit: 1000,
            fragments: 0,
            ..SearchRequest::default()
        })
        .unwrap();
    let mut ids: Vec<String> = res.hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_kind_and_bad_input_reported_with_nothing_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(
            "{\"id\":\"gz 1, a\",\"text\":\"văn bản nén một\"}\n{\"id\":\"gz2\",\"text\":\"văn bản nén hai\"}\n"
                .as_bytes(),
        )
        .unwrap();
        e.finish().unwrap()
    };
    common::write_files(
        &corpus,
        &[
            ("a.txt", "Kế hoạch chuyển đổi số".as_bytes()),
            ("sub/b.md", "# Tiêu đề\n\nNông thôn mới".as_bytes()),
            ("c.html", "<html><body><p>Cải cách hành chính</p></body></html>".as_bytes()),
            (
                "d.jsonl",
                "{\"id\":\"j1\",\"text\":\"thi đua khen thưởng\",\"title\":\"Tiêu đề J1\",\"date\":\"13/9/2019\",\"province\":\"kien giang\",\"number\":\"09/kh-ubnd\"}\n\nnot json\n{\"text\":\"no id\"}\n{\"id\":\"j2\"}\n{\"id\":\"j3\",\"text\":\"ba\"}\n"
                    .as_bytes(),
            ),
            ("e.json", "[{\"id\":7,\"text\":\"bảy\"},{\"id\":\"x\"}]".as_bytes()),
            ("f.jsonl.gz", &gz),
            ("empty.txt", b""),
            ("broken.json", b"[{\"id\":"),
            ("picture.png", b"\x89PNG\r\n"),
            (".hidden/h.txt", "ẩn".as_bytes()),
        ],
    );
    let idx = tmp.path().join("index");
    let s = ingest(&idx, &[&corpus], &IngestOptions::default());
    let failed: Vec<String> = s
        .failed
        .iter()
        .map(|p| format!("{}: {}", p.location, p.reason))
        .collect();
    for (what, why) in [
        ("d.jsonl: line 3", "invalid JSON"),
        ("d.jsonl: line 4", "no \"id\""),
        ("d.jsonl: line 5", "no \"text\""),
        ("e.json: record 2", "no \"text\""),
        ("empty.txt", "empty"),
        ("broken.json", "invalid JSON"),
    ] {
        assert!(
            failed.iter().any(|f| f.contains(what) && f.contains(why)),
            "no failure {what} / {why} in {failed:#?}"
        );
    }
    assert_eq!(failed.len(), 6, "{failed:#?}");
    assert_eq!(s.skipped.len(), 1, "{:#?}", s.skipped);
    assert!(s.skipped[0].location.ends_with("picture.png"));
    assert_eq!(s.indexed, 8, "{s:#?}");
    assert!(!s.nothing_usable());
    assert_eq!(
        ids(&idx),
        strings(&["7", "a.txt", "c.html", "gz 1, a", "gz2", "j1", "j3", "sub/b.md"])
    );
    // Record fields override extraction; dates are normalised.
    let engine = Engine::open(&idx).unwrap();
    let j1 = engine.document("j1").unwrap();
    assert_eq!(j1.record.title.as_deref(), Some("Tiêu đề J1"));
    assert_eq!(
        j1.record.date.map(|d| d.to_string()).as_deref(),
        Some("2019-09-13")
    );
    assert_eq!(j1.record.number.as_deref(), Some("9/KH-UBND"));
    assert_eq!(j1.record.province.as_deref(), Some("Kiên Giang"));
    assert_eq!(j1.record.province_current.as_deref(), Some("An Giang"));
    // HTML is decoded, not indexed as markup.
    let c = engine.document("c.html").unwrap();
    assert!(c.record.text.contains("Cải cách hành chính"));
    assert!(!c.record.text.contains("<p>"), "{:?}", c.record.text);
}

#[test]
fn incremental_runs_skip_unchanged_and_replace_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let files: Vec<(&str, &[u8])> = common::PLANS
        .iter()
        .map(|(p, t)| (*p, t.as_bytes()))
        .collect();
    common::write_files(&corpus, &files);
    let idx = tmp.path().join("index");
    let opts = IngestOptions::default();

    let first = ingest(&idx, &[&corpus], &opts);
    assert_eq!((first.indexed, first.updated, first.unchanged), (3, 0, 0));

    let second = ingest(&idx, &[&corpus], &opts);
    assert_eq!(
        (second.indexed, second.updated, second.unchanged),
        (0, 0, 3)
    );

    common::write_files(
        &corpus,
        &[("news/so-sach.txt", "Sổ tay mới hoàn toàn khác.".as_bytes())],
    );
    let third = ingest(&idx, &[&corpus], &opts);
    assert_eq!((third.indexed, third.updated, third.unchanged), (0, 1, 2));
    assert_eq!(third.total_docs, 3);
    assert_eq!(
        ids(&idx),
        strings(&["dt/1579.txt", "kg/325.txt", "news/so-sach.txt"])
    );
    let engine = Engine::open(&idx).unwrap();
    assert!(engine
        .document("news/so-sach.txt")
        .unwrap()
        .record
        .text
        .contains("Sổ tay"));

    let rebuilt = ingest(
        &idx,
        &[&corpus],
        &IngestOptions {
            rebuild: true,
            ..IngestOptions::default()
        },
    );
    assert_eq!((rebuilt.indexed, rebuilt.unchanged), (3, 0));
    assert_eq!(rebuilt.total_docs, 3);
}

#[test]
fn duplicate_ids_are_reported_not_silently_merged() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    common::write_files(
        &corpus,
        &[(
            "r.jsonl",
            b"{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"a\",\"text\":\"two\"}\n",
        )],
    );
    let s = ingest(&tmp.path().join("i"), &[&corpus], &IngestOptions::default());
    assert_eq!(s.indexed, 1);
    assert_eq!(s.skipped.len(), 1);
    assert!(
        s.skipped[0].reason.contains("duplicate id"),
        "{:?}",
        s.skipped
    );
}

#[test]
fn a_second_writer_is_told_the_index_is_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    common::write_files(&corpus, &[("a.txt", b"mot hai ba")]);
    let idx = tmp.path().join("i");
    ingest(&idx, &[&corpus], &IngestOptions::default());
    let index = index::open(&idx).unwrap();
    let _writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    let err = index::ingest(
        &idx,
        std::slice::from_ref(&corpus),
        &IngestOptions::default(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(err, kehoach::Error::Locked(_)), "{err:?}");
    assert!(err
        .to_string()
        .contains("index is locked by another process"));
}

#[test]
fn cli_exits_non_zero_only_when_nothing_could_be_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad");
    common::write_files(&bad, &[("empty.txt", b"")]);
    let out = common::kehoach()
        .args(["ingest", "--index"])
        .arg(tmp.path().join("i"))
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("failed:") && stdout.contains("empty.txt"),
        "{stdout}"
    );

    common::write_files(&bad, &[("good.txt", "tốt".as_bytes())]);
    let out = common::kehoach()
        .args(["ingest", "--index"])
        .arg(tmp.path().join("i"))
        .arg(&bad)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Counts the commits an ingest announces.
#[derive(Default)]
struct Commits(std::sync::atomic::AtomicUsize);

impl index::Progress for Commits {
    fn start(&self, _: u64) {}
    fn update(&self, _: u64, _: u64) {}
    fn committing(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    fn finish(&self) {}
}

#[test]
fn incremental_runs_commit_by_time_or_by_count() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    // 1,100 records: three batches of at most 512.
    let lines: String = (0..1100)
        .map(|i| format!("{{\"id\":\"r{i}\",\"text\":\"văn bản số {i}\"}}\n"))
        .collect();
    common::write_files(&corpus, &[("r.jsonl", lines.as_bytes())]);
    let run = |name: &str, opts: IngestOptions| {
        let commits = Commits::default();
        let s = index::ingest(
            &tmp.path().join(name),
            std::slice::from_ref(&corpus),
            &opts,
            &commits,
        )
        .expect("ingest");
        assert_eq!(s.total_docs, 1100);
        commits.0.into_inner()
    };
    // By default a quick run commits once, at the end.
    assert_eq!(run("default", IngestOptions::default()), 1);
    // An interval already elapsed after every batch: one commit per batch, then the final one.
    let by_time = IngestOptions {
        commit_interval: std::time::Duration::ZERO,
        ..IngestOptions::default()
    };
    assert_eq!(run("time", by_time), 3 + 1);
    // A count takes precedence over the interval.
    let by_count = IngestOptions {
        commit_every: 1024,
        commit_interval: std::time::Duration::ZERO,
        ..IngestOptions::default()
    };
    assert_eq!(run("count", by_count), 1 + 1);
}

#[test]
fn an_index_built_from_nothing_is_one_segment_and_one_added_to_keeps_its_commits() {
    let tmp = tempfile::tempdir().unwrap();
    let records = |from: usize, to: usize| -> String {
        (from..to)
            .map(|i| format!("{{\"id\":\"r{i}\",\"text\":\"văn bản số {i}\"}}\n"))
            .collect()
    };
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    common::write_files(&a, &[("r.jsonl", records(0, 1100).as_bytes())]);
    common::write_files(&b, &[("r.jsonl", records(1100, 2200).as_bytes())]);
    let segments = |dir: &Path| {
        Engine::open(dir)
            .unwrap()
            .searcher()
            .segment_readers()
            .len()
    };
    // A commit after every batch: three commits, each with its own segments.
    let often = IngestOptions {
        commit_every: 1,
        ..IngestOptions::default()
    };
    let idx = tmp.path().join("index");
    assert_eq!(ingest(&idx, &[&a], &often).total_docs, 1100);
    assert_eq!(segments(&idx), 1, "a first build ends merged");
    assert_eq!(ingest(&idx, &[&b], &often).total_docs, 2200);
    assert!(
        segments(&idx) > 1,
        "a run adding to an index is not merged whole"
    );
    let rebuilt = IngestOptions {
        rebuild: true,
        ..often
    };
    assert_eq!(ingest(&idx, &[&a, &b], &rebuilt).total_docs, 2200);
    assert_eq!(segments(&idx), 1, "a rebuild ends merged");
    assert_eq!(Engine::open(&idx).unwrap().num_docs(), 2200);
    // The merged segments' files are gone: one segment's worth of `.idx` files.
    let idx_files = std::fs::read_dir(&idx)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "idx"))
        })
        .count();
    assert_eq!(idx_files, 1);
}
