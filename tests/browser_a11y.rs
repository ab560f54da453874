//! The page on the shipped corpus (`corpus/`: what `kehoach serve` shows on a fresh
//! clone), as a person sees it and as assistive technology reads it.
//!
//! Each view — a search with its facets, a document (a Markdown export with
//! citations and related plans), the statistics of a term — is opened at desktop
//! (1366×900) and phone (390×844) widths through WebDriver, screenshotted to
//! `target/test-output/page-{view}-{size}*.png`, checked for what a reader must
//! never see (Markdown symbols, internal citation keys, folded theme slugs, single
//! syllables where the statistics promise words), and checked by axe-core
//! (vendored in `tests/browser_support/axe`, WCAG 2 A/AA and best-practice rules):
//! no violation of impact "serious" or "critical" is allowed; the others are
//! printed and written to `target/test-output/page-{view}-{size}-axe.json`.
//!
//! Skips with a message when Chromium or chromedriver is not installed; `.ci/run`
//! installs both.

mod browser_support;
mod http_fixture;

use std::path::Path;

use browser_support::output_dir;
use browser_support::webdriver::{self, Driver, SIZES};
use http_fixture::Server;
use kehoach::index::{self, IngestOptions, NoProgress};
use serde_json::Value;

const AXE: &str = include_str!("browser_support/axe/axe.min.js");

/// A Markdown export (a ministry's decision with its plan) that cites 19 documents.
const DOCUMENT: &str = "gov-docs/tnt305/0081.txt";

/// The shipped corpus, indexed, and a server over it.
fn corpus_server() -> (tempfile::TempDir, Server) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let summary = index::ingest(&dir, &[corpus], &IngestOptions::default(), &NoProgress).unwrap();
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    (tmp, Server::start(&dir))
}

/// Runs axe-core on the page; returns the violations (id, impact, help, a few
/// element selectors).
fn axe(d: &Driver) -> Vec<Value> {
    if d.script("return typeof window.axe;") != "object" {
        d.script(&format!("{AXE}\n;return null;"));
    }
    let out = d.script_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] })
           .then((r) => done(JSON.stringify(r.violations.map((v) => ({
             id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
           })))))
           .catch((e) => done('axe failed: ' + e));",
    );
    let text = out.as_str().unwrap_or_default();
    serde_json::from_str::<Vec<Value>>(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Checks axe's verdict on the view shown, keeps it and a screenshot.
fn check_accessibility(d: &Driver, name: &str) {
    let violations = axe(d);
    let out = output_dir();
    std::fs::write(
        out.join(format!("page-{name}-axe.json")),
        serde_json::to_string_pretty(&violations).unwrap(),
    )
    .unwrap();
    for v in &violations {
        println!("{name}: axe {} ({}): {}", v["id"], v["impact"], v["help"]);
    }
    let serious: Vec<&Value> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(
        serious.is_empty(),
        "{name}: serious accessibility violations: {serious:#?}"
    );
}

/// Opens `hash` at `size` and waits until `ready` (a JS expression) holds.
fn open(d: &Driver, base: &str, hash: &str, size: (u32, u32), ready: &str) {
    d.set_size(size);
    d.goto("about:blank");
    d.goto(&format!("{base}/{hash}"));
    d.wait_js(hash, ready);
}

/// Scrolls `css` to just below the sticky header and screenshots it as `file`.
fn shoot_at(d: &Driver, css: &str, file: &str) {
    d.script(&format!(
        "const e = document.querySelector({css:?}); const top = document.querySelector('header.top'); \
         if (e) window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - (top ? top.offsetHeight : 0) - 8); return null;"
    ));
    d.screenshot(&output_dir().join(file));
}

/// The visible text of the element matching `css`.
fn text_of(d: &Driver, css: &str) -> String {
    d.js_str(&format!(
        "(document.querySelector({css:?}) || {{}}).innerText || ''"
    ))
}

#[test]
fn search_view_is_accessible_and_speaks_vietnamese() {
    let Some((_p, d)) = webdriver::session() else {
        return;
    };
    let (_t, s) = corpus_server();
    let themes = ureq::get(format!("{}/api/themes", s.base))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let themes: Value = serde_json::from_str(&themes).unwrap();
    let labels: Vec<&str> = themes
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["label_vi"].as_str())
        .collect();
    assert!(labels.len() >= 20, "{themes}");
    for (size_name, size) in SIZES {
        let name = format!("search-{size_name}");
        open(&d, &s.base, "#q=quy%20ho%E1%BA%A1ch", size, "document.querySelector('#results-col').getAttribute('aria-busy') === 'false' && document.querySelectorAll('#results .hit').length > 0");
        d.screenshot(&output_dir().join(format!("page-{name}.png")));
        // Themes are shown by their Vietnamese labels, never as folded slugs.
        let shown = d.script(
            "return [...document.querySelectorAll('[data-facet=theme] .v')].map((e) => e.textContent);",
        );
        let shown: Vec<&str> = shown
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(!shown.is_empty(), "{name}: no theme facet");
        for t in &shown {
            assert!(labels.contains(t), "{name}: theme shown as {t:?}");
        }
        // Titles and snippets are text, not layout; titles are not gazette mastheads.
        let results = text_of(&d, "#results");
        for bad in ["**", "| ", "-------"] {
            assert!(!results.contains(bad), "{name}: {bad:?} in {results}");
        }
        let titles = d.script(
            "return [...document.querySelectorAll('#results .hit-title')].map((e) => e.textContent);",
        );
        for t in titles.as_array().unwrap() {
            let t = t.as_str().unwrap();
            assert!(
                !t.starts_with("CÔNG BÁO") && !t.contains('|'),
                "{name}: title {t:?}"
            );
        }
        check_accessibility(&d, &name);
    }
}

