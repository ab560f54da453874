//! `GET /api/documents/{id}`: one document with its metadata, citations and text.
//!
//! Ids may contain `/` and spaces: percent-encode the id in the path
//! (`/api/documents/kg%2F325.txt`); an unencoded `/` works too, since the id is
//! the whole rest of the path.

use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::{blocking, ApiError, AppState, ErrorBody};
use crate::document::{Reference, ThemeMatch};
use crate::query::StoredDocument;

/// A citation of another document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Citation {
    /// Canonical KEY of the cited document (`136/KH-UBND`); look it up with
    /// `/api/references/{key}`.
    pub key: String,
    /// Fold key (`136/kh/ubnd`).
    pub fold: String,
    /// Date attached to the citation in the text.
    pub date: Option<String>,
    /// Issuing body named in the text.
    pub issuer: Option<String>,
    /// Relation verb (căn cứ, thực hiện, theo…).
    pub relation: Option<String>,
    /// Byte offset of the citation's start in `text` (UTF-8).
    pub start: usize,
    /// Byte offset of the citation's end in `text` (UTF-8).
    pub end: usize,
    /// The citing sentence.
    pub sentence: String,
}

impl From<Reference> for Citation {
    fn from(r: Reference) -> Citation {
        Citation {
            key: r.key,
            fold: r.fold,
            date: r.date,
            issuer: r.issuer,
            relation: r.relation,
            start: r.start,
            end: r.end,
            sentence: r.sentence,
        }
    }
}

/// A theme of a document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Theme {
    /// Theme id (`chuyen_doi_so`).
    pub id: String,
    /// Score.
    pub score: f32,
    /// The keywords and references that matched.
    pub matched: Vec<String>,
}

impl From<ThemeMatch> for Theme {
    fn from(t: ThemeMatch) -> Theme {
        Theme {
            id: t.id,
            score: t.score,
            matched: t.matched,
        }
    }
}

/// A whole document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentResponse {
    /// Document id.
    pub id: String,
    /// Source path or URL.
    pub source: String,
    /// Own number.
    pub number: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Place of issue.
    pub place: Option<String>,
    /// Issue date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Parent body.
    pub parent_issuer: Option<String>,
    /// Signer.
    pub signer: Option<String>,
    /// Province at the time of issue.
    pub province: Option<String>,
    /// Province after the 1 July 2025 merger.
    pub province_current: Option<String>,
    /// Citations, in order of appearance.
    pub references: Vec<Citation>,
    /// Themes, best first.
    pub themes: Vec<Theme>,
    /// ISO 639-3 language code.
    pub language: Option<String>,
    /// The text.
    pub text: String,
}

impl From<StoredDocument> for DocumentResponse {
    fn from(d: StoredDocument) -> DocumentResponse {
        let r = d.record;
        DocumentResponse {
            id: d.id,
            source: d.source,
            number: r.number,
            doc_type: r.doc_type,
            place: r.place,
            date: r.date,
            title: r.title,
            issuer: r.issuer,
            parent_issuer: r.parent_issuer,
            signer: r.signer,
            province: r.province,
            province_current: r.province_current,
            references: r.references.into_iter().map(Citation::from).collect(),
            themes: r.themes.into_iter().map(Theme::from).collect(),
            language: r.language,
            text: r.text,
        }
    }
}

/// One document: metadata, citations (with spans and citing sentences) and text.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    tag = "documents",
    params(("id" = String, Path, description = "Document id, percent-encoded (`/` as %2F, space as %20)")),
    responses(
        (status = 200, description = "The document", body = DocumentResponse),
        (status = 404, description = "No document with this id", body = ErrorBody),
    )
)]
pub async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<DocumentResponse>, ApiError> {
    let engine = state.engine.clone();
    let doc = blocking(move || engine.document(&id)).await?;
    Ok(Json(doc.into()))
}
