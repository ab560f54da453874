//! Character level: classes for the scanner, Vietnamese letter decomposition and
//! composition tables, character fixes and folding of single characters.
//!
//! A Vietnamese letter is modelled as a [`Unit`]: a lowercase base (`a`–`z` or `đ`),
//! at most one *modifier* (circumflex, breve, horn) and at most one *tone* (grave,
//! acute, hook above, tilde, dot below). Precomposed letters, NFD sequences and
//! Windows-1258 style half-composed sequences ("ê" + U+0301) all decode to the same
//! units, whatever the order of the marks, which is what makes NFC and NFD input
//! give identical tokens.

use std::sync::OnceLock;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// Modifier marks (vowel quality), stored in [`Unit::modifier`].
pub(crate) const MOD_NONE: u8 = 0;
pub(crate) const MOD_CIRCUMFLEX: u8 = 1;
pub(crate) const MOD_BREVE: u8 = 2;
pub(crate) const MOD_HORN: u8 = 3;

/// Tone marks, stored in [`Unit::tone`].
pub(crate) const TONE_NONE: u8 = 0;

/// Combining characters of the modifiers, indexed by `MOD_*`.
const MOD_MARKS: [char; 4] = ['\0', '\u{302}', '\u{306}', '\u{31B}'];
/// Combining characters of the tones, indexed by tone number.
const TONE_MARKS: [char; 6] = ['\0', '\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];

/// Index of the base `đ` in the composition table (after `a`–`z`).
const BASE_DSTROKE: usize = 26;

/// One letter (or ASCII digit) of a token, marks separated out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Lowercase base: an ASCII letter or digit, or `đ`.
    pub base: char,
    /// One of the `MOD_*` constants.
    pub modifier: u8,
    /// 0 (no tone) or 1–5: grave, acute, hook above, tilde, dot below.
    pub tone: u8,
}

impl Unit {
    pub(crate) fn letter(base: char) -> Self {
        Unit {
            base,
            modifier: MOD_NONE,
            tone: TONE_NONE,
        }
    }

    /// Whether this is a vowel letter (a e i o u y, with or without modifier).
    pub(crate) fn is_vowel(&self) -> bool {
        matches!(self.base, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
    }

    /// The folded form of this unit: its bare base, `đ`→`d`.
    pub(crate) fn folded(&self) -> char {
        if self.base == 'đ' {
            'd'
        } else {
            self.base
        }
    }
}

/// What a combining mark does to a Vietnamese letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    Modifier(u8),
    Tone(u8),
}

/// Classifies a combining character as a Vietnamese modifier or tone.
pub(crate) fn vietnamese_mark(c: char) -> Option<Mark> {
    Some(match c {
        '\u{300}' | '\u{340}' => Mark::Tone(1),
        '\u{301}' | '\u{341}' => Mark::Tone(2),
        '\u{309}' => Mark::Tone(3),
        '\u{303}' => Mark::Tone(4),
        '\u{323}' => Mark::Tone(5),
        '\u{302}' => Mark::Modifier(MOD_CIRCUMFLEX),
        '\u{306}' => Mark::Modifier(MOD_BREVE),
        '\u{31B}' => Mark::Modifier(MOD_HORN),
        _ => return None,
    })
}

/// Attaches a combining mark to the last letter; `false` when that is impossible
/// (not a Vietnamese mark, no letter before it, or a second tone/modifier).
#[inline]
pub(crate) fn attach_mark(units: &mut [Unit], c: char) -> bool {
    let Some(mark) = vietnamese_mark(c) else {
        return false;
    };
    let Some(last) = units.last_mut().filter(|u| !u.base.is_ascii_digit()) else {
        return false;
    };
    match mark {
        Mark::Tone(t) if last.tone == 0 => last.tone = t,
        Mark::Modifier(m) if last.modifier == 0 => last.modifier = m,
        _ => return false,
    }
    true
}

