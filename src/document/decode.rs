//! Decoding the bytes of a file into Unicode text.
//!
//! In order: reject empty files and known binary formats (PNG, ZIP/DOCX, PDF, OLE2 …);
//! UTF-8 (BOM optional) or UTF-16 LE/BE (BOM, or no BOM when the NUL pattern is clear);
//! a file cut inside its last UTF-8 character is accepted without that character;
//! a file that is not UTF-8 is read byte per character and tried as TCVN3, VNI,
//! Windows-1258 and Windows-1252 (see [`legacy`]); HTML (by extension or content) is
//! reduced to text; valid Unicode that carries legacy mojibake (`Céng hoµ`, `Coäng hoøa`,
//! `Viá»‡t`) is repaired line by line. Anything undecidable is an [`Error::Decode`] that
//! names the file and the reason — junk is never returned silently.
//!
//! The common case (valid UTF-8, not HTML, no Latin-1 telltales) costs a validation pass,
//! one copy into the returned `String` and two cheap byte scans.

mod html;
pub mod legacy;

use std::path::Path;

use serde::Serialize;

pub use legacy::Legacy;

use crate::{Error, Result};

/// How the bytes of a file became characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Encoding {
    /// UTF-8 (with or without BOM).
    Utf8,
    /// UTF-16 little endian (with BOM or detected).
    Utf16Le,
    /// UTF-16 big endian (with BOM or detected).
    Utf16Be,
    /// A single-byte file read through Windows-1252; see [`Decoded::legacy`] for the
    /// Vietnamese legacy table applied on top, if any.
    SingleByte,
}

/// The result of [`decode_detailed`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decoded {
    /// The decoded text (HTML reduced to text; legacy encodings converted).
    pub text: String,
    /// How the bytes were read.
    pub encoding: Encoding,
    /// The legacy Vietnamese encoding that was converted, if any.
    pub legacy: Option<Legacy>,
    /// Number of lines converted from a legacy encoding (all lines for a single-byte file).
    pub legacy_lines: usize,
    /// The file started with a byte order mark.
    pub bom: bool,
    /// The input was HTML and was reduced to text.
    pub html: bool,
    /// The file ended inside a character; the partial character was dropped.
    pub truncated: bool,
    /// Invalid sequences replaced by U+FFFD (rare damage in an otherwise valid file).
    pub replaced: usize,
}

/// Decodes the bytes of a file into Unicode text. See [`decode_detailed`].
pub fn decode(bytes: &[u8], path: &Path) -> Result<String> {
    decode_detailed(bytes, path).map(|d| d.text)
}

/// Decodes the bytes of a file into Unicode text and says how.
///
/// Errors with [`Error::Decode`] (naming `path` and the reason) for empty files, binary
/// files, broken UTF-8/UTF-16 that no 8-bit reading explains, legacy Vietnamese that no
/// table converts, and documents without any text. Never panics.
pub fn decode_detailed(bytes: &[u8], path: &Path) -> Result<Decoded> {
    let fail = |reason: String| Error::Decode {
        path: path.to_path_buf(),
        reason,
    };
    if bytes.is_empty() {
        return Err(fail("the file is empty".into()));
    }
    if let Some(kind) = binary_format(bytes) {
        return Err(fail(format!("this is {kind}, not text")));
    }

    let mut d = Decoded {
        text: String::new(),
        encoding: Encoding::Utf8,
        legacy: None,
        legacy_lines: 0,
        bom: false,
        html: false,
        truncated: false,
        replaced: 0,
    };
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some((true, true)),
        [0xFE, 0xFF, ..] => Some((false, true)),
        _ => sniff_utf16(bytes).map(|le| (le, false)),
    };
    let single_byte = if let Some((le, bom)) = utf16 {
        read_utf16(bytes, le, bom, &mut d).map_err(fail)?;
        None
    } else {
        read_8bit(bytes, &mut d).map_err(fail)?
    };

    check_controls(&mut d.text).map_err(fail)?;

    if html::looks_like_html(path, &d.text) {
        d.text = html::strip(&d.text);
        d.html = true;
    }

    convert_legacy(&mut d, single_byte).map_err(fail)?;

    if !d.text.chars().any(char::is_alphanumeric) {
        let reason = if d.html {
            "contains no text once the HTML markup is removed"
        } else {
            "contains no text (only whitespace, punctuation or symbols)"
        };
        return Err(fail(reason.into()));
    }
    Ok(d)
}

/// Reads a UTF-16 file (little endian when `le`; `bom`: it starts with one) into `d`.
/// Errs with the reason when too many surrogates are unpaired.
fn read_utf16(
    bytes: &[u8],
    le: bool,
    bom: bool,
    d: &mut Decoded,
) -> std::result::Result<(), String> {
    let body = if bom {
        bytes.get(2..).unwrap_or(&[])
    } else {
        bytes
    };
    d.bom = bom;
    d.encoding = if le {
        Encoding::Utf16Le
    } else {
        Encoding::Utf16Be
    };
    let (text, errors, odd) = decode_utf16(body, le);
    if errors > 0 && errors * 1000 > body.len() / 2 {
        return Err(format!(
            "invalid UTF-16: {errors} unpaired surrogate(s) in {} code units",
            body.len() / 2
        ));
    }
    d.replaced = errors;
    d.truncated = odd;
    d.text = text;
    Ok(())
}

