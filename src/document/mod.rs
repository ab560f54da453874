//! Document understanding: decode bytes, clean, and extract metadata.
//!
//! `read → understand`: [`decode`] turns bytes into text (UTF-8/16, HTML, legacy
//! TCVN3/VNI), [`extract`](Format) reads PDF, DOCX, DOC and ODT pages (with OCR for
//! scanned pages, [`Ocr`]), [`clean`] removes web boilerplate, and
//! [`Understander::understand`] extracts the header fields, province, citations,
//! themes and language of a cleaned text into a [`Record`].
//!
//! Dates are [`PartialDate`]s: a year, a month or a day, validated, written `YYYY`,
//! `YYYY-MM` or `YYYY-MM-DD`.
//!
//! The pieces are usable on their own: [`references`] (citation grammar, canonical
//! KEY and fold keys — [`canonical_key`], [`fold_key`], [`fold_number`],
//! [`extract_references`]), [`detect_language`], [`repair_split_syllables`] and the
//! theme taxonomy ([`Taxonomy`]). Everything else (header fields, places, issuers,
//! text folding) is private to this module and reached through [`Understander`].

pub(crate) mod clean;
mod date;
mod decode;
pub(crate) mod extract;
mod header;
mod issuers;
mod language;
pub mod markup;
pub(crate) mod places;
pub mod references;
pub(crate) mod repair;
mod text;
mod themes;
mod units;

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::Result;

pub use clean::{clean, is_boilerplate_line};
pub use date::{DateError, PartialDate};
pub use decode::{decode, decode_detailed, Decoded, Encoding, Legacy};
pub use extract::{sniff, Format, Ocr, OcrCounters, PageSource};
pub use language::detect_language;
pub use references::{
    canonical_issuer, canonical_key, dedup_references, extract_references, extract_references_in,
    fold_key, fold_number, CTX,
};
pub use repair::{repair_split_syllables, Repair};
pub use themes::{builtin_label as builtin_theme_label, Taxonomy, Theme, PARTS as THEME_PARTS};

/// A citation of another document found in a document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reference {
    /// Canonical KEY (`136/KH-UBND`, `34-CT/TW`, `~NQ-HNTW:4/XII`).
    pub key: String,
    /// Fold key for joins (`136/kh/ubnd`).
    pub fold: String,
    /// The date attached in the text (`ngày 3 tháng 8 năm 2020`, `năm 2013`):
    /// `YYYY-MM-DD` or `YYYY`.
    #[schema(value_type = Option<String>)]
    pub date: Option<PartialDate>,
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
    /// The citation as written, blanks collapsed (`Nghị định số 305/2025/NĐ-CP`,
    /// `Hiến pháp`, `Luật Ngân sách nhà nước`): how to show it to a person. Empty
    /// in records understood before it existed; [`references::describe_key`] then
    /// gives a human form of the key.
    #[serde(default)]
    pub written: String,
}

impl Reference {
    /// How to show the citation to a person: as the text writes it, or for records
    /// understood before that was kept, a human form of its key
    /// ([`references::describe_key`]); never an internal `~…` key.
    pub fn label(&self) -> String {
        if self.written.is_empty() {
            references::describe_key(&self.key)
        } else {
            self.written.clone()
        }
    }
}

/// A theme assigned to a document, with the evidence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ThemeMatch {
    /// Theme id from the taxonomy (`chuyen_doi_so`).
    pub id: String,
    /// The theme's Vietnamese label (`Chuyển đổi số, chính quyền số`).
    #[serde(default)]
    pub label: String,
    /// Whether this is the document's primary theme (the first of its list);
    /// the others are secondary.
    #[serde(default)]
    pub primary: bool,
    /// Score: title hits weigh most, then the document's own headings, cited
    /// anchor documents, the issuer's field and the density of specific keywords
    /// in the body.
    pub score: f32,
    /// The keywords and anchor references that matched.
    pub matched: Vec<String>,
    /// Where they matched: keywords found in the title, in section headings, and
    /// occurrences counted in the body.
    #[serde(default)]
    pub evidence: ThemeEvidence,
}

