//! A term's rate over time: per year, or per month when the documents' dates have
//! months; optionally one series per province.

use serde::{Deserialize, Serialize};
use tantivy::Searcher;

use super::frequency::{count_by, KeyReader, Pattern};
use super::rate;
use super::subcorpus::Subcorpus;
use crate::query::Engine;
use crate::table::{Cell, CsvTable, RowSink};
use crate::Result;

/// Period of a trend.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// Months when every dated document of the subcorpus has a month, else years.
    #[default]
    Auto,
    /// Years.
    Year,
    /// Months (`YYYY-MM`); documents dated by year only are counted under `YYYY`.
    Month,
}

/// A trend request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendRequest {
    /// The subcorpus.
    #[serde(flatten)]
    pub subcorpus: Subcorpus,
    /// The term or phrase.
    pub term: String,
    /// Years or months.
    #[serde(default)]
    pub granularity: Granularity,
    /// One series per province (at the time of issue).
    #[serde(default)]
    pub by_province: bool,
}

/// One period of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// `YYYY` or `YYYY-MM`.
    pub period: String,
    /// Occurrences of the term.
    pub occurrences: u64,
    /// Documents containing the term.
    pub documents: u64,
    /// Occurrences per 10,000 syllables of the period's documents.
    pub rate_per_10k: f64,
    /// Documents of the period.
    pub period_documents: u64,
    /// Syllables of the period.
    pub period_syllables: u64,
}

/// One series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendSeries {
    /// The province (`None` for the single overall series; empty: unknown province).
    pub province: Option<String>,
    /// Every period with documents in the subcorpus (and province), in order.
    pub points: Vec<TrendPoint>,
}

/// The answer to a [`TrendRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// The term as typed.
    pub term: String,
    /// `year` or `month` (what `auto` chose).
    pub granularity: Granularity,
    /// The series.
    pub series: Vec<TrendSeries>,
    /// Documents of the subcorpus without a date (not in any point).
    pub undated_documents: u64,
}

/// Computes a trend.
pub fn trend(engine: &Engine, searcher: &Searcher, req: &TrendRequest) -> Result<Trend> {
    let pat = Pattern::new(engine, &req.term)?;
    let docs = req.subcorpus.resolve(engine, searcher)?;
    let months = match req.granularity {
        Granularity::Year => false,
        Granularity::Month => true,
        Granularity::Auto => all_dated_have_months(searcher, &docs)?,
    };
    let by_province = req.by_province;
    let (_, groups) = count_by(searcher, &docs, &pat, &mut |seg| {
        let mut period = KeyReader::period(seg, months)?;
        let mut province = if by_province {
            Some(KeyReader::new(seg, super::GroupBy::Province)?)
        } else {
            None
        };
        let (mut p, mut v) = (Vec::new(), Vec::new());
        Ok(Box::new(move |doc, out: &mut Vec<(String, String)>| {
            p.clear();
            v.clear();
            period.keys(doc, &mut p);
            match &mut province {
                Some(r) => r.keys(doc, &mut v),
                None => v.push(String::new()),
            }
            for prov in &v {
                for per in &p {
                    out.push((prov.clone(), per.clone()));
                }
            }
        }))
    })?;
    let mut series: Vec<TrendSeries> = Vec::new();
    let mut undated = 0;
    for ((prov, period), c) in groups {
        if period.is_empty() {
            undated += c.group_documents;
            continue;
        }
        let province = by_province.then(|| prov.clone());
        if series.last().is_none_or(|s| s.province != province) {
            series.push(TrendSeries {
                province,
                points: Vec::new(),
            });
        }
        if let Some(s) = series.last_mut() {
            s.points.push(TrendPoint {
                period,
                occurrences: c.occurrences,
                documents: c.documents,
                rate_per_10k: rate(c.occurrences, c.group_syllables),
                period_documents: c.group_documents,
                period_syllables: c.group_syllables,
            });
        }
    }
    Ok(Trend {
        term: pat.text,
        granularity: if months {
            Granularity::Month
        } else {
            Granularity::Year
        },
        series,
        undated_documents: undated,
    })
}

fn all_dated_have_months(searcher: &Searcher, docs: &super::DocSet) -> Result<bool> {
    let mut dated = 0u64;
    for (seg, sd) in searcher.segment_readers().iter().zip(docs.segments()) {
        let ff = seg.fast_fields();
        let year = ff.column_opt::<u64>(crate::index::schema::names::YEAR)?;
        let month = ff.column_opt::<u64>(crate::index::schema::names::MONTH)?;
        for &d in &sd.docs {
            if year.as_ref().and_then(|c| c.first(d)).is_some() {
                dated += 1;
                if month.as_ref().and_then(|c| c.first(d)).is_none() {
                    return Ok(false);
                }
            }
        }
    }
    Ok(dated > 0)
}

/// The CSV `province` of the single overall series (the JSON's `province` is
/// `null`), as the statistics page labels it.
const ALL_PROVINCES_LABEL: &str = "Tất cả";
/// The CSV `province` of the documents without a province (the JSON's `province`
/// is empty), as the statistics page labels it.
const NO_PROVINCE_LABEL: &str = "(không rõ tỉnh)";

impl CsvTable for Trend {
    fn columns(&self) -> Vec<&'static str> {
        vec![
            "term",
            "province",
            "period",
            "occurrences",
            "documents",
            "rate_per_10k",
            "period_documents",
            "period_syllables",
        ]
    }

    /// One row per series and period; the series' province labelled as on the
    /// page (`Tất cả`, `(không rõ tỉnh)`).
    fn write_rows(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        for s in &self.series {
            for p in &s.points {
                sink.row(&[
                    Cell::Text(&self.term),
                    Cell::Text(match s.province.as_deref() {
                        None => ALL_PROVINCES_LABEL,
                        Some("") => NO_PROVINCE_LABEL,
                        Some(p) => p,
                    }),
                    Cell::Text(&p.period),
                    Cell::Int(p.occurrences),
                    Cell::Int(p.documents),
                    Cell::Float(p.rate_per_10k),
                    Cell::Int(p.period_documents),
                    Cell::Int(p.period_syllables),
                ])?;
            }
        }
        Ok(())
    }
}
