//! Tables as CSV: every table kehoach exports (statistics, the citation graph) is written here.
//!
//! * UTF-8, optional byte-order mark (spreadsheet programs need it to read UTF-8);
//! * RFC 4180 quoting: a cell containing `,`, `"`, CR or LF is quoted, quotes doubled;
//!   rows end with CRLF;
//! * **formula injection neutralised**: a text cell starting with `=`, `+`, `-`, `@`,
//!   TAB or CR gets a `'` prefix, so a spreadsheet shows it instead of evaluating it.
//!   Numeric cells (counts, rates, scores computed by kehoach) are written as numbers;
//!   only text that comes from documents or requests is neutralised;
//! * written through the `csv` crate's [`csv::Writer`] (the guard and the numbers'
//!   format are the only things added here); every row is flushed to the underlying
//!   writer as soon as it is produced, nothing buffered until the end; wrap a socket
//!   or file in a `BufWriter` if many small writes are a concern.

use std::io::{self, Write};

/// One cell of a table row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Text (neutralised against formula injection, quoted when needed).
    Text(&'a str),
    /// An unsigned count.
    Int(u64),
    /// A real number (`NaN`/infinite written as an empty cell).
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

/// Writes `table` as CSV to `out` (header then rows), with a BOM if asked.
pub fn write_csv<T: CsvTable + ?Sized, W: Write>(table: &T, out: W, bom: bool) -> io::Result<W> {
    let mut w = CsvWriter::new(out, bom)?;
    w.header(&table.columns())?;
    table.write_rows(&mut w)?;
    w.into_inner()
}

/// Prefixes `'` to a cell that a spreadsheet would read as a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A streaming CSV writer: the `csv` crate's [`csv::Writer`] (RFC 4180 quoting,
/// CRLF line ends) with the byte-order mark and the formula guard on top.
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
    /// A writer on `out`; writes the UTF-8 BOM first when `bom` is true.
    pub fn new(mut out: W, bom: bool) -> io::Result<Self> {
        if bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let inner = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .flexible(true)
            .has_headers(false)
            .from_writer(out);
        Ok(CsvWriter {
            inner,
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
                Cell::Float(x) if x.is_finite() => {
                    let _ = write!(self.field, "{x}");
                }
                Cell::Float(_) | Cell::Empty => {}
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

    #[test]
    fn quoting_and_neutralising() {
        let mut w = CsvWriter::new(Vec::new(), false).unwrap();
        w.row(&[
            Cell::Text("a,b"),
            Cell::Text("say \"hi\""),
            Cell::Text("=1+1"),
            Cell::Float(-0.5),
            Cell::Int(3),
            Cell::Empty,
        ])
        .unwrap();
        let s = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(s, "\"a,b\",\"say \"\"hi\"\"\",'=1+1,-0.5,3,\r\n");
    }
}
