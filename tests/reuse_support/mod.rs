//! Evaluation of text-reuse detection (issue 17 item 4), shared by
//! `tests/reuse_eval.rs` and `benches/reuse.rs`:
//!
//! * a **generator** of reuse cases: a passage of a real source document S,
//!   obfuscated one of four ways, inserted into a different real document T,
//!   giving a suspicious document T' whose truth (both byte spans) is known;
//! * the **PAN scorer** (Potthast, Stein, Barrón-Cedeño, Rosso: "An Evaluation
//!   Framework for Plagiarism Detection", COLING 2010): character precision,
//!   recall, granularity and plagdet.
//!
//! Characters are counted as **bytes** of UTF-8 throughout: the detector
//! reports byte spans, and counting bytes keeps every ratio in one unit (a
//! Vietnamese letter with diacritics weighs 2–3 bytes on both sides alike).
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::time::{Duration, Instant};

use kehoach::reuse::{align, AlignOptions, Match};
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------
// Documents and syllables
// ---------------------------------------------------------------------------

/// A real document the cases are made from.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Where it comes from (`gov-docs/congbot/0001.txt`).
    pub id: String,
    /// Its text.
    pub text: String,
}

/// Every `*.txt` under `dir` (recursively, sorted by path so that a seed always
/// gives the same cases), with ids `prefix/relative/path`. Files without a
/// single syllable (the empty law of vlc-laws) and files that are not UTF-8
/// are skipped, each named on stderr.
pub fn load_docs(dir: &Path, prefix: &str) -> Vec<Doc> {
    let mut paths: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut docs = Vec::new();
    for path in paths {
        let rel = path.strip_prefix(dir).unwrap_or(&path).display();
        let id = format!("{prefix}/{rel}");
        match std::fs::read_to_string(&path) {
            Ok(text) if syllable_spans(&text).is_empty() => eprintln!("skipped {id}: empty"),
            Ok(text) => docs.push(Doc { id, text }),
            Err(e) => eprintln!("skipped {id}: {e}"),
        }
    }
    docs
}

/// The syllables of `text`: maximal runs of alphanumeric characters
/// (`char::is_alphanumeric`), as byte spans.
pub fn syllable_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Whether the gap between two syllables ends a sentence (the splitting rule
/// of the brief: `.`, `;` or a line break).
fn ends_sentence(gap: &str) -> bool {
    gap.contains(['.', ';', '\n'])
}

// ---------------------------------------------------------------------------
// Pseudo-random numbers
// ---------------------------------------------------------------------------

/// splitmix64: tiny, seedable with any value (0 included), and good enough to
/// draw cases; a crate would be a dependency for twenty lines.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose whole sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0; the modulo bias is below 2^-40 for the
    /// sizes used here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

// ---------------------------------------------------------------------------
// Obfuscations
// ---------------------------------------------------------------------------

/// How a reused passage is disguised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Obfuscation {
    /// Copied as it is.
    Verbatim,
    /// Every number and date rewritten, provinces of [`PROVINCES`] swapped: the
    /// same plan issued for another year or another province.
    Numbers,
    /// 10–20 % of the syllables deleted, replaced or inserted (words of T).
    Edits,
    /// Its sentences (split at `. ; \n`) shuffled.
    Reorder,
}

impl Obfuscation {
    /// Every kind, in report order.
    pub const ALL: [Obfuscation; 4] = [
        Obfuscation::Verbatim,
        Obfuscation::Numbers,
        Obfuscation::Edits,
        Obfuscation::Reorder,
    ];

    /// Its name in tables and in `truth.jsonl`.
    pub fn name(self) -> &'static str {
        match self {
            Obfuscation::Verbatim => "verbatim",
            Obfuscation::Numbers => "numbers",
            Obfuscation::Edits => "edits",
            Obfuscation::Reorder => "reorder",
        }
    }
}

/// Provinces the `numbers` obfuscation swaps for one another: the brief's ten,
/// and those the shipped corpus names most often (so that swaps happen).
pub const PROVINCES: &[&str] = &[
    "Kiên Giang",
    "Hậu Giang",
    "Hà Nội",
    "Đồng Tháp",
    "Cần Thơ",
    "An Giang",
    "Cà Mau",
    "Thanh Hóa",
    "Nghệ An",
    "Quảng Ninh",
    "Cao Bằng",
    "Quảng Trị",
    "Bắc Ninh",
    "Hà Tĩnh",
    "Đắk Lắk",
    "Hải Phòng",
    "Quảng Ngãi",
    "Phú Thọ",
];

