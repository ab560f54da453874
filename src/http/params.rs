//! Query-string parameters, declared once.
//!
//! Every endpoint's parameters are one Rust type that derives both
//! [`serde::Deserialize`] (what the handler receives) and [`utoipa::IntoParams`]
//! (what `/openapi.json` says). The [`Params`] extractor reads the query string
//! *through the OpenAPI declaration*: a key that is not declared is refused, a key
//! declared as a single value is refused when repeated, and every value is checked
//! against its declared schema (type, `enum`, `minimum`/`maximum`,
//! `minLength`/`maxLength`, `pattern`, `required`) before serde sees it. So the
//! description is the contract by construction: what it lists is what is accepted,
//! and nothing else is.
//!
//! ```text
//!  ?limit=5&year=2019&year=2020
//!      │  percent-decoding (invalid UTF-8 → 400 naming the key)
//!      ▼
//!  (key, value) pairs ── T::into_params() ──► declared? repeatable? schema?  (→ 400 naming the key)
//!      │
//!      ▼
//!  {"limit": 5, "year": [2019, 2020]} ── serde ──► T ── QueryParams::check ──► handler
//! ```
//!
//! Errors are [`ApiError`]s: JSON 400s with `code: invalid_parameter` and the
//! parameter's name in `parameter`.
//!
//! Parameters shared by several endpoints are their own types and are combined
//! with [`combined_params!`](crate::combined_params): the combined type flattens
//! them for serde and concatenates their declarations for OpenAPI.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, RwLock};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

use super::ApiError;

/// A type that describes (OpenAPI) and receives (serde) one endpoint's query string.
pub trait QueryParams: IntoParams + DeserializeOwned {
    /// Checks that the declaration cannot express (a value that must contain a
    /// word, one parameter against another). Runs after deserialisation.
    fn check(&self) -> Result<(), ApiError> {
        Ok(())
    }

    /// The name refusals of parameter `key` report (default: `key` itself).
    /// Parameters that only mean something together (`n_min`, `n_max`) may be
    /// reported as their pair (`n`), as the library reports them.
    fn reported_name(key: &str) -> &str {
        key
    }

    /// The declared parameters, as OpenAPI describes them.
    fn declared() -> Vec<Parameter> {
        Self::into_params(|| Some(ParameterIn::Query))
    }
}

/// Extractor: the query string read into `T` through `T`'s declaration (see the
/// module documentation); rejections are JSON 400s naming the parameter.
#[derive(Debug, Clone)]
pub struct Params<T>(pub T);

impl<S, T> FromRequestParts<S> for Params<T>
where
    S: Send + Sync,
    T: QueryParams + 'static,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parse::<T>(parts.uri.query()).map(Params)
    }
}

/// The declarations of `T`, read once per type (they never change while the
/// program runs).
fn declarations<T: QueryParams + 'static>() -> Arc<[Declared]> {
    static CACHE: LazyLock<RwLock<HashMap<TypeId, Arc<[Declared]>>>> =
        LazyLock::new(|| RwLock::new(HashMap::new()));
    let id = TypeId::of::<T>();
    if let Some(found) = CACHE.read().ok().and_then(|c| c.get(&id).cloned()) {
        return found;
    }
    let declared: Arc<[Declared]> = T::declared().iter().map(Declared::new).collect();
    if let Ok(mut cache) = CACHE.write() {
        cache.insert(id, declared.clone());
    }
    declared
}

/// Reads a raw query string (without `?`) into `T`.
pub fn parse<T: QueryParams + 'static>(query: Option<&str>) -> Result<T, ApiError> {
    let declared = declarations::<T>();
    let mut map = Map::new();
    for (key, value) in pairs(query.unwrap_or(""))? {
        let Some(d) = declared.iter().find(|d| d.name == key) else {
            let names: Vec<&str> = declared.iter().map(|d| d.name.as_str()).collect();
            return Err(ApiError::invalid(
                &key,
                format!("unknown parameter; expected one of {}", names.join(", ")),
            ));
        };
        let typed = d.value(&value).map_err(|message| {
            let shown = T::reported_name(&key);
            if shown == key {
                ApiError::invalid(&key, message)
            } else {
                ApiError::invalid(shown, format!("{key}: {message}"))
            }
        })?;
        if d.repeatable {
            match map.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
                Value::Array(items) => items.push(typed),
                other => *other = Value::Array(vec![typed]),
            }
        } else if map.insert(key.clone(), typed).is_some() {
            return Err(ApiError::invalid(
                &key,
                "given more than once; this parameter takes one value",
            ));
        }
    }
    if let Some(d) = declared
        .iter()
        .find(|d| d.required && !map.contains_key(&d.name))
    {
        return Err(ApiError::invalid(&d.name, "required"));
    }
    let params: T = serde_json::from_value(Value::Object(map))
        .map_err(|e| ApiError::invalid("query string", e.to_string()))?;
    params.check()?;
    Ok(params)
}

