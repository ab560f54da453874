//! The citation graph of a subcorpus: its documents, what they cite, and the
//! citations between them, as nodes and edges (`GET /api/graph`) or as an edge list
//! (CSV).
//!
//! Nodes are the subcorpus documents, the corpus documents they cite exactly
//! (`in_subcorpus: false` when outside it), and one node per cited number that does
//! not resolve to exactly one corpus document (`external: true`, `key`; id
//! `ref:` + its fold key). Edges are the citations, one per citation: `status`
//! `exact` (to the cited document), `ambiguous` (to the number's node, with the
//! `candidates`) or `external` (to the number's node). [`graph_response`] keeps at
//! most `max_nodes` nodes — subcorpus documents with the most edges first, then the
//! cited targets — and says when nodes were dropped (with the edges touching them);
//! [`edges_csv`] writes every edge, never truncated.
//!
//! The subcorpus is a query and filters ([`members`], through
//! [`crate::query::select`]); `None` stands for the whole corpus.
//!
//! ```no_run
//! # fn run() -> kehoach::Result<()> {
//! use kehoach::query::{Engine, Filters};
//! use kehoach::related::{subgraph, GraphCache};
//! let engine = Engine::open("index".as_ref())?;
//! let graph = GraphCache::new().get(&engine)?;
//! let members = subgraph::members(&engine, "chuyển đổi số", &Filters::default())?;
//! let answer = subgraph::graph_response(&graph, members.as_ref(), 2000);
//! println!("{} nodes, {} edges", answer.nodes.len(), answer.edges.len());
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;

use super::{Graph, Resolution};
use crate::query::{select, Engine, Filters};
use crate::table::{Cell, CsvFormat, CsvWriter, RowSink};
use crate::Result;

/// Most nodes in a JSON answer.
pub const MAX_NODES: usize = 2000;

/// Columns of [`edges_csv`].
pub const CSV_COLUMNS: &[&str] = &[
    "source_id",
    "target_id",
    "target_key",
    "relation",
    "status",
    "candidates",
    "target_label",
    "citations",
];

/// Ids of the documents `q` and `filters` select on the engine's current commit
/// (`None`: nothing restricts them, every document).
pub fn members(engine: &Engine, q: &str, filters: &Filters) -> Result<Option<HashSet<String>>> {
    let searcher = engine.searcher();
    let selection = select(engine, &searcher, q, filters)?;
    if selection.is_all() {
        return Ok(None);
    }
    selection.ids(&searcher).map(Some)
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
    /// The cited number (external nodes), canonical, for programs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// How to show an external node to a person: the citation as written
    /// (`Nghị định số 305/2025/NĐ-CP`, `Hiến pháp`), never an internal `~…` key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// True for documents of the selected subcorpus.
    pub in_subcorpus: bool,
}

/// The citations of one document to one node, as one edge.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraphEdge {
    /// Citing document id.
    pub from: String,
    /// Cited node id.
    pub to: String,
    /// The number as cited (canonical KEY, for programs).
    pub key: String,
    /// The citation as written, for people (see [`GraphNode::label`]).
    pub label: String,
    /// How many times the citing document cites this node.
    pub citations: usize,
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
        label: None,
        in_subcorpus,
    })
}

/// Every edge leaving the subcorpus (`None`: the whole corpus), one per citing
/// document and cited node with the number of citations, in a stable order
/// (citing id, then order of first citation).
pub fn subcorpus_edges(graph: &Graph, subcorpus: Option<&HashSet<String>>) -> Vec<GraphEdge> {
    let mut edges: Vec<GraphEdge> = Vec::new();
    let mut slot: HashMap<(String, String), usize> = HashMap::new();
    for (node, r, res) in graph.edges() {
        let from = node.info.id.as_str();
        if subcorpus.is_some_and(|s| !s.contains(from)) {
            continue;
        }
        let (to, candidates) = match res {
            Resolution::Exact { id, .. } => (id.clone(), Vec::new()),
            Resolution::Ambiguous { candidates, .. } => {
                (format!("ref:{}", r.fold), candidates.clone())
            }
            Resolution::External { .. } => (format!("ref:{}", r.fold), Vec::new()),
        };
        let pair = (from.to_string(), to);
        if let Some(&i) = slot.get(&pair) {
            let e: &mut GraphEdge = &mut edges[i];
            e.citations += 1;
            if e.relation.is_none() {
                e.relation = r.relation.clone();
            }
            continue;
        }
        slot.insert(pair.clone(), edges.len());
        edges.push(GraphEdge {
            from: pair.0,
            to: pair.1,
            key: r.key.clone(),
            label: r.label(),
            citations: 1,
            relation: r.relation.clone(),
            status: status(res).to_string(),
            candidates,
        });
    }
    // Stable: by citing id; within one document, the order of its citations.
    edges.sort_by(|a, b| a.from.cmp(&b.from));
    edges
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
    // node id → (key as cited, smallest; its label)
    let mut refs: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for e in &edges {
        if e.status == "exact" {
            if !member_set.contains(e.to.as_str()) {
                outside.push(&e.to);
            }
        } else {
            let k = refs
                .entry(e.to.as_str())
                .or_insert((e.key.as_str(), e.label.as_str()));
            if e.key.as_str() < k.0 {
                *k = (e.key.as_str(), e.label.as_str());
            }
        }
    }
    outside.sort_unstable();
    outside.dedup();
    nodes.extend(outside.iter().filter_map(|id| doc_node(graph, id, false)));
    nodes.extend(refs.into_iter().map(|(id, (key, label))| GraphNode {
        id: id.to_string(),
        title: None,
        number: None,
        date: None,
        province: None,
        issuer: None,
        doc_type: None,
        external: true,
        key: Some(key.to_string()),
        label: Some(label.to_string()),
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
pub fn edges_csv(edges: &[GraphEdge], format: CsvFormat) -> std::io::Result<Vec<u8>> {
    let mut w = CsvWriter::with_format(Vec::new(), format)?;
    w.header(CSV_COLUMNS)?;
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
            Cell::Text(&e.label),
            Cell::Int(e.citations as u64),
        ])?;
    }
    w.into_inner()
}