/// A different number of the same length, plausible where it is easy to be:
/// a year (19xx, 20xx) keeps its century ("2020" → "2023"); a number of one or
/// two digits that could be a month stays within 1–12, one that could be a day
/// within 1–31 ("15/3" → "22/7"), keeping a leading zero ("05" → "09"); any
/// other number gets new digits (no new leading zero). Never the number itself.
fn other_number(rng: &mut Rng, digits: &str) -> String {
    let b = digits.as_bytes();
    if b.len() <= 2 {
        let v: usize = digits.parse().unwrap_or(0);
        let hi = match v {
            0..=12 => 12,
            13..=31 => 31,
            _ => 99,
        };
        let (lo, hi) = match (b.len(), b[0]) {
            (1, _) => (usize::from(v != 0), hi.min(9)),
            (_, b'0') => (1, 9),
            _ => (10, hi),
        };
        loop {
            let n = rng.between(lo, hi);
            if n != v {
                return format!("{n:0width$}", width = b.len());
            }
        }
    }
    let is_year = b.len() == 4 && (digits.starts_with("19") || digits.starts_with("20"));
    loop {
        let out: String = b
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                if is_year && i < 2 {
                    d as char
                } else if i == 0 && d != b'0' {
                    (b'1' + rng.below(9) as u8) as char
                } else {
                    (b'0' + rng.below(10) as u8) as char
                }
            })
            .collect();
        if out != digits {
            return out;
        }
    }
}

/// Rewrites every run of ASCII digits of `text`; returns the text and how many
/// numbers changed. "15/3" is two numbers, so a date changes in every part.
pub fn change_numbers(rng: &mut Rng, text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut changed = 0;
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let len = run.find(|c: char| !c.is_ascii_digit()).unwrap_or(run.len());
        out.push_str(&other_number(rng, &run[..len]));
        changed += 1;
        rest = &run[len..];
    }
    out.push_str(rest);
    (out, changed)
}

/// The spellings of a province name looked for: as written, in capitals (a
/// header's "UBND TỈNH QUẢNG NINH") and decomposed (some laws are NFD).
fn spellings(name: &str) -> Vec<String> {
    let mut v = vec![name.to_string(), name.to_uppercase()];
    let more: Vec<String> = v.iter().map(|s| s.nfd().collect()).collect();
    v.extend(more);
    v.dedup();
    v
}

/// Swaps every province of [`PROVINCES`] named in `text` (as a whole word) for
/// another one, in the same spelling (capitals, decomposition); one province is
/// always swapped for the same other. Returns the text and the swaps made.
pub fn swap_provinces(rng: &mut Rng, text: &str) -> (String, usize) {
    // (needle, replacement): each province's other chosen once, spelled alike.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (i, name) in PROVINCES.iter().enumerate() {
        if !spellings(name).iter().any(|s| text.contains(s.as_str())) {
            continue;
        }
        let other = PROVINCES[(i + 1 + rng.below(PROVINCES.len() - 1)) % PROVINCES.len()];
        pairs.extend(spellings(name).into_iter().zip(spellings(other)));
    }
    // Longest needle first, so "Thanh Hóa" is not read as a shorter name.
    pairs.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let mut out = String::with_capacity(text.len());
    let mut swaps = 0;
    let mut i = 0;
    let word_edge = |s: &str| !s.chars().next().is_some_and(char::is_alphanumeric);
    while i < text.len() {
        let before_ok = !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let hit = pairs.iter().find(|(n, _)| {
            before_ok && text[i..].starts_with(n.as_str()) && word_edge(&text[i + n.len()..])
        });
        if let Some((n, r)) = hit {
            out.push_str(r);
            i += n.len();
            swaps += 1;
        } else {
            let c = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + c]);
            i += c;
        }
    }
    (out, swaps)
}

/// Deletes, replaces or inserts (one each, at random) `rate` of the syllables
/// of `text` (at least one), with syllables drawn from `donor`. A deleted
/// syllable takes the gap after it along, except a line break, so that lines
/// stay lines. Returns the text and the edits made.
pub fn edit_syllables(rng: &mut Rng, text: &str, rate: f64, donor: &[&str]) -> (String, usize) {
    let spans = syllable_spans(text);
    if spans.is_empty() || donor.is_empty() {
        return (text.to_string(), 0);
    }
    let n = spans.len();
    let k = ((n as f64 * rate).round() as usize).clamp(1, n);
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    // op[i]: 0 keep, 1 delete, 2 replace, 3 insert after.
    let mut op = vec![0u8; n];
    for &i in &order[..k] {
        op[i] = 1 + rng.below(3) as u8;
    }
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..spans[0].start]);
    for (i, s) in spans.iter().enumerate() {
        let gap_end = spans.get(i + 1).map_or(text.len(), |n| n.start);
        let gap = &text[s.end..gap_end];
        let word = &text[s.clone()];
        match op[i] {
            1 if gap.contains('\n') => out.push('\n'),
            1 => {}
            2 => {
                let mut new = *rng.pick(donor);
                for _ in 0..8 {
                    if new != word {
                        break;
                    }
                    new = *rng.pick(donor);
                }
                out.push_str(new);
                out.push_str(gap);
            }
            3 => {
                out.push_str(word);
                out.push(' ');
                out.push_str(rng.pick::<&str>(donor));
                out.push_str(gap);
            }
            _ => {
                out.push_str(word);
                out.push_str(gap);
            }
        }
    }
    (out.trim().to_string(), k)
}

