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
//! `format=csv` (with `bom=1` for spreadsheet programs, `decimal=comma` for `;`
//! between fields and `,` decimals as Vietnamese-locale spreadsheets read them)
//! answers `text/csv` as an attachment. The CSV is streamed: a blocking task writes rows into a channel
//! that feeds the response body, so a large concordance is never held in memory as
//! text (and, in document order, not even as lines). Parameter and query errors are
//! found before the first byte and answered as JSON 400s like the rest of the API.

mod answer;
mod params;

use axum::extract::State;
use axum::response::Response;

use self::answer::{csv_stream, io_error, json, table};
pub use self::params::{
    CollocatesParams, FrequencyParams, KeynessParams, KwicParams, SubcorpusParams, TopParams,
    TrendParams,
};
use super::params::{flag, OutputParams, Params};
use super::{blocking, ApiError, AppState, ErrorBody};
use crate::stats::{
    CollocatesRequest, ConcordanceRequest, FrequencyRequest, KeynessRequest, KwicLine, RowSink,
    Subcorpus, TopTermsRequest, TrendRequest,
};

/// Most concordance lines in one JSON answer (larger `limit`s are capped).
pub const KWIC_JSON_MAX: usize = 1_000;
/// Most concordance lines in one CSV answer (larger `limit`s are capped).
pub const KWIC_CSV_MAX: usize = ConcordanceRequest::MAX_LIMIT;
/// Most rows of the other tables in one JSON answer (larger `limit`s are capped).
pub const TABLE_JSON_MAX: usize = 1_000;
/// Most rows of the other tables in one CSV answer (larger `limit`s are capped).
pub const TABLE_CSV_MAX: usize = TopTermsRequest::MAX_LIMIT;

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

// ---------- file names ----------

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
        &f.level,
        &f.commune,
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

// ---------- endpoints ----------

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
    table(state.stats.clone(), &p.output, file, move |s| {
        s.frequency(&req)
    })
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
    table(state.stats.clone(), &p.output, file, move |s| s.trend(&req)).await
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
    table(state.stats.clone(), &p.output, file, move |s| {
        s.top_terms(&req)
    })
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
    table(state.stats.clone(), &p.output, file, move |s| {
        s.keyness(&req)
    })
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
    csv_stream(file, p.output.csv_format(), KwicLine::COLUMNS, move |out| {
        stats
            .concordance_each(&req, &mut |line| {
                let w = out.start(KwicLine::COLUMNS)?;
                line.write_row(w as &mut dyn RowSink).map_err(io_error)
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
        unit: o.unit.unwrap_or(d.unit),
    };
    let file = file_name("collocates", &req.term);
    table(state.stats.clone(), &p.output, file, move |s| {
        s.collocates(&req)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::http::params::{parse, QueryParams};

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
