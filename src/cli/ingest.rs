//! `kehoach ingest PATH... [--index DIR] [--rebuild]`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kehoach::document::ReadOptions;
use kehoach::document::{Ocr, OcrCounters};
use kehoach::index::{self, IngestOptions, Progress, Summary};

/// Arguments of `kehoach ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and folders to index (.txt .md .html .htm .pdf .docx .doc .odt .json .jsonl .jsonl.gz;
    /// folders recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Start from an empty index (the old one stays until the new one is committed).
    #[arg(long)]
    rebuild: bool,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// A theme taxonomy TSV to use instead of the built-in one.
    #[arg(long)]
    themes: Option<PathBuf>,
    /// Commit every N new or changed documents instead of every --commit-interval seconds.
    #[arg(long, default_value_t = 0)]
    commit_every: usize,
    /// Commit when this many seconds have passed since the last commit (incremental runs), so an
    /// interrupted run keeps its work.
    #[arg(long, default_value_t = 60)]
    commit_interval: u64,
    /// Do not OCR scanned PDF pages (files that need it fail with a reason instead).
    #[arg(long)]
    no_ocr: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

impl Args {
    /// How files are read: OCR unless turned off, its work counted in `counters`.
    pub fn read_options(&self, counters: Arc<OcrCounters>) -> ReadOptions {
        read_options(!self.no_ocr, counters)
    }
}

/// Reading options with OCR on or off, counting OCR work in `counters`.
pub fn read_options(ocr: bool, counters: Arc<OcrCounters>) -> ReadOptions {
    let mut opts = ReadOptions::default();
    opts.extract.ocr = Ocr {
        enabled: ocr,
        counters,
        ..Ocr::default()
    };
    opts
}

/// Progress on standard error: a bar on a terminal, a line every few seconds otherwise.
/// Pages read by OCR and the time they took are shown as they happen (a scanned page
/// takes seconds, so the bar also moves between batches).
pub struct Reporter {
    bar: Option<indicatif::ProgressBar>,
    last: Mutex<Instant>,
    total: Mutex<u64>,
    started: Instant,
    docs: Arc<AtomicU64>,
    ocr: Arc<OcrCounters>,
    stop: Arc<AtomicBool>,
}

impl Reporter {
    /// A reporter suited to standard error, showing the OCR work counted in `ocr`.
    pub fn with_ocr(ocr: Arc<OcrCounters>) -> Reporter {
        let mut r = Reporter::new();
        r.ocr = ocr;
        r
    }

    /// The message after the bar: documents, and OCR pages when there are any.
    fn message(docs: u64, ocr: &OcrCounters) -> String {
        match ocr.pages() {
            0 => format!("{docs} documents"),
            pages => format!(
                "{docs} documents, {pages} pages OCR ({:.0} s)",
                ocr.millis() as f64 / 1e3
            ),
        }
    }

    /// A reporter suited to standard error.
    pub fn new() -> Reporter {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta}) {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Reporter {
            bar,
            last: Mutex::new(Instant::now()),
            total: Mutex::new(0),
            started: Instant::now(),
            docs: Arc::default(),
            ocr: Arc::default(),
            stop: Arc::default(),
        }
    }
}

