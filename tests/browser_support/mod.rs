//! Headless Chromium helpers shared by the browser tests.
#![allow(dead_code)]

pub mod webdriver;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The first of `names` found in /usr/bin or on the PATH.
pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    for name in names {
        let p = Path::new("/usr/bin").join(name);
        if p.is_file() {
            return Some(p);
        }
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Chromium, or `None` after printing that the test skips.
pub fn chromium() -> Option<PathBuf> {
    let found = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    if found.is_none() {
        println!("skipping: chromium not installed");
    }
    found
}

/// Where screenshots go (`target/test-output/`).
pub fn output_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-output");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Flags for a headless Chromium that never reaches the network on its own.
pub const CHROME_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--lang=vi",
];

/// Runs Chromium once on `url` with `extra` arguments; returns standard output.
pub fn run_chromium(chrome: &Path, url: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chrome)
        .args(CHROME_ARGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--virtual-time-budget=8000")
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The DOM of `url` after its scripts ran.
pub fn dump_dom(chrome: &Path, url: &str) -> String {
    run_chromium(chrome, url, &["--dump-dom"])
}

/// Saves a PNG screenshot of `url` at `size` into `file`.
pub fn screenshot(chrome: &Path, url: &str, file: &Path, size: (u32, u32)) {
    let _ = std::fs::remove_file(file);
    run_chromium(
        chrome,
        url,
        &[
            &format!("--screenshot={}", file.display()),
            &format!("--window-size={},{}", size.0, size.1),
        ],
    );
    let bytes = std::fs::read(file).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG"),
        "{} is not a PNG",
        file.display()
    );
}

/// The text between `start` and the next `end` after it, if any.
pub fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let a = s.find(start)? + start.len();
    let b = s[a..].find(end)? + a;
    Some(&s[a..b])
}
