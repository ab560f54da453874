//! Statistics checked against brute force over `kehoach::analysis::analyze` of each
//! text of a small corpus (frequency by group, phrases, df, rates, trend, n-grams,
//! keyness, KWIC, collocates), and formulas against arithmetic written out by hand.

mod stats_fixture;

use std::collections::{BTreeMap, HashMap};

use kehoach::analysis::lexicon;
use kehoach::query::Filters;
use kehoach::stats::*;
use stats_fixture::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * (1.0 + a.abs().max(b.abs()))
}

const TERMS: &[&str] = &[
    "thi đua",
    "thi dua",
    "kế hoạch",
    "ke hoach",
    "số",
    "so",
    "nông thôn mới",
    "nong thon moi",
    "a a",
    "tỉnh",
    "không có đâu",
];

#[test]
fn frequency_by_group_equals_brute_force() {
    let f = setup();
    for &term in TERMS {
        for by in ["none", "province", "year", "month", "type", "issuer"] {
            let group_by: GroupBy = by.parse().unwrap();
            let t = f
                .stats
                .frequency(&FrequencyRequest {
                    subcorpus: Subcorpus::all(),
                    term: term.into(),
                    group_by,
                })
                .unwrap();
            let want = brute_frequency(term, by);
            let total = want.values().fold((0, 0, 0, 0), |a, v| {
                (a.0 + v.0, a.1 + v.1, a.2 + v.2, a.3 + v.3)
            });
            let r = &t.total;
            assert_eq!(
                (
                    r.occurrences,
                    r.documents,
                    r.group_documents,
                    r.group_syllables
                ),
                total,
                "{term} total"
            );
            assert!(close(
                r.rate_per_10k,
                total.0 as f64 * 10_000.0 / total.3 as f64
            ));
            if by == "none" {
                assert!(t.groups.is_empty());
                continue;
            }
            let got: BTreeMap<String, (u64, u64, u64, u64)> = t
                .groups
                .iter()
                .map(|g| {
                    (
                        g.group.clone(),
                        (
                            g.occurrences,
                            g.documents,
                            g.group_documents,
                            g.group_syllables,
                        ),
                    )
                })
                .collect();
            assert_eq!(got, want, "{term} by {by}");
            for g in &t.groups {
                assert!(close(
                    g.rate_per_10k,
                    g.occurrences as f64 * 10_000.0 / g.group_syllables as f64
                ));
            }
        }
    }
}

#[test]
fn accents_route_and_phrases_need_adjacency() {
    let f = setup();
    let occ = |term: &str| {
        f.stats
            .frequency(&FrequencyRequest {
                term: term.into(),
                ..FrequencyRequest::default()
            })
            .unwrap()
            .total
            .occurrences
    };
    // "so" (folded) counts số, sổ, sơ, Số…; "số" only số.
    assert!(occ("so") > occ("số"), "{} {}", occ("so"), occ("số"));
    assert_eq!(occ("sổ sách"), 2);
    // Overlapping phrase occurrences all count: "a a a a" holds "a a" three times.
    assert_eq!(occ("a a"), 3);
    assert_eq!(occ("a a a"), 2);
    let t = f
        .stats
        .frequency(&FrequencyRequest {
            term: "thi dua".into(),
            ..FrequencyRequest::default()
        })
        .unwrap();
    assert_eq!(t.field, "body_f");
    assert_eq!(t.syllables, ["thi", "dua"]);
}

#[test]
fn subcorpus_query_and_filters_restrict_counts() {
    let f = setup();
    let sub = Subcorpus {
        q: "khen thưởng".into(),
        filters: Filters {
            province: vec!["Đồng Tháp".into()],
            ..Filters::default()
        },
    };
    let t = f
        .stats
        .frequency(&FrequencyRequest {
            subcorpus: sub,
            term: "thi đua".into(),
            group_by: GroupBy::Province,
        })
        .unwrap();
    // Only dt-1 has "khen thưởng" in Đồng Tháp.
    let d = &DOCS[2];
    let occ = occurrences(d.2, "thi đua").len() as u64;
    assert_eq!(t.total.group_documents, 1);
    assert_eq!(t.total.occurrences, occ);
    assert_eq!(t.total.group_syllables, toks(d.2).len() as u64);
    assert_eq!(t.groups.len(), 1);
    assert_eq!(t.groups[0].group, "Đồng Tháp");
    let years = Subcorpus {
        filters: Filters {
            year: vec![2022],
            ..Filters::default()
        },
        ..Subcorpus::default()
    };
    let t = f
        .stats
        .frequency(&FrequencyRequest {
            subcorpus: years,
            term: "sổ sách".into(),
            group_by: GroupBy::None,
        })
        .unwrap();
    assert_eq!((t.total.occurrences, t.total.group_documents), (2, 2));
}