/// Where a theme's keywords were found in a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ThemeEvidence {
    /// Distinct keywords in the title (trích yếu).
    pub title: usize,
    /// Distinct keywords in the document's section headings.
    pub headings: usize,
    /// Occurrences of specific keywords in the body (each keyword counted at most
    /// five times; generic ones such as `xây dựng` never count there).
    pub body: usize,
    /// Cited anchor documents (`34-CT/TW` for thi đua, khen thưởng).
    pub anchors: usize,
    /// Parts of the body (of ten equal parts) that this theme leads: its specific
    /// keywords occur there more often than any other theme's, at least twice and
    /// once every 50 syllables.
    #[serde(default)]
    pub parts: usize,
    /// Whether the issuer's name names the theme (`Cục Thuế`, `Sở Y tế`); it
    /// weighs only for a theme the document's words give.
    #[serde(default)]
    pub issuer: bool,
}

/// Everything kehoach knows about one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Record {
    /// Own number as canonical KEY.
    pub number: Option<String>,
    /// Document type (Kế hoạch, Quyết định, …).
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Place name of the header's place-date line.
    pub place: Option<String>,
    /// Issue date: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the header leaves the
    /// day or the month blank (`ngày … tháng 8 năm 2020`) or an export gives less.
    #[schema(value_type = Option<String>)]
    pub date: Option<PartialDate>,
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
    /// Level of the issuer: `trung ương` (a national body: no province, wherever its
    /// office is), `tỉnh`, `huyện` (a district, before 1 July 2025) or `xã` (a
    /// commune, ward or special zone).
    #[serde(default)]
    pub level: Option<String>,
    /// The commune, ward or special zone that issued the document, or its place of
    /// issue, with its type (`xã Lương Minh`, `phường 1`); also when its province is
    /// undecided ([`Record::unit_candidates`]).
    #[serde(default)]
    pub commune: Option<String>,
    /// The district (before 1 July 2025) of the issuer or of its commune
    /// (`huyện Ba Chẽ`).
    #[serde(default)]
    pub district: Option<String>,
    /// When the commune's or district's name belongs to units of several provinces
    /// and the header does not say which: each of them with its province
    /// (`xã Tân Lập (Phú Thọ)`). Empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unit_candidates: Vec<String>,
    /// Citations, in order of appearance.
    pub references: Vec<Reference>,
    /// Up to four themes, best first.
    pub themes: Vec<ThemeMatch>,
    /// ISO 639-3 code from whatlang (`vie`), if detected.
    pub language: Option<String>,
    /// What the text was read from (format, pages, OCR); absent for records of a
    /// JSON export, which arrive as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// The cleaned text.
    pub text: String,
}

/// Where a document's text came from: the file format and, for a PDF, each page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Origin {
    /// The format, recognised by content.
    pub format: Format,
    /// The pages of a PDF, in order (empty for other formats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageOrigin>,
}

impl Origin {
    /// Pages whose text came from OCR.
    pub fn ocr_pages(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| p.source == PageSource::Ocr)
            .count()
    }
}

/// One page of a PDF: where its text came from and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PageOrigin {
    /// The text layer, OCR, or nothing.
    pub source: PageSource,
    /// Byte offset of the page's first character in [`Record::text`].
    pub start: usize,
}

/// How files are read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Extraction of PDF, DOCX, DOC and ODT (OCR settings).
    pub extract: extract::Options,
}

/// A file's text, ready for understanding, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadText {
    /// Decoded or extracted, repaired and cleaned.
    pub text: String,
    /// Format and pages.
    pub origin: Origin,
}

/// The day Thừa Thiên Huế became the city of Huế (a date known only to the year
/// 2025 orders before it, as `"2025" < "2025-01-01"` did).
const HUE_CITY: PartialDate = PartialDate::const_ymd(2025, 1, 1);

