//! `GET /api/references?prefix=` (keys for autocomplete) and
//! `GET /api/references/{key}` (documents citing a key, and those whose own number it is).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::params::{Params, QueryParams};
use super::{blocking, ApiError, AppState, ErrorBody};
use crate::query::references::{
    documents_for_key, keys_with_prefix, DocumentSummary, KeyCount, KeyDocuments, MAX_DOCUMENTS,
    MAX_KEYS,
};

/// Keys returned when `limit` is not given.
pub const DEFAULT_KEYS: usize = 20;
/// Documents per list when `limit` is not given.
pub const DEFAULT_DOCUMENTS: usize = 50;

/// Parameters of `GET /api/references`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ReferencesParams {
    /// Start of a document number in any spelling (`136/KH`, `34-ct`); empty: all keys.
    pub prefix: Option<String>,
    /// Most keys to return; values above 100 are capped to 100.
    #[param(minimum = 0, maximum = 1000000000, default = default_keys)]
    pub limit: Option<usize>,
}
impl QueryParams for ReferencesParams {}

/// Parameters of `GET /api/references/{key}`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ReferenceKeyParams {
    /// Most documents per list; values above 1000 are capped to 1000.
    #[param(minimum = 0, maximum = 1000000000, default = default_documents)]
    pub limit: Option<usize>,
}
impl QueryParams for ReferenceKeyParams {}

fn default_keys() -> usize {
    DEFAULT_KEYS
}

fn default_documents() -> usize {
    DEFAULT_DOCUMENTS
}

/// A document number present in the corpus.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferenceKey {
    /// The number as written in a document (canonical KEY) when known, else the fold key.
    pub key: String,
    /// The fold key (lower case, no accents, separators as `/`).
    pub fold: String,
    /// Documents citing it.
    pub cited_by: u64,
    /// Documents whose own number it is.
    pub documents: u64,
}

impl From<KeyCount> for ReferenceKey {
    fn from(k: KeyCount) -> ReferenceKey {
        ReferenceKey {
            key: k.key,
            fold: k.fold,
            cited_by: k.cited_by,
            documents: k.documents,
        }
    }
}

/// The answer of `GET /api/references`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferenceList {
    /// Keys starting with the prefix, most used first.
    pub keys: Vec<ReferenceKey>,
}

/// A document in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentBrief {
    /// Document id.
    pub id: String,
    /// Title (or first line).
    pub title: String,
    /// Own number.
    pub number: Option<String>,
    /// Issue date.
    pub date: Option<String>,
    /// Province at the time of issue.
    pub province: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// For citing documents: the sentences citing the key.
    pub sentences: Vec<String>,
}

impl From<DocumentSummary> for DocumentBrief {
    fn from(d: DocumentSummary) -> DocumentBrief {
        DocumentBrief {
            id: d.id,
            title: d.title,
            number: d.number,
            date: d.date,
            province: d.province,
            doc_type: d.doc_type,
            issuer: d.issuer,
            sentences: d.sentences,
        }
    }
}

/// The answer of `GET /api/references/{key}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferenceDocuments {
    /// The key as written in a document when known, else as asked.
    pub key: String,
    /// The fold key.
    pub fold: String,
    /// Number of documents citing the key.
    pub cited_by_total: usize,
    /// Documents citing the key, newest first.
    pub cited_by: Vec<DocumentBrief>,
    /// Number of documents whose own number is the key.
    pub documents_total: usize,
    /// Documents whose own number is the key (the cited document itself, when it is
    /// in the corpus), newest first.
    pub documents: Vec<DocumentBrief>,
}

impl From<KeyDocuments> for ReferenceDocuments {
    fn from(k: KeyDocuments) -> ReferenceDocuments {
        ReferenceDocuments {
            key: k.key,
            fold: k.fold,
            cited_by_total: k.cited_by_total,
            cited_by: k.cited_by.into_iter().map(DocumentBrief::from).collect(),
            documents_total: k.documents_total,
            documents: k.documents.into_iter().map(DocumentBrief::from).collect(),
        }
    }
}

/// Document numbers of the corpus starting with a prefix, for autocomplete.
#[utoipa::path(
    get,
    path = "/api/references",
    tag = "references",
    params(ReferencesParams),
    responses(
        (status = 200, description = "Matching keys with counts", body = ReferenceList),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Params(params): Params<ReferencesParams>,
) -> Result<Json<ReferenceList>, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_KEYS).min(MAX_KEYS);
    let prefix = params.prefix.unwrap_or_default();
    let engine = state.engine.clone();
    let keys = blocking(move || keys_with_prefix(&engine, &prefix, limit)).await?;
    Ok(Json(ReferenceList {
        keys: keys.into_iter().map(ReferenceKey::from).collect(),
    }))
}

/// The documents citing a document number, and the documents with that number.
#[utoipa::path(
    get,
    path = "/api/references/{key}",
    tag = "references",
    params(
        ("key" = String, Path, description = "A document number in any spelling, percent-encoded (`136%2FKH-UBND`)"),
        ReferenceKeyParams
    ),
    responses(
        (status = 200, description = "Citing documents and the documents with this number", body = ReferenceDocuments),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No document cites or carries this number", body = ErrorBody),
    )
)]
pub async fn key(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Params(params): Params<ReferenceKeyParams>,
) -> Result<Json<ReferenceDocuments>, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_DOCUMENTS).min(MAX_DOCUMENTS);
    let engine = state.engine.clone();
    let asked = key.clone();
    let docs = blocking(move || documents_for_key(&engine, &key, limit)).await?;
    if docs.cited_by_total == 0 && docs.documents_total == 0 {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no document cites or carries the number {asked:?}"),
        ));
    }
    Ok(Json(docs.into()))
}
