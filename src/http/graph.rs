//! `GET /api/graph`: the citation graph of a subcorpus (the documents a query and
//! search filters select), as JSON nodes and edges or as a CSV edge list.
//!
//! Nodes are the subcorpus documents, the corpus documents they cite exactly
//! (`in_subcorpus: false` when outside it), and one node per cited number that does
//! not resolve to exactly one corpus document (`external: true`, `key`; id
//! `ref:` + its fold key). Edges are the citations, one per citation:
//! `status` `exact` (to the cited document), `ambiguous` (to the number's node,
//! with the `candidates`) or `external` (to the number's node). At most
//! `limit` nodes (default and maximum [`MAX_NODES`]): subcorpus documents with the
//! most edges first, then the cited targets; `truncated` says when nodes were
//! dropped (with the edges touching them). The CSV edge list is never truncated.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};
use utoipa::{IntoParams, ToSchema};

use super::{blocking, ApiError, AppState, ErrorBody};
use crate::index::schema::names;
use crate::query::{Engine, Filters, SearchRequest};
use crate::related::{Graph, Resolution};
use crate::stats::csv::{Cell, CsvWriter, RowSink};

/// Most nodes in a JSON answer (and the default `limit`).
pub const MAX_NODES: usize = 2000;

/// Parameters of `GET /api/graph`. Filters may be repeated: several values of one
/// filter are alternatives (OR); different filters must all hold (AND).
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GraphParams {
    /// Query selecting the subcorpus (search syntax); empty: every document matching the filters.
    pub q: Option<String>,
    /// Province at the time of issue. Repeatable.
    pub province: Option<Vec<String>>,
    /// Province after the 1 July 2025 merger. Repeatable.
    pub province_current: Option<Vec<String>>,
    /// Theme id. Repeatable.
    pub theme: Option<Vec<String>>,
    /// Document type. Repeatable.
    #[param(rename = "type")]
    pub doc_type: Option<Vec<String>>,
    /// Issuing body. Repeatable.
    pub issuer: Option<Vec<String>>,
    /// Documents citing this number, any spelling. Repeatable.
    #[param(rename = "ref")]
    pub refs: Option<Vec<String>>,
    /// Issued on or after (`YYYY-MM-DD` or `YYYY`).
    pub from: Option<String>,
    /// Issued on or before (`YYYY-MM-DD` or `YYYY`).
    pub to: Option<String>,
    /// Issue year. Repeatable.
    pub year: Option<Vec<u16>>,
    /// Most nodes (default and maximum 2000).
    pub limit: Option<usize>,
    /// `json` (default) or `csv` (the edge list: source_id, target_id, target_key,
    /// relation, status, candidates).
    pub format: Option<String>,
    /// With `format=csv`: `1` writes a UTF-8 byte-order mark first (for spreadsheets).
    pub bom: Option<String>,
}

/// A parsed `GET /api/graph` request.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphRequest {
    /// Query text.
    pub q: String,
    /// Filters.
    pub filters: Filters,
    /// Most nodes.
    pub limit: usize,
    /// CSV instead of JSON.
    pub csv: bool,
    /// Byte-order mark before the CSV.
    pub bom: bool,
}

/// Reads the query string (repeated keys are alternatives, as in `/api/search`).
pub fn parse_params(query: Option<&str>) -> Result<GraphRequest, ApiError> {
    let mut r = GraphRequest {
        q: String::new(),
        filters: Filters::default(),
        limit: MAX_NODES,
        csv: false,
        bom: false,
    };
    let mut seen: HashSet<String> = HashSet::new();
    for (key, value) in super::query_pairs(query)? {
        let single = matches!(key.as_str(), "q" | "limit" | "format" | "bom");
        if single && !seen.insert(key.clone()) {
            return Err(ApiError::invalid(&key, "given more than once"));
        }
        if super::filter_param(&mut r.filters, &key, &key, value.clone())? {
            continue;
        }
        match key.as_str() {
            "q" => r.q = value,
            "limit" => {
                r.limit = value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| {
                        ApiError::invalid("limit", format!("{value:?} is not a whole number"))
                    })?
                    .min(MAX_NODES)
            }
            "format" => r.csv = super::wants_csv(&value)?,
            "bom" => r.bom = super::boolean("bom", &value)?,
            other => {
                return Err(ApiError::invalid(
                    other,
                    "unknown parameter; expected q, province, province_current, theme, type, \
                     issuer, ref, from, to, year, limit, format or bom",
                ))
            }
        }
    }
    Ok(r)
}

