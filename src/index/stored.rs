//! A stored document read in place: the values of a document's bytes in the doc
//! store, as slices of the decompressed block, not copied out one by one.
//!
//! [`tantivy::TantivyDocument`] copies every stored value: the body, its syllable
//! stream and spans (a byte array is read a byte at a time), the metadata, and
//! checks the UTF-8 of each string. A search page wants a few of them per hit, so
//! [`StoredDoc`] keeps the document's bytes and finds a value where it lies; only a
//! string asked for is checked. It reads the binary layout tantivy writes
//! (`tantivy::schema::document::se`): a VInt count, then per value its field (`u32`,
//! little-endian), a type code and the value (strings and bytes as a VInt length
//! and the bytes; numbers and dates in eight bytes; booleans in one). A value of
//! any other type (facets, JSON, addresses: this schema stores none) makes it read
//! the document whole, as tantivy does.
//!
//! ```
//! use kehoach::index::stored::StoredDoc;
//! use tantivy::schema::{Schema, STORED};
//! use tantivy::{doc, Index, IndexWriter};
//!
//! let mut b = Schema::builder();
//! let title = b.add_text_field("title", STORED);
//! let blob = b.add_bytes_field("blob", STORED);
//! let index = Index::create_in_ram(b.build());
//! let mut w: IndexWriter = index.writer(15_000_000)?;
//! w.add_document(doc!(title => "Kế hoạch", blob => vec![1u8, 2, 3]))?;
//! w.commit()?;
//! let searcher = index.reader()?.searcher();
//! let store = searcher.segment_reader(0).get_store_reader(0)?;
//! let d = StoredDoc::read(&store, 0)?;
//! assert_eq!(d.text(title), Some("Kế hoạch"));
//! assert_eq!(d.bytes(blob), Some(&[1u8, 2, 3][..]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::ops::Range;

use tantivy::directory::OwnedBytes;
use tantivy::schema::{Field, Value};
use tantivy::store::StoreReader;
use tantivy::{DocId, TantivyDocument};

/// Type codes of tantivy's stored values (`tantivy::schema::document::type_codes`).
mod code {
    pub const TEXT: u8 = 0;
    pub const U64: u8 = 1;
    pub const I64: u8 = 2;
    pub const BYTES: u8 = 4;
    pub const DATE: u8 = 5;
    pub const F64: u8 = 6;
    pub const BOOL: u8 = 9;
}

/// One stored document, read in place when its layout is known, else whole.
pub struct StoredDoc(Repr);

enum Repr {
    /// The document's bytes, and (field, type code, byte range) of each value in
    /// stored order.
    InPlace {
        bytes: OwnedBytes,
        values: Vec<(Field, u8, Range<usize>)>,
    },
    /// Read by tantivy: a value of a type not read here.
    Whole(TantivyDocument),
}

impl StoredDoc {
    /// Reads document `doc` of `store`.
    pub fn read(store: &StoreReader, doc: DocId) -> tantivy::Result<StoredDoc> {
        match in_place(store.get_document_bytes(doc)?) {
            Some(repr) => Ok(StoredDoc(repr)),
            None => Ok(StoredDoc(Repr::Whole(store.get(doc)?))),
        }
    }

    /// The first string stored in `field`; `None` when there is none or it is not
    /// UTF-8.
    pub fn text(&self, field: Field) -> Option<&str> {
        match &self.0 {
            // Checked with SIMD: a body is most of a hit's bytes.
            Repr::InPlace { .. } => simdutf8::basic::from_utf8(self.first(field, code::TEXT)?).ok(),
            Repr::Whole(d) => d.get_first(field).and_then(|v| v.as_str()),
        }
    }

    /// The first byte array stored in `field`.
    pub fn bytes(&self, field: Field) -> Option<&[u8]> {
        match &self.0 {
            Repr::InPlace { .. } => self.first(field, code::BYTES),
            Repr::Whole(d) => d.get_first(field).and_then(|v| v.as_bytes()),
        }
    }

    /// Whether it was read in place (else whole, by tantivy).
    pub fn in_place(&self) -> bool {
        matches!(self.0, Repr::InPlace { .. })
    }

    fn first(&self, field: Field, code: u8) -> Option<&[u8]> {
        let Repr::InPlace { bytes, values } = &self.0 else {
            return None;
        };
        let (_, _, range) = values.iter().find(|(f, c, _)| *f == field && *c == code)?;
        bytes.as_slice().get(range.clone())
    }
}

