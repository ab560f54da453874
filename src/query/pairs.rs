//! Two-syllable words answered from the body's pair fields, without positions.
//!
//! Most Vietnamese words are two syllables (`thị trường`, `chuyển đổi`), so most
//! phrases a search checks are two-syllable words. A phrase query reads the
//! positions of both syllables in every document holding both, a large part of a
//! search's cost (issue 18). Ingest also indexes every two-syllable word of the
//! lexicon found in the body as one term (`analysis::PairTokenizer`), whose
//! frequency in a document is the number of places the phrase occurs there: the
//! very count a phrase query takes from positions.
//!
//! [`PairQuery`] matches the documents holding the pair term and scores each with the
//! phrase's own BM25 weight (the summed idf of its two syllables in the body field)
//! and the body field's length: the documents and scores of the phrase query it
//! replaces, read from one posting list (`tests/pairs.rs` compares them). The query
//! side uses it only for the lexicon's words (`analysis::is_pair_word`); other
//! phrases are phrase queries.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

/// The phrase `a b` of a body field, read from its pair field.
#[derive(Debug, Clone)]
pub struct PairQuery {
    /// The two syllables, as terms of the body field (statistics, field norms).
    terms: [Term; 2],
    /// The pair, as a term of the pair field (matching, frequency).
    pair: Term,
}

impl PairQuery {
    /// The phrase `a b` of `body`, answered from `pairs` (the pair field indexed from
    /// the same stream).
    pub fn new(body: Field, pairs: Field, a: &str, b: &str) -> PairQuery {
        PairQuery {
            terms: [
                Term::from_field_text(body, a),
                Term::from_field_text(body, b),
            ],
            pair: Term::from_field_text(pairs, &crate::analysis::pair_term(a, b)),
        }
    }
}

impl Query for PairQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.terms)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairWeight {
            body: self.terms[0].field(),
            pair: self.pair.clone(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.terms {
            visitor(t, true);
        }
    }
}

struct PairWeight {
    body: Field,
    pair: Term,
    /// `None` when scoring is disabled (every match scores 1, as a phrase's does).
    bm25: Option<Bm25Weight>,
}

impl PairWeight {
    fn pair_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PairScorer>> {
        let Some(postings) = reader
            .inverted_index(self.pair.field())?
            .read_postings(&self.pair, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let fieldnorms = match &self.bm25 {
            Some(_) => reader.fieldnorms_readers().get_field(self.body)?,
            None => None,
        }
        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        Ok(Some(PairScorer {
            postings,
            fieldnorms,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        }))
    }
}

impl Weight for PairWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.pair_scorer(reader, boost)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let not_matching =
            || TantivyError::InvalidArgument(format!("Document #({doc}) does not match"));
        let Some(mut s) = self.pair_scorer(reader, 1.0)? else {
            return Err(not_matching());
        };
        if s.doc() > doc || s.seek(doc) != doc {
            return Err(not_matching());
        }
        let fieldnorm_id = s.fieldnorms.fieldnorm_id(doc);
        let mut e = match &s.bm25 {
            Some(w) => w.explain(fieldnorm_id, s.postings.term_freq()),
            None => Explanation::new("scoring disabled", 1.0),
        };
        e.add_context(format!("Phrase={:?} (pair term)", self.pair));
        Ok(e)
    }
}

struct PairScorer {
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl DocSet for PairScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for PairScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(w) => w.score(
                self.fieldnorms.fieldnorm_id(self.postings.doc()),
                self.postings.term_freq(),
            ),
            None => 1.0,
        }
    }
}
