//! Exact top-k n-grams with Apriori pruning: the cold path of
//! [`top_terms`].
//!
//! 1. **Read once.** Every document's syllable stream ([`crate::index::syllables`]) is
//!    read from the store; units (syllables, or words in words mode) are interned
//!    per worker and kept as `u32` ids in per-chunk buffers, each run followed by
//!    a break mark. Unigrams (tf, df) are counted exactly on the way.
//! 2. **Candidates.** For a threshold `T`, level n ≥ 2 counts only the n-grams
//!    whose prefix and suffix (n−1)-grams both have tf ≥ `T` (for n = 2: both
//!    units). Every n-gram with tf ≥ `T` is a candidate, since its sub-grams
//!    occur at least as often. An n-gram is keyed by the dense ids of its prefix
//!    and suffix among the (n−1)-grams with tf ≥ `T`, so a key is one `u64`
//!    whatever n is, and the buffers are rewritten in place level by level.
//! 3. **Hashed pre-count** (Park–Chen–Yu). A first pass adds every candidate
//!    window to a small array of hashed buckets (saturating bytes, sized to stay
//!    in a core's cache); the second counts exactly (tf and df) only the
//!    candidates whose bucket reached `min(T, 255)`. A bucket's count is at
//!    least the tf of every n-gram hashed to it, so no n-gram with tf ≥ `T` is
//!    missed, while most rare candidates never enter a map. Every n-gram that is
//!    counted is counted exactly.
//! 4. **Exactness.** The rows of level n are exact when its keep-th visible
//!    counted n-gram has tf ≥ `T` (every n-gram at least as frequent as the cut
//!    was counted), or when `T` ≤ `min_freq` (every n-gram that could be shown
//!    was counted). Otherwise `T` is lowered to that keep-th tf — a lower bound of
//!    the true cut, which makes the next round exact — or divided when there were
//!    not even `keep` visible counted n-grams, and the subcorpus is read again
//!    (the buffers were rewritten) for another round. The first `T` is estimated
//!    on a sample (one chunk in 32 counted in full), so one round is the rule.
//!
//! No sampling: the rows are those of a full count (same tf, df and order).

use std::collections::HashSet;

use rayon::prelude::*;
use tantivy::schema::Field;
use tantivy::store::StoreReader;
use tantivy::{DocId, Searcher};

use super::ngrams::{
    words_of, FxMap, NgramRow, TopTerms, TopTermsRequest, Unit, CACHED_ROWS, MAX_N,
};
use super::rate;
use super::subcorpus::DocSet;
use crate::analysis::lexicon::{self, Lexicon};
use crate::index::syllables;
use crate::query::Engine;
use crate::Result;

/// Ends a run in a chunk buffer.
const BREAK: u32 = u32::MAX;
/// A position where no candidate starts.
const NONE: u32 = u32::MAX - 1;
/// Documents per unit of parallel work.
const CHUNK_DOCS: usize = 64;
/// Parts of the work per thread.
const PARTS_PER_THREAD: usize = 4;
/// Hashed buckets per counted window, times min(T, 255) (see [`Levels::count`]).
const BUCKET_LOAD: usize = 4;
/// Most hashed buckets (as a power of two; one byte each, so that they stay in
/// a core's cache).
const MAX_BUCKET_BITS: u32 = 19;
/// A lowered threshold when a round found fewer than `keep` visible n-grams.
const FALLBACK_DIVISOR: u64 = 16;
/// The first threshold is estimated on one chunk in this many.
const SAMPLE_EVERY: usize = 32;
/// … divided by this margin (sampling noise).
const SAMPLE_MARGIN: u64 = 2;
/// Below this many positions, no estimate: everything is counted (T = 1).
const MIN_SAMPLED_CORPUS: usize = 1 << 16;

fn key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn halves(k: u64) -> (u32, u32) {
    ((k >> 32) as u32, k as u32)
}

/// Splits `items` into a few contiguous parts per thread.
fn parts<T>(items: &[T]) -> Vec<&[T]> {
    let n = (rayon::current_num_threads() * PARTS_PER_THREAD).max(1);
    let size = items.len().div_ceil(n).max(1);
    items.chunks(size).collect()
}

/// Same as [`parts`], mutably.
fn parts_mut<T>(items: &mut [T]) -> Vec<&mut [T]> {
    let n = (rayon::current_num_threads() * PARTS_PER_THREAD).max(1);
    let size = items.len().div_ceil(n).max(1);
    items.chunks_mut(size).collect()
}

/// Unit ids of a few documents: every run followed by [`BREAK`].
#[derive(Debug, Default)]
struct Chunk {
    ids: Vec<u32>,
    /// End (exclusive) of each document in `ids`.
    doc_ends: Vec<u32>,
}

