//! Bad input: understanding and reference extraction never panic, and spans are
//! valid char boundaries inside the text.

use kehoach::document::{canonical_key, extract_references, fold_key, markup, Understander};
use proptest::prelude::*;

fn check_spans(text: &str, refs: &[kehoach::document::Reference]) {
    for r in refs {
        assert!(r.start <= r.end && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        let u = Understander::new();
        let r = u.understand(&s);
        check_spans(&s, &r.references);
        check_spans(&s, &extract_references(&s));
        let _ = canonical_key(&s);
        let _ = fold_key(&s);
    }

    #[test]
    fn reference_like_strings(s in r"(Số: ?|Kế hoạch số |Căn cứ )?[0-9]{1,5}[ /\-－‑\u{200B}]{1,3}(KH|QĐ|NĐ|kh|ubnd|CT|TW)[\-/ \n]{0,2}(UBND|TW|HĐND|Đ|\u{0301})?( ngày [0-9]{1,2}/[0-9]{1,2}/[0-9]{4})?( của UBND tỉnh[\n ]?\u{00A0}?)?") {
        let r = Understander::new().understand(&s);
        check_spans(&s, &r.references);
        for x in &r.references {
            prop_assert!(!x.key.is_empty());
            prop_assert_eq!(fold_key(&x.key), x.fold.clone());
        }
    }
}

#[test]
fn empty_and_odd_inputs() {
    let u = Understander::new();
    for s in [
        "",
        "\n\n\n",
        "Số:",
        "Số: 1/",
        "|||",
        "**",
        "ngày tháng năm",
        "\u{0301}\u{0301}",
        "1/2/3/4/5/6",
    ] {
        let r = u.understand(s);
        check_spans(s, &r.references);
        assert_eq!(r.text, s);
    }
}

/// What [`markup::display`] may change: everything but letters and digits.
fn words(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn check_markup(text: &str) {
    let mut at = 0;
    for m in markup::layout(text) {
        assert!(
            at <= m.start && m.start < m.end && m.end <= text.len(),
            "{m:?}"
        );
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        at = m.end;
    }
    assert_eq!(words(&markup::display(text)), words(text));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Markup spans are sorted, disjoint, on char boundaries, and never hide a word,
    /// whatever the text (Markdown-like pieces are over-represented).
    #[test]
    fn markup_never_hides_words(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("|".to_string()), Just("**".to_string()), Just("*".to_string()),
                Just("---".to_string()), Just("\n".to_string()), Just(" ".to_string()),
                Just("(*)".to_string()), Just("\\".to_string()), Just("# ".to_string()),
                "[a-zđ0-9 ]{0,6}", any::<String>(),
            ],
            0..30,
        )
    ) {
        check_markup(&parts.concat());
    }
}

/// The Markdown exports shipped in `corpus/` read as text: no `**`, no table bars
/// at the start of a line, no rule lines, and every word kept.
#[test]
fn corpus_markdown_reads_as_text() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/gov-docs/tnt305");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus/gov-docs/tnt305 is shipped") {
        let path = entry.expect("readable directory").path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = kehoach::document::clean(&std::fs::read_to_string(&path).expect("UTF-8 text"));
        check_markup(&text);
        let shown = markup::display(&text);
        assert!(!shown.contains("**"), "{}", path.display());
        for line in shown.lines() {
            let t = line.trim();
            assert!(
                !t.starts_with('|') && !t.ends_with('|'),
                "{}: {line}",
                path.display()
            );
            assert!(!t.starts_with("---"), "{}: {line}", path.display());
        }
        seen += 1;
    }
    assert!(
        seen >= 5,
        "only {seen} Markdown exports in {}",
        dir.display()
    );
}
