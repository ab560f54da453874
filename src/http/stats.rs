//! `GET /api/stats/*`: corpus statistics ([`crate::stats`]) as JSON or streamed CSV.
//!
//! | path | library call |
//! |---|---|
//! | `/api/stats/frequency` | [`Stats::frequency`] |
//! | `/api/stats/trend` | [`Stats::trend`] |
//! | `/api/stats/top` | [`Stats::top_terms`] |
//! | `/api/stats/keyness` | [`Stats::keyness`] |
//! | `/api/stats/kwic` | [`Stats::concordance`] (JSON), [`Stats::concordance_each`] (CSV) |
//! | `/api/stats/collocates` | [`Stats::collocates`] |
//!
//! Parameters mirror the library's requests (snake_case). The subcorpus is `q` plus
//! the search filters (`province`, `province_current`, `theme`, `type`, `issuer`,
//! `from`, `to`, `year`; repeated keys are alternatives, as in `/api/search`). Keyness
//! takes its reference subcorpus with a `ref_` prefix (`ref_q`, `ref_province`, …);
//! without any `ref_` key the reference is the rest of the corpus.
//!
//! `format=csv` (with `bom=1` for spreadsheet programs) answers `text/csv` as an
//! attachment. The CSV is streamed: a blocking task writes rows into a channel
//! that feeds the response body, so a large concordance is never held in memory as
//! text (and, in document order, not even as lines). Parameter and query errors are
//! found before the first byte and answered as JSON 400s like the rest of the API.

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};
use utoipa::IntoParams;

use super::{blocking, ApiError, AppState, ErrorBody};
use crate::stats::{
    kwic, CollocatesRequest, ConcordanceRequest, CsvTable, CsvWriter, FrequencyRequest, GroupBy,
    KeynessRequest, RowSink, Stats, Subcorpus, TopTermsRequest, TrendRequest,
};

/// Most concordance lines in one JSON answer (larger `limit`s are capped).
pub const KWIC_JSON_MAX: usize = 1_000;
/// Most concordance lines in one CSV answer (larger `limit`s are capped).
pub const KWIC_CSV_MAX: usize = kwic::MAX_LIMIT;
/// Most rows of the other tables in one JSON answer (larger `limit`s are capped).
pub const TABLE_JSON_MAX: usize = 1_000;
/// Most rows of the other tables in one CSV answer (larger `limit`s are capped).
pub const TABLE_CSV_MAX: usize = crate::stats::ngrams::MAX_LIMIT;

/// Longest `term`, in characters. Counting a phrase reads one posting list per
/// syllable for every document, so the work grows with the term's length: a
/// 10,000-syllable term kept a blocking thread busy for 20 s on 20,000 news
/// articles, long after the request had timed out. A word or phrase to count is short.
pub const MAX_TERM_CHARS: usize = 200;

/// Bytes gathered before a chunk of CSV is handed to the response body.
const CHUNK: usize = 16 * 1024;
/// Chunks in flight between the writing task and the connection.
const CHANNEL: usize = 8;

/// Subcorpus parameters shared by every statistics endpoint (for OpenAPI; parsed by hand
/// since repeated keys are alternatives).
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubcorpusParams {
    /// Query selecting the subcorpus (search syntax). Empty: all documents matching the filters.
    pub q: Option<String>,
    /// Province at the time of issue. Repeatable.
    pub province: Option<Vec<String>>,
    /// Province after the 1 July 2025 merger. Repeatable.
    pub province_current: Option<Vec<String>>,
    /// Theme id. Repeatable.
    pub theme: Option<Vec<String>>,
    /// Document type. Repeatable.
    #[param(rename = "type")]
    pub doc_type: Option<Vec<String>>,
    /// Issuing body. Repeatable.
    pub issuer: Option<Vec<String>>,
    /// Issued on or after (`YYYY-MM-DD` or `YYYY`).
    pub from: Option<String>,
    /// Issued on or before (`YYYY-MM-DD` or `YYYY`).
    pub to: Option<String>,
    /// Issue year. Repeatable.
    pub year: Option<Vec<u16>>,
    /// `json` (default) or `csv` (streamed attachment, `text/csv; charset=utf-8`).
    pub format: Option<String>,
    /// With `format=csv`: `1` starts the file with a UTF-8 byte-order mark (for spreadsheets).
    pub bom: Option<bool>,
}

