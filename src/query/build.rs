//! Turning a [`ParsedQuery`] into tantivy queries: accent routing, ranking levels,
//! expansions, and the reduction of long queries.
//!
//! * **Accents** ([`View`]): a query typed with any diacritic searches the accented
//!   fields only (`thi đua` never finds *thì*, *thị*, *đưa*); one typed without
//!   searches the folded fields. The engine falls back to the folded view when an
//!   accented query finds nothing, and says so.
//! * **What matches**: every word and phrase is required, or, relaxed ([`CompileOptions::any`]),
//!   any of them. A word that looks like a document number also matches the exact
//!   own-number and citation fields.
//! * **Levels** ([`Compiled::levels`]): for short queries, documents are ranked first
//!   by the highest level they reach, then by score: the document whose own number
//!   was typed; the document whose name (type + title, `Luật Đất đai`) is the query,
//!   with the typed year; whose name is the query; whose name starts with it; then
//!   documents holding the words together and in order (in title or body). Only the
//!   order of the matches changes, never what matches.
//! * **Expansions** (`UBND` ↔ `ủy ban nhân dân`, [`super::expand`]): the typed form or
//!   an expansion may match; the typed form weighs more.
//! * **Long queries** (more than [`MAX_TERMS`] distinct syllables or twice as many
//!   words: long questions, pasted passages) are reduced to the
//!   [`MAX_TERMS`] most discriminative syllables (highest IDF, as MoreLikeThis does),
//!   any of which may match, with adjacent kept pairs as a bonus ([`Reduced`]).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, ExistsQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::expand::{self, Expansion};
use super::number;
use super::parser::{Clause, ParsedQuery};
use super::syllables::{syllables, Syllable};
use super::union::AnyOf;
use crate::analysis;
use crate::index::schema::{names, NAME_END, NAME_START};
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
/// Weight of an expansion against the form typed (`UBND` → `ủy ban nhân dân`).
pub const EXPANSION_BOOST: f32 = 0.6;
/// Weight of the restored spelling of an unaccented query (see
/// [`CompileOptions::suggestion`]): the most likely spelling ranks first.
pub const SUGGESTION_BOOST: f32 = 1.0;
/// Queries of at most this many syllables rank the documents holding their words
/// together and in order above the others (a ranking level); longer ones get an
/// adjacency bonus instead.
pub const MAX_PROXIMITY_SYLLABLES: usize = 6;
/// Queries naming a document (its name, or type and number) have at most this many
/// syllables; longer ones get no name levels.
pub const MAX_NAME_SYLLABLES: usize = 40;
/// A query with more distinct syllables than this is reduced to this many.
pub const MAX_TERMS: usize = 32;

/// Which view of the text a query searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The accented canonical fields (the query was typed with diacritics).
    Accented,
    /// The folded fields (no diacritic typed, or the accented view found nothing).
    Folded,
}

impl View {
    /// The view a query text asks for (spec decision 2).
    pub fn of(text: &str) -> View {
        match analysis::route(text) {
            analysis::Route::Accented => View::Accented,
            analysis::Route::Folded => View::Folded,
        }
    }

    fn title(self, f: &Fields) -> Field {
        match self {
            View::Accented => f.title,
            View::Folded => f.title_folded,
        }
    }

    fn body(self, f: &Fields) -> Field {
        match self {
            View::Accented => f.body,
            View::Folded => f.body_folded,
        }
    }

    fn body_pairs(self, f: &Fields) -> Field {
        match self {
            View::Accented => f.body_pairs,
            View::Folded => f.body_folded_pairs,
        }
    }

    fn name(self, f: &Fields) -> Field {
        match self {
            View::Accented => f.name,
            View::Folded => f.name_folded,
        }
    }

    fn form(self, s: &Syllable) -> &str {
        match self {
            View::Accented => &s.0,
            View::Folded => &s.1,
        }
    }
}

/// How to compile a query.
#[derive(Debug, Clone)]
pub struct CompileOptions {
    /// The view searched.
    pub view: View,
    /// Relaxed: documents need only some of the words (ranked by how many and how
    /// well); exclusions still apply.
    pub any: bool,
    /// For a folded query, the most likely accented spelling of its plain words and
    /// phrases, one syllable per position (`suggest.rs`): documents spelling the
    /// words so rank first.
    pub suggestion: Option<Vec<String>>,
}

impl CompileOptions {
    /// All words required, in the view the query text asks for, no suggestion.
    pub fn for_text(text: &str) -> CompileOptions {
        CompileOptions {
            view: View::of(text),
            any: false,
            suggestion: None,
        }
    }
}

/// What to highlight in snippets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlight {
    /// Single syllables.
    pub terms: HashSet<String>,
    /// Syllable sequences to highlight only where they are adjacent.
    pub phrases: Vec<Vec<String>>,
    /// Terms and phrases are accented (compare with the accented view of the text),
    /// else folded.
    pub accented: bool,
}

