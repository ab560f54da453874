//! Provinces gazetteer: the 63 units before the 1 July 2025 merger, the 34 after
//! (Nghị quyết 202/2025/QH15), their text forms, and cities/districts that identify
//! a province (`data/provinces.csv`, `data/province_aliases.tsv`, `data/places.tsv`).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::text::fold_chars;

const PROVINCES_CSV: &str = include_str!("../../data/provinces.csv");
const ALIASES_TSV: &str = include_str!("../../data/province_aliases.tsv");
const PLACES_TSV: &str = include_str!("../../data/places.tsv");

/// A province-level unit as it was before 1 July 2025.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// Canonical name before the merger (`Kiên Giang`).
    pub name: String,
    /// Statistical code before the merger (`91`).
    pub code: String,
    /// Name of the unit it belongs to after 1 July 2025 (`An Giang`).
    pub current: String,
    /// Whether it was a centrally-run city (thành phố trực thuộc Trung ương).
    pub city: bool,
}

impl Province {
    /// The level word used before the name: `tỉnh` or `thành phố`.
    pub fn level_word(&self) -> &'static str {
        if self.city {
            "thành phố"
        } else {
            "tỉnh"
        }
    }
}

struct Gazetteer {
    provinces: Vec<Province>,
    /// folded bare name / variant → province index (provinces' own names and variants).
    names: HashMap<String, usize>,
    /// folded city/district name → province index.
    places: HashMap<String, usize>,
    /// folded stand-alone abbreviations (`tp.hcm`, `tt-hue`, `br-vt`) → province index.
    abbrevs: HashMap<String, usize>,
    /// Bare-name finder over folded text (no `ho chi minh`).
    bare_re: Regex,
    /// Prefixed mention finder over a folded token stream (see [`mentions`]).
    stream_re: Regex,
    /// Stream form of a name or variant → province index.
    stream_names: HashMap<String, usize>,
    /// Stream form of a city/district name → province index.
    stream_places: HashMap<String, usize>,
    /// Stream form of an abbreviation (`tp hcm`, `br vt`) → province index.
    stream_abbrevs: HashMap<String, usize>,
}

/// A text as the folded analyzer view writes it: its tokens joined by spaces
/// (`Bà Rịa-Vũng Tàu` → `ba ria vung tau`, `TP.HCM` → `tp hcm`), the input of
/// [`mentions`].
pub(crate) fn stream_form(name: &str) -> String {
    crate::analysis::encode(name).folded
}

