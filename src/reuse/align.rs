//! Local alignment of two texts on syllables: which passages of one the other
//! reuses, verbatim or edited.
//!
//! 1. **Syllables.** Both texts are analysed as the index analyses them (accented
//!    canonical syllables, with byte offsets into the text).
//! 2. **Seeds.** Every run of [`SEED`] syllables that occurs in both texts is a seed
//!    `(i, j)`, unless it occurs more than [`MAX_SEED_REPEATS`] times in either text.
//! 3. **Chains.** Seeds taken in order of `i` join the chain whose last seed is at
//!    most [`AlignOptions::max_gap`] syllables before them in both texts, with a
//!    drift between the two gaps of at most `max_gap` (insertions and deletions);
//!    a chain is a stretch of text reused in order.
//! 4. **Passages.** Chains whose ranges lie within `max_gap` of each other in both
//!    texts merge (sentences reordered inside a copied passage stay one passage,
//!    even when one of them is also found at another place of `b`).
//!    Of runs that overlap (a phrase found at two places), the longest is kept. A
//!    passage must match [`MIN_DENSITY`] of its syllables (less what its other
//!    sentences fill, when reordered), and is reported when its matched syllables
//!    outside boilerplate (see [`super::boilerplate`]), citations and lists of
//!    recipients number at
//!    least [`AlignOptions::min_syllables`]. Its ends grow over the syllables both
//!    texts still share; a passage that then lies mostly inside a longer one in
//!    `a` (its words found again at another place of `b`) is dropped, and so are
//!    short passages sharing one place of `b` (a phrase `a` repeats is its own
//!    formula).
//! 5. **Edits.** Inside a chain the matched runs are extended syllable by syllable
//!    where the texts agree, or both have a number: a plan copied for another year
//!    differs from its source in its numbers only. What lies between two runs is
//!    an edit (a replacement, an insertion or a deletion), and so is each group of
//!    numbers inside a run that differs (`15/12/2024` / `10/12/2025`); edits are
//!    classified by [`super::edits`]. Numbers that differ fill a passage but are
//!    not counted as evidence of it (step 4 counts syllables that are the same).
//!
//! The similarity of a passage is `2·matched / (syllables in a + syllables in b)`.

use std::collections::HashMap;

use serde::Serialize;

use super::boilerplate::{Boilerplate, BoilerplateIn};
use super::edits::{classify, EditKind};
use super::syllables::{formula_syllables, run_hash, syllables, Syl};

/// Syllables in a seed.
pub const SEED: usize = 3;
/// A seed run occurring more often than this in either text is not a seed.
pub const MAX_SEED_REPEATS: usize = 40;

/// How [`align`] decides.
#[derive(Debug, Clone)]
pub struct AlignOptions {
    /// The fewest matched syllables, outside boilerplate, a passage must have.
    pub min_syllables: usize,
    /// The widest gap (in syllables) inside a passage, and between two pieces of
    /// one passage.
    pub max_gap: usize,
    /// Runs of [`super::boilerplate::SHINGLE`] syllables to treat as boilerplate
    /// besides the built-in ones (a corpus's most common, by document frequency).
    pub boilerplate: Option<std::sync::Arc<std::collections::HashSet<u64>>>,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            min_syllables: 15,
            max_gap: 12,
            boilerplate: None,
        }
    }
}

/// An edit inside a passage: what this text has where the other has something else.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Edit {
    /// What changed.
    pub kind: EditKind,
    /// Byte span in this document's text (empty where the other text inserted words).
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// Byte span in the other document's text (empty where this text inserted words).
    pub doc_start: usize,
    /// End of that span.
    pub doc_end: usize,
    /// This document's words (empty for an insertion in the other).
    pub text: String,
    /// The other document's words.
    pub doc_text: String,
}

/// A passage of text `a` that text `b` reuses: byte spans into both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// Start of the passage in `a` (bytes).
    pub a_start: usize,
    /// End of the passage in `a`.
    pub a_end: usize,
    /// Start of the passage in `b`.
    pub b_start: usize,
    /// End of the passage in `b`.
    pub b_end: usize,
    /// Syllables of the passage in `a`.
    pub syllables: usize,
    /// Syllables of `a`'s passage matched in `b`.
    pub matched: usize,
    /// 2·matched / (syllables in a + syllables in b).
    pub similarity: f64,
    /// What differs (spans as in [`Edit`], with `a` as "this" text).
    pub edits: Vec<Edit>,
}

/// A matched run: `len` syllables equal at `a[i..]` and `b[j..]` (or both
/// numbers, see [`Syl::matches`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    i: usize,
    j: usize,
    len: usize,
}

/// Seeds in order of `i`, then `j`.
fn seeds(a: &[Syl], b: &[Syl]) -> Vec<(usize, usize)> {
    if a.len() < SEED || b.len() < SEED {
        return Vec::new();
    }
    let mut in_b: HashMap<u64, Vec<usize>> = HashMap::new();
    for j in 0..=b.len() - SEED {
        in_b.entry(run_hash(b, j, SEED)).or_default().push(j);
    }
    let mut count_a: HashMap<u64, usize> = HashMap::new();
    let hashes: Vec<u64> = (0..=a.len() - SEED).map(|i| run_hash(a, i, SEED)).collect();
    for h in &hashes {
        *count_a.entry(*h).or_default() += 1;
    }
    let mut out = Vec::new();
    for (i, h) in hashes.iter().enumerate() {
        let Some(js) = in_b.get(h) else { continue };
        if js.len() > MAX_SEED_REPEATS || count_a.get(h).is_some_and(|&c| c > MAX_SEED_REPEATS) {
            continue;
        }
        out.extend(js.iter().map(|&j| (i, j)));
    }
    out
}

/// Groups seeds into chains (each a list of seeds in order).
fn chains(seeds: &[(usize, usize)], max_gap: usize) -> Vec<Vec<(usize, usize)>> {
    // The open chains, and beside them (scanned for every seed) their last seeds.
    let mut open: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut last: Vec<(usize, usize)> = Vec::new();
    let mut closed = Vec::new();
    for &(i, j) in seeds {
        // Close the chains this seed (and every later one) is too far from, the
        // others staying in order.
        let mut kept = 0;
        for n in 0..open.len() {
            if i <= last[n].0 + SEED + max_gap {
                open.swap(kept, n);
                last.swap(kept, n);
                kept += 1;
            } else {
                closed.push(std::mem::take(&mut open[n]));
            }
        }
        open.truncate(kept);
        last.truncate(kept);
        let mut best: Option<(usize, usize)> = None; // (cost, chain)
        for (n, &(li, lj)) in last.iter().enumerate() {
            if i <= li || j <= lj || j > lj + SEED + max_gap {
                continue;
            }
            let (di, dj) = (i - li, j - lj);
            let drift = di.abs_diff(dj);
            if drift > max_gap {
                continue;
            }
            let cost = di.max(dj) + drift;
            if best.is_none_or(|(b, _)| cost < b) {
                best = Some((cost, n));
            }
        }
        match best {
            Some((_, n)) => {
                open[n].push((i, j));
                last[n] = (i, j);
            }
            None => {
                open.push(vec![(i, j)]);
                last.push((i, j));
            }
        }
    }
    closed.extend(open);
    closed
}

