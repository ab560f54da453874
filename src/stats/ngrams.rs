//! Most frequent n-grams (1–4 units) of a subcorpus, with a display stop list and
//! a "words" mode.
//!
//! ## How n-grams are counted
//!
//! N-grams are counted over the body as [`crate::analysis`] analyses it (the
//! accented canonical view; where the analyzer puts two tokens at one position —
//! a Roman numeral and its value — the first, the numeral as written, is kept). The
//! syllables are split into **runs** at punctuation and line breaks: a gap between
//! two syllables that contains anything but spaces and tabs (a comma, a full stop,
//! a bracket, a newline…) ends a run, and an n-gram never spans two runs. These
//! runs are computed once at ingest time and stored with each document (its
//! syllable stream, [`crate::index::syllables`]), so counting never re-analyses a body. In
//! [`Unit::Words`] mode the syllables of each run are first joined into lexicon
//! words (pyvi word list; greedy longest match, at most 4 syllables; a syllable
//! that starts no word stays alone), and n-grams are sequences of n words.
//!
//! `tf` counts every occurrence (overlapping ones too), `df` the documents with at
//! least one, `rate_per_10k` is `tf` per 10,000 syllables of the subcorpus.
//!
//! ## Display stop list
//!
//! With `hide_stopwords` (the default) an n-gram is hidden when its first or its
//! last unit is a stopword (stopwords-iso list: a syllable in syllable mode, a word
//! of any length in words mode), or when the whole n-gram is a stopword entry
//! ("bao giờ"). So an n-gram made only of stopwords is always hidden; "của tỉnh"
//! is hidden (it starts with "của") while "kế hoạch của tỉnh" is shown.
//!
//! Work is parallel over documents (rayon); results are cached per (subcorpus,
//! n range, unit, stop list, min frequency, index commit) in [`super::Stats`].
//! A top table is computed exactly with Apriori pruning (`super::topk`): only
//! n-grams whose sub-grams are frequent enough to matter are counted.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::{DocId, Searcher, TantivyDocument};

use super::subcorpus::{DocSet, Subcorpus};
use crate::analysis::lexicon::{self, Lexicon, MAX_WORD_SYLLABLES};
use crate::index::syllables;
use crate::query::Engine;
use crate::table::{Cell as CsvCell, CsvTable, RowSink};
use crate::{Error, Result};

/// Largest n.
pub const MAX_N: usize = 4;
/// Fewest rows per n computed and kept in the cache: a table is computed for
/// `max(limit, CACHED_ROWS)` rows, and requests up to that limit are served
/// from it. (The pruned count is cheaper the fewer rows it must certify.)
pub const CACHED_ROWS: usize = 100;

/// What an n-gram is made of.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Syllables, as indexed.
    #[default]
    Syllables,
    /// Lexicon words (greedy longest match, up to 4 syllables).
    Words,
}

/// A top-terms request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TopTermsRequest {
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: Subcorpus,
    /// Smallest n (1–4).
    #[serde(default = "defaults::n_min")]
    pub n_min: usize,
    /// Largest n (1–4).
    #[serde(default = "defaults::n_max")]
    pub n_max: usize,
    /// Rows per n.
    #[serde(default = "defaults::limit")]
    pub limit: usize,
    /// Syllables or words.
    #[serde(default)]
    pub unit: Unit,
    /// Hide n-grams starting or ending with a stopword (see the module docs).
    #[serde(default = "defaults::hide_stopwords")]
    pub hide_stopwords: bool,
    /// Hide n-grams occurring fewer times.
    #[serde(default = "defaults::min_freq")]
    pub min_freq: u64,
}

serde_defaults!(TopTermsRequest {
    n_min: usize,
    n_max: usize,
    limit: usize,
    hide_stopwords: bool,
    min_freq: u64
});

impl Default for TopTermsRequest {
    fn default() -> Self {
        TopTermsRequest {
            subcorpus: Subcorpus::default(),
            n_min: 1,
            n_max: 3,
            limit: 100,
            unit: Unit::Syllables,
            hide_stopwords: true,
            min_freq: 1,
        }
    }
}