/// The sentences of `text` and the separators between them: a sentence ends
/// at a line break, or at `.`/`;` followed by white space (so "1.000.000" and
/// "TP.HCM" stay whole). `seps[i]` follows `sentences[i]`.
pub fn split_sentences(text: &str) -> (Vec<&str>, Vec<&str>) {
    let (mut sentences, mut seps) = (Vec::new(), Vec::new());
    let (mut start, mut pos) = (0, 0);
    while let Some(c) = text[pos..].chars().next() {
        let after = pos + c.len_utf8();
        let next_ws = text[after..].chars().next().is_none_or(char::is_whitespace);
        let end = match c {
            '\n' => pos,
            '.' | ';' if next_ws => after,
            _ => {
                pos = after;
                continue;
            }
        };
        // The separator is all the white space (blank lines too) from `end`.
        let sep_end = text.len() - text[end..].trim_start().len();
        if end > start {
            sentences.push(&text[start..end]);
            seps.push(&text[end..sep_end]);
        }
        start = sep_end;
        pos = sep_end.max(after);
    }
    if start < text.len() {
        sentences.push(&text[start..]);
        seps.push("");
    }
    (sentences, seps)
}

/// Shuffles the sentences of `text` (never back into their order when there
/// are two or more), keeping the separators where they were. Returns the text
/// and how many sentences moved.
pub fn reorder_sentences(rng: &mut Rng, text: &str) -> (String, usize) {
    let (sentences, seps) = split_sentences(text);
    let n = sentences.len();
    let mut perm: Vec<usize> = (0..n).collect();
    if n >= 2 {
        while perm.iter().enumerate().all(|(i, &p)| i == p) {
            rng.shuffle(&mut perm);
        }
    }
    let mut out = String::with_capacity(text.len() + n);
    for (slot, &p) in perm.iter().enumerate() {
        out.push_str(sentences[p].trim());
        if slot + 1 < n {
            let sep = seps[slot];
            out.push_str(if sep.is_empty() { " " } else { sep });
        }
    }
    let moved = perm.iter().enumerate().filter(|(i, &p)| *i != p).count();
    (out, moved)
}

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

/// The passage lengths drawn, in syllables: a bucket, then a length uniform in
/// it, so that short, middle and long passages each make a third of the cases
/// (uniform over 20–400 would leave 8 % to the short ones, the hardest).
pub const L_BUCKETS: [(usize, usize); 3] = [(20, 50), (51, 150), (151, 400)];

/// Which of [`L_BUCKETS`] a length falls in (a passage clipped to a short
/// source counts by its clipped length).
pub fn l_bucket(len: usize) -> usize {
    L_BUCKETS
        .iter()
        .position(|&(_, hi)| len <= hi)
        .unwrap_or(L_BUCKETS.len() - 1)
}

/// The name of a bucket in tables ("L 20-50").
pub fn l_bucket_name(b: usize) -> String {
    let (lo, hi) = L_BUCKETS[b];
    format!("L {lo}-{hi}")
}

/// One generated case of reuse, with its truth.
#[derive(Debug, Clone)]
pub struct Case {
    /// Its number (0, 1, …): the suspicious document's id for the scorer.
    pub id: usize,
    /// How the passage was disguised.
    pub obfuscation: Obfuscation,
    /// Syllables of the original passage (L).
    pub syllables: usize,
    /// The source document S (an index into the documents).
    pub source: usize,
    /// The original passage in S (bytes).
    pub source_span: Range<usize>,
    /// The document T the passage went into (an index into the documents).
    pub target: usize,
    /// Where in T it went (bytes; T' is T with the passage and a separator there).
    pub insert_at: usize,
    /// T', the suspicious document.
    pub suspicious: String,
    /// The obfuscated passage in T' (bytes).
    pub suspicious_span: Range<usize>,
    /// Numbers changed, provinces swapped, syllables edited or sentences moved
    /// (0 for verbatim; a `numbers` case may have had nothing to change).
    pub changes: usize,
    /// S and T shared no run of [`CLEAN_RUN`] syllables before the insertion:
    /// anything found outside the passage is then the detector's mistake.
    pub clean_pair: bool,
    /// The original passage occurs only once in S (no run of [`CLEAN_RUN`]
    /// syllables of it occurs elsewhere in S): a detection of it can only point
    /// to the truth's place.
    pub unique_source: bool,
    /// The original passage is prose: at least [`PROSE_SHARE`] of its syllables
    /// are words (not numbers) outside boilerplate runs, citations and lists of
    /// recipients (`kehoach::reuse::prose_share`).
    /// A header or a list of `Căn cứ …` is drawn like any passage, but the task
    /// says boilerplate is not reuse; the prose rows score what the task asks.
    pub prose: bool,
}

