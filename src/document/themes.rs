//! Rule-based theme tagging with a taxonomy loaded from a TSV
//! (`theme_id  label_vi  label_en  keywords  anchor_refs`, keywords and anchors
//! `|`-separated; built-in copy: `data/themes.tsv`).
//!
//! Keywords are matched on the **analyzer's tokens**, not on the raw text: each
//! keyword is analysed once into a token sequence, and a document's body is the
//! pre-analysed stream of [`crate::analysis::encode`] that ingest computes anyway
//! for the index. So `Chuyển đổi\nsố`, `chuyển-đổi số` and `CHUYỂN ĐỔI SỐ` all match
//! `chuyển đổi số`, `hoà`/`hòa` are one spelling, and no lower-cased or folded copy
//! of the body is made.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rustc_hash::FxHashMap;

use super::references::fold_key;
use super::{Reference, ThemeEvidence, ThemeMatch};
use crate::analysis::lexicon::{self, Lexicon, MAX_WORD_SYLLABLES};
use crate::analysis::{encode, Streams};
use crate::{Error, Result};

const THEMES_TSV: &str = include_str!("../../data/themes.tsv");

/// Weight of each keyword found in the title (trích yếu): the title says what a
/// document is about.
pub const TITLE_WEIGHT: f32 = 6.0;
/// Weight of each keyword found in the document's own section headings.
pub const HEADING_WEIGHT: f32 = 2.0;
/// Weight of a cited anchor reference (`34-CT/TW` → thi đua, khen thưởng).
pub const ANCHOR_WEIGHT: f32 = 3.0;
/// Weight of an issuer whose name names a theme (`Bộ Tài chính`, `Cục Thuế`,
/// `Sở Y tế`): as much as a cited anchor, for the issuer's field is what a reader
/// files a document under when its words leave two themes close (a tax office's
/// letter on land rent is about the tax). It adds only to a theme the
/// document's own words give (an agency's name is not one): alone it gives none.
pub const ISSUER_WEIGHT: f32 = 3.0;
/// Weight of the body: specific keyword occurrences per 1,000 syllables.
pub const BODY_WEIGHT: f32 = 1.0;
/// At most this many body occurrences of one keyword count.
pub const BODY_CAP: usize = 5;
/// Bodies shorter than this many syllables count as this long (three mentions in
/// a ten-line notice are not a density of 100 per 1,000).
pub const BODY_FLOOR: u64 = 600;
/// A theme is assigned when its score reaches this.
pub const MIN_SCORE: f32 = 3.0;
/// A secondary theme scores at least this share of the primary's.
pub const SECONDARY_SHARE: f32 = 0.45;
/// A secondary theme rests on at least this many distinct keywords (or cited
/// anchors): one keyword, however often repeated, is a passing mention (`nông
/// nghiệp` in a tax notice, `sử dụng đất` in a fee schedule), not a part of the
/// document given to the theme. The primary needs only its score.
pub const MIN_SECONDARY_KEYWORDS: usize = 2;
/// At most this many themes per document: one primary, the rest secondary.
pub const MAX_THEMES: usize = 3;
/// The body is cut into this many parts of equal length to see which theme each
/// part is about (see [`ThemeEvidence::parts`]).
pub const PARTS: usize = 10;
/// A theme leads a part of the body when its specific keywords occur there more
/// often than any other theme's, at least this often and at least once every
/// [`SYLLABLES_PER_HIT`] syllables of the part.
pub const MIN_PART_HITS: u16 = 2;
/// The density of keywords that makes a part of the body about a theme: one
/// every this many syllables (about every other sentence). A tenth of a long
/// law that names a theme a few times is not about it.
pub const SYLLABLES_PER_HIT: usize = 50;

/// The Vietnamese label of a theme of the built-in taxonomy (for records that
/// carry only an id: JSON input records, indexes written before labels).
pub fn builtin_label(id: &str) -> Option<&'static str> {
    // The first two columns of the built-in table: no matcher is built for this.
    THEMES_TSV
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .find(|(i, _)| i.trim() == id)
        .and_then(|(_, rest)| rest.split('\t').next())
        .map(str::trim)
}

/// One theme of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Stable id (`chuyen_doi_so`).
    pub id: String,
    /// Vietnamese label, for facets (`Chuyển đổi số, chính quyền số`).
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// Keywords (as written in the TSV, without the `*` of generic ones).
    pub keywords: Vec<String>,
    /// Generic keywords (written `*xây dựng` in the TSV): words every kind of
    /// document uses, which count in the title and headings but not in the body.
    pub generic: Vec<String>,
    /// Anchor references (KEYs; a KEY ending in `/` matches as a prefix).
    pub anchor_refs: Vec<String>,
}

/// A theme taxonomy with its compiled matcher.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    themes: Vec<Theme>,
    /// Matcher over the accented token stream.
    matcher: Matcher,
    /// Matcher over the folded token stream, for texts written without marks.
    folded_matcher: Matcher,
    /// accented keyword tokens → (theme index, keyword as written, generic).
    by_keyword: KeywordIndex,
    /// folded keyword tokens → (theme index, keyword as written, generic).
    by_folded: KeywordIndex,
    /// (folded anchor, is prefix, theme index, anchor as written).
    anchors: Vec<(String, bool, usize, String)>,
}

impl Taxonomy {
    /// The built-in 25-theme taxonomy.
    pub fn builtin() -> Taxonomy {
        // The built-in table is tested; a failure here would be a build defect.
        Taxonomy::parse(THEMES_TSV, "built-in data/themes.tsv").unwrap_or_else(|_| Taxonomy {
            themes: Vec::new(),
            matcher: Matcher::default(),
            folded_matcher: Matcher::default(),
            by_keyword: HashMap::new(),
            by_folded: HashMap::new(),
            anchors: Vec::new(),
        })
    }

