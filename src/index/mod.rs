//! Indexing: the tantivy schema and parallel, incremental, crash-safe ingestion.