/// The matched runs of a chain, disjoint and increasing in both texts, extended
/// syllable by syllable where the texts agree.
fn runs(chain: &[(usize, usize)], a: &[Syl], b: &[Syl]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for &(i, j) in chain {
        if let Some(r) = out.last_mut() {
            // Same diagonal (`j − i` as signed offsets), overlapping or adjacent.
            if i + r.j == j + r.i && i <= r.i + r.len {
                r.len = r.len.max(i + SEED - r.i);
                continue;
            }
            if i < r.i || j < r.j {
                continue;
            }
            // Skip what overlaps the previous run in either text.
            let o = (r.i + r.len)
                .saturating_sub(i)
                .max((r.j + r.len).saturating_sub(j));
            if o < SEED {
                out.push(Run {
                    i: i + o,
                    j: j + o,
                    len: SEED - o,
                });
            }
            continue;
        }
        out.push(Run { i, j, len: SEED });
    }
    // Grow each run forward, and the next backward, over equal syllables.
    for n in 0..out.len() {
        let (lim_i, lim_j) = out
            .get(n + 1)
            .map_or((a.len(), b.len()), |next| (next.i, next.j));
        let r = &mut out[n];
        while r.i + r.len < lim_i && r.j + r.len < lim_j && a[r.i + r.len].matches(&b[r.j + r.len])
        {
            r.len += 1;
        }
        let (end_i, end_j) = (r.i + r.len, r.j + r.len);
        if let Some(next) = out.get_mut(n + 1) {
            while next.i > end_i && next.j > end_j && a[next.i - 1].matches(&b[next.j - 1]) {
                next.i -= 1;
                next.j -= 1;
                next.len += 1;
            }
        }
    }
    out
}

/// How much longer than two passages side by side in `a` their stretch of `b` may
/// be for them to be one passage whose sentences were reordered.
const REORDER_SPAN: usize = 2;

/// How far apart (in `max_gap`s) two passages of `a` may lie and still be
/// sentences of one reordered passage (what lies between them: sentences too short
/// to seed, or edited), when their places in `b` are one stretch.
const REORDER_GAP: usize = 3;

/// The least share of a joined block's syllables that must match: lower than
/// [`MIN_DENSITY`] (a reordered passage loses its sentences too short to seed),
/// but a press report retelling a plan around a few quoted sentences is not one
/// reordered copy of it.
const JOIN_DENSITY: f64 = 0.6;

/// A passage under construction: its runs and its ranges in both texts.
#[derive(Debug, Clone)]
struct Piece {
    runs: Vec<Run>,
    a: (usize, usize),
    b: (usize, usize),
}

impl Piece {
    fn of(runs: Vec<Run>) -> Option<Piece> {
        let first = *runs.first()?;
        let last = *runs.last()?;
        Some(Piece {
            a: (first.i, last.i + last.len),
            b: (first.j, last.j + last.len),
            runs,
        })
    }

    /// Runs of merged chains may overlap (one phrase matched at two places): keeps
    /// the longest of overlapping runs, in text order, and spans what is left (a
    /// run dropped here, a phrase the other text also has a little earlier, must
    /// not stretch the passage).
    fn tidy(&mut self) {
        // Of runs equally long, the one nearest the diagonal of the longest run
        // (a phrase repeated a few lines apart in `b`: the place in line with the
        // rest of the passage).
        let diagonal = |r: &Run| r.j as i64 - r.i as i64;
        let main = self.runs.iter().max_by_key(|r| r.len).map_or(0, diagonal);
        self.runs.sort_by(|x, y| {
            y.len
                .cmp(&x.len)
                .then((diagonal(x) - main).abs().cmp(&(diagonal(y) - main).abs()))
                .then((x.i, x.j).cmp(&(y.i, y.j)))
        });
        let mut tidy: Vec<Run> = Vec::with_capacity(self.runs.len());
        for r in std::mem::take(&mut self.runs) {
            let clash = |q: &Run| {
                r.i < q.i + q.len && q.i < r.i + r.len || r.j < q.j + q.len && q.j < r.j + r.len
            };
            if !tidy.iter().any(clash) {
                tidy.push(r);
            }
        }
        tidy.sort_by_key(|r| (r.i, r.j));
        self.runs = tidy;
        self.span();
    }

    /// Sets the ranges to those of the runs (unchanged when there are none).
    fn span(&mut self) {
        let lo = |f: fn(&Run) -> usize| self.runs.iter().map(f).min();
        let hi = |f: fn(&Run) -> usize| self.runs.iter().map(f).max();
        if let (Some(a0), Some(a1), Some(b0), Some(b1)) = (
            lo(|r| r.i),
            hi(|r| r.i + r.len),
            lo(|r| r.j),
            hi(|r| r.j + r.len),
        ) {
            self.a = (a0, a1);
            self.b = (b0, b1);
        }
    }

    /// Syllables spanned in `a` and in `b`.
    fn lengths(&self) -> (usize, usize) {
        (self.a.1 - self.a.0, self.b.1 - self.b.0)
    }

    /// [`Piece::lengths`] less the syllables of this piece's gaps that other
    /// pieces (`all` but the `me`-th) match: in `a`, pieces found elsewhere in
    /// `b`, and in `b`, pieces found elsewhere in `a`. The sentences of a
    /// reordered copy fill each other's gaps; a phrase the other text repeats
    /// matches the same syllables and fills nothing. `cover` tells which pieces
    /// match each syllable.
    fn lengths_besides(&self, all: &[Piece], me: usize, cover: &Cover) -> (usize, usize) {
        let disjoint = |x: (usize, usize), y: (usize, usize)| x.1 <= y.0 || y.1 <= x.0;
        // The syllables of this piece's span on one side (`here`) that it matches
        // itself, or that a piece overlapping it there matches while found
        // elsewhere on the other side (`there`).
        type Side = fn(&Piece) -> (usize, usize);
        let filled = |matching: &Matching, here: Side, there: Side| {
            let (lo, hi) = here(self);
            (lo..hi)
                .filter(|&k| {
                    matching.at(k).iter().any(|&n| {
                        let q = &all[n as usize];
                        n as usize == me
                            || (disjoint(there(q), there(self)) && !disjoint(here(q), here(self)))
                    })
                })
                .count()
        };
        let filled_a = filled(&cover.a, |p| p.a, |p| p.b);
        let filled_b = filled(&cover.b, |p| p.b, |p| p.a);
        let matched = self.matched();
        let (la, lb) = self.lengths();
        (la - filled_a + matched, lb - filled_b + matched)
    }

    /// Syllables matched.
    fn matched(&self) -> usize {
        self.runs.iter().map(|r| r.len).sum()
    }

    /// The positions in `a` of the matched syllables that are the same in `b`
    /// (not two different numbers).
    fn same<'s>(&'s self, a: &'s [Syl], b: &'s [Syl]) -> impl Iterator<Item = usize> + 's {
        self.runs
            .iter()
            .flat_map(|r| (0..r.len).map(move |t| (r.i + t, r.j + t)))
            .filter(|&(i, j)| a[i].hash == b[j].hash)
            .map(|(i, _)| i)
    }

    fn near(&self, other: &Piece, gap: usize) -> bool {
        let apart = |x: (usize, usize), y: (usize, usize)| {
            if x.1 < y.0 {
                y.0 - x.1
            } else {
                x.0.saturating_sub(y.1)
            }
        };
        apart(self.a, other.a) <= gap && apart(self.b, other.b) <= gap
    }

    fn absorb(&mut self, other: Piece) {
        self.a = (self.a.0.min(other.a.0), self.a.1.max(other.a.1));
        self.b = (self.b.0.min(other.b.0), self.b.1.max(other.b.1));
        self.runs.extend(other.runs);
    }
}

