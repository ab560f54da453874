//! The page of a search whose total is already known, ranked among the few
//! matches that can reach it (issue 18).
//!
//! Ranking a search scores every document it matches (see `levels.rs`), and that
//! is most of a search's cost: a common word, or an unaccented one (`cong an`
//! matches *công an*, *cộng*, *ăn*, *ấn* …), matches tens of thousands of
//! documents. The total and the facet counts need every match too, but they are
//! kept per search (`Engine::search_with_facets`); once they are known, only the
//! page is wanted.
//!
//! Documents are ranked by level first. The levels a document reaches through
//! its title or name (the document the query names, the words together in its
//! title) are held by few documents, and the page of a query of common words is
//! usually made of them. So the page is first ranked among the documents
//! matching a level alternative that has no term in the body: the *essential*
//! ones ([`Pruning`]). Every clause of the query is restricted to them
//! ([`Within`]), so postings are read only where an essential document is, and
//! each essential match gets exactly the score it gets in the full ranking.
//! When the worst document of that page holds a level that no other document can
//! reach (a level none of whose alternatives can match through the body), no
//! other document can enter the page, and it is the page of the full ranking
//! ([`Pruning::settles`]). Otherwise every match is ranked, as without a known
//! total. The essential documents are found once per search and kept with its
//! counts ([`Found`]).
//!
//! `tests/prune.rs` compares the pages both ways.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED};

use super::levels::Ranked;
use super::union::AnyOf;

/// How a search with a known total can rank its page among its essential matches
/// (see the module docs).
pub struct Pruning {
    /// The query with every clause restricted to the essential documents (the
    /// same scores there).
    within: Box<dyn Query>,
    /// The highest level a document that is not essential can reach (0: none).
    reachable: usize,
}

impl Pruning {
    /// The pruning of `query` ranked by `levels` (highest first), whose body fields
    /// are `body`; `None` when no level is above those reachable through the body.
    ///
    /// The essential documents are found once per search: `found` is kept with
    /// its counts, `attempt` is this query's attempt number.
    ///
    /// Which alternatives count as essential only decides how much is pruned:
    /// every alternative is either among those defining the essential documents
    /// (which no other document matches) or among those defining `reachable`.
    pub fn plan(
        searcher: &Searcher,
        body: &[Field],
        query: &dyn Query,
        levels: &[Vec<Box<dyn Query>>],
        (found, attempt): (&Found, usize),
    ) -> tantivy::Result<Option<Pruning>> {
        let n = levels.len();
        let mut reachable = 0;
        let mut essential: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, alternatives) in levels.iter().enumerate() {
            for q in alternatives {
                if in_body(q.as_ref(), body) {
                    reachable = reachable.max(n - i);
                } else {
                    essential.push((Occur::Should, q.box_clone()));
                }
            }
        }
        // Essential documents are worth finding only for a level above `reachable`.
        if essential.is_empty() || reachable == n {
            return Ok(None);
        }
        let docs = found.get_or_find(attempt, || {
            matching_docs(searcher, &BooleanQuery::new(essential))
        })?;
        Ok(Some(Pruning {
            within: restrict(query, &docs),
            reachable,
        }))
    }

    /// The query over the essential documents: the same scores as the query's.
    pub fn query(&self) -> &dyn Query {
        self.within.as_ref()
    }

    /// Whether a page ranked among the essential documents, whose worst document
    /// is `worst`, is the page of the full ranking: no other document can reach
    /// its level.
    pub fn settles(&self, worst: &Ranked) -> bool {
        self.reachable < worst.level
    }
}

/// Whether `q` may match many documents: through the body (a term of a body
/// field), or anywhere (no term at all).
fn in_body(q: &dyn Query, body: &[Field]) -> bool {
    let (mut in_body, mut all) = (0, 0);
    q.query_terms(&mut |t, _| {
        all += 1;
        if body.contains(&t.field()) {
            in_body += 1;
        }
    });
    in_body > 0 || all == 0
}

/// Sorted document ids per segment.
type Docs = HashMap<SegmentId, Arc<Vec<DocId>>>;

/// The essential documents of a search's compiled queries (one per attempt: the
/// accented query, then the folded one …), once found. They depend on the query
/// and the index only, not on the page, so a search keeps them with its counts
/// and its next pages and repeats do not look for them again. Sets of more than
/// [`Found::MAX_DOCS`] documents are not kept.
#[derive(Clone, Default)]
pub struct Found(Arc<Mutex<Vec<Kept>>>);

/// An attempt's number and its essential documents (`None`: too many to keep).
type Kept = (usize, Option<Arc<Docs>>);

impl Found {
    /// Most documents kept per attempt (4 bytes each).
    pub const MAX_DOCS: usize = 1 << 18;