fn parse_csv_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn alternation(keys: &mut Vec<String>) -> String {
    keys.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    keys.dedup();
    keys.iter()
        .map(|k| regex::escape(k).replace("\\ ", r"\s+").replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

static GAZ: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut provinces = Vec::new();
    for line in PROVINCES_CSV.lines().skip(1) {
        let f = parse_csv_line(line);
        if f.len() < 4 {
            continue;
        }
        provinces.push(Province {
            name: f[0].trim().to_string(),
            code: f[1].trim().to_string(),
            current: f[2].trim().to_string(),
            city: f[3].contains("old_type=thành phố"),
        });
    }
    let index: HashMap<String, usize> = provinces
        .iter()
        .enumerate()
        .map(|(i, p)| (fold_chars(&p.name), i))
        .collect();
    let mut names = index.clone();
    let mut abbrevs = HashMap::new();
    for line in ALIASES_TSV.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        let Some(&i) = index.get(&fold_chars(f[0].trim())) else {
            continue;
        };
        let alias = fold_chars(f[2].trim());
        match f[3].trim() {
            "name" | "spelling" | "tone-variant" | "dash-variant" | "ascii" | "partial" => {
                names.insert(alias, i);
            }
            "abbrev" => {
                // Bare `hcm`/`hn` are too ambiguous; prefixed forms are found by the
                // prefix rule anyway.
                if alias.len() > 3 && !alias.starts_with("tp. ") && !alias.starts_with("tp ") {
                    abbrevs.insert(alias, i);
                } else if let Some(rest) = alias
                    .strip_prefix("tp. ")
                    .or_else(|| alias.strip_prefix("tp "))
                {
                    if rest == "hcm" {
                        abbrevs.insert(alias.clone(), i);
                    }
                }
            }
            _ => {}
        }
    }
    let mut places = HashMap::new();
    for line in PLACES_TSV.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 2 {
            continue;
        }
        if let Some(&i) = index.get(&fold_chars(f[1].trim())) {
            places.insert(fold_chars(f[0].trim()), i);
        }
    }
    let mut bare: Vec<String> = names
        .keys()
        .chain(places.keys())
        .filter(|k| k.as_str() != "ho chi minh")
        .cloned()
        .collect();
    let bare_re = format!(r"(?-u:\b)(?:{})(?-u:\b)", alternation(&mut bare));
    let restream = |m: &HashMap<String, usize>| -> HashMap<String, usize> {
        let mut out = HashMap::new();
        for (k, &i) in m {
            out.entry(stream_form(k)).or_insert(i);
        }
        out.remove("");
        out
    };
    let (stream_names, stream_places, stream_abbrevs) =
        (restream(&names), restream(&places), restream(&abbrevs));
    let literal = |keys: Vec<&String>| {
        let mut keys: Vec<&String> = keys;
        keys.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        keys.dedup();
        keys.iter()
            .map(|k| regex::escape(k))
            .collect::<Vec<_>>()
            .join("|")
    };
    let stream_re = format!(
        r"(?-u:\b)(?P<pre>tinh uy|thanh uy|dang bo tinh|dang bo thanh pho|tinh|thanh pho|tp|thu do|huyen|thi xa|quan) (?P<name>{})(?-u:\b)|(?-u:\b)(?P<abbr>{})(?-u:\b)",
        literal(stream_names.keys().chain(stream_places.keys()).collect()),
        literal(stream_abbrevs.keys().collect())
    );
    Gazetteer {
        provinces,
        names,
        places,
        abbrevs,
        bare_re: Regex::new(&bare_re).expect("built-in province regex"),
        stream_re: Regex::new(&stream_re).expect("built-in province regex"),
        stream_names,
        stream_places,
        stream_abbrevs,
    }
});

/// Every province before the merger, and the name of what it became (the same
/// names, for most).
pub(crate) fn province_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    GAZ.provinces
        .iter()
        .map(|p| (p.name.as_str(), p.current.as_str()))
}

/// The province with this canonical name or any known variant (`Thanh Hoá`,
/// `TP.HCM`, `Bắc Cạn`), or the province of a known city/district (`Rạch Giá`).
pub fn province(name: &str) -> Option<&'static Province> {
    let f = fold_chars(name.trim());
    let f = f.trim();
    let g = &*GAZ;
    let i = g
        .names
        .get(f)
        .or_else(|| g.places.get(f))
        .or_else(|| g.abbrevs.get(f))?;
    g.provinces.get(*i)
}

/// The province (before the merger) with this statistical code (`22`); a 2025 code
/// is the old code of the member whose name or code the new province kept.
pub(crate) fn by_code(code: &str) -> Option<&'static Province> {
    GAZ.provinces.iter().find(|p| p.code == code.trim())
}

/// Resolves the place of a place–date line (`Kiên Giang`, `Rạch Giá`, `TP. Hồ Chí
/// Minh`, `Quận 1`). A bare `Hồ Chí Minh` never resolves.
pub fn resolve_place(place: &str) -> Option<&'static Province> {
    let g = &*GAZ;
    // A place that is one prefixed mention as a whole (`TP. Hồ Chí Minh`).
    let stream = stream_form(place);
    if let Some(c) = g.stream_re.captures(&stream) {
        if c.get(0)
            .is_some_and(|m| m.start() == 0 && m.end() == stream.len())
        {
            return mention(&c);
        }
    }
    let f = fold_chars(place.trim());
    let f = f.trim().trim_end_matches([',', '.']).trim();
    if f == "ho chi minh" {
        return None;
    }
    if let Some(rest) = f.strip_prefix("quan ") {
        if rest.chars().all(|c| c.is_ascii_digit()) && !rest.is_empty() {
            return province("Hồ Chí Minh");
        }
    }
    let i = g.names.get(f).or_else(|| g.places.get(f))?;
    g.provinces.get(*i)
}

