//! Collocates of a term: the syllables found within ±`window` syllables of its
//! occurrences, ranked by logDice or MI.
//!
//! Definitions (x the node, y a collocate, in the subcorpus):
//! * `f(x)`: occurrences of the node (as [`super::frequency`] counts them);
//! * `f(xy)`: occurrences of y at most `window` syllables before the node's first
//!   syllable or after its last (the node's own syllables excluded), summed over
//!   every occurrence of the node; windows do not stop at punctuation, and a
//!   syllable inside the windows of two nearby occurrences counts twice (so f(xy)
//!   can exceed f(y) in tiny samples);
//! * `f(y)`: occurrences of y (its accented canonical form, from the postings of
//!   the accented body field);
//! * `N`: syllables of the subcorpus;
//! * **logDice** (Rychlý 2008) = 14 + log2(2·f(xy) / (f(x) + f(y)));
//! * **MI** = log2(f(xy)·N / (f(x)·f(y)·span)) with span = 2·window, the number of
//!   positions each occurrence offers (Church & Hanks' pointwise mutual information
//!   corrected for the window size, as in Sketch Engine and CQPweb).
//!
//! Collocates are the analysed syllables in their accented canonical form, or with
//! [`Unit::Words`] lexicon words: the syllable stream stored at ingest
//! ([`crate::index::syllables`]) is joined into words as the n-gram tables join it
//! (greedy longest match within a run, [`super::ngrams`]), the window counts words,
//! a word overlapping the node is part of the node, `f(y)` is y's count as a word
//! (from the unigram word counts of the subcorpus) and `N` the words of the
//! subcorpus.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet as _, Searcher, Term, TERMINATED};

use super::frequency::Pattern;
use super::keyness::Counted;
use super::ngrams::{words_of, Unit};
use super::subcorpus::{DocSet, Subcorpus};
use crate::analysis::lexicon::{self, Lexicon};
use crate::index::syllables;
use crate::query::Engine;
use crate::table::{Cell, CsvTable, RowSink};
use crate::{Error, Result};

/// Widest window.
pub const MAX_WINDOW: usize = 20;

/// Ranking of collocates.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CollocateSort {
    /// logDice, highest first.
    #[default]
    LogDice,
    /// MI, highest first.
    Mi,
    /// Co-occurrences, most first.
    Frequency,
}

/// A collocates request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollocatesRequest {
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: Subcorpus,
    /// The node term or phrase.
    pub term: String,
    /// Units (syllables or words) on each side.
    #[serde(default = "defaults::window")]
    pub window: usize,
    /// Smallest f(xy) shown.
    #[serde(default = "defaults::min_freq")]
    pub min_freq: u64,
    /// Rows.
    #[serde(default = "defaults::limit")]
    pub limit: usize,
    /// Ranking.
    #[serde(default)]
    pub sort: CollocateSort,
    /// Syllables or lexicon words, for the window and the collocates.
    #[serde(default)]
    pub unit: Unit,
}

serde_defaults!(CollocatesRequest {
    window: usize,
    min_freq: u64,
    limit: usize
});

impl Default for CollocatesRequest {
    fn default() -> Self {
        CollocatesRequest {
            subcorpus: Subcorpus::default(),
            term: String::new(),
            window: 5,
            min_freq: 2,
            limit: 50,
            sort: CollocateSort::LogDice,
            unit: Unit::Syllables,
        }
    }
}

/// One collocate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CollocateRow {
    /// The collocate (accented canonical syllable, or word).
    pub collocate: String,
    /// f(xy).
    pub cooccurrences: u64,
    /// f(y).
    pub collocate_frequency: u64,
    /// logDice.
    pub log_dice: f64,
    /// MI.
    pub mi: f64,
}

/// The answer to a [`CollocatesRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Collocates {
    /// The node as typed.
    pub term: String,
    /// f(x).
    pub node_frequency: u64,
    /// N.
    pub subcorpus_syllables: u64,
    /// The window.
    pub window: usize,
    /// Syllables or words.
    pub unit: Unit,
    /// The collocates, best first.
    pub rows: Vec<CollocateRow>,
}

impl CsvTable for Collocates {
    fn columns(&self) -> Vec<&'static str> {
        vec![
            "collocate",
            "cooccurrences",
            "collocate_frequency",
            "node_frequency",
            "log_dice",
            "mi",
        ]
    }

    fn write_rows(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        for r in &self.rows {
            sink.row(&[
                Cell::Text(&r.collocate),
                Cell::Int(r.cooccurrences),
                Cell::Int(r.collocate_frequency),
                Cell::Int(self.node_frequency),
                Cell::Float(r.log_dice),
                Cell::Float(r.mi),
            ])?;
        }
        Ok(())
    }
}

/// logDice of (f(xy), f(x), f(y)).
pub fn log_dice(fxy: u64, fx: u64, fy: u64) -> f64 {
    14.0 + (2.0 * fxy as f64 / (fx + fy) as f64).log2()
}

/// MI of (f(xy), f(x), f(y), N, span).
pub fn mi(fxy: u64, fx: u64, fy: u64, n: u64, span: u64) -> f64 {
    (fxy as f64 * n as f64 / (fx as f64 * fy as f64 * span as f64)).log2()
}

