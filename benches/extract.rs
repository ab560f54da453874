//! Reading real files (issue 14): text-layer PDF extraction + repair + cleaning in
//! pages/s and MB/s on one core, beside poppler's `pdftotext` on the same files in
//! the same run; DOCX/DOC/ODT in files/s; OCR seconds per scanned page.
//!
//! ```text
//! KEHOACH_SHARED=../shared cargo bench --bench extract
//! ```
//!
//! Uses `../shared/corpora/office` (skips without it). `pdftotext` and OCR rows
//! need poppler-utils and tesseract-ocr-vie; they are left out when missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use kehoach::document::{self, ReadOptions};

fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("KEHOACH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    p.is_dir().then_some(p)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn main() {
    let Some(shared) = shared() else {
        eprintln!("extract bench: ../shared is absent; nothing to measure");
        return;
    };
    let office = shared.join("corpora/office");
    let mut no_ocr = ReadOptions::default();
    no_ocr.extract.ocr.enabled = false;
    // Run on one core: rayon is not used by text-layer extraction.
    let rounds = 20;

    println!(
        "| format | files | pages | MB | kehoach s/round | pages/s | MB/s | pdftotext pages/s |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for fmt in ["pdf", "docx", "doc", "odt"] {
        let list = files(&office.join(fmt));
        let data: Vec<(PathBuf, Vec<u8>)> = list
            .iter()
            .map(|p| (p.clone(), std::fs::read(p).unwrap_or_default()))
            .collect();
        let bytes: usize = data.iter().map(|(_, b)| b.len()).sum();
        let mut pages = 0usize;
        for (p, b) in &data {
            let r = document::read(p, b, &no_ocr).expect("readable");
            pages += r.origin.pages.len().max(1);
        }
        let t = Instant::now();
        for _ in 0..rounds {
            for (p, b) in &data {
                std::hint::black_box(document::read(p, b, &no_ocr).ok());
            }
        }
        let per_round = t.elapsed().as_secs_f64() / rounds as f64;
        let poppler = if fmt == "pdf" && which("pdftotext") {
            let t = Instant::now();
            for (p, _) in &data {
                let _ = Command::new("pdftotext").arg(p).arg("-").output();
            }
            format!("{:.0}", pages as f64 / t.elapsed().as_secs_f64())
        } else {
            "-".into()
        };
        println!(
            "| {fmt} | {} | {pages} | {:.2} | {:.4} | {:.0} | {:.1} | {poppler} |",
            data.len(),
            bytes as f64 / 1e6,
            per_round,
            pages as f64 / per_round,
            bytes as f64 / 1e6 / per_round,
        );
    }

    let ocr = ReadOptions::default();
    if ocr.extract.ocr.available().is_err() {
        println!("\nOCR: not installed here, not measured");
        return;
    }
    let scanned = files(&office.join("scanned"));
    let Some(first) = scanned.first() else {
        return;
    };
    let b = std::fs::read(first).unwrap_or_default();
    let t = Instant::now();
    let r = document::read(first, &b, &ocr).expect("OCR reads the scan");
    let pages = r.origin.pages.len().max(1);
    let wall = t.elapsed().as_secs_f64();
    println!(
        "\nOCR ({}): {pages} pages in {wall:.1} s wall = {:.2} s/page with pages in parallel; \
         {:.2} s of OCR process time per page (pdftoppm 300 dpi + tesseract -l vie, one thread each)",
        first.file_name().unwrap_or_default().to_string_lossy(),
        wall / pages as f64,
        ocr.extract.ocr.counters.millis() as f64 / 1e3 / pages as f64,
    );
}

fn which(cmd: &str) -> bool {
    Command::new(cmd).arg("-v").output().is_ok()
}