/// Decodes a word made of letters only — ASCII, or Vietnamese letters precomposed or
/// with combining marks in any order — into lowercase `units`. Returns the mask of
/// its capital letters (bit `i` for letter `i`); `None` when the word holds anything
/// else (a digit, another script, a stray or second mark) or more than 16 letters.
pub(crate) fn decode_letters(tables: &Tables, word: &str, units: &mut Vec<Unit>) -> Option<u16> {
    units.clear();
    let mut capitals = 0u16;
    for c in word.chars() {
        let (unit, capital) = if c.is_ascii() {
            if !c.is_ascii_alphabetic() {
                return None;
            }
            (Unit::letter(c.to_ascii_lowercase()), c.is_ascii_uppercase())
        } else if vietnamese_mark(c).is_some() {
            if !attach_mark(units, c) {
                return None;
            }
            continue;
        } else {
            tables.decode(c)?
        };
        if units.len() >= 16 {
            return None;
        }
        if capital {
            capitals |= 1 << units.len();
        }
        units.push(unit);
    }
    (!units.is_empty()).then_some(capitals)
}

/// Characters deleted before analysis: soft hyphen, zero-width (non-)joiners, word
/// joiner, BOM. They never split a token. (U+200B ZERO WIDTH SPACE separates.)
pub(crate) fn is_deleted(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Whether `b` (an ASCII byte) is a token character.
#[inline]
pub(crate) fn ascii_is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Scanner class of a non-ASCII character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Letter or digit: starts or continues a token.
    Alnum,
    /// Combining mark: continues a token, ignored outside one.
    Mark,
    /// Deleted character: continues a token, contributes nothing.
    Deleted,
    /// Anything else separates tokens.
    Separator,
}

/// Classifies a non-ASCII character for the scanner.
#[inline]
pub(crate) fn classify(tables: &Tables, c: char) -> Class {
    if tables.decode_table(c).is_some() {
        return Class::Alnum;
    }
    if is_deleted(c) {
        Class::Deleted
    } else if is_combining_mark(c) {
        Class::Mark
    } else if c.is_alphanumeric() {
        Class::Alnum
    } else {
        Class::Separator
    }
}

/// Lookup tables built once.
pub(crate) struct Tables {
    /// Decomposition of U+00C0..U+0200 into a unit (with an "uppercase" flag).
    latin: Vec<Option<(Unit, bool)>>,
    /// Decomposition of U+1E00..U+1F00.
    latin_ext: Vec<Option<(Unit, bool)>>,
    /// Composition: `[base][modifier][tone]` → precomposed lowercase char.
    compose: Vec<Option<char>>,
}

const LATIN_START: u32 = 0xC0;
const LATIN_END: u32 = 0x200;
const EXT_START: u32 = 0x1E00;
const EXT_END: u32 = 0x1F00;

/// The tables, built on first use.
pub(crate) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(Tables::build)
}

fn base_index(base: char) -> Option<usize> {
    match base {
        'a'..='z' => Some(base as usize - 'a' as usize),
        'đ' => Some(BASE_DSTROKE),
        _ => None,
    }
}

impl Tables {
    fn build() -> Tables {
        let range = |from: u32, to: u32| {
            (from..to)
                .map(|cp| char::from_u32(cp).and_then(decode_slow))
                .collect::<Vec<_>>()
        };
        let mut compose = vec![None; 27 * 4 * 6];
        let bases = ('a'..='z').chain(std::iter::once('đ'));
        for base in bases {
            let Some(bi) = base_index(base) else { continue };
            for m in 0..4u8 {
                for t in 0..6u8 {
                    let mut s = String::new();
                    s.push(base);
                    if m != MOD_NONE {
                        s.push(MOD_MARKS[usize::from(m)]);
                    }
                    if t != TONE_NONE {
                        s.push(TONE_MARKS[usize::from(t)]);
                    }
                    let nfc: String = s.nfc().collect();
                    let mut chars = nfc.chars();
                    if let (Some(c), None) = (chars.next(), chars.next()) {
                        compose[(bi * 4 + usize::from(m)) * 6 + usize::from(t)] = Some(c);
                    }
                }
            }
        }
        Tables {
            latin: range(LATIN_START, LATIN_END),
            latin_ext: range(EXT_START, EXT_END),
            compose,
        }
    }

