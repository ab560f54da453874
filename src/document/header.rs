//! Header fields of an administrative document (spec §1.1, §1.4 "Header fields"):
//! own number, type, place and date, title, issuing body and parent body, signer.
//! Works on flattened text, markdown tables (`| … | … |`) and bold/italic markup.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::date::PartialDate;
use super::issuers;
use super::references::canonical_key;
use super::text::{fold_chars, normalize_tones};

/// Header fields found in a text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub number: Option<String>,
    pub doc_type: Option<String>,
    pub place: Option<String>,
    pub date: Option<PartialDate>,
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub parent_issuer: Option<String>,
    pub signer: Option<String>,
    /// Raw upper-case header body lines (issuer block), for province detection.
    pub body_lines: Vec<String>,
    /// Whether a `V/v` trích yếu line was seen (Công văn).
    pub vv: bool,
}

static OWN_NO_STATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[ \t]{2,})[ \t]*(?:Số|SỐ)[ \t]*:[ \t]*(?P<num>\d{1,5}[a-z]?)[ \t]*/[ \t]*(?:(?P<year>(?:19|20)\d\d)[ \t]*/[ \t]*)?(?P<sym>\p{L}[\p{L}\p{N}]*(?:[ \t]*[-/][ \t]*\p{L}[\p{L}\p{N}]*)*)")
        .expect("built-in regex")
});
static OWN_NO_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[ \t]{2,})[ \t]*(?:Số|SỐ)[ \t]*:?[ \t]*(?P<num>\d{1,5}[a-z]?)[ \t]*-[ \t]*(?P<ptype>\p{L}[\p{L}\p{N}]*)[ \t]*/[ \t]*(?P<iss>\p{L}[\p{L}\p{N}]*(?:-\p{L}[\p{L}\p{N}]*)*)")
        .expect("built-in regex")
});
static OWN_NO_LAW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*(?:Luật|Bộ luật|Pháp lệnh|Lệnh|LUẬT|BỘ LUẬT|PHÁP LỆNH)[ \t]+(?:số|Số|SỐ)[ \t]*:[ \t]*(?P<num>\d{1,5})[ \t]*/[ \t]*(?P<year>(?:19|20)\d\d)[ \t]*/[ \t]*(?P<sym>\p{L}[\p{L}\p{N}]*(?:-\p{L}[\p{L}\p{N}]*)*)[ \t]*$")
        .expect("built-in regex")
});
static PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|[ \t]{2,}|(?:Số|SỐ)[ \t]*:[ \t]*\S*\d\S*[ \t]+)(?P<place>(?:Quận|Phường|QUẬN|PHƯỜNG)[ \t]+\d+|\p{Lu}[\p{L}.]*(?:(?:[ \t]+|[ \t]*-[ \t]*)[\p{L}.]+){0,5})[ \t]*,\s*(?:ngày|Ngày|NGÀY)\s*(?P<d>\d{1,2})?[\s.…]*(?:tháng|Tháng|THÁNG)\s*(?P<m>\d{1,2})?[\s.…]*(?:năm|Năm|NĂM)\s*(?P<y>\d{4})")
        .expect("built-in regex")
});
/// [`PLACE_DATE`] from its comma on, anchored: `, ngày … tháng … năm YYYY`.
static DATE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\A,\s*(?:ngày|Ngày|NGÀY)\s*(?:\d{1,2})?[\s.…]*(?:tháng|Tháng|THÁNG)\s*(?:\d{1,2})?[\s.…]*(?:năm|Năm|NĂM)\s*\d{4}")
        .expect("built-in regex")
});
/// The type line: a type word alone on its line, perhaps with a footnote marker
/// attached (`QUYẾT ĐỊNH1` in consolidated texts) or a closing quote.
static DOC_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*(KẾ HOẠCH|QUYẾT ĐỊNH|NGHỊ QUYẾT(?: LIÊN TỊCH)?|CHỈ THỊ|KẾT LUẬN|QUY CHẾ|QUY ĐỊNH|THÔNG CÁO|THÔNG BÁO(?: KẾT LUẬN)?|THÔNG TRI|HƯỚNG DẪN|CHƯƠNG TRÌNH(?: HÀNH ĐỘNG)?|PHƯƠNG ÁN|ĐỀ ÁN|DỰ ÁN|BÁO CÁO|BIÊN BẢN|TỜ TRÌNH|HỢP ĐỒNG|CÔNG ĐIỆN|BẢN GHI NHỚ|BẢN THỎA THUẬN|GIẤY MỜI|GIẤY GIỚI THIỆU|GIẤY ỦY QUYỀN|BỘ LUẬT|LUẬT|NGHỊ ĐỊNH|THÔNG TƯ(?: LIÊN TỊCH)?|PHÁP LỆNH|HIẾN PHÁP|LỆNH)(?:[0-9]{1,2}|[¹²³⁰-⁹]{1,2})?[ \t]*[\x22”“'’*]?[ \t]*$")
        .expect("built-in regex")
});
static RULE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*[-_–—=*.]{3,}[ \t]*$").expect("built-in regex"));
static RULE_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[-_=]{3,}").expect("built-in regex"));
static BODY_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Căn cứ|CĂN CỨ|Thực hiện|Triển khai|Kính gửi|Nhằm|I\.|Phần|PHẦN|Điều 1|Chương|CHƯƠNG|Theo đề nghị)")
        .expect("built-in regex")
});
/// Body openers that also start titles (`KẾ HOẠCH` / `Thực hiện công tác bầu cử…`).
static TITLE_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:Thực hiện|Triển khai)\s").expect("built-in regex"));
static AUTHORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:TM\.?|KT\.?|TL\.?|TUQ\.?|Q\.|T/M|K/T|T/L)\s|(?:CHỦ TỊCH|GIÁM ĐỐC|BÍ THƯ|TRƯỞNG|THỦ TƯỚNG|CHÁNH|CHỦ NHIỆM|THƯ KÝ|ỦY VIÊN|UỶ VIÊN|TỔNG KIỂM TOÁN|THỐNG ĐỐC)")
        .expect("built-in regex")
});
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}\p{Ll}*(?:[ \t]+\p{Lu}\p{Ll}*){1,4}$").expect("built-in regex")
});
static INLINE_SIGNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:CHỦ TỊCH|GIÁM ĐỐC|BÍ THƯ|TRƯỞNG|THỦ TƯỚNG|CHÁNH VĂN PHÒNG|CHỦ NHIỆM|THƯ KÝ|ỦY VIÊN|UỶ VIÊN|THỐNG ĐỐC)[\p{Lu}\s.]*?\s(?:\((?:Đã ký|đã ký)\)\s*)?(?P<name>\p{Lu}\p{Ll}+(?:[ \t]+\p{Lu}\p{Ll}*){1,4})\s*$")
        .expect("built-in regex")
});

