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

/// Valid vowel clusters (with modifiers written out), after the onset.
const NUCLEI: [&str; 54] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê", "iêu", "oai", "oay", "oeo", "uây", "uôi",
    "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
];

/// 4-bit code of a vowel (1–12), 0 for anything else.
fn vowel_code(base: char, modifier: u8) -> usize {
    use super::chars::{MOD_BREVE as B, MOD_CIRCUMFLEX as C, MOD_HORN as H};
    match (base, modifier) {
        ('a', MOD_NONE) => 1,
        ('a', B) => 2,
        ('a', C) => 3,
        ('e', MOD_NONE) => 4,
        ('e', C) => 5,
        ('i', MOD_NONE) => 6,
        ('o', MOD_NONE) => 7,
        ('o', C) => 8,
        ('o', H) => 9,
        ('u', MOD_NONE) => 10,
        ('u', H) => 11,
        ('y', MOD_NONE) => 12,
        _ => 0,
    }
}

fn vowel_code_of_char(c: char) -> usize {
    let (base, modifier) = match c {
        'ă' => ('a', super::chars::MOD_BREVE),
        'â' => ('a', super::chars::MOD_CIRCUMFLEX),
        'ê' => ('e', super::chars::MOD_CIRCUMFLEX),
        'ô' => ('o', super::chars::MOD_CIRCUMFLEX),
        'ơ' => ('o', super::chars::MOD_HORN),
        'ư' => ('u', super::chars::MOD_HORN),
        c => (c, MOD_NONE),
    };
    vowel_code(base, modifier)
}

/// Set of valid vowel clusters, indexed by their packed codes (4 bits per vowel).
fn nuclei() -> &'static [bool; 4096] {
    static SET: std::sync::OnceLock<[bool; 4096]> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut set = [false; 4096];
        for n in NUCLEI {
            let mut key = 0;
            for (i, c) in n.chars().enumerate() {
                key |= vowel_code_of_char(c) << (4 * i);
            }
            if let Some(slot) = set.get_mut(key) {
                *slot = true;
            }
        }
        set
    })
}

/// Length of the onset of `units` (`None` when it is not a Vietnamese onset).
/// `qu` and `gi` count as onsets only before another vowel.
fn onset_len(units: &[Unit]) -> Option<usize> {
    let base = |i: usize| units.get(i).map(|u| u.base);
    let vowel_at = |i: usize| units.get(i).is_some_and(|u| u.is_vowel());
    // `u` of `qu`, `i` of `gi`: bare and followed by another vowel.
    let glide_onset = |c: char| {
        base(1) == Some(c) && units.get(1).is_some_and(|u| u.modifier == MOD_NONE) && vowel_at(2)
    };
    let len = match base(0)? {
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' => 0,
        'n' => match (base(1), base(2)) {
            (Some('g'), Some('h')) => 3,
            (Some('g' | 'h'), _) => 2,
            _ => 1,
        },
        'c' | 'k' | 'p' if base(1) == Some('h') => 2,
        't' if matches!(base(1), Some('h' | 'r')) => 2,
        'g' if base(1) == Some('h') || glide_onset('i') => 2,
        'q' if glide_onset('u') => 2,
        'b' | 'c' | 'd' | 'đ' | 'g' | 'h' | 'k' | 'l' | 'm' | 'p' | 'r' | 's' | 't' | 'v' | 'x' => {
            1
        }
        _ => return None,
    };
    Some(len)
}

fn valid_coda(coda: &[Unit]) -> bool {
    if coda.iter().any(|u| u.modifier != MOD_NONE) {
        return false;
    }
    match coda {
        [] => true,
        [a] => matches!(a.base, 'c' | 'm' | 'n' | 'p' | 't'),
        [a, b] => matches!((a.base, b.base), ('c', 'h') | ('n', 'g') | ('n', 'h')),
        _ => false,
    }
}

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

