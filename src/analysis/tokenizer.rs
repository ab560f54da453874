//! The scanner (one pass over the original text, no copy of it) and the tantivy
//! tokenizers built on it.

use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

use super::chars::{self, attach_mark, classify, tables, vietnamese_mark, Class, Tables, Unit};
use super::numbers::{canonical_number, roman_value};
use super::syllable::{canonicalize, canonicalize_bases};

/// Which view a tokenizer produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    Accented,
    Folded,
}

/// Reusable buffers: no allocation per token once warmed up.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scratch {
    units: Vec<Unit>,
    tmp: String,
    /// Accented canonical text of the current token.
    pub(crate) accented: String,
    /// Folded text of the current token (valid when `folded_same` is false).
    pub(crate) folded: String,
    /// The folded view equals the accented one (ASCII tokens).
    pub(crate) folded_same: bool,
}

impl Scratch {
    /// The folded view of the current token.
    pub(crate) fn folded(&self) -> &str {
        if self.folded_same {
            &self.accented
        } else {
            &self.folded
        }
    }
}

/// Progress through a trigger phrase for Roman numerals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    None,
    /// A complete trigger (khóa, chương, phần, mục, quý, đại hội, lần thứ, kỳ họp
    /// [thứ]); `caps` when its last word was written in capitals.
    Complete {
        caps: bool,
        ky_hop: bool,
    },
    /// "đại", "lần" or "kỳ": waiting for its second word.
    Dai,
    Lan,
    Ky,
}

/// A token span found by the scanner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    pub position: usize,
}

