//! `GET /api/graph`: the citation graph of a subcorpus (the documents a query and
//! search filters select), as JSON nodes and edges or as a CSV edge list.
//!
//! This file reads the parameters and answers; the graph is assembled by
//! [`crate::related::subgraph`], which documents the nodes and edges.

use std::time::Instant;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::params::{OutputParams, Params, QueryParams};
use super::stats::SubcorpusParams;
use super::{blocking, ApiError, AppState, ErrorBody};
use crate::related::subgraph::{self, GraphResponse, MAX_NODES};

/// `limit`, the node cap of `GET /api/graph`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct GraphLimit {
    /// Most nodes in the JSON answer (values above 2000 are capped to 2000; the CSV
    /// edge list is never cut).
    #[param(minimum = 0, maximum = 1000000000, default = default_nodes)]
    pub limit: Option<usize>,
}

fn default_nodes() -> usize {
    MAX_NODES
}

/// Parameters of `GET /api/graph`. Filters may be repeated: several values of one
/// filter are alternatives (OR); different filters must all hold (AND).
#[derive(Debug, Default, Deserialize)]
pub struct GraphParams {
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: SubcorpusParams,
    /// The node cap.
    #[serde(flatten)]
    pub limit: GraphLimit,
    /// `format` (`csv`: the edge list source_id, target_id, target_key, relation,
    /// status, candidates, target_label, citations), `bom` and `decimal`.
    #[serde(flatten)]
    pub output: OutputParams,
}
crate::combined_params!(GraphParams: SubcorpusParams, GraphLimit, OutputParams);
impl QueryParams for GraphParams {}

impl GraphParams {
    /// Most nodes.
    pub fn max_nodes(&self) -> usize {
        self.limit.limit.unwrap_or(MAX_NODES).min(MAX_NODES)
    }
}

/// The citation graph of a subcorpus.
///
/// JSON: nodes (subcorpus documents, the corpus documents they cite, and cited
/// numbers that are not exactly one corpus document, `external: true`) and edges
/// (one per citation, `status` exact | ambiguous | external), at most `limit` nodes
/// (default and maximum 2000; `truncated` says when some were left out).
/// `format=csv`: every edge as CSV (UTF-8, `bom=1` for a byte-order mark,
/// `decimal=comma` for `;` between fields; cells that a spreadsheet would read as
/// formulas are prefixed with `'`).
#[utoipa::path(
    get,
    path = "/api/graph",
    tag = "related",
    params(GraphParams),
    responses(
        (status = 200, description = "Nodes and edges (JSON), or with `format=csv` the edge list (columns source_id, target_id, target_key, relation, status, candidates, target_label, citations)",
         content((GraphResponse = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad query or parameter", body = ErrorBody),
    )
)]
pub async fn graph(
    State(state): State<AppState>,
    Params(params): Params<GraphParams>,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let graph = super::related::graph(&state).await?;
    let engine = state.engine.clone();
    let sub = params.subcorpus.subcorpus();
    let members = blocking(move || subgraph::members(&engine, &sub.q, &sub.filters)).await?;
    if params.output.csv() {
        let format = params.output.csv_format();
        let body = blocking(move || {
            let edges = subgraph::subcorpus_edges(&graph, members.as_ref());
            subgraph::edges_csv(&edges, format).map_err(|e| crate::Error::io("<csv>", e))
        })
        .await?;
        return super::csv_attachment("graph.csv", body.into());
    }
    let limit = params.max_nodes();
    let mut resp =
        blocking(move || Ok(subgraph::graph_response(&graph, members.as_ref(), limit))).await?;
    resp.took_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1000.0;
    Ok(Json(resp).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::params::parse;

    #[test]
    fn parameters() {
        let r = parse::<GraphParams>(Some(
            "q=thi+%C4%91ua&province=A&province=B&year=2019&format=csv&bom=1&limit=99999",
        ))
        .unwrap();
        let sub = r.subcorpus.subcorpus();
        assert_eq!(sub.q, "thi đua");
        assert_eq!(sub.filters.province, ["A", "B"]);
        assert_eq!(sub.filters.year, [2019]);
        assert!(r.output.csv() && r.output.bom());
        assert_eq!(r.max_nodes(), MAX_NODES);
        for (qs, name) in [
            ("format=xml", "format"),
            ("bom=2", "bom"),
            ("q=a&q=b", "q"),
            ("year=19", "year"),
            ("limit=x", "limit"),
            ("colour=red", "colour"),
        ] {
            let e = parse::<GraphParams>(Some(qs)).unwrap_err();
            assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST, "{qs}");
            let body = format!("{e:?}");
            assert!(body.contains(name), "{qs}: {body}");
        }
    }
}
