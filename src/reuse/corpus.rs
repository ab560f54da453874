//! Reuse over an index: who shares passages with whom, which is the source, and
//! how much of a document is reused.
//!
//! ## Candidates
//! Aligning a document with every other one would be quadratic, so the corpus is
//! first fingerprinted: every run of [`SHINGLE`] syllables of the stored syllable
//! stream is hashed, and **winnowing** (Schleimer, Wilkerson & Aiken, SIGMOD 2003)
//! keeps the smallest hash of every [`WINDOW`] consecutive runs — a document keeps
//! about 2/(WINDOW+1) of its runs, and any passage of at least `SHINGLE + WINDOW −
//! 1` = 8 syllables shared verbatim shares at least one fingerprint. The
//! fingerprints of the whole corpus are one sorted array (hash, document), built on
//! first use for each index commit and kept ([`Reuse`]). A fingerprint found in at
//! least [`boilerplate_threshold`] documents is **boilerplate** (mottos, recipient
//! lists, formulae) and is never a candidate nor counted in a passage.
//!
//! The documents sharing the most non-boilerplate fingerprints with a document
//! (at most [`MAX_CANDIDATES`]) are aligned with it ([`super::align`]).
//!
//! ## Direction
//! Between two documents the source is the earlier by date of issue ([`Rule::Date`]:
//! one's last possible day is before the other's first); when dates do not decide,
//! a document cited by the other is its source ([`Rule::Citation`]); otherwise the
//! direction is [`Direction::Unknown`] ([`Rule::None`]).
//!
//! ## Shares
//! A document's **share** reused from a source is the fraction of its syllables
//! inside passages shared with that source; its total share is the fraction inside
//! any passage shared with any of its sources.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;
use tantivy::index::SegmentId;
use tantivy::schema::Value;
use tantivy::{Opstamp, TantivyDocument};

use super::align::{align_prepared, AlignOptions, Edit, Prepared};
use super::boilerplate::SHINGLE;
use super::syllables::{hash_str, mix, Syl};
use crate::document::{fold_number, PartialDate, Record};
use crate::index::syllables as stream;
use crate::query::{select, Engine, Filters};
use crate::table::{Cell, CsvTable, RowSink};
use crate::{Error, Result};

/// Consecutive runs among which winnowing keeps the smallest hash.
pub const WINDOW: usize = 4;
/// Documents aligned with one document at most (those sharing most fingerprints).
pub const MAX_CANDIDATES: usize = 50;

/// Fingerprints in at least this many documents are boilerplate: 5% of the
/// corpus, and never fewer than 5 documents (so that in a small corpus a passage
/// three documents share is still reuse).
pub fn boilerplate_threshold(documents: usize) -> usize {
    documents.div_ceil(20).max(5)
}

/// Which way text went between a document and another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The other document is the source: this one copied from it.
    Source,
    /// The other document is a copy: it copied from this one.
    Copy,
    /// Neither dates nor citations decide.
    Unknown,
}

/// What decided a [`Direction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The earlier date of issue.
    Date,
    /// One document cites the other.
    Citation,
    /// Nothing decided.
    None,
}

impl Rule {
    fn name(self) -> &'static str {
        match self {
            Rule::Date => "date",
            Rule::Citation => "citation",
            Rule::None => "none",
        }
    }
}

/// One passage a document shares with another.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Passage {
    /// The other document's id.
    pub doc: String,
    /// Start of the passage in this document's text (bytes, as stored at ingest).
    pub start: usize,
    /// End of the passage in this document's text.
    pub end: usize,
    /// Start of the passage in the other document's text.
    pub doc_start: usize,
    /// End of the passage in the other document's text.
    pub doc_end: usize,
    /// Syllables of the passage in this document.
    pub syllables: usize,
    /// 2·matched / (syllables here + syllables there).
    pub similarity: f64,
    /// `source`: the other document is this one's source; `copy`: it copies this one.
    pub direction: Direction,
    /// What decided the direction.
    pub rule: Rule,
    /// What differs, with spans in both texts.
    pub edits: Vec<Edit>,
}

