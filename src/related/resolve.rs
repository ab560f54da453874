//! Resolving a citation to the corpus documents it may designate (spec
//! `references.md` §2.2): a number is unique only per issuer and year (state) or
//! per term (Party), so `136/KH-UBND` recurs in every province every year. A
//! citation resolves to exactly one document only when its date, its issuer, or
//! the citing document's context (same province, issued before) leaves one
//! candidate; otherwise every candidate is listed with the reason. Never a
//! silent guess.

use serde::{Deserialize, Serialize};

use crate::analysis::fold;
use crate::document::{PartialDate, Reference};

/// What the resolver needs to know of a corpus document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocInfo {
    /// Document id.
    pub id: String,
    /// Fold key of its own number.
    pub number_fold: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Province at the time of issue.
    pub province: Option<String>,
    /// Issue date as text (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), as the HTTP graph
    /// shows it; [`DocInfo::issued`] is the date to compare.
    pub date: Option<String>,
}

impl DocInfo {
    /// The issue date, when [`DocInfo::date`] holds one.
    pub fn issued(&self) -> Option<PartialDate> {
        self.date.as_deref()?.parse().ok()
    }
}

/// How a citation resolves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Resolution {
    /// Exactly one corpus document.
    Exact {
        /// Its id.
        id: String,
        /// Why it is that one.
        reason: String,
    },
    /// Several corpus documents could be meant.
    Ambiguous {
        /// All candidates' ids.
        candidates: Vec<String>,
        /// Why no single one could be chosen.
        reason: String,
    },
    /// Not in the corpus.
    External {
        /// Why (no such number, or only other documents with the same number).
        reason: String,
    },
}

impl Resolution {
    /// The resolved id, if exact.
    pub fn exact_id(&self) -> Option<&str> {
        match self {
            Resolution::Exact { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The status of the citation edge (`exact`, `ambiguous`, `external`): the
    /// `status` tag of the resolution's JSON, and of the graph's edges.
    ///
    /// ```
    /// use kehoach::related::{EdgeStatus, Resolution};
    ///
    /// let r = Resolution::External { reason: "no document numbered 34-CT/TW".into() };
    /// assert_eq!(r.status(), EdgeStatus::External);
    /// assert_eq!(r.status().to_string(), "external");
    /// ```
    pub fn status(&self) -> EdgeStatus {
        match self {
            Resolution::Exact { .. } => EdgeStatus::Exact,
            Resolution::Ambiguous { .. } => EdgeStatus::Ambiguous,
            Resolution::External { .. } => EdgeStatus::External,
        }
    }
}

/// How a citation edge of the graph resolves: to one corpus document, to one of
/// several, or to none. Written and serialised as `exact`, `ambiguous`,
/// `external`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EdgeStatus {
    /// Exactly one corpus document ([`Resolution::Exact`]).
    Exact,
    /// Several corpus documents could be meant ([`Resolution::Ambiguous`]).
    Ambiguous,
    /// Not in the corpus ([`Resolution::External`]).
    External,
}

impl EdgeStatus {
    /// `exact`, `ambiguous` or `external`.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeStatus::Exact => "exact",
            EdgeStatus::Ambiguous => "ambiguous",
            EdgeStatus::External => "external",
        }
    }
}

impl std::fmt::Display for EdgeStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::str::FromStr for EdgeStatus {
    type Err = crate::Error;

    /// Reads `exact`, `ambiguous` or `external`.
    fn from_str(s: &str) -> crate::Result<EdgeStatus> {
        match s {
            "exact" => Ok(EdgeStatus::Exact),
            "ambiguous" => Ok(EdgeStatus::Ambiguous),
            "external" => Ok(EdgeStatus::External),
            other => Err(crate::Error::InvalidParameter {
                name: "status".into(),
                message: format!(
                    "{other:?} is not an edge status; use exact, ambiguous or external"
                ),
            }),
        }
    }
}

/// Issuer tokens of central bodies: their numbers are unique nationwide per year
/// or term, so the citing document's province says nothing about them.
pub(crate) fn is_central_key(fold_key: &str) -> bool {
    let issuer = fold_key.rsplit('/').next().unwrap_or("");
    matches!(
        issuer,
        "tw" | "ttg" | "cp" | "vpcp" | "ctn" | "vptw" | "bct" | "bcttw"
    ) || issuer.starts_with("qh")
        || issuer.starts_with("ubtvqh")
        || (issuer.len() >= 3 && issuer.starts_with('b') && !issuer.starts_with("bch"))
}