/// See [`Case::prose`].
pub const PROSE_SHARE: f64 = 0.5;

/// A pair (S, T) is clean when they share no run of this many syllables
/// (case-folded): the shortest passage drawn, and longer than the boilerplate
/// every document has ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do -
/// Hạnh phúc" is 13).
pub const CLEAN_RUN: usize = 20;

/// How cases are drawn.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// How many.
    pub cases: usize,
    /// The seed: the same seed and documents give the same cases.
    pub seed: u64,
    /// Targets tried for a clean pair before taking an unclean one.
    pub target_tries: usize,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            cases: 40,
            seed: 17,
            target_tries: 40,
        }
    }
}

/// Hashes of every run of [`CLEAN_RUN`] case-folded syllables of `text`.
fn run_hashes(text: &str) -> Vec<u64> {
    let words: Vec<u64> = syllable_spans(text)
        .into_iter()
        .map(|s| {
            // FNV-1a of the lowercased syllable: stable, no dependency.
            text[s]
                .chars()
                .flat_map(char::to_lowercase)
                .fold(0xcbf2_9ce4_8422_2325, |h, c| {
                    (h ^ c as u64).wrapping_mul(0x0100_0000_01b3)
                })
        })
        .collect();
    words
        .windows(CLEAN_RUN)
        .map(|w| {
            w.iter()
                .fold(0u64, |h, &x| h.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ x)
        })
        .collect()
}

/// Draws `opts.cases` cases from `docs` (at least two documents with
/// different texts). Obfuscations take turns and each takes the length buckets
/// in turn, so every kind meets every length.
pub fn generate(docs: &[Doc], opts: &GenOptions) -> Vec<Case> {
    assert!(docs.len() >= 2, "reuse cases need two documents at least");
    let mut rng = Rng::new(opts.seed);
    let sources: Vec<usize> = (0..docs.len())
        .filter(|&i| syllable_spans(&docs[i].text).len() >= L_BUCKETS[0].0)
        .collect();
    assert!(
        !sources.is_empty(),
        "no document has {} syllables",
        L_BUCKETS[0].0
    );
    let mut runs = RunCache(vec![None; docs.len()]);
    (0..opts.cases)
        .map(|id| {
            let k = Obfuscation::ALL.len();
            let (lo, hi) = L_BUCKETS[(id / k) % L_BUCKETS.len()];
            let obfuscation = Obfuscation::ALL[id % k];
            let len = rng.between(lo, hi);
            let (source, passage, unique_source) =
                pick_source(&mut rng, docs, &sources, &mut runs, len, obfuscation);
            let (target, clean_pair) =
                pick_target(&mut rng, docs, &mut runs, source, opts.target_tries);
            let draw = Draw {
                id,
                obfuscation,
                source,
                passage,
                unique_source,
                target,
                clean_pair,
            };
            make_case(&mut rng, docs, &draw)
        })
        .collect()
}

/// The run hashes of each document, computed when first needed.
struct RunCache(Vec<Option<Vec<u64>>>);

impl RunCache {
    fn get(&mut self, docs: &[Doc], i: usize) -> &[u64] {
        self.0[i].get_or_insert_with(|| run_hashes(&docs[i].text))
    }
}

/// A target for `source`: another document with another text, and one that
/// shares no run with it (see [`Case::clean_pair`]) if one of `tries` random
/// documents does not.
fn pick_target(
    rng: &mut Rng,
    docs: &[Doc],
    runs: &mut RunCache,
    source: usize,
    tries: usize,
) -> (usize, bool) {
    let own: HashSet<u64> = runs.get(docs, source).iter().copied().collect();
    let mut fallback = None;
    let mut tried = 0;
    // Draws are bounded in case most documents repeat S's text.
    for _ in 0..tries.max(1) * 10 {
        let t = rng.below(docs.len());
        if t == source || docs[t].text == docs[source].text {
            continue;
        }
        if !runs.get(docs, t).iter().any(|h| own.contains(h)) {
            return (t, true);
        }
        fallback.get_or_insert(t);
        tried += 1;
        if tried >= tries {
            break;
        }
    }
    let t = fallback
        .or_else(|| (0..docs.len()).find(|&t| docs[t].text != docs[source].text))
        .expect("two documents with different texts");
    (t, false)
}