/// The `key=value` pairs of a query string, percent-decoded (`+` is a space),
/// repeated keys kept in order. Invalid UTF-8 is an error naming the key.
fn pairs(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    let decode = |s: &str| -> Option<String> {
        let bytes = s.replace('+', " ");
        percent_encoding::percent_decode_str(&bytes)
            .decode_utf8()
            .ok()
            .map(|c| c.into_owned())
    };
    let mut out = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let key = decode(k).ok_or_else(|| {
            ApiError::invalid(
                "query string",
                format!("a parameter name is not valid UTF-8 ({k:?})"),
            )
        })?;
        let value = decode(v)
            .ok_or_else(|| ApiError::invalid(&key, "the value is not valid UTF-8 text"))?;
        out.push((key, value));
    }
    Ok(out)
}

/// One declared parameter, read from its OpenAPI description.
struct Declared {
    name: String,
    description: String,
    required: bool,
    repeatable: bool,
    /// Schema of one value (of the items, for a repeatable parameter).
    schema: Value,
}

impl Declared {
    fn new(p: &Parameter) -> Declared {
        let schema = p
            .schema
            .as_ref()
            .and_then(|s| serde_json::to_value(s).ok())
            .unwrap_or(Value::Null);
        let repeatable = types(&schema).contains(&"array");
        let schema = if repeatable {
            schema.get("items").cloned().unwrap_or(Value::Null)
        } else {
            schema
        };
        Declared {
            name: p.name.clone(),
            description: p.description.clone().unwrap_or_default(),
            required: matches!(p.required, utoipa::openapi::Required::True),
            repeatable,
            schema,
        }
    }

    /// Checks `raw` against the schema and types it for serde; the error is a
    /// message about the value.
    fn value(&self, raw: &str) -> Result<Value, String> {
        let s = &self.schema;
        let bad = |message: String| message;
        if let Some(allowed) = s.get("enum").and_then(Value::as_array) {
            let names: Vec<String> = allowed.iter().map(scalar).collect();
            if !names.iter().any(|n| n == raw) {
                return Err(bad(format!(
                    "{raw:?} is not allowed; use {}",
                    names.join(", ")
                )));
            }
        }
        let kinds = types(s);
        let typed = if kinds.contains(&"integer") {
            let digits = raw.strip_prefix('-').unwrap_or(raw);
            let n = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| raw.parse::<i128>().ok())
                .flatten()
                .ok_or_else(|| bad(format!("{raw:?} is not a whole number")))?;
            let bound = |k: &str| s.get(k).and_then(Value::as_f64);
            if let Some(min) = bound("minimum").filter(|m| (n as f64) < *m) {
                return Err(bad(format!("{raw} is below the minimum {min}")));
            }
            if let Some(max) = bound("maximum").filter(|m| (n as f64) > *m) {
                return Err(bad(format!("{raw} is above the maximum {max}")));
            }
            serde_json::from_str::<Value>(&n.to_string()).map_err(|e| bad(e.to_string()))?
        } else if kinds.contains(&"boolean") {
            match raw {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => return Err(bad(format!("{raw:?} is not true or false"))),
            }
        } else {
            let chars = raw.chars().count();
            let length = |k: &str| s.get(k).and_then(Value::as_u64).map(|n| n as usize);
            if let Some(max) = length("maxLength").filter(|m| chars > *m) {
                return Err(bad(format!("too long ({chars} characters; at most {max})")));
            }
            if let Some(min) = length("minLength").filter(|m| chars < *m) {
                return Err(bad(format!(
                    "too short ({chars} characters; at least {min})"
                )));
            }
            if let Some(p) = s.get("pattern").and_then(Value::as_str) {
                if !matches(p, raw)? {
                    return Err(bad(format!(
                        "{raw:?} is not allowed ({})",
                        self.description.trim_end_matches('.')
                    )));
                }
            }
            Value::String(raw.to_string())
        };
        Ok(typed)
    }
}