/// Parameters of `GET /api/stats/frequency`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FrequencyParams {
    /// The term or phrase (required, at most 200 characters). Without diacritics every accented spelling counts.
    pub term: String,
    /// `none` (default), `province`, `province_current`, `year`, `month`, `theme`, `type`, `issuer`.
    pub group_by: Option<String>,
}

/// Parameters of `GET /api/stats/trend`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// The term or phrase (required, at most 200 characters).
    pub term: String,
    /// `auto` (default: months when every dated document has one), `year` or `month`.
    pub granularity: Option<String>,
    /// One series per province (default false).
    pub by_province: Option<bool>,
}

/// Parameters of `GET /api/stats/top`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TopParams {
    /// Shortest n-gram (1–4, default 1).
    pub n_min: Option<usize>,
    /// Longest n-gram (n_min–4, default 3).
    pub n_max: Option<usize>,
    /// Rows per n (default 100; capped to 1000 in JSON, 10000 in CSV).
    pub limit: Option<usize>,
    /// `syllables` (default) or `words` (dictionary words).
    pub unit: Option<String>,
    /// Hide n-grams starting or ending with a stop word (default true).
    pub hide_stopwords: Option<bool>,
    /// Smallest frequency shown (default 1).
    pub min_freq: Option<u64>,
}

/// Parameters of `GET /api/stats/keyness` (besides the target subcorpus).
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KeynessParams {
    /// Reference query; with any `ref_` parameter the reference is that subcorpus,
    /// otherwise the rest of the corpus. Every subcorpus parameter has a `ref_` form
    /// (`ref_province`, `ref_year`, …).
    pub ref_q: Option<String>,
    /// Reference province. Repeatable.
    pub ref_province: Option<Vec<String>>,
    /// Reference year. Repeatable.
    pub ref_year: Option<Vec<u16>>,
    /// N-gram length (1–4, default 1).
    pub n: Option<usize>,
    /// `syllables` (default) or `words`.
    pub unit: Option<String>,
    /// Hide stop-word n-grams (default true).
    pub hide_stopwords: Option<bool>,
    /// Smallest target + reference frequency (default 5).
    pub min_freq: Option<u64>,
    /// Rows per direction (default 50; capped to 1000 in JSON, 10000 in CSV).
    pub limit: Option<usize>,
}

/// Parameters of `GET /api/stats/kwic`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KwicParams {
    /// The term or phrase (required, at most 200 characters).
    pub term: String,
    /// Context characters on each side (default 60, at most 1000).
    pub width: Option<usize>,
    /// `document` (default, index order), `left` or `right` (by the context nearest the node).
    pub sort: Option<String>,
    /// Lines (default 100; capped to 1000 in JSON, 100000 in CSV).
    pub limit: Option<usize>,
    /// Lines to skip (default 0).
    pub offset: Option<usize>,
}

/// Parameters of `GET /api/stats/collocates`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CollocatesParams {
    /// The node term or phrase (required, at most 200 characters).
    pub term: String,
    /// Syllables on each side (1–20, default 5).
    pub window: Option<usize>,
    /// Smallest co-occurrence count (default 2).
    pub min_freq: Option<u64>,
    /// Rows (default 50; capped to 1000 in JSON, 10000 in CSV).
    pub limit: Option<usize>,
    /// `log_dice` (default), `mi` or `frequency`.
    pub sort: Option<String>,
}

// ---------- parameters ----------

/// Answer format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

