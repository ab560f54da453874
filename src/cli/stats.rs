//! `kehoach stats freq|top|trend|keyness|kwic|collocates …`: corpus statistics as a
//! text table, JSON or CSV (`--csv`, `--bom`, `--decimal comma`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use kehoach::query::{Engine, Filters};
use kehoach::stats::{
    self, Cell, CollocateSort, CollocatesRequest, ConcordanceRequest, CsvTable, CsvWriter,
    FrequencyRequest, Granularity, GroupBy, KeynessRequest, KwicSort, RowSink, Stats, Subcorpus,
    TopTermsRequest, TrendRequest, Unit,
};

/// Arguments of `kehoach stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: StatsCommand,
}

/// The subcorpus and output options shared by every statistics command.
#[derive(Debug, clap::Args)]
struct Common {
    /// Index folder.
    #[arg(long, default_value = "index", global = true)]
    index: PathBuf,
    /// Search query selecting the subcorpus (empty: every document).
    #[arg(short = 'q', long = "query", default_value = "", global = true)]
    query: String,
    #[command(flatten)]
    filters: super::FilterArgs,
    /// Write CSV (UTF-8, English column names).
    #[arg(long, global = true)]
    csv: bool,
    /// Start the CSV with a byte-order mark (for spreadsheet programs).
    #[arg(long, global = true)]
    bom: bool,
    /// CSV number format: `point` (`,` between fields, `.` decimals: English-locale
    /// spreadsheets) or `comma` (`;` between fields, `,` decimals: Vietnamese and
    /// most European locales).
    #[arg(long, global = true, value_enum, default_value_t = DecimalArg::Point)]
    decimal: DecimalArg,
    /// Write JSON.
    #[arg(long, global = true, conflicts_with = "csv")]
    json: bool,
}

/// `--decimal`: the CSV's decimal mark, and with it its field separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DecimalArg {
    /// `.` decimals, `,` between fields.
    Point,
    /// `,` decimals, `;` between fields.
    Comma,
}

impl Common {
    /// The CSV file's options.
    fn csv_format(&self) -> kehoach::table::CsvFormat {
        kehoach::table::CsvFormat {
            bom: self.bom,
            decimal: match self.decimal {
                DecimalArg::Point => kehoach::table::Decimal::Point,
                DecimalArg::Comma => kehoach::table::Decimal::Comma,
            },
        }
    }

    fn subcorpus(&self) -> Subcorpus {
        Subcorpus {
            q: self.query.clone(),
            filters: self.filters.filters(),
        }
    }
}

