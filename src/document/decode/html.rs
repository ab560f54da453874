//! A small HTML-to-text state machine.
//!
//! Drops tags, comments, `<script>`, `<style>`, `<head>` and other non-content elements
//! (`<noscript>`, `<template>`, `<svg>`, `<iframe>`, `<object>`, `<nav>`, `<select>`);
//! turns block elements into line or paragraph breaks and table cells into tabs;
//! collapses whitespace outside `<pre>`; decodes named and numeric character references.
//! It never fails: malformed markup degrades to text.

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use super::legacy::windows1252_char;

/// Does this look like an HTML document (by `path`'s extension, or by its start)?
pub(crate) fn looks_like_html(path: &Path, text: &str) -> bool {
    let by_ext = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["html", "htm", "xhtml", "shtml"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    });
    let head = prefix(text, 4096);
    let lower = head.to_ascii_lowercase();
    let has_tag = [
        "<html",
        "<body",
        "<!doctype html",
        "<head",
        "<p>",
        "<div",
        "<br",
        "<table",
    ]
    .iter()
    .any(|t| lower.contains(t));
    if by_ext {
        return has_tag || text.contains('<') || text.contains('&');
    }
    let start = lower.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || (start.starts_with('<') && (lower.contains("<html") || lower.contains("<body")))
}

/// The longest prefix of `s` of at most `n` bytes ending on a char boundary.
fn prefix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Elements whose whole content is dropped.
const SKIPPED: &[&str] = &[
    "script", "style", "head", "noscript", "template", "svg", "iframe", "object", "nav", "select",
    "math", "canvas", "audio", "video", "button",
];

/// Break after/before an element: 1 = line, 2 = paragraph.
fn block_breaks(name: &str) -> u8 {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "blockquote" | "pre" | "ul"
        | "ol" | "dl" | "section" | "article" | "header" | "footer" | "aside" | "main"
        | "figure" | "form" | "fieldset" | "hr" | "address" | "center" => 2,
        "br" | "div" | "li" | "tr" | "dt" | "dd" | "figcaption" | "caption" | "option"
        | "legend" | "tbody" | "thead" | "tfoot" | "details" | "summary" | "title" => 1,
        _ => 0,
    }
}

struct Out {
    buf: String,
    pending_space: bool,
    pending_tab: bool,
    pending_breaks: u8,
    pre: usize,
}

impl Out {
    fn flush(&mut self) {
        if self.pending_breaks > 0 {
            let trimmed = self.buf.trim_end_matches([' ', '\t']).len();
            self.buf.truncate(trimmed);
            if !self.buf.is_empty() {
                let have = self.buf.len() - self.buf.trim_end_matches('\n').len();
                let want = usize::from(self.pending_breaks);
                for _ in have..want {
                    self.buf.push('\n');
                }
            }
        } else if (self.pending_space || self.pending_tab)
            && !self.buf.is_empty()
            && !self.buf.ends_with(['\n', ' ', '\t'])
        {
            self.buf.push(if self.pending_tab { '\t' } else { ' ' });
        }
        self.pending_breaks = 0;
        self.pending_space = false;
        self.pending_tab = false;
    }

    fn push(&mut self, c: char) {
        if self.pre > 0 {
            if c == '\n' {
                self.pending_space = false;
                self.flush();
                self.buf.push('\n');
                return;
            }
            self.flush();
            self.buf.push(c);
            return;
        }
        if c.is_whitespace() {
            self.pending_space = true;
            return;
        }
        if c == '\0' || (c.is_control() && c != '\t') {
            return;
        }
        self.flush();
        self.buf.push(c);
    }

    fn brk(&mut self, n: u8) {
        self.pending_breaks = self.pending_breaks.max(n);
    }

    fn text(&mut self, s: &str) {
        let mut rest = s;
        while let Some(amp) = rest.find('&') {
            for c in rest.get(..amp).unwrap_or("").chars() {
                self.push(c);
            }
            let after = rest.get(amp + 1..).unwrap_or("");
            match entity(after) {
                Some((c, used)) => {
                    if let Some(c) = c {
                        self.push(c);
                    }
                    rest = after.get(used..).unwrap_or("");
                }
                None => {
                    self.push('&');
                    rest = after;
                }
            }
        }
        for c in rest.chars() {
            self.push(c);
        }
    }
}

