//! The citation graph of a corpus and the related sets of one document.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::{TantivyDocument, Term};

use super::resolve::{resolve, DocInfo, Resolution};
use crate::document::{PartialDate, Record, Reference};
use crate::query::Engine;
use crate::{Error, Result};

/// One corpus document in the graph.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// Resolver facts (id, number, issuer, province, date).
    #[serde(flatten)]
    pub info: DocInfo,
    /// Own number as written (KEY).
    pub number: Option<String>,
    /// Title, if known.
    pub title: Option<String>,
    /// Document type (Kế hoạch, Quyết định…), if known.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// The document's citations.
    #[serde(skip)]
    pub references: Vec<Reference>,
}

/// The citation graph: every document, every citation, resolved once.
#[derive(Debug, Default)]
pub struct Graph {
    nodes: Vec<Node>,
    by_id: HashMap<String, usize>,
    /// Per node, the resolutions of its references (same order).
    out: Vec<Vec<Resolution>>,
    /// Per node, (citing node, reference index) of citations resolving to it
    /// (exactly, or as one of several candidates).
    inbound: Vec<Vec<(usize, usize)>>,
    /// How many documents cite each upstream identity (for sibling weights).
    upstream_df: HashMap<String, usize>,
}

impl crate::query::Weigh for Graph {
    /// Estimated: the nodes with their strings and citations, the resolutions
    /// and the indexes by id.
    fn weight(&self) -> usize {
        use std::mem::size_of;
        let opt = |s: &Option<String>| s.weight();
        let nodes: usize = self
            .nodes
            .iter()
            .map(|n| {
                size_of::<Node>()
                    + n.info.id.capacity()
                    + opt(&n.info.number_fold)
                    + opt(&n.info.issuer)
                    + opt(&n.info.province)
                    + opt(&n.info.date)
                    + opt(&n.number)
                    + opt(&n.title)
                    + opt(&n.doc_type)
                    + n.references
                        .iter()
                        .map(|r| {
                            size_of::<crate::document::Reference>()
                                + r.key.capacity()
                                + r.fold.capacity()
                                + r.sentence.capacity()
                                + r.written.capacity()
                                + opt(&r.issuer)
                                + opt(&r.relation)
                        })
                        .sum::<usize>()
            })
            .sum();
        let out: usize = self
            .out
            .iter()
            .map(|rs| size_of::<Vec<Resolution>>() + rs.len() * (size_of::<Resolution>() + 48))
            .sum();
        let inbound: usize = self
            .inbound
            .iter()
            .map(|v| size_of::<Vec<(usize, usize)>>() + v.capacity() * size_of::<(usize, usize)>())
            .sum();
        let ids = |m: &HashMap<String, usize>| {
            m.capacity() * (size_of::<(String, usize)>() + 1)
                + m.keys().map(String::capacity).sum::<usize>()
        };
        nodes + out + inbound + ids(&self.by_id) + ids(&self.upstream_df)
    }
}

/// A document summary in a related set.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocSummary {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Own number.
    pub number: Option<String>,
    /// Issue date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    #[schema(value_type = Option<String>)]
    pub date: Option<PartialDate>,
    /// Province at the time of issue.
    pub province: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
}

/// An item of a related set: a document (when in the corpus), a score and the reason.
///
/// Each document appears once per set: the citations between two documents are
/// counted in [`RelatedItem::citations`], not listed as items.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RelatedItem {
    /// The related document, if it is in the corpus.
    pub document: Option<DocSummary>,
    /// The reference key involved (for citations): canonical, for programs; a
    /// person is shown [`RelatedItem::label`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// How to show the cited reference to a person (for citations): as the text
    /// writes it (`Nghị định số 305/2025/NĐ-CP`, `Hiến pháp`, `Luật Ngân sách nhà
    /// nước`), never an internal `~…` key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How many citations this item stands for (for `cites`, `cited_by` and
    /// `chain`: a document may cite another many times).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citations: Option<usize>,
    /// Relation verb of the citation (căn cứ, thực hiện…), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// Evidence: the citing sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Resolution of the citation (for `cites`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// Depth in the chain (1 = direct upstream).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<usize>,
    /// Higher is stronger.
    pub score: f32,
    /// Why this item is here, in words.
    pub reason: String,
    /// Text this document and the related one share, found by text-reuse
    /// detection (siblings and similar documents, when the service looked; see
    /// [`Related::strengthen`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_text: Option<SharedText>,
}

