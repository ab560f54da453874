//! Querying: the query language, accent routing, filters, search and snippets.
//!
//! * [`parser`]: the query language (words, "phrases", -exclusions, OR) with positioned errors;
//! * `build.rs`: analysed, accent-routed tantivy queries, ranking levels, reduction of long queries;
//! * `levels.rs`: top documents by ranking level, then score;
//! * `expand.rs`: abbreviations and what they stand for (UBND ↔ ủy ban nhân dân), both ways;
//! * `number.rs`: document numbers typed as queries;
//! * `pairs.rs`: two-syllable phrases of the body answered from its pair fields, without positions;
//! * `prune.rs`: the page of a search whose total is known, ranked among the matches that can reach it;
//! * `snippet.rs`: highlighted fragments;
//! * `facets.rs`: exact facet counts of the matching documents;
//! * [`references`]: document numbers across the corpus (autocomplete, citing documents);
//! * `select.rs` ([`select()`]): the documents a query and filters match, unranked (subcorpora, graphs);
//! * `suggest.rs`: diacritics restored to unaccented queries from the index's own statistics;
//! * `syllables.rs`: a query text as one syllable per position, accented and folded;
//! * `union.rs`: any of a word's spellings and fields, tantivy's buffered union without its clears;
//! * `search.rs`: the [`Engine`] that ties them together.

mod build;
pub(crate) mod cache;
mod expand;
mod facets;
mod levels;
mod number;
mod pairs;
pub mod parser;
mod prune;
pub mod references;
mod search;
mod select;
mod snippet;
mod suggest;
mod syllables;
mod union;

pub use build::{compile, CompileOptions, Reduced, MAX_TERMS};
pub use cache::{CacheUsage, Weigh};
pub use expand::Expansion;
pub use facets::{Bucket, FacetCollector, FacetCounts, DEFAULT_MAX_BUCKETS};
pub use pairs::PairQuery;
pub use parser::{parse, Clause, ParsedQuery, MAX_CLAUSES, MAX_QUERY_CHARS};
pub use search::{
    Engine, Filters, Hit, Match, SearchRequest, SearchResults, Sort, StoredDocument, RERANK_WINDOW,
};
pub use select::{select, Selection};
pub use syllables::{syllables, Syllable};
