//! Keyness: n-grams over- and under-represented in a target subcorpus compared
//! with a reference (by default the rest of the corpus).
//!
//! With a = frequency in the target, b = in the reference, c and d the sizes of the
//! target and the reference in syllables:
//! * **G²** (log-likelihood, Rayson & Garside 2000, the 2-cell form):
//!   E1 = c·(a+b)/(c+d), E2 = d·(a+b)/(c+d),
//!   G² = 2·(a·ln(a/E1) + b·ln(b/E2)), a term with a zero frequency contributing 0;
//! * **log ratio** (Hardie 2014): log2((a/c) / (b/d)), where a zero frequency is
//!   replaced by 0.5 (only zeros; so a term absent from the reference gets a finite
//!   log ratio);
//! * `direction` is `over` when a/c > b/d, else `under`.
//!
//! N-grams are counted as in [`super::ngrams`] (runs, units, stop list); rows with
//! a + b below `min_freq` are dropped; each direction is sorted by G², highest
//! first, and cut at `limit`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::ngrams::{GramCounts, Unit, MAX_N};
use super::rate;
use super::subcorpus::Subcorpus;
use crate::table::{Cell, CsvTable, RowSink};
use crate::{Error, Result};

/// A keyness request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KeynessRequest {
    /// The target subcorpus.
    pub target: Subcorpus,
    /// The reference (`None`: the rest of the corpus).
    #[serde(default)]
    pub reference: Option<Subcorpus>,
    /// n-gram size (1–4).
    #[serde(default = "defaults::n")]
    pub n: usize,
    /// Syllables or words.
    #[serde(default)]
    pub unit: Unit,
    /// Apply the display stop list.
    #[serde(default = "defaults::hide_stopwords")]
    pub hide_stopwords: bool,
    /// Smallest a + b.
    #[serde(default = "defaults::min_freq")]
    pub min_freq: u64,
    /// Rows per direction.
    #[serde(default = "defaults::limit")]
    pub limit: usize,
}

serde_defaults!(KeynessRequest {
    n: usize,
    hide_stopwords: bool,
    min_freq: u64,
    limit: usize
});

impl Default for KeynessRequest {
    fn default() -> Self {
        KeynessRequest {
            target: Subcorpus::default(),
            reference: None,
            n: 1,
            unit: Unit::Syllables,
            hide_stopwords: true,
            min_freq: 5,
            limit: 50,
        }
    }
}

impl KeynessRequest {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_N).contains(&self.n) {
            return Err(Error::InvalidParameter {
                name: "n".into(),
                message: format!("{} is out of range; use 1 to {MAX_N}", self.n),
            });
        }
        Ok(())
    }
}

/// Over- or under-represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More frequent in the target.
    Over,
    /// Less frequent in the target.
    Under,
}

impl Direction {
    /// `over` or `under`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Over => "over",
            Direction::Under => "under",
        }
    }
}

/// One key term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeynessRow {
    /// The n-gram.
    pub term: String,
    /// Over or under.
    pub direction: Direction,
    /// a.
    pub target_freq: u64,
    /// b.
    pub reference_freq: u64,
    /// a per 10,000 syllables of the target.
    pub target_rate_per_10k: f64,
    /// b per 10,000 syllables of the reference.
    pub reference_rate_per_10k: f64,
    /// G².
    pub g2: f64,
    /// Log ratio.
    pub log_ratio: f64,
}

/// The answer to a [`KeynessRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyness {
    /// c.
    pub target_syllables: u64,
    /// d.
    pub reference_syllables: u64,
    /// Over-represented rows, then under-represented rows.
    pub rows: Vec<KeynessRow>,
}

