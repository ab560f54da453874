//! Text normalisation for matching (spec §1.4 "Pre-normalise"), accent folding and
//! tone-placement normalisation, with byte-offset maps back to the original text.

use std::borrow::Cow;
use std::sync::LazyLock;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// A text after pre-normalisation, with a map back to the original's byte offsets.
#[derive(Debug)]
pub(crate) struct Normalized<'a> {
    /// The normalised text.
    pub text: Cow<'a, str>,
    /// `map[i]` = original byte offset of normalised byte `i` (len + 1 entries);
    /// `None` when the text was already normal (identity).
    map: Option<Vec<usize>>,
}

impl Normalized<'_> {
    /// Original byte offset of normalised byte offset `i` (always a char boundary of
    /// the original).
    pub fn to_orig(&self, i: usize) -> usize {
        match &self.map {
            None => i,
            Some(m) => m
                .get(i)
                .copied()
                .unwrap_or_else(|| m.last().copied().unwrap_or(0)),
        }
    }
}

/// Replacement for one char of the pre-normalisation: `None` = keep, `Some(None)` =
/// delete, `Some(Some(c))` = replace.
fn special(c: char) -> Option<Option<char>> {
    match c {
        '\u{00D0}' => Some(Some('Đ')),
        '\u{00F0}' => Some(Some('đ')),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Some(Some('-'))
        }
        '\u{2215}' | '\u{2044}' | '\u{FF0F}' => Some(Some('/')),
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}' => Some(None),
        '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{2009}' => Some(Some(' ')),
        '\r' => Some(Some('\n')),
        _ => None,
    }
}

/// Whether the pre-normalisation changes `c` or may change the chars around it
/// (CR, specials, combining marks, chars that are not NFC).
#[inline]
fn needs_normalizing(c: char) -> bool {
    if c.is_ascii() {
        return c == '\r';
    }
    // Fast path for the letters and punctuation of Vietnamese text, checked once
    // against the tables in the tests (`plain_chars_need_no_normalizing`).
    if is_plain(c) {
        return false;
    }
    special(c).is_some()
        || !(('\u{C0}'..='\u{1B0}').contains(&c) || ('\u{1EA0}'..='\u{1EF9}').contains(&c))
            && (canonical_combining_class(c) != 0
                || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes)
}

/// Non-ASCII chars that are NFC on their own, of combining class 0 and not special:
/// Latin-1 letters and signs, Latin Extended-A/B up to ư, the Vietnamese toned
/// vowels, typographic quotes, bullets and the ellipsis.
#[inline]
fn is_plain(c: char) -> bool {
    matches!(c, '\u{A1}'..='\u{AC}' | '\u{AE}'..='\u{CF}' | '\u{D1}'..='\u{EF}' | '\u{F1}'..='\u{1B0}' | '\u{1EA0}'..='\u{1EF9}' | '\u{2016}'..='\u{2027}' | '\u{2030}'..='\u{2043}' | '\u{2045}'..='\u{205E}')
}

