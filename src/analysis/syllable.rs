//! Syllable level: canonical tone placement and the i/y whitelist.
//!
//! A syllable is parsed as onset + vowel cluster (glide and nucleus) + coda. The tone
//! is removed and put back on one canonical vowel, the "old" (classic) convention
//! used by official documents (`hòa`, `khỏe`, `thủy`, `Ủy ban`):
//!
//! 1. a vowel with a modifier (ă â ê ô ơ ư) takes the tone; of two (ươ), the second;
//! 2. otherwise, with a final consonant, the last vowel (`toán`, `hoàng`);
//! 3. otherwise the first of two vowels (`hòa`, `của`, `thủy`), the middle of three
//!    (`ngoài`, `khuỷu`).
//!
//! `qu` and `gi` (before another vowel) are onsets, so `quá`, `quý`, `già` are
//! handled. Anything that does not parse (foreign words, acronyms, several tones) is
//! left exactly as written.

use super::chars::{Unit, MOD_NONE, TONE_NONE};

/// Onsets, longest first.
const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

/// Codas (final consonants).
const CODAS: [&str; 8] = ["c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Valid vowel clusters (with modifiers written out), after the onset.
const NUCLEI: [&str; 50] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê", "iêu", "oai", "oay", "oeo", "uây", "uôi",
    "uya", "uyê",
];
const NUCLEI3: [&str; 4] = ["uyu", "ươi", "ươu", "yêu"];

/// Toned i → y whitelist: onset and the tones (1 grave, 2 acute, 3 hook, 4 tilde,
/// 5 dot) for which `onset + i` is respelt `onset + y`. Spec pairs: kĩ/kỹ, lí/lý,
/// mĩ/mỹ, tỉ/tỷ, sĩ/sỹ, kì/kỳ, quí/quý; plus the other well-attested variants of
/// the same syllables (kí/ký, kỉ/kỷ, lị/lỵ, mì/mỳ, tí/tý, quĩ/quỹ…). `qu` + `i`
/// becomes `quy` even without a tone ("qui định"). Untoned `ki`, `li`, `mi`, `si`,
/// `ti`, `thi`, `vi` are never touched.
const IY_WHITELIST: [(char, &[u8]); 5] = [
    ('k', &[1, 2, 3, 4, 5]),
    ('l', &[1, 2, 3, 4, 5]),
    ('m', &[1, 4, 5]),
    ('t', &[1, 2, 3, 5]),
    ('s', &[4]),
];

fn unit_str_eq(units: &[Unit], s: &str) -> bool {
    let mut it = units.iter();
    for c in s.chars() {
        let Some(u) = it.next() else { return false };
        let (base, modifier) = match c {
            'ă' => ('a', super::chars::MOD_BREVE),
            'â' => ('a', super::chars::MOD_CIRCUMFLEX),
            'ê' => ('e', super::chars::MOD_CIRCUMFLEX),
            'ô' => ('o', super::chars::MOD_CIRCUMFLEX),
            'ơ' => ('o', super::chars::MOD_HORN),
            'ư' => ('u', super::chars::MOD_HORN),
            c => (c, MOD_NONE),
        };
        if u.base != base || u.modifier != modifier {
            return false;
        }
    }
    it.next().is_none()
}

/// Parsed syllable: `units[..onset]`, `units[onset..vowels_end]`, `units[vowels_end..]`.
struct Parsed {
    onset: usize,
    vowels_end: usize,
}

