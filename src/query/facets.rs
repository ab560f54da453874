//! Exact facet counts (province, province after the merger, theme, type, issuer,
//! year) over the documents matching a query, collected in the same pass as the
//! hits.
//!
//! [`FacetCollector`] counts, per segment, the term ordinals of every matching
//! document in flat arrays, and only when merging segments turns ordinals into
//! strings. Counts are therefore exact (deleted documents are never collected);
//! buckets are ordered by count (descending), then value, and capped.
//!
//! Reading six fast-field columns for each of tens of thousands of matching
//! documents dominated the cost of a search, so a collector made by
//! [`Engine::facet_collector`](super::Engine::facet_collector) first turns each
//! segment's columns into one flat [`SegmentTable`] (built once per segment and
//! shared through a [`TableCache`]; segments are immutable), and collecting a
//! document is then a few array reads.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};

use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::schema::names;

/// Default cap on the buckets returned per facet.
pub const DEFAULT_MAX_BUCKETS: usize = 50;

/// The string facets, in the order of [`FacetCounts`]' fields.
const STR_FACETS: [&str; 7] = [
    names::PROVINCE,
    names::PROVINCE_CURRENT,
    names::LEVEL,
    names::COMMUNE,
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
    /// Level of the issuer (`trung ương`, `tỉnh`, `huyện`, `xã`).
    pub level: Vec<Bucket>,
    /// Commune, ward or special zone of the issuer.
    pub commune: Vec<Bucket>,
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

impl super::cache::Weigh for Bucket {
    fn weight(&self) -> usize {
        self.value.weight() + std::mem::size_of::<u64>()
    }
}

impl super::cache::Weigh for FacetCounts {
    fn weight(&self) -> usize {
        [
            &self.province,
            &self.province_current,
            &self.level,
            &self.commune,
            &self.theme,
            &self.doc_type,
            &self.issuer,
            &self.year,
        ]
        .iter()
        .map(|v| v.weight())
        .sum()
    }
}

/// The facet values of every document of one segment, as ordinals in one flat
/// array: the ordinals of document `d`, all facets together, are
/// `ords[offsets[d]..offsets[d + 1]]`, where facet `f` (the string facets, then
/// the year) numbers its values from `bases[f]`. Collecting a document is one
/// contiguous read, not one per facet.
#[derive(Debug)]
pub struct SegmentTable {
    offsets: Vec<u32>,
    ords: Vec<u32>,
    /// Where each facet's ordinals start (one more entry: the total).
    bases: Vec<usize>,
    /// Ordinal → value, per facet.
    values: Vec<Vec<String>>,
}

impl SegmentTable {
    /// Reads the facet columns of `segment` once.
    pub fn build(segment: &SegmentReader) -> tantivy::Result<SegmentTable> {
        let ff = segment.fast_fields();
        let max_doc = segment.max_doc();
        let mut offsets = Vec::with_capacity(STR_FACETS.len() + 1);
        let mut ords = Vec::with_capacity(STR_FACETS.len() + 1);
        let mut values = Vec::with_capacity(STR_FACETS.len() + 1);
        for name in STR_FACETS {
            let mut off = Vec::with_capacity(max_doc as usize + 1);
            let mut o = Vec::with_capacity(max_doc as usize);
            let mut vals = Vec::new();
            off.push(0u32);
            if let Some(col) = ff.str(name)? {
                for d in 0..max_doc {
                    o.extend(col.term_ords(d).map(|x| x as u32));
                    off.push(o.len() as u32);
                }
                let mut s = String::new();
                for ord in 0..col.num_terms() as u64 {
                    s.clear();
                    if !col.ord_to_str(ord, &mut s).unwrap_or(false) {
                        s.clear();
                    }
                    vals.push(s.clone());
                }
            } else {
                off.resize(max_doc as usize + 1, 0);
            }
            offsets.push(off);
            ords.push(o);
            values.push(vals);
        }
        // Years: ordinals into the segment's sorted distinct years.
        let mut off = Vec::with_capacity(max_doc as usize + 1);
        let mut o = Vec::with_capacity(max_doc as usize);
        let mut years: Vec<u64> = Vec::new();
        off.push(0u32);
        if let Some(col) = ff.column_opt::<u64>(names::YEAR)? {
            let per_doc: Vec<Vec<u64>> = (0..max_doc)
                .map(|d| col.values_for_doc(d).collect())
                .collect();
            years = per_doc.iter().flatten().copied().collect();
            years.sort_unstable();
            years.dedup();
            for ys in &per_doc {
                o.extend(
                    ys.iter()
                        .filter_map(|y| years.binary_search(y).ok())
                        .map(|i| i as u32),
                );
                off.push(o.len() as u32);
            }
        } else {
            off.resize(max_doc as usize + 1, 0);
        }
        offsets.push(off);
        ords.push(o);
        values.push(years.iter().map(u64::to_string).collect());
        // All facets of a document side by side, numbered from each facet's base.
        let mut bases = vec![0usize];
        for v in &values {
            bases.push(bases[bases.len() - 1] + v.len());
        }
        let total: usize = ords.iter().map(Vec::len).sum();
        let mut doc_offsets = Vec::with_capacity(max_doc as usize + 1);
        let mut doc_ords = Vec::with_capacity(total);
        doc_offsets.push(0u32);
        for d in 0..max_doc as usize {
            for ((off, o), base) in offsets.iter().zip(&ords).zip(&bases) {
                let base = *base as u32;
                doc_ords.extend(
                    o[off[d] as usize..off[d + 1] as usize]
                        .iter()
                        .map(|x| x + base),
                );
            }
            doc_offsets.push(doc_ords.len() as u32);
        }
        Ok(SegmentTable {
            offsets: doc_offsets,
            ords: doc_ords,
            bases,
            values,
        })
    }
}

impl super::Weigh for SegmentTable {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>()
            + 4 * (self.offsets.capacity() + self.ords.capacity())
            + self
                .values
                .iter()
                .flatten()
                .map(|v| v.weight())
                .sum::<usize>()
    }
}