#[derive(Debug, clap::Subcommand)]
enum StatsCommand {
    /// Occurrences, documents and rate per 10,000 syllables of a term or phrase.
    Freq {
        /// Term or phrase (without diacritics: every accented spelling).
        term: String,
        /// Group by none, province, province_current, level, year, month, theme, type or issuer.
        #[arg(long, default_value = "none")]
        by: GroupBy,
        #[command(flatten)]
        common: Common,
    },
    /// Most frequent n-grams.
    Top {
        /// Smallest n.
        #[arg(long, default_value_t = TopTermsRequest::default().n_min)]
        n_min: usize,
        /// Largest n.
        #[arg(long, default_value_t = TopTermsRequest::default().n_max)]
        n_max: usize,
        /// Rows per n (a screenful; the API's default is the library's, 100).
        #[arg(long, default_value_t = 30)]
        limit: usize,
        /// Join syllables into lexicon words.
        #[arg(long)]
        words: bool,
        /// Show n-grams starting or ending with a stopword.
        #[arg(long)]
        all: bool,
        /// Hide n-grams seen fewer times.
        #[arg(long, default_value_t = TopTermsRequest::default().min_freq)]
        min_freq: u64,
        #[command(flatten)]
        common: Common,
    },
    /// Rate of a term per year or month, optionally per province.
    Trend {
        /// Term or phrase.
        term: String,
        /// auto, year or month.
        #[arg(long, default_value = "auto", value_parser = parse_granularity)]
        period: Granularity,
        /// One series per province.
        #[arg(long)]
        by_province: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Terms over- and under-represented in the subcorpus against the rest (or a reference query).
    Keyness {
        /// Reference query (default: the rest of the corpus).
        #[arg(long)]
        ref_query: Option<String>,
        /// Reference province (repeatable).
        #[arg(long)]
        ref_province: Vec<String>,
        /// Reference year (repeatable).
        #[arg(long)]
        ref_year: Vec<u16>,
        /// n-gram size.
        #[arg(long, default_value_t = KeynessRequest::default().n)]
        n: usize,
        /// Join syllables into lexicon words.
        #[arg(long)]
        words: bool,
        /// Keep stopwords.
        #[arg(long)]
        all: bool,
        /// Smallest combined frequency.
        #[arg(long, default_value_t = KeynessRequest::default().min_freq)]
        min_freq: u64,
        /// Rows per direction.
        #[arg(long, default_value_t = 30)]
        limit: usize,
        #[command(flatten)]
        common: Common,
    },
    /// Concordance lines (keyword in context).
    Kwic {
        /// Term or phrase.
        term: String,
        /// Context width in characters.
        #[arg(long, default_value_t = 50)]
        width: usize,
        /// document, left or right.
        #[arg(long, default_value = "document", value_parser = parse_sort)]
        sort: KwicSort,
        /// Lines.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Lines to skip.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[command(flatten)]
        common: Common,
    },
    /// Collocates of a term (logDice, MI).
    Collocates {
        /// Term or phrase.
        term: String,
        /// Units (syllables, or words with --words) on each side.
        #[arg(long, default_value_t = CollocatesRequest::default().window)]
        window: usize,
        /// Count dictionary words instead of syllables.
        #[arg(long)]
        words: bool,
        /// Smallest co-occurrence count.
        #[arg(long, default_value_t = CollocatesRequest::default().min_freq)]
        min_freq: u64,
        /// Rows.
        #[arg(long, default_value_t = 30)]
        limit: usize,
        /// Rank by log_dice, mi or frequency.
        #[arg(long, default_value = "log_dice", value_parser = parse_colloc_sort)]
        sort: CollocateSort,
        #[command(flatten)]
        common: Common,
    },
}

fn parse_enum<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|e| e.to_string())
}
fn parse_granularity(s: &str) -> Result<Granularity, String> {
    parse_enum(s)
}
fn parse_sort(s: &str) -> Result<KwicSort, String> {
    parse_enum(s)
}
fn parse_colloc_sort(s: &str) -> Result<CollocateSort, String> {
    parse_enum(s)
}

/// Prints rows as an aligned text table.
#[derive(Default)]
struct TextTable {
    rows: Vec<Vec<String>>,
}

impl RowSink for TextTable {
    fn row(&mut self, cells: &[Cell<'_>]) -> std::io::Result<()> {
        self.rows.push(
            cells
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => t.to_string(),
                    Cell::Int(n) => n.to_string(),
                    Cell::Float(x) if x.is_finite() => format!("{x:.3}"),
                    Cell::Float(_) | Cell::Empty => String::new(),
                })
                .collect(),
        );
        Ok(())
    }
}

impl TextTable {
    fn print(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..cols)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for r in &self.rows {
            let line: Vec<String> = r
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}", w = *w))
                .collect();
            writeln!(out, "{}", line.join("  ").trim_end())?;
        }
        Ok(())
    }
}

fn emit<T: CsvTable + serde::Serialize>(table: &T, common: &Common) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if common.csv {
        stats::write_csv(table, &mut out, common.csv_format())?;
    } else if common.json {
        serde_json::to_writer(&mut out, table)?;
        writeln!(out)?;
    } else {
        let mut t = TextTable::default();
        t.row(
            &table
                .columns()
                .iter()
                .map(|c| Cell::Text(c))
                .collect::<Vec<_>>(),
        )?;
        table.write_rows(&mut t)?;
        t.print(&mut out)?;
    }
    out.flush()?;
    Ok(())
}

fn open(common: &Common) -> anyhow::Result<Stats> {
    Ok(Stats::new(Arc::new(Engine::open(&common.index)?)))
}