fn parse(units: &[Unit]) -> Option<Parsed> {
    let n = units.len();
    if n == 0 || n > 8 {
        return None;
    }
    // Onset: longest listed prefix that leaves a vowel after it.
    let mut onset = 0;
    for o in ONSETS {
        let len = o.chars().count();
        if len <= n && unit_str_eq(&units[..len], o) && units.get(len).is_some_and(|u| u.is_vowel())
        {
            // `qu`/`gi` need their u/i bare (no modifier).
            onset = len;
            break;
        }
    }
    // `gi` followed by a consonant (gìn, gịt): the i is the vowel.
    let vowels_start = onset;
    let mut vowels_end = vowels_start;
    while vowels_end < n && units[vowels_end].is_vowel() {
        vowels_end += 1;
    }
    if vowels_end == vowels_start {
        return None;
    }
    let cluster = &units[vowels_start..vowels_end];
    let valid_nucleus = NUCLEI
        .iter()
        .chain(NUCLEI3.iter())
        .any(|s| unit_str_eq(cluster, s));
    if !valid_nucleus {
        return None;
    }
    let coda = &units[vowels_end..];
    if !coda.is_empty() && !CODAS.iter().any(|s| unit_str_eq(coda, s)) {
        return None;
    }
    if coda.iter().any(|u| u.modifier != MOD_NONE) {
        return None;
    }
    // The onset's letters must not carry modifiers (a tone there is a misplaced one).
    if units[..onset].iter().any(|u| u.modifier != MOD_NONE) {
        return None;
    }
    Some(Parsed { onset, vowels_end })
}

/// Moves the single tone of a syllable to its canonical vowel, and applies the i/y
/// whitelist. `units` are letters only (no digits).
pub(crate) fn canonicalize(units: &mut [Unit]) {
    let mut tone = TONE_NONE;
    for u in units.iter() {
        if u.tone != TONE_NONE {
            if tone != TONE_NONE {
                return; // several tones: not a syllable, leave as written
            }
            tone = u.tone;
        }
    }
    let Some(p) = parse(units) else { return };
    if tone != TONE_NONE {
        let cluster_len = p.vowels_end - p.onset;
        let has_coda = p.vowels_end < units.len();
        let cluster = &units[p.onset..p.vowels_end];
        let target = if let Some(i) = cluster.iter().rposition(|u| u.modifier != MOD_NONE) {
            i
        } else if has_coda {
            cluster_len - 1
        } else if cluster_len == 3 {
            1
        } else {
            0
        };
        for u in units.iter_mut() {
            u.tone = TONE_NONE;
        }
        if let Some(u) = units.get_mut(p.onset + target) {
            u.tone = tone;
        }
    }
    // i/y whitelist: the whole syllable is onset + i.
    if p.vowels_end == units.len() && p.vowels_end == p.onset + 1 {
        let is_qu = p.onset == 2 && unit_str_eq(&units[..2], "qu");
        let whitelisted = is_qu
            || (p.onset == 1
                && IY_WHITELIST
                    .iter()
                    .any(|(o, tones)| units[0].base == *o && tones.contains(&tone)));
        if let Some(last) = units.last_mut() {
            if whitelisted && last.base == 'i' && last.modifier == MOD_NONE {
                last.base = 'y';
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::chars::tables;

    fn canon(s: &str) -> String {
        let t = tables();
        let mut units: Vec<Unit> = s
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    Unit::letter(c)
                } else {
                    t.decode(c).map(|x| x.0).unwrap_or(Unit::letter('?'))
                }
            })
            .collect();
        canonicalize(&mut units);
        let mut out = String::new();
        for u in units {
            t.compose_into(u, &mut out);
        }
        out
    }

    #[test]
    fn tone_placement() {
        for (input, want) in [
            ("hoà", "hòa"),
            ("hòa", "hòa"),
            ("thuỷ", "thủy"),
            ("khoẻ", "khỏe"),
            ("uỷ", "ủy"),
            ("tóan", "toán"),
            ("nứơc", "nước"),
            ("qúa", "quá"),
            ("gìa", "già"),
            ("gìn", "gìn"),
            ("ngòai", "ngoài"),
            ("khuyến", "khuyến"),
            ("khủyu", "khuỷu"),
            ("của", "của"),
            ("người", "người"),
            ("café", "café"),
            ("quí", "quý"),
            ("qui", "quy"),
            ("kĩ", "kỹ"),
            ("thi", "thi"),
            ("mi", "mi"),
        ] {
            assert_eq!(canon(input), want, "{input}");
        }
    }
}
