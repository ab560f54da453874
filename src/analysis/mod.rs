//! Vietnamese text analysis: syllable tokenizers for tantivy.
//!
//! ## Pipeline
//!
//! One pass over the **original** text (it is never normalised as a whole, so every
//! offset is a byte offset into what the caller gave, NFD or not):
//!
//! 1. **Scan** (`tokenizer.rs`). A token is a run of letters, digits and combining
//!    marks, so NFD "hoà" stays one token. Soft hyphen, ZWJ/ZWNJ, word joiner and BOM
//!    are deleted (they neither split nor appear); U+200B, no-break spaces and every
//!    dash and slash variant separate. A digit run continues over `.`/`,` followed
//!    by digits (`1.234.567`, `12,5`, `4.0`). Offsets exclude deleted characters at
//!    the edges.
//! 2. **ASCII fast path.** A pure-ASCII token is lowercased in place (both views are
//!    then the same string); most Vietnamese syllables with no mark take this path.
//! 3. **Vietnamese path** (`chars.rs`, `syllable.rs`). Each character is decoded
//!    from a table into a *unit*: base letter, modifier (ˆ ˘ horn), tone. Precomposed,
//!    NFD, either order of stacked marks, and Windows-1258 half-composed input
//!    ("ê" + U+0301) give the same units; Ð/ð become đ. A letters-only token that
//!    parses as onset + vowels + coda gets its single tone moved to the canonical
//!    vowel, in the classic convention of official texts: `hoà`→`hòa`,
//!    `thuỷ`→`thủy`, `khoẻ`→`khỏe`, `uỷ`→`ủy`, and misplacements fixed
//!    (`tóan`→`toán`, `nứơc`→`nước`, `qúa`→`quá`). Then toned i→y from a whitelist
//!    (`kĩ`→`kỹ`, `lí`→`lý`, `mĩ`→`mỹ`, `tỉ`→`tỷ`, `sĩ`→`sỹ`, `kì`→`kỳ`,
//!    `quí`→`quý`, also `qui`→`quy`); untoned `thi`, `ty`, `vi`, `li`, `mi`, `si`
//!    are never touched. Units are recomposed (NFC) for the accented view and reduced
//!    to their bare bases (đ→d) for the folded view.
//! 4. **Generic path** for anything else (other scripts, ç, å…): NFKC (fullwidth
//!    forms, ligatures), lowercase; folded view = compatibility decomposition without
//!    marks, plus ASCII for letters without decomposition (ø, æ, ß, ł…). Other
//!    scripts are kept as they are in both views.
//! 5. **Numbers** (`numbers.rs`): leading zeros stripped (`09`→`9`), Vietnamese
//!    thousand dots removed (`1.234.567`→`1234567`), decimals kept (`12,5`, `4.0`).
//!    So `09/2021/QĐ-UBND` and `9/2021/QĐ-UBND`, `13/09/2019` and `13/9/2019` give
//!    the same tokens.
//! 6. **Roman numerals** (I, V, X only: 1–39) directly after a trigger (khóa, đại
//!    hội, lần thứ, chương, phần, mục, quý, kỳ họp \[thứ\]) emit their Arabic value as
//!    an extra token at the **same position** and offsets ("Đại hội XIII" → `xiii`
//!    and `13` at position 2). The numeral must be written in capitals; after an
//!    all-caps trigger it must end the line or be followed by punctuation ("CHƯƠNG
//!    II" is 2, "PHẦN VI PHẠM" is not 6). Queries should keep one token per position,
//!    the Arabic one: it is indexed for both spellings.
//!
//! ## Decisions
//!
//! - **Syllables, not words**; no stopwords, no stemming (spec `analysis.md`).
//! - **Two views, two fields**: [`ACCENTED_TOKENIZER`] (canonical accented) and
//!   [`FOLDED_TOKENIZER`] (every mark removed, đ→d); one token per position in each
//!   (except the Roman numeral extra). Query routing: [`route`].
//! - **Punctuation always separates**: `TP.HCM` → `tp hcm`, `COVID-19` → `covid 19`,
//!   `2021–2025` → `2021 2025`, `136/KH-UBND` → `136 kh ubnd`. A quoted query goes
//!   through the same analyzer, so `"TP.HCM"`, `TP HCM` and `TP. HCM` all match as
//!   the phrase `tp hcm`. Whole document numbers belong to the exact field (query
//!   module), not here.
//! - **Letters and digits stay together** in one run (`QH15`, `T03`, `5G`): splitting
//!   them would make `QH15` match `QH 15`.
//! - **No allocation per token**: the tantivy token streams reuse their buffers; the
//!   scanner reads bytes and only decodes non-ASCII characters.

