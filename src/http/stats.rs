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
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};
use utoipa::IntoParams;

use super::params::{flag, FilterParams, Flag, OutputParams, Params, QueryParams};
use super::{blocking, ApiError, AppState, ErrorBody};
use crate::stats::{
    kwic, CollocateSort, CollocatesRequest, ConcordanceRequest, CsvTable, CsvWriter,
    FrequencyRequest, Granularity, GroupBy, KeynessRequest, KwicSort, RowSink, Stats, Subcorpus,
    TopTermsRequest, TrendRequest, Unit,
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

// ---------- parameters ----------

/// `q`: the query selecting a subcorpus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct QueryParam {
    /// Query selecting the subcorpus (search syntax). Empty: all documents matching the filters.
    pub q: Option<String>,
}

/// A subcorpus: `q` plus the search filters (repeated keys are alternatives, as in
/// `/api/search`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SubcorpusParams {
    /// The query.
    #[serde(flatten)]
    pub q: QueryParam,
    /// The filters.
    #[serde(flatten)]
    pub filters: FilterParams,
}
crate::combined_params!(SubcorpusParams: QueryParam, FilterParams);

impl SubcorpusParams {
    /// The library's subcorpus.
    pub fn subcorpus(&self) -> Subcorpus {
        Subcorpus {
            q: self.q.q.clone().unwrap_or_default(),
            filters: self.filters.filters(),
        }
    }
}

/// The keyness reference: every subcorpus parameter with the `ref_` prefix
/// (`ref_q`, `ref_province`, `ref_year`, …). Without any, the reference is the rest
/// of the corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceParams(pub Option<SubcorpusParams>);

/// The prefix of the keyness reference's parameters.
pub const REFERENCE_PREFIX: &str = "ref_";

impl IntoParams for ReferenceParams {
    fn into_params(
        parameter_in_provider: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        SubcorpusParams::into_params(parameter_in_provider)
            .into_iter()
            .map(|mut p| {
                p.name = format!("{REFERENCE_PREFIX}{}", p.name);
                p.description = Some(format!(
                    "Reference subcorpus (default: the rest of the corpus): {}",
                    p.description.unwrap_or_default()
                ));
                p
            })
            .collect()
    }
}

impl<'de> Deserialize<'de> for ReferenceParams {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Flattened last: only the `ref_` keys are left for it.
        let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let stripped: serde_json::Map<String, serde_json::Value> = map
            .into_iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(REFERENCE_PREFIX)?.to_string(), v)))
            .collect();
        if stripped.is_empty() {
            return Ok(ReferenceParams(None));
        }
        serde_json::from_value(serde_json::Value::Object(stripped))
            .map(|s| ReferenceParams(Some(s)))
            .map_err(serde::de::Error::custom)
    }
}

/// `term`: the word or phrase of the term statistics.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TermParam {
    /// The term or phrase (required, at most 200 characters). Without diacritics every
    /// accented spelling counts.
    #[param(min_length = 1, max_length = 200)]
    pub term: String,
}

impl TermParam {
    fn check(&self) -> Result<(), ApiError> {
        if self.term.trim().is_empty() {
            return Err(ApiError::invalid(
                "term",
                "required: the word or phrase to count",
            ));
        }
        Ok(())
    }

    fn term(&self) -> String {
        self.term.trim().to_string()
    }
}

/// Declares a library default as a function for `#[param(default = …)]`, so the
/// description shows the value the library uses.
macro_rules! library_default {
    ($($name:ident: $ty:ty = $request:ident.$field:ident;)+) => {
        $(fn $name() -> $ty {
            $request::default().$field
        })+
    };
}

library_default! {
    top_n_min: usize = TopTermsRequest.n_min;
    top_n_max: usize = TopTermsRequest.n_max;
    top_limit: usize = TopTermsRequest.limit;
    top_min_freq: u64 = TopTermsRequest.min_freq;
    keyness_n: usize = KeynessRequest.n;
    keyness_min_freq: u64 = KeynessRequest.min_freq;
    keyness_limit: usize = KeynessRequest.limit;
    kwic_width: usize = ConcordanceRequest.width;
    kwic_limit: usize = ConcordanceRequest.limit;
    collocates_window: usize = CollocatesRequest.window;
    collocates_min_freq: u64 = CollocatesRequest.min_freq;
    collocates_limit: usize = CollocatesRequest.limit;
}

/// Own parameters of `GET /api/stats/frequency`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct FrequencyOwn {
    /// Grouping of the rows (default `none`: the total only).
    #[param(inline)]
    pub group_by: Option<GroupBy>,
}