/// A statistics query string, parsed.
#[derive(Debug)]
struct Parsed {
    target: Subcorpus,
    reference: Option<Subcorpus>,
    scalars: Vec<(&'static str, String)>,
    format: Format,
    bom: bool,
}

/// Applies one subcorpus parameter (`q` or a search filter, possibly with the
/// `ref_` prefix of the keyness reference); false when `key` is not one.
fn subcorpus_param(sub: &mut Subcorpus, key: &str, value: String) -> Result<bool, ApiError> {
    let name = key.strip_prefix("ref_").unwrap_or(key);
    if name != "q" {
        return super::filter_param(&mut sub.filters, name, key, value);
    }
    if !sub.q.is_empty() {
        return Err(ApiError::invalid(
            key,
            "given more than once; combine alternatives with OR",
        ));
    }
    sub.q = value;
    Ok(true)
}

/// Parses a query string: the subcorpus, `format`, `bom`, the endpoint's own
/// parameters (`scalars`, once each) and, when `reference` is true, `ref_`-prefixed
/// subcorpus parameters.
fn parse(
    query: Option<&str>,
    scalars: &[&'static str],
    reference: bool,
) -> Result<Parsed, ApiError> {
    let mut out = Parsed {
        target: Subcorpus::default(),
        reference: None,
        scalars: Vec::new(),
        format: Format::Json,
        bom: false,
    };
    let (mut format_seen, mut bom_seen) = (false, false);
    for (key, value) in super::query_pairs(query)? {
        if let Some(name) = scalars.iter().find(|s| **s == key) {
            if out.scalars.iter().any(|(k, _)| k == name) {
                return Err(ApiError::invalid(&key, "given more than once"));
            }
            out.scalars.push((name, value));
            continue;
        }
        match key.as_str() {
            "format" => {
                if std::mem::replace(&mut format_seen, true) {
                    return Err(ApiError::invalid("format", "given more than once"));
                }
                out.format = if super::wants_csv(&value)? {
                    Format::Csv
                } else {
                    Format::Json
                };
                continue;
            }
            "bom" => {
                if std::mem::replace(&mut bom_seen, true) {
                    return Err(ApiError::invalid("bom", "given more than once"));
                }
                out.bom = super::boolean("bom", &value)?;
                continue;
            }
            _ => {}
        }
        if reference && key.starts_with("ref_") {
            let sub = out.reference.get_or_insert_with(Subcorpus::default);
            if subcorpus_param(sub, &key, value)? {
                continue;
            }
        } else if !key.starts_with("ref_") && subcorpus_param(&mut out.target, &key, value)? {
            continue;
        }
        let mut expected: Vec<&str> = vec!["q"];
        expected.extend_from_slice(super::FILTER_KEYS);
        expected.extend_from_slice(scalars);
        expected.extend(["format", "bom"]);
        let mut message = format!("unknown parameter; expected {}", expected.join(", "));
        if reference {
            message.push_str(", or a subcorpus parameter with the ref_ prefix");
        }
        return Err(ApiError::invalid(&key, message));
    }
    Ok(out)
}

impl Parsed {
    fn get(&self, name: &str) -> Option<&str> {
        self.scalars
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The required `term`.
    fn term(&self) -> Result<String, ApiError> {
        match self.get("term").map(str::trim) {
            Some(t) if t.chars().count() > MAX_TERM_CHARS => Err(ApiError::invalid(
                "term",
                format!(
                    "too long ({} characters; at most {MAX_TERM_CHARS})",
                    t.chars().count()
                ),
            )),
            Some(t) if !t.is_empty() => Ok(t.to_string()),
            _ => Err(ApiError::invalid(
                "term",
                "required: the word or phrase to count",
            )),
        }
    }

    fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v.trim().parse::<T>().map_err(|_| {
                ApiError::invalid(name, format!("{v:?} is not a non-negative whole number"))
            }),
        }
    }

    /// A row limit, capped to the format's maximum.
    fn limit(&self, default: usize, json_max: usize, csv_max: usize) -> Result<usize, ApiError> {
        let max = match self.format {
            Format::Json => json_max,
            Format::Csv => csv_max,
        };
        Ok(self.number("limit", default)?.min(max))
    }

    fn flag(&self, name: &str, default: bool) -> Result<bool, ApiError> {
        self.get(name)
            .map_or(Ok(default), |v| super::boolean(name, v))
    }

    /// A snake_case choice, read through the library type's serde names.
    fn choice<T: DeserializeOwned + Default>(
        &self,
        name: &str,
        allowed: &str,
    ) -> Result<T, ApiError> {
        match self.get(name).map(str::trim) {
            None | Some("") => Ok(T::default()),
            Some(v) => {
                serde_json::from_value(serde_json::Value::String(v.to_string())).map_err(|_| {
                    ApiError::invalid(name, format!("{v:?} is not allowed; use {allowed}"))
                })
            }
        }
    }
}

// ---------- answers ----------

/// A safe file-name part: folded to ASCII, runs of anything else as one `-`, at most
/// 60 characters; `fallback` when nothing is left.
pub fn slug(text: &str, fallback: &str) -> String {
    let folded = crate::analysis::fold(text);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if out.len() >= 60 {
                break;
            }
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        fallback.to_string()
    } else {
        out.to_string()
    }
}