/// The scanner: yields tokens of `text` one by one into a [`Scratch`].
pub(crate) struct Scanner<'a> {
    text: &'a str,
    cursor: usize,
    next_position: usize,
    trigger: Trigger,
    /// Arabic number to emit at the position of the numeral just emitted.
    pending: Option<(u32, Span)>,
    tables: &'static Tables,
    /// Only the folded view is wanted (the accented one is then computed for
    /// possible trigger words only).
    folded_only: bool,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Scanner {
            text,
            cursor: 0,
            next_position: 0,
            trigger: Trigger::None,
            pending: None,
            tables: tables(),
            folded_only: false,
        }
    }

    /// An scanner for the folded view only.
    pub(crate) fn folded_only(text: &'a str) -> Self {
        Scanner {
            folded_only: true,
            ..Scanner::new(text)
        }
    }

    /// Finds the next token; writes its views into `s`. `want_folded`: also compute
    /// the folded view.
    pub(crate) fn next(&mut self, s: &mut Scratch, want_folded: bool) -> Option<Span> {
        if let Some((value, span)) = self.pending.take() {
            s.accented.clear();
            push_u32(&mut s.accented, value);
            s.folded_same = true;
            return Some(span);
        }
        let Scanned {
            start,
            end,
            ascii,
            digits,
            vietnamese,
        } = self.scan(&mut s.units)?;
        let position = self.next_position;
        self.next_position += 1;
        let span = Span {
            start,
            end,
            position,
        };
        let raw = self.text.get(start..end).unwrap_or("");
        s.accented.clear();
        s.folded.clear();
        if digits {
            s.folded_same = true;
            if ascii {
                canonical_number(raw, &mut s.accented);
            } else {
                s.tmp.clear();
                s.tmp.extend(raw.chars().filter(|&c| !chars::is_deleted(c)));
                canonical_number(&s.tmp, &mut s.accented);
            }
        } else if ascii {
            s.folded_same = true;
            {
                s.accented.push_str(raw);
                s.accented.make_ascii_lowercase();
                if s.accented == "qui" {
                    s.accented.replace_range(2.., "y");
                }
            }
        } else if let Some(letters_only) = vietnamese {
            self.emit_units(s, letters_only, want_folded);
        } else {
            self.process_generic(raw, s, want_folded);
        }
        self.update_trigger(raw, s, span);
        Some(span)
    }

    /// Scans the next token run. A number is ASCII digits (and deleted characters),
    /// `.` and `,`. For a non-ASCII run, `units` receives its Vietnamese units as
    /// they are scanned (one decoding per character).
    fn scan(&mut self, units: &mut Vec<Unit>) -> Option<Scanned> {
        let text = self.text;
        let bytes = text.as_bytes();
        let len = bytes.len();
        let mut i = self.skip_separators(self.cursor)?;
        let start = i;
        let mut end = i;
        let mut ascii = true;
        let mut digits = true;
        let mut vietnamese = true;
        let mut letters_only = true;
        while i < len {
            let b = bytes[i];
            if b < 0x80 {
                if !chars::ascii_is_token(b) {
                    break;
                }
                digits &= b.is_ascii_digit();
                if !ascii && vietnamese {
                    letters_only &= push_ascii_unit(units, b);
                }
                i += 1;
                end = i;
                continue;
            }
            let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
                break;
            };
            if ascii {
                // First non-ASCII character: decode the ASCII prefix too.
                ascii = false;
                units.clear();
                for &b in bytes.get(start..i).unwrap_or_default() {
                    letters_only &= push_ascii_unit(units, b);
                }
            }
            if let Some((u, _)) = self.tables.decode_table(c) {
                if vietnamese {
                    units.push(u);
                }
                digits = false;
                i += c.len_utf8();
                end = i;
                continue;
            }
            match classify(self.tables, c) {
                Class::Alnum => {
                    if vietnamese {
                        match self.tables.decode(c) {
                            Some((u, _)) => units.push(u),
                            None => vietnamese = false,
                        }
                    }
                    digits = false;
                    i += c.len_utf8();
                    end = i;
                }
                Class::Mark => {
                    if vietnamese {
                        vietnamese = attach_mark(units, c);
                    }
                    digits = false;
                    i += c.len_utf8();
                    end = i;
                }
                Class::Deleted => i += c.len_utf8(),
                Class::Separator => break,
            }
        }
        if digits {
            end = self.extend_number(end);
            i = i.max(end);
        }
        self.cursor = i;
        Some(Scanned {
            start,
            end,
            ascii,
            digits,
            vietnamese: (!ascii && vietnamese).then_some(letters_only),
        })
    }

    /// Skips separators (and marks / deleted characters outside tokens) from byte
    /// `i`; returns where the next token starts, `None` at the end of the text.
    #[inline]
    fn skip_separators(&self, mut i: usize) -> Option<usize> {
        let text = self.text;
        let bytes = text.as_bytes();
        loop {
            let b = *bytes.get(i)?;
            if b < 0x80 {
                if chars::ascii_is_token(b) {
                    return Some(i);
                }
                i += 1;
                continue;
            }
            let c = text.get(i..).and_then(|r| r.chars().next())?;
            if classify(self.tables, c) == Class::Alnum {
                return Some(i);
            }
            i += c.len_utf8();
        }
    }

    /// Numbers: `.` or `,` between digit groups continues the token. Extends the
    /// digit run ending at byte `end` over such groups; returns the new end.
    #[inline]
    fn extend_number(&self, mut end: usize) -> usize {
        let text = self.text;
        let bytes = text.as_bytes();
        while let (Some(&sep), Some(d)) = (bytes.get(end), bytes.get(end + 1)) {
            if !(sep == b'.' || sep == b',') || !d.is_ascii_digit() {
                break;
            }
            let mut j = end + 1;
            while bytes.get(j).is_some_and(|b| b.is_ascii_digit()) {
                j += 1;
            }
            // The next group must be a whole digit run ("1.5m" is not a number).
            let continues_token = match bytes.get(j) {
                None => false,
                Some(&b) if b < 0x80 => chars::ascii_is_token(b),
                Some(_) => text
                    .get(j..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(|c| classify(self.tables, c) != Class::Separator),
            };
            if continues_token {
                break;
            }
            end = j;
        }
        end
    }

    /// Non-ASCII token that is not made of Vietnamese units: generic path.
    fn process_generic(&mut self, raw: &str, s: &mut Scratch, want_folded: bool) {
        // Generic path: character fixes, compatibility decomposition (fullwidth forms,
        // ligatures) where it only yields letters, digits and marks ("½" would give a
        // fraction slash, a separator), lowercase, canonical composition.
        s.tmp.clear();
        for c in raw.chars().filter(|&c| !chars::is_deleted(c)) {
            let c = match c {
                'Ð' => 'Đ',
                'ð' => 'đ',
                c => c,
            };
            chars::push_compat_decomposed(c, &mut s.tmp);
        }
        // Lowercase before composing: "T̈" has no precomposed form but "ẗ" has.
        for c in s.tmp.chars() {
            if c.is_ascii() {
                s.accented.push(c.to_ascii_lowercase());
            } else {
                s.accented.extend(c.to_lowercase());
            }
        }
        s.tmp.clear();
        s.tmp.extend(s.accented.nfc());
        std::mem::swap(&mut s.tmp, &mut s.accented);
        // Compatibility characters may have produced a Vietnamese syllable ("ªÌ").
        if let Some(letters_only) = decode_units(self.tables, &s.accented, &mut s.units) {
            s.accented.clear();
            self.emit_units(s, letters_only, want_folded);
            return;
        }
        if want_folded {
            fold_token_into(&s.accented, &mut s.folded);
        }
        s.folded_same = !want_folded;
    }

    /// Writes both views of decoded units (tone placed when `letters_only`).
    fn emit_units(&self, s: &mut Scratch, letters_only: bool, want_folded: bool) {
        if !letters_only && s.units.iter().all(|u| u.base.is_ascii_digit()) {
            // Digits from compatibility characters ("０９", "0²0"): a number.
            s.tmp.clear();
            s.tmp.extend(s.units.iter().map(|u| u.base));
            canonical_number(&s.tmp, &mut s.accented);
            s.folded_same = true;
            return;
        }
        if self.folded_only {
            // Tone placement does not change bare letters: the folded stream only
            // needs the i/y whitelist, and the accented form of trigger words.
            if letters_only {
                canonicalize_bases(&mut s.units);
            }
            s.folded.extend(s.units.iter().map(Unit::folded));
            s.folded_same = false;
            if !is_trigger_candidate(&s.folded) {
                return;
            }
            if letters_only {
                canonicalize(&mut s.units);
            }
        } else {
            if letters_only {
                canonicalize(&mut s.units);
            }
            if want_folded {
                s.folded.extend(s.units.iter().map(Unit::folded));
            }
        }
        for u in &s.units {
            self.tables.compose_into(*u, &mut s.accented);
        }
        s.folded_same = !want_folded;
    }

    /// Tracks trigger words and schedules the Arabic value of a Roman numeral.
    fn update_trigger(&mut self, raw: &str, s: &Scratch, span: Span) {
        let word = s.accented.as_str();
        let caps = || !raw.chars().any(char::is_lowercase);
        if let Trigger::Complete {
            caps: trig_caps,
            ky_hop,
        } = self.trigger
        {
            if let Some(value) = roman_value(raw) {
                // In an all-caps heading the numeral must end the line or be followed
                // by punctuation: "PHẦN VI PHẠM" is not part 6, "CHƯƠNG II\n" is 2.
                let after = self.text.get(span.end..).unwrap_or("");
                let next = after.trim_start_matches([' ', '\t']).chars().next();
                if !trig_caps || !next.is_some_and(char::is_alphanumeric) {
                    self.pending = Some((value, span));
                }
                self.trigger = Trigger::None;
                return;
            }
            if ky_hop && word == "thứ" {
                self.trigger = Trigger::Complete {
                    caps: caps(),
                    ky_hop: false,
                };
                return;
            }
        }
        self.trigger = match (self.trigger, word) {
            (_, "khóa" | "chương" | "phần" | "mục" | "quý") => Trigger::Complete {
                caps: caps(),
                ky_hop: false,
            },
            (Trigger::Dai, "hội") | (Trigger::Lan, "thứ") => Trigger::Complete {
                caps: caps(),
                ky_hop: false,
            },
            (Trigger::Ky, "họp") => Trigger::Complete {
                caps: caps(),
                ky_hop: true,
            },
            (_, "đại") => Trigger::Dai,
            (_, "lần") => Trigger::Lan,
            (_, "kỳ") => Trigger::Ky,
            _ => Trigger::None,
        };
    }
}

