//! A subcorpus: the documents a search query and filters select
//! ([`crate::query::select`]), with each document's syllable count.

use serde::{Deserialize, Serialize};
use tantivy::{DocId, Searcher};

use crate::index::schema::names;
use crate::query::{select, Engine, Filters};
use crate::Result;

/// What selects a subcorpus: a query in the search language and metadata filters
/// (the same as a search request's). Everything empty: the whole corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Subcorpus {
    /// Query text (empty: every document matching the filters).
    pub q: String,
    /// Metadata filters, as in a search request.
    #[serde(flatten)]
    pub filters: Filters,
}

impl Subcorpus {
    /// The whole corpus.
    pub fn all() -> Subcorpus {
        Subcorpus::default()
    }

    /// True when nothing restricts the corpus.
    pub fn is_all(&self) -> bool {
        self.q.trim().is_empty() && self.filters == Filters::default()
    }

    /// Resolves the subcorpus on `searcher`'s commit.
    pub fn resolve(&self, engine: &Engine, searcher: &Searcher) -> Result<DocSet> {
        let per_segment = select(engine, searcher, &self.q, &self.filters)?.into_segments();
        DocSet::new(searcher, per_segment)
    }
}

/// The documents of a subcorpus, per segment of one searcher.
#[derive(Debug, Clone)]
pub struct DocSet {
    segments: Vec<SegmentDocs>,
    documents: u64,
    syllables: u64,
}

/// The documents of a subcorpus in one segment.
#[derive(Debug, Clone, Default)]
pub struct SegmentDocs {
    /// Document ids, ascending.
    pub docs: Vec<DocId>,
    /// Syllables of each document of `docs`.
    pub tokens: Vec<u64>,
    bits: Vec<u64>,
}

impl SegmentDocs {
    /// True when `doc` belongs to the subcorpus.
    pub fn contains(&self, doc: DocId) -> bool {
        let i = doc as usize;
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }
}

impl DocSet {
    fn new(searcher: &Searcher, per_segment: Vec<Vec<DocId>>) -> Result<DocSet> {
        let mut segments = Vec::with_capacity(per_segment.len());
        let (mut documents, mut syllables) = (0u64, 0u64);
        for (reader, mut docs) in searcher.segment_readers().iter().zip(per_segment) {
            docs.sort_unstable();
            docs.dedup();
            let col = reader
                .fast_fields()
                .column_opt::<u64>(names::TOKENS)?
                .map(|c| c.first_or_default_col(0));
            let tokens: Vec<u64> = docs
                .iter()
                .map(|&d| col.as_ref().map_or(0, |c| c.get_val(d)))
                .collect();
            let mut bits = vec![0u64; (reader.max_doc() as usize).div_ceil(64)];
            for &d in &docs {
                if let Some(w) = bits.get_mut(d as usize / 64) {
                    *w |= 1u64 << (d as usize % 64);
                }
            }
            documents += docs.len() as u64;
            syllables += tokens.iter().sum::<u64>();
            segments.push(SegmentDocs { docs, tokens, bits });
        }
        Ok(DocSet {
            segments,
            documents,
            syllables,
        })
    }

    /// Per segment, in the searcher's segment order.
    pub fn segments(&self) -> &[SegmentDocs] {
        &self.segments
    }

    /// Number of documents.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Number of syllables (sum of the documents' `tokens`).
    pub fn syllables(&self) -> u64 {
        self.syllables
    }
}