#[test]
fn trend_per_year_month_and_province() {
    let f = setup();
    let term = "thi đua";
    let t = f
        .stats
        .trend(&TrendRequest {
            term: term.into(),
            granularity: Granularity::Year,
            ..TrendRequest::default()
        })
        .unwrap();
    assert_eq!(t.granularity, Granularity::Year);
    assert_eq!(t.series.len(), 1);
    let mut want = brute_frequency(term, "year");
    let undated = want.remove("").map_or(0, |v| v.2);
    assert_eq!(t.undated_documents, undated);
    let got: BTreeMap<String, (u64, u64, u64, u64)> = t.series[0]
        .points
        .iter()
        .map(|p| {
            (
                p.period.clone(),
                (
                    p.occurrences,
                    p.documents,
                    p.period_documents,
                    p.period_syllables,
                ),
            )
        })
        .collect();
    assert_eq!(got, want);
    // dt-2 is dated by year only: auto picks years; month asked explicitly keeps it as "2022".
    let auto = f
        .stats
        .trend(&TrendRequest {
            term: term.into(),
            ..TrendRequest::default()
        })
        .unwrap();
    assert_eq!(auto.granularity, Granularity::Year);
    let months = f
        .stats
        .trend(&TrendRequest {
            term: term.into(),
            granularity: Granularity::Month,
            ..TrendRequest::default()
        })
        .unwrap();
    let periods: Vec<&str> = months.series[0]
        .points
        .iter()
        .map(|p| p.period.as_str())
        .collect();
    assert_eq!(
        periods,
        ["2019-10", "2020-01", "2021-03", "2022", "2022-06"]
    );
    let by_prov = f
        .stats
        .trend(&TrendRequest {
            term: term.into(),
            granularity: Granularity::Year,
            by_province: true,
            ..TrendRequest::default()
        })
        .unwrap();
    for s in &by_prov.series {
        let prov = s.province.clone().unwrap();
        for p in &s.points {
            let (occ, docs) = DOCS
                .iter()
                .filter(|d| d.3 == prov && d.4.starts_with(&p.period))
                .fold((0u64, 0u64), |a, d| {
                    let o = occurrences(d.2, term).len() as u64;
                    (a.0 + o, a.1 + u64::from(o > 0))
                });
            assert_eq!(
                (p.occurrences, p.documents),
                (occ, docs),
                "{prov} {}",
                p.period
            );
        }
    }
    assert_eq!(
        by_prov.series.len(),
        3,
        "Kiên Giang, Đồng Tháp, Hậu Giang (undated excluded)"
    );
}

/// Brute-force n-gram counts: (n, text) → (tf, df).
fn brute_ngrams(words: bool, n_max: usize) -> HashMap<(usize, String), (u64, u64)> {
    let lex = lexicon::get();
    let mut m: HashMap<(usize, String), (u64, u64)> = HashMap::new();
    for d in DOCS {
        let mut seen = std::collections::HashSet::new();
        for run in runs(d.2) {
            let units: Vec<String> = if words {
                stats_fixture::lexicon_words(&run, lex)
            } else {
                run
            };
            for n in 1..=n_max {
                for w in units.windows(n) {
                    let k = (n, w.join(" "));
                    let e = m.entry(k.clone()).or_default();
                    e.0 += 1;
                    if seen.insert(k) {
                        e.1 += 1;
                    }
                }
            }
        }
    }
    m
}

fn hidden(units: &[String]) -> bool {
    let stop = &lexicon::get().stopwords;
    stop.contains(&units[0])
        || stop.contains(units.last().unwrap())
        || stop.contains(&units.join(" "))
}

