//! Legacy 8-bit Vietnamese encodings and the mojibake they leave in Unicode text.
//!
//! Before Unicode, Vietnamese documents were typed with font-based encodings:
//!
//! * **TCVN3 (ABC, TCVN 5712 VN3)**: one byte per letter; `Céng hoµ x· héi chñ nghÜa ViÖt Nam`
//!   is what "Cộng hoà xã hội chủ nghĩa Việt Nam" looks like when its bytes are read as
//!   Windows-1252/Latin-1.
//! * **VNI-Windows**: a base letter followed by a mark byte; `Coäng hoøa xaõ hoäi` is
//!   "Cộng hòa xã hội".
//! * **Windows-1258**: base letters plus combining tone bytes.
//!
//! Such text arrives either as raw 8-bit bytes (not valid UTF-8) or, very often, as valid
//! UTF-8 produced by a converter that read the legacy bytes as Windows-1252/Latin-1.
//! A third common accident, UTF-8 read as Windows-1252 and saved again as UTF-8
//! (`Viá»‡t Nam`), is repaired the same way.
//!
//! Which conversion is right is decided by scoring how Vietnamese each candidate looks:
//! the share of words that are well-formed Vietnamese syllables (onset, vowel nucleus,
//! coda, at most one tone, stop codas only with sắc/nặng) plus frequent syllables, with a
//! penalty for words containing letters Vietnamese never uses.

use std::collections::HashSet;
use std::sync::LazyLock;

use unicode_normalization::char::{compose, decompose_canonical};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// A legacy Vietnamese layer that was undone while decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Legacy {
    /// TCVN3 / ABC (TCVN 5712 VN3; VN1 capitals in the upper half are accepted too).
    Tcvn3,
    /// VNI-Windows (base letter + mark byte).
    Vni,
    /// Windows-1258 (base letters + combining tone bytes); only for raw 8-bit files.
    Windows1258,
    /// UTF-8 that was read as Windows-1252 and encoded to UTF-8 again (`Viá»‡t`).
    DoubleUtf8,
}

impl Legacy {
    /// A short human-readable name (`"TCVN3"`, `"VNI"` …).
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3",
            Legacy::Vni => "VNI",
            Legacy::Windows1258 => "Windows-1258",
            Legacy::DoubleUtf8 => "double-encoded UTF-8",
        }
    }
}

// ---------------------------------------------------------------------------------------
// Windows-1252
// ---------------------------------------------------------------------------------------

/// Windows-1252 bytes 0x80..=0x9F. The five undefined positions keep their C1 control.
const CP1252_80: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{8D}', '\u{017D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{9D}', '\u{017E}', '\u{0178}',
];

/// The character of byte `b` in Windows-1252 (undefined bytes map to the C1 control).
pub fn windows1252_char(b: u8) -> char {
    if (0x80..0xA0).contains(&b) {
        CP1252_80
            .get(usize::from(b - 0x80))
            .copied()
            .unwrap_or(char::from(b))
    } else {
        char::from(b)
    }
}

/// The Windows-1252 (or Latin-1) byte of `c`, if it has one. C1 controls map to
/// themselves, so both Latin-1 and Windows-1252 mojibake can be undone.
pub fn windows1252_byte(c: char) -> Option<u8> {
    let cp = u32::from(c);
    if cp < 0x100 {
        return u8::try_from(cp).ok();
    }
    CP1252_80
        .iter()
        .position(|&x| x == c)
        .and_then(|i| u8::try_from(0x80 + i).ok())
}

/// Reads bytes one character per byte through Windows-1252. Never fails.
pub fn decode_windows1252(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + bytes.len() / 4);
    s.extend(bytes.iter().map(|&b| windows1252_char(b)));
    s
}

/// Maps C1 controls (Latin-1 mojibake of Windows-1252 punctuation) to their
/// Windows-1252 characters; other characters unchanged.
fn c1_to_cp1252(c: char) -> char {
    match u32::from(c) {
        0x80..=0x9F => u8::try_from(u32::from(c)).map_or(c, windows1252_char),
        _ => c,
    }
}

