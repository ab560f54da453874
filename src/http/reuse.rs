//! `GET /api/documents/{id}/reuse` and `GET /api/reuse`: text reuse — the passages
//! a document shares with others (which way the text went, what each copy
//! changed), and the pairs of documents sharing text in a subcorpus.
//!
//! The corpus fingerprints are built once per index commit ([`Reuse`]) on the
//! blocking pool; requests that arrive during a build wait for it.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::params::{OutputParams, Params, QueryParams};
use super::stats::SubcorpusParams;
use super::{blocking, csv_attachment, ApiError, AppState, ErrorBody};
use crate::reuse::{DocumentReuse, Reuse, ReusePairs};
use crate::table::write_csv;

/// The page's script for the reuse panel and the side-by-side view.
pub const REUSE_JS: &str = include_str!("../web/reuse.js");

/// The route of the page's `reuse.js`.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(
        "/reuse.js",
        axum::routing::get(|| async {
            (
                [
                    (
                        axum::http::header::CONTENT_TYPE,
                        "text/javascript; charset=utf-8",
                    ),
                    (axum::http::header::CACHE_CONTROL, "no-cache"),
                ],
                REUSE_JS,
            )
        }),
    )
}

/// Pairs when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 50;
/// Most pairs; larger `limit`s are capped to this.
pub const MAX_LIMIT: usize = 500;

/// Own parameters of `GET /api/reuse`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ReuseOwn {
    /// Pairs (at most 500).
    #[param(minimum = 0, maximum = 1000000000, default = default_limit)]
    pub limit: Option<usize>,
}

fn default_limit() -> usize {
    DEFAULT_LIMIT
}

/// Parameters of `GET /api/reuse`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReuseParams {
    /// `limit`.
    #[serde(flatten)]
    pub own: ReuseOwn,
    /// The subcorpus: at least one document of each pair is in it.
    #[serde(flatten)]
    pub subcorpus: SubcorpusParams,
    /// `format`, `bom` and `decimal`.
    #[serde(flatten)]
    pub output: OutputParams,
}
crate::combined_params!(ReuseParams: ReuseOwn, SubcorpusParams, OutputParams);
impl QueryParams for ReuseParams {}

/// The document's reuse (called by the `/api/documents/{*id}` route for paths
/// ending in `/reuse`).
pub(crate) async fn answer(state: &AppState, id: String) -> Result<Json<DocumentReuse>, ApiError> {
    let reuse: Arc<Reuse> = state.reuse.clone();
    Ok(Json(blocking(move || reuse.document(&id)).await?))
}

/// The passages a document shares with others.
///
/// `sources`: documents it took text from (the earlier by date, else the one it
/// cites), `copies`: documents that took text from it, `unknown`: neither decides;
/// each with the share of this document's syllables in the shared passages.
/// `passages`: byte spans into this document's text (`start`, `end`) and the other's
/// (`doc_start`, `doc_end`), with `direction`, the `rule` that decided it, and the
/// `edits` (date, number, place, organisation, other).
#[utoipa::path(
    get,
    path = "/api/documents/{id}/reuse",
    tag = "related",
    params(("id" = String, Path, description = "Document id, percent-encoded")),
    responses(
        (status = 200, description = "The document's reuse", body = DocumentReuse),
        (status = 404, description = "No document with this id", body = ErrorBody),
    )
)]
#[allow(
    dead_code,
    reason = "never called: its #[utoipa::path] describes the route"
)]
pub async fn document_reuse() {
    // OpenAPI entry only: the route is `/api/documents/{*id}` (see `related::document_or_related`).
}

/// `GET /api/reuse/{id}`: the unambiguous form of `/api/documents/{id}/reuse`.
pub async fn reuse_of(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<DocumentReuse>, ApiError> {
    answer(&state, id).await
}

/// Pairs of documents sharing text, at least one of each pair in the subcorpus
/// (`q` and the search filters), most reused syllables first; `format=csv` for a
/// spreadsheet.
#[utoipa::path(
    get,
    path = "/api/reuse",
    tag = "related",
    params(ReuseParams),
    responses(
        (status = 200, description = "Pairs sharing text (JSON), or CSV with columns source, copy, rule, passages, syllables, copy_share, source_share, similarity",
         content((ReusePairs = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    )
)]
pub async fn pairs(
    State(state): State<AppState>,
    Params(p): Params<ReuseParams>,
) -> Result<Response, ApiError> {
    let limit = p.own.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let sub = p.subcorpus.subcorpus();
    let reuse = state.reuse.clone();
    let found = blocking(move || reuse.pairs(&sub.q, &sub.filters, limit)).await?;
    if !p.output.csv() {
        return Ok(Json(found).into_response());
    }
    let bytes =
        write_csv(&found, Vec::new(), p.output.csv_format()).map_err(|e| ApiError::internal(&e))?;
    csv_attachment("kehoach-reuse.csv", Body::from(bytes))
}
