//! Reads one document (text, HTML, PDF, DOCX, DOC or ODT) and prints what it cites.
//!
//! ```text
//! cargo run --example citations -- corpus/office/qd-2816-dong-nai.pdf
//! ```
//!
//! One line per citation: its canonical number, the relation verb that introduces it
//! (*căn cứ*, *thực hiện*…) and the issuer named next to it, when the text says.

use std::path::PathBuf;

use kehoach::document::Understander;

fn main() -> anyhow::Result<()> {
    let path: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: citations FILE"))?;
    let bytes = std::fs::read(&path)?;
    // `read` picks the format by content (not by extension), extracts the text,
    // cleans it and understands it into a `Record`.
    let record = Understander::new().read(&path, &bytes)?;
    println!(
        "{} — {}",
        record.number.as_deref().unwrap_or("(no number)"),
        record.title.as_deref().unwrap_or("(no title)")
    );
    for r in &record.references {
        println!(
            "{:<24} {:<10} {}",
            r.key,
            r.relation.as_deref().unwrap_or("-"),
            r.issuer.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