// ---------------------------------------------------------------------------------------
// TCVN3
// ---------------------------------------------------------------------------------------

/// TCVN3 bytes 0xA0..=0xFF; `'\0'` = not a Vietnamese letter (kept as is).
/// Lower-case letters and Ă Â Ê Ô Ơ Ư Đ are the ABC (VN3) set; the other capitals
/// (0xAF, 0xBA, 0xBF, 0xC0–0xC5, 0xCD, 0xD9–0xDB, 0xE0, 0xF0, 0xFF) are TCVN 5712 VN1.
/// 0xB0–0xB4 (VN1 combining marks) are left alone: in text they are °, ±, ², ³, ´.
#[rustfmt::skip]
const TCVN3_A0: [char; 96] = [
    // A0
    '\0', 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', 'Ằ',
    // B0
    '\0', '\0', '\0', '\0', '\0', 'à', 'ả', 'ã', 'á', 'ạ', 'Ẳ', 'ằ', 'ẳ', 'ẵ', 'ắ', 'Ẵ',
    // C0
    'Ắ', 'Ầ', 'Ẩ', 'Ẫ', 'Ấ', 'Ề', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', 'Ể', 'ẻ', 'ẽ',
    // D0
    'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', 'Ễ', 'Ế', 'Ồ', 'ĩ', 'í', 'ị', 'ò',
    // E0
    'Ổ', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù',
    // F0
    'Ỗ', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ', 'Ố',
];

fn tcvn3_char(c: char) -> char {
    let cp = u32::from(c);
    if (0xA0..=0xFF).contains(&cp) {
        let mapped = usize::try_from(cp - 0xA0)
            .ok()
            .and_then(|i| TCVN3_A0.get(i).copied())
            .unwrap_or('\0');
        if mapped != '\0' {
            return mapped;
        }
    }
    c1_to_cp1252(c)
}

/// Converts text whose characters are TCVN3 bytes read as Windows-1252/Latin-1
/// (`"Céng hoµ"`) to Unicode (`"Cộng hoà"`). Characters outside U+00A0..U+00FF pass through.
pub fn tcvn3_to_unicode(s: &str) -> String {
    s.chars().map(tcvn3_char).collect()
}

// ---------------------------------------------------------------------------------------
// VNI-Windows
// ---------------------------------------------------------------------------------------

const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const CIRCUMFLEX: char = '\u{302}';
const TILDE: char = '\u{303}';
const BREVE: char = '\u{306}';
const HOOK: char = '\u{309}';
const HORN: char = '\u{31B}';
const DOT: char = '\u{323}';

/// A VNI mark byte: (shape mark, tone mark) it adds to the preceding vowel.
fn vni_modifier(c: char) -> Option<(Option<char>, Option<char>)> {
    let m = match c {
        'ø' | 'Ø' => (None, Some(GRAVE)),
        'ù' | 'Ù' => (None, Some(ACUTE)),
        'û' | 'Û' => (None, Some(HOOK)),
        'õ' | 'Õ' => (None, Some(TILDE)),
        'ï' | 'Ï' => (None, Some(DOT)),
        'â' | 'Â' => (Some(CIRCUMFLEX), None),
        'à' | 'À' => (Some(CIRCUMFLEX), Some(GRAVE)),
        'á' | 'Á' => (Some(CIRCUMFLEX), Some(ACUTE)),
        'å' | 'Å' => (Some(CIRCUMFLEX), Some(HOOK)),
        'ã' | 'Ã' => (Some(CIRCUMFLEX), Some(TILDE)),
        'ä' | 'Ä' => (Some(CIRCUMFLEX), Some(DOT)),
        'ê' | 'Ê' => (Some(BREVE), None),
        'è' | 'È' => (Some(BREVE), Some(GRAVE)),
        'é' | 'É' => (Some(BREVE), Some(ACUTE)),
        'ú' | 'Ú' => (Some(BREVE), Some(HOOK)),
        'ü' | 'Ü' => (Some(BREVE), Some(TILDE)),
        'ë' | 'Ë' => (Some(BREVE), Some(DOT)),
        _ => return None,
    };
    Some(m)
}

