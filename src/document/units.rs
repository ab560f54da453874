//! Administrative units below the province (`data/units.tsv`, built by
//! `examples/units_table.rs` from the General Statistics Office register as kept by
//! the MIT-licensed vietnamese-provinces-database): the 3,321 communes, wards and
//! special zones in force since 1 July 2025 with their province, and before the
//! reform the districts and the communes, wards and towns with their district and
//! province and the new units they were merged into.
//!
//! [`locate`] finds the unit that issued a document from the issuer lines of its
//! header (`UBND XÃ LƯƠNG MINH`, `ĐẢNG ỦY PHƯỜNG 1`, `HUYỆN BA CHẼ`) or, failing
//! that, the place of its place–date line (`Lương Minh, ngày …`). A name found in
//! several provinces is decided by the rest of the header (a district or province
//! named in the issuer lines, the place line) and the provinces the text names;
//! when that leaves more than one unit, nothing is decided and the candidates are
//! listed. Names are compared on a folded key (tone placement, accents and case
//! ignored: `Hoà` = `Hòa`); among several units with the same key, those whose
//! accented name is the one written are preferred.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::date::PartialDate;
use super::places::{self, Province};
use super::text::{fold_chars, lowercase, normalize_tones};

const UNITS_TSV: &str = include_str!("../../data/units.tsv");

/// The first day of the two-level system (communes directly under the province).
const REFORM: PartialDate = PartialDate::const_ymd(2025, 7, 1);

/// The level of an issuing body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Level {
    /// A national body (ministries, the Government, national committees).
    Central,
    /// A province or centrally-run city, or one of its departments.
    Province,
    /// A district, town or provincial city before 1 July 2025.
    District,
    /// A commune, ward, township or special zone.
    Commune,
}

impl Level {
    /// The value of the record's `level` field.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Level::Central => "trung ương",
            Level::Province => "tỉnh",
            Level::District => "huyện",
            Level::Commune => "xã",
        }
    }
}

/// Whether a unit is a commune-level or a district-level one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Commune,
    District,
}

/// One administrative unit of the table.
#[derive(Debug)]
struct Unit {
    /// In force since 1 July 2025 (else: before the reform).
    current: bool,
    tier: Tier,
    /// `xã`, `phường`, `thị trấn`, `đặc khu`, `huyện`, `quận`, `thị xã`, `thành phố`.
    kind: String,
    /// The name without its type (`Lương Minh`, `1` for a numbered ward).
    name: String,
    /// Accented keys of its names (lower case, tones in one placement).
    accented: Vec<String>,
    /// The province at the time the unit existed.
    province: &'static Province,
    /// The province after 1 July 2025 (through the merges, for older units).
    province_current: String,
    /// The district of a commune before the reform (index into the table).
    district: Option<usize>,
}

impl Unit {
    /// `xã Lương Minh`, `phường 1`.
    fn label(&self) -> String {
        format!("{} {}", self.kind, self.name)
    }
}

struct Table {
    units: Vec<Unit>,
    /// Folded name key → communes, wards and zones (both eras).
    communes: HashMap<String, Vec<usize>>,
    /// Folded name key → districts before the reform.
    districts: HashMap<String, Vec<usize>>,
}

/// The words of a text: (accented key, folded key) pairs, split at anything that is
/// not a letter, a digit or a combining mark; numbers lose their leading zeros.
fn words(s: &str) -> Vec<(String, String)> {
    let lower = normalize_tones(&lowercase(s));
    lower
        .split(|c: char| !(c.is_alphanumeric() || super::text::is_combining(c)))
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.chars().all(|c| c.is_ascii_digit()) {
                let n = w.trim_start_matches('0');
                let n = if n.is_empty() { "0" } else { n };
                (n.to_string(), n.to_string())
            } else {
                (w.to_string(), fold_chars(w))
            }
        })
        .collect()
}