/// Pre-normalises a text: NFC, Ð→Đ, dashes→`-`, slashes→`/`, invisible chars removed,
/// odd spaces→space, CRLF/CR→LF. Borrows when nothing changes.
pub(crate) fn normalize(s: &str) -> Normalized<'_> {
    // Fast path: ASCII without CR is already normal; otherwise look at the non-ASCII
    // chars only (specials, combining marks, chars that are not NFC).
    let needs_work = s.bytes().any(|b| b == b'\r' || b >= 0x80) && s.chars().any(needs_normalizing);
    if !needs_work {
        return Normalized {
            text: Cow::Borrowed(s),
            map: None,
        };
    }
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    let bytes = s.as_bytes();
    let mut cluster = String::new();
    let mut pos = 0;
    while pos < s.len() {
        // Runs of plain ASCII are copied as they are; the run's last char stays for
        // the cluster path below, since combining marks may follow it.
        let run = bytes[pos..]
            .iter()
            .position(|&b| b >= 0x80 || b == b'\r')
            .unwrap_or(s.len() - pos);
        let take = if pos + run == s.len() {
            run
        } else {
            run.saturating_sub(1)
        };
        if take > 0 {
            out.push_str(&s[pos..pos + take]);
            map.extend(pos..pos + take);
            pos += take;
            continue;
        }
        let start = pos;
        let Some(c) = s[pos..].chars().next() else {
            break;
        };
        pos += c.len_utf8();
        // CRLF → LF: drop the CR.
        if c == '\r' && bytes.get(start + 1) == Some(&b'\n') {
            continue;
        }
        cluster.clear();
        cluster.push(c);
        while let Some(n) = s[pos..].chars().next() {
            if is_combining(n) {
                cluster.push(n);
                pos += n.len_utf8();
            } else {
                break;
            }
        }
        let simple = cluster.len() == c.len_utf8();
        let push = |ch: char, out: &mut String, map: &mut Vec<usize>| {
            let ch = match special(ch) {
                None => Some(ch),
                Some(r) => r,
            };
            if let Some(ch) = ch {
                out.push(ch);
                for _ in 0..ch.len_utf8() {
                    map.push(start);
                }
            }
        };
        if simple {
            push(c, &mut out, &mut map);
        } else {
            for ch in cluster.nfc() {
                push(ch, &mut out, &mut map);
            }
        }
    }
    map.push(s.len());
    Normalized {
        text: Cow::Owned(out),
        map: Some(map),
    }
}

const TABLE_START: u32 = 0xC0;
const TABLE_END: u32 = 0x1EFF;

/// Folded form of the chars U+00C0..=U+1EFF (lower-case base letter, or `'\0'` to drop).
static FOLD_TABLE: LazyLock<Vec<char>> = LazyLock::new(|| {
    (TABLE_START..=TABLE_END)
        .map(|u| {
            let Some(c) = char::from_u32(u) else {
                return '\u{FFFD}';
            };
            if c == 'đ' || c == 'Đ' {
                return 'd';
            }
            if (0x300..=0x36F).contains(&u) {
                return '\0';
            }
            let mut base = None;
            unicode_normalization::char::decompose_canonical(c, |d| {
                if base.is_none() {
                    base = Some(d);
                }
            });
            let b = base.unwrap_or(c);
            b.to_lowercase().next().unwrap_or(b)
        })
        .collect()
});

/// Lower case of each char in the Latin blocks (`TABLE_START..=TABLE_END`) whose
/// lower case is one char; others map to themselves and take the slow path.
static LOWER_TABLE: LazyLock<Vec<char>> = LazyLock::new(|| {
    (TABLE_START..=TABLE_END)
        .map(|u| {
            let c = char::from_u32(u).unwrap_or('\u{FFFD}');
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(one), None) => one,
                _ => '\0',
            }
        })
        .collect()
});

/// Lower-cases `s` like `str::to_lowercase` (except Greek final sigma, lowered
/// char by char), with table look-ups for ASCII and the Latin blocks Vietnamese
/// uses (Unicode's conversion search is slow per char).
pub(crate) fn lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let u = c as u32;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(&l) = (TABLE_START..=TABLE_END)
            .contains(&u)
            .then(|| LOWER_TABLE.get((u - TABLE_START) as usize))
            .flatten()
            .filter(|&&l| l != '\0')
        {
            out.push(l);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Whether `c` is a letter, with fast paths for ASCII and the Latin blocks that
/// Vietnamese uses (Unicode's table look-up is slow and runs on every char).
#[inline]
pub(crate) fn is_alpha(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphabetic(),
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        '\u{1EA0}'..='\u{1EF9}' => true,
        _ => c.is_alphabetic(),
    }
}

/// Whether `c` is a combining mark; every char below U+0300 is not.
#[inline]
pub(crate) fn is_combining(c: char) -> bool {
    (c as u32) >= 0x300 && canonical_combining_class(c) != 0
}

/// Folds one char: lower-case, đ→d, marks stripped; `None` for combining marks.
/// The definition [`fold`] and [`fold_with_map`] inline; tests compare them with it.
#[cfg(test)]
pub(crate) fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    let u = c as u32;
    if (TABLE_START..=TABLE_END).contains(&u) {
        let f = FOLD_TABLE
            .get((u - TABLE_START) as usize)
            .copied()
            .unwrap_or(c);
        return if f == '\0' { None } else { Some(f) };
    }
    if canonical_combining_class(c) != 0 {
        return None;
    }
    Some(c.to_lowercase().next().unwrap_or(c))
}

