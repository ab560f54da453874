//! `kehoach refs [FILE|-]`. STUB.

use std::process::ExitCode;

/// Arguments of `kehoach refs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to read, or `-` (default) for standard input.
    #[arg(default_value = "-")]
    file: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args.file;
    Ok(ExitCode::SUCCESS)
}
