//! Related plans: citations resolved to corpus documents, and the citation graph.

pub mod resolve;

pub use resolve::{resolve, DocInfo, Resolution};