/// The province of one match of the mention finder.
fn mention(c: &regex::Captures<'_>) -> Option<&'static Province> {
    let g = &*GAZ;
    let i = if let Some(a) = c.name("abbr") {
        g.stream_abbrevs.get(a.as_str())?
    } else {
        let name = c.name("name")?.as_str();
        // After a district word the name is a district or city's, not a province's.
        if matches!(c.name("pre")?.as_str(), "huyen" | "thi xa" | "quan") {
            g.stream_places.get(name)?
        } else {
            g.stream_names
                .get(name)
                .or_else(|| g.stream_places.get(name))?
        }
    };
    g.provinces.get(*i)
}

/// Prefixed province mentions (`tỉnh Kiên Giang`, `TP.HCM`, `thành phố Rạch Giá`,
/// `Tỉnh ủy Bắc Kạn`) in a folded token stream ([`crate::analysis::Streams::folded`],
/// or [`stream_form`] of a line), in order of appearance. Matched on tokens, so
/// punctuation and line breaks between the words do not matter (`TP.HCM`, `TP. HCM`
/// and `tp hcm` are one form) and a name inside a longer word never matches.
pub(crate) fn mentions(stream: &str) -> Vec<&'static Province> {
    GAZ.stream_re
        .captures_iter(stream)
        .filter_map(|c| mention(&c))
        .collect()
}

/// First bare province/city name in a folded text (for header lines such as
/// `SỞ CÔNG THƯƠNG KIÊN GIANG`). Never a bare `Hồ Chí Minh`.
pub(crate) fn first_bare(folded: &str) -> Option<&'static Province> {
    let g = &*GAZ;
    let m = g.bare_re.find(folded)?;
    let key: String = m.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
    let i = g.names.get(&key).or_else(|| g.places.get(&key))?;
    g.provinces.get(*i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert_eq!(GAZ.provinces.len(), 63);
        let mut cur: Vec<&str> = GAZ.provinces.iter().map(|p| p.current.as_str()).collect();
        cur.sort();
        cur.dedup();
        assert_eq!(cur.len(), 34);
    }

    #[test]
    fn resolves_names_and_places() {
        assert_eq!(
            province("Kiên Giang").map(|p| p.current.as_str()),
            Some("An Giang")
        );
        assert_eq!(
            resolve_place("Rạch Giá").map(|p| p.name.as_str()),
            Some("Kiên Giang")
        );
        assert_eq!(
            resolve_place("TP. Hồ Chí Minh").map(|p| p.name.as_str()),
            Some("Hồ Chí Minh")
        );
        assert_eq!(resolve_place("Hồ Chí Minh"), None);
        assert_eq!(
            resolve_place("Thanh Hoá").map(|p| p.name.as_str()),
            Some("Thanh Hóa")
        );
        let m = mentions(&stream_form(
            "tư tưởng Hồ Chí Minh, tỉnh Hậu Giang và TP.HCM",
        ));
        let names: Vec<&str> = m.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["Hậu Giang", "Hồ Chí Minh"]);
    }

    #[test]
    fn mentions_are_matched_on_tokens() {
        let cases: [(&str, &[&str]); 4] = [
            (
                "Tỉnh ủy Bắc Kạn, thành phố Rạch Giá, huyện Phú Quốc; UBND tỉnh Bà Rịa - Vũng Tàu",
                &["Bắc Kạn", "Kiên Giang", "Kiên Giang", "Bà Rịa - Vũng Tàu"],
            ),
            (
                "Sở Công Thương tỉnh Thừa Thiên Huế, thành phố Thủ Dầu Một, quận Ba Đình",
                // Ba Đình is not in the gazetteer of cities.
                &["Thừa Thiên Huế", "Bình Dương"],
            ),
            (
                "Đảng bộ tỉnh Kiên Giang và thủ đô Hà Nội, TP. Hồ Chí Minh",
                &["Kiên Giang", "Hà Nội", "Hồ Chí Minh"],
            ),
            // A line break or a dot between the words is fine, a part of a longer
            // word is not.
            (
                "tỉnh\nKiên Giang; tỉnhkiên giang, TP.HCMĐT",
                &["Kiên Giang"],
            ),
        ];
        for (text, expected) in cases {
            let found: Vec<&str> = mentions(&stream_form(text))
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            assert_eq!(found, expected, "{text}");
        }
    }
}