impl TopTermsRequest {
    /// Most rows per n one request may ask for.
    pub const MAX_LIMIT: usize = 10_000;

    pub(crate) fn validate(&self) -> Result<()> {
        let bad = |name: &str, message: String| {
            Err(Error::InvalidParameter {
                name: name.into(),
                message,
            })
        };
        if !(1..=MAX_N).contains(&self.n_min) || !(self.n_min..=MAX_N).contains(&self.n_max) {
            return bad(
                "n",
                format!(
                    "n_min {} and n_max {} must satisfy 1 ≤ n_min ≤ n_max ≤ {MAX_N}",
                    self.n_min, self.n_max
                ),
            );
        }
        if self.limit > Self::MAX_LIMIT {
            return bad(
                "limit",
                format!("{} is too large; at most {}", self.limit, Self::MAX_LIMIT),
            );
        }
        Ok(())
    }
}

/// One n-gram of a top-terms table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NgramRow {
    /// Number of units.
    pub n: usize,
    /// The units joined by a space (accented canonical forms).
    pub ngram: String,
    /// Occurrences.
    pub tf: u64,
    /// Documents containing it.
    pub df: u64,
    /// Occurrences per 10,000 syllables of the subcorpus.
    pub rate_per_10k: f64,
}

/// The answer to a [`TopTermsRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopTerms {
    /// Documents of the subcorpus.
    pub subcorpus_documents: u64,
    /// Syllables of the subcorpus.
    pub subcorpus_syllables: u64,
    /// True when served from the cache.
    pub cached: bool,
    /// Rows: by n, then `tf` descending, then text.
    pub rows: Vec<NgramRow>,
}

impl crate::query::Weigh for TopTerms {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>()
            + self
                .rows
                .iter()
                .map(|r| std::mem::size_of::<NgramRow>() + r.ngram.capacity())
                .sum::<usize>()
    }
}

impl crate::query::Weigh for GramCounts {
    fn weight(&self) -> usize {
        let cell = std::mem::size_of::<(u128, GramCell)>() + 1;
        let id = std::mem::size_of::<(Box<str>, u32)>() + 1;
        std::mem::size_of::<Self>()
            + self.maps.iter().map(|m| m.capacity() * cell).sum::<usize>()
            + self.ids.capacity() * id
            + self
                .units
                .iter()
                .map(|u| std::mem::size_of::<Box<str>>() + 2 * u.len())
                .sum::<usize>()
    }
}

impl CsvTable for TopTerms {
    fn columns(&self) -> Vec<&'static str> {
        vec!["n", "ngram", "tf", "df", "rate_per_10k"]
    }

    fn write_rows(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        for r in &self.rows {
            sink.row(&[
                CsvCell::Int(r.n as u64),
                CsvCell::Text(&r.ngram),
                CsvCell::Int(r.tf),
                CsvCell::Int(r.df),
                CsvCell::Float(r.rate_per_10k),
            ])?;
        }
        Ok(())
    }
}

/// FxHash (rustc's hasher, with rustc-hash 2's final rotation): fast for integer
/// keys, fine for short strings.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Fx(u64);

