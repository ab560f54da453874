//! The statistics view in headless Chromium, driven by its URL (`/#/stats?...`):
//! the bar and line charts are drawn in SVG and the tables show the library's
//! numbers. Screenshots go to `target/test-output/` (desktop 1280×900, phone 390×844).
//!
//! Skips with a message when Chromium is not installed.

mod browser_support;
mod http_fixture;

use std::path::Path;
use std::sync::Arc;

#[allow(unused_imports)]
use browser_support::*;
use http_fixture::{enc, Server};
use kehoach::query::Filters;
use kehoach::stats::{FrequencyRequest, Granularity, GroupBy, Stats, Subcorpus, TrendRequest};

/// The `data-n` values of a table row's cells.
fn row_numbers(row: &str) -> Vec<f64> {
    row.split("data-n=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect()
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one browser session: each step depends on the page state of the previous one"
)]
fn statistics_view_draws_charts_and_tables_from_the_url() {
    let Some(chrome) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    http_fixture::build_index(&dir, &http_fixture::corpus());
    let s = Server::start(&dir);
    let stats = Stats::new(Arc::clone(&s.engine));

    let sub = Subcorpus {
        filters: Filters {
            province: vec!["Kiên Giang".into(), "Đồng Tháp".into()],
            ..Filters::default()
        },
        ..Subcorpus::default()
    };
    let url = format!(
        "{}/#/stats?province={}&province={}&term={}&group_by=province&by_province=1",
        s.base,
        enc("Kiên Giang"),
        enc("Đồng Tháp"),
        enc("thi đua")
    );
    let dom = run_chromium(&chrome, &url, &["--dump-dom"]);

    // Frequency table: the library's numbers, total row first, one row per province.
    let want = stats
        .frequency(&FrequencyRequest {
            subcorpus: sub.clone(),
            term: "thi đua".into(),
            group_by: GroupBy::Province,
        })
        .unwrap();
    assert_eq!(want.groups.len(), 2);
    let table = between(&dom, "class=\"stats-table freq-table\"", "</table>")
        .unwrap_or_else(|| panic!("no frequency table: {dom}"));
    for (group, row) in
        std::iter::once(("*", &want.total)).chain(want.groups.iter().map(|g| (g.group.as_str(), g)))
    {
        let tr = between(table, &format!("data-group=\"{group}\""), "</tr>")
            .unwrap_or_else(|| panic!("no row for {group}: {table}"));
        let n = row_numbers(tr);
        assert_eq!(n[0], row.occurrences as f64, "{group}: {tr}");
        assert_eq!(n[1], row.documents as f64, "{group}: {tr}");
        assert_eq!(n[3], row.group_documents as f64, "{group}: {tr}");
    }

    // Bar chart: one bar per group with occurrences, lengths from the counts.
    let bars = between(&dom, "class=\"chart chart-bars\"", "</svg>").expect("bar chart");
    let values: Vec<f64> = bars
        .split("data-value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    let mut expected: Vec<f64> = want
        .groups
        .iter()
        .filter(|g| g.occurrences > 0)
        .map(|g| g.occurrences as f64)
        .collect();
    expected.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(values, expected);

    // Line chart: one polyline per province series, one point per period.
    let trend = stats
        .trend(&TrendRequest {
            subcorpus: sub,
            term: "thi đua".into(),
            by_province: true,
            granularity: Granularity::Year, // the view's default
        })
        .unwrap();
    let line = between(&dom, "class=\"chart chart-line\"", "</svg>").expect("line chart");
    assert_eq!(line.matches("<polyline").count(), trend.series.len());
    let periods: std::collections::BTreeSet<&str> = trend
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.period.as_str()))
        .collect();
    let first = between(line, "points=\"", "\"").unwrap();
    assert_eq!(first.split(' ').count(), periods.len(), "{first}");

    // The other panels rendered: n-grams, keyness, KWIC aligned on the node, collocates.
    assert!(dom.contains("class=\"stats-table top-table\""));
    assert!(dom.contains("class=\"stats-table keyness-table\""));
    let kwic = between(&dom, "class=\"stats-table kwic\"", "</table>").expect("kwic");
    assert_eq!(
        kwic.matches("<td class=\"node\">").count() as u64,
        want.total.occurrences.min(100)
    );
    assert!(dom.contains("class=\"stats-table coll-table\""));
    assert!(dom.contains("format=csv&amp;bom=1"), "CSV links");
    assert!(!dom.contains("class=\"error\""), "an error was shown");

    // From a search, the nav link carries the query and filters as the subcorpus,
    // and the query's words as the term.
    let dom = run_chromium(
        &chrome,
        &format!(
            "{}/#q={}&province={}",
            s.base,
            enc("thi đua"),
            enc("Kiên Giang")
        ),
        &["--dump-dom"],
    );
    let href = between(&dom, "id=\"nav-stats\" href=\"", "\"").expect("nav link");
    let href = href.replace("&amp;", "&");
    let params: Vec<(String, String)> =
        serde_urlencoded::from_str(href.strip_prefix("#/stats?").expect(&href)).unwrap();
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("q"), Some("thi đua"), "{href}");
    assert_eq!(get("province"), Some("Kiên Giang"), "{href}");
    assert_eq!(get("term"), Some("thi đua"), "{href}");

    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-output");
    std::fs::create_dir_all(&out).unwrap();
    screenshot(&chrome, &url, &out.join("stats-desktop.png"), (1280, 900));
    screenshot(&chrome, &url, &out.join("stats-phone.png"), (390, 844));
    // Whole page, every panel.
    screenshot(
        &chrome,
        &url,
        &out.join("stats-desktop-full.png"),
        (1280, 2200),
    );
    screenshot(
        &chrome,
        &url,
        &out.join("stats-phone-full.png"),
        (390, 4200),
    );
}