#[test]
fn document_view_is_accessible_and_reads_as_text() {
    let Some((_p, d)) = webdriver::session() else {
        return;
    };
    let (_t, s) = corpus_server();
    let hash = format!("#/doc/{}", http_fixture::enc(DOCUMENT));
    let ready = "document.querySelector('#doc-body') && document.querySelector('#related .rel-group') && document.querySelector('#doc-body a.cite-link, #doc-body .cite')";
    for (size_name, size) in SIZES {
        let name = format!("document-{size_name}");
        open(&d, &s.base, &hash, size, ready);
        d.screenshot(&output_dir().join(format!("page-{name}.png")));
        shoot_at(&d, "#related", &format!("page-{name}-related.png"));
        shoot_at(&d, "#doc-body", &format!("page-{name}-body.png"));

        // The body: no Markdown symbols, and its words in order.
        let body = text_of(&d, "#doc-body");
        assert!(body.contains("QUYẾT ĐỊNH"), "{body}");
        assert!(!body.contains("**"), "{name}: ** in the body");
        for line in body.lines() {
            let t = line.trim();
            assert!(
                !t.starts_with('|') && !t.ends_with('|') && !t.starts_with("---"),
                "{name}: layout line {line:?}"
            );
        }
        // The related lists: a heading's count equals its items unless a button
        // offers the rest; no internal key (`~…`) and no Markdown anywhere.
        let groups = d.script(
            "return [...document.querySelectorAll('#related .rel-group')].map((g) => [g.querySelector('h3').textContent, g.querySelectorAll('li').length, !!g.querySelector('.rel-more')]);",
        );
        for g in groups.as_array().unwrap() {
            let heading = g[0].as_str().unwrap();
            let count: u64 = heading
                .rsplit_once('(')
                .and_then(|(_, n)| n.trim_end_matches(')').parse().ok())
                .unwrap_or_else(|| panic!("{name}: no count in {heading:?}"));
            let items = g[1].as_u64().unwrap();
            let more = g[2].as_bool().unwrap();
            assert!(
                count == items || (more && count > items),
                "{name}: {heading} lists {items}"
            );
        }
        let related = text_of(&d, "#related");
        for bad in ["~", "**", "*Căn cứ"] {
            assert!(!related.contains(bad), "{name}: {bad:?} in {related}");
        }
        check_accessibility(&d, &name);
    }
}

#[test]
fn statistics_view_is_accessible_and_counts_words() {
    let Some((_p, d)) = webdriver::session() else {
        return;
    };
    let (_t, s) = corpus_server();
    let hash = "#/stats?q=quy%20ho%E1%BA%A1ch&term=quy%20ho%E1%BA%A1ch";
    let ready = "document.querySelectorAll('#stats-view .panel').length >= 6 && !document.querySelector('#stats-view .panel-body.loading') && [...document.querySelectorAll('#stats-view .panel-body')].every((b) => b.children.length > 0)";
    for (size_name, size) in SIZES {
        let name = format!("stats-{size_name}");
        open(&d, &s.base, hash, size, ready);
        d.screenshot(&output_dir().join(format!("page-{name}.png")));
        shoot_at(&d, "#stats-top", &format!("page-{name}-top.png"));
        shoot_at(
            &d,
            "#stats-collocates",
            &format!("page-{name}-collocates.png"),
        );
        // Words by default: the n-gram and collocate tables hold words of
        // several syllables ("quy hoạch", "kế hoạch"), not only syllables.
        for table in ["top-table", "coll-table"] {
            let firsts = d.script(&format!(
                "return [...document.querySelectorAll('.{table} tbody tr')].map((r) => r.cells[0].textContent);"
            ));
            let firsts: Vec<&str> = firsts
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert!(
                firsts.iter().any(|w| w.contains(' ')),
                "{name}: {table} holds no word of several syllables: {firsts:?}"
            );
        }
        check_accessibility(&d, &name);
    }
}