/// VNI bytes that are whole letters on their own.
fn vni_standalone(c: char) -> Option<char> {
    let m = match c {
        'ñ' => 'đ',
        'Ñ' => 'Đ',
        'ô' => 'ơ',
        'Ô' => 'Ơ',
        'ö' => 'ư',
        'Ö' => 'Ư',
        'æ' => 'ỉ',
        'Æ' => 'Ỉ',
        'ó' => 'ĩ',
        'Ó' => 'Ĩ',
        'ò' => 'ị',
        'Ò' => 'Ị',
        'î' => 'ỵ',
        'Î' => 'Ỵ',
        _ => return None,
    };
    Some(m)
}

/// Can `base` take the marks `(shape, tone)` of a VNI mark byte?
fn vni_combines(base: char, shape: Option<char>) -> bool {
    let lower = base.to_lowercase().next().unwrap_or(base);
    match shape {
        Some(CIRCUMFLEX) => matches!(lower, 'a' | 'e' | 'o'),
        Some(_) => lower == 'a',
        None => matches!(lower, 'a' | 'e' | 'o' | 'u' | 'y' | 'ơ' | 'ư'),
    }
}

/// `base` + marks as one precomposed character (NFC), if there is one.
fn compose_marks(base: char, shape: Option<char>, tone: Option<char>) -> Option<char> {
    let seq = [Some(base), shape, tone];
    let mut nfc = seq.iter().flatten().copied().nfc();
    let c = nfc.next()?;
    nfc.next().is_none().then_some(c)
}

/// Converts text whose characters are VNI-Windows bytes read as Windows-1252/Latin-1
/// (`"Vieät Nam"`) to Unicode NFC (`"Việt Nam"`).
pub fn vni_to_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // The last pushed char, if it is a bare vowel that may still take VNI marks.
    let mut open: Option<char> = None;
    for c in s.chars() {
        if let (Some(base), Some((shape, tone))) = (open, vni_modifier(c)) {
            if vni_combines(base, shape) {
                if let Some(v) = compose_marks(base, shape, tone) {
                    out.pop();
                    out.push(v);
                    open = None;
                    continue;
                }
            }
        }
        let mapped = vni_standalone(c).unwrap_or_else(|| c1_to_cp1252(c));
        out.push(mapped);
        let lower = mapped.to_lowercase().next().unwrap_or(mapped);
        open = matches!(lower, 'a' | 'e' | 'o' | 'u' | 'y' | 'ơ' | 'ư').then_some(mapped);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Windows-1258, double UTF-8
// ---------------------------------------------------------------------------------------

/// Converts text read as Windows-1252 from a Windows-1258 file to Unicode NFC.
pub fn windows1258_to_unicode(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'Ã' => 'Ă',
            'ã' => 'ă',
            'Ì' => GRAVE,
            'ì' => ACUTE,
            'Ò' => HOOK,
            'Þ' => TILDE,
            'ò' => DOT,
            'Ð' => 'Đ',
            'ð' => 'đ',
            'Õ' => 'Ơ',
            'õ' => 'ơ',
            'Ý' => 'Ư',
            'ý' => 'ư',
            'þ' => '₫',
            other => other,
        })
        .nfc()
        .collect()
}

/// Undoes UTF-8 → Windows-1252 → UTF-8 double encoding (`"Viá»‡t"` → `"Việt"`), if
/// every character maps back to a byte and the bytes are valid UTF-8.
pub fn undo_double_utf8(s: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = s.chars().map(windows1252_byte).collect();
    String::from_utf8(bytes?).ok()
}