fn join(ws: &[(String, String)], folded: bool) -> String {
    ws.iter()
        .map(|(a, f)| if folded { f.as_str() } else { a.as_str() })
        .collect::<Vec<_>>()
        .join(" ")
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut units: Vec<Unit> = Vec::new();
    let mut names: Vec<Vec<String>> = Vec::new();
    // (kind letter, code) → index
    let mut by_code: HashMap<(char, &str), usize> = HashMap::new();
    // old unit index → codes of the new units it went into
    let mut merged: Vec<(usize, &str)> = Vec::new();
    let mut pending_district: Vec<(usize, &str)> = Vec::new();
    for line in UNITS_TSV.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [kind, code, typ, name, prov, district, new] = f[..] else {
            continue;
        };
        let Some(k) = kind.chars().next() else {
            continue;
        };
        let Some(coded) = places::by_code(prov) else {
            continue;
        };
        let (current, tier, province) = match k {
            // A 2025 province code is the old code of one of its members; the
            // province is named after the member that kept its name.
            'u' => (
                true,
                Tier::Commune,
                places::province(&coded.current).unwrap_or(coded),
            ),
            'd' => (false, Tier::District, coded),
            'o' => (false, Tier::Commune, coded),
            _ => continue,
        };
        let alternatives: Vec<String> = name.split('|').map(str::to_string).collect();
        let i = units.len();
        units.push(Unit {
            current,
            tier,
            kind: typ.to_string(),
            name: alternatives.first().cloned().unwrap_or_default(),
            accented: alternatives
                .iter()
                .map(|n| join(&words(n), false))
                .collect(),
            province,
            province_current: coded.current.clone(),
            district: None,
        });
        names.push(alternatives);
        by_code.insert((k, code), i);
        if k == 'o' {
            if !new.is_empty() {
                merged.push((i, new));
            }
            if !district.is_empty() {
                pending_district.push((i, district));
            }
        }
    }
    for (i, d) in pending_district {
        units[i].district = by_code.get(&('d', d)).copied();
    }
    for (i, new) in merged {
        let provinces: Vec<String> = new
            .split(',')
            .filter_map(|c| by_code.get(&('u', c)))
            .map(|&j| units[j].province_current.clone())
            .collect();
        // Through the merge when it names one province (always, in practice).
        if let Some(first) = provinces.first() {
            if provinces.iter().all(|p| p == first) {
                units[i].province_current = first.clone();
            }
        }
    }
    let mut communes: HashMap<String, Vec<usize>> = HashMap::new();
    let mut districts: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (u, alternatives)) in units.iter().zip(&names).enumerate() {
        let map = match u.tier {
            Tier::Commune => &mut communes,
            Tier::District => &mut districts,
        };
        for n in alternatives {
            let key = join(&words(n), true);
            if !key.is_empty() {
                let v = map.entry(key).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
    }
    Table {
        units,
        communes,
        districts,
    }
});

/// The type word at the start of `ws` (accented keys): its tier, the canonical word
/// and how many words it takes.
///
/// In a text typed without any accent (`ascii`), the folded words are read as the
/// type words they spell (`phuong` as `phường`); in accented text they are not
/// (`phương án` is a plan, not a ward).
fn type_word(ws: &[(String, String)], ascii: bool) -> Option<(Tier, &'static str, usize)> {
    let accented = |w: &(String, String)| -> String {
        if !ascii {
            return w.0.clone();
        }
        let a = match w.1.as_str() {
            "thi" => "thị",
            "tran" => "trấn",
            "xa" => "xã",
            "dac" => "đặc",
            "thanh" => "thành",
            "pho" => "phố",
            "phuong" => "phường",
            "huyen" => "huyện",
            "quan" => "quận",
            other => other,
        };
        a.to_string()
    };
    let first = accented(ws.first()?);
    let second = ws.get(1).map(accented);
    Some(match (first.as_str(), second.as_deref()) {
        // `Lao động - Thương binh và Xã hội`: society, not a commune.
        ("xã", Some("hội" | "hoi")) => return None,
        ("thị", Some("trấn")) => (Tier::Commune, "thị trấn", 2),
        ("thị", Some("xã")) => (Tier::District, "thị xã", 2),
        ("đặc", Some("khu")) => (Tier::Commune, "đặc khu", 2),
        ("thành", Some("phố")) => (Tier::District, "thành phố", 2),
        ("tp", _) => (Tier::District, "thành phố", 1),
        ("xã", _) => (Tier::Commune, "xã", 1),
        ("phường", _) => (Tier::Commune, "phường", 1),
        ("huyện", _) => (Tier::District, "huyện", 1),
        ("quận", _) => (Tier::District, "quận", 1),
        _ => return None,
    })
}

