//! Cleaning decoded text: line endings, web boilerplate. STUB.

/// Cleans a decoded text for indexing.
pub fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
}