/// A unit of at most 15 bytes as one integer (bytes, then the length; never 0).
fn pack_short(unit: &[u8]) -> Option<u128> {
    let mut a = [0u8; 16];
    a.get_mut(..unit.len())
        .filter(|_| !unit.is_empty() && unit.len() < 16)?
        .copy_from_slice(unit);
    a[15] = unit.len() as u8;
    Some(u128::from_le_bytes(a))
}

/// What one worker read: its own dictionary, unigram counts and chunks.
#[derive(Default)]
struct Worker {
    /// Units of up to 15 bytes (nearly all syllables), packed.
    short: FxMap<u128, u32>,
    /// Longer units.
    long: FxMap<Box<[u8]>, u32>,
    units: Vec<Box<[u8]>>,
    counts: Vec<UnitCount>,
    seq: u32,
    chunks: Vec<Chunk>,
    stores: Vec<Option<StoreReader>>,
}

/// Counts of one unit in a worker (one cache line for all three).
#[derive(Debug, Clone, Copy, Default)]
struct UnitCount {
    tf: u64,
    df: u32,
    last: u32,
}

impl Worker {
    fn new_unit(&mut self, unit: &[u8]) -> u32 {
        let id = self.units.len() as u32;
        self.units.push(unit.into());
        self.counts.push(UnitCount::default());
        id
    }

    /// The id of `unit`, counted once more (in document `self.seq`).
    fn id(&mut self, unit: &[u8]) -> u32 {
        self.id_packed(unit, pack_short(unit))
    }

    /// [`Worker::id`] of `stream[start..end]`, packed without a copy when 16
    /// bytes can be read from `start`.
    fn id_at(&mut self, stream: &[u8], start: usize, end: usize) -> u32 {
        let len = end.saturating_sub(start);
        let unit = stream.get(start..end).unwrap_or_default();
        let packed = match stream.get(start..start + 16) {
            Some(w) if (1..16).contains(&len) => {
                let mut a = [0u8; 16];
                a.copy_from_slice(w);
                let v = u128::from_le_bytes(a) & ((1u128 << (8 * len)) - 1);
                Some(v | ((len as u128) << 120))
            }
            _ => pack_short(unit),
        };
        self.id_packed(unit, packed)
    }

    fn id_packed(&mut self, unit: &[u8], packed: Option<u128>) -> u32 {
        let id = if let Some(k) = packed {
            match self.short.get(&k) {
                Some(&id) => id,
                None => {
                    let id = self.new_unit(unit);
                    self.short.insert(k, id);
                    id
                }
            }
        } else {
            match self.long.get(unit) {
                Some(&id) => id,
                None => {
                    let id = self.new_unit(unit);
                    self.long.insert(unit.into(), id);
                    id
                }
            }
        };
        if let Some(c) = self.counts.get_mut(id as usize) {
            c.tf += 1;
            if c.last != self.seq {
                c.last = self.seq;
                c.df += 1;
            }
        }
        id
    }

    fn store(&mut self, searcher: &Searcher, seg: usize) -> Result<Option<&StoreReader>> {
        if self.stores.len() <= seg {
            self.stores.resize_with(seg + 1, || None);
        }
        let Some(slot) = self.stores.get_mut(seg) else {
            return Ok(None);
        };
        if slot.is_none() {
            if let Some(reader) = searcher.segment_readers().get(seg) {
                let store = reader
                    .get_store_reader(2)
                    .map_err(tantivy::TantivyError::from)?;
                *slot = Some(store);
            }
        }
        Ok(slot.as_ref())
    }

    /// Adds one document's stream to `chunk`.
    fn add(&mut self, stream: &[u8], unit: Unit, lex: Option<&Lexicon>, chunk: &mut Chunk) {
        self.seq = self.seq.wrapping_add(1).max(1);
        match (unit, lex) {
            (Unit::Words, Some(lex)) => {
                let text = String::from_utf8_lossy(stream);
                for run in syllables::runs(&text) {
                    let syl: Vec<&str> = run.collect();
                    for w in words_of(&syl, lex) {
                        let id = self.id(w.as_bytes());
                        chunk.ids.push(id);
                    }
                    chunk.ids.push(BREAK);
                }
            }
            _ => {
                let (mut start, mut in_run) = (0usize, false);
                let sep = |b: u8| b == b' ' || b == b'\n';
                for (i, &b) in stream.iter().enumerate() {
                    if !sep(b) {
                        continue;
                    }
                    if i > start {
                        let id = self.id_at(stream, start, i);
                        chunk.ids.push(id);
                        in_run = true;
                    }
                    if b == b'\n' && in_run {
                        chunk.ids.push(BREAK);
                        in_run = false;
                    }
                    start = i + 1;
                }
                if stream.len() > start {
                    let id = self.id_at(stream, start, stream.len());
                    chunk.ids.push(id);
                    in_run = true;
                }
                if in_run {
                    chunk.ids.push(BREAK);
                }
            }
        }
        chunk.doc_ends.push(chunk.ids.len() as u32);
    }