impl Highlight {
    /// True when nothing is to be highlighted.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.phrases.is_empty()
    }

    fn add(&mut self, syls: &[Syllable], view: View) {
        let forms: Vec<String> = syls.iter().map(|s| view.form(s).to_string()).collect();
        match forms.as_slice() {
            [] => {}
            [one] => {
                self.terms.insert(one.clone());
            }
            _ => self.phrases.push(forms),
        }
    }
}

/// A long query cut down to its most discriminative syllables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Reduced {
    /// Distinct syllables of the words typed.
    pub syllables: usize,
    /// The syllables searched, most discriminative first.
    pub kept: Vec<String>,
}

/// A compiled query.
pub struct Compiled {
    /// What matches, and its base score.
    pub query: Box<dyn Query>,
    /// Ranking levels, highest first, each a list of alternatives: a match reaching a
    /// level (matching one of its alternatives) ranks above every match reaching only
    /// lower ones, and the score of every alternative it matches is added to its own.
    /// Alternatives are phrases, terms or conjunctions of them, so that whether one
    /// document matches is checked at that document alone (tantivy's `seek_danger`)
    /// rather than by walking the phrase's matches. Empty for long queries, relaxed ones
    /// and sorting by date.
    pub levels: Vec<Vec<Box<dyn Query>>>,
    /// The adjacency bonus of long queries (pairs of words found next to each other, in
    /// title or body: one query each, scores summed), added to the score of the best
    /// base matches only: it never changes what matches, and evaluating positions for
    /// every match of common words cost more than the rest of the search (see the
    /// engine's rerank window).
    pub bonus: Vec<Box<dyn Query>>,
    /// What snippets should mark.
    pub highlight: Highlight,
    /// Set when the query was too long and was reduced.
    pub reduced: Option<Reduced>,
    /// The expansions applied.
    pub expanded: Vec<Expansion>,
}

