//! Issuer abbreviations of document symbols (`data/issuers.tsv`) and the document
//! type abbreviations of Nghị định 30/2020/NĐ-CP Phụ lục III.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::places;
use super::text::fold_chars;

const ISSUERS_TSV: &str = include_str!("../../data/issuers.tsv");

/// One issuing body known by its abbreviation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// Abbreviation as used in symbols (`SCT`).
    pub abbrev: String,
    /// Full name (`Sở Công Thương`).
    pub name: String,
    /// `state`, `party` or `mass`.
    pub system: String,
    /// `central`, `province`, `district`, … (may list several, `|`-separated).
    pub level: String,
}

impl Issuer {
    /// Whether the body sits at central level only.
    pub fn is_central(&self) -> bool {
        self.level == "central"
    }
}

struct Table {
    issuers: Vec<Issuer>,
    by_abbrev: HashMap<String, usize>,
    by_folded_abbrev: HashMap<String, usize>,
    /// folded full names, longest first, for proper-casing header lines.
    names: Vec<(String, usize)>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut issuers = Vec::new();
    let mut by_abbrev = HashMap::new();
    let mut by_folded_abbrev = HashMap::new();
    for line in ISSUERS_TSV.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        let mut name = f[1].trim().to_string();
        if let Some(p) = name.find(" (") {
            name.truncate(p);
        }
        if let Some(p) = name.find(" / ") {
            name.truncate(p);
        }
        let idx = issuers.len();
        let mut first = None;
        for a in f[0].split(" / ") {
            let a = a.trim();
            if a.contains("(prose)") || a.is_empty() {
                continue;
            }
            first.get_or_insert_with(|| a.to_string());
            by_abbrev.entry(a.to_string()).or_insert(idx);
            by_folded_abbrev.entry(fold_chars(a)).or_insert(idx);
        }
        let Some(abbrev) = first else {
            // prose-only abbreviations still give a canonical name.
            issuers.push(Issuer {
                abbrev: String::new(),
                name,
                system: f[2].trim().to_string(),
                level: f[3].trim().to_string(),
            });
            continue;
        };
        issuers.push(Issuer {
            abbrev,
            name,
            system: f[2].trim().to_string(),
            level: f[3].trim().to_string(),
        });
    }
    let mut names: Vec<(String, usize)> = issuers
        .iter()
        .enumerate()
        .filter(|(_, i)| i.name.split_whitespace().count() >= 2)
        .map(|(n, i)| (fold_chars(&i.name), n))
        .collect();
    names.sort_by_key(|b| std::cmp::Reverse(b.0.len()));
    Table {
        issuers,
        by_abbrev,
        by_folded_abbrev,
        names,
    }
});

/// The issuer of an abbreviation (`SCT`, `SKHĐT`, `SKHDT`, `TTg`).
pub fn lookup(abbrev: &str) -> Option<&'static Issuer> {
    let t = &*TABLE;
    let i = t
        .by_abbrev
        .get(abbrev)
        .or_else(|| t.by_folded_abbrev.get(&fold_chars(abbrev)))?;
    t.issuers.get(*i)
}

/// Canonical spelling of a known body whose folded name starts `folded`
/// (`so cong thuong kien giang` → (`Sở Công Thương`, byte length matched in folded)).
pub(crate) fn known_name_prefix(folded: &str) -> Option<(&'static str, usize)> {
    let t = &*TABLE;
    for (n, i) in &t.names {
        if folded.starts_with(n.as_str()) {
            let rest = &folded[n.len()..];
            if rest.is_empty() || rest.starts_with(' ') {
                return t.issuers.get(*i).map(|x| (x.name.as_str(), n.len()));
            }
        }
    }
    None
}

/// The letters of a name, folded, without blanks or punctuation: what stays the
/// same when extraction splits or joins its words (`B ộ lao động - thương binh v à
/// x ã hội` and `Bộ Lao động - Thương binh và Xã hội` both give
/// `bolaodongthuongbinhvaxahoi`).
fn letters(s: &str) -> String {
    fold_chars(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The bodies whose names [`known_body`] restores, by their letters: the issuers
/// table, and the people's committee and council of every province (before and
/// after the 2025 merger).
static KNOWN_BODIES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut out = HashMap::new();
    for i in &TABLE.issuers {
        out.entry(letters(&i.name))
            .or_insert_with(|| i.name.clone());
    }
    for (before, after) in places::province_names() {
        for name in [before, after] {
            for body in ["Ủy ban nhân dân", "Hội đồng nhân dân"] {
                for level in ["tỉnh", "thành phố"] {
                    let full = format!("{body} {level} {name}");
                    out.entry(letters(&full)).or_insert(full);
                }
            }
        }
    }
    out
});

/// The canonical name of an issuing body whose words extraction split or joined
/// (`B Ộ LAO ĐỘNG - THƯƠNG BINH V À X Ã HỘI`, `ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C
/// H Í M I NH`): the known body with exactly the same letters, in the same order.
/// `None` when no known body has them: nothing is joined on a guess.
pub(crate) fn known_body(written: &str) -> Option<&'static str> {
    KNOWN_BODIES.get(&letters(written)).map(String::as_str)
}

