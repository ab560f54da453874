//! Aligns two text files and prints the passages the first reuses from the second,
//! with their edits.
//!
//! ```text
//! cargo run --example reuse_pair -- ../shared/seeds/001_0c4f072ab1571cc0.txt ../shared/seeds/000_1690d7fd46364250.txt
//! ```

use kehoach::reuse::{align, AlignOptions};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b] = args.as_slice() else {
        anyhow::bail!("usage: reuse_pair A B");
    };
    let a = kehoach::document::clean(&std::fs::read_to_string(a)?);
    let b = kehoach::document::clean(&std::fs::read_to_string(b)?);
    for m in align(&a, &b, &AlignOptions::default()) {
        println!(
            "── {} syllables, similarity {:.2}\n   A: {}\n   B: {}",
            m.syllables,
            m.similarity,
            a[m.a_start..m.a_end].replace('\n', " "),
            b[m.b_start..m.b_end].replace('\n', " ")
        );
        for e in &m.edits {
            println!("   {:<12} {:?} ← {:?}", e.kind.name(), e.text, e.doc_text);
        }
    }
    Ok(())
}
