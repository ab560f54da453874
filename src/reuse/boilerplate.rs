//! Boilerplate: text every document shares, never reported as reuse.
//!
//! Mottos (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc`),
//! recipients (`Nơi nhận: - Như trên; - Lưu: VT`), signature blocks and the
//! formulae of every decision are recognised by their **document frequency**:
//! runs of [`SHINGLE`] syllables found in a large share of documents.
//!
//! Two sources: the built-in list `data/reuse-boilerplate.txt` — the runs found in
//! at least 10% of the 790 administrative documents of the project's reference
//! corpus, written as text (regenerate with `cargo run --release --example
//! reuse_boilerplate`) — so that two documents compared on their own know the
//! genre's formulae; and, in a service, the runs of its own corpus above a
//! document-frequency threshold ([`super::corpus`]).
//!
//! Lists of recipients vary from one issuer to another more than their common
//! items do: besides their frequent runs, they are recognised by their form
//! (`Nơi nhận:` and its items, see `super::syllables`), like citations.
//!
//! A passage counts only its syllables outside boilerplate runs, citations and
//! lists of recipients towards [`super::AlignOptions::min_syllables`].

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use super::syllables::{formula_syllables, run_hash, syllables, Syl};

/// Syllables in a boilerplate run (and in a corpus fingerprint).
pub const SHINGLE: usize = 5;

const BUILT_IN: &str = include_str!("../../data/reuse-boilerplate.txt");

/// The built-in runs, hashed.
static BUILT_IN_RUNS: LazyLock<HashSet<u64>> = LazyLock::new(|| {
    let mut set = HashSet::new();
    for line in BUILT_IN.lines() {
        // "run<TAB>document frequency"
        let line = line.split('\t').next().unwrap_or_default().trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let syl = syllables(line);
        for i in 0..(syl.len() + 1).saturating_sub(SHINGLE) {
            set.insert(run_hash(&syl, i, SHINGLE));
        }
    }
    set
});

/// The boilerplate runs in force: built-in, and a corpus's own.
pub(crate) struct Boilerplate {
    corpus: Option<Arc<HashSet<u64>>>,
}

impl Boilerplate {
    pub(crate) fn new(corpus: Option<Arc<HashSet<u64>>>) -> Boilerplate {
        Boilerplate { corpus }
    }

    /// Which syllables of `a` lie in boilerplate runs, found once for any number of
    /// questions about them.
    pub(crate) fn of(&self, a: &[Syl]) -> BoilerplateIn {
        BoilerplateIn(self.covered(a, 0, a.len()))
    }

    /// For each syllable of `a[i..i + len]`, whether it lies in a boilerplate run.
    pub(crate) fn covered(&self, a: &[Syl], i: usize, len: usize) -> Vec<bool> {
        let mut covered = vec![false; len];
        let lo = i.saturating_sub(SHINGLE - 1);
        let hi = (i + len).min((a.len() + 1).saturating_sub(SHINGLE));
        for s in lo..hi {
            let h = run_hash(a, s, SHINGLE);
            // A corpus keeps only winnowed runs, at least one in every WINDOW
            // consecutive ones: inside a formula the kept runs, SHINGLE syllables
            // each and at most WINDOW apart, cover it without a gap. Each covers
            // only its own syllables; reaching further covered the words around
            // a formula too.
            let boilerplate =
                BUILT_IN_RUNS.contains(&h) || self.corpus.as_ref().is_some_and(|c| c.contains(&h));
            if boilerplate {
                for p in s.max(i)..(s + SHINGLE).min(i + len) {
                    covered[p - i] = true;
                }
            }
        }
        covered
    }
}

/// For each syllable of one text, whether it lies in a boilerplate run
/// ([`Boilerplate::of`]).
pub(crate) struct BoilerplateIn(Vec<bool>);

impl BoilerplateIn {
    /// For each syllable of `[i, i + len)`, whether it lies in a boilerplate run.
    pub(crate) fn covered(&self, i: usize, len: usize) -> &[bool] {
        &self.0[i..i + len]
    }

    /// How many of the syllables `[i, i + len)` in `runs` lie outside boilerplate
    /// runs.
    pub(crate) fn fresh_syllables(&self, runs: &[(usize, usize)]) -> usize {
        runs.iter()
            .map(|&(i, len)| self.covered(i, len).iter().filter(|c| !**c).count())
            .sum()
    }
}

/// Is this text's every syllable inside a built-in boilerplate run? (For tests
/// and tools.)
pub fn is_boilerplate(text: &str) -> bool {
    let syl = syllables(text);
    let b = Boilerplate::new(None);
    !syl.is_empty() && b.of(&syl).fresh_syllables(&[(0, syl.len())]) == 0
}

/// The share of the syllables of `text[span]` that are prose: words (not
/// numbers) outside built-in boilerplate runs, citations and lists of
/// recipients — what [`super::align`] can report as reuse. A header, a motto, a
/// list of `Căn cứ …` citations or a table of figures has little; a paragraph of
/// tasks nearly all. The whole text is read, since a list of recipients is known
/// by its heading. (For evaluation: a passage made of formulae is not reuse, and
/// a table whose figures all changed is another table.)
pub fn prose_share(text: &str, span: std::ops::Range<usize>) -> f64 {
    let syl = syllables(text);
    let formulae = formula_syllables(text, &syl);
    let inside: Vec<usize> = (0..syl.len())
        .filter(|&k| syl[k].start >= span.start && syl[k].end <= span.end)
        .collect();
    if inside.is_empty() {
        return 0.0;
    }
    let prose: Vec<(usize, usize)> = inside
        .iter()
        .filter(|&&k| !formulae[k] && !syl[k].number)
        .map(|&k| (k, 1))
        .collect();
    Boilerplate::new(None).of(&syl).fresh_syllables(&prose) as f64 / inside.len() as f64
}

#[cfg(test)]
mod tests {
    use super::prose_share;

    #[test]
    fn a_paragraph_is_prose_and_a_table_of_figures_or_a_motto_is_not() {
        let whole = |text: &str| prose_share(text, 0..text.len());
        let paragraph = "Huy động sức mạnh tổng hợp, cổ vũ, động viên tập thể và cá nhân \
                         khắc phục khó khăn, phấn đấu hoàn thành các chỉ tiêu đã đề ra.";
        assert!(whole(paragraph) > 0.9, "{}", whole(paragraph));
        // Numbers are not words: a table whose figures change is another table.
        let table = "10 tuổi 125,0 125,8 1 tháng 3,4 3,2 50,8 49,8 10.5 tuổi 127,3 128,7";
        assert!(whole(table) < 0.5, "{}", whole(table));
        let motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc";
        assert!(whole(motto) < 0.5, "{}", whole(motto));
    }
}
