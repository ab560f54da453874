//! Property tests: `decode` then `clean` never panic on arbitrary bytes or on mutations of
//! valid Vietnamese UTF-8/HTML, and every Ok result is text without NUL.

use std::path::Path;

use kehoach::document::{clean, decode};
use proptest::prelude::*;

const VI: &str = "Kế hoạch số 136/KH-UBND ngày 13/9/2019 của UBND tỉnh Kiên Giang về thi đua.\n\
Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n\nCác tin khác\nLượt xem: 12\n";

const HTML: &str = "<!DOCTYPE html><html><head><title>t</title><script>var a='<p>';</script>\
</head><body><p>Vi&#7879;t Nam &amp; <b>Kiên&nbsp;Giang</b></p><!-- c --><table><tr><td>a</td>\
<td>b</td></tr></table><br/>Copyright &copy; 2024</body></html>";

fn check(bytes: &[u8], name: &str) {
    if let Ok(text) = decode(bytes, Path::new(name)) {
        assert!(!text.contains('\0'), "NUL in decoded text");
        let cleaned = clean(&text);
        assert!(!cleaned.contains('\0'), "NUL in cleaned text");
        assert!(!cleaned.contains('\r'), "CR in cleaned text");
        // Cleaning is idempotent.
        assert_eq!(clean(&cleaned), cleaned);
    }
}

/// A mutation: (position seed, new byte, kind 0 = replace, 1 = insert, 2 = delete).
fn mutate(base: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut v = base.to_vec();
    for &(pos, byte, kind) in edits {
        if v.is_empty() {
            v.push(byte);
            continue;
        }
        let i = pos % v.len();
        match kind % 3 {
            0 => v[i] = byte,
            1 => v.insert(i, byte),
            _ => {
                v.remove(i);
            }
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check(&bytes, "x.txt");
        check(&bytes, "x.html");
    }

    #[test]
    fn arbitrary_latin1_heavy_bytes(bytes in proptest::collection::vec(
        prop_oneof![0x20u8..0x7F, 0xA0u8..=0xFF, Just(b'\n')], 0..400)) {
        check(&bytes, "x.txt");
    }

    #[test]
    fn mutated_vietnamese_utf8(edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)) {
        check(&mutate(VI.as_bytes(), &edits), "vi.txt");
    }

    #[test]
    fn mutated_html(edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)) {
        check(&mutate(HTML.as_bytes(), &edits), "vi.html");
        check(&mutate(HTML.as_bytes(), &edits), "vi.txt");
    }

    #[test]
    fn arbitrary_strings_through_clean(s in "(\\PC|\r|\n|\u{200B}|\u{AD}|\u{FEFF}|Chia sẻ|Tin liên quan|View Counter|12){0,200}") {
        let cleaned = clean(&s);
        prop_assert!(!cleaned.contains('\r'));
        prop_assert_eq!(clean(&cleaned), cleaned);
    }
}
