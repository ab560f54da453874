//! CSV output: BOM on/off, formula-injection neutralisation, quoting, incremental
//! writing of a large table, and the `kehoach stats` CLI's `--csv --bom`.

mod common;
mod stats_fixture;

use std::io::Write;

use kehoach::stats::*;

fn csv_of(table: &dyn Fn(&mut CsvWriter<Vec<u8>>), bom: bool) -> Vec<u8> {
    let mut w = CsvWriter::new(Vec::new(), bom).unwrap();
    table(&mut w);
    w.into_inner().unwrap()
}

#[test]
fn bom_on_and_off() {
    let row = |w: &mut CsvWriter<Vec<u8>>| w.row(&[Cell::Text("kế hoạch"), Cell::Int(3)]).unwrap();
    let with = csv_of(&row, true);
    let without = csv_of(&row, false);
    assert_eq!(&with[..3], b"\xEF\xBB\xBF");
    assert_eq!(&with[3..], &without[..]);
    assert_eq!(String::from_utf8(without).unwrap(), "kế hoạch,3\r\n");
}

#[test]
fn formula_injection_is_neutralised() {
    for (cell, want) in [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("a=b", "a=b"),
        ("kế hoạch", "kế hoạch"),
    ] {
        let out = csv_of(&|w| w.row(&[Cell::Text(cell)]).unwrap(), false);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{want}\r\n"),
            "{cell:?}"
        );
    }
    // CR-initial: neutralised, then quoted because it holds a CR.
    let out = csv_of(&|w| w.row(&[Cell::Text("\rx")]).unwrap(), false);
    assert_eq!(String::from_utf8(out).unwrap(), "\"'\rx\"\r\n");
    // Numbers we compute are numbers, even negative.
    let out = csv_of(
        &|w| {
            w.row(&[Cell::Float(-2.5), Cell::Float(f64::NAN), Cell::Empty])
                .unwrap()
        },
        false,
    );
    assert_eq!(String::from_utf8(out).unwrap(), "-2.5,,\r\n");
}

#[test]
fn quoting_of_commas_quotes_and_newlines() {
    let out = csv_of(
        &|w| {
            w.row(&[
                Cell::Text("a,b"),
                Cell::Text("say \"hi\""),
                Cell::Text("two\nlines"),
                Cell::Text("plain"),
            ])
            .unwrap()
        },
        false,
    );
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\r\n"
    );
}

/// Counts what reaches the underlying writer.
struct Counting {
    bytes: usize,
    writes: usize,
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len();
        self.writes += 1;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A large table whose rows are generated on the fly, checking as it goes that
/// earlier rows already reached the writer.
struct Big<'a> {
    rows: u64,
    seen: &'a std::cell::Cell<u64>,
}

impl CsvTable for Big<'_> {
    fn columns(&self) -> Vec<&'static str> {
        vec!["n", "text"]
    }
    fn write_rows(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        for i in 0..self.rows {
            sink.row(&[Cell::Int(i), Cell::Text("kế hoạch thi đua")])?;
            self.seen.set(i + 1);
        }
        Ok(())
    }
}

#[test]
fn large_tables_are_written_incrementally() {
    let mut w = CsvWriter::new(
        Counting {
            bytes: 0,
            writes: 0,
        },
        true,
    )
    .unwrap();
    w.header(&["n", "text"]).unwrap();
    let row_bytes = "0,kế hoạch thi đua\r\n".len();
    for i in 0..10_000u64 {
        w.row(&[Cell::Int(i), Cell::Text("kế hoạch thi đua")])
            .unwrap();
        if i == 99 {
            // Before the end, the first 100 rows are already out.
            assert_eq!(w.rows(), 101);
        }
    }
    let c = w.into_inner().unwrap();
    assert!(c.writes >= 10_001, "one write per row, got {}", c.writes);
    assert!(c.bytes > 10_000 * row_bytes);
    // Through write_csv with a table that generates rows: bytes grow row by row.
    let seen = std::cell::Cell::new(0);
    let table = Big {
        rows: 5_000,
        seen: &seen,
    };
    struct Probe<'a> {
        bytes: usize,
        seen: &'a std::cell::Cell<u64>,
        max_lag: u64,
        lines: u64,
    }
    impl Write for Probe<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.bytes += buf.len();
            self.lines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
            // Rows handed out so far vs rows generated so far: never more than one behind.
            self.max_lag = self
                .max_lag
                .max(self.seen.get() + 1 - self.lines.min(self.seen.get() + 1));
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let probe = write_csv(
        &table,
        Probe {
            bytes: 0,
            seen: &seen,
            max_lag: 0,
            lines: 0,
        },
        CsvFormat::default(),
    )
    .unwrap();
    assert_eq!(probe.lines, 5_001);
    assert!(
        probe.max_lag <= 1,
        "rows were buffered: lag {}",
        probe.max_lag
    );
}

