//! Citations: the reference grammar of spec §1.4, canonical KEYs and fold keys
//! (§2.1–2.2), attached dates, issuers and relation verbs, and named references
//! without a number (`~NQ-HNTW:4/XII`, `~LUAT:thi-dua-khen-thuong`, `~HP`).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::date::PartialDate;
use super::text::{self, ceil_boundary, floor_boundary, fold, fold_with_map, Normalized};
use super::Reference;

/// Placeholder for the unnamed own province in an issuer (`Ủy ban nhân dân tỉnh {ctx}`).
pub const CTX: &str = "{ctx}";

const TYPEWORD: &str = r"Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết(?:[ \t]+liên tịch)?|Thông tư(?:[ \t]+liên tịch)?|Quyết định|Chỉ thị|Kết luận|Quy định|Quy chế|Hướng dẫn|Thông báo(?:[ \t]+kết luận)?|Thông tri|Kế hoạch(?:[ \t]+liên tịch)?|Chương trình(?:[ \t]+hành động)?|Đề án|Dự án|Phương án|Báo cáo|Tờ trình|Công văn|Công điện|Văn bản|Lệnh|TTLT|NĐ|NQ|QĐ|TT|CT|KH|CV|KL|HD|TB|BC";

fn build_ref_re() -> String {
    let tok = r"\p{L}[\p{L}\p{N}]{0,15}";
    let num = r"\d{1,5}[A-Za-z]?";
    let s = r"[ \t]*\n?[ \t]*";
    let party = format!(
        r"(?P<pnum>{num}){s}-{s}(?P<ptype>{tok}){s}/{s}(?P<piss>{tok}(?:{s}-{s}{tok}){{0,3}})"
    );
    let state = format!(
        r"(?P<snum>{num}){s}/{s}(?:(?P<year>(?:19|20)\d\d){s}/{s})?(?P<stoks>{tok}(?:{s}[-/]{s}{tok}){{0,4}})"
    );
    // No `\b` (a Unicode word boundary stops the fast DFA on non-ASCII text); the
    // boundary before the type word is checked after the match.
    format!(r"(?i)(?:(?P<tw>{TYPEWORD}){s}(?:số{s}:?{s})?)?(?:{party}|{state})")
}

static REF_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&build_ref_re()).expect("built-in reference regex"));
/// The numbered part alone, anchored (run on a short slice at each candidate).
static NUMPART_RE: LazyLock<Regex> = LazyLock::new(|| {
    let r = build_ref_re();
    let i = r.find(")?(?:").map(|i| i + 2).unwrap_or(0);
    Regex::new(&format!("^{}", &r[i..])).expect("built-in reference regex")
});
/// A type word (and `số`) right before a number.
static TW_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let s = r"[ \t]*\n?[ \t]*";
    Regex::new(&format!(r"(?i)(?:{TYPEWORD}){s}(?:số{s}:?{s})?$")).expect("built-in regex")
});
static OWN_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\n|[ \t]{2,}|[|*])[ \t*]*Số[ \t]*:?[ \t]*$").expect("built-in regex")
});
static SEP_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[ \t]*\n?[ \t]*([-/])[ \t]*\n?[ \t]*").expect("built-in regex"));
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
static RELATION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(căn cứ|thực hiện|triển khai|thay thế|theo|nguồn)\b")
        .expect("built-in regex")
});
static GAP_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:,|và|;)?\s*(?:và\s*)?$").expect("built-in regex"));

const PARTY_TYPES: &[&str] = &[
    "NQ", "CT", "KL", "QĐ", "QĐi", "QC", "HD", "TB", "TT", "TTr", "BC", "KH", "CTr", "CV", "ĐA",
    "TC",
];
const PARTY_ISSUERS: &[&str] = &["TW", "TU", "ĐU", "HU", "QU", "ĐUK", "TƯ"];

