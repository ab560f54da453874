//! `kehoach related [--index DIR] [--json] ID`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use kehoach::query::Engine;
use kehoach::related::{Graph, RelatedItem};

/// Arguments of `kehoach related`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Document id (as printed by `kehoach search`).
    id: String,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Items per set.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

fn print_set(out: &mut impl Write, name: &str, items: &[RelatedItem]) -> std::io::Result<()> {
    writeln!(out, "\n{name} ({})", items.len())?;
    for it in items {
        let doc = it.document.as_ref().map_or_else(
            || "(not in the corpus)".to_string(),
            |d| {
                format!(
                    "{} — {} [{}]",
                    d.number.as_deref().unwrap_or("—"),
                    d.title.as_deref().unwrap_or(&d.id),
                    d.id
                )
            },
        );
        let depth = it.depth.map(|d| format!("{}↑ ", d)).unwrap_or_default();
        writeln!(out, "  {depth}{doc}\n      {:.2}  {}", it.score, it.reason)?;
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&args.index)?;
    let graph = Graph::build(&engine)?;
    let related = graph.related(&args.id, Some(&engine), args.limit)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &related)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let d = &related.document;
    writeln!(
        out,
        "{} — {} ({}, {})",
        d.number.as_deref().unwrap_or("—"),
        d.title.as_deref().unwrap_or(&d.id),
        d.province.as_deref().unwrap_or("—"),
        d.date.map_or_else(|| "—".to_string(), |d| d.to_string())
    )?;
    print_set(&mut out, "cites", &related.cites)?;
    print_set(&mut out, "cited by", &related.cited_by)?;
    print_set(&mut out, "siblings", &related.siblings)?;
    print_set(&mut out, "chain", &related.chain)?;
    print_set(&mut out, "similar", &related.similar)?;
    Ok(ExitCode::SUCCESS)
}