/// A unit named with its type in a line (`xã Lương Minh`): every unit it can be.
#[derive(Debug, Clone)]
struct Mention {
    tier: Tier,
    kind: &'static str,
    candidates: Vec<usize>,
}

/// The longest known name after each type word of `line`.
fn mentions_in(line: &str) -> Vec<Mention> {
    let t = &*TABLE;
    let ws = words(line);
    let ascii = line.is_ascii();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        // `cơ quan`: not a district.
        let after_co = i > 0 && ws[i - 1].1 == "co";
        let Some((tier, kind, n)) = type_word(&ws[i..], ascii).filter(|_| !after_co) else {
            i += 1;
            continue;
        };
        let map = match tier {
            Tier::Commune => &t.communes,
            Tier::District => &t.districts,
        };
        // `huyện ủy X`, `quận ủy X`: the party committee of the district.
        let start = if ws.get(i + n).is_some_and(|w| w.1 == "uy") {
            i + n + 1
        } else {
            i + n
        };
        let found = (1..=6.min(ws.len().saturating_sub(start)))
            .rev()
            .find_map(|len| {
                let name = &ws[start..start + len];
                map.get(&join(name, true))
                    .map(|c| (len, c, join(name, false)))
            });
        match found {
            Some((len, cands, accented)) => {
                out.push(Mention {
                    tier,
                    kind,
                    candidates: prefer_accented(cands, &accented),
                });
                i = start + len;
            }
            None => i += n,
        }
    }
    out
}

/// Of units sharing a folded key, those whose accented name is the one written (all
/// when none is, as for text typed without accents).
fn prefer_accented(cands: &[usize], accented: &str) -> Vec<usize> {
    let t = &*TABLE;
    let exact: Vec<usize> = cands
        .iter()
        .copied()
        .filter(|&i| t.units[i].accented.iter().any(|a| a == accented))
        .collect();
    if exact.is_empty() {
        cands.to_vec()
    } else {
        exact
    }
}

/// Which units a date can mean: `Some(true)` the units in force since 1 July 2025,
/// `Some(false)` the older ones, `None` when the date does not say.
fn era(date: Option<PartialDate>) -> Option<bool> {
    let d = date?;
    if d.first_day() >= REFORM {
        Some(true)
    } else if d.last_day() < REFORM {
        Some(false)
    } else {
        None
    }
}

/// Keeps the candidates for which `keep` holds, unless none does.
fn narrow(cands: &mut Vec<usize>, keep: impl Fn(&Unit) -> bool) {
    let t = &*TABLE;
    let kept: Vec<usize> = cands
        .iter()
        .copied()
        .filter(|&i| keep(&t.units[i]))
        .collect();
    if !kept.is_empty() {
        *cands = kept;
    }
}

/// Whether a unit lies in the province `p` names (at its time, or after 2025).
fn in_province(u: &Unit, p: &Province) -> bool {
    if u.current {
        u.province_current == p.current
    } else {
        u.province.name == p.name
    }
}

/// What else a document says about where it comes from.
#[derive(Debug, Default)]
pub(crate) struct Hints<'a> {
    /// Provinces named in the issuer lines.
    pub header: Vec<&'static Province>,
    /// The province of the place–date line.
    pub place: Option<&'static Province>,
    /// The folded token stream of the text (see [`Hints::body`]).
    folded: &'a str,
    body: std::cell::OnceCell<Vec<(&'static Province, usize)>>,
}