/// Which pieces match each syllable of one text: for each syllable, the indices
/// of the pieces with a run over it (compressed rows).
struct Matching {
    start: Vec<u32>,
    pieces: Vec<u32>,
}

impl Matching {
    fn new(len: usize, pieces: &[Piece], side: impl Fn(&Run) -> usize) -> Matching {
        let spans = || {
            pieces.iter().enumerate().flat_map(|(n, p)| {
                let side = &side;
                p.runs.iter().map(move |r| (n as u32, side(r), r.len))
            })
        };
        let mut start = vec![0u32; len + 1];
        for (_, at, n) in spans() {
            for k in at..(at + n).min(len) {
                start[k + 1] += 1;
            }
        }
        for k in 0..len {
            start[k + 1] += start[k];
        }
        let mut next = start.clone();
        let mut out = vec![0u32; start[len] as usize];
        for (piece, at, n) in spans() {
            for k in at..(at + n).min(len) {
                out[next[k] as usize] = piece;
                next[k] += 1;
            }
        }
        Matching { start, pieces: out }
    }

    fn at(&self, k: usize) -> &[u32] {
        &self.pieces[self.start[k] as usize..self.start[k + 1] as usize]
    }
}

/// [`Matching`] in both texts, for [`Piece::lengths_besides`].
struct Cover {
    a: Matching,
    b: Matching,
}

impl Cover {
    fn new(pieces: &[Piece], a_len: usize, b_len: usize) -> Cover {
        Cover {
            a: Matching::new(a_len, pieces, |r| r.i),
            b: Matching::new(b_len, pieces, |r| r.j),
        }
    }
}

/// Merges pieces that lie within `gap` of each other in both texts.
fn merge(mut pieces: Vec<Piece>, gap: usize) -> Vec<Piece> {
    pieces.sort_by_key(|p| p.a);
    let mut out: Vec<Piece> = Vec::new();
    for p in pieces {
        if let Some(q) = out.iter_mut().rev().take(8).find(|q| q.near(&p, gap)) {
            q.absorb(p);
        } else {
            out.push(p);
        }
    }
    out
}

/// Passages (in order of `a`) cut into blocks of neighbours: each at most `gap`
/// syllables after the previous one in `a`.
fn blocks(passages: Vec<(Piece, usize, bool)>, gap: usize) -> Vec<Vec<(Piece, usize, bool)>> {
    let mut out: Vec<Vec<(Piece, usize, bool)>> = Vec::new();
    for x in passages {
        match out.last_mut() {
            Some(block)
                if block
                    .last()
                    .is_some_and(|(q, _, _)| x.0.a.0.saturating_sub(q.a.1) <= gap) =>
            {
                block.push(x);
            }
            _ => out.push(vec![x]),
        }
    }
    out
}

/// A block of neighbouring passages as one, when it holds a big passage and its
/// stretch of `b` is at most [`REORDER_SPAN`] times its stretch of `a`. Small
/// passages count only between big ones in `a` and near them in `b` (a stock
/// phrase found elsewhere in `b` is not a sentence of this passage).
fn join_all(block: &[(Piece, usize, bool)]) -> Option<(Piece, usize)> {
    let big = || block.iter().filter(|x| x.2).map(|x| &x.0);
    let a_lo = big().map(|p| p.a.0).min()?;
    let a_hi = big().map(|p| p.a.1).max()?;
    let b_lo = big().map(|p| p.b.0).min()?;
    let b_hi = big().map(|p| p.b.1).max()?;
    let reach = a_hi - a_lo;
    let mut parts = block.iter().filter(|(p, _, full)| {
        *full || (p.a.0 >= a_lo && p.a.1 <= a_hi && p.b.0 + reach >= b_lo && p.b.1 <= b_hi + reach)
    });
    let (first, mut matched, _) = parts.next()?.clone();
    let mut whole = first;
    let mut n = 1;
    for (p, m, _) in parts {
        whole.absorb(p.clone());
        matched += m;
        n += 1;
    }
    let (a_len, b_len) = (whole.a.1 - whole.a.0, whole.b.1 - whole.b.0);
    // Passages in the same order in both texts are one when they would pass as one
    // ([`MIN_DENSITY`]); reordered ones need only [`JOIN_DENSITY`].
    let big_b: Vec<usize> = big().map(|p| p.b.0).collect();
    let reordered = big_b.windows(2).any(|w| w[1] < w[0]);
    let density = if reordered { JOIN_DENSITY } else { MIN_DENSITY };
    let dense = matched as f64 >= density * a_len.max(b_len) as f64;
    (n == 1 || (b_len <= REORDER_SPAN * a_len && dense)).then_some((whole, matched))
}

/// A passage and its matched syllables.
type Joined = (Piece, usize);

/// [`join_all`] of a block, or else of the block without its big passages placed
/// farthest in `b` from the others (a sentence the source also has elsewhere,
/// found there): the passage, and those left out that lie outside it, each on its
/// own. At least two big passages must remain; `None` when no such join exists.
fn join_pruned(block: &[(Piece, usize, bool)]) -> Option<(Joined, Vec<Joined>)> {
    let mut members = block.to_vec();
    let mut strays = Vec::new();
    loop {
        if let Some(whole) = join_all(&members) {
            // A stray inside the passage is reported once, as part of it.
            let (lo, hi) = whole.0.a;
            strays.retain(|(p, _): &Joined| !mostly_inside(p.a, (lo, hi)));
            return Some((whole, strays));
        }
        let mut big: Vec<(usize, usize)> = members
            .iter()
            .enumerate()
            .filter(|(_, x)| x.2)
            .map(|(n, x)| ((x.0.b.0 + x.0.b.1) / 2, n))
            .collect();
        if big.len() < 3 {
            return None;
        }
        big.sort_unstable();
        let median = big[big.len() / 2].0;
        let (_, far) = big
            .iter()
            .copied()
            .max_by_key(|&(mid, _)| mid.abs_diff(median))?;
        let (p, matched, _) = members.remove(far);
        strays.push((p, matched));
    }
}

/// Every passage of `a` that `b` reuses (see the module documentation).
pub fn align(a: &str, b: &str, opts: &AlignOptions) -> Vec<Match> {
    align_prepared(&Prepared::new(a), &Prepared::new(b), opts)
}

/// A text analysed once for any number of alignments: its syllables, and (on
/// first use) which of them lie inside citations and lists of recipients.
pub(crate) struct Prepared<'t> {
    pub text: &'t str,
    pub syl: Vec<Syl>,
    formulae: std::sync::OnceLock<Vec<bool>>,
}

