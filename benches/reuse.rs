//! Text-reuse evaluation benchmark (a bench binary; issue 17 item 4): reuse cases
//! generated from the shared corpora (`gov-docs/*/NNNN.txt` and `vlc-laws/*.txt`)
//! as in `tests/reuse_eval.rs`, scored with PAN precision, recall, granularity and
//! plagdet per obfuscation, per passage length and overall, with the speed of
//! `kehoach::reuse::align`.
//!
//! ```text
//! cargo bench --bench reuse                                  # 500 cases, seed 17
//! cargo bench --bench reuse -- --cases 2000 --seed 3
//! cargo bench --bench reuse -- --write /tmp/reuse-cases      # also dump the cases
//! cargo bench --bench reuse -- --builtin-boilerplate         # without the corpus's own
//! scripts/reuse-eval.sh [same options]
//! ```
//!
//! Passages are aligned as the service aligns them: boilerplate is the built-in
//! list and the formulae frequent in this collection of documents
//! (`kehoach::reuse::corpus::corpus_boilerplate`); `--builtin-boilerplate` leaves
//! out the collection's own, as when two files are compared on their own.
//!
//! `--write DIR` writes `DIR/cases/NNNN.txt` (each suspicious document T'),
//! `DIR/truth.jsonl` (one line per case: the spans in T' and in S, ids, the
//! obfuscation, L, the original and the inserted passage) and
//! `DIR/detections.jsonl` (what `align` returned per case as
//! `[a_start, a_end, b_start, b_end]`, spans in T' and in S, with the case's own
//! scores). The shared folder is `KEHOACH_SHARED` or `../shared` next to the
//! crate; without it the bench says so and exits 0.

#[path = "../tests/reuse_support/mod.rs"]
mod reuse_support;

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use reuse_support::{
    generate, pan_scores, plagdet_of, prose_rows, report_rows, run_align, service_options, table,
    truth, Annotation, Case, Doc, GenOptions, TARGETS,
};

/// What the command line asks for.
struct Args {
    cases: usize,
    seed: u64,
    write: Option<PathBuf>,
    /// Only the built-in boilerplate, not the collection's own (as two files
    /// compared outside an index are aligned).
    builtin: bool,
}

const USAGE: &str =
    "usage: cargo bench --bench reuse -- [--cases N] [--seed N] [--write DIR] [--builtin-boilerplate]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        cases: 500,
        seed: 17,
        write: None,
        builtin: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--bench" => {} // what cargo bench passes
            "--cases" => {
                args.cases = value("--cases")?
                    .parse()
                    .map_err(|e| format!("--cases: {e}"))?;
            }
            "--seed" => {
                args.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--write" => args.write = Some(PathBuf::from(value("--write")?)),
            "--builtin-boilerplate" => args.builtin = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

fn main() {
    // `cargo test --all-targets` runs bench binaries without `--bench`: not then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("reuse bench: run with `cargo bench --bench reuse` or scripts/reuse-eval.sh");
        return;
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("{e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(if e.is_empty() { 0 } else { 2 });
        }
    };
    let Some(shared) = common::shared() else {
        println!(
            "reuse bench: no shared folder (../shared or KEHOACH_SHARED); nothing to evaluate"
        );
        return;
    };
    let mut docs = Vec::new();
    for (dir, prefix) in [
        ("corpora/gov-docs", "gov-docs"),
        ("corpora/vlc-laws", "vlc-laws"),
    ] {
        let dir = shared.join(dir);
        if dir.is_dir() {
            docs.extend(reuse_support::load_docs(&dir, prefix));
        } else {
            println!(
                "reuse bench: {} is missing; going on without it",
                dir.display()
            );
        }
    }
    if docs.len() < 2 {
        println!(
            "reuse bench: fewer than two documents under {}; nothing to evaluate",
            shared.display()
        );
        return;
    }
    let start = Instant::now();
    let opts = GenOptions {
        cases: args.cases,
        seed: args.seed,
        ..GenOptions::default()
    };
    let cases = generate(&docs, &opts);
    let unclean = cases.iter().filter(|c| !c.clean_pair).count();
    let repeated = cases.iter().filter(|c| !c.unique_source).count();
    println!(
        "{} cases (seed {}) from {} documents of {} in {:.1} s; {unclean} pairs already shared a run of {} \
         syllables, {repeated} passages are repeated in their source",
        cases.len(),
        args.seed,
        docs.len(),
        shared.display(),
        start.elapsed().as_secs_f64(),
        reuse_support::CLEAN_RUN,
    );
    if let Some(dir) = &args.write {
        write_cases(dir, &docs, &cases)
            .unwrap_or_else(|e| panic!("writing {}: {e}", dir.display()));
    }
    let opts = if args.builtin {
        println!("boilerplate: the built-in list only");
        kehoach::reuse::AlignOptions::default()
    } else {
        println!("boilerplate: the built-in list and the collection's own, by document frequency (as served)");
        service_options(&docs)
    };
    let (found, spent) = run_align(&docs, &cases, &opts);
    let rows = report_rows(&cases, &found, true);
    println!("\n{}", table(&rows));
    let (prose_rows, prose_n) = prose_rows(&cases, &found);
    println!(
        "passages of prose only ({prose_n} of {}: at least {:.0}% of their syllables words, not numbers, outside boilerplate, citations and lists of recipients):\n{}",
        cases.len(),
        reuse_support::PROSE_SHARE * 100.0,
        table(&prose_rows)
    );
    print_targets(&rows, &prose_rows);
    print_summary(&docs, &cases, &rows, spent.as_secs_f64());
    if let Some(dir) = &args.write {
        write_detections(dir, &cases, &found)
            .unwrap_or_else(|e| panic!("writing {}: {e}", dir.display()));
        println!(
            "cases, truth.jsonl and detections.jsonl written to {}",
            dir.display()
        );
    }
}