fn field_query<S: AsRef<str>>(field: Field, tokens: &[S]) -> Box<dyn Query> {
    if let [one] = tokens {
        Box::new(TermQuery::new(
            Term::from_field_text(field, one.as_ref()),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        let terms = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (i, Term::from_field_text(field, t.as_ref())))
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

/// Any of `subs` ([`AnyOf`]: a `BooleanQuery` of `Should` clauses, with less
/// bookkeeping on a seek).
fn any_of(subs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(AnyOf::new(subs))
}

fn all_of(subs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        subs.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// A syllable sequence in title (boosted) or body of one view.
fn text_query<S: AsRef<str>>(forms: &[S], f: &Fields, view: View) -> Box<dyn Query> {
    any_of(text_leaves(forms, f, view))
}

/// The two alternatives of [`text_query`]: the title (boosted) and the body.
fn text_leaves<S: AsRef<str>>(forms: &[S], f: &Fields, view: View) -> Vec<Box<dyn Query>> {
    vec![
        boosted(field_query(view.title(f), forms), TITLE_BOOST),
        body_query(forms, f, view),
    ]
}

/// A syllable sequence in the body of one view: a two-syllable word of the lexicon
/// from the pair field (same documents and scores as the phrase, no positions read),
/// else [`field_query`].
fn body_query<S: AsRef<str>>(forms: &[S], f: &Fields, view: View) -> Box<dyn Query> {
    match forms {
        [a, b] if crate::analysis::is_pair_word(a.as_ref(), b.as_ref(), view == View::Folded) => {
            Box::new(super::pairs::PairQuery::new(
                view.body(f),
                view.body_pairs(f),
                a.as_ref(),
                b.as_ref(),
            ))
        }
        _ => field_query(view.body(f), forms),
    }
}

fn view_forms(syls: &[Syllable], view: View) -> Vec<&str> {
    syls.iter().map(|s| view.form(s)).collect()
}

fn exact_number_query(word: &str, f: &Fields) -> Box<dyn Query> {
    let key = crate::document::references::fold_number(word);
    let term = |field| TermQuery::new(Term::from_field_text(field, &key), IndexRecordOption::Basic);
    any_of(vec![
        boosted(Box::new(term(f.number_fold)), NUMBER_BOOST),
        boosted(Box::new(term(f.refs)), REF_BOOST),
    ])
}

/// The other i/y spelling of a folded syllable sequence, if it has one.
///
/// The accented view respells toned *i* as *y* after k, l, m, t, s (`kĩ` → `kỹ`, spec
/// step 6), and folding keeps the *y*: *sĩ quan* is folded `sy quan`. A person typing
/// without accents writes either (`si quan`, `ki thuat`), so a folded query also
/// searches the other spelling of such syllables (`si` ↔ `sy`, `ky` ↔ `ki`).
fn iy_variant(forms: &[&str], view: View) -> Option<Vec<String>> {
    if view != View::Folded {
        return None;
    }
    let swap = |s: &str| -> Option<String> {
        let b = s.as_bytes();
        match b {
            [c @ (b'k' | b'l' | b'm' | b't' | b's'), v @ (b'i' | b'y')] => Some(format!(
                "{}{}",
                *c as char,
                if *v == b'i' { 'y' } else { 'i' }
            )),
            _ => None,
        }
    };
    let mut changed = false;
    let out = forms
        .iter()
        .map(|s| match swap(s) {
            Some(o) => {
                changed = true;
                o
            }
            None => (*s).to_string(),
        })
        .collect();
    changed.then_some(out)
}

/// The query of one word or phrase text: its syllables in the view, and, for a word
/// that looks like a document number, the exact number fields.
fn words_query(
    text: &str,
    syls: &[Syllable],
    is_word: bool,
    f: &Fields,
    view: View,
) -> Box<dyn Query> {
    let forms = view_forms(syls, view);
    let q = match iy_variant(&forms, view) {
        Some(other) => any_of(vec![
            text_query(&forms, f, view),
            text_query(&other, f, view),
        ]),
        None => text_query(&forms, f, view),
    };
    if is_word && number::looks_like_number(text) {
        any_of(vec![q, exact_number_query(text, f)])
    } else {
        q
    }
}

/// Compiles a clause of the query's structure (a phrase, an alternative, an
/// exclusion's inner clause); `None` when it has nothing searchable.
fn clause_query(
    c: &Clause,
    f: &Fields,
    view: View,
    hl: Option<&mut Highlight>,
) -> Option<Box<dyn Query>> {
    match c {
        Clause::Word(w) | Clause::Phrase(w) => {
            let syls = syllables(w);
            if syls.is_empty() {
                return None;
            }
            if let Some(hl) = hl {
                hl.add(&syls, view);
            }
            Some(words_query(w, &syls, matches!(c, Clause::Word(_)), f, view))
        }
        Clause::Not(inner) => clause_query(inner, f, view, None),
        Clause::Or(alts) => {
            let mut hl = hl;
            let subs: Vec<Box<dyn Query>> = alts
                .iter()
                .filter_map(|a| clause_query(a, f, view, hl.as_deref_mut()))
                .collect();
            (!subs.is_empty()).then(|| any_of(subs))
        }
    }
}

/// A positive word or phrase of the query with its syllables.
struct Item<'a> {
    clause: &'a Clause,
    text: &'a str,
    syls: Vec<Syllable>,
}

impl Item<'_> {
    fn is_word(&self) -> bool {
        matches!(self.clause, Clause::Word(_))
    }
}

/// Compiles a parsed query; `Ok(None)` for an empty query (match everything).
///
/// `searcher` supplies document frequencies for the reduction of long queries.
pub fn compile(
    parsed: &ParsedQuery,
    searcher: &Searcher,
    f: &Fields,
    opts: &CompileOptions,
) -> Result<Option<Compiled>> {
    if parsed.clauses.is_empty() {
        return Ok(None);
    }
    let view = opts.view;
    let mut hl = Highlight {
        accented: view == View::Accented,
        ..Highlight::default()
    };
    let Gathered {
        excluded,
        alternatives,
        items,
        breaks,
    } = gather(parsed, f, view, &mut hl);
    if items.is_empty() && alternatives.is_empty() {
        return Err(Error::Query {
            position: 0,
            message: "the query has no word to search for (only punctuation or exclusions)".into(),
        });
    }
    let distinct: HashSet<&str> = items
        .iter()
        .filter(|i| i.is_word() && !number::looks_like_number(i.text))
        .flat_map(|i| i.syls.iter().map(|s| view.form(s)))
        .collect();
    let words = items.iter().filter(|i| i.is_word()).count();
    if distinct.len() > MAX_TERMS || words > 2 * MAX_TERMS {
        return reduce(&items, excluded, alternatives, searcher, f, view, hl).map(Some);
    }

    let runs = word_runs(&items, &breaks);
    let covered = covered_runs(&items, &runs, view);
    // The restored spelling of a folded query scores where it is found.
    let suggestion = opts.suggestion.as_ref().filter(|s| {
        view == View::Folded && s.len() == items.iter().map(|i| i.syls.len()).sum::<usize>()
    });
    let respelled = suggestion.map_or_else(Vec::new, |sugg| respellings(&items, sugg));
    // A plain word's restored spelling joins the word's clause; the others (phrases,
    // expanded words) score as optional clauses.
    let joined: HashMap<usize, &[String]> = respelled
        .iter()
        .filter(|(i, forms)| joins_its_word(*i, &items[*i], forms, &covered))
        .copied()
        .collect();
    let Required {
        required,
        expanded,
        typed_forms,
    } = required_clauses(&items, covered, alternatives, &joined, f, opts, &mut hl);
    let optional: Vec<Box<dyn Query>> = respelled
        .iter()
        .filter(|(i, _)| !joined.contains_key(i))
        .map(|(_, forms)| boosted(text_query(forms, f, View::Accented), SUGGESTION_BOOST))
        .collect();

    let Ranking { levels, bonus } = if opts.any {
        Ranking {
            levels: Vec::new(),
            bonus: pair_bonus(&runs, &items, f, view),
        }
    } else {
        ranking(parsed, &items, &runs, suggestion, typed_forms, f, view)
    };

    let occur = if opts.any { Occur::Should } else { Occur::Must };
    let mut subs: Vec<(Occur, Box<dyn Query>)> = required.into_iter().map(|q| (occur, q)).collect();
    subs.extend(optional.into_iter().map(|q| (Occur::Should, q)));
    subs.extend(excluded.into_iter().map(|q| (Occur::MustNot, q)));
    Ok(Some(Compiled {
        query: Box::new(BooleanQuery::new(subs)),
        levels,
        bonus,
        highlight: hl,
        reduced: None,
        expanded,
    }))
}

/// The clauses of a query sorted out: exclusions and alternatives compiled as typed,
/// words and phrases gathered (for expansions, reduction and levels).
struct Gathered<'a> {
    excluded: Vec<Box<dyn Query>>,
    alternatives: Vec<Box<dyn Query>>,
    items: Vec<Item<'a>>,
    /// Run boundaries: an item index where a new run of plain words starts.
    breaks: HashSet<usize>,
}

/// Sorts out the clauses of `parsed` (see [`Gathered`]); alternatives add to `hl`.
fn gather<'a>(parsed: &'a ParsedQuery, f: &Fields, view: View, hl: &mut Highlight) -> Gathered<'a> {
    let mut excluded: Vec<Box<dyn Query>> = Vec::new();
    let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut breaks: HashSet<usize> = HashSet::new();
    for c in &parsed.clauses {
        match c {
            Clause::Word(w) | Clause::Phrase(w) => {
                let syls = syllables(w);
                if syls.is_empty() {
                    continue;
                }
                if matches!(c, Clause::Phrase(_)) {
                    breaks.insert(items.len());
                    breaks.insert(items.len() + 1);
                }
                items.push(Item {
                    clause: c,
                    text: w,
                    syls,
                });
            }
            Clause::Not(_) => {
                breaks.insert(items.len());
                if let Some(q) = clause_query(c, f, view, None) {
                    excluded.push(Box::new(ForwardSeekOnly(q)));
                }
            }
            Clause::Or(_) => {
                breaks.insert(items.len());
                if let Some(q) = clause_query(c, f, view, Some(hl)) {
                    alternatives.push(q);
                }
            }
        }
    }
    Gathered {
        excluded,
        alternatives,
        items,
        breaks,
    }
}

