//! What kind of change an edit inside a reused passage is.
//!
//! Copied plans change the same few things: the dates and deadlines, the targets
//! (numbers), the place, the organisation in charge. An edit is classified by its
//! words on both sides and the words just before it, in this order:
//! * **date** — digits, and either a date shape (`15/3`, `15/3/2020`, a year
//!   1900–2099) or `ngày`, `tháng`, `năm` just before;
//! * **number** — otherwise digits on both sides (or on the one side that has words),
//!   or a Roman numeral on both (`lần thứ XIII` / `lần thứ X`);
//! * **place** — a province named (with the words around the edit) on one side and
//!   not the same on the other, or a unit word (`tỉnh`, `huyện`, `xã`…) just before;
//! * **organisation** — an organisation word (`Sở`, `Ủy ban`, `UBND`, `Phòng`…) in
//!   the edit or just before it;
//! * **other** words.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::document::places::{first_bare, mentions, stream_form};

/// The kind of an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// A date or a deadline.
    Date,
    /// A number (a target, a count, an amount).
    Number,
    /// A province or a place below it.
    Place,
    /// An organisation.
    Organisation,
    /// Other words.
    Other,
}

impl EditKind {
    /// The name used in JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            EditKind::Date => "date",
            EditKind::Number => "number",
            EditKind::Place => "place",
            EditKind::Organisation => "organisation",
            EditKind::Other => "other",
        }
    }
}

static DATE_SHAPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?|(?:19|20)\d\d)\s*$")
        .expect("built-in regex")
});
static DATE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(ngày|tháng|năm|quý)\s*$").expect("built-in regex"));
static UNIT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|ấp|thôn|bản)\s*$")
        .expect("built-in regex")
});
static ORG_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|\s)(sở|ban|ủy ban|uỷ ban|ubnd|hđnd|phòng|bộ|cục|chi cục|tổng cục|trung tâm|hội|đoàn|công ty|trường|viện|văn phòng|mặt trận|đảng ủy|đảng uỷ|công an|quân sự)(\s|$)",
    )
    .expect("built-in regex")
});

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
}

/// A Roman numeral as documents number congresses, terms and parts (`XIII`,
/// `IV`): capitals only, so that a word is not taken for one.
fn is_roman(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
}

/// Classifies an edit: `this` and `other` are the two sides' words (one may be
/// empty), `before` and `after` the words around the edit in this text.
pub fn classify(this: &str, other: &str, before: &str, after: &str) -> EditKind {
    let sides: Vec<&str> = [this, other]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
    if !sides.is_empty() && sides.iter().all(|s| has_digit(s)) {
        if DATE_WORD.is_match(before) || sides.iter().all(|s| DATE_SHAPE.is_match(s)) {
            return EditKind::Date;
        }
        return EditKind::Number;
    }
    if sides.len() == 2 && sides.iter().all(|s| is_roman(s)) {
        return EditKind::Number;
    }
    let places = |s: &str| {
        let folded = stream_form(&format!("{before} {s} {after}"));
        let mut m: Vec<&str> = mentions(&folded)
            .into_iter()
            .chain(first_bare(&folded))
            .map(|p| p.name.as_str())
            .collect();
        m.sort_unstable();
        m
    };
    let (p1, p2) = (places(this), places(other));
    if (!p1.is_empty() || !p2.is_empty()) && p1 != p2 {
        return EditKind::Place;
    }
    if UNIT_WORD.is_match(before) {
        return EditKind::Place;
    }
    if ORG_WORD.is_match(this) || ORG_WORD.is_match(other) || ORG_WORD.is_match(before) {
        return EditKind::Organisation;
    }
    EditKind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify("2023", "2020", "năm", ""), EditKind::Date);
        assert_eq!(classify("20/11", "15/12", "trước", "này"), EditKind::Date);
        assert_eq!(classify("95", "90", "đạt", "%"), EditKind::Number);
        assert_eq!(
            classify("XIII", "X", "Đại hội Đảng bộ tỉnh lần thứ", ","),
            EditKind::Number
        );
        assert_eq!(
            classify("Hậu", "Kiên", "Công Thương của", "Giang"),
            EditKind::Place
        );
        assert_eq!(
            classify("Lương Minh", "Hải Hòa", "Ủy ban nhân dân xã", ""),
            EditKind::Place
        );
        assert_eq!(
            classify("Sở Y tế", "Sở Nội vụ", "giao", "chủ trì"),
            EditKind::Organisation
        );
        assert_eq!(
            classify("phát huy", "huy động", "cần", "sức mạnh"),
            EditKind::Other
        );
        assert_eq!(classify("", "và", "tổng hợp", "cổ vũ"), EditKind::Other);
    }
}
