//! Document numbers across the corpus: which keys exist (for autocomplete), which
//! documents cite a key, and which documents carry it as their own number.
//!
//! Keys are matched by their fold key ([`fold_number`]), so `136/KH-UBND`,
//! `136/kh-ubnd` and `136 / KH – UBND` are the same key.

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::postings::TermInfo;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DateTime, DocAddress, DocSet, InvertedIndexReader, Order, Searcher, SegmentReader,
    TantivyDocument, Term, TERMINATED,
};

use super::Engine;
use crate::document::references::fold_number;
use crate::document::Record;
use crate::index::schema::names;
use crate::index::Fields;
use crate::Result;

/// Most keys one look-up returns.
pub const MAX_KEYS: usize = 100;
/// Most documents per list one look-up returns.
pub const MAX_DOCUMENTS: usize = 1_000;

/// A document number present in the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyCount {
    /// The key as written in a document (canonical KEY) when one is known, else the fold key.
    pub key: String,
    /// The fold key.
    pub fold: String,
    /// Documents citing it.
    pub cited_by: u64,
    /// Documents whose own number it is.
    pub documents: u64,
}

/// A short description of a document, for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    /// Document id.
    pub id: String,
    /// Title (or, when the document has none, its first line).
    pub title: String,
    /// Own number.
    pub number: Option<String>,
    /// Issue date.
    pub date: Option<String>,
    /// Province at the time of issue.
    pub province: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// The sentences citing the key (for citing documents; empty otherwise).
    pub sentences: Vec<String>,
}

/// Everything the corpus says about one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyDocuments {
    /// The key as asked, or as written in a document when one is found.
    pub key: String,
    /// The fold key.
    pub fold: String,
    /// Number of documents citing the key.
    pub cited_by_total: usize,
    /// Documents citing the key, newest first (at most the limit).
    pub cited_by: Vec<DocumentSummary>,
    /// Number of documents whose own number is the key.
    pub documents_total: usize,
    /// Documents whose own number is the key, newest first (at most the limit).
    pub documents: Vec<DocumentSummary>,
}

/// Fold key of a typed prefix: like [`fold_number`], but a trailing separator is kept
/// (`136/` → `136/`, so that `1360/…` is not offered).
pub fn fold_prefix(prefix: &str) -> String {
    let mut p = fold_number(prefix);
    let ends_with_sep = prefix
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '-' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}'));
    if ends_with_sep && !p.is_empty() && !p.ends_with('/') {
        p.push('/');
    }
    p
}

/// Counts live documents per term of `field` whose term starts with `prefix`,
/// adding them to `out` via `add`.
fn count_terms(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    add: &mut dyn FnMut(&str, u64),
) -> Result<()> {
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut stream = inv
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            let Ok(key) = std::str::from_utf8(key) else {
                continue;
            };
            let n = alive_docs(seg, &inv, stream.value())?;
            if n > 0 {
                add(key, n);
            }
        }
    }
    Ok(())
}

/// Number of live documents of a term: its document frequency when the segment
/// has no deletes, else its postings filtered by the alive bitset.
fn alive_docs(seg: &SegmentReader, inv: &InvertedIndexReader, info: &TermInfo) -> Result<u64> {
    let Some(alive) = seg.alive_bitset() else {
        return Ok(u64::from(info.doc_freq));
    };
    let mut postings = inv
        .read_postings_from_terminfo(info, IndexRecordOption::Basic)
        .map_err(tantivy::TantivyError::from)?;
    let mut n = 0;
    let mut doc = postings.doc();
    while doc != TERMINATED {
        if alive.is_alive(doc) {
            n += 1;
        }
        doc = postings.advance();
    }
    Ok(n)
}

/// Keys of the corpus (cited or own numbers) starting with `prefix` (any spelling),
/// most frequent first, at most `limit` (capped at [`MAX_KEYS`]).
pub fn keys_with_prefix(engine: &Engine, prefix: &str, limit: usize) -> Result<Vec<KeyCount>> {
    let searcher = engine.searcher();
    let f = engine.fields();
    let prefix = fold_prefix(prefix);
    let mut counts: std::collections::HashMap<String, (u64, u64)> = Default::default();
    count_terms(&searcher, f.refs, &prefix, &mut |k, n| {
        counts.entry(k.to_string()).or_default().0 += n;
    })?;
    count_terms(&searcher, f.number_fold, &prefix, &mut |k, n| {
        counts.entry(k.to_string()).or_default().1 += n;
    })?;
    let mut keys: Vec<(String, u64, u64)> = counts
        .into_iter()
        .map(|(fold, (cited, own))| (fold, cited, own))
        .collect();
    keys.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(&b.0)));
    keys.truncate(limit.min(MAX_KEYS));
    keys.into_iter()
        .map(|(fold, cited_by, documents)| {
            let key = display_key(&searcher, f, &fold)?.unwrap_or_else(|| fold.clone());
            Ok(KeyCount {
                key,
                fold,
                cited_by,
                documents,
            })
        })
        .collect()
}