/// The expansions of each run of words that fall on word boundaries: by the index
/// of the first item covered, the number of items covered and the expansion.
fn covered_runs(
    items: &[Item],
    runs: &[Vec<usize>],
    view: View,
) -> HashMap<usize, (usize, Expansion)> {
    let mut covered: HashMap<usize, (usize, Expansion)> = HashMap::new();
    for run in runs {
        let mut flat: Vec<Syllable> = Vec::new();
        let mut starts: Vec<usize> = Vec::new();
        for &i in run {
            starts.push(flat.len());
            flat.extend(items[i].syls.iter().cloned());
        }
        for e in expand::find(&flat, view == View::Accented) {
            let (Some(a), Some(b)) = (
                starts.iter().position(|&s| s == e.start),
                starts
                    .iter()
                    .position(|&s| s == e.start + e.len)
                    .or((e.start + e.len == flat.len()).then_some(run.len())),
            ) else {
                continue; // Not on word boundaries.
            };
            covered.insert(run[a], (b - a, e));
        }
    }
    covered
}

/// The required clauses of a query's words and phrases, with the expansions used and
/// the typed forms of the words they cover.
struct Required {
    required: Vec<Box<dyn Query>>,
    expanded: Vec<Expansion>,
    typed_forms: Vec<Box<dyn Query>>,
}