/// A node of the graph.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraphNode {
    /// Document id, or `ref:` + fold key for a cited number that is not exactly
    /// one corpus document.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Own number.
    pub number: Option<String>,
    /// Issue date.
    pub date: Option<String>,
    /// Province at the time of issue.
    pub province: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// True for a cited number that is not exactly one corpus document.
    pub external: bool,
    /// The cited number (external nodes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// True for documents of the selected subcorpus.
    pub in_subcorpus: bool,
}

/// A citation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraphEdge {
    /// Citing document id.
    pub from: String,
    /// Cited node id.
    pub to: String,
    /// The number as cited.
    pub key: String,
    /// Relation verb (căn cứ, thực hiện…), if any.
    pub relation: Option<String>,
    /// `exact`, `ambiguous` or `external`.
    pub status: String,
    /// For `ambiguous`: the corpus documents it could be.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// The answer of `GET /api/graph`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraphResponse {
    /// Documents in the subcorpus.
    pub documents: usize,
    /// Nodes (at most `max_nodes`).
    pub nodes: Vec<GraphNode>,
    /// Edges between the nodes returned.
    pub edges: Vec<GraphEdge>,
    /// Nodes before the cap.
    pub total_nodes: usize,
    /// Edges before the cap.
    pub total_edges: usize,
    /// The node cap applied.
    pub max_nodes: usize,
    /// True when nodes (and their edges) were left out.
    pub truncated: bool,
    /// Time spent, in milliseconds.
    pub took_ms: f64,
}

/// Ids of the documents a query and filters select (`None`: every document).
fn subcorpus_ids(
    engine: &Engine,
    q: &str,
    filters: &Filters,
) -> crate::Result<Option<HashSet<String>>> {
    if q.trim().is_empty() && *filters == Filters::default() {
        return Ok(None);
    }
    let req = SearchRequest {
        query: q.to_string(),
        filters: filters.clone(),
        ..SearchRequest::default()
    };
    let (query, _) = engine.build_query(&req)?;
    let ids = engine.searcher().search(query.as_ref(), &IdCollector)?;
    Ok(Some(ids.into_iter().flatten().collect()))
}

struct IdCollector;

struct SegmentIds {
    column: Option<StrColumn>,
    ids: Vec<String>,
}

impl Collector for IdCollector {
    type Fruit = Vec<Vec<String>>;
    type Child = SegmentIds;

    fn for_segment(&self, _: SegmentOrdinal, seg: &SegmentReader) -> tantivy::Result<SegmentIds> {
        Ok(SegmentIds {
            column: seg.fast_fields().str(names::ID)?,
            ids: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<String>>) -> tantivy::Result<Vec<Vec<String>>> {
        Ok(fruits)
    }
}

impl SegmentCollector for SegmentIds {
    type Fruit = Vec<String>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(col) = &self.column else { return };
        if let Some(ord) = col.term_ords(doc).next() {
            let mut s = String::new();
            if col.ord_to_str(ord, &mut s).unwrap_or(false) {
                self.ids.push(s);
            }
        }
    }

    fn harvest(self) -> Vec<String> {
        self.ids
    }
}

fn status(res: &Resolution) -> &'static str {
    match res {
        Resolution::Exact { .. } => "exact",
        Resolution::Ambiguous { .. } => "ambiguous",
        Resolution::External { .. } => "external",
    }
}

