//! Top documents by ranking level, then score (see [`super::build::Compiled::levels`]).
//!
//! Each level is a list of alternative queries evaluated only on the documents the
//! main query matches: a document's level is the highest one with an alternative
//! matching it, and the score of every alternative it matches is added to its base
//! score. Whether a document matches is asked at that document alone ([`Probe`]):
//! a phrase is checked there, never walked to its next match. Sorting by (level, score) puts the
//! document a query names, then the documents holding its words together, above the
//! rest, whatever their base scores.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Scorer, Weight};
use tantivy::{
    DocAddress, DocId, DocSet, Score, SeekDangerResult, SegmentOrdinal, SegmentReader, TERMINATED,
};

/// A scorer asked, for documents in strictly increasing order, whether each matches
/// and with what score, with tantivy's `seek_danger`: a phrase scorer checks the
/// positions of that document only, where `seek` would walk on to its next match.
pub struct Probe {
    scorer: Box<dyn Scorer>,
    /// No document before this one can match.
    lower: DocId,
    /// The document the scorer was opened on, when it matches there: its score
    /// is read without asking again (tantivy asks for strictly increasing
    /// targets).
    opened_on: Option<DocId>,
}

impl Probe {
    /// Probes `weight` in the segment `reader` reads. Its scorer is opened at
    /// the segment's first document (tantivy's `scorer_danger`), not walked to
    /// its first match as `Weight::scorer` does: for a phrase, that walk checks
    /// the positions of every document holding its words until one holds them
    /// together, all of them for a phrase found nowhere (a query's words as a
    /// whole document name), however few documents it is then asked about.
    pub fn open(weight: &dyn Weight, reader: &SegmentReader) -> tantivy::Result<Probe> {
        let (first, scorer) = weight.scorer_danger(reader, 0, 1.0)?;
        let (lower, opened_on) = match first {
            SeekDangerResult::Found => (0, Some(0)),
            SeekDangerResult::SeekLowerBound(bound) => (bound, None),
        };
        Ok(Probe {
            scorer,
            lower,
            opened_on,
        })
    }

    /// The score at `doc` if it matches. Successive calls must ask for strictly
    /// increasing documents.
    pub fn score_at(&mut self, doc: DocId) -> Option<Score> {
        if doc < self.lower || doc == TERMINATED {
            return None;
        }
        if self.opened_on.take() == Some(doc) {
            self.lower = doc + 1;
            return Some(self.scorer.score());
        }
        match self.scorer.seek_danger(doc) {
            SeekDangerResult::Found => {
                self.lower = doc + 1;
                Some(self.scorer.score())
            }
            SeekDangerResult::SeekLowerBound(bound) => {
                self.lower = bound.max(doc + 1);
                None
            }
        }
    }
}

/// One ranked document: its level (0 = none reached, higher is better), its score,
/// and its address.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    /// Level reached (0: none).
    pub level: usize,
    /// Base score plus the scores of the levels matched.
    pub score: Score,
    /// Where the document is.
    pub address: DocAddress,
}

impl Ranked {
    /// Best first: higher level, then higher score, then earlier address.
    pub fn cmp_best_first(&self, other: &Ranked) -> Ordering {
        other
            .level
            .cmp(&self.level)
            .then_with(|| other.score.total_cmp(&self.score))
            .then_with(|| self.address.cmp(&other.address))
    }
}

/// Heap entry ordered so that the worst document is at the top.
struct Worst(Ranked);

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Worst {}
impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp_best_first(&other.0)
    }
}

/// Collects the `limit` best documents by (level, score).
pub struct LevelTopDocs {
    limit: usize,
    levels: Arc<Vec<Vec<Box<dyn Weight>>>>,
}

impl LevelTopDocs {
    /// `levels`: the weights of each level's alternatives, highest level first.
    pub fn new(limit: usize, levels: Vec<Vec<Box<dyn Weight>>>) -> LevelTopDocs {
        LevelTopDocs {
            limit: limit.max(1),
            levels: Arc::new(levels),
        }
    }
}

