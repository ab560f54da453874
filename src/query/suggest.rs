//! Accent suggestion: restores the diacritics of a query typed without them
//! ("chuyen doi so" → "chuyển đổi số") from the index's own statistics.
//!
//! ## How
//!
//! - **Candidates.** Every accented term of the `body` and `title` fields is folded;
//!   each folded syllable keeps its most frequent accented spellings (at most
//!   [`MAX_CANDIDATES`], none rarer than the best by more than [`MAX_RATIO`]) with
//!   their document frequencies. The table is built by streaming each segment's
//!   term dictionaries, once per set of segments, and shared by every query.
//! - **Spellings seen together.** A syllable's most frequent spellings need not be
//!   the ones it takes beside its neighbour: `nẵng` is not among the four most
//!   frequent spellings of `nang`, yet `da nang` is written `đà nẵng` almost
//!   everywhere. So for each two adjacent positions the places where the body has
//!   the two folded syllables together are sampled (at most [`SPELLING_SAMPLE`]
//!   documents, spread over the segments and over each one's document ids: a
//!   corpus stored in order of topic keeps a phrase in one stretch of them),
//!   their accented spellings read from the
//!   stored syllable stream ([`crate::index::syllables`]), and the spellings seen
//!   at least twice (or the only one seen) join the candidates of both positions.
//! - **Context.** A Viterbi search over positions scores a spelling by an
//!   interpolated bigram model on document frequencies:
//!   `P(b | a) = λ·df("a b") / df(a) + (1 − λ)·df(b) / N`, where `df("a b")` is the
//!   number of documents whose body has the two syllables next to each other. It
//!   is counted on the postings directly (a leapfrog intersection checking
//!   positions), on at most [`PAIR_SAMPLE`] common documents spread over the
//!   segments, and extrapolated when the sample ends early: the cost of a count
//!   is bounded whatever the frequencies of its two syllables.
//! - **Fixed positions.** Numbers, syllables that have no accented spelling in the
//!   index and unknown syllables are kept (folded); they cut the chain of bigrams.
//! - **Bounds.** At most [`MAX_SYLLABLES`] positions (else `None`); only pairs
//!   where a choice is left are counted; answers are cached per (index
//!   generation, query) in a small LRU.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Opstamp, Searcher, Term, TERMINATED};

use super::cache::{CacheUsage, Lru, Weigh};
use crate::analysis::fold;
use crate::index::Fields;
use crate::Result;

/// Most accented candidates kept per folded syllable.
pub const MAX_CANDIDATES: usize = 4;
/// A candidate whose document frequency is below the best one's divided by this is
/// dropped.
pub const MAX_RATIO: u64 = 1000;
/// Longest query restored, in syllables.
pub const MAX_SYLLABLES: usize = 12;
/// Most common documents of two syllables examined for one bigram count (spread
/// over the segments in proportion to their sizes).
pub const PAIR_SAMPLE: u32 = 512;
/// Most documents sampled for the spellings two adjacent folded syllables take
/// together (see the module docs).
pub const SPELLING_SAMPLE: u32 = 16;
/// Weight of the bigram evidence against the unigram one.
const LAMBDA: f64 = 0.99;
/// Answers cached (all generations together).
const CACHE_ENTRIES: usize = 256;
/// Bytes of cached answers, at most.
const CACHE_BYTES: usize = 1 << 20;

/// One accented spelling and its document frequency (body and title).
#[derive(Debug, Clone)]
struct Candidate {
    text: Box<str>,
    df: u64,
}

/// The folded → accented candidates table of one set of segments.
#[derive(Debug, Default)]
struct Table {
    candidates: FxHashMap<Box<str>, Box<[Candidate]>>,
    /// Documents in the index (deleted ones included, as in the dictionaries).
    docs: u64,
}

impl Weigh for Table {
    fn weight(&self) -> usize {
        let per_entry = std::mem::size_of::<(Box<str>, Box<[Candidate]>)>() + 1;
        self.candidates.capacity() * per_entry
            + self
                .candidates
                .iter()
                .map(|(k, c)| {
                    k.len()
                        + c.iter()
                            .map(|x| std::mem::size_of::<Candidate>() + x.text.len())
                            .sum::<usize>()
                })
                .sum::<usize>()
    }
}