    /// The essential documents of `attempt`, found by `find` the first time.
    fn get_or_find(
        &self,
        attempt: usize,
        find: impl FnOnce() -> tantivy::Result<Docs>,
    ) -> tantivy::Result<Arc<Docs>> {
        let known = self.lock().iter().find(|(a, _)| *a == attempt).cloned();
        if let Some((_, Some(docs))) = known {
            return Ok(docs);
        }
        let docs = Arc::new(find()?);
        if known.is_none() {
            let n: usize = docs.values().map(|d| d.len()).sum();
            let kept = (n <= Found::MAX_DOCS).then(|| Arc::clone(&docs));
            let mut list = self.lock();
            if !list.iter().any(|(a, _)| *a == attempt) {
                list.push((attempt, kept));
            }
        }
        Ok(docs)
    }

    /// Bytes of the documents kept.
    pub fn weight(&self) -> usize {
        self.lock()
            .iter()
            .filter_map(|(_, docs)| docs.as_ref())
            .flat_map(|d| d.values())
            .map(|v| 64 + v.len() * std::mem::size_of::<DocId>())
            .sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Kept>> {
        // A panic while holding the lock leaves a consistent list: keep using it.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The documents `q` matches, per segment ([`super::select::matching`]).
fn matching_docs(searcher: &Searcher, q: &dyn Query) -> tantivy::Result<Docs> {
    let per_segment = super::select::matching(searcher, q)?;
    Ok(searcher
        .segment_readers()
        .iter()
        .zip(per_segment)
        .map(|(reader, docs)| (reader.segment_id(), Arc::new(docs)))
        .collect())
}

/// `q` with each of its clauses restricted to `docs`. Boolean queries and
/// [`AnyOf`] unions keep their clauses' order and their exclusions as they are, so
/// the scores at the documents kept are added in the same order, to the same bits.
fn restrict(q: &dyn Query, docs: &Arc<Docs>) -> Box<dyn Query> {
    if let Some(b) = q.downcast_ref::<BooleanQuery>() {
        let clauses = b
            .clauses()
            .iter()
            .map(|(occur, c)| {
                let c = match occur {
                    Occur::MustNot => c.box_clone(),
                    _ => restrict(c.as_ref(), docs),
                };
                (*occur, c)
            })
            .collect();
        let mut restricted = BooleanQuery::new(clauses);
        restricted.set_minimum_number_should_match(b.get_minimum_number_should_match());
        return Box::new(restricted);
    }
    if let Some(any) = q.downcast_ref::<AnyOf>() {
        let parts = any.parts().iter().map(|c| restrict(c.as_ref(), docs));
        return Box::new(any.with_parts(parts.collect()));
    }
    Box::new(Within {
        inner: q.box_clone(),
        docs: Arc::clone(docs),
    })
}

/// A query matching what `inner` matches among `docs`, scored as `inner`, and
/// costed as `inner` (an intersection orders its parts by cost, and the order
/// in which it adds their scores must not change).
#[derive(Debug)]
struct Within {
    inner: Box<dyn Query>,
    docs: Arc<Docs>,
}

impl Clone for Within {
    fn clone(&self) -> Within {
        Within {
            inner: self.inner.box_clone(),
            docs: Arc::clone(&self.docs),
        }
    }
}

impl Query for Within {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(WithinWeight {
            inner: self.inner.weight(scoring)?,
            docs: Arc::clone(&self.docs),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct WithinWeight {
    inner: Box<dyn Weight>,
    docs: Arc<Docs>,
}

impl Weight for WithinWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        let docs = self
            .docs
            .get(&reader.segment_id())
            .cloned()
            .unwrap_or_default();
        Ok(Box::new(WithinScorer::new(inner, docs)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct WithinScorer {
    inner: Box<dyn Scorer>,
    docs: Arc<Vec<DocId>>,
    /// Index in `docs` of the current document.
    at: usize,
    cost: u64,
    size_hint: u32,
}

impl WithinScorer {
    fn new(inner: Box<dyn Scorer>, docs: Arc<Vec<DocId>>) -> WithinScorer {
        let (cost, size_hint) = (inner.cost(), inner.size_hint());
        let mut s = WithinScorer {
            inner,
            docs,
            at: 0,
            cost,
            size_hint,
        };
        s.align();
        s
    }

    /// Moves both to the first document at or after the current ones that both
    /// hold.
    fn align(&mut self) -> DocId {
        loop {
            let Some(&want) = self.docs.get(self.at) else {
                self.at = self.docs.len();
                return TERMINATED;
            };
            let got = if self.inner.doc() < want {
                self.inner.seek(want)
            } else {
                self.inner.doc()
            };
            if got == TERMINATED {
                self.at = self.docs.len();
                return TERMINATED;
            }
            if got == want {
                return got;
            }
            // The first listed document at or after `got`.
            self.at += self.docs[self.at..].partition_point(|&d| d < got);
        }
    }
}

impl DocSet for WithinScorer {
    fn advance(&mut self) -> DocId {
        if self.at >= self.docs.len() {
            return TERMINATED;
        }
        self.at += 1;
        self.align()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() >= target {
            return self.doc();
        }
        self.at += self.docs[self.at..].partition_point(|&d| d < target);
        self.align()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        self.size_hint
    }

    fn cost(&self) -> u64 {
        self.cost
    }
}

impl Scorer for WithinScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