/// Case-insensitive search of ASCII `needle` (lower case) in `hay` from `from`.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = hay.get(from..)?;
    rest.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = hay.get(from..)?;
    rest.windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// End (index after `>`) of a tag starting at `start`, honouring quoted attributes.
fn tag_end(b: &[u8], start: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut i = start;
    while let Some(&c) = b.get(i) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return i + 1,
            None => {}
        }
        i += 1;
    }
    // Unbalanced quotes: fall back to the first '>'.
    find(b, start, b">").map_or(b.len(), |p| p + 1)
}

/// Converts an HTML document to plain text.
pub(crate) fn strip(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = Out {
        buf: String::with_capacity(html.len() / 2),
        pending_space: false,
        pending_tab: false,
        pending_breaks: 0,
        pre: 0,
    };
    let mut i = 0;
    let mut text_start = 0;
    while i < b.len() {
        if b.get(i) != Some(&b'<') {
            i += 1;
            continue;
        }
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        let is_markup = next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?');
        if !is_markup {
            i += 1;
            continue;
        }
        out.text(html.get(text_start..i).unwrap_or(""));
        if b.get(i..i + 4) == Some(b"<!--") {
            i = find(b, i + 4, b"-->").map_or(b.len(), |p| p + 3);
        } else if b
            .get(i..i + 9)
            .is_some_and(|s| s.eq_ignore_ascii_case(b"<![cdata["))
        {
            let end = find(b, i + 9, b"]]>").unwrap_or(b.len());
            out.text(html.get(i + 9..end).unwrap_or(""));
            i = (end + 3).min(b.len());
        } else if next == b'!' || next == b'?' {
            i = find(b, i, b">").map_or(b.len(), |p| p + 1);
        } else {
            let closing = next == b'/';
            let name_start = if closing { i + 2 } else { i + 1 };
            let mut name_end = name_start;
            while b
                .get(name_end)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b':')
            {
                name_end += 1;
            }
            let name = html
                .get(name_start..name_end)
                .unwrap_or("")
                .to_ascii_lowercase();
            let end = tag_end(b, name_end);
            let self_closing = end >= 2 && b.get(end - 2) == Some(&b'/');
            i = end;
            if !closing && !self_closing && SKIPPED.contains(&name.as_str()) {
                if let Some(after) = skip_element(b, i, &name) {
                    i = after;
                    out.pending_space = true;
                }
            } else if name == "pre" {
                out.brk(2);
                if closing {
                    out.pre = out.pre.saturating_sub(1);
                } else {
                    out.pre += 1;
                }
            } else if name == "td" || name == "th" {
                // Cells are separated by a tab (ignored at the start of a line).
                out.pending_tab = true;
            } else {
                let n = block_breaks(&name);
                if n > 0 {
                    out.brk(n);
                }
            }
        }
        text_start = i;
    }
    out.text(html.get(text_start..).unwrap_or(""));
    let mut s = out.buf;
    let trimmed = s.trim_end().len();
    s.truncate(trimmed);
    s
}

/// Index after the end of a skipped element whose start tag ended at `from`, or `None`
/// to keep its content (no end tag found for an element that is not raw text).
fn skip_element(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut close = Vec::with_capacity(name.len() + 2);
    close.extend_from_slice(b"</");
    close.extend_from_slice(name.as_bytes());
    if let Some(p) = find_ci(b, from, &close) {
        return Some(tag_end(b, p + close.len()));
    }
    match name {
        "script" | "style" | "template" => Some(b.len()),
        "head" => find_ci(b, from, b"<body"),
        _ => None,
    }
}

/// Parses a character reference after `&`. Returns the character (None = drop it) and
/// the number of bytes used, or None when this is not a reference (a literal `&`).
fn entity(s: &str) -> Option<(Option<char>, usize)> {
    let b = s.as_bytes();
    if b.first() == Some(&b'#') {
        let (hex, start) = match b.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let mut end = start;
        while b.get(end).is_some_and(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        }) {
            end += 1;
        }
        if end == start {
            return None;
        }
        let digits = s.get(start..end)?;
        let value = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let used = if b.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        let c = match value {
            0 => None,
            0x80..=0x9F => u8::try_from(value).ok().map(windows1252_char),
            v if v < 0x20 && !matches!(v, 0x09 | 0x0A | 0x0D) => None,
            v => Some(char::from_u32(v).unwrap_or('\u{FFFD}')),
        };
        return Some((c, used));
    }
    let mut end = 0;
    while end < 32 && b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
        end += 1;
    }
    if end == 0 {
        return None;
    }
    let name = s.get(..end)?;
    let c = *ENTITIES.get(name)?;
    if b.get(end) == Some(&b';') {
        return Some((Some(c), end + 1));
    }
    // Without ';' only the old five, and not inside a longer word or a URL parameter.
    let next_ok = !b
        .get(end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'=');
    (matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp") && next_ok).then_some((Some(c), end))
}