static AUTH_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"CHỦ TỊCH|GIÁM ĐỐC|BÍ THƯ|TRƯỞNG|THỦ TƯỚNG|CHÁNH|CHỦ NHIỆM|THƯ KÝ|ỦY VIÊN|UỶ VIÊN|THỐNG ĐỐC|TM\.|KT\.|TL\.|TUQ\.|T/M|K/T|T/L")
        .expect("built-in regex")
});

/// How many raw lines of the beginning are searched for header fields.
const HEAD_LINES: usize = 60;
/// How many cleaned header lines may precede the number/place/type.
const HEAD_CELLS: usize = 40;
/// A cell longer than this (in bytes, about 250 Vietnamese letters) is never a motto.
const MOTTO_MAX_BYTES: usize = 600;

/// Splits markdown tables into cells, strips emphasis and rule runs; blank lines
/// become empty strings.
fn cells(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    // Join lines whose bold/italic markup is left open (`**HỘI ĐỒNG NHÂN` / `DÂN **`).
    let mut logical: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let mut l = lines[i].to_string();
        let mut k = 0;
        while unbalanced(&l) && k < 3 && i + 1 < lines.len() && !lines[i + 1].trim().is_empty() {
            i += 1;
            k += 1;
            l.push(' ');
            l.push_str(lines[i]);
        }
        logical.push(l);
        i += 1;
    }
    for raw in &logical {
        let t = raw.trim();
        if t.is_empty() || t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
            out.push(String::new());
            continue;
        }
        for cell in t.split('|') {
            // Most cells hold no emphasis markup: skip the two copies `replace` makes.
            let c: Cow<'_, str> = if cell.bytes().any(|b| b == b'*' || b == b'_') {
                Cow::Owned(cell.replace("**", "").replace("__", ""))
            } else {
                Cow::Borrowed(cell)
            };
            let c = c.trim().trim_matches(['*', '_', '#', '>']).trim();
            if c.is_empty() {
                continue;
            }
            for piece in RULE_RUN.split(c) {
                let p = piece.trim();
                if !p.is_empty() {
                    out.push(p.to_string());
                }
            }
        }
    }
    // `Số:` alone on its line: the number is on the next one.
    let mut joined: Vec<String> = Vec::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        let c = &out[i];
        let t = c.trim_end();
        let bare_so = matches!(t, "Số:" | "Số" | "SỐ:" | "SỐ");
        if bare_so
            && out
                .get(i + 1)
                .is_some_and(|n| n.starts_with(|ch: char| ch.is_ascii_digit()))
        {
            joined.push(format!("{t} {}", out[i + 1]));
            i += 2;
            continue;
        }
        joined.push(c.clone());
        i += 1;
    }
    joined
}

/// Whether a line leaves `**` or `*` emphasis open.
fn unbalanced(l: &str) -> bool {
    if !l.contains('*') {
        return false;
    }
    let bold = l.matches("**").count();
    let single = l.replace("**", "").matches('*').count();
    bold % 2 == 1 || single % 2 == 1
}

fn is_motto(folded: &str) -> bool {
    let f = folded.trim();
    f.starts_with("chu nghia viet nam")
        || f.starts_with("nghia viet nam")
        || f.starts_with("cong hoa xa hoi")
        || f.starts_with("hoa xa hoi chu nghia")
        || folded.contains("cong hoa xa hoi chu nghia")
        || folded.contains("doc lap - tu do")
        || folded.contains("doc lap – tu do")
        || folded.contains("dang cong san viet nam")
        || folded.starts_with("doc lap")
}

