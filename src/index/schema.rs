//! The tantivy schema: which fields exist, how each is analysed, and how a
//! [`Record`] becomes a tantivy document.

use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, STORED, STRING,
};
use tantivy::{DateTime, TantivyDocument};

use crate::analysis::{
    Streams, ACCENTED_TOKENIZER, FOLDED_PAIR_TOKENIZER, FOLDED_TOKENIZER, PAIR_TOKENIZER,
    STREAM_TOKENIZER,
};
use crate::document::Record;

/// Field names, shared by the indexer, the query builder and the statistics.
pub mod names {
    /// Document id (record id or path relative to the ingested root).
    pub const ID: &str = "id";
    /// Source path or URL.
    pub const SOURCE: &str = "source";
    /// Title, accented view (stored).
    pub const TITLE: &str = "title";
    /// Title, folded view.
    pub const TITLE_FOLDED: &str = "title_f";
    /// The name a document is known by (type + title, `Luật Đất đai`), accented view,
    /// between the `NAME_START` and `NAME_END` markers (indexed only).
    pub const NAME: &str = "name";
    /// The name, folded view.
    pub const NAME_FOLDED: &str = "name_f";
    /// Body, accented view (indexed from the pre-analysed stream, not stored).
    pub const BODY: &str = "body";
    /// Body, folded view (indexed from the pre-analysed stream, not stored).
    pub const BODY_FOLDED: &str = "body_f";
    /// The body's two-syllable lexicon words, accented view (indexed with frequencies,
    /// no positions): their phrases are answered from them.
    pub const BODY_PAIRS: &str = "body_pairs";
    /// The body's two-syllable lexicon words, folded view.
    pub const BODY_FOLDED_PAIRS: &str = "body_f_pairs";
    /// Body text as read and cleaned (stored only: snippets, documents, statistics).
    pub const TEXT: &str = "text";
    /// Own number, canonical KEY (exact).
    pub const NUMBER: &str = "number";
    /// Own number, fold key (exact).
    pub const NUMBER_FOLD: &str = "number_fold";
    /// Fold keys of cited references (multi-valued, exact).
    pub const REFS: &str = "refs";
    /// Province at the time of issue.
    pub const PROVINCE: &str = "province";
    /// Province after the 1 July 2025 merger.
    pub const PROVINCE_CURRENT: &str = "province_current";
    /// Level of the issuer (`trung ương`, `tỉnh`, `huyện`, `xã`).
    pub const LEVEL: &str = "level";
    /// Commune, ward or special zone of the issuer (`xã Lương Minh`).
    pub const COMMUNE: &str = "commune";
    /// Issuing body.
    pub const ISSUER: &str = "issuer";
    /// Document type (Kế hoạch, Quyết định…).
    pub const TYPE: &str = "type";
    /// Issue date.
    pub const DATE: &str = "date";
    /// Issue year.
    pub const YEAR: &str = "year";
    /// Issue month (1–12), only when the date has a month (fast only).
    pub const MONTH: &str = "month";
    /// Number of syllable positions of the body (fast, stored): the denominator of
    /// every rate in [`crate::stats`].
    pub const TOKENS: &str = "tokens";
    /// Theme ids (multi-valued).
    pub const THEMES: &str = "themes";
    /// ISO 639-3 language code.
    pub const LANGUAGE: &str = "language";
    /// Content hash of the source record (for incremental ingestion).
    pub const HASH: &str = "hash";
    /// The full record minus its text, as JSON (stored only).
    pub const META: &str = "meta";
    /// The body's accented syllables in runs (stored bytes): the input of n-gram
    /// statistics, see [`crate::index::syllables`].
    pub const SYLLABLES: &str = "syllables";
    /// Where each syllable of [`SYLLABLES`] lies in the body (stored bytes): what
    /// snippets mark, see [`crate::index::syllables::for_each_spanned`].
    pub const SPANS: &str = "spans";
}