fn convert(s: &str, legacy: Legacy) -> Option<String> {
    match legacy {
        Legacy::Tcvn3 => Some(tcvn3_to_unicode(s)),
        Legacy::Vni => Some(vni_to_unicode(s)),
        Legacy::Windows1258 => Some(windows1258_to_unicode(s)),
        Legacy::DoubleUtf8 => undo_double_utf8(s),
    }
}

// ---------------------------------------------------------------------------------------
// Scoring: how Vietnamese does a text look?
// ---------------------------------------------------------------------------------------

const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];

const NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê", "iêu", "yêu", "oai", "oay", "oeo", "uây",
    "uôi", "ươi", "ươu", "uya", "uyê", "uyu",
];

const CODAS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Frequent syllables of administrative Vietnamese (NFC, lower case).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "của", "và", "các", "năm", "người", "được", "ngày", "tháng", "việt", "nam", "có", "không",
        "trong", "những", "là", "cho", "với", "một", "đã", "này", "theo", "thực", "hiện", "tỉnh",
        "xã", "hội", "công", "tác", "kế", "hoạch", "phát", "triển", "đến", "về", "tại", "ban",
        "nhân", "dân", "ủy", "uỷ", "cấp", "chính", "quyết", "định", "số", "đồng", "thời", "cũng",
        "như", "sẽ", "hành", "chỉ", "đạo", "quản", "lý", "hoạt", "động", "sở", "đơn", "vị", "nội",
        "dung", "kinh", "tế", "tổ", "chức", "nhiệm", "vụ", "đảng", "bộ", "thi", "đua", "cộng",
        "hòa", "hoà", "chủ", "nghĩa", "độc", "lập", "tự", "do", "hạnh", "phúc", "ninh", "bình",
        "hà", "nội", "giao", "thông", "tin", "để", "đảm", "bảo", "cơ", "quan", "nhà", "nước",
        "triển", "khai", "mục", "tiêu", "giai", "đoạn", "huyện",
    ]
    .into_iter()
    .collect()
});

/// Word counts behind a Vietnamese-ness score.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Words (runs of letters and combining marks).
    pub words: u32,
    /// Well-formed Vietnamese syllables.
    pub valid: u32,
    /// Frequent syllables (also counted in `valid`).
    pub common: u32,
    /// Words with a letter Vietnamese never uses (µ, ö, ñ, ø, ß…).
    pub junk: u32,
    /// Words with at least one non-ASCII character.
    pub non_ascii: u32,
    /// Non-ASCII words that are well-formed syllables.
    pub non_ascii_valid: u32,
}

impl Tally {
    /// valid + common − 2 × junk.
    pub fn points(&self) -> i64 {
        i64::from(self.valid) + i64::from(self.common) - 2 * i64::from(self.junk)
    }

    fn add(&mut self, o: &Tally) {
        self.words += o.words;
        self.valid += o.valid;
        self.common += o.common;
        self.junk += o.junk;
        self.non_ascii += o.non_ascii;
        self.non_ascii_valid += o.non_ascii_valid;
    }

