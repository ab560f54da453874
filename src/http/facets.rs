//! `GET /api/facets`: facet counts over the whole corpus.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::params::{NoParams, Params};
use super::{blocking, ApiError, AppState, ErrorBody};
use crate::query::{Bucket, FacetCounts, DEFAULT_MAX_BUCKETS};

/// One value of a facet with its number of documents.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetBucket {
    /// The value as indexed (e.g. `Kiên Giang`, `chuyen_doi_so`, `2019`); use it as
    /// the filter's value.
    pub value: String,
    /// Number of documents with this value.
    pub count: u64,
}

impl From<Bucket> for FacetBucket {
    fn from(b: Bucket) -> FacetBucket {
        FacetBucket {
            value: b.value,
            count: b.count,
        }
    }
}

/// Exact counts per facet, each ordered by count (descending) then value, at most 50 buckets.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Facets {
    /// Province at the time of issue (filter: `province`).
    pub province: Vec<FacetBucket>,
    /// Province after the 1 July 2025 merger (filter: `province_current`).
    pub province_current: Vec<FacetBucket>,
    /// Level of the issuer: `trung ương`, `tỉnh`, `huyện`, `xã` (filter: `level`).
    pub level: Vec<FacetBucket>,
    /// Commune, ward or special zone of the issuer (filter: `commune`).
    pub commune: Vec<FacetBucket>,
    /// Theme ids (filter: `theme`).
    pub theme: Vec<FacetBucket>,
    /// Document types (filter: `type`).
    #[serde(rename = "type")]
    pub doc_type: Vec<FacetBucket>,
    /// Issuing bodies (filter: `issuer`).
    pub issuer: Vec<FacetBucket>,
    /// Issue years (filter: `year`).
    pub year: Vec<FacetBucket>,
}

impl From<FacetCounts> for Facets {
    fn from(c: FacetCounts) -> Facets {
        let conv = |v: Vec<Bucket>| v.into_iter().map(FacetBucket::from).collect();
        Facets {
            province: conv(c.province),
            province_current: conv(c.province_current),
            level: conv(c.level),
            commune: conv(c.commune),
            theme: conv(c.theme),
            doc_type: conv(c.doc_type),
            issuer: conv(c.issuer),
            year: conv(c.year),
        }
    }
}

/// The answer of `GET /api/facets`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetsResponse {
    /// Number of documents in the corpus.
    pub total: u64,
    /// Counts per facet.
    pub facets: Facets,
}

/// Facet counts over the whole corpus.
#[utoipa::path(
    get,
    path = "/api/facets",
    tag = "search",
    responses(
        (status = 200, description = "Counts per facet over every document", body = FacetsResponse),
        (status = 500, description = "Internal error", body = ErrorBody),
    )
)]
pub async fn facets(
    State(state): State<AppState>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<FacetsResponse>, ApiError> {
    let engine = state.engine.clone();
    let (total, counts) = blocking(move || {
        let searcher = engine.searcher();
        Ok((
            searcher.num_docs(),
            searcher.search(
                &tantivy::query::AllQuery,
                &engine.facet_collector(DEFAULT_MAX_BUCKETS),
            )?,
        ))
    })
    .await?;
    Ok(Json(FacetsResponse {
        total,
        facets: counts.into(),
    }))
}