    /// Loads a taxonomy from a TSV file with the columns of `data/themes.tsv`.
    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Taxonomy::parse(&text, &path.display().to_string())
    }

    /// Parses a taxonomy TSV; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Taxonomy> {
        let err = |line: usize, reason: String| Error::Data {
            path: origin.to_string(),
            reason: format!("line {line}: {reason}"),
        };
        let mut lines = text.lines().enumerate();
        let Some((_, header)) = lines.next() else {
            return Err(err(1, "empty file; expected a header line".into()));
        };
        check_header(header).map_err(|reason| err(1, reason))?;
        let mut themes: Vec<Theme> = Vec::new();
        for (i, line) in lines {
            let n = i + 1;
            if let Some(theme) = parse_theme(line, &themes).map_err(|reason| err(n, reason))? {
                themes.push(theme);
            }
        }
        if themes.is_empty() {
            return Err(err(1, "no themes".into()));
        }
        let (by_keyword, by_folded, anchors) = index_themes(&themes);
        let (places, folded_places) = place_names();
        let matcher = Matcher::new(&by_keyword, Some(lexicon::get()), places);
        let folded_matcher = Matcher::new(&by_folded, None, folded_places);
        Ok(Taxonomy {
            themes,
            matcher,
            folded_matcher,
            by_keyword,
            by_folded,
            anchors,
        })
    }

    /// The themes, in file order.
    pub fn themes(&self) -> &[Theme] {
        &self.themes
    }

    /// (id, Vietnamese label) of every theme, for facets.
    pub fn labels(&self) -> Vec<(&str, &str)> {
        self.themes
            .iter()
            .map(|t| (t.id.as_str(), t.label_vi.as_str()))
            .collect()
    }

    /// Tags a document from its title (trích yếu), body text and references.
    /// Analyses the body and finds its headings; [`Taxonomy::tag_analysed`] takes an
    /// already analysed one.
    pub fn tag(&self, title: Option<&str>, body: &str, refs: &[Reference]) -> Vec<ThemeMatch> {
        self.tag_analysed(title, &headings(body), &encode(body), refs, &[])
    }

    /// Tags a document from its title, its section headings (`headings`), its
    /// body's token streams ([`crate::analysis::encode`]), its references and
    /// the names of its issuers (`Cục Thuế`, `Bộ Tài chính`).
    ///
    /// Keywords match whole words of the accented view (never a syllable inside a
    /// longer word of the lexicon: `cầu` is not in `yêu cầu`), or of the folded view
    /// when the body is written without marks. A theme scores
    /// `TITLE_WEIGHT` per keyword in the title, `HEADING_WEIGHT` per keyword in
    /// the headings (half for a generic keyword), `ANCHOR_WEIGHT` per cited anchor, and `BODY_WEIGHT` per
    /// occurrence of a specific keyword per 1,000 syllables of body; generic
    /// keywords do not count in the body. A theme the document's words give
    /// (not only agencies' names) that a keyword of an issuer's name names
    /// (`Cục Thuế`: thuế) weighs `ISSUER_WEIGHT` more. Themes scoring at least `MIN_SCORE`
    /// are kept when they score at least `SECONDARY_SHARE` of the best, rest
    /// on `MIN_SECONDARY_KEYWORDS` distinct keywords and stand on ground of their
    /// own (the title names them, or they lead one of the body's `PARTS`),
    /// `MAX_THEMES` in all. The primary is the best of those a specific keyword
    /// of the title's head names, else of those a generic keyword of the head
    /// names, else the best.
    pub fn tag_analysed(
        &self,
        title: Option<&str>,
        headings: &[&str],
        body: &Streams,
        refs: &[Reference],
        issuers: &[&str],
    ) -> Vec<ThemeMatch> {
        let n = self.themes.len();
        let mut evidence = vec![ThemeEvidence::default(); n];
        let mut matched: Vec<Vec<String>> = vec![Vec::new(); n];
        let note = |ti: usize, what: &str, matched: &mut Vec<Vec<String>>| {
            if let Some(m) = matched.get_mut(ti) {
                if !m.iter().any(|x| x == what) {
                    m.push(what.to_string());
                }
            }
        };
        let plain = is_unmarked(&body.accented);
        let (matcher, index) = self.matcher(plain);
        // Generic keywords weigh half in the title and headings, and so does every
        // keyword of the title's scope (`… trong lĩnh vực đầu tư`).
        let mut lead = vec![0f32; n];
        // Themes a specific keyword of the title's head names: what the document
        // says it is about.
        let mut named = vec![false; n];
        // Themes only a generic keyword of the title's head names (`công bố thủ
        // tục hành chính …`): they name the document when no specific keyword of
        // the head does, for the head is still what the document does.
        let mut named_generic = vec![false; n];
        // Themes a keyword of the title or headings gives that is not an
        // agency's name (`Sở Y tế`): with the body's keywords and cited anchors,
        // the document's own words, for which alone the issuer's field weighs.
        let mut said = vec![false; n];
        // Occurrences of each theme's specific keywords in each part of the body.
        let mut by_part = vec![[0u16; PARTS]; n];
        let (head, scope) = title.map_or(("", ""), title_scope);
        let heads = headings.join("\n");
        for (part, weight, scoped, in_title) in [
            (head, TITLE_WEIGHT, false, true),
            (scope, TITLE_WEIGHT, true, true),
            (heads.as_str(), HEADING_WEIGHT, false, false),
        ] {
            let t = encode(part);
            for (k, all, agency, _) in matcher.count(view(&t, plain)) {
                for (ti, kw, generic) in index.get(&k).into_iter().flatten() {
                    let e = &mut evidence[*ti];
                    *(if in_title {
                        &mut e.title
                    } else {
                        &mut e.headings
                    }) += 1;
                    let generic = scoped || *generic || agency == all;
                    lead[*ti] += weight * if generic { 0.5 } else { 1.0 };
                    named[*ti] |= in_title && !generic;
                    named_generic[*ti] |= in_title && !scoped && agency != all;
                    said[*ti] |= agency != all;
                    note(*ti, kw, &mut matched);
                }
            }
        }
        for (k, all, agency, parts) in matcher.count(view(body, plain)) {
            for (ti, kw, generic) in index.get(&k).into_iter().flatten() {
                if !generic && all > agency {
                    evidence[*ti].body += (all - agency).min(BODY_CAP);
                    for (x, y) in by_part[*ti].iter_mut().zip(parts) {
                        *x = x.saturating_add(y);
                    }
                    note(*ti, kw, &mut matched);
                }
            }
        }
        for (ti, a) in self.anchor_hits(refs) {
            evidence[ti].anchors += 1;
            note(ti, a, &mut matched);
        }
        let per_thousand = 1000.0 / body.positions.max(BODY_FLOOR) as f32;
        let mut scores: Vec<f32> = evidence
            .iter()
            .zip(&lead)
            .map(|(e, lead)| {
                lead + ANCHOR_WEIGHT * e.anchors as f32 + BODY_WEIGHT * e.body as f32 * per_thousand
            })
            .collect();
        for ti in self.named_in(issuers, plain) {
            let e = &evidence[ti];
            if (said[ti] || e.body > 0 || e.anchors > 0) && !e.issuer {
                evidence[ti].issuer = true;
                scores[ti] += ISSUER_WEIGHT;
            }
        }
        if !named.contains(&true) {
            named = named_generic;
        }
        for (e, led) in evidence.iter_mut().zip(parts_led(&by_part, body.positions)) {
            e.parts = led;
        }
        let out: Vec<(bool, ThemeMatch)> = (0..n)
            .map(|i| (i, scores[i]))
            .filter(|&(_, s)| s >= MIN_SCORE)
            .map(|(i, s)| {
                (
                    named[i],
                    ThemeMatch {
                        id: self.themes[i].id.clone(),
                        label: self.themes[i].label_vi.clone(),
                        primary: false,
                        score: (s * 100.0).round() / 100.0,
                        matched: std::mem::take(&mut matched[i]),
                        evidence: std::mem::take(&mut evidence[i]),
                    },
                )
            })
            .collect();
        primary_first(out)
    }

    /// The matcher and keyword index of the accented view, or of the folded one
    /// for a text written without marks (`plain`).
    fn matcher(&self, plain: bool) -> (&Matcher, &KeywordIndex) {
        if plain {
            (&self.folded_matcher, &self.by_folded)
        } else {
            (&self.matcher, &self.by_keyword)
        }
    }

    /// The themes a keyword of one of `names` names (the index of each, once per
    /// keyword), matched in the folded view when the body is `plain`.
    fn named_in(&self, names: &[&str], plain: bool) -> Vec<usize> {
        let (matcher, index) = self.matcher(plain);
        let mut out = Vec::new();
        for name in names {
            for (k, _, _, _) in matcher.count(view(&encode(name), plain)) {
                out.extend(index.get(&k).into_iter().flatten().map(|(ti, _, _)| *ti));
            }
        }
        out
    }

    /// The anchors cited by `refs` (each distinct citation once): theme index
    /// and anchor as written, once per citation matching it.
    fn anchor_hits<'a>(&'a self, refs: &[Reference]) -> Vec<(usize, &'a str)> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for r in refs {
            if seen.contains(&r.fold.as_str()) {
                continue;
            }
            seen.push(&r.fold);
            for (fa, prefix, ti, a) in &self.anchors {
                let hit = if *prefix {
                    r.fold.starts_with(fa.as_str())
                } else {
                    r.fold == *fa
                };
                if hit {
                    out.push((*ti, a.as_str()));
                }
            }
        }
        out
    }
}

