//! PDF: the text layer laid out by kehoach (`layout.rs`), OCR for pages without one.

use std::path::Path;

use pdf_oxide::PdfDocument;

use super::layout::{self, Glyph};
use super::ocr::Ocr;
use super::{Page, PageSource};

/// A page with fewer letters than this in its text layer is read by OCR (a scanned
/// page often carries a stray page number or a stamp in text).
const MIN_LETTERS: usize = 16;

pub(super) fn extract(bytes: &[u8], path: &Path, ocr: &Ocr) -> Result<Vec<Page>, String> {
    let doc = PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| describe(&e.to_string()))?;
    if doc.is_encrypted() {
        match doc.authenticate(b"") {
            Ok(true) => {}
            Ok(false) => {
                return Err("the PDF is password-protected; kehoach cannot read it \
                     (save a copy without a password and ingest that)"
                    .into())
            }
            Err(e) => {
                return Err(format!(
                    "the PDF is encrypted in a way kehoach cannot read: {e}"
                ))
            }
        }
    }
    let count = doc
        .page_count()
        .map_err(|e| format!("cannot read the PDF's page tree: {e}"))?;
    if count == 0 {
        return Err("the PDF has no pages".into());
    }
    let mut pages = Vec::with_capacity(count);
    let mut scanned = Vec::new();
    for i in 0..count {
        let text = match doc.extract_chars(i) {
            Ok(chars) => layout::page_text(
                chars
                    .iter()
                    .map(|c| Glyph {
                        c: c.char,
                        x: c.bbox.x,
                        width: c.bbox.width.max(c.advance_width),
                        y: c.origin_y,
                        size: c.font_size,
                    })
                    .collect(),
            ),
            // A page the parser cannot read is OCRed if it can be, like a scan.
            Err(_) => String::new(),
        };
        if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
            scanned.push(i);
        }
        pages.push(Page {
            text,
            source: PageSource::Text,
        });
    }
    if scanned.is_empty() {
        return Ok(pages);
    }
    let read = ocr.pages(bytes, path, &scanned, count)?;
    for (i, text) in scanned.into_iter().zip(read) {
        if let Some(p) = pages.get_mut(i) {
            let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
            if letters(&text) > letters(&p.text) {
                p.text = text;
                p.source = PageSource::Ocr;
            } else if letters(&p.text) == 0 {
                p.source = PageSource::Empty;
            }
        }
    }
    Ok(pages)
}

/// A parser error as a reason a person can act on.
fn describe(e: &str) -> String {
    let lower = e.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        format!("the PDF is encrypted and cannot be read ({e})")
    } else if lower.contains("eof") || lower.contains("xref") || lower.contains("trailer") {
        format!("the PDF is truncated or damaged ({e})")
    } else {
        format!("cannot read the PDF: {e}")
    }
}
