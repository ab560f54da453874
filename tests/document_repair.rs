//! The split-syllable repair (`document::repair`) on the shared gov-docs corpus:
//! the Công báo texts (extracted from PDFs, with a few split syllables) are
//! repaired, the clean texts of the other folders are left alone except for a listed
//! few real splits, and the result is stable. Skips when the shared material is
//! absent (`KEHOACH_SHARED`, or `../shared` next to the crate).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kehoach::document::repair_split_syllables;

fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("KEHOACH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")));
    p.is_dir().then_some(p)
}

/// The `.txt` files of a gov-docs folder, sorted; `None` (with a message) to skip.
fn folder(name: &str) -> Option<Vec<(String, String)>> {
    let Some(root) = shared() else {
        eprintln!("SKIP: shared material not found (set KEHOACH_SHARED)");
        return None;
    };
    let dir = root.join("corpora/gov-docs").join(name);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let files: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| Some((file_name(p), std::fs::read_to_string(p).ok()?)))
        .collect();
    if files.is_empty() {
        eprintln!("SKIP: no text in {}", dir.display());
        return None;
    }
    Some(files)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The pairs of words whose space the repair deleted (`"cô ng"`), counted. The
/// repair only deletes spaces, so walking both texts finds them.
fn joined_pairs(before: &str, after: &str) -> BTreeMap<String, usize> {
    let mut pairs = BTreeMap::new();
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < b.len() {
        if j < a.len() && b[i] == a[j] {
            i += 1;
            j += 1;
            continue;
        }
        assert_eq!(b[i], b' ', "the repair deletes spaces only");
        let word_char = |c: char| c.is_alphanumeric() || !c.is_ascii() && !c.is_whitespace();
        let start = before[..i]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| word_char(c))
            .last()
            .map_or(i, |(k, _)| k);
        let end = before[i + 1..]
            .char_indices()
            .find(|&(_, c)| !word_char(c))
            .map_or(before.len(), |(k, _)| i + 1 + k);
        *pairs.entry(before[start..end].to_string()).or_insert(0) += 1;
        i += 1;
    }
    pairs
}

#[test]
fn congbao_split_syllables_are_joined() {
    let Some(files) = folder("congbao_central") else {
        return;
    };
    // Split forms met in these texts (a font change inside a word, letters spaced
    // by justification), and forms of the issue that must not survive either.
    let damaged = [
        " cô ng ",
        " thô ng ",
        " bệ nh",
        "Ứ ng ",
        " q uốc ",
        " m ẫu ",
        " lu ật",
        " d ựng",
        " t ỉnh",
    ];
    let count = |t: &str, f: &str| t.matches(f).count();
    let mut before = [0usize; 9];
    let mut after = [0usize; 9];
    let mut joins = 0;
    let mut all = BTreeMap::new();
    for (name, text) in &files {
        let r = repair_split_syllables(text);
        joins += r.joins;
        for (k, f) in damaged.iter().enumerate() {
            before[k] += count(text, f);
            after[k] += count(&r.text, f);
        }
        for (pair, n) in joined_pairs(text, &r.text) {
            *all.entry(pair).or_insert(0) += n;
        }
        // Stable: a second repair changes nothing.
        let again = repair_split_syllables(&r.text);
        assert_eq!(again.joins, 0, "{name}: second repair joined again");
    }
    println!("congbao_central: {joins} joins: {all:?}");
    assert!(
        before.iter().take(5).all(|&n| n > 0),
        "the corpus changed? {before:?}"
    );
    assert_eq!(after, [0; 9], "split forms left after the repair");
    // Precision: every join of the corpus is one of these (all checked by eye).
    let expected = [
        "Chươn g",
        "bệ nh",
        "cô ng",
        "côn g",
        "m ẫu",
        "q uốc",
        "t in",
        "thô ng",
        "Ứ ng",
    ];
    for pair in all.keys() {
        assert!(expected.contains(&pair.as_str()), "unexpected join: {pair}");
    }
    assert!((25..=40).contains(&joins), "{joins} joins");
}

#[test]
fn clean_gov_docs_are_left_alone() {
    // The other folders are text from Word or web pages: the only joins allowed are
    // the real splits listed (a stray space inside "động" in tnt305).
    let allowed = ["đ ộng"];
    let mut total = 0;
    for name in ["tnt305", "luongminh"] {
        let Some(files) = folder(name) else {
            return;
        };
        for (file, text) in &files {
            let r = repair_split_syllables(text);
            for (pair, n) in joined_pairs(text, &r.text) {
                println!("{name}/{file}: {pair} ×{n}");
                assert!(allowed.contains(&pair.as_str()), "{name}/{file}: {pair}");
                total += n;
            }
        }
    }
    assert!(total <= 2, "{total} joins on clean texts");
}

#[test]
fn damaged_congbot_texts_are_stable() {
    // congbot has a few texts spaced letter by letter ("C h í nh"): several passes
    // join them, and a second repair finds nothing more to do.
    let Some(files) = folder("congbot") else {
        return;
    };
    let mut joins = 0;
    for (name, text) in &files {
        let r = repair_split_syllables(text);
        joins += r.joins;
        assert_eq!(repair_split_syllables(&r.text).joins, 0, "{name}");
    }
    println!("congbot: {joins} joins");
    assert!(joins > 50, "{joins}");
}