    fn read(
        &mut self,
        searcher: &Searcher,
        field: Field,
        seg: usize,
        docs: &[DocId],
        unit: Unit,
        lex: Option<&Lexicon>,
    ) -> Result<()> {
        let mut chunk = Chunk {
            ids: Vec::with_capacity(docs.len() * 512),
            doc_ends: Vec::with_capacity(docs.len()),
        };
        for &d in docs {
            let Some(store) = self.store(searcher, seg)? else {
                return Ok(());
            };
            let stream = syllables::read(store, d, field)?;
            self.add(&stream, unit, lex, &mut chunk);
        }
        self.chunks.push(chunk);
        Ok(())
    }
}

/// Every unit of the subcorpus with its counts, and the documents as id buffers.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    units: Vec<Box<str>>,
    tf: Vec<u64>,
    df: Vec<u64>,
    chunks: Vec<Chunk>,
}

/// Merges what the workers read into one dictionary (the largest worker's).
fn merge_workers(mut workers: Vec<Worker>) -> Loaded {
    workers.sort_by_key(|w| std::cmp::Reverse(w.units.len()));
    let mut iter = workers.into_iter();
    let Some(first) = iter.next() else {
        return Loaded::default();
    };
    let Worker {
        mut short,
        mut long,
        mut units,
        counts,
        mut chunks,
        ..
    } = first;
    let mut tf: Vec<u64> = counts.iter().map(|c| c.tf).collect();
    let mut df: Vec<u64> = counts.iter().map(|c| u64::from(c.df)).collect();
    let mut others: Vec<(Vec<u32>, Vec<Chunk>)> = Vec::new();
    for w in iter {
        let mut remap = Vec::with_capacity(w.units.len());
        for (u, c) in w.units.into_iter().zip(w.counts) {
            let next = units.len() as u32;
            let g = match pack_short(&u) {
                Some(k) => *short.entry(k).or_insert(next),
                None => match long.get(&u) {
                    Some(&g) => g,
                    None => {
                        long.insert(u.clone(), next);
                        next
                    }
                },
            };
            if g == next {
                units.push(u);
                tf.push(0);
                df.push(0);
            }
            if let (Some(t), Some(d)) = (tf.get_mut(g as usize), df.get_mut(g as usize)) {
                *t += c.tf;
                *d += u64::from(c.df);
            }
            remap.push(g);
        }
        others.push((remap, w.chunks));
    }
    others.par_iter_mut().for_each(|(remap, cs)| {
        for c in cs.iter_mut() {
            for id in c.ids.iter_mut() {
                if *id != BREAK {
                    *id = remap.get(*id as usize).copied().unwrap_or(NONE);
                }
            }
        }
    });
    for (_, cs) in others {
        chunks.extend(cs);
    }
    Loaded {
        units: units
            .into_iter()
            .map(|u| String::from_utf8_lossy(&u).into())
            .collect(),
        tf,
        df,
        chunks,
    }
}

/// Reads the syllable streams of `docs` (in parallel) into a [`Loaded`].
pub(crate) fn load(
    engine: &Engine,
    searcher: &Searcher,
    docs: &DocSet,
    unit: Unit,
) -> Result<Loaded> {
    let field = engine.fields().syllables;
    let lex = (unit == Unit::Words).then(lexicon::get);
    let work: Vec<(usize, &[DocId])> = docs
        .segments()
        .iter()
        .enumerate()
        .flat_map(|(i, sd)| sd.docs.chunks(CHUNK_DOCS).map(move |c| (i, c)))
        .collect();
    // A few contiguous parts per thread: each worker keeps one dictionary warm,
    // and a slow thread (the machine may be shared) does not hold up the rest.
    let workers: Vec<Worker> = parts(&work)
        .par_iter()
        .map(|part| -> Result<Worker> {
            let mut w = Worker::default();
            for &(seg, chunk) in *part {
                w.read(searcher, field, seg, chunk, unit, lex)?;
            }
            Ok(w)
        })
        .collect::<Result<Vec<Worker>>>()?;
    Ok(merge_workers(workers))
}

/// Counts of one n-gram.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    tf: u64,
    df: u32,
    last: u32,
}

type Counts = FxMap<u64, Cell>;

fn merge(a: Counts, b: Counts) -> Counts {
    let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    for (k, c) in small {
        let t = big.entry(k).or_default();
        t.tf += c.tf;
        t.df += c.df;
    }
    big
}

/// The n-grams of one level with tf ≥ T, with dense ids.
#[derive(Debug, Default)]
struct Frequent {
    ids: FxMap<u64, u32>,
    /// (prefix id, suffix id) at the level below, by id.
    keys: Vec<u64>,
    first: Vec<u32>,
    last: Vec<u32>,
}

/// The levels of one round: the buffers hold the ids of the current level.
struct Levels<'a> {
    units: &'a [Box<str>],
    /// `Frequent` of levels 2, 3…
    above: Vec<Frequent>,
}