impl Table {
    fn build(searcher: &Searcher, fields: &Fields) -> Result<Table> {
        let mut df: FxHashMap<Box<str>, u64> = FxHashMap::default();
        let mut docs = 0u64;
        for segment in searcher.segment_readers() {
            docs += u64::from(segment.max_doc());
            for field in [fields.body, fields.title] {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted
                    .terms()
                    .stream()
                    .map_err(tantivy::TantivyError::from)?;
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if !is_syllable(term) {
                        continue;
                    }
                    let n = u64::from(stream.value().doc_freq);
                    match df.get_mut(term) {
                        Some(d) => *d += n,
                        None => {
                            df.insert(term.into(), n);
                        }
                    }
                }
            }
        }
        // Only folded syllables with at least one marked spelling are worth a row.
        let mut groups: FxHashMap<Box<str>, Vec<Candidate>> = FxHashMap::default();
        for (term, &n) in &df {
            if term.is_ascii() {
                continue;
            }
            let key = fold(term);
            if !key.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            groups
                .entry(key.into_boxed_str())
                .or_default()
                .push(Candidate {
                    text: term.clone(),
                    df: n,
                });
        }
        let candidates = groups
            .into_iter()
            .map(|(key, mut list)| {
                if let Some(&n) = df.get(&key) {
                    list.push(Candidate {
                        text: key.clone(),
                        df: n,
                    });
                }
                list.sort_by(|a, b| b.df.cmp(&a.df).then_with(|| a.text.cmp(&b.text)));
                let best = list.first().map_or(0, |c| c.df);
                list.retain(|c| c.df.saturating_mul(MAX_RATIO) >= best);
                list.truncate(MAX_CANDIDATES);
                (key, list.into_boxed_slice())
            })
            .collect();
        Ok(Table { candidates, docs })
    }

    /// Approximate heap size in bytes (measured in tests; the product never asks).
    #[cfg(test)]
    fn heap_bytes(&self) -> usize {
        let entry = std::mem::size_of::<(Box<str>, Box<[Candidate]>)>() + 1;
        self.candidates.capacity() * entry
            + self
                .candidates
                .iter()
                .map(|(k, v)| {
                    k.len()
                        + v.iter()
                            .map(|c| std::mem::size_of::<Candidate>() + c.text.len())
                            .sum::<usize>()
                })
                .sum::<usize>()
    }
}

/// A term worth a candidate: letters only (no digit, no other script's marks
/// decide here: the fold check does).
fn is_syllable(term: &str) -> bool {
    !term.is_empty() && term.chars().all(char::is_alphabetic)
}

/// Which segments (and deletes) a table was built from.
type TableKey = BTreeMap<SegmentId, Option<Opstamp>>;

/// Restores diacritics of unaccented queries from the index's own syllable statistics.
/// Cheap to share (Send + Sync); caches its tables per index generation.
///
/// Use one per index: the caches are keyed by the searcher's segments and
/// generation.
pub struct Suggester {
    table: RwLock<Option<(TableKey, Arc<Table>)>>,
    building: Mutex<()>,
    answers: Lru<(u64, Vec<String>), Option<Vec<String>>>,
    pair_sample: u32,
}

impl Default for Suggester {
    fn default() -> Self {
        Suggester::new()
    }
}

impl std::fmt::Debug for Suggester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Suggester")
            .field("cached_answers", &self.answers.len())
            .finish_non_exhaustive()
    }
}

/// What a position of the query offers the Viterbi search.
enum Slot<'t> {
    /// Kept as typed (folded): a number, an unknown syllable.
    Fixed(String),
    /// Accented spellings, most frequent first (never empty).
    Choice(&'t [Candidate]),
}

impl Suggester {
    /// A suggester with empty caches.
    pub fn new() -> Suggester {
        Suggester::with_pair_sample(PAIR_SAMPLE)
    }