/// Own parameters of `GET /api/stats/trend`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct TrendOwn {
    /// `auto` (default: months when every dated document has one), `year` or `month`.
    #[param(inline)]
    pub granularity: Option<Granularity>,
    /// One series per province (default 0).
    #[param(inline)]
    pub by_province: Option<Flag>,
}

/// Own parameters of `GET /api/stats/top`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct TopOwn {
    /// Shortest n-gram (1–4).
    #[param(minimum = 1, maximum = 4, default = top_n_min)]
    pub n_min: Option<usize>,
    /// Longest n-gram (n_min–4).
    #[param(minimum = 1, maximum = 4, default = top_n_max)]
    pub n_max: Option<usize>,
    /// Rows per n (capped to 1000 in JSON, 10000 in CSV).
    #[param(minimum = 0, maximum = 1000000000, default = top_limit)]
    pub limit: Option<usize>,
    /// `syllables` (default) or `words` (dictionary words).
    #[param(inline)]
    pub unit: Option<Unit>,
    /// Hide n-grams starting or ending with a stop word (default 1).
    #[param(inline)]
    pub hide_stopwords: Option<Flag>,
    /// Smallest frequency shown.
    #[param(minimum = 0, maximum = 1000000000, default = top_min_freq)]
    pub min_freq: Option<u64>,
}

/// Own parameters of `GET /api/stats/keyness` (besides the target and reference
/// subcorpora).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct KeynessOwn {
    /// N-gram length (1–4).
    #[param(minimum = 1, maximum = 4, default = keyness_n)]
    pub n: Option<usize>,
    /// `syllables` (default) or `words`.
    #[param(inline)]
    pub unit: Option<Unit>,
    /// Hide stop-word n-grams (default 1).
    #[param(inline)]
    pub hide_stopwords: Option<Flag>,
    /// Smallest target + reference frequency.
    #[param(minimum = 0, maximum = 1000000000, default = keyness_min_freq)]
    pub min_freq: Option<u64>,
    /// Rows per direction (capped to 1000 in JSON, 10000 in CSV).
    #[param(minimum = 0, maximum = 1000000000, default = keyness_limit)]
    pub limit: Option<usize>,
}

/// Own parameters of `GET /api/stats/kwic`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct KwicOwn {
    /// Context characters on each side (at most 1000).
    #[param(minimum = 0, maximum = 1000, default = kwic_width)]
    pub width: Option<usize>,
    /// `document` (default, index order), `left` or `right` (by the context nearest the node).
    #[param(inline)]
    pub sort: Option<KwicSort>,
    /// Lines (capped to 1000 in JSON, 100000 in CSV).
    #[param(minimum = 0, maximum = 1000000000, default = kwic_limit)]
    pub limit: Option<usize>,
    /// Lines to skip.
    #[param(minimum = 0, maximum = 1000000000, default = 0)]
    pub offset: Option<usize>,
}

/// Own parameters of `GET /api/stats/collocates`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CollocatesOwn {
    /// Syllables on each side (1–20).
    #[param(minimum = 1, maximum = 20, default = collocates_window)]
    pub window: Option<usize>,
    /// Smallest co-occurrence count.
    #[param(minimum = 0, maximum = 1000000000, default = collocates_min_freq)]
    pub min_freq: Option<u64>,
    /// Rows (capped to 1000 in JSON, 10000 in CSV).
    #[param(minimum = 0, maximum = 1000000000, default = collocates_limit)]
    pub limit: Option<usize>,
    /// `log_dice` (default), `mi` or `frequency`.
    #[param(inline)]
    pub sort: Option<CollocateSort>,
}

/// Parameters of `GET /api/stats/frequency`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FrequencyParams {
    /// The term.
    #[serde(flatten)]
    pub term: TermParam,
    /// The endpoint's own parameters.
    #[serde(flatten)]
    pub own: FrequencyOwn,
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: SubcorpusParams,
    /// `format` and `bom`.
    #[serde(flatten)]
    pub output: OutputParams,
}
crate::combined_params!(FrequencyParams: TermParam, FrequencyOwn, SubcorpusParams, OutputParams);
impl QueryParams for FrequencyParams {
    fn check(&self) -> Result<(), ApiError> {
        self.term.check()
    }
}

