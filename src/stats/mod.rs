//! Frequency statistics and corpus analysis, with CSV export.
//!
//! | concept | file | request → result |
//! |---|---|---|
//! | subcorpus (query + filters → documents) | `subcorpus.rs` | [`Subcorpus`] → [`DocSet`] |
//! | term/phrase frequency, grouped | `frequency.rs` | [`FrequencyRequest`] → [`FrequencyTable`] |
//! | top n-grams (1–4), stop list, words mode | `ngrams.rs` | [`TopTermsRequest`] → [`TopTerms`] |
//! | trend per year / month / province | `trend.rs` | [`TrendRequest`] → [`Trend`] |
//! | keyness (G², log ratio) | `keyness.rs` | [`KeynessRequest`] → [`Keyness`] |
//! | concordance (KWIC) | `kwic.rs` | [`ConcordanceRequest`] → [`Concordance`] |
//! | collocates (logDice, MI) | `collocates.rs` | [`CollocatesRequest`] → [`Collocates`] |
//! | streaming CSV | [`crate::table`] | any result → rows ([`CsvTable`]) |
//!
//! Requests are serde-deserialisable (flat fields with defaults, a subcorpus
//! flattened in), results serialisable; every result implements [`CsvTable`] with
//! English snake_case columns. [`Stats`] wraps an [`Engine`] and caches top-term
//! tables and n-gram counts per index commit. Rates are per 10,000 syllables; the
//! syllables of a document are the positions of its body (`tokens` field).

/// Serde defaults of a request's fields: the values its `Default` gives, so each
/// default is written once (`#[serde(default = "defaults::limit")]`).
macro_rules! serde_defaults {
    ($req:ident { $($field:ident: $ty:ty),+ $(,)? }) => {
        /// Serde defaults: the request's `Default` values.
        mod defaults {
            $(pub(super) fn $field() -> $ty {
                super::$req::default().$field
            })+
        }
    };
}

mod collocates;
mod frequency;
mod keyness;
mod kwic;
mod ngrams;
mod subcorpus;
mod topk;
mod trend;

use std::sync::Arc;

use crate::query::cache::Lru;

use serde::{Deserialize, Serialize};

pub use crate::table::{write_csv, Cell, CsvFormat, CsvTable, CsvWriter, Decimal, RowSink};
pub use collocates::{log_dice, mi, CollocateRow, CollocateSort, Collocates, CollocatesRequest};
pub use frequency::{FrequencyRequest, FrequencyRow, FrequencyTable, Pattern};
pub use keyness::{g2, log_ratio, Direction, Keyness, KeynessRequest, KeynessRow};
pub use kwic::{Concordance, ConcordanceRequest, KwicLine, KwicSort};
pub use ngrams::{NgramRow, TopTerms, TopTermsRequest, Unit};
pub use subcorpus::{DocSet, Subcorpus};
pub use topk::top_terms_rounds;
pub use trend::{Granularity, Trend, TrendPoint, TrendRequest, TrendSeries};

use crate::query::Engine;
use crate::Result;

/// Grouping of a frequency table.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// No grouping: the total only.
    #[default]
    None,
    /// Province at the time of issue.
    Province,
    /// Province after the 2025 merger.
    ProvinceCurrent,
    /// Level of the issuer (`trung ương`, `tỉnh`, `huyện`, `xã`).
    Level,
    /// Issue year.
    Year,
    /// Issue month (`YYYY-MM`; `YYYY` for documents dated by year only).
    Month,
    /// Theme (a document counts in each of its themes, primary and secondary).
    Theme,
    /// Document type.
    Type,
    /// Issuing body.
    Issuer,
}

impl GroupBy {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::Province => "province",
            GroupBy::ProvinceCurrent => "province_current",
            GroupBy::Level => "level",
            GroupBy::Year => "year",
            GroupBy::Month => "month",
            GroupBy::Theme => "theme",
            GroupBy::Type => "type",
            GroupBy::Issuer => "issuer",
        }
    }
}

