//! Snippets: the best fragments of a text around the query's matches, with the
//! matched syllables marked. Matching uses the view the query searched (the
//! accented one for a query typed with diacritics, else the folded one), so NFD and
//! precomposed text are marked alike; offsets come from the analyzer and so always
//! point into the original text. Phrases are marked only where their
//! syllables are adjacent.
//!
//! A hit's tokens are read from the syllables and spans stored at ingest
//! ([`Stored`]), not by analysing its body again; a body without them is analysed.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::build::Highlight;
use crate::analysis;
use crate::index::syllables;

/// A fragment of a text, with the byte ranges to mark (relative to the whole text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// Byte offset of the fragment's start in the text.
    pub start: usize,
    /// Byte offset of the fragment's end in the text.
    pub end: usize,
    /// Byte ranges of the matches inside the fragment, in order.
    pub marks: Vec<(usize, usize)>,
}

/// Default fragment width in bytes (about 150–250 Vietnamese characters).
pub const DEFAULT_WIDTH: usize = 320;

/// The syllables of a body as the index stored them: they spare a snippet the
/// analysis of the body ([`crate::index::syllables::for_each_spanned`]).
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    /// The body's syllable stream.
    pub stream: &'a [u8],
    /// Where each of its syllables lies in the body.
    pub spans: &'a [u8],
}

/// Finds up to `max` fragments of about `width` bytes, best first by number of
/// distinct matched terms, returned in text order. Without any match, returns the
/// text's beginning.
///
/// The text's syllables come from `stored` when given and they fit the text, else
/// from analysing it; both give the same fragments.
pub fn fragments(
    text: &str,
    stored: Option<Stored<'_>>,
    hl: &Highlight,
    max: usize,
    width: usize,
) -> Vec<Fragment> {
    let width = width.max(40);
    let matches = find_matches(text, stored, hl);
    if matches.is_empty() {
        if text.trim().is_empty() || max == 0 {
            return Vec::new();
        }
        let (start, end) = snap(text, 0, width);
        return vec![Fragment {
            start,
            end,
            marks: Vec::new(),
        }];
    }
    // Candidate windows anchored a little before each match.
    let mut candidates: Vec<(f32, usize, usize)> = matches
        .iter()
        .map(|&(s, _, _)| {
            let ws = s.saturating_sub(width / 4);
            let we = (ws + width).min(text.len());
            let inside: Vec<_> = matches.iter().filter(|m| m.0 >= ws && m.1 <= we).collect();
            let distinct: HashSet<usize> = inside.iter().map(|m| m.2).collect();
            let score = distinct.len() as f32 + 0.1 * inside.len() as f32;
            (score, ws, we)
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for (_, ws, we) in candidates {
        if chosen.len() >= max {
            break;
        }
        if chosen.iter().all(|&(cs, ce)| we <= cs || ws >= ce) {
            chosen.push((ws, we));
        }
    }
    chosen.sort_unstable();
    chosen
        .into_iter()
        .map(|(ws, we)| {
            let (start, end) = snap(text, ws, we);
            let marks = matches
                .iter()
                .filter(|m| m.0 >= start && m.1 <= end)
                .map(|m| (m.0, m.1))
                .collect();
            Fragment { start, end, marks }
        })
        .collect()
}

/// (start, end, key) of every match: key identifies the term or phrase matched.
fn find_matches(
    text: &str,
    stored: Option<Stored<'_>>,
    hl: &Highlight,
) -> Vec<(usize, usize, usize)> {
    if hl.is_empty() {
        return Vec::new();
    }
    // The query's words, numbered: the terms first (a term's number is its own),
    // then the words of phrases that are not terms. Tokens are compared by number,
    // so the text is scanned without a string per token.
    let terms: Vec<&str> = hl.terms.iter().map(String::as_str).collect();
    let mut list = terms.clone();
    for w in hl.phrases.iter().flatten() {
        if !list.contains(&w.as_str()) {
            list.push(w);
        }
    }
    let words = Words::new(list);
    let phrases: Vec<Vec<usize>> = hl
        .phrases
        .iter()
        .map(|p| p.iter().map(|w| words.number(w.as_bytes())).collect())
        .collect();
    let toks = stored
        .and_then(|s| stored_tokens(text, s, hl.accented, &words))
        .unwrap_or_else(|| analysed_tokens(text, hl.accented, &words));
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.word < terms.len() {
            out.push((t.start, t.end, t.word));
        }
        for (pi, phrase) in phrases.iter().enumerate() {
            let n = phrase.len();
            // The phrase's words at consecutive positions.
            let at = |k: usize| toks.get(i + k).filter(|u| u.position == t.position + k);
            if n > 0 && (0..n).all(|k| at(k).is_some_and(|u| u.word == phrase[k])) {
                let end = at(n - 1).map_or(t.end, |u| u.end);
                out.push((t.start, end, terms.len() + pi));
            }
        }
    }
    unnested(out)
}

/// A token of the text that is one of the query's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    /// Its position (the number of the syllable in the text).
    position: usize,
    start: usize,
    end: usize,
    /// Its number in [`Words`].
    word: usize,
}

