//! Turning a [`ParsedQuery`] into a tantivy query, with accent routing.
//!
//! Each word or phrase is analysed exactly as the index was. A text typed without
//! any diacritic is searched in the folded fields only; a text with diacritics in
//! the accented fields (boosted by [`ACCENTED_BOOST`]) OR the folded fields, so the
//! exact spelling ranks first and variants are still found. Several syllables
//! become a phrase query. A word that looks like a document number also matches
//! the exact own-number and citation fields. Adjacent plain words earn a bonus.

use std::collections::HashSet;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::number;
use super::parser::{Clause, ParsedQuery};
use crate::analysis::{self, Route, ACCENTED_BOOST};
use crate::index::Fields;
use crate::{Error, Result};

/// Boost of title fields over body fields.
pub const TITLE_BOOST: f32 = 2.0;
/// Boost of an exact own-number match.
pub const NUMBER_BOOST: f32 = 8.0;
/// Boost of an exact citation match.
pub const REF_BOOST: f32 = 3.0;
/// Boost of the adjacency bonus for plain words.
pub const ADJACENCY_BOOST: f32 = 1.5;

/// What to highlight in snippets: folded syllables and folded phrases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlight {
    /// Single syllables (folded).
    pub terms: HashSet<String>,
    /// Syllable sequences (folded) to highlight only where they are adjacent.
    pub phrases: Vec<Vec<String>>,
}

impl Highlight {
    /// True when nothing is to be highlighted.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.phrases.is_empty()
    }
}

/// A compiled query and what to highlight.
pub struct Compiled {
    /// The tantivy query: what matches and its base score.
    pub query: Box<dyn Query>,
    /// The adjacency bonus (plain words found next to each other), to be added to
    /// the base score of the best base matches only: it never changes what matches,
    /// and evaluating positions for every match of common words cost more than the
    /// rest of the search (see [`super::Engine`]'s rerank window).
    pub bonus: Option<Box<dyn Query>>,
    /// What snippets should mark.
    pub highlight: Highlight,
}

/// One analysed syllable position: (accented, folded).
type Syllable = (String, String);

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

fn field_query(field: Field, tokens: &[&str]) -> Box<dyn Query> {
    if let [one] = tokens {
        Box::new(TermQuery::new(
            Term::from_field_text(field, one),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        let terms = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (i, Term::from_field_text(field, t)))
            .collect();
        Box::new(PhraseQuery::new_with_offset(terms))
    }
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Query for one text (word or phrase) over title and body, routed by accents.
fn text_query(text: &str, syls: &[Syllable], f: &Fields) -> Box<dyn Query> {
    let folded: Vec<&str> = syls.iter().map(|s| s.1.as_str()).collect();
    let mut should: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Should,
            boosted(field_query(f.title_folded, &folded), TITLE_BOOST),
        ),
        (Occur::Should, field_query(f.body_folded, &folded)),
    ];
    if analysis::route(text) == Route::AccentedAndFolded {
        let accented: Vec<&str> = syls.iter().map(|s| s.0.as_str()).collect();
        should.push((
            Occur::Should,
            boosted(
                field_query(f.title, &accented),
                TITLE_BOOST * ACCENTED_BOOST,
            ),
        ));
        should.push((
            Occur::Should,
            boosted(field_query(f.body, &accented), ACCENTED_BOOST),
        ));
    }
    Box::new(BooleanQuery::new(should))
}

fn exact_number_query(word: &str, f: &Fields) -> Box<dyn Query> {
    let key = number::fold_key(word);
    let term = |field| TermQuery::new(Term::from_field_text(field, &key), IndexRecordOption::Basic);
    Box::new(BooleanQuery::new(vec![
        (
            Occur::Should,
            boosted(Box::new(term(f.number_fold)), NUMBER_BOOST),
        ),
        (Occur::Should, boosted(Box::new(term(f.refs)), REF_BOOST)),
    ]))
}

/// Compiles one clause; `None` when it has nothing searchable (punctuation only).
fn clause_query(
    c: &Clause,
    f: &Fields,
    hl: &mut Highlight,
    collect_hl: bool,
) -> Option<Box<dyn Query>> {
    match c {
        Clause::Word(w) | Clause::Phrase(w) => {
            let syls = syllables(w);
            if syls.is_empty() {
                return None;
            }
            if collect_hl {
                if syls.len() == 1 {
                    hl.terms.insert(syls[0].1.clone());
                } else {
                    hl.phrases.push(syls.iter().map(|s| s.1.clone()).collect());
                }
            }
            let text = text_query(w, &syls, f);
            if matches!(c, Clause::Word(_)) && number::looks_like_number(w) {
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Should, text),
                    (Occur::Should, exact_number_query(w, f)),
                ])))
            } else {
                Some(text)
            }
        }
        Clause::Not(inner) => clause_query(inner, f, hl, false),
        Clause::Or(alts) => {
            let subs: Vec<(Occur, Box<dyn Query>)> = alts
                .iter()
                .filter_map(|a| clause_query(a, f, hl, collect_hl))
                .map(|q| (Occur::Should, q))
                .collect();
            (!subs.is_empty()).then(|| Box::new(BooleanQuery::new(subs)) as Box<dyn Query>)
        }
    }
}