/// [`SegmentTable`]s by segment, shared by the searches of one engine.
#[derive(Debug, Default)]
pub struct TableCache {
    tables: super::cache::PerSegment<SegmentTable>,
}

impl TableCache {
    /// The table of `segment`, built on first use.
    pub fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentTable>> {
        self.tables
            .get_or_build(segment, || SegmentTable::build(segment))
    }

    /// Forgets the tables of segments not in `searcher` (merged away or deleted).
    pub fn retain(&self, searcher: &Searcher) {
        self.tables.retain(searcher);
    }

    /// Its tables (one per live segment), for `/healthz`.
    pub fn usage(&self) -> super::CacheUsage {
        use super::Weigh;
        let tables = self.tables.values();
        super::CacheUsage {
            name: "facet tables".into(),
            entries: tables.len() as u64,
            bytes: tables.iter().map(|t| t.weight() as u64).sum(),
            max_entries: None,
            max_bytes: None,
            note: "one per index segment; grows with the documents and their facet values".into(),
        }
    }
}

/// A tantivy collector of exact facet counts; combine it with other collectors
/// in a tuple, or pass it to [`Engine::search_with`](super::Engine::search_with).
#[derive(Debug, Clone)]
pub struct FacetCollector {
    max_buckets: usize,
    tables: Option<Arc<TableCache>>,
}

impl FacetCollector {
    /// A collector keeping at most `max_buckets` buckets per facet, reading the
    /// columns directly (see [`Engine::facet_collector`](super::Engine::facet_collector)
    /// for the faster one sharing per-segment tables).
    pub fn new(max_buckets: usize) -> FacetCollector {
        FacetCollector {
            max_buckets,
            tables: None,
        }
    }

