//! Dates of documents, known to the year, the month or the day.
//!
//! A Vietnamese administrative document is dated `ngày 03 tháng 8 năm 2020`, but
//! what reaches kehoach is often less: a form left blank (`ngày … tháng 8 năm
//! 2020`), a citation dated by its year only (`Hiến pháp năm 2013`), an export
//! giving `2019`. [`PartialDate`] holds exactly what is known — a year, a year and a
//! month, or a calendar day — and refuses what is not a date (`2020-02-30`).
//!
//! It is written, read and serialised as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, so a
//! record's JSON, the stored index metadata and CSV output carry the same strings
//! as before dates were typed. Dates order by their text: `2020` < `2020-08` <
//! `2020-08-03` < `2021`.
//!
//! [`str::parse`] (the [`FromStr`] implementation) takes those three forms only;
//! [`PartialDate::parse_lenient`] also takes the day-first forms people type
//! (`3/8/2020`, `03-08-2020`) and a trailing time (`2020-08-03T00:00:00Z`).
//!
//! ```
//! use kehoach::document::PartialDate;
//!
//! let d: PartialDate = "2020-08-03".parse()?;
//! assert_eq!((d.year(), d.month(), d.day()), (2020, Some(8), Some(3)));
//! assert_eq!(d.to_string(), "2020-08-03");
//! assert!("2020-08".parse::<PartialDate>()? < d);
//!
//! // Not a day of the calendar: the error says why.
//! let e = "2020-02-30".parse::<PartialDate>().unwrap_err();
//! assert_eq!(e.to_string(), "\"2020-02-30\" is not a date: February 2020 has 29 days");
//! # Ok::<(), kehoach::document::DateError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Years a date may have (four digits).
const YEARS: std::ops::RangeInclusive<u16> = 1000..=9999;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date known to the year, the month or the day: `2020`, `2020-08`,
/// `2020-08-03`. Always valid (a day exists in its month; the year has four
/// digits); ordered as its text is; written, read and serialised as that text.
///
/// [`PartialDate::parse_lenient`] has an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a text or a triple of numbers is not a [`PartialDate`]. Its message
/// quotes the input and says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (or, for
    /// [`PartialDate::parse_lenient`], `DD/MM/YYYY`).
    #[error("{input:?} is not a date; use {expected}")]
    Format {
        /// The text given.
        input: String,
        /// The forms accepted.
        expected: &'static str,
    },
    /// The year has not four digits.
    #[error("{input:?} is not a date: the year must have four digits (1000 to 9999)")]
    Year {
        /// The text given.
        input: String,
    },
    /// The month is not 1 to 12.
    #[error("{input:?} is not a date: the month must be 01 to 12")]
    Month {
        /// The text given.
        input: String,
    },
    /// The day does not exist in its month.
    #[error("{input:?} is not a date: {month} {year} has {days} days")]
    Day {
        /// The text given.
        input: String,
        /// The month's English name.
        month: &'static str,
        /// The year.
        year: u16,
        /// Days in that month.
        days: u8,
    },
}

/// The forms [`FromStr`] accepts, for messages.
const STRICT_FORMS: &str = "YYYY-MM-DD, YYYY-MM or YYYY";
/// The forms [`PartialDate::parse_lenient`] accepts, for messages.
const LENIENT_FORMS: &str = "YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or YYYY";