    /// Table lookup for a precomposed Latin letter (`None` outside the tables or for
    /// letters that are not made of a Vietnamese base and marks).
    #[inline]
    pub(crate) fn decode_table(&self, c: char) -> Option<(Unit, bool)> {
        let cp = c as u32;
        if (LATIN_START..LATIN_END).contains(&cp) {
            self.latin
                .get((cp - LATIN_START) as usize)
                .copied()
                .flatten()
        } else if (EXT_START..EXT_END).contains(&cp) {
            self.latin_ext
                .get((cp - EXT_START) as usize)
                .copied()
                .flatten()
        } else {
            None
        }
    }

    /// Decodes a non-ASCII letter into a unit and an "uppercase" flag, or `None`
    /// when it is not a Vietnamese-compatible letter.
    #[inline]
    pub(crate) fn decode(&self, c: char) -> Option<(Unit, bool)> {
        let cp = c as u32;
        if (LATIN_START..LATIN_END).contains(&cp) || (EXT_START..EXT_END).contains(&cp) {
            self.decode_table(c)
        } else {
            decode_slow(c)
        }
    }

    /// Writes the lowercase precomposed form of `u` to `out`.
    #[inline]
    pub(crate) fn compose_into(&self, u: Unit, out: &mut String) {
        if u.modifier == MOD_NONE && u.tone == TONE_NONE {
            out.push(u.base);
            return;
        }
        let composed = base_index(u.base).and_then(|bi| {
            self.compose
                .get((bi * 4 + usize::from(u.modifier)) * 6 + usize::from(u.tone))
                .copied()
                .flatten()
        });
        match composed {
            Some(c) => out.push(c),
            None => {
                // No precomposed character (a mark on a consonant): canonical order.
                let mut tmp = [u.base, '\0', '\0'];
                let mut n = 1;
                if let Some(&m) = MOD_MARKS
                    .get(usize::from(u.modifier))
                    .filter(|_| u.modifier != 0)
                {
                    tmp[n] = m;
                    n += 1;
                }
                if let Some(&t) = TONE_MARKS.get(usize::from(u.tone)).filter(|_| u.tone != 0) {
                    tmp[n] = t;
                    n += 1;
                }
                out.extend(tmp.iter().take(n).copied().nfc());
            }
        }
    }
}

/// Decodes any character through its canonical decomposition (slow path).
fn decode_slow(c: char) -> Option<(Unit, bool)> {
    match c {
        'đ' | 'ð' => return Some((Unit::letter('đ'), false)),
        'Đ' | 'Ð' => return Some((Unit::letter('đ'), true)),
        _ => {}
    }
    let mut unit: Option<Unit> = None;
    let mut upper = false;
    let mut ok = true;
    decompose_canonical(c, |d| {
        if !ok {
            return;
        }
        match unit.as_mut() {
            None => {
                if d.is_ascii_alphabetic() {
                    upper = d.is_ascii_uppercase();
                    unit = Some(Unit::letter(d.to_ascii_lowercase()));
                } else {
                    ok = false;
                }
            }
            Some(u) => match vietnamese_mark(d) {
                Some(Mark::Tone(t)) if u.tone == TONE_NONE => u.tone = t,
                Some(Mark::Modifier(m)) if u.modifier == MOD_NONE => u.modifier = m,
                _ => ok = false,
            },
        }
    });
    // A bare ASCII letter is handled by the ASCII path; here it only appears as the
    // decomposition of a compatibility-free canonical singleton (e.g. KELVIN SIGN).
    if ok {
        unit.map(|u| (u, upper))
    } else {
        None
    }
}

