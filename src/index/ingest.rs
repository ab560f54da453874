//! Parallel, incremental, crash-safe ingestion.
//!
//! A reader thread streams [`Item`]s out of the input files into a bounded
//! channel; the calling thread gathers them into batches, understands each batch
//! in parallel with rayon, and hands the documents to tantivy's writer, which
//! indexes on its own threads. Memory stays bounded whatever the corpus size: the
//! channel, the batch and the writer's arena are all capped.
//!
//! Unchanged items (same id, same content hash) are skipped before any work;
//! changed ones replace the old version (delete + add in the same commit). Commits
//! are tantivy's atomic commits: a process killed at any moment leaves the index at
//! its last commit.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::schema::Analysed;
use super::source::{self, Item, Payload, Problem, ProblemKind};
use crate::document::{clean, PartialDate, ReadOptions, Record, Understander};
use crate::{Error, Result};

/// Options of an ingestion run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Start from an empty index (committed only at the end, so a failed rebuild
    /// leaves the previous index untouched).
    pub rebuild: bool,
    /// Worker threads for understanding (0 = one per core).
    pub threads: usize,
    /// Commit every this many new or changed documents (incremental runs only);
    /// 0 commits by time instead, every [`IngestOptions::commit_interval`].
    pub commit_every: usize,
    /// With `commit_every` 0, commit when this much time has passed since the last
    /// commit (incremental runs only), so an interrupted run loses at most this much
    /// work. A commit makes tantivy finish its segments: committing by time keeps
    /// that pause rare on fast runs.
    pub commit_interval: std::time::Duration,
    /// Memory budget of tantivy's writer, in bytes.
    pub writer_memory: usize,
    /// A replacement theme taxonomy (TSV), instead of the built-in one.
    pub themes: Option<PathBuf>,
    /// How files are read (OCR of scanned PDF pages).
    pub read: ReadOptions,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            rebuild: false,
            threads: 0,
            commit_every: 0,
            commit_interval: std::time::Duration::from_secs(60),
            writer_memory: 256 << 20,
            themes: None,
            read: ReadOptions::default(),
        }
    }
}

/// What an ingestion run did.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Documents new to the index.
    pub indexed: u64,
    /// Documents whose content changed and were replaced.
    pub updated: u64,
    /// Documents already indexed with the same content.
    pub unchanged: u64,
    /// Inputs deliberately not read (unsupported type, duplicate id…), with the reason.
    pub skipped: Vec<Problem>,
    /// Inputs that could not be read or understood, with the reason.
    pub failed: Vec<Problem>,
    /// Bytes of text indexed (new and updated documents).
    pub text_bytes: u64,
    /// Documents in the index after the run.
    pub total_docs: u64,
    /// Why an index built from nothing was left in several segments (the merge into
    /// one failed, e.g. on a full disk). Every document is committed and searchable
    /// all the same; searches cost a little more.
    pub unmerged: Option<String>,
}

impl Summary {
    /// True when the run indexed nothing and found nothing already indexed.
    pub fn nothing_usable(&self) -> bool {
        self.indexed + self.updated + self.unchanged == 0
    }
}

/// Receives progress reports; implemented by the CLI (a bar on a terminal,
/// plain lines otherwise).
pub trait Progress: Sync {
    /// The run starts with `total_bytes` of input to read.
    fn start(&self, total_bytes: u64);
    /// `bytes` of input read so far, `docs` documents processed.
    fn update(&self, bytes: u64, docs: u64);
    /// A commit is being written.
    fn committing(&self);
    /// The segments of an index built from nothing are being merged into one.
    fn merging(&self) {}
    /// The run is over.
    fn finish(&self);
}

/// A [`Progress`] that reports nothing.
#[derive(Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64) {}
    fn update(&self, _: u64, _: u64) {}
    fn committing(&self) {}
    fn finish(&self) {}
}

const BATCH_DOCS: usize = 512;
const BATCH_BYTES: usize = 16 << 20;

