//! What follows a citation: its date (`ngày 3 tháng 8 năm 2020`, `năm 2013`, a second
//! `và ngày …`) and its issuer (`của UBND tỉnh …`), and issuers in canonical form.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::date::PartialDate;
use crate::document::text::{self, floor_boundary, fold_chars};

use super::grammar::TYPEWORD;
use super::{Found, CTX};

static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*,?\s*(?:(?:được\s+)?ban\s+hành\s*)?(?:ngày|ngay)\s*(\d{1,2})\s*(?:tháng|thang|/|-|\.)\s*(\d{1,2})\s*(?:năm|nam|/|-|\.)\s*(\d{4})")
        .expect("built-in regex")
});

static YEAR_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*,?\s*(?:năm|nam)\s+((?:19|20)\d\d)\b").expect("built-in regex")
});

static AND_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*,?\s*và\s+(?:ngày|ngay)\s*(\d{1,2})\s*(?:tháng|/|-|\.)\s*(\d{1,2})\s*(?:năm|/|-|\.)\s*(\d{4})")
        .expect("built-in regex")
});

static OF_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*,?\s*của\s+").expect("built-in regex"));

static ISSUER_STOP_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\s(?:về|quy định|ban hành|phê duyệt|hướng dẫn|triển khai|thực hiện|tại|nhằm|ngày|năm|đã|được|theo|trên|trong|cho|đối với|giao|để|với|gửi|số|như|thì|là|nay|hiện|bằng|lần|khóa|khoá)(?:\s|$|[,.;:])|\s(?:và|hoặc)\s+(?:{TYPEWORD}|các|những|Luật|Nghị|ngày)(?:\s|$)|\s(?:{TYPEWORD})(?:\s|$)|[;,.()\n:“”\x22]"
    ))
    .expect("built-in regex")
});

static GAP_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:,|và|;)?\s*(?:và\s*)?$").expect("built-in regex"));

/// Years a citation's date may have.
const CITED_YEARS: std::ops::RangeInclusive<u16> = 1900..=2100;