/// The reference subcorpus of `stats keyness`; `None` when no `--ref-…` option is
/// given.
fn reference(
    ref_query: Option<String>,
    ref_province: Vec<String>,
    ref_year: Vec<u16>,
) -> Option<Subcorpus> {
    (ref_query.is_some() || !ref_province.is_empty() || !ref_year.is_empty()).then(|| Subcorpus {
        q: ref_query.unwrap_or_default(),
        filters: Filters {
            province: ref_province,
            year: ref_year,
            ..Filters::default()
        },
    })
}

/// Writes the concordance of `stats kwic`: streamed CSV, JSON, or aligned text lines.
fn concordance(s: &Stats, req: &ConcordanceRequest, common: &Common) -> anyhow::Result<()> {
    if common.csv {
        // Streamed: each line is written as soon as it is found.
        let stdout = std::io::stdout();
        let mut w =
            CsvWriter::with_format(std::io::BufWriter::new(stdout.lock()), common.csv_format())?;
        w.header(stats::KwicLine::COLUMNS)?;
        s.concordance_each(req, &mut |line| {
            line.write_row(&mut w)
                .map_err(|e| kehoach::Error::io("<stdout>", e))
        })?;
        w.into_inner()?;
    } else if common.json {
        emit(&s.concordance(req)?, common)?;
    } else {
        let c = s.concordance(req)?;
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for l in &c.lines {
            writeln!(
                out,
                "{:>w$} [{}] {} [{}]  {}",
                l.left,
                l.node,
                l.right,
                l.doc_id,
                l.date.as_deref().unwrap_or(""),
                w = req.width
            )?;
        }
    }
    Ok(())
}

/// Opens the index at `common`, computes one table with `compute` and writes it.
fn table<T: CsvTable + serde::Serialize>(
    common: &Common,
    compute: impl FnOnce(&Stats) -> kehoach::Result<T>,
) -> anyhow::Result<()> {
    let s = open(common)?;
    let t = compute(&s)?;
    emit(&t, common)
}

/// Runs `kehoach stats …`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        StatsCommand::Freq { term, by, common } => table(&common, |s| {
            s.frequency(&FrequencyRequest {
                subcorpus: common.subcorpus(),
                term,
                group_by: by,
            })
        })?,
        StatsCommand::Top {
            n_min,
            n_max,
            limit,
            words,
            all,
            min_freq,
            common,
        } => table(&common, |s| {
            s.top_terms(&TopTermsRequest {
                subcorpus: common.subcorpus(),
                n_min,
                n_max,
                limit,
                unit: if words { Unit::Words } else { Unit::Syllables },
                hide_stopwords: !all,
                min_freq,
            })
        })?,
        StatsCommand::Trend {
            term,
            period,
            by_province,
            common,
        } => table(&common, |s| {
            s.trend(&TrendRequest {
                subcorpus: common.subcorpus(),
                term,
                granularity: period,
                by_province,
            })
        })?,
        StatsCommand::Keyness {
            ref_query,
            ref_province,
            ref_year,
            n,
            words,
            all,
            min_freq,
            limit,
            common,
        } => table(&common, |s| {
            s.keyness(&KeynessRequest {
                target: common.subcorpus(),
                reference: reference(ref_query, ref_province, ref_year),
                n,
                unit: if words { Unit::Words } else { Unit::Syllables },
                hide_stopwords: !all,
                min_freq,
                limit,
            })
        })?,
        StatsCommand::Kwic {
            term,
            width,
            sort,
            limit,
            offset,
            common,
        } => {
            let req = ConcordanceRequest {
                subcorpus: common.subcorpus(),
                term,
                width,
                sort,
                limit,
                offset,
            };
            concordance(&open(&common)?, &req, &common)?;
        }
        StatsCommand::Collocates {
            term,
            window,
            words,
            min_freq,
            limit,
            sort,
            common,
        } => table(&common, |s| {
            s.collocates(&CollocatesRequest {
                subcorpus: common.subcorpus(),
                term,
                window,
                min_freq,
                limit,
                sort,
                unit: if words { Unit::Words } else { Unit::Syllables },
            })
        })?,
    }
    Ok(ExitCode::SUCCESS)
}