    /// At least half of the non-ASCII words are syllables.
    fn looks_vietnamese(&self) -> bool {
        self.non_ascii > 0 && self.non_ascii_valid * 2 >= self.non_ascii
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Valid,
    Invalid,
    Junk,
}

fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

fn is_tone(c: char) -> bool {
    matches!(c, GRAVE | ACUTE | TILDE | HOOK | DOT)
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// Classifies one lower-case word.
fn classify(word: &str) -> Class {
    let mut letters: Vec<char> = Vec::with_capacity(word.len());
    let mut tones = 0u8;
    let mut tone = None;
    let mut junk = false;
    let mut add_mark = |letters: &mut Vec<char>, m: char, junk: &mut bool| {
        if is_tone(m) {
            if letters.last().is_some_and(|&l| is_vowel(l)) {
                tones = tones.saturating_add(1); // a "word" can hold hundreds of marks
                tone = Some(m);
            } else {
                *junk = true;
            }
        } else if matches!(m, CIRCUMFLEX | BREVE | HORN) {
            match letters.last().and_then(|&l| compose(l, m)) {
                Some(v) if is_vowel(v) => {
                    letters.pop();
                    letters.push(v);
                }
                _ => *junk = true,
            }
        } else {
            *junk = true;
        }
    };
    for c in word.chars() {
        if c.is_ascii_lowercase() || c == 'đ' || is_vowel(c) {
            letters.push(c);
        } else if is_mark(c) {
            add_mark(&mut letters, c, &mut junk);
        } else {
            let mut first = true;
            decompose_canonical(c, |d| {
                if first {
                    first = false;
                    if d.is_ascii_lowercase() && d != c {
                        letters.push(d);
                    } else {
                        junk = true;
                    }
                } else {
                    add_mark(&mut letters, d, &mut junk);
                }
            });
        }
        if junk {
            return Class::Junk;
        }
    }
    if tones > 1 || letters.is_empty() {
        return Class::Invalid;
    }
    // One-letter words are rarely syllables; these few are frequent ones.
    if word.chars().count() == 1 {
        return if matches!(word, "ở" | "ý" | "ô" | "á") {
            Class::Valid
        } else {
            Class::Invalid
        };
    }
    let first_vowel = letters.iter().position(|&c| is_vowel(c));
    let Some(mut v) = first_vowel else {
        return Class::Invalid;
    };
    let mut onset: String = letters.iter().take(v).collect();
    // "gi" and "qu" swallow their vowel when another vowel follows.
    let next_is_vowel = letters.get(v + 1).is_some_and(|&c| is_vowel(c));
    if (onset == "g" && letters.get(v) == Some(&'i') && next_is_vowel)
        || (onset == "q" && letters.get(v) == Some(&'u'))
    {
        if let Some(&c) = letters.get(v) {
            onset.push(c);
        }
        v += 1;
    }
    if !ONSETS.contains(&onset.as_str()) {
        return Class::Invalid;
    }
    let rest = letters.get(v..).unwrap_or(&[]);
    let n_vowels = rest.iter().take_while(|&&c| is_vowel(c)).count();
    let nucleus: String = rest.iter().take(n_vowels).collect();
    let coda: String = rest.iter().skip(n_vowels).collect();
    if !NUCLEI.contains(&nucleus.as_str()) || !CODAS.contains(&coda.as_str()) {
        return Class::Invalid;
    }
    if matches!(coda.as_str(), "c" | "ch" | "p" | "t") && !matches!(tone, Some(ACUTE | DOT)) {
        return Class::Invalid;
    }
    Class::Valid
}

/// Tallies the words of `text`.
pub(crate) fn tally(text: &str) -> Tally {
    let mut t = Tally::default();
    let mut word = String::new();
    let flush = |word: &mut String, t: &mut Tally| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let nfc: String = match is_nfc_quick(lower.chars()) {
            IsNormalized::Yes => lower,
            _ => lower.nfc().collect(),
        };
        t.words += 1;
        let non_ascii = !nfc.is_ascii();
        if non_ascii {
            t.non_ascii += 1;
        }
        match classify(&nfc) {
            Class::Valid => {
                t.valid += 1;
                if non_ascii {
                    t.non_ascii_valid += 1;
                }
                if COMMON.contains(nfc.as_str()) {
                    t.common += 1;
                }
            }
            Class::Junk => t.junk += 1,
            Class::Invalid => {}
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() || is_mark(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut t);
        }
    }
    flush(&mut word, &mut t);
    t
}

// ---------------------------------------------------------------------------------------
// Telltales
// ---------------------------------------------------------------------------------------

/// Latin-1 letters that are also Vietnamese letters (never telltales).
fn is_vietnamese_latin1(c: char) -> bool {
    matches!(
        c.to_lowercase().next().unwrap_or(c),
        'à' | 'á'
            | 'â'
            | 'ã'
            | 'è'
            | 'é'
            | 'ê'
            | 'ì'
            | 'í'
            | 'ò'
            | 'ó'
            | 'ô'
            | 'õ'
            | 'ù'
            | 'ú'
            | 'ý'
    )
}

/// A Latin-1 character that legacy mojibake produces and Vietnamese text does not use.
fn is_gate_char(c: char) -> bool {
    let cp = u32::from(c);
    (0x80..=0xFF).contains(&cp) && cp != 0xA0 && !is_vietnamese_latin1(c)
}

/// Letters that only genuine Unicode Vietnamese contains (ă đ ĩ ũ ơ ư, U+1EA0–U+1EF9,
/// combining tone marks): a line holding one is not legacy mojibake.
fn is_unicode_only_vietnamese(c: char) -> bool {
    matches!(
        u32::from(c),
        0x102
            | 0x103
            | 0x110
            | 0x111
            | 0x128
            | 0x129
            | 0x168
            | 0x169
            | 0x1A0
            | 0x1A1
            | 0x1AF
            | 0x1B0
            | 0x1EA0..=0x1EF9 | 0x300 | 0x301 | 0x303 | 0x309 | 0x323
    )
}

/// Cheap check (one pass over the UTF-8 bytes): does `text` contain enough Latin-1
/// characters that Vietnamese does not use to be worth scoring as legacy mojibake?
pub(crate) fn has_telltales(text: &str) -> bool {
    let bytes = text.as_bytes();
    let needed = if bytes.len() < 200 { 1 } else { 3 };
    let mut count = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if b == 0xC2 || b == 0xC3 {
            let n = bytes.get(i + 1).copied().unwrap_or(0);
            let cp = (u32::from(b & 0x1F) << 6) | u32::from(n & 0x3F);
            if char::from_u32(cp).is_some_and(is_gate_char) {
                count += 1;
                if count >= needed {
                    return true;
                }
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// Counts strong signs of legacy mojibake: a Latin-1 symbol glued to a letter (`B×nh`,
/// `hoµ`, `®¹i`), a Latin-1 capital right after a lower-case ASCII letter (`ViÖt`), a
/// vowel followed by a VNI mark byte that Western languages do not write there (`aø`,
/// `eä`).
pub(crate) fn strong_tells(text: &str) -> usize {
    let mut count = 0;
    let mut prev = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied().unwrap_or(' ');
        let cp = u32::from(c);
        let symbol = matches!(cp, 0xA1..=0xBF | 0xD7 | 0xF7) && !matches!(cp, 0xB0..=0xB4);
        let glued_symbol = symbol && (prev.is_alphabetic() || next.is_alphabetic());
        let capital_in_word =
            (0xC0..=0xDE).contains(&cp) && cp != 0xD7 && prev.is_ascii_lowercase();
        // ï, ë, û, ü follow vowels in French/German (naïve, Noël, coûte); ø, ä, å do not.
        let vni_mark = matches!(c, 'ø' | 'å' | 'ä' | 'Ø' | 'Å' | 'Ä')
            && matches!(prev.to_ascii_lowercase(), 'a' | 'e' | 'o' | 'u' | 'y');
        if glued_symbol || capital_in_word || vni_mark {
            count += 1;
        }
        prev = c;
    }
    count
}

// ---------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------

/// Reason given when a text looks like legacy Vietnamese that no table converts.
pub(crate) const UNDECIDABLE: &str =
    "looks like a legacy 8-bit Vietnamese encoding (TCVN3 or VNI) \
     but neither conversion gives Vietnamese text";

/// Outcome of [`repair_unicode`].
#[derive(Debug)]
pub(crate) enum Repair {
    /// Nothing to do.
    Unchanged,
    /// Lines were converted.
    Converted {
        text: String,
        legacy: Legacy,
        lines: usize,
    },
    /// Mojibake, but no conversion helps.
    Undecidable(String),
}

/// Per-candidate accumulation over lines.
#[derive(Default, Clone, Copy)]
struct Evidence {
    gain: i64,
    converted: Tally,
}

/// Would converting `line` with `legacy` make it more Vietnamese? Returns the converted
/// line and the gain in points when it would.
fn line_gain(line: &str, orig: &Tally, legacy: Legacy) -> Option<(String, i64, Tally)> {
    let conv = convert(line, legacy)?;
    if conv == line {
        return None;
    }
    let t = tally(&conv);
    let gain = t.points() - orig.points();
    let tie_ok = gain == 0 && line.chars().any(is_gate_char);
    ((gain > 0 || tie_ok) && t.looks_vietnamese()).then_some((conv, gain, t))
}

fn eligible(line: &str) -> bool {
    line.chars().any(|c| ('\u{80}'..='\u{FF}').contains(&c))
        && !line.chars().any(is_unicode_only_vietnamese)
}

/// Picks the candidate with a clear win, if any.
fn pick(evidence: &[(Legacy, Evidence)], eligible_words: u32) -> Option<Legacy> {
    let mut sorted: Vec<&(Legacy, Evidence)> = evidence.iter().collect();
    sorted.sort_by_key(|(_, e)| std::cmp::Reverse(e.gain));
    let (best, e) = sorted.first()?;
    let second = sorted.get(1).map_or(0, |(_, e)| e.gain.max(0));
    // One point of gain decides only tiny texts ("Ninh B×nh").
    let min_gain = if eligible_words <= 10 { 1 } else { 2 };
    let enough = e.gain >= min_gain && e.gain * 20 >= i64::from(eligible_words);
    let clear = e.gain > 2 * second;
    let c = &e.converted;
    let vietnamese = c.non_ascii > 0 && c.non_ascii_valid * 10 >= c.non_ascii * 6;
    (enough && clear && vietnamese).then_some(*best)
}

/// Repairs legacy mojibake in valid Unicode text, line by line: a line is converted only
/// if it holds no character that only genuine Unicode Vietnamese has and the conversion
/// makes it more Vietnamese. Call only when [`has_telltales`] is true.
pub(crate) fn repair_unicode(text: &str) -> Repair {
    const CANDIDATES: [Legacy; 3] = [Legacy::Tcvn3, Legacy::Vni, Legacy::DoubleUtf8];
    let mut evidence: Vec<(Legacy, Evidence)> = CANDIDATES
        .iter()
        .map(|&l| (l, Evidence::default()))
        .collect();
    let mut eligible_words = 0u32;
    let mut all = Tally::default();
    for line in text.split('\n') {
        if !eligible(line) {
            continue;
        }
        let orig = tally(line);
        all.add(&orig);
        eligible_words += orig.words;
        for (legacy, ev) in evidence.iter_mut() {
            if let Some((_, gain, t)) = line_gain(line, &orig, *legacy) {
                ev.gain += gain;
                ev.converted.add(&t);
            }
        }
    }
    let Some(legacy) = pick(&evidence, eligible_words) else {
        let tells: usize = text
            .split('\n')
            .filter(|l| eligible(l))
            .map(strong_tells)
            .sum();
        if tells >= 3 && tells * 20 >= all.words as usize {
            return Repair::Undecidable(UNDECIDABLE.to_string());
        }
        return Repair::Unchanged;
    };
    let mut out = String::with_capacity(text.len());
    let mut lines = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let converted = if eligible(line) {
            line_gain(line, &tally(line), legacy).map(|(c, _, _)| c)
        } else {
            None
        };
        match converted {
            Some(c) => {
                out.push_str(&c);
                lines += 1;
            }
            None => out.push_str(line),
        }
    }
    Repair::Converted {
        text: out,
        legacy,
        lines,
    }
}

/// Decides how to read a file that is not UTF-8. `latin` is the file read byte per
/// character through Windows-1252. Returns the text and the legacy encoding undone
/// (`None` = plain Windows-1252 text), or the reason it cannot be read.
pub(crate) fn decode_8bit(latin: &str) -> Result<(String, Option<Legacy>), String> {
    const CANDIDATES: [Legacy; 3] = [Legacy::Tcvn3, Legacy::Vni, Legacy::Windows1258];
    let orig = tally(latin);
    let mut scored: Vec<(Legacy, Tally, String)> = CANDIDATES
        .iter()
        .filter_map(|&l| {
            let text = convert(latin, l)?;
            let t = tally(&text);
            Some((l, t, text))
        })
        .collect();
    scored.sort_by_key(|(_, t, _)| std::cmp::Reverse(t.points()));
    let mut rest = scored.into_iter();
    if let Some((legacy, best, text)) = rest.next() {
        let runner_up = rest
            .next()
            .map_or(orig.points(), |(_, t, _)| t.points())
            .max(orig.points());
        let margin = best.points() - runner_up;
        let vietnamese = best.non_ascii > 0 && best.non_ascii_valid * 10 >= best.non_ascii * 6;
        if vietnamese && margin >= 1 && margin * 20 >= i64::from(best.words) {
            return Ok((text, Some(legacy)));
        }
    }
    let tells = strong_tells(latin);
    if tells >= 3 && tells * 20 >= orig.words as usize {
        return Err(UNDECIDABLE.to_string());
    }
    if orig.words == 0 {
        return Err("no 8-bit reading of it contains words".to_string());
    }
    Ok((latin.to_string(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_known_strings() {
        assert_eq!(tcvn3_to_unicode("Ninh B×nh"), "Ninh Bình");
        assert_eq!(
            tcvn3_to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam"),
            "Cộng hoà xã hội chủ nghĩa Việt Nam"
        );
        assert_eq!(
            tcvn3_to_unicode("§éc lËp - Tù do - H¹nh phóc"),
            "Độc lập - Tự do - Hạnh phúc"
        );
    }

    #[test]
    fn vni_known_strings() {
        assert_eq!(vni_to_unicode("Vieät Nam"), "Việt Nam");
        assert_eq!(
            vni_to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"),
            "Cộng hòa xã hội chủ nghĩa Việt Nam"
        );
        assert_eq!(
            vni_to_unicode("Ñoäc laäp - Töï do - Haïnh phuùc"),
            "Độc lập - Tự do - Hạnh phúc"
        );
        assert_eq!(vni_to_unicode("ngöôøi ñöôïc naêm"), "người được năm");
        assert_eq!(vni_to_unicode("COÄNG HOØA"), "CỘNG HÒA");
    }

    #[test]
    fn windows1258_and_double_utf8() {
        // "Việt" in Windows-1258: V i ê <dot below>
        let latin = decode_windows1252(b"Vi\xEA\xF2t Nam");
        assert_eq!(windows1258_to_unicode(&latin), "Việt Nam");
        let double = decode_windows1252("Việt Nam".as_bytes());
        assert_ne!(double, "Việt Nam");
        assert_eq!(undo_double_utf8(&double).as_deref(), Some("Việt Nam"));
    }

    #[test]
    fn syllables() {
        for w in [
            "của", "người", "được", "nghĩa", "quyết", "giữa", "khuya", "thuỷ", "thủy", "hoà",
            "toán", "việt", "năm", "ủy", "yêu", "gì", "xuân", "quý",
        ] {
            assert_eq!(classify(w), Class::Valid, "{w}");
        }
        for w in ["nh", "vieät", "hoµ", "ctr", "hát̀", "vit"] {
            assert_ne!(classify(w), Class::Valid, "{w}");
        }
        assert_eq!(classify("hoµ"), Class::Junk);
    }

    #[test]
    fn telltales_gate() {
        assert!(!has_telltales(
            "Cộng hòa xã hội chủ nghĩa Việt Nam, tháng 5 năm 2020"
        ));
        assert!(has_telltales("Céng hoµ x· héi"));
        assert!(has_telltales("Coäng hoøa"));
    }
}
