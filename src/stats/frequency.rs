//! Term and phrase frequency from the postings: occurrences, document frequency
//! and rate per 10,000 syllables, overall and grouped by a metadata field.
//!
//! A term is analysed as search analyses it ([`crate::query::syllables`]):
//! typed without any diacritic it is counted in the folded field `body_f` (so
//! "chuyen doi so" counts every accented spelling), with diacritics in the accented
//! field `body` (exactly that spelling). Several syllables form a phrase: an
//! occurrence is a position where every syllable follows the previous one
//! (overlapping occurrences each count, as in "a a" within "a a a": 2). Counts are
//! exact: they come from the postings of each segment, restricted to the
//! subcorpus's live documents. Only the body is counted (titles are not).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::columnar::{Column, StrColumn};
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet as _, Searcher, SegmentReader, Term, TERMINATED};

use super::subcorpus::{SegmentDocs, Subcorpus};
use super::{rate, GroupBy};
use crate::index::schema::names;
use crate::query::{syllables, Engine};
use crate::table::{Cell, CsvTable, RowSink};
use crate::{analysis, Error, Result};

/// A term or phrase analysed for counting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// What the user typed.
    pub text: String,
    /// The syllables looked up, in the view of [`Pattern::field_name`].
    pub syllables: Vec<String>,
    /// `body` (accented) or `body_f` (folded).
    pub field_name: &'static str,
    field: Field,
}

impl Pattern {
    /// Analyses `term` against the engine's schema.
    pub fn new(engine: &Engine, term: &str) -> Result<Pattern> {
        let syls = syllables(term);
        if syls.is_empty() {
            return Err(Error::InvalidParameter {
                name: "term".into(),
                message: format!("{term:?} has no syllable to count"),
            });
        }
        let f = engine.fields();
        let accented = analysis::has_diacritics(term);
        let (field, field_name) = if accented {
            (f.body, names::BODY)
        } else {
            (f.body_folded, names::BODY_FOLDED)
        };
        Ok(Pattern {
            text: term.to_string(),
            syllables: syls
                .into_iter()
                .map(|(a, f)| if accented { a } else { f })
                .collect(),
            field_name,
            field,
        })
    }

    /// Calls `each(doc, starts)` for every subcorpus document of the segment where
    /// the pattern occurs, with the start position of each occurrence (ascending).
    pub fn for_each_match(
        &self,
        segment: &SegmentReader,
        docs: &SegmentDocs,
        each: &mut dyn FnMut(DocId, &[u32]),
    ) -> Result<()> {
        let inv = segment.inverted_index(self.field)?;
        let mut lists = Vec::with_capacity(self.syllables.len());
        for s in &self.syllables {
            let term = Term::from_field_text(self.field, s);
            match inv
                .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
                .map_err(tantivy::TantivyError::from)?
            {
                Some(p) => lists.push(p),
                None => return Ok(()),
            }
        }
        let Some((first, rest)) = lists.split_first_mut() else {
            return Ok(());
        };
        let (mut starts, mut buf) = (Vec::new(), Vec::new());
        let mut doc = first.doc();
        while doc != TERMINATED {
            if docs.contains(doc)
                && rest
                    .iter_mut()
                    .all(|p| p.doc() == doc || (p.doc() < doc && p.seek(doc) == doc))
            {
                starts.clear();
                first.positions(&mut starts);
                for (i, p) in rest.iter_mut().enumerate() {
                    buf.clear();
                    p.positions(&mut buf);
                    let off = i as u32 + 1;
                    starts.retain(|s| buf.binary_search(&(s + off)).is_ok());
                }
                if !starts.is_empty() {
                    each(doc, &starts);
                }
            }
            doc = first.advance();
        }
        Ok(())
    }
}

/// A frequency request: a term in a subcorpus, optionally grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrequencyRequest {
    /// The subcorpus (query and filters).
    #[serde(flatten)]
    pub subcorpus: Subcorpus,
    /// The term or phrase to count.
    pub term: String,
    /// Grouping (default: none, only the total).
    #[serde(default)]
    pub group_by: GroupBy,
}

/// Counts of one group (or of the whole subcorpus).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrequencyRow {
    /// Group value (empty: documents without a value; `*` for the total row).
    pub group: String,
    /// Occurrences of the term.
    pub occurrences: u64,
    /// Documents containing the term.
    pub documents: u64,
    /// Occurrences per 10,000 syllables of the group.
    pub rate_per_10k: f64,
    /// Documents of the group.
    pub group_documents: u64,
    /// Syllables of the group.
    pub group_syllables: u64,
}