/// Words and phrases: one required clause each (after the `alternatives`); a run of
/// words covered by an expansion becomes one clause (the typed form or an expansion).
fn required_clauses(
    items: &[Item],
    mut covered: HashMap<usize, (usize, Expansion)>,
    alternatives: Vec<Box<dyn Query>>,
    joined: &HashMap<usize, &[String]>,
    f: &Fields,
    opts: &CompileOptions,
    hl: &mut Highlight,
) -> Required {
    let view = opts.view;
    let mut required: Vec<Box<dyn Query>> = alternatives;
    let mut expanded: Vec<Expansion> = Vec::new();
    let mut typed_forms: Vec<Box<dyn Query>> = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let item = &items[i];
        if let Some((n, e)) = covered.remove(&i) {
            for it in &items[i..i + n] {
                hl.add(&it.syls, view);
            }
            // The words as typed (each required, as without the expansion), or an
            // expansion as a phrase; relaxed, each word and each expansion may match.
            let words: Vec<Box<dyn Query>> = items[i..i + n]
                .iter()
                .map(|it| words_query(it.text, &it.syls, true, f, view))
                .collect();
            let typed = all_of(words.iter().map(|q| q.box_clone()).collect());
            typed_forms.push(typed.box_clone());
            let mut alts = if opts.any { words } else { vec![typed] };
            for alt in &e.alternatives {
                hl.add(alt, view);
                alts.push(boosted(
                    text_query(&view_forms(alt, view), f, view),
                    EXPANSION_BOOST,
                ));
            }
            if opts.any {
                required.extend(alts);
            } else {
                required.push(any_of(alts));
            }
            expanded.push(e);
            i += n;
            continue;
        }
        hl.add(&item.syls, view);
        required.push(match joined.get(&i) {
            Some(forms) => word_with_respelling(&item.syls, forms, f),
            None => words_query(item.text, &item.syls, item.is_word(), f, view),
        });
        i += 1;
    }
    Required {
        required,
        expanded,
        typed_forms,
    }
}

/// The restored spelling `sugg` of a folded query, word by word: the index of each
/// item it respells and that item's accented forms.
fn respellings<'s>(items: &[Item], sugg: &'s [String]) -> Vec<(usize, &'s [String])> {
    let mut out = Vec::new();
    let mut at = 0;
    for (i, item) in items.iter().enumerate() {
        let forms = &sugg[at..at + item.syls.len()];
        at += item.syls.len();
        if forms.iter().zip(&item.syls).any(|(s, syl)| *s != syl.1) {
            out.push((i, forms));
        }
    }
    out
}

/// Whether the restored spelling `forms` of item `i` of a folded query joins the
/// item's own clause ([`word_with_respelling`]): the item is a plain one-syllable
/// word, not a number, with no other i/y spelling, outside the runs an expansion
/// covers, and the spelling folds back to it.
fn joins_its_word(
    i: usize,
    item: &Item,
    forms: &[String],
    covered: &HashMap<usize, (usize, Expansion)>,
) -> bool {
    let plain = item.is_word()
        && item.syls.len() == 1
        && !number::looks_like_number(item.text)
        && iy_variant(&view_forms(&item.syls, View::Folded), View::Folded).is_none();
    let expanded = covered
        .iter()
        .any(|(start, (n, _))| (*start..start + n).contains(&i));
    plain && !expanded && folds_to(forms, &item.syls)
}

/// Whether accented `forms` fold to the folded syllables `syls` as the index folds
/// its tokens, so that whatever they match, `syls` match too.
fn folds_to(forms: &[String], syls: &[Syllable]) -> bool {
    let mut folded = String::new();
    forms.len() == syls.len()
        && forms.iter().zip(syls).all(|(form, syl)| {
            folded.clear();
            crate::analysis::fold_token_into(form, &mut folded);
            folded == syl.1
        })
}

/// A plain word of a folded query (`syls`, one syllable) and its restored spelling
/// `forms` as one clause: the word's title and body leaves and the spelling's,
/// weighted by [`SUGGESTION_BOOST`], in one union. The spelling folds to the word,
/// so the union matches what the word alone matches, and scores what the word's
/// clause plus an optional clause of the spelling would, up to the order in which
/// floats are added. One union instead of a required and an optional one costs
/// about 12 % less on unaccented queries (`benches/search_cost.rs`).
fn word_with_respelling(syls: &[Syllable], forms: &[String], f: &Fields) -> Box<dyn Query> {
    let mut leaves = text_leaves(&view_forms(syls, View::Folded), f, View::Folded);
    leaves.extend(
        text_leaves(forms, f, View::Accented)
            .into_iter()
            .map(|q| boosted(q, SUGGESTION_BOOST)),
    );
    any_of(leaves)
}

/// The ranking levels and adjacency bonus of a query (see [`Compiled`]).
struct Ranking {
    levels: Vec<Vec<Box<dyn Query>>>,
    bonus: Vec<Box<dyn Query>>,
}

