//! Arbitrary bytes as a PDF, DOCX, DOC or ODT file → `document::read` with OCR off.
//! The first byte picks the file name and a magic prefix (so the bytes reach each
//! parser: `%PDF-1.4`, a ZIP local header, the OLE2 signature, or none); the rest is
//! the file.
//!
//! Asserts: no panic (libFuzzer aborts on one, even one the extractors' own
//! `catch_unwind` would turn into an error); an error names the file; a success
//! has text, and every page start of its origin lies on a char boundary, in order.
#![no_main]

use std::path::Path;

use kehoach::document::{read, ReadOptions};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = ["scan.pdf", "plan.docx", "old.doc", "plan.odt"];
const MAGIC: [&[u8]; 4] = [
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    b"",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(first) % NAMES.len()];
    let mut bytes = MAGIC[usize::from(first >> 2) % MAGIC.len()].to_vec();
    bytes.extend_from_slice(rest);
    let mut opts = ReadOptions::default();
    opts.extract.ocr.enabled = false;
    match read(Path::new(name), &bytes, &opts) {
        Ok(r) => {
            assert!(r.text.chars().any(char::is_alphanumeric), "success without text");
            let mut last = 0;
            for p in &r.origin.pages {
                assert!(p.start >= last && r.text.is_char_boundary(p.start));
                last = p.start;
            }
        }
        Err(e) => assert!(e.to_string().contains(name), "error without the path: {e}"),
    }
});
