//! Recognising document numbers typed as queries ("136/KH-UBND", "30/2020/ND-CP").

use regex::Regex;
use std::sync::LazyLock;

static NUMBER_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    // number, then / or -, then a letter or a year: 136/KH-UBND, 34-CT/TW, 30/2020/NĐ-CP
    Regex::new(r"^\d{1,5}[a-zA-Z]?[ \t]*[/\-][ \t]*(?:(?:19|20)\d\d[ \t]*/[ \t]*)?\p{L}[\p{L}\p{N}]*(?:[ \t]*[/\-][ \t]*\p{L}[\p{L}\p{N}]*)*$")
        .expect("valid regex")
});

/// Whether a query word looks like a document number.
pub fn looks_like_number(word: &str) -> bool {
    let w = crate::analysis::fold(word);
    let w = w
        .replace(
            [
                '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2212}', '\u{ff0d}',
            ],
            "-",
        )
        .replace('\u{ff0f}', "/");
    NUMBER_LIKE.is_match(w.trim())
}

/// Fold key of a document number: lower case, marks stripped, đ→d, leading zeros of
/// the number dropped, every run of `-`/`/` (and surrounding spaces) → `/`.
pub fn fold_key(key: &str) -> String {
    let folded = crate::analysis::fold(key);
    let mut out = String::with_capacity(folded.len());
    let mut sep = false;
    for c in folded.chars() {
        match c {
            '-' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{ff0d}' | '\u{ff0f}' => {
                sep = true
            }
            c if c.is_whitespace() => {}
            c => {
                if sep && !out.is_empty() {
                    out.push('/');
                }
                sep = false;
                out.push(c);
            }
        }
    }
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    let zeros = out
        .bytes()
        .take_while(|&b| b == b'0')
        .count()
        .min(digits.saturating_sub(1));
    out.split_off(zeros)
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
