//! Selecting documents: a query and filters → the set of documents they match.
//!
//! A search ranks and pages; a selection only answers *which documents*, on one
//! searcher's commit, without scoring. It is what a subcorpus is made of
//! (statistics, [`crate::stats::Subcorpus`]) and what the citation graph of a
//! subcorpus keeps ([`crate::related::subgraph`]).
//!
//! An empty query without filters selects every live document without running a
//! query at all; anything else is compiled exactly as a search would compile it
//! ([`Engine::build_query`]), so a selection and a search with the same request
//! always agree on the matching documents.
//!
//! ```no_run
//! # fn run() -> kehoach::Result<()> {
//! use kehoach::query::{select, Engine, Filters};
//! let engine = Engine::open("index".as_ref())?;
//! let searcher = engine.searcher();
//! let filters = Filters { year: vec![2022], ..Filters::default() };
//! let selection = select(&engine, &searcher, "chuyển đổi số", &filters)?;
//! println!("{} documents", selection.len());
//! # Ok(()) }
//! ```

use std::collections::HashSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::{Engine, Filters, SearchRequest};
use crate::index::schema::names;
use crate::Result;

/// The documents a query and filters select on one searcher: per segment (in the
/// searcher's segment order), ascending document ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    segments: Vec<Vec<DocId>>,
    all: bool,
}

/// Selects the documents matching `q` (search syntax; empty: every document) and
/// `filters` on `searcher`'s commit.
pub fn select(
    engine: &Engine,
    searcher: &Searcher,
    q: &str,
    filters: &Filters,
) -> Result<Selection> {
    if q.trim().is_empty() && *filters == Filters::default() {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|s| s.doc_ids_alive().collect())
            .collect();
        return Ok(Selection {
            segments,
            all: true,
        });
    }
    let req = SearchRequest {
        query: q.to_string(),
        filters: filters.clone(),
        ..SearchRequest::default()
    };
    let (query, _) = engine.build_query(&req)?;
    Ok(Selection {
        segments: matching(searcher, query.as_ref())?,
        all: false,
    })
}

/// The live documents `query` matches on `searcher`, unscored: per segment (in the
/// searcher's segment order), ascending document ids.
pub(super) fn matching(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
) -> tantivy::Result<Vec<Vec<DocId>>> {
    let mut segments = searcher.search(query, &DocsCollector)?;
    for docs in &mut segments {
        docs.sort_unstable();
        docs.dedup();
    }
    Ok(segments)
}

impl Selection {
    /// True when nothing restricted the selection (every live document).
    pub fn is_all(&self) -> bool {
        self.all
    }

    /// Number of documents selected.
    pub fn len(&self) -> usize {
        self.segments.iter().map(Vec::len).sum()
    }

    /// True when no document is selected.
    pub fn is_empty(&self) -> bool {
        self.segments.iter().all(Vec::is_empty)
    }

    /// The documents of each segment, ascending, taken out.
    pub fn into_segments(self) -> Vec<Vec<DocId>> {
        self.segments
    }

    /// The ids (the `id` field) of the selected documents; `searcher` must be the
    /// one the selection was made on.
    pub fn ids(&self, searcher: &Searcher) -> Result<HashSet<String>> {
        let mut out = HashSet::with_capacity(self.len());
        for (reader, docs) in searcher.segment_readers().iter().zip(&self.segments) {
            let Some(column) = reader.fast_fields().str(names::ID)? else {
                continue;
            };
            let mut s = String::new();
            for &doc in docs {
                if let Some(ord) = column.term_ords(doc).next() {
                    s.clear();
                    if column
                        .ord_to_str(ord, &mut s)
                        .map_err(tantivy::TantivyError::from)?
                    {
                        out.insert(s.clone());
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Collects the matching document ids of each segment, unscored.
struct DocsCollector;

struct SegmentDocs(Vec<DocId>);

impl Collector for DocsCollector {
    type Fruit = Vec<Vec<DocId>>;
    type Child = SegmentDocs;

    fn for_segment(&self, _: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<SegmentDocs> {
        Ok(SegmentDocs(Vec::new()))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<DocId>>) -> tantivy::Result<Vec<Vec<DocId>>> {
        Ok(fruits)
    }
}

impl SegmentCollector for SegmentDocs {
    type Fruit = Vec<DocId>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.0.push(doc);
    }

    fn harvest(self) -> Vec<DocId> {
        self.0
    }
}
