//! Reading sources: walking files and folders, and streaming records out of
//! `.json`, `.jsonl` and `.jsonl.gz` exports.
//!
//! Every readable unit becomes an [`Item`] with a stable id and a content hash;
//! everything else becomes a [`Problem`] that names the path and the reason.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::Deserialize;

/// Version of the reading and understanding pipeline, mixed into content hashes so
/// that a new version of kehoach re-indexes documents it would now read differently.
///
/// 7: dates are validated ([`crate::document::PartialDate`]): a header dated
/// `ngày 30 tháng 2 năm 2020` is dated `2020-02`, a citation `ngày 31 tháng 4 năm
/// 2020` gets no date, where both used to keep the impossible day.
/// 8: citations keep how they are written (`Reference::written`); split symbols
/// join; issuers are repaired against known bodies.
/// 9: a citing sentence is kept as a person reads it, without Markdown layout.
/// 10: communes, wards and districts, and the issuer's level.
/// 11: themes match whole words, weigh title and headings, and say which is primary.
/// 12: a keyword naming an agency (`Sở Công Thương`) counts as a generic one; more
/// of each theme's common vocabulary.
/// 13: the primary theme is the one the title names, when it names one; justice,
/// election and wage vocabulary.
/// 14: social-protection, vocational and transport-registry vocabulary.
/// 15: a secondary theme rests on two keywords at least; `lĩnh vực …` in a
/// title is a scope; social-policy credit is social protection; a generic keyword
/// of the title's head names the primary when no specific one does.
/// 16: a secondary theme needs ground of its own (a title keyword, or a part of
/// the body where its keywords are dense), and 45% of the best score.
/// 17: where each syllable of the stored stream lies in the body (`spans`), so
/// snippets are marked without analysing the body again.
/// 18: the issuer's field weighs for a theme the document's words give (evidence
/// `issuer`); `cơ quan X` names an agency; statistics is socio-economic
/// development.
pub const PIPELINE_VERSION: &str = "kehoach-pipeline-18";

/// What a source item carries.
#[derive(Debug)]
pub enum Payload {
    /// A whole file to decode (text, Markdown, HTML).
    File(Vec<u8>),
    /// A record from a JSON export, already text.
    Record(Box<JsonRecord>),
}

/// One document to index.
#[derive(Debug)]
pub struct Item {
    /// Stable id: the record's `id`, or the path relative to the ingested root.
    pub id: String,
    /// Where it came from (path, or `path:line`), or the record's `url`.
    pub source: String,
    /// Content hash (hex) of the payload and the pipeline version.
    pub hash: String,
    /// The content.
    pub payload: Payload,
}

/// Something that could not be read, or was deliberately not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What went wrong: [`ProblemKind::is_skip`] tells a deliberate skip from a
    /// failure.
    pub kind: ProblemKind,
    /// The path (and line, for records).
    pub location: String,
    /// Why, in words a person can act on.
    pub reason: String,
}

/// The kinds of [`Problem`]: inputs deliberately not read (skipped) and inputs
/// that could not be read (failed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// A file type kehoach does not read (skipped).
    Unsupported,
    /// An id already read from another input (skipped; the first one is kept).
    DuplicateId,
    /// A path that cannot be listed, or a file that cannot be read or parsed as a
    /// whole (a missing path, an I/O error, a JSON export that is not an array).
    Unreadable,
    /// One record of an export is malformed: invalid JSON, no `id`, no `text`, a
    /// `date` that is not a date.
    BadRecord,
    /// A document whose text could not be decoded or extracted.
    Undecodable,
}

impl ProblemKind {
    /// Whether the input was deliberately not read rather than failed.
    pub fn is_skip(self) -> bool {
        matches!(self, ProblemKind::Unsupported | ProblemKind::DuplicateId)
    }
}

/// One record of a JSON / JSON Lines export. `id` and `text` are required; the
/// other fields take precedence over what extraction finds.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct JsonRecord {
    /// Record id (a string or a number). `path` is accepted as an alias.
    #[serde(default, alias = "path", deserialize_with = "string_or_number")]
    pub id: Option<String>,
    /// Full text.
    #[serde(default)]
    pub text: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// URL of the document.
    #[serde(default)]
    pub url: Option<String>,
    /// Issue date (`YYYY-MM-DD`, `DD/MM/YYYY` or `YYYY`).
    #[serde(default)]
    pub date: Option<String>,
    /// Province at the time of issue.
    #[serde(default)]
    pub province: Option<String>,
    /// Document type.
    #[serde(default, rename = "type")]
    pub doc_type: Option<String>,
    /// Own document number.
    #[serde(default)]
    pub number: Option<String>,
    /// Issuing body.
    #[serde(default)]
    pub issuer: Option<String>,
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// The kinds of input files kehoach reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `.txt`, `.md`, `.html`, `.htm`, `.pdf`, `.docx`, `.doc`, `.odt` (or any
    /// file whose content is one of those binary formats): one document per file.
    Document,
    /// `.json`: an array of records.
    JsonArray,
    /// `.jsonl`: one record per line.
    JsonLines,
    /// `.jsonl.gz`: gzip-compressed JSON Lines.
    JsonLinesGz,
}