const FX_K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        // The low bits of a product depend only on the low bits of its input, and
        // hash tables take their bucket from the low bits: bring the well-mixed
        // high bits down (as rustc-hash 2 does), or keys sharing their low bits
        // (packed n-grams with the same last unit) all land in one probe group.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(FX_K);
    }
    fn write_u128(&mut self, i: u128) {
        self.write_u64(i as u64);
        self.write_u64((i >> 64) as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Counts of one n-gram.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct GramCell {
    pub tf: u64,
    pub df: u64,
    last: u32,
}

/// n-gram counts of a set of documents: units interned to ids, n-grams as packed
/// ids (32 bits each).
#[derive(Debug, Default)]
pub(crate) struct GramCounts {
    pub units: Vec<Box<str>>,
    ids: FxMap<Box<str>, u32>,
    /// Index n-1.
    pub maps: Vec<FxMap<u128, GramCell>>,
    n_min: usize,
    seq: u32,
}

fn pack(ids: &[u32]) -> u128 {
    ids.iter()
        .enumerate()
        .fold(0u128, |k, (i, &id)| k | (u128::from(id) << (32 * i)))
}

fn unpack(key: u128, n: usize) -> impl Iterator<Item = u32> {
    (0..n).map(move |i| (key >> (32 * i)) as u32)
}

impl GramCounts {
    pub fn new(n_min: usize, n_max: usize) -> Self {
        GramCounts {
            maps: (0..n_max).map(|_| FxMap::default()).collect(),
            n_min,
            ..GramCounts::default()
        }
    }

    fn n_max(&self) -> usize {
        self.maps.len()
    }

    fn id(&mut self, unit: &str) -> u32 {
        if let Some(&id) = self.ids.get(unit) {
            return id;
        }
        let id = self.units.len() as u32;
        self.units.push(unit.into());
        self.ids.insert(unit.into(), id);
        id
    }

    /// Looks up the id of a unit.
    pub fn unit_id(&self, unit: &str) -> Option<u32> {
        self.ids.get(unit).copied()
    }

    /// Adds one document's runs of unit ids.
    fn add_runs(&mut self, runs: &[Vec<u32>]) {
        self.seq += 1;
        let seq = self.seq;
        for run in runs {
            for n in self.n_min..=self.n_max() {
                let Some(map) = self.maps.get_mut(n - 1) else {
                    continue;
                };
                for w in run.windows(n) {
                    let c = map.entry(pack(w)).or_default();
                    c.tf += 1;
                    if c.last != seq {
                        c.last = seq;
                        c.df += 1;
                    }
                }
            }
        }
    }

    /// Merges `other` into the larger of the two.
    pub fn merge(self, other: GramCounts) -> GramCounts {
        let (mut big, small) = if self.units.len() >= other.units.len() {
            (self, other)
        } else {
            (other, self)
        };
        if big.maps.len() < small.maps.len() {
            big.maps.resize_with(small.maps.len(), FxMap::default);
            big.n_min = small.n_min;
        }
        let remap: Vec<u32> = small.units.iter().map(|u| big.id(u)).collect();
        for (i, map) in small.maps.into_iter().enumerate() {
            let n = i + 1;
            let Some(target) = big.maps.get_mut(i) else {
                continue;
            };
            target.reserve(map.len() / 2);
            for (key, c) in map {
                let ids: Vec<u32> = unpack(key, n)
                    .map(|id| remap.get(id as usize).copied().unwrap_or(id))
                    .collect();
                let t = target.entry(pack(&ids)).or_default();
                t.tf += c.tf;
                t.df += c.df;
            }
        }
        big
    }

    /// The units of a packed n-gram.
    pub fn units_of(&self, n: usize, key: u128) -> Vec<&str> {
        unpack(key, n)
            .map(|id| self.units.get(id as usize).map_or("", |u| &**u))
            .collect()
    }

    /// The counts of an n-gram given as text (units separated by spaces).
    pub fn get(&self, n: usize, text_units: &[&str]) -> Option<GramCell> {
        let ids: Option<Vec<u32>> = text_units.iter().map(|u| self.unit_id(u)).collect();
        self.maps.get(n - 1)?.get(&pack(&ids?)).copied()
    }

    /// A predicate telling whether an n-gram is shown under the stop rule.
    pub fn visibility(&self, unit: Unit, hide_stopwords: bool) -> Visibility {
        if !hide_stopwords {
            return Visibility::default();
        }
        let lex = lexicon::get();
        let stop: Vec<bool> = self
            .units
            .iter()
            .map(|u| lex.stopwords.contains(&**u))
            .collect();
        let mut whole = HashSet::new();
        if unit == Unit::Syllables {
            for entry in &lex.stopwords {
                let ids: Option<Vec<u32>> = entry.split(' ').map(|s| self.unit_id(s)).collect();
                if let Some(ids) = ids.filter(|v| v.len() >= 2 && v.len() <= MAX_N) {
                    whole.insert((ids.len(), pack(&ids)));
                }
            }
        }
        Visibility {
            active: true,
            stop,
            whole,
        }
    }
}

/// The stop rule over interned units (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct Visibility {
    active: bool,
    stop: Vec<bool>,
    whole: HashSet<(usize, u128)>,
}

impl Visibility {
    pub fn shows(&self, n: usize, key: u128) -> bool {
        if !self.active {
            return true;
        }
        let is_stop = |id: u32| self.stop.get(id as usize).copied().unwrap_or(false);
        let first = key as u32;
        let last = (key >> (32 * (n - 1))) as u32;
        !(is_stop(first) || is_stop(last) || self.whole.contains(&(n, key)))
    }
}

/// Joins a run of syllables into lexicon words (greedy longest match).
pub(crate) fn words_of<S: std::borrow::Borrow<str>>(run: &[S], lex: &Lexicon) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut i = 0;
    while i < run.len() {
        let mut len = 1;
        for l in (2..=MAX_WORD_SYLLABLES.min(run.len() - i)).rev() {
            let Some(w) = run.get(i..i + l) else {
                continue;
            };
            buf.clear();
            for (j, s) in w.iter().enumerate() {
                if j > 0 {
                    buf.push(' ');
                }
                buf.push_str(s.borrow());
            }
            if lex.words.contains(&buf) {
                len = l;
                break;
            }
        }
        out.push(
            run.get(i..i + len)
                .map_or_else(String::new, |w| w.join(" ")),
        );
        i += len;
    }
    out
}

