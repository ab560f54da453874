//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The shared material folder (`KEHOACH_SHARED` or `../shared`), if present.
pub fn shared_dir() -> Option<PathBuf> {
    let p = std::env::var_os("KEHOACH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    p.is_dir().then_some(p)
}

/// Writes `files` (relative path, content) under `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &[u8])]) {
    for (rel, content) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, content).unwrap();
    }
}

/// The kehoach binary built for the tests.
pub fn kehoach() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_kehoach"))
}

/// A deterministic pseudo-random generator (xorshift64; no dependency needed).
/// Seed it with a non-zero value.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// An index in `0..n`, small ones far more often (Zipf-like, as words in text).
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
}

/// An in-RAM index of `docs` (id, text), understood as ingest would: all in one
/// segment, or (`segment_each`) one segment per document, never merged.
pub fn in_ram_engine(docs: &[(&str, &str)], segment_each: bool) -> kehoach::query::Engine {
    let index = tantivy::Index::create_in_ram(kehoach::index::build_schema());
    kehoach::analysis::register(&index);
    let fields = kehoach::index::Fields::from_schema(&index.schema()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    if segment_each {
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    }
    let u = kehoach::document::Understander::new();
    for (id, text) in docs {
        writer
            .add_document(fields.to_document(id, id, "h", u.understand(text)))
            .unwrap();
        if segment_each {
            writer.commit().unwrap();
        }
    }
    writer.commit().unwrap();
    kehoach::query::Engine::from_index(index, Path::new("in-ram")).unwrap()
}

/// A small corpus of plans written for the tests.
pub const PLANS: &[(&str, &str)] = &[
    (
        "kg/325.txt",
        "UBND TỈNH KIÊN GIANG\nSỞ CÔNG THƯƠNG\n\nSố: 325/KH-SCT\n\nKiên Giang, ngày 08 tháng 10 năm 2019\n\nKẾ HOẠCH\n\nPhát động thi đua chuyển đổi số\n\nThực hiện Kế hoạch số 136/KH-UBND ngày 13/9/2019 của UBND tỉnh Kiên Giang về chuyển đổi số và xây dựng nông thôn mới.\n",
    ),
    (
        "dt/1579.txt",
        "Số: 1579/KH-SKHĐT\n\nĐồng Tháp, ngày 15 tháng 6 năm 2022\n\nKẾ HOẠCH\n\nThi đua chào mừng kỷ niệm ngày thành lập tỉnh\n\nThực hiện Chỉ thị số 34-CT/TW của Bộ Chính trị về đổi mới công tác thi đua, khen thưởng. Nông nghiệp thôn quê mới.\n",
    ),
    (
        "news/so-sach.txt",
        "Chuyên đội sơ cứu và sổ sách kế toán của xã được kiểm tra.\n",
    ),
];
