//! `kehoach analyze [--json] TEXT`. STUB.

use std::process::ExitCode;

/// Arguments of `kehoach analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One JSON object per token and line.
    #[arg(long)]
    json: bool,
    /// The text to analyze, or `-` for standard input.
    text: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = super::read_text_arg(&args.text)?;
    for t in kehoach::analysis::analyze(&text) {
        if args.json {
            println!("{}", serde_json::to_string(&t)?);
        } else {
            println!(
                "{}\t{}..{}\t{}\t{}",
                t.position, t.start, t.end, t.text, t.folded
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