/// Restores official mixed case and `Đ` in ASCII tokens (spec §2.1).
fn canon_token(t: &str) -> String {
    let up = t.to_uppercase();
    let fixed = match up.as_str() {
        "TTG" => "TTg",
        "CTR" => "CTr",
        "TTR" => "TTr",
        "QYĐ" | "QYD" => "QyĐ",
        "QĐI" | "QDI" => "QĐi",
        "TRS" => "TrS",
        "SNGV" => "SNgV",
        "ND" => "NĐ",
        "QD" => "QĐ",
        "HDND" => "HĐND",
        "HDTDKT" => "HĐTĐKT",
        "BGDDT" => "BGDĐT",
        "SGDDT" => "SGDĐT",
        "SKHDT" => "SKHĐT",
        "BKHDT" => "BKHĐT",
        "BLDTBXH" => "BLĐTBXH",
        "SLDTBXH" => "SLĐTBXH",
        "DU" => "ĐU",
        "DUK" => "ĐUK",
        "LDLD" => "LĐLĐ",
        "TDTN" => "TĐTN",
        "CDYT" => "CĐYT",
        "HDBCQG" => "HĐBCQG",
        "DDBQH" => "ĐĐBQH",
        "HDNN" => "HĐNN",
        "BCSD" => "BCSĐ",
        _ => return up,
    };
    fixed.to_string()
}

fn canon_num(n: &str) -> String {
    let digits: String = n.chars().filter(|c| c.is_ascii_digit()).collect();
    let suffix: String = n
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let trimmed = digits.trim_start_matches('0');
    let d = if trimmed.is_empty() { "0" } else { trimmed };
    format!("{d}{suffix}")
}

/// Splits a symbol into tokens and the separators between them, dropping spacing.
fn split_symbol(s: &str) -> (Vec<String>, Vec<char>) {
    let mut toks = Vec::new();
    let mut seps = Vec::new();
    let mut last = 0;
    for c in SEP_RE.captures_iter(s) {
        let (Some(m), Some(sep)) = (c.get(0), c.get(1)) else {
            continue;
        };
        toks.push(s[last..m.start()].trim().to_string());
        seps.push(sep.as_str().chars().next().unwrap_or('-'));
        last = m.end();
    }
    toks.push(s[last..].trim().to_string());
    (toks, seps)
}

/// Length (bytes, in `s`) of the symbol part that is credible: stops at a separator
/// with whitespace around it followed by a token that is not upper case, and at a
/// line-initial `-` (a list bullet).
fn credible_symbol_len(s: &str) -> usize {
    let mut end = s.len();
    for m in SEP_RE.find_iter(s) {
        let sep = m.as_str();
        let spaced = sep.trim() != sep;
        let bullet = sep.contains("\n") && {
            let before_nl = &sep[..sep.find('\n').unwrap_or(0)];
            !before_nl.contains(['-', '/'])
        };
        let next = &s[m.end()..];
        let next_tok: String = next.chars().take_while(|c| c.is_alphanumeric()).collect();
        let lower = next_tok.chars().filter(|c| c.is_lowercase()).count();
        let official_mixed = matches!(
            next_tok.as_str(),
            "TTg" | "CTr" | "TTr" | "QyĐ" | "QĐi" | "TrS" | "SNgV"
        );
        if bullet || (spaced && lower > 0 && !official_mixed) {
            end = m.start();
            break;
        }
    }
    end
}

/// A parsed numbered reference (before tails are attached).
struct Numbered {
    key: String,
}

fn key_from_caps(c: &Captures<'_>, base: usize) -> Option<(Numbered, usize)> {
    if let (Some(num), Some(ptype), Some(piss)) = (c.name("pnum"), c.name("ptype"), c.name("piss"))
    {
        let ty = canon_token(ptype.as_str().trim());
        if !PARTY_TYPES.contains(&ty.as_str()) {
            return None;
        }
        let len = credible_symbol_len(piss.as_str());
        let (toks, _) = split_symbol(&piss.as_str()[..len]);
        let iss: Vec<String> = toks.iter().map(|t| canon_token(t)).collect();
        return Some((
            Numbered {
                key: format!("{}-{}/{}", canon_num(num.as_str()), ty, iss.join("-")),
            },
            base + piss.start() + len,
        ));
    }
    let num = c.name("snum")?;
    let stoks = c.name("stoks")?;
    let len = credible_symbol_len(stoks.as_str());
    let (toks, seps) = split_symbol(&stoks.as_str()[..len]);
    let toks: Vec<String> = toks.iter().map(|t| canon_token(t)).collect();
    let year = c.name("year").map(|y| y.as_str());
    let n = canon_num(num.as_str());
    if year.is_none()
        && toks.len() == 2
        && seps.first() == Some(&'-')
        && PARTY_TYPES.contains(&toks[0].as_str())
        && PARTY_ISSUERS.contains(&toks[1].as_str())
    {
        return Some((
            Numbered {
                key: format!("{n}-{}/{}", toks[0], toks[1]),
            },
            base + stoks.start() + len,
        ));
    }
    let mut key = n;
    key.push('/');
    if let Some(y) = year {
        key.push_str(y);
        key.push('/');
    }
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            key.push(*seps.get(i - 1).unwrap_or(&'-'));
        }
        key.push_str(t);
    }
    Some((Numbered { key }, base + stoks.start() + len))
}

