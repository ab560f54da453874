//! The embedded word list (pyvi, MIT) and display stop list (stopwords-iso, MIT),
//! normalised with the analyzer so they compare equal to analysed text.

use std::collections::HashSet;
use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use crate::analysis;

pub(crate) const WORDS: &str = include_str!("../../data/lexicon/pyvi-words.txt");
pub(crate) const STOPWORDS: &str = include_str!("../../data/lexicon/stopwords-iso-vi.txt");

/// Longest lexicon word, in syllables, used by the "words" mode.
pub const MAX_WORD_SYLLABLES: usize = 4;

/// The two lists, as accented canonical syllables joined by one space.
#[derive(Debug)]
pub struct Lexicon {
    /// Multi-syllable words of at most [`MAX_WORD_SYLLABLES`] syllables.
    pub words: HashSet<String>,
    /// Stopwords (one or more syllables).
    pub stopwords: HashSet<String>,
}

/// Analyses a list entry into its canonical form (`None` when it has no syllable).
pub fn canonical(entry: &str) -> Option<String> {
    let mut out = String::new();
    let mut last = usize::MAX;
    for t in analysis::analyze(entry) {
        if t.position == last {
            continue;
        }
        last = t.position;
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    (!out.is_empty()).then_some(out)
}

/// The embedded lexicon (parsed once).
pub fn get() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let words = WORDS
            .lines()
            .filter_map(canonical)
            .filter(|w| {
                let n = w.split(' ').count();
                (2..=MAX_WORD_SYLLABLES).contains(&n)
            })
            .collect();
        let stopwords = STOPWORDS.lines().filter_map(canonical).collect();
        Lexicon { words, stopwords }
    })
}

/// The two-syllable words of the lexicon, accented canonical (`thị trường`) or folded
/// (`thi truong`), syllables joined by one space: the pairs the body's pair fields
/// index (see `analysis::PairTokenizer`).
pub fn pair_words(folded: bool) -> &'static FxHashSet<String> {
    static PAIRS: OnceLock<[FxHashSet<String>; 2]> = OnceLock::new();
    let [accented, fold] = PAIRS.get_or_init(|| {
        let accented: FxHashSet<String> = get()
            .words
            .iter()
            .filter(|w| w.split(' ').count() == 2)
            .cloned()
            .collect();
        let fold = accented.iter().map(|w| analysis::fold(w)).collect();
        [accented, fold]
    });
    if folded {
        fold
    } else {
        accented
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_normalised() {
        let lex = get();
        assert!(lex.words.contains("kế hoạch"));
        assert!(lex.words.contains("thi đua"));
        assert!(lex.stopwords.contains("của"));
        assert!(lex.stopwords.contains("bao giờ"));
        assert!(!lex.words.contains("a"));
    }
}
