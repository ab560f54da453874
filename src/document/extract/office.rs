//! DOCX and DOC through office_oxide's document model.
//!
//! office_oxide's own plain text joins the paragraphs of a table cell with spaces
//! and the cells with tabs, so the two-column header of an official document comes
//! out as one line ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI Số: 2816/QĐ-UBND⇥CỘNG HÒA…").
//! Here every paragraph is a line, and a table is read row by row, cell by cell
//! (left cell, then right cell), so header lines stay lines.

use std::fmt::Write as _;
use std::io::Cursor;

use office_oxide::ir::{Element, InlineContent};
use office_oxide::{DocumentFormat, DocumentIR};

use super::{Format, Page, PageSource};

pub(super) fn extract(bytes: &[u8], format: Format) -> Result<Vec<Page>, String> {
    let (kind, name) = match format {
        Format::Doc => (DocumentFormat::Doc, "Word 97-2003 (.doc)"),
        _ => (DocumentFormat::Docx, "DOCX"),
    };
    if format == Format::Docx && !bytes.starts_with(b"PK") {
        return Err("this .docx file is not a zip archive (damaged or not a Word file)".into());
    }
    let doc = office_oxide::Document::from_reader(Cursor::new(bytes.to_vec()), kind)
        .map_err(|e| describe(name, &e.to_string()))?;
    let ir: DocumentIR = doc.to_ir();
    let mut text = String::new();
    for section in &ir.sections {
        elements(&section.elements, &mut text);
    }
    Ok(vec![Page {
        text,
        source: PageSource::Text,
    }])
}

fn describe(name: &str, e: &str) -> String {
    let lower = e.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        format!("the {name} file is password-protected or encrypted ({e})")
    } else {
        format!("cannot read the {name} file, it may be truncated or damaged: {e}")
    }
}

fn elements(els: &[Element], out: &mut String) {
    for el in els {
        match el {
            Element::Heading(h) => line(&h.content, out),
            Element::Paragraph(p) => line(&p.content, out),
            Element::Table(t) => {
                for row in &t.rows {
                    for cell in &row.cells {
                        elements(&cell.content, out);
                    }
                }
            }
            Element::List(l) => list(l, out),
            Element::TextBox(b) => elements(&b.content, out),
            Element::Footnote(n) | Element::Endnote(n) => elements(&n.content, out),
            Element::CodeBlock(c) => {
                let _ = writeln!(out, "{}", c.content);
            }
            // Images, rules, breaks, shapes, and whatever later versions add.
            _ => {}
        }
    }
}

fn list(l: &office_oxide::ir::List, out: &mut String) {
    for item in &l.items {
        elements(&item.content, out);
        if let Some(nested) = &item.nested {
            list(nested, out);
        }
    }
}

fn line(content: &[InlineContent], out: &mut String) {
    for c in content {
        match c {
            InlineContent::Text(span) => out.push_str(&span.text),
            InlineContent::LineBreak => out.push('\n'),
            _ => {}
        }
    }
    out.push('\n');
}
