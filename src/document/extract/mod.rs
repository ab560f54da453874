//! Extracting text from the files portals publish: PDF (with a text layer or
//! scanned), DOCX, old Word `.doc` and ODT.
//!
//! The format is recognised by **content** ([`sniff`]): `%PDF-`, a ZIP holding
//! `word/document.xml` (DOCX) or an OpenDocument text `mimetype` (ODT), an OLE2
//! compound file (`.doc`). Text files never reach this module.
//!
//! Every extractor returns [`Page`]s of raw text in reading order; the caller
//! ([`crate::document::read`]) repairs and cleans each page and records where each
//! page starts, so offsets into the final text still mean something.
//!
//! - **PDF** (`pdf.rs`, `layout.rs`): pdf_oxide gives the glyphs of each page with
//!   their positions; kehoach lays them out itself. Lines are glyphs on one baseline,
//!   a space is a gap of a fifth of the font size or more — pdf_oxide's own space
//!   guesses (a space where the font changes inside `TỈNH`) are ignored — and a row
//!   split by a gap of two ems or more (the two-column header of an official
//!   document, the signature block) is read column by column: left cell, then right
//!   cell.
//! - **Scanned pages** (`ocr.rs`): a page with no text layer is rendered by
//!   `pdftoppm` and read by `tesseract -l vie` when both are installed; otherwise
//!   the file fails with one line saying what to install (nothing is half-indexed,
//!   so a later run with OCR available reads it).
//! - **DOCX and DOC** (`office.rs`): office_oxide's document model, walked so that
//!   each paragraph and each table cell is its own line, cells left to right, rows
//!   top to bottom.
//! - **ODT** (`odt.rs`): `content.xml` read with quick-xml.
//!
//! Extractors run under `catch_unwind`: a file that makes a parser panic is an
//! error naming the file, never a crash of the whole ingest.

mod layout;
mod ocr;
mod odt;
mod office;
mod pdf;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use ocr::{Ocr, OcrCounters};

use crate::{Error, Result};

/// A file format kehoach reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text or Markdown (any encoding [`crate::document::decode`] reads).
    Text,
    /// HTML, reduced to text.
    Html,
    /// PDF, from its text layer or by OCR.
    Pdf,
    /// Word 2007+ (`.docx`).
    Docx,
    /// Word 97–2003 (`.doc`).
    Doc,
    /// OpenDocument text (`.odt`).
    Odt,
}

impl Format {
    /// The name a person reads ("PDF", "DOCX").
    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "văn bản",
            Format::Html => "HTML",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Doc => "DOC",
            Format::Odt => "ODT",
        }
    }
}

/// Where the text of one page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PageSource {
    /// The file's own text (a PDF's text layer, a document's paragraphs).
    Text,
    /// Optical character recognition of the rendered page.
    Ocr,
    /// Neither gave any text (a blank page, or a picture without words).
    Empty,
}

/// One page of raw extracted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The text in reading order, lines separated by `\n`.
    pub text: String,
    /// Where it came from.
    pub source: PageSource,
}

/// Recognises a binary document format by its first bytes (and, for ZIP files,
/// by the entries that tell DOCX from ODT). `None` for anything else, text
/// included.
///
/// ```
/// use kehoach::document::{sniff, Format};
/// assert_eq!(sniff(b"%PDF-1.7\n..."), Some(Format::Pdf));
/// assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), Some(Format::Doc));
/// assert_eq!(sniff("Kế hoạch số 136/KH-UBND".as_bytes()), None);
/// ```
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    // A PDF may start with a little junk (a BOM, a mail header); the spec allows
    // the header within the first 1024 bytes.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Some(Format::Pdf);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(Format::Doc);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(zip_kind(bytes));
    }
    None
}

/// A file named `.pdf`, `.docx`, `.doc` or `.odt` whose content is not that format
/// (a download that saved an error page, a truncated copy): the reason to report,
/// rather than reading it as text. `None` when the name promises nothing.
pub fn misnamed(path: &Path, bytes: &[u8]) -> Option<String> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let what = match ext.as_str() {
        "pdf" => "this .pdf file is not a PDF (it does not start with %PDF-; damaged, empty or an error page saved under that name)",
        "docx" => "this .docx file is not a zip archive (damaged, or not a Word 2007+ file)",
        "odt" => "this .odt file is not a zip archive (damaged, or not an OpenDocument file)",
        "doc" => {
            // Old Word files are OLE2; an RTF or HTML saved as .doc is text.
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
            if head.contains("<html") || head.trim_start().starts_with(['<', '{']) {
                return None;
            }
            "this .doc file is not a Word 97-2003 document (no OLE2 header; damaged or another format)"
        }
        _ => return None,
    };
    Some(if bytes.is_empty() {
        "the file is empty".into()
    } else {
        what.into()
    })
}

/// DOCX or ODT, by the entries of a ZIP file. The ODT `mimetype` entry comes first
/// and is stored uncompressed, so the first bytes usually tell; otherwise the
/// central directory is read. A ZIP that is neither is called DOCX, and its reader
/// says what is missing.
fn zip_kind(bytes: &[u8]) -> Format {
    const ODT_MIME: &[u8] = b"application/vnd.oasis.opendocument.text";
    let head = &bytes[..bytes.len().min(200)];
    if head.windows(ODT_MIME.len()).any(|w| w == ODT_MIME) {
        return Format::Odt;
    }
    match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(z)
            if z.index_for_name("content.xml").is_some()
                && z.index_for_name("word/document.xml").is_none() =>
        {
            Format::Odt
        }
        _ => Format::Docx,
    }
}

/// What [`extract`] may do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How pages without a text layer are read.
    pub ocr: Ocr,
}

/// Extracts the pages of a PDF, DOCX, DOC or ODT file (`format` from [`sniff`]).
///
/// Errors are [`Error::Decode`] naming `path` and a reason a person can act on:
/// encrypted, truncated or damaged files, a `.docx` that is not a zip, a PDF with
/// no pages, scanned pages when OCR is not installed. A panic inside a parser is
/// caught and reported the same way.
pub fn extract(bytes: &[u8], path: &Path, format: Format, opts: &Options) -> Result<Vec<Page>> {
    let fail = |reason: String| Error::Decode {
        path: path.to_path_buf(),
        reason,
    };
    let run = || -> std::result::Result<Vec<Page>, String> {
        match format {
            Format::Pdf => pdf::extract(bytes, path, &opts.ocr),
            Format::Docx | Format::Doc => office::extract(bytes, format),
            Format::Odt => odt::extract(bytes),
            Format::Text | Format::Html => Err("not a binary document format".into()),
        }
    };
    let pages = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .map_err(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            fail(format!(
                "the {} reader failed on this file (internal error: {what}); the file may be damaged",
                format.label()
            ))
        })?
        .map_err(fail)?;
    if pages.is_empty() {
        return Err(fail(format!("the {} file has no pages", format.label())));
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.4"), Some(Format::Pdf));
        assert_eq!(sniff(b"\xEF\xBB\xBF%PDF-1.4"), Some(Format::Pdf));
        assert_eq!(sniff(b"PK\x03\x04garbage"), Some(Format::Docx));
        let mut odt = b"PK\x03\x04".to_vec();
        odt.extend_from_slice(&[0; 26]);
        odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert_eq!(sniff(&odt), Some(Format::Odt));
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"plain"), None);
    }
}