/// Reads a byte-oriented file into `d`: UTF-8 (BOM optional, a cut last character
/// dropped, rare damage replaced), else Windows-1252. For the latter returns the
/// offset and value of the first byte that is not UTF-8, for the legacy phase.
/// Errs with the reason on NUL bytes.
fn read_8bit(bytes: &[u8], d: &mut Decoded) -> std::result::Result<Option<(usize, u8)>, String> {
    let body = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            d.bom = true;
            rest
        }
        _ => bytes,
    };
    if let Some(pos) = body.iter().position(|&b| b == 0) {
        return Err(format!(
            "contains NUL bytes (first at offset {pos}): a binary file, not text"
        ));
    }
    let mut single_byte = None;
    match std::str::from_utf8(body) {
        Ok(s) => d.text = s.to_owned(),
        Err(e) => {
            let valid = e.valid_up_to();
            let rest = body.len() - valid;
            if e.error_len().is_none() && rest <= 3 {
                d.truncated = true;
                d.text = String::from_utf8_lossy(body.get(..valid).unwrap_or(&[])).into_owned();
            } else if let Some((text, replaced)) = nearly_utf8(body) {
                d.text = text;
                d.replaced = replaced;
            } else {
                single_byte = Some((valid, body.get(valid).copied().unwrap_or(0)));
                d.encoding = Encoding::SingleByte;
                d.text = legacy::decode_windows1252(body);
            }
        }
    }
    Ok(single_byte)
}

/// Converts legacy Vietnamese: the whole text of a single-byte file (`single_byte`:
/// offset and value of its first non-UTF-8 byte), or the mojibake lines of a Unicode
/// one. Errs with the reason when no table converts it.
fn convert_legacy(
    d: &mut Decoded,
    single_byte: Option<(usize, u8)>,
) -> std::result::Result<(), String> {
    if let Some((offset, byte)) = single_byte {
        let (text, leg) = legacy::decode_8bit(&d.text).map_err(|reason| {
            format!("not valid UTF-8 (byte 0x{byte:02X} at offset {offset}); {reason}")
        })?;
        d.legacy_lines = if leg.is_some() {
            text.lines().count()
        } else {
            0
        };
        d.legacy = leg;
        d.text = text;
    } else if legacy::has_telltales(&d.text) {
        match legacy::repair_unicode(&d.text) {
            legacy::Repair::Unchanged => {}
            legacy::Repair::Converted {
                text,
                legacy,
                lines,
            } => {
                d.text = text;
                d.legacy = Some(legacy);
                d.legacy_lines = lines;
            }
            legacy::Repair::Undecidable(reason) => return Err(reason),
        }
    }
    Ok(())
}

/// Known binary formats, by magic number.
fn binary_format(b: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/ODT document)"),
        (b"PK\x05\x06", "an empty ZIP archive"),
        (b"%PDF-", "a PDF document"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an OLE2 file (old Word .doc / Excel .xls)",
        ),
        (b"\x1F\x8B", "a gzip archive"),
        (b"\x7FELF", "an executable (ELF)"),
        (b"Rar!\x1A\x07", "a RAR archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"SQLite format 3\0", "an SQLite database"),
        (b"{\\rtf", "an RTF document (convert it to text first)"),
        (b"II*\0", "a TIFF image"),
        (b"MM\0*", "a TIFF image"),
        (b"OggS", "an Ogg media file"),
        (b"ID3", "an MP3 file"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| b.starts_with(m))
        .map(|(_, kind)| *kind)
}

/// UTF-16 without BOM: NULs in one byte position of most code units and almost never in
/// the other. Returns `Some(true)` for little endian.
fn sniff_utf16(bytes: &[u8]) -> Option<bool> {
    let n = bytes.len().min(8192) & !1;
    if n < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in bytes.iter().take(n).enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let units = n / 2;
    if odd * 2 >= units && even * 50 <= units {
        Some(true)
    } else if even * 2 >= units && odd * 50 <= units {
        Some(false)
    } else {
        None
    }
}

/// Decodes UTF-16; returns the text, the number of unpaired surrogates (replaced by
/// U+FFFD) and whether a trailing odd byte was dropped.
fn decode_utf16(body: &[u8], le: bool) -> (String, usize, bool) {
    let units = body.chunks_exact(2).map(|p| match p {
        [a, b] if le => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    let mut text = String::with_capacity(body.len());
    let mut errors = 0;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => text.push(c),
            Err(_) => {
                errors += 1;
                text.push('\u{FFFD}');
            }
        }
    }
    (text, errors, body.len() % 2 == 1)
}

/// Valid UTF-8 but for a few damaged bytes (at most one invalid byte per 50 multi-byte
/// characters): decoded with U+FFFD for the damage.
fn nearly_utf8(body: &[u8]) -> Option<(String, usize)> {
    let mut multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in body.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    (multibyte >= 10 && invalid * 50 <= multibyte)
        .then(|| (String::from_utf8_lossy(body).into_owned(), invalid))
}

/// Rejects control-character-heavy text (binary); removes the odd stray control
/// character otherwise. Tab, LF, CR and form feed are text.
fn check_controls(text: &mut String) -> std::result::Result<(), String> {
    let is_bad = |c: char| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c');
    if !text.bytes().any(|b| is_bad(char::from(b))) {
        return Ok(());
    }
    let total = text.chars().count();
    let bad = text.chars().filter(|&c| is_bad(c)).count();
    if bad > 8 && bad * 100 > total {
        return Err(format!(
            "{bad} control characters in {total}: a binary file, not text"
        ));
    }
    text.retain(|c| !is_bad(c));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_sniffing() {
        let le: Vec<u8> = "Xin chào Việt Nam"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff_utf16(&le), Some(true));
        let be: Vec<u8> = "Xin chào Việt Nam"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(sniff_utf16(&be), Some(false));
        assert_eq!(sniff_utf16("plain ascii text".as_bytes()), None);
    }
}
