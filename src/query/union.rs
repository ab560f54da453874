//! Any of a few queries ([`AnyOf`]): tantivy's buffered union, without clearing
//! what it will overwrite.
//!
//! A query word is the union of its spellings and fields (title and body, typed
//! and restored spelling; a two-syllable word is a title phrase and a body pair),
//! and a query is the intersection of its words. tantivy's union of a
//! `BooleanQuery` reads its parts a window of 4,096 documents at a time into a
//! bitset and an array of scores, which makes reading a common word dense and
//! cheap. But each seek clears the scores of the documents it skips one by one
//! (all 4,096 on a seek past the window), and reaches its target by popping every
//! matching document before it. In an intersection a common word's union is
//! sought to the documents of a rarer word, so for `bat dong san` the union's
//! seek alone was a fifth of the time of the search (perf).
//!
//! A union of plain terms (a single syllable in title and body) is read by
//! tantivy's own union, as a `BooleanQuery` would be: tantivy reads its private
//! term scorers without `dyn` calls, which outweighs the bookkeeping (through
//! [`Buffered`], single words were 10–40 % slower, per-query timing). The rest
//! (phrases, pairs, nested unions) are read through `dyn` either way.
//!
//! [`AnyOf`] reads the same windows in the same order, and matches and scores
//! exactly as a `BooleanQuery` of `Should` clauses does: a document's score is
//! the sum of the scores of the parts matching it, added in the parts' order. It
//! differs in bookkeeping only:
//! * a score is never cleared: the first part to reach a document in a window
//!   writes its score there, the next ones add to it (the bitset says which);
//! * a seek within the window drops the skipped documents with one mask per
//!   64 documents, and a seek past it clears 64 words of bitset, not 4,096 scores.
//!
//! Its cost and size are those of tantivy's union (the sum of its unfinished
//! parts' costs, tantivy's estimate of their union): they order the parts of an
//! intersection, and so the order in which their scores are added.