impl<'t> Prepared<'t> {
    pub(crate) fn new(text: &'t str) -> Prepared<'t> {
        Prepared {
            text,
            syl: syllables(text),
            formulae: std::sync::OnceLock::new(),
        }
    }

    fn formulae(&self) -> &[bool] {
        self.formulae
            .get_or_init(|| formula_syllables(self.text, &self.syl))
    }
}

/// [`align`] on texts already analysed.
pub(crate) fn align_prepared(
    pa: &Prepared<'_>,
    pb: &Prepared<'_>,
    opts: &AlignOptions,
) -> Vec<Match> {
    let (a_text, a, b_text, b) = (pa.text, &pa.syl[..], pb.text, &pb.syl[..]);
    let boiler = Boilerplate::new(opts.boilerplate.clone()).of(a);
    let found = seeds(a, b);
    // Boilerplate runs inside a chain stay (a legal formula between two copied
    // provisions is part of the copy); those at its ends are not evidence of it (a
    // motto before a copied paragraph). A passage must still match enough
    // syllables outside boilerplate to be reported.
    let fresh_run = |r: &Run| boiler.fresh_syllables(&[(r.i, r.len)]) > 0;
    let pieces: Vec<Piece> = chains(&found, opts.max_gap)
        .iter()
        .filter_map(|c| {
            let rs = runs(c, a, b);
            let first = rs.iter().position(fresh_run)?;
            let last = rs.iter().rposition(fresh_run)?;
            Piece::of(rs[first..=last].to_vec())
        })
        .collect();
    // Citations and lists of recipients are formulae, not prose: `Nghị định số
    // 157/2020/NĐ-CP ngày 31 tháng 12 năm 2020 của Chính phủ` or `- Văn phòng
    // Quốc hội;` in both texts is not reuse.
    let formulae = pa.formulae();
    let mut merged = merge(pieces, opts.max_gap);
    // A phrase matched at two places of the other text counts once, at one of them.
    for p in &mut merged {
        p.tidy();
    }
    let judge = Judge {
        a,
        b,
        formulae,
        boiler: &boiler,
        opts,
        cover: std::cell::OnceCell::new(),
    };
    let verdicts: Vec<Option<(usize, bool)>> = (0..merged.len())
        .map(|n| verdict(&merged, n, &judge))
        .collect();
    let mut kept: Vec<(Piece, usize, bool)> = merged
        .into_iter()
        .zip(verdicts)
        .filter_map(|(p, v)| v.map(|(same, full)| (p, same, full)))
        .collect();
    // A passage of `a` found at several places of `b` (a phrase `b` repeats) is
    // reported once, where most of it is the same; big passages first.
    kept.sort_by(|x, y| y.2.cmp(&x.2).then(y.1.cmp(&x.1)).then(x.0.a.cmp(&y.0.a)));
    let mut chosen = once_in_a(kept, |(p, _, _)| p);
    chosen.sort_by_key(|(p, _, _)| p.a);
    // Passages side by side in `a` whose places in `b` lie within one stretch not
    // much longer than them are one passage whose sentences were reordered: first
    // a whole block of neighbours (the order of `b` may be any), else neighbour by
    // neighbour, big passages only.
    let mut joined_up: Vec<(Piece, usize)> = Vec::new();
    for block in blocks(chosen, REORDER_GAP * opts.max_gap) {
        if let Some((whole, strays)) = join_pruned(&block) {
            joined_up.push(whole);
            joined_up.extend(strays);
            continue;
        }
        let start = joined_up.len();
        for (p, matched, _) in block.into_iter().filter(|x| x.2) {
            if let Some((q, m)) = joined_up[start..].last_mut() {
                let a_len = p.a.1.max(q.a.1) - q.a.0.min(p.a.0);
                let b_len = p.b.1.max(q.b.1) - q.b.0.min(p.b.0);
                if p.a.0.saturating_sub(q.a.1) <= opts.max_gap && b_len <= REORDER_SPAN * a_len {
                    q.absorb(p);
                    *m += matched;
                    continue;
                }
            }
            joined_up.push((p, matched));
        }
    }
    // Ends grown, a short passage may now lie inside a longer one in `a`: the same
    // words found again at another place of `b` (a formula `b` repeats, a number
    // that happens to match there) are reported once, with the longer passage.
    // Built-in boilerplate only (a motto), looked up once a passage is found.
    let built_in_in = std::cell::OnceCell::new();
    let built_in = || built_in_in.get_or_init(|| Boilerplate::new(None).of(a));
    let mut grown: Vec<Piece> = joined_up
        .into_iter()
        .map(|(p, _)| extend(a_text, a, b_text, b, built_in(), p))
        .collect();
    grown.sort_by(|x, y| y.matched().cmp(&x.matched()).then(x.a.cmp(&y.a)));
    let grown = once_in_a(grown, |p| p);
    let mut grown = repeated_in_a(grown, REPEATED_SHORT * opts.min_syllables);
    // In order of `a`.
    grown.sort_by_key(|p| p.a);
    grown
        .into_iter()
        .map(|p| passage(a_text, a, b_text, b, p))
        .collect()
}

/// Of `items`, best first, those whose piece covers at most half its own syllables
/// of `a` that a better one already covers: a passage of `a` found at several
/// places of `b` is reported once.
fn once_in_a<T>(items: Vec<T>, piece: impl Fn(&T) -> &Piece) -> Vec<T> {
    let mut chosen: Vec<T> = Vec::new();
    for item in items {
        let p = piece(&item);
        if !chosen.iter().any(|q| mostly_inside(p.a, piece(q).a)) {
            chosen.push(item);
        }
    }
    chosen
}

/// How many syllables two spans `[lo, hi)` share.
fn overlap(x: (usize, usize), y: (usize, usize)) -> usize {
    x.1.min(y.1).saturating_sub(x.0.max(y.0))
}

/// Whether more than half of span `x` lies inside span `y`.
fn mostly_inside(x: (usize, usize), y: (usize, usize)) -> bool {
    2 * overlap(x, y) > x.1 - x.0
}

/// Passages matching fewer syllables than this many times
/// [`AlignOptions::min_syllables`] are short for [`repeated_in_a`].
const REPEATED_SHORT: usize = 3;

/// Of `items`, all but the short ones (matching fewer than `short` syllables) that
/// share their place in `b` with another passage (each overlapping at least half
/// of the other): a phrase `a` uses at several places and `b` has once (a list of
/// exemptions `a` repeats in three articles, `… cơ sở cai nghiện bắt buộc hoặc bị
/// tạm giam, chấp hành hình phạt tù`) is `a`'s own formula, not a passage copied
/// from `b`. Long passages always stay.
fn repeated_in_a(items: Vec<Piece>, short: usize) -> Vec<Piece> {
    let same_place =
        |p: &Piece, q: &Piece| 2 * overlap(p.b, q.b) >= (p.b.1 - p.b.0).max(q.b.1 - q.b.0);
    let repeated: Vec<bool> = items
        .iter()
        .enumerate()
        .map(|(k, p)| {
            p.matched() < short
                && items
                    .iter()
                    .enumerate()
                    .any(|(j, q)| j != k && same_place(p, q))
        })
        .collect();
    items
        .into_iter()
        .zip(repeated)
        .filter_map(|(p, r)| (!r).then_some(p))
        .collect()
}

/// What [`verdict`] judges a passage by: both texts, which syllables of `a` are
/// formulae, the boilerplate in force, the options, and (built when first needed)
/// which pieces match each syllable.
struct Judge<'x> {
    a: &'x [Syl],
    b: &'x [Syl],
    formulae: &'x [bool],
    boiler: &'x BoilerplateIn,
    opts: &'x AlignOptions,
    cover: std::cell::OnceCell<Cover>,
}

