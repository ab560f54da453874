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

/// A corpus whose years have a gap: the term in 2014 (3×), 2022 (1×), 2024 (2×) and
/// 2025 (5×), nothing in between.
fn gapped_corpus() -> Vec<http_fixture::Doc> {
    use kehoach::document::Record;
    [
        ("2014-05-01", 3),
        ("2022-03-02", 1),
        ("2024-07-08", 2),
        ("2025-01-09", 5),
    ]
    .iter()
    .enumerate()
    .map(|(i, (date, n))| http_fixture::Doc {
        id: format!("g{i}.txt"),
        record: Record {
            title: Some(format!("Kế hoạch {i}")),
            date: date.parse().ok(),
            province: Some("Kiên Giang".into()),
            text: format!("Kế hoạch. {}", "chuyển đổi số. ".repeat(*n)),
            ..Record::default()
        },
    })
    .collect()
}

#[test]
fn the_trend_chart_has_a_true_time_axis_and_opens_the_documents() {
    let Some(chrome) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    http_fixture::build_index(&dir, &gapped_corpus());
    let s = Server::start(&dir);
    let url = format!(
        "{}/#/stats?term={}&granularity=year",
        s.base,
        enc("chuyển đổi số")
    );
    let dom = run_chromium(&chrome, &url, &["--dump-dom"]);
    let line = between(&dom, "class=\"chart chart-line\"", "</svg>")
        .unwrap_or_else(|| panic!("no line chart: {dom}"));

    // Tick labels: the first and last years are always labelled; positions follow
    // time, so 2014→2022 is eight times as wide as 2024→2025.
    let ticks: Vec<(String, f64)> = line
        .split("<text x=\"")
        .skip(1)
        .filter(|t| t.contains("class=\"axis tick-x\""))
        .filter_map(|t| {
            let x: f64 = t.split('"').next()?.parse().ok()?;
            let label = t.split('>').nth(1)?.split('<').next()?.to_string();
            Some((label, x))
        })
        .collect();
    let labels: Vec<&str> = ticks.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels.first(), Some(&"2014"), "{labels:?}");
    assert_eq!(labels.last(), Some(&"2025"), "{labels:?}");
    // The points' positions follow time.
    let cx: Vec<f64> = line
        .split("<circle cx=\"")
        .skip(1)
        .filter_map(|t| t.split('"').next()?.parse().ok())
        .collect();
    assert_eq!(cx.len(), 4, "{line}");
    let ratio = (cx[1] - cx[0]) / (cx[3] - cx[2]);
    assert!(
        (ratio - 8.0).abs() < 0.05,
        "2014→2022 / 2024→2025 = {ratio}"
    );

    // The gap breaks the line: 2014 alone, then 2022 alone, then 2024–2025.
    assert_eq!(line.matches("<polyline").count(), 1, "{line}");
    assert_eq!(line.matches("<circle").count(), 4);

    // Counts get integer ticks; both axes have titles.
    let y_labels: Vec<&str> = line
        .split("text-anchor=\"end\" class=\"axis\">")
        .skip(1)
        .filter_map(|t| t.split('<').next())
        .collect();
    assert!(!y_labels.is_empty());
    assert!(
        y_labels
            .iter()
            .all(|l| l.chars().all(|c| c.is_ascii_digit() || c == '.')),
        "{y_labels:?}"
    );
    assert!(line.contains(">Năm</text>") && line.contains(">Số lần xuất hiện</text>"));
    // The scale reaches the largest value (5 in 2025): no point above the chart.
    let top_tick = y_labels
        .iter()
        .filter_map(|l| l.parse::<f64>().ok())
        .fold(0.0, f64::max);
    assert!(top_tick >= 5.0, "{y_labels:?}");

    // Every point opens the search for its year's documents with the term.
    let links: Vec<String> = line
        .split("<a href=\"")
        .skip(1)
        .filter_map(|t| Some(t.split('"').next()?.replace("&amp;", "&")))
        .collect();
    assert_eq!(links.len(), 4, "{line}");
    let params: Vec<(String, String)> =
        serde_urlencoded::from_str(links[0].strip_prefix('#').expect("a search hash")).unwrap();
    assert!(
        params.contains(&("year".into(), "2014".into())),
        "{params:?}"
    );
    assert!(
        params.contains(&("q".into(), "\"chuyển đổi số\"".into())),
        "{params:?}"
    );
    let api = http_fixture::get(
        &s.base,
        &format!("/api/search?{}", links[0].trim_start_matches('#')),
    );
    assert_eq!(
        api.json()["total"],
        1,
        "the 2014 point opens its one document"
    );

    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-output");
    std::fs::create_dir_all(&out).unwrap();
    screenshot(
        &chrome,
        &url,
        &out.join("stats-trend-gaps-desktop.png"),
        (1366, 900),
    );
    screenshot(
        &chrome,
        &url,
        &out.join("stats-trend-gaps-phone.png"),
        (390, 844),
    );
}