mod chars;
pub mod lexicon;
mod numbers;
mod query;
mod stream;
mod syllable;
mod tokenizer;

use serde::Serialize;
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

pub use query::{has_diacritics, route, Route};
pub use stream::{
    encode, encode_with, is_pair_word, pair_term, PairTokenStream, PairTokenizer,
    StreamTokenStream, StreamTokenizer, Streams, FOLDED_PAIR_TOKENIZER, PAIR_TOKENIZER,
    STREAM_TOKENIZER,
};
pub use tokenizer::{VietnameseTokenStream, VietnameseTokenizer};

pub(crate) use tokenizer::fold_token_into;
use tokenizer::{Scanner, Scratch, View};

pub(crate) use chars::{decode_letters, fold_token_char_into, tables, Unit};
pub(crate) use syllable::{shape, Shape};

/// Name under which the accented canonical tokenizer is registered.
pub const ACCENTED_TOKENIZER: &str = "vi_accented";
/// Name under which the folded (unaccented) tokenizer is registered.
pub const FOLDED_TOKENIZER: &str = "vi_folded";

/// The accented canonical tokenizer (what [`ACCENTED_TOKENIZER`] names).
pub fn accented_tokenizer() -> VietnameseTokenizer {
    VietnameseTokenizer::new(View::Accented)
}

/// The folded tokenizer (what [`FOLDED_TOKENIZER`] names).
pub fn folded_tokenizer() -> VietnameseTokenizer {
    VietnameseTokenizer::new(View::Folded)
}

/// Registers both Vietnamese tokenizers, the pre-analysed stream tokenizer of the
/// body fields ([`STREAM_TOKENIZER`]) and the pair tokenizers of the body's pair
/// fields ([`PAIR_TOKENIZER`], [`FOLDED_PAIR_TOKENIZER`]), on a tokenizer manager.
///
/// Tokenizers are not stored in a tantivy index: this must run after every
/// `Index::open` / `Index::create` (see [`register`]).
pub fn register_on(manager: &TokenizerManager) {
    manager.register(ACCENTED_TOKENIZER, TextAnalyzer::from(accented_tokenizer()));
    manager.register(FOLDED_TOKENIZER, TextAnalyzer::from(folded_tokenizer()));
    manager.register(
        STREAM_TOKENIZER,
        TextAnalyzer::from(StreamTokenizer::default()),
    );
    manager.register(
        PAIR_TOKENIZER,
        TextAnalyzer::from(PairTokenizer::new(false)),
    );
    manager.register(
        FOLDED_PAIR_TOKENIZER,
        TextAnalyzer::from(PairTokenizer::new(true)),
    );
}

/// Registers both Vietnamese tokenizers on an index.
pub fn register(index: &tantivy::Index) {
    register_on(index.tokenizers());
}

/// One analysed token, in both views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// Position (syllable index); extra tokens at one position share it.
    pub position: usize,
    /// Byte offset of the token's start in the original text.
    pub start: usize,
    /// Byte offset of the token's end in the original text.
    pub end: usize,
    /// Accented canonical form.
    pub text: String,
    /// Folded form (no marks, đ→d).
    pub folded: String,
}

/// Analyses `text` into tokens carrying both views (the same tokens, positions and
/// offsets as the two tantivy tokenizers).
///
/// ```
/// use kehoach::analysis::analyze;
///
/// let tokens = analyze("Kế hoạch 09/2021/QĐ-UBND về chuyển đổi số, hoà nhập");
/// let accented: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
/// assert_eq!(
///     accented,
///     ["kế", "hoạch", "9", "2021", "qđ", "ubnd", "về", "chuyển", "đổi", "số", "hòa", "nhập"]
/// );
/// let folded: Vec<&str> = tokens.iter().map(|t| t.folded.as_str()).collect();
/// assert_eq!(folded[7..10], ["chuyen", "doi", "so"]);
/// // Offsets point into the text as given.
/// let t = &tokens[10];
/// assert_eq!(&"Kế hoạch 09/2021/QĐ-UBND về chuyển đổi số, hoà nhập"[t.start..t.end], "hoà");
/// ```
pub fn analyze(text: &str) -> Vec<Token> {
    let mut scanner = Scanner::new(text);
    let mut scratch = Scratch::default();
    let mut out = Vec::new();
    while let Some(span) = scanner.next(&mut scratch, true) {
        out.push(Token {
            position: span.position,
            start: span.start,
            end: span.end,
            text: scratch.accented.clone(),
            folded: scratch.folded().to_string(),
        });
    }
    out
}

