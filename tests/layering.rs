//! The architecture as a test: data flows one way through the library's modules,
//!
//! ```text
//! {error, table} ← analysis ← document ← index ← query ← {stats, related, reuse} ← http
//! ```
//!
//! and no two source files depend on each other through any chain of imports.
//!
//! The test reads the library's sources (`src/**/*.rs` but the binary's `main.rs`
//! and `cli/`, which sit on top and see only the public library), collects every
//! path a file uses — `use crate::…`/`use super::…` lines with their `{…}` groups,
//! and `crate::…` paths written in code — and resolves each to the file that
//! defines it (following a folder's `pub use` re-exports to the file behind them).
//!
//! Two rules, each reported with the offending file and line:
//!
//! 1. **Layers.** A module may use only modules of lower layers; modules of the same
//!    layer (`stats`, `related`, `reuse`) do not use one another.
//! 2. **No file cycles.** The graph "file A uses something defined in file B" has no
//!    cycle. A folder's `mod.rs` naming its own files (declaring, re-exporting,
//!    routing to them) is structure, not a dependency, and is left out; everything
//!    else counts, so `a.rs → b.rs → a.rs` inside one folder fails too.
//!
//! Comments and doc links are not dependencies and are skipped. The rule checker is
//! itself tested on small synthetic trees below, so the test can fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layer of each top-level module of the library (lower is more basic).
const LAYERS: &[(&str, u8)] = &[
    ("error", 0),
    ("table", 0),
    ("analysis", 1),
    ("document", 2),
    ("index", 3),
    ("query", 4),
    ("stats", 5),
    ("related", 5),
    ("reuse", 5),
    ("http", 6),
];

/// One source file: its module path (`["query", "search"]`), whether it is a
/// folder's `mod.rs` (or `lib.rs`), and its text.
#[derive(Debug, Clone)]
struct Source {
    module: Vec<String>,
    is_folder: bool,
    text: String,
}

/// A dependency found in a file: the file it resolves to and the line that says so.
#[derive(Debug, Clone)]
struct Use {
    target: Vec<String>,
    line: usize,
    path: String,
}

fn layer(top: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == top).map(|(_, l)| *l)
}

/// Reads `src/` (the library only) into sources keyed by module path.
fn read_tree(root: &Path) -> BTreeMap<Vec<String>, Source> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            let rel: PathBuf = path.strip_prefix(root).expect("under root").to_path_buf();
            if rel == Path::new("main.rs") || rel.starts_with("cli") {
                continue; // the binary: above every layer, sees only the public library
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let mut module: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let stem = module.last().cloned().unwrap_or_default();
            let is_folder = stem == "mod" || (module.len() == 1 && stem == "lib");
            if is_folder {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            out.insert(
                module.clone(),
                Source {
                    module,
                    is_folder,
                    text,
                },
            );
        }
    }
    out
}

/// Code without comments: `//` to the end of the line (outside string literals)
/// and `/* … */` blocks are blanked, keeping line numbers.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let (mut i, mut in_str, mut block) = (0, false, 0usize);
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if block > 0 {
            if c == b'*' && next == Some(b'/') {
                block -= 1;
                i += 2;
                continue;
            }
            if c == b'/' && next == Some(b'*') {
                block += 1;
                i += 2;
                continue;
            }
            if c == b'\n' {
                out.push('\n');
            }
            i += 1;
            continue;
        }
        if in_str {
            if c == b'\\' {
                i += 2;
                out.push(' ');
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            out.push(if c == b'\n' { '\n' } else { ' ' });
            i += 1;
            continue;
        }
        match (c, next) {
            (b'/', Some(b'/')) => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                block = 1;
                i += 2;
            }
            (b'"', _) => {
                // A char literal '"' is not a string.
                let quoted_char = i > 0 && b[i - 1] == b'\'' && next == Some(b'\'');
                in_str = !quoted_char;
                out.push(' ');
                i += 1;
            }
            _ => {
                let ch = text[i..].chars().next().expect("char boundary");
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out
}

/// Expands one `use` tree (`crate::a::{b, c::{d, e}}`) into full paths.
fn expand_use(tree: &str) -> Vec<String> {
    let tree = normalise_use(tree);
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            expand_use(p)
                .into_iter()
                .map(move |q| format!("{prefix}{q}"))
        })
        .collect()
}