/// Handles to every field of the kehoach schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// See [`names::ID`].
    pub id: Field,
    /// See [`names::SOURCE`].
    pub source: Field,
    /// See [`names::TITLE`].
    pub title: Field,
    /// See [`names::TITLE_FOLDED`].
    pub title_folded: Field,
    /// See [`names::NAME`].
    pub name: Field,
    /// See [`names::NAME_FOLDED`].
    pub name_folded: Field,
    /// See [`names::BODY`].
    pub body: Field,
    /// See [`names::BODY_FOLDED`].
    pub body_folded: Field,
    /// See [`names::BODY_PAIRS`].
    pub body_pairs: Field,
    /// See [`names::BODY_FOLDED_PAIRS`].
    pub body_folded_pairs: Field,
    /// See [`names::TEXT`].
    pub text: Field,
    /// See [`names::NUMBER`].
    pub number: Field,
    /// See [`names::NUMBER_FOLD`].
    pub number_fold: Field,
    /// See [`names::REFS`].
    pub refs: Field,
    /// See [`names::PROVINCE`].
    pub province: Field,
    /// See [`names::PROVINCE_CURRENT`].
    pub province_current: Field,
    /// See [`names::LEVEL`].
    pub level: Field,
    /// See [`names::COMMUNE`].
    pub commune: Field,
    /// See [`names::ISSUER`].
    pub issuer: Field,
    /// See [`names::TYPE`].
    pub doc_type: Field,
    /// See [`names::DATE`].
    pub date: Field,
    /// See [`names::YEAR`].
    pub year: Field,
    /// See [`names::MONTH`].
    pub month: Field,
    /// See [`names::TOKENS`].
    pub tokens: Field,
    /// See [`names::THEMES`].
    pub themes: Field,
    /// See [`names::LANGUAGE`].
    pub language: Field,
    /// See [`names::HASH`].
    pub hash: Field,
    /// See [`names::META`].
    pub meta: Field,
    /// See [`names::SYLLABLES`].
    pub syllables: Field,
    /// See [`names::SPANS`].
    pub spans: Field,
}

fn text_options(tokenizer: &str, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// The pair fields: frequencies without positions or field norms (scores use the
/// body field's).
fn pair_options(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false),
    )
}

/// Token before every indexed name: a query anchored on it matches names that start
/// with the query (`Thông tư bãi bỏ…`). Letters only, so both analyzers keep it whole;
/// no Vietnamese or English word.
pub const NAME_START: &str = "qqnamestartqq";
/// Token after every indexed name: anchored on both marks, a query matches a whole name.
pub const NAME_END: &str = "qqnameendqq";

/// The name a document is known by: its type and title (`Luật Đất đai`, `Quyết định
/// Về việc …`), or the title alone when it already starts with the type.
pub fn document_name(rec: &Record) -> Option<String> {
    let title = rec
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())?;
    match rec
        .doc_type
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(t) if !crate::analysis::fold(title).starts_with(&crate::analysis::fold(t)) => {
            Some(format!("{t} {title}"))
        }
        _ => Some(title.to_string()),
    }
}

/// Builds the kehoach schema.
pub fn build_schema() -> Schema {
    use names::*;
    let mut b = Schema::builder();
    b.add_text_field(ID, STRING | STORED | FAST);
    b.add_text_field(SOURCE, STORED);
    b.add_text_field(TITLE, text_options(ACCENTED_TOKENIZER, true));
    b.add_text_field(TITLE_FOLDED, text_options(FOLDED_TOKENIZER, false));
    b.add_text_field(NAME, text_options(ACCENTED_TOKENIZER, false));
    b.add_text_field(NAME_FOLDED, text_options(FOLDED_TOKENIZER, false));
    b.add_text_field(BODY, text_options(STREAM_TOKENIZER, false));
    b.add_text_field(BODY_FOLDED, text_options(STREAM_TOKENIZER, false));
    b.add_text_field(BODY_PAIRS, pair_options(PAIR_TOKENIZER));
    b.add_text_field(BODY_FOLDED_PAIRS, pair_options(FOLDED_PAIR_TOKENIZER));
    b.add_text_field(TEXT, STORED);
    b.add_text_field(NUMBER, STRING | STORED);
    b.add_text_field(NUMBER_FOLD, STRING | FAST);
    b.add_text_field(REFS, STRING | FAST);
    for facet in [
        PROVINCE,
        PROVINCE_CURRENT,
        LEVEL,
        COMMUNE,
        ISSUER,
        TYPE,
        THEMES,
        LANGUAGE,
    ] {
        b.add_text_field(facet, STRING | STORED | FAST);
    }
    b.add_date_field(
        DATE,
        DateOptions::default().set_indexed().set_fast().set_stored(),
    );
    b.add_u64_field(
        YEAR,
        NumericOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored(),
    );
    b.add_u64_field(MONTH, FAST);
    b.add_u64_field(TOKENS, FAST | STORED);
    b.add_text_field(HASH, STRING | STORED | FAST);
    b.add_text_field(META, STORED);
    b.add_bytes_field(SYLLABLES, STORED);
    b.add_bytes_field(SPANS, STORED);
    b.build()
}