/// Folds one char like [`fold_char`] (lower-case, đ→d, marks stripped; `None` for
/// combining marks), with the table already at hand: looking the lazy table up once
/// per string rather than once per char is what makes [`fold`] and
/// [`fold_with_map`] fast.
#[inline(always)]
fn fold_in(table: &[char], c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    let u = c as u32;
    let f = if (TABLE_START..=TABLE_END).contains(&u) {
        table.get((u - TABLE_START) as usize).copied().unwrap_or(c)
    } else if canonical_combining_class(c) != 0 {
        return None;
    } else {
        c.to_lowercase().next().unwrap_or(c)
    };
    (f != '\0').then_some(f)
}

/// Accent-folds a string char by char: lower-case, `đ`→`d`, every mark removed;
/// each char gives at most one, so positions can be mapped back ([`fold_with_map`]
/// folds the same way and keeps the map). The analyzer's fold,
/// [`crate::analysis::fold`], also decomposes compatibility characters (`ﬁ` → `fi`,
/// `ß` → `ss`); header and citation matching use this one, whose output lines up
/// with the text.
pub fn fold_chars(s: &str) -> String {
    let table: &[char] = &FOLD_TABLE;
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().filter_map(|c| fold_in(table, c)));
    out
}

/// Folds `s` and returns, for each folded byte, the byte offset in `s` of the char it
/// came from (plus one final entry = `s.len()`).
pub(crate) fn fold_with_map(s: &str) -> (String, Vec<usize>) {
    let table: &[char] = &FOLD_TABLE;
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    for (i, c) in s.char_indices() {
        if let Some(f) = fold_in(table, c) {
            out.push(f);
            map.extend(std::iter::repeat_n(i, f.len_utf8()));
        }
    }
    map.push(s.len());
    (out, map)
}

const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Moves the tone mark of open `oa`, `oe`, `uy` syllables to the first vowel
/// (`hoà→hòa`, `khoẻ→khỏe`, `uỷ→ủy`), leaving closed syllables (`hoàng`) and `quý` alone.
pub fn normalize_tones(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    for c in s.chars() {
        if is_alpha(c) || is_combining(c) {
            word.push(c);
        } else {
            out.push_str(&tone_word(&word));
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&tone_word(&word));
    out
}

fn tone_word(w: &str) -> Cow<'_, str> {
    if w.is_empty() || w.is_ascii() {
        return Cow::Borrowed(w);
    }
    // Decompose into (base char, tone, other marks) units.
    let nfd: Vec<char> = w.nfd().collect();
    let mut units: Vec<(char, Option<char>, Vec<char>)> = Vec::new();
    for c in nfd {
        if canonical_combining_class(c) != 0 {
            if let Some(last) = units.last_mut() {
                if TONES.contains(&c) {
                    last.1 = Some(c);
                } else {
                    last.2.push(c);
                }
            }
        } else {
            units.push((c, None, Vec::new()));
        }
    }
    let n = units.len();
    if n < 2 {
        return Cow::Borrowed(w);
    }
    let (a, b) = (&units[n - 2], &units[n - 1]);
    let la = a.0.to_ascii_lowercase();
    let lb = b.0.to_ascii_lowercase();
    let pair = matches!((la, lb), ('o', 'a') | ('o', 'e') | ('u', 'y'));
    let q_before = n >= 3 && units[n - 3].0.eq_ignore_ascii_case(&'q');
    if !pair || !a.2.is_empty() || !b.2.is_empty() || a.1.is_some() || b.1.is_none() || q_before {
        return Cow::Borrowed(w);
    }
    let tone = b.1;
    units[n - 2].1 = tone;
    units[n - 1].1 = None;
    let mut s = String::new();
    for (base, tone, marks) in units {
        s.push(base);
        s.extend(marks);
        if let Some(t) = tone {
            s.push(t);
        }
    }
    Cow::Owned(s.nfc().collect())
}