/// The ranking levels and adjacency bonus of a query requiring every word: its
/// document number, then the name and proximity levels of each spelling (the
/// restored one `suggestion`, the typed one, the other i/y one), then the
/// `typed_forms` of expanded words.
fn ranking(
    parsed: &ParsedQuery,
    items: &[Item],
    runs: &[Vec<usize>],
    suggestion: Option<&Vec<String>>,
    typed_forms: Vec<Box<dyn Query>>,
    f: &Fields,
    view: View,
) -> Ranking {
    let total: usize = items.iter().map(|i| i.syls.len()).sum();
    let mut levels: Vec<Vec<Box<dyn Query>>> = Vec::new();
    let mut bonus: Vec<Box<dyn Query>> = Vec::new();
    levels.extend(number_level(items, f));
    // Runs of single-syllable words, for proximity.
    let adjacent: Vec<Vec<usize>> = runs
        .iter()
        .map(|r| {
            r.iter()
                .copied()
                .filter(|&i| items[i].syls.len() == 1)
                .collect::<Vec<_>>()
        })
        .filter(|r: &Vec<usize>| r.len() >= 2)
        .collect();
    let flat_index = |i: usize| -> usize { items[..i].iter().map(|it| it.syls.len()).sum() };
    let short = total <= MAX_PROXIMITY_SYLLABLES && !adjacent.is_empty();
    // The name and proximity levels of one spelling (`forms`, one per syllable).
    let spelled = |forms: &[&str], view: View| -> Vec<Vec<Box<dyn Query>>> {
        let mut out: Vec<Vec<Box<dyn Query>>> = name_levels(parsed, forms, f, view)
            .into_iter()
            .map(|l| vec![l])
            .collect();
        if short {
            let mut runs: Vec<Vec<Box<dyn Query>>> = adjacent
                .iter()
                .map(|r| {
                    let run: Vec<&str> = r.iter().map(|&i| forms[flat_index(i)]).collect();
                    text_leaves(&run, f, view)
                })
                .collect();
            // One run (the usual case): its title and body phrases are the
            // alternatives; several: all of them, each in title or body.
            out.push(if runs.len() == 1 {
                runs.remove(0)
            } else {
                vec![all_of(runs.into_iter().map(any_of).collect())]
            });
        }
        out
    };
    // An unaccented query: the likeliest spelling first, then any spelling.
    if let Some(sugg) = suggestion {
        let forms: Vec<&str> = sugg.iter().map(String::as_str).collect();
        levels.extend(spelled(&forms, View::Accented));
    }
    let forms: Vec<&str> = items
        .iter()
        .flat_map(|i| i.syls.iter().map(|s| view.form(s)))
        .collect();
    levels.extend(spelled(&forms, view));
    // The other i/y spelling (`si quan` for *sỹ quan*), after the one typed.
    if let Some(other) = iy_variant(&forms, view) {
        let other: Vec<&str> = other.iter().map(String::as_str).collect();
        levels.extend(spelled(&other, view));
    }
    if !short {
        bonus = pair_bonus(runs, items, f, view);
    }
    // What was typed ranks above what it was expanded to.
    if !typed_forms.is_empty() {
        levels.push(vec![all_of(typed_forms)]);
    }
    Ranking { levels, bonus }
}

/// The adjacency bonus of long or relaxed queries: every pair of consecutive
/// single-syllable words found together (a sequential dependence model: pairs, not
/// the whole run, which a question never matches as a phrase).
fn pair_bonus(runs: &[Vec<usize>], items: &[Item], f: &Fields, view: View) -> Vec<Box<dyn Query>> {
    let mut seen: HashSet<[&str; 2]> = HashSet::new();
    let mut out = Vec::new();
    for run in runs {
        for w in run.windows(2) {
            let (a, b) = (&items[w[0]], &items[w[1]]);
            if a.syls.len() != 1 || b.syls.len() != 1 {
                continue;
            }
            let pair = [view.form(&a.syls[0]), view.form(&b.syls[0])];
            if seen.len() < MAX_TERMS && seen.insert(pair) {
                out.extend(adjacency_leaves(&pair, f, view));
            }
        }
    }
    out
}

/// The bonus of a pair of syllables found together: in the title, in the body.
fn adjacency_leaves(pair: &[&str; 2], f: &Fields, view: View) -> Vec<Box<dyn Query>> {
    text_leaves(pair, f, view)
        .into_iter()
        .map(|q| boosted(q, ADJACENCY_BOOST))
        .collect()
}

