//! `kehoach inspect [--json] FILE...`: the record extracted from each file.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use kehoach::document::Record;

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
    let several = args.files.len() > 1;
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
            Ok(rec) => {
                let mut out = std::io::stdout().lock();
                if args.json {
                    serde_json::to_writer(&mut out, &rec)?;
                    writeln!(out)?;
                } else {
                    if several {
                        writeln!(out, "== {}", path.display())?;
                    }
                    write!(out, "{}", readable(&rec))?;
                }
            }
            Err(e) => {
                eprintln!("kehoach: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn readable(r: &Record) -> String {
    let mut s = String::new();
    let field = |s: &mut String, name: &str, v: &Option<String>| {
        let _ = writeln!(s, "{name:<17}{}", v.as_deref().unwrap_or("-"));
    };
    field(&mut s, "number", &r.number);
    field(&mut s, "type", &r.doc_type);
    field(&mut s, "place", &r.place);
    field(&mut s, "date", &r.date.map(|d| d.to_string()));
    field(&mut s, "title", &r.title);
    field(&mut s, "issuer", &r.issuer);
    field(&mut s, "parent_issuer", &r.parent_issuer);
    field(&mut s, "signer", &r.signer);
    field(&mut s, "province", &r.province);
    field(&mut s, "province_current", &r.province_current);
    field(&mut s, "level", &r.level);
    field(&mut s, "commune", &r.commune);
    field(&mut s, "district", &r.district);
    if !r.unit_candidates.is_empty() {
        let _ = writeln!(
            s,
            "{:<17}{}",
            "unit_candidates",
            r.unit_candidates.join("; ")
        );
    }
    field(&mut s, "language", &r.language);
    let _ = writeln!(s, "{:<17}{} chars", "text", r.text.chars().count());
    let _ = writeln!(
        s,
        "themes (primary first; title, headings, body, parts led, anchors, issuer)"
    );
    for t in &r.themes {
        let e = &t.evidence;
        let _ = writeln!(
            s,
            "  {:<9} {} ({})  score {}  title {} headings {} body {} parts {}/{} anchors {}{}\n            {}",
            if t.primary { "primary" } else { "secondary" },
            t.label,
            t.id,
            t.score,
            e.title,
            e.headings,
            e.body,
            e.parts,
            kehoach::document::THEME_PARTS,
            e.anchors,
            if e.issuer { "  issuer" } else { "" },
            t.matched.join(", ")
        );
    }
    let _ = writeln!(s, "references ({})", r.references.len());
    for x in &r.references {
        let _ = writeln!(
            s,
            "  {:<22} {:<10} {:<12} {}..{}  {}",
            x.key,
            x.date.map_or_else(|| "-".to_string(), |d| d.to_string()),
            x.relation.as_deref().unwrap_or("-"),
            x.start,
            x.end,
            x.issuer.as_deref().unwrap_or("-"),
        );
    }
    s
}
