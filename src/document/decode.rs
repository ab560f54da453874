//! Decoding bytes into text. STUB.

use std::path::Path;

use crate::{Error, Result};

/// Decodes the bytes of a file into Unicode text.
pub fn decode(bytes: &[u8], path: &Path) -> Result<String> {
    if bytes.is_empty() {
        return Err(Error::Decode {
            path: path.to_path_buf(),
            reason: "the file is empty".into(),
        });
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| Error::Decode {
        path: path.to_path_buf(),
        reason: format!("not valid UTF-8: {e}"),
    })
}
