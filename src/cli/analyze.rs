//! `kehoach analyze [--json] TEXT`: shows how the Vietnamese analyzer tokenizes a text.

use std::io::Write;
use std::process::ExitCode;

/// Arguments of `kehoach analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One JSON object per token and line:
    /// {"position":0,"start":0,"end":8,"text":"chuyển","folded":"chuyen"}.
    #[arg(long)]
    json: bool,
    /// The text to analyze, or `-` for standard input.
    text: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = super::read_text_arg(&args.text)?;
    let tokens = kehoach::analysis::analyze(&text);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        for t in &tokens {
            serde_json::to_writer(&mut out, t)?;
            writeln!(out)?;
        }
    } else {
        let width = |f: fn(&kehoach::analysis::Token) -> usize, min: usize| {
            tokens.iter().map(f).max().unwrap_or(0).max(min)
        };
        let wt = width(|t| t.text.chars().count(), 8);
        let wo = width(|t| format!("{}..{}", t.start, t.end).len(), 7);
        writeln!(
            out,
            "{:>4}  {:<wo$}  {:<wt$}  folded",
            "pos", "offsets", "accented"
        )?;
        for t in &tokens {
            let offsets = format!("{}..{}", t.start, t.end);
            // Pad by characters, not bytes, so Vietnamese columns line up.
            let pad = wt.saturating_sub(t.text.chars().count());
            writeln!(
                out,
                "{:>4}  {:<wo$}  {}{:pad$}  {}",
                t.position, offsets, t.text, "", t.folded
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
