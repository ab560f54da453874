//! `GET /api/search`: hits with snippets, and facet counts under the same query
//! and filters.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::facets::Facets;
use super::{blocking, ApiError, AppState, ErrorBody};
use crate::query::build::Reduced;
use crate::query::expand::Expansion;
use crate::query::facets::DEFAULT_MAX_BUCKETS;
use crate::query::{Filters, Hit, SearchRequest, Sort};

/// Hits per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// Most hits per page; larger `limit`s are capped to this.
pub const MAX_PAGE: usize = 100;
/// Snippet fragments per hit.
pub const FRAGMENTS: usize = 3;

/// Parameters of `GET /api/search`. Filters may be repeated: several values of one
/// filter are alternatives (OR); different filters must all hold (AND).
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query: words (all required), "phrases", -exclusions, OR, document numbers.
    /// Typed with diacritics it matches that spelling; without, any spelling. Up to
    /// 20,000 characters (long questions and passages are reduced to their most
    /// distinctive syllables). Empty: every document matching the filters.
    pub q: Option<String>,
    /// Province at the time of issue (accents and case optional). Repeatable.
    pub province: Option<Vec<String>>,
    /// Province after the 1 July 2025 merger. Repeatable.
    pub province_current: Option<Vec<String>>,
    /// Theme id (e.g. `chuyen_doi_so`). Repeatable.
    pub theme: Option<Vec<String>>,
    /// Document type (e.g. `Kế hoạch`). Repeatable.
    #[param(rename = "type")]
    pub doc_type: Option<Vec<String>>,
    /// Issuing body. Repeatable.
    pub issuer: Option<Vec<String>>,
    /// Documents citing this number, any spelling (e.g. `34-CT/TW`). Repeatable.
    #[param(rename = "ref")]
    pub refs: Option<Vec<String>>,
    /// Issued on or after (`YYYY-MM-DD` or `YYYY`).
    pub from: Option<String>,
    /// Issued on or before (`YYYY-MM-DD` or `YYYY`).
    pub to: Option<String>,
    /// Issue year. Repeatable.
    pub year: Option<Vec<u16>>,
    /// Hits to skip (default 0, at most 100000).
    pub offset: Option<usize>,
    /// Hits per page (default 10; values above 100 are capped to 100).
    pub limit: Option<usize>,
    /// Order: `relevance` (default) or `date` (newest first).
    pub sort: Option<String>,
}

/// The answer of `GET /api/search`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResponse {
    /// Number of matching documents.
    pub total: usize,
    /// Hits skipped.
    pub offset: usize,
    /// Page size used.
    pub limit: usize,
    /// The page of hits.
    pub hits: Vec<Hit>,
    /// Exact counts per facet over all matching documents (not just this page).
    pub facets: Facets,
    /// No document has every word: `total` and the hits are documents with some of them.
    pub relaxed: bool,
    /// The query was typed with diacritics and no document has that spelling: the hits
    /// match the words whatever their accents.
    pub accents_ignored: bool,
    /// The query was long and only its most discriminative syllables were searched
    /// (any of them may match).
    pub reduced: Option<Reduced>,
    /// Abbreviations and full forms searched besides what was typed (`UBND` = `ủy ban
    /// nhân dân`).
    pub expanded: Vec<Expansion>,
    /// For a query typed without diacritics, its most likely accented spelling in this
    /// corpus (`chuyen doi so` → `chuyển đổi số`).
    pub suggestion: Option<String>,
    /// Time spent searching, in milliseconds.
    pub took_ms: f64,
}

/// Reads a query string with repeated keys into a search request.
pub fn parse_params(query: Option<&str>) -> Result<SearchRequest, ApiError> {
    let pairs = super::query_pairs(query)?;
    let mut req = SearchRequest {
        limit: DEFAULT_LIMIT,
        fragments: FRAGMENTS,
        ..SearchRequest::default()
    };
    let mut q_seen = false;
    let mut f = Filters::default();
    for (key, value) in pairs {
        if super::filter_param(&mut f, &key, &key, value.clone())? {
            continue;
        }
        let number = |v: &str| -> Result<usize, ApiError> {
            v.trim().parse::<usize>().map_err(|_| {
                ApiError::invalid(&key, format!("{v:?} is not a non-negative whole number"))
            })
        };
        match key.as_str() {
            "q" => {
                if q_seen {
                    return Err(ApiError::invalid(
                        "q",
                        "given more than once; combine alternatives with OR",
                    ));
                }
                q_seen = true;
                req.query = value;
            }
            "offset" => req.offset = number(&value)?,
            "limit" => req.limit = number(&value)?.min(MAX_PAGE),
            "sort" => req.sort = value.trim().parse::<Sort>()?,
            other => {
                return Err(ApiError::invalid(
                    other,
                    "unknown parameter; expected q, province, province_current, theme, type, \
                     issuer, ref, from, to, year, offset, limit or sort",
                ))
            }
        }
    }
    req.filters = f;
    Ok(req)
}

