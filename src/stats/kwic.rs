//! Concordance (keyword in context): every occurrence of a term with its left and
//! right context.
//!
//! Occurrences are found exactly as [`super::frequency`] counts them (postings and
//! positions); the context is cut from the stored body: `width` characters on each
//! side, with line breaks, CR and tabs shown as spaces. Lines come in index order
//! (segment, document, position) and stream as they are found, so the first lines
//! of a common term are quick; sorting by the left or right context needs every
//! occurrence first. The sort key is the folded syllables nearest the node: for
//! `left`, the syllable just before the node, then the one before it, and so on;
//! for `right`, the syllables just after it (up to 8 syllables); ties keep index
//! order.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::{DocId, Searcher, TantivyDocument};

use super::frequency::Pattern;
use super::ngrams::body_of;
use super::subcorpus::Subcorpus;
use crate::document::Record;
use crate::query::Engine;
use crate::table::{Cell, CsvTable, RowSink};
use crate::{analysis, Error, Result};

const KEY_SYLLABLES: usize = 8;

/// Order of concordance lines.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KwicSort {
    /// Index order (streams).
    #[default]
    Document,
    /// By the words just before the node, nearest first.
    Left,
    /// By the words just after the node.
    Right,
}

/// A concordance request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConcordanceRequest {
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: Subcorpus,
    /// The term or phrase.
    pub term: String,
    /// Context width on each side, in characters.
    #[serde(default = "defaults::width")]
    pub width: usize,
    /// Order.
    #[serde(default)]
    pub sort: KwicSort,
    /// Lines to return.
    #[serde(default = "defaults::limit")]
    pub limit: usize,
    /// Lines to skip.
    #[serde(default)]
    pub offset: usize,
}

impl ConcordanceRequest {
    /// Most lines one request may ask for.
    pub const MAX_LIMIT: usize = 100_000;
    /// Widest context, in characters.
    pub const MAX_WIDTH: usize = 1_000;
}

serde_defaults!(ConcordanceRequest {
    width: usize,
    limit: usize
});

impl Default for ConcordanceRequest {
    fn default() -> Self {
        ConcordanceRequest {
            subcorpus: Subcorpus::default(),
            term: String::new(),
            width: 60,
            sort: KwicSort::Document,
            limit: 100,
            offset: 0,
        }
    }
}

/// One concordance line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KwicLine {
    /// Document id.
    pub doc_id: String,
    /// Title (empty when the document has none).
    pub title: String,
    /// Province at the time of issue.
    pub province: Option<String>,
    /// Issue date.
    pub date: Option<String>,
    /// Syllable position of the node in the body.
    pub position: u32,
    /// Byte offset of the node in the body.
    pub start: usize,
    /// Left context.
    pub left: String,
    /// The node as written.
    pub node: String,
    /// Right context.
    pub right: String,
    #[serde(skip)]
    key: String,
}

/// The answer to a [`ConcordanceRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Concordance {
    /// The term as typed.
    pub term: String,
    /// Every occurrence in the subcorpus (known when sorted; `None` when the
    /// stream stopped at the limit).
    pub total: Option<u64>,
    /// The requested lines.
    pub lines: Vec<KwicLine>,
}

impl CsvTable for Concordance {
    fn columns(&self) -> Vec<&'static str> {
        KwicLine::COLUMNS.to_vec()
    }

    fn write_rows(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        for l in &self.lines {
            l.write_row(sink)?;
        }
        Ok(())
    }
}

impl KwicLine {
    /// CSV columns of concordance lines.
    pub const COLUMNS: &'static [&'static str] = &[
        "doc_id", "title", "province", "date", "position", "left", "node", "right",
    ];

    /// Writes the line as a CSV row (for streaming with [`Stats::concordance_each`](super::Stats::concordance_each)).
    pub fn write_row(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        let l = self;
        sink.row(&[
            Cell::Text(&l.doc_id),
            Cell::Text(&l.title),
            l.province.as_deref().map_or(Cell::Empty, Cell::Text),
            l.date.as_deref().map_or(Cell::Empty, Cell::Text),
            Cell::Int(u64::from(l.position)),
            Cell::Text(&l.left),
            Cell::Text(&l.node),
            Cell::Text(&l.right),
        ])
    }
}

fn validate(req: &ConcordanceRequest) -> Result<()> {
    let bad = |name: &str, message: String| {
        Err(Error::InvalidParameter {
            name: name.into(),
            message,
        })
    };
    if req.limit > ConcordanceRequest::MAX_LIMIT {
        return bad(
            "limit",
            format!(
                "{} is too large; at most {}",
                req.limit,
                ConcordanceRequest::MAX_LIMIT
            ),
        );
    }
    if req.width > ConcordanceRequest::MAX_WIDTH {
        return bad(
            "width",
            format!(
                "{} is too large; at most {}",
                req.width,
                ConcordanceRequest::MAX_WIDTH
            ),
        );
    }
    Ok(())
}

/// A syllable position of a body: byte span and folded form.
struct Pos {
    start: usize,
    end: usize,
    folded: String,
}

fn positions(text: &str) -> Vec<Pos> {
    let mut out: Vec<Pos> = Vec::new();
    for t in analysis::analyze(text) {
        if t.position < out.len() {
            if let Some(p) = out.get_mut(t.position) {
                p.end = p.end.max(t.end);
            }
            continue;
        }
        while out.len() < t.position {
            let at = out.last().map_or(0, |p| p.end);
            out.push(Pos {
                start: at,
                end: at,
                folded: String::new(),
            });
        }
        out.push(Pos {
            start: t.start,
            end: t.end,
            folded: t.folded,
        });
    }
    out
}