/// The per-segment part of [`LevelTopDocs`].
pub struct LevelSegmentCollector {
    segment: SegmentOrdinal,
    limit: usize,
    levels: Vec<Vec<Probe>>,
    heap: BinaryHeap<Worst>,
}

impl Collector for LevelTopDocs {
    type Fruit = Vec<Ranked>;
    type Child = LevelSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<LevelSegmentCollector> {
        let levels = self
            .levels
            .iter()
            .map(|alternatives| {
                alternatives
                    .iter()
                    .map(|w| Probe::open(w.as_ref(), reader))
                    .collect::<tantivy::Result<Vec<_>>>()
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(LevelSegmentCollector {
            segment,
            limit: self.limit,
            levels,
            heap: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut all: Vec<Ranked> = fruits.into_iter().flatten().collect();
        all.sort_by(Ranked::cmp_best_first);
        all.truncate(self.limit);
        Ok(all)
    }
}

impl SegmentCollector for LevelSegmentCollector {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let n = self.levels.len();
        // A full heap whose worst document reached level `floor` admits no document
        // below that level: the levels under it are probed only for documents that
        // reach it (the rest are skipped, their phrases never checked).
        let floor = if self.heap.len() >= self.limit {
            self.heap.peek().map_or(0, |w| w.0.level)
        } else {
            0
        };
        let mut level = 0;
        let mut total = score;
        // Documents arrive in increasing order, as probes need (a probe skipped for
        // one document is asked about a later one next).
        for (i, alternatives) in self.levels.iter_mut().enumerate() {
            if level == 0 && n - i < floor {
                return;
            }
            for probe in alternatives.iter_mut() {
                if let Some(s) = probe.score_at(doc) {
                    total += s;
                    if level == 0 {
                        level = n - i;
                    }
                }
            }
        }
        let ranked = Ranked {
            level,
            score: total,
            address: DocAddress::new(self.segment, doc),
        };
        if self.heap.len() < self.limit {
            self.heap.push(Worst(ranked));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if ranked.cmp_best_first(&worst.0) == Ordering::Less {
                *worst = Worst(ranked);
            }
        }
    }

    fn harvest(self) -> Vec<Ranked> {
        let mut out: Vec<Ranked> = self.heap.into_iter().map(|w| w.0).collect();
        out.sort_by(Ranked::cmp_best_first);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{EnableScoring, PhraseQuery, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, Term};

    #[test]
    fn a_small_limit_keeps_the_best_of_the_full_ranking() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        // Documents with `a`; some hold `a b` together (top level), some `c`.
        for i in 0..300u32 {
            let mut text = String::from("a x");
            if i % 7 == 0 {
                text.push_str(" a b");
            }
            if i % 5 == 0 {
                text.push_str(" c");
            }
            for _ in 0..(i % 4) {
                text.push_str(" a");
            }
            writer.add_document(doc!(body => text)).unwrap();
            if i % 100 == 99 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| Term::from_field_text(body, w);
        let main = TermQuery::new(term("a"), IndexRecordOption::WithFreqsAndPositions);
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        let levels = || -> Vec<Vec<Box<dyn Weight>>> {
            let phrase = PhraseQuery::new(vec![term("a"), term("b")]);
            let c = TermQuery::new(term("c"), IndexRecordOption::WithFreqs);
            vec![
                vec![phrase.weight(scoring).unwrap()],
                vec![c.weight(scoring).unwrap()],
            ]
        };
        let all = searcher
            .search(&main, &LevelTopDocs::new(10_000, levels()))
            .unwrap();
        assert_eq!(all.len(), 300);
        for limit in [1, 3, 20, 50, 100] {
            let top = searcher
                .search(&main, &LevelTopDocs::new(limit, levels()))
                .unwrap();
            let key = |r: &Ranked| (r.level, r.score.to_bits(), r.address);
            assert_eq!(
                top.iter().map(key).collect::<Vec<_>>(),
                all.iter().take(limit).map(key).collect::<Vec<_>>(),
                "limit {limit}"
            );
        }
    }
}
