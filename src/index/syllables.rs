//! The syllable stream stored with every document at ingest time, so that n-gram
//! statistics never re-analyse bodies.
//!
//! The stream (stored as UTF-8 bytes) is the body's accented canonical syllables — the first token of
//! every position, as the n-gram statistics count them — written as text: syllables
//! of one run separated by one space, runs separated by a line break (a run ends
//! where the gap between two syllables holds anything but spaces and tabs; see
//! `scan`). A syllable never contains a space or a line break (tokens
//! are runs of letters, digits and marks), so the encoding is unambiguous, and
//! the i-th syllable of the stream is the token at position i of the body.
//!
//! `"Kế hoạch, thi đua."` → `"kế hoạch\nthi đua"`.
//!
//! Beside the stream, the **spans** say where each syllable lies in the body, so
//! that snippets mark matches without analysing the body again ([`for_each_spanned`]). Per
//! syllable, one varint holds the gap since the previous syllable's end (in bytes,
//! from the body's start for the first) shifted left by one, its low bit set when
//! the syllable's length in the body differs from its length in the stream (NFD
//! text, a respelled tone); a second varint then holds that length. Most syllables
//! take one byte.
//!
//! ```
//! use kehoach::index::syllables::{for_each_spanned, Encoder};
//!
//! let body = "Kế hoạch, thi đua.";
//! let (stream, spans) = Encoder::encode(body);
//! assert_eq!(stream, "kế hoạch\nthi đua");
//! let mut tokens = Vec::new();
//! assert!(for_each_spanned(body, stream.as_bytes(), &spans, |t| tokens.push(t)));
//! let marked: Vec<&str> = tokens.iter().map(|t| &body[t.start..t.end]).collect();
//! assert_eq!(marked, ["Kế", "hoạch", "thi", "đua"]);
//! assert_eq!(tokens[3].syllable, "đua".as_bytes());
//! // The spans of another text do not fit.
//! assert!(!for_each_spanned("Kế hoạch", stream.as_bytes(), &spans, |_| {}));
//! ```

use tantivy::schema::Field;
use tantivy::store::StoreReader;
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tantivy::DocId;

use crate::{analysis, Result};

/// Separates the syllables of a run.
pub const SYLLABLE_SEPARATOR: char = ' ';
/// Separates two runs.
pub const RUN_SEPARATOR: char = '\n';

/// Builds a stream from the tokens of one text, given in position order.
///
/// [`encode`] feeds it from the accented tokenizer; an ingest pipeline that
/// already has the accented tokens (with byte offsets and positions) can feed it
/// directly instead of analysing the body again.
#[derive(Debug, Default)]
pub struct Encoder {
    out: String,
    spans: Vec<u8>,
    last_position: Option<usize>,
    prev_end: usize,
}

impl Encoder {
    /// An empty stream.
    pub fn new() -> Encoder {
        Encoder::default()
    }

    /// Adds the token `syllable` (accented canonical form) found at byte offsets
    /// `start..end` of `text` at `position`. Tokens sharing the position of the
    /// previous one (a Roman numeral's value) are skipped.
    pub fn push(&mut self, text: &str, syllable: &str, start: usize, end: usize, position: usize) {
        if self.last_position == Some(position) {
            return;
        }
        if self.last_position.is_some() {
            let gap = text.get(self.prev_end..start).unwrap_or("");
            let brk = gap.chars().any(|c| !matches!(c, ' ' | '\t'));
            self.out.push(if brk {
                RUN_SEPARATOR
            } else {
                SYLLABLE_SEPARATOR
            });
        }
        let len = end.saturating_sub(start);
        let respelled = len != syllable.len();
        let gap = start.saturating_sub(self.prev_end) as u64;
        push_varint(&mut self.spans, gap << 1 | u64::from(respelled));
        if respelled {
            push_varint(&mut self.spans, len as u64);
        }
        self.last_position = Some(position);
        self.prev_end = end;
        self.out.push_str(syllable);
    }

