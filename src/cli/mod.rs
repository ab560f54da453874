//! Command-line arguments (kept apart from the work) and dispatch to one file per command.

mod analyze;
mod ingest;
mod inspect;
mod refs;
mod related;
mod reuse;
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
    /// Text reuse: the passages a document shares with others, their source and what changed.
    Reuse(reuse::Args),
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
        Command::Reuse(args) => reuse::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Stats(args) => stats::run(*args),
    }
}

/// The metadata filters of `kehoach search` and `kehoach stats` (declared once,
/// flattened into both). Repeating a filter gives alternatives (OR); different
/// filters must all hold (AND).
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct FilterArgs {
    /// Province at the time of issue (accents and case optional). Repeat for alternatives.
    #[arg(long)]
    province: Vec<String>,
    /// Province after the 1 July 2025 merger. Repeat for alternatives.
    #[arg(long)]
    province_current: Vec<String>,
    /// Level of the issuer: "trung ương", "tỉnh", "huyện" or "xã" (accents optional).
    /// Repeat for alternatives.
    #[arg(long)]
    level: Vec<String>,
    /// Commune, ward or special zone of the issuer (e.g. "xã Lương Minh"). Repeat for
    /// alternatives.
    #[arg(long)]
    commune: Vec<String>,
    /// Theme id (e.g. chuyen_doi_so). Repeat for alternatives.
    #[arg(long)]
    theme: Vec<String>,
    /// Document type (e.g. "Kế hoạch"). Repeat for alternatives.
    #[arg(long = "type")]
    doc_type: Vec<String>,
    /// Issuing body. Repeat for alternatives.
    #[arg(long)]
    issuer: Vec<String>,
    /// Documents citing this number (e.g. 34-CT/TW). Repeat for alternatives.
    #[arg(long = "ref")]
    refs: Vec<String>,
    /// Issued on or after (YYYY-MM-DD or YYYY).
    #[arg(long)]
    from: Option<String>,
    /// Issued on or before (YYYY-MM-DD or YYYY).
    #[arg(long)]
    to: Option<String>,
    /// Issue year. Repeat for alternatives.
    #[arg(long)]
    year: Vec<u16>,
}

impl FilterArgs {
    /// The library's filters.
    pub(crate) fn filters(&self) -> kehoach::query::Filters {
        kehoach::query::Filters {
            province: self.province.clone(),
            province_current: self.province_current.clone(),
            level: self.level.clone(),
            commune: self.commune.clone(),
            theme: self.theme.clone(),
            doc_type: self.doc_type.clone(),
            issuer: self.issuer.clone(),
            refs: self.refs.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            year: self.year.clone(),
        }
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