/// Reads CSV text (separator `sep`) into rows of cells.
fn cells(text: &str, sep: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(sep)
        .from_reader(text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn tables_write_their_columns_and_rows() {
    let f = stats_fixture::setup();
    let t = f
        .stats
        .frequency(&FrequencyRequest {
            term: "thi đua".into(),
            group_by: GroupBy::Province,
            ..FrequencyRequest::default()
        })
        .unwrap();
    let out = String::from_utf8(write_csv(&t, Vec::new(), CsvFormat::default()).unwrap()).unwrap();
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "term,group_by,group,occurrences,documents,rate_per_10k,group_documents,group_syllables"
    );
    assert_eq!(lines.len(), 2 + t.groups.len());
    // Groups labelled as the statistics page labels them: the total is "Tổng" and
    // the documents without a province "(không có)"; the JSON keeps "*" and "".
    assert!(lines[1].starts_with(&format!(
        "thi đua,province,Tổng,{},{}",
        t.total.occurrences, t.total.documents
    )));
    assert_eq!(t.total.group, "*");
    assert!(
        t.groups.iter().any(|g| g.group.is_empty()),
        "fixture has a document without province"
    );
    let rows = cells(&out, b',');
    for (g, row) in t.groups.iter().zip(&rows[2..]) {
        let want = if g.group.is_empty() {
            "(không có)"
        } else {
            g.group.as_str()
        };
        assert_eq!(row[2], want);
        assert_eq!(row[3], g.occurrences.to_string());
    }

    // Trend: the overall series is "Tất cả", an unknown province "(không rõ tỉnh)".
    let mut trend = f
        .stats
        .trend(&TrendRequest {
            term: "thi đua".into(),
            granularity: Granularity::Year,
            ..TrendRequest::default()
        })
        .unwrap();
    assert_eq!(trend.series.len(), 1);
    assert_eq!(trend.series[0].province, None);
    let mut unknown = trend.series[0].clone();
    unknown.province = Some(String::new());
    let mut named = trend.series[0].clone();
    named.province = Some("Cà Mau".into());
    trend.series.extend([unknown, named]);
    let out =
        String::from_utf8(write_csv(&trend, Vec::new(), CsvFormat::default()).unwrap()).unwrap();
    let n = trend.series[0].points.len();
    assert!(n > 0);
    let provinces: Vec<String> = cells(&out, b',')[1..]
        .iter()
        .map(|r| r[1].clone())
        .collect();
    let want: Vec<&str> = ["Tất cả", "(không rõ tỉnh)", "Cà Mau"]
        .iter()
        .flat_map(|p| std::iter::repeat_n(*p, n))
        .collect();
    assert_eq!(provinces, want);
}

#[test]
fn decimal_comma_tables_read_back_as_the_same_numbers() {
    let f = stats_fixture::setup();
    let t = f
        .stats
        .frequency(&FrequencyRequest {
            term: "thi đua".into(),
            group_by: GroupBy::Province,
            ..FrequencyRequest::default()
        })
        .unwrap();
    let comma = CsvFormat {
        bom: true,
        decimal: Decimal::Comma,
    };
    let out = String::from_utf8(write_csv(&t, Vec::new(), comma).unwrap()).unwrap();
    assert!(
        out.starts_with("\u{feff}term;group_by;group;occurrences;"),
        "{out}"
    );
    let rows = cells(&out, b';');
    assert_eq!(rows.len(), 2 + t.groups.len());
    for (r, row) in std::iter::once(&t.total).chain(&t.groups).zip(&rows[1..]) {
        assert_eq!(row.len(), 8, "{row:?}");
        assert!(!row[5].contains('.'), "{row:?}");
        let rate: f64 = row[5].replace(',', ".").parse().unwrap();
        assert!(
            (rate - r.rate_per_10k).abs() <= 0.00005,
            "{} vs {}",
            row[5],
            r.rate_per_10k
        );
        assert_eq!(row[4], r.documents.to_string());
    }
    assert!(
        rows[1..].iter().any(|r| r[5].contains(',')),
        "some rate has decimals: {out}"
    );
}

/// The statistics fixture ingested by the CLI into an index under `tmp`.
fn ingested(tmp: &tempfile::TempDir) -> std::path::PathBuf {
    let corpus = tmp.path().join("records.jsonl");
    std::fs::write(&corpus, stats_fixture::jsonl()).unwrap();
    let idx = tmp.path().join("index");
    let st = common::kehoach()
        .args([
            "ingest",
            corpus.to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    idx
}

#[test]
fn cli_writes_decimal_comma_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = ingested(&tmp);
    let want = stats_fixture::brute_frequency("thi dua", "year");
    let total: u64 = want.values().map(|v| v.0).sum();
    // --decimal comma: `;` between fields, `,` decimals.
    let out = common::kehoach()
        .args([
            "stats",
            "freq",
            "thi dua",
            "--by",
            "year",
            "--csv",
            "--decimal",
            "comma",
            "--index",
            idx.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("term;group_by;group;occurrences;"),
        "{text}"
    );
    let total_row = &cells(&text, b';')[1];
    assert_eq!(
        total_row[..4],
        ["thi dua", "year", "Tổng", total.to_string().as_str()]
    );
    assert!(
        total_row[5].contains(',') && !total_row[5].contains('.'),
        "{total_row:?}"
    );
}

#[test]
fn cli_writes_csv_with_bom() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = ingested(&tmp);
    let out = common::kehoach()
        .args([
            "stats",
            "freq",
            "thi dua",
            "--by",
            "year",
            "--csv",
            "--bom",
            "--index",
            idx.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(&out.stdout[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(out.stdout[3..].to_vec()).unwrap();
    let want = stats_fixture::brute_frequency("thi dua", "year");
    let total: u64 = want.values().map(|v| v.0).sum();
    assert!(
        text.starts_with("term,group_by,group,occurrences"),
        "{text}"
    );
    assert!(
        text.contains(&format!("thi dua,year,Tổng,{total},")),
        "{text}"
    );
    assert!(
        text.contains(&format!("thi dua,year,2022,{},", want["2022"].0)),
        "{text}"
    );
    // Streaming KWIC CSV and the text table work too.
    let out = common::kehoach()
        .args([
            "stats",
            "kwic",
            "nông thôn mới",
            "--csv",
            "--index",
            idx.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1 + 3, "{text}");
    let out = common::kehoach()
        .args([
            "stats",
            "top",
            "--n-max",
            "2",
            "--limit",
            "3",
            "--index",
            idx.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8(out.stdout).unwrap().contains("thi đua"));
}
