//! The library's one error type.
//!
//! Every fallible public function of the library returns [`Result<T>`]. Variants carry
//! enough context (a path, a position, a reason) for a person to act on the message.

use std::path::PathBuf;

/// Everything that can go wrong in the kehoach library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// Input bytes could not be decoded into text (empty, binary, bad encoding…).
    #[error("{path}: cannot decode: {reason}")]
    Decode {
        /// The file concerned (or a pseudo-path such as `<stdin>`).
        path: PathBuf,
        /// What is wrong, in words a person can act on.
        reason: String,
    },

    /// An input record (JSON, JSONL…) is malformed.
    #[error("{path}: {location}: {reason}")]
    Record {
        /// The file concerned.
        path: PathBuf,
        /// Where in the file (e.g. `line 12`).
        location: String,
        /// What is wrong.
        reason: String,
    },

    /// A query could not be parsed.
    #[error("bad query at character {position}: {message}")]
    Query {
        /// 0-based character position in the query where the problem was found.
        position: usize,
        /// What is wrong and how to fix it.
        message: String,
    },

    /// A request parameter is invalid (a filter value, a date, a limit…).
    #[error("invalid {name}: {message}")]
    InvalidParameter {
        /// The parameter's name.
        name: String,
        /// What is wrong with it.
        message: String,
    },

    /// The index is locked by another writer.
    #[error("index is locked by another process ({0})")]
    Locked(PathBuf),

    /// The index does not exist or cannot be opened.
    #[error("index at {path} is unusable: {reason}")]
    IndexUnusable {
        /// The index directory.
        path: PathBuf,
        /// Why it cannot be used.
        reason: String,
    },

    /// Writing the index failed (typically a full disk); the index stays at its
    /// last commit.
    #[error(
        "cannot write the index at {path}: {source}; it stays at its last commit (free some \
         space, then run the same command again)"
    )]
    IndexWrite {
        /// The index directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },

    /// A data file (themes, provinces…) is malformed.
    #[error("data file {path}: {reason}")]
    Data {
        /// The data file, or the name of the built-in table.
        path: String,
        /// What is wrong.
        reason: String,
    },

    /// A document was not found.
    #[error("no document with id {0:?}")]
    NotFound(String),

    /// An error from the tantivy search engine.
    #[error("search engine: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Shorthand for results of the kehoach library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
