//! Abbreviations and what they stand for, applied to a query's syllables.
//!
//! The table is `data/abbreviations.tsv`, embedded in the binary and parsed once.
//! It works in both directions: the abbreviation finds its expansion (`UBND` →
//! "ủy ban nhân dân") and the expansion finds the abbreviation ("ủy ban nhân dân"
//! → `UBND`). Both sides are analysed with
//! [`syllables`], exactly like a query, so case, tone placement and punctuation do
//! not matter (`KT-XH` is the two syllables `kt xh`).
//!
//! A query typed with diacritics is matched on the accented form (`HĐND`,
//! `uỷ ban nhân dân`), one typed without any on the folded form (`hdnd`,
//! `uy ban nhan dan`), in keeping with the accent routing of [`super::build`].
//! Matches are leftmost-longest and do not overlap. A lookup is one hash probe per
//! query syllable, keyed on the syllable, plus a comparison of the few entries
//! starting with it.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::syllables::{syllables, Syllable};

/// The shipped table: `abbreviation<TAB>expansion<TAB>note`, `#` comments.
const TABLE: &str = include_str!("../../data/abbreviations.tsv");

/// One expansion of part of a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Expansion {
    /// First query syllable covered.
    #[serde(skip)]
    #[schema(ignore)]
    pub start: usize,
    /// How many query syllables are covered.
    #[serde(skip)]
    #[schema(ignore)]
    pub len: usize,
    /// The covered syllables as typed (accented canonical form, joined by spaces).
    pub from: String,
    /// What it was expanded to, each as display text (e.g. "ủy ban nhân dân").
    pub to: Vec<String>,
    /// The alternatives as syllables (accented, folded), in the order of `to`.
    #[serde(skip)]
    #[schema(ignore)]
    pub alternatives: Vec<Vec<(String, String)>>,
}