/// `fold(KEY)`: lower case, `đ`→`d`, marks stripped, every run of `-`/`/` → `/`
/// (`136/KH-UBND` → `136/kh/ubnd`, `34-CT/TW` → `34/ct/tw`).
pub fn fold_key(key: &str) -> String {
    let f = fold(key);
    let mut out = String::with_capacity(f.len());
    let mut prev_sep = false;
    for c in f.chars() {
        if c == '-' || c == '/' {
            if !prev_sep {
                out.push('/');
            }
            prev_sep = true;
        } else if !c.is_whitespace() {
            out.push(c);
            prev_sep = false;
        }
    }
    out
}

/// Canonical KEY of a user-typed or raw reference (`136/kh-ubnd`, `Kế hoạch số 136 /KH-UBND`,
/// `30/2020/ND-CP`, `34/CT-TW`); `None` when it is not a reference. Named keys
/// (`~NQ-HNTW:4/XII`) are passed through.
pub fn canonical_key(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.starts_with('~') {
        return Some(t.to_string());
    }
    let n = text::normalize(t);
    let s = n.text.trim();
    let c = REF_RE.captures(s)?;
    let m = c.get(0)?;
    if !s[..m.start()].trim().is_empty() {
        return None;
    }
    key_from_caps(&c, 0).map(|(k, _)| k.key)
}

struct Found {
    /// span in normalized text
    start: usize,
    end: usize,
    key: String,
    /// end of the date/issuer tail in normalized text
    tail_end: usize,
    date: Option<PartialDate>,
    issuer: Option<String>,
    /// a second date (`… ngày X và ngày Y`) makes a second reference.
    extra_dates: Vec<PartialDate>,
}

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
fn cited_year(y: &str) -> Option<PartialDate> {
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
    let folded_rest = fold(&win[start..]);
    if let Some((name, _)) = super::issuers::known_name_prefix(&folded_rest) {
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
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    // Fixed phrases with canonical casing.
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
    // Level words in lower case (not the first word, not `Tỉnh ủy`/`Thành ủy`).
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
    let mut out = words.join(" ");
    // Party plenum / term stripped from the Central Committee.
    let fo = fold(&out);
    if let Some(p) = fo.find("ban chap hanh trung uong") {
        if p == 0 || fo[..p].trim_end().ends_with("lan thu") || fo.starts_with("hoi nghi") {
            out = "Ban Chấp hành Trung ương".to_string();
        }
    }
    // Joint issuers.
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
        out = joined;
    }
    // Unnamed own province.
    let fo = fold(&out);
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
    out
}

/// Boundaries of the sentence around `[start, end)` in `s`.
fn sentence_bounds(s: &str, start: usize, end: usize) -> (usize, usize) {
    let lo = floor_boundary(s, start.saturating_sub(400));
    let b = s.as_bytes();
    let is_break = |i: usize| -> bool {
        // position i is the first byte of a new sentence
        if i == 0 {
            return true;
        }
        let prev = b[i - 1];
        if prev == b'\n' {
            // New line: a break when the line starts like a new sentence/item.
            let rest = &s[i..];
            let t = rest.trim_start_matches([' ', '\t', '*', '|', '#', '>']);
            let Some(c) = t.chars().next() else {
                return true;
            };
            return c == '\n'
                || c.is_uppercase()
                || c == '-'
                || c == '+'
                || c == '•'
                || (c.is_ascii_digit()
                    && t.trim_start_matches(|c: char| c.is_ascii_digit())
                        .starts_with(['.', ')']));
        }
        if (prev == b' ' || prev == b'\n') && i >= 2 {
            let p2 = b[i - 2];
            return matches!(p2, b'.' | b'!' | b'?');
        }
        false
    };
    let mut sb = lo;
    let mut i = start.min(s.len());
    while i > lo {
        if s.is_char_boundary(i) && is_break(i) {
            sb = i;
            break;
        }
        i -= 1;
    }
    let hi = ceil_boundary(s, end.saturating_add(400));
    let mut se = hi;
    let mut j = end.min(s.len());
    while j < hi {
        if s.is_char_boundary(j) && j > end && is_break(j) {
            se = j;
            break;
        }
        j += 1;
    }
    (sb, se)
}

