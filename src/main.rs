//! The `kehoach` command-line tool: a thin layer over the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("kehoach: {err:#}");
            ExitCode::FAILURE
        }
    }
}