impl Fields {
    /// Looks every field up in `schema`; `None` if the schema is not kehoach's.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        use names::*;
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            id: f(ID)?,
            source: f(SOURCE)?,
            title: f(TITLE)?,
            title_folded: f(TITLE_FOLDED)?,
            name: f(NAME)?,
            name_folded: f(NAME_FOLDED)?,
            body: f(BODY)?,
            body_folded: f(BODY_FOLDED)?,
            body_pairs: f(BODY_PAIRS)?,
            body_folded_pairs: f(BODY_FOLDED_PAIRS)?,
            text: f(TEXT)?,
            number: f(NUMBER)?,
            number_fold: f(NUMBER_FOLD)?,
            refs: f(REFS)?,
            province: f(PROVINCE)?,
            province_current: f(PROVINCE_CURRENT)?,
            level: f(LEVEL)?,
            commune: f(COMMUNE)?,
            issuer: f(ISSUER)?,
            doc_type: f(TYPE)?,
            date: f(DATE)?,
            year: f(YEAR)?,
            month: f(MONTH)?,
            tokens: f(TOKENS)?,
            themes: f(THEMES)?,
            language: f(LANGUAGE)?,
            hash: f(HASH)?,
            meta: f(META)?,
            syllables: f(SYLLABLES)?,
            spans: f(SPANS)?,
        })
    }

    /// Converts a record into a tantivy document, analysing its text
    /// ([`Fields::to_document_analysed`] takes a body already analysed).
    pub fn to_document(&self, id: &str, source: &str, hash: &str, rec: Record) -> TantivyDocument {
        let body = Analysed::new(&rec.text);
        self.to_document_analysed(id, source, hash, rec, body)
    }

    /// Converts a record and the analysis of its text ([`Analysed::new`] of
    /// `rec.text`) into a tantivy document.
    ///
    /// The record minus its text is stored as JSON in the `meta` field; the text is
    /// stored in `text` (moved, not copied); the body fields receive the
    /// pre-analysed streams, so tantivy's writer threads only split them.
    pub fn to_document_analysed(
        &self,
        id: &str,
        source: &str,
        hash: &str,
        mut rec: Record,
        body: Analysed,
    ) -> TantivyDocument {
        let text = std::mem::take(&mut rec.text);
        let Analysed {
            streams,
            syllables,
            spans,
        } = body;
        let mut doc = TantivyDocument::default();
        // First stored value: the statistics read it without decoding the rest.
        doc.add_bytes(self.syllables, syllables.as_bytes());
        doc.add_bytes(self.spans, &spans);
        doc.add_text(self.id, id);
        doc.add_text(self.source, source);
        if let Some(title) = &rec.title {
            doc.add_text(self.title, title);
            doc.add_text(self.title_folded, title);
        }
        if let Some(name) = document_name(&rec) {
            let marked = format!("{NAME_START} {name} {NAME_END}");
            doc.add_text(self.name, &marked);
            doc.add_text(self.name_folded, &marked);
        }
        doc.add_text(self.body_pairs, &streams.accented);
        doc.add_text(self.body_folded_pairs, &streams.folded);
        doc.add_text(self.body, streams.accented);
        doc.add_text(self.body_folded, streams.folded);
        if let Some(number) = &rec.number {
            doc.add_text(self.number, number);
            doc.add_text(
                self.number_fold,
                crate::document::references::fold_number(number),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for r in &rec.references {
            if seen.insert(r.fold.as_str()) {
                doc.add_text(self.refs, &r.fold);
            }
        }
        let facets = [
            (self.province, &rec.province),
            (self.province_current, &rec.province_current),
            (self.level, &rec.level),
            (self.commune, &rec.commune),
            (self.issuer, &rec.issuer),
            (self.doc_type, &rec.doc_type),
            (self.language, &rec.language),
        ];
        for (field, value) in facets {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                doc.add_text(field, v);
            }
        }
        for t in &rec.themes {
            doc.add_text(self.themes, &t.id);
        }
        if let Some(d) = rec.date {
            doc.add_date(self.date, date_time(d));
            doc.add_u64(self.year, u64::from(d.year()));
            if let Some(m) = d.month() {
                doc.add_u64(self.month, u64::from(m));
            }
        }
        doc.add_u64(self.tokens, streams.positions);
        doc.add_text(self.hash, hash);
        if let Ok(json) = serde_json::to_string(&rec) {
            doc.add_text(self.meta, json);
        }
        doc.add_text(self.text, text);
        doc
    }
}

