//! `GET /healthz`: liveness, the number of documents served, and the memory each
//! cache holds with its limits.

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
    /// What the service keeps in memory besides the index: each cache, its size
    /// now (estimated bytes) and its limits.
    pub caches: Vec<crate::query::CacheUsage>,
}

/// Liveness, how many documents are searchable, and what the caches hold.
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
        caches: [
            vec![state.cache.usage()],
            state.stats.cache_usage(),
            vec![state.graph.usage(), state.reuse.usage()],
            state.engine.cache_usage(),
        ]
        .concat(),
    }))
}
