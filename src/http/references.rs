//! `GET /api/references?prefix=` (keys for autocomplete) and
//! `GET /api/references/{key}` (documents citing a key, and those whose own number it is).

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

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
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Start of a document number in any spelling (`136/KH`, `34-ct`); empty: all keys.
    pub prefix: Option<String>,
    /// Most keys to return (default 20, at most 100).
    pub limit: Option<usize>,
}

/// Parameters of `GET /api/references/{key}`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KeyParams {
    /// Most documents per list (default 50, at most 1000).
    pub limit: Option<usize>,
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

/// Reads `prefix` and `limit` from a query string; anything else is an error.
fn parse(
    query: Option<&str>,
    allowed: &[&str],
) -> Result<(Option<String>, Option<usize>), ApiError> {
    let pairs = super::query_pairs(query)?;
    let (mut prefix, mut limit) = (None, None);
    for (k, v) in pairs {
        match k.as_str() {
            "prefix" if allowed.contains(&"prefix") => prefix = Some(v),
            "limit" => {
                limit = Some(v.trim().parse::<usize>().map_err(|_| {
                    ApiError::invalid("limit", format!("{v:?} is not a non-negative whole number"))
                })?)
            }
            other => {
                return Err(ApiError::invalid(
                    other,
                    format!("unknown parameter; expected {}", allowed.join(" or ")),
                ))
            }
        }
    }
    Ok((prefix, limit))
}

/// Document numbers of the corpus starting with a prefix, for autocomplete.
#[utoipa::path(
    get,
    path = "/api/references",
    tag = "references",
    params(ListParams),
    responses(
        (status = 200, description = "Matching keys with counts", body = ReferenceList),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<ReferenceList>, ApiError> {
    let (prefix, limit) = parse(query.as_deref(), &["prefix", "limit"])?;
    let limit = limit.unwrap_or(DEFAULT_KEYS).min(MAX_KEYS);
    let prefix = prefix.unwrap_or_default();
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
        KeyParams
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
    RawQuery(query): RawQuery,
) -> Result<Json<ReferenceDocuments>, ApiError> {
    let (_, limit) = parse(query.as_deref(), &["limit"])?;
    let limit = limit.unwrap_or(DEFAULT_DOCUMENTS).min(MAX_DOCUMENTS);
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
