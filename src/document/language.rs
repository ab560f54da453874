//! Language identification with whatlang.

/// ISO 639-3 code of the language of `text`, if whatlang can tell.
pub fn detect(text: &str) -> Option<String> {
    whatlang::detect_lang(text).map(|l| l.code().to_string())
}
