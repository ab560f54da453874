//! `GET /healthz`: liveness and the number of documents served.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::params::{NoParams, Params};
use super::{ApiError, AppState};

/// The answer of `GET /healthz`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the service answers.
    pub status: String,
    /// Number of documents searchable now.
    pub documents: u64,
}

/// Liveness, and how many documents are searchable.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    responses((status = 200, description = "The service is up", body = Health))
)]
pub async fn health(
    State(state): State<AppState>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<Health>, ApiError> {
    Ok(Json(Health {
        status: "ok".into(),
        documents: state.engine.num_docs(),
    }))
}