/// A document's reuse with one other document.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Share {
    /// The other document's id.
    pub doc: String,
    /// Its number, title and date, to show it.
    pub number: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its date of issue.
    #[schema(value_type = Option<String>)]
    pub date: Option<PartialDate>,
    /// Which way the text went.
    pub direction: Direction,
    /// What decided it.
    pub rule: Rule,
    /// Passages shared.
    pub passages: usize,
    /// Syllables of this document inside them.
    pub syllables: usize,
    /// Their share of this document's syllables.
    pub share: f64,
}

/// The answer of `kehoach reuse ID` and `GET /api/documents/{id}/reuse`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DocumentReuse {
    /// The document.
    pub id: String,
    /// Share of its syllables inside passages taken from its sources.
    pub share: f64,
    /// Its syllables.
    pub syllables: usize,
    /// The documents it took text from, most text first.
    pub sources: Vec<Share>,
    /// The documents that took text from it, most text first.
    pub copies: Vec<Share>,
    /// Documents sharing text with it whose direction is unknown.
    pub unknown: Vec<Share>,
    /// Every passage, in the order of this document's text.
    pub passages: Vec<Passage>,
}

/// A pair of documents sharing text (`GET /api/reuse`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReusePair {
    /// The source (with [`Rule::None`], the first of the two by id).
    pub source: String,
    /// The copy.
    pub copy: String,
    /// What decided which is which.
    pub rule: Rule,
    /// Passages shared.
    pub passages: usize,
    /// Syllables of the copy inside them.
    pub syllables: usize,
    /// Their share of the copy's syllables.
    pub copy_share: f64,
    /// The passages' share of the source's syllables.
    pub source_share: f64,
    /// Mean similarity of the passages, weighted by length.
    pub similarity: f64,
}

/// The answer of `GET /api/reuse`: pairs, most reused text first.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReusePairs {
    /// Documents in the subcorpus.
    pub documents: usize,
    /// Candidate pairs found by fingerprints (before alignment).
    pub candidates: usize,
    /// The pairs, most reused syllables first.
    pub pairs: Vec<ReusePair>,
}

/// What is kept of each document.
#[derive(Debug, Clone)]
struct DocMeta {
    id: String,
    date: Option<PartialDate>,
    number: Option<String>,
    title: Option<String>,
    number_fold: Option<String>,
    cites: HashSet<String>,
}

/// The fingerprints of one index commit.
#[derive(Debug)]
struct Fingerprints {
    docs: Vec<DocMeta>,
    by_id: HashMap<String, u32>,
    /// (hash, document), sorted.
    prints: Vec<(u64, u32)>,
    boilerplate: Arc<HashSet<u64>>,
}

impl Fingerprints {
    /// Estimated bytes: the fingerprints, what is kept of each document, the
    /// index by id and the boilerplate set.
    fn weight(&self) -> usize {
        use crate::query::Weigh;
        use std::mem::size_of;
        let docs: usize = self
            .docs
            .iter()
            .map(|d| {
                size_of::<DocMeta>()
                    + d.id.capacity()
                    + d.number.weight()
                    + d.title.weight()
                    + d.number_fold.weight()
                    + d.cites.capacity() * (size_of::<String>() + 1)
                    + d.cites.iter().map(String::capacity).sum::<usize>()
            })
            .sum();
        self.prints.capacity() * size_of::<(u64, u32)>()
            + docs
            + self.by_id.capacity() * (size_of::<(String, u32)>() + 1)
            + self.by_id.keys().map(String::capacity).sum::<usize>()
            + self.boilerplate.capacity() * (size_of::<u64>() + 1)
    }
}

