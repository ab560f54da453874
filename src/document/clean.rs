//! Cleaning decoded text for indexing: line endings, invisible characters, web chrome.
//!
//! * CRLF and lone CR become LF.
//! * U+FEFF, U+200C, U+200D, U+2060 and the soft hyphen U+00AD are deleted; the
//!   zero-width space U+200B becomes a space between two visible characters (it separates
//!   syllables: `thi\u{200B}đua` is "thi đua") and is deleted elsewhere.
//! * Web boilerplate is removed **by whole lines only**: share/print/login links, view
//!   counters (`Views Today : 198`, `Lượt xem: 1.234`), breadcrumbs (`Trang chủ > Tin tức`),
//!   copyright lines, news time stamps (`18/6/2019, 8:50 (GMT+7)`), and a trailing block of
//!   related-news links after a marker such as `Các tin khác`, `Tin liên quan`,
//!   `Bài viết mới` — only when nothing that looks like prose follows it (otherwise just
//!   the marker line goes). Long lines are never touched, except a copyright line
//!   (≤ 200 characters).
//! * Trailing spaces are trimmed, leading and trailing blank lines removed, and runs of
//!   more than two blank lines collapsed to two. Paragraph breaks stay.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::text::lowercase;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Cleans a decoded text for indexing (see the module documentation).
pub fn clean(text: &str) -> String {
    let norm = normalise_chars(text);
    let lines: Vec<&str> = norm.split('\n').collect();
    let keep = boilerplate_mask(&lines);
    assemble(&lines, &keep, norm.len())
}

/// Is `line` (one line, any case) web boilerplate on its own? Exposed for callers that
/// clean line by line; [`clean`] also removes trailing related-news blocks.
pub fn is_boilerplate_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > 250 {
        return false;
    }
    let k = key(t);
    is_chrome(&k) || is_counter(&k) || is_related_marker(&k)
}

fn is_dropped_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{00AD}'
    )
}

/// Whether `text` holds a char [`normalise_chars`] changes: CR, U+200B or a dropped
/// invisible. Looks at bytes: each of those chars has a lead byte met rarely.
fn has_special_char(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &x)| match x {
        b'\r' => true,
        // U+00AD
        0xC2 => b.get(i + 1) == Some(&0xAD),
        // U+200B..=U+200D, U+2060
        0xE2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0x8B..=0x8D)) | (Some(0x81), Some(0xA0))
        ),
        // U+FEFF
        0xEF => b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF),
        _ => false,
    })
}

/// Line endings and invisible characters. Borrows when there is nothing to do.
fn normalise_chars(text: &str) -> Cow<'_, str> {
    if !has_special_char(text) {
        return Cow::Borrowed(text);
    }
    // Text between candidate lead bytes is copied as it is.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest
        .bytes()
        .position(|b| matches!(b, b'\r' | 0xC2 | 0xE2 | 0xEF))
    {
        let (plain, from) = rest.split_at(p);
        out.push_str(plain);
        let mut chars = from.chars();
        let Some(c) = chars.next() else {
            break;
        };
        let after = chars.as_str();
        rest = after;
        match c {
            '\r' => {
                rest = after.strip_prefix('\n').unwrap_or(after);
                out.push('\n');
            }
            '\u{200B}' => {
                let prev_visible = out.chars().next_back().is_some_and(|p| !p.is_whitespace());
                let next_visible = after
                    .chars()
                    .next()
                    .is_some_and(|n| !n.is_whitespace() && n != '\u{200B}');
                if prev_visible && next_visible {
                    out.push(' ');
                }
            }
            c if is_dropped_invisible(c) => {}
            c => out.push(c),
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Matching key of a short line: NFC, lower case, single spaces, without leading bullets
/// and trailing colons.
fn key(line: &str) -> String {
    let nfc: Cow<'_, str> = if is_plain_nfc(line) {
        Cow::Borrowed(line)
    } else {
        match is_nfc_quick(line.chars()) {
            IsNormalized::Yes => Cow::Borrowed(line),
            _ => Cow::Owned(line.nfc().collect()),
        }
    };
    // `text::lowercase` is `str::to_lowercase` but for a word-final capital sigma.
    let lower = if nfc.contains('Σ') {
        nfc.to_lowercase()
    } else {
        lowercase(&nfc)
    };
    // Whitespace runs collapsed to one space (`split_whitespace` + `join(" ")`).
    let mut joined = String::with_capacity(lower.len());
    for w in lower.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(w);
    }
    joined
        .trim_start_matches(['-', '•', '»', '›', '|', '·', '*', '+', ' '])
        .trim_end_matches([':', '：', ' ', '|', '»', '›'])
        .to_string()
}

