//! Citations: the reference grammar of spec §1.4, canonical KEYs and fold keys
//! (§2.1–2.2), attached dates, issuers and relation verbs, and named references
//! without a number (`~NQ-HNTW:4/XII`, `~LUAT:thi-dua-khen-thuong`, `~HP`).
//!
//! [`extract_references`] finds every citation of a text, in order:
//!
//! ```
//! use kehoach::document::references::extract_references;
//!
//! let refs = extract_references(
//!     "Căn cứ Kế hoạch số 136/KH-UBND ngày 03/8/2020 của UBND tỉnh Kiên Giang;",
//! );
//! assert_eq!(refs[0].key, "136/KH-UBND");
//! assert_eq!(refs[0].fold, "136/kh/ubnd");
//! assert_eq!(refs[0].date.map(|d| d.to_string()).as_deref(), Some("2020-08-03"));
//! assert_eq!(refs[0].issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Kiên Giang"));
//! assert_eq!(refs[0].relation.as_deref(), Some("căn cứ"));
//! ```
//!
//! ## The grammar
//!
//! What a citation is, as the regexes of `grammar.rs`, `issuer.rs` and `named.rs`
//! read it (matching is case-insensitive; `_` is optional blanks, at most one line
//! break; the spec's §1.4 has the examples):
//!
//! ```text
//! citation   ::= relation? ( numbered | named ) trailer
//! relation   ::= "căn cứ" | "thực hiện" | "triển khai" | "thay thế" | "theo" | "nguồn"
//!                                               (the nearest before it in its sentence)
//! numbered   ::= ( typeword _ ( "số" _ ":"? _ )? )? ( party | state )
//! typeword   ::= "Luật" | "Nghị định" | "Nghị quyết" ("liên tịch")? | "Quyết định"
//!              | "Chỉ thị" | "Kế hoạch" ("liên tịch")? | "Công văn" | … | "NĐ" | "QĐ" | "KH" | …
//! party      ::= num _ "-" _ tok _ "/" _ tok ( _ "-" _ tok ){0,3}     34-CT/TW, 05-NQ/TU
//! state      ::= num _ "/" _ ( year _ "/" _ )? tok ( _ ("-"|"/") _ tok ){0,4}
//!                                                                 136/KH-UBND, 30/2020/NĐ-CP
//! num        ::= digit{1,5} letter?
//! year       ::= ("19" | "20") digit digit
//! tok        ::= letter ( letter | digit ){0,15}
//! named      ::= "Nghị quyết" ("Hội nghị")? ("Trung ương" | "TW") n ","? "khóa" roman
//!              | "Nghị quyết" ("Hội nghị")? ("lần thứ")? ordinal "Ban Chấp hành Trung ương" … "khóa" roman
//!              | "Nghị quyết Đại hội" … roman "của Đảng"
//!              | "Nghị quyết Đại hội" … "Đảng bộ" ("tỉnh" | "thành phố") name roman
//!              | "Hiến pháp" ("nước Cộng hòa xã hội chủ nghĩa Việt Nam")? ("năm" year)?
//!              | "Bộ luật"? "Luật" law-name
//! trailer    ::= ( ","? ("được"? "ban hành")? "ngày" d sep m sep yyyy
//!              | ","? "năm" year )? ( ","? "và ngày" d sep m sep yyyy )*
//!                ( ","? "của" issuer )?
//! sep        ::= "tháng" | "năm" | "/" | "-" | "."
//! issuer     ::= words up to a stop word (về, quy định, ban hành, …), a new
//!                citation or punctuation
//! ```
//!
//! A citation's **KEY** is the numbered part in official spelling (mixed case and
//! `Đ` restored, blanks removed, the year kept: `136/KH-UBND`, `30/2020/NĐ-CP`) or,
//! for a named one, `~KIND:detail` (`~NQ-HNTW:4/XII`, `~LUAT:dat-dai`, `~HP`). Its
//! **fold key** is the KEY folded with [`fold_key`] (lower case, `đ`→`d`, every run
//! of `-`/`/` one `/`): what joins citations to documents. [`fold_number`] takes a
//! number in any spelling a person types to that fold key.
//!
//! The work is split by what it reads: `grammar` (numbered citations, their KEY
//! and fold key: [`canonical_key`], [`fold_key`], [`fold_number`]), `issuer` (the date and `của …`
//! issuer after a citation, [`canonical_issuer`]), `named` (citations without a
//! number) and `dedup` ([`dedup_references`]); this file finds the citations of a
//! text and their sentences.

mod dedup;
mod grammar;
mod issuer;
mod named;

use std::sync::LazyLock;

use regex::Regex;

use super::date::PartialDate;
use super::text::{self, ceil_boundary, floor_boundary, Normalized};
use super::Reference;

pub use dedup::dedup_references;
pub use grammar::{canonical_key, fold_key, fold_number};
pub use issuer::canonical_issuer;
pub use named::describe_key;

use grammar::numbered;
use issuer::{attach_tails, share_list_issuer};
use named::named_refs;

/// Placeholder for the unnamed own province in an issuer (`Ủy ban nhân dân tỉnh {ctx}`).
pub const CTX: &str = "{ctx}";

static RELATION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(căn cứ|thực hiện|triển khai|thay thế|theo|nguồn)\b")
        .expect("built-in regex")
});

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

/// The [`Reference`]s of found citations, with spans in the original text, the
/// citing sentence and its relation verb; a citation with a second date (`ngày X
/// và ngày Y`) gives one reference per date.
fn to_references(n: &Normalized<'_>, province: Option<&str>, found: Vec<Found>) -> Vec<Reference> {
    let norm: &str = &n.text;
    let mut out = Vec::with_capacity(found.len());
    for f in found {
        let (sb, se) = sentence_bounds(norm, f.start, f.end);
        let relation = relation_in(norm.get(sb..f.start).unwrap_or(""));
        // The sentence as a person reads it: Markdown layout (`*Căn cứ …;*`) dropped.
        let sentence = collapse(&crate::document::markup::display(
            norm.get(sb..se).unwrap_or(""),
        ));
        let issuer = f.issuer.map(|i| match province {
            Some(p) => i.replace(CTX, p),
            None => i,
        });
        let fold = fold_key(&f.key);
        let written = collapse(norm.get(f.start..f.end).unwrap_or(""));
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
                written: written.clone(),
            });
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

    #[test]
    fn the_constitution_is_not_thuc_hien_phap_lenh() {
        let keys =
            |t: &str| -> Vec<String> { extract_references(t).into_iter().map(|r| r.key).collect() };
        assert!(keys("Thực hiện Pháp lệnh ưu đãi người có công với cách mạng;").is_empty());
        let r = extract_references("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].key, "~HP");
        assert_eq!(
            r[0].written,
            "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"
        );
        assert_eq!(keys("CĂN CỨ HIẾN PHÁP NĂM 2013"), ["~HP"]);
    }
}
