//! ODT (OpenDocument text): `content.xml` of the zip, read with quick-xml.
//!
//! Every `text:p` and `text:h` is a line; `text:s` is `text:c` spaces, `text:tab` a
//! tab, `text:line-break` a new line. Table cells come in document order, which is
//! row by row, left cell then right cell. Annotations (comments) and change-tracking
//! deletions are skipped.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{Page, PageSource};

/// `content.xml` larger than this (uncompressed) is refused rather than read.
const MAX_XML: u64 = 256 << 20;

pub(super) fn extract(bytes: &[u8]) -> Result<Vec<Page>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("this .odt file is not a readable zip archive ({e})"))?;
    let entry = zip
        .by_name("content.xml")
        .map_err(|_| "this .odt file has no content.xml (damaged or not a text document)")?;
    if entry.size() > MAX_XML {
        return Err(format!(
            "content.xml is {} MB uncompressed, more than kehoach reads",
            entry.size() >> 20
        ));
    }
    let mut xml = String::new();
    entry
        .take(MAX_XML)
        .read_to_string(&mut xml)
        .map_err(|e| format!("cannot read content.xml: {e}"))?;
    Ok(vec![Page {
        text: text_of(&xml)?,
        source: PageSource::Text,
    }])
}

/// The text of an ODT `content.xml`.
fn text_of(xml: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    // Depth inside elements whose text is not document text.
    let mut skip = 0usize;
    let mut in_body = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("content.xml is not well-formed XML: {e}"))?;
        match event {
            Event::Start(e) => {
                let name = e.name();
                let name = name.as_ref();
                if name == "office:body" {
                    in_body = true;
                } else if skip > 0 || is_skipped(name) {
                    skip += 1;
                }
            }
            Event::End(e) => {
                let name = e.name();
                let name = name.as_ref();
                if skip > 0 {
                    skip -= 1;
                } else if in_body && (name == "text:p" || name == "text:h") {
                    out.push('\n');
                } else if name == "office:body" {
                    in_body = false;
                }
            }
            Event::Empty(e) if in_body && skip == 0 => match e.name().as_ref() {
                "text:s" => {
                    let n = e
                        .try_get_attribute("text:c")
                        .ok()
                        .flatten()
                        .and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()?
                                .parse::<usize>()
                                .ok()
                        })
                        .unwrap_or(1);
                    out.extend(std::iter::repeat_n(' ', n.min(64)));
                }
                "text:tab" => out.push('\t'),
                "text:line-break" => out.push('\n'),
                "text:p" | "text:h" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_body && skip == 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_body && skip == 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_body && skip == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else {
                    out.push_str(match r.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Elements whose content is not the document's text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "office:annotation" | "text:tracked-changes" | "text:note-citation"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_spaces_and_cells() {
        let xml = r#"<office:document-content><office:body><office:text>
<table:table><table:table-row><table:table-cell><text:p>ỦY BAN NHÂN DÂN</text:p><text:p>TỈNH ĐỒNG NAI</text:p></table:table-cell>
<table:table-cell><text:p>CỘNG HÒA<text:s text:c="2"/>XÃ HỘI</text:p></table:table-cell></table:table-row></table:table>
<text:h>KẾ HOẠCH</text:h><text:p>A &amp; B<text:line-break/>C<office:annotation><text:p>comment</text:p></office:annotation></text:p>
</office:text></office:body></office:document-content>"#;
        let t = text_of(xml).unwrap();
        let lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "ỦY BAN NHÂN DÂN",
                "TỈNH ĐỒNG NAI",
                "CỘNG HÒA  XÃ HỘI",
                "KẾ HOẠCH",
                "A & B",
                "C"
            ]
        );
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(text_of("<office:body><text:p>a</text:q>").is_err());
    }
}
