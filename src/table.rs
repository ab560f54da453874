//! Tables as CSV: every table kehoach exports (statistics, the citation graph) is written here.
//!
//! * UTF-8, optional byte-order mark (spreadsheet programs need it to read UTF-8);
//! * RFC 4180 quoting: a cell containing the separator, `"`, CR or LF is quoted,
//!   quotes doubled; rows end with CRLF;
//! * two number formats, chosen by [`Decimal`] (HTTP `decimal=point|comma`, CLI
//!   `--decimal point|comma`):
//!
//!   | [`Decimal`] | separator | decimal mark | opens as numbers in          |
//!   |-------------|-----------|--------------|------------------------------|
//!   | `Point` (default) | `,` | `.`          | English-locale spreadsheets  |
//!   | `Comma`     | `;`       | `,`          | Vietnamese and most European locales (list separator `;`) |
//!
//! * **numbers**: [`Cell::Int`] is written exactly (`1234567`, no grouping);
//!   [`Cell::Float`] (rates per 10,000, logDice, MI, G², log ratio) is written in
//!   one way, by [`format_float`]: rounded to [`FLOAT_DECIMALS`] (4) decimal places,
//!   trailing zeros and a trailing decimal mark removed (`2.5`, `3`, `0.0012`),
//!   never in exponent notation (`1e-7` is `0`, `1e20` is `100000000000000000000`),
//!   a negative value that rounds to zero written `0` (never `-0`), `NaN` and
//!   infinities written as an empty cell. Four decimals keep rates per 10,000
//!   syllables meaningful down to one occurrence in 100 million syllables; the
//!   JSON answers keep the full `f64` for whoever needs more;
//! * **formula injection neutralised** ([`neutralise`]): a text cell a spreadsheet
//!   would evaluate gets a `'` prefix, so it is shown instead of evaluated.
//!   Numeric cells (counts, rates, scores computed by kehoach) are written as numbers;
//!   only text that comes from documents or requests is neutralised;
//! * written through the `csv` crate's [`csv::Writer`] (the guard and the numbers'
//!   format are the only things added here); every row is flushed to the underlying
//!   writer as soon as it is produced, nothing buffered until the end; wrap a socket
//!   or file in a `BufWriter` if many small writes are a concern.
//!
//! # Which text cells are neutralised, and why
//!
//! What the two spreadsheets do with a CSV field, by its first character:
//!
//! * **LibreOffice Calc** (tried: 7.4.7, `soffice --headless --convert-to fods`,
//!   default CSV import and with "Evaluate formulas" on and off) evaluates only a
//!   field starting with `=` (`=1+1` became the number 2, `=cmd|' /C calc'!A0` a
//!   formula; with "Evaluate formulas" off, neither). Every other case below,
//!   `-2+3`, `- SUM(1;2)`, `@SUM(1;2)`, `+84 912 345 678`, `- Tăng cường công tác`
//!   included, was imported as text. A leading `'` is *not* removed on import:
//!   Calc shows it.
//! * **Excel** (not available here; what follows is its documented formula entry
//!   and public reports, e.g. OWASP "CSV Injection", jasperreports issue 329
//!   "text starting with dash shows #NAME?") reads a field starting with `=`, `+`,
//!   `-` or `@` as a formula, as if typed. `-2+3` becomes 1; `-1+1|cmd…` and
//!   `=cmd|' /C calc'!A0` are DDE calls. A list item such as `- Tăng cường công tác`
//!   is a well-formed formula too — unary minus applied to the intersection (the
//!   space operator) of the names `Tăng`, `cường`, `công`, `tác` — and shows as
//!   `#NAME?`: the text is lost. No payload can run from it, but it *is* evaluated,
//!   so it keeps its `'`, which only costs a visible apostrophe in Calc.
//!
//! Hence the rule: a cell is neutralised when it starts with `=`, `+`, `-`, `@`
//! (or their full-width forms `＝＋－＠`, a precaution: whether a spreadsheet
//! evaluates them was not established), TAB, CR or LF — **except** a cell that is a lone `+`
//! or `-` (spaces after it allowed), the placeholder tables use for "nothing":
//! an operator without an operand is no expression, there is nothing to compute
//! or call (Calc: text).
//!
//! | cell                       | written                      | why |
//! |----------------------------|------------------------------|-----|
//! | `=1+1`                     | `'=1+1`                      | a formula in both |
//! | `@SUM(1;2)`                | `'@SUM(1;2)`                 | Excel: a formula (`@` is implicit intersection) |
//! | `+84 912 345 678`          | `'+84 912 345 678`           | Excel: read as a formula (a phone number is no number) |
//! | `-2+3`                     | `'-2+3`                      | Excel: computes 1 |
//! | `- Tăng cường công tác`    | `'- Tăng cường công tác`     | Excel: a formula (`#NAME?`) |
//! | `-`, `+`, `- `             | unchanged                    | no operand: nothing to evaluate |
//! | TAB, CR or LF first        | `'` prefixed                 | OWASP: some programs drop the whitespace and evaluate what follows |
//! | `=cmd\|' /C calc'!A0`      | `'=cmd\|' /C calc'!A0`       | DDE: runs a program in Excel |
//! | `-1+1\|cmd…`               | `'-1+1\|cmd…`                | DDE behind a sign |
//! | `a=b`, `kế hoạch`, `'=1+1` | unchanged                   | not a formula start |
//! | ` =1+1` (space first)      | unchanged                    | Calc: text (tried); Excel: a space is not a formula start (not tried) |