/// The canonical KEY of a fold key, from a document with that number or citing it.
fn display_key(searcher: &Searcher, f: &Fields, fold: &str) -> Result<Option<String>> {
    let (_, own) = top_by_date(searcher, f.number_fold, fold, 1)?;
    if let Some(addr) = own.first() {
        let doc: TantivyDocument = searcher.doc(*addr)?;
        if let Some(n) = doc.get_first(f.number).and_then(|v| v.as_str()) {
            return Ok(Some(n.to_string()));
        }
    }
    let (_, citing) = top_by_date(searcher, f.refs, fold, 1)?;
    if let Some(addr) = citing.first() {
        let doc: TantivyDocument = searcher.doc(*addr)?;
        let rec = meta(&doc, f);
        if let Some(r) = rec.references.iter().find(|r| r.fold == fold) {
            return Ok(Some(r.key.clone()));
        }
    }
    Ok(None)
}

fn top_by_date(
    searcher: &Searcher,
    field: Field,
    value: &str,
    limit: usize,
) -> Result<(usize, Vec<DocAddress>)> {
    let q = TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    );
    let top =
        TopDocs::with_limit(limit.max(1)).order_by_fast_field::<DateTime>(names::DATE, Order::Desc);
    let (total, docs) = searcher.search(&q, &(Count, top))?;
    let docs = if limit == 0 { Vec::new() } else { docs };
    Ok((total, docs.into_iter().map(|(_, a)| a).collect()))
}

fn meta(doc: &TantivyDocument, f: &Fields) -> Record {
    doc.get_first(f.meta)
        .and_then(|v| v.as_str())
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default()
}

fn summary(
    searcher: &Searcher,
    f: &Fields,
    addr: DocAddress,
    fold: Option<&str>,
) -> Result<DocumentSummary> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str());
    let rec = meta(&doc, f);
    let title = rec
        .title
        .clone()
        .unwrap_or_else(|| super::search::first_line(text(f.text).unwrap_or("")));
    let mut sentences: Vec<String> = Vec::new();
    if let Some(fold) = fold {
        for r in rec.references.iter().filter(|r| r.fold == fold) {
            if !r.sentence.is_empty() && !sentences.contains(&r.sentence) {
                sentences.push(r.sentence.clone());
            }
        }
    }
    Ok(DocumentSummary {
        id: text(f.id).unwrap_or_default().to_string(),
        title,
        number: rec.number,
        date: rec.date.map(|d| d.to_string()),
        province: rec.province,
        doc_type: rec.doc_type,
        issuer: rec.issuer,
        sentences,
    })
}

/// The documents citing `key` (any spelling) and those whose own number it is,
/// newest first, at most `limit` of each (capped at [`MAX_DOCUMENTS`]).
pub fn documents_for_key(engine: &Engine, key: &str, limit: usize) -> Result<KeyDocuments> {
    let searcher = engine.searcher();
    let f = engine.fields();
    let fold = fold_number(key);
    let limit = limit.min(MAX_DOCUMENTS);
    let (cited_by_total, citing) = top_by_date(&searcher, f.refs, &fold, limit)?;
    let (documents_total, own) = top_by_date(&searcher, f.number_fold, &fold, limit)?;
    let cited_by = citing
        .into_iter()
        .map(|a| summary(&searcher, f, a, Some(&fold)))
        .collect::<Result<Vec<_>>>()?;
    let documents = own
        .into_iter()
        .map(|a| summary(&searcher, f, a, None))
        .collect::<Result<Vec<_>>>()?;
    let key = display_key(&searcher, f, &fold)?.unwrap_or_else(|| key.trim().to_string());
    Ok(KeyDocuments {
        key,
        fold,
        cited_by_total,
        cited_by,
        documents_total,
        documents,
    })
}

#[cfg(test)]
mod tests {
    use super::fold_prefix;

    #[test]
    fn a_typed_prefix_keeps_one_trailing_separator() {
        assert_eq!(fold_prefix("136"), "136");
        assert_eq!(fold_prefix("136/"), "136/");
        assert_eq!(fold_prefix("136/KH-"), "136/kh/");
        assert_eq!(fold_prefix("136/KH"), "136/kh");
    }
}
