//! Faults (issue 8, part 3), CI-sized; the full-sized runs are scripts/faults/*.sh.
//!
//! * `kill -9` during ingest at varied moments: the index reopens, holds exactly the
//!   documents of a commit (the first k×COMMIT_EVERY of the file, k being the commits
//!   ingest announced or one less), no duplicates, and a re-run completes the job;
//! * a full disk (a small tmpfs; root only, skips otherwise): ingest stops with a
//!   clear error and a non-zero exit instead of hanging or panicking, and the index
//!   still opens at its last commit, searchable; with room again, a re-run completes;
//! * ingest while serving: `kehoach serve` keeps answering every search with 200
//!   while `kehoach ingest` writes into the same index from another process, and the
//!   new documents become visible without a restart.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kehoach::index;
use kehoach::query::{Engine, SearchRequest};

/// Ingest's batch size is 512 documents; commits happen at batch ends once this
/// many documents were added since the last one, so with a multiple of 512 every
/// commit holds the first k×COMMIT_EVERY documents of the file.
const COMMIT_EVERY: usize = 512;

const WORDS: &[&str] = &[
    "kế",
    "hoạch",
    "triển",
    "khai",
    "thực",
    "hiện",
    "chuyển",
    "đổi",
    "số",
    "nông",
    "thôn",
    "mới",
    "thi",
    "đua",
    "khen",
    "thưởng",
    "cải",
    "cách",
    "hành",
    "chính",
    "y",
    "tế",
    "giáo",
    "dục",
    "phòng",
    "chống",
    "thiên",
    "tai",
    "an",
    "ninh",
    "trật",
    "tự",
    "xây",
    "dựng",
    "phát",
    "triển",
    "kinh",
    "xã",
    "hội",
    "du",
    "lịch",
    "văn",
    "hóa",
    "giao",
    "thông",
    "tài",
    "nguyên",
    "môi",
    "trường",
    "ngân",
    "sách",
    "ủy",
    "ban",
    "nhân",
    "dân",
    "tỉnh",
];

/// A word of letters only that no other document has: `xq` and the digits of `i`
/// spelt as consonants.
fn unique_word(prefix: &str, i: usize) -> String {
    let digits: String = i
        .to_string()
        .bytes()
        .map(|d| b"bcdfghklmn"[usize::from(d - b'0')] as char)
        .collect();
    format!("xq{prefix}{digits}")
}

/// `n` JSONL records with ids `{prefix}-{i:06}` (i from `first`), about `size` bytes
/// of text each; the last word of each text is [`unique_word`].
fn records(prefix: &str, first: usize, n: usize, size: usize, seed: u64) -> (String, Vec<String>) {
    let mut rng = common::Rng(seed | 1);
    let mut out = String::new();
    let mut ids = Vec::new();
    for i in first..first + n {
        let id = format!("{prefix}-{i:06}");
        let mut text = format!("Kế hoạch số {i}/KH-UBND năm {}.", 2015 + i % 10);
        while text.len() < size {
            text.push(' ');
            text.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
            if rng.below(12) == 0 {
                text.push_str(&format!(" {}.", rng.below(100_000)));
            }
        }
        text.push_str(&format!(" {}.", unique_word(prefix, i)));
        out.push_str(
            &serde_json::json!({"id": id, "title": format!("Kế hoạch {i}"), "date": format!("{}-01-02", 2015 + i % 10), "text": text})
                .to_string(),
        );
        out.push('\n');
        ids.push(id);
    }
    (out, ids)
}

/// Ids in the index (sorted; duplicates kept, so they show), or `None` when no
/// commit ever happened (no meta.json). Panics if the index does not reopen.
fn index_ids(dir: &Path) -> Option<Vec<String>> {
    if !dir.join("meta.json").is_file() {
        return None;
    }
    let idx = index::open(dir).unwrap_or_else(|e| panic!("the index does not reopen: {e}"));
    let reader = idx.reader().unwrap();
    let searcher = reader.searcher();
    let n = searcher.num_docs() as usize;
    let unique: BTreeSet<String> = index::indexed_ids(&idx).unwrap().into_iter().collect();
    // `indexed_ids` is a set: a duplicate shows as fewer ids than documents.
    assert_eq!(
        unique.len(),
        n,
        "duplicate ids: {n} documents, {} ids",
        unique.len()
    );
    Some(unique.into_iter().collect())
}

