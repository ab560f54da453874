//! `decode`: UTF-8/16, HTML, legacy Vietnamese encodings (round trips through encoders
//! written here independently of the decoder's tables), and bad input.

use std::path::{Path, PathBuf};

use kehoach::document::{decode, decode_detailed, Decoded, Encoding, Legacy};
use kehoach::Error;
use unicode_normalization::UnicodeNormalization;

fn fixture(name: &str) -> (Vec<u8>, PathBuf) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/decode")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture exists");
    (bytes, path)
}

fn ok(bytes: &[u8], name: &str) -> Decoded {
    match decode_detailed(bytes, Path::new(name)) {
        Ok(d) => d,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn reason(bytes: &[u8], name: &str) -> String {
    match decode(bytes, Path::new(name)) {
        Ok(t) => panic!("{name}: expected an error, got {t:?}"),
        Err(e @ Error::Decode { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains(name), "error names the file: {msg}");
            msg
        }
        Err(e) => panic!("{name}: wrong error kind {e:?}"),
    }
}

// ----------------------------------------------------------------------------------
// Independent encoders (inverse tables typed from the encodings' structure)
// ----------------------------------------------------------------------------------

/// TCVN3 (ABC): per vowel the five tones in the order grave, hook, tilde, acute, dot.
fn tcvn3_byte(c: char) -> Option<u8> {
    const BASES: &[(char, u8)] = &[
        ('ă', 0xA8),
        ('â', 0xA9),
        ('ê', 0xAA),
        ('ô', 0xAB),
        ('ơ', 0xAC),
        ('ư', 0xAD),
        ('đ', 0xAE),
        ('Ă', 0xA1),
        ('Â', 0xA2),
        ('Ê', 0xA3),
        ('Ô', 0xA4),
        ('Ơ', 0xA5),
        ('Ư', 0xA6),
        ('Đ', 0xA7),
    ];
    const TONED: &[(&str, [u8; 5])] = &[
        ("aàảãáạ", [0xB5, 0xB6, 0xB7, 0xB8, 0xB9]),
        ("ăằẳẵắặ", [0xBB, 0xBC, 0xBD, 0xBE, 0xC6]),
        ("âầẩẫấậ", [0xC7, 0xC8, 0xC9, 0xCA, 0xCB]),
        ("eèẻẽéẹ", [0xCC, 0xCE, 0xCF, 0xD0, 0xD1]),
        ("êềểễếệ", [0xD2, 0xD3, 0xD4, 0xD5, 0xD6]),
        ("iìỉĩíị", [0xD7, 0xD8, 0xDC, 0xDD, 0xDE]),
        ("oòỏõóọ", [0xDF, 0xE1, 0xE2, 0xE3, 0xE4]),
        ("ôồổỗốộ", [0xE5, 0xE6, 0xE7, 0xE8, 0xE9]),
        ("ơờởỡớợ", [0xEA, 0xEB, 0xEC, 0xED, 0xEE]),
        ("uùủũúụ", [0xEF, 0xF1, 0xF2, 0xF3, 0xF4]),
        ("ưừửữứự", [0xF5, 0xF6, 0xF7, 0xF8, 0xF9]),
        ("yỳỷỹýỵ", [0xFA, 0xFB, 0xFC, 0xFD, 0xFE]),
    ];
    if c.is_ascii() {
        return u8::try_from(u32::from(c)).ok();
    }
    if let Some(&(_, b)) = BASES.iter().find(|(x, _)| *x == c) {
        return Some(b);
    }
    for (letters, bytes) in TONED {
        if let Some(i) = letters.chars().skip(1).position(|x| x == c) {
            return bytes.get(i).copied();
        }
    }
    None
}

/// TCVN3 bytes of `s`; toned capitals (absent from ABC) are written lower case, as the
/// capital fonts did. Returns the bytes and the text they stand for.
fn encode_tcvn3(s: &str) -> (Vec<u8>, String) {
    let mut bytes = Vec::new();
    let mut meant = String::new();
    for c in s.chars() {
        let (b, m) = match tcvn3_byte(c) {
            Some(b) => (b, c),
            None => {
                let l = c.to_lowercase().next().unwrap_or(c);
                (tcvn3_byte(l).expect("encodable"), l)
            }
        };
        bytes.push(b);
        meant.push(m);
    }
    (bytes, meant)
}

/// VNI-Windows: base letter + one mark byte; đ, ơ, ư, toned i and ỵ are single bytes.
fn encode_vni(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in s.chars() {
        let single = match c {
            'đ' => Some(0xF1),
            'Đ' => Some(0xD1),
            'ì' => Some(0xEC),
            'í' => Some(0xED),
            'ỉ' => Some(0xE6),
            'ĩ' => Some(0xF3),
            'ị' => Some(0xF2),
            'Ì' => Some(0xCC),
            'Í' => Some(0xCD),
            'Ỉ' => Some(0xC6),
            'Ĩ' => Some(0xD3),
            'Ị' => Some(0xD2),
            'ỵ' => Some(0xEE),
            'Ỵ' => Some(0xCE),
            _ => None,
        };
        if let Some(b) = single {
            out.push(b);
            continue;
        }
        let parts: Vec<char> = c.to_string().nfd().collect();
        let base = parts[0];
        let upper = base.is_uppercase();
        let has = |m: char| parts.contains(&m);
        let tone = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}']
            .into_iter()
            .position(has);
        // (grave, acute, hook, tilde, dot) for each row; [0] = shape mark alone.
        let pick = |none: u8, row: [u8; 5]| tone.map_or(none, |t| row[t]);
        let lower_mark: Option<u8> = if has('\u{31B}') {
            out.push(match (base, upper) {
                ('o' | 'O', false) => 0xF4,
                ('o' | 'O', true) => 0xD4,
                (_, false) => 0xF6,
                (_, true) => 0xD6,
            });
            tone.map(|t| [0xF8, 0xF9, 0xFB, 0xF5, 0xEF][t])
        } else {
            out.push(u8::try_from(u32::from(base)).expect("ASCII base"));
            if has('\u{302}') {
                Some(pick(0xE2, [0xE0, 0xE1, 0xE5, 0xE3, 0xE4]))
            } else if has('\u{306}') {
                Some(pick(0xEA, [0xE8, 0xE9, 0xFA, 0xFC, 0xEB]))
            } else {
                tone.map(|t| [0xF8, 0xF9, 0xFB, 0xF5, 0xEF][t])
            }
        };
        if let Some(m) = lower_mark {
            out.push(if upper { m - 0x20 } else { m });
        }
    }
    out
}

/// `s` with the shape letters of Windows-1258 precomposed and tones decomposed.
fn cp1258_bytes(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in s.chars() {
        let parts: Vec<char> = c.to_string().nfd().collect();
        let mut base: String = parts
            .iter()
            .filter(|m| {
                !matches!(
                    **m,
                    '\u{300}' | '\u{301}' | '\u{309}' | '\u{303}' | '\u{323}'
                )
            })
            .collect();
        base = base.nfc().collect();
        let letter = match base.as_str() {
            "ă" => vec![0xE3],
            "Ă" => vec![0xC3],
            "â" => vec![0xE2],
            "Â" => vec![0xC2],
            "ê" => vec![0xEA],
            "Ê" => vec![0xCA],
            "ô" => vec![0xF4],
            "Ô" => vec![0xD4],
            "ơ" => vec![0xF5],
            "Ơ" => vec![0xD5],
            "ư" => vec![0xFD],
            "Ư" => vec![0xDD],
            "đ" => vec![0xF0],
            "Đ" => vec![0xD0],
            other => {
                assert!(other.is_ascii(), "unexpected {other:?}");
                other.as_bytes().to_vec()
            }
        };
        out.extend(letter);
        for m in parts.iter().skip(1) {
            if let Some(b) = match m {
                '\u{300}' => Some(0xCC),
                '\u{301}' => Some(0xEC),
                '\u{309}' => Some(0xD2),
                '\u{303}' => Some(0xDE),
                '\u{323}' => Some(0xF2),
                _ => None,
            } {
                out.push(b);
            }
        }
    }
    out
}

/// Bytes read as Latin-1: what a converter that did not know the font produced.
fn as_latin1_text(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

const SENTENCES: &[&str] = &[
    "Thực hiện Kế hoạch số 136/KH-UBND ngày 13/9/2019 của UBND tỉnh Kiên Giang phát động đợt thi đua đặc biệt lập thành tích chào mừng Đại hội Đảng các cấp nhiệm kỳ 2020 - 2025.",
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị và địa phương xây dựng kế hoạch và đăng ký thi đua, tuyên truyền và giới thiệu điển hình tiên tiến.",
    "Người dân được hướng dẫn thực hiện thủ tục hành chính trực tuyến; quyết tâm hoàn thành thắng lợi các chỉ tiêu năm 2024.",
    "Mỹ Tho, kỹ thuật, Khánh Hòa, Thanh Hoá, huyện Kỳ Anh, Phó Chủ tịch, lẫn lộn, ẵm con, nguồn lực, khuyến khích, giữ gìn, thuở ấy, ỷ lại, bỡ ngỡ.",
];

fn corpus() -> String {
    SENTENCES.join("\n")
}

// ----------------------------------------------------------------------------------
// Legacy Vietnamese
// ----------------------------------------------------------------------------------

#[test]
fn tcvn3_raw_bytes_round_trip() {
    let (bytes, meant) = encode_tcvn3(&corpus());
    let d = ok(&bytes, "abc.txt");
    assert_eq!(d.text, meant);
    assert_eq!(d.encoding, Encoding::SingleByte);
    assert_eq!(d.legacy, Some(Legacy::Tcvn3));
}

#[test]
fn tcvn3_mojibake_utf8_round_trip() {
    let (bytes, meant) = encode_tcvn3(&corpus());
    let text = as_latin1_text(&bytes);
    assert!(text.contains("ViÖt Nam"), "{text}");
    let d = ok(text.as_bytes(), "abc-converted.txt");
    assert_eq!(d.text, meant);
    assert_eq!(d.encoding, Encoding::Utf8);
    assert_eq!(d.legacy, Some(Legacy::Tcvn3));
    assert_eq!(d.legacy_lines, SENTENCES.len());
}

#[test]
fn vni_raw_bytes_round_trip() {
    let text = corpus();
    let bytes = encode_vni(&text);
    let d = ok(&bytes, "vni.txt");
    assert_eq!(d.text, text.nfc().collect::<String>());
    assert_eq!(d.legacy, Some(Legacy::Vni));
}

#[test]
fn vni_mojibake_utf8_round_trip() {
    let text = corpus();
    let moji = as_latin1_text(&encode_vni(&text));
    assert!(moji.contains("Vieät Nam"), "{moji}");
    let d = ok(moji.as_bytes(), "vni-converted.txt");
    assert_eq!(d.text, text);
    assert_eq!(d.encoding, Encoding::Utf8);
    assert_eq!(d.legacy, Some(Legacy::Vni));
}

#[test]
fn windows1258_raw_bytes() {
    let text = corpus();
    let d = ok(&cp1258_bytes(&text), "cp1258.txt");
    assert_eq!(d.text, text);
    assert_eq!(d.legacy, Some(Legacy::Windows1258));
}

#[test]
fn double_encoded_utf8_is_repaired() {
    let text = corpus();
    let once: String = text
        .as_bytes()
        .iter()
        .map(|&b| windows1252_char(b))
        .collect();
    assert!(once.contains("á»"), "{once}");
    let d = ok(once.as_bytes(), "double.txt");
    assert_eq!(d.text, text);
    assert_eq!(d.legacy, Some(Legacy::DoubleUtf8));
}

#[test]
fn hand_written_legacy_strings() {
    let d = ok("Ninh B×nh".as_bytes(), "a.txt");
    assert_eq!(d.text, "Ninh Bình");
    let d = ok(
        "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc".as_bytes(),
        "b.txt",
    );
    assert_eq!(
        d.text,
        "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc"
    );
    let d = ok(
        "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc".as_bytes(),
        "c.txt",
    );
    assert_eq!(
        d.text,
        "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc"
    );
}

#[test]
fn mixed_document_converts_only_legacy_lines() {
    let (bytes, meant) = encode_tcvn3("Thực hiện chỉ đạo của tỉnh về công tác thi đua năm 2004.");
    let legacy_line = as_latin1_text(&bytes);
    let unicode_lines = [
        "Kế hoạch số 25/KH-UBND của Ủy ban nhân dân tỉnh.",
        "Tây Ninh và Cà Mau",
        "Café, naïve, Müller",
    ];
    let text = format!(
        "{}\n{legacy_line}\n{}\n{}",
        unicode_lines[0], unicode_lines[1], unicode_lines[2]
    );
    let d = ok(text.as_bytes(), "mixed.txt");
    assert_eq!(
        d.text,
        format!(
            "{}\n{meant}\n{}\n{}",
            unicode_lines[0], unicode_lines[1], unicode_lines[2]
        )
    );
    assert_eq!(d.legacy_lines, 1);
}

#[test]
fn legacy_fixture_files() {
    let (bytes, path) = fixture("tcvn3_abc.htm");
    let d = decode_detailed(&bytes, &path).expect("decodes");
    assert!(d.html);
    assert_eq!(d.legacy, Some(Legacy::Tcvn3));
    assert_eq!(
        d.text,
        "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n\n\
         Ninh Bình, ngày 15 tháng 3 năm 2004\n\n\
         Thực hiện chỉ đạo của Uỷ ban nhân dân tỉnh về công tác thi đua khen thưởng năm 2004."
    );

    let (bytes, path) = fixture("vni_windows.txt");
    let d = decode_detailed(&bytes, &path).expect("decodes");
    assert_eq!(d.legacy, Some(Legacy::Vni));
    assert_eq!(
        d.text,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\r\nĐộc lập - Tự do - Hạnh phúc\r\n\r\n\
         Thực hiện kế hoạch của Ủy ban nhân dân tỉnh về công tác thi đua khen thưởng năm 2005, \
         các cơ quan, đơn vị tổ chức phát động phong trào thi đua.\r\n"
    );
}

#[test]
fn genuine_unicode_and_western_text_are_left_alone() {
    let german = "Müller über Straße, Ärger und schön. Grüße aus Köln, Düsseldorf und Öhringen.";
    assert_eq!(ok(german.as_bytes(), "de.txt").text, german);
    let nfd: String = corpus().nfd().collect();
    let d = ok(nfd.as_bytes(), "nfd.txt");
    assert_eq!(d.text, nfd);
    assert_eq!(d.legacy, None);
    let sign = "Nhiệt độ 25°C, diện tích 3 × 4 m², giá © 2024 ± 5%.";
    assert_eq!(ok(sign.as_bytes(), "sign.txt").text, sign);
    let french =
        "Le président a été élu à Paris; où est-il? Ça coûte 5 €. Noël, naïve, cœur, façade, Ère.";
    assert_eq!(ok(french.as_bytes(), "fr.txt").text, french);
    let footer = "Tây Ninh và Cà Mau là hai tỉnh.\nCopyright © 2024 Sở Nội vụ";
    let d = ok(footer.as_bytes(), "footer.txt");
    assert_eq!((d.text.as_str(), d.legacy), (footer, None));
}

#[test]
fn windows1252_western_file_is_read_as_such() {
    let bytes = b"Caf\xe9 r\xe9sum\xe9 na\xefve \x93quoted\x94 \x96 fin";
    let d = ok(bytes, "fr.txt");
    assert_eq!(d.text, "Café résumé naïve “quoted” – fin");
    assert_eq!(d.encoding, Encoding::SingleByte);
    assert_eq!(d.legacy, None);
}

#[test]
fn undecidable_legacy_is_an_error() {
    let soup = "a×b µc ¶d ·e ¸f ¹g »h ¼i ½j ¾k ".repeat(4);
    let msg = reason(soup.as_bytes(), "soup.txt");
    assert!(msg.contains("TCVN3 or VNI"), "{msg}");
    let raw: Vec<u8> = soup.chars().map(|c| c as u8).collect();
    let msg = reason(&raw, "soup-raw.txt");
    assert!(msg.contains("not valid UTF-8"), "{msg}");
    assert!(msg.contains("TCVN3 or VNI"), "{msg}");
}

// ----------------------------------------------------------------------------------
// Unicode encodings
// ----------------------------------------------------------------------------------

const VI: &str = "Kế hoạch số 136/KH-UBND ngày 13/9/2019 của UBND tỉnh Kiên Giang.";

#[test]
fn utf8_with_and_without_bom() {
    let d = ok(VI.as_bytes(), "a.txt");
    assert_eq!(
        (d.text.as_str(), d.bom, d.encoding),
        (VI, false, Encoding::Utf8)
    );
    let mut b = vec![0xEF, 0xBB, 0xBF];
    b.extend_from_slice(VI.as_bytes());
    let d = ok(&b, "a.txt");
    assert_eq!((d.text.as_str(), d.bom), (VI, true));
}

#[test]
fn utf16_with_bom_and_sniffed() {
    let le: Vec<u8> = VI.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = VI.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let with = |bom: &[u8], body: &[u8]| [bom, body].concat();
    let d = ok(&with(&[0xFF, 0xFE], &le), "le.txt");
    assert_eq!(
        (d.text.as_str(), d.encoding, d.bom),
        (VI, Encoding::Utf16Le, true)
    );
    let d = ok(&with(&[0xFE, 0xFF], &be), "be.txt");
    assert_eq!(
        (d.text.as_str(), d.encoding, d.bom),
        (VI, Encoding::Utf16Be, true)
    );
    let d = ok(&le, "le-nobom.txt");
    assert_eq!(
        (d.text.as_str(), d.encoding, d.bom),
        (VI, Encoding::Utf16Le, false)
    );
    let d = ok(&be, "be-nobom.txt");
    assert_eq!((d.text.as_str(), d.encoding), (VI, Encoding::Utf16Be));

    let (bytes, path) = fixture("utf16le_bom.txt");
    let text = decode(&bytes, &path).expect("decodes");
    assert!(text.starts_with("Kế hoạch số 136/KH-UBND"));
    assert!(text.contains("Đại hội Đảng các cấp nhiệm kỳ 2020 – 2025."));
}

#[test]
fn truncated_utf8_drops_only_the_partial_last_char() {
    let bytes = VI.as_bytes();
    // A file cut after the first two bytes of a three-byte "ệ".
    let mut cut = bytes.to_vec();
    cut.extend_from_slice(&"ệ".as_bytes()[..2]);
    let d = ok(&cut, "cut.txt");
    assert_eq!(d.text, VI);
    assert!(d.truncated);
    let whole = ok(bytes, "whole.txt");
    assert!(!whole.truncated);
}

#[test]
fn rare_damage_in_utf8_is_replaced() {
    let mut bytes = corpus().into_bytes();
    bytes.insert(40, 0xFF);
    let d = ok(&bytes, "damaged.txt");
    assert_eq!(d.replaced, 1);
    assert!(d.text.contains('\u{FFFD}'));
    assert_eq!(d.text.replace('\u{FFFD}', ""), corpus());
}

// ----------------------------------------------------------------------------------
// HTML
// ----------------------------------------------------------------------------------

#[test]
fn html_fixture_is_reduced_to_text() {
    let (bytes, path) = fixture("news_page.html");
    let d = decode_detailed(&bytes, &path).expect("decodes");
    assert!(d.html);
    let t = &d.text;
    for gone in [
        "<",
        "tracking",
        "font-family",
        "quảng cáo",
        "bài viết chính",
        "Cổng thông tin điện tử\n",
        "Tin tức</",
    ] {
        assert!(!t.contains(gone), "{gone:?} left in {t}");
    }
    assert!(t.contains(
        "KẾ HOẠCH Chuyển đổi số năm 2024\n\nThứ hai, 12/02/2024 08:30 (GMT+7)\n\n\
         Thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị, UBND tỉnh ban hành \
         Kế hoạch số 25/KH-UBND – “Chuyển đổi số” & phát triển kinh tế số."
    ));
    assert!(t.contains("đạt trên 80%.\nViệt Nam · Việt Nam\n\n"));
    assert!(t.contains("Chỉ tiêu\tNăm 2024\nDịch vụ công trực tuyến\t100%"));
    assert!(t.contains("  Dòng   giữ nguyên\n  khoảng trắng"));

    let cleaned = kehoach::document::clean(t);
    for gone in [
        "Trang chủ",
        "GMT",
        "Chia sẻ",
        "Lượt xem",
        "Tin liên quan",
        "Hội nghị tổng kết",
        "Copyright",
    ] {
        assert!(!cleaned.contains(gone), "{gone:?} left in {cleaned}");
    }
    assert!(cleaned.starts_with("KẾ HOẠCH Chuyển đổi số năm 2024\n\nThực hiện Nghị quyết"));
    assert!(cleaned.ends_with("khoảng trắng"));
}

#[test]
fn html_is_sniffed_without_extension() {
    let page = "<!DOCTYPE html><html><body><p>Một</p><p>Hai &amp; ba</p></body></html>";
    let d = ok(page.as_bytes(), "page.txt");
    assert!(d.html);
    assert_eq!(d.text, "Một\n\nHai & ba");
    let plain = "Công thức: a < b và c > d, không phải HTML.";
    let d = ok(plain.as_bytes(), "plain.txt");
    assert!(!d.html);
    assert_eq!(d.text, plain);
}

// ----------------------------------------------------------------------------------
// Bad input
// ----------------------------------------------------------------------------------

#[test]
fn bad_input_is_an_error_that_says_why() {
    assert!(reason(b"", "empty.txt").contains("empty"));
    assert!(reason(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "img.txt").contains("PNG"));
    assert!(reason(b"PK\x03\x04\x14\0\x06\0", "doc.docx").contains("ZIP"));
    assert!(reason(b"%PDF-1.7\n%\xe2\xe3", "a.pdf").contains("PDF"));
    assert!(reason(b"abc\0def\0ghi\x01\x02", "nul.txt").contains("NUL"));
    let controls: Vec<u8> = (1u8..32).cycle().take(300).collect();
    assert!(reason(&controls, "ctl.txt").contains("control characters"));
    assert!(reason(b"   \n\t \r\n", "blank.txt").contains("no text"));
    assert!(reason(b"<html><script>x()</script></html>", "s.html").contains("HTML"));
}

#[test]
fn stray_control_characters_are_removed() {
    let d = ok(b"Ke hoach\x07 so 1\x1b", "bell.txt");
    assert_eq!(d.text, "Ke hoach so 1");
}

/// The character of byte `b` in Windows-1252 (the five undefined bytes map to the
/// C1 control), written out here from the code page rather than taken from the
/// decoder under test.
fn windows1252_char(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}