/// Passages two documents share: the evidence that one copied the other.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SharedText {
    /// Passages shared.
    pub passages: usize,
    /// Their share of this document's syllables.
    pub share: f64,
    /// Which way the text went, seen from this document: `source` (the related
    /// document is its source), `copy` (it copied this one) or `unknown`.
    pub direction: String,
}

/// How many items each related set has before the limit (`limit` caps
/// `cited_by`, `siblings` and `similar`, not these counts; `cites` and `chain` are
/// never capped).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RelatedTotals {
    /// Distinct references cited.
    pub cites: usize,
    /// Distinct documents citing this one.
    pub cited_by: usize,
    /// Distinct sibling documents.
    pub siblings: usize,
    /// Documents in the upstream chain.
    pub chain: usize,
    /// Similar documents returned.
    pub similar: usize,
}

/// The related sets of one document.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Related {
    /// The document itself.
    pub document: DocSummary,
    /// Items per set before the limit.
    pub totals: RelatedTotals,
    /// What it cites (upstream), resolved.
    pub cites: Vec<RelatedItem>,
    /// Who cites it (downstream).
    pub cited_by: Vec<RelatedItem>,
    /// Documents citing the same upstream documents.
    pub siblings: Vec<RelatedItem>,
    /// Upstream chain to the roots (breadth first, cycle-safe).
    pub chain: Vec<RelatedItem>,
    /// Textually similar documents.
    pub similar: Vec<RelatedItem>,
}