/// Whether the passage `pieces[n]` is big enough to report (`Some((_, true))`),
/// small (a short sentence, `Some((_, false))`) and counting only inside a block
/// of reordered sentences around a big one, or no passage (`None`); with its
/// syllables that are the same in both texts.
fn verdict(pieces: &[Piece], n: usize, judge: &Judge<'_>) -> Option<(usize, bool)> {
    let Judge {
        a,
        b,
        formulae,
        boiler,
        opts,
        cover,
    } = judge;
    let p = &pieces[n];
    let matched = p.matched();
    let (la, lb) = p.lengths();
    // Runs out of order in `b` are sentences reordered: they need only
    // [`JOIN_DENSITY`], as when pieces are joined (see [`join_all`]).
    let density = if p.runs.windows(2).any(|w| w[1].j < w[0].j) {
        JOIN_DENSITY
    } else {
        MIN_DENSITY
    };
    if (matched as f64) < density * la.max(lb) as f64 {
        // Sentences of a reordered passage leave gaps that its other sentences
        // fill: those do not dilute it.
        let cover = cover.get_or_init(|| Cover::new(pieces, a.len(), b.len()));
        let (la, lb) = p.lengths_besides(pieces, n, cover);
        if (matched as f64) < density * la.max(lb) as f64 {
            return None;
        }
    }
    // Evidence is the syllables that are the same in both texts (numbers that
    // differ fill a passage but are no evidence of it), outside citations,
    // recipients and boilerplate, each once per phrase: a stock phrase that `a` repeats
    // (`ngân sách nhà nước … ngân sách nhà nước`) chains with itself but is one
    // phrase's worth of evidence.
    let same: Vec<usize> = p.same(a, b).collect();
    let mut phrases = rustc_hash::FxHashSet::default();
    let prose: Vec<(usize, usize)> = same
        .iter()
        .copied()
        .filter(|&k| !formulae[k] && phrases.insert(run_hash(a, k.min(a.len() - SEED), SEED)))
        .map(|k| (k, 1))
        .collect();
    let fresh = boiler.fresh_syllables(&prose);
    let full = same.len() >= opts.min_syllables && fresh >= opts.min_syllables;
    (fresh > 0).then_some((same.len(), full))
}

/// The least share of a passage's syllables (in the longer of its two sides) that
/// must match: a copy with a fifth of its words edited keeps about four fifths; a
/// stock phrase found three times in both texts does not chain into a passage.
pub const MIN_DENSITY: f64 = 0.65;

/// Syllables joined to syllable `k` on the side `dir` (−1 before, +1 after) without
/// a sentence break, at most `n`.
fn joined(text: &str, syl: &[Syl], k: usize, before: bool, n: usize) -> usize {
    let mut count = 0;
    let mut at = k;
    while count < n {
        if before {
            if at == 0 || break_before(text, syl, at) {
                break;
            }
            at -= 1;
        } else {
            if at + 1 >= syl.len() || break_before(text, syl, at + 1) {
                break;
            }
            at += 1;
        }
        count += 1;
    }
    count
}

/// Syllables a passage boundary may move over: one word (up to two syllables).
const BOUNDARY_WORD: usize = 2;

/// Moves a passage's boundaries over a word swapped at either end: when the (up to
/// two) syllables joined to the passage just before it — or just after — share a
/// syllable in both texts (`phát huy` / `huy động` before `sức mạnh tổng hợp`), they
/// belong to the passage, as an edit.
fn extend(
    a_text: &str,
    a: &[Syl],
    b_text: &str,
    b: &[Syl],
    boiler: &BoilerplateIn,
    mut p: Piece,
) -> Piece {
    p.tidy();
    grow_ends(a, b, &mut p.runs);
    trim_ends(a_text, a, boiler, &mut p.runs);
    p.span();
    let shares = |xa: &[Syl], xb: &[Syl]| xa.iter().any(|x| xb.iter().any(|y| x.hash == y.hash));
    let na = joined(a_text, a, p.a.0, true, BOUNDARY_WORD);
    let nb = joined(b_text, b, p.b.0, true, BOUNDARY_WORD);
    if na > 0 && nb > 0 && shares(&a[p.a.0 - na..p.a.0], &b[p.b.0 - nb..p.b.0]) {
        p.a.0 -= na;
        p.b.0 -= nb;
        p.runs.insert(
            0,
            Run {
                i: p.a.0,
                j: p.b.0,
                len: 0,
            },
        );
    }
    let (ea, eb) = (p.a.1 - 1, p.b.1 - 1);
    let na = joined(a_text, a, ea, false, BOUNDARY_WORD);
    let nb = joined(b_text, b, eb, false, BOUNDARY_WORD);
    if na > 0 && nb > 0 && shares(&a[ea + 1..=ea + na], &b[eb + 1..=eb + nb]) {
        p.a.1 += na;
        p.b.1 += nb;
        p.runs.push(Run {
            i: p.a.1,
            j: p.b.1,
            len: 0,
        });
    }
    p
}

/// Grows a passage's first run backward and its last run forward over the
/// syllables both texts still share on their diagonals. Seeds of a phrase either
/// text repeats too often ([`MAX_SEED_REPEATS`]) and runs made only of
/// boilerplate are not matched on their own, but where they continue a copied
/// passage word for word they are part of it.
fn grow_ends(a: &[Syl], b: &[Syl], runs: &mut [Run]) {
    // In `b` a run may not grow into another run (sentences may be reordered).
    let Some(last) = runs.len().checked_sub(1) else {
        return;
    };
    let j = runs[0].j;
    let floor = runs[1..]
        .iter()
        .map(|r| r.j + r.len)
        .filter(|&e| e <= j)
        .max()
        .unwrap_or(0);
    let r = &mut runs[0];
    while r.i > 0 && r.j > floor && a[r.i - 1].matches(&b[r.j - 1]) {
        r.i -= 1;
        r.j -= 1;
        r.len += 1;
    }
    let end = runs[last].j + runs[last].len;
    let ceiling = runs[..last]
        .iter()
        .map(|r| r.j)
        .filter(|&s| s >= end)
        .min()
        .unwrap_or(b.len());
    let r = &mut runs[last];
    while r.i + r.len < a.len() && r.j + r.len < ceiling && a[r.i + r.len].matches(&b[r.j + r.len])
    {
        r.len += 1;
    }
}

/// Trims whole lines or sentences of built-in boilerplate (a motto) from the start
/// of a passage's first run: they are not evidence of the copy, even where
/// numbers that differ join them to it (`Độc lập - Tự do - Hạnh phúc` / `Số:
/// 25/KH-SCT` against `… Số: 10/KH-UBND`). A formula the copied sentence itself
/// begins with stays.
fn trim_ends(a_text: &str, a: &[Syl], boiler: &BoilerplateIn, runs: &mut Vec<Run>) {
    let cut_at = |k: usize| k < a.len() && (k == 0 || break_before(a_text, a, k));
    while let Some(&r) = runs.first() {
        let lead = boiler
            .covered(r.i, r.len)
            .iter()
            .take_while(|c| **c)
            .count();
        if lead == r.len && runs.len() > 1 {
            runs.remove(0);
            continue;
        }
        let cut = (1..=lead.min(r.len - 1))
            .rev()
            .find(|&k| cut_at(r.i + k))
            .unwrap_or(0);
        runs[0] = Run {
            i: r.i + cut,
            j: r.j + cut,
            len: r.len - cut,
        };
        break;
    }
    // At the end, a run made only of boilerplate goes (as when chains are cut);
    // a formula a copied sentence ends with stays.
    while runs.len() > 1
        && runs
            .last()
            .is_some_and(|r| boiler.fresh_syllables(&[(r.i, r.len)]) == 0)
    {
        runs.pop();
    }
}