/// Whether a candidate's issuer agrees with the issuer named in the citation.
/// Names are compared folded. When the name carries a place ("Ủy ban nhân dân
/// tỉnh Kiên Giang"), the place must be the candidate's province (or be in its
/// issuer's name) and the kind of body must agree.
fn issuer_agrees(named: &str, cand: &DocInfo) -> bool {
    let named = fold(named);
    let named = named.trim();
    let Some(issuer) = cand.issuer.as_deref().map(fold) else {
        return false;
    };
    let issuer = issuer.trim();
    if issuer.is_empty() || named.is_empty() {
        return false;
    }
    if named == issuer {
        return true;
    }
    let level = [
        " tinh ",
        " thanh pho ",
        " huyen ",
        " quan ",
        " thi xa ",
        " xa ",
        " phuong ",
    ]
    .iter()
    .filter_map(|w| named.rfind(w).map(|i| (i, w.len())))
    .max();
    match level {
        Some((i, len)) => {
            let (kind, place) = (named[..i].trim(), named[i + len..].trim());
            let province = cand.province.as_deref().map(fold).unwrap_or_default();
            let place_ok = place.is_empty() || province == place || issuer.contains(place);
            let kind_ok = kind.is_empty() || issuer.starts_with(kind) || kind.starts_with(issuer);
            place_ok && kind_ok
        }
        None => named.contains(issuer) || issuer.contains(named),
    }
}

fn ids(c: &[&DocInfo]) -> Vec<String> {
    c.iter().map(|d| d.id.clone()).collect()
}

/// Resolves `r`, cited by `citing`, among `corpus` documents (any order; only
/// those with the same number fold key are considered).
///
/// The candidates are narrowed by the citation's date (or year), then its
/// issuer, then, while several remain (or the citation gives neither), by the
/// citing document's context; each step that narrows is named in the reason.
pub fn resolve<'a>(
    r: &Reference,
    citing: &DocInfo,
    corpus: impl IntoIterator<Item = &'a DocInfo>,
) -> Resolution {
    let all: Vec<&DocInfo> = corpus
        .into_iter()
        .filter(|d| d.id != citing.id && d.number_fold.as_deref() == Some(r.fold.as_str()))
        .collect();
    if all.is_empty() {
        let reason = if r.key.starts_with('~') {
            format!(
                "{} is not in the corpus",
                crate::document::references::describe_key(&r.key)
            )
        } else {
            format!("no document numbered {} in the corpus", r.key)
        };
        return Resolution::External { reason };
    }
    let mut why: Vec<String> = vec!["number".into()];
    let narrowed = by_date(r, &all, &mut why)
        .and_then(|cands| by_issuer(r, cands, &mut why))
        .and_then(|cands| {
            if cands.len() > 1 || (r.date.is_none() && r.issuer.is_none()) {
                by_context(r, citing, cands, &mut why)
            } else {
                Ok(cands)
            }
        });
    let cands = match narrowed {
        Ok(cands) => cands,
        Err(resolution) => return resolution,
    };
    match cands.as_slice() {
        [one] => Resolution::Exact {
            id: one.id.clone(),
            reason: format!("matched on {}", why.join(" + ")),
        },
        _ => Resolution::Ambiguous {
            candidates: ids(&cands),
            reason: format!(
                "{} documents numbered {} match on {}",
                cands.len(),
                r.key,
                why.join(" + ")
            ),
        },
    }
}