#[test]
fn top_ngrams_equal_brute_force_in_both_modes_with_and_without_stop_list() {
    let f = setup();
    let syllables: u64 = DOCS.iter().map(|d| toks(d.2).len() as u64).sum();
    for words in [false, true] {
        let brute = brute_ngrams(words, 4);
        // Units of each brute n-gram (to apply the stop rule on units, not syllables).
        let units_of = |n: usize, text: &str| -> Vec<String> {
            if !words {
                return text.split(' ').map(String::from).collect();
            }
            // Recompute from the documents: find the unit split of this n-gram.
            let lex = lexicon::get();
            let syl: Vec<&str> = text.split(' ').collect();
            let mut out = Vec::new();
            let mut i = 0;
            while i < syl.len() {
                let mut len = 1;
                for l in (2..=4.min(syl.len() - i)).rev() {
                    if lex.words.contains(&syl[i..i + l].join(" ")) {
                        len = l;
                        break;
                    }
                }
                out.push(syl[i..i + len].join(" "));
                i += len;
            }
            assert_eq!(out.len(), n, "{text}");
            out
        };
        for hide in [false, true] {
            let req = TopTermsRequest {
                n_min: 1,
                n_max: 4,
                limit: 10_000,
                unit: if words { Unit::Words } else { Unit::Syllables },
                hide_stopwords: hide,
                ..TopTermsRequest::default()
            };
            let t = f.stats.top_terms(&req).unwrap();
            assert_eq!(t.subcorpus_syllables, syllables);
            let got: HashMap<(usize, String), (u64, u64)> = t
                .rows
                .iter()
                .map(|r| ((r.n, r.ngram.clone()), (r.tf, r.df)))
                .collect();
            assert_eq!(got.len(), t.rows.len(), "no duplicate rows");
            let want: HashMap<(usize, String), (u64, u64)> = brute
                .iter()
                .filter(|((n, text), _)| !hide || !hidden(&units_of(*n, text)))
                .map(|(k, v)| (k.clone(), *v))
                .collect();
            assert_eq!(got, want, "words={words} hide={hide}");
            for r in &t.rows {
                assert!(close(
                    r.rate_per_10k,
                    r.tf as f64 * 10_000.0 / syllables as f64
                ));
            }
            // Order: n, then tf descending, then text.
            for w in t.rows.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                assert!(
                    (a.n, std::cmp::Reverse(a.tf), &a.ngram)
                        < (b.n, std::cmp::Reverse(b.tf), &b.ngram),
                    "{a:?} {b:?}"
                );
            }
        }
    }
    // Spot checks of the rules themselves.
    let t = f
        .stats
        .top_terms(&TopTermsRequest {
            n_min: 2,
            n_max: 2,
            limit: 10_000,
            unit: Unit::Words,
            ..TopTermsRequest::default()
        })
        .unwrap();
    assert!(
        t.rows.iter().any(|r| r.ngram == "kế hoạch thi đua"),
        "words mode joins kế hoạch, thi đua"
    );
    assert!(
        !t.rows.iter().any(|r| r.ngram.starts_with("của ")),
        "stopword-initial hidden"
    );
    let b = brute_ngrams(false, 2);
    assert!(
        !b.contains_key(&(2, "tỉnh phát".to_string())),
        "runs stop at a full stop"
    );
}

#[test]
fn top_terms_are_cached_and_limited() {
    let f = setup();
    let req = TopTermsRequest {
        n_min: 1,
        n_max: 2,
        limit: 5,
        ..TopTermsRequest::default()
    };
    let first = f.stats.top_terms(&req).unwrap();
    assert!(!first.cached);
    assert_eq!(first.rows.iter().filter(|r| r.n == 1).count(), 5);
    let second = f.stats.top_terms(&req).unwrap();
    assert!(second.cached);
    assert_eq!(first.rows, second.rows);
    let bigger = f
        .stats
        .top_terms(&TopTermsRequest {
            limit: 7,
            ..req.clone()
        })
        .unwrap();
    assert!(bigger.cached);
    assert_eq!(&bigger.rows[..5], &first.rows[..5]);
    let other = f
        .stats
        .top_terms(&TopTermsRequest {
            subcorpus: Subcorpus {
                filters: Filters {
                    province: vec!["Kiên Giang".into()],
                    ..Filters::default()
                },
                ..Subcorpus::default()
            },
            ..req
        })
        .unwrap();
    assert!(!other.cached);
    assert!(other.subcorpus_documents == 2);
}