/// Document type of a state type abbreviation (Phụ lục III, plus QPPL types).
pub fn state_type_name(tok: &str) -> Option<&'static str> {
    Some(match tok {
        "NQ" => "Nghị quyết",
        "QĐ" => "Quyết định",
        "CT" => "Chỉ thị",
        "QC" => "Quy chế",
        "QyĐ" => "Quy định",
        "TC" => "Thông cáo",
        "TB" => "Thông báo",
        "HD" => "Hướng dẫn",
        "CTr" => "Chương trình",
        "KH" => "Kế hoạch",
        "PA" => "Phương án",
        "ĐA" => "Đề án",
        "DA" => "Dự án",
        "BC" => "Báo cáo",
        "BB" => "Biên bản",
        "TTr" => "Tờ trình",
        "HĐ" => "Hợp đồng",
        "CĐ" => "Công điện",
        "BGN" => "Bản ghi nhớ",
        "BTT" => "Bản thỏa thuận",
        "GUQ" => "Giấy ủy quyền",
        "GM" => "Giấy mời",
        "GGT" => "Giấy giới thiệu",
        "GNP" => "Giấy nghỉ phép",
        "PG" => "Phiếu gửi",
        "PC" => "Phiếu chuyển",
        "PB" => "Phiếu báo",
        "NĐ" => "Nghị định",
        "TT" => "Thông tư",
        "TTLT" => "Thông tư liên tịch",
        "NQLT" => "Nghị quyết liên tịch",
        "L" => "Lệnh",
        "SY" => "Bản sao y",
        "TrS" => "Bản trích sao",
        "SL" => "Bản sao lục",
        _ => return None,
    })
}

/// Document type of a Party type token (`CT`, `NQ`, `KH`…); `QĐ` is ambiguous
/// (Quyết định or Quy định) and gives `None`.
pub fn party_type_name(tok: &str) -> Option<&'static str> {
    Some(match tok {
        "NQ" => "Nghị quyết",
        "CT" => "Chỉ thị",
        "KL" => "Kết luận",
        "QĐi" => "Quy định",
        "QC" => "Quy chế",
        "HD" => "Hướng dẫn",
        "TB" => "Thông báo",
        "TT" => "Thông tri",
        "TTr" => "Tờ trình",
        "BC" => "Báo cáo",
        "KH" => "Kế hoạch",
        "CTr" => "Chương trình",
        "CV" => "Công văn",
        "ĐA" => "Đề án",
        "TC" => "Thông cáo",
        _ => return None,
    })
}

/// The parts of a canonical KEY: number, year, type token and issuer tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyParts<'a> {
    pub party: bool,
    pub year: Option<&'a str>,
    pub tokens: Vec<&'a str>,
}

pub(crate) fn key_parts(key: &str) -> Option<KeyParts<'_>> {
    if key.starts_with('~') {
        return None;
    }
    let digits_end = key.find(|c: char| !c.is_ascii_alphanumeric())?;
    let rest = &key[digits_end..];
    if let Some(r) = rest.strip_prefix('-') {
        // Party: N-TYPE/ISS[-…]
        let (ty, iss) = r.split_once('/')?;
        let mut tokens = vec![ty];
        tokens.extend(iss.split(['-', '/']));
        return Some(KeyParts {
            party: true,
            year: None,
            tokens,
        });
    }
    let r = rest.strip_prefix('/')?;
    let mut it: Vec<&str> = r.split(['-', '/']).collect();
    let mut year = None;
    if it
        .first()
        .is_some_and(|t| t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()))
    {
        year = Some(it.remove(0));
    }
    Some(KeyParts {
        party: false,
        year,
        tokens: it,
    })
}

/// Document type implied by a canonical KEY (`325/KH-SCT` → Kế hoạch,
/// `1234/UBND-KT` → Công văn, `792-CV/TU` → Công văn).
pub fn type_from_key(key: &str) -> Option<&'static str> {
    let p = key_parts(key)?;
    let first = *p.tokens.first()?;
    if p.party {
        return party_type_name(first);
    }
    if let Some(t) = state_type_name(first) {
        return Some(t);
    }
    if p.year.is_some() {
        // `80/2015/QH13` (law or resolution of the National Assembly): ambiguous.
        return None;
    }
    Some("Công văn")
}

/// Issuing body implied by a canonical KEY (`325/KH-SCT` → Sở Công Thương,
/// `30/2020/NĐ-CP` → Chính phủ, `792-CV/TU` → Tỉnh ủy).
pub fn issuer_from_key(key: &str) -> Option<&'static Issuer> {
    let p = key_parts(key)?;
    let toks = &p.tokens;
    let typed = toks.first().is_some_and(|t| state_type_name(t).is_some()) && toks.len() > 1;
    let cand = if p.party || typed {
        toks.get(1)
    } else {
        toks.first()
    }?;
    lookup(cand).or_else(|| lookup(cand.trim_end_matches(|c: char| c.is_ascii_digit())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_give_issuers_and_types() {
        assert_eq!(
            issuer_from_key("325/KH-SCT").map(|i| i.name.as_str()),
            Some("Sở Công Thương")
        );
        assert_eq!(
            issuer_from_key("1579/KH-SKHĐT").map(|i| i.name.as_str()),
            Some("Sở Kế hoạch và Đầu tư")
        );
        assert_eq!(
            issuer_from_key("30/2020/NĐ-CP").map(|i| i.name.as_str()),
            Some("Chính phủ")
        );
        assert_eq!(
            issuer_from_key("80/2015/QH13").map(|i| i.name.as_str()),
            Some("Quốc hội")
        );
        assert_eq!(
            issuer_from_key("792-CV/TU").map(|i| i.name.as_str()),
            Some("Tỉnh ủy")
        );
        assert_eq!(type_from_key("325/KH-SCT"), Some("Kế hoạch"));
        assert_eq!(type_from_key("1234/UBND-KT"), Some("Công văn"));
        assert_eq!(type_from_key("66-QĐ/TW"), None);
        assert_eq!(
            known_name_prefix("so cong thuong kien giang").map(|x| x.0),
            Some("Sở Công Thương")
        );
    }
}
