//! Exact facet counts (province, province after the merger, theme, type, issuer,
//! year) over the documents matching a query, collected in the same pass as the
//! hits.
//!
//! [`FacetCollector`] reads the fast fields of every matching document: per segment
//! it counts term ordinals in flat arrays, and only when merging segments turns
//! ordinals into strings. Counts are therefore exact (deleted documents are never
//! collected); buckets are ordered by count (descending), then value, and capped.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::AllQuery;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::schema::names;
use crate::Result;

/// Default cap on the buckets returned per facet.
pub const DEFAULT_MAX_BUCKETS: usize = 50;

/// The string facets, in the order of [`FacetCounts`]' fields.
const STR_FACETS: [&str; 5] = [
    names::PROVINCE,
    names::PROVINCE_CURRENT,
    names::THEMES,
    names::TYPE,
    names::ISSUER,
];

/// One value of a facet and how many matching documents have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// The value as indexed (e.g. `Kiên Giang`, `2019`).
    pub value: String,
    /// Number of matching documents with this value.
    pub count: u64,
}

/// Counts per facet, each ordered by count (descending) then value, and capped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetCounts {
    /// Province at the time of issue.
    pub province: Vec<Bucket>,
    /// Province after the 1 July 2025 merger.
    pub province_current: Vec<Bucket>,
    /// Theme ids.
    pub theme: Vec<Bucket>,
    /// Document types.
    #[serde(rename = "type")]
    pub doc_type: Vec<Bucket>,
    /// Issuing bodies.
    pub issuer: Vec<Bucket>,
    /// Issue years.
    pub year: Vec<Bucket>,
}

/// A tantivy collector of exact facet counts; combine it with other collectors
/// in a tuple, or pass it to [`Engine::search_with`](super::Engine::search_with).
#[derive(Debug, Clone)]
pub struct FacetCollector {
    max_buckets: usize,
}

impl FacetCollector {
    /// A collector keeping at most `max_buckets` buckets per facet.
    pub fn new(max_buckets: usize) -> FacetCollector {
        FacetCollector { max_buckets }
    }
}

impl Default for FacetCollector {
    fn default() -> Self {
        FacetCollector::new(DEFAULT_MAX_BUCKETS)
    }
}

/// Per-segment state of a [`FacetCollector`].
pub struct FacetSegmentCollector {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
    year: Option<Column<u64>>,
    years: HashMap<u64, u64>,
}

/// What one segment found: for each string facet `(value, count)` pairs, and the years.
pub struct SegmentFacets {
    strings: Vec<Vec<(String, u64)>>,
    years: HashMap<u64, u64>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let ff = segment.fast_fields();
        let mut columns = Vec::with_capacity(STR_FACETS.len());
        let mut counts = Vec::with_capacity(STR_FACETS.len());
        for name in STR_FACETS {
            let col = ff.str(name)?;
            counts.push(vec![0u64; col.as_ref().map_or(0, |c| c.num_terms())]);
            columns.push(col);
        }
        let year = ff.column_opt::<u64>(names::YEAR)?;
        Ok(FacetSegmentCollector {
            columns,
            counts,
            year,
            years: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentFacets>) -> tantivy::Result<FacetCounts> {
        let mut strings: Vec<HashMap<String, u64>> = vec![HashMap::new(); STR_FACETS.len()];
        let mut years: HashMap<u64, u64> = HashMap::new();
        for seg in segments {
            for (merged, values) in strings.iter_mut().zip(seg.strings) {
                for (value, n) in values {
                    *merged.entry(value).or_default() += n;
                }
            }
            for (y, n) in seg.years {
                *years.entry(y).or_default() += n;
            }
        }
        let max = self.max_buckets;
        let mut it = strings.into_iter().map(|m| buckets(m, max));
        let mut next = || it.next().unwrap_or_default();
        let (province, province_current, theme, doc_type, issuer) =
            (next(), next(), next(), next(), next());
        let year = buckets(
            years.into_iter().map(|(y, n)| (y.to_string(), n)).collect(),
            max,
        );
        Ok(FacetCounts {
            province,
            province_current,
            theme,
            doc_type,
            issuer,
            year,
        })
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (col, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(col) = col {
                for ord in col.term_ords(doc) {
                    if let Some(c) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                        *c += 1;
                    }
                }
            }
        }
        if let Some(year) = &self.year {
            for y in year.values_for_doc(doc) {
                *self.years.entry(y).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> SegmentFacets {
        let mut strings = Vec::with_capacity(self.columns.len());
        for (col, counts) in self.columns.iter().zip(self.counts) {
            let mut values = Vec::new();
            if let Some(col) = col {
                let mut s = String::new();
                for (ord, n) in counts.into_iter().enumerate() {
                    if n == 0 {
                        continue;
                    }
                    s.clear();
                    if col.ord_to_str(ord as u64, &mut s).unwrap_or(false) {
                        values.push((s.clone(), n));
                    }
                }
            }
            strings.push(values);
        }
        SegmentFacets {
            strings,
            years: self.years,
        }
    }
}

fn buckets(map: HashMap<String, u64>, max: usize) -> Vec<Bucket> {
    let mut v: Vec<Bucket> = map
        .into_iter()
        .filter(|(value, count)| *count > 0 && !value.is_empty())
        .map(|(value, count)| Bucket { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v.truncate(max);
    v
}

/// Facet counts over every document of the index.
pub fn corpus_facets(searcher: &Searcher, max_buckets: usize) -> Result<FacetCounts> {
    Ok(searcher.search(&AllQuery, &FacetCollector::new(max_buckets))?)
}
