//! Recognising document numbers typed as queries ("136/KH-UBND", "30/2020/ND-CP").

use crate::document::references::canonical_key;

/// Whether a query word looks like a document number (`136/KH-UBND`, `34-CT/TW`,
/// `30/2020/ND-CP`), by the citation grammar of document understanding.
pub fn looks_like_number(word: &str) -> bool {
    !word.trim_start().starts_with('~') && canonical_key(word).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert!(looks_like_number("136/KH-UBND"));
        assert!(looks_like_number("30/2020/NĐ-CP"));
        assert!(looks_like_number("34-CT/TW"));
        assert!(!looks_like_number("13/9/2019"));
        assert!(!looks_like_number("chuyển"));
    }
}