/// Describes a subcorpus for a file name: its query and filter values.
fn subcorpus_words(sub: &Subcorpus) -> String {
    let mut parts: Vec<String> = vec![sub.q.clone()];
    let f = &sub.filters;
    for list in [
        &f.province,
        &f.province_current,
        &f.theme,
        &f.doc_type,
        &f.issuer,
        &f.refs,
    ] {
        parts.extend(list.iter().cloned());
    }
    parts.extend(f.year.iter().map(u16::to_string));
    parts.extend(f.from.iter().cloned());
    parts.extend(f.to.iter().cloned());
    parts.join(" ")
}

/// `kehoach-<table>-<what>.csv`, ASCII only.
fn file_name(table: &str, what: &str) -> String {
    format!("kehoach-{table}-{}.csv", slug(what, "all"))
}

fn json<T: Serialize>(value: &T) -> Result<Response, ApiError> {
    Ok(Json(value).into_response())
}

/// Hands CSV bytes to the response body in chunks.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The response body: the chunks the writing task sends.
struct Chunks(mpsc::Receiver<io::Result<Bytes>>);

impl futures_core::Stream for Chunks {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// The writing side of a streamed CSV answer. The status is decided when the
/// first row is written (200) or when the work fails before that (a JSON error).
struct CsvOut {
    ready: Option<oneshot::Sender<Result<(), ApiError>>>,
    tx: mpsc::Sender<io::Result<Bytes>>,
    bom: bool,
    writer: Option<CsvWriter<ChannelWriter>>,
}

fn io_error(source: io::Error) -> crate::Error {
    crate::Error::Io {
        path: "<HTTP response>".into(),
        source,
    }
}

impl CsvOut {
    /// The CSV writer, started (status sent, BOM and header written) on first use.
    fn start(&mut self, columns: &[&str]) -> crate::Result<&mut CsvWriter<ChannelWriter>> {
        if self.writer.is_none() {
            if let Some(ready) = self.ready.take() {
                let _ = ready.send(Ok(()));
            }
            let out = ChannelWriter {
                tx: self.tx.clone(),
                buf: Vec::with_capacity(CHUNK),
            };
            let mut w = CsvWriter::new(out, self.bom).map_err(io_error)?;
            w.header(columns).map_err(io_error)?;
            self.writer = Some(w);
        }
        self.writer
            .as_mut()
            .ok_or_else(|| io_error(io::Error::other("CSV writer missing")))
    }

