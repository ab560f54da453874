//! Rule-based theme tagging with a taxonomy loaded from a TSV
//! (`theme_id  label_vi  label_en  keywords  anchor_refs`, keywords and anchors
//! `|`-separated; built-in copy: `data/themes.tsv`).

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::references::fold_key;
use super::text::{fold, fold_collapse, is_unaccented, lower_tone_normalized};
use super::{Reference, ThemeMatch};
use crate::{Error, Result};

const THEMES_TSV: &str = include_str!("../../data/themes.tsv");

/// Weight of a keyword found in the title (trích yếu).
pub const TITLE_WEIGHT: f32 = 3.0;
/// Weight of a cited anchor reference (`34-CT/TW` → thi đua, khen thưởng).
pub const ANCHOR_WEIGHT: f32 = 3.0;
/// Weight of a keyword occurrence in the body.
pub const BODY_WEIGHT: f32 = 1.0;
/// At most this many body occurrences of one keyword count.
pub const BODY_CAP: usize = 5;
/// A theme is assigned when its score reaches this.
pub const MIN_SCORE: f32 = 3.0;
/// At most this many themes per document.
pub const MAX_THEMES: usize = 4;

/// One theme of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Stable id (`chuyen_doi_so`).
    pub id: String,
    /// Vietnamese label, for facets (`Chuyển đổi số, chính quyền số`).
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// Keywords (as written in the TSV).
    pub keywords: Vec<String>,
    /// Anchor references (KEYs; a KEY ending in `/` matches as a prefix).
    pub anchor_refs: Vec<String>,
}

/// A theme taxonomy with its compiled matcher.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    themes: Vec<Theme>,
    /// Matcher over lower-cased, tone-normalised text (`None`: no keywords).
    matcher: Option<(AhoCorasick, Vec<String>)>,
    /// Matcher over folded text, for texts written without marks.
    folded_matcher: Option<(AhoCorasick, Vec<String>)>,
    /// accented keyword → (theme index, keyword as written).
    by_keyword: HashMap<String, Vec<(usize, String)>>,
    /// folded keyword → (theme index, keyword as written).
    by_folded: HashMap<String, Vec<(usize, String)>>,
    /// (folded anchor, is prefix, theme index, anchor as written).
    anchors: Vec<(String, bool, usize, String)>,
}