/// A source document and a passage of `len` syllables of it (clipped to the
/// document): S is drawn again (a few times) while the passage cannot be
/// unique in it (see [`pick_start`]), so that long passages do not all come
/// from the few documents without repeated forms. Returns S, the passage's
/// syllables and whether it is unique.
fn pick_source(
    rng: &mut Rng,
    docs: &[Doc],
    sources: &[usize],
    runs: &mut RunCache,
    len: usize,
    kind: Obfuscation,
) -> (usize, Range<usize>, bool) {
    let mut first = None;
    for _ in 0..10 {
        let source = *rng.pick(sources);
        let text = &docs[source].text;
        let spans = syllable_spans(text);
        let len = len.min(spans.len());
        let (start, unique) = pick_start(rng, text, &spans, len, kind, runs.get(docs, source));
        let drawn = (source, start..start + len, unique);
        if unique {
            return drawn;
        }
        first.get_or_insert(drawn);
    }
    first.expect("ten draws")
}

/// What [`generate`] drew for one case.
struct Draw {
    id: usize,
    obfuscation: Obfuscation,
    source: usize,
    /// Syllables of S.
    passage: Range<usize>,
    unique_source: bool,
    target: usize,
    clean_pair: bool,
}

/// Cuts the passage from S, disguises it, inserts it into T.
fn make_case(rng: &mut Rng, docs: &[Doc], d: &Draw) -> Case {
    let s_text = &docs[d.source].text;
    let spans = syllable_spans(s_text);
    let len = d.passage.len();
    let source_span = spans[d.passage.start].start..spans[d.passage.end - 1].end;
    let prose = kehoach::reuse::prose_share(s_text, source_span.clone()) >= PROSE_SHARE;
    let t_text = &docs[d.target].text;
    let (passage, changes) = obfuscate(rng, d.obfuscation, &s_text[source_span.clone()], t_text);
    let insert_at = pick_insert(rng, t_text);
    let (suspicious, suspicious_span) = insert(t_text, insert_at, &passage);
    Case {
        id: d.id,
        obfuscation: d.obfuscation,
        syllables: len,
        source: d.source,
        source_span,
        target: d.target,
        insert_at,
        suspicious,
        suspicious_span,
        changes,
        clean_pair: d.clean_pair,
        unique_source: d.unique_source,
        prose,
    }
}

/// Whether a passage gives `kind` something to do: a number or a province for
/// `numbers`, two sentences for `reorder`.
fn suits(kind: Obfuscation, passage: &str) -> bool {
    match kind {
        Obfuscation::Numbers => {
            passage.contains(|c: char| c.is_ascii_digit())
                || PROVINCES
                    .iter()
                    .any(|p| spellings(p).iter().any(|s| passage.contains(s.as_str())))
        }
        Obfuscation::Reorder => split_sentences(passage).0.len() >= 2,
        Obfuscation::Verbatim | Obfuscation::Edits => true,
    }
}

/// The first syllable of a passage of `len` syllables, and whether its text
/// is unique in S: none of its runs of [`CLEAN_RUN`] syllables (`windows`, as
/// [`run_hashes`] gives them for S) occurs twice in S. A copy of a repeated
/// text cannot be placed, so a detector that aligns it to the other place
/// would be scored as missing it for a coin toss.
///
/// Starts are drawn from the first of these that has any: unique sentence
/// starts, unique starts, sentence starts, any start; within it, a passage that
/// suits the obfuscation is looked for (a bounded number of draws), and the
/// first draw is taken when none does.
fn pick_start(
    rng: &mut Rng,
    text: &str,
    spans: &[Range<usize>],
    len: usize,
    kind: Obfuscation,
    windows: &[u64],
) -> (usize, bool) {
    let last = spans.len() - len;
    let mut counts: HashMap<u64, u32> = HashMap::new();
    for h in windows {
        *counts.entry(*h).or_default() += 1;
    }
    // repeated[k]: how many of windows 0..k occur elsewhere too.
    let mut repeated = vec![0u32; windows.len() + 1];
    for (k, h) in windows.iter().enumerate() {
        repeated[k + 1] = repeated[k] + u32::from(counts[h] > 1);
    }
    let unique = |i: usize| len < CLEAN_RUN || repeated[i + len - CLEAN_RUN + 1] == repeated[i];
    let sentence = |i: usize| i == 0 || ends_sentence(&text[spans[i - 1].end..spans[i].start]);
    let passage = |i: usize| &text[spans[i].start..spans[i + len - 1].end];
    let tiers: [(bool, &dyn Fn(usize) -> bool); 4] = [
        (true, &|i| sentence(i) && unique(i)),
        (true, &unique),
        (false, &sentence),
        (false, &|_| true),
    ];
    for (is_unique, keep) in tiers {
        let starts: Vec<usize> = (0..=last).filter(|&i| keep(i)).collect();
        if starts.is_empty() {
            continue;
        }
        let first = *rng.pick(&starts);
        if suits(kind, passage(first)) {
            return (first, is_unique);
        }
        for _ in 0..50 {
            let i = *rng.pick(&starts);
            if suits(kind, passage(i)) {
                return (i, is_unique);
            }
        }
        return (first, is_unique);
    }
    (0, false)
}