/// Expansions for a query's syllables (leftmost-longest, non-overlapping).
/// `accented`: the query has diacritics, so match on the accented form (else on the
/// folded form).
pub fn find(syllables: &[(String, String)], accented: bool) -> Vec<Expansion> {
    let table = &*TABLE_INDEX;
    let index = if accented {
        &table.accented
    } else {
        &table.folded
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < syllables.len() {
        let rest = &syllables[i..];
        let rule = index
            .by_first
            .get(form(&rest[0], accented))
            .and_then(|rules| {
                // Longest first: the first rule that matches is the longest one.
                rules.iter().find(|r| {
                    r.key.len() <= rest.len()
                        && r.key.iter().zip(rest).all(|(k, s)| k == form(s, accented))
                })
            });
        match rule {
            Some(rule) => {
                let len = rule.key.len();
                let targets = rule.targets.iter().map(|&t| &table.sides[t]);
                out.push(Expansion {
                    start: i,
                    len,
                    from: join_accented(&rest[..len]),
                    to: targets.clone().map(|s| s.text.clone()).collect(),
                    alternatives: targets.map(|s| s.syllables.clone()).collect(),
                });
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// The form of a syllable that a query is matched on.
fn form(s: &Syllable, accented: bool) -> &str {
    if accented {
        &s.0
    } else {
        &s.1
    }
}

fn join_accented(syls: &[Syllable]) -> String {
    syls.iter()
        .map(|s| s.0.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    abbreviation: String,
    expansion: String,
    note: String,
}

/// Parses the table: its entries and a message for every malformed line (with its
/// number). Comment (`#`) and blank lines are skipped.
fn parse(text: &str) -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            [a, e] | [a, e, _] if !a.trim().is_empty() && !e.trim().is_empty() => {
                entries.push(Entry {
                    abbreviation: a.trim().to_string(),
                    expansion: e.trim().to_string(),
                    note: fields.get(2).map_or("", |s| s.trim()).to_string(),
                })
            }
            _ => errors.push(format!(
                "data/abbreviations.tsv line {}: expected abbreviation<TAB>expansion[<TAB>note], got {line:?}",
                n + 1
            )),
        }
    }
    (entries, errors)
}

/// A side of an entry (abbreviation or expansion): display text and syllables.
#[derive(Debug)]
struct Side {
    text: String,
    syllables: Vec<Syllable>,
}

/// A syllable sequence to look for and the sides it expands to.
#[derive(Debug)]
struct Rule {
    key: Vec<String>,
    targets: Vec<usize>,
}

/// The rules of one matching form, by the first syllable of their key, longest
/// key first.
#[derive(Debug, Default)]
struct Index {
    by_first: HashMap<String, Vec<Rule>>,
}

impl Index {
    fn build(entries: &[(usize, usize)], sides: &[Side], accented: bool) -> Index {
        let key = |side: usize| -> Vec<String> {
            sides[side]
                .syllables
                .iter()
                .map(|s| form(s, accented).to_string())
                .collect()
        };
        // Rules in table order, so that targets keep the order of the table.
        let mut rules: Vec<Rule> = Vec::new();
        let mut by_key: HashMap<Vec<String>, usize> = HashMap::new();
        let mut add = |from: usize, to: usize| {
            let (from_key, to_key) = (key(from), key(to));
            if from_key == to_key {
                return;
            }
            let r = *by_key.entry(from_key.clone()).or_insert_with(|| {
                rules.push(Rule {
                    key: from_key,
                    targets: Vec::new(),
                });
                rules.len() - 1
            });
            // Two spellings that look the same in this form (HĐND, HDND folded)
            // are one alternative.
            if !rules[r].targets.iter().any(|&t| key(t) == to_key) {
                rules[r].targets.push(to);
            }
        };
        for &(abbreviation, expansion) in entries {
            add(abbreviation, expansion);
            add(expansion, abbreviation);
        }
        let mut index = Index::default();
        for rule in rules {
            index
                .by_first
                .entry(rule.key[0].clone())
                .or_default()
                .push(rule);
        }
        for rules in index.by_first.values_mut() {
            rules.sort_by_key(|r| std::cmp::Reverse(r.key.len()));
        }
        index
    }
}

/// The parsed table, indexed both ways and in both forms.
#[derive(Debug)]
struct Table {
    sides: Vec<Side>,
    accented: Index,
    folded: Index,
}

impl Table {
    fn build(entries: &[Entry]) -> Table {
        let mut sides: Vec<Side> = Vec::new();
        let mut side_of: HashMap<String, usize> = HashMap::new();
        let mut side = |text: &str| -> Option<usize> {
            if let Some(&i) = side_of.get(text) {
                return Some(i);
            }
            let syllables = syllables(text);
            if syllables.is_empty() {
                return None;
            }
            sides.push(Side {
                text: text.to_string(),
                syllables,
            });
            side_of.insert(text.to_string(), sides.len() - 1);
            Some(sides.len() - 1)
        };
        let pairs: Vec<(usize, usize)> = entries
            .iter()
            .filter_map(|e| Some((side(&e.abbreviation)?, side(&e.expansion)?)))
            .collect();
        Table {
            accented: Index::build(&pairs, &sides, true),
            folded: Index::build(&pairs, &sides, false),
            sides,
        }
    }
}

/// The table, parsed on first use. Malformed lines are left out here and reported
/// by the tests.
static TABLE_INDEX: LazyLock<Table> = LazyLock::new(|| Table::build(&parse(TABLE).0));

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn expand(query: &str) -> Vec<Expansion> {
        find(&syllables(query), crate::analysis::has_diacritics(query))
    }

    fn summary(query: &str) -> Vec<(usize, usize, String, Vec<String>)> {
        expand(query)
            .into_iter()
            .map(|e| (e.start, e.len, e.from, e.to))
            .collect()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn table_is_well_formed() {
        let (entries, errors) = parse(TABLE);
        if !errors.is_empty() {
            panic!("malformed lines:\n{}", errors.join("\n"));
        }
        let mut seen = HashSet::new();
        for e in &entries {
            let pair = (e.abbreviation.as_str(), e.expansion.as_str());
            assert!(seen.insert(pair), "duplicate entry {pair:?}");
            assert_eq!(
                e.expansion,
                e.expansion.trim(),
                "stray spaces in {:?}",
                e.expansion
            );
            assert!(
                !e.note.contains('\t'),
                "a fourth column in the entry for {}",
                e.abbreviation
            );
        }
        assert!(entries.len() >= 80, "only {} entries", entries.len());
    }

    #[test]
    fn malformed_lines_are_reported() {
        let (entries, errors) =
            parse("# c\n\nUBND\tủy ban nhân dân\nNTM\nA\t\tx\nB\tb\tn\textra\n");
        assert_eq!(entries.len(), 1);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("line 4"), "{}", errors[0]);
    }

    #[test]
    fn every_side_analyses_to_syllables() {
        for e in parse(TABLE).0 {
            for text in [&e.abbreviation, &e.expansion] {
                assert!(!syllables(text).is_empty(), "{text:?} has no syllable");
            }
            assert!(
                syllables(&e.abbreviation).len() < syllables(&e.expansion).len(),
                "{} is not shorter than {}",
                e.abbreviation,
                e.expansion
            );
        }
    }

    #[test]
    fn every_entry_matches_both_ways() {
        for e in parse(TABLE).0 {
            let (a, x) = (syllables(&e.abbreviation), syllables(&e.expansion));
            for accented in [true, false] {
                let forward = find(&a, accented);
                assert!(
                    forward.len() == 1
                        && forward[0].len == a.len()
                        && forward[0].alternatives.iter().any(|s| {
                            s.iter()
                                .map(|p| form(p, accented))
                                .eq(x.iter().map(|p| form(p, accented)))
                        }),
                    "{} (accented {accented}) gives {forward:?}",
                    e.abbreviation
                );
                let backward = find(&x, accented);
                assert!(
                    backward.len() == 1
                        && backward[0].len == x.len()
                        && backward[0].alternatives.iter().any(|s| {
                            s.iter()
                                .map(|p| form(p, accented))
                                .eq(a.iter().map(|p| form(p, accented)))
                        }),
                    "{} (accented {accented}) gives {backward:?}",
                    e.expansion
                );
            }
        }
    }

    /// An abbreviation whose unaccented form is an ordinary syllable (TU: tư, tu)
    /// would expand unrelated unaccented queries.
    #[test]
    fn abbreviations_are_not_ordinary_syllables() {
        let words = include_str!("../../data/lexicon/pyvi-words.txt");
        let ordinary: HashSet<String> = words
            .lines()
            .filter(|w| w.contains(' '))
            .flat_map(syllables)
            .map(|s| s.1)
            .collect();
        for known in ["tu", "hu", "du", "thi"] {
            assert!(ordinary.contains(known), "{known} missing from the lexicon");
        }
        for e in parse(TABLE).0 {
            for s in syllables(&e.abbreviation) {
                assert!(
                    !ordinary.contains(&s.1),
                    "{}: {:?} is an ordinary syllable",
                    e.abbreviation,
                    s.1
                );
            }
        }
    }

    #[test]
    fn abbreviation_finds_expansion() {
        assert_eq!(
            summary("UBND"),
            vec![(0, 1, "ubnd".into(), strings(&["ủy ban nhân dân"]))]
        );
        let e = &expand("ubnd")[0];
        assert_eq!(e.alternatives, vec![syllables("ủy ban nhân dân")]);
        assert_eq!(summary("HĐND")[0].3, strings(&["hội đồng nhân dân"]));
        assert_eq!(summary("hdnd")[0].3, strings(&["hội đồng nhân dân"]));
    }

    #[test]
    fn expansion_finds_abbreviation() {
        assert_eq!(
            summary("uy ban nhan dan"),
            vec![(0, 4, "uy ban nhan dan".into(), strings(&["UBND"]))]
        );
        assert_eq!(summary("ủy ban nhân dân")[0].3, strings(&["UBND"]));
        assert_eq!(
            expand("chuyển đổi số")[0].alternatives,
            vec![syllables("CĐS")]
        );
    }

    #[test]
    fn tone_placement_is_unified() {
        assert_eq!(summary("Uỷ ban nhân dân")[0].3, strings(&["UBND"]));
    }

    #[test]
    fn hyphenated_abbreviation_is_two_syllables() {
        assert_eq!(
            summary("KT-XH"),
            vec![(0, 2, "kt xh".into(), strings(&["kinh tế - xã hội"]))]
        );
        assert_eq!(summary("kt xh")[0].3, strings(&["kinh tế - xã hội"]));
        assert_eq!(summary("kinh tế xã hội")[0].3, strings(&["KT-XH"]));
        assert_eq!(summary("KH&CN")[0].3, strings(&["khoa học và công nghệ"]));
        assert_eq!(
            summary("TP.HCM"),
            vec![(0, 2, "tp hcm".into(), strings(&["thành phố Hồ Chí Minh"]))]
        );
    }

    #[test]
    fn accented_query_matches_the_accented_form_only() {
        assert!(expand("thi đua").is_empty());
        assert!(find(&syllables("thi đua"), true).is_empty());
        // Accented query, "uy" typed without its mark: not "ủy".
        assert!(expand("uy ban nhân dân").is_empty());
        assert_eq!(find(&syllables("uy ban nhân dân"), false).len(), 1);
        // The ASCII spelling is listed, so it matches in an accented query too.
        assert_eq!(summary("HDND tỉnh")[0].3, strings(&["hội đồng nhân dân"]));
    }

    #[test]
    fn spellings_that_fold_alike_are_one_alternative() {
        let folded = find(&syllables("hội đồng nhân dân"), false);
        assert_eq!(folded[0].to, strings(&["HĐND"]));
        let accented = find(&syllables("hội đồng nhân dân"), true);
        assert_eq!(accented[0].to, strings(&["HĐND", "HDND"]));
    }

    #[test]
    fn two_meanings_are_both_listed() {
        assert_eq!(
            summary("BTC")[0].3,
            strings(&["bộ tài chính", "ban tổ chức"])
        );
    }

    #[test]
    fn longest_match_wins() {
        assert_eq!(
            summary("mặt trận tổ quốc việt nam"),
            vec![(
                0,
                6,
                "mặt trận tổ quốc việt nam".into(),
                strings(&["MTTQVN"])
            )]
        );
        assert_eq!(summary("mặt trận tổ quốc")[0].3, strings(&["MTTQ"]));
        assert_eq!(
            summary("van phong uy ban nhan dan"),
            vec![(
                0,
                6,
                "van phong uy ban nhan dan".into(),
                strings(&["VPUBND"])
            )]
        );
    }

    #[test]
    fn two_expansions_in_one_query() {
        assert_eq!(
            summary("UBND tỉnh ban hành kế hoạch CĐS"),
            vec![
                (0, 1, "ubnd".into(), strings(&["ủy ban nhân dân"])),
                (6, 1, "cđs".into(), strings(&["chuyển đổi số"])),
            ]
        );
        assert_eq!(
            summary("xay dung ntm va cchc").len(),
            2,
            "{:?}",
            summary("xay dung ntm va cchc")
        );
    }

    #[test]
    fn abbreviation_inside_a_longer_query() {
        assert_eq!(
            summary("kế hoạch phát triển KT-XH năm 2025"),
            vec![(4, 2, "kt xh".into(), strings(&["kinh tế - xã hội"]))]
        );
        assert_eq!(
            summary("bao cao cong tac cai cach hanh chinh quy 3"),
            vec![(4, 4, "cai cach hanh chinh".into(), strings(&["CCHC"]))]
        );
    }

    #[test]
    fn nothing_to_expand() {
        assert!(find(&[], false).is_empty());
        assert!(expand("kế hoạch").is_empty());
        assert!(expand("tu phap").is_empty());
    }

    #[test]
    fn serialises_from_and_to_only() {
        let json = serde_json::to_string(&expand("NTM")).expect("serialisable");
        assert_eq!(json, r#"[{"from":"ntm","to":["nông thôn mới"]}]"#);
    }
}