fn doc_node(graph: &Graph, id: &str, in_subcorpus: bool) -> Option<GraphNode> {
    let n = graph.node(id)?;
    Some(GraphNode {
        id: n.info.id.clone(),
        title: n.title.clone(),
        number: n.number.clone(),
        date: n.info.date.clone(),
        province: n.info.province.clone(),
        issuer: n.info.issuer.clone(),
        doc_type: n.doc_type.clone(),
        external: false,
        key: None,
        in_subcorpus,
    })
}

/// Every edge leaving the subcorpus (`None`: the whole corpus), in a stable order
/// (citing id, then order of appearance).
pub fn subcorpus_edges(graph: &Graph, subcorpus: Option<&HashSet<String>>) -> Vec<GraphEdge> {
    let mut edges: Vec<(&str, usize, GraphEdge)> = Vec::new();
    let mut last: Option<&str> = None;
    let mut i = 0;
    for (node, r, res) in graph.edges() {
        let from = node.info.id.as_str();
        if subcorpus.is_some_and(|s| !s.contains(from)) {
            continue;
        }
        i = if last == Some(from) { i + 1 } else { 0 };
        last = Some(from);
        let (to, candidates) = match res {
            Resolution::Exact { id, .. } => (id.clone(), Vec::new()),
            Resolution::Ambiguous { candidates, .. } => {
                (format!("ref:{}", r.fold), candidates.clone())
            }
            Resolution::External { .. } => (format!("ref:{}", r.fold), Vec::new()),
        };
        edges.push((
            from,
            i,
            GraphEdge {
                from: from.to_string(),
                to,
                key: r.key.clone(),
                relation: r.relation.clone(),
                status: status(res).to_string(),
                candidates,
            },
        ));
    }
    edges.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
    edges.into_iter().map(|(_, _, e)| e).collect()
}

/// Builds the JSON answer on `graph`.
pub fn graph_response(
    graph: &Graph,
    subcorpus: Option<&HashSet<String>>,
    max_nodes: usize,
) -> GraphResponse {
    let members: Vec<&str> = graph
        .nodes()
        .iter()
        .map(|n| n.info.id.as_str())
        .filter(|id| subcorpus.is_none_or(|s| s.contains(*id)))
        .collect();
    let edges = subcorpus_edges(graph, subcorpus);
    let mut degree: HashMap<&str, usize> = HashMap::new();
    for e in &edges {
        *degree.entry(e.from.as_str()).or_default() += 1;
        *degree.entry(e.to.as_str()).or_default() += 1;
    }
    let member_set: HashSet<&str> = members.iter().copied().collect();
    let mut docs: Vec<&str> = members.clone();
    docs.sort_by(|a, b| {
        let (da, db) = (
            degree.get(a).copied().unwrap_or(0),
            degree.get(b).copied().unwrap_or(0),
        );
        db.cmp(&da).then(a.cmp(b))
    });
    let mut nodes: Vec<GraphNode> = docs
        .iter()
        .filter_map(|id| doc_node(graph, id, true))
        .collect();
    // Cited targets outside the subcorpus: corpus documents, then numbers.
    let mut outside: Vec<&str> = Vec::new();
    let mut refs: BTreeMap<&str, &str> = BTreeMap::new(); // node id → key as cited (smallest)
    for e in &edges {
        if e.status == "exact" {
            if !member_set.contains(e.to.as_str()) {
                outside.push(&e.to);
            }
        } else {
            let k = refs.entry(e.to.as_str()).or_insert(e.key.as_str());
            if e.key.as_str() < *k {
                *k = e.key.as_str();
            }
        }
    }
    outside.sort_unstable();
    outside.dedup();
    nodes.extend(outside.iter().filter_map(|id| doc_node(graph, id, false)));
    nodes.extend(refs.into_iter().map(|(id, key)| GraphNode {
        id: id.to_string(),
        title: None,
        number: None,
        date: None,
        province: None,
        issuer: None,
        doc_type: None,
        external: true,
        key: Some(key.to_string()),
        in_subcorpus: false,
    }));
    let (total_nodes, total_edges) = (nodes.len(), edges.len());
    let truncated = nodes.len() > max_nodes;
    nodes.truncate(max_nodes);
    let kept: HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let edges: Vec<GraphEdge> = edges
        .iter()
        .filter(|e| kept.contains(e.from.as_str()) && kept.contains(e.to.as_str()))
        .cloned()
        .collect();
    GraphResponse {
        documents: members.len(),
        nodes,
        edges,
        total_nodes,
        total_edges,
        max_nodes,
        truncated,
        took_ms: 0.0,
    }
}

