//! `kehoach search [--index DIR] QUERY [filters]`, and batch runs in TREC format.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use kehoach::query::{Engine, Match, SearchRequest, SearchResults, Sort};
use kehoach::Error;

/// Output formats of `kehoach search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// `{"total":N,"hits":[…]}`.
    Json,
    /// TREC run lines: `qid Q0 docid rank score kehoach`.
    Trec,
}

/// Arguments of `kehoach search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query: words (all required), "phrases", -exclusions, OR. Empty: everything matching the filters.
    #[arg(default_value = "")]
    query: String,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    #[command(flatten)]
    filters: super::FilterArgs,
    /// Hits to show.
    #[arg(long, default_value_t = SearchRequest::default().limit)]
    limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = SearchRequest::default().offset)]
    offset: usize,
    /// Order: relevance or date.
    #[arg(long, default_value = "relevance")]
    sort: String,
    /// Shorthand for --format json.
    #[arg(long)]
    json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Run every query of a TSV file (`qid<TAB>text` per line) and print a TREC run.
    #[arg(long)]
    queries: Option<PathBuf>,
    /// How words must match: all (every word), auto (every word; if nothing has them all, any word),
    /// fill (every word first, then some words, up to --limit). Default: auto, or fill with --queries.
    #[arg(long = "match")]
    matching: Option<String>,
    /// Run tag of TREC output.
    #[arg(long, default_value = "kehoach")]
    tag: String,
}

/// Explains a query error with a caret under the position.
fn explain(query: &str, err: &Error) -> String {
    match err {
        Error::Query { position, message } => {
            let pad: String = query
                .chars()
                .take(*position)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            format!("bad query: {message}\n  {query}\n  {pad}^")
        }
        other => other.to_string(),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&args.index)?;
    let format = if args.json { Format::Json } else { args.format };
    let base = SearchRequest {
        query: args.query.clone(),
        filters: args.filters.filters(),
        limit: args.limit,
        offset: args.offset,
        sort: args.sort.parse::<Sort>()?,
        fragments: if format == Format::Trec { 0 } else { 1 },
        plain_snippets: true,
        matching: match &args.matching {
            Some(m) => m.parse::<Match>()?,
            None if args.queries.is_some() => Match::Fill,
            None => Match::Auto,
        },
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());

    if let Some(path) = &args.queries {
        let file =
            std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let mut failures = 0;
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line =
                line.map_err(|e| anyhow::anyhow!("{}: line {}: {e}", path.display(), n + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let Some((qid, text)) = line.split_once('\t') else {
                eprintln!(
                    "kehoach: {}: line {}: expected qid<TAB>query",
                    path.display(),
                    n + 1
                );
                failures += 1;
                continue;
            };
            let req = SearchRequest {
                query: text.to_string(),
                fragments: 0,
                ..base.clone()
            };
            match engine.search(&req) {
                Ok(res) => write_trec(&mut out, qid.trim(), &res, args.offset, &args.tag)?,
                Err(e) => {
                    eprintln!(
                        "kehoach: {}: line {} ({qid}): {}",
                        path.display(),
                        n + 1,
                        explain(text, &e)
                    );
                    failures += 1;
                }
            }
        }
        out.flush()?;
        return Ok(if failures > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }

    let res = match engine.search(&base) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kehoach: {}", explain(&args.query, &e));
            return Ok(ExitCode::from(2));
        }
    };
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string(&res)?)?,
        Format::Trec => write_trec(&mut out, "1", &res, args.offset, &args.tag)?,
        Format::Table => write_table(&mut out, &res, args.offset)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_trec(
    out: &mut impl Write,
    qid: &str,
    res: &SearchResults,
    offset: usize,
    tag: &str,
) -> std::io::Result<()> {
    for (i, h) in res.hits.iter().enumerate() {
        writeln!(
            out,
            "{qid} Q0 {} {} {:.4} {tag}",
            h.id,
            offset + i + 1,
            h.score
        )?;
    }
    Ok(())
}

fn cut(s: &str, n: usize) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// What the count counts, and what the engine did to the query, in words.
fn notices(res: &SearchResults) -> Vec<String> {
    let mut lines = Vec::new();
    lines.push(match (&res.reduced, res.relaxed) {
        (Some(r), _) => format!(
            "{} documents with some of the {} most distinctive of the query's {} syllables \
             (the query was long; searched: {})",
            res.total,
            r.kept.len(),
            r.syllables,
            r.kept.join(" ")
        ),
        (None, true) => format!(
            "{} documents with some of the words (no document has every word)",
            res.total
        ),
        (None, false) => format!("{} documents", res.total),
    });
    if res.accents_ignored {
        lines.push(
            "(no document has the words spelled with these accents; showing them with any accents)"
                .into(),
        );
    }
    for e in &res.expanded {
        lines.push(format!("(also searched: {} = {})", e.from, e.to.join(", ")));
    }
    if let Some(s) = &res.suggestion {
        lines.push(format!("(did you mean: {s})"));
    }
    lines
}

fn write_table(out: &mut impl Write, res: &SearchResults, offset: usize) -> std::io::Result<()> {
    for line in notices(res) {
        writeln!(out, "{line}")?;
    }
    for (i, h) in res.hits.iter().enumerate() {
        writeln!(
            out,
            "\n{:>3}. {}\n     {} | {} | {} | {} | score {:.2}",
            offset + i + 1,
            cut(&h.title, 110),
            h.number.as_deref().unwrap_or("—"),
            h.date.as_deref().unwrap_or("—"),
            h.province.as_deref().unwrap_or("—"),
            h.id,
            h.score
        )?;
        if !h.snippet_text.is_empty() {
            writeln!(out, "     {}", cut(&h.snippet_text, 300))?;
        }
    }
    Ok(())
}