impl Taxonomy {
    /// The built-in 25-theme taxonomy.
    pub fn builtin() -> Taxonomy {
        // The built-in table is tested; a failure here would be a build defect.
        Taxonomy::parse(THEMES_TSV, "built-in data/themes.tsv").unwrap_or_else(|_| Taxonomy {
            themes: Vec::new(),
            matcher: None,
            folded_matcher: None,
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
            return Err(err(
                1,
                format!(
                    "header must be `{}` (tab-separated), found `{}`",
                    expected.join("\\t"),
                    header.trim()
                ),
            ));
        }
        let mut themes: Vec<Theme> = Vec::new();
        for (i, line) in lines {
            let n = i + 1;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 4 {
                return Err(err(
                    n,
                    format!(
                        "expected at least 4 tab-separated columns, found {}",
                        f.len()
                    ),
                ));
            }
            let id = f[0].trim();
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(err(n, format!("bad theme id `{id}` (use a-z, 0-9, _)")));
            }
            if themes.iter().any(|t| t.id == id) {
                return Err(err(n, format!("duplicate theme id `{id}`")));
            }
            let split = |s: &str| -> Vec<String> {
                s.split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            let keywords = split(f[3]);
            let anchor_refs = f.get(4).map(|s| split(s)).unwrap_or_default();
            if keywords.is_empty() && anchor_refs.is_empty() {
                return Err(err(
                    n,
                    format!("theme `{id}` has no keywords and no anchor references"),
                ));
            }
            themes.push(Theme {
                id: id.to_string(),
                label_vi: f[1].trim().to_string(),
                label_en: f[2].trim().to_string(),
                keywords,
                anchor_refs,
            });
        }
        if themes.is_empty() {
            return Err(err(1, "no themes".into()));
        }
        let mut by_keyword: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        let mut by_folded: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        let mut anchors = Vec::new();
        for (ti, t) in themes.iter().enumerate() {
            for k in &t.keywords {
                let ak = collapse_ws(&lower_tone_normalized(k));
                let fk = fold_collapse(k);
                if fk.is_empty() {
                    continue;
                }
                for (map, key) in [(&mut by_keyword, ak), (&mut by_folded, fk)] {
                    let e = map.entry(key).or_default();
                    if !e.iter().any(|(x, _)| *x == ti) {
                        e.push((ti, k.clone()));
                    }
                }
            }
            for a in &t.anchor_refs {
                let prefix = a.ends_with('/') || a.ends_with(':');
                anchors.push((fold_key(a), prefix, ti, a.clone()));
            }
        }
        let matcher = build_matcher(&by_keyword).map_err(|e| err(1, e))?;
        let folded_matcher = build_matcher(&by_folded).map_err(|e| err(1, e))?;
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

    fn count(m: Option<&(AhoCorasick, Vec<String>)>, text: &str) -> HashMap<String, usize> {
        let Some((ac, keys)) = m else {
            return HashMap::new();
        };
        let mut by_pattern = vec![0usize; keys.len()];
        for hit in ac.find_iter(text) {
            // Whole words only.
            let before = text[..hit.start()].chars().next_back();
            let after = text[hit.end()..].chars().next();
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            if word(before) || word(after) {
                continue;
            }
            if let Some(c) = by_pattern.get_mut(hit.pattern().as_usize()) {
                *c += 1;
            }
        }
        keys.iter()
            .zip(by_pattern)
            .filter(|(_, c)| *c > 0)
            .map(|(k, c)| (k.clone(), c))
            .collect()
    }

    /// Tags a document from its title (trích yếu), body text and references.
    /// Keywords match lower-cased, tone-normalised text with word boundaries (folded
    /// text when the document is written without marks).
    pub fn tag(&self, title: Option<&str>, body: &str, refs: &[Reference]) -> Vec<ThemeMatch> {
        let n = self.themes.len();
        let mut score = vec![0f32; n];
        let mut matched: Vec<Vec<String>> = vec![Vec::new(); n];
        let mut note = |ti: usize, s: f32, what: &str, matched: &mut Vec<Vec<String>>| {
            if let Some(x) = score.get_mut(ti) {
                *x += s;
            }
            if let Some(m) = matched.get_mut(ti) {
                if !m.iter().any(|x| x == what) {
                    m.push(what.to_string());
                }
            }
        };
        let plain = is_unaccented(body);
        let (re, index) = if plain {
            (self.folded_matcher.as_ref(), &self.by_folded)
        } else {
            (self.matcher.as_ref(), &self.by_keyword)
        };
        let prep = |s: &str| {
            if plain {
                fold(s)
            } else {
                lower_tone_normalized(s)
            }
        };
        if let Some(t) = title {
            for k in Self::count(re, &prep(t)).keys() {
                for (ti, kw) in index.get(k).into_iter().flatten() {
                    note(*ti, TITLE_WEIGHT, kw, &mut matched);
                }
            }
        }
        for (k, c) in Self::count(re, &prep(body)) {
            for (ti, kw) in index.get(&k).into_iter().flatten() {
                note(*ti, BODY_WEIGHT * c.min(BODY_CAP) as f32, kw, &mut matched);
            }
        }
        let mut seen: Vec<&str> = Vec::new();
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
                    note(*ti, ANCHOR_WEIGHT, a, &mut matched);
                }
            }
        }
        let mut out: Vec<ThemeMatch> = (0..n)
            .filter(|&i| score[i] >= MIN_SCORE)
            .map(|i| ThemeMatch {
                id: self.themes[i].id.clone(),
                score: score[i],
                matched: std::mem::take(&mut matched[i]),
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        out.truncate(MAX_THEMES);
        out
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn build_matcher(
    index: &HashMap<String, Vec<(usize, String)>>,
) -> std::result::Result<Option<(AhoCorasick, Vec<String>)>, String> {
    let mut keys: Vec<String> = index.keys().cloned().collect();
    if keys.is_empty() {
        return Ok(None);
    }
    keys.sort();
    // A DFA: a few hundred keywords make a small one, and it scans several times
    // faster than the default NFA over every body at ingest.
    let ac = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .prefilter(false)
        .match_kind(MatchKind::LeftmostLongest)
        .build(&keys)
        .map_err(|e| format!("keywords do not compile into a matcher: {e}"))?;
    Ok(Some((ac, keys)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(tags.first().map(|m| m.score), Some(3.0));
    }
}
