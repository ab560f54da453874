//! Vietnamese text analysis: syllable tokenizers for tantivy.
//!
//! Two views of the same text, both with positions (spec `analysis.md`):
//! the accented canonical view ([`ACCENTED_TOKENIZER`]) and the folded view
//! ([`FOLDED_TOKENIZER`]: every mark removed, đ→d). Offsets always point into the
//! original text.
//!
//! STUB: a placeholder implementation until the full analyzer lands.

use serde::Serialize;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, TokenizerManager,
};

/// Name under which the accented canonical tokenizer is registered.
pub const ACCENTED_TOKENIZER: &str = "vi_accented";
/// Name under which the folded (unaccented) tokenizer is registered.
pub const FOLDED_TOKENIZER: &str = "vi_folded";

/// Registers both Vietnamese tokenizers on a tokenizer manager.
///
/// Tokenizers are not stored in a tantivy index: this must run after every
/// `Index::open` / `Index::create` (see [`register`]).
pub fn register_on(manager: &TokenizerManager) {
    manager.register(
        ACCENTED_TOKENIZER,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
    manager.register(
        FOLDED_TOKENIZER,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
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

/// Analyses `text` into tokens carrying both views.
pub fn analyze(text: &str) -> Vec<Token> {
    let mut acc = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build();
    let mut stream = acc.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(Token {
            position: t.position,
            start: t.offset_from,
            end: t.offset_to,
            text: t.text.clone(),
            folded: fold(&t.text),
        });
    }
    out
}

/// Folds a string: removes every mark, maps đ→d, lowercases.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// Whether `text` carries any Vietnamese diacritic (a combining mark or a
/// precomposed accented letter, including đ). Decides accent routing.
pub fn has_diacritics(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_ascii() && c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c))
}