/// A use tree on one line, without spaces but around `as` (`e as f`).
fn normalise_use(tree: &str) -> String {
    let words: Vec<&str> = tree.split_whitespace().collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 && (*w == "as" || words[i - 1] == "as") {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Absolute module path of a `use` path written in `from` (`crate::`, `super::`,
/// `self::`), or `None` for paths into other crates.
fn absolute(path: &str, from: &Source) -> Option<Vec<String>> {
    let path = path.split(" as ").next().unwrap_or(path);
    let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = match segs.first().copied() {
        Some("crate") => Vec::new(),
        Some("super") | Some("self") => {
            let mut m = from.module.clone();
            if !from.is_folder {
                m.pop(); // a file's `self` module is its parent folder's child: super is the folder
                if segs.first() == Some(&"self") {
                    m = from.module.clone();
                }
            }
            m
        }
        _ => return None,
    };
    for s in &segs[1..] {
        match *s {
            "super" => {
                base.pop();
            }
            "self" | "*" => {}
            _ => base.push((*s).to_string()),
        }
    }
    Some(base)
}

/// The file defining `path`: the longest module prefix that is a file, following
/// `pub use child::Name` re-exports of a folder to the child file.
fn resolve(path: &[String], tree: &BTreeMap<Vec<String>, Source>) -> Option<Vec<String>> {
    let mut n = path.len();
    while n > 0 && !tree.contains_key(&path[..n]) {
        n -= 1;
    }
    let file = path[..n].to_vec();
    let src = tree.get(&file)?;
    if src.is_folder {
        if let Some(name) = path.get(n) {
            if let Some(child) = reexport_source(src, name) {
                let mut m = file.clone();
                m.push(child);
                if tree.contains_key(&m) {
                    return resolve(&[m, path[n + 1..].to_vec()].concat(), tree).or(Some(file));
                }
            }
        }
    }
    Some(file)
}

/// Which child module a folder's `pub use child::{…, name, …}` takes `name` from.
fn reexport_source(folder: &Source, name: &str) -> Option<String> {
    let code = strip_comments(&folder.text);
    for stmt in use_statements(&code) {
        if !stmt.1.starts_with("pub") {
            continue;
        }
        for p in expand_use(
            stmt.1
                .trim_start_matches("pub(crate)")
                .trim_start_matches("pub"),
        ) {
            let segs: Vec<&str> = p.split("::").collect();
            let alias = p.rsplit(" as ").next();
            if segs.last() == Some(&name) || alias == Some(name) {
                let first = segs.first().copied()?;
                let child = if first == "self" {
                    segs.get(1).copied()?
                } else {
                    first
                };
                if child != "crate" && child != "super" {
                    return Some(child.to_string());
                }
            }
        }
    }
    None
}

/// `use` statements of code (1-based line, text without `use` and `;`).
fn use_statements(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut rest = code;
    let mut offset = 0;
    while let Some(i) = find_word(rest, "use") {
        let start = offset + i;
        let after = &code[start + 3..];
        let Some(end) = after.find(';') else { break };
        let before = &code[..start];
        let vis_start = before
            .rfind(['\n', ';', '{', '}'])
            .map(|j| j + 1)
            .unwrap_or(0);
        let vis = code[vis_start..start].trim();
        let body = after[..end].trim();
        let text = if vis.starts_with("pub") {
            format!("{vis} {body}")
        } else {
            body.to_string()
        };
        out.push((before.matches('\n').count() + 1, text));
        offset = start + 3 + end + 1;
        rest = &code[offset..];
    }
    out
}

fn find_word(hay: &str, word: &str) -> Option<usize> {
    let b = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = hay[from..].find(word) {
        let i = from + i;
        let before_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        let after = b.get(i + word.len()).copied();
        let after_ok = matches!(after, Some(b' ') | Some(b'\n') | Some(b'\t'));
        if before_ok && after_ok {
            return Some(i);
        }
        from = i + word.len();
    }
    None
}

/// Every dependency of one source file.
fn uses_of(src: &Source, tree: &BTreeMap<Vec<String>, Source>) -> Vec<Use> {
    let code = strip_comments(&src.text);
    let mut paths: Vec<(usize, String)> = Vec::new();
    for (line, stmt) in use_statements(&code) {
        let stmt = stmt
            .trim_start_matches("pub(crate)")
            .trim_start_matches("pub");
        for p in expand_use(stmt) {
            paths.push((line, p));
        }
    }
    // `crate::a::b` written in code (not in `use` lines, already taken).
    for (i, line) in code.lines().enumerate() {
        let mut from = 0;
        while let Some(j) = line[from..].find("crate::") {
            let j = from + j;
            let ok = j == 0 || !line.as_bytes()[j - 1].is_ascii_alphanumeric();
            let path: String = line[j..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            from = j + path.len().max(1);
            if ok && !line.trim_start().starts_with("use ") && !line.contains("use crate::") {
                paths.push((i + 1, path.trim_end_matches(':').to_string()));
            }
        }
    }
    let mut out = Vec::new();
    for (line, p) in paths {
        let Some(abs) = absolute(&p, src) else {
            continue;
        };
        let Some(target) = resolve(&abs, tree) else {
            continue;
        };
        if target == src.module {
            continue;
        }
        out.push(Use {
            target,
            line,
            path: p,
        });
    }
    out
}

/// Violations of the two rules, as human-readable lines (empty: the tree is fine).
fn check(
    tree: &BTreeMap<Vec<String>, Source>,
    file_of: impl Fn(&[String]) -> String,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for src in tree.values() {
        let from_top = src.module.first().map(String::as_str).unwrap_or("");
        for u in uses_of(src, tree) {
            let to_top = u.target.first().map(String::as_str).unwrap_or("");
            if !from_top.is_empty() && !to_top.is_empty() && from_top != to_top {
                match (layer(from_top), layer(to_top)) {
                    (Some(a), Some(b)) if b >= a => problems.push(format!(
                        "{}:{}: `{}` uses `{}`: module {from_top} (layer {a}) may not use {to_top} (layer {b})",
                        file_of(&src.module),
                        u.line,
                        from_top,
                        u.path,
                    )),
                    (None, _) => problems.push(format!(
                        "{}: module {from_top} has no layer: add it to LAYERS in tests/layering.rs",
                        file_of(&src.module)
                    )),
                    _ => {}
                }
            }
            // A folder naming its own files is structure, not a dependency.
            let own_child = src.is_folder
                && u.target.len() > src.module.len()
                && u.target[..src.module.len()] == src.module[..];
            if !own_child {
                graph
                    .entry(src.module.clone())
                    .or_default()
                    .insert(u.target.clone());
            }
        }
    }
    for cycle in cycles(&graph) {
        let names: Vec<String> = cycle.iter().map(|m| file_of(m)).collect();
        problems.push(format!("file cycle: {}", names.join(" → ")));
    }
    problems
}

/// One cycle per strongly connected component with more than one file, as a path
/// that starts and ends at the same file.
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    let mut found = Vec::new();
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    for start in graph.keys() {
        if reported.contains(start) {
            continue;
        }
        // Breadth-first search back to `start`, remembering parents.
        let mut parent: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start.clone()]);
        let mut closing = None;
        while let Some(m) = queue.pop_front() {
            for next in graph.get(&m).into_iter().flatten() {
                if next == start {
                    closing = Some(m.clone());
                    break;
                }
                if !parent.contains_key(next) {
                    parent.insert(next.clone(), m.clone());
                    queue.push_back(next.clone());
                }
            }
            if closing.is_some() {
                break;
            }
        }
        if let Some(last) = closing {
            let mut path = vec![last.clone()];
            let mut cur = last;
            while let Some(p) = parent.get(&cur) {
                path.push(p.clone());
                cur = p.clone();
            }
            path.reverse(); // start … last
            if path.first() != Some(start) {
                path.insert(0, start.clone());
            }
            path.push(start.clone());
            reported.extend(path.iter().cloned());
            found.push(path);
        }
    }
    found
}

fn real_file_of(module: &[String]) -> String {
    let joined = module.join("/");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    if module.is_empty() {
        "src/lib.rs".into()
    } else if src.join(format!("{joined}.rs")).exists() {
        format!("src/{joined}.rs")
    } else {
        format!("src/{joined}/mod.rs")
    }
}

#[test]
fn the_library_flows_one_way_without_file_cycles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let tree = read_tree(&root);
    assert!(
        tree.len() > 50,
        "read only {} files under {}",
        tree.len(),
        root.display()
    );
    let problems = check(&tree, real_file_of);
    assert!(
        problems.is_empty(),
        "the architecture (ARCHITECTURE.md) is broken in {} place(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for m in read_tree(&root).keys().filter_map(|m| m.first()) {
        assert!(layer(m).is_some(), "module `{m}` is missing from LAYERS");
    }
}