/// Turns a writer error into one a person can act on. When tantivy's indexing
/// thread dies on an I/O error, the writer only reports "an index writer was
/// killed"; the usual cause is a full disk, so the folder is probed with a small
/// write and, if that fails, its error (e.g. "No space left on device") is what
/// is reported. The index itself stays at its last commit.
fn explain(dir: &Path, e: tantivy::TantivyError) -> Error {
    use std::io::Write;
    let probe = dir.join(".kehoach-space-probe");
    let written = std::fs::File::create(&probe).and_then(|mut f| {
        f.write_all(&[0u8; 1 << 20])?;
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    match written {
        Err(source) => Error::IndexWrite {
            path: dir.to_path_buf(),
            source,
        },
        Ok(()) => Error::from(e),
    }
}

/// Ingests `paths` (files and folders) into the index in `dir`, creating it if needed.
///
/// ```no_run
/// use std::path::{Path, PathBuf};
/// use kehoach::index::{ingest, IngestOptions, NoProgress};
///
/// let summary = ingest(
///     Path::new("index"),
///     &[PathBuf::from("corpus")],
///     &IngestOptions::default(),
///     &NoProgress,
/// )?;
/// println!("{} new, {} failed", summary.indexed, summary.failed.len());
/// # Ok::<(), kehoach::Error>(())
/// ```
pub fn ingest(
    dir: &Path,
    paths: &[PathBuf],
    opts: &IngestOptions,
    progress: &dyn Progress,
) -> Result<Summary> {
    let understander = match &opts.themes {
        Some(path) => Understander::with_themes(path)?,
        None => Understander::new(),
    };
    let (files, problems) = source::discover(paths);
    let mut summary = Summary::default();
    for p in problems {
        if p.kind.is_skip() {
            summary.skipped.push(p);
        } else {
            summary.failed.push(p);
        }
    }
    let mut run = Run::open_writer(dir, opts, progress, &understander)?;
    let total_bytes: u64 = files.iter().map(|f| f.size).sum();
    progress.start(total_bytes);
    let consumed = Arc::new(AtomicU64::new(0));
    std::thread::scope(|scope| {
        let rx = spawn_reader(scope, &files, &consumed);
        run.consume(rx, &consumed, &mut summary)
    })?;
    run.finish(summary)
}

/// One ingestion run: the writer, what the index already holds, the workers,
/// and when the last commit was.
struct Run<'a> {
    dir: &'a Path,
    opts: &'a IngestOptions,
    progress: &'a dyn Progress,
    understander: &'a Understander,
    index: tantivy::Index,
    fields: super::Fields,
    writer: IndexWriter<TantivyDocument>,
    /// Id → content hash of the documents in the index before the run (none for a
    /// rebuild or a first build: an index built from nothing).
    existing: HashMap<String, String>,
    pool: rayon::ThreadPool,
    since_commit: usize,
    last_commit: Instant,
}

/// Items understood in parallel: the item, its document or why not, its text length.
type Understood = Vec<(Item, std::result::Result<TantivyDocument, Problem>, u64)>;

impl<'a> Run<'a> {
    /// Opens (or creates) the index and its writer — a second writer gets
    /// [`Error::Locked`] — and starts the understanding workers. A rebuild of an
    /// outdated index clears it first; a rebuild deletes every document in the
    /// same commit that adds the new ones.
    fn open_writer(
        dir: &'a Path,
        opts: &'a IngestOptions,
        progress: &'a dyn Progress,
        understander: &'a Understander,
    ) -> Result<Run<'a>> {
        if opts.rebuild && super::outdated(dir) {
            // Nothing in an index of an older schema can be kept; nothing is committed
            // before the rebuild ends, so a crash leaves no index rather than half of one.
            super::clear_outdated(dir)?;
        }
        let index = super::open_or_create(dir)?;
        let fields = super::fields(&index, dir)?;
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            opts.threads
        };
        let writer: IndexWriter<TantivyDocument> = index
            .writer_with_num_threads(
                threads.clamp(1, 4),
                opts.writer_memory.max(15 << 20) * threads.clamp(1, 4),
            )
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::Locked(dir.to_path_buf()),
                other => Error::from(other),
            })?;
        let existing = if opts.rebuild {
            writer.delete_all_documents()?;
            HashMap::new()
        } else {
            super::load_hashes(&index)?
        };
        // An index built from nothing ends merged into one segment (see `finish`):
        // merges on the way would be redone.
        if existing.is_empty() {
            writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::IndexUnusable {
                path: dir.to_path_buf(),
                reason: format!("cannot start worker threads: {e}"),
            })?;
        Ok(Run {
            dir,
            opts,
            progress,
            understander,
            index,
            fields,
            writer,
            existing,
            pool,
            since_commit: 0,
            last_commit: Instant::now(),
        })
    }

    /// Takes the reader's items: duplicates and unchanged items are counted and
    /// dropped, the others gathered into batches of at most [`BATCH_DOCS`] items or
    /// [`BATCH_BYTES`] bytes and indexed batch by batch.
    fn consume(
        &mut self,
        rx: crossbeam_channel::Receiver<Result<Item, Problem>>,
        consumed: &AtomicU64,
        summary: &mut Summary,
    ) -> Result<()> {
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut batch: Vec<Item> = Vec::with_capacity(BATCH_DOCS);
        let mut batch_bytes = 0usize;
        let mut docs_done = 0u64;
        for r in rx.iter() {
            docs_done += 1;
            let item = match r {
                Err(p) => {
                    summary.failed.push(p);
                    continue;
                }
                Ok(item) => item,
            };
            if let Some(first) = seen.get(&item.id) {
                summary.skipped.push(Problem {
                    kind: ProblemKind::DuplicateId,
                    location: item.source.clone(),
                    reason: format!("duplicate id {:?} (first read from {first})", item.id),
                });
                continue;
            }
            seen.insert(item.id.clone(), item.source.clone());
            if self.existing.get(&item.id) == Some(&item.hash) {
                summary.unchanged += 1;
                continue;
            }
            batch_bytes += match &item.payload {
                Payload::File(b) => b.len(),
                Payload::Record(r) => r.text.as_ref().map_or(0, String::len),
            };
            batch.push(item);
            if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                self.add_batch(std::mem::take(&mut batch), summary)?;
                batch_bytes = 0;
                self.progress
                    .update(consumed.load(Ordering::Relaxed), docs_done);
            }
        }
        self.add_batch(batch, summary)?;
        self.progress
            .update(consumed.load(Ordering::Relaxed), docs_done);
        Ok(())
    }

    /// Understands a batch and hands its documents to the writer (a changed
    /// document replaces its old version), then commits if one is due.
    fn add_batch(&mut self, batch: Vec<Item>, summary: &mut Summary) -> Result<()> {
        for (item, doc, len) in self.understand_batch(batch) {
            match doc {
                Ok(doc) => {
                    if self.existing.contains_key(&item.id) {
                        self.writer
                            .delete_term(Term::from_field_text(self.fields.id, &item.id));
                        summary.updated += 1;
                    } else {
                        summary.indexed += 1;
                    }
                    self.writer
                        .add_document(doc)
                        .map_err(|e| explain(self.dir, e))?;
                    summary.text_bytes += len;
                    self.since_commit += 1;
                }
                Err(p) => summary.failed.push(p),
            }
        }
        self.commit_if_due()
    }

    /// Reads, understands and turns into tantivy documents the items of a batch,
    /// in parallel on the run's workers.
    fn understand_batch(&self, batch: Vec<Item>) -> Understood {
        let (u, read, fields) = (self.understander, &self.opts.read, &self.fields);
        self.pool.install(|| {
            batch
                .into_par_iter()
                .map(|item| match understand_item(u, read, &item) {
                    Ok((rec, body)) => {
                        let len = rec.text.len() as u64;
                        let doc = fields.to_document_analysed(
                            &item.id,
                            &item.source,
                            &item.hash,
                            rec,
                            body,
                        );
                        (item, Ok(doc), len)
                    }
                    Err(p) => (item, Err(p), 0),
                })
                .collect()
        })
    }

    /// Commits an incremental run every [`IngestOptions::commit_every`] documents,
    /// or (with 0) when [`IngestOptions::commit_interval`] has passed since the
    /// last commit. A rebuild commits only at the end.
    fn commit_if_due(&mut self) -> Result<()> {
        let due = if self.opts.commit_every > 0 {
            self.since_commit >= self.opts.commit_every
        } else {
            self.since_commit > 0 && self.last_commit.elapsed() >= self.opts.commit_interval
        };
        if !self.opts.rebuild && due {
            self.progress.committing();
            self.writer.commit().map_err(|e| explain(self.dir, e))?;
            self.since_commit = 0;
            self.last_commit = Instant::now();
        }
        Ok(())
    }

    /// The final commit; waits for merges and counts the documents. An index built
    /// from nothing (a rebuild or a first build) is then merged into one segment, as
    /// a search engine's read-only index is (Lucene's `forceMerge(1)`): each search
    /// term is looked up and its postings opened once instead of once per segment,
    /// 6–12 % less CPU per search from VNTC to VNTC ×8 (ARCHITECTURE.md, "How does
    /// cost grow?"). The merge rewrites postings and positions and copies the stored
    /// documents' compressed blocks: about 12 % more ingest CPU, 43 s for the 3.7 GB
    /// of VNTC ×8 on 2 cores. Runs that add to an index keep tantivy's merge policy:
    /// merging the whole index at every run would rewrite it.
    fn finish(mut self, mut summary: Summary) -> Result<Summary> {
        self.progress.committing();
        self.writer.commit().map_err(|e| explain(self.dir, e))?;
        if self.existing.is_empty() {
            summary.unmerged = self.merge_all().err();
        }
        self.writer
            .wait_merging_threads()
            .map_err(|e| explain(self.dir, e))?;
        self.progress.finish();
        let reader = self.index.reader()?;
        summary.total_docs = reader.searcher().num_docs();
        Ok(summary)
    }

    /// Merges every segment into one, then deletes the merged segments' files. A
    /// failure (tantivy's reason) leaves the index at its last commit, all
    /// documents in it.
    fn merge_all(&mut self) -> std::result::Result<(), String> {
        let segments = self
            .index
            .searchable_segment_ids()
            .map_err(|e| e.to_string())?;
        if segments.len() > 1 {
            self.progress.merging();
            self.writer
                .merge(&segments)
                .wait()
                .map_err(|e| e.to_string())?;
            self.writer
                .garbage_collect_files()
                .wait()
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// Starts the reader thread: it streams the items of `files` into a bounded
/// channel (memory stays bounded however large the corpus) and counts the bytes
/// read in `consumed`. It stops quietly when the receiver is dropped (on a fatal
/// error of the run).
fn spawn_reader<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    files: &'scope [source::InputFile],
    consumed: &'scope Arc<AtomicU64>,
) -> crossbeam_channel::Receiver<Result<Item, Problem>> {
    let (tx, rx) = crossbeam_channel::bounded::<Result<Item, Problem>>(2 * BATCH_DOCS);
    scope.spawn(move || {
        for f in files {
            let flow = source::read_file(f, consumed, &mut |r| match tx.send(r) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            });
            if flow.is_break() {
                break;
            }
        }
    });
    rx
}