/// Writes the edge list as CSV.
pub fn edges_csv(edges: &[GraphEdge], bom: bool) -> std::io::Result<Vec<u8>> {
    let mut w = CsvWriter::new(Vec::new(), bom)?;
    w.header(&[
        "source_id",
        "target_id",
        "target_key",
        "relation",
        "status",
        "candidates",
    ])?;
    for e in edges {
        let target = if e.status == "exact" {
            e.to.as_str()
        } else {
            ""
        };
        let candidates = e.candidates.join(" | ");
        w.row(&[
            Cell::Text(&e.from),
            Cell::Text(target),
            Cell::Text(&e.key),
            e.relation.as_deref().map_or(Cell::Empty, Cell::Text),
            Cell::Text(&e.status),
            Cell::Text(&candidates),
        ])?;
    }
    w.into_inner()
}

/// The citation graph of a subcorpus.
///
/// JSON: nodes (subcorpus documents, the corpus documents they cite, and cited
/// numbers that are not exactly one corpus document, `external: true`) and edges
/// (one per citation, `status` exact | ambiguous | external), at most `limit` nodes
/// (default and maximum 2000; `truncated` says when some were left out).
/// `format=csv`: every edge as CSV (UTF-8, `bom=1` for a byte-order mark; cells
/// that a spreadsheet would read as formulas are prefixed with `'`).
#[utoipa::path(
    get,
    path = "/api/graph",
    tag = "related",
    params(GraphParams),
    responses(
        (status = 200, description = "Nodes and edges (JSON), or the edge list (text/csv)", body = GraphResponse),
        (status = 400, description = "Bad query or parameter", body = ErrorBody),
    )
)]
pub async fn graph(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let req = parse_params(query.as_deref())?;
    let started = Instant::now();
    let graph = super::related::graph(&state).await?;
    let engine = state.engine.clone();
    let (q, filters) = (req.q.clone(), req.filters.clone());
    let subcorpus = blocking(move || subcorpus_ids(&engine, &q, &filters)).await?;
    if req.csv {
        let bom = req.bom;
        let body = blocking(move || {
            let edges = subcorpus_edges(&graph, subcorpus.as_ref());
            edges_csv(&edges, bom).map_err(|e| crate::Error::io("<csv>", e))
        })
        .await?;
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"graph.csv\""),
                ),
            ],
            body,
        )
            .into_response());
    }
    let limit = req.limit;
    let mut resp = blocking(move || Ok(graph_response(&graph, subcorpus.as_ref(), limit))).await?;
    resp.took_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1000.0;
    Ok(Json(resp).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters() {
        let r = parse_params(Some(
            "q=thi+%C4%91ua&province=A&province=B&year=2019&format=csv&bom=1&limit=99999",
        ))
        .unwrap();
        assert_eq!(r.q, "thi đua");
        assert_eq!(r.filters.province, ["A", "B"]);
        assert_eq!(r.filters.year, [2019]);
        assert!(r.csv && r.bom);
        assert_eq!(r.limit, MAX_NODES);
        for (qs, name) in [
            ("format=xml", "format"),
            ("bom=2", "bom"),
            ("q=a&q=b", "q"),
            ("year=19", "year"),
            ("limit=x", "limit"),
            ("colour=red", "colour"),
        ] {
            let e = parse_params(Some(qs)).unwrap_err();
            assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST, "{qs}");
            let body = format!("{e:?}");
            assert!(body.contains(name), "{qs}: {body}");
        }
    }
}