#[test]
fn keyness_formulas_by_hand() {
    // a=10, b=20, c=1,000, d=10,000.
    // E1 = 1000·30/11000 = 2.727272…, E2 = 10000·30/11000 = 27.272727…
    // G² = 2·(10·ln(10/2.727272) + 20·ln(20/27.272727))
    //    = 2·(10·1.299283 + 20·(−0.310155)) = 2·(12.992830 − 6.203097) = 13.579466
    let want = 2.0
        * (10.0 * (10.0f64 / (30_000.0 / 11_000.0)).ln()
            + 20.0 * (20.0f64 / (300_000.0 / 11_000.0)).ln());
    assert!(close(g2(10, 20, 1_000, 10_000), want));
    assert!((g2(10, 20, 1_000, 10_000) - 13.579466).abs() < 1e-5);
    // Log ratio = log2((10/1000)/(20/10000)) = log2(0.01/0.002) = log2(5) = 2.321928
    assert!((log_ratio(10, 20, 1_000, 10_000) - 2.321928).abs() < 1e-6);
    // Zero in the reference is replaced by 0.5: log2((4/100)/(0.5/100)) = log2(8) = 3.
    assert!(close(log_ratio(4, 0, 100, 100), 3.0));
    // Equal relative frequencies: G² = 0, log ratio = 0.
    assert!(g2(5, 50, 100, 1_000).abs() < 1e-12);
    assert!(log_ratio(5, 50, 100, 1_000).abs() < 1e-12);
    // A zero cell contributes 0: a=0, b=10, c=d=100: E2 = 5, G² = 2·10·ln(2) = 13.862944.
    assert!((g2(0, 10, 100, 100) - 13.862944).abs() < 1e-6);
}

