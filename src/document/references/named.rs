//! Citations without a number: Party resolutions named by their plenum or congress
//! (`~NQ-HNTW:4/XII`, `~NQ-ĐH:TW/XIII`), laws by their name (`~LUAT:thi-dua-khen-thuong`),
//! the Constitution (`~HP`).

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::document::date::PartialDate;
use crate::document::text::{ceil_boundary, fold_with_map};

use super::collapse;
use super::issuer::cited_year;

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
pub(super) fn named_refs(norm: &str) -> Vec<NamedRef> {
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
        // The folded match cannot tell `Hiến pháp` from `thực hiện Pháp lệnh`
        // (both `hien phap`): the Constitution is checked on the accented text.
        let found = found.filter(|(s, _, key, _)| {
            key != "~HP" || writes_hien_phap(norm.get(to_norm(*s)..).unwrap_or(""))
        });
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

/// Whether `text` starts with `Hiến pháp` (any case, tones as written).
fn writes_hien_phap(text: &str) -> bool {
    let head: String = text.chars().take(9).flat_map(char::to_lowercase).collect();
    head == "hiến pháp"
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

/// A human form of a canonical KEY, for a citation whose written form is unknown
/// (records understood before [`Reference::written`](crate::document::Reference::written)
/// existed): a numbered KEY as it is, a named one in words. Never the internal
/// `~…` form.
///
/// ```
/// use kehoach::document::references::describe_key;
/// assert_eq!(describe_key("136/KH-UBND"), "136/KH-UBND");
/// assert_eq!(describe_key("~HP"), "Hiến pháp");
/// assert_eq!(describe_key("~NQ-HNTW:4/XII"), "Nghị quyết Hội nghị Trung ương 4 khóa XII");
/// assert_eq!(describe_key("~NQ-ĐH:TU/X"), "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ X");
/// assert_eq!(describe_key("~LUAT:dat-dai"), "Luật (dat dai)");
/// ```
pub fn describe_key(key: &str) -> String {
    let Some(named) = key.strip_prefix('~') else {
        return key.to_string();
    };
    let (kind, detail) = named.split_once(':').unwrap_or((named, ""));
    match kind {
        "HP" => "Hiến pháp".to_string(),
        "NQ-HNTW" => match detail.split_once('/') {
            Some((n, k)) => format!("Nghị quyết Hội nghị Trung ương {n} khóa {k}"),
            None => format!("Nghị quyết Hội nghị Trung ương {detail}"),
        },
        "NQ-ĐH" => match detail.split_once('/') {
            Some(("TW", k)) => format!("Nghị quyết Đại hội Đảng toàn quốc lần thứ {k}"),
            Some((_, k)) => format!("Nghị quyết Đại hội Đảng bộ tỉnh lần thứ {k}"),
            None => "Nghị quyết Đại hội Đảng".to_string(),
        },
        "LUAT" => match detail.strip_prefix("bo-luat-") {
            Some(rest) => format!("Bộ luật ({})", rest.replace('-', " ")),
            None => format!("Luật ({})", detail.replace('-', " ")),
        },
        _ => format!("{kind} {detail}").trim().to_string(),
    }
}