impl<'a> Hints<'a> {
    /// Hints from the issuer lines' provinces, the place line's and the text's
    /// folded token stream ([`crate::analysis::Streams::folded`]).
    pub(crate) fn new(
        header: Vec<&'static Province>,
        place: Option<&'static Province>,
        folded: &'a str,
    ) -> Hints<'a> {
        Hints {
            header,
            place,
            folded,
            body: std::cell::OnceCell::new(),
        }
    }

    /// The provinces the text names with a prefix (`tỉnh Hậu Giang`), with how
    /// often, in order of first mention; counted on first use only (most documents
    /// are placed by their header).
    pub(crate) fn body(&self) -> &[(&'static Province, usize)] {
        self.body.get_or_init(|| {
            let mut counts: Vec<(&'static Province, usize)> = Vec::new();
            for p in places::mentions(self.folded) {
                match counts.iter_mut().find(|(q, _)| q.name == p.name) {
                    Some((_, c)) => *c += 1,
                    None => counts.push((p, 1)),
                }
            }
            counts
        })
    }
}

/// The unit a document comes from, as far as it is known.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Located {
    /// `xã` or `huyện` when the issuer lines name such a unit.
    pub level: Option<Level>,
    /// The commune, ward or zone (`xã Lương Minh`).
    pub commune: Option<String>,
    /// The district, before the reform (`huyện Ba Chẽ`).
    pub district: Option<String>,
    /// The province at the time of issue, when the unit is decided.
    pub province: Option<&'static Province>,
    /// The province after 1 July 2025, when the unit is decided.
    pub province_current: Option<String>,
    /// The units the name can be when it is not decided (`xã Tân Lập (Phú Thọ)`).
    pub candidates: Vec<String>,
}

/// Decides among the units a name can be, by era, type, district and the hints.
fn decide(
    mut cands: Vec<usize>,
    kind: &str,
    date: Option<PartialDate>,
    districts: &[usize],
    hints: &Hints,
) -> Vec<usize> {
    let t = &*TABLE;
    if let Some(now) = era(date) {
        narrow(&mut cands, |u| u.current == now);
    }
    narrow(&mut cands, |u| u.kind == kind);
    if !districts.is_empty() {
        narrow(&mut cands, |u| {
            u.district.is_some_and(|d| districts.contains(&d))
        });
    }
    if cands.len() > 1 && !hints.header.is_empty() {
        narrow(&mut cands, |u| {
            hints.header.iter().any(|p| in_province(u, p))
        });
    }
    if cands.len() > 1 {
        if let Some(p) = hints.place {
            narrow(&mut cands, |u| in_province(u, p));
        }
    }
    if cands.len() > 1 {
        // The province the text names most often among the candidates', if one is
        // named strictly more than the others.
        let count = |u: &Unit| {
            hints
                .body()
                .iter()
                .filter(|(p, _)| in_province(u, p))
                .map(|(_, c)| *c)
                .sum::<usize>()
        };
        let mut counts: Vec<usize> = cands.iter().map(|&i| count(&t.units[i])).collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        if counts
            .first()
            .is_some_and(|&c| c > 0 && counts.get(1) != Some(&c))
        {
            let best = counts[0];
            narrow(&mut cands, |u| count(u) == best);
        }
    }
    // The same unit under two codes (none in the table, but harmless).
    cands.dedup();
    cands
}

