//! `kehoach reuse ID [--index DIR] [--json|--csv]`: the passages a document shares
//! with others, which way the text went, and what each copy changed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use kehoach::query::Engine;
use kehoach::reuse::{Direction, DocumentReuse, Reuse, Share};
use kehoach::table::{write_csv, CsvFormat};

/// Arguments of `kehoach reuse`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Document id (as printed by `kehoach search`).
    id: String,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Print JSON: {"id", "share", "sources", "copies", "unknown", "passages": [...]}.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print the passages as CSV (one row per passage).
    #[arg(long)]
    csv: bool,
    /// Start the CSV with a byte-order mark (for spreadsheets).
    #[arg(long, requires = "csv")]
    bom: bool,
}

fn print_shares(out: &mut impl Write, title: &str, shares: &[Share]) -> std::io::Result<()> {
    if shares.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{title} ({})", shares.len())?;
    for s in shares {
        writeln!(
            out,
            "  {:>5.1}%  {} passages  {} — {} [{}] ({})",
            s.share * 100.0,
            s.passages,
            s.number.as_deref().unwrap_or("—"),
            s.title.as_deref().unwrap_or(&s.doc),
            s.doc,
            match s.rule {
                kehoach::reuse::Rule::Date => "by date",
                kehoach::reuse::Rule::Citation => "by citation",
                kehoach::reuse::Rule::None => "undecided",
            }
        )?;
    }
    Ok(())
}

fn print_text(r: &DocumentReuse, text: &str) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    writeln!(
        out,
        "{}: {:.1}% of its {} syllables taken from its sources",
        r.id,
        r.share * 100.0,
        r.syllables
    )?;
    print_shares(&mut out, "sources", &r.sources)?;
    print_shares(&mut out, "copies", &r.copies)?;
    print_shares(&mut out, "shared, direction unknown", &r.unknown)?;
    for p in &r.passages {
        let arrow = match p.direction {
            Direction::Source => "from",
            Direction::Copy => "to",
            Direction::Unknown => "with",
        };
        let passage: String = text
            .get(p.start..p.end)
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        writeln!(
            out,
            "\n── {} syllables, similarity {:.2}, {arrow} {} [{}..{}]\n   {passage}",
            p.syllables, p.similarity, p.doc, p.doc_start, p.doc_end
        )?;
        for e in &p.edits {
            writeln!(
                out,
                "   {:<12} {:?} ← {:?}",
                e.kind.name(),
                e.text,
                e.doc_text
            )?;
        }
    }
    out.flush()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let engine = Arc::new(Engine::open(&args.index)?);
    let reuse = Reuse::new(Arc::clone(&engine));
    let r = reuse.document(&args.id)?;
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &r)?;
        writeln!(out)?;
    } else if args.csv {
        let stdout = std::io::stdout();
        let out = std::io::BufWriter::new(stdout.lock());
        let format = CsvFormat {
            bom: args.bom,
            ..CsvFormat::default()
        };
        write_csv(&r, out, format)?.flush()?;
    } else {
        let text = engine.document(&args.id)?.record.text;
        print_text(&r, &text)?;
    }
    Ok(ExitCode::SUCCESS)
}