impl Related {
    /// Adds the evidence of shared text (`by_doc`: the other document's id → what
    /// it shares with this one) to the siblings and similar documents: each such
    /// item says so in its reason and comes first in its set, most text first —
    /// a sibling that copied whole passages is a closer sibling.
    pub fn strengthen(&mut self, by_doc: &std::collections::HashMap<String, SharedText>) {
        for set in [&mut self.siblings, &mut self.similar] {
            for item in set.iter_mut() {
                let Some(shared) = item.document.as_ref().and_then(|d| by_doc.get(&d.id)) else {
                    continue;
                };
                item.reason = format!(
                    "{}; shares {} passage{} ({:.0}% of this document)",
                    item.reason,
                    shared.passages,
                    if shared.passages == 1 { "" } else { "s" },
                    shared.share * 100.0
                );
                item.shared_text = Some(shared.clone());
            }
            // Stable: items without shared text keep their order after the others.
            set.sort_by(|a, b| {
                let share = |i: &RelatedItem| i.shared_text.as_ref().map_or(-1.0, |s| s.share);
                share(b)
                    .partial_cmp(&share(a))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
    }
}

/// The identity of an upstream document for sibling detection: the resolved
/// corpus id, or, for a citation of a central body's number that is not in the
/// corpus, its fold key (and date) — central numbers are unique nationwide.
fn upstream_identity(r: &Reference, res: &Resolution) -> Option<String> {
    match res {
        Resolution::Exact { id, .. } => Some(format!("id:{id}")),
        _ if r.key.starts_with('~') => Some(format!("named:{}", r.fold)),
        _ if super::resolve::is_central_key(&r.fold) => Some(format!(
            "key:{}@{}",
            r.fold,
            r.date.map(|d| d.year().to_string()).unwrap_or_default()
        )),
        _ => None,
    }
}

impl Graph {
    /// Builds the graph from documents (any order).
    pub fn from_nodes(nodes: Vec<Node>) -> Graph {
        let by_id: HashMap<String, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.info.id.clone(), i))
            .collect();
        let mut by_number: HashMap<&str, Vec<&DocInfo>> = HashMap::new();
        for n in &nodes {
            if let Some(f) = n.info.number_fold.as_deref() {
                by_number.entry(f).or_default().push(&n.info);
            }
        }
        let out: Vec<Vec<Resolution>> = nodes
            .iter()
            .map(|n| {
                n.references
                    .iter()
                    .map(|r| {
                        let cands = by_number
                            .get(r.fold.as_str())
                            .map(Vec::as_slice)
                            .unwrap_or(&[]);
                        resolve(r, &n.info, cands.iter().copied())
                    })
                    .collect()
            })
            .collect();
        let mut inbound = vec![Vec::new(); nodes.len()];
        let mut upstream_df: HashMap<String, usize> = HashMap::new();
        for (from, resolutions) in out.iter().enumerate() {
            let mut seen = HashSet::new();
            for (ri, res) in resolutions.iter().enumerate() {
                let targets: Vec<&str> = match res {
                    Resolution::Exact { id, .. } => vec![id.as_str()],
                    Resolution::Ambiguous { candidates, .. } => {
                        candidates.iter().map(String::as_str).collect()
                    }
                    Resolution::External { .. } => Vec::new(),
                };
                for t in targets {
                    if let Some(&ti) = by_id.get(t) {
                        inbound[ti].push((from, ri));
                    }
                }
                if let Some(u) = upstream_identity(&nodes[from].references[ri], res) {
                    if seen.insert(u.clone()) {
                        *upstream_df.entry(u).or_default() += 1;
                    }
                }
            }
        }
        Graph {
            nodes,
            by_id,
            out,
            inbound,
            upstream_df,
        }
    }

    /// Builds the graph of every document in the engine's index.
    pub fn build(engine: &Engine) -> Result<Graph> {
        Graph::build_on(engine, &engine.searcher())
    }

    /// Builds the graph of every document `searcher` sees (one commit of the
    /// engine's index).
    pub fn build_on(engine: &Engine, searcher: &tantivy::Searcher) -> Result<Graph> {
        let f = engine.fields();
        let mut nodes = Vec::with_capacity(searcher.num_docs() as usize);
        for seg in searcher.segment_readers() {
            let store = seg
                .get_store_reader(64)
                .map_err(tantivy::TantivyError::from)?;
            for doc_id in seg.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id)?;
                let text = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .map(String::from)
                };
                let Some(id) = text(f.id) else { continue };
                let rec: Record = text(f.meta)
                    .and_then(|m| serde_json::from_str(&m).ok())
                    .unwrap_or_default();
                nodes.push(Node {
                    info: DocInfo {
                        id,
                        number_fold: rec
                            .number
                            .as_deref()
                            .map(crate::document::references::fold_number),
                        issuer: rec.issuer.clone(),
                        province: rec.province.clone(),
                        date: rec.date.map(|d| d.to_string()),
                    },
                    number: rec.number,
                    title: rec.title,
                    doc_type: rec.doc_type,
                    references: rec.references,
                });
            }
        }
        Ok(Graph::from_nodes(nodes))
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the graph has no document.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every citation edge: (citing id, reference, resolution).
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Reference, &Resolution)> {
        self.nodes
            .iter()
            .zip(&self.out)
            .flat_map(|(n, res)| n.references.iter().zip(res).map(move |(r, s)| (n, r, s)))
    }

    /// Every document, in build order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The node of a document id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.by_id.get(id).map(|&i| &self.nodes[i])
    }

    fn summary(&self, i: usize) -> DocSummary {
        let n = &self.nodes[i];
        DocSummary {
            id: n.info.id.clone(),
            title: n.title.clone(),
            number: n.number.clone(),
            date: n.info.issued(),
            province: n.info.province.clone(),
            issuer: n.info.issuer.clone(),
        }
    }

    /// The related sets of document `id`; `similar` uses the engine (may be `None`
    /// to skip it) and returns at most `limit` items per set.
    pub fn related(&self, id: &str, engine: Option<&Engine>, limit: usize) -> Result<Related> {
        let &me = self
            .by_id
            .get(id)
            .ok_or_else(|| Error::NotFound(id.to_string()))?;
        let cites = self.cites(me);
        let mut cited_by = self.cited_by(me);
        let mut siblings = self.siblings(me);
        let chain = self.chain(me);
        let similar = self.similar(engine, id, limit)?;
        let totals = RelatedTotals {
            cites: cites.len(),
            cited_by: cited_by.len(),
            siblings: siblings.len(),
            chain: chain.len(),
            similar: similar.len(),
        };
        cited_by.truncate(limit);
        siblings.truncate(limit);
        Ok(Related {
            document: self.summary(me),
            totals,
            cites,
            cited_by,
            siblings,
            chain,
            similar,
        })
    }

    /// Upstream: what document `me` cites, resolved, one item per cited document
    /// (or, when not in the corpus, per reference), in the order of first citation.
    fn cites(&self, me: usize) -> Vec<RelatedItem> {
        let node = &self.nodes[me];
        let mut items: Vec<RelatedItem> = Vec::new();
        let mut slot: HashMap<String, usize> = HashMap::new();
        for (r, res) in node.references.iter().zip(&self.out[me]) {
            let identity = match res {
                Resolution::Exact { id, .. } => format!("id:{id}"),
                _ => format!("key:{}", r.fold),
            };
            if let Some(&i) = slot.get(&identity) {
                merge_citation(&mut items[i], r);
                continue;
            }
            let (document, score) = match res {
                Resolution::Exact { id, .. } => (self.by_id.get(id).map(|&i| self.summary(i)), 1.0),
                Resolution::Ambiguous { .. } => (None, 0.5),
                Resolution::External { .. } => (None, 0.0),
            };
            let label = r.label();
            let reason = match res {
                Resolution::Exact { reason, .. } => format!("cites {label} ({reason})"),
                Resolution::Ambiguous { reason, .. } => {
                    format!("cites {label}: ambiguous — {reason}")
                }
                Resolution::External { reason } => {
                    format!("cites {label}: not in the corpus — {reason}")
                }
            };
            slot.insert(identity, items.len());
            items.push(RelatedItem {
                shared_text: None,
                document,
                key: Some(r.key.clone()),
                label: Some(label),
                citations: Some(1),
                relation: r.relation.clone(),
                evidence: Some(r.sentence.clone()).filter(|s| !s.is_empty()),
                resolution: Some(res.clone()),
                depth: None,
                score,
                reason,
            });
        }
        items
    }

    /// Downstream: the documents citing `me`, each once, exact citations first,
    /// then the most recent.
    fn cited_by(&self, me: usize) -> Vec<RelatedItem> {
        let mut items: Vec<RelatedItem> = Vec::new();
        let mut slot: HashMap<usize, usize> = HashMap::new();
        for &(from, ri) in &self.inbound[me] {
            let r = &self.nodes[from].references[ri];
            let exact = matches!(self.out[from][ri], Resolution::Exact { .. });
            if let Some(&i) = slot.get(&from) {
                let item = &mut items[i];
                merge_citation(item, r);
                if exact && item.score < 1.0 {
                    item.score = 1.0;
                    item.reason = format!("cites it as {}", r.label());
                }
                continue;
            }
            slot.insert(from, items.len());
            items.push(RelatedItem {
                shared_text: None,
                document: Some(self.summary(from)),
                key: Some(r.key.clone()),
                label: Some(r.label()),
                citations: Some(1),
                relation: r.relation.clone(),
                evidence: Some(r.sentence.clone()).filter(|s| !s.is_empty()),
                resolution: None,
                depth: None,
                score: if exact { 1.0 } else { 0.5 },
                reason: if exact {
                    format!("cites it as {}", r.label())
                } else {
                    format!(
                        "cites {} — one of several documents with that number",
                        r.label()
                    )
                },
            });
        }
        items.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| doc_date(b).cmp(&doc_date(a)))
                .then_with(|| doc_id(a).cmp(doc_id(b)))
        });
        items
    }

    /// Siblings: other documents citing the same upstream documents as `me`, rarer
    /// shared upstream documents weighing more.
    fn siblings(&self, me: usize) -> Vec<RelatedItem> {
        let node = &self.nodes[me];
        let mine: HashMap<String, &Reference> = node
            .references
            .iter()
            .zip(&self.out[me])
            .filter_map(|(r, res)| upstream_identity(r, res).map(|u| (u, r)))
            .collect();
        let mut sib: HashMap<usize, (f32, Vec<String>)> = HashMap::new();
        if !mine.is_empty() {
            for (other, (n, res)) in self.nodes.iter().zip(&self.out).enumerate() {
                if other == me {
                    continue;
                }
                let mut shared = HashSet::new();
                for (r, s) in n.references.iter().zip(res) {
                    if let Some(u) = upstream_identity(r, s) {
                        if let Some(mr) = mine.get(&u) {
                            if shared.insert(u.clone()) {
                                let df = self.upstream_df.get(&u).copied().unwrap_or(1) as f32;
                                let e = sib.entry(other).or_default();
                                e.0 += 1.0 / (1.0 + df).log2();
                                e.1.push(mr.label());
                            }
                        }
                    }
                }
            }
        }
        let mut siblings: Vec<RelatedItem> = sib
            .into_iter()
            .map(|(i, (score, keys))| RelatedItem {
                shared_text: None,
                document: Some(self.summary(i)),
                key: None,
                label: None,
                citations: None,
                relation: None,
                evidence: None,
                resolution: None,
                depth: None,
                score,
                reason: format!("also cites {}", keys.join(", ")),
            })
            .collect();
        siblings.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| doc_id(a).cmp(doc_id(b)))
        });
        siblings
    }

    /// Chain: breadth-first upward from `me` along exact resolutions, cycle-safe.
    fn chain(&self, me: usize) -> Vec<RelatedItem> {
        let mut chain = Vec::new();
        let mut seen: HashSet<usize> = HashSet::from([me]);
        let mut queue: VecDeque<(usize, usize)> = VecDeque::from([(me, 0)]);
        while let Some((at, depth)) = queue.pop_front() {
            for (r, res) in self.nodes[at].references.iter().zip(&self.out[at]) {
                let Some(&up) = res.exact_id().and_then(|id| self.by_id.get(id)) else {
                    continue;
                };
                if !seen.insert(up) {
                    continue;
                }
                chain.push(RelatedItem {
                    shared_text: None,
                    document: Some(self.summary(up)),
                    key: Some(r.key.clone()),
                    label: Some(r.label()),
                    citations: None,
                    relation: r.relation.clone(),
                    evidence: Some(r.sentence.clone()).filter(|s| !s.is_empty()),
                    resolution: None,
                    depth: Some(depth + 1),
                    score: 1.0 / (depth + 1) as f32,
                    reason: format!("{} cites {}", self.nodes[at].info.id, r.label()),
                });
                queue.push_back((up, depth + 1));
            }
        }
        chain
    }

    /// Textually similar documents (see [`similar`]); empty without an engine.
    fn similar(&self, engine: Option<&Engine>, id: &str, limit: usize) -> Result<Vec<RelatedItem>> {
        Ok(match engine {
            Some(e) => similar(e, id, limit)?
                .into_iter()
                .map(|(other, score)| RelatedItem {
                    shared_text: None,
                    document: self.by_id.get(&other).map(|&i| self.summary(i)),
                    key: None,
                    label: None,
                    citations: None,
                    relation: None,
                    evidence: None,
                    resolution: None,
                    depth: None,
                    score,
                    reason: "similar wording".into(),
                })
                .collect(),
            None => Vec::new(),
        })
    }
}