/// Whether every char of `s` is ASCII or a precomposed Latin/Vietnamese letter that is
/// NFC on its own with combining class 0 (then `s` is NFC; no table look-ups needed).
fn is_plain_nfc(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_ascii()
            || ('\u{C0}'..='\u{1B0}').contains(&c)
            || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
    })
}

static CHROME_EXACT: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        // sharing, printing, mailing
        "chia sẻ",
        "chia sẻ bài viết",
        "chia sẻ bài",
        "chia sẻ trang",
        "chia sẻ trên facebook",
        "chia sẻ facebook",
        "share",
        "share this",
        "chia se",
        "in bài viết",
        "in bài",
        "in trang",
        "in trang này",
        "bản in",
        "print",
        "print this page",
        "gửi email",
        "gửi e-mail",
        "gửi bài viết",
        "gửi bài viết qua email",
        "gửi cho bạn bè",
        "gửi bạn bè",
        "lưu bài viết",
        "email",
        "e-mail",
        "facebook",
        "twitter",
        "zalo",
        "linkedin",
        "pinterest",
        "google+",
        "tweet",
        "like",
        "bookmark",
        "copy link",
        "sao chép liên kết",
        // comments and feedback
        "phản hồi",
        "gửi phản hồi",
        "bình luận",
        "gửi bình luận",
        "viết bình luận",
        "ý kiến bạn đọc",
        "ý kiến của bạn",
        "gửi ý kiến",
        // navigation
        "đăng nhập",
        "đăng ký",
        "đăng xuất",
        "trang chủ",
        "home",
        "tìm kiếm",
        "search",
        "quay lại",
        "quay về",
        "trở về",
        "trở lại",
        "về đầu trang",
        "lên đầu trang",
        "về trang trước",
        "đầu trang",
        "back to top",
        "skip to content",
        "skip to main content",
        "chuyển đến nội dung",
        "bỏ qua nội dung",
        "menu",
        "language",
        "ngôn ngữ",
        "english",
        "tiếng việt",
        "sitemap",
        "sơ đồ trang",
        "sơ đồ site",
        "rss",
        "xem thêm",
        "đọc thêm",
        "đọc tiếp",
        "tags",
        "tag",
        "từ khóa",
        "từ khoá",
        "cỡ chữ",
        "font size",
        "a a a",
        "a- a a+",
        "a+ a a-",
        "bài trước",
        "bài sau",
        "bài tiếp theo",
        "tin trước",
        "tin sau",
        // counters (header lines)
        "view counter",
        "visitor counter",
        "thống kê truy cập",
        "bộ đếm truy cập",
        "lượt truy cập",
        "số lượt truy cập",
        "lượt xem",
        "số lượt xem",
        "đang truy cập",
        "đang online",
        "online",
        "trực tuyến",
    ]
    .into_iter()
    .collect()
});

static RELATED_MARKERS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "các tin khác",
        "tin khác",
        "tin tức khác",
        "tin liên quan",
        "các tin liên quan",
        "bài viết mới",
        "bài viết mới nhất",
        "bài viết liên quan",
        "bài liên quan",
        "bài viết khác",
        "các bài viết khác",
        "các bài khác",
        "bài viết cùng chuyên mục",
        "tin cùng chuyên mục",
        "cùng chuyên mục",
        "tin bài cùng chuyên mục",
        "tin mới",
        "tin mới nhất",
        "tin mới hơn",
        "tin cũ hơn",
        "các tin mới hơn",
        "các tin cũ hơn",
        "các tin đã đưa",
        "tin đã đưa",
        "các tin bài đã đưa",
        "tin đọc nhiều",
        "tin xem nhiều",
        "xem nhiều nhất",
        "đọc nhiều nhất",
        "tin nổi bật",
        "tin tiêu điểm",
        "tin bài khác",
        "related posts",
        "related articles",
        "related news",
        "recent posts",
        "more news",
    ]
    .into_iter()
    .collect()
});

