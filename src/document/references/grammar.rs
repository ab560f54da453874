//! The grammar of numbered citations (spec §1.4): `Kế hoạch số 136/KH-UBND`,
//! `Chỉ thị 34-CT/TW`, `30/2020/NĐ-CP`; their canonical KEY and fold key (§2.1–2.2).

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::document::text::{self, floor_boundary, fold_chars};

use super::Found;

pub(super) const TYPEWORD: &str = r"Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết(?:[ \t]+liên tịch)?|Thông tư(?:[ \t]+liên tịch)?|Quyết định|Chỉ thị|Kết luận|Quy định|Quy chế|Hướng dẫn|Thông báo(?:[ \t]+kết luận)?|Thông tri|Kế hoạch(?:[ \t]+liên tịch)?|Chương trình(?:[ \t]+hành động)?|Đề án|Dự án|Phương án|Báo cáo|Tờ trình|Công văn|Công điện|Văn bản|Lệnh|TTLT|NĐ|NQ|QĐ|TT|CT|KH|CV|KL|HD|TB|BC";

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

/// Fold key of a document number as a person or a document writes it, any spelling:
/// its canonical KEY ([`canonical_key`]) folded with [`fold_key`]; text that is not a
/// number is folded as it is. The key every join on numbers uses (index, search,
/// citation resolution).
///
/// ```
/// use kehoach::document::references::fold_number;
/// assert_eq!(fold_number("09/2021/QĐ-UBND"), "9/2021/qd/ubnd");
/// assert_eq!(fold_number("136 / KH – UBND"), "136/kh/ubnd");
/// ```
pub fn fold_number(written: &str) -> String {
    match canonical_key(written) {
        Some(k) => fold_key(&k),
        None => fold_key(written),
    }
}

/// `fold_chars(KEY)`: lower case, `đ`→`d`, marks stripped, every run of `-`/`/` → `/`
/// (`136/KH-UBND` → `136/kh/ubnd`, `34-CT/TW` → `34/ct/tw`).
pub fn fold_key(key: &str) -> String {
    let f = fold_chars(key);
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
    // Every numbered reference holds a digit: most words typed in a query hold
    // none, and are answered before the grammar runs.
    if !t.chars().any(char::is_numeric) {
        return None;
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

/// Numbered citations. Candidates are a `/` or `-` right after a number (spacing
/// allowed); the grammar is then run anchored on a short slice
/// ([`numbered_at`]), and the type word looked up just before.
pub(super) fn numbered(norm: &str) -> Vec<Found> {
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