/// Classifies a path by its name.
pub fn input_kind(path: &Path) -> Option<InputKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".jsonl.gz") || name.ends_with(".ndjson.gz") {
        Some(InputKind::JsonLinesGz)
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        Some(InputKind::JsonLines)
    } else if name.ends_with(".json") {
        Some(InputKind::JsonArray)
    } else if DOCUMENT_EXTENSIONS.iter().any(|e| name.ends_with(e)) {
        Some(InputKind::Document)
    } else {
        None
    }
}

/// File name endings read as one document per file.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".text",
    ".markdown",
    ".pdf",
    ".docx",
    ".doc",
    ".odt",
];

/// [`input_kind`], and for a name it does not know, the content: a PDF, DOCX, DOC or
/// ODT file is a document whatever it is called.
pub fn input_kind_of_file(path: &Path) -> Option<InputKind> {
    input_kind(path).or_else(|| {
        let mut head = [0u8; 1024];
        let n = File::open(path).and_then(|mut f| f.read(&mut head)).ok()?;
        let head = head.get(..n)?;
        // A ZIP is only a document if it is DOCX or ODT; sniffing needs the whole
        // file for that, so a plain .zip stays unsupported.
        match crate::document::extract::sniff(head)? {
            crate::document::extract::Format::Docx if !zip_is_document(path) => None,
            _ => Some(InputKind::Document),
        }
    })
}

/// Whether a ZIP file holds a Word or OpenDocument text document.
fn zip_is_document(path: &Path) -> bool {
    File::open(path)
        .ok()
        .and_then(|f| zip::ZipArchive::new(f).ok())
        .is_some_and(|z| {
            z.index_for_name("word/document.xml").is_some()
                || z.index_for_name("content.xml").is_some()
        })
}

/// One input file found by [`discover`].
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path relative to the root it was found under (its id for documents).
    pub relative: String,
    /// Its kind.
    pub kind: InputKind,
    /// Size in bytes.
    pub size: u64,
}