/// Reads, analyses and understands one item; record fields given in the input take
/// precedence. The body is analysed once ([`Analysed::new`]) and that analysis
/// serves both understanding and the index.
fn understand_item(
    u: &Understander,
    read: &ReadOptions,
    item: &Item,
) -> std::result::Result<(Record, Analysed), Problem> {
    let problem = |kind: ProblemKind, reason: String| Problem {
        kind,
        location: item.source.clone(),
        reason,
    };
    match &item.payload {
        Payload::File(bytes) => {
            let read =
                crate::document::read(Path::new(&item.source), bytes, read).map_err(|e| {
                    problem(
                        ProblemKind::Undecodable,
                        strip_path(&e.to_string(), &item.source),
                    )
                })?;
            let body = Analysed::new(&read.text);
            let mut rec = u.understand_analysed(&read.text, &body.streams);
            rec.origin = Some(read.origin);
            Ok((rec, body))
        }
        Payload::Record(rec) => {
            let raw = rec.text.as_deref().unwrap_or_default();
            let text = clean::clean(&crate::document::repair::repair_split_syllables(raw).text);
            let body = Analysed::new(&text);
            let mut out = u.understand_analysed(&text, &body.streams);
            apply_overrides(&mut out, rec).map_err(|r| problem(ProblemKind::BadRecord, r))?;
            Ok((out, body))
        }
    }
}

