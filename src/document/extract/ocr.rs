//! Scanned pages: `pdftoppm` renders a page, `tesseract -l vie` reads it.
//!
//! Both are external programs (Debian: `poppler-utils`, `tesseract-ocr`,
//! `tesseract-ocr-vie`), found on `PATH` and probed once per process. Pages run in
//! parallel on rayon's pool, so at most one OCR process per worker thread (one per
//! core by default); each tesseract is limited to one thread
//! (`OMP_THREAD_LIMIT=1`) so they do not fight over the cores.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use rayon::prelude::*;

use super::layout::{self, Glyph};

/// What to install when OCR is missing.
pub const INSTALL: &str = "install poppler-utils, tesseract-ocr and tesseract-ocr-vie \
     (Debian/Ubuntu: apt-get install poppler-utils tesseract-ocr tesseract-ocr-vie)";

/// How pages without a text layer are read.
#[derive(Debug, Clone)]
pub struct Ocr {
    /// Run OCR when it is installed (`false`: such files fail with a reason).
    pub enabled: bool,
    /// Rendering resolution in dots per inch.
    pub dpi: u32,
    /// Tesseract language(s), e.g. `vie` or `vie+eng`.
    pub language: String,
    /// Pages read and time spent, for progress display; shared by all files.
    pub counters: Arc<OcrCounters>,
}

impl Default for Ocr {
    fn default() -> Self {
        Ocr {
            enabled: true,
            dpi: 300,
            language: "vie".into(),
            counters: Arc::default(),
        }
    }
}

/// Running totals of OCR work (read them while an ingest runs).
#[derive(Debug, Default)]
pub struct OcrCounters {
    pages: AtomicU64,
    millis: AtomicU64,
}

impl OcrCounters {
    /// Pages read by OCR so far.
    pub fn pages(&self) -> u64 {
        self.pages.load(Ordering::Relaxed)
    }

    /// Wall-clock milliseconds spent in OCR processes so far, summed over pages.
    pub fn millis(&self) -> u64 {
        self.millis.load(Ordering::Relaxed)
    }
}

impl Ocr {
    /// Whether OCR can run here: `Err` says what is missing.
    pub fn available(&self) -> Result<(), String> {
        if !self.enabled {
            return Err("OCR is turned off".into());
        }
        static PROBE: OnceLock<Result<(), String>> = OnceLock::new();
        PROBE.get_or_init(probe).clone()
    }

    /// Reads pages `indices` (0-based) of the PDF in `bytes` (also at `path` when
    /// that file holds the same bytes). One string per index, in order.
    pub(super) fn pages(
        &self,
        bytes: &[u8],
        path: &Path,
        indices: &[usize],
        count: usize,
    ) -> Result<Vec<String>, String> {
        if let Err(why) = self.available() {
            return Err(format!(
                "needs OCR: {} of {count} page(s) have no text layer, and {why} ({INSTALL})",
                indices.len()
            ));
        }
        let file = PdfFile::new(bytes, path)?;
        indices
            .par_iter()
            .map(|&i| {
                let started = Instant::now();
                let text = self.page(file.path(), i + 1);
                self.counters.pages.fetch_add(1, Ordering::Relaxed);
                self.counters
                    .millis
                    .fetch_add(started.elapsed().as_millis() as u64, Ordering::Relaxed);
                text.map_err(|e| format!("OCR of page {} failed: {e}", i + 1))
            })
            .collect()
    }