/// Calls `each(position, start, end, form)` for every token of one view of `text`
/// (`folded`: the folded view), exactly as that view's tokenizer gives them; cheaper
/// than analysing both views.
pub(crate) fn for_each_view_token(
    text: &str,
    folded: bool,
    each: &mut dyn FnMut(usize, usize, usize, &str),
) {
    let mut scanner = if folded {
        Scanner::folded_only(text)
    } else {
        Scanner::new(text)
    };
    let mut scratch = Scratch::default();
    while let Some(span) = scanner.next(&mut scratch, folded) {
        let form = if folded {
            scratch.folded()
        } else {
            scratch.accented.as_str()
        };
        each(span.position, span.start, span.end, form);
    }
}

/// Folds a string: lowercases, removes every mark, maps đ→d (and ø, æ, ß… to ASCII).
/// The text is not tokenized; separators are kept.
///
/// ```
/// assert_eq!(kehoach::analysis::fold("Chuyển đổi SỐ, TP.HCM"), "chuyen doi so, tp.hcm");
/// ```
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                chars::fold_char_into(l, &mut out);
            }
        }
    }
    out
}

/// Whether `word` is one Vietnamese syllable as the analyzer models it: onset, vowel
/// cluster and coda (`syllable.rs`), at most one tone, on the vowel cluster. Any case;
/// precomposed letters or combining marks (NFD). Spelling is not checked (`gìa`,
/// `tóan` are syllables the analyzer respells), foreign words, acronyms, lone
/// consonants and anything with a digit or punctuation are not syllables.
///
/// ```
/// use kehoach::analysis::is_syllable;
///
/// assert!(is_syllable("luật"));
/// assert!(is_syllable("TỈNH"));
/// assert!(is_syllable("nghie\u{0323}\u{0302}p")); // NFD, marks in either order
/// assert!(is_syllable("ật")); // a rhyme is a vowel-initial syllable
/// assert!(!is_syllable("d"));
/// assert!(!is_syllable("tr"));
/// assert!(!is_syllable("UBND"));
/// assert!(!is_syllable("nhàở")); // two tones
/// ```
pub fn is_syllable(word: &str) -> bool {
    let mut units = Vec::with_capacity(8);
    decode_letters(tables(), word, &mut units).is_some()
        && matches!(shape(&units), Shape::Syllable { .. })
}

/// Writes the canonical lowercase form of a syllable (what the accented view indexes:
/// tone on its classic vowel, i/y whitelist, NFC) into `out`, after clearing it.
pub(crate) fn syllable_key(units: &[Unit], out: &mut String) {
    out.clear();
    let mut buf = [Unit::letter('a'); 16];
    let n = units.len().min(buf.len());
    buf[..n].copy_from_slice(&units[..n]);
    syllable::canonicalize(&mut buf[..n]);
    let t = tables();
    for u in &buf[..n] {
        t.compose_into(*u, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        analyze(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn fold_removes_marks() {
        assert_eq!(fold("Chuyển Đổi SỐ"), "chuyen doi so");
        assert_eq!(fold("ho\u{300}a Ðà"), "hoa da");
    }

    #[test]
    fn basic_tokens() {
        assert_eq!(texts("Chuyển đổi số"), ["chuyển", "đổi", "số"]);
        assert_eq!(texts("chuy\u{AD}ển"), ["chuyển"]);
        assert_eq!(texts("Đại hội XIII"), ["đại", "hội", "xiii", "13"]);
        assert_eq!(texts("PHẦN VI PHẠM"), ["phần", "vi", "phạm"]);
        assert_eq!(
            texts("CHƯƠNG II\nQUY ĐỊNH"),
            ["chương", "ii", "2", "quy", "định"]
        );
        assert_eq!(texts("Kỳ họp thứ IX"), ["kỳ", "họp", "thứ", "ix", "9"]);
    }
}