/// The JSON Schema `type` names of a schema (`"integer"` or `["integer", "null"]`).
fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// An enum value as it appears in a query string.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Compiled patterns, by source (there are few: they come from declarations).
static PATTERNS: LazyLock<Mutex<HashMap<String, regex::Regex>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn matches(pattern: &str, text: &str) -> Result<bool, String> {
    let mut cache = PATTERNS
        .lock()
        .map_err(|_| "the pattern cache is unavailable".to_string())?;
    if let Some(re) = cache.get(pattern) {
        return Ok(re.is_match(text));
    }
    let re = regex::Regex::new(pattern).map_err(|e| format!("bad declared pattern: {e}"))?;
    let found = re.is_match(text);
    cache.insert(pattern.to_string(), re);
    Ok(found)
}

/// Implements [`IntoParams`] and [`QueryParams`] for a struct that flattens
/// parameter types: its declaration is theirs, concatenated in order.
///
/// ```ignore
/// combined_params!(TopQuery: TopParams, SubcorpusParams, OutputParams);
/// ```
#[macro_export]
macro_rules! combined_params {
    ($name:ty : $($part:ty),+) => {
        impl ::utoipa::IntoParams for $name {
            fn into_params(
                parameter_in_provider: impl Fn() -> Option<::utoipa::openapi::path::ParameterIn>,
            ) -> Vec<::utoipa::openapi::path::Parameter> {
                let mut all = Vec::new();
                $(all.extend(<$part as ::utoipa::IntoParams>::into_params(&parameter_in_provider));)+
                all
            }
        }
    };
}

/// The parameters of an endpoint that takes none: any key is refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct NoParams {}

impl IntoParams for NoParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        Vec::new()
    }
}

impl QueryParams for NoParams {}

// ---------- values shared by several endpoints ----------

/// A yes/no parameter: `1` or `true`, `0` or `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
pub enum Flag {
    /// Yes.
    #[serde(rename = "1")]
    One,
    /// No.
    #[serde(rename = "0")]
    Zero,
    /// Yes.
    #[serde(rename = "true")]
    True,
    /// No.
    #[serde(rename = "false")]
    False,
}

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        matches!(f, Flag::One | Flag::True)
    }
}

/// Reads an optional flag, `default` when absent.
pub fn flag(f: Option<Flag>, default: bool) -> bool {
    f.map_or(default, bool::from)
}

/// Answer format of the endpoints that can stream CSV.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// JSON (the default).
    #[default]
    Json,
    /// CSV (UTF-8, comma-separated, a header row), as an attachment.
    Csv,
}

/// Decimal mark of a CSV answer, and with it the field separator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    /// `.` decimals, `,` between fields: English-locale spreadsheets (the default).
    #[default]
    Point,
    /// `,` decimals, `;` between fields: Vietnamese and most European locales.
    Comma,
}

impl From<DecimalMark> for crate::table::Decimal {
    fn from(d: DecimalMark) -> Self {
        match d {
            DecimalMark::Point => crate::table::Decimal::Point,
            DecimalMark::Comma => crate::table::Decimal::Comma,
        }
    }
}

/// The pattern of `from` and `to`, which their `#[param]`s write out (attributes
/// take literals only): `YYYY` or a real calendar date `YYYY-MM-DD`, years
/// 1000–9999, 29 February only in leap years. The pattern is the whole check, so
/// the description says exactly what is accepted; the tests check that both
/// attributes are this pattern and that it accepts exactly the full dates and years
/// [`PartialDate`](crate::document::PartialDate) accepts.
#[cfg(test)]
const DATE_PATTERN: &str = concat!(
    "^[1-9][0-9]{3}$",
    "|^[1-9][0-9]{3}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])$",
    "|^[1-9][0-9]{3}-(0[469]|11)-(0[1-9]|[12][0-9]|30)$",
    "|^[1-9][0-9]{3}-02-(0[1-9]|1[0-9]|2[0-8])$",
    "|^([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29$",
);

