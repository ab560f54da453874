//! Querying: the query language, accent routing, filters, search and snippets.
//!
//! * [`parser`]: the query language (words, "phrases", -exclusions, OR) with positioned errors;
//! * [`build`]: analysed, accent-routed tantivy queries, ranking levels, reduction of long queries;
//! * [`levels`]: top documents by ranking level, then score;
//! * [`expand`]: abbreviations and what they stand for (UBND ↔ ủy ban nhân dân), both ways;
//! * [`number`]: document numbers typed as queries;
//! * [`snippet`]: highlighted fragments;
//! * [`facets`]: exact facet counts of the matching documents;
//! * [`references`]: document numbers across the corpus (autocomplete, citing documents);
//! * [`select`]: the documents a query and filters match, unranked (subcorpora, graphs);
//! * [`suggest`]: diacritics restored to unaccented queries from the index's own statistics;
//! * [`syllables`]: a query text as one syllable per position, accented and folded;
//! * [`search`]: the [`Engine`] that ties them together.

pub mod build;
pub mod cache;
pub mod expand;
pub mod facets;
pub mod levels;
pub mod number;
pub mod parser;
pub mod references;
pub mod search;
pub mod select;
pub mod snippet;
pub mod suggest;
pub mod syllables;

pub use search::{Engine, Filters, Hit, Match, SearchRequest, SearchResults, Sort, StoredDocument};
