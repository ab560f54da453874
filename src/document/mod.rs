//! Document understanding: decode bytes, clean, and extract metadata.
//!
//! `read → understand`: [`decode`] turns bytes into text (UTF-8/16, HTML, legacy
//! TCVN3/VNI), [`clean`] removes web boilerplate, and [`Understander::understand`]
//! extracts the header fields, province, citations, themes and language of a
//! cleaned text into a [`Record`].
//!
//! STUB: the extractors are placeholders until document understanding lands.

pub mod clean;
pub mod decode;
pub mod language;

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::Result;

/// A citation of another document found in a document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Canonical KEY (`136/KH-UBND`, `34-CT/TW`, `~NQ-HNTW:4/XII`).
    pub key: String,
    /// Fold key for joins (`136/kh/ubnd`).
    pub fold: String,
    /// `YYYY-MM-DD` or `YYYY` when a date is attached in the text.
    pub date: Option<String>,
    /// Issuing body named in the text (`của …`), canonical.
    pub issuer: Option<String>,
    /// Relation verb (căn cứ, thực hiện, theo, triển khai, nguồn) when present.
    pub relation: Option<String>,
    /// Byte offset of the reference's start in [`Record::text`].
    pub start: usize,
    /// Byte offset of the reference's end in [`Record::text`].
    pub end: usize,
    /// The citing sentence.
    pub sentence: String,
}

/// A theme assigned to a document, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeMatch {
    /// Theme id from the taxonomy (`chuyen_doi_so`).
    pub id: String,
    /// Score (title and anchor hits weigh more).
    pub score: f32,
    /// The keywords and anchor references that matched.
    pub matched: Vec<String>,
}

/// Everything kehoach knows about one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Own number as canonical KEY.
    pub number: Option<String>,
    /// Document type (Kế hoạch, Quyết định, …).
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Place name of the header's place-date line.
    pub place: Option<String>,
    /// Issue date, ISO 8601 `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Title (trích yếu).
    pub title: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Parent body (cơ quan chủ quản).
    pub parent_issuer: Option<String>,
    /// Signer's name.
    pub signer: Option<String>,
    /// Province of the issuer at the time of issue (canonical name).
    pub province: Option<String>,
    /// Province after the 1 July 2025 merger.
    pub province_current: Option<String>,
    /// Citations, in order of appearance.
    pub references: Vec<Reference>,
    /// Up to four themes, best first.
    pub themes: Vec<ThemeMatch>,
    /// ISO 639-3 code from whatlang (`vie`), if detected.
    pub language: Option<String>,
    /// The cleaned text.
    pub text: String,
}

/// Extracts [`Record`]s from cleaned text. Holds the data tables (themes,
/// provinces, issuers); build it once and share it across threads.
#[derive(Debug, Default)]
pub struct Understander {}

impl Understander {
    /// An understander with the built-in data tables.
    pub fn new() -> Self {
        Understander {}
    }

    /// Understands an already decoded and cleaned text.
    pub fn understand(&self, text: &str) -> Record {
        Record {
            language: language::detect(text),
            text: text.to_string(),
            ..Record::default()
        }
    }

    /// Decodes, cleans and understands the bytes of a file.
    pub fn read(&self, path: &Path, bytes: &[u8]) -> Result<Record> {
        let text = decode::decode(bytes, path)?;
        let text = clean::clean(&text);
        Ok(self.understand(&text))
    }
}

impl Understander {
    /// An understander whose theme taxonomy is read from a TSV file. STUB.
    pub fn with_themes(_path: &Path) -> Result<Self> {
        Ok(Understander {})
    }
}
