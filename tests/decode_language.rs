//! `document::detect_language`: whole paragraphs are tagged, short or ambiguous text is not.

use kehoach::document::detect_language;

const VI: &str = "Thực hiện Kế hoạch số 136/KH-UBND ngày 13/9/2019 của UBND tỉnh Kiên Giang, \
Sở Công Thương phát động đợt thi đua đặc biệt lập thành tích chào mừng Đại hội Đảng các cấp \
nhiệm kỳ 2020 – 2025. Các tập thể, cá nhân thi đua đẩy mạnh việc học tập và làm theo tư tưởng, \
đạo đức, phong cách Hồ Chí Minh bằng những việc làm, hành động cụ thể.";

const EN: &str = "The provincial People's Committee issued a plan to launch a special emulation \
campaign ahead of the Party congresses at all levels for the 2020–2025 term. Agencies and \
units are asked to register their targets, report on progress every quarter and reward \
outstanding collectives and individuals in a timely manner.";

#[test]
fn vietnamese_and_english_paragraphs() {
    assert_eq!(detect_language(VI).as_deref(), Some("vie"));
    assert_eq!(detect_language(EN).as_deref(), Some("eng"));
}

#[test]
fn too_short_is_none() {
    assert_eq!(detect_language(""), None);
    assert_eq!(detect_language("chuyen doi so"), None);
    assert_eq!(detect_language("136/KH-UBND 2019 – 2025 ... 12,5%"), None);
}

#[test]
fn very_long_documents_are_sampled_on_a_char_boundary() {
    // 70 KB of Vietnamese: the sample cut must land inside a multi-byte character safely.
    let long = format!("ệ{}", VI.repeat(300));
    assert!(long.len() > 64 * 1024);
    assert_eq!(detect_language(&long).as_deref(), Some("vie"));
}