/// Consecutive plain words (item indexes), broken by phrases, alternatives and
/// exclusions.
fn word_runs(items: &[Item], breaks: &HashSet<usize>) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if (breaks.contains(&i) || !item.is_word()) && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        if item.is_word() {
            current.push(i);
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// A four-digit year a person may add to a name (`Luật Đất đai 2013`).
fn as_year(s: &str) -> Option<u64> {
    let y: u64 = s.parse().ok()?;
    (s.len() == 4 && (1900..=2099).contains(&y)).then_some(y)
}

/// The level of a query holding a document number: the document whose own number it is.
fn number_level(items: &[Item], f: &Fields) -> Option<Vec<Box<dyn Query>>> {
    let numbers: Vec<Box<dyn Query>> = items
        .iter()
        .filter(|i| i.is_word() && number::looks_like_number(i.text))
        .map(|i| {
            Box::new(TermQuery::new(
                Term::from_field_text(
                    f.number_fold,
                    &crate::document::references::fold_number(i.text),
                ),
                IndexRecordOption::Basic,
            )) as Box<dyn Query>
        })
        .collect();
    (!numbers.is_empty()).then_some(numbers)
}

/// The levels of a query naming a document, spelled `forms` (one per syllable) in
/// `view`: its name with the year, its whole name (an original first), the start of
/// its name (an original first).
fn name_levels(
    parsed: &ParsedQuery,
    forms: &[&str],
    f: &Fields,
    view: View,
) -> Vec<Box<dyn Query>> {
    let mut levels = Vec::new();
    let structured = parsed
        .clauses
        .iter()
        .any(|c| matches!(c, Clause::Or(_) | Clause::Not(_)));
    let mut seq: Vec<&str> = forms.to_vec();
    if structured || seq.len() < 2 || seq.len() > MAX_NAME_SYLLABLES {
        return levels;
    }
    let mut year = None;
    if seq.len() >= 3 {
        if let Some(y) = seq.last().and_then(|s| as_year(s)) {
            year = Some(y);
            seq.pop();
        } else if let Some(y) = seq.first().and_then(|s| as_year(s)) {
            year = Some(y);
            seq.remove(0);
        }
    }
    let name = view.name(f);
    let anchored = |end: bool| -> Box<dyn Query> {
        let mut forms: Vec<&str> = Vec::with_capacity(seq.len() + 2);
        forms.push(NAME_START);
        forms.extend(seq.iter().copied());
        if end {
            forms.push(NAME_END);
        }
        field_query(name, &forms)
    };
    // A document read with its own number and date is the original; a republication
    // (a Công báo issue, a consolidated text) of the same name ranks after it.
    let original = || -> Box<dyn Query> {
        all_of(vec![
            Box::new(ExistsQuery::new(names::NUMBER_FOLD.into(), false)),
            Box::new(ExistsQuery::new(names::DATE.into(), false)),
        ])
    };
    if let Some(y) = year {
        levels.push(all_of(vec![
            anchored(true),
            Box::new(TermQuery::new(
                Term::from_field_u64(f.year, y),
                IndexRecordOption::Basic,
            )),
        ]));
    }
    levels.push(all_of(vec![anchored(true), original()]));
    levels.push(anchored(true));
    levels.push(all_of(vec![anchored(false), original()]));
    levels.push(anchored(false));
    levels
}

/// A long query reduced to its [`MAX_TERMS`] most discriminative syllables (highest
/// inverse document frequency in the view's body; syllables no document has are
/// dropped), any of which may match; adjacent kept syllables score a bonus. Numbers,
/// phrases and alternatives are kept as typed, exclusions still exclude.
fn reduce(
    items: &[Item],
    excluded: Vec<Box<dyn Query>>,
    alternatives: Vec<Box<dyn Query>>,
    searcher: &Searcher,
    f: &Fields,
    view: View,
    mut hl: Highlight,
) -> Result<Compiled> {
    let body = view.body(f);
    let n = searcher.num_docs() as f64;
    let mut order: Vec<&str> = Vec::new();
    let mut idf: HashMap<&str, f64> = HashMap::new();
    let mut optional: Vec<Box<dyn Query>> = alternatives;
    for item in items {
        if !item.is_word() || number::looks_like_number(item.text) {
            hl.add(&item.syls, view);
            optional.push(words_query(item.text, &item.syls, item.is_word(), f, view));
            continue;
        }
        for s in &item.syls {
            let form = view.form(s);
            if let std::collections::hash_map::Entry::Vacant(e) = idf.entry(form) {
                let df = searcher.doc_freq(&Term::from_field_text(body, form))? as f64;
                e.insert(if df == 0.0 {
                    f64::NEG_INFINITY
                } else {
                    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
                });
                order.push(form);
            }
        }
    }
    let syllables = order.len();
    let mut ranked: Vec<&str> = order.into_iter().filter(|s| idf[s].is_finite()).collect();
    ranked.sort_by(|a, b| idf[b].total_cmp(&idf[a]));
    ranked.truncate(MAX_TERMS);
    let kept: HashSet<&str> = ranked.iter().copied().collect();
    for s in &ranked {
        hl.terms.insert((*s).to_string());
        optional.push(text_query(&[*s], f, view));
    }
    // Adjacent pairs of kept syllables, in the order typed.
    let mut pairs: Vec<[&str; 2]> = Vec::new();
    let mut seen: HashSet<[&str; 2]> = HashSet::new();
    for item in items.iter().filter(|i| i.is_word()) {
        for w in item.syls.windows(2) {
            let pair = [view.form(&w[0]), view.form(&w[1])];
            if kept.contains(pair[0]) && kept.contains(pair[1]) && seen.insert(pair) {
                pairs.push(pair);
            }
        }
    }
    let mut words = items
        .iter()
        .filter(|i| i.is_word() && i.syls.len() == 1)
        .peekable();
    while let Some(a) = words.next() {
        if let Some(b) = words.peek() {
            let pair = [view.form(&a.syls[0]), view.form(&b.syls[0])];
            if kept.contains(pair[0]) && kept.contains(pair[1]) && seen.insert(pair) {
                pairs.push(pair);
            }
        }
    }
    pairs.truncate(MAX_TERMS);
    let bonus: Vec<Box<dyn Query>> = pairs
        .iter()
        .flat_map(|p| adjacency_leaves(p, f, view))
        .collect();
    if optional.is_empty() {
        // No word of the query occurs in the corpus: nothing matches.
        optional.push(Box::new(EmptyQuery));
    }
    let mut subs: Vec<(Occur, Box<dyn Query>)> =
        optional.into_iter().map(|q| (Occur::Should, q)).collect();
    subs.extend(excluded.into_iter().map(|q| (Occur::MustNot, q)));
    Ok(Compiled {
        query: Box::new(BooleanQuery::new(subs)),
        levels: Vec::new(),
        bonus,
        highlight: hl,
        reduced: Some(Reduced {
            syllables,
            kept: ranked.iter().map(|s| (*s).to_string()).collect(),
        }),
        expanded: Vec::new(),
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::DocAddress;

    /// Every match of `q` with its score, by address.
    fn scored(searcher: &Searcher, q: &dyn Query) -> Vec<(DocAddress, f32)> {
        let mut out: Vec<(DocAddress, f32)> = searcher
            .search(q, &TopDocs::with_limit(1_000).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(s, a)| (a, s))
            .collect();
        out.sort_by_key(|&(a, _)| a);
        out
    }

    #[test]
    fn a_restored_spelling_joined_to_its_word_matches_and_scores_as_an_optional_clause() {
        let index = tantivy::Index::create_in_ram(crate::index::build_schema());
        crate::analysis::register(&index);
        let f = Fields::from_schema(&index.schema()).unwrap();
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let u = crate::document::Understander::new();
        let texts = [
            "Đầu tư công năm 2024.\n\nKế hoạch đầu tư công trung hạn, đầu tư xây dựng.",
            "Giá dầu tăng\n\nGiá dầu thô và dầu ăn tăng; tư thương đầu cơ.",
            "Đau đầu vì tù tội\n\nNgười tù bị đau đầu.",
            "Dấu ấn tư nhân\n\nKhu vực tư nhân để lại dấu ấn; đầu tư tư nhân tăng.",
            "Một văn bản khác\n\nKhông có từ nào cần tìm ở đây.",
        ];
        for (i, t) in texts.iter().enumerate() {
            let id = format!("d{i}");
            writer
                .add_document(f.to_document(&id, &id, "h", u.understand(t)))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();

        let parsed = crate::query::parse("dau tu").unwrap();
        let sugg = vec!["đầu".to_string(), "tư".to_string()];
        let opts = CompileOptions {
            view: View::Folded,
            any: false,
            suggestion: Some(sugg.clone()),
        };
        let compiled = compile(&parsed, &searcher, &f, &opts).unwrap().unwrap();
        // The same query with each restored word as an optional clause of its own.
        let word = |w: &str| words_query(w, &syllables(w), true, &f, View::Folded);
        let spelling = |s: &str| boosted(text_query(&[s], &f, View::Accented), SUGGESTION_BOOST);
        let apart = BooleanQuery::new(vec![
            (Occur::Must, word("dau")),
            (Occur::Must, word("tu")),
            (Occur::Should, spelling(&sugg[0])),
            (Occur::Should, spelling(&sugg[1])),
        ]);
        let (joined, apart) = (
            scored(&searcher, &*compiled.query),
            scored(&searcher, &apart),
        );
        assert!(joined.len() >= 3, "{joined:?}");
        assert_eq!(
            joined.iter().map(|m| m.0).collect::<Vec<_>>(),
            apart.iter().map(|m| m.0).collect::<Vec<_>>()
        );
        for ((a, x), (_, y)) in joined.iter().zip(&apart) {
            assert!((x - y).abs() <= 1e-5 * y.abs(), "{a:?}: {x} against {y}");
        }
        // Both words were joined: no optional clause is left.
        let items: Vec<Item> = parsed
            .clauses
            .iter()
            .map(|c| match c {
                Clause::Word(w) => Item {
                    clause: c,
                    text: w,
                    syls: syllables(w),
                },
                other => panic!("{other:?}"),
            })
            .collect();
        for (i, item) in items.iter().enumerate() {
            assert!(joins_its_word(i, item, &sugg[i..=i], &HashMap::new()));
        }
    }
}