/// Extracts [`Record`]s from cleaned text. Holds the data tables (themes,
/// provinces, issuers); build it once and share it across threads.
#[derive(Debug, Clone)]
pub struct Understander {
    taxonomy: Taxonomy,
}

impl Default for Understander {
    fn default() -> Self {
        Understander::new()
    }
}

impl Understander {
    /// An understander with the built-in data tables.
    pub fn new() -> Self {
        Understander {
            taxonomy: Taxonomy::builtin(),
        }
    }

    /// An understander whose theme taxonomy is read from a TSV file with the columns
    /// of `data/themes.tsv`; errors name the file and the line.
    pub fn with_themes(path: &Path) -> Result<Understander> {
        Ok(Understander {
            taxonomy: Taxonomy::load(path)?,
        })
    }

    /// The theme taxonomy in use (ids and Vietnamese labels for facets).
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Understands an already decoded and cleaned text.
    pub fn understand(&self, text: &str) -> Record {
        self.understand_analysed(text, &crate::analysis::encode(text))
    }

    /// [`Understander::understand`] for a text whose token streams
    /// ([`crate::analysis::encode`] of `text`) are already at hand: ingest analyses
    /// each body once, for the index, and themes and body mentions of provinces are
    /// matched on those tokens instead of on lower-cased or folded copies of the text.
    pub fn understand_analysed(&self, text: &str, streams: &crate::analysis::Streams) -> Record {
        let n = text::normalize(text);
        let norm: &str = &n.text;
        let h = header::parse(norm);

        // Issuer from the symbol when the header block is missing.
        let sym_issuer = h.number.as_deref().and_then(issuers::issuer_from_key);
        let located = locate(&h, sym_issuer, &streams.folded);
        let province = located.province;
        let province_name = province.map(|p| province_name(p, h.date));
        let province_current = located
            .province_current
            .clone()
            .or_else(|| province.map(|p| p.current.clone()));

        let own_fold = h.number.as_deref().map(fold_key);
        let mut references = references::extract_normalized(&n, province_name.as_deref());
        if let Some(own) = &own_fold {
            references.retain(|r| &r.fold != own);
        }

        let doc_type = h
            .doc_type
            .clone()
            .or_else(|| h.vv.then(|| "Công văn".to_string()))
            .or_else(|| {
                h.number
                    .as_deref()
                    .and_then(issuers::type_from_key)
                    .map(str::to_string)
            });
        let mut issuer = h.issuer.clone();
        let mut parent_issuer = h.parent_issuer.clone();
        if issuer.is_none() {
            if let Some(si) = sym_issuer {
                let local_council = matches!(si.abbrev.as_str(), "UBND" | "HĐND");
                issuer = Some(match (&province, local_council, &h.place) {
                    (Some(p), true, Some(place))
                        if text::fold_chars(place) == text::fold_chars(&p.name) =>
                    {
                        format!("{} {} {}", si.name, p.level_word(), p.name)
                    }
                    _ => si.name.clone(),
                });
                if parent_issuer.is_none() && si.level == "province" && !local_council {
                    if let Some(p) = &province {
                        parent_issuer =
                            Some(format!("Ủy ban nhân dân {} {}", p.level_word(), p.name));
                    }
                }
            }
        }

        let title = h.title.clone().or_else(|| {
            if h.number.is_some() || h.date.is_some() {
                return None;
            }
            // A report without a header: its headline.
            norm.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .filter(|l| l.chars().count() <= 300)
                .map(str::to_string)
        });
        let themes = self.taxonomy.tag_analysed(
            title.as_deref(),
            &themes::headings(norm),
            streams,
            &references,
            &[&issuer, &parent_issuer].map(|i| i.as_deref().unwrap_or_default()),
        );

        Record {
            number: h.number,
            doc_type,
            place: h.place,
            date: h.date,
            title,
            issuer,
            parent_issuer,
            signer: h.signer,
            province: province_name,
            province_current,
            level: located.level.map(|l| l.label().to_string()),
            commune: located.commune,
            district: located.district,
            unit_candidates: located.candidates,
            references,
            themes,
            // `detect` samples the text itself (whatlang is slow on whole documents).
            language: language::detect_language(text),
            origin: None,
            text: text.to_string(),
        }
    }

