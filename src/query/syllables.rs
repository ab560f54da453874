//! A query text as one syllable per position, in both views (accented, folded):
//! what search, abbreviation expansion and term statistics all start from.

use crate::analysis;

/// One analysed syllable position: (accented, folded).
pub type Syllable = (String, String);

/// Analyses a query text into one syllable per position. Where the analyzer emits
/// several tokens at one position (a Roman numeral and its Arabic value), the
/// Arabic one is used: it is indexed for both spellings.
pub fn syllables(text: &str) -> Vec<Syllable> {
    let mut out: Vec<(usize, Syllable)> = Vec::new();
    for t in analysis::analyze(text) {
        match out.last_mut() {
            Some((pos, syl)) if *pos == t.position => {
                if t.text.bytes().all(|b| b.is_ascii_digit()) {
                    *syl = (t.text, t.folded);
                }
            }
            _ => out.push((t.position, (t.text, t.folded))),
        }
    }
    out.into_iter().map(|(_, s)| s).collect()
}