impl std::str::FromStr for GroupBy {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<GroupBy> {
        let all = [
            GroupBy::None,
            GroupBy::Province,
            GroupBy::ProvinceCurrent,
            GroupBy::Level,
            GroupBy::Year,
            GroupBy::Month,
            GroupBy::Theme,
            GroupBy::Type,
            GroupBy::Issuer,
        ];
        all.into_iter()
            .find(|g| g.name() == s)
            .ok_or_else(|| crate::Error::InvalidParameter {
                name: "group_by".into(),
                message: format!(
                    "{s:?} is not a grouping; use none, province, province_current, level, year, month, theme, type or issuer"
                ),
            })
    }
}

/// Occurrences per 10,000 syllables (0 when there are no syllables).
pub fn rate(occurrences: u64, syllables: u64) -> f64 {
    if syllables == 0 {
        0.0
    } else {
        occurrences as f64 * 10_000.0 / syllables as f64
    }
}

/// Identifies the index state a searcher sees: its segments and their deletes.
fn commit_key(searcher: &tantivy::Searcher) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for seg in searcher.segment_readers() {
        seg.segment_id().hash(&mut h);
        seg.delete_opstamp().hash(&mut h);
        seg.num_docs().hash(&mut h);
    }
    h.finish()
}

type TopKey = (TopTermsRequest, u64);
type CountKey = (Subcorpus, usize, Unit, u64);

/// Statistics over an engine's index, with caches.
///
/// Caches are keyed by the segments (and deletes) the searcher sees, so a new
/// commit is never answered from old counts.
pub struct Stats {
    engine: Arc<Engine>,
    top: Lru<TopKey, Arc<TopTerms>>,
    counts: Lru<CountKey, keyness::SharedCounts>,
}

impl std::fmt::Debug for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stats")
            .field("engine", &self.engine)
            .field("cached_tables", &self.top.len())
            .finish_non_exhaustive()
    }
}

/// Top-term tables kept in the cache.
pub const TOP_CACHE_ENTRIES: usize = 64;
/// Bytes of top-term tables kept in the cache, at most.
pub const TOP_CACHE_BYTES: usize = 16 << 20;
/// Full n-gram counts kept in the cache (for keyness; they can be large).
pub const COUNT_CACHE_ENTRIES: usize = 4;
/// Bytes of full n-gram counts kept in the cache, at most: a subcorpus's counts
/// larger than this are computed again when asked again.
pub const COUNT_CACHE_BYTES: usize = 512 << 20;

impl Stats {
    /// Statistics over `engine`.
    pub fn new(engine: Arc<Engine>) -> Stats {
        Stats {
            engine,
            top: Lru::new(TOP_CACHE_ENTRIES, TOP_CACHE_BYTES),
            counts: Lru::new(COUNT_CACHE_ENTRIES, COUNT_CACHE_BYTES),
        }
    }