fn located(cands: &[usize], tier: Tier, written: String) -> Located {
    let t = &*TABLE;
    let level = Some(match tier {
        Tier::Commune => Level::Commune,
        Tier::District => Level::District,
    });
    if let [one] = cands {
        let u = &t.units[*one];
        let (commune, district) = match u.tier {
            Tier::Commune => (Some(u.label()), u.district.map(|d| t.units[d].label())),
            Tier::District => (None, Some(u.label())),
        };
        return Located {
            level,
            commune,
            district,
            province: Some(u.province),
            province_current: Some(u.province_current.clone()),
            candidates: Vec::new(),
        };
    }
    let mut candidates: Vec<String> = cands
        .iter()
        .map(|&i| {
            let u = &t.units[i];
            match u.district {
                Some(d) => format!(
                    "{} ({}, {})",
                    u.label(),
                    t.units[d].label(),
                    u.province.name
                ),
                None => format!("{} ({})", u.label(), u.province.name),
            }
        })
        .collect();
    candidates.sort();
    candidates.dedup();
    let (commune, district) = match tier {
        Tier::Commune => (Some(written), None),
        Tier::District => (None, Some(written)),
    };
    // Several units, one province: the province is known all the same.
    let first = cands.first().map(|&i| &t.units[i]);
    let same =
        |f: fn(&Unit) -> &str| first.filter(|u| cands.iter().all(|&i| f(&t.units[i]) == f(u)));
    let province = same(|u| u.province.name.as_str()).map(|u| u.province);
    let province_current =
        same(|u| u.province_current.as_str()).map(|u| u.province_current.clone());
    Located {
        level,
        commune,
        district,
        province: province.filter(|_| province_current.is_some()),
        province_current: province_current.filter(|_| province.is_some()),
        candidates,
    }
}

/// The unit that issued a document: the last commune (else district) the issuer
/// lines name with its type, or the place of the place–date line when it is a
/// commune's name and not a province's or a known city's. `None` when neither
/// names a unit of the table.
pub(crate) fn locate(
    issuer_lines: &[String],
    place: Option<&str>,
    date: Option<PartialDate>,
    hints: &Hints,
) -> Option<Located> {
    let t = &*TABLE;
    let all: Vec<Mention> = issuer_lines
        .iter()
        .flat_map(|l| mentions_in(l))
        // Districts were abolished on 1 July 2025: a `thành phố` named after that is
        // a province-level city.
        .filter(|m| !(m.tier == Tier::District && era(date) == Some(true)))
        .collect();
    let districts: Vec<usize> = all
        .iter()
        .filter(|m| m.tier == Tier::District)
        .flat_map(|m| m.candidates.iter().copied())
        .collect();
    let pick = all
        .iter()
        .rev()
        .find(|m| m.tier == Tier::Commune)
        .or_else(|| all.iter().rev().find(|m| m.tier == Tier::District));
    if let Some(m) = pick {
        let within: &[usize] = if m.tier == Tier::Commune {
            &districts
        } else {
            &[]
        };
        let cands = decide(m.candidates.clone(), m.kind, date, within, hints);
        let written = cands
            .first()
            .map(|&i| format!("{} {}", m.kind, t.units[i].name))
            .unwrap_or_default();
        let mut out = located(&cands, m.tier, written);
        if cands.len() == 1 && contradicted(&cands, hints) {
            // The header's province stands; the unit stays undecided.
            let u = &t.units[cands[0]];
            out.candidates = vec![format!("{} ({})", u.label(), u.province.name)];
            out.province = None;
            out.province_current = None;
            if u.tier == Tier::Commune {
                out.district = None;
            }
        }
        return Some(out);
    }
    // The place of issue alone: a commune's name that is not a province's.
    let place = place?.trim();
    if places::resolve_place(place).is_some() {
        return None;
    }
    let ws = words(place);
    let (kind, name) = match type_word(&ws, place.is_ascii()) {
        Some((Tier::Commune, kind, n)) => (Some(kind), &ws[n..]),
        Some(_) => return None,
        None => (None, &ws[..]),
    };
    let cands = prefer_accented(t.communes.get(&join(name, true))?, &join(name, false));
    let cands = decide(cands, kind.unwrap_or(""), date, &[], hints);
    // A place alone decides only one unit, and one the issuer lines do not contradict.
    if cands.len() != 1 || contradicted(&cands, hints) {
        return None;
    }
    let mut out = located(&cands, Tier::Commune, String::new());
    // The level is the issuer's: the place alone does not say it.
    out.level = None;
    Some(out)
}