/// Parameters of `GET /api/stats/trend`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TrendParams {
    /// The term.
    #[serde(flatten)]
    pub term: TermParam,
    /// The endpoint's own parameters.
    #[serde(flatten)]
    pub own: TrendOwn,
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: SubcorpusParams,
    /// `format` and `bom`.
    #[serde(flatten)]
    pub output: OutputParams,
}
crate::combined_params!(TrendParams: TermParam, TrendOwn, SubcorpusParams, OutputParams);
impl QueryParams for TrendParams {
    fn check(&self) -> Result<(), ApiError> {
        self.term.check()
    }
}

/// Parameters of `GET /api/stats/top`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TopParams {
    /// The endpoint's own parameters.
    #[serde(flatten)]
    pub own: TopOwn,
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: SubcorpusParams,
    /// `format` and `bom`.
    #[serde(flatten)]
    pub output: OutputParams,
}
crate::combined_params!(TopParams: TopOwn, SubcorpusParams, OutputParams);
impl QueryParams for TopParams {
    fn reported_name(key: &str) -> &str {
        match key {
            "n_min" | "n_max" => "n",
            other => other,
        }
    }
}

/// Parameters of `GET /api/stats/keyness`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KeynessParams {
    /// The endpoint's own parameters.
    #[serde(flatten)]
    pub own: KeynessOwn,
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: SubcorpusParams,
    /// `format` and `bom`.
    #[serde(flatten)]
    pub output: OutputParams,
    /// The reference subcorpus (flattened last: it takes the `ref_` keys that are left).
    #[serde(flatten)]
    pub reference: ReferenceParams,
}
crate::combined_params!(KeynessParams: KeynessOwn, SubcorpusParams, OutputParams, ReferenceParams);
impl QueryParams for KeynessParams {}

/// Parameters of `GET /api/stats/kwic`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KwicParams {
    /// The term.
    #[serde(flatten)]
    pub term: TermParam,
    /// The endpoint's own parameters.
    #[serde(flatten)]
    pub own: KwicOwn,
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: SubcorpusParams,
    /// `format` and `bom`.
    #[serde(flatten)]
    pub output: OutputParams,
}
crate::combined_params!(KwicParams: TermParam, KwicOwn, SubcorpusParams, OutputParams);
impl QueryParams for KwicParams {
    fn check(&self) -> Result<(), ApiError> {
        self.term.check()
    }
}

/// Parameters of `GET /api/stats/collocates`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CollocatesParams {
    /// The term.
    #[serde(flatten)]
    pub term: TermParam,
    /// The endpoint's own parameters.
    #[serde(flatten)]
    pub own: CollocatesOwn,
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: SubcorpusParams,
    /// `format` and `bom`.
    #[serde(flatten)]
    pub output: OutputParams,
}
crate::combined_params!(CollocatesParams: TermParam, CollocatesOwn, SubcorpusParams, OutputParams);
impl QueryParams for CollocatesParams {
    fn check(&self) -> Result<(), ApiError> {
        self.term.check()
    }
}