impl Levels<'_> {
    /// First unit of the level-`n` gram `id` (n ≥ 1).
    fn first(&self, n: usize, id: u32) -> u32 {
        if n <= 1 {
            return id;
        }
        self.above
            .get(n - 2)
            .and_then(|f| f.first.get(id as usize))
            .copied()
            .unwrap_or(NONE)
    }

    /// Last unit of the level-`n` gram `id` (n ≥ 1).
    fn last(&self, n: usize, id: u32) -> u32 {
        if n <= 1 {
            return id;
        }
        self.above
            .get(n - 2)
            .and_then(|f| f.last.get(id as usize))
            .copied()
            .unwrap_or(NONE)
    }

    /// Unit ids of the level-`n` gram `id`.
    fn units_of(&self, n: usize, id: u32, out: &mut Vec<u32>) {
        if n <= 1 {
            out.push(id);
            return;
        }
        let Some(&k) = self.above.get(n - 2).and_then(|f| f.keys.get(id as usize)) else {
            return;
        };
        let (l, r) = halves(k);
        self.units_of(n - 1, l, out);
        out.push(self.last(n - 1, r));
    }

    /// Unit ids of a level-`n` count key (prefix and suffix at level n−1).
    fn key_units(&self, n: usize, k: u64) -> Vec<u32> {
        let (l, r) = halves(k);
        let mut out = Vec::with_capacity(n);
        self.units_of(n - 1, l, &mut out);
        out.push(self.last(n - 1, r));
        out
    }

    /// Calls `each(doc_seq, key)` for every candidate window of `chunks` (whose
    /// buffers hold the ids of the level below).
    fn windows(chunks: &[Chunk], seq: &mut u32, each: &mut impl FnMut(u32, u64)) {
        for chunk in chunks {
            let mut start = 0usize;
            for &end in &chunk.doc_ends {
                let end = end as usize;
                *seq = seq.wrapping_add(1).max(1);
                if let Some(doc) = chunk.ids.get(start..end) {
                    for w in doc.windows(2) {
                        let &[a, b] = w else {
                            continue;
                        };
                        if a < NONE && b < NONE {
                            each(*seq, key(a, b));
                        }
                    }
                }
                start = end;
            }
        }
    }

    /// Counts exactly the candidates of the next level whose tf may reach `t`
    /// (see the module docs: hashed pre-count, then exact count).
    fn count(chunks: &[Chunk], t: u64) -> Counts {
        let parts = parts(chunks);
        let positions: usize = chunks.iter().map(|c| c.ids.len()).sum();
        let cap = u8::try_from(t).unwrap_or(u8::MAX);
        let want = positions.saturating_mul(BUCKET_LOAD) / usize::from(cap.max(1));
        let bits = want
            .max(1 << 10)
            .next_power_of_two()
            .trailing_zeros()
            .min(MAX_BUCKET_BITS);
        let shift = 64 - bits;
        let bucket = |k: u64| (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize;
        let size = 1usize << bits;
        // Saturated buckets (u8::MAX) may hold more: they always pass.
        let buckets: Vec<u8> = parts
            .par_iter()
            .map(|part| {
                let mut b = vec![0u8; size];
                let mut seq = 0u32;
                Self::windows(part, &mut seq, &mut |_, k| {
                    if let Some(x) = b.get_mut(bucket(k)) {
                        *x = x.saturating_add(1);
                    }
                });
                b
            })
            .reduce(
                || vec![0u8; size],
                |mut a, b| {
                    for (x, y) in a.iter_mut().zip(b) {
                        *x = x.saturating_add(y);
                    }
                    a
                },
            );
        parts
            .par_iter()
            .map(|part| {
                let mut counts = Counts::default();
                let mut seq = 0u32;
                Self::windows(part, &mut seq, &mut |doc, k| {
                    if buckets.get(bucket(k)).is_some_and(|&c| c >= cap) {
                        let c = counts.entry(k).or_default();
                        c.tf += 1;
                        if c.last != doc {
                            c.last = doc;
                            c.df += 1;
                        }
                    }
                });
                counts
            })
            .reduce(Counts::default, merge)
    }

    /// The level-`n` grams of `counts` with tf ≥ `t`.
    fn frequent(&self, n: usize, counts: &Counts, t: u64) -> Frequent {
        let mut f = Frequent::default();
        for (&k, c) in counts {
            if c.tf < t {
                continue;
            }
            let (l, r) = halves(k);
            let id = f.keys.len() as u32;
            f.ids.insert(k, id);
            f.keys.push(k);
            f.first.push(self.first(n - 1, l));
            f.last.push(self.last(n - 1, r));
        }
        f
    }
}

/// Rewrites the buffers from unit ids to "unit id if its tf ≥ t, else NONE".
fn keep_frequent_units(chunks: &mut [Chunk], tf: &[u64], t: u64) {
    parts_mut(chunks).into_par_iter().for_each(|part| {
        for c in part.iter_mut() {
            for x in c.ids.iter_mut() {
                if *x < NONE && tf.get(*x as usize).is_none_or(|&f| f < t) {
                    *x = NONE;
                }
            }
        }
    });
}

