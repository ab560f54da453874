//! `GET /api/documents/{id}/related` and `GET /api/related/{id}`: the related plans
//! of a document — what it cites (resolved: exact, ambiguous or external), who cites
//! it, siblings citing the same documents, the upstream chain and textually similar
//! documents — and the page's `related.js`.
//!
//! Ids may contain `/`, and `/api/documents/{id}` takes the whole rest of the path
//! (a percent-encoded `/` arrives decoded), so `/api/documents/{id}/related` is
//! dispatched by [`document_or_related`]: a path ending in `/related` answers the
//! related sets of the id before it when that id is a document (or when the whole
//! path is not one either: 404); otherwise it is the document whose id is the whole
//! path. `/api/related/{id}` is the unambiguous form for every id.
//!
//! The citation graph is built once per index commit ([`GraphCache`]) on the
//! blocking pool; requests that arrive during a build wait for it.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::IntoParams;

use super::params::{self, Params, QueryParams};
use super::{blocking, ApiError, AppState, ErrorBody};
use crate::query::Engine;
use crate::related::{Graph, GraphCache, Related, SharedText};

/// Items per set when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// Most items per set; larger `limit`s are capped to this.
pub const MAX_LIMIT: usize = 100;

/// The page's script for the related panel.
pub const RELATED_JS: &str = include_str!("../web/related.js");

/// Parameters of the related endpoints.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct RelatedParams {
    /// Most items per set (values above 100 are capped to 100; `cites` is never cut).
    #[param(minimum = 0, maximum = 1000000000, default = default_limit)]
    pub limit: Option<usize>,
}
impl QueryParams for RelatedParams {}

impl RelatedParams {
    /// Items per set.
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT)
    }
}

fn default_limit() -> usize {
    DEFAULT_LIMIT
}

fn parse_limit(query: Option<&str>) -> Result<usize, ApiError> {
    Ok(params::parse::<RelatedParams>(query)?.limit())
}

/// The graph of the current commit (cached).
pub(crate) async fn graph(state: &AppState) -> Result<Arc<Graph>, ApiError> {
    let (cache, engine): (Arc<GraphCache>, Arc<Engine>) =
        (state.graph.clone(), state.engine.clone());
    blocking(move || cache.get(&engine)).await
}

async fn answer(state: &AppState, id: String, limit: usize) -> Result<Json<Related>, ApiError> {
    let graph = graph(state).await?;
    let engine = state.engine.clone();
    let reuse = state.reuse.clone();
    let related = blocking(move || {
        let mut related = graph.related(&id, Some(&engine), limit)?;
        // Text reuse strengthens siblings and similar documents with its evidence.
        // It is evidence, not the answer: if it cannot be had, the sets stand.
        if let Ok(r) = reuse.document(&id) {
            related.strengthen(&shared_text(&r));
        }
        Ok::<_, crate::Error>(related)
    })
    .await?;
    Ok(Json(related))
}

/// What a document's reuse report says about each document it shares text with.
fn shared_text(r: &crate::reuse::DocumentReuse) -> HashMap<String, SharedText> {
    let mut out = HashMap::new();
    for (shares, direction) in [
        (&r.sources, "source"),
        (&r.copies, "copy"),
        (&r.unknown, "unknown"),
    ] {
        for s in shares {
            out.entry(s.doc.clone()).or_insert_with(|| SharedText {
                passages: s.passages,
                share: s.share,
                direction: direction.to_string(),
            });
        }
    }
    out
}

/// The related plans of a document.
///
/// `cites`: every citation in the text with its resolution (`exact`: one corpus
/// document; `ambiguous`: several candidates, listed; `external`: not in the
/// corpus) and the citing sentence as `evidence`. `cited_by`: documents citing it
/// (exactly, or as one of several candidates, with a lower score). `siblings`:
/// documents citing the same upstream documents. `chain`: upstream documents,
/// breadth first, with their `depth`. `similar`: textually similar documents.
#[utoipa::path(
    get,
    path = "/api/related/{id}",
    tag = "related",
    params(
        ("id" = String, Path, description = "Document id, percent-encoded or with plain `/`"),
        RelatedParams
    ),
    responses(
        (status = 200, description = "The related sets", body = Related),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No document with this id", body = ErrorBody),
    )
)]
pub async fn related(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(params): Params<RelatedParams>,
) -> Result<Json<Related>, ApiError> {
    answer(&state, id, params.limit()).await
}

/// The related plans of a document: the same answer as `/api/related/{id}`.
///
/// Served by the `/api/documents/{id}` route: a path ending in `/related` whose
/// beginning is a document id gets the related sets; `/api/related/{id}` is the
/// unambiguous form for ids that themselves end in `/related`.
#[utoipa::path(
    get,
    path = "/api/documents/{id}/related",
    tag = "related",
    params(
        ("id" = String, Path, description = "Document id, percent-encoded"),
        RelatedParams
    ),
    responses(
        (status = 200, description = "The related sets", body = Related),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No document with this id", body = ErrorBody),
    )
)]
#[allow(
    dead_code,
    reason = "never called: its #[utoipa::path] describes the route"
)]
pub async fn document_related() {
    // OpenAPI entry only: the route is `/api/documents/{*id}` (see `document_or_related`).
}

/// `GET /api/documents/{*rest}`: the related sets when the path is `ID/related` and
/// ID is a document, else the document `rest` itself.
pub async fn document_or_related(
    State(state): State<AppState>,
    Path(rest): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    if let Some(id) = rest.strip_suffix("/related") {
        let graph = graph(&state).await?;
        if graph.node(id).is_some() || graph.node(&rest).is_none() {
            let limit = parse_limit(query.as_deref())?;
            return Ok(answer(&state, id.to_string(), limit).await?.into_response());
        }
    }
    if let Some(id) = rest.strip_suffix("/reuse") {
        let graph = graph(&state).await?;
        if graph.node(id).is_some() || graph.node(&rest).is_none() {
            params::parse::<params::NoParams>(query.as_deref())?;
            return Ok(super::reuse::answer(&state, id.to_string())
                .await?
                .into_response());
        }
    }
    params::parse::<params::NoParams>(query.as_deref())?;
    Ok(super::documents::document(State(state), Path(rest))
        .await?
        .into_response())
}

/// The route of the page's `related.js`.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/related.js",
        get(|| async {
            (
                [
                    (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                RELATED_JS,
            )
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_parsed_capped_and_checked() {
        assert_eq!(parse_limit(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(parse_limit(Some("limit=3")).unwrap(), 3);
        assert_eq!(parse_limit(Some("limit=100000")).unwrap(), MAX_LIMIT);
        assert!(parse_limit(Some("limit=x")).is_err());
        assert!(parse_limit(Some("colour=red")).is_err());
    }
}