/// Applies `kind` to `passage`; `target` gives the syllables that edits insert.
fn obfuscate(rng: &mut Rng, kind: Obfuscation, passage: &str, target: &str) -> (String, usize) {
    match kind {
        Obfuscation::Verbatim => (passage.to_string(), 0),
        Obfuscation::Numbers => {
            let (text, numbers) = change_numbers(rng, passage);
            let (text, provinces) = swap_provinces(rng, &text);
            (text, numbers + provinces)
        }
        Obfuscation::Edits => {
            let donor: Vec<&str> = syllable_spans(target)
                .into_iter()
                .map(|s| &target[s])
                .collect();
            let rate = 0.10 + 0.10 * rng.unit();
            edit_syllables(rng, passage, rate, &donor)
        }
        Obfuscation::Reorder => reorder_sentences(rng, passage),
    }
}

/// A place to insert into `text`: its start, a line start, a sentence start
/// (after ". " or "; ") or its end — but not inside a list of recipients
/// (`kehoach::reuse::recipient_lists`). A person copying a paragraph puts it in the
/// body, not among the `- Văn phòng Quốc hội;` lines after `Nơi nhận:`, where the
/// copy would read as items of the list, which is not reuse; a place drawn inside
/// a list moves to the line after it. (Before this, 21 of
/// 1,000 cases of seed 3 sat inside such a list, and most were scored as missed.)
fn pick_insert(rng: &mut Rng, text: &str) -> usize {
    let b = text.as_bytes();
    let lists = kehoach::reuse::recipient_lists(text);
    let places: Vec<usize> = (0..=b.len())
        .filter(|&p| {
            p == 0
                || p == b.len()
                || b[p - 1] == b'\n'
                || (p >= 2 && b[p - 1] == b' ' && matches!(b[p - 2], b'.' | b';'))
        })
        .collect();
    let at = *rng.pick(&places);
    // Inside a list: on the line after it (the same draw, so no other case
    // moves). Its last item runs to the end of its line or table cell, and a
    // table row is one line.
    match lists.iter().find(|r| r.start < at && at < r.end) {
        Some(r) => text[r.end..].find('\n').map_or(b.len(), |n| r.end + n + 1),
        None => at,
    }
}

/// `text` with `passage` at `at` (a place of [`pick_insert`]), set off as a
/// line of its own at a line start and as a sentence after a sentence; returns
/// T' and the passage's span in it.
pub fn insert(text: &str, at: usize, passage: &str) -> (String, Range<usize>) {
    let before = &text[..at];
    let mut out = String::with_capacity(text.len() + passage.len() + 2);
    out.push_str(before);
    if !before.is_empty() && !before.ends_with(char::is_whitespace) {
        out.push('\n');
    }
    let line_start = out.is_empty() || out.ends_with('\n');
    let span = out.len()..out.len() + passage.len();
    out.push_str(passage);
    out.push(if line_start { '\n' } else { ' ' });
    out.push_str(&text[at..]);
    (out, span)
}

// ---------------------------------------------------------------------------
// PAN scorer
// ---------------------------------------------------------------------------

/// A case of reuse or a detection, as PAN sees it: a span of a suspicious
/// document and a span of a source document. Suspicious and source documents
/// are two collections (their ids never refer to each other), so the
/// characters of an annotation are the pairs (suspicious doc, offset) of
/// `susp` together with the pairs (source doc, offset) of `src`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// The suspicious document.
    pub susp_doc: usize,
    /// Bytes of the suspicious document.
    pub susp: Range<usize>,
    /// The source document.
    pub src_doc: usize,
    /// Bytes of the source document.
    pub src: Range<usize>,
}

/// PAN figures for a set of cases and detections.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PanScores {
    /// Cases scored.
    pub cases: usize,
    /// Detections scored.
    pub detections: usize,
    /// Cases no detection detects.
    pub missed: usize,
    /// Detections that detect no case (boilerplate, pre-existing reuse, errors).
    pub spurious: usize,
    /// Mean over detections of the share of their characters inside cases they detect.
    pub precision: f64,
    /// Mean over cases of the share of their characters that detections detecting them cover.
    pub recall: f64,
    /// Mean over detected cases of the number of detections detecting each (1 at best).
    pub granularity: f64,
    /// F1 of precision and recall over log2(1 + granularity).
    pub plagdet: f64,
}

fn span_len(r: &Range<usize>) -> usize {
    r.end.saturating_sub(r.start)
}

fn intersect(a: &Range<usize>, b: &Range<usize>) -> Range<usize> {
    a.start.max(b.start)..a.end.min(b.end)
}