/// A search through the library works on the index and finds `n` documents in all.
fn assert_searchable(dir: &Path, n: usize) {
    let engine = Engine::open(dir).unwrap();
    let all = engine
        .search(&SearchRequest {
            limit: 1,
            fragments: 0,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(all.total, n);
    if n > 0 {
        let words = engine
            .search(&SearchRequest {
                query: "kế hoạch".into(),
                limit: 1,
                ..SearchRequest::default()
            })
            .unwrap();
        assert!(words.total > 0, "a word search finds nothing");
    }
}

fn ingest_cmd(dir: &Path, file: &Path) -> Command {
    let mut cmd = common::kehoach();
    cmd.args(["ingest", "--threads", "2", "--commit-every"])
        .arg(COMMIT_EVERY.to_string())
        .arg("--index")
        .arg(dir)
        .arg(file);
    cmd
}

/// Waits for `child` at most `limit`; kills it and returns `None` on a timeout.
fn wait_at_most(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn read_all(r: Option<impl Read>) -> String {
    let mut s = String::new();
    if let Some(mut r) = r {
        let _ = r.read_to_string(&mut s);
    }
    s
}

/// Documents of the last commit of the index in `dir`, read from its `meta.json`
/// (the sum of its segments' `max_doc`; a fresh index has no deletes); 0 before the
/// first commit or while the file is being replaced.
fn committed_docs(dir: &Path) -> usize {
    let Ok(text) = std::fs::read_to_string(dir.join("meta.json")) else {
        return 0;
    };
    let Ok(meta) = serde_json::from_str::<serde_json::Value>(&text) else {
        return 0;
    };
    meta["segments"]
        .as_array()
        .map(|segs| {
            segs.iter()
                .map(|s| s["max_doc"].as_u64().unwrap_or(0) as usize)
                .sum()
        })
        .unwrap_or(0)
}

/// When a trial kills ingest, by its progress (never by the clock, so the kill lands
/// at the same point of the run however fast the machine is).
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// As soon as ingest announces its k-th commit: the kill lands in the commit.
    Committing(usize),
    /// As soon as the k-th commit is on disk (`meta.json` counts k×COMMIT_EVERY
    /// documents): the kill lands while the next documents are being indexed.
    Committed(usize),
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one scenario: eight kills, each followed by its check"
)]
fn kill_9_during_ingest_leaves_exactly_a_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let commits = 4;
    let n = commits * COMMIT_EVERY + 300;
    let (body, order) = records("k", 0, n, 1_500, 42);
    let src = tmp.path().join("plans.jsonl");
    std::fs::write(&src, body).unwrap();
    let all: BTreeSet<&String> = order.iter().collect();
    let dir = tmp.path().join("index");

    // Every periodic commit, killed while it is written and right after it is.
    let moments: Vec<Moment> = (1..=commits)
        .flat_map(|k| [Moment::Committing(k), Moment::Committed(k)])
        .collect();
    println!("moment          killed  announced  docs  re-run new/unchanged");
    let mut killed_runs = 0;
    for (trial, &moment) in moments.iter().enumerate() {
        std::fs::remove_dir_all(&dir).ok();
        let mut child = ingest_cmd(&dir, &src)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Standard error, line by line, through a channel, so the test can watch
        // `meta.json` while it waits for the next line.
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let stderr = child.stderr.take().unwrap();
        let lines = std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut err = String::new();
        let mut announced = 0;
        let killed = loop {
            let fired = match moment {
                Moment::Committing(k) => announced >= k,
                Moment::Committed(k) => committed_docs(&dir) >= k * COMMIT_EVERY,
            };
            if fired {
                // Still running (not exited, not a zombie): this kill interrupts it.
                let running = child.try_wait().unwrap().is_none();
                let _ = child.kill(); // SIGKILL
                break running;
            }
            match rx.recv_timeout(Duration::from_millis(2)) {
                Ok(line) => {
                    announced += usize::from(line.contains("ingest: committing"));
                    err.push_str(&line);
                    err.push('\n');
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break false,
            }
        };
        let status = child.wait().unwrap();
        lines.join().unwrap();
        announced += rx
            .iter()
            .filter(|l| l.contains("ingest: committing"))
            .count();
        assert!(
            killed || status.success(),
            "trial {trial}: ingest failed before its kill:\n{err}"
        );
        killed_runs += usize::from(killed);

        let ids = index_ids(&dir).unwrap_or_default();
        let docs = ids.len();
        // A commit point, consistent with what ingest announced before dying.
        let k = docs.div_ceil(COMMIT_EVERY);
        assert!(
            docs.is_multiple_of(COMMIT_EVERY) || docs == n,
            "trial {trial}: {docs} documents is not a commit point"
        );
        assert!(
            k == announced || k + 1 == announced,
            "trial {trial}: {docs} documents ({k} commits) but ingest announced {announced}"
        );
        match moment {
            Moment::Committing(c) => assert!(
                !killed || docs == (c - 1) * COMMIT_EVERY || docs == c * COMMIT_EVERY,
                "trial {trial}: killed in commit {c}, the index holds {docs} documents"
            ),
            Moment::Committed(c) => assert!(
                !killed || docs == c * COMMIT_EVERY,
                "trial {trial}: killed after commit {c}, the index holds {docs} documents"
            ),
        }
        // Exactly the first `docs` documents of the file.
        let want: BTreeSet<&String> = order[..docs].iter().collect();
        let got: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(got, want, "trial {trial}: not the first {docs} documents");
        assert_searchable(&dir, docs);

        // A re-run completes the job.
        let s = index::ingest(
            &dir,
            std::slice::from_ref(&src),
            &index::IngestOptions {
                commit_every: COMMIT_EVERY,
                threads: 2,
                ..index::IngestOptions::default()
            },
            &index::NoProgress,
        )
        .unwrap();
        assert_eq!(
            (s.indexed, s.unchanged, s.total_docs),
            ((n - docs) as u64, docs as u64, n as u64),
            "trial {trial}: re-run"
        );
        let after = index_ids(&dir).unwrap();
        assert_eq!(after.iter().collect::<BTreeSet<_>>(), all);
        println!(
            "{:<15} {killed:<6}  {announced:>9}  {docs:>4}  {}/{}",
            format!("{moment:?}"),
            s.indexed,
            s.unchanged
        );
    }
    // The moments are all before the last commit starts, so nearly every run is
    // interrupted; a run that still finished first would show up here.
    assert!(
        killed_runs >= moments.len() - 1,
        "only {killed_runs} of {} runs were killed",
        moments.len()
    );
}

/// Runs `cmd` and returns whether it succeeded, with its standard error.
fn run(cmd: &mut Command) -> (bool, String) {
    match cmd.output() {
        Ok(o) => (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => (false, e.to_string()),
    }
}

/// A tmpfs of `mb` MiB mounted at a new folder; unmounted on drop.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mounts one, or says why it cannot (not root, mount not permitted).
    fn mount(under: &Path, mb: u32) -> Result<Tmpfs, String> {
        let (ok, uid) = run(Command::new("id").arg("-u"));
        if !ok || uid.trim() != "0" {
            return Err(format!("not root (uid {})", uid.trim()));
        }
        let dir = under.join("disk");
        std::fs::create_dir_all(&dir).unwrap();
        let (ok, why) = run(Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={mb}m"))
            .arg("tmpfs")
            .arg(&dir));
        if !ok {
            return Err(format!("mount not permitted: {}", why.trim()));
        }
        Ok(Tmpfs { dir })
    }

    fn resize(&self, mb: u32) {
        let (ok, why) = run(Command::new("mount")
            .args(["-o"])
            .arg(format!("remount,size={mb}m"))
            .arg(&self.dir));
        assert!(ok, "remount: {why}");
    }
}

/// A tmpfs of `mb` MiB for `test`, or `None` after saying why the test is skipped.
fn small_disk(under: &Path, mb: u32, test: &str) -> Option<Tmpfs> {
    match Tmpfs::mount(under, mb) {
        Ok(d) => Some(d),
        Err(why) => {
            println!("skipping {test}: {why}");
            None
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

#[test]
fn a_full_disk_gives_a_clear_error_and_keeps_the_last_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = small_disk(tmp.path(), 8, "the full-disk test") else {
        return;
    };
    let dir = disk.dir.join("index");
    let (small, small_ids) = records("s", 0, 300, 3_000, 1);
    let (big, big_ids) = records("b", 0, 6_000, 3_000, 2);
    let small_src = tmp.path().join("small.jsonl");
    let big_src = tmp.path().join("big.jsonl");
    std::fs::write(&small_src, small).unwrap();
    std::fs::write(&big_src, big).unwrap();

    let (ok, out) = run(&mut ingest_cmd(&dir, &small_src));
    assert!(ok, "{out}");

    // More than fits: a clear error, not a hang or a panic.
    let mut child = ingest_cmd(&dir, &big_src)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let readers = (
        std::thread::spawn(move || read_all(stdout)),
        std::thread::spawn(move || read_all(stderr)),
    );
    let status = wait_at_most(&mut child, Duration::from_secs(60));
    let (out, err) = (readers.0.join().unwrap(), readers.1.join().unwrap());
    println!("ingest on a full disk: {status:?}\n{out}{err}");
    let status = status
        .unwrap_or_else(|| panic!("ingest hung on a full disk (killed after 60 s); stderr: {err}"));
    assert!(!status.success(), "ingest succeeded on a full disk: {out}");
    assert!(
        err.contains("No space left on device"),
        "the error does not name the problem: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let announced = err.matches("ingest: committing").count();

    // The index opens at its last commit: the small corpus plus whole commits of the big one.
    let ids = index_ids(&dir).expect("an index");
    let extra = ids.len() - small_ids.len();
    assert!(
        extra.is_multiple_of(COMMIT_EVERY),
        "{} documents",
        ids.len()
    );
    let k = extra / COMMIT_EVERY;
    assert!(
        k == announced || k + 1 == announced,
        "{k} commits, {announced} announced"
    );
    let want: BTreeSet<&String> = small_ids.iter().chain(&big_ids[..extra]).collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>(), want);
    assert_searchable(&dir, ids.len());
    println!(
        "after the failure: {} documents ({k} commits of the second run)",
        ids.len()
    );

    // With room again, a re-run completes.
    disk.resize(256);
    let (ok, out) = run(&mut ingest_cmd(&dir, &big_src));
    assert!(ok, "{out}");
    assert_searchable(&dir, small_ids.len() + big_ids.len());
}

/// Starts `kehoach serve` on the index; returns it and its base URL.
fn serve(dir: &Path, nowhere: &Path) -> (Child, String) {
    let mut child = common::kehoach()
        .args(["serve", "--addr", "127.0.0.1:0", "--cache", "0", "--index"])
        .arg(dir)
        .arg("--corpus")
        .arg(nowhere)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let url = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("kehoach serve printed no URL");
        };
        if let Some(w) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            break w.trim_end_matches('/').to_string();
        }
    };
    (child, url)
}