/// The view of `s` keywords are matched in: the folded one for a text written
/// without marks (`plain`), else the accented one.
fn view(s: &Streams, plain: bool) -> &str {
    if plain {
        &s.folded
    } else {
        &s.accented
    }
}

/// The themes (each with whether the title names it, see
/// [`Taxonomy::tag_analysed`]) in order: the primary first — the best the title
/// names, else the best of all, as an analyst files a document by what its title
/// says it does — then the others by score, kept when they score at least
/// [`SECONDARY_SHARE`] of the best score, rest on [`MIN_SECONDARY_KEYWORDS`]
/// distinct keywords and stand on ground of their own
/// ([`has_ground_of_its_own`]), [`MAX_THEMES`] in all.
fn primary_first(mut out: Vec<(bool, ThemeMatch)>) -> Vec<ThemeMatch> {
    out.sort_by(|(named_a, a), (named_b, b)| {
        named_b.cmp(named_a).then(
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    let top = out.iter().map(|(_, t)| t.score).fold(0.0, f32::max);
    let mut out: Vec<ThemeMatch> = out
        .into_iter()
        .enumerate()
        .filter(|(k, (_, t))| {
            *k == 0
                || (t.score >= SECONDARY_SHARE * top
                    && t.matched.len() >= MIN_SECONDARY_KEYWORDS
                    && has_ground_of_its_own(&t.evidence))
        })
        .map(|(_, (_, t))| t)
        .take(MAX_THEMES)
        .collect();
    if let Some(first) = out.first_mut() {
        first.primary = true;
    }
    out
}

/// How many parts of the body (`positions` syllables long in all) each theme
/// leads: parts where its specific keywords occur more often than any other
/// theme's (a tie leads nowhere), at least [`MIN_PART_HITS`] times and once every
/// [`SYLLABLES_PER_HIT`] syllables.
fn parts_led(by_part: &[[u16; PARTS]], positions: u64) -> Vec<usize> {
    let dense = u16::try_from(positions / (PARTS * SYLLABLES_PER_HIT) as u64).unwrap_or(u16::MAX);
    let min = MIN_PART_HITS.max(dense);
    let mut led = vec![0; by_part.len()];
    for p in 0..PARTS {
        let mut best: Option<(usize, u16)> = None;
        let mut tie = false;
        for (t, hits) in by_part.iter().enumerate() {
            match best {
                Some((_, b)) if hits[p] < b => {}
                Some((_, b)) if hits[p] == b => tie = true,
                _ => {
                    best = Some((t, hits[p]));
                    tie = false;
                }
            }
        }
        if let Some((t, _)) = best.filter(|&(_, h)| !tie && h >= min) {
            led[t] += 1;
        }
    }
    led
}

/// Whether a secondary theme stands on ground of its own, as a reader files one
/// only for what a document substantially addresses (a section, a chapter, a set
/// of tasks): the title names it, or it leads a part of the body. A theme spread
/// thinly over a text about something else (the funding clause of a plan, the
/// many sectors a law's articles touch) has none, and neither has one whose
/// anchor document is only cited (a `Căn cứ` line names what a document rests
/// on, not what it addresses; an anchor still weighs in the score).
fn has_ground_of_its_own(e: &ThemeEvidence) -> bool {
    e.title > 0 || e.parts > 0
}

/// The section headings of a document's text: numbered lines (`I. MỤC ĐÍCH, YÊU
/// CẦU`, `2. Nhiệm vụ …`, `Điều 3. …`, `Chương II …`) and upper-case lines after
/// the header, each at most 160 characters. The header's own upper-case lines
/// (issuer, motto, document type) are not headings.
pub fn headings(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .map(|l| {
            l.trim()
                .trim_matches(|c: char| c == '*' || c == '#' || c == '|')
                .trim()
        })
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let chars = line.chars().count();
        if !(4..=160).contains(&chars) {
            continue;
        }
        let numbered = {
            let head: String = line.chars().take_while(|c| !c.is_whitespace()).collect();
            let stem = head.trim_end_matches(['.', ')', ':']);
            head.len() > stem.len()
                && !stem.is_empty()
                && (stem.chars().all(|c| c.is_ascii_digit() || c == '.')
                    || stem.chars().all(|c| "IVXLC".contains(c)))
        } || {
            let lower = line.to_lowercase();
            lower.starts_with("điều ") || lower.starts_with("chương ") || lower.starts_with("phần ")
        };
        let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
        let upper = letters.len() >= 8
            && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 9;
        if numbered || (upper && n >= 10) {
            out.push(line);
        }
    }
    out
}

/// Words after which a title names the scope of what it does, not what it does:
/// `Công bố thủ tục hành chính trong lĩnh vực đầu tư` is about administrative
/// procedures, in the field of investment; so is `… bị bãi bỏ lĩnh vực hoạt động
/// khoa học và công nghệ`, where the field follows without a preposition.
/// (`lĩnh vực` also cuts `trong lĩnh vực`, `thuộc lĩnh vực`: the preposition
/// left in the head names no theme.) `trong` alone cuts too: `Đề án chuyển đổi số
/// trong xây dựng, quản lý … kết cấu hạ tầng` transforms, in the setting of
/// construction. Markers match whole words (`trong` is not in `trọng tâm`).
const SCOPE_MARKERS: &[&str] = &[
    "lĩnh vực",
    "thuộc phạm vi",
    "thuộc thẩm quyền",
    "thuộc chức năng",
    "đối với",
    "trong",
];

/// A title cut before its first scope marker (see [`SCOPE_MARKERS`]): what the
/// document does, and its scope (empty when it names none).
fn title_scope(title: &str) -> (&str, &str) {
    let lower = title.to_lowercase();
    // Upper and lower case of Vietnamese letters have the same UTF-8 length, so a
    // byte offset of `lower` is one of `title` (checked below all the same).
    let at = SCOPE_MARKERS
        .iter()
        .filter_map(|m| {
            let folded = super::text::fold_chars(m);
            find_word(&lower, m).or_else(|| find_word(&lower, &folded))
        })
        .min();
    match at {
        Some(at) if lower.len() == title.len() && title.is_char_boundary(at) => title.split_at(at),
        _ => (title, ""),
    }
}

/// The first place `word` occurs in `text` as whole words (not inside a longer one).
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Keyword tokens → (theme index, keyword as written, generic).
type KeywordIndex = HashMap<String, Vec<(usize, String, bool)>>;
/// (folded anchor, is prefix, theme index, anchor as written).
type Anchor = (String, bool, usize, String);

/// Checks the taxonomy header line; errs with the reason.
fn check_header(header: &str) -> std::result::Result<(), String> {
    let cols: Vec<&str> = header.trim_end_matches('\r').split('\t').collect();
    let expected = [
        "theme_id",
        "label_vi",
        "label_en",
        "keywords",
        "anchor_refs",
    ];
    if cols.len() < 4
        || cols
            .iter()
            .zip(expected.iter())
            .any(|(a, b)| a.trim() != *b)
    {
        return Err(format!(
            "header must be `{}` (tab-separated), found `{}`",
            expected.join("\\t"),
            header.trim()
        ));
    }
    Ok(())
}

/// Parses one taxonomy line after the header: `None` for a blank or `#` comment line.
/// `themes` are those already read (ids must be unique). Errs with the reason.
fn parse_theme(line: &str, themes: &[Theme]) -> std::result::Result<Option<Theme>, String> {
    let line = line.trim_end_matches('\r');
    if line.trim().is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() < 4 {
        return Err(format!(
            "expected at least 4 tab-separated columns, found {}",
            f.len()
        ));
    }
    let id = f[0].trim();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("bad theme id `{id}` (use a-z, 0-9, _)"));
    }
    if themes.iter().any(|t| t.id == id) {
        return Err(format!("duplicate theme id `{id}`"));
    }
    let split = |s: &str| -> Vec<String> {
        s.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (generic, keywords): (Vec<String>, Vec<String>) =
        split(f[3]).into_iter().partition(|k| k.starts_with('*'));
    let generic: Vec<String> = generic
        .iter()
        .map(|k| k.trim_start_matches('*').trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    let keywords: Vec<String> = keywords
        .into_iter()
        .chain(generic.iter().cloned())
        .collect();
    let anchor_refs = f.get(4).map(|s| split(s)).unwrap_or_default();
    if keywords.is_empty() && anchor_refs.is_empty() {
        return Err(format!(
            "theme `{id}` has no keywords and no anchor references"
        ));
    }
    Ok(Some(Theme {
        id: id.to_string(),
        label_vi: f[1].trim().to_string(),
        label_en: f[2].trim().to_string(),
        keywords,
        generic,
        anchor_refs,
    }))
}

/// Indexes the themes' keywords by their accented and folded token streams, and
/// their anchors as (folded anchor, is prefix, theme index, anchor as written).
fn index_themes(themes: &[Theme]) -> (KeywordIndex, KeywordIndex, Vec<Anchor>) {
    let mut by_keyword: KeywordIndex = HashMap::new();
    let mut by_folded: KeywordIndex = HashMap::new();
    let mut anchors = Vec::new();
    for (ti, t) in themes.iter().enumerate() {
        for k in &t.keywords {
            // The keyword's tokens, encoded as a body is (see `count`).
            let Streams {
                accented: ak,
                folded: fk,
                ..
            } = encode(k);
            if fk.is_empty() {
                continue;
            }
            let generic = t.generic.contains(k);
            for (map, key) in [(&mut by_keyword, ak), (&mut by_folded, fk)] {
                let e = map.entry(key).or_default();
                if !e.iter().any(|(x, _, _)| *x == ti) {
                    e.push((ti, k.clone(), generic));
                }
            }
        }
        for a in &t.anchor_refs {
            let prefix = a.ends_with('/') || a.ends_with(':');
            anchors.push((fold_key(a), prefix, ti, a.clone()));
        }
    }
    (by_keyword, by_folded, anchors)
}

/// Whether an accented stream is written without Vietnamese marks: fewer than 3%
/// of the letters of its first 8 000 bytes are non-ASCII (Vietnamese written with
/// marks has well over 20%).
fn is_unmarked(stream: &str) -> bool {
    let head = stream.as_bytes().get(..8_000).unwrap_or(stream.as_bytes());
    // Streams are lower-cased: ASCII letters are a–z; a byte >= 0xC0 leads a
    // non-ASCII character (a marked letter, in Vietnamese).
    let letters = head.iter().filter(|b| b.is_ascii_lowercase()).count();
    let marked = head.iter().filter(|&&b| b >= 0xC0).count();
    letters + marked > 0 && marked * 100 < (letters + marked) * 3
}

/// Finds keywords, as token sequences, in an encoded token stream.
///
/// Works on tokens rather than characters: the stream is split at its separators
/// and each token is looked up (one hash) among the keywords' first tokens; at
/// every token the longest keyword starting there wins and matching resumes after
/// it (leftmost-longest, as a scan of the text would). A few hundred keywords
/// give a table that stays in cache, which a byte automaton over them does not.
#[derive(Debug, Clone, Default)]
struct Matcher {
    /// Keyword streams (keys of the taxonomy's keyword index), sorted.
    keys: Vec<String>,
    /// First token → (keyword index, its tokens), longest keyword first.
    first: FxHashMap<Box<[u8]>, Vec<Candidate>>,
    /// Where words end (the accented view): a keyword matches whole words only.
    words: Option<&'static Lexicon>,
    /// Province names, as tokens of this matcher's view joined by spaces: words
    /// too (`điện` in `Điện Biên` is no electricity).
    places: HashSet<String>,
}

/// The names of the provinces, before and after the 2025 merger, as tokens joined
/// by spaces: in the accented view and in the folded one.
fn place_names() -> (HashSet<String>, HashSet<String>) {
    let mut accented = HashSet::new();
    let mut folded = HashSet::new();
    for (before, after) in super::places::province_names() {
        for name in [before, after] {
            let s = encode(name);
            for (set, stream) in [(&mut accented, &s.accented), (&mut folded, &s.folded)] {
                let toks: Vec<&str> = tokens(stream)
                    .filter_map(|t| std::str::from_utf8(t).ok())
                    .collect();
                if toks.len() >= 2 {
                    set.insert(toks.join(" "));
                }
            }
        }
    }
    (accented, folded)
}

/// A keyword that may start at a token: its index in `Matcher::keys` and its tokens.
type Candidate = (usize, Vec<Box<[u8]>>);

/// The tokens of an encoded stream (separators: space, U+0001, U+0002), as bytes:
/// separators are ASCII, so the pieces are whole UTF-8 tokens.
fn tokens(stream: &str) -> impl Iterator<Item = &[u8]> {
    stream
        .as_bytes()
        .split(|&b| b <= 2 || b == b' ')
        .filter(|t| !t.is_empty())
}

impl Matcher {
    fn new(
        index: &KeywordIndex,
        words: Option<&'static Lexicon>,
        places: HashSet<String>,
    ) -> Matcher {
        let mut keys: Vec<String> = index.keys().cloned().collect();
        keys.sort();
        let mut first: FxHashMap<Box<[u8]>, Vec<Candidate>> = FxHashMap::default();
        for (i, k) in keys.iter().enumerate() {
            let toks: Vec<Box<[u8]>> = tokens(k).map(Box::from).collect();
            if let Some(head) = toks.first() {
                first.entry(head.clone()).or_default().push((i, toks));
            }
        }
        for candidates in first.values_mut() {
            candidates.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        }
        Matcher {
            keys,
            first,
            words,
            places,
        }
    }

    /// Whether a lexicon word or a province name spans position `p` of `toks`
    /// (starts before it and ends after it): a keyword may not begin or end there
    /// (`cầu` in `yêu cầu`, `điện` in `Điện Biên`). The keyword lies on `side` of
    /// `p`. For a keyword of several syllables, a word of its own, a word that
    /// crosses `p` but whose part outside the keyword belongs to another word of
    /// the context, ending (or starting) at `p`, does not count: `quản lý tài
    /// chính` reads `quản lý | tài chính`, and the lexicon's `lý tài` straddles
    /// two words. A keyword of one syllable has no such support (`người yêu cầu`
    /// is `người | yêu cầu`, not `người yêu | cầu`): any crossing word hides it.
    fn inside_word(&self, toks: &[&[u8]], p: usize, side: Side, one_syllable: bool) -> bool {
        let mut w = String::new();
        let mut is_word = |run: &[&[u8]]| self.is_word(run, &mut w);
        for len in 2..=MAX_WORD_SYLLABLES {
            for back in 1..len {
                let Some(from) = p.checked_sub(back) else {
                    break;
                };
                if from + len > toks.len() || !is_word(&toks[from..from + len]) {
                    continue;
                }
                if one_syllable {
                    return true;
                }
                // The other word of the context that claims the crossing word's
                // outside part: ending at `p` (and starting no later), or starting
                // at `p` (and ending no earlier).
                let claimed = match side {
                    Side::Start => (p.saturating_sub(MAX_WORD_SYLLABLES)..=from)
                        .any(|x| p - x >= 2 && is_word(&toks[x..p])),
                    Side::End => (from + len..=(p + MAX_WORD_SYLLABLES).min(toks.len()))
                        .any(|y| y - p >= 2 && is_word(&toks[p..y])),
                };
                if !claimed {
                    return true;
                }
            }
        }
        false
    }

    /// Whether `run` is a lexicon word or a province name (spelt out in `w`).
    fn is_word(&self, run: &[&[u8]], w: &mut String) -> bool {
        w.clear();
        for (n, t) in run.iter().enumerate() {
            if n > 0 {
                w.push(' ');
            }
            w.push_str(std::str::from_utf8(t).unwrap_or_default());
        }
        self.places.contains(w.as_str()) || self.words.is_some_and(|l| l.words.contains(w.as_str()))
    }

    /// Occurrences of each keyword in `stream`, in keyword order (so that
    /// `matched` lists are the same from run to run): how many in all, how many
    /// of them name an agency (see [`AGENCY_HEADS`]), and how many of the others
    /// fall in each of the stream's [`PARTS`].
    fn count(&self, stream: &str) -> Vec<(String, usize, usize, [u16; PARTS])> {
        if self.first.is_empty() {
            return Vec::new();
        }
        let toks: Vec<&[u8]> = tokens(stream).collect();
        let mut by_key = vec![(0usize, 0usize, [0u16; PARTS]); self.keys.len()];
        let parts = toks.len().max(1);
        let mut i = 0;
        // Where a keyword may still continue an agency's name (`Bộ Văn hóa, Thể
        // thao và Du lịch`): right after the previous one, or one word later.
        let mut agency_reach: Option<usize> = None;
        while let Some(t) = toks.get(i) {
            let hit = self.first.get(*t).and_then(|candidates| {
                candidates.iter().find(|(_, seq)| {
                    toks.get(i..i + seq.len())
                        .is_some_and(|window| window.iter().zip(seq).all(|(a, b)| **a == **b))
                        && !self.inside_word(&toks, i, Side::Start, seq.len() == 1)
                        && !self.inside_word(&toks, i + seq.len(), Side::End, seq.len() == 1)
                })
            });
            match hit {
                Some((k, seq)) => {
                    let agency =
                        agency_reach.is_some_and(|r| i <= r) || self.after_agency_head(&toks, i);
                    if let Some(c) = by_key.get_mut(*k) {
                        c.0 += 1;
                        c.1 += usize::from(agency);
                        if !agency {
                            let at = &mut c.2[i * PARTS / parts];
                            *at = at.saturating_add(1);
                        }
                    }
                    i += seq.len();
                    agency_reach = agency.then_some(i + 1);
                }
                None => i += 1,
            }
        }
        self.keys
            .iter()
            .zip(by_key)
            .filter(|(_, c)| c.0 > 0)
            .map(|(k, c)| (k.clone(), c.0, c.1, c.2))
            .collect()
    }

    /// Whether the word before position `p` heads an agency's name (`Sở`, `Bộ`,
    /// `Ủy ban`, `cơ quan`, …) and is a word of its own (not `trường` of `thị
    /// trường`).
    fn after_agency_head(&self, toks: &[&[u8]], p: usize) -> bool {
        AGENCY_HEADS.iter().any(|head| {
            p.checked_sub(head.len())
                .and_then(|q| toks.get(q..p))
                .is_some_and(|before| {
                    before.iter().copied().eq(head.iter().map(|s| s.as_bytes()))
                        && !self.inside_word(toks, p - head.len(), Side::Start, head.len() == 1)
                })
        })
    }
}

/// Which side of a boundary a keyword lies on (see `Matcher::inside_word`).
#[derive(Clone, Copy)]
enum Side {
    /// The keyword starts at the boundary.
    Start,
    /// The keyword ends at the boundary.
    End,
}

/// Words that head an agency's name. A keyword right after one (`Sở Công
/// Thương`, `Bộ Y tế`, `Ủy ban Dân tộc`, a district's `Phòng Giáo dục và Đào
/// tạo`, `Phòng Thương mại và Công nghiệp`) names who acts, not what a document is
/// about: a decision of the Sở Công Thương on administrative procedures is about
/// the procedures. Such a keyword counts as a generic one. So does one after
/// `cơ quan` (`cơ quan Lao động - Thương binh và Xã hội các cấp`, `cơ quan thuế`):
/// the agencies of a field, whichever they are.
/// Each head is given as its syllables.
const AGENCY_HEADS: &[&[&str]] = &[
    &["bộ"],
    &["sở"],
    &["ban"],
    &["cục"],
    &["vụ"],
    &["viện"],
    &["phòng"],
    &["cơ", "quan"],
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Tags `title` and `body`, asserts that the primary theme is `want`, and
    /// returns the themes.
    fn tagged_with_primary(t: &Taxonomy, title: &str, body: &str, want: &str) -> Vec<ThemeMatch> {
        let tags = t.tag(Some(title), body, &[]);
        assert_eq!(tags.first().map(|m| m.id.as_str()), Some(want), "{tags:?}");
        tags
    }

    #[test]
    fn builtin_has_25_themes() {
        let t = Taxonomy::builtin();
        assert_eq!(t.themes().len(), 25);
        assert!(t.labels().iter().any(|(id, _)| *id == "chuyen_doi_so"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let bad = "theme_id\tlabel_vi\tlabel_en\tkeywords\tanchor_refs\nok\tA\tA\tx\t\nbad id\tB\tB\ty\t\n";
        let e = Taxonomy::parse(bad, "my.tsv")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("my.tsv") && e.contains("line 3"), "{e}");
    }

    #[test]
    fn word_boundaries() {
        let t = Taxonomy::builtin();
        let body = "ntm ntm ntm và huntm";
        let tags = t.tag(None, body, &[]);
        assert_eq!(tags.first().map(|m| m.id.as_str()), Some("nong_thon_moi"));
        // Three body occurrences in a text shorter than BODY_FLOOR syllables:
        // 3 per 1,000 × 1,000 / 600.
        assert_eq!(tags.first().map(|m| m.score), Some(5.0));
    }

    #[test]
    fn a_keyword_never_matches_inside_a_longer_word() {
        let t = Taxonomy::builtin();
        // `cầu` in `yêu cầu`, `nhu cầu`, `cầu thủ`; `xây dựng` of `xây dựng niềm
        // tin` is generic and counts in no body.
        let body = "Yêu cầu các đơn vị đáp ứng nhu cầu của cầu thủ, xây dựng niềm tin. ".repeat(20);
        let tags = t.tag(Some("Kế hoạch phát động phong trào thi đua"), &body, &[]);
        assert!(
            tags.iter().all(|m| m.id != "do_thi_ha_tang_giao_thong"),
            "{tags:?}"
        );
        assert_eq!(
            tags.first().map(|m| (m.id.as_str(), m.primary)),
            Some(("thi_dua_khen_thuong", true))
        );
        // A bridge is still a bridge, and a specific phrase counts in the body.
        let tags = t.tag(
            Some("Kế hoạch đầu tư xây dựng cầu và đường giao thông"),
            &"Thi công công trình xây dựng cầu và kết cấu hạ tầng giao thông. ".repeat(5),
            &[],
        );
        let infra = tags.iter().find(|m| m.id == "do_thi_ha_tang_giao_thong");
        assert!(
            infra.is_some_and(|m| m.primary && m.evidence.title == 3 && m.evidence.body > 0),
            "{tags:?}"
        );
    }

    #[test]
    fn a_word_of_the_context_settles_where_words_end() {
        let t = Taxonomy::builtin();
        // The lexicon has `lý tài` (managing wealth), which straddles `quản lý |
        // tài chính`: `quản lý` claims `lý`, so `tài chính` begins a word there.
        let tags = t.tag(
            Some("Quy định về cơ chế quản lý tài chính"),
            &"Đơn vị thực hiện cơ chế quản lý tài chính, lập dự toán và quyết toán. ".repeat(5),
            &[],
        );
        let finance = tags.iter().find(|m| m.id == "tai_chinh_ngan_sach");
        assert!(
            finance.is_some_and(|m| m.primary && m.evidence.title == 1),
            "{tags:?}"
        );
        // A keyword of one syllable is no word that could claim its side:
        // `người yêu cầu` (the requester) is not `người yêu | cầu`, though both
        // `người yêu` and `yêu cầu` are words.
        let tags = t.tag(
            Some("Hướng dẫn người yêu cầu nộp hồ sơ"),
            "Người yêu cầu nộp hồ sơ theo yêu cầu.",
            &[],
        );
        assert!(
            tags.iter().all(|m| m.id != "do_thi_ha_tang_giao_thong"),
            "{tags:?}"
        );
    }

    #[test]
    fn what_the_title_does_names_the_primary_even_in_a_generic_word() {
        let t = Taxonomy::builtin();
        // Publishing procedures of a field: about the procedures (a generic
        // keyword of the head), however much the body names the field.
        let body = "Thủ tục cấp giấy phép hoạt động khoa học và công nghệ, chuyển giao công nghệ, \
                    nghiên cứu khoa học, đổi mới sáng tạo. "
            .repeat(10);
        tagged_with_primary(
            &t,
            "Về việc công bố danh mục thủ tục hành chính lĩnh vực khoa học và công nghệ",
            &body,
            "cai_cach_hanh_chinh",
        );
        // A specific keyword of the head still names the document before it.
        tagged_with_primary(
            &t,
            "Kế hoạch chuyển đổi số trong giải quyết thủ tục hành chính",
            &body,
            "chuyen_doi_so",
        );
    }

    #[test]
    fn one_keyword_repeated_is_no_secondary_theme() {
        let t = Taxonomy::builtin();
        let ids = |body: &str| -> Vec<String> {
            t.tag(Some("Quy định mức thu phí, lệ phí và thuế"), body, &[])
                .into_iter()
                .map(|m| m.id)
                .collect()
        };
        let fees = "Thu phí, lệ phí và thuế theo quy định của ngân sách. ".repeat(5);
        // `nông nghiệp` named often, alone: a passing mention.
        let once = ids(&format!(
            "{fees}{}",
            "Hộ sản xuất nông nghiệp được miễn. ".repeat(8)
        ));
        assert_eq!(
            once.first().map(String::as_str),
            Some("tai_chinh_ngan_sach")
        );
        assert!(
            !once.iter().any(|id| id == "nong_nghiep_thuy_san"),
            "{once:?}"
        );
        // Two of its keywords, as often: a part of the document given to the theme.
        let two = ids(&format!(
            "{fees}{}",
            "Hộ sản xuất nông nghiệp và nuôi trồng thủy sản được miễn. ".repeat(8)
        ));
        assert!(two.iter().any(|id| id == "nong_nghiep_thuy_san"), "{two:?}");
    }

    #[test]
    fn a_theme_spread_thinly_over_a_text_about_another_is_no_secondary() {
        let t = Taxonomy::builtin();
        let title = "Kế hoạch phát triển giáo dục và đào tạo";
        let school = "Nâng cao chất lượng giáo dục, đào tạo giáo viên và học sinh. ";
        let funds = "Quyết toán và kiểm toán dự toán được giao. ";
        // Funding named once in each of ten paragraphs about schools: no part
        // of the text is about it.
        let thin = t.tag(
            Some(title),
            &format!("{school}{school}{funds}").repeat(10),
            &[],
        );
        let finance = |tags: &[ThemeMatch]| {
            tags.iter()
                .find(|m| m.id == "tai_chinh_ngan_sach")
                .map(|m| m.evidence.clone())
        };
        assert_eq!(
            thin.first().map(|m| m.id.as_str()),
            Some("giao_duc_dao_tao_nhan_luc"),
            "{thin:?}"
        );
        assert!(finance(&thin).is_none(), "{thin:?}");
        // The same words gathered in a chapter of their own: it leads that part.
        let chapter = format!(
            "{}{}",
            format!("{school}{school}").repeat(8),
            format!("{funds}{funds}").repeat(5)
        );
        let gathered = t.tag(Some(title), &chapter, &[]);
        assert!(
            finance(&gathered).is_some_and(|e| e.parts > 0 && e.title == 0),
            "{gathered:?}"
        );
    }

    #[test]
    fn a_cited_anchor_alone_is_no_ground_for_a_secondary_theme() {
        let t = Taxonomy::builtin();
        // An education plan resting on the Law on Legal Documents (64/2025/QH15,
        // anchor of tu_phap_pho_bien_phap_luat) and naming legal dissemination
        // in passing, once per paragraph.
        let text = format!(
            "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15;\n{}",
            "Nâng cao chất lượng giáo dục, đào tạo giáo viên và học sinh. \
             Nâng cao chất lượng giáo dục, đào tạo giáo viên và học sinh. \
             Phổ biến, giáo dục pháp luật và hòa giải ở cơ sở. "
                .repeat(10)
        );
        let refs = crate::document::references::extract_references(&text);
        let tags = t.tag(
            Some("Kế hoạch phát triển giáo dục và đào tạo"),
            &text,
            &refs,
        );
        let law = tags.iter().find(|m| m.id == "tu_phap_pho_bien_phap_luat");
        assert!(law.is_none(), "{tags:?}");
        // The same anchor and theme words with a chapter of their own: a secondary.
        let chapter = format!(
            "{text}{}",
            "Phổ biến, giáo dục pháp luật và hòa giải ở cơ sở; trợ giúp pháp lý. ".repeat(8)
        );
        let tags = t.tag(
            Some("Kế hoạch phát triển giáo dục và đào tạo"),
            &chapter,
            &refs,
        );
        let law = tags.iter().find(|m| m.id == "tu_phap_pho_bien_phap_luat");
        assert!(
            law.is_some_and(|m| !m.primary && m.evidence.anchors == 1 && m.evidence.parts > 0),
            "{tags:?}"
        );
    }

    #[test]
    fn rating_is_about_personnel_only_when_it_rates_personnel() {
        let t = Taxonomy::builtin();
        let ids = |title: &str| -> Vec<String> {
            let body = format!("{title}. Thực hiện hằng năm theo quy định. ").repeat(3);
            t.tag(Some(title), &body, &[])
                .into_iter()
                .map(|m| m.id)
                .collect()
        };
        // `đánh giá, xếp loại` alone rates anything (companies, schools): generic.
        let firms = ids("Quy định đánh giá, xếp loại doanh nghiệp của Sở Giao dịch chứng khoán");
        assert_eq!(
            firms.first().map(String::as_str),
            Some("tai_chinh_ngan_sach"),
            "{firms:?}"
        );
        let staff = ids("Quy định đánh giá, xếp loại chất lượng cán bộ, công chức");
        assert_eq!(
            staff.first().map(String::as_str),
            Some("to_chuc_bo_may_can_bo"),
            "{staff:?}"
        );
    }

    #[test]
    fn sector_words_name_their_themes() {
        let t = Taxonomy::builtin();
        let primary = |title: &str| t.tag(Some(title), "", &[]).first().map(|m| m.id.clone());
        for (title, theme) in [
            (
                "Về việc sắp xếp các đơn vị hành chính cấp xã năm 2025",
                "to_chuc_bo_may_can_bo",
            ),
            (
                "Về việc chủ động phòng, tránh, ứng phó bão số 15",
                "tai_nguyen_moi_truong_khi_hau",
            ),
            (
                "Danh mục ngành, nghề trình độ trung cấp, trình độ cao đẳng",
                "giao_duc_dao_tao_nhan_luc",
            ),
            (
                "Quy định chế độ trợ cấp một lần, mai táng phí",
                "giam_ngheo_an_sinh_lao_dong",
            ),
            (
                "Cho vay tín dụng chính sách xã hội qua Ngân hàng Chính sách xã hội",
                "giam_ngheo_an_sinh_lao_dong",
            ),
            // The field's own name (the 2025 law is on `công nghiệp công nghệ số`).
            (
                "Quy định về sản phẩm, dịch vụ công nghệ số",
                "chuyen_doi_so",
            ),
            // The field after `lĩnh vực` is the scope of the procedures published.
            (
                "Công bố danh mục thủ tục hành chính mới ban hành lĩnh vực khoa học và công nghệ",
                "cai_cach_hanh_chinh",
            ),
        ] {
            assert_eq!(primary(title).as_deref(), Some(theme), "{title}");
        }
    }

    #[test]
    fn the_theme_the_title_names_is_primary_over_a_body_about_another() {
        let t = Taxonomy::builtin();
        // A plan against storms whose body is mostly about the crops and boats
        // to protect: filed under disasters, with agriculture secondary.
        let body = "Bảo vệ sản xuất nông nghiệp, thủy sản, chăn nuôi, trồng trọt; đưa tàu cá \
                    vào nơi tránh trú, bảo đảm an toàn hồ đập thủy lợi. "
            .repeat(8);
        let tags = t.tag(
            Some("Về việc chủ động ứng phó áp thấp nhiệt đới"),
            &body,
            &[],
        );
        let ids: Vec<&str> = tags.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids.first(),
            Some(&"tai_nguyen_moi_truong_khi_hau"),
            "{tags:?}"
        );
        assert!(ids.contains(&"nong_nghiep_thuy_san"), "{tags:?}");
        let farm = tags.iter().find(|m| m.id == "nong_nghiep_thuy_san");
        let storm = tags
            .iter()
            .find(|m| m.id == "tai_nguyen_moi_truong_khi_hau");
        assert!(
            farm.zip(storm)
                .is_some_and(|(f, s)| f.score > s.score && !f.primary),
            "the body scores agriculture higher, yet the title decides: {tags:?}"
        );
    }

    #[test]
    fn the_issuers_field_weighs_where_the_words_leave_two_themes_close() {
        let t = Taxonomy::builtin();
        // A tax office's answer to a citizen about land: the land and the money
        // owed on it are named about as often.
        let body = "Về việc giao đất, sử dụng đất của hộ gia đình theo Luật Đất đai, \
                    người sử dụng đất nộp tiền thuê đất, khoản phí, lệ phí và thuế thu \
                    nhập theo quy định.";
        let tag_doc = |title: &str, body: &str, issuers: &[&str]| {
            t.tag_analysed(Some(title), &[], &encode(body), &[], issuers)
        };
        let tag = |issuers: &[&str]| {
            let tags = tag_doc("V/v trả lời phản ánh, kiến nghị", body, issuers);
            let first = tags.first().map(|m| (m.id.clone(), m.evidence.issuer));
            (first, tags)
        };
        let (first, tags) = tag(&[]);
        let land = Some(("tai_nguyen_moi_truong_khi_hau".to_string(), false));
        assert_eq!(first, land, "{tags:?}");
        let (first, tags) = tag(&["Cục Thuế", "Bộ Tài chính"]);
        let tax = Some(("tai_chinh_ngan_sach".to_string(), true));
        assert_eq!(first, tax, "the issuer's field decides: {tags:?}");
        // An issuer adds to what the words say, and says nothing by itself.
        let (first, tags) = tag(&["Bộ Y tế"]);
        assert_eq!(first, land, "{tags:?}");
        let reply = "Bộ nhận được phản ánh của ông A và trả lời như sau.";
        let tags = tag_doc("V/v trả lời phản ánh", reply, &["Bộ Y tế"]);
        assert!(tags.is_empty(), "{tags:?}");
        // Nor does its name where the document names it: that says who acts.
        let tags = tag_doc("V/v Bộ Y tế trả lời phản ánh", reply, &["Bộ Y tế"]);
        let health = tags.iter().find(|m| m.id == "y_te_dan_so");
        assert!(health.is_some_and(|m| !m.evidence.issuer), "{tags:?}");
    }

    #[test]
    fn general_statistics_are_socio_economic_and_one_fields_are_that_field() {
        let t = Taxonomy::builtin();
        // A national reporting regime whose forms cover every sector: the body
        // names roads and ports more than anything, the title names statistics.
        let body = "Biểu mẫu báo cáo về đường bộ, đường sắt, cảng biển, giao thông, nhà ở; \
                    biểu mẫu về doanh nghiệp, lao động, y tế, giáo dục. "
            .repeat(6);
        tagged_with_primary(
            &t,
            "Quy định chi tiết nội dung chế độ báo cáo thống kê cấp quốc gia",
            &body,
            "phat_trien_kinh_te_xa_hoi",
        );
        // Statistics of one field belong to the field the title names.
        tagged_with_primary(
            &t,
            "Ban hành Bộ chỉ tiêu thống kê về trẻ em",
            &body,
            "thanh_nien_phu_nu_tre_em_gia_dinh",
        );
    }

    #[test]
    fn what_a_title_does_within_a_field_names_the_primary() {
        let t = Taxonomy::builtin();
        // `X trong Y`: the plan does X (digital transformation) within Y (building
        // and transport infrastructure), however much the body says about Y.
        let body = "Số hóa hồ sơ công trình xây dựng, kết cấu hạ tầng giao thông, đường bộ, \
                    đường sắt, cảng biển; xây dựng cơ sở dữ liệu. "
            .repeat(8);
        let tags = tagged_with_primary(
            &t,
            "Đề án chuyển đổi số trong xây dựng, quản lý, khai thác kết cấu hạ tầng giao thông",
            &body,
            "chuyen_doi_so",
        );
        assert!(
            tags.iter()
                .any(|m| m.id == "do_thi_ha_tang_giao_thong" && !m.primary),
            "{tags:?}"
        );
    }

    #[test]
    fn a_keyword_inside_a_province_name_names_the_place() {
        let t = Taxonomy::builtin();
        // `điện` (electricity, trade and industry) in `Điện Biên`, the province.
        let body = "Đoàn công tác làm việc với lãnh đạo tỉnh Điện Biên; Ủy ban nhân dân tỉnh \
                    Điện Biên báo cáo tình hình. "
            .repeat(6);
        let tags = t.tag(
            Some("Thông báo kết luận tại buổi làm việc với tỉnh Điện Biên"),
            &body,
            &[],
        );
        assert!(
            tags.iter().all(|m| m.id != "cong_thuong_thuong_mai"),
            "{tags:?}"
        );
        // Electricity itself still counts.
        let tags = t.tag(Some("Kế hoạch cung ứng điện mùa khô"), "", &[]);
        assert_eq!(
            tags.first().map(|m| m.id.as_str()),
            Some("cong_thuong_thuong_mai"),
            "{tags:?}"
        );
    }

    #[test]
    fn a_scope_marker_is_a_whole_word() {
        assert_eq!(title_scope("Kế hoạch trong năm 2026").1, "trong năm 2026");
        // `trong` inside a longer word, or `trọng`, cuts nothing.
        assert_eq!(title_scope("Về các nhiệm vụ trọng tâm").1, "");
        assert_eq!(title_scope("Về việc trongxay").1, "");
        assert_eq!(find_word("a trong b", "trong"), Some(2));
        assert_eq!(find_word("atrong trong", "trong"), Some(7));
    }

    #[test]
    fn an_agency_name_says_who_acts_not_what_about() {
        let t = Taxonomy::builtin();
        let body =
            "Giao Sở Công Thương, Sở Văn hóa, Thể thao và Du lịch chủ trì thực hiện. ".repeat(10);
        let tags = tagged_with_primary(
            &t,
            "Công bố thủ tục hành chính thuộc thẩm quyền giải quyết của Sở Công Thương",
            &body,
            "cai_cach_hanh_chinh",
        );
        // The agency's name counts as a generic keyword: half in the title, not in
        // the body (both ministries' names, `Thể thao và Du lịch` included).
        let trade = tags.iter().find(|m| m.id == "cong_thuong_thuong_mai");
        assert!(trade.is_none_or(|m| m.evidence.body == 0), "{tags:?}");
        assert!(
            tags.iter().all(|m| m.id != "van_hoa_the_thao_du_lich"),
            "{tags:?}"
        );
        // Without an agency before it, the same keyword is the topic.
        tagged_with_primary(
            &t,
            "Kế hoạch phát triển du lịch",
            &body,
            "van_hoa_the_thao_du_lich",
        );
        // A district's department (`Phòng …`) is an agency like a province's `Sở`:
        // what its functions are about is its organisation.
        let body = "Phòng Lao động - Thương binh và Xã hội quản lý việc làm, giảm nghèo, \
                    bảo hiểm xã hội của người lao động. "
            .repeat(10);
        tagged_with_primary(
            &t,
            "Hướng dẫn chức năng, nhiệm vụ, quyền hạn của Sở Lao động - Thương binh và Xã \
             hội và Phòng Lao động - Thương binh và Xã hội",
            &body,
            "to_chuc_bo_may_can_bo",
        );
        // `cơ quan X` names the agencies of a field: a rule on how they work with
        // the police on crimes against children is not about labour.
        let body = "Cơ quan Lao động - Thương binh và Xã hội các cấp tiếp nhận tin báo về \
                    tội phạm, phối hợp với cơ quan công an điều tra vụ án. "
            .repeat(10);
        let tags = t.tag(Some("Quy định về phối hợp tiếp nhận tin báo"), &body, &[]);
        assert!(
            tags.iter().all(|m| m.id != "giam_ngheo_an_sinh_lao_dong"),
            "{tags:?}"
        );
    }

    #[test]
    fn headings_are_numbered_or_upper_case_lines() {
        let text = "UBND TỈNH KIÊN GIANG\nSỞ Y TẾ\nKẾ HOẠCH\n\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nNội dung thường.\n- Sở Y tế;\nĐiều 2. Tổ chức thực hiện";
        assert_eq!(
            headings(text),
            vec![
                "I. MỤC ĐÍCH, YÊU CẦU",
                "1. Mục đích",
                "Điều 2. Tổ chức thực hiện"
            ]
        );
    }

    #[test]
    fn keywords_match_tokens_not_characters() {
        let tsv = "theme_id\tlabel_vi\tlabel_en\tkeywords\tanchor_refs\n\
                   so\tSố\tDigital\tchuyển đổi số|chuyển đổi|phòng, chống thiên tai\t\n";
        let t = Taxonomy::parse(tsv, "t.tsv").map_err(|e| e.to_string());
        let Ok(t) = t else {
            panic!("{t:?}");
        };
        let count = |body: &str| -> Vec<(String, usize, usize)> {
            let s = encode(body);
            t.matcher
                .count(&s.accented)
                .into_iter()
                .map(|(k, all, agency, _)| (k, all, agency))
                .collect()
        };
        // Line breaks, case and dashes between the words do not matter; the longest
        // keyword wins where two start at the same token.
        assert_eq!(
            count("CHUYỂN ĐỔI\nSỐ và chuyển-đổi số, rồi chuyển đổi."),
            vec![
                ("chuyển đổi".to_string(), 1, 0),
                ("chuyển đổi số".to_string(), 2, 0)
            ]
        );
        // Whole tokens only; tone placement is canonical (hoà = hòa).
        assert!(count("chuyểnđổi số; số chuyển").is_empty());
        assert_eq!(
            count("Phòng chống thiên tai").first().map(|(_, c, _)| *c),
            Some(1)
        );
        // A text written without marks matches the folded keywords.
        let tags = t.tag(
            Some("ke hoach chuyen doi so"),
            "chuyen doi so, chuyen doi so",
            &[],
        );
        // One title keyword, two body occurrences in a short text.
        assert_eq!(tags.first().map(|m| m.score), Some(9.33));
    }
}
