//! The search service: a read-only JSON API under `/api`, a health check, an
//! OpenAPI description and a web page, served by axum.
//!
//! One private file per endpoint: `search`, `documents`, `references`, `facets`,
//! `stats/`, `related`, `graph`, `health`, `openapi` and `web`; handlers parse, call
//! the library and answer. Query strings are read by `params`: each endpoint's
//! parameters are one type that both receives them (serde) and describes them
//! (OpenAPI; [`QueryParams::declared`]), and values are checked against that
//! description, so `/openapi.json` lists exactly what is accepted. The parameter
//! types are public ([`SearchParams`], [`FrequencyParams`], …) so that tests can
//! compare them with the description. This file holds the router,
//! the shared state, the middleware stack and the error type.
//!
//! Every error is JSON: `{"error":{"code":"…","message":"…"}}` with status 400
//! (bad query or parameter), 404 (unknown document, key or route), 405 (wrong
//! method: there are no write endpoints), 408 (timeout), 413 (request body too
//! large) or 500 (logged, never detailed to the client).
//!
//! Searching is synchronous (tantivy), so handlers run it on tokio's blocking pool.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::sync::Arc;
//! let engine = Arc::new(kehoach::query::Engine::open("index".as_ref()).expect("index"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! kehoach::http::serve(listener, engine, kehoach::http::Config::default(), async {
//!     let _ = tokio::signal::ctrl_c().await;
//! })
//! .await
//! # }
//! ```

mod documents;
mod facets;
mod graph;
mod health;
mod openapi;
mod params;
mod references;
mod related;
mod reuse;
mod search;
mod stats;
mod themes;
mod web;

pub use graph::GraphParams;
pub use params::{NoParams, QueryParams};
pub use references::{ReferenceKeyParams, ReferencesParams};
pub use related::RelatedParams;
pub use reuse::ReuseParams;
pub use search::SearchParams;
pub use stats::{
    CollocatesParams, FrequencyParams, KeynessParams, KwicParams, TopParams, TrendParams,
};

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::ToSchema;

use crate::query::Engine;

/// Settings of the service.
#[derive(Debug, Clone)]
pub struct Config {
    /// Longest a request may take before it is answered with 408.
    pub timeout: Duration,
    /// Largest request body accepted (no endpoint takes a body); larger ones get 413.
    pub body_limit: usize,
    /// Search responses kept in memory (0: no cache). Entries belong to one index
    /// generation: a new commit empties the cache.
    pub cache_entries: usize,
    /// Bytes of search responses (and their keys) kept in memory, at most.
    pub cache_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            timeout: Duration::from_secs(10),
            body_limit: 16 * 1024,
            cache_entries: 1024,
            cache_bytes: 64 << 20,
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The search engine (picks up new commits by itself).
    pub engine: Arc<Engine>,
    /// The OpenAPI description, serialized once.
    pub openapi: Arc<String>,
    /// Recent search responses of the current index generation.
    pub cache: Arc<search::ResponseCache>,
    /// The citation graph of the current commit (built on first use).
    pub graph: Arc<crate::related::GraphCache>,
    /// Corpus statistics (one instance: its caches are keyed by index commit).
    pub stats: Arc<crate::stats::Stats>,
    /// Text reuse (its fingerprints are kept per index commit).
    pub reuse: Arc<crate::reuse::Reuse>,
}

/// Builds the service's router with its middleware.
pub fn router(engine: Arc<Engine>, config: &Config) -> Router {
    let state = AppState {
        stats: Arc::new(crate::stats::Stats::new(engine.clone())),
        reuse: Arc::new(crate::reuse::Reuse::new(engine.clone())),
        engine,
        openapi: Arc::new(openapi::json()),
        cache: Arc::new(search::ResponseCache::new(
            config.cache_entries,
            config.cache_bytes,
        )),
        graph: Arc::new(crate::related::GraphCache::new()),
    };
    let api = Router::new()
        .route("/api/search", get(search::search))
        // `{id}/related` is dispatched there too (ids may contain `/`).
        .route("/api/documents/{*id}", get(related::document_or_related))
        .route("/api/related/{*id}", get(related::related))
        .route("/api/reuse", get(reuse::pairs))
        .route("/api/reuse/{*id}", get(reuse::reuse_of))
        .route("/api/graph", get(graph::graph))
        .route("/api/references", get(references::list))
        .route("/api/references/{*key}", get(references::key))
        .route("/api/facets", get(facets::facets))
        .route("/api/themes", get(themes::themes))
        .route("/api/stats/frequency", get(stats::frequency))
        .route("/api/stats/trend", get(stats::trend))
        .route("/api/stats/top", get(stats::top))
        .route("/api/stats/keyness", get(stats::keyness))
        .route("/api/stats/kwic", get(stats::kwic))
        .route("/api/stats/collocates", get(stats::collocates))
        .route("/healthz", get(health::health))
        .route("/openapi.json", get(openapi::openapi))
        .merge(web::routes())
        .merge(related::routes())
        .merge(reuse::routes())
        .fallback(not_found)
        .with_state(state);
    layers(api, config)
}

/// Wraps `router` in the service's middleware: JSON errors, tracing, compression,
/// CORS (GET only), request body limit, timeout and security headers.
pub fn layers(router: Router, config: &Config) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD]);
    // The last layer added is the outermost: trace → compression → CORS → security
    // headers → JSON errors → body limit → timeout → routes. JSON errors sit inside
    // compression (they read plain bodies) and outside the limit and the timeout (they
    // rewrite their answers); security headers go on every answer, errors included.
    router
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.timeout,
        ))
        .layer(RequestBodyLimitLayer::new(config.body_limit))
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn(security_headers))
        .layer(cors)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Serves the API on `listener` until `shutdown` completes, then finishes the