    /// A suggester examining at most `pair_sample` documents per bigram count
    /// (`u32::MAX`: exact counts).
    pub fn with_pair_sample(pair_sample: u32) -> Suggester {
        Suggester {
            table: RwLock::new(None),
            building: Mutex::new(()),
            answers: Lru::new(CACHE_ENTRIES, CACHE_BYTES),
            pair_sample: pair_sample.max(1),
        }
    }

    /// Its caches: the candidates table of the current commit (one, its size
    /// bounded by the index's distinct syllables) and the cached answers.
    pub fn usage(&self) -> Vec<CacheUsage> {
        let table = self.table.read().unwrap_or_else(|p| p.into_inner());
        let (entries, bytes) = table.as_ref().map_or((0, 0), |(_, t)| (1, t.weight()));
        vec![
            CacheUsage {
                name: "accent restoration table".into(),
                entries,
                bytes: bytes as u64,
                max_entries: None,
                max_bytes: None,
                note: "one per index commit; grows with the index's distinct syllables".into(),
            },
            self.answers.usage(
                "accent restoration answers",
                "least recently used query answers",
            ),
        ]
    }

    /// The most likely accented syllables for `folded` (one per position, canonical lower case),
    /// or `None` when no position has an accented candidate or the query is too long to restore.
    pub fn suggest(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        folded: &[&str],
    ) -> Result<Option<Vec<String>>> {
        if folded.is_empty() || folded.len() > MAX_SYLLABLES {
            return Ok(None);
        }
        let keys: Vec<String> = folded.iter().map(|s| fold(s)).collect();
        let cache_key = (searcher.generation().generation_id(), keys);
        if let Some(answer) = self.answers.get(&cache_key) {
            return Ok(answer);
        }
        let table = self.table(searcher, fields)?;
        let answer = self.restore(searcher, fields, &table, &cache_key.1)?;
        self.answers.put(cache_key, answer.clone());
        Ok(answer)
    }

    /// Size of the current candidates table: (folded syllables, approximate heap
    /// bytes); `None` before the first suggestion.
    #[cfg(test)]
    fn table_size(&self) -> Option<(usize, usize)> {
        let t = self.table.read().unwrap_or_else(|p| p.into_inner());
        t.as_ref()
            .map(|(_, t)| (t.candidates.len(), t.heap_bytes()))
    }