/// Decodes a token into Vietnamese units (ASCII letters and digits, đ, Vietnamese
/// marks on letters, at most one modifier and one tone each). `None` when some
/// character does not fit; otherwise whether the token has letters only.
fn decode_units(tables: &Tables, raw: &str, units: &mut Vec<Unit>) -> Option<bool> {
    units.clear();
    let mut letters_only = true;
    for c in raw.chars() {
        if c.is_ascii() {
            if !c.is_ascii_alphanumeric() {
                return None;
            }
            letters_only &= push_ascii_unit(units, c as u8);
        } else if chars::is_deleted(c) {
            continue;
        } else if vietnamese_mark(c).is_some() {
            if !attach_mark(units, c) {
                return None;
            }
        } else {
            units.push(tables.decode(c)?.0);
        }
    }
    Some(letters_only)
}

/// Pushes the unit of an ASCII letter or digit; returns whether it is a letter.
#[inline]
fn push_ascii_unit(units: &mut Vec<Unit>, b: u8) -> bool {
    units.push(Unit::letter(char::from(b.to_ascii_lowercase())));
    b.is_ascii_alphabetic()
}

/// What [`Scanner::scan`] found.
struct Scanned {
    start: usize,
    end: usize,
    /// The run is pure ASCII.
    ascii: bool,
    /// The run is a number (ASCII digits, `.`, `,`, deleted characters).
    digits: bool,
    /// Non-ASCII run made of Vietnamese units (in the scratch): whether letters only.
    vietnamese: Option<bool>,
}

