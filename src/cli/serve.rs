//! `kehoach serve [--index DIR] [--corpus DIR] [--addr 127.0.0.1:8080]`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use kehoach::http::{self, Config};
use kehoach::index::{self, IngestOptions};
use kehoach::query::Engine;

use super::ingest::{print_summary, Reporter};

/// Arguments of `kehoach serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Corpus folder: ingested first when the index is missing or older than its newest file.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Seconds a request may take before it is answered with 408.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// Search responses to keep in memory (0: no cache); a new commit empties the cache.
    #[arg(long, default_value_t = 1024)]
    cache: usize,
    /// Megabytes of search responses to keep in memory, at most.
    #[arg(long, default_value_t = 64)]
    cache_mb: usize,
}

/// Modification time of the newest indexable file under `dir`.
fn newest_input(dir: &Path) -> Option<SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter(|e| index::input_kind(e.path()).is_some())
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .max()
}

/// Why the index must be (re)built from the corpus, if it must.
fn stale_reason(index_dir: &Path, corpus: &Path) -> Option<String> {
    let newest = newest_input(corpus)?;
    if index::outdated(index_dir) {
        return Some(format!(
            "the index in {} was built by an older kehoach and must be rebuilt",
            index_dir.display()
        ));
    }
    let meta = index_dir.join("meta.json");
    match std::fs::metadata(&meta).and_then(|m| m.modified()) {
        Err(_) => Some(format!("no index in {}", index_dir.display())),
        Ok(built) if newest > built => Some(format!(
            "{} has files newer than the index",
            corpus.display()
        )),
        Ok(_) => None,
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();

    if let Some(reason) = stale_reason(&args.index, &args.corpus) {
        eprintln!("kehoach: {reason}; ingesting {}", args.corpus.display());
        let started = Instant::now();
        let summary = index::ingest(
            &args.index,
            std::slice::from_ref(&args.corpus),
            &IngestOptions {
                rebuild: index::outdated(&args.index),
                ..IngestOptions::default()
            },
            &Reporter::new(),
        )?;
        print_summary(&summary, started.elapsed(), &args.index);
    } else if !args.index.join("meta.json").is_file() {
        anyhow::bail!(
            "no index in {} and no corpus in {}; build one with `kehoach ingest PATH --index {}` \
             or give --corpus",
            args.index.display(),
            args.corpus.display(),
            args.index.display()
        );
    }
    let engine = Arc::new(Engine::open(&args.index)?);
    let config = Config {
        timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        cache_entries: args.cache,
        cache_bytes: args.cache_mb.saturating_mul(1 << 20),
        ..Config::default()
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.addr))?;
        let local = listener.local_addr()?;
        println!(
            "kehoach: serving {} documents from {} on http://{local}/",
            engine.num_docs(),
            args.index.display()
        );
        use std::io::Write;
        std::io::stdout().flush()?;
        http::serve(listener, engine, config, shutdown_signal()).await?;
        eprintln!("kehoach: stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("kehoach: shutting down");
}