/// The largest char boundary `<= i` in `s`.
pub(crate) fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary `>= i` in `s`.
pub(crate) fn ceil_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod normalize_tests {
    use super::normalize;

    #[test]
    fn ascii_runs_marks_crlf_and_specials_map_back_to_the_original() {
        let s = "Ho\u{0300}a 136/KH\u{2013}UBND\r\nab\u{00A0}c\u{200B}d e\u{0301}";
        let n = normalize(s);
        assert_eq!(n.text, "Hòa 136/KH-UBND\nab cd é");
        let map = n.map.expect("changed text has a map");
        assert_eq!(map.len(), n.text.len() + 1);
        // Every output byte maps to the start of the original char it came from.
        for (i, _) in n.text.char_indices() {
            assert!(s.is_char_boundary(map[i]), "byte {i}");
        }
        assert_eq!(
            map[n.text.find('ò').unwrap()],
            1,
            "the composed ò maps to its base o"
        );
        assert_eq!(map[n.text.find('-').unwrap()], s.find('\u{2013}').unwrap());
        assert_eq!(map[n.text.find('\n').unwrap()], s.find('\n').unwrap());
        assert_eq!(*map.last().unwrap(), s.len());
        assert!(normalize("plain ascii").map.is_none());
    }
}

#[cfg(test)]
mod plain_tests {
    use super::*;

    #[test]
    fn plain_chars_need_no_normalizing() {
        let mut n = 0;
        for c in ('\u{80}'..='\u{FFFF}').filter(|&c| is_plain(c)) {
            n += 1;
            assert!(special(c).is_none(), "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
        assert!(n > 400);
        for c in ['Ð', 'ð', '\u{AD}', '\u{A0}', '\u{2013}', '\u{301}'] {
            assert!(needs_normalizing(c), "{c:?}");
        }
    }
}

#[cfg(test)]
mod lowercase_tests {
    use super::lowercase;

    #[test]
    fn same_as_the_standard_library() {
        for s in [
            "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG",
            "Đảng Cộng sản Việt Nam — ĐẠI HỘI XIII, Ðại hội (Eth)",
            "Straße İstanbul ǅemal Ω Ä Ö Ü É È Ç",
            "mixed ASCII 123 và Tiếng Việt có dấu: Ế Ề Ể Ễ Ệ Ư Ơ",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn fold_is_fold_char_on_every_char(
            s in "(?s)[a-zA-Z0-9 .,\\-/\n]{0,6}(\\PC|[\u{300}-\u{36F}]|[ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴĐđÌÍỊỈĨƯỪỨỰỬỮƠỜỚỢỞỠ]|[ -~]{1,8}){0,30}"
        ) {
            let slow: String = s.chars().filter_map(fold_char).collect();
            prop_assert_eq!(fold_chars(&s), slow.clone());
            let mut map_slow: Vec<usize> = s
                .char_indices()
                .flat_map(|(i, c)| std::iter::repeat_n(i, fold_char(c).map_or(0, char::len_utf8)))
                .collect();
            map_slow.push(s.len());
            prop_assert_eq!(fold_with_map(&s), (slow, map_slow));
        }
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold_chars("Kế hoạch ĐỒNG THÁP"), "ke hoach dong thap");
        assert_eq!(fold_chars("Ủy ban"), "uy ban");
    }

    #[test]
    fn normalises_special_chars_with_map() {
        let s = "Số\u{00A0}136\u{FF0F}KH\u{2011}UBND\r\nN\u{00D0}";
        let n = normalize(s);
        assert_eq!(n.text, "Số 136/KH-UBND\nNĐ");
        let i = n.text.find("KH").unwrap_or(0);
        assert_eq!(&s[n.to_orig(i)..n.to_orig(i + 2)], "KH");
    }

    #[test]
    fn nfd_is_composed() {
        let s: String = "Kế hoạch".nfd().collect();
        let n = normalize(&s);
        assert_eq!(n.text, "Kế hoạch");
        assert_eq!(n.to_orig(n.text.len()), s.len());
    }

    #[test]
    fn tone_placement() {
        assert_eq!(
            normalize_tones("Uỷ ban Thanh Hoá, khoẻ"),
            "Ủy ban Thanh Hóa, khỏe"
        );
        assert_eq!(normalize_tones("hoàng quý đoàn"), "hoàng quý đoàn");
    }
}