fn is_upper_line(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase())
}

fn sentence_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut ch = lower.chars();
    match ch.next() {
        Some(f) => f.to_uppercase().collect::<String>() + ch.as_str(),
        None => String::new(),
    }
}

/// Types whose documents are known by their name: `Luật Đất đai`, `Bộ luật Dân sự`.
fn is_law_type(t: &str) -> bool {
    matches!(t, "Luật" | "Bộ luật" | "Pháp lệnh" | "Hiến pháp")
}

/// The enactment clause older laws put in their title line: `CỦA QUỐC HỘI NƯỚC … SỐ
/// 29/2004/QH11 NGÀY 03 THÁNG 12 NĂM 2004 VỀ`, `SỐ 35-L/CTN NGÀY 22/06/1994 CỦA QUỐC HỘI
/// VỀ`, or the same at the end.
static ENACTMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^(?:CỦA\s+QUỐC\s+HỘI(?:\s+NƯỚC\s+CỘNG\s+\S+\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM)?\s*)?
          (?:SỐ\s+\S+\s*)?(?:NGÀY\s+[\d/\-]+(?:\s+THÁNG\s+\d+\s+NĂM\s+\d+)?\s*)?
          (?:CỦA\s+QUỐC\s+HỘI\s*)?(?:VỀ\s+(?:LUẬT\s+)?)?
        | \s+SỐ\s+\S+\s+NGÀY\s+[\d/\-]+(?:\s+THÁNG\s+\d+\s+NĂM\s+\d+)?(?:\s+CỦA\s+QUỐC\s+HỘI)?\s*$",
    )
    .expect("enactment clause regex")
});

/// The name a law is known by: its type and its title, in sentence case when the
/// title is upper case (`Luật`, `ĐẤT ĐAI` → `Luật Đất đai`; `Bộ luật`, `DÂN SỰ` →
/// `Bộ luật Dân sự`), without the enactment clause of older laws.
fn law_title(doc_type: &str, title: &str) -> String {
    let trimmed = ENACTMENT.replace_all(title, "");
    let core = trimmed.trim().trim_end_matches(['.', ';', ':']).trim();
    let core = if core.is_empty() { title.trim() } else { core };
    let cased = if is_upper_line(core) {
        sentence_case(core).replace("việt nam", "Việt Nam")
    } else {
        core.to_string()
    };
    if fold_chars(&cased).starts_with(&fold_chars(doc_type)) {
        cased
    } else {
        format!("{doc_type} {cased}")
    }
}

fn capitalize(w: &str) -> String {
    let mut ch = w.chars();
    match ch.next() {
        Some(f) => f.to_uppercase().collect::<String>() + &ch.as_str().to_lowercase(),
        None => String::new(),
    }
}

/// Proper-cases an upper-case body line (`SỞ CÔNG THƯƠNG` → `Sở Công Thương`,
/// `UBND TỈNH KIÊN GIANG` → `Ủy ban nhân dân tỉnh Kiên Giang`).
pub(crate) fn proper_body(line: &str) -> String {
    let collapsed: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let collapsed = collapsed
        .trim_end_matches([',', '.', ';', ':', '*'])
        .to_string();
    if let Some(name) = issuers::known_body(&collapsed) {
        return name.to_string();
    }
    if !is_upper_line(&collapsed) {
        return normalize_tones(&collapsed);
    }
    let mut words: Vec<String> = Vec::new();
    for w in collapsed.split(' ') {
        match w {
            "UBND" => words.extend(["ỦY", "BAN", "NHÂN", "DÂN"].map(String::from)),
            "HĐND" => words.extend(["HỘI", "ĐỒNG", "NHÂN", "DÂN"].map(String::from)),
            "MTTQ" => words.extend(["MẶT", "TRẬN", "TỔ", "QUỐC"].map(String::from)),
            _ => words.push(w.to_string()),
        }
    }
    let text = words.join(" ");
    let folded = fold_chars(&text);
    let (head, rest_start_word) = match issuers::known_name_prefix(&folded) {
        Some((name, _)) => (Some(name.to_string()), name.split(' ').count()),
        None => (None, 0),
    };
    let mut out: Vec<String> = Vec::new();
    let fw: Vec<String> = words.iter().map(|w| fold_chars(w)).collect();
    // After a known body name (`Sở Công Thương`, `Tỉnh ủy`) the rest is a place.
    let mut place_mode = head.is_some();
    for (i, w) in words.iter().enumerate() {
        if i < rest_start_word {
            continue;
        }
        let f = fw[i].as_str();
        let prev = if i > 0 { fw[i - 1].as_str() } else { "" };
        let lw = w.to_lowercase();
        let next_lw = words
            .get(i + 1)
            .map(|x| x.to_lowercase())
            .unwrap_or_default();
        let prev_lw = if i > 0 {
            words[i - 1].to_lowercase()
        } else {
            String::new()
        };
        let level_word = matches!(lw.as_str(), "tỉnh" | "huyện" | "xã" | "phường" | "quận")
            || (lw == "thành" && next_lw == "phố")
            || (lw == "phố" && prev_lw == "thành")
            || (lw == "thị" && (next_lw == "xã" || next_lw == "trấn"))
            || (prev_lw == "thị" && (lw == "xã" || lw == "trấn"));
        let after_head = i == 1
            && matches!(
                prev,
                "so" | "bo" | "cuc" | "ban" | "phong" | "vien" | "hoi" | "doan" | "tam" | "ty"
            );
        let word = if place_mode && level_word && i > 0 {
            lw.clone()
        } else if place_mode || i == 0 || after_head {
            capitalize(w)
        } else {
            lw.clone()
        };
        let is_level = matches!(
            lw.as_str(),
            "tỉnh" | "huyện" | "xã" | "phường" | "quận" | "phố" | "xã," | "trấn"
        ) && !(i + 1 < words.len() && fw[i + 1] == "uy");
        let is_party_place =
            f == "uy" && matches!(prev, "tinh" | "thanh" | "huyen" | "quan" | "dang" | "thi");
        out.push(word);
        if is_level || is_party_place {
            place_mode = true;
        }
    }
    let mut s = out.join(" ");
    for (from, to) in [
        ("việt nam", "Việt Nam"),
        ("trung ương", "Trung ương"),
        ("mặt trận tổ quốc", "Mặt trận Tổ quốc"),
        ("chính phủ", "Chính phủ"),
        ("quốc hội", "Quốc hội"),
        ("nhà nước", "Nhà nước"),
        ("hồ chí minh", "Hồ Chí Minh"),
        (" đảng", " Đảng"),
        ("công thương", "Công Thương"),
    ] {
        s = s.replace(from, to);
    }
    let s = match head {
        Some(h) if s.is_empty() => h,
        Some(h) => format!("{h} {s}"),
        None => s,
    };
    normalize_tones(&s)
}

