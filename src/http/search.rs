//! `GET /api/search`: hits with snippets, and facet counts under the same query
//! and filters.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::facets::Facets;
use super::params::{FilterParams, OutputParams, Params, QueryParams};
use super::{blocking, ApiError, AppState, ErrorBody};
use crate::query::Expansion;
use crate::query::Reduced;
use crate::query::DEFAULT_MAX_BUCKETS;
use crate::query::{Hit, SearchRequest, Sort};
use crate::table::{Cell, CsvWriter, RowSink};

/// Most hits per page; larger `limit`s are capped to this.
pub const MAX_PAGE: usize = 100;
/// Snippet fragments per hit.
pub const FRAGMENTS: usize = 3;
/// Most hits in one CSV export (`format=csv`): the library's own cap on one
/// request, [`SearchRequest::MAX_LIMIT`].
pub const CSV_MAX: usize = SearchRequest::MAX_LIMIT;
/// Columns of `format=csv`: the scalar fields of a hit as `kehoach search --json`
/// prints them (snippets, which are HTML, left out), theme ids and their
/// Vietnamese labels each joined by `; `.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "number",
    "title",
    "type",
    "date",
    "province",
    "province_current",
    "issuer",
    "themes",
    "theme_labels",
    "score",
];

/// The parameters of `GET /api/search` besides the filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SearchOwnParams {
    /// The query: words (all required), "phrases", -exclusions, OR, document numbers.
    /// Typed with diacritics it matches that spelling; without, any spelling. Up to
    /// 20,000 characters (long questions and passages are reduced to their most
    /// distinctive syllables). Empty: every document matching the filters.
    pub q: Option<String>,
    /// Hits to skip.
    #[param(minimum = 0, maximum = 100000, default = default_offset)]
    pub offset: Option<usize>,
    /// Hits per page; values above 100 are capped to 100 (with `format=csv`, above
    /// 1000 to 1000, and the default is 1000).
    #[param(minimum = 0, maximum = 1000000000, default = default_limit)]
    pub limit: Option<usize>,
    /// Order: `relevance` (default) or `date` (newest first).
    #[param(inline)]
    pub sort: Option<SearchSort>,
}

/// Order of search hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

impl From<SearchSort> for Sort {
    fn from(s: SearchSort) -> Sort {
        match s {
            SearchSort::Relevance => Sort::Relevance,
            SearchSort::Date => Sort::Date,
        }
    }
}

/// Parameters of `GET /api/search`. Filters may be repeated: several values of one
/// filter are alternatives (OR); different filters must all hold (AND).
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    /// Query, paging and order.
    #[serde(flatten)]
    pub search: SearchOwnParams,
    /// Metadata filters.
    #[serde(flatten)]
    pub filters: FilterParams,
    /// `format` and `bom`.
    #[serde(flatten)]
    pub output: OutputParams,
}
crate::combined_params!(SearchParams: SearchOwnParams, FilterParams, OutputParams);
impl QueryParams for SearchParams {}

impl SearchParams {
    /// The library's request.
    pub fn request(&self) -> SearchRequest {
        let s = &self.search;
        let d = SearchRequest::default();
        let csv = self.output.csv();
        let limit = match (s.limit, csv) {
            (Some(n), false) => n.min(MAX_PAGE),
            (None, false) => d.limit,
            (Some(n), true) => n.min(CSV_MAX),
            (None, true) => CSV_MAX,
        };
        SearchRequest {
            query: s.q.clone().unwrap_or_default(),
            filters: self.filters.filters(),
            offset: s.offset.unwrap_or(d.offset),
            limit,
            sort: s.sort.map_or(d.sort, Sort::from),
            // A CSV has no snippet column: no highlighting to compute.
            fragments: if csv { 0 } else { FRAGMENTS },
            ..d
        }
    }
}

fn default_offset() -> usize {
    SearchRequest::default().offset
}