/// The answer to a [`FrequencyRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrequencyTable {
    /// The term as typed.
    pub term: String,
    /// The analysed syllables counted.
    pub syllables: Vec<String>,
    /// The field counted (`body` or `body_f`).
    pub field: &'static str,
    /// The grouping.
    pub group_by: GroupBy,
    /// The whole subcorpus.
    pub total: FrequencyRow,
    /// One row per group value present in the subcorpus. Years and months in
    /// order; other groups by occurrences, then name.
    pub groups: Vec<FrequencyRow>,
}

/// Running counts of one key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub occurrences: u64,
    pub documents: u64,
    pub group_documents: u64,
    pub group_syllables: u64,
}

impl Counts {
    pub fn row(&self, group: String) -> FrequencyRow {
        FrequencyRow {
            group,
            occurrences: self.occurrences,
            documents: self.documents,
            rate_per_10k: rate(self.occurrences, self.group_syllables),
            group_documents: self.group_documents,
            group_syllables: self.group_syllables,
        }
    }
}

/// Reads the group key(s) of a document from the fast fields.
pub(crate) enum KeyReader {
    /// One key for everything.
    All,
    /// A string column (multi-valued for themes).
    Str(Option<StrColumn>, BTreeMap<u64, String>),
    /// Year, as a string.
    Year(Option<Column<u64>>),
    /// `YYYY-MM` (or `YYYY` when `months` is false or the document has no month).
    Period {
        year: Option<Column<u64>>,
        month: Option<Column<u64>>,
        months: bool,
    },
}

impl KeyReader {
    pub fn new(segment: &SegmentReader, by: GroupBy) -> Result<KeyReader> {
        let ff = segment.fast_fields();
        let name = match by {
            GroupBy::None => return Ok(KeyReader::All),
            GroupBy::Year => return Ok(KeyReader::Year(ff.column_opt::<u64>(names::YEAR)?)),
            GroupBy::Month => return KeyReader::period(segment, true),
            GroupBy::Province => names::PROVINCE,
            GroupBy::ProvinceCurrent => names::PROVINCE_CURRENT,
            GroupBy::Level => names::LEVEL,
            GroupBy::Theme => names::THEMES,
            GroupBy::Type => names::TYPE,
            GroupBy::Issuer => names::ISSUER,
        };
        Ok(KeyReader::Str(ff.str(name)?, BTreeMap::new()))
    }

    pub fn period(segment: &SegmentReader, months: bool) -> Result<KeyReader> {
        let ff = segment.fast_fields();
        Ok(KeyReader::Period {
            year: ff.column_opt::<u64>(names::YEAR)?,
            month: ff.column_opt::<u64>(names::MONTH)?,
            months,
        })
    }

    /// Appends the keys of `doc` to `out` (at least one; empty string: no value).
    pub fn keys(&mut self, doc: DocId, out: &mut Vec<String>) {
        let before = out.len();
        match self {
            KeyReader::All => out.push(String::new()),
            KeyReader::Str(col, cache) => {
                if let Some(col) = col {
                    for ord in col.term_ords(doc) {
                        if let Some(s) = cache.get(&ord) {
                            out.push(s.clone());
                            continue;
                        }
                        let mut s = String::new();
                        if col.ord_to_str(ord, &mut s).unwrap_or(false) {
                            cache.insert(ord, s.clone());
                            out.push(s);
                        }
                    }
                }
            }
            KeyReader::Year(col) => {
                if let Some(y) = col.as_ref().and_then(|c| c.first(doc)) {
                    out.push(y.to_string());
                }
            }
            KeyReader::Period {
                year,
                month,
                months,
            } => {
                if let Some(y) = year.as_ref().and_then(|c| c.first(doc)) {
                    match month
                        .as_ref()
                        .and_then(|c| c.first(doc))
                        .filter(|_| *months)
                    {
                        Some(m) => out.push(format!("{y:04}-{m:02}")),
                        None => out.push(format!("{y:04}")),
                    }
                }
            }
        }
        if out.len() == before {
            out.push(String::new());
        }
    }
}

/// Reads the keys of a document (made once per segment).
pub(crate) type KeysOf<K> = Box<dyn FnMut(DocId, &mut Vec<K>)>;
/// Makes a [`KeysOf`] for a segment.
pub(crate) type KeysFactory<'a, K> = dyn FnMut(&SegmentReader) -> Result<KeysOf<K>> + 'a;

