//! Scores the accent suggestion against folded phrases with their expected spelling
//! (`scripts/suggest-eval.py` writes them from a corpus): how many are restored to
//! it, and the time of a suggestion not yet cached.
//!
//! ```text
//! scripts/suggest-eval.py ../shared/corpora/vntc-news-84k.jsonl.gz /tmp/suggest
//! cargo run --release --example suggest_eval -- INDEX /tmp/suggest/by_frequency.tsv /tmp/suggest/uniform.tsv
//! ```
//!
//! `SHOW=1` also lists the phrases restored otherwise.

use std::path::Path;
use std::time::Instant;

use kehoach::query::Engine;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(index) = args.next() else {
        anyhow::bail!("usage: suggest_eval INDEX FILE.tsv…");
    };
    let engine = Engine::open(Path::new(&index))?;
    // The candidates table is built once per commit: not part of a suggestion's time.
    engine.options("xe")?;
    let show = std::env::var_os("SHOW").is_some();
    for file in args {
        let (mut right, mut all, mut ms) = (0usize, 0usize, 0f64);
        let mut misses = Vec::new();
        for line in std::fs::read_to_string(&file)?.lines() {
            let mut cols = line.split('\t');
            let (Some(folded), Some(want)) = (cols.next(), cols.next()) else {
                anyhow::bail!("{file}: expected `folded<TAB>spelling…`, got {line:?}");
            };
            let start = Instant::now();
            let got = engine
                .options(folded)?
                .suggestion
                .map_or_else(|| folded.to_string(), |s| s.join(" "));
            ms += start.elapsed().as_secs_f64() * 1000.0;
            all += 1;
            if got == want {
                right += 1;
            } else {
                misses.push(format!("{folded} -> {got} (expected {want})"));
            }
        }
        println!(
            "{file}: {right}/{all} restored ({:.3}), {:.2} ms per suggestion",
            right as f64 / all.max(1) as f64,
            ms / all.max(1) as f64
        );
        if show {
            for m in misses {
                println!("  {m}");
            }
        }
    }
    Ok(())
}
