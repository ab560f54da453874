//! Text reuse between two documents (issue 17).
//!
//! STAND-IN: this file only lets the evaluation harness (`tests/reuse_eval.rs`,
//! `benches/reuse.rs`) compile on its branch. The real detector replaces it
//! when the branches merge. It finds maximal exact runs of at least
//! [`AlignOptions::min_syllables`] syllables, nothing edited.

use std::collections::HashMap;

/// Options of [`align`].
#[derive(Debug, Clone)]
pub struct AlignOptions {
    /// The shortest run, in syllables, reported as a match.
    pub min_syllables: usize,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions { min_syllables: 20 }
    }
}

/// One passage of `a` found again in `b`: byte spans into `a` and into `b`.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Start of the passage in `a` (byte offset).
    pub a_start: usize,
    /// End of the passage in `a` (byte offset, exclusive).
    pub a_end: usize,
    /// Start of the passage in `b` (byte offset).
    pub b_start: usize,
    /// End of the passage in `b` (byte offset, exclusive).
    pub b_end: usize,
    /// Syllables of the passage in `a`.
    pub syllables: usize,
    /// Similarity of the two sides, 1.0 for verbatim.
    pub similarity: f64,
    /// Edits between the two sides (always 0 here: runs are exact).
    pub edits: usize,
}

/// Syllables (maximal alphanumeric runs), lowercased, with their byte spans.
fn syllables(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((text[s..i].to_lowercase(), s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((text[s..].to_lowercase(), s, text.len()));
    }
    out
}

/// The key of a k-gram: its syllables.
fn key(w: &[(String, usize, usize)]) -> Vec<&str> {
    w.iter().map(|s| s.0.as_str()).collect()
}

/// Aligns two texts: every maximal exact run of `a` found in `b` (greedy: each
/// run of `a` is extended from the first place of `b` that starts it).
pub fn align(a: &str, b: &str, opts: &AlignOptions) -> Vec<Match> {
    let k = opts.min_syllables.max(1);
    let (sa, sb) = (syllables(a), syllables(b));
    if sa.len() < k || sb.len() < k {
        return Vec::new();
    }
    // Where each k-gram of `b` first starts; a k-gram's key is its syllables.
    let mut index: HashMap<Vec<&str>, usize> = HashMap::new();
    for j in 0..=sb.len() - k {
        index.entry(key(&sb[j..j + k])).or_insert(j);
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i + k <= sa.len() {
        let Some(&j) = index.get(&key(&sa[i..i + k])) else {
            i += 1;
            continue;
        };
        let mut n = k;
        while i + n < sa.len() && j + n < sb.len() && sa[i + n].0 == sb[j + n].0 {
            n += 1;
        }
        out.push(Match {
            a_start: sa[i].1,
            a_end: sa[i + n - 1].2,
            b_start: sb[j].1,
            b_end: sb[j + n - 1].2,
            syllables: n,
            similarity: 1.0,
            edits: 0,
        });
        i += n;
    }
    out
}