impl Progress for Reporter {
    fn start(&self, total_bytes: u64) {
        if let Ok(mut t) = self.total.lock() {
            *t = total_bytes;
        }
        match &self.bar {
            Some(bar) => {
                bar.set_length(total_bytes);
                // OCR pages come between batches: refresh the message on its own.
                let (bar, docs, ocr, stop) = (
                    bar.clone(),
                    self.docs.clone(),
                    self.ocr.clone(),
                    self.stop.clone(),
                );
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        if ocr.pages() > 0 {
                            bar.set_message(Reporter::message(docs.load(Ordering::Relaxed), &ocr));
                        }
                        std::thread::sleep(Duration::from_millis(500));
                    }
                });
            }
            None => eprintln!("ingest: reading {:.1} MB", total_bytes as f64 / 1e6),
        }
    }

    fn update(&self, bytes: u64, docs: u64) {
        self.docs.store(docs, Ordering::Relaxed);
        match &self.bar {
            Some(bar) => {
                bar.set_position(bytes);
                bar.set_message(Reporter::message(docs, &self.ocr));
            }
            None => {
                let Ok(mut last) = self.last.lock() else {
                    return;
                };
                if last.elapsed() >= Duration::from_secs(5) {
                    *last = Instant::now();
                    let total = self.total.lock().map(|t| *t).unwrap_or(0).max(1);
                    eprintln!(
                        "ingest: {:.0}% ({:.1}/{:.1} MB read, {}, {:.0} s)",
                        100.0 * bytes as f64 / total as f64,
                        bytes as f64 / 1e6,
                        total as f64 / 1e6,
                        Reporter::message(docs, &self.ocr),
                        self.started.elapsed().as_secs_f64()
                    );
                }
            }
        }
    }

    fn committing(&self) {
        match &self.bar {
            Some(bar) => bar.set_message("committing…"),
            None => eprintln!("ingest: committing"),
        }
    }

    fn merging(&self) {
        match &self.bar {
            Some(bar) => bar.set_message("merging segments…"),
            None => eprintln!("ingest: merging segments"),
        }
    }

    fn finish(&self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Prints a summary for people.
pub fn print_summary(s: &Summary, elapsed: Duration, dir: &std::path::Path) {
    let secs = elapsed.as_secs_f64().max(1e-9);
    println!(
        "indexed {}, updated {}, unchanged {}, skipped {}, failed {} — {:.1} MB of text in {:.1} s ({:.1} MB/s); {} holds {} documents",
        s.indexed,
        s.updated,
        s.unchanged,
        s.skipped.len(),
        s.failed.len(),
        s.text_bytes as f64 / 1e6,
        secs,
        s.text_bytes as f64 / 1e6 / secs,
        dir.display(),
        s.total_docs
    );
    for p in &s.skipped {
        println!("skipped: {}: {}", p.location, p.reason);
    }
    for p in &s.failed {
        println!("failed: {}: {}", p.location, p.reason);
    }
    if let Some(why) = &s.unmerged {
        println!(
            "warning: every document is committed, but the index could not be merged into one \
             segment ({why}); searches cost a little more until `kehoach ingest --rebuild` \
             merges it with room to spare"
        );
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let counters = Arc::new(OcrCounters::default());
    let opts = IngestOptions {
        read: args.read_options(counters.clone()),
        rebuild: args.rebuild,
        threads: args.threads,
        themes: args.themes.clone(),
        commit_every: args.commit_every,
        commit_interval: std::time::Duration::from_secs(args.commit_interval.max(1)),
        ..IngestOptions::default()
    };
    let started = Instant::now();
    let reporter = Reporter::with_ocr(counters.clone());
    let summary = index::ingest(&args.index, &args.paths, &opts, &reporter)?;
    if args.json {
        let problems = |v: &[index::Problem]| {
            v.iter()
                .map(|p| serde_json::json!({"location": p.location, "reason": p.reason}))
                .collect::<Vec<_>>()
        };
        println!(
            "{}",
            serde_json::json!({
                "indexed": summary.indexed,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "skipped": problems(&summary.skipped),
                "failed": problems(&summary.failed),
                "text_bytes": summary.text_bytes,
                "total_docs": summary.total_docs,
                "unmerged": summary.unmerged,
                "seconds": started.elapsed().as_secs_f64(),
                "ocr_pages": counters.pages(),
                "ocr_seconds": counters.millis() as f64 / 1e3,
            })
        );
    } else {
        print_summary(&summary, started.elapsed(), &args.index);
        if counters.pages() > 0 {
            println!(
                "OCR read {} scanned page(s) in {:.1} s of process time",
                counters.pages(),
                counters.millis() as f64 / 1e3
            );
        }
    }
    if summary.nothing_usable() {
        eprintln!("kehoach: nothing could be indexed");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