/// Counts one more citation into an item, keeping the first relation and
/// evidence found.
fn merge_citation(item: &mut RelatedItem, r: &Reference) {
    item.citations = Some(item.citations.unwrap_or(1) + 1);
    if item.relation.is_none() {
        item.relation = r.relation.clone();
    }
    if item.evidence.is_none() && !r.sentence.is_empty() {
        item.evidence = Some(r.sentence.clone());
    }
}

fn doc_date(i: &RelatedItem) -> Option<PartialDate> {
    i.document.as_ref().and_then(|d| d.date)
}

fn doc_id(i: &RelatedItem) -> &str {
    i.document.as_ref().map_or("", |d| d.id.as_str())
}

/// Longest prefix of a body used to find similar documents.
const SIMILAR_TEXT_BYTES: usize = 20_000;

/// Textually similar documents (tantivy MoreLikeThis on the folded body and the
/// title, tuned for small corpora), the document itself excluded.
pub fn similar(engine: &Engine, id: &str, limit: usize) -> Result<Vec<(String, f32)>> {
    if limit == 0 {
        // Not an error, and not something to ask tantivy: `TopDocs::with_limit(0)` panics.
        return Ok(Vec::new());
    }
    let doc = engine.document(id)?;
    let f = engine.fields();
    let mut end = doc.record.text.len().min(SIMILAR_TEXT_BYTES);
    while !doc.record.text.is_char_boundary(end) {
        end -= 1;
    }
    // The body fields are indexed from pre-analysed streams (see
    // `analysis::encode`): MoreLikeThis gets the same encoding.
    let prefix = doc.record.text.get(..end).unwrap_or_default();
    let mut fields = vec![(
        f.body_folded,
        vec![OwnedValue::Str(crate::analysis::encode(prefix).folded)],
    )];
    if let Some(t) = &doc.record.title {
        fields.push((f.title_folded, vec![OwnedValue::Str(t.clone())]));
    }
    let searcher = engine.searcher();
    let n = searcher.num_docs();
    let mlt = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(2)
        .with_max_doc_frequency((n / 2).max(2))
        .with_min_term_frequency(2)
        .with_max_query_terms(30)
        .with_min_word_length(2)
        .with_document_fields(fields);
    let me: Box<dyn Query> = Box::new(TermQuery::new(
        Term::from_field_text(f.id, id),
        IndexRecordOption::Basic,
    ));
    let q = BooleanQuery::new(vec![
        (Occur::Must, Box::new(mlt) as Box<dyn Query>),
        (Occur::MustNot, me),
    ]);
    let top = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score())?;
    let mut out = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let d: TantivyDocument = searcher.doc(addr)?;
        if let Some(other) = d.get_first(f.id).and_then(|v| v.as_str()) {
            out.push((other.to_string(), score));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(
        id: &str,
        number: &str,
        issuer: &str,
        province: &str,
        date: &str,
        cites: &[(&str, Option<&str>)],
    ) -> Node {
        let fold = crate::document::references::fold_number;
        Node {
            info: DocInfo {
                id: id.into(),
                number_fold: Some(fold(number)),
                issuer: Some(issuer.into()),
                province: Some(province.into()).filter(|p: &String| !p.is_empty()),
                date: Some(date.into()),
            },
            number: Some(number.into()),
            title: Some(format!("title of {id}")),
            doc_type: Some("Kế hoạch".into()),
            references: cites
                .iter()
                .map(|(k, d)| Reference {
                    key: k.to_string(),
                    fold: fold(k),
                    date: d.and_then(|d| d.parse().ok()),
                    issuer: None,
                    relation: Some("thực hiện".into()),
                    start: 0,
                    end: 0,
                    sentence: format!("Thực hiện {k}"),
                    written: String::new(),
                })
                .collect(),
        }
    }

    fn graph() -> Graph {
        Graph::from_nodes(vec![
            node("ct34", "34-CT/TW", "Bộ Chính trị", "", "2014-04-07", &[]),
            node(
                "kg-136",
                "136/KH-UBND",
                "Ủy ban nhân dân",
                "Kiên Giang",
                "2019-09-13",
                &[("34-CT/TW", None)],
            ),
            node(
                "kg-325",
                "325/KH-SCT",
                "Sở Công Thương",
                "Kiên Giang",
                "2019-10-08",
                &[("136/KH-UBND", Some("2019-09-13")), ("1719/QĐ-TTg", None)],
            ),
            node(
                "dt-136",
                "136/KH-UBND",
                "Ủy ban nhân dân",
                "Đồng Tháp",
                "2019-07-01",
                &[("34-CT/TW", None)],
            ),
            node(
                "hg-50",
                "50/KH-UBND",
                "Ủy ban nhân dân",
                "Hậu Giang",
                "2020-01-01",
                &[("136/KH-UBND", None)],
            ),
            node(
                "a",
                "1/KH-A",
                "A",
                "Kiên Giang",
                "2020-01-01",
                &[("2/KH-B", None)],
            ),
            node(
                "b",
                "2/KH-B",
                "B",
                "Kiên Giang",
                "2020-01-01",
                &[("1/KH-A", None)],
            ),
        ])
    }

    fn ids(items: &[RelatedItem]) -> Vec<&str> {
        items.iter().map(doc_id).collect()
    }

    #[test]
    fn cites_resolve_and_chain_climbs_to_the_root() {
        let g = graph();
        let r = g.related("kg-325", None, 10).unwrap();
        assert_eq!(ids(&r.cites), ["kg-136", ""]);
        assert!(matches!(
            r.cites[1].resolution,
            Some(Resolution::External { .. })
        ));
        assert_eq!(
            r.cites[0].evidence.as_deref(),
            Some("Thực hiện 136/KH-UBND")
        );
        assert_eq!(ids(&r.chain), ["kg-136", "ct34"]);
        assert_eq!(
            r.chain.iter().map(|c| c.depth).collect::<Vec<_>>(),
            [Some(1), Some(2)]
        );
    }

    #[test]
    fn cited_by_includes_ambiguous_citations_with_a_lower_score() {
        let g = graph();
        let r = g.related("kg-136", None, 10).unwrap();
        assert_eq!(ids(&r.cited_by), ["kg-325", "hg-50"]);
        assert!(r.cited_by[0].score > r.cited_by[1].score);
        let dt = g.related("dt-136", None, 10).unwrap();
        assert_eq!(ids(&dt.cited_by), ["hg-50"]);
    }

    #[test]
    fn each_document_is_listed_once_with_its_citations_counted() {
        // hcm cites 22/2013 three times, 09/2013 once; x cites 22/2013 once.
        let g = Graph::from_nodes(vec![
            node("qd22", "22/2013/QĐ-TTg", "Thủ tướng", "", "2013-04-26", &[]),
            node(
                "hcm",
                "3210/QĐ-UBND",
                "Ủy ban nhân dân",
                "Hồ Chí Minh",
                "2014-06-28",
                &[
                    ("22/2013/QĐ-TTg", None),
                    ("9/2013/TT-BXD", None),
                    ("22/2013/QĐ-TTg", Some("2013-04-26")),
                    ("22/2013/QĐ-TTg", None),
                    ("~HP", None),
                    ("~HP", None),
                ],
            ),
            node(
                "x",
                "1/KH-UBND",
                "Ủy ban nhân dân",
                "Kiên Giang",
                "2015-01-01",
                &[("22/2013/QĐ-TTg", None)],
            ),
        ]);
        let up = g.related("qd22", None, 10).unwrap();
        assert_eq!(ids(&up.cited_by), ["x", "hcm"]);
        assert_eq!(
            up.cited_by.iter().map(|i| i.citations).collect::<Vec<_>>(),
            [Some(1), Some(3)]
        );
        assert_eq!(up.totals.cited_by, 2);
        let one = g.related("qd22", None, 1).unwrap();
        assert_eq!(one.cited_by.len(), 1);
        assert_eq!(one.totals.cited_by, 2, "the total counts past the limit");

        let hcm = g.related("hcm", None, 10).unwrap();
        assert_eq!(hcm.cites.len(), 3, "{:?}", hcm.cites);
        assert_eq!(hcm.totals.cites, 3);
        assert_eq!(ids(&hcm.cites), ["qd22", "", ""]);
        assert_eq!(hcm.cites[0].citations, Some(3));
        // Never the internal key: the written form, or the key in words.
        assert_eq!(hcm.cites[2].label.as_deref(), Some("Hiến pháp"));
        assert_eq!(hcm.cites[2].citations, Some(2));
        assert!(hcm.cites.iter().all(|c| !c.reason.contains('~')));
    }

    #[test]
    fn siblings_share_an_upstream_document() {
        let g = graph();
        let r = g.related("kg-136", None, 10).unwrap();
        assert_eq!(ids(&r.siblings), ["dt-136"]);
        assert!(r.siblings[0].reason.contains("34-CT/TW"));
        let root = g.related("ct34", None, 10).unwrap();
        assert_eq!(ids(&root.cited_by), ["kg-136", "dt-136"]);
        assert!(root.siblings.is_empty());
    }

    #[test]
    fn cycles_terminate() {
        let g = graph();
        let r = g.related("a", None, 10).unwrap();
        assert_eq!(ids(&r.chain), ["b"]);
        assert!(matches!(
            g.related("zzz", None, 10),
            Err(Error::NotFound(_))
        ));
    }
}
