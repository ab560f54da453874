//! The syllables text reuse compares: each with its hash, whether it is a
//! number, and its byte span in the text; hashes of runs of them; and which lie
//! inside citations. Shared by the aligner, the boilerplate test and the corpus
//! fingerprints, so that all three hash a text alike.

use crate::index::syllables::scan;

/// A syllable of a text: its hash, whether it is a number, and its byte span.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syl {
    pub hash: u64,
    pub number: bool,
    pub start: usize,
    pub end: usize,
}

impl Syl {
    /// Do two syllables match inside a run: the same syllable, or two numbers.
    ///
    /// A plan copied for another year, another province's quota or another
    /// document number differs from its source in its numbers only. Seeds are
    /// exact (numbers alone are no evidence of a copy), but a run grows over
    /// numbers that differ, and those are reported as edits.
    pub(crate) fn matches(&self, other: &Syl) -> bool {
        self.hash == other.hash || (self.number && other.number)
    }
}

/// Is this analysed syllable a number (`2025`, `1234,5`)?
fn is_number(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit())
}

/// The syllables of `text`, as the index analyses them.
pub(crate) fn syllables(text: &str) -> Vec<Syl> {
    let mut out = Vec::new();
    scan(text, &mut |s, start, end, _| {
        out.push(Syl {
            hash: hash_str(s),
            number: is_number(s),
            start,
            end,
        });
    });
    out
}

/// FNV-1a, then a final mix: a stable 64-bit hash of a syllable.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// splitmix64's finaliser.
pub(crate) fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The hash of the run of syllables `syl[i..i + k]`.
pub(crate) fn run_hash(syl: &[Syl], i: usize, k: usize) -> u64 {
    syl[i..i + k]
        .iter()
        .fold(0x9e37_79b9_7f4a_7c15_u64, |h, s| {
            mix(h ^ s.hash).rotate_left(7)
        })
}

/// For each syllable of `text`, whether it lies inside a citation.
pub(crate) fn cited_syllables(text: &str, syl: &[Syl]) -> Vec<bool> {
    let mut out = vec![false; syl.len()];
    for r in crate::document::extract_references(text) {
        let from = syl.partition_point(|s| s.end <= r.start);
        let to = syl.partition_point(|s| s.start < r.end);
        for c in out.iter_mut().take(to).skip(from) {
            *c = true;
        }
    }
    out
}
