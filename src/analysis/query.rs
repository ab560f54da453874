//! Query-side accent routing (spec decision 2).
//!
//! A query typed without any diacritic says nothing about accents ("chuyen doi so"
//! may mean any spelling), so it searches the folded field. A query with a diacritic
//! says which spelling the user means: it searches the accented field only (tone
//! *placement* never matters: the canonical form unifies hoà/hòa). `thi đua` does not
//! find *thì*, *thị* or *đưa*. When such a query finds nothing, the engine falls back
//! to the folded field and says so (`crate::query::SearchResults::accents_ignored`).
//! Never route by language detection: whatlang is wrong on short unaccented queries.

use super::chars::is_diacritic_char;

/// Which fields a query searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// No diacritic in the query: search the folded field.
    Folded,
    /// Some diacritic: search the accented field only.
    Accented,
}

/// Routes a query text by its diacritics (see [`Route`]).
pub fn route(query_text: &str) -> Route {
    if has_diacritics(query_text) {
        Route::Accented
    } else {
        Route::Folded
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
        assert_eq!(route("chuyen doi so"), Route::Folded);
        assert_eq!(route("\"ke hoach\" 136/KH-UBND"), Route::Folded);
        assert_eq!(route("chuyển đổi số"), Route::Accented);
        assert_eq!(route("Dang Đ"), Route::Accented);
        assert_eq!(route("ca\u{301}"), Route::Accented);
        assert_eq!(route("中文"), Route::Folded);
        assert!(!has_diacritics("UBND"));
    }
}