impl CsvTable for Keyness {
    fn columns(&self) -> Vec<&'static str> {
        vec![
            "term",
            "direction",
            "target_freq",
            "reference_freq",
            "target_rate_per_10k",
            "reference_rate_per_10k",
            "g2",
            "log_ratio",
        ]
    }

    fn write_rows(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        for r in &self.rows {
            sink.row(&[
                Cell::Text(&r.term),
                Cell::Text(r.direction.name()),
                Cell::Int(r.target_freq),
                Cell::Int(r.reference_freq),
                Cell::Float(r.target_rate_per_10k),
                Cell::Float(r.reference_rate_per_10k),
                Cell::Float(r.g2),
                Cell::Float(r.log_ratio),
            ])?;
        }
        Ok(())
    }
}

/// G² of a term (see the module docs).
pub fn g2(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    if c + d == 0.0 {
        return 0.0;
    }
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let part = |o: f64, e: f64| {
        if o > 0.0 && e > 0.0 {
            o * (o / e).ln()
        } else {
            0.0
        }
    };
    2.0 * (part(a, e1) + part(b, e2))
}

/// Log ratio of a term (see the module docs).
pub fn log_ratio(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let s = |x: u64| if x == 0 { 0.5 } else { x as f64 };
    ((s(a) / c.max(1) as f64) / (s(b) / d.max(1) as f64)).log2()
}

/// Counted n-grams of a subcorpus.
#[derive(Debug)]
pub(crate) struct Counted {
    pub counts: GramCounts,
    pub syllables: u64,
}

impl crate::query::Weigh for Counted {
    fn weight(&self) -> usize {
        self.counts.weight()
    }
}

/// Computes keyness from counts. `reference` holds the reference counts, or the
/// whole corpus's counts when `rest` is true (the reference is then all − target).
pub(crate) fn keyness_from(
    req: &KeynessRequest,
    target: &Counted,
    reference: &Counted,
    rest: bool,
) -> Result<Keyness> {
    req.validate()?;
    let n = req.n;
    let c = target.syllables;
    let d = if rest {
        reference.syllables.saturating_sub(c)
    } else {
        reference.syllables
    };
    let tvis = target.counts.visibility(req.unit, req.hide_stopwords);
    let rvis = reference.counts.visibility(req.unit, req.hide_stopwords);
    let mut rows = Vec::new();
    let mut push = |term: String, a: u64, b: u64| {
        if a + b < req.min_freq.max(1) {
            return;
        }
        let over = (a as f64) * (d as f64) > (b as f64) * (c as f64);
        rows.push(KeynessRow {
            direction: if over {
                Direction::Over
            } else {
                Direction::Under
            },
            target_freq: a,
            reference_freq: b,
            target_rate_per_10k: rate(a, c),
            reference_rate_per_10k: rate(b, d),
            g2: g2(a, b, c, d),
            log_ratio: log_ratio(a, b, c, d),
            term,
        });
    };
    let empty = Default::default();
    let tmap = target.counts.maps.get(n - 1).unwrap_or(&empty);
    let rmap = reference.counts.maps.get(n - 1).unwrap_or(&empty);
    for (key, cell) in tmap {
        if !tvis.shows(n, *key) {
            continue;
        }
        let units = target.counts.units_of(n, *key);
        let r = reference.counts.get(n, &units).map_or(0, |x| x.tf);
        let text = units.join(" ");
        let b = if rest { r.saturating_sub(cell.tf) } else { r };
        push(text, cell.tf, b);
    }
    for (key, cell) in rmap {
        if !rvis.shows(n, *key) {
            continue;
        }
        let units = reference.counts.units_of(n, *key);
        if target.counts.get(n, &units).is_some_and(|x| x.tf > 0) {
            continue;
        }
        push(units.join(" "), 0, cell.tf);
    }
    let by_g2 =
        |x: &KeynessRow, y: &KeynessRow| y.g2.total_cmp(&x.g2).then_with(|| x.term.cmp(&y.term));
    let (mut over, mut under): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|r| r.direction == Direction::Over);
    over.sort_by(by_g2);
    under.sort_by(by_g2);
    over.truncate(req.limit);
    under.truncate(req.limit);
    over.extend(under);
    Ok(Keyness {
        target_syllables: c,
        reference_syllables: d,
        rows: over,
    })
}

/// Shared handle to counts.
pub(crate) type SharedCounts = Arc<Counted>;
