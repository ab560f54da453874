//! Language identification with whatlang.
//!
//! whatlang is reliable on whole accented documents and wrong on short unaccented
//! strings (spec `analysis.md`): use it to tag documents, never to route queries.

/// Longest sample given to whatlang, in bytes (the start of the document). Keeps the
/// cost bounded for very large documents.
const MAX_SAMPLE: usize = 64 * 1024;

/// Fewest letters for a guess; shorter texts return `None`.
const MIN_LETTERS: usize = 40;

/// ISO 639-3 code of the language of `text` (`"vie"`, `"eng"` …), or `None` when the
/// text is too short or whatlang is not confident.
pub fn detect(text: &str) -> Option<String> {
    let sample = prefix(text, MAX_SAMPLE);
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let info = whatlang::detect(sample)?;
    info.is_reliable().then(|| info.lang().code().to_string())
}

/// The longest prefix of `s` of at most `n` bytes ending on a char boundary.
fn prefix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}