/// Finds the values of a document's stored bytes; `None` when a value has a type
/// not read here or the bytes end early.
fn in_place(bytes: OwnedBytes) -> Option<Repr> {
    let b = bytes.as_slice();
    let mut at = 0usize;
    let count = vint(b, &mut at)?;
    let mut values = Vec::with_capacity(usize::try_from(count).ok()?.min(64));
    for _ in 0..count {
        let field = b.get(at..at + 4)?;
        let field = Field::from_field_id(u32::from_le_bytes(field.try_into().ok()?));
        let code = *b.get(at + 4)?;
        at += 5;
        let len = match code {
            code::TEXT | code::BYTES => usize::try_from(vint(b, &mut at)?).ok()?,
            code::U64 | code::I64 | code::DATE | code::F64 => 8,
            code::BOOL => 1,
            _ => return None,
        };
        let end = at.checked_add(len).filter(|&e| e <= b.len())?;
        values.push((field, code, at..end));
        at = end;
    }
    Some(Repr::InPlace { bytes, values })
}

/// tantivy's VInt: seven bits a byte, low first, the last byte's high bit set.
fn vint(b: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*at)?;
        *at += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 != 0 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, FAST, STORED, STRING};
    use tantivy::{doc, DateTime, Index, IndexWriter};

    /// Every value of every type this schema stores reads as `TantivyDocument`
    /// reads it, long strings (several VInt bytes) and empty ones too.
    #[test]
    fn reads_what_tantivy_reads() {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING | STORED);
        let body = b.add_text_field("body", STORED);
        let n = b.add_u64_field("n", STORED | FAST);
        let date = b.add_date_field("date", STORED);
        let blob = b.add_bytes_field("blob", STORED);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer(15_000_000).unwrap();
        let long = "Kế hoạch chuyển đổi số. ".repeat(2000);
        let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        w.add_document(doc!(
            n => 7u64,
            id => "a",
            body => long.as_str(),
            date => DateTime::from_timestamp_secs(1_700_000_000),
            blob => bytes.clone(),
            body => "thứ hai",
        ))
        .unwrap();
        w.add_document(doc!(id => "", blob => Vec::<u8>::new()))
            .unwrap();
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let store = searcher.segment_reader(0).get_store_reader(0).unwrap();
        for d in 0..2 {
            let ours = StoredDoc::read(&store, d).unwrap();
            let Repr::InPlace { values, .. } = &ours.0 else {
                panic!("document {d} read whole");
            };
            assert_eq!(values.len(), theirs_count(&store, d));
            let theirs: TantivyDocument = store.get(d).unwrap();
            for f in [id, body] {
                assert_eq!(ours.text(f), theirs.get_first(f).and_then(|v| v.as_str()));
            }
            assert_eq!(
                ours.bytes(blob),
                theirs.get_first(blob).and_then(|v| v.as_bytes())
            );
        }
        let first = StoredDoc::read(&store, 0).unwrap();
        assert_eq!(first.text(body), Some(long.as_str()), "the first value");
        assert_eq!(first.bytes(blob).map(<[u8]>::len), Some(70_000));
        // A string is not bytes, nor bytes a string.
        assert_eq!(first.bytes(body), None);
        assert_eq!(first.text(blob), None);
    }

    #[test]
    fn a_document_holding_a_value_of_another_type_is_read_whole() {
        let mut b = Schema::builder();
        let title = b.add_text_field("title", STORED);
        let cat = b.add_facet_field("cat", STORED);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer(15_000_000).unwrap();
        w.add_document(doc!(title => "Kế hoạch", cat => tantivy::schema::Facet::from("/a/b")))
            .unwrap();
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let store = searcher.segment_reader(0).get_store_reader(0).unwrap();
        let d = StoredDoc::read(&store, 0).unwrap();
        assert!(matches!(d.0, Repr::Whole(_)));
        assert_eq!(d.text(title), Some("Kế hoạch"));
    }

    fn theirs_count(store: &StoreReader, d: DocId) -> usize {
        let doc: TantivyDocument = store.get(d).unwrap();
        doc.field_values().count()
    }

    #[test]
    fn bytes_that_end_early_or_hold_an_unknown_type_are_refused() {
        // One value: field 0, TEXT, length 5, but only 3 bytes follow.
        let short = [
            1u8 | 0x80,
            0,
            0,
            0,
            0,
            code::TEXT,
            5 | 0x80,
            b'a',
            b'b',
            b'c',
        ];
        assert!(in_place(OwnedBytes::new(short.to_vec())).is_none());
        // A facet (code 3) is not read here.
        let facet = [1u8 | 0x80, 0, 0, 0, 0, 3, 1 | 0x80, b'/'];
        assert!(in_place(OwnedBytes::new(facet.to_vec())).is_none());
        let ok = [
            1u8 | 0x80,
            0,
            0,
            0,
            0,
            code::TEXT,
            3 | 0x80,
            b'a',
            b'b',
            b'c',
        ];
        let d = StoredDoc(in_place(OwnedBytes::new(ok.to_vec())).unwrap());
        assert_eq!(d.text(Field::from_field_id(0)), Some("abc"));
    }
}