fn default_limit() -> usize {
    SearchRequest::default().limit
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

/// Recent search responses (serialized), valid for one index version
/// ([`crate::query::Engine::version`]).
///
/// Keys are the parsed request, so equivalent query strings share an entry. When
/// the index version changes (a commit landed), the cache
/// empties; when it is full (in entries or in bytes of keys and bodies), it
/// empties too (a crude but bounded policy that keeps the hot set after a short
/// warm-up).
#[derive(Debug)]
pub struct ResponseCache {
    max: usize,
    max_bytes: usize,
    inner: Mutex<Cached>,
}

/// The responses of one index generation, and their bytes.
#[derive(Debug, Default)]
struct Cached {
    generation: u64,
    map: HashMap<String, Bytes>,
    bytes: usize,
}

impl Cached {
    fn clear(&mut self) {
        self.map.clear();
        self.bytes = 0;
    }
}

impl ResponseCache {
    /// A cache of at most `max` responses (0: never caches) and `max_bytes` of
    /// keys and bodies.
    pub fn new(max: usize, max_bytes: usize) -> ResponseCache {
        ResponseCache {
            max,
            max_bytes,
            inner: Mutex::new(Cached::default()),
        }
    }

    fn get(&self, generation: u64, key: &str) -> Option<Bytes> {
        if self.max == 0 {
            return None;
        }
        let mut inner = self.inner.lock().ok()?;
        if inner.generation != generation {
            inner.generation = generation;
            inner.clear();
            return None;
        }
        inner.map.get(key).cloned()
    }

    fn put(&self, generation: u64, key: String, body: Bytes) {
        let size = key.len() + body.len();
        if self.max == 0 || size > self.max_bytes {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.generation != generation {
            return; // computed on a searcher that is no longer current
        }
        if inner.map.len() >= self.max || inner.bytes + size > self.max_bytes {
            inner.clear();
        }
        let body_len = body.len();
        match inner.map.insert(key, body) {
            // The key was counted with the old body.
            Some(old) => inner.bytes = inner.bytes - old.len() + body_len,
            None => inner.bytes += size,
        }
    }

    /// Entries, bytes and limits, for `/healthz`.
    pub fn usage(&self) -> crate::query::CacheUsage {
        let (entries, bytes) = self
            .inner
            .lock()
            .map_or((0, 0), |c| (c.map.len() as u64, c.bytes as u64));
        crate::query::CacheUsage {
            name: "search responses".into(),
            entries,
            bytes,
            max_entries: Some(self.max as u64),
            max_bytes: Some(self.max_bytes as u64),
            note:
                "responses of the current commit; emptied when full (`serve --cache`, `--cache-mb`)"
                    .into(),
        }
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

/// One hit as a CSV row ([`CSV_COLUMNS`]).
fn write_hit(w: &mut impl RowSink, h: &Hit) -> std::io::Result<()> {
    fn text(v: &Option<String>) -> Cell<'_> {
        v.as_deref().map_or(Cell::Empty, Cell::Text)
    }
    let themes = h.themes.join("; ");
    let labels = h.theme_labels.join("; ");
    w.row(&[
        Cell::Text(&h.id),
        text(&h.number),
        Cell::Text(&h.title),
        text(&h.doc_type),
        text(&h.date),
        text(&h.province),
        text(&h.province_current),
        text(&h.issuer),
        Cell::Text(&themes),
        Cell::Text(&labels),
        Cell::Float(f64::from(h.score)),
    ])
}

/// The hits as a CSV file (header, one row per hit), with a BOM if asked.
fn hits_csv(hits: &[Hit], bom: bool) -> std::io::Result<Vec<u8>> {
    let mut w = CsvWriter::new(Vec::new(), bom)?;
    w.header(CSV_COLUMNS)?;
    for h in hits {
        write_hit(&mut w, h)?;
    }
    w.into_inner()
}

/// `kehoach-search-<query>.csv`, ASCII only.
fn csv_file_name(query: &str) -> String {
    format!("kehoach-search-{}.csv", super::stats::slug(query, "all"))
}

/// Answers `format=csv`: the hits (at most [`CSV_MAX`]) as an attachment.
async fn search_csv(state: AppState, req: SearchRequest, bom: bool) -> Result<Response, ApiError> {
    let file = csv_file_name(&req.query);
    let engine = state.engine.clone();
    let body = blocking(move || {
        let results = engine.search(&req)?;
        hits_csv(&results.hits, bom).map_err(|source| crate::Error::Io {
            path: "<CSV answer>".into(),
            source,
        })
    })
    .await?;
    super::csv_attachment(&file, body.into())
}

/// Search the corpus.
///
/// Responses carry `X-Cache: hit` when served from the cache of recent searches
/// (same parameters, same index version; `took_ms` is then the original time).
///
/// With `format=csv` the answer is the hits as a CSV attachment (columns id,
/// number, title, type, date, province, province_current, issuer, themes and
/// theme_labels joined by `; `, score), up to 1000 hits from `offset`; facets, notices and snippets are
/// left out.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "Hits, facet counts and timing (JSON), or with `format=csv` the hits as CSV with columns id, number, title, type, date, province, province_current, issuer, themes, theme_labels, score",
         content((SearchResponse = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad query (with the character position) or bad parameter", body = ErrorBody),
        (status = 408, description = "The search took too long", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    Params(params): Params<SearchParams>,
) -> Result<Response, ApiError> {
    let req = params.request();
    if params.output.csv() {
        return search_csv(state, req, params.output.bom()).await;
    }
    let generation = state.engine.version();
    let key = format!("{req:?}");
    if let Some(body) = state.cache.get(generation, &key) {
        return Ok(json_response(body, "hit"));
    }
    let (offset, limit) = (req.offset, req.limit);
    let engine = state.engine.clone();
    let started = Instant::now();
    let (results, facets) =
        blocking(move || engine.search_with_facets(&req, DEFAULT_MAX_BUCKETS)).await?;
    let took_ms = started.elapsed().as_secs_f64() * 1000.0;
    let resp = SearchResponse {
        total: results.total,
        offset,
        limit,
        hits: results.hits,
        facets: (*facets).clone().into(),
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

    /// Reads a query string with repeated keys into a search request.
    fn parse_params(query: Option<&str>) -> Result<SearchRequest, ApiError> {
        Ok(crate::http::params::parse::<SearchParams>(query)?.request())
    }

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
    fn csv_exports_take_up_to_the_library_cap_without_snippets() {
        let csv = parse_params(Some("q=thi&format=csv&bom=1")).unwrap();
        assert_eq!((csv.limit, csv.fragments), (CSV_MAX, 0));
        let capped = parse_params(Some("format=csv&limit=5000&offset=20")).unwrap();
        assert_eq!((capped.limit, capped.offset), (CSV_MAX, 20));
        assert_eq!(parse_params(Some("format=csv&limit=7")).unwrap().limit, 7);
        let json = parse_params(Some("format=json")).unwrap();
        assert_eq!(json.limit, SearchRequest::default().limit);
        assert_eq!(json.fragments, FRAGMENTS);
        assert_eq!(
            crate::http::params::parse::<SearchParams>(Some("format=xml"))
                .unwrap_err()
                .parameter(),
            Some("format")
        );
    }

    #[test]
    fn csv_rows_are_scalar_fields_with_formulas_neutralised() {
        let hit = Hit {
            id: "kg-1".into(),
            title: "=HYPERLINK(\"x\"), kế hoạch".into(),
            number: Some("136/KH-UBND".into()),
            date: Some("2019-09-13".into()),
            province: Some("Kiên Giang".into()),
            province_current: Some("An Giang".into()),
            doc_type: Some("Kế hoạch".into()),
            issuer: None,
            themes: vec!["chuyen_doi_so".into(), "thi_dua".into()],
            theme_labels: vec!["Chuyển đổi số, chính quyền số".into(), "Thi đua".into()],
            score: 1.5,
            snippet: "<mark>x</mark>".into(),
            fragments: vec![],
            snippet_text: String::new(),
            partial: false,
        };
        let csv = String::from_utf8(hits_csv(&[hit], true).unwrap()).unwrap();
        assert_eq!(
            csv,
            "\u{feff}id,number,title,type,date,province,province_current,issuer,themes,theme_labels,score\r\n\
             kg-1,136/KH-UBND,\"'=HYPERLINK(\"\"x\"\"), kế hoạch\",Kế hoạch,2019-09-13,\
             Kiên Giang,An Giang,,chuyen_doi_so; thi_dua,\"Chuyển đổi số, chính quyền số; Thi đua\",1.5\r\n"
        );
        assert_eq!(
            csv_file_name("chuyển đổi \"số\""),
            "kehoach-search-chuyen-doi-so.csv"
        );
        assert_eq!(csv_file_name(""), "kehoach-search-all.csv");
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