/// Whether two spans share a character (an empty span shares none).
fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    span_len(&intersect(a, b)) > 0
}

/// Whether detection `r` detects case `s`: same two documents, and both the
/// suspicious and the source spans overlap.
pub fn detects(r: &Annotation, s: &Annotation) -> bool {
    r.susp_doc == s.susp_doc
        && r.src_doc == s.src_doc
        && overlap(&r.susp, &s.susp)
        && overlap(&r.src, &s.src)
}

/// Characters in the union of `spans`.
fn union_len(mut spans: Vec<Range<usize>>) -> usize {
    spans.retain(|r| span_len(r) > 0);
    spans.sort_by_key(|r| r.start);
    let (mut total, mut end) = (0, 0);
    for r in spans {
        let from = r.start.max(end);
        if r.end > from {
            total += r.end - from;
        }
        end = end.max(r.end);
    }
    total
}

/// |∪_others (x ⊓ other)| where `x` meets each of `others`: the characters of
/// `x`, on both sides, that the others cover.
fn covered(x: &Annotation, others: &[&Annotation]) -> usize {
    union_len(others.iter().map(|o| intersect(&x.susp, &o.susp)).collect())
        + union_len(others.iter().map(|o| intersect(&x.src, &o.src)).collect())
}

/// The PAN measures of `detections` against `cases` (Potthast et al. 2010):
///
/// * rec = mean over cases s of |∪_r (s ⊓ r)| / |s|,
/// * prec = mean over detections r of |∪_s (s ⊓ r)| / |r|,
/// * gran = mean over detected cases of |{r detecting s}|,
/// * plagdet = F1(prec, rec) / log2(1 + gran),
///
/// where s ⊓ r is s ∩ r when r detects s (see [`detects`]) and nothing
/// otherwise, and |x| counts the bytes of both spans. By convention: no
/// detections give prec 0, no cases rec 0, no detected case gran 1, and a
/// detection of no bytes detects nothing and scores 0 precision.
pub fn pan_scores(cases: &[Annotation], detections: &[Annotation]) -> PanScores {
    let pair = |a: &Annotation| (a.susp_doc, a.src_doc);
    let mut cases_of: HashMap<(usize, usize), Vec<&Annotation>> = HashMap::new();
    for s in cases {
        cases_of.entry(pair(s)).or_default().push(s);
    }
    let mut dets_of: HashMap<(usize, usize), Vec<&Annotation>> = HashMap::new();
    for r in detections {
        dets_of.entry(pair(r)).or_default().push(r);
    }
    let size = |a: &Annotation| span_len(&a.susp) + span_len(&a.src);
    let mut out = PanScores {
        cases: cases.len(),
        detections: detections.len(),
        ..Default::default()
    };
    let (mut rec, mut detected, mut gran) = (0.0, 0usize, 0usize);
    for s in cases {
        let by: Vec<&Annotation> = dets_of
            .get(&pair(s))
            .into_iter()
            .flatten()
            .copied()
            .filter(|r| detects(r, s))
            .collect();
        if by.is_empty() {
            out.missed += 1;
            continue;
        }
        rec += covered(s, &by) as f64 / size(s).max(1) as f64;
        detected += 1;
        gran += by.len();
    }
    let mut prec = 0.0;
    for r in detections {
        let of: Vec<&Annotation> = cases_of
            .get(&pair(r))
            .into_iter()
            .flatten()
            .copied()
            .filter(|s| detects(r, s))
            .collect();
        if of.is_empty() {
            out.spurious += 1;
            continue;
        }
        prec += covered(r, &of) as f64 / size(r) as f64;
    }
    out.recall = if cases.is_empty() {
        0.0
    } else {
        rec / cases.len() as f64
    };
    out.precision = if detections.is_empty() {
        0.0
    } else {
        prec / detections.len() as f64
    };
    out.granularity = if detected == 0 {
        1.0
    } else {
        gran as f64 / detected as f64
    };
    let f1 = if out.precision + out.recall > 0.0 {
        2.0 * out.precision * out.recall / (out.precision + out.recall)
    } else {
        0.0
    };
    out.plagdet = f1 / (1.0 + out.granularity).log2();
    out
}

// ---------------------------------------------------------------------------
// Running the detector and reporting
// ---------------------------------------------------------------------------

/// The truth of a case for the scorer: suspicious document = the case's
/// number, source document = S's index.
pub fn truth(case: &Case) -> Annotation {
    Annotation {
        susp_doc: case.id,
        susp: case.suspicious_span.clone(),
        src_doc: case.source,
        src: case.source_span.clone(),
    }
}

