//! Querying: the query language, accent routing, filters, search and snippets.
//!
//! * [`parser`]: the query language (words, "phrases", -exclusions, OR) with positioned errors;
//! * [`build`]: analysed, accent-routed tantivy queries;
//! * [`number`]: document numbers typed as queries;
//! * [`snippet`]: highlighted fragments;
//! * [`search`]: the [`Engine`] that ties them together.

pub mod build;
pub mod number;
pub mod parser;
pub mod search;
pub mod snippet;

pub use search::{Engine, Filters, Hit, SearchRequest, SearchResults, Sort, StoredDocument};