/// Rewrites the buffers from level n−1 ids to level-n ids of `f` (NONE where
/// the n-gram starting there is not in `f`).
fn step(chunks: &mut [Chunk], f: &Frequent) {
    parts_mut(chunks).into_par_iter().for_each(|part| {
        for c in part.iter_mut() {
            let len = c.ids.len();
            for i in 0..len {
                let (Some(&a), b) = (c.ids.get(i), c.ids.get(i + 1).copied()) else {
                    continue;
                };
                if a == BREAK {
                    continue;
                }
                let v = match b {
                    Some(b) if a < NONE && b < NONE => {
                        f.ids.get(&key(a, b)).copied().unwrap_or(NONE)
                    }
                    _ => NONE,
                };
                if let Some(x) = c.ids.get_mut(i) {
                    *x = v;
                }
            }
        }
    });
}

/// The stop rule over unit ids (see [`super::ngrams`]).
struct Stop {
    active: bool,
    unit: Vec<bool>,
    whole: HashSet<Vec<u32>>,
}

impl Stop {
    fn new(units: &[Box<str>], unit: Unit, hide: bool) -> Stop {
        if !hide {
            return Stop {
                active: false,
                unit: Vec::new(),
                whole: HashSet::new(),
            };
        }
        let lex = lexicon::get();
        let stop = units.iter().map(|u| lex.stopwords.contains(&**u)).collect();
        let mut whole = HashSet::new();
        if unit == Unit::Syllables {
            let ids: FxMap<&str, u32> = units
                .iter()
                .enumerate()
                .map(|(i, u)| (&**u, i as u32))
                .collect();
            for entry in &lex.stopwords {
                let seq: Option<Vec<u32>> = entry.split(' ').map(|s| ids.get(s).copied()).collect();
                if let Some(seq) = seq.filter(|v| v.len() >= 2 && v.len() <= MAX_N) {
                    whole.insert(seq);
                }
            }
        }
        Stop {
            active: true,
            unit: stop,
            whole,
        }
    }

    fn is_stop(&self, u: u32) -> bool {
        self.unit.get(u as usize).copied().unwrap_or(false)
    }
}

/// Rows of one level, or the lower threshold that makes it exact.
enum Outcome {
    Rows(Vec<NgramRow>),
    Lower(u64),
}

/// What to compute from a loaded subcorpus.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request {
    pub n_min: usize,
    pub n_max: usize,
    pub keep: usize,
    pub min_freq: u64,
    pub unit: Unit,
    pub hide_stopwords: bool,
    pub syllables: u64,
}

/// What `top` did: the thresholds of its rounds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rounds {
    /// Threshold of each round (the last one gave the rows).
    pub thresholds: Vec<u64>,
}

/// The first threshold, estimated on a sample: every [`SAMPLE_EVERY`]-th chunk
/// is counted in full (every n_max-gram), and the keep-th visible count scaled to
/// the whole, with a margin. A guess only: the rounds make the result exact
/// whatever it is; a good guess makes the first round both cheap and final.
fn first_threshold(loaded: &Loaded, req: &Request, stop: &Stop) -> u64 {
    let total: usize = loaded.chunks.iter().map(|c| c.ids.len()).sum();
    if total < MIN_SAMPLED_CORPUS {
        return 1;
    }
    let sample: Vec<&Chunk> = loaded.chunks.iter().step_by(SAMPLE_EVERY).collect();
    let sampled: usize = sample.iter().map(|c| c.ids.len()).sum();
    if sampled == 0 {
        return 1;
    }
    // The deepest level only: its cut is nearly always the lowest (and a wrong
    // guess costs a round, never a wrong row).
    let mut estimate = u64::MAX;
    for n in req.n_max..=req.n_max {
        let counts: FxMap<u128, u32> = parts(&sample)
            .par_iter()
            .map(|part| {
                let mut counts: FxMap<u128, u32> = FxMap::default();
                for c in part.iter() {
                    for w in c.ids.windows(n) {
                        if w.iter().all(|&u| u < NONE) {
                            let k = w
                                .iter()
                                .enumerate()
                                .fold(0u128, |k, (i, &u)| k | (u128::from(u) << (32 * i)));
                            *counts.entry(k).or_default() += 1;
                        }
                    }
                }
                counts
            })
            .reduce(FxMap::default, |a, b| {
                let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                for (k, c) in small {
                    *big.entry(k).or_default() += c;
                }
                big
            });
        let mut visible: Vec<u32> = counts
            .iter()
            .filter(|(&k, _)| {
                let units: Vec<u32> = (0..n).map(|i| (k >> (32 * i)) as u32).collect();
                !stop.active
                    || !(units.first().is_some_and(|&u| stop.is_stop(u))
                        || units.last().is_some_and(|&u| stop.is_stop(u))
                        || stop.whole.contains(&units))
            })
            .map(|(_, &c)| c)
            .collect();
        let Some(i) = req.keep.checked_sub(1).filter(|&i| i < visible.len()) else {
            return 1;
        };
        let (_, nth, _) = visible.select_nth_unstable_by(i, |a, b| b.cmp(a));
        let scaled = u64::from(*nth) * total as u64 / sampled as u64;
        estimate = estimate.min(scaled / SAMPLE_MARGIN);
    }
    estimate.max(1)
}