/// Whether `y` is a leap year of the Gregorian calendar.
const fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Days in month `m` (1–12) of year `y`.
const fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl PartialDate {
    /// A calendar day written in the code, checked when the constant is compiled
    /// (an impossible day stops the build).
    pub(crate) const fn const_ymd(year: u16, month: u8, day: u8) -> PartialDate {
        assert!(year >= 1000 && year <= 9999, "a year of four digits");
        assert!(month >= 1 && month <= 12, "a month 1 to 12");
        assert!(
            day >= 1 && day <= days_in_month(year, month),
            "a day of the month"
        );
        PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// A date known to the year only.
    ///
    /// # Errors
    /// [`DateError::Year`] when `year` has not four digits.
    pub fn from_year(year: u16) -> Result<PartialDate, DateError> {
        Self::checked(year, None, None, || year.to_string())
    }

    /// A date known to the month.
    ///
    /// # Errors
    /// [`DateError`] when the year has not four digits or the month is not 1–12.
    pub fn from_year_month(year: u16, month: u8) -> Result<PartialDate, DateError> {
        Self::checked(year, Some(month), None, || format!("{year:04}-{month:02}"))
    }

    /// A calendar day.
    ///
    /// # Errors
    /// [`DateError`] when the day does not exist (`2020-02-30`).
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Result<PartialDate, DateError> {
        Self::checked(year, Some(month), Some(day), || {
            format!("{year:04}-{month:02}-{day:02}")
        })
    }

    fn checked(
        year: u16,
        month: Option<u8>,
        day: Option<u8>,
        input: impl Fn() -> String,
    ) -> Result<PartialDate, DateError> {
        if !YEARS.contains(&year) {
            return Err(DateError::Year { input: input() });
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateError::Month { input: input() });
            }
            if let Some(d) = day {
                let days = days_in_month(year, m);
                if d == 0 || d > days {
                    return Err(DateError::Day {
                        input: input(),
                        month: MONTH_NAMES[usize::from(m - 1)],
                        year,
                        days,
                    });
                }
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month (1–12), when known.
    pub fn month(&self) -> Option<u8> {
        self.month
    }

    /// The day of the month, when known (then the month is known too).
    pub fn day(&self) -> Option<u8> {
        self.day
    }

    /// Whether the date is a calendar day (`YYYY-MM-DD`).
    pub fn is_full(&self) -> bool {
        self.day.is_some()
    }

    /// The date reduced to its year (`2020-08-03` → `2020`).
    pub fn year_only(&self) -> PartialDate {
        PartialDate {
            year: self.year,
            month: None,
            day: None,
        }
    }

    /// The first day the date covers: `2020` → `2020-01-01`, `2020-08` → `2020-08-01`.
    pub fn first_day(&self) -> PartialDate {
        PartialDate {
            year: self.year,
            month: Some(self.month.unwrap_or(1)),
            day: Some(self.day.unwrap_or(1)),
        }
    }

    /// The last day the date covers: `2020` → `2020-12-31`, `2020-02` → `2020-02-29`.
    pub fn last_day(&self) -> PartialDate {
        let m = self.month.unwrap_or(12);
        PartialDate {
            year: self.year,
            month: Some(m),
            day: Some(self.day.unwrap_or_else(|| days_in_month(self.year, m))),
        }
    }

    /// Days from 1970-01-01 to the first day the date covers (proleptic
    /// Gregorian calendar); negative before 1970.
    ///
    /// ```
    /// use kehoach::document::PartialDate;
    ///
    /// assert_eq!("1970-01-02".parse::<PartialDate>()?.days_since_epoch(), 1);
    /// assert_eq!("2000-03".parse::<PartialDate>()?.days_since_epoch(), 11_017);
    /// # Ok::<(), kehoach::document::DateError>(())
    /// ```
    pub fn days_since_epoch(&self) -> i64 {
        days_from_civil(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Reads a date as people and exports write it: the forms of [`FromStr`],
    /// day first (`3/8/2020`, `03-08-2020`, `03.08.2020`), and with a trailing time
    /// (`2020-08-03T00:00:00Z`, `2020-08-03 10:00`). Surrounding spaces are ignored.
    ///
    /// ```
    /// use kehoach::document::PartialDate;
    ///
    /// let d = PartialDate::parse_lenient("3/8/2020")?;
    /// assert_eq!(d.to_string(), "2020-08-03");
    /// assert_eq!(PartialDate::parse_lenient("2019-10-08T00:00:00Z")?.to_string(), "2019-10-08");
    /// assert!(PartialDate::parse_lenient("31/4/2020").is_err());
    /// # Ok::<(), kehoach::document::DateError>(())
    /// ```
    ///
    /// # Errors
    /// [`DateError`] naming the input and the accepted forms.
    pub fn parse_lenient(s: &str) -> Result<PartialDate, DateError> {
        let trimmed = s.trim();
        let date = trimmed.split(['T', ' ']).next().unwrap_or(trimmed);
        let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
        let bad = || DateError::Format {
            input: s.to_string(),
            expected: LENIENT_FORMS,
        };
        let day = |y: &str, m: &str, d: &str| -> Result<PartialDate, DateError> {
            let small = |p: &str| number(p, bad).and_then(|n| u8::try_from(n).map_err(|_| bad()));
            Self::checked(number(y, bad)?, Some(small(m)?), Some(small(d)?), || {
                s.to_string()
            })
        };
        match parts.as_slice() {
            [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => day(y, m, d),
            [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => day(y, m, d),
            _ => parse_strict(date, s, LENIENT_FORMS),
        }
    }
}

/// Digits only (no sign, no spaces) as a number.
fn number(p: &str, bad: impl Fn() -> DateError) -> Result<u16, DateError> {
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    p.parse().map_err(|_| bad())
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` exactly; `input` is what errors quote.
fn parse_strict(s: &str, input: &str, expected: &'static str) -> Result<PartialDate, DateError> {
    let bad = || DateError::Format {
        input: input.to_string(),
        expected,
    };
    let mut parts = s.split('-');
    let y = parts.next().filter(|y| y.len() == 4).ok_or_else(bad)?;
    let y = number(y, bad)?;
    let two = |parts: &mut std::str::Split<'_, char>| -> Result<Option<u8>, DateError> {
        match parts.next() {
            None => Ok(None),
            Some(p) if p.len() == 2 => Ok(Some(u8::try_from(number(p, bad)?).map_err(|_| bad())?)),
            Some(_) => Err(bad()),
        }
    };
    let m = two(&mut parts)?;
    let d = two(&mut parts)?;
    if parts.next().is_some() {
        return Err(bad());
    }
    PartialDate::checked(y, m, d, || input.to_string())
}

impl FromStr for PartialDate {
    type Err = DateError;

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (two-digit month and day), the
    /// forms [`PartialDate`] is written in, and checks that the date exists.
    fn from_str(s: &str) -> Result<PartialDate, DateError> {
        parse_strict(s, s, STRICT_FORMS)
    }
}

impl fmt::Display for PartialDate {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; width and alignment apply (`{:<10}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        };
        f.pad(&text)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PartialDate, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm); the date is not checked.
fn days_from_civil(y: u16, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<PartialDate, DateError> {
        s.parse()
    }

    #[test]
    fn the_three_forms_round_trip() {
        for s in ["2020", "2020-08", "2020-08-03", "1999-12-31", "2024-02-29"] {
            assert_eq!(p(s).map(|d| d.to_string()).as_deref(), Ok(s));
        }
    }

    #[test]
    fn impossible_dates_are_refused_with_a_reason() {
        for s in [
            "2020-02-30",
            "2019-02-29",
            "2020-04-31",
            "2020-13",
            "2020-00",
            "2020-01-00",
            "999",
            "0999",
            "20200",
            "2020-8-3",
            "2020-08-03-01",
            "2020/08/03",
            "",
            "soon",
            "+202",
        ] {
            assert!(p(s).is_err(), "{s}");
        }
        assert_eq!(
            p("2020-13").unwrap_err().to_string(),
            "\"2020-13\" is not a date: the month must be 01 to 12"
        );
        assert_eq!(
            p("soon").unwrap_err().to_string(),
            "\"soon\" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY"
        );
    }

    #[test]
    fn order_is_the_order_of_the_text() {
        let mut v = [
            "2021",
            "2020-08-03",
            "2020",
            "2020-08",
            "2020-12-01",
            "2020-09",
        ];
        let mut dates: Vec<PartialDate> = v.iter().map(|s| p(s).expect("date")).collect();
        v.sort_unstable();
        dates.sort();
        let back: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(back, v);
    }

    #[test]
    fn lenient_forms() {
        let l = |s: &str| PartialDate::parse_lenient(s).map(|d| d.to_string());
        assert_eq!(l("2019-10-08").as_deref(), Ok("2019-10-08"));
        assert_eq!(l("8/10/2019").as_deref(), Ok("2019-10-08"));
        assert_eq!(l("08-10-2019").as_deref(), Ok("2019-10-08"));
        assert_eq!(l("2019-1-5").as_deref(), Ok("2019-01-05"));
        assert_eq!(l(" 2019 ").as_deref(), Ok("2019"));
        assert_eq!(l("2019-10").as_deref(), Ok("2019-10"));
        assert_eq!(l("2019-10-08T00:00:00Z").as_deref(), Ok("2019-10-08"));
        assert!(l("32/10/2019").is_err());
        assert!(l("29/02/2019").is_err());
        assert!(l("soon").is_err());
    }

    #[test]
    fn serde_is_the_text() {
        let d = p("2020-08").expect("date");
        assert_eq!(
            serde_json::to_string(&d).ok().as_deref(),
            Some("\"2020-08\"")
        );
        let back: Result<PartialDate, _> = serde_json::from_str("\"2020-08\"");
        assert_eq!(back.ok(), Some(d));
        assert!(serde_json::from_str::<PartialDate>("\"2020-02-30\"").is_err());
    }

    #[test]
    fn spans_and_epoch_days() {
        let s = |d: PartialDate| d.to_string();
        assert_eq!(
            p("2020").map(|d| s(d.last_day())).as_deref(),
            Ok("2020-12-31")
        );
        assert_eq!(
            p("2020-02").map(|d| s(d.last_day())).as_deref(),
            Ok("2020-02-29")
        );
        assert_eq!(
            p("2020-02").map(|d| s(d.first_day())).as_deref(),
            Ok("2020-02-01")
        );
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(p("2000-03-01").map(|d| d.days_since_epoch()), Ok(11_017));
    }
}
