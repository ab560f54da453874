//! Related plans: citations resolved to corpus documents, the citation graph of
//! a corpus, and the related sets of a document (cites, cited by, siblings,
//! upstream chain, similar), and the graph of a subcorpus as nodes and edges
//! ([`subgraph`]).

mod cache;
mod graph;
mod resolve;
pub mod subgraph;

pub use cache::GraphCache;
pub use graph::{DocSummary, Graph, Node, Related, RelatedItem, RelatedTotals, SharedText};
pub use resolve::{resolve, DocInfo, EdgeStatus, Resolution};
