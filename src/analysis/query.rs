//! Query-side accent routing (spec decision 2).
//!
//! A query typed without any diacritic says nothing about accents ("chuyen doi so"
//! may mean any spelling), so it searches the folded field only. A query with a
//! diacritic says which spelling the user means: it searches the accented field,
//! boosted by [`ACCENTED_BOOST`], OR the folded field, so the exact spelling ranks
//! first and the variants ("Chuyên đội sơ cứu" for `chuyển đổi số`) still come after.
//! Never route by language detection: whatlang is wrong on short unaccented queries.

use super::chars::is_diacritic_char;

/// Boost of the accented field when a query carries diacritics (spec: about 2–3×).
pub const ACCENTED_BOOST: f32 = 2.5;

/// Which fields a query searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// No diacritic in the query: search the folded field only.
    FoldedOnly,
    /// Some diacritic: search the accented field (boosted by [`ACCENTED_BOOST`]) OR the
    /// folded field.
    AccentedAndFolded,
}

/// Routes a query text by its diacritics (see [`Route`]).
pub fn route(query_text: &str) -> Route {
    if has_diacritics(query_text) {
        Route::AccentedAndFolded
    } else {
        Route::FoldedOnly
    }
}

/// Whether `text` carries any diacritic: a combining mark, a letter carrying one
/// (precomposed), or a letter that folding maps to ASCII (đ, Ð, ø…). Letters of other
/// scripts without marks (中, я) are not diacritics.
pub fn has_diacritics(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(is_diacritic_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing() {
        assert_eq!(route("chuyen doi so"), Route::FoldedOnly);
        assert_eq!(route("\"ke hoach\" 136/KH-UBND"), Route::FoldedOnly);
        assert_eq!(route("chuyển đổi số"), Route::AccentedAndFolded);
        assert_eq!(route("Dang Đ"), Route::AccentedAndFolded);
        assert_eq!(route("ca\u{301}"), Route::AccentedAndFolded);
        assert_eq!(route("中文"), Route::FoldedOnly);
        assert!(!has_diacritics("UBND"));
    }
}
