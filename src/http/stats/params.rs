//! The parameters of the statistics endpoints: one struct per endpoint, which the
//! handler deserialises and OpenAPI describes ([`crate::http::params`]). Each is the
//! endpoint's own parameters (`*Own`) beside the shared subcorpus and output ones;
//! defaults are the library requests' `Default`s.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::params::{FilterParams, Flag, OutputParams, QueryParams};
use crate::http::ApiError;
use crate::stats::{
    CollocateSort, CollocatesRequest, ConcordanceRequest, Granularity, GroupBy, KeynessRequest,
    KwicSort, Subcorpus, TopTermsRequest, Unit,
};

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
    //
    // Why 200: counting a phrase reads one posting list per syllable for every
    // document, so the work grows with the term's length; a 10,000-syllable term
    // kept a blocking thread busy for 20 s on 20,000 news articles, long after the
    // request had timed out. A word or phrase to count is short.
    #[param(min_length = 1, max_length = 200)]
    pub term: String,
}

impl TermParam {
    pub(super) fn check(&self) -> Result<(), ApiError> {
        if self.term.trim().is_empty() {
            return Err(ApiError::invalid(
                "term",
                "required: the word or phrase to count",
            ));
        }
        Ok(())
    }

    pub(super) fn term(&self) -> String {
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
    /// Units (syllables or words) on each side (1–20).
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
    /// `syllables` (default) or `words`: what the window counts and the collocates are.
    #[param(inline)]
    pub unit: Option<Unit>,
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
    /// `format`, `bom` and `decimal`.
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
    /// `format`, `bom` and `decimal`.
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
    /// `format`, `bom` and `decimal`.
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
    /// `format`, `bom` and `decimal`.
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
    /// `format`, `bom` and `decimal`.
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
    /// `format`, `bom` and `decimal`.
    #[serde(flatten)]
    pub output: OutputParams,
}
crate::combined_params!(CollocatesParams: TermParam, CollocatesOwn, SubcorpusParams, OutputParams);
impl QueryParams for CollocatesParams {
    fn check(&self) -> Result<(), ApiError> {
        self.term.check()
    }
}