/// Computes the rows of `req` from `loaded`, starting from threshold `first`
/// (`None`: estimated on a sample, see [`first_threshold`]). `reload` reads the subcorpus again
/// when a round must be redone.
pub(crate) fn top(
    mut loaded: Loaded,
    req: &Request,
    first: Option<u64>,
    reload: &dyn Fn() -> Result<Loaded>,
) -> Result<(Vec<NgramRow>, Rounds)> {
    let floor = req.min_freq.max(1);
    let stop = Stop::new(&loaded.units, req.unit, req.hide_stopwords);
    let mut rows = Vec::new();
    if req.n_min <= 1 {
        rows.extend(unigram_rows(&loaded, req, &stop));
    }
    let mut rounds = Rounds::default();
    if req.n_max < 2 || req.keep == 0 {
        return Ok((rows, rounds));
    }
    let mut t = first
        .unwrap_or_else(|| first_threshold(&loaded, req, &stop))
        .max(floor);
    loop {
        rounds.thresholds.push(t);
        if rounds.thresholds.len() > 1 {
            loaded = reload()?;
        }
        keep_frequent_units(&mut loaded.chunks, &loaded.tf, t);
        let mut levels = Levels {
            units: &loaded.units,
            above: Vec::new(),
        };
        let mut got = Vec::new();
        let mut lower: Option<u64> = None;
        for n in 2..=req.n_max {
            let counts = Levels::count(&loaded.chunks, t);
            if n >= req.n_min {
                match select(&levels, &stop, req, n, &counts, t) {
                    Outcome::Rows(r) => got.extend(r),
                    Outcome::Lower(x) => lower = Some(lower.map_or(x, |l| l.min(x))),
                }
            }
            if n < req.n_max {
                let f = levels.frequent(n, &counts, t);
                step(&mut loaded.chunks, &f);
                levels.above.push(f);
            }
        }
        match lower {
            // Always progress: a level is exact by definition once t ≤ floor.
            Some(x) if t > floor => t = x.min(t - 1).max(floor),
            _ => {
                rows.extend(got);
                return Ok((rows, rounds));
            }
        }
    }
}

fn unigram_rows(loaded: &Loaded, req: &Request, stop: &Stop) -> Vec<NgramRow> {
    let floor = req.min_freq.max(1);
    let mut cands: Vec<(u64, u32)> = loaded
        .tf
        .iter()
        .enumerate()
        .filter(|&(i, &tf)| tf >= floor && !(stop.active && stop.is_stop(i as u32)))
        .map(|(i, &tf)| (tf, i as u32))
        .collect();
    cut(&mut cands, req.keep);
    let mut rows: Vec<NgramRow> = cands
        .into_iter()
        .map(|(tf, i)| NgramRow {
            n: 1,
            ngram: loaded
                .units
                .get(i as usize)
                .map_or_else(String::new, |u| u.to_string()),
            tf,
            df: loaded.df.get(i as usize).copied().unwrap_or(0),
            rate_per_10k: rate(tf, req.syllables),
        })
        .collect();
    sort_rows(&mut rows, req.keep);
    rows
}

/// Keeps the candidates with tf ≥ the keep-th largest tf; returns that tf (0
/// when there are fewer than `keep`).
fn cut<T>(cands: &mut Vec<(u64, T)>, keep: usize) -> u64 {
    if keep == 0 {
        cands.clear();
        return 0;
    }
    if cands.len() < keep {
        return 0;
    }
    cands.select_nth_unstable_by(keep - 1, |a, b| b.0.cmp(&a.0));
    let c = cands.get(keep - 1).map_or(0, |x| x.0);
    cands.retain(|x| x.0 >= c);
    c
}

fn sort_rows(rows: &mut Vec<NgramRow>, keep: usize) {
    rows.sort_by(|a, b| b.tf.cmp(&a.tf).then_with(|| a.ngram.cmp(&b.ngram)));
    rows.truncate(keep);
}

