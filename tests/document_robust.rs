//! Bad input: understanding and reference extraction never panic, and spans are
//! valid char boundaries inside the text.

use kehoach::document::{canonical_key, extract_references, fold_key, Understander};
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
