//! # kehoach
//!
//! Search and analysis of corpora of Vietnamese government plans.
//!
//! Data flows one way through the modules:
//!
//! | step | module | what it does |
//! |---|---|---|
//! | read + understand | [`document`] | decode bytes, clean, extract number, date, place, issuer, province, citations, themes |
//! | analyse | [`analysis`] | Vietnamese syllable tokenizers (accented and folded views) for tantivy |
//! | index | [`index`] | schema, parallel incremental crash-safe ingestion |
//! | query | [`query`] | query language, accent routing, filters, search, snippets, facets, references |
//! | serve | [`http`] | read-only JSON API and web page (`kehoach serve`) |
//! | analyse a corpus | [`stats`] | frequencies, top n-grams, trends, keyness, concordance, collocates, CSV |
//!
//! See `ARCHITECTURE.md` for a tour.

#![warn(missing_docs)]

pub mod analysis;
pub mod document;
pub mod error;
pub mod http;
pub mod index;
pub mod query;
pub mod related;
pub mod reuse;
pub mod stats;
pub mod table;

pub use error::{Error, Result};
