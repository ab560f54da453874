//! Querying: the query language, accent routing, filters, search and snippets.
//!
//! * [`parser`]: the query language (words, "phrases", -exclusions, OR) with positioned errors;
//! * [`build`]: analysed, accent-routed tantivy queries;
//! * [`number`]: document numbers typed as queries;
//! * [`snippet`]: highlighted fragments;
//! * [`facets`]: exact facet counts of the matching documents;
//! * [`references`]: document numbers across the corpus (autocomplete, citing documents);
//! * [`suggest`]: diacritics restored to unaccented queries from the index's own statistics;
//! * [`search`]: the [`Engine`] that ties them together.

pub mod build;
pub mod facets;
pub mod number;
pub mod parser;
pub mod references;
pub mod search;
pub mod snippet;
pub mod suggest;

pub use search::{Engine, Filters, Hit, Match, SearchRequest, SearchResults, Sort, StoredDocument};