/// Parsed syllable: `units[..onset]`, `units[onset..vowels_end]`, `units[vowels_end..]`.
struct Parsed {
    onset: usize,
    vowels_end: usize,
}

/// Parses onset + vowel cluster + coda, ignoring tones (they are being moved).
fn parse(units: &[Unit]) -> Option<Parsed> {
    let n = units.len();
    if n == 0 || n > 8 {
        return None;
    }
    let onset = onset_len(units)?;
    if units[..onset].iter().any(|u| u.modifier != MOD_NONE) {
        return None;
    }
    let mut key = 0;
    let mut vowels_end = onset;
    while let Some(u) = units.get(vowels_end) {
        let code = vowel_code(u.base, u.modifier);
        if code == 0 {
            break;
        }
        if vowels_end - onset == 3 {
            return None;
        }
        key |= code << (4 * (vowels_end - onset));
        vowels_end += 1;
    }
    if vowels_end == onset || !nuclei().get(key).copied().unwrap_or(false) {
        return None;
    }
    if !valid_coda(&units[vowels_end..]) {
        return None;
    }
    Some(Parsed { onset, vowels_end })
}

/// How a word of letters stands to the syllable model (see [`shape`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Consonant letters only (`d`, `ng`, `tr`, `nh`, `UBND`): never a syllable.
    Consonants,
    /// Onset + vowel cluster + coda with at most one tone, on the vowel cluster.
    /// `regular`: also written the way Vietnamese spelling writes it — the tone on the
    /// vowel one of the two conventions puts it on (`hòa` or `hoà`, not `hóan`), only
    /// an acute or a dot below before a final `c`, `ch`, `p`, `t` (`luật`, not
    /// `luât`), and `k`/`gh`/`ngh` before `i e ê y` only, `c`/`g`/`ng` elsewhere.
    Syllable { regular: bool },
    /// Anything else: vowels that make no cluster, several tones, foreign words.
    Other,
}

/// The shape of `units` (letters only, lowercase bases, as decoded by `chars`).
pub(crate) fn shape(units: &[Unit]) -> Shape {
    if units.iter().all(|u| !u.is_vowel()) {
        return Shape::Consonants;
    }
    let mut tone_at = None;
    for (i, u) in units.iter().enumerate() {
        if u.tone != TONE_NONE {
            if tone_at.is_some() {
                return Shape::Other;
            }
            tone_at = Some(i);
        }
    }
    let Some(p) = parse(units) else {
        return Shape::Other;
    };
    let cluster = p.onset..p.vowels_end;
    if tone_at.is_some_and(|i| !cluster.contains(&i)) {
        return Shape::Other;
    }
    Shape::Syllable {
        regular: tone_regular(units, &p, tone_at)
            && onset_spelling_regular(units, &p)
            && rhyme_regular(units, &p),
    }
}