fn select(
    levels: &Levels<'_>,
    stop: &Stop,
    req: &Request,
    n: usize,
    counts: &Counts,
    t: u64,
) -> Outcome {
    let floor = req.min_freq.max(1);
    let shows = |k: u64| -> bool {
        if !stop.active {
            return true;
        }
        let (l, r) = halves(k);
        if stop.is_stop(levels.first(n - 1, l)) || stop.is_stop(levels.last(n - 1, r)) {
            return false;
        }
        stop.whole.is_empty() || !stop.whole.contains(&levels.key_units(n, k))
    };
    let mut cands: Vec<(u64, (u32, u64))> = counts
        .iter()
        .filter(|&(&k, c)| c.tf >= floor && shows(k))
        .map(|(&k, c)| (c.tf, (c.df, k)))
        .collect();
    let enough = cands.len() >= req.keep;
    let c = cut(&mut cands, req.keep);
    let exact = if enough { c >= t } else { t <= floor };
    if !exact {
        let lower = if enough { c } else { t / FALLBACK_DIVISOR };
        return Outcome::Lower(lower.max(floor));
    }
    let mut rows: Vec<NgramRow> = cands
        .into_iter()
        .map(|(tf, (df, k))| {
            let text: Vec<&str> = levels
                .key_units(n, k)
                .into_iter()
                .map(|u| levels.units.get(u as usize).map_or("", |s| &**s))
                .collect();
            NgramRow {
                n,
                ngram: text.join(" "),
                tf,
                df: u64::from(df),
                rate_per_10k: rate(tf, req.syllables),
            }
        })
        .collect();
    sort_rows(&mut rows, req.keep);
    Outcome::Rows(rows)
}

/// Computes a top-terms table (uncached; see [`super::Stats::top_terms`]).
pub fn top_terms(engine: &Engine, searcher: &Searcher, req: &TopTermsRequest) -> Result<TopTerms> {
    top_terms_rounds(engine, searcher, req, None).map(|(t, _)| t)
}