/// A body analysed once, for everything ingest needs from its tokens: both
/// views as pre-analysed streams (the index fields, and theme and place matching in
/// [`crate::document::Understander::understand_analysed`]), the position count, and
/// the statistics' syllable stream ([`super::syllables`]).
#[derive(Debug, Clone, Default)]
pub struct Analysed {
    /// Both views of the body, encoded ([`crate::analysis::encode`]).
    pub streams: Streams,
    /// The syllable stream of the statistics.
    pub syllables: String,
    /// Where each syllable of `syllables` lies in the body.
    pub spans: Vec<u8>,
}

impl Analysed {
    /// Analyses `text` once.
    pub fn new(text: &str) -> Analysed {
        let mut syllables = super::syllables::Encoder::new();
        let streams = crate::analysis::encode_with(text, &mut |acc, start, end, position| {
            syllables.push(text, acc, start, end, position);
        });
        let (syllables, spans) = syllables.finish_with_spans();
        Analysed {
            streams,
            syllables,
            spans,
        }
    }
}

/// Midnight UTC of the first day a date covers (`2020` → 2020-01-01), as the
/// `date` field stores it.
///
/// A tantivy date is nanoseconds in an `i64`: 1677-09-21 to 2262-04-11. Dates
/// outside (years 1000–1677 and 2263–9999 are valid dates here) are clamped to
/// that range, which keeps their order; multiplying them out overflowed (a panic
/// with debug assertions, a wrapped — wrong — date without: `from=1000` was a 500).
pub fn date_time(d: crate::document::PartialDate) -> DateTime {
    const MAX_SECS: i64 = i64::MAX / 1_000_000_000;
    let secs = d.days_since_epoch() * 86_400;
    DateTime::from_timestamp_secs(secs.clamp(-MAX_SECS, MAX_SECS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_beyond_tantivys_range_are_clamped_in_order() {
        let at = |s: &str| {
            s.parse::<crate::document::PartialDate>()
                .map(date_time)
                .ok()
        };
        let (early, now, late) = (at("1000-01-01"), at("2024-02-29"), at("9999-12-31"));
        assert!(early.is_some() && early < now && now < late);
        assert!(at("1677-01-01") <= at("1678-01-01"));
    }

    #[test]
    fn dates_are_stored_at_midnight_of_their_first_day() {
        let at = |s: &str| {
            s.parse::<crate::document::PartialDate>()
                .map(date_time)
                .ok()
        };
        assert_eq!(at("1970-01-01"), Some(DateTime::from_timestamp_secs(0)));
        assert_eq!(
            at("2000-03-01"),
            Some(DateTime::from_timestamp_secs(11_017 * 86_400))
        );
        assert_eq!(at("2000-03"), at("2000-03-01"));
        assert_eq!(at("2019"), at("2019-01-01"));
    }

    #[test]
    fn schema_has_every_field() {
        assert!(Fields::from_schema(&build_schema()).is_some());
    }
}