/// Errors already name the path; avoid `path: path: reason`.
fn strip_path(msg: &str, path: &str) -> String {
    msg.strip_prefix(path)
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(msg)
        .to_string()
}

fn apply_overrides(out: &mut Record, rec: &source::JsonRecord) -> std::result::Result<(), String> {
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    if let Some(t) = given(&rec.title) {
        out.title = Some(t);
    }
    if let Some(d) = given(&rec.date) {
        out.date = Some(
            PartialDate::parse_lenient(&d)
                .map_err(|e| format!("record has an unreadable \"date\": {e}"))?,
        );
    }
    if let Some(p) = given(&rec.province) {
        // A known province (any spelling) gets its canonical name and its
        // post-2025 unit; anything else is kept as given.
        match crate::document::places::province(&p) {
            Some(known) => {
                out.province = Some(known.name.clone());
                out.province_current = Some(known.current.clone());
            }
            None => {
                out.province = Some(p);
                out.province_current = None;
            }
        }
    }
    if let Some(t) = given(&rec.doc_type) {
        out.doc_type = Some(t);
    }
    if let Some(n) = given(&rec.number) {
        out.number = Some(crate::document::references::canonical_key(&n).unwrap_or(n));
    }
    if let Some(i) = given(&rec.issuer) {
        out.issuer = Some(i);
    }
    Ok(())
}