fn http_get(agent: &ureq::Agent, url: &str) -> (u16, String, Duration) {
    let t = Instant::now();
    match agent.get(url).call() {
        Ok(mut r) => {
            let status = r.status().as_u16();
            let body = r.body_mut().read_to_string().unwrap_or_default();
            (status, body, t.elapsed())
        }
        Err(e) => (0, e.to_string(), t.elapsed()),
    }
}

#[test]
fn searches_keep_answering_while_another_process_ingests() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let (first, first_ids) = records("a", 0, 200, 1_500, 3);
    let (second, second_ids) = records("n", 0, 5 * COMMIT_EVERY, 1_500, 4);
    let a = tmp.path().join("a.jsonl");
    let b = tmp.path().join("b.jsonl");
    std::fs::write(&a, first).unwrap();
    std::fs::write(&b, second).unwrap();
    let (ok, out) = run(&mut ingest_cmd(&dir, &a));
    assert!(ok, "{out}");
    let total = first_ids.len() + second_ids.len();

    let (mut server, url) = serve(&dir, &tmp.path().join("no-corpus"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(15)))
        .build()
        .into();
    let last = second_ids.last().unwrap().clone();
    let unique_word = unique_word("n", second_ids.len() - 1);

    let mut ingest = ingest_cmd(&dir, &b)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut counts = Vec::new();
    let (mut requests, mut slowest) = (0usize, Duration::ZERO);
    let mut ingest_done = None;
    let outcome = loop {
        for path in [
            "/api/search?q=k%E1%BA%BF+ho%E1%BA%A1ch&limit=5".to_string(),
            format!("/api/search?q={}", http_fixture_enc(&unique_word)),
            "/healthz".to_string(),
        ] {
            let (status, body, t) = http_get(&agent, &format!("{url}{path}"));
            requests += 1;
            slowest = slowest.max(t);
            if status != 200 {
                break_with(&mut server, &mut ingest);
                panic!("{path} answered {status} during ingest: {body}");
            }
            if path == "/healthz" {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                let n = v["documents"].as_u64().unwrap() as usize;
                if counts.last() != Some(&n) {
                    assert!(
                        counts.last().is_none_or(|&p| p < n),
                        "count went down: {counts:?} then {n}"
                    );
                    counts.push(n);
                }
            }
        }
        if ingest_done.is_none() {
            if let Some(status) = ingest.try_wait().unwrap() {
                ingest_done = Some((status, started.elapsed()));
            }
        }
        if ingest_done.is_some() && counts.last() == Some(&total) {
            break Ok(());
        }
        if started.elapsed() > Duration::from_secs(120) {
            break Err(format!(
                "gave up after 120 s: counts {counts:?}, ingest {ingest_done:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Err(why) = outcome {
        break_with(&mut server, &mut ingest);
        panic!("{why}");
    }
    let (status, ingest_time) = ingest_done.unwrap();
    let _ = ingest.wait(); // already exited (reaped by try_wait)
    assert!(status.success());
    // The newest document is there, by id and by its own word, without a restart.
    let (s, body, _) = http_get(&agent, &format!("{url}/api/documents/{last}"));
    assert_eq!(s, 200, "{body}");
    let (s, body, _) = http_get(
        &agent,
        &format!("{url}/api/search?q={}", http_fixture_enc(&unique_word)),
    );
    assert_eq!(s, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["hits"][0]["id"], last.as_str(), "{body}");
    println!(
        "{requests} requests during a {:.1} s ingest, all 200, slowest {:.0} ms; documents seen: {counts:?}",
        ingest_time.as_secs_f64(),
        slowest.as_secs_f64() * 1e3
    );
    // Commits became visible one by one, not only at the end.
    assert!(counts.len() >= 3, "only saw {counts:?}");
    let _ = server.kill();
    let _ = server.wait();
}

fn break_with(server: &mut Child, ingest: &mut Child) {
    let _ = ingest.kill();
    let _ = ingest.wait();
    let _ = server.kill();
    let _ = server.wait();
}

/// Percent-encodes everything but unreserved characters.
fn http_fixture_enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn a_merge_that_does_not_fit_leaves_every_document_committed() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = small_disk(tmp.path(), 8, "the full-disk merge test") else {
        return;
    };
    let dir = disk.dir.join("index");
    // A first build committed in several segments that fill most of the disk: the
    // merge into one needs as much again.
    let (recs, ids) = records("m", 0, 1_200, 3_000, 3);
    let src = tmp.path().join("m.jsonl");
    std::fs::write(&src, recs).unwrap();
    let (ok, out) = run(&mut ingest_cmd(&dir, &src));
    println!("{out}");
    assert!(ok, "a run whose documents are all committed failed: {out}");
    assert!(
        out.contains("warning: every document is committed, but the index could not be merged")
            && out.contains("No space left on device"),
        "no warning naming the problem: {out}"
    );
    assert_eq!(index_ids(&dir).expect("an index").len(), ids.len());
    assert_searchable(&dir, ids.len());

    // With room again, a rebuild ends merged, with no warning.
    disk.resize(256);
    let (ok, out) = run(ingest_cmd(&dir, &src).arg("--rebuild"));
    assert!(ok && !out.contains("warning"), "{out}");
    let segments = Engine::open(&dir)
        .unwrap()
        .searcher()
        .segment_readers()
        .len();
    assert_eq!(segments, 1);
    assert_searchable(&dir, ids.len());
}