/// The [`Match`] of a passage.
fn passage(a_text: &str, a: &[Syl], b_text: &str, b: &[Syl], p: Piece) -> Match {
    let (la, lb) = (p.a.1 - p.a.0, p.b.1 - p.b.0);
    let matched = p.runs.iter().map(|r| r.len).sum::<usize>().min(la).min(lb);
    Match {
        a_start: a[p.a.0].start,
        a_end: a[p.a.1 - 1].end,
        b_start: b[p.b.0].start,
        b_end: b[p.b.1 - 1].end,
        syllables: la,
        matched,
        similarity: (2 * matched) as f64 / (la + lb) as f64,
        edits: edits_of(&p.runs, a_text, a, b_text, b),
    }
}

/// A gap between two matched runs: `a[ai..aj]` where `b` has `b[bi..bj]`.
type Gap = (usize, usize, usize, usize);

/// Gaps larger than this (product of both sides' syllables) are one edit, unrefined.
const REFINE_CELLS: usize = 4096;

/// Is there a sentence break (punctuation or a line break) just before syllable `k`?
fn break_before(text: &str, syl: &[Syl], k: usize) -> bool {
    text.get(syl[k - 1].end..syl[k].start)
        .is_some_and(|g| g.contains(['.', ';', ':', '!', '?', '\n']))
}

/// Splits a gap into edits: at a sentence break both sides have, then around the
/// syllables both sides still share (longest common subsequence). Two edits one
/// shared syllable apart join unless one holds a number (`phát huy` / `huy động`
/// is one edit; `20 tháng 11` / `15 tháng 12` are two).
fn refine(a_text: &str, a: &[Syl], b_text: &str, b: &[Syl], g: Gap, out: &mut Vec<Gap>) {
    let (ai, aj, bi, bj) = g;
    let ka = (ai + 1..aj).find(|&k| break_before(a_text, a, k));
    let kb = (bi + 1..bj).find(|&k| break_before(b_text, b, k));
    if let (Some(ka), Some(kb)) = (ka, kb) {
        refine(a_text, a, b_text, b, (ai, ka, bi, kb), out);
        refine(a_text, a, b_text, b, (ka, aj, kb, bj), out);
        return;
    }
    let (n, m) = (aj - ai, bj - bi);
    if n == 0 || m == 0 || n * m > REFINE_CELLS {
        out.push(g);
        return;
    }
    // LCS table over the gap, then the shared syllables in order.
    let mut t = vec![vec![0u16; m + 1]; n + 1];
    for x in (0..n).rev() {
        for y in (0..m).rev() {
            t[x][y] = if a[ai + x].hash == b[bi + y].hash {
                t[x + 1][y + 1] + 1
            } else {
                t[x + 1][y].max(t[x][y + 1])
            };
        }
    }
    let (mut x, mut y) = (0, 0);
    let mut pieces: Vec<Gap> = Vec::new();
    let (mut px, mut py) = (0, 0);
    while x < n && y < m {
        if a[ai + x].hash == b[bi + y].hash {
            if px < x || py < y {
                pieces.push((ai + px, ai + x, bi + py, bi + y));
            }
            x += 1;
            y += 1;
            (px, py) = (x, y);
        } else if t[x + 1][y] >= t[x][y + 1] {
            x += 1;
        } else {
            y += 1;
        }
    }
    if px < n || py < m {
        pieces.push((ai + px, aj, bi + py, bj));
    }
    let digits = |text: &str, syl: &[Syl], from: usize, to: usize| {
        syl[from..to].iter().any(|s| {
            text.get(s.start..s.end)
                .is_some_and(|w| w.chars().any(|c| c.is_ascii_digit()))
        })
    };
    let mut merged: Vec<Gap> = Vec::new();
    for p in pieces {
        if let Some(last) = merged.last_mut() {
            let one_apart = p.0 == last.1 + 1 && p.2 == last.3 + 1;
            let numeric = digits(a_text, a, last.0, p.1) || digits(b_text, b, last.2, p.3);
            if one_apart && !numeric {
                *last = (last.0, p.1, last.2, p.3);
                continue;
            }
        }
        merged.push(p);
    }
    out.extend(merged);
}

/// The edits between consecutive runs of a passage (runs in order in both texts;
/// where a merged passage is out of order, the out-of-order gaps are skipped).
fn edits_of(runs: &[Run], a_text: &str, a: &[Syl], b_text: &str, b: &[Syl]) -> Vec<Edit> {
    let mut gaps = Vec::new();
    for w in runs.windows(2) {
        let (r, next) = (w[0], w[1]);
        let (ai, aj) = (r.i + r.len, next.i);
        let (bi, bj) = (r.j + r.len, next.j);
        if aj < ai || bj < bi || (ai == aj && bi == bj) {
            continue;
        }
        refine(a_text, a, b_text, b, (ai, aj, bi, bj), &mut gaps);
    }
    gaps.extend(runs.iter().flat_map(|r| numbers_changed(a_text, a, b, *r)));
    gaps.sort_unstable();
    gaps.into_iter()
        .map(|(ai, aj, bi, bj)| edit(a_text, a, b_text, b, (ai, aj, bi, bj)))
        .collect()
}

/// The numbers a run matched as numbers but that differ: each group of numbers
/// written together (`16/6/2025`, `1.234,5`) holding a difference is one edit.
fn numbers_changed(a_text: &str, a: &[Syl], b: &[Syl], r: Run) -> Vec<Gap> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < r.len {
        if !a[r.i + k].number {
            k += 1;
            continue;
        }
        let from = k;
        k += 1;
        while k < r.len && a[r.i + k].number && !break_before(a_text, a, r.i + k) {
            k += 1;
        }
        if (from..k).any(|x| a[r.i + x].hash != b[r.j + x].hash) {
            out.push((r.i + from, r.i + k, r.j + from, r.j + k));
        }
    }
    out
}