/// The candidates issued on the citation's date (on its year, when it gives only
/// a year); every candidate when it gives none; `External` when none is.
fn by_date<'a>(
    r: &Reference,
    all: &[&'a DocInfo],
    why: &mut Vec<String>,
) -> Result<Vec<&'a DocInfo>, Resolution> {
    let Some(date) = r.date else {
        return Ok(all.to_vec());
    };
    let full = date.is_full();
    let cands: Vec<&DocInfo> = all
        .iter()
        .copied()
        .filter(|d| {
            d.issued().is_some_and(|dd| {
                if full {
                    dd == date
                } else {
                    dd.year() == date.year()
                }
            })
        })
        .collect();
    if cands.is_empty() {
        return Err(Resolution::External {
            reason: format!(
                "{} in the corpus has another date than {date} ({})",
                r.key,
                all.iter()
                    .map(|d| d.date.as_deref().unwrap_or("undated"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    why.push(if full { "date".into() } else { "year".into() });
    Ok(cands)
}

/// The candidates whose issuer agrees with the one the citation names. When none
/// does, the citation is `External` — unless its date agreed: issuer names vary
/// too much to exclude on them alone, so the candidates stay.
fn by_issuer<'a>(
    r: &Reference,
    cands: Vec<&'a DocInfo>,
    why: &mut Vec<String>,
) -> Result<Vec<&'a DocInfo>, Resolution> {
    let Some(named) = r.issuer.as_deref() else {
        return Ok(cands);
    };
    let agreeing: Vec<&DocInfo> = cands
        .iter()
        .copied()
        .filter(|d| issuer_agrees(named, d))
        .collect();
    if !agreeing.is_empty() {
        why.push("issuer".into());
        Ok(agreeing)
    } else if r.date.is_some() {
        Ok(cands)
    } else {
        Err(Resolution::External {
            reason: format!(
                "{} in the corpus is issued by another body than {named}",
                r.key
            ),
        })
    }
}

/// Context: the candidates of the same province (for local bodies) issued no
/// later than the citing document. One left: that one; none or several:
/// `Ambiguous`.
fn by_context<'a>(
    r: &Reference,
    citing: &DocInfo,
    cands: Vec<&'a DocInfo>,
    why: &mut Vec<String>,
) -> Result<Vec<&'a DocInfo>, Resolution> {
    let central = is_central_key(&r.fold);
    let narrowed: Vec<&DocInfo> = cands
        .iter()
        .copied()
        .filter(|d| {
            let earlier = match (d.issued(), citing.issued()) {
                (Some(a), Some(b)) => a <= b,
                _ => true,
            };
            let same_place = central
                || match (d.province.as_deref(), citing.province.as_deref()) {
                    (Some(a), Some(b)) => fold(a) == fold(b),
                    _ => false,
                };
            earlier && same_place
        })
        .collect();
    match narrowed.len() {
        0 => Err(Resolution::Ambiguous {
            candidates: ids(&cands),
            reason: format!(
                "{} document(s) numbered {} but none {} and dated before the citing document",
                cands.len(),
                r.key,
                if central {
                    "fits"
                } else {
                    "of the same province"
                }
            ),
        }),
        1 => {
            why.push(if central {
                "issued before".into()
            } else {
                "same province, issued before".into()
            });
            Ok(narrowed)
        }
        _ => Err(Resolution::Ambiguous {
            candidates: ids(&narrowed),
            reason: format!(
                "{} documents numbered {} fit ({}); the citation does not say which",
                narrowed.len(),
                r.key,
                why.join(" + ")
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, num: &str, issuer: &str, province: &str, date: &str) -> DocInfo {
        DocInfo {
            id: id.into(),
            number_fold: Some(crate::document::references::fold_number(num)),
            issuer: Some(issuer.into()),
            province: Some(province.into()),
            date: Some(date.into()),
        }
    }

    fn cite(key: &str, date: Option<&str>, issuer: Option<&str>) -> Reference {
        Reference {
            key: key.into(),
            fold: crate::document::references::fold_number(key),
            date: date.and_then(|d| d.parse().ok()),
            issuer: issuer.map(String::from),
            relation: None,
            start: 0,
            end: 0,
            sentence: String::new(),
            written: String::new(),
        }
    }

    fn corpus() -> Vec<DocInfo> {
        vec![
            doc(
                "kg-2019",
                "136/KH-UBND",
                "Ủy ban nhân dân",
                "Kiên Giang",
                "2019-09-13",
            ),
            doc(
                "kg-2020",
                "136/KH-UBND",
                "Ủy ban nhân dân",
                "Kiên Giang",
                "2020-08-01",
            ),
            doc(
                "dt-2019",
                "136/KH-UBND",
                "Ủy ban nhân dân",
                "Đồng Tháp",
                "2019-07-01",
            ),
            doc("ct34", "34-CT/TW", "Bộ Chính trị", "", "2014-04-07"),
        ]
    }

    #[test]
    fn edge_statuses_serialise_as_the_resolution_tags() {
        let rs = [
            Resolution::Exact {
                id: "a".into(),
                reason: String::new(),
            },
            Resolution::Ambiguous {
                candidates: vec!["a".into()],
                reason: String::new(),
            },
            Resolution::External {
                reason: String::new(),
            },
        ];
        for r in rs {
            let tag = serde_json::to_value(&r)
                .ok()
                .and_then(|v| v["status"].as_str().map(String::from));
            let status = serde_json::to_value(r.status()).ok();
            assert_eq!(status.as_ref().and_then(|v| v.as_str()), tag.as_deref());
            assert_eq!(tag.as_deref(), Some(r.status().as_str()));
            assert_eq!(
                r.status().as_str().parse::<EdgeStatus>().ok(),
                Some(r.status())
            );
        }
    }

    #[test]
    fn date_picks_one() {
        let c = corpus();
        let citing = doc(
            "x",
            "325/KH-SCT",
            "Sở Công Thương",
            "Kiên Giang",
            "2019-10-08",
        );
        let r = resolve(&cite("136/KH-UBND", Some("2019-09-13"), None), &citing, &c);
        assert_eq!(r.exact_id(), Some("kg-2019"), "{r:?}");
    }

    #[test]
    fn issuer_with_province_picks_among_same_date_year() {
        let c = corpus();
        let citing = doc(
            "x",
            "1/KH-SCT",
            "Sở Công Thương",
            "Kiên Giang",
            "2021-01-01",
        );
        let r = resolve(
            &cite(
                "136/KH-UBND",
                Some("2019"),
                Some("Ủy ban nhân dân tỉnh Đồng Tháp"),
            ),
            &citing,
            &c,
        );
        assert_eq!(r.exact_id(), Some("dt-2019"), "{r:?}");
    }

    #[test]
    fn context_only_when_nothing_else_is_said() {
        let c = corpus();
        // Kiên Giang, cited in 2019-10: only kg-2019 precedes it in the same province.
        let citing = doc(
            "x",
            "1/KH-SCT",
            "Sở Công Thương",
            "Kiên Giang",
            "2019-10-08",
        );
        let r = resolve(&cite("136/KH-UBND", None, None), &citing, &c);
        assert_eq!(r.exact_id(), Some("kg-2019"), "{r:?}");
        // Cited in 2021: two Kiên Giang candidates precede it: ambiguous, both listed.
        let later = doc(
            "y",
            "2/KH-SCT",
            "Sở Công Thương",
            "Kiên Giang",
            "2021-01-01",
        );
        match resolve(&cite("136/KH-UBND", None, None), &later, &c) {
            Resolution::Ambiguous { candidates, .. } => {
                assert_eq!(candidates, ["kg-2019", "kg-2020"])
            }
            other => panic!("{other:?}"),
        }
        // From another province with no candidate there: ambiguous, not a guess.
        let elsewhere = doc("z", "3/KH-SCT", "Sở Công Thương", "Hậu Giang", "2021-01-01");
        assert!(matches!(
            resolve(&cite("136/KH-UBND", None, None), &elsewhere, &c),
            Resolution::Ambiguous { .. }
        ));
    }

    #[test]
    fn central_documents_ignore_province_and_misses_are_external() {
        let c = corpus();
        let citing = doc(
            "x",
            "1/KH-SCT",
            "Sở Công Thương",
            "Kiên Giang",
            "2019-10-08",
        );
        let r = resolve(&cite("34-CT/TW", None, Some("Bộ Chính trị")), &citing, &c);
        assert_eq!(r.exact_id(), Some("ct34"), "{r:?}");
        let r = resolve(&cite("34/CT-TW", None, None), &citing, &c);
        assert_eq!(
            r.exact_id(),
            Some("ct34"),
            "Party number in state shape: {r:?}"
        );
        assert!(matches!(
            resolve(&cite("1719/QĐ-TTg", None, None), &citing, &c),
            Resolution::External { .. }
        ));
        assert!(matches!(
            resolve(&cite("136/KH-UBND", Some("2018-01-01"), None), &citing, &c),
            Resolution::External { .. }
        ));
    }

    #[test]
    fn a_document_never_resolves_to_itself() {
        let c = corpus();
        let r = resolve(&cite("34-CT/TW", None, None), &c[3], &c);
        assert!(matches!(r, Resolution::External { .. }), "{r:?}");
    }
}