/// Issue 17's targets against every passage and against passages of prose.
fn print_targets(
    rows: &[(String, reuse_support::PanScores)],
    prose_rows: &[(String, reuse_support::PanScores)],
) {
    for (set, rows) in [("every passage", rows), ("passages of prose", prose_rows)] {
        let got: Vec<String> = TARGETS
            .iter()
            .map(|(name, target)| {
                let p = plagdet_of(rows, name);
                let mark = if p >= *target { "met" } else { "NOT met" };
                format!("{name} {p:.3} (≥ {target}: {mark})")
            })
            .collect();
        println!("issue 17 targets, {set}: {}", got.join(", "));
    }
}

/// The overall line and the speed of `align`.
fn print_summary(
    docs: &[Doc],
    cases: &[Case],
    rows: &[(String, reuse_support::PanScores)],
    secs: f64,
) {
    if let Some((_, all)) = rows.iter().find(|(n, _)| n == "all") {
        println!(
            "overall: precision {:.3}, recall {:.3}, granularity {:.3}, plagdet {:.3}",
            all.precision, all.recall, all.granularity, all.plagdet
        );
    }
    let bytes: usize = cases
        .iter()
        .map(|c| c.suspicious.len() + docs[c.source].text.len())
        .sum();
    println!(
        "align: {} cases in {:.2} s, {:.1} cases/s, {:.1} MB/s of T' + S (one thread)",
        cases.len(),
        secs,
        cases.len() as f64 / secs.max(1e-9),
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
}

/// `DIR/cases/NNNN.txt` and `DIR/truth.jsonl`.
fn write_cases(dir: &Path, docs: &[Doc], cases: &[Case]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("cases"))?;
    let mut truth_file = std::io::BufWriter::new(std::fs::File::create(dir.join("truth.jsonl"))?);
    for c in cases {
        let file = format!("cases/{:04}.txt", c.id);
        std::fs::write(dir.join(&file), &c.suspicious)?;
        let line = serde_json::json!({
            "case": c.id,
            "suspicious": file,
            "suspicious_span": [c.suspicious_span.start, c.suspicious_span.end],
            "source": docs[c.source].id,
            "source_span": [c.source_span.start, c.source_span.end],
            "target": docs[c.target].id,
            "insert_at": c.insert_at,
            "obfuscation": c.obfuscation.name(),
            "syllables": c.syllables,
            "changes": c.changes,
            "clean_pair": c.clean_pair,
            "unique_source": c.unique_source,
            "prose": c.prose,
            "original": &docs[c.source].text[c.source_span.clone()],
            "inserted": &c.suspicious[c.suspicious_span.clone()],
        });
        writeln!(truth_file, "{line}")?;
    }
    truth_file.flush()
}

/// `DIR/detections.jsonl`: each case's detections and its own scores.
fn write_detections(dir: &Path, cases: &[Case], found: &[Vec<Annotation>]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("detections.jsonl"))?);
    for (c, dets) in cases.iter().zip(found) {
        let s = pan_scores(&[truth(c)], dets);
        let spans: Vec<_> = dets
            .iter()
            .map(|d| [d.susp.start, d.susp.end, d.src.start, d.src.end])
            .collect();
        let line = serde_json::json!({
            "case": c.id,
            "obfuscation": c.obfuscation.name(),
            "syllables": c.syllables,
            "detections": spans,
            "precision": s.precision,
            "recall": s.recall,
            "granularity": s.granularity,
            "plagdet": s.plagdet,
        });
        writeln!(out, "{line}")?;
    }
    out.flush()
}
