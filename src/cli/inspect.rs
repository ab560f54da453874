//! `kehoach inspect [--json] FILE...`. STUB.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kehoach inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON (one object for one file, one per line for several).
    #[arg(long)]
    json: bool,
    /// Files to inspect.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let u = kehoach::document::Understander::new();
    let mut failed = false;
    for path in &args.files {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("kehoach: {}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        match u.read(path, &bytes) {
            Ok(rec) => println!("{}", serde_json::to_string(&rec)?),
            Err(e) => {
                eprintln!("kehoach: {e}");
                failed = true;
            }
        }
    }
    let _ = args.json;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
