//! Language identification with whatlang.
//!
//! whatlang is reliable on whole accented documents and wrong on short unaccented
//! strings (spec `analysis.md`): use it to tag documents, never to route queries.

/// Bytes taken from the start and from the middle of a document for whatlang.
/// Detection costs about 13 MB/s, the slowest step of understanding when run on
/// whole texts; two 2 KB windows are as reliable on real documents (a mixed-language
/// document is tagged by its opening and its body) and keep ingestion fast.
const WINDOW: usize = 2 * 1024;

/// Fewest letters for a guess; shorter texts return `None`.
const MIN_LETTERS: usize = 40;

/// ISO 639-3 code of the language of `text` (`"vie"`, `"eng"` …), or `None` when the
/// text is too short or whatlang is not confident.
pub fn detect_language(text: &str) -> Option<String> {
    if is_clearly_vietnamese(prefix(text, 2 * WINDOW)) {
        return Some("vie".to_string());
    }
    let owned;
    let sample = if text.len() <= 2 * WINDOW {
        text
    } else {
        let mid = super::text::ceil_boundary(text, text.len() / 2);
        owned = format!("{}\n{}", prefix(text, WINDOW), prefix(&text[mid..], WINDOW));
        owned.as_str()
    };
    if sample.chars().filter(|&c| super::text::is_alpha(c)).count() < MIN_LETTERS {
        return None;
    }
    let info = whatlang::detect(sample)?;
    info.is_reliable().then(|| info.lang().code().to_string())
}

/// Letters only Vietnamese writes: the Latin Extended Additional block of toned
/// vowels (U+1EA0–U+1EF9) and đ, ư, ơ. When they make up a clear share of the
/// letters, the text is Vietnamese whatever whatlang would say, and whatlang's cost
/// is saved.
fn is_clearly_vietnamese(sample: &str) -> bool {
    let (mut letters, mut viet) = (0usize, 0usize);
    let mut check_at = 128;
    for (i, c) in sample.char_indices() {
        // Every 128 bytes or so: stop once the rest (at most one letter per byte)
        // cannot change the answer.
        if i >= check_at {
            check_at = i + 128;
            let rest = sample.len() - i;
            if letters >= MIN_LETTERS && viet * 100 >= (letters + rest) * 4 {
                return true;
            }
            if (viet + rest) * 100 < letters * 4 || letters + rest < MIN_LETTERS {
                return false;
            }
        }
        if c.is_ascii() {
            letters += usize::from(c.is_ascii_alphabetic());
        } else if super::text::is_alpha(c) {
            letters += 1;
            if matches!(
                c,
                '\u{1EA0}'..='\u{1EF9}' | 'đ' | 'Đ' | 'ư' | 'Ư' | 'ơ' | 'Ơ'
            ) {
                viet += 1;
            }
        }
    }
    letters >= MIN_LETTERS && viet * 100 >= letters * 4
}

/// The longest prefix of `s` of at most `n` bytes ending on a char boundary.
fn prefix(s: &str, n: usize) -> &str {
    &s[..super::text::floor_boundary(s, n)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: the share of Vietnamese letters over the whole sample.
    fn share_over_all(sample: &str) -> bool {
        let letters = sample
            .chars()
            .filter(|&c| super::super::text::is_alpha(c))
            .count();
        let viet = sample
            .chars()
            .filter(|&c| {
                matches!(
                    c,
                    '\u{1EA0}'..='\u{1EF9}' | 'đ' | 'Đ' | 'ư' | 'Ư' | 'ơ' | 'Ơ'
                )
            })
            .count();
        letters >= MIN_LETTERS && viet * 100 >= letters * 4
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn early_stop_gives_the_whole_sample_answer(
            parts in proptest::collection::vec(
                proptest::sample::select(&[
                    "a", "e ", "the ", "ệ", "ư", "đ", "ơn ", "ế", "é", "ß", "1", " ", ".\n",
                    "Ω", "中", "🙂", "thực hiện ", "kế hoạch ", "plan ", "aaaaaaaaaaaaaaaa",
                    "                                ",
                ][..]),
                0..600,
            )
        ) {
            let s = parts.concat();
            let s = prefix(&s, 2 * WINDOW);
            proptest::prop_assert_eq!(is_clearly_vietnamese(s), share_over_all(s), "{:?}", s);
        }
    }

    #[test]
    fn vietnamese_letters_decide_quickly_and_others_go_to_whatlang() {
        assert!(is_clearly_vietnamese(
            "Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện chuyển đổi số trên địa bàn tỉnh năm 2024."
        ));
        // French and German accents are not Vietnamese letters.
        assert!(!is_clearly_vietnamese(
            "Le conseil régional a adopté le plan de transformation numérique pour l'année prochaine."
        ));
        assert!(!is_clearly_vietnamese(
            "Die Straßenbahn fährt über die Brücke, während es schneit."
        ));
        assert_eq!(
            detect_language("The provincial people's committee issued a plan on digital transformation for the whole province this year.").as_deref(),
            Some("eng")
        );
    }
}