    /// Its caches, for `/healthz`.
    pub fn cache_usage(&self) -> Vec<crate::query::CacheUsage> {
        vec![
            self.top.usage(
                "statistics: top n-gram tables",
                "least recently used tables of this commit",
            ),
            self.counts.usage(
                "statistics: n-gram counts for keyness",
                "least recently used subcorpora of this commit",
            ),
        ]
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Term frequency, overall and grouped.
    pub fn frequency(&self, req: &FrequencyRequest) -> Result<FrequencyTable> {
        frequency::frequency(&self.engine, &self.engine.searcher(), req)
    }

    /// Trend of a term.
    pub fn trend(&self, req: &TrendRequest) -> Result<Trend> {
        trend::trend(&self.engine, &self.engine.searcher(), req)
    }

    /// Top n-grams, from the cache when the same table was asked on this commit.
    pub fn top_terms(&self, req: &TopTermsRequest) -> Result<TopTerms> {
        req.validate()?;
        let searcher = self.engine.searcher();
        let generation = commit_key(&searcher);
        let key_req = TopTermsRequest {
            limit: 0,
            ..req.clone()
        };
        let key = (key_req, generation);
        if let Some(hit) = self.top.get(&key) {
            if hit.rows.len() >= req.limit * (req.n_max - req.n_min + 1)
                || req.limit <= ngrams::CACHED_ROWS
            {
                return Ok(TopTerms {
                    cached: true,
                    rows: ngrams::truncate_per_n(&hit.rows, req.limit),
                    ..(*hit).clone()
                });
            }
        }
        let full = Arc::new(topk::top_terms(&self.engine, &searcher, req)?);
        self.top.put(key, Arc::clone(&full));
        Ok(TopTerms {
            rows: ngrams::truncate_per_n(&full.rows, req.limit),
            ..(*full).clone()
        })
    }

    fn counted(
        &self,
        searcher: &tantivy::Searcher,
        sub: &Subcorpus,
        n: usize,
        unit: Unit,
    ) -> Result<keyness::SharedCounts> {
        let key = (sub.clone(), n, unit, commit_key(searcher));
        if let Some(hit) = self.counts.get(&key) {
            return Ok(hit);
        }
        let docs = sub.resolve(&self.engine, searcher)?;
        let counts = ngrams::count(&self.engine, searcher, &docs, n, n, unit)?;
        let c = Arc::new(keyness::Counted {
            counts,
            syllables: docs.syllables(),
        });
        self.counts.put(key, Arc::clone(&c));
        Ok(c)
    }

    /// Keyness of a target against a reference (default: the rest of the corpus).
    pub fn keyness(&self, req: &KeynessRequest) -> Result<Keyness> {
        req.validate()?;
        let searcher = self.engine.searcher();
        let target = self.counted(&searcher, &req.target, req.n, req.unit)?;
        let (reference, rest) = match &req.reference {
            Some(r) => (self.counted(&searcher, r, req.n, req.unit)?, false),
            None => (
                self.counted(&searcher, &Subcorpus::all(), req.n, req.unit)?,
                true,
            ),
        };
        keyness::keyness_from(req, &target, &reference, rest)
    }

    /// Concordance lines, collected.
    pub fn concordance(&self, req: &ConcordanceRequest) -> Result<Concordance> {
        kwic::concordance(&self.engine, &self.engine.searcher(), req)
    }

    /// Concordance lines streamed to `each` as they are found; returns (lines
    /// given, total occurrences when known).
    pub fn concordance_each(
        &self,
        req: &ConcordanceRequest,
        each: &mut dyn FnMut(KwicLine) -> Result<()>,
    ) -> Result<(u64, Option<u64>)> {
        kwic::concordance_each(&self.engine, &self.engine.searcher(), req, each)
    }

    /// Collocates of a term.
    pub fn collocates(&self, req: &CollocatesRequest) -> Result<Collocates> {
        let searcher = self.engine.searcher();
        let words = match req.unit {
            Unit::Words => Some(self.counted(&searcher, &req.subcorpus, 1, Unit::Words)?),
            Unit::Syllables => None,
        };
        collocates::collocates(&self.engine, &searcher, req, words.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request given only its required fields deserialises to its `Default`.
    #[test]
    fn serde_defaults_are_the_default() {
        fn check<T>(json: &str, expected: T)
        where
            T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        {
            let got: T = serde_json::from_str(json).expect(json);
            assert_eq!(got, expected, "{json}");
        }
        let term = |t: &str| t.to_string();
        check(
            r#"{"term":"x"}"#,
            CollocatesRequest {
                term: term("x"),
                ..CollocatesRequest::default()
            },
        );
        check(
            r#"{"term":"x"}"#,
            ConcordanceRequest {
                term: term("x"),
                ..ConcordanceRequest::default()
            },
        );
        check("{}", TopTermsRequest::default());
        check(r#"{"target":{}}"#, KeynessRequest::default());
    }
}