/// [`Stats::top_terms`](super::Stats::top_terms), with the pruning rounds starting at threshold `first` (`None`:
/// estimated on a sample of the subcorpus) and the thresholds tried reported — the
/// rows are the same whatever `first` is (see the module docs).
pub fn top_terms_rounds(
    engine: &Engine,
    searcher: &Searcher,
    req: &TopTermsRequest,
    first: Option<u64>,
) -> Result<(TopTerms, Rounds)> {
    req.validate()?;
    let docs = req.subcorpus.resolve(engine, searcher)?;
    let load = || load(engine, searcher, &docs, req.unit);
    let keep = req.limit.clamp(CACHED_ROWS, TopTermsRequest::MAX_LIMIT);
    let (rows, rounds) = top(
        load()?,
        &Request {
            n_min: req.n_min,
            n_max: req.n_max,
            keep,
            min_freq: req.min_freq,
            unit: req.unit,
            hide_stopwords: req.hide_stopwords,
            syllables: docs.syllables(),
        },
        first,
        &load,
    )?;
    Ok((
        TopTerms {
            subcorpus_documents: docs.documents(),
            subcorpus_syllables: docs.syllables(),
            cached: false,
            rows,
        },
        rounds,
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A loaded subcorpus built from documents given as runs of syllables: their
    /// streams read by three workers, three documents per chunk.
    fn loaded(docs: &[Vec<Vec<String>>]) -> Loaded {
        let mut workers: Vec<Worker> = (0..3).map(|_| Worker::default()).collect();
        for (i, group) in docs.chunks(3).enumerate() {
            let Some(w) = workers.get_mut(i % 3) else {
                continue;
            };
            let mut chunk = Chunk::default();
            for doc in group {
                let runs: Vec<String> = doc.iter().map(|r| r.join(" ")).collect();
                w.add(
                    runs.join("\n").as_bytes(),
                    Unit::Syllables,
                    None,
                    &mut chunk,
                );
            }
            w.chunks.push(chunk);
        }
        merge_workers(workers)
    }

    fn top_of(
        docs: &[Vec<Vec<String>>],
        req: &Request,
        first: Option<u64>,
    ) -> (Vec<NgramRow>, Rounds) {
        top(loaded(docs), req, first, &|| Ok(loaded(docs))).unwrap()
    }

    /// Deterministic pseudo-random numbers (xorshift).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        /// Roughly Zipfian index below `n`.
        fn zipf(&mut self, n: usize) -> usize {
            let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
            ((n as f64).powf(u) - 1.0) as usize % n
        }
    }

    const VOCAB: &[&str] = &[
        "của",
        "và",
        "kế",
        "hoạch",
        "thi",
        "đua",
        "tỉnh",
        "năm",
        "các",
        "là",
        "bao",
        "giờ",
        "phát",
        "triển",
        "kinh",
        "tế",
        "xã",
        "hội",
        "nông",
        "thôn",
        "mới",
        "số",
        "chuyển",
        "đổi",
        "người",
        "dân",
        "công",
        "tác",
        "khen",
        "thưởng",
    ];

    fn corpus(seed: u64, docs: usize) -> Vec<Vec<Vec<String>>> {
        let mut r = Rng(seed);
        (0..docs)
            .map(|_| {
                let runs = 1 + r.next() % 6;
                (0..runs)
                    .map(|_| {
                        let len = 1 + r.next() % 12;
                        (0..len)
                            .map(|_| VOCAB[r.zipf(VOCAB.len())].to_string())
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    fn brute(docs: &[Vec<Vec<String>>], req: &Request) -> Vec<(usize, String, u64, u64)> {
        let lex = lexicon::get();
        let mut m: HashMap<(usize, String), (u64, u64)> = HashMap::new();
        for doc in docs {
            let mut seen = HashSet::new();
            for run in doc {
                for n in req.n_min..=req.n_max {
                    for w in run.windows(n) {
                        let hidden = req.hide_stopwords
                            && (lex.stopwords.contains(&w[0])
                                || lex.stopwords.contains(&w[n - 1])
                                || lex.stopwords.contains(&w.join(" ")));
                        if hidden {
                            continue;
                        }
                        let k = (n, w.join(" "));
                        let e = m.entry(k.clone()).or_default();
                        e.0 += 1;
                        if seen.insert(k) {
                            e.1 += 1;
                        }
                    }
                }
            }
        }
        let mut all: Vec<(usize, String, u64, u64)> = m
            .into_iter()
            .filter(|(_, (tf, _))| *tf >= req.min_freq.max(1))
            .map(|((n, s), (tf, df))| (n, s, tf, df))
            .collect();
        all.sort_by(|a, b| (a.0, b.2, &a.1).cmp(&(b.0, a.2, &b.1)));
        let mut per: HashMap<usize, usize> = HashMap::new();
        all.retain(|r| {
            let c = per.entry(r.0).or_default();
            *c += 1;
            *c <= req.keep
        });
        all
    }

    fn rows(r: &[NgramRow]) -> Vec<(usize, String, u64, u64)> {
        r.iter()
            .map(|r| (r.n, r.ngram.clone(), r.tf, r.df))
            .collect()
    }

    #[test]
    fn pruned_rows_equal_a_full_count_whatever_the_first_threshold() {
        let mut ties_at_cut = 0;
        let mut pruned_exact = 0;
        let mut lowered = 0;
        for seed in 1..=4u64 {
            let docs = corpus(seed * 7919, 60);
            let syllables: u64 = loaded(&docs).tf.iter().sum();
            for keep in [1, 2, 3, 5, 10, 40] {
                for (hide, min_freq) in [(true, 1), (false, 1), (true, 4)] {
                    let req = Request {
                        n_min: 1,
                        n_max: 4,
                        keep,
                        min_freq,
                        unit: Unit::Syllables,
                        hide_stopwords: hide,
                        syllables,
                    };
                    let want = brute(&docs, &req);
                    // A tie at the cut: the keep-th and the next n-gram have the same tf.
                    let full = brute(
                        &docs,
                        &Request {
                            keep: usize::MAX,
                            ..req
                        },
                    );
                    for n in 1..=4 {
                        let of_n: Vec<_> = full.iter().filter(|r| r.0 == n).collect();
                        if of_n.len() > keep && of_n[keep - 1].2 == of_n[keep].2 {
                            ties_at_cut += 1;
                        }
                    }
                    for first in [
                        None,
                        Some(1),
                        Some(2),
                        Some(3),
                        Some(8),
                        Some(50),
                        Some(1 << 40),
                    ] {
                        let (got, rounds) = top_of(&docs, &req, first);
                        assert_eq!(
                            rows(&got),
                            want,
                            "seed {seed} keep {keep} hide {hide} min_freq {min_freq} first {first:?}"
                        );
                        let last = rounds.thresholds.last().copied().unwrap_or(1);
                        if last > min_freq {
                            pruned_exact += 1;
                        }
                        if rounds.thresholds.len() > 1 {
                            lowered += 1;
                        }
                        assert!(rounds.thresholds.windows(2).all(|w| w[1] < w[0]));
                    }
                    for r in &top_of(&docs, &req, None).0 {
                        assert!(
                            (r.rate_per_10k - r.tf as f64 * 1e4 / syllables as f64).abs() < 1e-9
                        );
                    }
                }
            }
        }
        // The cases the test is about did occur.
        assert!(ties_at_cut > 10, "{ties_at_cut}");
        assert!(pruned_exact > 10, "{pruned_exact}");
        assert!(lowered > 10, "{lowered}");
    }

    #[test]
    fn n_min_above_one_and_empty_input() {
        let docs = corpus(42, 50);
        let req = Request {
            n_min: 3,
            n_max: 3,
            keep: 5,
            min_freq: 1,
            unit: Unit::Syllables,
            hide_stopwords: true,
            syllables: 1,
        };
        let (got, _) = top_of(&docs, &req, Some(1_000));
        assert_eq!(rows(&got), brute(&docs, &req));
        assert!(got.iter().all(|r| r.n == 3) && got.len() == 5);
        let (none, _) = top_of(&[], &req, None);
        assert!(none.is_empty());
    }
}
