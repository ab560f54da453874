//! Querying: the query language, accent routing, filters, search and snippets.
//!
//! * [`parser`]: the query language (words, "phrases", -exclusions, OR) with positioned errors;
//! * [`build`]: analysed, accent-routed tantivy queries;
//! * [`expand`]: abbreviations and what they stand for (UBND ↔ ủy ban nhân dân), both ways;
//! * [`number`]: document numbers typed as queries;
//! * [`snippet`]: highlighted fragments;
//! * [`facets`]: exact facet counts of the matching documents;
//! * [`references`]: document numbers across the corpus (autocomplete, citing documents);
//! * [`search`]: the [`Engine`] that ties them together.

pub mod build;
pub mod expand;
pub mod facets;
pub mod number;
pub mod parser;
pub mod references;
pub mod search;
pub mod snippet;

pub use search::{Engine, Filters, Hit, Match, SearchRequest, SearchResults, Sort, StoredDocument};