/// Rhymes of [`Shape::Syllable`]'s `regular`: a cluster ending in a glide (`ai`,
/// `ơi`, `ưu`, `iêu`…) or an open one (`ia`, `ua`, `ưa`) takes no coda; `iê`, `yê`,
/// `uô`, `ươ` need one (`tiên`, `người`; `ươi` is a glide ending); `nh` and `ch`
/// follow `a`, `ê`, `i` or `y` only (`anh`, `ênh`, `inh`, `uynh`), and `ng`, `c`
/// never follow `i` or `y` (`inh`, not `ing`).
fn rhyme_regular(units: &[Unit], p: &Parsed) -> bool {
    let cluster = units.get(p.onset..p.vowels_end).unwrap_or_default();
    let coda = units.get(p.vowels_end..).unwrap_or_default();
    let Some(last) = cluster.last() else {
        return true;
    };
    let last_vowel = (last.base, last.modifier);
    let n = cluster.len();
    let bare = |u: &Unit| u.modifier == MOD_NONE;
    let first = cluster[0];
    // `uy` (`huỳnh`) and `oo` (`xoong`) are no glide endings.
    let glide_end = n >= 2
        && bare(last)
        && matches!(last.base, 'i' | 'o' | 'u' | 'y')
        && !(n == 2 && bare(&first) && matches!((first.base, last.base), ('u', 'y') | ('o', 'o')));
    let open = n == 2 && last_vowel == ('a', MOD_NONE) && first.base != 'o';
    let needs_coda = n >= 2
        && matches!(
            (cluster[n - 2].base, last_vowel),
            ('i' | 'y', ('e', super::chars::MOD_CIRCUMFLEX))
                | (
                    'u',
                    ('o', super::chars::MOD_CIRCUMFLEX | super::chars::MOD_HORN)
                )
        )
        && !(cluster[n - 2].base == 'u'
            && bare(&cluster[n - 2])
            && last.modifier == super::chars::MOD_HORN);
    let front = matches!(
        last_vowel,
        ('a' | 'i' | 'y', MOD_NONE) | ('e', super::chars::MOD_CIRCUMFLEX)
    );
    match (coda.first().map(|u| u.base), coda.get(1).map(|u| u.base)) {
        (None, _) => !needs_coda,
        _ if glide_end || open => false,
        (Some('n' | 'c'), Some('h')) => front,
        (Some('n'), Some('g')) | (Some('c'), None) => !matches!(last_vowel, ('i' | 'y', MOD_NONE)),
        _ => true,
    }
}

/// Tone rules of [`Shape::Syllable`]'s `regular` (placement, stop codas).
fn tone_regular(units: &[Unit], p: &Parsed, tone_at: Option<usize>) -> bool {
    let cluster = units.get(p.onset..p.vowels_end).unwrap_or_default();
    let coda = units.get(p.vowels_end..).unwrap_or_default();
    let stop_coda = matches!(coda.first().map(|u| u.base), Some('c' | 'p' | 't'));
    let tone = tone_at
        .and_then(|i| units.get(i))
        .map_or(TONE_NONE, |u| u.tone);
    if stop_coda && !matches!(tone, 2 | 5) {
        return false;
    }
    let Some(at) = tone_at else { return true };
    let at = at - p.onset;
    // The classic target (as in `canonicalize`), and the "new" one: the second vowel
    // of oa, oe, uy without a coda (`hoà`, `khoẻ`, `thuỷ`).
    let classic = if let Some(i) = cluster.iter().rposition(|u| u.modifier != MOD_NONE) {
        i
    } else if !coda.is_empty() {
        cluster.len() - 1
    } else if cluster.len() == 3 {
        1
    } else {
        0
    };
    let bare = |u: &Unit| u.modifier == MOD_NONE;
    let new_style = coda.is_empty()
        && match cluster {
            [a, b] if bare(a) && bare(b) => {
                matches!((a.base, b.base), ('o', 'a' | 'e') | ('u', 'y'))
            }
            _ => false,
        };
    at == classic || (new_style && at == 1)
}

/// Spelling of the onset before the first vowel: `k`, `gh`, `ngh` only before
/// `i e ê y`; `c`, `g`, `ng` not before `e ê` (nor `c`, `ng` before `i y`; `gì` is
/// `gi` + `ì`).
fn onset_spelling_regular(units: &[Unit], p: &Parsed) -> bool {
    let Some(first) = units.get(p.onset) else {
        return true;
    };
    let front = matches!(first.base, 'i' | 'e' | 'y');
    let base = |i: usize| units.get(i).map_or(' ', |u| u.base);
    match (p.onset, base(0), base(1)) {
        (1, 'k', _) | (2, 'g', 'h') | (3, 'n', _) => front,
        (1, 'c', _) | (2, 'n', 'g') => !front,
        (1, 'g', _) => first.base != 'e',
        _ => true,
    }
}