use std::io::{self, Write};

/// One cell of a table row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Text (neutralised against formula injection, quoted when needed).
    Text(&'a str),
    /// An unsigned count.
    Int(u64),
    /// A real number, written by [`format_float`] (`NaN`/infinite: an empty cell).
    Float(f64),
    /// No value.
    Empty,
}

/// Receives table rows one by one: the CSV writer, or a text-table printer.
pub trait RowSink {
    /// Writes one row.
    fn row(&mut self, cells: &[Cell<'_>]) -> io::Result<()>;
}

/// A table that can be written as CSV: English snake_case column names and rows.
pub trait CsvTable {
    /// Column names.
    fn columns(&self) -> Vec<&'static str>;
    /// Streams every row to `sink`.
    fn write_rows(&self, sink: &mut dyn RowSink) -> io::Result<()>;
}

/// How numbers and fields are separated: which spreadsheet locale reads the CSV
/// as numbers (see the module documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Decimal {
    /// `,` between fields, `.` as the decimal mark (English locales).
    #[default]
    Point,
    /// `;` between fields, `,` as the decimal mark (Vietnamese, most European locales).
    Comma,
}

impl Decimal {
    /// The field separator that goes with this decimal mark.
    pub fn separator(self) -> u8 {
        match self {
            Decimal::Point => b',',
            Decimal::Comma => b';',
        }
    }

    /// The decimal mark.
    pub fn mark(self) -> char {
        match self {
            Decimal::Point => '.',
            Decimal::Comma => ',',
        }
    }
}

/// The options of a CSV file: byte-order mark and number format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CsvFormat {
    /// Start with a UTF-8 byte-order mark (spreadsheet programs need it to read UTF-8).
    pub bom: bool,
    /// Decimal mark, and with it the field separator.
    pub decimal: Decimal,
}

/// Decimal places of a [`Cell::Float`] in CSV (see [`format_float`]).
pub const FLOAT_DECIMALS: usize = 4;

/// A real number as a CSV cell: [`FLOAT_DECIMALS`] decimal places, trailing zeros
/// and a trailing decimal mark removed, never exponent notation, `-0` written `0`,
/// `decimal`'s mark; `None` for `NaN` and infinities (an empty cell).
///
/// ```
/// use kehoach::table::{format_float, Decimal};
///
/// assert_eq!(format_float(1.9077067377817345, Decimal::Point).as_deref(), Some("1.9077"));
/// assert_eq!(format_float(1.9077067377817345, Decimal::Comma).as_deref(), Some("1,9077"));
/// assert_eq!(format_float(2.5, Decimal::Point).as_deref(), Some("2.5"));
/// assert_eq!(format_float(-0.00001, Decimal::Point).as_deref(), Some("0"));
/// assert_eq!(format_float(f64::NAN, Decimal::Point), None);
/// ```
pub fn format_float(x: f64, decimal: Decimal) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let mut s = format!("{x:.FLOAT_DECIMALS$}");
    if s.contains('.') {
        let kept = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(kept);
    }
    if s == "-0" {
        s.remove(0);
    }
    if decimal == Decimal::Comma {
        s = s.replace('.', ",");
    }
    Some(s)
}