    /// Renders page `n` (1-based) and reads it.
    fn page(&self, pdf: &Path, n: usize) -> Result<String, String> {
        let n = n.to_string();
        let dpi = self.dpi.to_string();
        let png = Command::new("pdftoppm")
            .args(["-f", &n, "-l", &n, "-r", &dpi, "-gray", "-png"])
            .arg(pdf)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run pdftoppm: {e}"))?;
        if !png.status.success() || png.stdout.is_empty() {
            return Err(format!(
                "pdftoppm: {}",
                String::from_utf8_lossy(&png.stderr).trim()
            ));
        }
        let mut child = Command::new("tesseract")
            .args(["stdin", "stdout", "-l", &self.language, "tsv"])
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run tesseract: {e}"))?;
        // Tesseract reads the whole image before it writes anything.
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(&png.stdout)
                .map_err(|e| format!("tesseract: {e}"))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| format!("tesseract: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "tesseract: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let text = layout::page_text_spaced(
            words(&String::from_utf8_lossy(&out.stdout)),
            OCR_SPACE_EM,
            OCR_COLUMN_EM,
        );
        let mut fixed = String::with_capacity(text.len());
        for line in text.lines() {
            let tokens: Vec<String> = line.split(' ').map(number_digits).collect();
            fixed.push_str(&tokens.join(" "));
            fixed.push('\n');
        }
        Ok(fixed)
    }
}

/// OCR reads digits inside document numbers as look-alike letters (`UBTVQHI5`,
/// `2O21`). In a token shaped like a number (it holds a `/` and a digit), a run of
/// digits and `I l O` that holds a digit and ends the token or a part of it (before
/// `-` or `/`) is digits: `1668/NQ-UBTVQHI5` → `1668/NQ-UBTVQH15`.
fn number_digits(token: &str) -> String {
    if !(token.contains('/') && token.chars().any(|c| c.is_ascii_digit())) {
        return token.to_string();
    }
    let chars: Vec<char> = token.chars().collect();
    let mut out = String::with_capacity(token.len());
    let mut i = 0;
    while i < chars.len() {
        let looks = |c: char| c.is_ascii_digit() || matches!(c, 'I' | 'l' | 'O');
        if looks(chars[i]) {
            let start = i;
            while i < chars.len() && looks(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            let ends_part = chars
                .get(i)
                .is_none_or(|c| matches!(c, '-' | '/' | ';' | ',' | '.' | ')'));
            let digit = run.iter().any(|c| c.is_ascii_digit());
            for &c in run {
                out.push(match c {
                    'I' | 'l' if digit && ends_part => '1',
                    'O' if digit && ends_part => '0',
                    c => c,
                });
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Tesseract's word boxes are words: any gap between two boxes is a space (its
/// boxes are tight around the ink, so real word gaps can be a few pixels). A
/// syllable it cut in two ("Ủ Y") is the split-syllable repair's to rejoin.
const OCR_SPACE_EM: f32 = 0.01;
/// A gap of this many line heights between two boxes separates columns (a line
/// box is about 1.3 font sizes).
const OCR_COLUMN_EM: f32 = 1.5;

/// Tesseract's TSV output as glyphs for [`layout`]: each word's letters spread
/// over its box, all words of a tesseract line on that line's bottom, the line's
/// height as the font size. Boxes that hold no letter or digit and that tesseract
/// doubts (a table rule read as `_` or `|`) are dropped.
fn words(tsv: &str) -> Vec<Glyph> {
    let mut out = Vec::new();
    let mut line = (0.0f32, 10.0f32); // (baseline, height) of the current line
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        let [level, _, _, _, _, _, left, top, width, height, conf, rest @ ..] = f.as_slice() else {
            continue;
        };
        let num = |s: &str| s.trim().parse::<f32>().unwrap_or(0.0);
        let (left, top, width, height) = (num(left), num(top), num(width), num(height));
        match *level {
            "4" => line = (-(top + height), height.max(1.0)),
            "5" => {
                let text = rest.first().map_or("", |t| t.trim());
                let chars: Vec<char> = text.chars().collect();
                if chars.is_empty()
                    || (num(conf) < 50.0 && !chars.iter().any(|c| c.is_alphanumeric()))
                {
                    continue;
                }
                let w = width / chars.len() as f32;
                for (i, c) in chars.into_iter().enumerate() {
                    out.push(Glyph {
                        c,
                        x: left + w * i as f32,
                        width: w,
                        y: line.0,
                        size: line.1,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Checks for `pdftoppm` and for `tesseract` with its Vietnamese model.
fn probe() -> Result<(), String> {
    let run = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .stdin(Stdio::null())
            .output()
            .map_err(|_| format!("{cmd} is not installed"))
    };
    run("pdftoppm", "-v")?;
    let langs = run("tesseract", "--list-langs")?;
    let listed = String::from_utf8_lossy(&langs.stdout);
    if !listed.lines().any(|l| l.trim() == "vie") {
        return Err("tesseract has no Vietnamese model (vie)".into());
    }
    Ok(())
}

/// The PDF as a file the external programs can open: `path` itself when it holds
/// these bytes, otherwise a temporary copy removed on drop.
struct PdfFile {
    path: PathBuf,
    temporary: bool,
}

impl PdfFile {
    fn new(bytes: &[u8], path: &Path) -> Result<PdfFile, String> {
        let same =
            std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        if same {
            return Ok(PdfFile {
                path: path.to_path_buf(),
                temporary: false,
            });
        }
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let tmp = std::env::temp_dir().join(format!(
            "kehoach-ocr-{}-{}.pdf",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&tmp, bytes)
            .map_err(|e| format!("cannot write a temporary copy for OCR: {e}"))?;
        Ok(PdfFile {
            path: tmp,
            temporary: true,
        })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PdfFile {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_letters_in_numbers_become_digits() {
        assert_eq!(number_digits("1668/NQ-UBTVQHI5"), "1668/NQ-UBTVQH15");
        assert_eq!(number_digits("12/2O21/QĐ-UBND"), "12/2021/QĐ-UBND");
        // Not a number, or letters that are letters.
        assert_eq!(number_digits("IO"), "IO");
        assert_eq!(number_digits("2816/QĐ-UBND"), "2816/QĐ-UBND");
        assert_eq!(number_digits("05/CT-TTg"), "05/CT-TTg");
        assert_eq!(number_digits("12/KH-BCĐI"), "12/KH-BCĐI");
    }
}