/// The detections of `align(T', S)` for a case: `a` spans are in T', `b`
/// spans in S.
pub fn detections(case: &Case, matches: &[Match]) -> Vec<Annotation> {
    matches
        .iter()
        .map(|m| Annotation {
            susp_doc: case.id,
            susp: m.a_start..m.a_end,
            src_doc: case.source,
            src: m.b_start..m.b_end,
        })
        .collect()
}

/// The options a service would align with over `docs`: the defaults, and the
/// boilerplate of `docs` by document frequency (the service finds it in its
/// index, [`kehoach::reuse::corpus::corpus_boilerplate`]): the legal formulae
/// of the collection (`Trong Luật này, các từ ngữ dưới đây được hiểu như sau`)
/// besides the built-in ones of administrative documents.
pub fn service_options(docs: &[Doc]) -> AlignOptions {
    let boilerplate =
        kehoach::reuse::corpus::corpus_boilerplate(docs.iter().map(|d| d.text.as_str()));
    AlignOptions {
        boilerplate: Some(std::sync::Arc::new(boilerplate)),
        ..AlignOptions::default()
    }
}

/// Runs `align(T', S, opts)` on every case, in order, on this thread (so that
/// the time is the detector's alone); returns each case's detections and the
/// time spent in `align`.
pub fn run_align(
    docs: &[Doc],
    cases: &[Case],
    opts: &AlignOptions,
) -> (Vec<Vec<Annotation>>, Duration) {
    let mut spent = Duration::ZERO;
    let found = cases
        .iter()
        .map(|c| {
            let start = Instant::now();
            let matches = align(&c.suspicious, &docs[c.source].text, opts);
            spent += start.elapsed();
            detections(c, &matches)
        })
        .collect();
    (found, spent)
}

/// The PAN scores of the cases that `keep` selects (with their detections:
/// each case has its own suspicious document, so no detection of one case can
/// detect another).
pub fn score(cases: &[Case], found: &[Vec<Annotation>], keep: impl Fn(&Case) -> bool) -> PanScores {
    let mut truths = Vec::new();
    let mut dets = Vec::new();
    for (c, f) in cases.iter().zip(found) {
        if keep(c) {
            truths.push(truth(c));
            dets.extend(f.iter().cloned());
        }
    }
    pan_scores(&truths, &dets)
}

/// Issue 17's targets: PAN plagdet overall, on verbatim and on number-edited
/// passages.
pub const TARGETS: [(&str, f64); 3] = [("all", 0.85), ("verbatim", 0.95), ("numbers", 0.95)];

/// The rows of [`report_rows`] (per obfuscation and "all") over the passages of
/// prose only, and how many cases those are.
pub fn prose_rows(cases: &[Case], found: &[Vec<Annotation>]) -> (Vec<(String, PanScores)>, usize) {
    let (prose_cases, prose_found): (Vec<Case>, Vec<Vec<Annotation>>) = cases
        .iter()
        .zip(found)
        .filter(|(c, _)| c.prose)
        .map(|(c, f)| (c.clone(), f.clone()))
        .unzip();
    (
        report_rows(&prose_cases, &prose_found, false),
        prose_cases.len(),
    )
}

/// The plagdet of row `name`, 0 when there is none.
pub fn plagdet_of(rows: &[(String, PanScores)], name: &str) -> f64 {
    rows.iter()
        .find(|(n, _)| n == name)
        .map_or(0.0, |(_, s)| s.plagdet)
}

/// Rows per obfuscation, per length bucket (`by_length`), and "all".
pub fn report_rows(
    cases: &[Case],
    found: &[Vec<Annotation>],
    by_length: bool,
) -> Vec<(String, PanScores)> {
    let mut rows: Vec<(String, PanScores)> = Obfuscation::ALL
        .iter()
        .map(|&k| {
            (
                k.name().to_string(),
                score(cases, found, |c| c.obfuscation == k),
            )
        })
        .collect();
    if by_length {
        for b in 0..L_BUCKETS.len() {
            rows.push((
                l_bucket_name(b),
                score(cases, found, |c| l_bucket(c.syllables) == b),
            ));
        }
    }
    rows.push(("all".to_string(), score(cases, found, |_| true)));
    rows
}

/// A fixed-width table of `rows`.
pub fn table(rows: &[(String, PanScores)]) -> String {
    let mut out = format!(
        "{:<12} {:>6} {:>6} {:>6} {:>8} {:>9} {:>7} {:>7} {:>8}\n",
        "", "cases", "dets", "missed", "spurious", "precision", "recall", "gran", "plagdet"
    );
    for (name, s) in rows {
        out.push_str(&format!(
            "{:<12} {:>6} {:>6} {:>6} {:>8} {:>9.3} {:>7.3} {:>7.3} {:>8.3}\n",
            name,
            s.cases,
            s.detections,
            s.missed,
            s.spurious,
            s.precision,
            s.recall,
            s.granularity,
            s.plagdet
        ));
    }
    out
}
