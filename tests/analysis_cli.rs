//! `kehoach analyze` runs the analyzer and prints one JSON object per token and line.

use std::io::Write;
use std::process::{Command, Stdio};

fn kehoach() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
}

#[test]
fn analyze_json_lines() {
    let out = kehoach()
        .args(["analyze", "--json", "Chuyển đổi số"])
        .output()
        .expect("run kehoach");
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"position":0,"start":0,"end":8,"text":"chuyển","folded":"chuyen"}"#,
            r#"{"position":1,"start":9,"end":15,"text":"đổi","folded":"doi"}"#,
            r#"{"position":2,"start":16,"end":20,"text":"số","folded":"so"}"#,
        ]
    );
}

#[test]
fn analyze_reads_stdin_and_prints_a_table() {
    let mut child = kehoach()
        .args(["analyze", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn kehoach");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("Uỷ ban khóa XIII".as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["0", "0..4", "ủy", "uy"],
            vec!["1", "5..8", "ban", "ban"],
            vec!["2", "9..14", "khóa", "khoa"],
            vec!["3", "15..19", "xiii", "xiii"],
            vec!["3", "15..19", "13", "13"],
        ]
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // `kehoach analyze - | head`: the reader goes away long before the end.
    let mut child = kehoach()
        .args(["analyze", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kehoach");
    drop(child.stdout.take());
    let text = "Kế hoạch chuyển đổi số của tỉnh năm 2025. ".repeat(20_000);
    // The child may stop reading once its output fails; what it did not read is
    // not this test's concern.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes());
    let out = child.wait_with_output().expect("wait for kehoach");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(stderr.is_empty(), "{stderr}");
}