    /// Decodes, cleans and understands the bytes of a file.
    pub fn read(&self, path: &Path, bytes: &[u8]) -> Result<Record> {
        self.read_with(path, bytes, &ReadOptions::default())
    }

    /// [`Understander::read`] with explicit reading options (OCR).
    pub fn read_with(&self, path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<Record> {
        let read = read(path, bytes, opts)?;
        let mut rec = self.understand(&read.text);
        rec.origin = Some(read.origin);
        Ok(rec)
    }
}

/// The text of a file's bytes, as understanding and indexing take it.
///
/// PDF, DOCX, DOC and ODT (recognised by content, [`Format`]) are
/// extracted page by page; anything else is decoded as text ([`decode()`]).
/// Each page is then repaired — legacy TCVN3/VNI characters left by old fonts
/// ([`Legacy`]), syllables split apart by extraction ([`repair_split_syllables`],
/// also applied to text files: Công báo texts carry "cô ng") — and cleaned
/// ([`clean()`]); pages are joined by a
/// blank line and [`Origin::pages`] records where each starts.
pub fn read(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<ReadText> {
    let Some(format) = extract::sniff(bytes) else {
        if let Some(reason) = extract::misnamed(path, bytes) {
            return Err(crate::Error::Decode {
                path: path.to_path_buf(),
                reason,
            });
        }
        let d = decode::decode_detailed(bytes, path)?;
        return Ok(ReadText {
            text: clean::clean(&repair::repair_split_syllables(&d.text).text),
            origin: Origin {
                format: if d.html { Format::Html } else { Format::Text },
                pages: Vec::new(),
            },
        });
    };
    let pages = extract::extract(bytes, path, format, &opts.extract)?;
    let mut text = String::new();
    let mut origin = Vec::with_capacity(pages.len());
    for page in pages {
        let t = finish_page(&page.text);
        if !text.is_empty() && !t.is_empty() {
            text.push_str("\n\n");
        }
        origin.push(PageOrigin {
            source: page.source,
            start: text.len(),
        });
        text.push_str(&t);
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Err(crate::Error::Decode {
            path: path.to_path_buf(),
            reason: format!("the {} file contains no text", format.label()),
        });
    }
    Ok(ReadText {
        text,
        origin: Origin {
            format,
            pages: if format == Format::Pdf {
                origin
            } else {
                Vec::new()
            },
        },
    })
}

/// The text of a file's bytes, decoded or extracted and cleaned: [`read`] without
/// the origin.
pub fn read_text(path: &Path, bytes: &[u8]) -> Result<String> {
    read(path, bytes, &ReadOptions::default()).map(|r| r.text)
}

/// Repairs one page of extracted text: Unicode NFC, characters of legacy
/// Vietnamese fonts, syllables split apart ([`repair`]: OCR's "Ủ Y"), then cleaning.
fn finish_page(raw: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let nfc: String = raw.nfc().collect();
    let fixed = if decode::legacy::has_telltales(&nfc) {
        match decode::legacy::repair_unicode(&nfc) {
            decode::legacy::Repair::Converted { text, .. } => text,
            _ => nfc,
        }
    } else {
        nfc
    };
    clean::clean(&repair::repair_split_syllables(&fixed).text)
}

/// Provinces named in the issuer lines, last line first: prefixed mentions
/// (`UBND TỈNH KIÊN GIANG`), else a bare name (`SỞ CÔNG THƯƠNG KIÊN GIANG`).
fn header_provinces(h: &header::Header) -> Vec<&'static places::Province> {
    let mut out = Vec::new();
    for l in h.body_lines.iter().rev() {
        let found = places::mentions(&places::stream_form(l));
        if found.is_empty() {
            out.extend(places::first_bare(&text::fold_chars(l)));
        } else {
            out.extend(found);
        }
    }
    out
}

/// Where a document comes from: the issuer's level, unit and province.
fn locate(h: &header::Header, sym: Option<&issuers::Issuer>, folded: &str) -> units::Located {
    let header = header_provinces(h);
    let place = h.place.as_deref().and_then(places::resolve_place);
    let hints = units::Hints::new(header.clone(), place, folded);
    let mut unit =
        units::locate(&h.body_lines, h.place.as_deref(), h.date, &hints).unwrap_or_default();
    if unit.level.is_none() && units::names_commune_body(&h.body_lines) {
        unit.level = Some(units::Level::Commune);
    }
    // A unit the issuer lines name (`xã`, `huyện`) is the issuer's level; otherwise
    // a national body has no province, whatever its place of issue.
    let named_unit = unit.level.is_some();
    if !named_unit && is_central(h, sym) {
        return units::Located {
            level: Some(units::Level::Central),
            ..units::Located::default()
        };
    }
    if unit.province.is_none() {
        // A commune or district the issuer lines name, in several provinces: only a
        // province the issuer lines name decides (the place and the text were tried).
        unit.province = header.first().copied();
        if unit.province.is_none() && !named_unit {
            unit.province = place.or_else(|| most_mentioned(hints.body()));
        }
    }
    if unit.level.is_none() && (!header.is_empty() || place.is_some()) {
        unit.level = Some(units::Level::Province);
    }
    unit
}

/// The province's name at the time of issue: Thừa Thiên Huế is the city of Huế
/// from 2025-01-01 on.
fn province_name(p: &places::Province, issued: Option<PartialDate>) -> String {
    if p.name == "Thừa Thiên Huế" && issued.is_some_and(|d| d >= HUE_CITY) {
        "Huế".to_string()
    } else {
        p.name.clone()
    }
}

/// Whether the document comes from a central body (its `Hà Nội` place is not a
/// provincial issuer's province).
fn is_central(h: &header::Header, sym: Option<&issuers::Issuer>) -> bool {
    const CENTRAL: &[&str] = &[
        "bo ",
        "chinh phu",
        "quoc hoi",
        "thu tuong",
        "van phong chinh phu",
        "ban chap hanh trung uong",
        "bo chinh tri",
        "ban bi thu",
        "uy ban thuong vu quoc hoi",
        "chu tich nuoc",
        "toa an nhan dan toi cao",
        "vien kiem sat nhan dan toi cao",
        "kiem toan nha nuoc",
        "ngan hang nha nuoc",
        "thanh tra chinh phu",
        "tong cuc",
        "cuc ",
        "hoi dong bau cu quoc gia",
        "uy ban trung uong",
        "dai hoc quoc gia",
    ];
    let body_central = h.body_lines.iter().any(|l| {
        let f = text::fold_chars(l);
        (CENTRAL.iter().any(|c| f.starts_with(c)) && !f.starts_with("bo chi huy"))
            || f.contains("trung uong")
            || f.contains("quoc gia")
    });
    let has_local_body = h
        .body_lines
        .iter()
        .any(|l| !places::mentions(&places::stream_form(l)).is_empty());
    if has_local_body {
        return false;
    }
    body_central || (h.body_lines.is_empty() && sym.is_some_and(|s| s.is_central()))
}

/// The province named most often with a prefix (`tỉnh Hậu Giang`), first on ties.
fn most_mentioned(
    counts: &[(&'static places::Province, usize)],
) -> Option<&'static places::Province> {
    let best = counts.iter().map(|(_, c)| *c).max()?;
    counts.iter().find(|(_, c)| *c == best).map(|(p, _)| *p)
}
