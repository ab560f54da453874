//! `GET /api/documents/{id}`: one document with its metadata, citations and text.
//!
//! Ids may contain `/` and spaces: percent-encode the id in the path
//! (`/api/documents/kg%2F325.txt`); an unencoded `/` works too, since the id is
//! the whole rest of the path.

use axum::extract::{Path, State};
use axum::Json;

use super::{blocking, ApiError, AppState, ErrorBody};
use crate::query::StoredDocument;

/// `GET /api/documents/{id}`: the full record (metadata, citations with spans and
/// citing sentence, body); 404 for an unknown id.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    tag = "documents",
    params(("id" = String, Path, description = "Document id, percent-encoded (`/` as %2F, space as %20)")),
    responses(
        (status = 200, description = "The document", body = StoredDocument),
        (status = 404, description = "No document with this id", body = ErrorBody),
    )
)]
pub async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<StoredDocument>, ApiError> {
    let engine = state.engine.clone();
    let doc = blocking(move || engine.document(&id)).await?;
    Ok(Json(doc))
}