/// Walks `paths` (files or folders, recursively) and lists the input files, plus
/// the problems met (missing paths, unsupported types). Hidden entries are skipped.
pub fn discover(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                problems.push(Problem {
                    kind: ProblemKind::Unreadable,
                    location: root.display().to_string(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        if meta.is_file() {
            let relative = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| root.display().to_string());
            match input_kind_of_file(root) {
                Some(kind) => files.push(InputFile {
                    path: root.clone(),
                    relative,
                    kind,
                    size: meta.len(),
                }),
                None => problems.push(unsupported(root)),
            }
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Problem {
                        kind: ProblemKind::Unreadable,
                        location: e.path().map_or_else(
                            || root.display().to_string(),
                            |p| p.display().to_string(),
                        ),
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            if path
                .file_name()
                .is_some_and(|n| n == "README.md" || n == "PROVENANCE.md")
            {
                // Folder documentation, not corpus documents.
                continue;
            }
            let relative = path
                .strip_prefix(root)
                .unwrap_or(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            match input_kind_of_file(path) {
                Some(kind) => files.push(InputFile {
                    path: path.to_path_buf(),
                    relative,
                    kind,
                    size: entry.metadata().map(|m| m.len()).unwrap_or(0),
                }),
                None => problems.push(unsupported(path)),
            }
        }
    }
    (files, problems)
}

fn unsupported(path: &Path) -> Problem {
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_else(|| "no extension".into());
    Problem {
        kind: ProblemKind::Unsupported,
        location: path.display().to_string(),
        reason: format!(
            "unsupported file type ({ext}); kehoach reads .txt, .md, .html, .htm, .pdf, .docx, .doc, .odt, .json, .jsonl, .jsonl.gz"
        ),
    }
}

/// Hex content hash of `bytes` under the current [`PIPELINE_VERSION`].
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(PIPELINE_VERSION.as_bytes());
    h.update(&[0]);
    h.update(bytes);
    h.finalize().to_hex()[..32].to_string()
}

/// A reader that counts the bytes read through it (for progress on compressed input).
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads every item of one input file, calling `emit` for each item or problem;
/// stops early (and returns `Break`) when `emit` says so. `consumed` counts the
/// bytes of the file read so far (for progress).
pub fn read_file(
    file: &InputFile,
    consumed: &Arc<AtomicU64>,
    emit: &mut dyn FnMut(Result<Item, Problem>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let location = file.path.display().to_string();
    let open = || {
        File::open(&file.path).map(|f| Counting {
            inner: f,
            count: Arc::clone(consumed),
        })
    };
    let fail = |reason: String| Problem {
        kind: ProblemKind::Unreadable,
        location: location.clone(),
        reason,
    };
    match file.kind {
        InputKind::Document => match open().and_then(|mut f| {
            let mut buf = Vec::with_capacity(file.size as usize);
            f.read_to_end(&mut buf).map(|_| buf)
        }) {
            Ok(bytes) => emit(Ok(Item {
                id: file.relative.clone(),
                source: location.clone(),
                hash: content_hash(&bytes),
                payload: Payload::File(bytes),
            }))?,
            Err(e) => emit(Err(fail(e.to_string())))?,
        },
        InputKind::JsonLines | InputKind::JsonLinesGz => {
            let reader: Box<dyn Read> = match open() {
                Ok(f) if file.kind == InputKind::JsonLinesGz => {
                    Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(f)))
                }
                Ok(f) => Box::new(f),
                Err(e) => return emit(Err(fail(e.to_string()))),
            };
            let mut reader = BufReader::with_capacity(1 << 16, reader);
            let mut line = Vec::new();
            let mut n = 0usize;
            loop {
                line.clear();
                n += 1;
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => {
                        emit(Err(fail(format!("line {n}: read error: {e}"))))?;
                        break;
                    }
                }
                let trimmed = line.trim_ascii();
                if trimmed.is_empty() {
                    continue;
                }
                emit(parse_record(trimmed, &location, &format!("line {n}")))?;
            }
        }
        InputKind::JsonArray => {
            let bytes = match open().and_then(|mut f| {
                let mut buf = Vec::new();
                f.read_to_end(&mut buf).map(|_| buf)
            }) {
                Ok(b) => b,
                Err(e) => return emit(Err(fail(e.to_string()))),
            };
            let values: Vec<serde_json::Value> = match serde_json::from_slice(&bytes) {
                Ok(serde_json::Value::Array(v)) => v,
                Ok(_) => return emit(Err(fail("expected a JSON array of records".into()))),
                Err(e) => return emit(Err(fail(format!("invalid JSON: {e}")))),
            };
            for (i, v) in values.into_iter().enumerate() {
                let raw = v.to_string();
                emit(parse_record(
                    raw.as_bytes(),
                    &location,
                    &format!("record {}", i + 1),
                ))?;
            }
        }
    }
    ControlFlow::Continue(())
}

fn parse_record(raw: &[u8], location: &str, at: &str) -> Result<Item, Problem> {
    let problem = |reason: String| Problem {
        kind: ProblemKind::BadRecord,
        location: format!("{location}: {at}"),
        reason,
    };
    let rec: JsonRecord =
        serde_json::from_slice(raw).map_err(|e| problem(format!("invalid JSON record: {e}")))?;
    let id = match rec.id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => return Err(problem("record has no \"id\"".into())),
    };
    if rec.text.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(problem(format!("record {id:?} has no \"text\"")));
    }
    Ok(Item {
        source: rec
            .url
            .clone()
            .unwrap_or_else(|| format!("{location}: {at}")),
        id,
        hash: content_hash(raw),
        payload: Payload::Record(Box::new(rec)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(
            input_kind(Path::new("a/b.jsonl.gz")),
            Some(InputKind::JsonLinesGz)
        );
        assert_eq!(
            input_kind(Path::new("a/b.JSONL")),
            Some(InputKind::JsonLines)
        );
        assert_eq!(input_kind(Path::new("b.json")), Some(InputKind::JsonArray));
        assert_eq!(input_kind(Path::new("b.htm")), Some(InputKind::Document));
        assert_eq!(input_kind(Path::new("b.PDF")), Some(InputKind::Document));
        assert_eq!(input_kind(Path::new("b.odt")), Some(InputKind::Document));
        assert_eq!(input_kind(Path::new("b.zip")), None);
    }

    #[test]
    fn records_need_id_and_text() {
        assert!(parse_record(br#"{"id":1,"text":"x"}"#, "f", "line 1").is_ok());
        let e = parse_record(br#"{"text":"x"}"#, "f", "line 2").unwrap_err();
        assert!(e.reason.contains("no \"id\""), "{e:?}");
        let e = parse_record(br#"{"id":"a"}"#, "f", "line 3").unwrap_err();
        assert!(e.reason.contains("no \"text\""), "{e:?}");
        let e = parse_record(b"{oops", "f", "line 4").unwrap_err();
        assert_eq!(e.location, "f: line 4");
    }
}