/// Counter lines with a number: `Views Today : 198`, `Lượt xem: 1.234`.
static COUNTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:views?(?: today| yesterday| this (?:week|month|year)| last (?:week|month|year))?|total (?:views?|visitors?|visits?)|visitors?(?: today)?|who'?s online|lượt xem|số lượt xem|lượt truy cập|số lượt truy cập|tổng(?: số)?(?: lượt)? (?:truy cập|xem)|truy cập hôm nay|đang truy cập|đang online|đang trực tuyến|lượt đọc|lượt thích|lượt chia sẻ|đã xem)\s*[:：]?\s*\d[\d., ]*$",
    )
    .ok()
});

/// Lines that are counters only inside a counter block (`Hôm nay: 12` after `View Counter`).
static COUNTER_WEAK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:hôm nay|hôm qua|tuần này|tuần trước|tháng này|tháng trước|năm nay|năm trước|tất cả|tổng cộng|tổng|online|trực tuyến|khách|thành viên|truy cập|hits?|visits?|total)\s*[:：]?\s*\d[\d., ]*$",
    )
    .ok()
});

/// News time stamps: a date with a time and/or GMT+7.
static TIMESTAMP: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật|cn|t[2-7])\s*[,\-]?\s*)?(?:ngày\s*)?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\s*[,\-|]?\s*(?:lúc\s*)?(?:\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?\s*(?:am|pm|sa|ch)?)?\s*(?:\(?\s*gmt\s*\+\s*0?7(?::00)?\s*\)?)?$|^\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|sa|ch)?\s*[,\-|]?\s*(?:ngày\s*)?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\s*(?:\(?\s*gmt\s*\+\s*0?7(?::00)?\s*\)?)?$",
    )
    .ok()
});

/// Posting metadata: `Ngày đăng: 12/03/2021`, `Cập nhật lúc 08:30 ...`.
static POSTED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:ngày đăng|ngày cập nhật|cập nhật|cập nhật lúc|đăng ngày|đăng lúc|ngày xuất bản|thời gian đăng|ngày gửi|posted on|posted|published|updated)\b.*\d",
    )
    .ok()
});

const SHARE_TOKENS: &[&str] = &[
    "facebook",
    "twitter",
    "zalo",
    "linkedin",
    "pinterest",
    "messenger",
    "tweet",
    "share",
    "email",
    "e-mail",
    "print",
    "in",
    "google+",
    "google",
    "like",
    "chia",
    "sẻ",
    "gửi",
    "copy",
    "link",
    "0",
    "x",
];
const SOCIAL: &[&str] = &[
    "facebook",
    "twitter",
    "zalo",
    "linkedin",
    "pinterest",
    "messenger",
    "tweet",
    "google+",
];

fn is_counter(k: &str) -> bool {
    COUNTER.as_ref().is_some_and(|r| r.is_match(k))
}

fn is_related_marker(k: &str) -> bool {
    RELATED_MARKERS.contains(k)
}

fn is_number_line(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
}

