//! Helpers shared by the bench binaries (`mod common;` in each).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The shared material folder (`KEHOACH_SHARED`, or `../shared` next to the crate),
/// if it exists. Benches that need it skip with a message without it.
pub fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("KEHOACH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    p.is_dir().then_some(p)
}

/// The queries of `scripts/queries.txt` (or of the file `KEHOACH_BENCH_QUERIES`
/// names), one per line, blank lines and `#` comments skipped.
pub fn query_lines() -> Vec<String> {
    let path = std::env::var_os("KEHOACH_BENCH_QUERIES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/queries.txt"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|q| !q.is_empty() && !q.starts_with('#'))
        .map(String::from)
        .collect()
}

/// User + system CPU time of this process so far (Linux `/proc/self/stat`), in
/// seconds; `None` elsewhere.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The `p`-quantile (0–1, nearest rank) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// [`percentile`] in milliseconds.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    percentile(sorted, p).as_secs_f64() * 1e3
}
