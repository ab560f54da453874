//! `GET /openapi.json`: the API's OpenAPI 3.1 description, generated from the
//! handlers' and types' annotations (utoipa).
//!
//! The description is the contract: query parameters come from the same types
//! the handlers deserialise ([`super::params`]), with their types, enums, ranges,
//! lengths, patterns and defaults; responses list their content types (JSON, and
//! `text/csv` where `format=csv` is offered). [`CommonResponses`] adds the answers
//! every operation can give whatever its parameters — 400 for a parameter it does
//! not declare, 405, 408, 413, 414, 431 and 500 — so that an independent client
//! (`scripts/api-check.sh`, Schemathesis) can check every status against it.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{Modify, OpenApi};

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
        super::themes::themes,
        super::health::health,
        super::related::related,
        super::related::document_related,
        super::reuse::document_reuse,
        super::reuse::pairs,
        super::graph::graph,
        super::stats::frequency,
        super::stats::trend,
        super::stats::top,
        super::stats::keyness,
        super::stats::kwic,
        super::stats::collocates,
    ),
    components(schemas(super::ErrorBody, super::ErrorDetail)),
    modifiers(&CommonResponses),
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

/// Adds the answers any operation can give to every operation of the description.
#[derive(Debug, Clone, Copy)]
pub struct CommonResponses;

/// Status, description, and whether the body is a JSON [`super::ErrorBody`] (414
/// and 431 come from the HTTP layer, before the router, with an empty body).
const COMMON: &[(&str, &str, bool)] = &[
    ("400", "A parameter this operation does not declare, a repeated single-valued parameter, or a value outside its declaration", true),
    ("405", "Any method but GET or HEAD: the API is read-only (`Allow` lists the methods)", true),
    ("408", "The request took longer than the server's timeout", true),
    ("413", "A request body (no operation takes one) larger than the limit", true),
    ("414", "URI longer than 64 KiB (answered by the HTTP layer, empty body)", false),
    ("431", "Request head larger than the HTTP layer accepts (empty body)", false),
    ("500", "Internal error (logged by the server, never detailed)", true),
];

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let Some(op) = item.get.as_mut() else {
                continue;
            };
            for &(status, description, json) in COMMON {
                let mut response = ResponseBuilder::new().description(description);
                if json {
                    response = response.content(
                        "application/json",
                        Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                    );
                }
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::T(response.build()));
            }
        }
    }
}

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