fn own_number(line: &str) -> Option<String> {
    let joined = join_split_symbol(line);
    let line = joined.as_str();
    if let Some(c) = OWN_NO_LAW.captures(line) {
        let raw = format!("{}/{}/{}", &c["num"], &c["year"], &c["sym"]);
        return canonical_key(&raw);
    }
    if let Some(c) = OWN_NO_PARTY.captures(line) {
        let raw = format!("{}-{}/{}", &c["num"], &c["ptype"], &c["iss"]);
        if let Some(k) = canonical_key(&raw) {
            return Some(k);
        }
    }
    if let Some(c) = OWN_NO_STATE.captures(line) {
        let year = c
            .name("year")
            .map(|y| format!("{}/", y.as_str()))
            .unwrap_or_default();
        let raw = format!("{}/{}{}", &c["num"], year, &c["sym"]);
        return canonical_key(&raw);
    }
    None
}

/// A number line whose symbol extraction spread apart (`Số: 3210/QĐ - U B ND`):
/// runs of short capital-letter pieces are joined where the joined piece is a
/// known abbreviation (`UBND`), so that the number reads whole. Pieces that join
/// into nothing known stay as they are.
fn join_split_symbol(line: &str) -> String {
    let short_caps =
        |w: &str| (1..=3).contains(&w.chars().count()) && w.chars().all(|c| c.is_uppercase());
    let words: Vec<&str> = line.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let run_end = (i..words.len())
            .find(|&j| !short_caps(words[j]))
            .unwrap_or(words.len());
        let joined = (i + 2..=run_end).rev().find_map(|end| {
            let piece = words[i..end].concat();
            (issuers::lookup(&piece).is_some() || issuers::state_type_name(&piece).is_some())
                .then_some((piece, end))
        });
        match joined {
            Some((piece, end)) => {
                out.push(piece);
                i = end;
            }
            None => {
                out.push(words[i].to_string());
                i += 1;
            }
        }
    }
    out.join(" ")
}

fn is_number_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("Số") || t.starts_with("SỐ") || OWN_NO_LAW.is_match(line)
}

/// `PLACE_DATE.captures(joined)`, without running the regex over all the text.
///
/// A match is `place[ \t]*` + [`DATE_TAIL`]: its comma is the first `,` after its
/// start, on the same line (the place part never crosses a line), and the tail from a
/// given comma has one possible end. So, comma by comma in order, where the tail
/// matches, the regex is run from that line's start up to that tail's end; the first
/// match found is the leftmost one of the whole text, with the same groups.
fn place_date(joined: &str) -> Option<Captures<'_>> {
    for (v, _) in joined.match_indices(',') {
        let after = joined.get(v + 1..)?.trim_start();
        if !(after.starts_with("ngày") || after.starts_with("Ngày") || after.starts_with("NGÀY"))
        {
            continue;
        }
        let Some(tail) = DATE_TAIL.find(joined.get(v..)?) else {
            continue;
        };
        let end = v + tail.end();
        let line_start = joined.get(..v)?.rfind('\n').map_or(0, |i| i + 1);
        if let Some(c) = PLACE_DATE.captures_at(joined.get(..end)?, line_start) {
            return Some(c);
        }
    }
    None
}