/// Whether the issuer lines name provinces and the one candidate is in none of them
/// (a name of another province's unit, or a unit missing from the table).
fn contradicted(cands: &[usize], hints: &Hints) -> bool {
    let t = &*TABLE;
    !hints.header.is_empty()
        && cands
            .iter()
            .all(|&i| !hints.header.iter().any(|p| in_province(&t.units[i], p)))
}

/// Whether the issuer lines name a commune-level body whose name is not in the
/// table (`UBND XÃ …` misspelt): its level is still `xã`.
pub(crate) fn names_commune_body(issuer_lines: &[String]) -> bool {
    issuer_lines.iter().any(|l| {
        let ws = words(l);
        (0..ws.len())
            .any(|i| matches!(type_word(&ws[i..], l.is_ascii()), Some((Tier::Commune, _, n)) if i + n < ws.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints() -> Hints<'static> {
        Hints::default()
    }

    fn date(y: u16, m: u8, d: u8) -> Option<PartialDate> {
        PartialDate::from_ymd(y, m, d).ok()
    }

    #[test]
    fn table_loads() {
        let t = &*TABLE;
        let current = t.units.iter().filter(|u| u.current).count();
        let districts = t.units.iter().filter(|u| u.tier == Tier::District).count();
        assert_eq!(current, 3321);
        assert_eq!(districts, 696);
        assert_eq!(t.units.len(), 3321 + 696 + 10035);
        // Every old commune knows its district.
        assert!(t
            .units
            .iter()
            .filter(|u| !u.current && u.tier == Tier::Commune)
            .all(|u| u.district.is_some()));
    }

    #[test]
    fn unique_commune_resolves_to_its_province() {
        let lines = vec!["ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH BAN THƯỜNG TRỰC".to_string()];
        let l = locate(&lines, Some("Lương Minh"), date(2025, 11, 18), &hints()).expect("found");
        assert_eq!(l.commune.as_deref(), Some("xã Lương Minh"));
        assert_eq!(l.level, Some(Level::Commune));
        assert_eq!(l.province.map(|p| p.name.as_str()), Some("Quảng Ninh"));
        assert_eq!(l.province_current.as_deref(), Some("Quảng Ninh"));
        // Before the reform the commune was in huyện Ba Chẽ.
        let l = locate(&lines, None, date(2020, 5, 1), &hints()).expect("found");
        assert_eq!(l.district.as_deref(), Some("huyện Ba Chẽ"));
    }

    #[test]
    fn tone_placement_and_case_do_not_matter() {
        for line in [
            "PHƯỜNG BẮC CAM RANH",
            "phường Bắc Cam Ranh",
            "Phuong Bac Cam Ranh",
        ] {
            let l = locate(&[line.to_string()], None, date(2025, 11, 1), &hints()).expect(line);
            assert_eq!(
                l.province.map(|p| p.current.as_str()),
                Some("Khánh Hòa"),
                "{line}"
            );
        }
    }

    #[test]
    fn society_is_not_a_commune() {
        let lines = vec!["BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI".to_string()];
        assert_eq!(
            locate(&lines, Some("Hà Nội"), date(2020, 1, 1), &hints()),
            None
        );
        assert!(!names_commune_body(&lines));
        assert!(names_commune_body(&["UBND XÃ KHÔNG CÓ THẬT".to_string()]));
    }

    #[test]
    fn numbered_wards_and_districts() {
        let l = locate(
            &["UBND QUẬN 1".to_string()],
            None,
            date(2020, 1, 1),
            &hints(),
        )
        .expect("quận 1");
        assert_eq!(l.level, Some(Level::District));
        assert_eq!(l.district.as_deref(), Some("quận 1"));
        assert_eq!(l.province.map(|p| p.name.as_str()), Some("Hồ Chí Minh"));
    }
}