/// The winnowed fingerprints of a syllable-hash sequence, deduplicated.
fn winnow(hashes: &[u64]) -> Vec<u64> {
    if hashes.len() < SHINGLE {
        return Vec::new();
    }
    let runs: Vec<u64> = (0..=hashes.len() - SHINGLE)
        .map(|i| {
            hashes[i..i + SHINGLE]
                .iter()
                .fold(0x9e37_79b9_7f4a_7c15_u64, |h, s| mix(h ^ s).rotate_left(7))
        })
        .collect();
    let mut out: Vec<u64> = runs
        .windows(WINDOW.min(runs.len()))
        .filter_map(|w| w.iter().copied().min())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The fingerprints of `prints` (sorted `(fingerprint, document)` pairs, each
/// pair once) found in at least [`boilerplate_threshold`] of `documents`.
fn frequent(prints: &[(u64, u32)], documents: usize) -> HashSet<u64> {
    let threshold = boilerplate_threshold(documents);
    prints
        .chunk_by(|x, y| x.0 == y.0)
        .filter(|group| group.len() >= threshold)
        .map(|group| group[0].0)
        .collect()
}

/// The boilerplate of a corpus given as texts, as a service finds it in its
/// index: the fingerprints in at least [`boilerplate_threshold`] of the texts.
/// For [`super::AlignOptions::boilerplate`] when texts are compared outside an
/// index (an evaluation, files compared against their collection).
pub fn corpus_boilerplate<'t>(texts: impl IntoIterator<Item = &'t str>) -> HashSet<u64> {
    let mut prints = Vec::new();
    let mut documents = 0;
    for (n, text) in texts.into_iter().enumerate() {
        let hashes: Vec<u64> = super::syllables::syllables(text)
            .iter()
            .map(|s| s.hash)
            .collect();
        prints.extend(winnow(&hashes).into_iter().map(|h| (h, n as u32)));
        documents += 1;
    }
    prints.sort_unstable();
    frequent(&prints, documents)
}

impl Fingerprints {
    fn build(engine: &Engine, searcher: &tantivy::Searcher) -> Result<Fingerprints> {
        let f = engine.fields();
        let mut docs = Vec::new();
        let mut prints = Vec::new();
        for seg in searcher.segment_readers() {
            let store = seg
                .get_store_reader(64)
                .map_err(tantivy::TantivyError::from)?;
            for doc_id in seg.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id)?;
                let text = |field| doc.get_first(field).and_then(|v| v.as_str());
                let Some(id) = text(f.id) else { continue };
                let rec: Record = text(f.meta)
                    .and_then(|m| serde_json::from_str(m).ok())
                    .unwrap_or_default();
                let bytes = doc
                    .get_first(f.syllables)
                    .and_then(|v| v.as_bytes())
                    .unwrap_or_default();
                let hashes: Vec<u64> = String::from_utf8_lossy(bytes)
                    .split([stream::SYLLABLE_SEPARATOR, stream::RUN_SEPARATOR])
                    .filter(|s| !s.is_empty())
                    .map(hash_str)
                    .collect();
                let n = docs.len() as u32;
                prints.extend(winnow(&hashes).into_iter().map(|h| (h, n)));
                docs.push(DocMeta {
                    id: id.to_string(),
                    date: rec.date,
                    number_fold: rec.number.as_deref().map(fold_number),
                    number: rec.number,
                    title: rec.title,
                    cites: rec.references.iter().map(|r| fold_number(&r.key)).collect(),
                });
            }
        }
        prints.par_sort_unstable();
        let boilerplate = frequent(&prints, docs.len());
        let by_id = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i as u32))
            .collect();
        Ok(Fingerprints {
            docs,
            by_id,
            prints,
            boilerplate: Arc::new(boilerplate),
        })
    }

    /// The documents in the posting of `h`.
    fn posting(&self, h: u64) -> &[(u64, u32)] {
        let lo = self.prints.partition_point(|p| p.0 < h);
        let hi = self.prints.partition_point(|p| p.0 <= h);
        &self.prints[lo..hi]
    }
}

/// Which way text went from `other` to `this`.
fn direction(this: &DocMeta, other: &DocMeta) -> (Direction, Rule) {
    if let (Some(a), Some(b)) = (this.date, other.date) {
        if b.last_day() < a.first_day() {
            return (Direction::Source, Rule::Date);
        }
        if a.last_day() < b.first_day() {
            return (Direction::Copy, Rule::Date);
        }
    }
    if other
        .number_fold
        .as_ref()
        .is_some_and(|n| this.cites.contains(n))
    {
        return (Direction::Source, Rule::Citation);
    }
    if this
        .number_fold
        .as_ref()
        .is_some_and(|n| other.cites.contains(n))
    {
        return (Direction::Copy, Rule::Citation);
    }
    (Direction::Unknown, Rule::None)
}

