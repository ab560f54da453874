//! Indexing: the tantivy schema and parallel, incremental, crash-safe ingestion.
//!
//! * `schema.rs`: fields and how a [`Record`](crate::document::Record) becomes a document;
//! * `source.rs`: finding input files and streaming records out of them;
//! * [`stored`]: stored documents read in place from the doc store;
//! * [`ingest()`]: the pipeline read → understand (rayon) → index (tantivy) → commit.

mod ingest;
pub(crate) mod schema;
mod source;
pub mod stored;
pub mod syllables;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::Index;

pub use ingest::{ingest, IngestOptions, NoProgress, Progress, Summary};
pub use schema::{build_schema, names, Analysed, Fields};
pub use source::{input_kind, InputKind, Problem, ProblemKind, PIPELINE_VERSION};

use crate::{Error, Result};

/// Bytes of stored documents compressed together in the doc store of a new index
/// (tantivy's default is 16 KiB). A hit decompresses the block holding its
/// document: at 16 KiB that is two or three news articles for one; at 4 KiB a
/// document of 4 KiB or more is a block of its own. On VNTC the store grows 9 %
/// (249 → 271 MB) and a search over HTTP costs about 5 % less CPU. An index keeps
/// the size it was created with.
pub const DOC_STORE_BLOCK_BYTES: usize = 4096;

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
        let settings = tantivy::IndexSettings {
            docstore_blocksize: DOC_STORE_BLOCK_BYTES,
            ..tantivy::IndexSettings::default()
        };
        Index::create(mmap, build_schema(), settings)?
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
    let unusable = |reason: &str| Error::IndexUnusable {
        path: dir.to_path_buf(),
        reason: reason.into(),
    };
    if schema != build_schema() && outdated(dir) {
        return Err(unusable(
            "the index was built by an older version of kehoach; rebuild it with \
             `kehoach ingest --rebuild PATH --index DIR` (or let `kehoach serve` rebuild it from \
             its corpus)",
        ));
    }
    Fields::from_schema(&schema)
        .filter(|_| schema == build_schema())
        .ok_or_else(|| {
            unusable(
                "the index was built by another program; rebuild it into an empty folder \
                 (or delete this one)",
            )
        })
}

/// Whether `dir` holds an index written by an older kehoach: it opens, it has
/// kehoach's identifying fields, but its schema is not today's. Such an index can
/// only be rebuilt (`kehoach ingest --rebuild`, or `kehoach serve` with its corpus).
pub fn outdated(dir: &Path) -> bool {
    if !dir.join("meta.json").is_file() {
        return false;
    }
    let Ok(index) = Index::open_in_dir(dir) else {
        return false;
    };
    let schema = index.schema();
    let kehoach = [schema::names::ID, schema::names::HASH, schema::names::META]
        .iter()
        .all(|n| schema.get_field(n).is_ok());
    kehoach && schema != build_schema()
}

/// Deletes the files of an outdated index (see [`outdated`]) so that a rebuild
/// can start from an empty folder. Only tantivy's own files are removed: `meta.json`,
/// `.managed.json` and segment files (named by a 32-hex-digit segment id).
pub(crate) fn clear_outdated(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let segment = name.len() > 32 && name.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit);
        if name == "meta.json" || name == ".managed.json" || segment {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// Ids of the documents currently in the index (for tests and tools).
pub fn indexed_ids(index: &tantivy::Index) -> Result<HashSet<String>> {
    Ok(load_hashes(index)?.into_keys().collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_index_compresses_its_stored_documents_in_small_blocks() {
        let tmp = tempfile::tempdir().unwrap();
        let index = open_or_create(tmp.path()).unwrap();
        assert_eq!(index.settings().docstore_blocksize, DOC_STORE_BLOCK_BYTES);
        // Opened again, it keeps them.
        drop(index);
        let again = open_or_create(tmp.path()).unwrap();
        assert_eq!(again.settings().docstore_blocksize, DOC_STORE_BLOCK_BYTES);
    }
}