/// requests in flight.
pub async fn serve<F>(
    listener: tokio::net::TcpListener,
    engine: Arc<Engine>,
    config: Config,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let app = router(engine, &config);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable code: `bad_query`, `invalid_parameter`, `not_found`,
    /// `method_not_allowed`, `timeout`, `payload_too_large`, `internal`.
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
    /// For `bad_query`: 0-based character position in `q` where the problem was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    /// For `invalid_parameter`: the parameter's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: ErrorDetail,
}

impl ApiError {
    /// An error with a status, a code and a message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            detail: ErrorDetail {
                code: code.into(),
                message: message.into(),
                position: None,
                parameter: None,
            },
        }
    }

    /// A 400 for parameter `name`.
    pub fn invalid(name: &str, message: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, "invalid_parameter", "");
        e.detail.message = format!("invalid {name}: {}", message.into());
        e.detail.parameter = Some(name.to_string());
        e
    }

    /// A 500 whose cause is logged, not shown.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {cause}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see the server's log",
        )
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// For `invalid_parameter`: the parameter's name.
    pub fn parameter(&self) -> Option<&str> {
        self.detail.parameter.as_deref()
    }
}

impl From<crate::Error> for ApiError {
    fn from(e: crate::Error) -> ApiError {
        match e {
            crate::Error::Query { position, message } => {
                let mut err = ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_query",
                    format!("bad query at character {position}: {message}"),
                );
                err.detail.position = Some(position);
                err
            }
            crate::Error::InvalidParameter { name, message } => ApiError::invalid(&name, message),
            crate::Error::NotFound(id) => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no document with id {id:?}"),
            ),
            other => ApiError::internal(&other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.detail })).into_response()
    }
}

/// Runs synchronous search work on the blocking pool.
/// Most searches and statistics computed at once: twice the cores. Requests beyond
/// wait for a permit before any work starts, so a request that times out while
/// waiting costs nothing, and a burst of slow requests (CSV exports, cold n-gram
/// tables) cannot pile hundreds of computations onto the blocking pool. Work that
/// has started runs to its end (blocking work cannot be cancelled) and holds its
/// permit until then.
static WORK: std::sync::LazyLock<Arc<tokio::sync::Semaphore>> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Arc::new(tokio::sync::Semaphore::new(2 * cores))
});

/// A CSV answer: `text/csv` as an attachment named `file` (ASCII), never cached.
pub(crate) fn csv_attachment(file: &str, body: Body) -> Result<Response, ApiError> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
        .map_err(|e| ApiError::internal(&e))?;
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

pub(crate) async fn blocking<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> crate::Result<T> + Send + 'static,
    T: Send + 'static,
{
    let permit = Arc::clone(&WORK)
        .acquire_owned()
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let work = move || {
        let result = f();
        drop(permit);
        result
    };
    match tokio::task::spawn_blocking(work).await {
        Ok(r) => r.map_err(ApiError::from),
        Err(e) => Err(ApiError::internal(&e)),
    }
}

async fn not_found(req: Request<Body>) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {} {}", req.method(), req.uri().path()),
    )
}

/// The policy of every answer: scripts only from this server's own files (no inline
/// script, no `eval`), no plugins, no `<base>` rewriting, no framing. Documents are
/// untrusted text; if one ever reached the page as markup, it still could not run.
/// Styles are not restricted (the charts set inline colours).
pub const CONTENT_SECURITY_POLICY: &str =
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Adds `X-Content-Type-Options: nosniff` (JSON and CSV carrying document text are
/// never sniffed as HTML) and [`CONTENT_SECURITY_POLICY`] to every answer.
async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    resp
}

/// Turns error responses that middleware or extractors answered in plain text
/// (timeouts, body limits, wrong methods, bad paths) into JSON errors.
async fn json_errors(req: Request<Body>, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", format!("no route for {method} {path}")),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            format!("{method} is not allowed on {path}; this API is read-only (GET)"),
        ),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long".to_string()),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is too large".to_string(),
        ),
        s if s.is_client_error() => (
            "bad_request",
            if text.is_empty() {
                s.canonical_reason().unwrap_or("bad request").to_string()
            } else {
                text
            },
        ),
        _ => {
            tracing::error!("{method} {path}: {status}: {text}");
            (
                "internal",
                "internal error; see the server's log".to_string(),
            )
        }
    };
    let mut out = ApiError::new(status, code, message).into_response();
    // Keep headers such as `Allow` (405) and CORS.
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    async fn body_json(resp: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn slow_requests_get_a_json_408() {
        let slow = Router::new().route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "done"
            }),
        );
        let config = Config {
            timeout: Duration::from_millis(20),
            ..Config::default()
        };
        let resp = layers(slow, &config)
            .oneshot(Request::get("/slow").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::REQUEST_TIMEOUT);
        let v = body_json(resp).await;
        assert_eq!(v["error"]["code"], "timeout", "{v}");
    }

    #[tokio::test]
    async fn server_errors_do_not_leak_details() {
        let broken = Router::new().route(
            "/broken",
            get(|| async {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "secret path /home/x/index",
                )
            }),
        );
        let resp = layers(broken, &Config::default())
            .oneshot(Request::get("/broken").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let v = body_json(resp).await;
        assert_eq!(v["error"]["code"], "internal", "{v}");
        assert!(!v.to_string().contains("secret"), "{v}");
    }
}