/// The calendar day of a citation's `ngày D tháng M năm Y`; `None` when it does
/// not exist (`ngày 31 tháng 4`) or its year is implausible.
fn cited_day(d: &str, m: &str, y: &str) -> Option<PartialDate> {
    let y: u16 = y.parse().ok()?;
    if !CITED_YEARS.contains(&y) {
        return None;
    }
    PartialDate::from_ymd(y, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The year of a citation's `năm Y`.
pub(super) fn cited_year(y: &str) -> Option<PartialDate> {
    PartialDate::from_year(y.parse().ok()?).ok()
}

/// Parses the date and `của …` issuer right after a reference. `limit` = where the
/// next reference starts. Returns (date, extra dates, issuer, tail end).
fn parse_tail(
    norm: &str,
    end: usize,
    limit: usize,
) -> (Option<PartialDate>, Vec<PartialDate>, Option<String>, usize) {
    let wend = floor_boundary(norm, limit.min(end.saturating_add(400)));
    let win = norm.get(end..wend).unwrap_or("");
    let mut pos = 0;
    let mut date = None;
    let mut extra = Vec::new();
    let parse_date = |s: &str| -> Option<(PartialDate, usize)> {
        if let Some(c) = DATE_RE.captures(s) {
            let d = cited_day(c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str())?;
            return Some((d, c.get(0)?.end()));
        }
        let c = YEAR_RE.captures(s)?;
        Some((cited_year(c.get(1)?.as_str())?, c.get(0)?.end()))
    };
    if let Some((d, e)) = parse_date(win) {
        date = Some(d);
        pos = e;
        while let Some(c) = AND_DATE_RE.captures(&win[pos..]) {
            let (Some(a), Some(b), Some(y), Some(all)) = (c.get(1), c.get(2), c.get(3), c.get(0))
            else {
                break;
            };
            if let Some(d) = cited_day(a.as_str(), b.as_str(), y.as_str()) {
                extra.push(d);
            }
            pos += all.end();
        }
    }
    let mut issuer = None;
    if let Some(m) = OF_RE.find(&win[pos..]) {
        let istart = pos + m.end();
        let iend = issuer_end(win, istart);
        let raw = trim_issuer(&win[istart..iend]);
        if !raw.is_empty() {
            issuer = Some(canonical_issuer(raw));
            pos = iend;
            if date.is_none() {
                if let Some((d, e)) = parse_date(&win[pos..]) {
                    date = Some(d);
                    pos += e;
                }
            }
        }
    }
    (date, extra, issuer, end + pos)
}

/// Trims an issuer phrase: dangling conjunctions/punctuation, and anything after a
/// complete place name (`UBND tỉnh Kiên Giang phát động …` → `UBND tỉnh Kiên Giang`).
fn trim_issuer(raw: &str) -> &str {
    let mut end = raw.len();
    let mut seen_level = false;
    let mut seen_place = false;
    let mut prev_lower = String::new();
    for (i, w) in raw.split_whitespace().map(|w| {
        let off = w.as_ptr() as usize - raw.as_ptr() as usize;
        (off, w)
    }) {
        let lw = w.to_lowercase();
        let upper_initial = w.chars().next().is_some_and(char::is_uppercase);
        if seen_place && !upper_initial {
            end = i;
            break;
        }
        let level = matches!(
            lw.as_str(),
            "tỉnh" | "huyện" | "xã" | "phường" | "quận" | "phố" | "trấn"
        ) && !(lw == "phố" && prev_lower != "thành")
            || (lw == "ủy" || lw == "uỷ")
                && matches!(prev_lower.as_str(), "tỉnh" | "thành" | "huyện");
        if seen_level && upper_initial {
            seen_place = true;
        }
        if level {
            seen_level = true;
        }
        prev_lower = lw;
    }
    let mut s = raw[..end].trim();
    loop {
        let t = s
            .trim_end_matches([' ', ',', ';', '.', ':', '-', '\n'])
            .trim_end();
        let t = t
            .strip_suffix(" và")
            .or_else(|| t.strip_suffix(" hoặc"))
            .unwrap_or(t)
            .trim_end();
        if t.len() == s.len() {
            break;
        }
        s = t;
    }
    s
}

/// End of an issuer phrase starting at `start` in `win`.
fn issuer_end(win: &str, start: usize) -> usize {
    let mut from = start;
    // A known body name may contain stop characters (`Bộ Văn hóa, Thể thao và Du lịch`).
    let folded_rest = fold_chars(&win[start..]);
    if let Some((name, _)) = crate::document::issuers::known_name_prefix(&folded_rest) {
        let n = name.chars().count();
        if let Some((i, _)) = win[start..].char_indices().nth(n) {
            from = start + i;
        }
    }
    let mut end = win.len();
    let mut words = 0usize;
    let mut search = from;
    while let Some(m) = ISSUER_STOP_RE.find_at(win, search) {
        let s = m.as_str();
        // `TP.`, `Tp.` are abbreviations, not sentence ends.
        if s == "." {
            let before = win[..m.start()].to_lowercase();
            if before.ends_with("tp") {
                search = m.end();
                continue;
            }
        }
        end = m.start();
        break;
    }
    // Cap the length: an issuer is a short noun phrase.
    let mut cut = end;
    for (i, c) in win[start..end].char_indices() {
        if c.is_whitespace() && i > 0 {
            words += 1;
            if words >= 14 {
                cut = start + i;
                break;
            }
        }
    }
    cut
}

/// Canonical issuer text: abbreviations expanded, `Ủy` spelling, level words in
/// lower case, Party plenum/khóa stripped, joint issuers joined with ` + `, an unnamed
/// own province written `{ctx}`.
pub fn canonical_issuer(raw: &str) -> String {
    let collapsed: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = text::normalize_tones(collapsed.trim_end_matches([' ', ',', '.', ';', ':', '-']));
    let mut words = expand_abbreviations(&s);
    let folded: Vec<String> = words.iter().map(|w| fold_chars(w)).collect();
    fix_phrase_casing(&mut words, &folded);
    lower_level_words(&mut words, &folded);
    let out = strip_party_plenum(words.join(" "));
    let mut out = join_issuers(out);
    mark_own_province(&mut out);
    out
}

/// The words of `s`, abbreviations (`UBND`, `HĐND`, `TW` …) expanded.
fn expand_abbreviations(s: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in s.split(' ') {
        let expanded = match w.trim_end_matches('.') {
            "UBND" | "UBNN" => "Ủy ban nhân dân",
            "HĐND" | "HDND" => "Hội đồng nhân dân",
            "MTTQ" => "Mặt trận Tổ quốc",
            "MTTQVN" => "Mặt trận Tổ quốc Việt Nam",
            "BCH" => "Ban Chấp hành",
            "BTV" => "Ban Thường vụ",
            "TW" | "TƯ" => "Trung ương",
            "BCĐ" => "Ban Chỉ đạo",
            _ => w,
        };
        words.extend(expanded.split(' ').map(str::to_string));
    }
    words
}

/// Fixed phrases with canonical casing (`Ủy ban nhân dân`, `Ban Chấp hành` …);
/// `folded` holds the folded `words`.
fn fix_phrase_casing(words: &mut [String], folded: &[String]) {
    let phrases: [(&[&str], &[&str]); 3] = [
        (&["uy", "ban", "nhan", "dan"], &["Ủy", "ban", "nhân", "dân"]),
        (
            &["hoi", "dong", "nhan", "dan"],
            &["Hội", "đồng", "nhân", "dân"],
        ),
        (&["ban", "chap", "hanh"], &["Ban", "Chấp", "hành"]),
    ];
    for i in 0..words.len() {
        for (pat, rep) in &phrases {
            if folded.len() >= i + pat.len()
                && folded[i..i + pat.len()]
                    .iter()
                    .zip(pat.iter())
                    .all(|(a, b)| a == b)
            {
                for (k, r) in rep.iter().enumerate() {
                    words[i + k] = (*r).to_string();
                }
            }
        }
    }
}

/// Level words in lower case (not the first word, not `Tỉnh ủy`/`Thành ủy`);
/// `folded` holds the folded `words`.
fn lower_level_words(words: &mut [String], folded: &[String]) {
    for i in 1..words.len() {
        let lw = words[i].to_lowercase();
        let next = folded.get(i + 1).map(String::as_str).unwrap_or("");
        let next_lw = words
            .get(i + 1)
            .map(|w| w.to_lowercase())
            .unwrap_or_default();
        let is_level = matches!(lw.as_str(), "tỉnh" | "huyện" | "xã" | "phường" | "quận")
            && next != "uy"
            && folded[i - 1] != "thi";
        let is_two = (lw == "thành" && next_lw == "phố")
            || (lw == "thị" && (next_lw == "xã" || next_lw == "trấn"));
        if is_level || is_two {
            words[i] = words[i].to_lowercase();
            if is_two {
                if let Some(w) = words.get_mut(i + 1) {
                    *w = w.to_lowercase();
                }
            }
        }
    }
}

/// Party plenum / term stripped from the Central Committee.
fn strip_party_plenum(out: String) -> String {
    let fo = fold_chars(&out);
    if let Some(p) = fo.find("ban chap hanh trung uong") {
        if p == 0 || fo[..p].trim_end().ends_with("lan thu") || fo.starts_with("hoi nghi") {
            return "Ban Chấp hành Trung ương".to_string();
        }
    }
    out
}

/// Joint issuers: ` và ` before the head of another body (`Bộ `, `Ủy ban` …)
/// becomes ` + `.
fn join_issuers(out: String) -> String {
    let heads = [
        "Bộ ",
        "Ủy ban",
        "Sở ",
        "Ban ",
        "Hội đồng",
        "Tỉnh ủy",
        "Thành ủy",
        "Văn phòng",
        "Chính phủ",
        "Quốc hội",
        "Mặt trận",
        "Tổng ",
        "Cục ",
        "Liên đoàn",
        "Thủ tướng",
        "Công an",
        "Viện ",
        "Tòa án",
        "Kiểm toán",
        "Ngân hàng",
        "Thanh tra",
        "Trung ương",
    ];
    let parts: Vec<&str> = out.split(" và ").collect();
    if parts.len() > 1 {
        let mut joined = String::from(parts[0]);
        for p in &parts[1..] {
            if heads.iter().any(|h| p.starts_with(h)) {
                joined.push_str(" + ");
            } else {
                joined.push_str(" và ");
            }
            joined.push_str(p);
        }
        return joined;
    }
    out
}

/// Unnamed own province: a trailing `tỉnh`, `thành phố`, `Tỉnh ủy`, `Thành ủy`
/// gets `{ctx}`.
fn mark_own_province(out: &mut String) {
    let fo = fold_chars(out);
    if fo.ends_with(" tinh")
        || fo.ends_with(" thanh pho")
        || fo == "tinh uy"
        || fo.ends_with(" tinh uy")
        || fo == "thanh uy"
        || fo.ends_with(" thanh uy")
    {
        out.push(' ');
        out.push_str(CTX);
    }
}

/// Parses each citation's tail (dates, issuer), bounded by the next citation.
pub(super) fn attach_tails(norm: &str, found: &mut [Found]) {
    let starts: Vec<usize> = found.iter().map(|f| f.start).collect();
    for (i, f) in found.iter_mut().enumerate() {
        let limit = starts.get(i + 1).copied().unwrap_or(norm.len());
        let (date, extra, issuer, tail_end) = parse_tail(norm, f.end, limit);
        if f.date.is_none() {
            f.date = date;
        }
        f.extra_dates = extra;
        f.issuer = issuer;
        f.tail_end = tail_end;
    }
}

/// A trailing `của X` after a coordinated list applies to every item.
pub(super) fn share_list_issuer(norm: &str, found: &mut [Found]) {
    for i in (1..found.len()).rev() {
        if found[i].issuer.is_some() && found[i - 1].issuer.is_none() {
            let gap = norm
                .get(found[i - 1].tail_end..found[i].start)
                .unwrap_or(";");
            let gap_ok = GAP_RE.is_match(gap) && !gap.contains(';');
            if gap_ok {
                found[i - 1].issuer = found[i].issuer.clone();
            }
        }
    }
}
