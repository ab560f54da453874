//! Streaming CSV output for every statistics table.
//!
//! * UTF-8, optional byte-order mark (spreadsheet programs need it to read UTF-8);
//! * RFC 4180 quoting: a cell containing `,`, `"`, CR or LF is quoted, quotes doubled;
//!   rows end with CRLF;
//! * **formula injection neutralised**: a text cell starting with `=`, `+`, `-`, `@`,
//!   TAB or CR gets a `'` prefix, so a spreadsheet shows it instead of evaluating it.
//!   Numeric cells (counts, rates, scores computed by kehoach) are written as numbers;
//!   only text that comes from documents or requests is neutralised;
//! * every row is written to the underlying writer as soon as it is produced (one
//!   `write_all` per row, nothing buffered until the end); wrap a socket or file in a
//!   `BufWriter` if many small writes are a concern.

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

/// A streaming CSV writer.
#[derive(Debug)]
pub struct CsvWriter<W: Write> {
    out: W,
    line: String,
    rows: u64,
}

impl<W: Write> CsvWriter<W> {
    /// A writer on `out`; writes the UTF-8 BOM first when `bom` is true.
    pub fn new(mut out: W, bom: bool) -> io::Result<Self> {
        if bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        Ok(CsvWriter {
            out,
            line: String::new(),
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
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }

    fn push_text(&mut self, text: &str) {
        let text = neutralise(text);
        if text.contains([',', '"', '\n', '\r']) {
            self.line.push('"');
            for c in text.chars() {
                if c == '"' {
                    self.line.push('"');
                }
                self.line.push(c);
            }
            self.line.push('"');
        } else {
            self.line.push_str(&text);
        }
    }
}

impl<W: Write> RowSink for CsvWriter<W> {
    fn row(&mut self, cells: &[Cell<'_>]) -> io::Result<()> {
        use std::fmt::Write as _;
        self.line.clear();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            match *cell {
                Cell::Text(t) => self.push_text(t),
                Cell::Int(n) => {
                    let _ = write!(self.line, "{n}");
                }
                Cell::Float(x) if x.is_finite() => {
                    let _ = write!(self.line, "{x}");
                }
                Cell::Float(_) | Cell::Empty => {}
            }
        }
        self.line.push_str("\r\n");
        self.out.write_all(self.line.as_bytes())?;
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