/// Pushes the canonical decomposition of `c`, each piece replaced by its
/// compatibility decomposition when that is a letter or digit followed by letters,
/// digits and marks.
pub(crate) fn push_compat_decomposed(c: char, out: &mut String) {
    decompose_canonical(c, |p| {
        // Starts with a letter or digit (U+FF9E would become a lone mark), and
        // continues with letters, digits and marks.
        let mut token_only = true;
        let mut first = true;
        unicode_normalization::char::decompose_compatible(p, |d| {
            let mark = is_combining_mark(d);
            token_only &= if first {
                !mark && d.is_alphanumeric()
            } else {
                mark || d.is_alphanumeric()
            };
            first = false;
        });
        if token_only {
            unicode_normalization::char::decompose_compatible(p, |d| out.push(d));
        } else {
            out.push(p);
        }
    });
}

/// Folds one character of an already lowercased, NFKC text into `out`: removes every
/// combining mark, maps letters without decomposition (đ, ø, æ, ß…) to ASCII.
pub(crate) fn fold_char_into(c: char, out: &mut String) {
    fold_impl(c, out, true);
}

/// [`fold_char_into`] for a token's character: pieces that are not letters or
/// digits (the space of U+037A's decomposition) are dropped too.
pub(crate) fn fold_token_char_into(c: char, out: &mut String) {
    fold_impl(c, out, false);
}

fn fold_impl(c: char, out: &mut String, keep_separators: bool) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    unicode_normalization::char::decompose_compatible(c, |d| {
        if is_combining_mark(d) || (!keep_separators && !d.is_alphanumeric()) {
            return;
        }
        match d {
            'đ' | 'ð' | 'Đ' | 'Ð' => out.push('d'),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ß' | 'ẞ' => out.push_str("ss"),
            'þ' | 'Þ' => out.push_str("th"),
            'ł' | 'Ł' => out.push('l'),
            'ħ' | 'Ħ' => out.push('h'),
            'ı' => out.push('i'),
            'ĸ' => out.push('k'),
            'ŋ' | 'Ŋ' => out.push('n'),
            'ŧ' | 'Ŧ' => out.push('t'),
            d => out.push(d),
        }
    });
}

/// Whether folding changes `c` beyond lowercasing: it is a combining mark, carries
/// one, or is a letter folded to ASCII (đ, ø…).
pub(crate) fn is_diacritic_char(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    if is_combining_mark(c) {
        return true;
    }
    let mut lower = String::new();
    lower.extend(c.to_lowercase());
    let mut folded = String::new();
    for l in lower.chars() {
        fold_char_into(l, &mut folded);
    }
    let mut plain = String::new();
    for l in lower.chars() {
        unicode_normalization::char::decompose_compatible(l, |d| plain.push(d));
    }
    folded != plain || plain.chars().any(is_combining_mark)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_precomposed_and_composes_back() {
        let t = tables();
        let (u, upper) = t.decode('Ệ').unwrap_or((Unit::letter('x'), false));
        assert_eq!(u.base, 'e');
        assert_eq!(u.modifier, MOD_CIRCUMFLEX);
        assert_eq!(u.tone, 5);
        assert!(upper);
        let mut s = String::new();
        t.compose_into(u, &mut s);
        assert_eq!(s, "ệ");
        assert_eq!(t.decode('Ð').map(|x| x.0.base), Some('đ'));
        assert_eq!(t.decode('ç'), None);
    }

    #[test]
    fn folds_letters_without_decomposition() {
        let mut s = String::new();
        for c in "đøæ\u{301}ệ".chars() {
            fold_char_into(c, &mut s);
        }
        assert_eq!(s, "doaee");
        assert!(is_diacritic_char('đ'));
        assert!(is_diacritic_char('\u{301}'));
        assert!(!is_diacritic_char('中'));
    }
}
