//! Related plans: citations resolved to corpus documents, the citation graph of
//! a corpus, and the related sets of a document (cites, cited by, siblings,
//! upstream chain, similar).

pub mod graph;
pub mod resolve;

pub use graph::{Graph, Related, RelatedItem};
pub use resolve::{resolve, DocInfo, Resolution};