/// The metadata filters of every endpoint that selects documents. Several values
/// of one filter are alternatives (OR); different filters must all hold (AND). An
/// empty value (a form field left empty) restricts nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct FilterParams {
    /// Province at the time of issue (accents and case optional). Repeatable.
    pub province: Vec<String>,
    /// Province after the 1 July 2025 merger. Repeatable.
    pub province_current: Vec<String>,
    /// Level of the issuer: `trung ương`, `tỉnh`, `huyện` (before 1 July 2025) or
    /// `xã` (accents and case optional). Repeatable.
    pub level: Vec<String>,
    /// Commune, ward or special zone of the issuer, with its type (`xã Lương Minh`;
    /// accents and case optional). Repeatable.
    pub commune: Vec<String>,
    /// Theme id (e.g. `chuyen_doi_so`). Repeatable.
    pub theme: Vec<String>,
    /// Document type (e.g. `Kế hoạch`). Repeatable.
    #[serde(rename = "type")]
    pub doc_type: Vec<String>,
    /// Issuing body. Repeatable.
    pub issuer: Vec<String>,
    /// Documents citing this number, any spelling (e.g. `34-CT/TW`). Repeatable.
    #[serde(rename = "ref")]
    pub refs: Vec<String>,
    /// Issued on or after: `YYYY` or `YYYY-MM-DD` (a real date).
    #[param(
        pattern = "^[1-9][0-9]{3}$|^[1-9][0-9]{3}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])$|^[1-9][0-9]{3}-(0[469]|11)-(0[1-9]|[12][0-9]|30)$|^[1-9][0-9]{3}-02-(0[1-9]|1[0-9]|2[0-8])$|^([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29$"
    )]
    pub from: Option<String>,
    /// Issued on or before: `YYYY` or `YYYY-MM-DD` (a real date).
    #[param(
        pattern = "^[1-9][0-9]{3}$|^[1-9][0-9]{3}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])$|^[1-9][0-9]{3}-(0[469]|11)-(0[1-9]|[12][0-9]|30)$|^[1-9][0-9]{3}-02-(0[1-9]|1[0-9]|2[0-8])$|^([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29$"
    )]
    pub to: Option<String>,
    /// Issue year (1000–9999). Repeatable.
    #[param(minimum = 1000, maximum = 9999)]
    pub year: Vec<u16>,
}

impl FilterParams {
    /// The library's filters (empty values dropped).
    pub fn filters(&self) -> crate::query::Filters {
        let keep = |v: &[String]| -> Vec<String> {
            v.iter().filter(|s| !s.trim().is_empty()).cloned().collect()
        };
        crate::query::Filters {
            province: keep(&self.province),
            province_current: keep(&self.province_current),
            level: keep(&self.level),
            commune: keep(&self.commune),
            theme: keep(&self.theme),
            doc_type: keep(&self.doc_type),
            issuer: keep(&self.issuer),
            refs: keep(&self.refs),
            from: self.from.clone().filter(|s| !s.trim().is_empty()),
            to: self.to.clone().filter(|s| !s.trim().is_empty()),
            year: self.year.clone(),
        }
    }
}

/// `format`, `bom` and `decimal`, for the endpoints that can answer CSV.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct OutputParams {
    /// `json` (default) or `csv` (an attachment, `text/csv; charset=utf-8`).
    #[param(inline)]
    pub format: Option<Format>,
    /// With `format=csv`: `1` starts the file with a UTF-8 byte-order mark (for spreadsheets).
    #[param(inline)]
    pub bom: Option<Flag>,
    /// With `format=csv`: `point` (default; `,` between fields, `.` decimals, for
    /// English-locale spreadsheets) or `comma` (`;` between fields, `,` decimals, for
    /// Vietnamese and most European locales). Decimals have 4 places at most.
    #[param(inline)]
    pub decimal: Option<DecimalMark>,
}

impl OutputParams {
    /// True for CSV.
    pub fn csv(&self) -> bool {
        self.format == Some(Format::Csv)
    }

    /// True when a byte-order mark is asked for.
    pub fn bom(&self) -> bool {
        flag(self.bom, false)
    }

