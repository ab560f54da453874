//! Arbitrary UTF-8 → `kehoach::analysis::analyze` and both tantivy tokenizers.
//!
//! Asserts the invariants of tests/analysis_props.rs: offsets in bounds, on char
//! boundaries, non-empty and non-decreasing; positions non-decreasing; the tantivy
//! streams give exactly what `analyze` gives; the folded view has no marks and no
//! đ; on Vietnamese-alphabet input the folded view is ASCII and is `fold` of the
//! accented view; NFC and NFD input give the same tokens; analysis is idempotent.
#![no_main]

use kehoach::analysis::{self, analyze, fold, Token};
use libfuzzer_sys::fuzz_target;
use tantivy::tokenizer::{TokenStream, TokenizerManager};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const VIETNAMESE_LETTERS: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴÐð";
const PUNCTUATION: &str = " .,/-–—:;()%\"'\n\t\u{A0}\u{AD}\u{200B}\u{200D}\u{FEFF}\u{2011}／－";

/// The alphabet of the property tests' `vietnamese_string`.
fn is_vietnamese_alphabet(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{300}'..='\u{323}').contains(&c)
        || VIETNAMESE_LETTERS.contains(c)
        || PUNCTUATION.contains(c)
}

fn check_offsets(s: &str, tokens: &[Token]) {
    let mut last_start = 0;
    let mut last_position = 0;
    for t in tokens {
        assert!(t.start < t.end && t.end <= s.len(), "{t:?} in {s:?}");
        assert!(
            s.is_char_boundary(t.start) && s.is_char_boundary(t.end),
            "{t:?} not on char boundaries of {s:?}"
        );
        assert!(t.start >= last_start, "start decreased at {t:?} in {s:?}");
        assert!(
            t.position >= last_position,
            "position decreased at {t:?} in {s:?}"
        );
        assert!(
            !t.text.is_empty() && !t.folded.is_empty(),
            "empty token {t:?} in {s:?}"
        );
        last_start = t.start;
        last_position = t.position;
    }
}

fn texts(tokens: &[Token]) -> Vec<(usize, &str, &str)> {
    tokens
        .iter()
        .map(|t| (t.position, t.text.as_str(), t.folded.as_str()))
        .collect()
}

fuzz_target!(|s: &str| {
    let tokens = analyze(s);
    check_offsets(s, &tokens);

    // The tantivy token streams agree with `analyze`.
    let manager = TokenizerManager::default();
    analysis::register_on(&manager);
    for (name, folded) in [
        (analysis::ACCENTED_TOKENIZER, false),
        (analysis::FOLDED_TOKENIZER, true),
    ] {
        let mut analyzer = manager.get(name).expect("registered");
        let mut stream = analyzer.token_stream(s);
        let mut got = Vec::new();
        while let Some(t) = stream.next() {
            got.push((t.position, t.offset_from, t.offset_to, t.text.clone()));
        }
        let want: Vec<_> = tokens
            .iter()
            .map(|t| {
                let text = if folded { &t.folded } else { &t.text };
                (t.position, t.start, t.end, text.clone())
            })
            .collect();
        assert_eq!(got, want, "{name} on {s:?}");
    }

    // Folding removes every mark and đ.
    let vietnamese = s.chars().all(is_vietnamese_alphabet);
    for t in &tokens {
        assert!(!t.folded.chars().any(is_combining_mark), "{t:?} in {s:?}");
        assert!(
            !t.folded.chars().any(|c| matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð')),
            "{t:?} in {s:?}"
        );
        assert!(
            !t.folded
                .chars()
                .any(|c| !c.is_ascii() && c.nfd().count() > 1),
            "{t:?} in {s:?}"
        );
        if vietnamese {
            assert!(
                t.folded
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == ','),
                "{t:?} from {s:?}"
            );
            assert!(t.text.chars().all(|c| !c.is_uppercase()), "{t:?} in {s:?}");
            assert_eq!(fold(&t.text), t.folded, "{t:?} in {s:?}");
        }
    }

    // NFC and NFD spellings of the same text give the same tokens.
    let nfc: String = s.nfc().collect();
    let nfd: String = s.nfd().collect();
    let (a, b) = (analyze(&nfc), analyze(&nfd));
    check_offsets(&nfc, &a);
    check_offsets(&nfd, &b);
    assert_eq!(texts(&a), texts(&b), "NFC {nfc:?} vs NFD {nfd:?}");

    // Analysing the canonical text again gives it back.
    let joined = tokens
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let again: Vec<String> = analyze(&joined).into_iter().map(|t| t.text).collect();
    let first: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(first, again, "not idempotent: {s:?} → {joined:?}");
});