// The checker itself, on small synthetic trees, so that the test above can fail.

fn synthetic(files: &[(&str, &str)]) -> BTreeMap<Vec<String>, Source> {
    files
        .iter()
        .map(|(path, text)| {
            let mut module: Vec<String> = path
                .trim_end_matches(".rs")
                .split('/')
                .map(String::from)
                .collect();
            let is_folder = module
                .last()
                .map(|s| s == "mod" || s == "lib")
                .unwrap_or(false);
            if is_folder {
                module.pop();
            }
            let src = Source {
                module: module.clone(),
                is_folder,
                text: (*text).to_string(),
            };
            (module, src)
        })
        .collect()
}

fn synthetic_file_of(m: &[String]) -> String {
    m.join("/")
}

#[test]
fn an_upward_import_fails() {
    let tree = synthetic(&[
        (
            "lib.rs",
            "pub mod index;\npub mod query;\npub use error::Error;",
        ),
        ("index/mod.rs", "pub mod schema;"),
        (
            "index/schema.rs",
            "use crate::query::number::fold_key;\nfn f() {}",
        ),
        ("query/mod.rs", "pub mod number;"),
        ("query/number.rs", "pub fn fold_key() {}"),
    ]);
    let p = check(&tree, synthetic_file_of);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("index/schema:1:"), "{p:?}");
    assert!(p[0].contains("may not use query"), "{p:?}");
}