/// A row limit: `given` or the library's `default`, capped to the format's maximum.
fn limit(
    output: &OutputParams,
    given: Option<usize>,
    default: usize,
    json_max: usize,
    csv_max: usize,
) -> usize {
    let max = if output.csv() { csv_max } else { json_max };
    given.unwrap_or(default).min(max)
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
    output: &OutputParams,
    file: String,
    columns: &'static [&'static str],
    compute: F,
) -> Result<Response, ApiError>
where
    T: Serialize + CsvTable + Send + 'static,
    F: FnOnce(&Stats) -> crate::Result<T> + Send + 'static,
{
    if !output.csv() {
        let result = blocking(move || compute(&stats)).await?;
        json(&result)
    } else {
        csv_stream(file, output.bom(), columns, move |out| {
            let table = compute(&stats)?;
            let w = out.start(&table.columns())?;
            table.write_rows(w).map_err(io_error)
        })
        .await
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

/// Frequency of a term, overall and by group.
///
/// The first row of the CSV (group `*`) is the whole subcorpus. Rates are per
/// 10,000 syllables of the group.
#[utoipa::path(
    get,
    path = "/api/stats/frequency",
    tag = "statistics",
    params(FrequencyParams),
    responses(
        (status = 200, description = "Frequency table (JSON), or CSV with columns term, group_by, group, occurrences, documents, rate_per_10k, group_documents, group_syllables",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing term, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn frequency(
    State(state): State<AppState>,
    Params(p): Params<FrequencyParams>,
) -> Result<Response, ApiError> {
    let req = FrequencyRequest {
        subcorpus: p.subcorpus.subcorpus(),
        term: p.term.term(),
        group_by: p.own.group_by.unwrap_or_default(),
    };
    let file = file_name("frequency", &req.term);
    table(
        state.stats.clone(),
        &p.output,
        file,
        FREQUENCY_COLUMNS,
        move |s| s.frequency(&req),
    )
    .await
}

/// Trend of a term per year or month, optionally one series per province.
#[utoipa::path(
    get,
    path = "/api/stats/trend",
    tag = "statistics",
    params(TrendParams),
    responses(
        (status = 200, description = "Series of points (JSON), or CSV with columns term, province, period, occurrences, documents, rate_per_10k, period_documents, period_syllables",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing term, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn trend(
    State(state): State<AppState>,
    Params(p): Params<TrendParams>,
) -> Result<Response, ApiError> {
    let d = TrendRequest::default();
    let req = TrendRequest {
        subcorpus: p.subcorpus.subcorpus(),
        term: p.term.term(),
        granularity: p.own.granularity.unwrap_or(d.granularity),
        by_province: flag(p.own.by_province, d.by_province),
    };
    let file = file_name("trend", &req.term);
    table(
        state.stats.clone(),
        &p.output,
        file,
        TREND_COLUMNS,
        move |s| s.trend(&req),
    )
    .await
}

/// Most frequent n-grams of the subcorpus.
#[utoipa::path(
    get,
    path = "/api/stats/top",
    tag = "statistics",
    params(TopParams),
    responses(
        (status = 200, description = "Top n-grams (JSON), or CSV with columns n, ngram, tf, df, rate_per_10k",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "n out of range, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn top(
    State(state): State<AppState>,
    Params(p): Params<TopParams>,
) -> Result<Response, ApiError> {
    let (d, o) = (TopTermsRequest::default(), &p.own);
    let req = TopTermsRequest {
        subcorpus: p.subcorpus.subcorpus(),
        n_min: o.n_min.unwrap_or(d.n_min),
        n_max: o.n_max.unwrap_or(d.n_max),
        limit: limit(&p.output, o.limit, d.limit, TABLE_JSON_MAX, TABLE_CSV_MAX),
        unit: o.unit.unwrap_or(d.unit),
        hide_stopwords: flag(o.hide_stopwords, d.hide_stopwords),
        min_freq: o.min_freq.unwrap_or(d.min_freq),
    };
    let file = file_name("top", &subcorpus_words(&req.subcorpus));
    table(
        state.stats.clone(),
        &p.output,
        file,
        TOP_COLUMNS,
        move |s| s.top_terms(&req),
    )
    .await
}

/// Keyness of the subcorpus's n-grams against a reference (default: the rest of the corpus).
#[utoipa::path(
    get,
    path = "/api/stats/keyness",
    tag = "statistics",
    params(KeynessParams),
    responses(
        (status = 200, description = "Over- then under-represented n-grams (JSON), or CSV with columns term, direction, target_freq, reference_freq, target_rate_per_10k, reference_rate_per_10k, g2, log_ratio",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "n out of range, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn keyness(
    State(state): State<AppState>,
    Params(p): Params<KeynessParams>,
) -> Result<Response, ApiError> {
    let (d, o) = (KeynessRequest::default(), &p.own);
    let req = KeynessRequest {
        target: p.subcorpus.subcorpus(),
        reference: p.reference.0.as_ref().map(SubcorpusParams::subcorpus),
        n: o.n.unwrap_or(d.n),
        unit: o.unit.unwrap_or(d.unit),
        hide_stopwords: flag(o.hide_stopwords, d.hide_stopwords),
        min_freq: o.min_freq.unwrap_or(d.min_freq),
        limit: limit(&p.output, o.limit, d.limit, TABLE_JSON_MAX, TABLE_CSV_MAX),
    };
    let file = file_name("keyness", &subcorpus_words(&req.target));
    table(
        state.stats.clone(),
        &p.output,
        file,
        KEYNESS_COLUMNS,
        move |s| s.keyness(&req),
    )
    .await
}

/// Concordance (keyword in context). The CSV streams lines as they are found.
#[utoipa::path(
    get,
    path = "/api/stats/kwic",
    tag = "statistics",
    params(KwicParams),
    responses(
        (status = 200, description = "Concordance lines (JSON), or streamed CSV with columns doc_id, title, province, date, position, left, node, right",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing term, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn kwic(
    State(state): State<AppState>,
    Params(p): Params<KwicParams>,
) -> Result<Response, ApiError> {
    let (d, o) = (ConcordanceRequest::default(), &p.own);
    let req = ConcordanceRequest {
        subcorpus: p.subcorpus.subcorpus(),
        term: p.term.term(),
        width: o.width.unwrap_or(d.width),
        sort: o.sort.unwrap_or(d.sort),
        limit: limit(&p.output, o.limit, d.limit, KWIC_JSON_MAX, KWIC_CSV_MAX),
        offset: o.offset.unwrap_or(d.offset),
    };
    let stats = state.stats.clone();
    if !p.output.csv() {
        let result = blocking(move || stats.concordance(&req)).await?;
        return json(&result);
    }
    let file = file_name("kwic", &req.term);
    csv_stream(file, p.output.bom(), kwic::COLUMNS, move |out| {
        stats
            .concordance_each(&req, &mut |line| {
                let w = out.start(kwic::COLUMNS)?;
                kwic::write_line(w as &mut dyn RowSink, &line).map_err(io_error)
            })
            .map(|_| ())
    })
    .await
}

/// Collocates of a term (logDice, MI).
#[utoipa::path(
    get,
    path = "/api/stats/collocates",
    tag = "statistics",
    params(CollocatesParams),
    responses(
        (status = 200, description = "Collocates (JSON), or CSV with columns collocate, cooccurrences, collocate_frequency, node_frequency, log_dice, mi",
         content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing term, window out of range, bad parameter or query", body = ErrorBody),
    )
)]
pub async fn collocates(
    State(state): State<AppState>,
    Params(p): Params<CollocatesParams>,
) -> Result<Response, ApiError> {
    let (d, o) = (CollocatesRequest::default(), &p.own);
    let req = CollocatesRequest {
        subcorpus: p.subcorpus.subcorpus(),
        term: p.term.term(),
        window: o.window.unwrap_or(d.window),
        min_freq: o.min_freq.unwrap_or(d.min_freq),
        limit: limit(&p.output, o.limit, d.limit, TABLE_JSON_MAX, TABLE_CSV_MAX),
        sort: o.sort.unwrap_or(d.sort),
    };
    let file = file_name("collocates", &req.term);
    table(
        state.stats.clone(),
        &p.output,
        file,
        COLLOCATES_COLUMNS,
        move |s| s.collocates(&req),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::http::params::parse;

    #[test]
    fn subcorpus_and_reference_are_parsed_with_repeated_keys() {
        let p = parse::<KeynessParams>(
            Some("q=thi+%C4%91ua&province=Ki%C3%AAn+Giang&province=H%E1%BA%ADu+Giang&year=2019&ref_year=2020&ref_year=2021&n=2&format=csv&bom=1"),
        )
        .unwrap();
        let target = p.subcorpus.subcorpus();
        assert_eq!(target.q, "thi đua");
        assert_eq!(target.filters.province, ["Kiên Giang", "Hậu Giang"]);
        assert_eq!(target.filters.year, [2019]);
        let r = p.reference.0.unwrap().subcorpus();
        assert_eq!(r.filters.year, [2020, 2021]);
        assert!(r.filters.province.is_empty());
        assert!(p.output.csv());
        assert!(p.output.bom());
        assert_eq!(p.own.n, Some(2));
    }

    #[test]
    fn bad_parameters_are_named() {
        fn named<T: QueryParams + std::fmt::Debug + 'static>(qs: &str) -> String {
            let e = parse::<T>(Some(qs)).unwrap_err();
            e.parameter().unwrap_or_default().to_string()
        }
        for (qs, name) in [
            ("term=a&ref_year=2020", "ref_year"),
            ("term=a&format=xml", "format"),
            ("term=a&bom=maybe", "bom"),
            ("term=a&year=20", "year"),
            ("term=a&term=b", "term"),
            ("term=a&colour=red", "colour"),
        ] {
            assert_eq!(named::<KwicParams>(qs), name, "{qs}");
        }
        assert_eq!(named::<TopParams>("n_min=5"), "n");
        assert_eq!(named::<TopParams>("n_max=0"), "n");
    }

    #[test]
    fn limits_are_capped_by_format() {
        let json = parse::<TopParams>(Some("limit=500000")).unwrap();
        assert_eq!(
            limit(&json.output, json.own.limit, 100, 1_000, 100_000),
            1_000
        );
        let csv = parse::<TopParams>(Some("limit=500000&format=csv")).unwrap();
        assert_eq!(
            limit(&csv.output, csv.own.limit, 100, 1_000, 100_000),
            100_000
        );
        assert_eq!(
            limit(&csv.output, csv.own.limit, 100, 1_000, 100_000),
            KWIC_CSV_MAX
        );
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