    fn cached_table(&self, key: &TableKey) -> Option<Arc<Table>> {
        let t = self.table.read().unwrap_or_else(|p| p.into_inner());
        t.as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, t)| Arc::clone(t))
    }

    /// The table of the searcher's segments, built once whoever asks.
    fn table(&self, searcher: &Searcher, fields: &Fields) -> Result<Arc<Table>> {
        let key = searcher.generation().segments();
        if let Some(t) = self.cached_table(key) {
            return Ok(t);
        }
        let _building = self.building.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(t) = self.cached_table(key) {
            return Ok(t);
        }
        let table = Arc::new(Table::build(searcher, fields)?);
        let mut t = self.table.write().unwrap_or_else(|p| p.into_inner());
        *t = Some((key.clone(), Arc::clone(&table)));
        Ok(table)
    }

    fn restore(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        table: &Table,
        keys: &[String],
    ) -> Result<Option<Vec<String>>> {
        let slots: Vec<Slot<'_>> = keys
            .iter()
            .map(|k| match table.candidates.get(k.as_str()) {
                Some(c) if !c.is_empty() => Slot::Choice(c),
                _ => Slot::Fixed(k.clone()),
            })
            .collect();
        let any_marked = slots.iter().zip(keys).any(|(s, k)| match s {
            Slot::Choice(c) => c.iter().any(|c| *c.text != **k),
            Slot::Fixed(_) => false,
        });
        if !any_marked {
            return Ok(None);
        }
        let n = (table.docs.max(1)) as f64;
        let mut out = Vec::with_capacity(slots.len());
        // Runs of consecutive choices are independent of each other.
        let mut i = 0;
        while i < slots.len() {
            match &slots[i] {
                Slot::Fixed(k) => {
                    out.push(k.clone());
                    i += 1;
                }
                Slot::Choice(_) => {
                    let end = slots[i..]
                        .iter()
                        .position(|s| matches!(s, Slot::Fixed(_)))
                        .map_or(slots.len(), |p| i + p);
                    let mut run: Vec<Vec<Candidate>> = slots[i..end]
                        .iter()
                        .filter_map(|s| match s {
                            Slot::Choice(c) => Some(c.to_vec()),
                            Slot::Fixed(_) => None,
                        })
                        .collect();
                    self.add_spellings_seen_together(searcher, fields, &keys[i..end], &mut run)?;
                    out.extend(self.viterbi(searcher, fields.body, &run, n)?);
                    i = end;
                }
            }
        }
        Ok(Some(out))
    }

    /// Adds to the candidates of each position of a run (`keys`, folded) the
    /// spellings its syllable takes beside its neighbours (see the module docs).
    fn add_spellings_seen_together(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        keys: &[String],
        run: &mut [Vec<Candidate>],
    ) -> Result<()> {
        for p in 0..keys.len().saturating_sub(1) {
            let seen = spellings_together(searcher, fields, &keys[p], &keys[p + 1])?;
            let most = seen.first().map_or(0, |(_, n)| *n);
            for ((a, b), count) in seen {
                if count < 2 && count < most {
                    continue;
                }
                for (at, text) in [(p, a), (p + 1, b)] {
                    if !run[at].iter().any(|c| *c.text == *text) {
                        let df = [fields.body, fields.title]
                            .into_iter()
                            .map(|f| searcher.doc_freq(&Term::from_field_text(f, &text)))
                            .sum::<tantivy::Result<u64>>()?;
                        run[at].push(Candidate {
                            text: text.into_boxed_str(),
                            df,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// The best spelling of a run of positions that all have candidates.
    fn viterbi(
        &self,
        searcher: &Searcher,
        body: Field,
        run: &[Vec<Candidate>],
        n: f64,
    ) -> Result<Vec<String>> {
        let Some(first) = run.first() else {
            return Ok(Vec::new());
        };
        // score[j]: best log-probability of a path ending in candidate j;
        // back[i][j]: the candidate of position i − 1 on that path.
        let mut score: Vec<f64> = first.iter().map(|c| ln(c.df as f64 / n)).collect();
        let mut back: Vec<Vec<usize>> = Vec::with_capacity(run.len());
        for pair in run.windows(2) {
            let (prev, next) = (&pair[0], &pair[1]);
            let counted = prev.len() > 1 || next.len() > 1;
            let mut new_score = vec![f64::NEG_INFINITY; next.len()];
            let mut from = vec![0usize; next.len()];
            for (j, b) in next.iter().enumerate() {
                let unigram = b.df as f64 / n;
                for (i, a) in prev.iter().enumerate() {
                    let together = if counted {
                        self.pair_df(searcher, body, &a.text, &b.text)?
                    } else {
                        0.0
                    };
                    let bigram = (together / a.df.max(1) as f64).min(1.0);
                    let s = score[i] + ln(LAMBDA * bigram + (1.0 - LAMBDA) * unigram);
                    if s > new_score[j] {
                        new_score[j] = s;
                        from[j] = i;
                    }
                }
            }
            score = new_score;
            back.push(from);
        }
        let mut j = score
            .iter()
            .enumerate()
            .fold((0, f64::NEG_INFINITY), |best, (j, &s)| {
                if s > best.1 {
                    (j, s)
                } else {
                    best
                }
            })
            .0;
        let mut path = vec![0usize; run.len()];
        for (i, from) in back.iter().enumerate().rev() {
            path[i + 1] = j;
            j = from[j];
        }
        path[0] = j;
        Ok(run
            .iter()
            .zip(path)
            .map(|(c, j)| c[j].text.to_string())
            .collect())
    }

    /// Documents whose `field` has `a` directly followed by `b`: counted on at most
    /// `pair_sample` documents having both (spread over the segments by size, the
    /// first of each), and extrapolated over the part of a segment not examined.
    /// (Spread over each segment's documents too, the counts of rare pairs among
    /// frequent syllables grew noisier: as many spellings were lost as won.)
    fn pair_df(&self, searcher: &Searcher, field: Field, a: &str, b: &str) -> Result<f64> {
        let limits = Limits {
            docs: self.pair_sample,
            hits: u32::MAX,
            strata: 1,
        };
        sample_together(searcher, field, a, b, limits, |_, _, pa, pb| {
            Ok(adjacent(pa, pb))
        })
    }
}

/// Strata of a segment's document ids sampled apart (see [`sample_together`]).
pub const STRATA: u32 = 16;

/// How much [`sample_together`] examines: at most `docs` documents having both
/// terms, and it stops once `visit` has said yes `hits` times; each segment's
/// share is spread over at most `strata` ranges of its document ids.
#[derive(Debug, Clone, Copy)]
struct Limits {
    docs: u32,
    hits: u32,
    strata: u32,
}

/// Visits documents where `field` has both `a` and `b` — as many as `limits` allow,
/// spread over the segments by size and, inside a segment, over equal ranges of
/// document ids (a corpus ingested in order of topic or date holds a phrase in
/// one stretch of ids: the first documents alone would miss it) — with the
/// positions of both. Returns the number of documents where `visit` says yes,
/// extrapolated in each range over the documents not examined.
fn sample_together(
    searcher: &Searcher,
    field: Field,
    a: &str,
    b: &str,
    limits: Limits,
    mut visit: impl FnMut(&tantivy::SegmentReader, DocId, &[u32], &[u32]) -> Result<bool>,
) -> Result<f64> {
    let (ta, tb) = (
        Term::from_field_text(field, a),
        Term::from_field_text(field, b),
    );
    let total: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum::<u64>()
        .max(1);
    let io = tantivy::TantivyError::from;
    let (mut pa_buf, mut pb_buf) = (Vec::new(), Vec::new());
    let mut estimate = 0.0;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let (Some(ia), Some(ib)) = (
            inverted.get_term_info(&ta).map_err(io)?,
            inverted.get_term_info(&tb).map_err(io)?,
        ) else {
            continue;
        };
        let max_doc = segment.max_doc();
        let share = |n: u32| (u64::from(n) * u64::from(max_doc)).div_ceil(total).max(1);
        let (budget, wanted) = (share(limits.docs), share(limits.hits));
        let strata = u64::from(limits.strata.max(1)).min(budget).min(wanted);
        let option = IndexRecordOption::WithFreqsAndPositions;
        let mut pa = inverted
            .read_postings_from_terminfo(&ia, option)
            .map_err(io)?;
        let mut pb = inverted
            .read_postings_from_terminfo(&ib, option)
            .map_err(io)?;
        let alive = segment.alive_bitset();
        for s in 0..strata {
            let bound = |k: u64| (u64::from(max_doc) * k / strata) as DocId;
            let (lo, hi) = (bound(s), bound(s + 1));
            let part = |n: u64| n * (s + 1) / strata - n * s / strata;
            let (quota, quota_hits) = (part(budget), part(wanted));
            let (mut seen, mut hits) = (0u64, 0u64);
            let mut stopped_at = None;
            // `seek` never goes backwards (tantivy asserts it in debug builds).
            let mut doc = if pa.doc() < lo { pa.seek(lo) } else { pa.doc() };
            while doc < hi && quota > 0 {
                let other = if pb.doc() < doc {
                    pb.seek(doc)
                } else {
                    pb.doc()
                };
                if other != doc {
                    doc = if other == TERMINATED {
                        TERMINATED
                    } else {
                        pa.seek(other)
                    };
                    continue;
                }
                if alive.is_none_or(|bits| bits.is_alive(doc)) {
                    seen += 1;
                    pa.positions(&mut pa_buf);
                    pb.positions(&mut pb_buf);
                    if visit(segment, doc, &pa_buf, &pb_buf)? {
                        hits += 1;
                    }
                    if seen >= quota || hits >= quota_hits {
                        stopped_at = Some(doc);
                        break;
                    }
                }
                doc = pa.advance();
            }
            estimate += match stopped_at {
                Some(d) if d + 1 < hi => hits as f64 * f64::from(hi - lo) / f64::from(d + 1 - lo),
                _ => hits as f64,
            };
        }
    }
    Ok(estimate)
}

/// The accented spellings the body gives the folded syllables `x` and `y` where
/// they stand next to each other, with how often each pair of spellings was seen,
/// most frequent first: sampled on at most [`SPELLING_SAMPLE`] documents where they
/// do (spread over the segments and their documents, see [`sample_together`]), one
/// place each, read from the stored syllable stream (its i-th syllable is the
/// token at position i of the body).
fn spellings_together(
    searcher: &Searcher,
    fields: &Fields,
    x: &str,
    y: &str,
) -> Result<Vec<((String, String), u32)>> {
    let mut counts: FxHashMap<(String, String), u32> = FxHashMap::default();
    let mut store: Option<(SegmentId, tantivy::store::StoreReader)> = None;
    let field = fields.body_folded;
    let limits = Limits {
        docs: SPELLING_SAMPLE * STRATA,
        hits: SPELLING_SAMPLE,
        strata: STRATA,
    };
    sample_together(searcher, field, x, y, limits, |segment, doc, px, py| {
        let Some(at) = first_adjacent(px, py) else {
            return Ok(false);
        };
        if store
            .as_ref()
            .is_none_or(|(id, _)| *id != segment.segment_id())
        {
            let reader = segment
                .get_store_reader(1)
                .map_err(tantivy::TantivyError::from)?;
            store = Some((segment.segment_id(), reader));
        }
        let Some((_, reader)) = store.as_ref() else {
            return Ok(false);
        };
        let stream = crate::index::syllables::read(reader, doc, fields.syllables)?;
        let text = String::from_utf8_lossy(&stream);
        let mut syllables = crate::index::syllables::runs(&text)
            .flatten()
            .skip(at as usize);
        if let (Some(a), Some(b)) = (syllables.next(), syllables.next()) {
            // The stream holds what the index folded: a mismatch is an index
            // written otherwise, not a spelling.
            if fold(a) == x && fold(b) == y {
                *counts.entry((a.to_string(), b.to_string())).or_default() += 1;
            }
        }
        Ok(true)
    })?;
    let mut out: Vec<_> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

/// The first position of `a` that some position of `b` directly follows (both
/// sorted).
fn first_adjacent(a: &[u32], b: &[u32]) -> Option<u32> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let want = a[i] + 1;
        match b[j].cmp(&want) {
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}

/// Whether some position of `b` directly follows one of `a` (both sorted).
fn adjacent(a: &[u32], b: &[u32]) -> bool {
    first_adjacent(a, b).is_some()
}

/// Natural logarithm, floored so that impossible events still order paths.
fn ln(p: f64) -> f64 {
    p.max(1e-12).ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Record;
    use crate::index::schema::build_schema;

    fn index(texts: &[&str]) -> (tantivy::Index, Fields) {
        let index = tantivy::Index::create_in_ram(build_schema());
        crate::analysis::register(&index);
        let fields = Fields::from_schema(&index.schema()).expect("kehoach schema");
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for (i, text) in texts.iter().enumerate() {
            let rec = Record {
                text: (*text).to_string(),
                ..Record::default()
            };
            writer
                .add_document(fields.to_document(&i.to_string(), "test", "h", rec))
                .expect("add");
        }
        writer.commit().expect("commit");
        (index, fields)
    }

    fn suggest(s: &Suggester, index: &tantivy::Index, fields: &Fields, q: &str) -> Option<String> {
        let searcher = index.reader().expect("reader").searcher();
        let folded: Vec<&str> = q.split_whitespace().collect();
        s.suggest(&searcher, fields, &folded)
            .expect("suggest")
            .map(|v| v.join(" "))
    }

    const TEXTS: &[&str] = &[
        "Kế hoạch năm nay.",
        "Kế hoạch tháng sau.",
        "Kê khai tài sản.",
        "Kê biên tài sản.",
        "Thi đua khen thưởng 2020.",
    ];

    #[test]
    fn context_decides_between_equally_frequent_candidates() {
        let (index, fields) = index(TEXTS);
        let s = Suggester::new();
        // kế and kê are both in two documents: only their neighbours decide.
        assert_eq!(
            suggest(&s, &index, &fields, "ke hoach").as_deref(),
            Some("kế hoạch")
        );
        assert_eq!(
            suggest(&s, &index, &fields, "ke khai").as_deref(),
            Some("kê khai")
        );
        assert_eq!(
            suggest(&s, &index, &fields, "Ke  Khai tai san").as_deref(),
            Some("kê khai tài sản")
        );
        // Sampled counts decide the same.
        let sampled = Suggester::with_pair_sample(1);
        assert_eq!(
            suggest(&sampled, &index, &fields, "ke hoach").as_deref(),
            Some("kế hoạch")
        );
    }

    #[test]
    fn a_spelling_the_neighbours_take_joins_the_candidates() {
        // `nẵng` is the fifth spelling of `nang` by frequency, below the four a
        // syllable keeps, yet `da nang` is `đà nẵng` wherever the two stand together.
        let texts = [
            "Năng lực.",
            "Năng suất.",
            "Năng động.",
            "Năng khiếu.",
            "Nâng cao.",
            "Nâng đỡ.",
            "Nâng cấp.",
            "Nặng nề.",
            "Nặng lời.",
            "Nặng tai.",
            "Nàng thơ.",
            "Nàng dâu.",
            "Cô nàng.",
            "Đã xong.",
            "Đã làm.",
            "Về Đà Nẵng.",
            "Ở Đà Nẵng.",
        ];
        let (index, fields) = index(&texts);
        let s = Suggester::new();
        assert_eq!(
            suggest(&s, &index, &fields, "da nang").as_deref(),
            Some("đà nẵng")
        );
        assert_eq!(
            suggest(&s, &index, &fields, "nang").as_deref(),
            Some("năng")
        );
    }

    #[test]
    fn first_adjacent_positions() {
        assert_eq!(first_adjacent(&[1, 5, 9], &[3, 10]), Some(9));
        assert_eq!(first_adjacent(&[1, 5, 9], &[2, 6]), Some(1));
        assert_eq!(first_adjacent(&[1, 5, 9], &[1, 5, 9]), None);
    }

    #[test]
    fn unknown_syllables_and_numbers_stay_folded() {
        let (index, fields) = index(TEXTS);
        let s = Suggester::new();
        assert_eq!(
            suggest(&s, &index, &fields, "thi dua xyz 2020").as_deref(),
            Some("thi đua xyz 2020")
        );
        assert_eq!(
            suggest(&s, &index, &fields, "khen").as_deref(),
            None,
            "only unmarked spellings"
        );
        assert_eq!(suggest(&s, &index, &fields, "tai").as_deref(), Some("tài"));
    }

    #[test]
    fn no_candidate_or_too_long_gives_none() {
        let (index, fields) = index(TEXTS);
        let s = Suggester::new();
        assert_eq!(suggest(&s, &index, &fields, "xyz 2020 abc"), None);
        assert_eq!(suggest(&s, &index, &fields, ""), None);
        let long = vec!["ke"; MAX_SYLLABLES + 1].join(" ");
        assert_eq!(suggest(&s, &index, &fields, &long), None);
    }

    #[test]
    fn cache_hit_gives_the_same_answer() {
        let (index, fields) = index(TEXTS);
        let s = Suggester::new();
        let first = suggest(&s, &index, &fields, "ke hoach thi dua");
        assert_eq!(first.as_deref(), Some("kế hoạch thi đua"));
        assert_eq!(s.answers.len(), 1);
        let again = suggest(&s, &index, &fields, "ke hoach thi dua");
        assert_eq!(again, first);
        assert_eq!(s.answers.len(), 1);
        assert!(s
            .table_size()
            .is_some_and(|(rows, bytes)| rows > 0 && bytes > 0));
    }

    #[test]
    fn adjacency_of_sorted_positions() {
        assert!(adjacent(&[1, 5, 9], &[3, 10]));
        assert!(!adjacent(&[1, 5, 9], &[1, 5, 9]));
        assert!(!adjacent(&[], &[1]));
    }
}