    /// The stream and its spans (see the module docs).
    pub fn finish_with_spans(self) -> (String, Vec<u8>) {
        (self.out, self.spans)
    }

    /// The stream of a body and its spans, analysing the body as ingest does.
    pub fn encode(body: &str) -> (String, Vec<u8>) {
        let mut e = Encoder::new();
        analysis::encode_with(body, &mut |syllable, start, end, position| {
            e.push(body, syllable, start, end, position);
        });
        e.finish_with_spans()
    }
}

/// One syllable of a stream and where it lies in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spanned<'a> {
    /// The syllable, accented canonical form, as the stream holds it (UTF-8).
    pub syllable: &'a [u8],
    /// Byte offset of its start in the body.
    pub start: usize,
    /// Byte offset of its end in the body.
    pub end: usize,
}

/// Calls `each` with the syllables of `stream` and their places in `body`, read from
/// `spans`, in order; returns whether they fit: `false` (and the calls made so far
/// are to be discarded) for a count that differs, bytes left over, or a span outside
/// the body or off a character boundary (a stream without spans, or the spans of
/// another text).
pub fn for_each_spanned<'a>(
    body: &str,
    stream: &'a [u8],
    spans: &[u8],
    mut each: impl FnMut(Spanned<'a>),
) -> bool {
    let mut at = 0usize;
    let mut prev_end = 0usize;
    let is_separator = |b: u8| b == SYLLABLE_SEPARATOR as u8 || b == RUN_SEPARATOR as u8;
    // A plain loop over the bytes: a syllable is three or four bytes long, too
    // short for a SIMD search per syllable to pay.
    let mut i = 0usize;
    while i < stream.len() {
        if is_separator(stream[i]) {
            i += 1;
            continue;
        }
        let first = i;
        while i < stream.len() && !is_separator(stream[i]) {
            i += 1;
        }
        let syllable = &stream[first..i];
        let Some(head) = read_varint(spans, &mut at) else {
            return false;
        };
        let len = if head & 1 == 1 {
            read_varint(spans, &mut at)
        } else {
            Some(syllable.len() as u64)
        };
        let span = len.and_then(|len| {
            let start = prev_end.checked_add(usize::try_from(head >> 1).ok()?)?;
            let end = start.checked_add(usize::try_from(len).ok()?)?;
            (end <= body.len() && body.is_char_boundary(start) && body.is_char_boundary(end))
                .then_some((start, end))
        });
        let Some((start, end)) = span else {
            return false;
        };
        each(Spanned {
            syllable,
            start,
            end,
        });
        prev_end = end;
    }
    at == spans.len()
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    // Most gaps and lengths fit one byte.
    if let Some(&b) = bytes.get(*at) {
        if b < 0x80 {
            *at += 1;
            return Some(u64::from(b));
        }
    }
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// The syllable stream of a body (see the module docs).
pub fn encode(body: &str) -> String {
    Encoder::encode(body).0
}

/// The runs of a stream, each an iterator over its syllables.
pub fn runs(stream: &str) -> impl Iterator<Item = std::str::Split<'_, char>> {
    stream
        .split(RUN_SEPARATOR)
        .filter(|r| !r.is_empty())
        .map(|r| r.split(SYLLABLE_SEPARATOR))
}

/// Reads the stored stream of `doc` from `store` (empty when it has none), in
/// place ([`super::stored::StoredDoc`]): the body and the metadata stored beside
/// it are not copied.
pub fn read(store: &StoreReader, doc: DocId, field: Field) -> Result<Vec<u8>> {
    let d = super::stored::StoredDoc::read(store, doc)?;
    Ok(d.bytes(field).unwrap_or_default().to_vec())
}

