//! `GET /api/themes`: the theme taxonomy, so that pages and clients show a theme
//! by its name (`Chuyển đổi số, chính quyền số`) rather than its id
//! (`chuyen_doi_so`), which is what facets, filters and hits carry.

use std::sync::LazyLock;

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::params::{NoParams, Params};
use super::ApiError;
use crate::document::Taxonomy;

/// One theme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeLabel {
    /// Stable id, as in facets, filters (`theme=`) and hits.
    pub id: String,
    /// Vietnamese name.
    pub label_vi: String,
    /// English name.
    pub label_en: String,
}

/// The themes of the taxonomy documents are tagged with, in taxonomy order.
#[utoipa::path(
    get,
    path = "/api/themes",
    tag = "search",
    responses((status = 200, description = "Every theme with its names", body = [ThemeLabel]))
)]
pub async fn themes(
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<&'static [ThemeLabel]>, ApiError> {
    Ok(Json(THEMES.as_slice()))
}

/// The built-in taxonomy's names, read once.
static THEMES: LazyLock<Vec<ThemeLabel>> = LazyLock::new(|| {
    Taxonomy::builtin()
        .themes()
        .iter()
        .map(|t| ThemeLabel {
            id: t.id.clone(),
            label_vi: t.label_vi.clone(),
            label_en: t.label_en.clone(),
        })
        .collect()
});