#[test]
fn a_path_in_code_and_a_grouped_import_fail_too() {
    let tree = synthetic(&[
        ("lib.rs", ""),
        ("analysis/mod.rs", "use crate::{document::Record, Error};"),
        ("document/mod.rs", "fn f() { crate::stats::csv::write(); }"),
        ("stats/mod.rs", "pub mod csv;"),
        ("stats/csv.rs", "pub fn write() {}"),
        ("error.rs", ""),
    ]);
    let p = check(&tree, synthetic_file_of);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p.iter()
            .any(|l| l.starts_with("analysis:1:") && l.contains("document")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("document:1:") && l.contains("stats")),
        "{p:?}"
    );
}

#[test]
fn siblings_of_one_layer_do_not_use_each_other() {
    let tree = synthetic(&[
        ("stats/mod.rs", "use crate::related::Graph;"),
        ("related/mod.rs", "pub struct Graph;"),
    ]);
    let p = check(&tree, synthetic_file_of);
    assert_eq!(p.len(), 1, "{p:?}");
}

#[test]
fn comments_and_strings_are_not_dependencies() {
    let tree = synthetic(&[
        (
            "analysis/mod.rs",
            "//! see [`crate::query::Engine`]\n/* crate::http */ const S: &str = \"crate::stats\";",
        ),
        ("query/mod.rs", ""),
        ("http/mod.rs", ""),
        ("stats/mod.rs", ""),
    ]);
    assert_eq!(check(&tree, synthetic_file_of), Vec::<String>::new());
}

#[test]
fn a_file_cycle_fails_even_inside_one_module() {
    let tree = synthetic(&[
        ("query/mod.rs", "pub mod a;\npub mod b;\npub use a::A;"),
        ("query/a.rs", "use super::b::B;\npub struct A;"),
        ("query/b.rs", "use super::A;\npub struct B;"),
    ]);
    let p = check(&tree, synthetic_file_of);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("file cycle: "), "{p:?}");
    assert!(
        p[0].contains("query/a") && p[0].contains("query/b"),
        "{p:?}"
    );
}

#[test]
fn a_folder_using_its_own_files_is_structure() {
    let tree = synthetic(&[
        (
            "http/mod.rs",
            "mod search;\nfn router() { search::handler(); }\npub struct AppState;",
        ),
        (
            "http/search.rs",
            "use super::AppState;\npub fn handler() {}",
        ),
    ]);
    assert_eq!(check(&tree, synthetic_file_of), Vec::<String>::new());
}

#[test]
fn use_trees_expand() {
    assert_eq!(
        expand_use("crate::a::{b, c::{d, e as f},\n    self}"),
        [
            "crate::a::b",
            "crate::a::c::d",
            "crate::a::c::e as f",
            "crate::a::self"
        ]
    );
}