/// Occurrences of an accented syllable in the subcorpus.
fn subcorpus_tf(
    engine: &Engine,
    searcher: &Searcher,
    docs: &DocSet,
    syllable: &str,
) -> Result<u64> {
    let field = engine.fields().body;
    let term = Term::from_field_text(field, syllable);
    let mut total = 0u64;
    for (seg, sd) in searcher.segment_readers().iter().zip(docs.segments()) {
        let inv = seg.inverted_index(field)?;
        let Some(mut p) = inv
            .read_postings(&term, IndexRecordOption::WithFreqs)
            .map_err(tantivy::TantivyError::from)?
        else {
            continue;
        };
        let mut d = p.doc();
        while d != TERMINATED {
            if sd.contains(d) {
                total += u64::from(p.term_freq());
            }
            d = p.advance();
        }
    }
    Ok(total)
}

/// The units of a stored syllable stream (syllables, or words joined within runs),
/// and for each syllable position the index of the unit holding it.
fn units_of(stream: &str, unit: Unit, lex: Option<&Lexicon>) -> (Vec<String>, Vec<usize>) {
    let mut units = Vec::new();
    let mut at = Vec::new();
    for run in syllables::runs(stream) {
        match (unit, lex) {
            (Unit::Words, Some(lex)) => {
                let syl: Vec<&str> = run.collect();
                for w in words_of(&syl, lex) {
                    let n = w.split(' ').count();
                    at.extend(std::iter::repeat_n(units.len(), n));
                    units.push(w);
                }
            }
            _ => {
                for s in run {
                    at.push(units.len());
                    units.push(s.to_string());
                }
            }
        }
    }
    (units, at)
}

/// Co-occurrence counts f(xy) in one document: the units within `w` units of each
/// occurrence (starting at syllable positions `starts`, `len` syllables long).
fn window_counts(
    stream: &str,
    starts: &[u32],
    len: usize,
    w: usize,
    unit: Unit,
    lex: Option<&Lexicon>,
) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let (units, at) = units_of(stream, unit, lex);
    for &p in starts {
        let p = p as usize;
        let (Some(&first), Some(&last)) = (at.get(p), at.get(p + len.max(1) - 1)) else {
            continue;
        };
        let left = first.saturating_sub(w)..first;
        let right = (last + 1)..(last + 1 + w).min(units.len());
        for i in left.chain(right) {
            if let Some(u) = units.get(i) {
                *out.entry(u.clone()).or_insert(0) += 1;
            }
        }
    }
    out
}

/// Computes the collocates of a term. `words` holds the subcorpus's unigram word
/// counts when `req.unit` is [`Unit::Words`] (f(y) and N come from them).
pub fn collocates(
    engine: &Engine,
    searcher: &Searcher,
    req: &CollocatesRequest,
    words: Option<&Counted>,
) -> Result<Collocates> {
    if req.window == 0 || req.window > MAX_WINDOW {
        return Err(Error::InvalidParameter {
            name: "window".into(),
            message: format!("{} is out of range; use 1 to {MAX_WINDOW}", req.window),
        });
    }
    let pat = Pattern::new(engine, &req.term)?;
    let docs = req.subcorpus.resolve(engine, searcher)?;
    let readers = searcher.segment_readers();
    let mut found = Vec::new();
    for (i, (seg, sd)) in readers.iter().zip(docs.segments()).enumerate() {
        pat.for_each_match(seg, sd, &mut |doc, starts| {
            found.push((i, doc, starts.to_vec()))
        })?;
    }
    let fx: u64 = found.iter().map(|(_, _, s)| s.len() as u64).sum();
    let len = pat.syllables.len();
    let w = req.window;
    let lex = (req.unit == Unit::Words).then(lexicon::get);
    let field = engine.fields().syllables;
    let counts: BTreeMap<String, u64> = found
        .par_iter()
        .map(|(seg, doc, starts)| -> Result<BTreeMap<String, u64>> {
            let Some(reader) = readers.get(*seg) else {
                return Ok(BTreeMap::new());
            };
            let store = reader
                .get_store_reader(1)
                .map_err(tantivy::TantivyError::from)?;
            let stream = syllables::read(&store, *doc, field)?;
            let stream = String::from_utf8_lossy(&stream);
            Ok(window_counts(&stream, starts, len, w, req.unit, lex))
        })
        .try_reduce(BTreeMap::new, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_insert(0) += v;
            }
            Ok(a)
        })?;
    let syllable_total = docs.syllables();
    let (n, word_counts) = match words.filter(|_| req.unit == Unit::Words) {
        Some(c) => (
            c.counts
                .maps
                .first()
                .map_or(0, |m| m.values().map(|x| x.tf).sum()),
            Some(&c.counts),
        ),
        None => (syllable_total, None),
    };
    let span = 2 * w as u64;
    let mut rows = Vec::new();
    for (y, fxy) in counts {
        if fxy < req.min_freq.max(1) {
            continue;
        }
        let fy = match word_counts {
            Some(c) => c.get(1, &[y.as_str()]).map_or(fxy, |x| x.tf),
            None => subcorpus_tf(engine, searcher, &docs, &y)?,
        };
        rows.push(CollocateRow {
            log_dice: log_dice(fxy, fx, fy),
            mi: mi(fxy, fx, fy, n, span),
            collocate: y,
            cooccurrences: fxy,
            collocate_frequency: fy,
        });
    }
    let key = |r: &CollocateRow| match req.sort {
        CollocateSort::LogDice => r.log_dice,
        CollocateSort::Mi => r.mi,
        CollocateSort::Frequency => r.cooccurrences as f64,
    };
    rows.sort_by(|a, b| {
        key(b)
            .total_cmp(&key(a))
            .then_with(|| a.collocate.cmp(&b.collocate))
    });
    rows.truncate(req.limit);
    Ok(Collocates {
        term: pat.text,
        node_frequency: fx,
        subcorpus_syllables: syllable_total,
        window: w,
        unit: req.unit,
        rows,
    })
}