/// Compiles a parsed query, every word required; `Ok(None)` for an empty query
/// (match everything).
pub fn compile(parsed: &ParsedQuery, f: &Fields) -> Result<Option<Compiled>> {
    compile_with(parsed, f, false)
}

/// Compiles a parsed query; with `any`, documents need only some of the words
/// (ranked by how many and how well), exclusions still apply.
pub fn compile_with(parsed: &ParsedQuery, f: &Fields, any: bool) -> Result<Option<Compiled>> {
    if parsed.clauses.is_empty() {
        return Ok(None);
    }
    let mut hl = Highlight::default();
    let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut positive = 0;
    let mut adjacent: Vec<String> = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for c in &parsed.clauses {
        let q = clause_query(c, f, &mut hl, true);
        // Consecutive plain single-syllable words form a run for the adjacency bonus.
        match (c, &q) {
            (Clause::Word(w), Some(_)) => {
                let syls = syllables(w);
                if syls.len() == 1 {
                    adjacent.push(syls[0].1.clone());
                } else {
                    runs.push(std::mem::take(&mut adjacent));
                }
            }
            _ => runs.push(std::mem::take(&mut adjacent)),
        }
        let Some(q) = q else { continue };
        if matches!(c, Clause::Not(_)) {
            subs.push((Occur::MustNot, Box::new(ForwardSeekOnly(q))));
        } else {
            positive += 1;
            subs.push((if any { Occur::Should } else { Occur::Must }, q));
        }
    }
    runs.push(adjacent);
    if positive == 0 {
        return Err(Error::Query {
            position: 0,
            message: "the query has no word to search for (only punctuation or exclusions)".into(),
        });
    }
    let mut bonus: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for run in runs.into_iter().filter(|r| r.len() >= 2) {
        let toks: Vec<&str> = run.iter().map(String::as_str).collect();
        bonus.push((
            Occur::Should,
            boosted(field_query(f.body_folded, &toks), ADJACENCY_BOOST),
        ));
        bonus.push((
            Occur::Should,
            boosted(
                field_query(f.title_folded, &toks),
                ADJACENCY_BOOST * TITLE_BOOST,
            ),
        ));
    }
    Ok(Some(Compiled {
        query: Box::new(BooleanQuery::new(subs)),
        bonus: (!bonus.is_empty()).then(|| Box::new(BooleanQuery::new(bonus)) as Box<dyn Query>),
        highlight: hl,
    }))
}

/// Wraps an excluded clause so tantivy's exclusion only ever moves it forward with
/// `seek` (never `seek_danger`).
///
/// tantivy 0.27's `PhraseScorer::seek_danger` asserts `target >= doc()` (a debug
/// assertion), but the exclusion calls it on a phrase scorer that is already past the
/// target, e.g. terminated in a segment holding the phrase's syllables but never the
/// phrase: `xây dựng -"nông mới"` panicked in debug builds (found by the `query` fuzz
/// target; tests/fuzz_regressions.rs). The default `seek_danger` of this wrapper seeks
/// only when the scorer is behind the target, which is always valid.
#[derive(Debug)]
struct ForwardSeekOnly(Box<dyn Query>);

impl Clone for ForwardSeekOnly {
    fn clone(&self) -> Self {
        ForwardSeekOnly(self.0.box_clone())
    }
}

impl Query for ForwardSeekOnly {
    fn weight(
        &self,
        enable_scoring: tantivy::query::EnableScoring<'_>,
    ) -> tantivy::Result<Box<dyn tantivy::query::Weight>> {
        Ok(Box::new(ForwardSeekOnlyWeight(
            self.0.weight(enable_scoring)?,
        )))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ForwardSeekOnlyWeight(Box<dyn tantivy::query::Weight>);

impl tantivy::query::Weight for ForwardSeekOnlyWeight {
    fn scorer(
        &self,
        reader: &tantivy::SegmentReader,
        boost: tantivy::Score,
    ) -> tantivy::Result<Box<dyn tantivy::query::Scorer>> {
        Ok(Box::new(ForwardSeekOnlyScorer(
            self.0.scorer(reader, boost)?,
        )))
    }

    fn explain(
        &self,
        reader: &tantivy::SegmentReader,
        doc: tantivy::DocId,
    ) -> tantivy::Result<tantivy::query::Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ForwardSeekOnlyScorer(Box<dyn tantivy::query::Scorer>);

impl tantivy::DocSet for ForwardSeekOnlyScorer {
    fn advance(&mut self) -> tantivy::DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: tantivy::DocId) -> tantivy::DocId {
        let doc = self.0.doc();
        if doc >= target {
            return doc;
        }
        self.0.seek(target)
    }

    fn doc(&self) -> tantivy::DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl tantivy::query::Scorer for ForwardSeekOnlyScorer {
    fn score(&mut self) -> tantivy::Score {
        self.0.score()
    }
}
