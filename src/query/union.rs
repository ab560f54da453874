//! Any of a few queries ([`AnyOf`]): a union that reads postings only where it is
//! asked.
//!
//! A query word is the union of its spellings and fields (title and body, typed
//! and restored spelling: `bat` is `title:bat body:bat title:bất body:bất`), and a
//! query is the intersection of its words. tantivy's union of a `BooleanQuery`
//! buffers windows of 4,096 documents: every posting of every part in the window
//! is read and scored, and a seek beyond the window clears 4,096 scores first. In
//! an intersection the union is mostly sought to the documents of a rarer word,
//! and a ranking level or a page among few documents probes it at one document
//! at a time, so most of that window is read for nothing.
//!
//! [`AnyOf`] matches what a `BooleanQuery` of `Should` clauses matches, and
//! scores a document as it does: the sum of the scores of the parts matching,
//! added in the parts' order. It moves each part only to the documents asked
//! for.
//!
//! Its cost and size (which order the parts of an intersection, and so the
//! order in which their scores are added) are those tantivy's union reports
//! once it has read its first window: none when that window reaches the end of
//! the segment (every part is then read to its end), else those of all its
//! parts. tantivy's union also leaves out a part whose documents all lie in its
//! first window of a larger segment; there an intersection may add a word's
//! score in another order than before: the same sum, to the last bit or so.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// A document matches when any of the queries matches it; its score is the sum
/// of theirs (see the module docs).
#[derive(Debug)]
pub struct AnyOf {
    parts: Vec<Box<dyn Query>>,
}

impl AnyOf {
    /// The union of `parts`.
    pub fn new(parts: Vec<Box<dyn Query>>) -> AnyOf {
        AnyOf { parts }
    }
}

impl Clone for AnyOf {
    fn clone(&self) -> AnyOf {
        AnyOf {
            parts: self.parts.iter().map(|q| q.box_clone()).collect(),
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
        Ok(Box::new(AnyOfWeight { parts }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.parts {
            q.query_terms(visitor);
        }
    }
}

struct AnyOfWeight {
    parts: Vec<Box<dyn Weight>>,
}

impl Weight for AnyOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut parts = Vec::with_capacity(self.parts.len());
        for w in &self.parts {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                parts.push(s);
            }
        }
        Ok(if parts.len() > 1 {
            Box::new(AnyOfScorer::new(parts, reader))
        } else {
            parts.pop().unwrap_or_else(|| Box::new(EmptyScorer))
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

/// The window of tantivy's buffered union, in documents.
const HORIZON: DocId = 64 * 64;

/// The union of two or more scorers, each at or after the current document.
struct AnyOfScorer {
    parts: Vec<Box<dyn Scorer>>,
    doc: DocId,
    cost: u64,
    size_hint: u32,
}

impl AnyOfScorer {
    fn new(parts: Vec<Box<dyn Scorer>>, reader: &SegmentReader) -> AnyOfScorer {
        let doc = parts.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        let (cost, size_hint) = if doc.saturating_add(HORIZON) >= reader.max_doc() {
            (0, 0)
        } else {
            (
                parts.iter().map(|s| s.cost()).sum(),
                estimate_union(parts.iter().map(|s| s.size_hint()), reader.num_docs()),
            )
        };
        AnyOfScorer {
            parts,
            doc,
            cost,
            size_hint,
        }
    }

    fn lowest(&self) -> DocId {
        self.parts
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED)
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

impl DocSet for AnyOfScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let current = self.doc;
        for s in &mut self.parts {
            if s.doc() == current {
                s.advance();
            }
        }
        self.doc = self.lowest();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for s in &mut self.parts {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.doc = self.lowest();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.size_hint
    }

    fn cost(&self) -> u64 {
        self.cost
    }
}

impl Scorer for AnyOfScorer {
    fn score(&mut self) -> Score {
        // Added in the parts' order from zero, as tantivy's sum combiner adds them.
        let doc = self.doc;
        let mut score: Score = 0.0;
        for s in &mut self.parts {
            if s.doc() == doc {
                score += s.score();
            }
        }
        score
    }
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
    /// follows the costs), over several segments.
    #[test]
    fn matches_and_scores_as_a_boolean_union() {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        let words = ["a", "b", "c", "d", "e"];
        for i in 0..3000u32 {
            let pick = |k: u32| words[((i * k + i / 7) % 5) as usize];
            let t = format!("{} {}", pick(3), pick(11));
            let mut b = String::new();
            for k in 1..(i % 9 + 2) {
                b.push_str(pick(k + 5));
                b.push(' ');
            }
            writer.add_document(doc!(title => t, body => b)).unwrap();
            if i % 1000 == 999 {
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
        let all = |f: &dyn Fn(&str) -> Box<dyn Query>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, f("a")),
                (Occur::Must, f("c")),
                (Occur::Must, f("d")),
            ]))
        };
        // Every match with its score, by address.
        let scored = |q: &dyn Query| {
            let (n, mut docs) = searcher
                .search(q, &(Count, TopDocs::with_limit(5000).order_by_score()))
                .unwrap();
            docs.sort_by_key(|(_, a)| *a);
            (n, docs)
        };
        let bits = |d: &[(f32, tantivy::DocAddress)]| {
            d.iter().map(|(s, a)| (s.to_bits(), *a)).collect::<Vec<_>>()
        };
        for w in words {
            let (n, docs) = scored(any(w).as_ref());
            assert!(n > 100, "{w}: {n}");
            let (m, expected) = scored(boolean(w).as_ref());
            assert_eq!((n, bits(&docs)), (m, bits(&expected)), "{w}");
        }
        let (n, docs) = scored(all(&any).as_ref());
        let (m, expected) = scored(all(&boolean).as_ref());
        assert!(n > 10, "{n}");
        assert_eq!((n, bits(&docs)), (m, bits(&expected)));
    }
}