    /// A collector reading per-segment tables from `tables`.
    pub fn with_tables(max_buckets: usize, tables: Arc<TableCache>) -> FacetCollector {
        FacetCollector {
            max_buckets,
            tables: Some(tables),
        }
    }
}

impl Default for FacetCollector {
    fn default() -> Self {
        FacetCollector::new(DEFAULT_MAX_BUCKETS)
    }
}

/// Per-segment state of a [`FacetCollector`].
pub enum FacetSegmentCollector {
    /// Reading the columns of each document.
    Columns(ColumnCounter),
    /// Reading a [`SegmentTable`].
    Table(TableCounter),
}

/// Counts by reading fast-field columns.
pub struct ColumnCounter {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
    year: Option<Column<u64>>,
    years: HashMap<u64, u64>,
}

/// Counts by reading a [`SegmentTable`].
pub struct TableCounter {
    table: Arc<SegmentTable>,
    /// Per ordinal of the table, all facets together.
    counts: Vec<u64>,
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
        if let Some(cache) = &self.tables {
            let table = cache.get(segment)?;
            let counts = vec![0u64; table.bases.last().copied().unwrap_or(0)];
            return Ok(FacetSegmentCollector::Table(TableCounter { table, counts }));
        }
        let ff = segment.fast_fields();
        let mut columns = Vec::with_capacity(STR_FACETS.len());
        let mut counts = Vec::with_capacity(STR_FACETS.len());
        for name in STR_FACETS {
            let col = ff.str(name)?;
            counts.push(vec![0u64; col.as_ref().map_or(0, |c| c.num_terms())]);
            columns.push(col);
        }
        let year = ff.column_opt::<u64>(names::YEAR)?;
        Ok(FacetSegmentCollector::Columns(ColumnCounter {
            columns,
            counts,
            year,
            years: HashMap::new(),
        }))
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
        let (province, province_current, level, commune) = (next(), next(), next(), next());
        let (theme, doc_type, issuer) = (next(), next(), next());
        let year = buckets(
            years.into_iter().map(|(y, n)| (y.to_string(), n)).collect(),
            max,
        );
        Ok(FacetCounts {
            province,
            province_current,
            level,
            commune,
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
        match self {
            FacetSegmentCollector::Columns(c) => c.collect(doc),
            FacetSegmentCollector::Table(t) => t.collect(doc),
        }
    }

    fn harvest(self) -> SegmentFacets {
        match self {
            FacetSegmentCollector::Columns(c) => c.harvest(),
            FacetSegmentCollector::Table(t) => t.harvest(),
        }
    }
}

impl TableCounter {
    #[inline]
    fn collect(&mut self, doc: DocId) {
        let d = doc as usize;
        let t = &*self.table;
        let (Some(&from), Some(&to)) = (t.offsets.get(d), t.offsets.get(d + 1)) else {
            return;
        };
        for &o in t.ords.get(from as usize..to as usize).unwrap_or(&[]) {
            if let Some(c) = self.counts.get_mut(o as usize) {
                *c += 1;
            }
        }
    }

    fn harvest(self) -> SegmentFacets {
        let mut strings = Vec::with_capacity(STR_FACETS.len());
        let mut years = HashMap::new();
        for (f, values) in self.table.values.iter().enumerate() {
            let base = self.table.bases[f];
            let found = self.counts[base..base + values.len()]
                .iter()
                .zip(values)
                .filter(|(n, _)| **n > 0)
                .map(|(n, v)| (v.clone(), *n));
            if f < STR_FACETS.len() {
                strings.push(found.collect());
            } else {
                for (v, n) in found {
                    if let Ok(y) = v.parse::<u64>() {
                        years.insert(y, n);
                    }
                }
            }
        }
        SegmentFacets { strings, years }
    }
}

impl ColumnCounter {
    fn collect(&mut self, doc: DocId) {
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