#[test]
fn keyness_counts_equal_brute_force() {
    let f = setup();
    let target = Subcorpus {
        filters: Filters {
            province: vec!["Kiên Giang".into()],
            ..Filters::default()
        },
        ..Subcorpus::default()
    };
    let k = f
        .stats
        .keyness(&KeynessRequest {
            target,
            min_freq: 1,
            limit: 10_000,
            hide_stopwords: false,
            ..KeynessRequest::default()
        })
        .unwrap();
    let in_target = |d: &&(&str, &str, &str, &str, &str, &str, &str)| d.3 == "Kiên Giang";
    let c: u64 = DOCS
        .iter()
        .filter(in_target)
        .map(|d| toks(d.2).len() as u64)
        .sum();
    let all: u64 = DOCS.iter().map(|d| toks(d.2).len() as u64).sum();
    assert_eq!((k.target_syllables, k.reference_syllables), (c, all - c));
    let mut a_cnt: HashMap<String, u64> = HashMap::new();
    let mut b_cnt: HashMap<String, u64> = HashMap::new();
    for d in DOCS {
        let m = if in_target(&d) {
            &mut a_cnt
        } else {
            &mut b_cnt
        };
        for run in runs(d.2) {
            for s in run {
                *m.entry(s).or_default() += 1;
            }
        }
    }
    let mut terms: Vec<&String> = a_cnt.keys().chain(b_cnt.keys()).collect();
    terms.sort();
    terms.dedup();
    assert_eq!(k.rows.len(), terms.len());
    for r in &k.rows {
        let a = a_cnt.get(&r.term).copied().unwrap_or(0);
        let b = b_cnt.get(&r.term).copied().unwrap_or(0);
        assert_eq!((r.target_freq, r.reference_freq), (a, b), "{}", r.term);
        assert!(close(r.g2, g2(a, b, c, all - c)));
        assert!(close(r.log_ratio, log_ratio(a, b, c, all - c)));
        let over = a as f64 / c as f64 > b as f64 / (all - c) as f64;
        assert_eq!(r.direction == Direction::Over, over, "{}", r.term);
    }
    // "nông" appears 3 times in the target, twice elsewhere: over-represented.
    let nong = k.rows.iter().find(|r| r.term == "nông").unwrap();
    assert_eq!((nong.target_freq, nong.reference_freq), (3, 2));
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "the brute-force reference is written inline beside the call it checks"
)]
fn kwic_lines_equal_brute_force_and_sort() {
    let f = setup();
    let term = "thi dua";
    let width = 12;
    let flat = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    let mut want = Vec::new();
    for d in DOCS {
        let t = toks(d.2);
        for p in occurrences(d.2, term) {
            let (s, e) = (t[p].start, t[p + 1].end);
            let left: String = {
                let chars: Vec<char> = d.2[..s].chars().collect();
                chars[chars.len().saturating_sub(width)..].iter().collect()
            };
            let right: String = d.2[e..].chars().take(width).collect();
            let lkey: Vec<&str> = t[p.saturating_sub(8)..p]
                .iter()
                .rev()
                .map(|k| k.folded.as_str())
                .collect();
            let rkey: Vec<&str> = t[p + 2..]
                .iter()
                .take(8)
                .map(|k| k.folded.as_str())
                .collect();
            want.push((
                d.0.to_string(),
                flat(&left),
                flat(&d.2[s..e]),
                flat(&right),
                lkey.join(" "),
                rkey.join(" "),
            ));
        }
    }
    let got = f
        .stats
        .concordance(&ConcordanceRequest {
            term: term.into(),
            width,
            limit: 1_000,
            ..ConcordanceRequest::default()
        })
        .unwrap();
    // Lines come in index order (segment, document, position): the same lines as
    // brute force, each document's lines in position order.
    let key = |l: &KwicLine| {
        (
            l.doc_id.clone(),
            l.left.clone(),
            l.node.clone(),
            l.right.clone(),
        )
    };
    let mut lines: Vec<_> = got.lines.iter().map(key).collect();
    let mut plain: Vec<_> = want
        .iter()
        .map(|w| (w.0.clone(), w.1.clone(), w.2.clone(), w.3.clone()))
        .collect();
    for doc in DOCS {
        let positions: Vec<u32> = got
            .lines
            .iter()
            .filter(|l| l.doc_id == doc.0)
            .map(|l| l.position)
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        let want_pos: Vec<u32> = occurrences(doc.2, term)
            .into_iter()
            .map(|p| p as u32)
            .collect();
        assert_eq!(positions, want_pos, "{}", doc.0);
    }
    lines.sort();
    plain.sort();
    assert_eq!(lines, plain);
    assert!(
        got.lines.iter().any(|l| l.node == "Thi đua"),
        "node as written"
    );
    let kg = got.lines.iter().find(|l| l.doc_id == "kg-1").unwrap();
    assert_eq!(
        (
            kg.province.as_deref(),
            kg.date.as_deref(),
            kg.title.as_str()
        ),
        (Some("Kiên Giang"), Some("2019-10-08"), "Kế hoạch thi đua")
    );
    // Offset and limit page through the same lines.
    let page = f
        .stats
        .concordance(&ConcordanceRequest {
            term: term.into(),
            width,
            offset: 3,
            limit: 4,
            ..ConcordanceRequest::default()
        })
        .unwrap();
    assert_eq!(page.lines, got.lines[3..7].to_vec());
    // Sorted: the brute-force keys of the returned lines never decrease, and ties
    // keep index order.
    let index_rank = |l: &KwicLine| got.lines.iter().position(|g| g == l).unwrap();
    for (sort, side) in [(KwicSort::Left, 4usize), (KwicSort::Right, 5)] {
        let s = f
            .stats
            .concordance(&ConcordanceRequest {
                term: term.into(),
                width,
                sort,
                limit: 1_000,
                ..ConcordanceRequest::default()
            })
            .unwrap();
        assert_eq!(s.total, Some(want.len() as u64));
        let mut sorted: Vec<_> = s.lines.iter().map(key).collect();
        sorted.sort();
        assert_eq!(sorted, plain, "{sort:?}: same lines");
        let brute_key = |l: &KwicLine| {
            let w = want
                .iter()
                .find(|w| {
                    (w.0.as_str(), w.1.as_str(), w.3.as_str())
                        == (l.doc_id.as_str(), l.left.as_str(), l.right.as_str())
                })
                .unwrap();
            if side == 4 {
                w.4.clone()
            } else {
                w.5.clone()
            }
        };
        for pair in s.lines.windows(2) {
            let (ka, kb) = (brute_key(&pair[0]), brute_key(&pair[1]));
            assert!(
                ka < kb || (ka == kb && index_rank(&pair[0]) < index_rank(&pair[1])),
                "{sort:?}: {ka:?} then {kb:?}"
            );
        }
    }
    let first_left = f
        .stats
        .concordance(&ConcordanceRequest {
            term: term.into(),
            sort: KwicSort::Left,
            limit: 1,
            ..ConcordanceRequest::default()
        })
        .unwrap();
    // The empty left key (a document starting with the node) sorts first.
    assert_eq!(first_left.lines[0].left, "");
}

