//! Property tests of the analyzer over arbitrary and Vietnamese-biased strings.

use kehoach::analysis::{self, analyze, fold, Token};
use proptest::prelude::*;
use tantivy::tokenizer::{TokenStream, TokenizerManager};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const VIETNAMESE_LETTERS: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴÐð";
const PUNCTUATION: &str = " .,/-–—:;()%\"'\n\t\u{A0}\u{AD}\u{200B}\u{200D}\u{FEFF}\u{2011}／－";

fn pick(set: &'static str) -> impl Strategy<Value = char> {
    let chars: Vec<char> = set.chars().collect();
    proptest::sample::select(chars)
}

/// Strings biased to Vietnamese: letters, combining marks U+0300–U+0323, digits,
/// punctuation, syllables and trigger words.
fn vietnamese_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(VIETNAMESE_LETTERS).prop_map(String::from),
        2 => (0x300u32..=0x323).prop_map(|c| char::from_u32(c).map(String::from).unwrap_or_default()),
        2 => pick("0123456789").prop_map(String::from),
        3 => pick(PUNCTUATION).prop_map(String::from),
        2 => proptest::sample::select(vec![
            "hoà", "thuỷ", "khoẻ", "Uỷ", "tóan", "nứơc", "qúa", "kĩ", "qui", "thi", "khóa ",
            "Đại hội ", "XIII", "VI", "quý I", "1.234.567", "12,5", "4.0", "09", "TP.HCM",
            "COVID-19", "136/KH-UBND", "CHƯƠNG ", "ngoài", "khuỷu", "gìa", "Ngh",
        ])
        .prop_map(String::from),
    ]
}

fn vietnamese_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(vietnamese_piece(), 0..40).prop_map(|v| v.concat())
}

/// Vietnamese pieces mixed with arbitrary characters.
fn mixed_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => vietnamese_piece(),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn arbitrary_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..40).prop_map(|v| v.into_iter().collect())
}

fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![vietnamese_string(), mixed_string(), arbitrary_string()]
}

fn texts(tokens: &[Token]) -> Vec<(String, String)> {
    tokens
        .iter()
        .map(|t| (t.text.clone(), t.folded.clone()))
        .collect()
}

fn check_offsets(s: &str) -> Result<(), TestCaseError> {
    let tokens = analyze(s);
    let mut last_start = 0;
    let mut last_position = 0;
    for t in &tokens {
        prop_assert!(t.start <= t.end && t.end <= s.len(), "{t:?} in {s:?}");
        prop_assert!(
            s.is_char_boundary(t.start) && s.is_char_boundary(t.end),
            "{t:?} not on char boundaries of {s:?}"
        );
        prop_assert!(t.start >= last_start, "start decreased at {t:?} in {s:?}");
        prop_assert!(t.position >= last_position, "position decreased at {t:?}");
        prop_assert!(t.start < t.end, "empty span {t:?}");
        prop_assert!(
            !t.text.is_empty() && !t.folded.is_empty(),
            "empty token {t:?}"
        );
        last_start = t.start;
        last_position = t.position;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn offsets_are_sound(s in any_string()) {
        check_offsets(&s)?;
        let nfd: String = s.nfd().collect();
        check_offsets(&nfd)?;
    }

    #[test]
    fn nfc_and_nfd_give_identical_tokens(s in any_string()) {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(texts(&analyze(&nfc)), texts(&analyze(&nfd)));
        let positions = |x: &str| analyze(x).iter().map(|t| t.position).collect::<Vec<_>>();
        prop_assert_eq!(positions(&nfc), positions(&nfd));
    }

    #[test]
    fn analysis_is_idempotent(s in any_string()) {
        let first = analyze(&s);
        let joined = first.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
        let second = analyze(&joined);
        let a: Vec<&str> = first.iter().map(|t| t.text.as_str()).collect();
        let b: Vec<&str> = second.iter().map(|t| t.text.as_str()).collect();
        prop_assert_eq!(a, b, "canonical text {:?}", joined);
    }

    #[test]
    fn tantivy_tokenizers_match_analyze(s in any_string()) {
        let manager = TokenizerManager::default();
        analysis::register_on(&manager);
        let tokens = analyze(&s);
        for (name, folded) in [(analysis::ACCENTED_TOKENIZER, false), (analysis::FOLDED_TOKENIZER, true)] {
            let Some(mut analyzer) = manager.get(name) else {
                return Err(TestCaseError::fail(format!("{name} not registered")));
            };
            let mut stream = analyzer.token_stream(&s);
            let mut got = Vec::new();
            while let Some(t) = stream.next() {
                got.push((t.position, t.offset_from, t.offset_to, t.text.clone()));
            }
            let want: Vec<_> = tokens
                .iter()
                .map(|t| (t.position, t.start, t.end, if folded { t.folded.clone() } else { t.text.clone() }))
                .collect();
            prop_assert_eq!(got, want, "{}", name);
        }
    }

    /// The body fields are indexed from `encode`'s streams: splitting them must give
    /// exactly the analyzer's tokens and positions in both views, and the count.
    #[test]
    fn pre_analysed_streams_match_analyze(s in any_string()) {
        let manager = TokenizerManager::default();
        analysis::register_on(&manager);
        let Some(mut splitter) = manager.get(analysis::STREAM_TOKENIZER) else {
            return Err(TestCaseError::fail("stream tokenizer not registered"));
        };
        let tokens = analyze(&s);
        let streams = analysis::encode(&s);
        for (encoded, folded) in [(&streams.accented, false), (&streams.folded, true)] {
            let mut stream = splitter.token_stream(encoded);
            let mut got = Vec::new();
            while let Some(t) = stream.next() {
                got.push((t.position, t.text.clone()));
            }
            let want: Vec<_> = tokens
                .iter()
                .map(|t| (t.position, if folded { t.folded.clone() } else { t.text.clone() }))
                .collect();
            prop_assert_eq!(got, want, "folded view: {}", folded);
        }
        let positions = tokens.iter().map(|t| t.position as u64 + 1).max().unwrap_or(0);
        prop_assert_eq!(streams.positions, positions);
    }

    #[test]
    fn folded_has_no_marks(s in any_string()) {
        for t in analyze(&s) {
            prop_assert!(!t.folded.chars().any(is_combining_mark), "{t:?}");
            prop_assert!(!t.folded.chars().any(|c| matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð')), "{t:?}");
            // No Latin letter with a decomposition (é, ệ, ǘ…) survives.
            prop_assert!(
                !t.folded.chars().any(|c| !c.is_ascii() && c.nfd().count() > 1),
                "{t:?}"
            );
        }
    }

    #[test]
    fn folded_vietnamese_is_ascii(s in vietnamese_string()) {
        for t in analyze(&s) {
            prop_assert!(
                t.folded.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == ','),
                "{t:?} from {s:?}"
            );
            prop_assert!(t.text.chars().all(|c| !c.is_uppercase()), "{t:?}");
            // The folded view is the fold of the accented view.
            prop_assert_eq!(&fold(&t.text), &t.folded);
        }
    }
}