/// Whole-line chrome (the key of a trimmed line of at most 250 characters).
fn is_chrome(k: &str) -> bool {
    if CHROME_EXACT.contains(k) {
        return true;
    }
    let len = k.chars().count();
    // Breadcrumbs: "Trang chủ > Tin tức > …".
    for home in ["trang chủ", "home", "trang nhất"] {
        if let Some(rest) = k.strip_prefix(home) {
            if rest
                .trim_start()
                .starts_with(['>', '»', '›', '/', '|', '-', '→'])
            {
                return true;
            }
        }
    }
    // Copyright lines.
    if len <= 200
        && (k.starts_with("copyright")
            || k.starts_with('©')
            || k.starts_with("(c) ")
            || k.starts_with("bản quyền")
            || k.contains("all rights reserved")
            || k.contains("bản quyền thuộc về")
            || k.starts_with("ghi rõ nguồn")
            || k.contains("ghi rõ nguồn khi phát hành lại"))
    {
        return true;
    }
    if len <= 80 {
        if k.contains("gmt+7") || k.contains("gmt +7") || k.contains("gmt + 7") {
            return true;
        }
        if TIMESTAMP.as_ref().is_some_and(|r| r.is_match(k))
            && (k.contains(':') || k.contains("gmt"))
        {
            return true;
        }
        if POSTED.as_ref().is_some_and(|r| r.is_match(k)) {
            return true;
        }
    }
    // A row of share buttons: "Facebook Twitter Zalo", "Chia sẻ: Facebook | Email".
    // (1 to 12 tokens, all share tokens, one of them social; stops at the first miss.)
    let tokens = k
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '·' | '•' | '/' | ',' | ':'))
        .filter(|t| !t.is_empty());
    let (mut count, mut social) = (0usize, false);
    for t in tokens {
        count += 1;
        if count > 12 || !SHARE_TOKENS.contains(&t) {
            return false;
        }
        social |= SOCIAL.contains(&t);
    }
    count > 0 && social
}

/// Prose: a long line, or a sentence-length line ending like a sentence.
fn is_content_like(line: &str) -> bool {
    let t = line.trim();
    let n = t.chars().count();
    if n >= 200 {
        return true;
    }
    n >= 60 && t.ends_with(['.', '!', '?', ':', ';', '…']) && !is_boilerplate_line(t)
}

/// `true` = keep the line.
fn boilerplate_mask(lines: &[&str]) -> Vec<bool> {
    let n = lines.len();
    let mut keep = vec![true; n];
    let mut in_counter = false;
    let mut i = 0;
    while i < n {
        let line = lines.get(i).map_or("", |l| l.trim());
        if line.is_empty() {
            i += 1;
            continue;
        }
        if line.chars().count() > 250 {
            in_counter = false;
            i += 1;
            continue;
        }
        let k = key(line);
        if is_related_marker(&k) {
            let rest_is_links = lines.iter().skip(i + 1).all(|l| !is_content_like(l));
            if rest_is_links {
                for slot in keep.iter_mut().skip(i) {
                    *slot = false;
                }
                break;
            }
            if let Some(slot) = keep.get_mut(i) {
                *slot = false;
            }
            i += 1;
            continue;
        }
        let drop = if is_counter(&k) || (CHROME_EXACT.contains(k.as_str()) && is_counter_header(&k))
        {
            in_counter = true;
            true
        } else if in_counter
            && (is_number_line(&k) || COUNTER_WEAK.as_ref().is_some_and(|r| r.is_match(&k)))
        {
            true
        } else {
            in_counter = false;
            is_chrome(&k)
        };
        if drop {
            if let Some(slot) = keep.get_mut(i) {
                *slot = false;
            }
        }
        i += 1;
    }
    keep
}

fn is_counter_header(k: &str) -> bool {
    matches!(
        k,
        "view counter"
            | "visitor counter"
            | "thống kê truy cập"
            | "bộ đếm truy cập"
            | "lượt truy cập"
            | "số lượt truy cập"
            | "lượt xem"
            | "số lượt xem"
            | "đang truy cập"
            | "đang online"
            | "online"
            | "trực tuyến"
    )
}