fn flat(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn last_chars(s: &str, n: usize) -> &str {
    let cut = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if n == 0 {
        return "";
    }
    s.get(cut..).unwrap_or(s)
}

fn first_chars(s: &str, n: usize) -> &str {
    let cut = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    s.get(..cut).unwrap_or(s)
}

/// The lines of one document.
fn doc_lines(
    engine: &Engine,
    doc: &TantivyDocument,
    starts: &[u32],
    len: usize,
    width: usize,
    sort: KwicSort,
) -> Vec<KwicLine> {
    let f = engine.fields();
    let body = body_of(doc, engine);
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(String::from)
    };
    let meta: Record = text(f.meta)
        .and_then(|m| serde_json::from_str(&m).ok())
        .unwrap_or_default();
    let id = text(f.id).unwrap_or_default();
    let pos = positions(&body);
    let mut out = Vec::with_capacity(starts.len());
    for &p in starts {
        let p = p as usize;
        let (Some(first), Some(last)) = (pos.get(p), pos.get(p + len - 1)) else {
            continue;
        };
        let (s, e) = (first.start, last.end.max(first.start));
        let key = match sort {
            KwicSort::Document => String::new(),
            KwicSort::Left => pos
                .get(p.saturating_sub(KEY_SYLLABLES)..p)
                .unwrap_or_default()
                .iter()
                .rev()
                .map(|x| x.folded.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            KwicSort::Right => pos
                .iter()
                .skip(p + len)
                .take(KEY_SYLLABLES)
                .map(|x| x.folded.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        };
        out.push(KwicLine {
            doc_id: id.clone(),
            title: meta.title.clone().unwrap_or_default(),
            province: meta.province.clone(),
            date: meta.date.map(|d| d.to_string()),
            position: p as u32,
            start: s,
            left: flat(last_chars(body.get(..s).unwrap_or(""), width)),
            node: flat(body.get(s..e).unwrap_or("")),
            right: flat(first_chars(body.get(e..).unwrap_or(""), width)),
            key,
        });
    }
    out
}

/// Matching documents of each segment with the occurrence starts.
type SegmentMatches = Vec<(usize, DocId, Vec<u32>)>;

fn matches(
    engine: &Engine,
    searcher: &Searcher,
    req: &ConcordanceRequest,
) -> Result<(Pattern, SegmentMatches)> {
    let pat = Pattern::new(engine, &req.term)?;
    let docs = req.subcorpus.resolve(engine, searcher)?;
    let mut out = Vec::new();
    for (i, (seg, sd)) in searcher
        .segment_readers()
        .iter()
        .zip(docs.segments())
        .enumerate()
    {
        pat.for_each_match(seg, sd, &mut |doc, starts| {
            out.push((i, doc, starts.to_vec()))
        })?;
    }
    Ok((pat, out))
}

/// Streams the requested lines to `each` as they are found; returns the number of
/// lines given. With a sort order every occurrence is gathered and sorted first.
pub fn concordance_each(
    engine: &Engine,
    searcher: &Searcher,
    req: &ConcordanceRequest,
    each: &mut dyn FnMut(KwicLine) -> Result<()>,
) -> Result<(u64, Option<u64>)> {
    validate(req)?;
    let (pat, found) = matches(engine, searcher, req)?;
    let len = pat.syllables.len();
    let readers = searcher.segment_readers();
    if req.sort == KwicSort::Document {
        let mut skip = req.offset;
        let mut given = 0u64;
        let mut stores: Vec<Option<tantivy::store::StoreReader>> =
            (0..readers.len()).map(|_| None).collect();
        for (seg, doc, starts) in &found {
            if given as usize >= req.limit {
                break;
            }
            if skip >= starts.len() {
                skip -= starts.len();
                continue;
            }
            let (Some(reader), Some(slot)) = (readers.get(*seg), stores.get_mut(*seg)) else {
                continue;
            };
            if slot.is_none() {
                *slot = Some(
                    reader
                        .get_store_reader(16)
                        .map_err(tantivy::TantivyError::from)?,
                );
            }
            let Some(store) = slot.as_ref() else { continue };
            let d: TantivyDocument = store.get(*doc)?;
            for line in doc_lines(engine, &d, starts, len, req.width, req.sort) {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                if given as usize >= req.limit {
                    break;
                }
                each(line)?;
                given += 1;
            }
        }
        return Ok((given, None));
    }
    let per_doc: Vec<Vec<KwicLine>> = found
        .par_iter()
        .map(|(seg, doc, starts)| -> Result<Vec<KwicLine>> {
            let Some(reader) = readers.get(*seg) else {
                return Ok(Vec::new());
            };
            let store = reader
                .get_store_reader(1)
                .map_err(tantivy::TantivyError::from)?;
            let d: TantivyDocument = store.get(*doc)?;
            Ok(doc_lines(engine, &d, starts, len, req.width, req.sort))
        })
        .collect::<Result<_>>()?;
    let mut lines: Vec<KwicLine> = per_doc.into_iter().flatten().collect();
    let total = lines.len() as u64;
    lines.sort_by(|a, b| a.key.cmp(&b.key));
    let mut given = 0;
    for line in lines.into_iter().skip(req.offset).take(req.limit) {
        each(line)?;
        given += 1;
    }
    Ok((given, Some(total)))
}

/// Collects the requested lines.
pub fn concordance(
    engine: &Engine,
    searcher: &Searcher,
    req: &ConcordanceRequest,
) -> Result<Concordance> {
    let mut lines = Vec::new();
    let (_, total) = concordance_each(engine, searcher, req, &mut |l| {
        lines.push(l);
        Ok(())
    })?;
    Ok(Concordance {
        term: req.term.clone(),
        total,
        lines,
    })
}