/// Writes `table` as CSV to `out` (header then rows) in `format`.
pub fn write_csv<T: CsvTable + ?Sized, W: Write>(
    table: &T,
    out: W,
    format: CsvFormat,
) -> io::Result<W> {
    let mut w = CsvWriter::with_format(out, format)?;
    w.header(&table.columns())?;
    table.write_rows(&mut w)?;
    w.into_inner()
}

/// True when a spreadsheet would evaluate `cell` (see the module documentation
/// for the cases and the evidence).
pub fn is_formula_like(cell: &str) -> bool {
    let mut chars = cell.chars();
    match chars.next() {
        Some('=' | '@' | '\t' | '\r' | '\n' | '\u{ff1d}' | '\u{ff20}') => true,
        // A lone sign (a "nothing" placeholder) has no operand to evaluate.
        Some('+' | '-' | '\u{ff0b}' | '\u{ff0d}') => {
            !chars.as_str().trim_start_matches(' ').is_empty()
        }
        _ => false,
    }
}

/// Prefixes `'` to a cell that a spreadsheet would evaluate ([`is_formula_like`]).
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if is_formula_like(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The `csv` crate's writer as every CSV here is written.
fn builder(decimal: Decimal) -> csv::WriterBuilder {
    let mut b = csv::WriterBuilder::new();
    b.delimiter(decimal.separator())
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .flexible(true)
        .has_headers(false);
    b
}

/// A streaming CSV writer: the `csv` crate's [`csv::Writer`] (RFC 4180 quoting,
/// CRLF line ends) with the byte-order mark, the number format and the formula
/// guard on top.
///
/// ```
/// use kehoach::table::{Cell, CsvWriter, RowSink};
///
/// let mut w = CsvWriter::new(Vec::new(), true)?;
/// w.header(&["term", "count"])?;
/// w.row(&[Cell::Text("=HYPERLINK(\"x\")"), Cell::Int(3)])?;
/// w.row(&[Cell::Text("chuyển đổi số, 2025"), Cell::Float(1.5)])?;
/// let csv = String::from_utf8(w.into_inner()?).expect("UTF-8");
/// assert_eq!(
///     csv,
///     "\u{feff}term,count\r\n\"'=HYPERLINK(\"\"x\"\")\",3\r\n\"chuyển đổi số, 2025\",1.5\r\n"
/// );
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
    decimal: Decimal,
    field: String,
    rows: u64,
}

