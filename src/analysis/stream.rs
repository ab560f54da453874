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

/// Name under which [`PairTokenizer`] is registered.
pub const PAIR_TOKENIZER: &str = "vi_pairs";

/// The pair term of two adjacent tokens (`a` at a position, `b` at the next), as
/// [`PairTokenizer`] indexes it.
pub fn pair_term(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + 1 + b.len());
    s.push_str(a);
    s.push(NEXT);
    s.push_str(b);
    s
}

/// Name under which the folded [`PairTokenizer`] is registered.
pub const FOLDED_PAIR_TOKENIZER: &str = "vi_pairs_f";

/// Splits an encoded stream (see the module docs) into its **pairs**: for every
/// position, every token there followed by every token at the next position, as
/// one term ([`pair_term`]), once per position, when the two form a two-syllable
/// word of the lexicon ([`is_pair_word`]). A pair's frequency in a text is thus the
/// number of places where the two-syllable phrase occurs, what a phrase query
/// counts from positions; the query side answers the phrases of these words from
/// these terms without reading positions (`query::pairs`).
///
/// Only the lexicon's words are indexed: every pair of a text would give as many
/// distinct terms as a corpus has word pairs, and tripled ingest time on VNTC.
#[derive(Debug, Clone, Default)]
pub struct PairTokenizer {
    /// The view of the streams it reads (which word list to look pairs up in).
    folded: bool,
    token: TantivyToken,
    /// The stream's tokens as (position, start, end).
    tokens: Vec<(usize, usize, usize)>,
    /// The pairs, concatenated, and each one's range.
    text: String,
    pairs: Vec<(usize, usize)>,
}

impl PairTokenizer {
    /// The pair tokenizer of the accented (`folded == false`) or folded streams.
    pub fn new(folded: bool) -> PairTokenizer {
        PairTokenizer {
            folded,
            ..PairTokenizer::default()
        }
    }
}

/// True when `a b` is a two-syllable word of the lexicon in the view (`folded`): the
/// pairs [`PairTokenizer`] indexes.
pub fn is_pair_word(a: &str, b: &str, folded: bool) -> bool {
    super::lexicon::pair_words(folded).contains(&pair_term(a, b))
}

/// Token stream of [`PairTokenizer`].
pub struct PairTokenStream<'a> {
    tokenizer: &'a mut PairTokenizer,
    next: usize,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairTokenStream<'a> {
        self.token.reset();
        self.tokens.clear();
        self.text.clear();
        self.pairs.clear();
        let mut unpaired = TantivyToken::default();
        let mut stream = StreamTokenStream {
            text,
            cursor: 0,
            last: None,
            token: &mut unpaired,
        };
        while stream.advance() {
            let t = stream.token();
            self.tokens.push((t.position, t.offset_from, t.offset_to));
        }
        // Tokens are in position order; those of one position are contiguous.
        let words = super::lexicon::pair_words(self.folded);
        let mut here = 0;
        while here < self.tokens.len() {
            let p = self.tokens[here].0;
            let next = here + self.tokens[here..].iter().take_while(|t| t.0 == p).count();
            let after = next
                + self.tokens[next..]
                    .iter()
                    .take_while(|t| t.0 == p + 1)
                    .count();
            let first = self.pairs.len();
            for &(_, a0, a1) in &self.tokens[here..next] {
                for &(_, b0, b1) in &self.tokens[next..after] {
                    let start = self.text.len();
                    self.text.push_str(&text[a0..a1]);
                    self.text.push(NEXT);
                    self.text.push_str(&text[b0..b1]);
                    let end = self.text.len();
                    let new = &self.text[start..end];
                    if !words.contains(new)
                        || self.pairs[first..]
                            .iter()
                            .any(|&(s, e)| &self.text[s..e] == new)
                    {
                        self.text.truncate(start);
                    } else {
                        self.pairs.push((start, end));
                    }
                }
            }
            here = next;
        }
        PairTokenStream {
            tokenizer: self,
            next: 0,
        }
    }
}

impl TokenStream for PairTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let t = &mut *self.tokenizer;
        let Some(&(start, end)) = t.pairs.get(self.next) else {
            return false;
        };
        t.token.position = self.next;
        t.token.offset_from = start;
        t.token.offset_to = end;
        t.token.position_length = 1;
        t.token.text.clear();
        t.token.text.push_str(&t.text[start..end]);
        self.next += 1;
        true
    }

    fn token(&self) -> &TantivyToken {
        &self.tokenizer.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.tokenizer.token
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

    fn pairs(s: &str) -> Vec<String> {
        let mut t = PairTokenizer::new(false);
        let mut st = t.token_stream(s);
        let mut out = Vec::new();
        while st.advance() {
            out.push(st.token().text.clone());
        }
        out
    }

    #[test]
    fn pairs_are_the_adjacent_lexicon_words_of_every_position() {
        // Position 1 holds two tokens; a skip separates `đồng` from `hồ`.
        assert_eq!(
            pairs("thị trường\u{1}trương học\u{2} đồng hồ sinh học"),
            ["thị trường", "trường học", "đồng hồ", "sinh học"]
        );
        assert!(pairs("").is_empty());
        assert!(pairs("lone").is_empty());
        // Not a word: `trường sinh` is, `học đồng` is not (and a skip is between).
        assert!(!pairs("trường học đồng").contains(&"học đồng".to_string()));
        // One term per position even where two tokens at it spell the same pair.
        assert_eq!(pairs("thị trường\u{1}trường"), ["thị trường"]);
        let s = encode("Hội đồng Nhân dân, THỊ TRƯỜNG");
        assert_eq!(pairs(&s.accented), ["hội đồng", "nhân dân", "thị trường"]);
        let mut t = PairTokenizer::new(true);
        let mut st = t.token_stream(&s.folded);
        let mut folded = Vec::new();
        while st.advance() {
            folded.push(st.token().text.clone());
        }
        assert_eq!(folded, ["hoi dong", "nhan dan", "thi truong"]);
        assert!(is_pair_word("thi", "truong", true) && !is_pair_word("thi", "truong", false));
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
