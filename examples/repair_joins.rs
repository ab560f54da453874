//! Lists what `document::repair::repair_split_syllables` joins in some texts.
//!
//! ```text
//! cargo run --release --example repair_joins -- [--out DIR] [--limit N] FILE...
//! ```
//!
//! A `FILE` is a text file, or a `.jsonl.gz` of JSON lines with a `text` field (the
//! first `--limit` lines, 5,000 by default). Prints one line per join,
//! `file<TAB>before<TAB>after<TAB>context`, then a summary (files, MB, joins, CPU time
//! of the repair) on stderr. `--out DIR` writes each repaired text file to
//! `DIR/<file name>`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kehoach::document::repair_split_syllables;

fn main() -> anyhow::Result<()> {
    let mut out_dir: Option<PathBuf> = None;
    let mut limit = 5_000usize;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out_dir = args.next().map(PathBuf::from),
            "--limit" => limit = args.next().and_then(|n| n.parse().ok()).unwrap_or(limit),
            _ => files.push(PathBuf::from(a)),
        }
    }
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let (mut bytes, mut joins, mut changed, mut docs) = (0usize, 0usize, 0usize, 0usize);
    let mut spent = Duration::ZERO;
    for path in &files {
        for (name, text) in texts(path, limit)? {
            docs += 1;
            bytes += text.len();
            let t = Instant::now();
            let r = repair_split_syllables(&text);
            spent += t.elapsed();
            joins += r.joins;
            changed += usize::from(r.joins > 0);
            for (before, after, context) in joins_of(&text, &r.text) {
                writeln!(stdout, "{name}\t{before}\t{after}\t{context}")?;
            }
            if let Some(dir) = &out_dir {
                let file = Path::new(&name).file_name().unwrap_or_default();
                std::fs::write(dir.join(file), r.text.as_bytes())?;
            }
        }
    }
    let mb = bytes as f64 / 1e6;
    eprintln!(
        "{docs} texts, {mb:.1} MB, {joins} joins in {changed} texts; repair {:.0} ms = {:.0} MB/s",
        spent.as_secs_f64() * 1e3,
        mb / spent.as_secs_f64().max(1e-9)
    );
    Ok(())
}

/// The texts of a file: itself, or the `text` fields of a `.jsonl.gz`.
fn texts(path: &Path, limit: usize) -> anyhow::Result<Vec<(String, String)>> {
    let name = path.display().to_string();
    if !name.ends_with(".jsonl.gz") {
        return Ok(vec![(name, std::fs::read_to_string(path)?)]);
    }
    let reader = BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(path)?));
    let mut out = Vec::new();
    for (i, line) in reader.lines().take(limit).enumerate() {
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
            out.push((format!("{name}#{i}"), text.to_string()));
        }
    }
    Ok(out)
}

/// The joins between a text and its repair (which only deletes spaces): the two
/// words, the joined word and some context.
fn joins_of(before: &str, after: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < b.len() {
        if j < a.len() && b[i] == a[j] {
            i += 1;
            j += 1;
            continue;
        }
        // b[i] is a deleted space.
        let word = |s: &str, from: usize, to: usize| {
            let start = s[..from]
                .rfind(|c: char| !c.is_alphanumeric() && !is_mark(c))
                .map_or(0, |p| p + s[p..].chars().next().map_or(1, char::len_utf8));
            let end = s[to..]
                .find(|c: char| !c.is_alphanumeric() && !is_mark(c))
                .map_or(s.len(), |p| to + p);
            (start, end)
        };
        let (s, e) = word(before, i, i + 1);
        let (cs, ce) = (floor(before, s.saturating_sub(30)), ceil(before, e + 30));
        let joined = word(after, j, j).0;
        let joined_end = word(after, j, j).1;
        out.push((
            before[s..e].to_string(),
            after[joined..joined_end].to_string(),
            before[cs..ce].replace('\n', "⏎"),
        ));
        i += 1;
    }
    out
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