    /// Ends the answer: flushes, or reports the failure (as the status when nothing
    /// was sent yet, else by cutting the body short so the client sees an error).
    fn finish(mut self, columns: &[&str], result: crate::Result<()>) {
        let result = result.and_then(|()| {
            self.start(columns)?;
            match self.writer.take() {
                Some(w) => w.into_inner().map(|_| ()).map_err(io_error),
                None => Ok(()),
            }
        });
        let Err(e) = result else { return };
        match self.ready.take() {
            Some(ready) => {
                let _ = ready.send(Err(ApiError::from(e)));
            }
            None => {
                tracing::warn!("CSV answer cut short: {e}");
                let _ = self.tx.blocking_send(Err(io::Error::other(e.to_string())));
            }
        }
    }
}

/// Streams CSV produced by `work` on the blocking pool.
async fn csv_stream<F>(
    file: String,
    bom: bool,
    columns: &'static [&'static str],
    work: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(&mut CsvOut) -> crate::Result<()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(CHANNEL);
    let (ready_tx, ready_rx) = oneshot::channel();
    tokio::task::spawn_blocking(move || {
        let mut out = CsvOut {
            ready: Some(ready_tx),
            tx,
            bom,
            writer: None,
        };
        let result = work(&mut out);
        out.finish(columns, result);
    });
    match ready_rx.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(e),
        Err(e) => return Err(ApiError::internal(&e)),
    }
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
        Body::from_stream(Chunks(rx)),
    )
        .into_response())
}

/// Computes a table on the blocking pool and answers it as JSON or streamed CSV.
async fn table<T, F>(
    stats: Arc<Stats>,
    parsed: &Parsed,
    file: String,
    columns: &'static [&'static str],
    compute: F,
) -> Result<Response, ApiError>
where
    T: Serialize + CsvTable + Send + 'static,
    F: FnOnce(&Stats) -> crate::Result<T> + Send + 'static,
{
    match parsed.format {
        Format::Json => {
            let result = blocking(move || compute(&stats)).await?;
            json(&result)
        }
        Format::Csv => {
            csv_stream(file, parsed.bom, columns, move |out| {
                let table = compute(&stats)?;
                let w = out.start(&table.columns())?;
                table.write_rows(w).map_err(io_error)
            })
            .await
        }
    }
}

// ---------- endpoints ----------

const FREQUENCY_COLUMNS: &[&str] = &[
    "term",
    "group_by",
    "group",
    "occurrences",
    "documents",
    "rate_per_10k",
    "group_documents",
    "group_syllables",
];
const TREND_COLUMNS: &[&str] = &[
    "term",
    "province",
    "period",
    "occurrences",
    "documents",
    "rate_per_10k",
    "period_documents",
    "period_syllables",
];
const TOP_COLUMNS: &[&str] = &["n", "ngram", "tf", "df", "rate_per_10k"];
const KEYNESS_COLUMNS: &[&str] = &[
    "term",
    "direction",
    "target_freq",
    "reference_freq",
    "target_rate_per_10k",
    "reference_rate_per_10k",
    "g2",
    "log_ratio",
];
const COLLOCATES_COLUMNS: &[&str] = &[
    "collocate",
    "cooccurrences",
    "collocate_frequency",
    "node_frequency",
    "log_dice",
    "mi",
];

const GROUPS: &str = "none, province, province_current, year, month, theme, type or issuer";

