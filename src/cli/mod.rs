//! Command-line arguments (kept apart from the work) and dispatch to one file per command.

mod analyze;
mod ingest;
mod inspect;
mod refs;
mod related;
mod search;
mod serve;
mod stats;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Search and analysis of Vietnamese government plans.
#[derive(Debug, Parser)]
#[command(name = "kehoach", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show how the Vietnamese analyzer tokenizes a text.
    Analyze(analyze::Args),
    /// Print the record extracted from each file (number, date, province, citations, themes…).
    Inspect(inspect::Args),
    /// Print every citation of a document as one JSON object per line.
    Refs(refs::Args),
    /// Index files and folders (incremental; only new or changed documents are processed).
    Ingest(ingest::Args),
    /// Search the index.
    Search(Box<search::Args>),
    /// Related plans of a document: what it cites, who cites it, siblings, chain, similar.
    Related(related::Args),
    /// Serve the JSON API and the web page (ingests the corpus first when the index is missing or older).
    Serve(serve::Args),
    /// Corpus statistics: frequencies, top n-grams, trends, keyness, concordance, collocates (CSV with --csv).
    Stats(Box<stats::Args>),
}

/// Parses the command line and runs the command.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Refs(args) => refs::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Search(args) => search::run(*args),
        Command::Related(args) => related::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Stats(args) => stats::run(*args),
    }
}

/// Reads a text argument, or standard input when it is `-`.
pub(crate) fn read_text_arg(arg: &str) -> anyhow::Result<String> {
    use std::io::Read;
    if arg == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s)
    } else {
        Ok(arg.to_string())
    }
}