/// Unit runs of one syllable stream ([`crate::index::syllables`]).
fn runs_of(stream: &str, unit: Unit, acc: &mut GramCounts, runs: &mut Vec<Vec<u32>>) {
    runs.clear();
    match unit {
        Unit::Syllables => {
            for run in syllables::runs(stream) {
                let ids = run.map(|s| acc.id(s)).collect();
                runs.push(ids);
            }
        }
        Unit::Words => {
            let lex = lexicon::get();
            for run in syllables::runs(stream) {
                let syl: Vec<&str> = run.collect();
                let ids = words_of(&syl, lex).iter().map(|w| acc.id(w)).collect();
                runs.push(ids);
            }
        }
    }
}

/// The stored body of a document.
pub(crate) fn body_of(doc: &TantivyDocument, engine: &Engine) -> String {
    doc.get_first(engine.fields().text)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// Counts the n-grams (n_min..=n_max) of every document of `docs`, in parallel.
pub(crate) fn count(
    engine: &Engine,
    searcher: &Searcher,
    docs: &DocSet,
    n_min: usize,
    n_max: usize,
    unit: Unit,
) -> Result<GramCounts> {
    const CHUNK: usize = 128;
    let readers = searcher.segment_readers();
    let work: Vec<(usize, &[DocId])> = docs
        .segments()
        .iter()
        .enumerate()
        .flat_map(|(i, sd)| sd.docs.chunks(CHUNK).map(move |c| (i, c)))
        .collect();
    if unit == Unit::Words {
        lexicon::get();
    }
    work.par_iter()
        .try_fold(
            || GramCounts::new(n_min, n_max),
            |mut acc, &(seg, chunk)| -> Result<GramCounts> {
                let Some(reader) = readers.get(seg) else {
                    return Ok(acc);
                };
                let store = reader
                    .get_store_reader(4)
                    .map_err(tantivy::TantivyError::from)?;
                let field = engine.fields().syllables;
                let mut runs = Vec::new();
                for &d in chunk {
                    let stream = syllables::read(&store, d, field)?;
                    runs_of(&String::from_utf8_lossy(&stream), unit, &mut acc, &mut runs);
                    acc.add_runs(&runs);
                }
                Ok(acc)
            },
        )
        .try_reduce(|| GramCounts::new(n_min, n_max), |a, b| Ok(a.merge(b)))
}

/// Keeps the first `limit` rows of each n.
pub(crate) fn truncate_per_n(rows: &[NgramRow], limit: usize) -> Vec<NgramRow> {
    let mut seen: HashMap<usize, usize> = HashMap::new();
    rows.iter()
        .filter(|r| {
            let c = seen.entry(r.n).or_default();
            *c += 1;
            *c <= limit
        })
        .cloned()
        .collect()
}