#[test]
fn collocates_equal_brute_force_and_formulas() {
    let f = setup();
    let term = "thi đua";
    let window = 2;
    let mut fxy: BTreeMap<String, u64> = BTreeMap::new();
    let mut fx = 0u64;
    let mut fy_all: HashMap<String, u64> = HashMap::new();
    let mut n = 0u64;
    for d in DOCS {
        let t = toks(d.2);
        n += t.len() as u64;
        for k in &t {
            *fy_all.entry(k.text.clone()).or_default() += 1;
        }
        for p in occurrences(d.2, term) {
            fx += 1;
            let lo = p.saturating_sub(window);
            let hi = (p + 2 + window).min(t.len());
            for i in (lo..p).chain(p + 2..hi) {
                *fxy.entry(t[i].text.clone()).or_default() += 1;
            }
        }
    }
    let c = f
        .stats
        .collocates(&CollocatesRequest {
            term: term.into(),
            window,
            min_freq: 1,
            limit: 10_000,
            ..CollocatesRequest::default()
        })
        .unwrap();
    assert_eq!(c.node_frequency, fx);
    assert_eq!(c.subcorpus_syllables, n);
    let got: BTreeMap<String, u64> = c
        .rows
        .iter()
        .map(|r| (r.collocate.clone(), r.cooccurrences))
        .collect();
    assert_eq!(got, fxy);
    for r in &c.rows {
        let fy = fy_all[&r.collocate];
        assert_eq!(r.collocate_frequency, fy, "{}", r.collocate);
        assert!(close(
            r.log_dice,
            14.0 + (2.0 * r.cooccurrences as f64 / (fx + fy) as f64).log2()
        ));
        assert!(close(
            r.mi,
            (r.cooccurrences as f64 * n as f64 / (fx as f64 * fy as f64 * 4.0)).log2()
        ));
    }
    for w in c.rows.windows(2) {
        assert!(w[0].log_dice >= w[1].log_dice);
    }
    // By hand: f(xy)=4, f(x)=10, f(y)=6 → logDice = 14 + log2(8/16) = 13;
    // MI with N=1000, window 5 (span 10) = log2(4·1000/(10·6·10)) = log2(6.6667) = 2.736966.
    assert!(close(log_dice(4, 10, 6), 13.0));
    assert!((mi(4, 10, 6, 1_000, 10) - 2.736966).abs() < 1e-6);
}

/// Words mode: the window counts lexicon words (joined within runs, as the n-gram
/// tables join them), a word overlapping the node is part of it, f(y) is y's count
/// as a word and N the words of the subcorpus — all recomputed here from the texts.
#[test]
fn collocates_in_words_equal_brute_force() {
    let f = setup();
    let lex = lexicon::get();
    let term = "thi đua";
    let window = 2;
    let (mut fx, mut n) = (0u64, 0u64);
    let mut fxy: BTreeMap<String, u64> = BTreeMap::new();
    let mut fy_all: HashMap<String, u64> = HashMap::new();
    for d in DOCS {
        // Words of the document, and the word holding each syllable position.
        let (mut words, mut at) = (Vec::new(), Vec::new());
        for run in runs(d.2) {
            for w in stats_fixture::lexicon_words(&run, lex) {
                at.extend(std::iter::repeat_n(words.len(), w.split(' ').count()));
                words.push(w);
            }
        }
        n += words.len() as u64;
        for w in &words {
            *fy_all.entry(w.clone()).or_default() += 1;
        }
        for p in occurrences(d.2, term) {
            fx += 1;
            let (first, last) = (at[p], at[p + 1]);
            let lo = first.saturating_sub(window);
            let hi = (last + 1 + window).min(words.len());
            for i in (lo..first).chain(last + 1..hi) {
                *fxy.entry(words[i].clone()).or_default() += 1;
            }
        }
    }
    let c = f
        .stats
        .collocates(&CollocatesRequest {
            term: term.into(),
            window,
            min_freq: 1,
            limit: 10_000,
            unit: Unit::Words,
            ..CollocatesRequest::default()
        })
        .unwrap();
    assert_eq!(c.node_frequency, fx);
    let got: BTreeMap<String, u64> = c
        .rows
        .iter()
        .map(|r| (r.collocate.clone(), r.cooccurrences))
        .collect();
    assert_eq!(got, fxy);
    assert!(
        got.keys().any(|w| w.contains(' ')),
        "some collocate is a word of several syllables: {got:?}"
    );
    for r in &c.rows {
        let fy = fy_all[&r.collocate];
        assert_eq!(r.collocate_frequency, fy, "{}", r.collocate);
        assert!(close(
            r.mi,
            (r.cooccurrences as f64 * n as f64 / (fx as f64 * fy as f64 * 4.0)).log2()
        ));
    }
}