/// The date of a place–date line, as precise as it is filled in: a day that is
/// not in its month leaves the month, a month that is not 1–12 leaves the year
/// (`ngày … tháng 8 năm 2020` → `2020-08`).
fn header_date(year: &str, month: Option<u8>, day: Option<u8>) -> Option<PartialDate> {
    let y: u16 = year.parse().ok()?;
    let by_day = month
        .zip(day)
        .and_then(|(m, d)| PartialDate::from_ymd(y, m, d).ok());
    by_day
        .or_else(|| month.and_then(|m| PartialDate::from_year_month(y, m).ok()))
        .or_else(|| PartialDate::from_year(y).ok())
}

/// Parses the header (first lines) and the signature (last lines) of a normalized text.
///
/// Section by section, each on the cleaned cells of the first lines: the own
/// number, the place–date line, the motto, the type and title, a `V/v` line, the
/// issuing bodies above them; then the signer at the end of the text.
pub(crate) fn parse(norm: &str) -> Header {
    let mut h = Header::default();
    let head_lines: Vec<&str> = norm.lines().take(HEAD_LINES).collect();
    let cl = cells(&head_lines);
    let cl: Vec<String> = cl.into_iter().take(HEAD_CELLS + 40).collect();

    let (number, number_idx) = own_number_cell(&cl);
    h.number = number;
    let place_idx = place_and_date(&cl, &mut h);
    // First motto cell. A motto is a short line; a long paragraph that quotes "Đảng
    // Cộng sản Việt Nam" is not one, and is not folded to look for one.
    let motto_pos = cl
        .iter()
        .take(HEAD_CELLS)
        .position(|c| c.len() <= MOTTO_MAX_BYTES && is_motto(&fold_chars(c)));
    let type_idx = type_and_title(&cl, &mut h);
    vv_line(&cl, &mut h);
    let is_header_doc =
        h.number.is_some() || number_idx.is_some() || motto_pos.is_some() || h.date.is_some();
    if is_header_doc {
        // Left column first: the issuer block ends where the motto starts.
        let motto_idx = motto_pos.filter(|&m| cl[..m].iter().any(|c| is_upper_line(c)));
        let limit = [number_idx, place_idx, type_idx, motto_idx]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(0);
        let body = issuing_bodies(&cl[..limit.min(cl.len())]);
        match body.as_slice() {
            [] => {}
            [one] => h.issuer = Some(proper_body(one)),
            [.., parent, issuer] => {
                h.issuer = Some(proper_body(issuer));
                h.parent_issuer = Some(proper_body(parent));
            }
        }
        h.body_lines = body;
    }
    h.signer = signer(norm);
    h
}

/// The own number: its canonical KEY and the index of its cell (or of the first
/// `Số` cell when none reads as a number).
fn own_number_cell(cl: &[String]) -> (Option<String>, Option<usize>) {
    let mut number_idx = None;
    for (i, c) in cl.iter().enumerate().take(HEAD_CELLS) {
        if is_number_line(c) {
            if number_idx.is_none() {
                number_idx = Some(i);
            }
            if let Some(k) = own_number(c) {
                return (Some(k), Some(i));
            }
        }
    }
    (None, number_idx)
}

/// Place and date of the place–date line (which may wrap over cells) into `h`;
/// returns the index of the cell holding the place.
fn place_and_date(cl: &[String], h: &mut Header) -> Option<usize> {
    let joined = cl
        .iter()
        .take(HEAD_CELLS)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    let c = place_date(&joined)?;
    let mut place_idx = None;
    if let Some(p) = c.name("place") {
        let place = p.as_str().trim().to_string();
        let lower_start = place.chars().next().is_some_and(|c| c.is_uppercase());
        if lower_start && !fold_chars(&place).starts_with("so ") {
            h.place = Some(normalize_tones(&place));
        }
        place_idx = Some(joined[..p.start()].matches('\n').count());
    }
    if let Some(y) = c.name("y") {
        let num = |g: &str| c.name(g).and_then(|v| v.as_str().parse::<u8>().ok());
        h.date = header_date(y.as_str(), num("m"), num("d"));
    }
    place_idx
}

/// Document type and title into `h`; returns the index of the type's cell.
fn type_and_title(cl: &[String], h: &mut Header) -> Option<usize> {
    let (ti, t) = cl
        .iter()
        .enumerate()
        .take(HEAD_CELLS)
        .find_map(|(i, c)| Some((i, DOC_TYPE.captures(c)?.get(1)?)))?;
    h.doc_type = Some(sentence_case(t.as_str()));
    let title = title_cells(&cl[ti + 1..]);
    if !title.is_empty() {
        let title = title.join(" ");
        h.title = Some(match h.doc_type.as_deref() {
            Some(t) if is_law_type(t) => law_title(t, &title),
            _ => title,
        });
    }
    Some(ti)
}

