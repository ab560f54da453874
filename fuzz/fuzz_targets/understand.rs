//! Arbitrary bytes → `decode::decode` (+ `clean`) → `Understander::understand`, and
//! `Understander::read` on the same bytes. The first byte picks the file name (the
//! extension decides whether HTML is stripped); the rest is the file.
//!
//! Asserts: no panic; decoded and cleaned text has no NUL; for bytes that are not a
//! binary document format (those go to the `extract` target), `read` succeeds
//! exactly when `decode` does; reference spans lie inside the record's text.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use kehoach::document::{clean::clean, decode::decode, extract, Record, Understander};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = ["plan.txt", "page.html", "page.htm", "notes.md"];

fn understander() -> &'static Understander {
    static U: OnceLock<Understander> = OnceLock::new();
    U.get_or_init(Understander::new)
}

/// Every reference span lies inside the record's text, on char boundaries.
fn check_spans(rec: &Record) {
    for r in &rec.references {
        assert!(
            r.start <= r.end && rec.text.get(r.start..r.end).is_some(),
            "reference {:?} at {}..{} outside the text ({} bytes)",
            r.key,
            r.start,
            r.end,
            rec.text.len()
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let path = Path::new(NAMES[usize::from(first) % NAMES.len()]);
    let u = understander();
    let decoded = decode(bytes, path);
    if let Ok(text) = &decoded {
        assert!(!text.contains('\0'), "NUL in decoded text");
        let cleaned = clean(text);
        assert!(!cleaned.contains('\0'), "NUL in cleaned text");
        let rec = u.understand(&cleaned);
        check_spans(&rec);
        // Understanding the raw decoded text (not cleaned) must not panic either.
        let _ = u.understand(text);
    }
    let read = u.read(path, bytes);
    if extract::sniff(bytes).is_none() {
        assert_eq!(read.is_ok(), decoded.is_ok(), "read and decode disagree");
    }
    if let Ok(rec) = &read {
        check_spans(rec);
    }
    // Arbitrary bytes as (lossy) text straight into the extractor.
    check_spans(&u.understand(&String::from_utf8_lossy(bytes)));
});