/// One edit, with its spans, words and kind.
fn edit(a_text: &str, a: &[Syl], b_text: &str, b: &[Syl], g: Gap) -> Edit {
    let (ai, aj, bi, bj) = g;
    let span = |text: &str, syl: &[Syl], from: usize, to: usize| -> (usize, usize) {
        if from < to {
            (syl[from].start, syl[to - 1].end)
        } else {
            // An empty side: the punctuation between the neighbouring syllables
            // (`học tập, làm theo` against `học tập và làm theo`: the comma), or
            // the point between them.
            let prev = from.checked_sub(1).and_then(|k| syl.get(k)).map(|s| s.end);
            let next = syl.get(from).map(|s| s.start);
            match (prev, next) {
                (Some(p), Some(n)) => {
                    let gap = text.get(p..n).unwrap_or_default();
                    let lead = gap.len() - gap.trim_start().len();
                    let core = gap.trim();
                    if core.is_empty() || core.contains('\n') {
                        (n, n)
                    } else {
                        (p + lead, p + lead + core.len())
                    }
                }
                (Some(p), None) => (p, p),
                (None, Some(n)) => (n, n),
                (None, None) => (0, 0),
            }
        }
    };
    let (s, e) = span(a_text, a, ai, aj);
    let (ds, de) = span(b_text, b, bi, bj);
    let text = a_text.get(s..e).unwrap_or_default().to_string();
    let doc_text = b_text.get(ds..de).unwrap_or_default().to_string();
    let before_start = a.get(ai.saturating_sub(3)).map_or(s, |x| x.start).min(s);
    let before = a_text.get(before_start..s).unwrap_or_default();
    let after_end = a
        .get((aj + 2).min(a.len()).saturating_sub(1))
        .map_or(e, |x| x.end)
        .max(e);
    let after = a_text.get(e..after_end).unwrap_or_default();
    Edit {
        kind: classify(&text, &doc_text, before, after),
        start: s,
        end: e,
        doc_start: ds,
        doc_end: de,
        text,
        doc_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "Kế hoạch phát động phong trào thi đua năm 2020. \
        Huy động sức mạnh tổng hợp, cổ vũ, động viên tập thể và cá nhân khắc phục khó khăn, \
        phấn đấu hoàn thành xuất sắc nhiệm vụ chính trị của ngành Công Thương tỉnh Kiên Giang \
        trước ngày 15 tháng 12 năm 2020. Chủ động phát hiện, xây dựng, lựa chọn và biểu dương \
        khen thưởng kịp thời các tập thể, cá nhân có thành tích xuất sắc.";

    fn one(a: &str, b: &str) -> Match {
        let m = align(a, b, &AlignOptions::default());
        assert_eq!(m.len(), 1, "{m:#?}");
        m.into_iter().next().unwrap()
    }

    #[test]
    fn a_verbatim_copy_is_one_passage_with_both_spans() {
        let copy = format!("Sở Y tế ban hành văn bản này. {SOURCE} Các phòng thực hiện.");
        let m = one(&copy, SOURCE);
        assert_eq!(&copy[m.a_start..m.a_end], SOURCE.trim_end_matches('.'));
        assert_eq!(&SOURCE[m.b_start..m.b_end], SOURCE.trim_end_matches('.'));
        assert!(m.edits.is_empty(), "{:?}", m.edits);
        assert!((m.similarity - 1.0).abs() < 1e-9);
    }

    #[test]
    fn edited_numbers_places_and_words_are_edits() {
        let copy = SOURCE
            .replace("2020", "2023")
            .replace("15 tháng 12", "20 tháng 11")
            .replace("Kiên Giang", "Hậu Giang")
            .replace("Huy động", "Phát huy");
        let m = one(&copy, SOURCE);
        let kinds: Vec<(EditKind, &str, &str)> = m
            .edits
            .iter()
            .map(|e| (e.kind, e.text.as_str(), e.doc_text.as_str()))
            .collect();
        assert!(
            kinds.contains(&(EditKind::Other, "Phát huy", "Huy động")),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(EditKind::Place, "Hậu", "Kiên")),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(EditKind::Date, "2023", "2020")),
            "{kinds:?}"
        );
        assert!(kinds.contains(&(EditKind::Date, "20", "15")), "{kinds:?}");
        assert!(kinds.contains(&(EditKind::Date, "11", "12")), "{kinds:?}");
        assert!(m.similarity > 0.8 && m.similarity < 1.0, "{}", m.similarity);
    }

    #[test]
    fn a_copy_for_another_year_is_one_passage_with_its_numbers_as_edits() {
        let source = "Trước ngày 15/12/2024, các sở báo cáo kết quả thực hiện năm 2024 về Sở Nội vụ. \
            Quyết định này có hiệu lực thi hành kể từ ngày 28 tháng 11 năm 2024. Điều 4. Tổ chức thực hiện";
        let copy = "Trước ngày 10/12/2025, các sở báo cáo kết quả thực hiện năm 2025 về Sở Nội vụ. \
            Quyết định này có hiệu lực thi hành kể từ ngày 03 tháng 12 năm 2025. Điều 5. Tổ chức thực hiện";
        let m = one(copy, source);
        // Whole: no number cuts the copy into pieces too short to report, or
        // leaves its first or last words out.
        assert_eq!((m.a_start, m.a_end), (0, copy.len()), "{m:#?}");
        assert_eq!((m.b_start, m.b_end), (0, source.len()), "{m:#?}");
        let edits: Vec<(&str, &str)> = m
            .edits
            .iter()
            .map(|e| (e.text.as_str(), e.doc_text.as_str()))
            .collect();
        assert_eq!(
            edits,
            [
                ("10/12/2025", "15/12/2024"),
                ("2025", "2024"),
                ("03", "28"),
                ("12", "11"),
                ("2025", "2024"),
                ("5", "4")
            ]
        );
        assert!(
            m.edits[..5].iter().all(|e| e.kind == EditKind::Date),
            "{m:#?}"
        );
    }

    #[test]
    fn numbers_that_differ_are_no_evidence_of_a_copy() {
        // A formula around dates and numbers: its words alone are too few.
        let a = "Căn cứ Kế hoạch số 12/KH-UBND ngày 15 tháng 3 năm 2024 và Kế hoạch số 40/KH-UBND \
            ngày 2 tháng 9 năm 2024 của tỉnh.";
        let b = "Căn cứ Kế hoạch số 98/KH-UBND ngày 20 tháng 5 năm 2025 và Kế hoạch số 7/KH-UBND \
            ngày 1 tháng 10 năm 2025 của tỉnh.";
        assert!(align(a, b, &AlignOptions::default()).is_empty());
    }

    #[test]
    fn a_reordered_sentence_the_source_has_elsewhere_does_not_split_the_passage() {
        let s = [
            "Các sở, ban, ngành tổ chức tuyên truyền sâu rộng đến cán bộ, công chức và người lao động về ý nghĩa của phong trào thi đua",
            "Ủy ban nhân dân các huyện chủ động bố trí kinh phí từ ngân sách địa phương để thực hiện các nhiệm vụ được giao đúng tiến độ",
            "Định kỳ hằng quý, các đơn vị báo cáo kết quả thực hiện về Sở Kế hoạch và Đầu tư để tổng hợp trình Ủy ban nhân dân tỉnh",
            "Trong quá trình triển khai nếu có khó khăn, vướng mắc, các cơ quan kịp thời phản ánh để được hướng dẫn giải quyết",
        ];
        // Found in the source only far before the others.
        let x = "Đẩy mạnh ứng dụng công nghệ thông tin trong quản lý, điều hành và cung cấp dịch vụ công trực tuyến cho người dân, doanh nghiệp";
        let filler: String = (1..=60)
            .map(|n| format!("Mục {n}: phụ lục số liệu riêng của đơn vị thứ {n}. "))
            .collect();
        let source = format!("{x}.\n{filler}\n{}. {}. {}. {}.", s[0], s[1], s[2], s[3]);
        let copy = format!(
            "Sở Y tế ban hành kế hoạch. {}. {x}. {}. {}. {}. Các phòng thực hiện.",
            s[1], s[0], s[3], s[2]
        );
        let found = align(&copy, &source, &AlignOptions::default());
        assert_eq!(found.len(), 1, "{found:#?}");
        let m = &found[0];
        assert!(copy[m.a_start..m.a_end].starts_with(&s[1][..20]), "{m:#?}");
        assert!(
            copy[m.a_start..m.a_end].ends_with(&s[2][s[2].len() - 20..]),
            "{m:#?}"
        );
        assert!(source[m.b_start..].starts_with(&s[0][..20]), "{m:#?}");
    }

    #[test]
    fn unrelated_texts_and_short_shared_phrases_are_not_reuse() {
        let other = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc. \
            Báo cáo tình hình kinh tế xã hội quý III của huyện, thi đua năm 2020.";
        let copy =
            format!("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc. {SOURCE}");
        assert!(align(other, &copy, &AlignOptions::default()).is_empty());
        assert!(align("", SOURCE, &AlignOptions::default()).is_empty());
        assert!(align(SOURCE, "", &AlignOptions::default()).is_empty());
    }

    #[test]
    fn reordered_sentences_stay_one_passage() {
        let parts: Vec<&str> = SOURCE.split(". ").collect();
        let shuffled = format!("{}. {}. {}", parts[2], parts[0], parts[1]);
        let m = align(&shuffled, SOURCE, &AlignOptions::default());
        assert_eq!(m.len(), 1, "{m:#?}");
    }

    /// Names for the communes of a merger resolution: `Xã Một` … `Xã Chín`, then
    /// `Xã Một Mới` ….
    fn commune(n: usize) -> String {
        format!(
            "Xã {}",
            ["Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín"][n % 9]
        ) + &" Mới".repeat(n / 9)
    }

    #[test]
    fn a_copy_starting_with_a_phrase_its_source_repeats_is_found_from_its_start() {
        // A merger resolution repeats its formula for each commune, more often
        // than a seed may repeat: the copy's opening words seed nothing.
        let source: String = (0..MAX_SEED_REPEATS + 5)
            .map(|n| {
                format!(
                    "{}. Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của {} và {} \
                     thành xã mới có tên gọi là {}.\n",
                    n + 1,
                    commune(2 * n),
                    commune(2 * n + 1),
                    commune(n + 100)
                )
            })
            .collect();
        let line = source.lines().nth(20).unwrap();
        let sentence = &line[line.find("Sắp").unwrap()..];
        let copy = format!("Văn bản của huyện ghi rõ như sau. {sentence} Hết.");
        let m = one(&copy, &source);
        assert_eq!(
            &copy[m.a_start..m.a_end],
            sentence.trim_end_matches('.'),
            "{m:#?}"
        );
        assert_eq!(&source[m.b_start..m.b_end], &copy[m.a_start..m.a_end]);
    }

    #[test]
    fn a_shared_list_of_recipients_is_not_reuse() {
        let list = "- Ban Bí thư Trung ương Đảng;\n- Văn phòng Trung ương và các Ban của Đảng;\n\
                    - Văn phòng Tổng Bí thư;\n- Hội đồng Dân tộc và các Ủy ban của Quốc hội;\n\
                    - Ủy ban Giám sát tài chính Quốc gia;\n- Ngân hàng Phát triển Việt Nam;\n";
        let a = format!(
            "Nghị định quy định về quản lý phí bảo vệ rừng đầu nguồn.\nNơi nhận:\n{list}- Lưu: VT, KTTH.\n"
        );
        let b = format!(
            "Quyết định phê duyệt đề án đào tạo nghề cho lao động nông thôn.\nNơi nhận:\n{list}- Lưu: VT, KGVX.\n"
        );
        assert!(align(&a, &b, &AlignOptions::default()).is_empty());
        // The same words in the body are a passage.
        let body = |t: &str| t.replace("Nơi nhận:\n", "Gửi các cơ quan sau đây để biết.\n");
        assert_eq!(
            align(&body(&a), &body(&b), &AlignOptions::default()).len(),
            1
        );
    }

    #[test]
    fn words_found_again_at_another_place_are_reported_once_with_the_longer_passage() {
        // The copy renumbers item 21 of a merger resolution as item 3: its number
        // and opening words are also item 3 of the source, word for word.
        let name = |k: usize| {
            let first = [
                "An", "Bình", "Cẩm", "Diên", "Đồng", "Gia", "Hòa", "Kim", "Lạc", "Minh", "Ngọc",
                "Phú", "Quảng",
            ];
            let second = [
                "Sơn", "Thạnh", "Trung", "Vinh", "Xuân", "Yên", "Hưng", "Lợi", "Phong", "Thọ",
                "Tiến", "Đức", "Hải",
            ];
            format!("xã {} {}", first[k % 13], second[k / 13])
        };
        let item = |n: usize, k: usize| {
            format!(
                "{n}. Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của {} và {} \
                 thành xã mới có tên gọi là {}.\n",
                name(2 * k),
                name(2 * k + 1),
                name(k + 100)
            )
        };
        let source: String = (0..MAX_SEED_REPEATS + 5).map(|k| item(k + 1, k)).collect();
        let copied = item(3, 20);
        let copy = format!("Danh sách các xã sau sắp xếp như sau.\n{copied}Hết.");
        let found = align(&copy, &source, &AlignOptions::default());
        assert_eq!(found.len(), 1, "{found:#?}");
        let at = source.find(&item(21, 20)).unwrap();
        let m = &found[0];
        assert!(
            m.b_start >= at && m.b_end <= at + copied.len() + 1,
            "{m:#?}"
        );
        assert!(m.a_end - m.a_start > copied.len() / 2, "{m:#?}");
    }

    #[test]
    fn a_phrase_repeated_in_a_table_does_not_pull_a_copy_away_from_its_place() {
        // The source's table repeats the copy's opening phrase; the copied
        // sentence itself is further on.
        let row = "Mức lương hưu, trợ cấp bảo hiểm xã hội và trợ cấp hằng tháng sau điều chỉnh \
                   bằng mức trước điều chỉnh nhân hệ số. ";
        let sentence = "Tổ chức điều chỉnh lương hưu, trợ cấp bảo hiểm xã hội và trợ cấp hằng \
                        tháng tại Thông tư này cho các đối tượng. Bảo hiểm xã hội Việt Nam có \
                        trách nhiệm triển khai";
        let source = format!(
            "Bảng điều chỉnh. {} Điều 3. {sentence} thực hiện.",
            row.repeat(3)
        );
        let copy = format!("Sở Lao động đề nghị. {sentence} kịp thời.");
        let m = one(&copy, &source);
        let at = source.find(sentence).unwrap();
        assert!(m.b_start >= at && m.b_end <= at + sentence.len(), "{m:#?}");
        assert!(m.similarity > 0.95, "{m:#?}");
    }

    #[test]
    fn a_short_phrase_the_copy_repeats_is_its_own_formula() {
        // Who a provision does not apply to: a decree's list, and the employment
        // law's, which uses its own (reordered) list in three articles.
        let decree = "2. Người đại diện theo pháp luật của doanh nghiệp, hợp tác xã chết, mất \
            tích, đang bị truy cứu trách nhiệm hình sự, bị tạm giam, đang chấp hành hình phạt \
            tù, đang chấp hành biện pháp xử lý hành chính tại cơ sở cai nghiện bắt buộc, cơ sở \
            giáo dục bắt buộc, trốn khỏi nơi cư trú, bị hạn chế hoặc mất năng lực hành vi dân \
            sự, có khó khăn trong nhận thức, làm chủ hành vi.";
        let list = "chấp hành quyết định áp dụng biện pháp đưa vào cơ sở giáo dục bắt buộc, cơ \
            sở cai nghiện bắt buộc hoặc bị tạm giam, chấp hành hình phạt tù";
        let law = format!(
            "c) Người lao động đi học tập có thời hạn trên 12 tháng hoặc {list} hoặc ra nước \
             ngoài định cư hoặc chết;\n\nd) Đã đóng bảo hiểm thất nghiệp từ đủ 09 tháng.\n\n\
             Điều 38. Người lao động thực hiện nghĩa vụ quân sự hoặc {list} hoặc chết.\n\n\
             2. Chính phủ quy định chi tiết Điều này.\n\nĐiều 39. Mức hưởng.\n\n\
             k) {list};\n\nl) Bị tòa án tuyên bố mất tích;\n\nn) Theo đề nghị của người lao động."
        );
        let found = align(&law, decree, &AlignOptions::default());
        assert!(found.is_empty(), "{found:#?}");
        // Once in the other text, the same words are a passage.
        let once = format!("Điều 2. Không áp dụng đối với người {list}. Điều 10. Hiệu lực.");
        assert_eq!(align(&once, decree, &AlignOptions::default()).len(), 1);
    }
}