/// The title's cells among the cells after the type line: up to a blank cell, a
/// rule, the body's opening or a change of case, at most six.
fn title_cells(after_type: &[String]) -> Vec<&str> {
    let mut title: Vec<&str> = Vec::new();
    let cells = after_type
        .iter()
        .map(String::as_str)
        .skip_while(|c| c.is_empty());
    for c in cells {
        // "Thực hiện …" or "Triển khai …" right under the type is the title when it
        // reads as one (short, no closing punctuation), the body otherwise.
        let opens_body = BODY_OPENER.is_match(c)
            && !(title.is_empty()
                && TITLE_VERB.is_match(c)
                && c.chars().count() <= 160
                && !c.ends_with(['.', ';', ':', ',']));
        if c.is_empty() || RULE_LINE.is_match(c) || opens_body || title.len() >= 6 {
            break;
        }
        // An upper-case body name line right after a Quyết định title is the enacting
        // authority (`CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …`), not the title; a lower-case
        // paragraph after an upper-case title is the preamble.
        if !title.is_empty() && is_upper_line(c) != is_upper_line(title[0]) {
            break;
        }
        title.push(c);
    }
    title
}

/// A `V/v` trích yếu line (Công văn): sets `h.vv`, and the title when none was found.
fn vv_line(cl: &[String], h: &mut Header) {
    for c in cl.iter().take(HEAD_CELLS) {
        // The V/v line may share a table cell with the number (`Số: 3354/VPCP-KGVX V/v …`).
        let at = [" V/v", " V/V", " v/v"].iter().find_map(|p| {
            c.find(p)
                .filter(|&k| c[k + p.len()..].starts_with([' ', ':']))
        });
        let t = match at {
            Some(k) if is_number_line(c) => &c[k + 1..],
            _ => c.trim_start(),
        };
        if t.starts_with("V/v") || t.starts_with("V/V") || t.starts_with("v/v") {
            h.vv = true;
            if h.title.is_none() {
                h.title = Some(t.to_string());
            }
            return;
        }
    }
}

/// The issuing bodies: the upper-case cells above the number, place or type line,
/// with a body name wrapped over cells joined (`ỦY BAN NHÂN` / `DÂN TỈNH X`), parent
/// body first.
fn issuing_bodies(above: &[String]) -> Vec<String> {
    let mut body: Vec<String> = Vec::new();
    for c in above {
        let f = fold_chars(c);
        if c.is_empty()
            || is_motto(&f)
            || !is_upper_line(c)
            || f.starts_with("cong bao")
            || f.starts_with("van ban quy pham phap luat")
            || c.chars().filter(|c| c.is_alphabetic()).count() < 2
            || DOC_TYPE.is_match(c)
        {
            continue;
        }
        let starts_level = [
            "xa ",
            "huyen ",
            "tinh ",
            "thanh pho ",
            "quan ",
            "phuong ",
            "thi xa ",
            "va ",
        ]
        .iter()
        .any(|p| f.starts_with(p))
            && !f.starts_with("tinh uy")
            && !f.starts_with("thanh uy");
        if body.last().is_some_and(|l| l == c) {
            continue;
        }
        let single_word = !c.trim().contains(' ');
        let incomplete = body.last().is_some_and(|l| {
            let fl = fold_chars(l);
            [
                "nhan", "hoi dong", "uy ban", " ban", "so", "bo", "mat tran", "to quoc", " va",
            ]
            .iter()
            .any(|e| fl.ends_with(e))
        });
        match body.last_mut() {
            Some(last) if starts_level || single_word || incomplete => {
                last.push(' ');
                last.push_str(c);
            }
            _ => body.push(c.clone()),
        }
    }
    body
}

fn is_name_piece(s: &str) -> bool {
    !s.is_empty()
        && s.split_whitespace().count() <= 3
        && s.split_whitespace().all(|w| {
            let mut ch = w.chars();
            ch.next().is_some_and(char::is_uppercase) && ch.all(char::is_lowercase)
        })
}

