//! Pre-analysed token streams: the body is analysed **once** at ingest, in the
//! understanding workers, and both views are handed to tantivy as compact strings
//! that [`StreamTokenizer`] splits without analysing again.
//!
//! ## Encoding
//!
//! The tokens of one view, in order, each preceded by a separator saying where it
//! goes: a space puts it at the next position, `U+0001` at the same position as the
//! token before it (a Roman numeral's Arabic value), and every `U+0002` before that
//! skips one more position. The first token has no space; `U+0002`s before it give
//! its position. Analysed tokens never contain these characters (they are runs of
//! letters, digits and marks), so the encoding is unambiguous, and decoding gives
//! exactly the tokens, positions and count of the analyzer (`tests/analysis_props.rs`
//! checks this on arbitrary text).
//!
//! Offsets are not kept: tantivy indexes positions, not offsets, and nothing reads
//! offsets from these fields (snippets are computed on the stored text).

use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};

use super::tokenizer::{Scanner, Scratch};

/// Name under which [`StreamTokenizer`] is registered.
pub const STREAM_TOKENIZER: &str = "vi_stream";

const NEXT: char = ' ';
const SAME: char = '\u{1}';
const SKIP: char = '\u{2}';

/// Both views of a text, encoded for [`StreamTokenizer`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Streams {
    /// The accented canonical view.
    pub accented: String,
    /// The folded view.
    pub folded: String,
    /// Number of positions (last position + 1; tokens sharing a position count once).
    pub positions: u64,
}

/// Analyses `text` once and encodes both views (see the module docs).
pub fn encode(text: &str) -> Streams {
    encode_with(text, &mut |_, _, _, _| {})
}

/// [`encode`], also calling `each(accented, start, end, position)` for every
/// token (byte offsets into `text`), so that other per-token outputs need no
/// second analysis.
pub fn encode_with(text: &str, each: &mut dyn FnMut(&str, usize, usize, usize)) -> Streams {
    let mut scanner = Scanner::new(text);
    let mut scratch = Scratch::default();
    // Analysed text is about as long as the input; reserve once.
    let mut out = Streams {
        accented: String::with_capacity(text.len()),
        folded: String::with_capacity(text.len()),
        positions: 0,
    };
    let mut last: Option<usize> = None;
    while let Some(span) = scanner.next(&mut scratch, true) {
        if scratch.accented.is_empty() {
            continue;
        }
        let p = span.position;
        match last {
            None => push_skips(&mut out, p),
            Some(q) if p == q => {
                out.accented.push(SAME);
                out.folded.push(SAME);
            }
            Some(q) => {
                push_skips(&mut out, p.saturating_sub(q + 1));
                out.accented.push(NEXT);
                out.folded.push(NEXT);
            }
        }
        each(&scratch.accented, span.start, span.end, p);
        out.accented.push_str(&scratch.accented);
        out.folded.push_str(scratch.folded());
        last = Some(p);
    }
    out.positions = last.map_or(0, |p| p as u64 + 1);
    out
}

fn push_skips(out: &mut Streams, n: usize) {
    for _ in 0..n {
        out.accented.push(SKIP);
        out.folded.push(SKIP);
    }
}

/// Splits an encoded stream back into its tokens (registered as
/// [`STREAM_TOKENIZER`] for the body fields).
#[derive(Debug, Clone, Default)]
pub struct StreamTokenizer {
    token: TantivyToken,
}

/// Token stream of [`StreamTokenizer`].
pub struct StreamTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    last: Option<usize>,
    token: &'a mut TantivyToken,
}

impl Tokenizer for StreamTokenizer {
    type TokenStream<'a> = StreamTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StreamTokenStream<'a> {
        self.token.reset();
        StreamTokenStream {
            text,
            cursor: 0,
            last: None,
            token: &mut self.token,
        }
    }
}

impl TokenStream for StreamTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let mut skips = 0usize;
        let mut same = false;
        while let Some(&b) = bytes.get(self.cursor) {
            match b {
                b' ' => {}
                1 => same = true,
                2 => skips += 1,
                _ => break,
            }
            self.cursor += 1;
        }
        let start = self.cursor;
        if start >= bytes.len() {
            return false;
        }
        let end = bytes
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b <= 2 || b == b' '))
            .map_or(bytes.len(), |n| start + n);
        let position = match self.last {
            None => skips,
            Some(q) if same => q,
            Some(q) => q + 1 + skips,
        };
        self.last = Some(position);
        self.cursor = end;
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = position;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token
            .text
            .push_str(self.text.get(start..end).unwrap_or(""));
        true
    }

    fn token(&self) -> &TantivyToken {
        self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<(usize, String)> {
        let mut t = StreamTokenizer::default();
        let mut st = t.token_stream(s);
        let mut out = Vec::new();
        while st.advance() {
            out.push((st.token().position, st.token().text.clone()));
        }
        out
    }

    #[test]
    fn round_trip_keeps_positions_and_views() {
        let text = "Đại hội XIII của Đảng, thuỷ lợi 1.234.567 đồng";
        let s = encode(text);
        let acc: Vec<(usize, String)> = crate::analysis::analyze(text)
            .into_iter()
            .map(|t| (t.position, t.text))
            .collect();
        let fold: Vec<(usize, String)> = crate::analysis::analyze(text)
            .into_iter()
            .map(|t| (t.position, t.folded))
            .collect();
        assert_eq!(decode(&s.accented), acc);
        assert_eq!(decode(&s.folded), fold);
        assert_eq!(s.positions, 9);
        // The Roman numeral and its value share position 2.
        assert!(acc.contains(&(2, "xiii".into())) && acc.contains(&(2, "13".into())));
    }

    #[test]
    fn empty_and_separator_only_texts() {
        assert_eq!(encode("").positions, 0);
        assert_eq!(encode(" ,;. ").accented, "");
        assert!(decode("").is_empty());
        assert_eq!(
            decode("\u{2}\u{2}a b\u{1}c"),
            [(2, "a".into()), (3, "b".into()), (3, "c".into())]
        );
    }
}
