//! `GET /openapi.json`: the API's OpenAPI 3.1 description, generated from the
//! handlers' and types' annotations (utoipa).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;

use super::AppState;

/// The OpenAPI description of the service.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "kehoach",
        description = "Read-only search API over a corpus of Vietnamese government plans. \
                       Errors are JSON: {\"error\":{\"code\":\"…\",\"message\":\"…\"}}."
    ),
    paths(
        super::search::search,
        super::documents::document,
        super::references::list,
        super::references::key,
        super::facets::facets,
        super::health::health,
        super::related::related,
        super::related::document_related,
        super::graph::graph,
        super::stats::frequency,
        super::stats::trend,
        super::stats::top,
        super::stats::keyness,
        super::stats::kwic,
        super::stats::collocates,
    ),
    components(schemas(super::ErrorBody, super::ErrorDetail)),
    tags(
        (name = "search", description = "Full-text search with filters and facets"),
        (name = "documents", description = "Whole documents"),
        (name = "references", description = "Document numbers and citations"),
        (name = "service", description = "Health"),
        (name = "related", description = "Related plans and the citation graph"),
        (name = "statistics", description = "Term frequency, trend, n-grams, keyness, concordance, collocates (JSON or CSV)"),
    )
)]
pub struct ApiDoc;

/// The description as JSON text.
pub fn json() -> String {
    ApiDoc::openapi()
        .to_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot describe the API: {e}\"}}"))
}

/// The OpenAPI description of this API.
pub async fn openapi(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.as_str().to_owned(),
    )
}