/// Signer: the name after the last authority line (`KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`)
/// that is followed by a name; names wrapped over two lines are joined.
fn signer(norm: &str) -> Option<String> {
    // Only the neighbourhood of the last authority words is looked at.
    let skip_to = norm.match_indices('\n').nth(9).map(|(i, _)| i).unwrap_or(0);
    let hits: Vec<usize> = AUTH_HINT
        .find_iter(norm)
        .map(|m| m.start())
        .filter(|&p| p >= skip_to)
        .collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &p in hits.iter().rev().take(12).rev() {
        let start = norm[..p].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let end = norm[p..]
            .match_indices('\n')
            .nth(10)
            .map(|(i, _)| p + i)
            .unwrap_or(norm.len());
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => ranges.push((start, end)),
        }
    }
    let mut lines: Vec<&str> = Vec::new();
    for (a, b) in ranges {
        lines.extend(
            norm[a..b]
                .lines()
                .filter(|l| l.len() < 160 || l.contains('|')),
        );
        lines.push("");
    }
    let cl = cells(&lines);
    let mut found = None;
    let mut armed = 0usize;
    let mut i = 0;
    while i < cl.len() {
        let t = cl[i].trim();
        i += 1;
        if t.is_empty() {
            continue;
        }
        if t.len() > 20 && t.contains(' ') {
            if let Some(n) = INLINE_SIGNER.captures(t).and_then(|m| m.name("name")) {
                found = Some(n.as_str().to_string());
                armed = 0;
                continue;
            }
        }
        if is_upper_line(t) && AUTHORITY.is_match(t) && t.split_whitespace().count() <= 10 {
            armed = 6;
            continue;
        }
        if armed == 0 {
            continue;
        }
        armed -= 1;
        let low = t.to_lowercase();
        if t.starts_with('-')
            || t.starts_with('(')
            || low.contains("đã ký")
            || low.contains("ký") && low.contains("dấu")
        {
            continue;
        }
        if NAME.is_match(t) && !t.contains(':') {
            // A one-word line right after is the rest of a wrapped name.
            let next = cl.get(i).map(|n| n.trim()).unwrap_or("");
            let joined = format!("{t} {next}");
            if is_name_piece(next) && !next.contains(' ') && NAME.is_match(&joined) {
                found = Some(joined);
                i += 1;
            } else {
                found = Some(t.to_string());
            }
            armed = 0;
            continue;
        }
        if is_name_piece(t) {
            if let Some(next) = cl.get(i).map(|n| n.trim()) {
                let joined = format!("{t} {next}");
                if is_name_piece(next) && NAME.is_match(&joined) {
                    found = Some(joined);
                    armed = 0;
                    i += 1;
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    #[test]
    fn law_titles_carry_their_type_without_the_enactment_clause() {
        let h = parse("QUỐC HỘI\n\nLuật số: 45/2013/QH13\n\nHà Nội, ngày 29 tháng 11 năm 2013\n\nLUẬT\n\nĐẤT ĐAI\n\nCăn cứ Hiến pháp;");
        assert_eq!(h.title.as_deref(), Some("Luật Đất đai"));
        let h = parse("QUỐC HỘI\n\nSố: 29/2004/QH11\n\nHà Nội, ngày 03 tháng 12 năm 2004\n\nLUẬT\n\n\
            CỦA QUỐC HỘI NƯỚC CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM SỐ 29/2004/QH11 NGÀY 03 THÁNG 12 NĂM 2004 VỀ BẢO VỆ VÀ PHÁT TRIỂN RỪNG\n\n\
            Căn cứ vào Hiến pháp;");
        assert_eq!(h.title.as_deref(), Some("Luật Bảo vệ và phát triển rừng"));
        let h = parse("QUỐC HỘI\n\nLuật số: 91/2015/QH13\n\nHà Nội, ngày 24 tháng 11 năm 2015\n\nBỘ LUẬT\n\nHÀNG HẢI VIỆT NAM\n\nCăn cứ Hiến pháp;");
        assert_eq!(h.title.as_deref(), Some("Bộ luật Hàng hải Việt Nam"));
        // Other types keep their title as written.
        let h = parse("UBND TỈNH X\n\nSố: 1/KH-UBND\n\nX, ngày 1 tháng 1 năm 2024\n\nKẾ HOẠCH\n\nCHUYỂN ĐỔI SỐ\n\nCăn cứ;");
        assert_eq!(h.title.as_deref(), Some("CHUYỂN ĐỔI SỐ"));
    }

    #[test]
    fn a_title_may_start_with_thuc_hien_and_share_the_number_cell_with_v_v() {
        let h = parse("BAN THƯỜNG TRỰC\n\nSố: 16/KH-MTTQ-BTT\n\nLương Minh, ngày 18 tháng 11 năm 2025\n\nKẾ HOẠCH\n\n\
            Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI\n\nCăn cứ Luật Bầu cử;");
        assert_eq!(
            h.title.as_deref(),
            Some("Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI")
        );
        // A body paragraph opening with "Thực hiện" is not a title.
        let h = parse("BAN THƯỜNG TRỰC\n\nSố: 16/KH-MTTQ-BTT\n\nLương Minh, ngày 18 tháng 11 năm 2025\n\nKẾ HOẠCH\n\n\
            Thực hiện Chỉ thị số 46-CT/TW của Bộ Chính trị, Ban Thường trực xây dựng kế hoạch như sau:\n");
        assert_eq!(h.title, None);
        let h = parse("| VĂN PHÒNG CHÍNH PHỦ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n\
            | Số: 3354/VPCP-KGVX V/v ban hành Thông tư hướng dẫn | Hà Nội, ngày 26 tháng 04 năm 2013 |\n\nKính gửi: Bộ Lao động");
        assert_eq!(h.title.as_deref(), Some("V/v ban hành Thông tư hướng dẫn"));
    }

    #[test]
    fn a_long_paragraph_quoting_the_motto_is_not_a_motto() {
        let short = "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG\nĐảng Cộng sản Việt Nam\n";
        assert!(parse(short).issuer.is_some(), "a motto line makes a header");
        let paragraph = format!(
            "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG\n{} Đảng Cộng sản Việt Nam {}\n",
            "Theo báo cáo của tỉnh, ".repeat(20),
            "các phong trào thi đua ".repeat(10)
        );
        assert!(paragraph.len() > MOTTO_MAX_BYTES);
        assert_eq!(parse(&paragraph).issuer, None);
    }

    /// Pieces of place–date lines, for strings the regex may or may not match.
    const PIECES: &[&str] = &[
        "Hà Nội",
        "Quận 1",
        "TP. Hồ Chí Minh",
        "Cà Mau",
        "x",
        "tại",
        ",",
        ", ",
        " ,",
        "ngày",
        "Ngày",
        "NGÀY",
        " ",
        "  ",
        "\t",
        "\n",
        "12",
        "3",
        "2020",
        "19",
        "tháng",
        "Tháng",
        "THÁNG",
        "năm",
        "Năm",
        "NĂM",
        ".",
        "…",
        "-",
        "\u{A0}",
        "\u{2003}",
        "Số: 12/KH",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn place_date_is_the_regex_on_the_whole_text(
            parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
        ) {
            let s: String = parts.concat();
            let spans = |c: Option<Captures<'_>>| -> Vec<Option<(usize, usize)>> {
                c.map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                    .unwrap_or_default()
            };
            prop_assert_eq!(spans(place_date(&s)), spans(PLACE_DATE.captures(&s)), "{:?}", s);
        }
    }

    #[test]
    fn a_type_line_may_carry_a_stray_quote_from_ocr() {
        let h = parse("BỘ LAO ĐỘNG\nSố: 836/VBHN-BLĐTBXH\nHà Nội, ngày 05 tháng 3 năm 2024\nTHÔNG TƯ”\nHƯỚNG DẪN VIỆC X\nCăn cứ");
        assert_eq!(h.doc_type.as_deref(), Some("Thông tư"));
    }

    #[test]
    fn place_date_may_follow_the_number_on_one_line() {
        // A header table flattened by an export: number cell and date cell on one line.
        let h = parse("BỘ LAO ĐỘNG\nSố: 836/VBHN-BLĐTBXH Hà Nội, ngày 05 tháng 3 năm 2024\nTHÔNG TƯ\nHƯỚNG DẪN");
        assert_eq!(h.date.map(|d| d.to_string()).as_deref(), Some("2024-03-05"));
        assert_eq!(h.place.as_deref(), Some("Hà Nội"));
        assert_eq!(h.number.as_deref(), Some("836/VBHN-BLĐTBXH"));
    }

    #[test]
    fn place_date_finds_a_later_line_and_skips_false_starts() {
        let s = "Hà Nội, ngày mai\nx, ngày 3 tháng 4\nBình Thuận, ngày 3 tháng 8 năm 2020";
        let c = place_date(s).expect("a match");
        assert_eq!(&c["place"], "Bình Thuận");
        assert_eq!(&c["y"], "2020");
        assert!(place_date("Hà Nội, ngày 3 tháng 8").is_none());
    }

    #[test]
    fn proper_bodies() {
        assert_eq!(proper_body("SỞ CÔNG THƯƠNG"), "Sở Công Thương");
        assert_eq!(
            proper_body("UBND TỈNH KIÊN GIANG"),
            "Ủy ban nhân dân tỉnh Kiên Giang"
        );
        assert_eq!(proper_body("TỈNH ỦY KIÊN GIANG"), "Tỉnh ủy Kiên Giang");
        assert_eq!(proper_body("CỤC THUẾ"), "Cục Thuế");
        assert_eq!(proper_body("BỘ TÀI CHÍNH"), "Bộ Tài chính");
    }

    #[test]
    fn markdown_table_header() {
        let t = "| ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN -------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---- |\n|---|---|\n| Số: 1766/QĐ-UBND | Bình Thuận, ngày 3 tháng 8 năm 2020 |\n\nQUYẾT ĐỊNH\n\nVỀ VIỆC CÔNG BỐ DANH MỤC\n\nCăn cứ Luật";
        let h = parse(t);
        assert_eq!(h.number.as_deref(), Some("1766/QĐ-UBND"));
        assert_eq!(h.place.as_deref(), Some("Bình Thuận"));
        assert_eq!(h.date.map(|d| d.to_string()).as_deref(), Some("2020-08-03"));
        assert_eq!(h.doc_type.as_deref(), Some("Quyết định"));
        assert_eq!(h.title.as_deref(), Some("VỀ VIỆC CÔNG BỐ DANH MỤC"));
        assert_eq!(h.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Bình Thuận"));
    }

    #[test]
    fn a_symbol_spread_apart_is_joined_only_into_known_abbreviations() {
        assert_eq!(
            join_split_symbol("Số: 3210/QĐ - U B ND"),
            "Số: 3210/QĐ - UBND"
        );
        assert_eq!(
            own_number("Số: 3210/QĐ - U B ND").as_deref(),
            Some("3210/QĐ-UBND")
        );
        // Nothing known: unchanged.
        assert_eq!(join_split_symbol("Số: 12/KH - X Y Z"), "Số: 12/KH - X Y Z");
        assert_eq!(join_split_symbol("Số: 136/KH-UBND"), "Số: 136/KH-UBND");
    }

    #[test]
    fn a_body_spread_apart_is_restored_only_to_a_known_name() {
        assert_eq!(
            proper_body("B Ộ LAO ĐỘNG - THƯƠNG BINH V À X Ã HỘI"),
            "Bộ Lao động - Thương binh và Xã hội"
        );
        assert_eq!(
            proper_body("ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH"),
            "Ủy ban nhân dân thành phố Hồ Chí Minh"
        );
        assert_eq!(proper_body("SỞ CÔNG THƯƠNG"), "Sở Công Thương");
    }
}