use tantivy::query::{
    BooleanWeight, BoostQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query, Scorer,
    SumCombiner, TermQuery, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// A document matches when any of the queries matches it; its score is the sum
/// of theirs (see the module docs).
#[derive(Debug)]
pub struct AnyOf {
    parts: Vec<Box<dyn Query>>,
    /// Every part is a term: read by tantivy's union (see the module docs).
    terms: bool,
}

impl AnyOf {
    /// The union of `parts`.
    pub fn new(parts: Vec<Box<dyn Query>>) -> AnyOf {
        let terms = parts.iter().all(|q| is_term(q.as_ref()));
        AnyOf { parts, terms }
    }

    /// Its parts, in order.
    pub fn parts(&self) -> &[Box<dyn Query>] {
        &self.parts
    }

    /// The union of `parts` standing for this one's (each restricted to some
    /// documents, say), read by the same union as this one.
    pub fn with_parts(&self, parts: Vec<Box<dyn Query>>) -> AnyOf {
        AnyOf {
            parts,
            terms: self.terms,
        }
    }
}

/// A term, boosted or not (a `BoostQuery` only says so through its terms).
fn is_term(q: &dyn Query) -> bool {
    if q.downcast_ref::<TermQuery>().is_some() {
        return true;
    }
    if q.downcast_ref::<BoostQuery>().is_none() {
        return false;
    }
    let (mut terms, mut positions) = (0, false);
    q.query_terms(&mut |_, p| {
        terms += 1;
        positions |= p;
    });
    terms == 1 && !positions
}

impl Clone for AnyOf {
    fn clone(&self) -> AnyOf {
        AnyOf {
            parts: self.parts.iter().map(|q| q.box_clone()).collect(),
            terms: self.terms,
        }
    }
}

impl Query for AnyOf {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let parts = self
            .parts
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        if self.terms {
            // What `BooleanQuery::new` of `Should` clauses builds: at least one
            // must match, scores summed.
            let should = parts.into_iter().map(|w| (Occur::Should, w)).collect();
            return Ok(Box::new(BooleanWeight::with_minimum_number_should_match(
                should,
                1,
                scoring.is_scoring_enabled(),
                Box::new(SumCombiner::default),
            )));
        }
        Ok(Box::new(AnyOfWeight {
            parts,
            scoring: scoring.is_scoring_enabled(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.parts {
            q.query_terms(visitor);
        }
    }
}

struct AnyOfWeight {
    parts: Vec<Box<dyn Weight>>,
    /// Scores are asked for (else the parts' scores are not read).
    scoring: bool,
}

impl Weight for AnyOfWeight {
    /// As tantivy's `BooleanWeight` of `Should` clauses: parts that match nothing
    /// left out, one part alone is itself, two or more are a [`Buffered`] union.
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut parts = Vec::with_capacity(self.parts.len());
        for w in &self.parts {
            let s = w.scorer(reader, boost)?;
            if !s.is::<EmptyScorer>() {
                parts.push(s);
            }
        }
        Ok(match parts.len() {
            0 => Box::new(EmptyScorer),
            1 => parts.swap_remove(0),
            _ => Box::new(Buffered::new(parts, reader.num_docs(), self.scoring)),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of", scorer.score());
        for w in &self.parts {
            if let Ok(e) = w.explain(reader, doc) {
                explanation.add_detail(e);
            }
        }
        Ok(explanation)
    }
}

/// Words of 64 documents in a window.
const WORDS: usize = 64;
/// The window, in documents (tantivy's horizon).
const HORIZON: DocId = 64 * WORDS as DocId;

/// The union of two or more scorers, read a window at a time.
struct Buffered<S> {
    /// Parts not yet finished, in the order given.
    parts: Vec<S>,
    /// Which documents of the window match and are still ahead.
    bits: Box<[u64; WORDS]>,
    /// The word of `bits` holding the current document.
    word: usize,
    /// Scores of the window: valid only where `bits` is set.
    scores: Box<[Score; HORIZON as usize]>,
    /// First document of the window.
    start: DocId,
    doc: DocId,
    score: Score,
    num_docs: u32,
    /// Scores are read from the parts.
    scoring: bool,
}

impl<S: Scorer> Buffered<S> {
    fn new(parts: Vec<S>, num_docs: u32, scoring: bool) -> Buffered<S> {
        let mut union = Buffered {
            parts: parts
                .into_iter()
                .filter(|s| s.doc() != TERMINATED)
                .collect(),
            bits: Box::new([0; WORDS]),
            word: WORDS,
            scores: Box::new([0.0; HORIZON as usize]),
            start: 0,
            doc: 0,
            score: 0.0,
            num_docs,
            scoring,
        };
        if union.refill() {
            union.advance();
        } else {
            union.doc = TERMINATED;
        }
        union
    }

    /// Reads the window starting at the lowest part's document; false when every
    /// part is finished. The bitset is empty when this is called.
    fn refill(&mut self) -> bool {
        let Some(start) = self.parts.iter().map(|s| s.doc()).min() else {
            return false;
        };
        self.start = start;
        self.word = 0;
        self.doc = start;
        if self.scoring {
            fill::<S, true>(&mut self.parts, &mut self.bits, &mut self.scores, start);
        } else {
            fill::<S, false>(&mut self.parts, &mut self.bits, &mut self.scores, start);
        }
        true
    }

    /// The next document of the window, if any.
    #[inline]
    fn next_in_window(&mut self) -> bool {
        while self.word < WORDS {
            let bits = self.bits[self.word];
            if bits != 0 {
                self.bits[self.word] = bits & (bits - 1);
                let delta = self.word * 64 + bits.trailing_zeros() as usize;
                self.doc = self.start + delta as DocId;
                self.score = self.scores[delta];
                return true;
            }
            self.word += 1;
        }
        false
    }
}

/// Reads every part up to the end of the window starting at `start`: the first
/// part on a document writes its score, the next ones add theirs (in the parts'
/// order, as tantivy's sum combiner adds them from zero). Without `SCORING`,
/// only the bitset is filled.
#[inline(never)]
fn fill<S: Scorer, const SCORING: bool>(
    parts: &mut Vec<S>,
    bits: &mut [u64; WORDS],
    scores: &mut [Score; HORIZON as usize],
    start: DocId,
) {
    let end = start + HORIZON;
    for part in parts.iter_mut() {
        let mut doc = part.doc();
        while doc < end {
            let delta = (doc - start) as usize;
            let (word, bit) = (delta / 64, 1u64 << (delta % 64));
            if SCORING {
                if bits[word] & bit == 0 {
                    scores[delta] = part.score();
                } else {
                    scores[delta] += part.score();
                }
            }
            bits[word] |= bit;
            doc = part.advance();
        }
    }
    parts.retain(|s| s.doc() != TERMINATED);
}

impl<S: Scorer> DocSet for Buffered<S> {
    fn advance(&mut self) -> DocId {
        loop {
            if self.next_in_window() {
                return self.doc;
            }
            if !self.refill() {
                self.doc = TERMINATED;
                return TERMINATED;
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let gap = target - self.start;
        if gap < HORIZON {
            // Drop the words before the target's, and the target word's bits
            // below it.
            let word = gap as usize / 64;
            if self.word < word {
                self.bits[self.word..word].fill(0);
                self.word = word;
            }
            self.bits[word] &= !((1u64 << (gap % 64)) - 1);
        } else {
            if self.word < WORDS {
                self.bits[self.word..].fill(0);
            }
            for part in &mut self.parts {
                if part.doc() < target {
                    part.seek(target);
                }
            }
            self.parts.retain(|s| s.doc() != TERMINATED);
            if !self.refill() {
                self.doc = TERMINATED;
                return TERMINATED;
            }
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        estimate_union(self.parts.iter().map(|s| s.size_hint()), self.num_docs)
    }

    fn cost(&self) -> u64 {
        self.parts.iter().map(|s| s.cost()).sum()
    }
}

impl<S: Scorer> Scorer for Buffered<S> {
    fn score(&mut self) -> Score {
        self.score
    }
}

/// tantivy's estimate of the size of a union (`query::size_hint::estimate_union`,
/// private there).
fn estimate_union(sizes: impl Iterator<Item = u32>, max_docs: u32) -> u32 {
    let co_loc_factor = 0.8;
    let mut not_in_any_set_prob = 1.0;
    for size in sizes {
        let prob_in_set = (size as f64 / max_docs as f64) * co_loc_factor;
        not_in_any_set_prob *= 1.0 - prob_in_set;
    }
    let union_estimate = (max_docs as f64 * (1.0 - not_in_any_set_prob)).round();
    union_estimate.min(max_docs as f64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    /// The same documents as a `BooleanQuery` of `Should` clauses, to the same
    /// score bits, alone and within an intersection (whose order of addition
    /// follows the costs), over segments longer and shorter than a window, with
    /// a rare word that makes the intersection seek within and past windows.
    #[test]
    fn matches_and_scores_as_a_boolean_union() {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        let words = ["a", "b", "c", "d", "e"];
        for i in 0..12_000u32 {
            let pick = |k: u32| words[((i * k + i / 7) % 5) as usize];
            let t = format!("{} {}", pick(3), pick(11));
            let mut b = String::new();
            for k in 1..(i % 9 + 2) {
                b.push_str(pick(k + 5));
                b.push(' ');
            }
            // Rare: a few documents a window, none in some windows.
            if i % 97 == 0 && (i / 4096) % 3 != 1 {
                b.push_str(" z");
            }
            writer.add_document(doc!(title => t, body => b)).unwrap();
            if i == 9_999 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |f, w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, w),
                IndexRecordOption::WithFreqsAndPositions,
            ))
        };
        let phrase = |w: &str, v: &str| -> Box<dyn Query> {
            Box::new(PhraseQuery::new(vec![
                Term::from_field_text(body, w),
                Term::from_field_text(body, v),
            ]))
        };
        let parts = |w: &str| vec![term(title, w), term(body, w), phrase(w, "e")];
        let boolean = |w: &str| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                parts(w).into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        };
        let any = |w: &str| -> Box<dyn Query> { Box::new(AnyOf::new(parts(w))) };
        // Three words, and with `rare` the rare one too.
        let all = |f: &dyn Fn(&str) -> Box<dyn Query>, rare: bool| -> Box<dyn Query> {
            let mut must = vec![
                (Occur::Must, f("a")),
                (Occur::Must, f("c")),
                (Occur::Must, f("d")),
            ];
            if rare {
                must.push((Occur::Must, term(body, "z")));
            }
            Box::new(BooleanQuery::new(must))
        };
        // Every match with its score, by address.
        let scored = |q: &dyn Query| {
            let (n, mut docs) = searcher
                .search(q, &(Count, TopDocs::with_limit(20_000).order_by_score()))
                .unwrap();
            docs.sort_by_key(|(_, a)| *a);
            (n, docs)
        };
        let bits = |d: &[(f32, tantivy::DocAddress)]| {
            d.iter().map(|(s, a)| (s.to_bits(), *a)).collect::<Vec<_>>()
        };
        for w in words {
            let (n, docs) = scored(any(w).as_ref());
            assert!(n > 1000, "{w}: {n}");
            let (m, expected) = scored(boolean(w).as_ref());
            assert_eq!((n, bits(&docs)), (m, bits(&expected)), "{w}");
            // Terms alone (tantivy's own union), one of them boosted.
            let terms = || -> Vec<Box<dyn Query>> {
                vec![
                    Box::new(tantivy::query::BoostQuery::new(term(title, w), 2.0)),
                    term(body, w),
                ]
            };
            let boolean_terms =
                BooleanQuery::new(terms().into_iter().map(|q| (Occur::Should, q)).collect());
            assert_eq!(
                scored(&AnyOf::new(terms())),
                scored(&boolean_terms),
                "{w}: terms"
            );
        }
        for (rare, at_least) in [(false, 500), (true, 20)] {
            let (n, docs) = scored(all(&any, rare).as_ref());
            let (m, expected) = scored(all(&boolean, rare).as_ref());
            assert!(n > at_least, "{n}");
            assert_eq!((n, bits(&docs)), (m, bits(&expected)), "rare word: {rare}");
        }
    }
}
