//! The web page at `/`: one HTML file, a script and a style sheet, embedded in the
//! binary (no CDN, no build step; works offline).

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use super::AppState;

/// The page.
pub const INDEX_HTML: &str = include_str!("../web/index.html");
/// Its script.
pub const APP_JS: &str = include_str!("../web/app.js");
/// The statistics view's script.
pub const STATS_JS: &str = include_str!("../web/stats.js");
/// Its style sheet.
pub const STYLE_CSS: &str = include_str!("../web/style.css");

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
}

/// Routes of the page and its assets.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/stats.js",
            get(|| async { asset("text/javascript; charset=utf-8", STATS_JS) }),
        )
        .route(
            "/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }),
        )
}