impl Token {
    /// Appends the token at `position` to `toks` when it is one of the words
    /// (`word` is not `usize::MAX`).
    fn keep(toks: &mut Vec<Token>, position: usize, start: usize, end: usize, word: usize) {
        if word != usize::MAX {
            toks.push(Token {
                position,
                start,
                end,
                word,
            });
        }
    }
}

/// The words a snippet looks for, numbered by their place in the list.
struct Words<'a> {
    list: Vec<&'a str>,
    /// Whether some word starts with this byte.
    first: [bool; 256],
}

impl<'a> Words<'a> {
    fn new(list: Vec<&'a str>) -> Words<'a> {
        let mut first = [false; 256];
        for w in &list {
            if let Some(&b) = w.as_bytes().first() {
                first[usize::from(b)] = true;
            }
        }
        Words { list, first }
    }

    /// The number of the word `w`, `usize::MAX` if it is none.
    fn number(&self, w: &[u8]) -> usize {
        self.list
            .iter()
            .position(|x| x.as_bytes() == w)
            .unwrap_or(usize::MAX)
    }
}

/// The first non-empty token of every position of `text` that is one of `words`,
/// by analysing it in the query's view; positions count those tokens.
fn analysed_tokens(text: &str, accented: bool, words: &Words<'_>) -> Vec<Token> {
    let mut toks: Vec<Token> = Vec::new();
    let mut last_pos = usize::MAX;
    let mut position = 0;
    analysis::for_each_view_token(text, !accented, &mut |at, start, end, w| {
        if at != last_pos && !w.is_empty() {
            last_pos = at;
            Token::keep(&mut toks, position, start, end, words.number(w.as_bytes()));
            position += 1;
        }
    });
    toks
}

/// The same tokens as [`analysed_tokens`], read from the stored syllables;
/// `None` when they do not fit `text`.
///
/// The folded view folds a syllable only when it could match: a syllable that starts
/// with an ASCII byte (lowercase, as every stored one) folds to a word starting
/// with that byte, and one that starts with another letter to a word starting with
/// that letter folded (`đ` → `d`), so when no word does, it is no word.
fn stored_tokens(
    text: &str,
    stored: Stored<'_>,
    accented: bool,
    words: &Words<'_>,
) -> Option<Vec<Token>> {
    let mut folded = String::new();
    let mut toks = Vec::new();
    let mut valid = true;
    let mut position = 0;
    let fits = syllables::for_each_spanned(text, stored.stream, stored.spans, |t| {
        let syllable = t.syllable;
        let w = match syllable.first() {
            Some(&b) if b.is_ascii() && !words.first[usize::from(b)] => usize::MAX,
            _ if accented || syllable.is_ascii() => words.number(syllable),
            // The folded first letter starts no word: no word (most syllables).
            _ if folded_first(syllable, &mut folded)
                .is_some_and(|b| !words.first[usize::from(b)]) =>
            {
                usize::MAX
            }
            _ => match std::str::from_utf8(syllable) {
                Ok(syllable) => {
                    folded.clear();
                    analysis::fold_token_into(syllable, &mut folded);
                    words.number(folded.as_bytes())
                }
                Err(_) => {
                    valid = false;
                    usize::MAX
                }
            },
        };
        Token::keep(&mut toks, position, t.start, t.end, w);
        position += 1;
    });
    (fits && valid).then_some(toks)
}

/// The first byte of the folded view of `syllable`, from its first character
/// alone; `None` when that character folds to nothing or is not UTF-8. `scratch`
/// is cleared and used.
fn folded_first(syllable: &[u8], scratch: &mut String) -> Option<u8> {
    let first = syllable.utf8_chunks().next()?.valid().chars().next()?;
    scratch.clear();
    analysis::fold_token_char_into(first, scratch);
    scratch.bytes().next()
}

/// Matches in text order, those nested in an earlier one (a term inside a phrase
/// match) folded into it.
fn unnested(mut out: Vec<(usize, usize, usize)>) -> Vec<(usize, usize, usize)> {
    out.sort_unstable();
    let mut merged: Vec<(usize, usize, usize)> = Vec::new();
    for m in out {
        match merged.last_mut() {
            Some(last) if m.0 < last.1 => last.1 = last.1.max(m.1),
            _ => merged.push(m),
        }
    }
    merged
}

/// Moves a byte window onto char boundaries and word edges.
fn snap(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut s = start.min(text.len());
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    if s > 0 {
        // Start after the previous whitespace, if one is near.
        if let Some(ws) = text[s..].find(char::is_whitespace).filter(|&d| d < 24) {
            s += ws;
            while s < text.len() && text[s..].starts_with(char::is_whitespace) {
                s += text[s..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    let mut e = end.min(text.len()).max(s);
    while !text.is_char_boundary(e) {
        e += 1;
    }
    if e < text.len() {
        if let Some(back) = text[s..e]
            .rfind(char::is_whitespace)
            .filter(|&b| e - (s + b) < 24)
        {
            e = s + back;
        }
    }
    (s, e)
}

/// Escapes text for HTML.
pub fn escape_html(s: &str, out: &mut String) {
    // Every byte replaced is ASCII, so the text between two is whole characters.
    let mut at = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\n' | b'\r' | b'\t' => " ",
            _ => continue,
        };
        out.push_str(&s[at..i]);
        out.push_str(with);
        at = i + 1;
    }
    out.push_str(&s[at..]);
}

/// Renders a fragment as HTML: text escaped, matches in `<mark>`, ellipses where cut.
pub fn to_html(text: &str, f: &Fragment) -> String {
    render(text, f, "<mark>", "</mark>", true)
}

/// Renders a fragment as plain text, matches between `open` and `close`.
pub fn to_plain(text: &str, f: &Fragment, open: &str, close: &str) -> String {
    render(text, f, open, close, false)
}

/// Markdown layout that `.txt` exports carry (`| cell | cell |`, `|---|---|`,
/// `**bold**`, `-------` rules, `# headings`).
static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\*\*|__|[-=_*]{3,}|(?:[ \t]*\|)+[ \t]*|(?m:^[ \t]*#{1,6}[ \t])")
        .expect("built-in regex")
});

/// A piece of snippet text as a person reads it: Markdown layout from `.txt`
/// files removed — emphasis markers and rules dropped, table cell bars shown as
/// ` · `, heading marks dropped. Words and their order are kept.
fn without_markup(s: &str) -> Cow<'_, str> {
    // Every piece of layout holds one of these bytes; most pieces of text none.
    let layout = |b: &u8| matches!(b, b'*' | b'_' | b'-' | b'=' | b'|' | b'#' | b'\\');
    if !s.as_bytes().iter().any(layout) {
        return Cow::Borrowed(s);
    }
    if !MARKUP.is_match(s) && !s.contains(['*', '\\']) {
        return Cow::Borrowed(s);
    }
    // The document view's rules first (italics, escapes, whole layout lines), then
    // what a piece cut out of a flattened line still holds.
    let shown = crate::document::markup::display(s);
    let replaced = MARKUP.replace_all(&shown, |c: &regex::Captures<'_>| {
        if c[0].contains('|') {
            " · "
        } else if c[0].chars().all(|ch| ch == '*' || ch == '_') && c[0].len() == 2 {
            ""
        } else {
            " "
        }
    });
    // Empty cells and rules leave runs of separators and blanks: one of each.
    let mut out = String::with_capacity(replaced.len());
    for part in replaced.split(" · ") {
        let part = part.trim_matches(' ');
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(" · ");
        }
        out.push_str(part);
    }
    // Keep the blank at either end, so that the piece still joins its neighbours.
    if s.starts_with([' ', '|', '\n']) && !out.is_empty() {
        out.insert(0, ' ');
    }
    if s.ends_with([' ', '|', '\n']) && !out.is_empty() {
        out.push(' ');
    }
    Cow::Owned(out)
}