impl<W: Write> std::fmt::Debug for CsvWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvWriter")
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl<W: Write> CsvWriter<W> {
    /// A writer on `out` in the default format (`,` and `.`); writes the UTF-8
    /// BOM first when `bom` is true.
    pub fn new(out: W, bom: bool) -> io::Result<Self> {
        Self::with_format(
            out,
            CsvFormat {
                bom,
                ..CsvFormat::default()
            },
        )
    }

    /// A writer on `out` in `format`; writes the UTF-8 BOM first when asked.
    pub fn with_format(mut out: W, format: CsvFormat) -> io::Result<Self> {
        if format.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        Ok(CsvWriter {
            inner: builder(format.decimal).from_writer(out),
            decimal: format.decimal,
            field: String::new(),
            rows: 0,
        })
    }

    /// Writes the header row.
    pub fn header(&mut self, names: &[&str]) -> io::Result<()> {
        let cells: Vec<Cell<'_>> = names.iter().map(|n| Cell::Text(n)).collect();
        self.row(&cells)
    }

    /// Rows written so far (header included).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: Write> RowSink for CsvWriter<W> {
    /// Writes one row and flushes it to the underlying writer, so a response or
    /// file receives every row as soon as it is produced.
    fn row(&mut self, cells: &[Cell<'_>]) -> io::Result<()> {
        use std::fmt::Write as _;
        for cell in cells {
            self.field.clear();
            match *cell {
                Cell::Text(t) => {
                    self.inner.write_field(neutralise(t).as_bytes())?;
                    continue;
                }
                Cell::Int(n) => {
                    let _ = write!(self.field, "{n}");
                }
                Cell::Float(x) => {
                    if let Some(s) = format_float(x, self.decimal) {
                        self.field.push_str(&s);
                    }
                }
                Cell::Empty => {}
            }
            self.inner.write_field(self.field.as_bytes())?;
        }
        self.inner.write_record(None::<&[u8]>)?;
        self.inner.flush()?;
        self.rows += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(format: CsvFormat, cells: &[Cell<'_>]) -> String {
        let mut w = CsvWriter::with_format(Vec::new(), format).unwrap();
        w.row(cells).unwrap();
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn quoting_and_neutralising() {
        let s = csv(
            CsvFormat::default(),
            &[
                Cell::Text("a,b"),
                Cell::Text("say \"hi\""),
                Cell::Text("=1+1"),
                Cell::Float(-0.5),
                Cell::Int(3),
                Cell::Empty,
            ],
        );
        assert_eq!(s, "\"a,b\",\"say \"\"hi\"\"\",'=1+1,-0.5,3,\r\n");
    }

    /// Every case of the module documentation's table.
    #[test]
    fn neutralised_exactly_when_a_spreadsheet_would_evaluate() {
        let cases: &[(&str, bool)] = &[
            ("=1+1", true),
            ("@SUM(1;2)", true),
            ("@x", true),
            ("+84 912 345 678", true),
            ("+1", true),
            ("-1", true),
            ("-2+3", true),
            ("- Tăng cường công tác quản lý", true),
            ("+ Tăng cường", true),
            ("-Kế hoạch", true),
            ("- SUM(1;2)", true),
            ("=cmd|' /C calc'!A0", true),
            ("-1+1|cmd|' /C calc'!A0", true),
            ("\t=1+1", true),
            ("\tx", true),
            ("\rx", true),
            ("\n=1+1", true),
            ("\u{ff1d}1+1", true),
            ("\u{ff0d} Tăng cường", true),
            ("\u{ff20}SUM(1)", true),
            ("-", false),
            ("+", false),
            ("- ", false),
            ("\u{ff0d}", false),
            ("", false),
            (" =1+1", false),
            ("a=b", false),
            ("kế hoạch", false),
            ("'=1+1", false),
            ("1.5", false),
        ];
        for &(cell, evaluated) in cases {
            assert_eq!(is_formula_like(cell), evaluated, "{cell:?}");
            let want = if evaluated {
                format!("'{cell}")
            } else {
                cell.to_string()
            };
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn floats_have_four_decimals_without_trailing_zeros_or_exponents() {
        for (x, point, comma) in [
            (1.9077067377817345, "1.9077", "1,9077"),
            (2.5, "2.5", "2,5"),
            (3.0, "3", "3"),
            (0.0, "0", "0"),
            (-0.0, "0", "0"),
            (-0.00004, "0", "0"),
            (-0.5, "-0.5", "-0,5"),
            (0.00005, "0.0001", "0,0001"),
            (0.00012345, "0.0001", "0,0001"),
            (1e-7, "0", "0"),
            (1e20, "100000000000000000000", "100000000000000000000"),
            (-12345.67891, "-12345.6789", "-12345,6789"),
            (99.99996, "100", "100"),
            (10.0, "10", "10"),
        ] {
            assert_eq!(
                format_float(x, Decimal::Point).as_deref(),
                Some(point),
                "{x}"
            );
            assert_eq!(
                format_float(x, Decimal::Comma).as_deref(),
                Some(comma),
                "{x}"
            );
        }
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(format_float(x, Decimal::Point), None, "{x}");
        }
    }

    #[test]
    fn decimal_comma_separates_with_semicolons() {
        let comma = CsvFormat {
            bom: true,
            decimal: Decimal::Comma,
        };
        let s = csv(
            comma,
            &[
                Cell::Text("a;b"),
                Cell::Text("a,b"),
                Cell::Float(1.25),
                Cell::Float(-0.0),
                Cell::Int(1_234_567),
                Cell::Float(f64::NAN),
                Cell::Text("=1+1"),
            ],
        );
        assert_eq!(s, "\u{feff}\"a;b\";a,b;1,25;0;1234567;;'=1+1\r\n");
        let s = csv(
            CsvFormat::default(),
            &[Cell::Text("a;b"), Cell::Float(1.25), Cell::Int(1_234_567)],
        );
        assert_eq!(s, "a;b,1.25,1234567\r\n");
    }
}
