//! Recognising document numbers typed as queries ("136/KH-UBND", "30/2020/ND-CP").

use crate::document::references::{canonical_key, fold_key as fold_canonical};

/// Whether a query word looks like a document number (`136/KH-UBND`, `34-CT/TW`,
/// `30/2020/ND-CP`), by the citation grammar of document understanding.
pub fn looks_like_number(word: &str) -> bool {
    !word.trim_start().starts_with('~') && canonical_key(word).is_some()
}

/// Fold key of a document number as typed by a user or written in a document:
/// its canonical KEY folded (`09/2021/QĐ-UBND` → `9/2021/qd/ubnd`, `34/CT-TW` →
/// `34/ct/tw`); text that is not a number is folded as it is.
pub fn fold_key(key: &str) -> String {
    match canonical_key(key) {
        Some(k) => fold_canonical(&k),
        None => fold_canonical(key),
    }
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
        assert_eq!(fold_key("136/KH-UBND"), "136/kh/ubnd");
        assert_eq!(fold_key("09/2021/QĐ-UBND"), "9/2021/qd/ubnd");
        assert_eq!(fold_key("34-CT/TW"), "34/ct/tw");
        assert_eq!(fold_key("136 / KH – UBND"), "136/kh/ubnd");
    }
}