/// Calls `each(accented, start, end, breaks_before)` for the first token of every
/// position of `text` (a break before a token: the gap since the previous one holds anything but
/// spaces and tabs, or it is the first).
pub(crate) fn scan(text: &str, each: &mut dyn FnMut(&str, usize, usize, bool)) {
    let mut tokenizer = analysis::accented_tokenizer();
    let mut stream = tokenizer.token_stream(text);
    let mut last_pos = usize::MAX;
    let mut prev_end = 0usize;
    let mut first = true;
    while stream.advance() {
        let t = stream.token();
        if t.position == last_pos {
            continue;
        }
        last_pos = t.position;
        let gap = text.get(prev_end..t.offset_from).unwrap_or("");
        let brk = first || gap.chars().any(|c| !matches!(c, ' ' | '\t'));
        first = false;
        prev_end = t.offset_to;
        each(&t.text, t.offset_from, t.offset_to, brk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs_of(s: &str) -> Vec<Vec<&str>> {
        runs(s).map(|r| r.collect()).collect()
    }

    #[test]
    fn breaks_at_punctuation_and_lines() {
        let s = encode("Kế hoạch, thi đua.\nNăm  2019\tcủa Tỉnh (KG)");
        assert_eq!(s, "kế hoạch\nthi đua\nnăm 2019 của tỉnh\nkg");
        assert_eq!(
            runs_of(&s),
            [
                vec!["kế", "hoạch"],
                vec!["thi", "đua"],
                vec!["năm", "2019", "của", "tỉnh"],
                vec!["kg"]
            ]
        );
    }

    #[test]
    fn keeps_the_first_token_per_position() {
        // "XIII" after "Đại hội" also yields "13" at the same position.
        let s = encode("Đại hội XIII của Đảng");
        assert_eq!(s, "đại hội xiii của đảng");
    }

    #[test]
    fn empty_and_punctuation_only() {
        assert_eq!(encode(""), "");
        assert_eq!(encode(" ,.; \n"), "");
        assert_eq!(runs_of(""), Vec::<Vec<&str>>::new());
    }

    #[test]
    fn spans_point_into_nfd_and_respelled_text() {
        // NFD letters are longer in the body than in the stream; `hoà` is respelled.
        let body = "Nghe\u{323}\u{302} An, hoà   bình";
        let (stream, spans) = Encoder::encode(body);
        assert_eq!(stream, "nghệ an\nhòa bình");
        let mut marked = Vec::new();
        assert!(for_each_spanned(body, stream.as_bytes(), &spans, |t| {
            marked.push(&body[t.start..t.end]);
        }));
        assert_eq!(marked, ["Nghe\u{323}\u{302}", "An", "hoà", "bình"]);
    }

    #[test]
    fn spans_that_do_not_fit_are_refused() {
        let body = "Kế hoạch thi đua năm 2025";
        let (stream, spans) = Encoder::encode(body);
        let fits = |body: &str, stream: &str, spans: &[u8]| {
            for_each_spanned(body, stream.as_bytes(), spans, |_| {})
        };
        assert!(fits(body, &stream, &spans));
        // Truncated, a byte left over, none at all.
        assert!(!fits(body, &stream, &spans[..spans.len() - 1]));
        assert!(!fits(body, &stream, &[spans.as_slice(), &[0]].concat()));
        assert!(!fits(body, &stream, &[]));
        // A body too short, a span ending inside a character.
        assert!(!fits("Kế hoạch", &stream, &spans));
        assert!(!fits("K\u{1ebf}", "k", &[0b0000_0001, 2]));
        // A varint that never ends.
        assert!(!fits(body, &stream, &[0xff; 12]));
    }

    #[test]
    fn one_syllable_per_position() {
        let text = "Đại hội XIII, chương II: Kế hoạch 136/KH-UBND ngày 13/09/2019.";
        let s = encode(text);
        let positions = crate::analysis::analyze(text)
            .last()
            .map_or(0, |t| t.position + 1);
        assert_eq!(runs(&s).flatten().count(), positions);
    }
}