/// Moves the single tone of a syllable to its canonical vowel, and applies the i/y
/// whitelist. `units` are letters only (no digits).
pub(crate) fn canonicalize(units: &mut [Unit]) {
    let mut tone = TONE_NONE;
    let mut vowels = 0;
    let mut toned_single_vowel = false;
    for u in units.iter() {
        if u.is_vowel() {
            vowels += 1;
            toned_single_vowel = u.tone != TONE_NONE && u.base != 'i';
        }
        if u.tone != TONE_NONE {
            if tone != TONE_NONE {
                return; // several tones: not a syllable, leave as written
            }
            tone = u.tone;
        }
    }
    // Fast path: the only vowel already carries the tone (số, đổi, phạm) and is not
    // an `i` of the i/y whitelist: nothing can move.
    if vowels == 1 && toned_single_vowel {
        return;
    }
    // Untoned syllables only matter for "qui" (→ "quy").
    if tone == TONE_NONE && !(units.len() == 3 && units[0].base == 'q') {
        return;
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
    apply_iy(units, tone);
}

/// The i/y whitelist on a syllable whose single tone is `tone`: the whole syllable
/// is a whitelisted onset + i, or `qu` + i.
fn apply_iy(units: &mut [Unit], tone: u8) {
    let bare = |u: &Unit, base: char| u.base == base && u.modifier == MOD_NONE;
    let whitelisted = match units {
        [o, i] => {
            bare(i, 'i')
                && o.modifier == MOD_NONE
                && IY_WHITELIST
                    .iter()
                    .any(|(b, tones)| o.base == *b && tones.contains(&tone))
        }
        [q, u, i] => bare(q, 'q') && bare(u, 'u') && bare(i, 'i'),
        _ => false,
    };
    if let Some(last) = units.last_mut().filter(|_| whitelisted) {
        last.base = 'y';
    }
}

/// What the folded view needs of [`canonicalize`]: only the i/y whitelist (tone
/// placement does not change bare letters). Same result on the bases.
pub(crate) fn canonicalize_bases(units: &mut [Unit]) {
    if !matches!(units.len(), 2 | 3) {
        return;
    }
    let mut tone = TONE_NONE;
    for u in units.iter() {
        if u.tone != TONE_NONE {
            if tone != TONE_NONE {
                return;
            }
            tone = u.tone;
        }
    }
    apply_iy(units, tone);
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

    fn shape_of(s: &str) -> Shape {
        let mut units = Vec::new();
        match crate::analysis::chars::decode_letters(tables(), s, &mut units) {
            Some(_) => shape(&units),
            None => Shape::Other,
        }
    }

    #[test]
    fn shapes() {
        let regular = Shape::Syllable { regular: true };
        let irregular = Shape::Syllable { regular: false };
        for s in [
            "luật", "dựng", "TỈNH", "Việt", "nghiệp", "hòa", "hoà", "thủy", "thuỷ", "quý", "giấy",
            "gì", "người", "khuỷu", "huỳnh", "xoong", "thuở", "kế", "ghế", "nghề", "oanh", "ật",
            "ộ", "à", "a", "y",
        ] {
            assert_eq!(shape_of(s), regular, "{s}");
        }
        for s in [
            "tóan",  // tone away from its vowel
            "luât",  // stop coda without acute or dot
            "kà",    // k before a
            "ghà",   // gh before a
            "ngì",   // ng before i
            "cế",    // c before ê
            "vớing", // glide ending with a coda
            "thunh", // nh after u
            "thìng", // ng after i
            "tiê",   // iê without a coda
            "mưan",  // open ưa with a coda
        ] {
            assert_eq!(shape_of(s), irregular, "{s}");
        }
        for s in ["d", "tr", "ng", "NĐ", "nh"] {
            assert_eq!(shape_of(s), Shape::Consonants, "{s}");
        }
        for s in ["nhàở", "qu", "abc", "Fax", "UBND"] {
            assert_eq!(shape_of(s), Shape::Other, "{s}");
        }
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