/// The relation verb nearest before a reference in its sentence; `theo` and
/// `nguồn` only count right before it (`(Nguồn Kế hoạch số …)`, `theo Chỉ thị …`).
fn relation_in(prefix: &str) -> Option<String> {
    RELATION_RE
        .find_iter(prefix)
        .filter(|m| {
            let v = m.as_str().to_lowercase();
            let close = prefix.len() - m.end() <= 40;
            !(v == "theo" || v == "nguồn") || close
        })
        .last()
        .map(|m| m.as_str().to_lowercase())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------- named references

const ROMAN: &str = r"[ivxl]{1,6}";
const ORD: &str = r"muoi lam|muoi bon|muoi ba|muoi hai|muoi mot|muoi|nhat|mot|hai|ba|tu|nam|sau|bay|tam|chin|\d{1,2}";

static NAMED_RE: LazyLock<Regex> = LazyLock::new(|| {
    let p = format!(
        r"(?-u:\b)(?:(?P<hn1>(?:nghi quyet|nq)\s+(?:hoi nghi\s+)?(?:trung uong|tw)\s*(?P<hn1n>\d{{1,2}})\s*,?\s*\(?\s*khoa\s+(?P<hn1k>{ROMAN})\b)|(?P<hn2>nghi quyet\s+(?:hoi nghi\s+)?(?:lan thu\s+)?(?P<hn2n>{ORD})\s+(?:ban chap hanh trung uong|bch trung uong|bchtw|bch tw|trung uong)(?:\s+dang)?\s*,?\s*\(?\s*khoa\s+(?P<hn2k>{ROMAN})\b)|(?P<dhtw>nghi quyet\s+dai hoi\s+(?:dai bieu\s+)?(?:toan quoc\s+)?(?:lan thu\s+)?(?P<dhtwk>{ROMAN})\s+cua\s+dang\b)|(?P<dhtu>nghi quyet\s+dai hoi\s+(?:dai bieu\s+)?dang bo\s+(?:tinh|thanh pho)(?:\s+[a-z]+){{0,3}}?\s+(?:lan thu\s+)?(?P<dhtuk>{ROMAN})\b)|(?P<hp>hien phap\b(?:\s+nuoc\s+cong hoa xa hoi chu nghia viet nam)?(?:\s+nam\s+(?P<hpy>(?:19|20)\d\d))?)|(?P<luat>(?:bo\s+)?luat)\s+)"
    );
    Regex::new(&p).expect("built-in named-reference regex")
});

/// Law names that contain commas or `và` (the heuristic would cut them), folded.
const LAW_NAMES: &[&str] = &[
    "thi dua, khen thuong",
    "can bo, cong chuc",
    "phong, chong tham nhung",
    "thuc hanh tiet kiem, chong lang phi",
    "the duc, the thao",
    "khieu nai, to cao",
    "thue xuat khau, thue nhap khau",
    "phong, chong ma tuy",
    "bao ve, cham soc va giao duc tre em",
    "phong, chong thien tai",
    "phong, chong tac hai cua thuoc la",
    "phong, chong tac hai cua ruou, bia",
    "phong, chong bao luc gia dinh",
    "phong, chong mua ban nguoi",
    "phong, chong rua tien",
    "phong, chong benh truyen nhiem",
    "kham benh, chua benh",
    "phong chay, chua chay va cuu nan, cuu ho",
    "phong chay, chua chay",
    "phong chay va chua chay",
    "bau cu dai bieu quoc hoi va dai bieu hoi dong nhan dan",
    "to chuc hoi dong nhan dan va uy ban nhan dan",
    "khoa hoc va cong nghe",
    "hon nhan va gia dinh",
    "bao ve va phat trien rung",
    "ky ket, gia nhap va thuc hien dieu uoc quoc te",
    "hoat dong giam sat cua quoc hoi va hoi dong nhan dan",
    "tieu chuan va quy chuan ky thuat",
    "bao ve va kiem dich thuc vat",
    "an toan, ve sinh lao dong",
    "quan ly, su dung tai san cong",
    "ban hanh van ban quy pham phap luat",
    "pho bien, giao duc phap luat",
    "trat tu, an toan giao thong duong bo",
    "tin nguong, ton giao",
    "su dung nang luong tiet kiem va hieu qua",
    "to chuc chinh quyen dia phuong",
    "to chuc chinh phu",
    "to chuc quoc hoi",
    "thuc hien dan chu o co so",
    "xu ly vi pham hanh chinh",
    "hoa giai o co so",
    "ngan sach nha nuoc",
    "dau tu cong",
    "quy hoach",
    "quan ly thue",
];

const LAW_STOPS: &[&str] = &[
    "ngay", "so", "cua", "ve", "da", "duoc", "quy", "hien", "co", "nay", "huong", "thi", "trong",
    "tai", "de", "theo", "doi", "nhu", "khi", "ma", "voi", "thuoc", "dieu", "khoan", "diem", "nam",
    "va", "hoac", "cac", "nhung", "sua", "quy", "ban", "la", "phai", "den", "tu", "tren", "duoi",
];

fn slug(folded: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Parses a law name at `pos` of the folded text; returns (folded name, end).
fn law_name(folded: &str, pos: usize) -> Option<(String, usize)> {
    let rest = folded.get(pos..)?;
    for n in LAW_NAMES {
        if let Some(after) = rest.strip_prefix(n) {
            if after.is_empty() || !after.starts_with(|c: char| c.is_alphanumeric()) {
                return Some(((*n).to_string(), pos + n.len()));
            }
        }
    }
    let mut end = pos;
    let mut words = 0;
    let mut it = rest.char_indices().peekable();
    let mut word_start = 0;
    let mut cur = String::new();
    loop {
        let next = it.next();
        let c = next.map(|x| x.1);
        if let Some(ch) = c {
            if ch.is_alphanumeric() {
                if cur.is_empty() {
                    word_start = next.map(|x| x.0).unwrap_or(0);
                }
                cur.push(ch);
                continue;
            }
        }
        if !cur.is_empty() {
            let stop = (words > 0 && LAW_STOPS.contains(&cur.as_str()))
                || cur.chars().next().is_some_and(|c| c.is_ascii_digit());
            if stop {
                break;
            }
            words += 1;
            end = pos + word_start + cur.len();
            cur.clear();
            if words >= 10 {
                break;
            }
        }
        match c {
            Some(' ') | Some('\t') => {}
            _ => break,
        }
    }
    if words == 0 {
        return None;
    }
    Some((folded[pos..end].to_string(), end))
}

fn ordinal(s: &str) -> Option<u32> {
    Some(match s {
        "nhat" | "mot" => 1,
        "hai" => 2,
        "ba" => 3,
        "tu" => 4,
        "nam" => 5,
        "sau" => 6,
        "bay" => 7,
        "tam" => 8,
        "chin" => 9,
        "muoi" => 10,
        "muoi mot" => 11,
        "muoi hai" => 12,
        "muoi ba" => 13,
        "muoi bon" => 14,
        "muoi lam" => 15,
        d => d.parse().ok()?,
    })
}

/// A named reference: (start, end, key, date), in offsets of the text searched.
type NamedRef = (usize, usize, String, Option<PartialDate>);

/// Named references in normalized text, as (start, end, key, date) in normalized offsets.
fn named_refs(norm: &str) -> Vec<NamedRef> {
    let mut out = Vec::new();
    // Cheap pre-filter on the accented text.
    let lower_has = |needle: &str| norm.contains(needle);
    if !(lower_has("uật")
        || lower_has("UẬT")
        || lower_has("ghị quyết")
        || lower_has("GHỊ QUYẾT")
        || lower_has("NQ")
        || lower_has("iến pháp")
        || lower_has("IẾN PHÁP"))
    {
        return out;
    }
    let (folded, map) = fold_with_map(norm);
    let to_norm = |i: usize| map.get(i).copied().unwrap_or(norm.len());
    let mut pos = 0;
    while let Some(c) = NAMED_RE.captures_at(&folded, pos) {
        let Some(m) = c.get(0) else { break };
        let mut next_pos = m.end().max(pos + 1);
        let found = match c.name("luat") {
            Some(l) => {
                let upper = norm[to_norm(m.end())..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
                let (found, name_end) = named_law(&folded, l, m.end(), upper);
                next_pos = name_end.unwrap_or(next_pos);
                found
            }
            None => named_resolution_or_constitution(&c, &folded),
        };
        if let Some((s, e, key, date)) = found {
            next_pos = next_pos.max(e);
            out.push((to_norm(s), to_norm(e), key, date));
        }
        pos = ceil_boundary(&folded, next_pos);
        if pos >= folded.len() {
            break;
        }
    }
    out
}

/// A Party resolution named by its plenum or congress (`Nghị quyết Trung ương 4
/// khóa XII` → `~NQ-HNTW:4/XII`), or the Constitution (`~HP`, with its year), in a
/// match of [`NAMED_RE`] over folded text.
fn named_resolution_or_constitution(c: &Captures<'_>, folded: &str) -> Option<NamedRef> {
    let m = c.get(0)?;
    let whole = |key: String| Some((m.start(), m.end(), key, None));
    if let (Some(_), Some(n), Some(k)) = (c.name("hn1"), c.name("hn1n"), c.name("hn1k")) {
        let n: u32 = n.as_str().parse().unwrap_or(0);
        whole(format!("~NQ-HNTW:{n}/{}", k.as_str().to_uppercase()))
    } else if let (Some(_), Some(n), Some(k)) = (c.name("hn2"), c.name("hn2n"), c.name("hn2k")) {
        let n = ordinal(&collapse(n.as_str()))?;
        whole(format!("~NQ-HNTW:{n}/{}", k.as_str().to_uppercase()))
    } else if let (Some(_), Some(k)) = (c.name("dhtw"), c.name("dhtwk")) {
        whole(format!("~NQ-ĐH:TW/{}", k.as_str().to_uppercase()))
    } else if let (Some(_), Some(k)) = (c.name("dhtu"), c.name("dhtuk")) {
        whole(format!("~NQ-ĐH:TU/{}", k.as_str().to_uppercase()))
    } else {
        let hp = c.name("hp")?;
        let after = &folded[hp.end()..];
        (!after.trim_start().starts_with("nay")).then(|| {
            (
                hp.start(),
                hp.end(),
                "~HP".to_string(),
                c.name("hpy").and_then(|y| cited_year(y.as_str())),
            )
        })
    }
}

/// A law named without its number (`Luật Thi đua, khen thưởng` →
/// `~LUAT:thi-dua-khen-thuong`, an amending law → `~LUAT:sua-doi-…-luat-…`) at the
/// `luat` group `l` of a [`NAMED_RE`] match in folded text whose name starts at
/// `name_pos`; `upper` = the name starts with a capital in the original. Returns
/// the reference and where its name ends (the search resumes there).
fn named_law(
    folded: &str,
    l: regex::Match<'_>,
    name_pos: usize,
    upper: bool,
) -> (Option<NamedRef>, Option<usize>) {
    let before = folded[..l.start()].trim_end();
    let amend = "sua doi, bo sung mot so dieu cua ";
    if before.ends_with("phap") || before.ends_with("du") {
        // `pháp luật`, `dự luật`: generic.
        return (None, None);
    }
    if folded[name_pos..].starts_with(amend) {
        let p = name_pos + amend.len();
        let inner = &folded[p..];
        let skip = if inner.starts_with("cac luat ") {
            9
        } else if inner.starts_with("luat ") {
            5
        } else {
            return (None, None);
        };
        return match law_name(folded, p + skip) {
            Some((name, e)) => (
                Some((
                    l.start(),
                    e,
                    format!("~LUAT:sua-doi-bo-sung-mot-so-dieu-cua-luat-{}", slug(&name)),
                    None,
                )),
                Some(e),
            ),
            None => (None, None),
        };
    }
    if !upper {
        return (None, None);
    }
    let Some((name, e)) = law_name(folded, name_pos) else {
        return (None, None);
    };
    let after = folded[e..].trim_start_matches([' ', ',', '\t', '\n']);
    let numbered = after.starts_with("so ")
        || after.starts_with("so:")
        || after.starts_with(|c: char| c.is_ascii_digit());
    let bo = l.as_str().starts_with("bo");
    let found = (!numbered && name != "nay").then(|| {
        let prefix = if bo { "bo-luat-" } else { "" };
        (l.start(), e, format!("~LUAT:{prefix}{}", slug(&name)), None)
    });
    (found, Some(e))
}

// ---------------------------------------------------------------- extraction

/// Every citation in a text (numbered and named), in order of appearance, with the
/// unnamed own province left as `{ctx}`. Spans are byte offsets into `text`.
pub fn extract_references(text: &str) -> Vec<Reference> {
    extract_references_in(text, None)
}

/// Like [`extract_references`], with `{ctx}` in issuers replaced by `province`.
pub fn extract_references_in(text: &str, province: Option<&str>) -> Vec<Reference> {
    let n = text::normalize(text);
    extract_normalized(&n, province)
}

/// Every citation of a normalized text, in order of appearance, with `{ctx}` in
/// issuers replaced by `province`: numbered ones ([`numbered`]), named ones that do
/// not overlap them ([`named_refs`]), each with its date and issuer tail.
pub(crate) fn extract_normalized(n: &Normalized<'_>, province: Option<&str>) -> Vec<Reference> {
    let norm: &str = &n.text;
    let mut found = numbered(norm);
    for (s, e, key, date) in named_refs(norm) {
        if found.iter().any(|f| s < f.end && f.start < e) {
            continue;
        }
        found.push(Found {
            start: s,
            end: e,
            key,
            tail_end: e,
            date,
            issuer: None,
            extra_dates: Vec::new(),
        });
    }
    found.sort_by_key(|f| f.start);
    attach_tails(norm, &mut found);
    share_list_issuer(norm, &mut found);
    to_references(n, province, found)
}

/// Numbered citations. Candidates are a `/` or `-` right after a number (spacing
/// allowed); the grammar is then run anchored on a short slice
/// ([`numbered_at`]), and the type word looked up just before.
fn numbered(norm: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut next_free = 0usize;
    for (i, &b) in norm.as_bytes().iter().enumerate() {
        if (b != b'/' && b != b'-') || i < next_free {
            continue;
        }
        if let Some(f) = numbered_at(norm, i) {
            next_free = f.end;
            found.push(f);
        }
    }
    found
}

/// The numbered citation whose number ends right before the separator at byte
/// `i`, if the text there is one (and not the document's own `Số:` number).
fn numbered_at(norm: &str, i: usize) -> Option<Found> {
    let bytes = norm.as_bytes();
    let mut j = i;
    while j > 0 && matches!(bytes[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    if j > 0 && bytes[j - 1] == b'\n' {
        j -= 1;
        while j > 0 && matches!(bytes[j - 1], b' ' | b'\t') {
            j -= 1;
        }
    }
    let mut k = j;
    if k > 0 && bytes[k - 1].is_ascii_alphabetic() {
        k -= 1;
    }
    let digits_end = k;
    while k > 0 && bytes[k - 1].is_ascii_digit() && digits_end - k < 5 {
        k -= 1;
    }
    if k == digits_end {
        return None;
    }
    let num_start = k;
    let slice_end = floor_boundary(norm, i + 200);
    let c = NUMPART_RE.captures(&norm[num_start..slice_end])?;
    let lb = floor_boundary(norm, num_start.saturating_sub(64));
    let tw_start = TW_BEFORE_RE
        .find(&norm[lb..num_start])
        .map(|m| lb + m.start())
        .filter(|&s| {
            !norm[..s]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        });
    let tw = tw_start.is_some();
    if !tw {
        let prev = norm[..num_start].chars().next_back();
        if prev.is_some_and(|p| p.is_alphanumeric() || "/.:-_".contains(p)) {
            return None;
        }
        if OWN_BEFORE_RE.is_match(&norm[lb..num_start]) {
            return None;
        }
    }
    if c.name("snum").is_some() && c.name("year").is_none() && !tw {
        let stoks = c.name("stoks").map(|s| s.as_str()).unwrap_or("");
        let len = credible_symbol_len(stoks);
        if !stoks[..len].contains(['-', '/']) {
            return None;
        }
    }
    let (k, end) = key_from_caps(&c, num_start)?;
    Some(Found {
        start: tw_start.unwrap_or(num_start),
        end,
        key: k.key,
        tail_end: end,
        date: None,
        issuer: None,
        extra_dates: Vec::new(),
    })
}

/// Parses each citation's tail (dates, issuer), bounded by the next citation.
fn attach_tails(norm: &str, found: &mut [Found]) {
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
fn share_list_issuer(norm: &str, found: &mut [Found]) {
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

/// The [`Reference`]s of found citations, with spans in the original text, the
/// citing sentence and its relation verb; a citation with a second date (`ngày X
/// và ngày Y`) gives one reference per date.
fn to_references(n: &Normalized<'_>, province: Option<&str>, found: Vec<Found>) -> Vec<Reference> {
    let norm: &str = &n.text;
    let mut out = Vec::with_capacity(found.len());
    for f in found {
        let (sb, se) = sentence_bounds(norm, f.start, f.end);
        let relation = relation_in(norm.get(sb..f.start).unwrap_or(""));
        let sentence = collapse(norm.get(sb..se).unwrap_or(""));
        let issuer = f.issuer.map(|i| match province {
            Some(p) => i.replace(CTX, p),
            None => i,
        });
        let fold = fold_key(&f.key);
        let start = n.to_orig(f.start);
        let end = n.to_orig(f.end);
        for d in std::iter::once(f.date).chain(f.extra_dates.iter().copied().map(Some)) {
            out.push(Reference {
                key: f.key.clone(),
                fold: fold.clone(),
                date: d,
                issuer: issuer.clone(),
                relation: relation.clone(),
                start,
                end,
                sentence: sentence.clone(),
            });
        }
    }
    out
}

/// Merges repeated citations of one KEY into the most complete tuple (spec §2.3),
/// keeping apart two citations of one KEY with different dates (`26-NQ/TW` of 2008
/// and of 2018). Order of first appearance is kept.
pub fn dedup_references(refs: &[Reference]) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for r in refs {
        let slots = by_key.entry(r.key.clone()).or_default();
        let mut merged = false;
        for &i in slots.iter() {
            let Some(o) = out.get_mut(i) else { continue };
            let compatible = o.date.is_none() || r.date.is_none() || o.date == r.date;
            if compatible {
                if o.date.is_none() {
                    o.date = r.date;
                }
                if o.issuer.is_none() {
                    o.issuer = r.issuer.clone();
                }
                if o.relation.is_none() {
                    o.relation = r.relation.clone();
                }
                merged = true;
                break;
            }
        }
        if !merged {
            slots.push(out.len());
            out.push(r.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_keys() {
        assert_eq!(canonical_key("136/kh-ubnd").as_deref(), Some("136/KH-UBND"));
        assert_eq!(
            canonical_key("30/2020/ND-CP").as_deref(),
            Some("30/2020/NĐ-CP")
        );
        assert_eq!(canonical_key("34/CT-TW").as_deref(), Some("34-CT/TW"));
        assert_eq!(canonical_key("05-CT/TW").as_deref(), Some("5-CT/TW"));
        assert_eq!(canonical_key("1719/QĐ-TTG").as_deref(), Some("1719/QĐ-TTg"));
        assert_eq!(
            canonical_key("Kế hoạch số 136 /KH-UBND").as_deref(),
            Some("136/KH-UBND")
        );
        assert_eq!(canonical_key("hello"), None);
        assert_eq!(fold_key("136/KH-UBND"), "136/kh/ubnd");
        assert_eq!(fold_key("2/KH/CCB-VSP"), fold_key("2/KH-CCB-VSP"));
    }

    #[test]
    fn issuers_canonical() {
        assert_eq!(canonical_issuer("UBND tỉnh"), "Ủy ban nhân dân tỉnh {ctx}");
        assert_eq!(
            canonical_issuer("UBND Tỉnh Kiên Giang"),
            "Ủy ban nhân dân tỉnh Kiên Giang"
        );
        assert_eq!(
            canonical_issuer("Bộ Tư pháp và Bộ Nội vụ"),
            "Bộ Tư pháp + Bộ Nội vụ"
        );
        assert_eq!(
            canonical_issuer("Bộ Kế hoạch và Đầu tư"),
            "Bộ Kế hoạch và Đầu tư"
        );
    }

    #[test]
    fn list_and_tail() {
        let r = extract_references(
            "thực hiện các Quyết định số 1719/QĐ-TTg, 263/QĐ-TTg và 90/QĐ-TTg của Thủ tướng Chính phủ",
        );
        assert_eq!(r.len(), 3);
        assert!(r
            .iter()
            .all(|x| x.issuer.as_deref() == Some("Thủ tướng Chính phủ")));
        assert_eq!(r[0].relation.as_deref(), Some("thực hiện"));
    }

    #[test]
    fn own_number_is_not_a_citation() {
        assert!(extract_references("Số: 325 /KH-SCT\n\nKiên Giang").is_empty());
    }
}