    /// The CSV file's options: byte-order mark and number format.
    pub fn csv_format(&self) -> crate::table::CsvFormat {
        crate::table::CsvFormat {
            bom: self.bom(),
            decimal: self.decimal.unwrap_or_default().into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    struct Own {
        /// Required text.
        #[param(max_length = 5)]
        term: String,
        /// A count.
        #[param(minimum = 1, maximum = 10)]
        n: Option<usize>,
    }

    #[derive(Debug, Deserialize)]
    struct Sample {
        #[serde(flatten)]
        own: Own,
        #[serde(flatten)]
        filters: FilterParams,
        #[serde(flatten)]
        output: OutputParams,
    }
    crate::combined_params!(Sample: Own, FilterParams, OutputParams);
    impl QueryParams for Sample {}

    fn err(qs: &str) -> String {
        let e = parse::<Sample>(Some(qs)).unwrap_err();
        e.parameter().unwrap_or_default().to_string()
    }

    #[test]
    fn values_are_read_through_the_declaration() {
        let s = parse::<Sample>(Some(
            "term=ab&n=3&year=2019&year=2020&format=csv&bom=1&from=2024-02-29&decimal=comma",
        ))
        .unwrap();
        assert_eq!(
            s.output.csv_format(),
            crate::table::CsvFormat {
                bom: true,
                decimal: crate::table::Decimal::Comma
            }
        );
        let d = parse::<Sample>(Some("term=ab&format=csv")).unwrap();
        assert_eq!(d.output.csv_format(), crate::table::CsvFormat::default());
        assert_eq!(s.own.term, "ab");
        assert_eq!(s.own.n, Some(3));
        assert_eq!(s.filters.year, [2019, 2020]);
        assert!(s.output.csv() && s.output.bom());
        assert_eq!(s.filters.from.as_deref(), Some("2024-02-29"));
    }

    #[test]
    fn every_refusal_names_its_parameter() {
        for (qs, name) in [
            ("n=1", "term"),
            ("term=abcdef", "term"),
            ("term=a&n=0", "n"),
            ("term=a&n=11", "n"),
            ("term=a&n=%2B5", "n"),
            ("term=a&n=1&n=2", "n"),
            ("term=a&term=b", "term"),
            ("term=a&colour=red", "colour"),
            ("term=%C3%28", "term"),
            ("term=a&year=999", "year"),
            ("term=a&from=2020-02-30", "from"),
            ("term=a&to=2100-02-29", "to"),
            ("term=a&from=2020-13-01", "from"),
            ("term=a&format=xml", "format"),
            ("term=a&bom=yes", "bom"),
            ("term=a&decimal=Comma", "decimal"),
            ("term=a&decimal=%2C", "decimal"),
            ("term=a&decimal=comma&decimal=point", "decimal"),
        ] {
            assert_eq!(err(qs), name, "{qs}");
        }
    }

    #[test]
    fn date_bounds_are_real_dates() {
        let re = regex::Regex::new(DATE_PATTERN).unwrap();
        for ok in [
            "2020",
            "2020-02-29",
            "2000-02-29",
            "1999-12-31",
            "2024-04-30",
        ] {
            assert!(re.is_match(ok), "{ok}");
        }
        for bad in [
            "0999",
            "2020-02-30",
            "1900-02-29",
            "2100-02-29",
            "2021-02-29",
            "2020-04-31",
            "2020-1-1",
            "2020-00-10",
            "20200101",
            " 2020",
            "2020-02",
        ] {
            assert!(!re.is_match(bad), "{bad}");
        }
        // Agrees with the typed date on every day number of a few years.
        for y in [1000, 1900, 1999, 2000, 2020, 2021, 2024, 2100, 9999] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let s = format!("{y}-{m:02}-{d:02}");
                    let typed = s.parse::<crate::document::PartialDate>();
                    assert_eq!(re.is_match(&s), typed.is_ok(), "{s}");
                }
            }
        }
        for p in FilterParams::into_params(|| Some(ParameterIn::Query)) {
            if p.name == "from" || p.name == "to" {
                let v = serde_json::to_value(&p.schema).unwrap();
                assert_eq!(v["pattern"], DATE_PATTERN, "{}", p.name);
            }
        }
    }
}
