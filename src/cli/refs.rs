//! `kehoach refs [FILE|-]`: every citation of a document, one JSON object per line.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

/// Arguments of `kehoach refs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The files to read, or `-` (default) for standard input.
    #[arg(default_value = "-")]
    files: Vec<String>,
}

#[derive(Serialize)]
struct Line<'a> {
    key: &'a str,
    fold: &'a str,
    date: Option<kehoach::document::PartialDate>,
    issuer: Option<&'a str>,
    relation: Option<&'a str>,
    start: usize,
    end: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let u = kehoach::document::Understander::new();
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in &args.files {
        let (path, bytes) = if file == "-" {
            let mut b = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut b) {
                eprintln!("kehoach: <stdin>: {e}");
                failed = true;
                continue;
            }
            (Path::new("<stdin>"), b)
        } else {
            match std::fs::read(file) {
                Ok(b) => (Path::new(file.as_str()), b),
                Err(e) => {
                    eprintln!("kehoach: {file}: {e}");
                    failed = true;
                    continue;
                }
            }
        };
        let rec = match u.read(path, &bytes) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("kehoach: {e}");
                failed = true;
                continue;
            }
        };
        for r in &rec.references {
            let line = Line {
                key: &r.key,
                fold: &r.fold,
                date: r.date,
                issuer: r.issuer.as_deref(),
                relation: r.relation.as_deref(),
                start: r.start,
                end: r.end,
            };
            writeln!(out, "{}", serde_json::to_string(&line)?)?;
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