fn render(text: &str, f: &Fragment, open: &str, close: &str, html: bool) -> String {
    let mut out = String::with_capacity(f.end - f.start + 32);
    let push = |s: &str, out: &mut String| {
        let s = without_markup(s);
        if html {
            escape_html(&s, out)
        } else {
            out.extend(s.chars().map(|c| if c.is_control() { ' ' } else { c }))
        }
    };
    if f.start > 0 {
        out.push('…');
    }
    let mut at = f.start;
    for &(s, e) in &f.marks {
        push(&text[at..s], &mut out);
        out.push_str(open);
        push(&text[s..e], &mut out);
        out.push_str(close);
        at = e;
    }
    push(&text[at..f.end], &mut out);
    if f.end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(terms: &[&str], phrases: &[&[&str]]) -> Highlight {
        Highlight {
            terms: terms.iter().map(|s| s.to_string()).collect(),
            phrases: phrases
                .iter()
                .map(|p| p.iter().map(|s| s.to_string()).collect())
                .collect(),
            accented: false,
        }
    }

    /// The matches as found before the scan stopped allocating a string per token
    /// (issue 18): from [`analysis::analyze`], comparing strings.
    fn matches_by_strings(text: &str, hl: &Highlight) -> Vec<(usize, usize, usize)> {
        let mut toks: Vec<(usize, usize, String)> = Vec::new();
        let mut last_pos = usize::MAX;
        for t in analysis::analyze(text) {
            if t.position != last_pos {
                last_pos = t.position;
                toks.push((t.start, t.end, if hl.accented { t.text } else { t.folded }));
            }
        }
        let terms: Vec<&String> = hl.terms.iter().collect();
        let mut out = Vec::new();
        for (i, (s, e, f)) in toks.iter().enumerate() {
            if let Some(k) = terms.iter().position(|t| *t == f) {
                out.push((*s, *e, k));
            }
            for (pi, phrase) in hl.phrases.iter().enumerate() {
                let n = phrase.len();
                if n > 0
                    && i + n <= toks.len()
                    && toks[i..i + n].iter().zip(phrase).all(|(t, p)| &t.2 == p)
                {
                    out.push((*s, toks[i + n - 1].1, terms.len() + pi));
                }
            }
        }
        unnested(out)
    }

    #[test]
    fn matches_are_those_of_the_string_comparison() {
        let text = "Kế hoạch số 136/KH-UBND về chuyển đổi số. Chuyển đổi số, chuyen doi so; \
                    Đại hội XIII, khóa IV, kỳ họp thứ 7 — chuyển  đổi và số hóa, đổi số chuyển.";
        let cases = [
            hl(&["chuyen", "so"], &[&["chuyen", "doi", "so"]]),
            hl(&["dai", "13"], &[&["ky", "hop"], &["doi", "so", "chuyen"]]),
            hl(&[], &[&["so", "hoa"], &["chuyen", "doi"]]),
            Highlight {
                accented: true,
                ..hl(
                    &["chuyển", "số"],
                    &[&["chuyển", "đổi", "số"], &["khóa", "4"]],
                )
            },
        ];
        let (stream, spans) = syllables::Encoder::encode(text);
        let stored = Stored {
            stream: stream.as_bytes(),
            spans: &spans,
        };
        for h in &cases {
            let found = find_matches(text, None, h);
            assert!(!found.is_empty(), "{h:?}");
            assert_eq!(found, matches_by_strings(text, h), "{h:?}");
            assert_eq!(find_matches(text, Some(stored), h), found, "{h:?}");
        }
    }

    #[test]
    fn escapes_markup_and_keeps_every_other_character() {
        let mut out = String::new();
        escape_html("Sở <b>Tài chính</b> & \"Đề án\" 'số 1'\n\tđã 😀", &mut out);
        assert_eq!(
            out,
            "Sở &lt;b&gt;Tài chính&lt;/b&gt; &amp; &quot;Đề án&quot; &#39;số 1&#39;  đã 😀"
        );
        out.clear();
        escape_html("", &mut out);
        assert_eq!(out, "");
    }

    #[test]
    fn marks_accented_and_unaccented_matches_and_escapes() {
        let text = "Kế hoạch <b>chuyển đổi số</b> của tỉnh; chuyen doi so.";
        let f = fragments(text, None, &hl(&["chuyen"], &[]), 3, 200);
        assert_eq!(f.len(), 1);
        let html = to_html(text, &f[0]);
        assert!(html.contains("<mark>chuyển</mark>"), "{html}");
        assert!(html.contains("<mark>chuyen</mark>"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn phrases_only_where_adjacent() {
        let text = "nông thôn mới; nông nghiệp thôn quê mới";
        let f = fragments(text, None, &hl(&[], &[&["nong", "thon", "moi"]]), 3, 200);
        assert_eq!(f[0].marks, vec![(0, "nông thôn mới".len())]);
    }

    #[test]
    fn nfd_offsets_point_into_the_original() {
        let text = "ve\u{0300} ho\u{0300}a bi\u{0300}nh";
        let f = fragments(text, None, &hl(&["hoa"], &[]), 1, 100);
        let (s, e) = f[0].marks[0];
        assert_eq!(&text[s..e], "ho\u{0300}a");
    }

    #[test]
    fn several_fragments_in_text_order() {
        let filler = "lorem ipsum dolor sit amet ".repeat(40);
        let text = format!("alpha {filler} beta {filler} alpha beta");
        let f = fragments(&text, None, &hl(&["alpha", "beta"], &[]), 3, 100);
        assert!(f.len() >= 2);
        assert!(f.windows(2).all(|w| w[0].end <= w[1].start));
        // The window holding both terms is among those chosen.
        assert!(f.iter().any(|fr| fr.marks.len() == 2));
    }

    #[test]
    fn markdown_layout_is_not_shown() {
        for (raw, shown) in [
            (
                "NAM Độc lập - Tự do - Hạnh phúc ---------------- | |---|---| | Số: 22/2013/QĐ-TTg | Hà Nội, ngày 26 |",
                "NAM Độc lập - Tự do - Hạnh phúc · Số: 22/2013/QĐ-TTg · Hà Nội, ngày 26 ",
            ),
            ("**Điều 1.** Ban hành kế hoạch", "Điều 1. Ban hành kế hoạch"),
            ("## Mục tiêu\nnăm 2021-2025 — tăng", "Mục tiêu\nnăm 2021-2025 — tăng"),
            ("thi đua, khen thưởng", "thi đua, khen thưởng"),
            (
                "Thể thao. *b) *Căn cứ vào tình hình (*) thực tế",
                "Thể thao. b) Căn cứ vào tình hình (*) thực tế",
            ),
        ] {
            assert_eq!(without_markup(raw), shown, "{raw:?}");
        }
    }

    /// Checks that the stored syllables give the tokens of the analysis, in both
    /// views: once looking for every form the analysis finds (so each token's form
    /// must be the same), once for every third (so that the stored path's shortcuts
    /// for syllables no word starts like, by their first byte or their first
    /// letter folded, are taken).
    fn assert_same_tokens(name: &str, text: &str) {
        let (stream, spans) = syllables::Encoder::encode(text);
        let stored = Stored {
            stream: stream.as_bytes(),
            spans: &spans,
        };
        for accented in [true, false] {
            let mut forms: Vec<String> = Vec::new();
            analysis::for_each_view_token(text, !accented, &mut |_, _, _, w| {
                if !forms.iter().any(|f| f == w) {
                    forms.push(w.to_string());
                }
            });
            let every_third: Vec<&str> = forms.iter().step_by(3).map(String::as_str).collect();
            for list in [forms.iter().map(String::as_str).collect(), every_third] {
                let words = Words::new(list);
                let analysed = analysed_tokens(text, accented, &words);
                let stored = stored_tokens(text, stored, accented, &words)
                    .unwrap_or_else(|| panic!("{name}: the spans do not fit"));
                let Some(i) = (0..analysed.len().max(stored.len()))
                    .find(|&i| analysed.get(i) != stored.get(i))
                else {
                    continue;
                };
                let at = analysed.get(i).or(stored.get(i)).map_or(0, |t| t.start);
                let around = text.get(at.saturating_sub(40)..).unwrap_or("");
                panic!(
                    "{name} (accented: {accented}): token {i} differs: analysed {:?}, stored {:?}, \
                     near {:?}",
                    analysed.get(i),
                    stored.get(i),
                    around.chars().take(80).collect::<String>()
                );
            }
        }
    }

    #[test]
    fn stored_syllables_give_the_tokens_of_the_analysis() {
        for (i, text) in [
            "Đại hội XIII, khóa IV, kỳ họp thứ 7; Chương II: quí I năm 2024.",
            "Kế hoạch số 136/KH-UBND ngày 13/09/2019 của UBND TP.HCM — 1.234,5 tỷ đồng",
            "Nghe\u{301} An, Hoa\u{300} Bi\u{300}nh: NFD text, thuở, HOÀ BÌNH, hoà, gìa",
            "Ø Æ ß 中文 Ελληνικά ‎zero\u{200b}width soft\u{ad}hyphen",
            "",
            " ,.; \n",
            "ĐẠI HỘI ĐẢNG BỘ lần thứ XX; Mục V. Phần III; **Điều 1.** | bảng | 2 |",
        ]
        .iter()
        .enumerate()
        {
            assert_same_tokens(&format!("case {i}"), text);
        }
    }

    #[test]
    fn stored_syllables_give_the_tokens_of_the_analysis_on_the_shipped_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.expect("corpus/ is readable");
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                assert_same_tokens(&entry.path().display().to_string(), &text);
                seen += 1;
            }
        }
        assert!(seen > 20, "only {seen} texts under {}", root.display());
    }

    #[test]
    fn stored_syllables_give_the_tokens_of_the_analysis_on_shared_corpora() {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
        let gov = shared.join("gov-docs");
        if !gov.is_dir() {
            eprintln!("skipped: {} is absent", gov.display());
            return;
        }
        // Every third document of gov-docs and the first 1,500 news articles.
        let files = walkdir::WalkDir::new(&gov).sort_by_file_name().into_iter();
        for entry in files.filter_map(std::result::Result::ok).step_by(3) {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                assert_same_tokens(&entry.path().display().to_string(), &text);
            }
        }
        let news = shared.join("vntc-news-84k.jsonl.gz");
        let Ok(file) = std::fs::File::open(&news) else {
            return;
        };
        let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
        for (i, line) in std::io::BufRead::lines(reader).take(1500).enumerate() {
            let line = line.expect("the news corpus reads");
            let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
            let text = v["text"].as_str().unwrap_or_default();
            assert_same_tokens(&format!("{} line {}", news.display(), i + 1), text);
        }
    }
}