/// Counts `pat` in the subcorpus, by the keys `make_keys` reads for each segment.
/// Returns the total and the counts per key (every key present in the subcorpus).
pub(crate) fn count_by<K: Ord + Clone>(
    searcher: &Searcher,
    docs: &super::DocSet,
    pat: &Pattern,
    make_keys: &mut KeysFactory<'_, K>,
) -> Result<(Counts, BTreeMap<K, Counts>)> {
    let mut total = Counts::default();
    let mut groups: BTreeMap<K, Counts> = BTreeMap::new();
    let mut keys = Vec::new();
    for (segment, sd) in searcher.segment_readers().iter().zip(docs.segments()) {
        let mut reader = make_keys(segment)?;
        for (&doc, &tokens) in sd.docs.iter().zip(&sd.tokens) {
            keys.clear();
            reader(doc, &mut keys);
            for k in &keys {
                let c = groups.entry(k.clone()).or_default();
                c.group_documents += 1;
                c.group_syllables += tokens;
            }
            total.group_documents += 1;
            total.group_syllables += tokens;
        }
        pat.for_each_match(segment, sd, &mut |doc, starts| {
            keys.clear();
            reader(doc, &mut keys);
            let n = starts.len() as u64;
            for k in &keys {
                let c = groups.entry(k.clone()).or_default();
                c.occurrences += n;
                c.documents += 1;
            }
            total.occurrences += n;
            total.documents += 1;
        })?;
    }
    Ok((total, groups))
}

/// Counts a term in a subcorpus, grouped as asked.
pub fn frequency(
    engine: &Engine,
    searcher: &Searcher,
    req: &FrequencyRequest,
) -> Result<FrequencyTable> {
    let pat = Pattern::new(engine, &req.term)?;
    let docs = req.subcorpus.resolve(engine, searcher)?;
    let by = req.group_by;
    let (total, groups) = count_by(searcher, &docs, &pat, &mut |seg| {
        let mut r = KeyReader::new(seg, by)?;
        Ok(Box::new(move |doc, out: &mut Vec<String>| r.keys(doc, out)))
    })?;
    let mut rows: Vec<FrequencyRow> = if by == GroupBy::None {
        Vec::new()
    } else {
        groups.into_iter().map(|(k, c)| c.row(k)).collect()
    };
    if !matches!(by, GroupBy::Year | GroupBy::Month) {
        rows.sort_by(|a, b| {
            b.occurrences
                .cmp(&a.occurrences)
                .then_with(|| a.group.cmp(&b.group))
        });
    }
    Ok(FrequencyTable {
        term: pat.text.clone(),
        syllables: pat.syllables.clone(),
        field: pat.field_name,
        group_by: by,
        total: total.row("*".into()),
        groups: rows,
    })
}

/// The CSV `group` of the total row (the JSON's `total.group` is `*`), as the
/// statistics page labels it.
const TOTAL_LABEL: &str = "Tổng";
/// The CSV `group` of documents without a value of the grouping field (the JSON's
/// `group` is empty), as the statistics page labels it.
const NO_VALUE_LABEL: &str = "(không có)";

impl CsvTable for FrequencyTable {
    fn columns(&self) -> Vec<&'static str> {
        vec![
            "term",
            "group_by",
            "group",
            "occurrences",
            "documents",
            "rate_per_10k",
            "group_documents",
            "group_syllables",
        ]
    }

    /// The total row first, its group labelled `Tổng`; documents without a
    /// value of the grouping field are labelled `(không có)`, as on the page
    /// (the JSON keeps `*` and the empty string).
    fn write_rows(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        let total = std::iter::once((TOTAL_LABEL, &self.total));
        let groups = self.groups.iter().map(|r| {
            let label = if r.group.is_empty() {
                NO_VALUE_LABEL
            } else {
                r.group.as_str()
            };
            (label, r)
        });
        for (label, r) in total.chain(groups) {
            sink.row(&[
                Cell::Text(&self.term),
                Cell::Text(self.group_by.name()),
                Cell::Text(label),
                Cell::Int(r.occurrences),
                Cell::Int(r.documents),
                Cell::Float(r.rate_per_10k),
                Cell::Int(r.group_documents),
                Cell::Int(r.group_syllables),
            ])?;
        }
        Ok(())
    }
}