/// Recent search responses (serialized), valid for one index version
/// ([`crate::query::Engine::version`]).
///
/// Keys are the parsed request, so equivalent query strings share an entry. When
/// the index version changes (a commit landed), the cache
/// empties; when it is full, it empties too (a crude but bounded policy that keeps
/// the hot set after a short warm-up).
#[derive(Debug)]
pub struct ResponseCache {
    max: usize,
    inner: Mutex<(u64, HashMap<String, Bytes>)>,
}

impl ResponseCache {
    /// A cache of at most `max` responses (0: never caches).
    pub fn new(max: usize) -> ResponseCache {
        ResponseCache {
            max,
            inner: Mutex::new((0, HashMap::new())),
        }
    }

    fn get(&self, generation: u64, key: &str) -> Option<Bytes> {
        if self.max == 0 {
            return None;
        }
        let mut inner = self.inner.lock().ok()?;
        if inner.0 != generation {
            inner.0 = generation;
            inner.1.clear();
            return None;
        }
        inner.1.get(key).cloned()
    }

    fn put(&self, generation: u64, key: String, body: Bytes) {
        if self.max == 0 {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.0 != generation {
            return; // computed on a searcher that is no longer current
        }
        if inner.1.len() >= self.max {
            inner.1.clear();
        }
        inner.1.insert(key, body);
    }
}

fn json_response(body: Bytes, cache: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::HeaderName::from_static("x-cache"),
                HeaderValue::from_static(cache),
            ),
        ],
        body,
    )
        .into_response()
}

/// Search the corpus.
///
/// Responses carry `X-Cache: hit` when served from the cache of recent searches
/// (same parameters, same index version; `took_ms` is then the original time).
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "Hits, facet counts and timing", body = SearchResponse),
        (status = 400, description = "Bad query (with the character position) or bad parameter", body = ErrorBody),
        (status = 408, description = "The search took too long", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let req = parse_params(query.as_deref())?;
    let generation = state.engine.version();
    let key = format!("{req:?}");
    if let Some(body) = state.cache.get(generation, &key) {
        return Ok(json_response(body, "hit"));
    }
    let (offset, limit) = (req.offset, req.limit);
    let engine = state.engine.clone();
    let started = Instant::now();
    let (results, facets) =
        blocking(move || engine.search_with(&req, engine.facet_collector(DEFAULT_MAX_BUCKETS)))
            .await?;
    let took_ms = started.elapsed().as_secs_f64() * 1000.0;
    let resp = SearchResponse {
        total: results.total,
        offset,
        limit,
        hits: results.hits,
        facets: facets.into(),
        relaxed: results.relaxed,
        accents_ignored: results.accents_ignored,
        reduced: results.reduced,
        expanded: results.expanded,
        suggestion: results.suggestion,
        took_ms: (took_ms * 1000.0).round() / 1000.0,
    };
    let body = Bytes::from(serde_json::to_vec(&resp).map_err(|e| ApiError::internal(&e))?);
    state.cache.put(generation, key, body.clone());
    Ok(json_response(body, "miss"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_alternatives() {
        let r = parse_params(Some(
            "q=thi%20%C4%91ua&province=Ki%C3%AAn+Giang&province=%C4%90%E1%BB%93ng+Th%C3%A1p&year=2019&year=2022&limit=500&sort=date&ref=34-CT%2FTW",
        ))
        .unwrap();
        assert_eq!(r.query, "thi đua");
        assert_eq!(r.filters.province, ["Kiên Giang", "Đồng Tháp"]);
        assert_eq!(r.filters.year, [2019, 2022]);
        assert_eq!(r.filters.refs, ["34-CT/TW"]);
        assert_eq!(r.limit, MAX_PAGE);
        assert_eq!(r.sort, Sort::Date);
        assert_eq!(r.fragments, FRAGMENTS);
    }

    #[test]
    fn bad_parameters_are_named() {
        for (qs, name) in [
            ("limit=-1", "limit"),
            ("offset=x", "offset"),
            ("year=19", "year"),
            ("sort=size", "sort"),
            ("from=1&from=2", "from"),
            ("q=a&q=b", "q"),
            ("provnce=x", "provnce"),
        ] {
            let e = parse_params(Some(qs)).unwrap_err();
            assert_eq!(e.detail.parameter.as_deref(), Some(name), "{qs}: {e:?}");
        }
    }
}