fn assemble(lines: &[&str], keep: &[bool], cap: usize) -> String {
    let mut out = String::with_capacity(cap);
    let mut blank_run = 0usize;
    let mut gap = 0usize;
    for (line, &k) in lines.iter().zip(keep) {
        if !k {
            gap = gap.max(blank_run);
            blank_run = 0;
            continue;
        }
        let t = line.trim_end();
        if t.trim_start().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            let blanks = gap.max(blank_run).min(2);
            for _ in 0..=blanks {
                out.push('\n');
            }
        }
        out.push_str(t);
        blank_run = 0;
        gap = 0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_and_invisibles() {
        assert_eq!(clean("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(
            clean("thi\u{200B}đua chuy\u{AD}ển \u{FEFF}x\u{200D}y"),
            "thi đua chuyển xy"
        );
        assert_eq!(clean("a \u{200B} b"), "a  b");
    }

    #[test]
    fn blank_lines() {
        assert_eq!(clean("\n\na  \n\n\n\n\nb\n\nc\n\n"), "a\n\n\nb\n\nc");
    }

    use proptest::prelude::*;

    /// The key as first written: NFC check on every char, `to_lowercase`, a vector of words.
    fn key_reference(line: &str) -> String {
        let nfc: Cow<'_, str> = if line.is_ascii() {
            Cow::Borrowed(line)
        } else {
            match is_nfc_quick(line.chars()) {
                IsNormalized::Yes => Cow::Borrowed(line),
                _ => Cow::Owned(line.nfc().collect()),
            }
        };
        let lower = nfc.to_lowercase();
        let joined = lower.split_whitespace().collect::<Vec<_>>().join(" ");
        joined
            .trim_start_matches(['-', '•', '»', '›', '|', '·', '*', '+', ' '])
            .trim_end_matches([':', '：', ' ', '|', '»', '›'])
            .to_string()
    }

    /// `normalise_chars` as first written, char by char.
    fn normalise_chars_reference(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    out.push('\n');
                }
                '\u{200B}' => {
                    let prev_visible = out.chars().next_back().is_some_and(|p| !p.is_whitespace());
                    let next_visible = chars
                        .peek()
                        .is_some_and(|&n| !n.is_whitespace() && n != '\u{200B}');
                    if prev_visible && next_visible {
                        out.push(' ');
                    }
                }
                c if is_dropped_invisible(c) => {}
                c => out.push(c),
            }
        }
        out
    }

    /// Chars that stress the key: marks, odd spaces, sigma, dotted I, bullets, invisibles.
    const CHARS: &str = "aZ Ổ\u{301}\u{323}ΣσςΑİıẞǅ\u{A0}\u{2003}\u{3000}\t\n-•»›|·*+:：\u{200B}\u{FEFF}\u{AD}\r\u{2000}Ω\u{212A}đĐưƯ1.,";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn key_is_the_reference_key(
            a in proptest::collection::vec(proptest::sample::select(CHARS.chars().collect::<Vec<_>>()), 0..30),
            any in "\\PC{0,12}",
        ) {
            let s: String = a.into_iter().collect::<String>() + &any;
            prop_assert_eq!(key(&s), key_reference(&s));
            let special = s
                .chars()
                .any(|c| c == '\r' || c == '\u{200B}' || is_dropped_invisible(c));
            prop_assert_eq!(has_special_char(&s), special);
            prop_assert_eq!(normalise_chars(&s), normalise_chars_reference(&s));
        }
    }

    #[test]
    fn plain_nfc_chars_are_nfc_with_class_zero() {
        use unicode_normalization::char::canonical_combining_class;
        for c in ('\u{0}'..='\u{7F}')
            .chain('\u{C0}'..='\u{1B0}')
            .chain('\u{1EA0}'..='\u{1EF9}')
        {
            assert!(is_plain_nfc(&c.to_string()));
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
    }

    #[test]
    fn share_rows() {
        assert!(is_chrome("facebook | twitter | zalo"));
        assert!(!is_chrome("chia sẻ | email"), "no social network");
        assert!(!is_chrome("facebook a b c"));
        assert!(!is_chrome(&"facebook ".repeat(13)), "more than 12 tokens");
        assert!(is_chrome(&"facebook ".repeat(12)));
    }

    #[test]
    fn keys() {
        assert_eq!(key("  Chia sẻ :"), "chia sẻ");
        assert_eq!(key("BÀI VIẾT CÙNG CHUYÊN MỤC"), "bài viết cùng chuyên mục");
    }
}