type Key = std::collections::BTreeMap<SegmentId, Option<Opstamp>>;

/// Text reuse over an engine's index, with the fingerprints of the current commit
/// kept (built on first use; a new commit builds them again).
#[derive(Debug)]
pub struct Reuse {
    engine: Arc<Engine>,
    current: Mutex<Option<(Key, Arc<Fingerprints>)>>,
    building: Mutex<()>,
    /// Estimated bytes of the current fingerprints, measured once when built.
    bytes: std::sync::atomic::AtomicU64,
}

/// The syllable index holding byte `at` (the first syllable ending after it).
fn syllable_at(syl: &[Syl], at: usize) -> usize {
    syl.partition_point(|s| s.end <= at)
}

/// Syllables of `syl` covered by the byte spans `spans`.
fn covered(syl: &[Syl], spans: impl Iterator<Item = (usize, usize)>) -> usize {
    let mut mark = vec![false; syl.len()];
    for (s, e) in spans {
        for m in mark
            .iter_mut()
            .take(syl_end(syl, e))
            .skip(syllable_at(syl, s))
        {
            *m = true;
        }
    }
    mark.iter().filter(|m| **m).count()
}

fn syl_end(syl: &[Syl], end: usize) -> usize {
    syl.partition_point(|s| s.start < end)
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl Reuse {
    /// Reuse over `engine`'s index.
    pub fn new(engine: Arc<Engine>) -> Reuse {
        Reuse {
            engine,
            current: Mutex::new(None),
            building: Mutex::new(()),
            bytes: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Its entry (the fingerprints of the last commit asked for), for `/healthz`.
    pub fn usage(&self) -> crate::query::CacheUsage {
        let cur = self.current.lock().unwrap_or_else(|p| p.into_inner());
        crate::query::CacheUsage {
            name: "text reuse fingerprints".into(),
            entries: u64::from(cur.is_some()),
            bytes: self.bytes.load(std::sync::atomic::Ordering::Relaxed),
            max_entries: None,
            max_bytes: None,
            note: "one set, of the last commit asked for; grows with the corpus's text".into(),
        }
    }

    fn cached(&self, key: &Key) -> Option<Arc<Fingerprints>> {
        let cur = self.current.lock().unwrap_or_else(|p| p.into_inner());
        cur.as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, f)| Arc::clone(f))
    }

    /// The fingerprints of the current commit (blocks while building them).
    fn fingerprints(&self) -> Result<Arc<Fingerprints>> {
        let searcher = self.engine.searcher();
        let key: Key = searcher.generation().segments().clone();
        if let Some(f) = self.cached(&key) {
            return Ok(f);
        }
        let _building = self.building.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = self.cached(&key) {
            return Ok(f);
        }
        let f = Arc::new(Fingerprints::build(&self.engine, &searcher)?);
        self.bytes
            .store(f.weight() as u64, std::sync::atomic::Ordering::Relaxed);
        let mut cur = self.current.lock().unwrap_or_else(|p| p.into_inner());
        *cur = Some((key, Arc::clone(&f)));
        Ok(f)
    }

    fn options(fp: &Fingerprints) -> AlignOptions {
        AlignOptions {
            boilerplate: Some(Arc::clone(&fp.boilerplate)),
            ..AlignOptions::default()
        }
    }

    /// The passages document `id` shares with others, their directions and shares.
    pub fn document(&self, id: &str) -> Result<DocumentReuse> {
        let fp = self.fingerprints()?;
        let Some(&me) = fp.by_id.get(id) else {
            return Err(Error::NotFound(id.to_string()));
        };
        let this = &fp.docs[me as usize];
        let text = self.engine.document(id)?.record.text;
        let this_text = Prepared::new(&text);
        let syl = &this_text.syl;
        let mine = winnow(&syl.iter().map(|s| s.hash).collect::<Vec<_>>());
        let mut shared: HashMap<u32, usize> = HashMap::new();
        for h in mine.iter().filter(|h| !fp.boilerplate.contains(h)) {
            for &(_, d) in fp.posting(*h) {
                if d != me {
                    *shared.entry(d).or_default() += 1;
                }
            }
        }
        let mut candidates: Vec<(u32, usize)> = shared.into_iter().collect();
        candidates.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        candidates.truncate(MAX_CANDIDATES);
        let opts = Self::options(&fp);
        let found: Vec<(u32, Vec<super::Match>)> = candidates
            .par_iter()
            .map(|&(d, _)| -> Result<(u32, Vec<super::Match>)> {
                let other = self.engine.document(&fp.docs[d as usize].id)?.record.text;
                let m = align_prepared(&this_text, &Prepared::new(&other), &opts);
                Ok((d, m))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut passages = Vec::new();
        let (mut sources, mut copies, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
        let mut from_sources: Vec<(usize, usize)> = Vec::new();
        for (d, matches) in found.into_iter().filter(|(_, m)| !m.is_empty()) {
            let other = &fp.docs[d as usize];
            let (dir, rule) = direction(this, other);
            let spans: Vec<(usize, usize)> = matches.iter().map(|m| (m.a_start, m.a_end)).collect();
            let n = covered(syl, spans.iter().copied());
            let share = Share {
                doc: other.id.clone(),
                number: other.number.clone(),
                title: other.title.clone(),
                date: other.date,
                direction: dir,
                rule,
                passages: matches.len(),
                syllables: n,
                share: ratio(n, syl.len()),
            };
            match dir {
                Direction::Source => {
                    from_sources.extend(&spans);
                    sources.push(share);
                }
                Direction::Copy => copies.push(share),
                Direction::Unknown => unknown.push(share),
            }
            passages.extend(matches.into_iter().map(|m| Passage {
                doc: other.id.clone(),
                start: m.a_start,
                end: m.a_end,
                doc_start: m.b_start,
                doc_end: m.b_end,
                syllables: m.syllables,
                similarity: m.similarity,
                direction: dir,
                rule,
                edits: m.edits,
            }));
        }
        for list in [&mut sources, &mut copies, &mut unknown] {
            list.sort_by(|x, y| {
                y.syllables
                    .cmp(&x.syllables)
                    .then_with(|| x.doc.cmp(&y.doc))
            });
        }
        passages.sort_by(|x, y| (x.start, x.end, &x.doc).cmp(&(y.start, y.end, &y.doc)));
        Ok(DocumentReuse {
            id: id.to_string(),
            share: ratio(covered(syl, from_sources.into_iter()), syl.len()),
            syllables: syl.len(),
            sources,
            copies,
            unknown,
            passages,
        })
    }

    /// Pairs of documents sharing text, at least one of them selected by `q` and
    /// `filters`: the `limit` pairs with the most reused syllables among the pairs
    /// sharing the most fingerprints.
    pub fn pairs(&self, q: &str, filters: &Filters, limit: usize) -> Result<ReusePairs> {
        let fp = self.fingerprints()?;
        let searcher = self.engine.searcher();
        let selection = select(&self.engine, &searcher, q, filters)?;
        let chosen: Option<HashSet<u32>> = if selection.is_all() {
            None
        } else {
            Some(
                selection
                    .ids(&searcher)?
                    .iter()
                    .filter_map(|id| fp.by_id.get(id).copied())
                    .collect(),
            )
        };
        let documents = chosen.as_ref().map_or(fp.docs.len(), HashSet::len);
        let counts = candidate_pairs(&fp, chosen.as_ref());
        let candidates = counts.len();
        let mut ranked: Vec<((u32, u32), usize)> = counts.into_iter().collect();
        ranked.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        ranked.truncate(limit.saturating_mul(2).max(limit + 20));
        let opts = Self::options(&fp);
        let mut pairs: Vec<ReusePair> = ranked
            .par_iter()
            .map(|&((x, y), _)| self.pair(&fp, x, y, &opts))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        pairs.sort_by(|x, y| {
            y.syllables
                .cmp(&x.syllables)
                .then_with(|| (&x.source, &x.copy).cmp(&(&y.source, &y.copy)))
        });
        pairs.truncate(limit);
        Ok(ReusePairs {
            documents,
            candidates,
            pairs,
        })
    }

    /// Aligns documents `x` and `y`; `None` when they share no passage.
    fn pair(
        &self,
        fp: &Fingerprints,
        x: u32,
        y: u32,
        opts: &AlignOptions,
    ) -> Result<Option<ReusePair>> {
        let (dx, dy) = (&fp.docs[x as usize], &fp.docs[y as usize]);
        let (dir, rule) = direction(dx, dy);
        // Align the copy against the source (x is the copy unless y copies x).
        let (copy, source) = if dir == Direction::Copy {
            (dy, dx)
        } else {
            (dx, dy)
        };
        let ct = self.engine.document(&copy.id)?.record.text;
        let st = self.engine.document(&source.id)?.record.text;
        let (cp, sp) = (Prepared::new(&ct), Prepared::new(&st));
        let (cs, ss) = (&cp.syl, &sp.syl);
        let m = align_prepared(&cp, &sp, opts);
        if m.is_empty() {
            return Ok(None);
        }
        let n = covered(cs, m.iter().map(|p| (p.a_start, p.a_end)));
        let ns = covered(ss, m.iter().map(|p| (p.b_start, p.b_end)));
        let weight: usize = m.iter().map(|p| p.syllables).sum();
        let sim = m
            .iter()
            .map(|p| p.similarity * p.syllables as f64)
            .sum::<f64>()
            / weight.max(1) as f64;
        Ok(Some(ReusePair {
            source: source.id.clone(),
            copy: copy.id.clone(),
            rule,
            passages: m.len(),
            syllables: n,
            copy_share: ratio(n, cs.len()),
            source_share: ratio(ns, ss.len()),
            similarity: sim,
        }))
    }
}

/// Pairs of documents sharing non-boilerplate fingerprints (one of them in
/// `chosen` when given), with how many they share.
fn candidate_pairs(fp: &Fingerprints, chosen: Option<&HashSet<u32>>) -> HashMap<(u32, u32), usize> {
    let mut counts: HashMap<(u32, u32), usize> = HashMap::new();
    for group in fp.prints.chunk_by(|p, q| p.0 == q.0) {
        if group.len() < 2 || fp.boilerplate.contains(&group[0].0) {
            continue;
        }
        for (n, &(_, x)) in group.iter().enumerate() {
            for &(_, y) in &group[n + 1..] {
                if x == y {
                    continue;
                }
                if chosen.is_some_and(|c| !c.contains(&x) && !c.contains(&y)) {
                    continue;
                }
                *counts.entry((x.min(y), x.max(y))).or_default() += 1;
            }
        }
    }
    counts
}

impl CsvTable for DocumentReuse {
    fn columns(&self) -> Vec<&'static str> {
        vec![
            "doc",
            "direction",
            "rule",
            "start",
            "end",
            "doc_start",
            "doc_end",
            "syllables",
            "similarity",
            "edits",
            "edit_kinds",
        ]
    }

    fn write_rows(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        for p in &self.passages {
            let kinds: Vec<&str> = p.edits.iter().map(|e| e.kind.name()).collect();
            sink.row(&[
                Cell::Text(&p.doc),
                Cell::Text(match p.direction {
                    Direction::Source => "source",
                    Direction::Copy => "copy",
                    Direction::Unknown => "unknown",
                }),
                Cell::Text(p.rule.name()),
                Cell::Int(p.start as u64),
                Cell::Int(p.end as u64),
                Cell::Int(p.doc_start as u64),
                Cell::Int(p.doc_end as u64),
                Cell::Int(p.syllables as u64),
                Cell::Float(p.similarity),
                Cell::Int(p.edits.len() as u64),
                Cell::Text(&kinds.join(" ")),
            ])?;
        }
        Ok(())
    }
}

impl CsvTable for ReusePairs {
    fn columns(&self) -> Vec<&'static str> {
        vec![
            "source",
            "copy",
            "rule",
            "passages",
            "syllables",
            "copy_share",
            "source_share",
            "similarity",
        ]
    }

    fn write_rows(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        for p in &self.pairs {
            sink.row(&[
                Cell::Text(&p.source),
                Cell::Text(&p.copy),
                Cell::Text(p.rule.name()),
                Cell::Int(p.passages as u64),
                Cell::Int(p.syllables as u64),
                Cell::Float(p.copy_share),
                Cell::Float(p.source_share),
                Cell::Float(p.similarity),
            ])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winnowing_keeps_a_shared_passage_and_thins_the_rest() {
        let h: Vec<u64> = (0..100u64).map(mix).collect();
        let w = winnow(&h);
        assert!(w.len() < 60 && w.len() > 20, "{}", w.len());
        // Any 8 shared syllables share a fingerprint.
        let mut other: Vec<u64> = (1000..1040u64).map(mix).collect();
        other.extend_from_slice(&h[30..38]);
        other.extend((2000..2040u64).map(mix));
        let shared = winnow(&other).iter().filter(|x| w.contains(x)).count();
        assert!(shared >= 1);
    }

    #[test]
    fn a_formula_covers_its_own_words_not_the_words_next_to_it() {
        let formulae = [
            "Trong Luật này, các từ ngữ dưới đây được hiểu như sau",
            "Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành",
            "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, ban, ngành",
            "Trong quá trình thực hiện nếu có khó khăn, vướng mắc, đề nghị phản ánh",
        ];
        let copied = "huy động sức mạnh tổng hợp, cổ vũ, động viên tập thể";
        for formula in formulae {
            let texts: Vec<String> = (0..40)
                .map(|n| format!("{formula}: văn bản số {n} quy định riêng về lĩnh vực thứ {n}."))
                .collect();
            let set = corpus_boilerplate(texts.iter().map(String::as_str));
            let boiler = super::super::boilerplate::Boilerplate::new(Some(Arc::new(set)));
            let text = format!("{formula}: {copied}.");
            let syl = super::super::syllables::syllables(&text);
            let covered = boiler.covered(&syl, 0, syl.len());
            let in_formula = syl.iter().filter(|s| s.end <= formula.len()).count();
            assert!(
                covered[in_formula..].iter().all(|c| !c),
                "{formula}: {covered:?}"
            );
            assert!(covered[..in_formula].iter().any(|c| *c), "{formula}");
        }
    }

    #[test]
    fn a_formula_most_texts_share_is_boilerplate_and_a_passage_two_share_is_not() {
        let formula = "Trong Luật này, các từ ngữ dưới đây được hiểu như sau";
        let passage =
            "huy động sức mạnh tổng hợp, cổ vũ, động viên tập thể và cá nhân khắc phục khó khăn";
        let texts: Vec<String> = (0..40)
            .map(|n| {
                let own = format!("văn bản số {n} quy định riêng về lĩnh vực thứ {n} của tỉnh");
                let shared = if n < 2 { passage } else { "" };
                format!("{formula}. {own}. {shared}")
            })
            .collect();
        let set = corpus_boilerplate(texts.iter().map(String::as_str));
        let prints = |t: &str| {
            winnow(
                &super::super::syllables::syllables(t)
                    .iter()
                    .map(|s| s.hash)
                    .collect::<Vec<_>>(),
            )
        };
        assert!(
            prints(formula).iter().any(|h| set.contains(h)),
            "the formula"
        );
        assert!(
            !prints(passage).iter().any(|h| set.contains(h)),
            "the passage"
        );
    }

    #[test]
    fn direction_by_date_then_citation() {
        let meta = |date: Option<&str>, number: &str, cites: &[&str]| DocMeta {
            id: number.into(),
            date: date.and_then(|d| d.parse().ok()),
            number: Some(number.into()),
            title: None,
            number_fold: Some(fold_number(number)),
            cites: cites.iter().map(|c| fold_number(c)).collect(),
        };
        let old = meta(Some("2019-10-08"), "325/KH-SCT", &[]);
        let new = meta(Some("2021-03-01"), "12/KH-SCT", &[]);
        assert_eq!(direction(&new, &old), (Direction::Source, Rule::Date));
        assert_eq!(direction(&old, &new), (Direction::Copy, Rule::Date));
        let same_year = meta(Some("2019"), "13/KH-SCT", &["325/KH-SCT"]);
        assert_eq!(
            direction(&same_year, &old),
            (Direction::Source, Rule::Citation)
        );
        let undated = meta(None, "14/KH-SCT", &[]);
        assert_eq!(direction(&undated, &old), (Direction::Unknown, Rule::None));
    }
}