/// Latin-1 entity names for U+00A0..=U+00FF, in order.
#[rustfmt::skip]
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
    "uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
    "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
    "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
    "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
    "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
    "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
    "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
    "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
];

static ENTITIES: LazyLock<HashMap<&'static str, char>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, char> = HashMap::with_capacity(192);
    for (name, cp) in LATIN1.iter().zip(0xA0u32..) {
        if let Some(c) = char::from_u32(cp) {
            m.insert(name, c);
        }
    }
    let others: &[(&str, char)] = &[
        ("nbsp", ' '),
        ("quot", '"'),
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("apos", '\''),
        // Vietnamese letters with HTML5 names.
        ("Abreve", 'Ă'),
        ("abreve", 'ă'),
        ("Dstrok", 'Đ'),
        ("dstrok", 'đ'),
        ("Itilde", 'Ĩ'),
        ("itilde", 'ĩ'),
        ("Utilde", 'Ũ'),
        ("utilde", 'ũ'),
        ("OElig", 'Œ'),
        ("oelig", 'œ'),
        ("Scaron", 'Š'),
        ("scaron", 'š'),
        ("Yuml", 'Ÿ'),
        ("fnof", 'ƒ'),
        ("circ", 'ˆ'),
        ("tilde", '˜'),
        // Punctuation and symbols.
        ("ensp", ' '),
        ("emsp", ' '),
        ("thinsp", ' '),
        ("zwnj", '\u{200C}'),
        ("zwj", '\u{200D}'),
        ("lrm", '\u{200E}'),
        ("rlm", '\u{200F}'),
        ("ndash", '–'),
        ("mdash", '—'),
        ("minus", '−'),
        ("lsquo", '‘'),
        ("rsquo", '’'),
        ("sbquo", '‚'),
        ("ldquo", '“'),
        ("rdquo", '”'),
        ("bdquo", '„'),
        ("dagger", '†'),
        ("Dagger", '‡'),
        ("bull", '•'),
        ("hellip", '…'),
        ("permil", '‰'),
        ("prime", '′'),
        ("Prime", '″'),
        ("lsaquo", '‹'),
        ("rsaquo", '›'),
        ("oline", '‾'),
        ("frasl", '⁄'),
        ("euro", '€'),
        ("trade", '™'),
        ("larr", '←'),
        ("rarr", '→'),
        ("uarr", '↑'),
        ("darr", '↓'),
        ("harr", '↔'),
        ("le", '≤'),
        ("ge", '≥'),
        ("ne", '≠'),
        ("infin", '∞'),
        ("deg", '°'),
        ("laquo", '«'),
        ("raquo", '»'),
    ];
    for &(name, c) in others {
        m.insert(name, c);
    }
    m
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(strip("Vi&#7879;t &amp; Vi&#x1EC7;t"), "Việt & Việt");
        assert_eq!(strip("h&agrave; n&ocirc;&#803;i"), "hà nô\u{323}i");
        assert_eq!(strip("a&nbsp;b &unknown; c&d"), "a b &unknown; c&d");
        assert_eq!(strip("&#150;&#0;x"), "–x");
        assert_eq!(strip("&amp"), "&");
    }

    #[test]
    fn structure() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
                    <!-- c --><p>Một</p><p>Hai<br>Ba</p><script>var x = '<p>';</script>\
                    <table><tr><td>a</td><td>b</td></tr></table></body></html>";
        assert_eq!(strip(html), "Một\n\nHai\nBa\n\na\tb");
    }

    #[test]
    fn malformed_does_not_panic() {
        for s in [
            "<",
            "<a",
            "<a href='x>y",
            "&#",
            "&#x;",
            "<!--",
            "<![CDATA[x",
            "<script>x",
        ] {
            let _ = strip(s);
        }
        assert_eq!(strip("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
    }
}
