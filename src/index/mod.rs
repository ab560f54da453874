//! Indexing: the tantivy schema and parallel, incremental, crash-safe ingestion.
//!
//! * [`schema`]: fields and how a [`Record`](crate::document::Record) becomes a document;
//! * [`source`]: finding input files and streaming records out of them;
//! * [`ingest`]: the pipeline read → understand (rayon) → index (tantivy) → commit.

pub mod ingest;
pub mod schema;
pub mod source;

use std::collections::HashMap;
use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::Index;

pub use ingest::{ingest, IngestOptions, NoProgress, Progress, Summary};
pub use schema::{build_schema, Fields};

use crate::{Error, Result};

/// Opens the index in `dir`, creating the folder and an empty index if needed.
/// Tokenizers are registered.
pub fn open_or_create(dir: &Path) -> Result<Index> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mmap = MmapDirectory::open(dir).map_err(|e| Error::IndexUnusable {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let exists = Index::exists(&mmap).map_err(|e| Error::IndexUnusable {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let index = if exists {
        Index::open(mmap)?
    } else {
        Index::create(mmap, build_schema(), tantivy::IndexSettings::default())?
    };
    crate::analysis::register(&index);
    fields(&index, dir)?;
    Ok(index)
}

/// Opens an existing index in `dir` for searching. Tokenizers are registered.
pub fn open(dir: &Path) -> Result<Index> {
    let unusable = |reason: String| Error::IndexUnusable {
        path: dir.to_path_buf(),
        reason,
    };
    if !dir.join("meta.json").is_file() {
        return Err(unusable(
            "no index here; build one with `kehoach ingest PATH --index DIR`".into(),
        ));
    }
    let index = Index::open_in_dir(dir).map_err(|e| unusable(e.to_string()))?;
    crate::analysis::register(&index);
    fields(&index, dir)?;
    Ok(index)
}

/// The kehoach fields of an index, or an error if it was built by something else.
pub fn fields(index: &Index, dir: &Path) -> Result<Fields> {
    let schema = index.schema();
    Fields::from_schema(&schema).ok_or_else(|| {
        let older = schema.get_field(schema::names::BODY).is_ok()
            && schema.get_field(schema::names::SYLLABLES).is_err();
        Error::IndexUnusable {
            path: dir.to_path_buf(),
            reason: if older {
                "the index was built by an older kehoach (it has no `syllables` field, \
                 which the n-gram statistics read); rebuild it into an empty folder \
                 with `kehoach ingest PATH --index DIR` (or delete this one)"
                    .into()
            } else {
                "the index was built by another version of kehoach or another program; \
                 rebuild it into an empty folder (or delete this one)"
                    .into()
            },
        }
    })
}

/// Reads `id → content hash` of every live document.
pub fn load_hashes(index: &Index) -> Result<HashMap<String, String>> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut out = HashMap::new();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let (Some(ids), Some(hashes)) = (ff.str(schema::names::ID)?, ff.str(schema::names::HASH)?)
        else {
            continue;
        };
        let (mut id, mut hash) = (String::new(), String::new());
        for doc in seg.doc_ids_alive() {
            let (Some(io), Some(ho)) = (ids.term_ords(doc).next(), hashes.term_ords(doc).next())
            else {
                continue;
            };
            id.clear();
            hash.clear();
            if ids.ord_to_str(io, &mut id).unwrap_or(false)
                && hashes.ord_to_str(ho, &mut hash).unwrap_or(false)
            {
                out.insert(id.clone(), hash.clone());
            }
        }
    }
    Ok(out)
}