/// Frequency of a term, overall and by group.
///
/// The first row of the CSV (group `*`) is the whole subcorpus. Rates are per
/// 10,000 syllables of the group.
#[utoipa::path(
    get,
    path = "/api/stats/frequency",
    tag = "statistics",
    params(FrequencyParams, SubcorpusParams),
    responses(
        (status = 200, description = "Frequency table (JSON), or CSV with columns term, group_by, group, occurrences, documents, rate_per_10k, group_documents, group_syllables",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing term, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn frequency(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p = parse(query.as_deref(), &["term", "group_by"], false)?;
    let group_by = match p.get("group_by").map(str::trim) {
        None | Some("") => GroupBy::None,
        Some(v) => v.parse::<GroupBy>().map_err(|_| {
            ApiError::invalid("group_by", format!("{v:?} is not allowed; use {GROUPS}"))
        })?,
    };
    let req = FrequencyRequest {
        subcorpus: p.target.clone(),
        term: p.term()?,
        group_by,
    };
    let file = file_name("frequency", &req.term);
    table(state.stats.clone(), &p, file, FREQUENCY_COLUMNS, move |s| {
        s.frequency(&req)
    })
    .await
}

/// Trend of a term per year or month, optionally one series per province.
#[utoipa::path(
    get,
    path = "/api/stats/trend",
    tag = "statistics",
    params(TrendParams, SubcorpusParams),
    responses(
        (status = 200, description = "Series of points (JSON), or CSV with columns term, province, period, occurrences, documents, rate_per_10k, period_documents, period_syllables",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing term, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn trend(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p = parse(
        query.as_deref(),
        &["term", "granularity", "by_province"],
        false,
    )?;
    let req = TrendRequest {
        subcorpus: p.target.clone(),
        term: p.term()?,
        granularity: p.choice("granularity", "auto, year or month")?,
        by_province: p.flag("by_province", false)?,
    };
    let file = file_name("trend", &req.term);
    table(state.stats.clone(), &p, file, TREND_COLUMNS, move |s| {
        s.trend(&req)
    })
    .await
}

/// Most frequent n-grams of the subcorpus.
#[utoipa::path(
    get,
    path = "/api/stats/top",
    tag = "statistics",
    params(TopParams, SubcorpusParams),
    responses(
        (status = 200, description = "Top n-grams (JSON), or CSV with columns n, ngram, tf, df, rate_per_10k",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "n out of range, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn top(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p = parse(
        query.as_deref(),
        &[
            "n_min",
            "n_max",
            "limit",
            "unit",
            "hide_stopwords",
            "min_freq",
        ],
        false,
    )?;
    let req = TopTermsRequest {
        subcorpus: p.target.clone(),
        n_min: p.number("n_min", 1)?,
        n_max: p.number("n_max", 3)?,
        limit: p.limit(100, TABLE_JSON_MAX, TABLE_CSV_MAX)?,
        unit: p.choice("unit", "syllables or words")?,
        hide_stopwords: p.flag("hide_stopwords", true)?,
        min_freq: p.number("min_freq", 1)?,
    };
    let file = file_name("top", &subcorpus_words(&req.subcorpus));
    table(state.stats.clone(), &p, file, TOP_COLUMNS, move |s| {
        s.top_terms(&req)
    })
    .await
}

/// Keyness of the subcorpus's n-grams against a reference (default: the rest of the corpus).
#[utoipa::path(
    get,
    path = "/api/stats/keyness",
    tag = "statistics",
    params(KeynessParams, SubcorpusParams),
    responses(
        (status = 200, description = "Over- then under-represented n-grams (JSON), or CSV with columns term, direction, target_freq, reference_freq, target_rate_per_10k, reference_rate_per_10k, g2, log_ratio",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "n out of range, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn keyness(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p = parse(
        query.as_deref(),
        &["n", "unit", "hide_stopwords", "min_freq", "limit"],
        true,
    )?;
    let req = KeynessRequest {
        target: p.target.clone(),
        reference: p.reference.clone(),
        n: p.number("n", 1)?,
        unit: p.choice("unit", "syllables or words")?,
        hide_stopwords: p.flag("hide_stopwords", true)?,
        min_freq: p.number("min_freq", 5)?,
        limit: p.limit(50, TABLE_JSON_MAX, TABLE_CSV_MAX)?,
    };
    let file = file_name("keyness", &subcorpus_words(&req.target));
    table(state.stats.clone(), &p, file, KEYNESS_COLUMNS, move |s| {
        s.keyness(&req)
    })
    .await
}

/// Concordance (keyword in context). The CSV streams lines as they are found.
#[utoipa::path(
    get,
    path = "/api/stats/kwic",
    tag = "statistics",
    params(KwicParams, SubcorpusParams),
    responses(
        (status = 200, description = "Concordance lines (JSON), or streamed CSV with columns doc_id, title, province, date, position, left, node, right",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing term, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn kwic(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p = parse(
        query.as_deref(),
        &["term", "width", "sort", "limit", "offset"],
        false,
    )?;
    let req = ConcordanceRequest {
        subcorpus: p.target.clone(),
        term: p.term()?,
        width: p.number("width", 60)?,
        sort: p.choice("sort", "document, left or right")?,
        limit: p.limit(100, KWIC_JSON_MAX, KWIC_CSV_MAX)?,
        offset: p.number("offset", 0)?,
    };
    let stats = state.stats.clone();
    match p.format {
        Format::Json => {
            let result = blocking(move || stats.concordance(&req)).await?;
            json(&result)
        }
        Format::Csv => {
            let file = file_name("kwic", &req.term);
            csv_stream(file, p.bom, kwic::COLUMNS, move |out| {
                stats
                    .concordance_each(&req, &mut |line| {
                        let w = out.start(kwic::COLUMNS)?;
                        kwic::write_line(w as &mut dyn RowSink, &line).map_err(io_error)
                    })
                    .map(|_| ())
            })
            .await
        }
    }
}

/// Collocates of a term (logDice, MI).
#[utoipa::path(
    get,
    path = "/api/stats/collocates",
    tag = "statistics",
    params(CollocatesParams, SubcorpusParams),
    responses(
        (status = 200, description = "Collocates (JSON), or CSV with columns collocate, cooccurrences, collocate_frequency, node_frequency, log_dice, mi",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing term, window out of range, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn collocates(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p = parse(
        query.as_deref(),
        &["term", "window", "min_freq", "limit", "sort"],
        false,
    )?;
    let req = CollocatesRequest {
        subcorpus: p.target.clone(),
        term: p.term()?,
        window: p.number("window", 5)?,
        min_freq: p.number("min_freq", 2)?,
        limit: p.limit(50, TABLE_JSON_MAX, TABLE_CSV_MAX)?,
        sort: p.choice("sort", "log_dice, mi or frequency")?,
    };
    let file = file_name("collocates", &req.term);
    table(
        state.stats.clone(),
        &p,
        file,
        COLLOCATES_COLUMNS,
        move |s| s.collocates(&req),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subcorpus_and_reference_are_parsed_with_repeated_keys() {
        let p = parse(
            Some("q=thi+%C4%91ua&province=Ki%C3%AAn+Giang&province=H%E1%BA%ADu+Giang&year=2019&ref_year=2020&ref_year=2021&n=2&format=csv&bom=1"),
            &["n"],
            true,
        )
        .unwrap();
        assert_eq!(p.target.q, "thi đua");
        assert_eq!(p.target.filters.province, ["Kiên Giang", "Hậu Giang"]);
        assert_eq!(p.target.filters.year, [2019]);
        let r = p.reference.unwrap();
        assert_eq!(r.filters.year, [2020, 2021]);
        assert!(r.filters.province.is_empty());
        assert_eq!(p.format, Format::Csv);
        assert!(p.bom);
        assert_eq!(p.scalars, [("n", "2".to_string())]);
    }

    #[test]
    fn bad_parameters_are_named() {
        for (qs, scalars, name) in [
            ("ref_year=2020", &["term"][..], "ref_year"),
            ("format=xml", &[], "format"),
            ("bom=maybe", &[], "bom"),
            ("year=20", &[], "year"),
            ("term=a&term=b", &["term"], "term"),
            ("colour=red", &["term"], "colour"),
        ] {
            let e = parse(Some(qs), scalars, false).unwrap_err();
            assert_eq!(e.detail.parameter.as_deref(), Some(name), "{qs}: {e:?}");
        }
    }

    #[test]
    fn limits_are_capped_by_format() {
        let json = parse(Some("limit=500000"), &["limit"], false).unwrap();
        assert_eq!(json.limit(100, 1_000, 100_000).unwrap(), 1_000);
        let csv = parse(Some("limit=500000&format=csv"), &["limit"], false).unwrap();
        assert_eq!(csv.limit(100, 1_000, 100_000).unwrap(), 100_000);
        assert_eq!(csv.limit(100, 1_000, 100_000).unwrap(), KWIC_CSV_MAX);
    }

    #[test]
    fn file_names_are_ascii() {
        assert_eq!(
            file_name("kwic", "Chuyển đổi số \"x\"/;"),
            "kehoach-kwic-chuyen-doi-so-x.csv"
        );
        assert_eq!(file_name("top", ""), "kehoach-top-all.csv");
        assert!(slug(&"ấ".repeat(200), "x").len() <= 60);
    }
}