/// Whether a folded token may be (part of) a Roman numeral trigger.
fn is_trigger_candidate(folded: &str) -> bool {
    matches!(
        folded,
        "khoa" | "chuong" | "phan" | "muc" | "quy" | "dai" | "hoi" | "lan" | "thu" | "ky" | "hop"
    )
}

fn push_u32(out: &mut String, mut v: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

/// A tantivy tokenizer producing one view of the Vietnamese analysis.
#[derive(Debug, Clone)]
pub struct VietnameseTokenizer {
    view: View,
    scratch: Scratch,
    token: TantivyToken,
}

impl VietnameseTokenizer {
    pub(crate) fn new(view: View) -> Self {
        VietnameseTokenizer {
            view,
            scratch: Scratch::default(),
            token: TantivyToken::default(),
        }
    }
}

/// Token stream of [`VietnameseTokenizer`].
pub struct VietnameseTokenStream<'a> {
    scanner: Scanner<'a>,
    view: View,
    scratch: &'a mut Scratch,
    token: &'a mut TantivyToken,
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VietnameseTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietnameseTokenStream<'a> {
        self.token.reset();
        let scanner = match self.view {
            View::Accented => Scanner::new(text),
            View::Folded => Scanner::folded_only(text),
        };
        VietnameseTokenStream {
            scanner,
            view: self.view,
            scratch: &mut self.scratch,
            token: &mut self.token,
        }
    }
}

impl TokenStream for VietnameseTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let want_folded = self.view == View::Folded;
        let Some(span) = self.scanner.next(self.scratch, want_folded) else {
            return false;
        };
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        self.token.position = span.position;
        self.token.position_length = 1;
        self.token.text.clear();
        let text = match self.view {
            View::Accented => self.scratch.accented.as_str(),
            View::Folded => self.scratch.folded(),
        };
        self.token.text.push_str(text);
        true
    }

    fn token(&self) -> &TantivyToken {
        self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        self.token
    }
}

/// Appends the folded view of a token to `out`, given its accented view: every
/// character folded ([`chars::fold_token_char_into`]). When nothing alphanumeric
/// survives folding (U+037A and its like) the token is kept minus its marks, so
/// the folded view never has a mark, and never is empty.
pub(crate) fn fold_token_into(accented: &str, out: &mut String) {
    let from = out.len();
    for c in accented.chars() {
        chars::fold_token_char_into(c, out);
    }
    if out.len() == from {
        let kept = accented
            .chars()
            .filter(|&c| !unicode_normalization::char::is_combining_mark(c));
        out.extend(kept);
        if out.len() == from {
            out.push_str(accented);
        }
    }
}