#[test]
fn bad_parameters_are_errors() {
    let f = setup();
    let e = f.stats.frequency(&FrequencyRequest {
        term: " ,. ".into(),
        ..FrequencyRequest::default()
    });
    assert!(
        matches!(e, Err(kehoach::Error::InvalidParameter { .. })),
        "{e:?}"
    );
    let e = f.stats.top_terms(&TopTermsRequest {
        n_min: 0,
        ..TopTermsRequest::default()
    });
    assert!(matches!(e, Err(kehoach::Error::InvalidParameter { .. })));
    let e = f.stats.collocates(&CollocatesRequest {
        term: "thi đua".into(),
        window: 0,
        ..CollocatesRequest::default()
    });
    assert!(matches!(e, Err(kehoach::Error::InvalidParameter { .. })));
    assert!("decade".parse::<GroupBy>().is_err());
}

/// `group_by=level` (issue 19): the documents of each level, as understood from
/// their headers, against the levels the understander gives each text.
#[test]
fn frequency_by_level_counts_each_level() {
    let texts = [
        "ỦY BAN MTTQ VIỆT NAM\n\nXÃ LƯƠNG MINH\n\nSố: 16/KH-MTTQ-BTT\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nLương Minh, ngày 18 tháng 11 năm 2025\n\nKẾ HOẠCH\n\nThực hiện công tác bầu cử\n\nKế hoạch thi đua của xã.",
        "ỦY BAN NHÂN DÂN\n\nTỈNH KIÊN GIANG\n\nSố: 136/KH-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nKiên Giang, ngày 13 tháng 9 năm 2019\n\nKẾ HOẠCH\n\nChuyển đổi số\n\nKế hoạch thi đua, thi đua của tỉnh.",
        "BỘ NỘI VỤ\n\nSố: 5/KH-BNV\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nHà Nội, ngày 1 tháng 3 năm 2024\n\nKẾ HOẠCH\n\nThi đua\n\nKế hoạch thi đua toàn quốc.",
        "Thi đua, không có đầu văn bản.",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("records.jsonl");
    let lines: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": i, "text": t}).to_string())
        .collect();
    std::fs::write(&corpus, lines.join("\n")).unwrap();
    let idx = tmp.path().join("index");
    kehoach::index::ingest(
        &idx,
        &[corpus],
        &kehoach::index::IngestOptions::default(),
        &kehoach::index::NoProgress,
    )
    .unwrap();
    let stats = Stats::new(std::sync::Arc::new(
        kehoach::query::Engine::open(&idx).unwrap(),
    ));
    let t = stats
        .frequency(&FrequencyRequest {
            subcorpus: Subcorpus::all(),
            term: "thi đua".into(),
            group_by: "level".parse().unwrap(),
        })
        .unwrap();
    let u = kehoach::document::Understander::new();
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for text in texts {
        *want
            .entry(u.understand(text).level.unwrap_or_default())
            .or_default() += 1;
    }
    let got: BTreeMap<String, u64> = t
        .groups
        .iter()
        .map(|g| (g.group.clone(), g.group_documents))
        .collect();
    assert_eq!(got, want);
    for level in ["xã", "tỉnh", "trung ương", ""] {
        assert_eq!(want.get(level), Some(&1), "{want:?}");
    }
}
