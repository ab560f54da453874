//! Text-reuse detection scored on the shipped corpus (issue 17 item 4).
//!
//! Cases are made from `corpus/gov-docs`: a passage of one document, verbatim
//! or disguised (numbers, edits, reordered sentences), inserted into another
//! (see `reuse_support`). `kehoach::reuse::align(T', S)` must find it. The
//! issue's targets are PAN plagdet ≥ 0.85 overall and ≥ 0.95 on `verbatim` and
//! `numbers`. On passages of prose (at least half of their syllables words, not
//! numbers, outside boilerplate and citations, which item 1 of the issue says
//! are not reuse) the targets are the floors; on every passage, formulae
//! included, the test holds the floors reached and prints the gap (see
//! `align_finds_reuse_in_the_shipped_corpus`). The scorer and the generator are
//! tested first, on cases whose answer is known.
//!
//! ```text
//! cargo test --test reuse_eval -- --nocapture     # prints the table
//! ```
//!
//! The larger run over `../shared` is `benches/reuse.rs` (`scripts/reuse-eval.sh`).

mod reuse_support;

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use reuse_support::*;

const EPS: f64 = 1e-9;

fn ann(susp_doc: usize, susp: Range<usize>, src_doc: usize, src: Range<usize>) -> Annotation {
    Annotation {
        susp_doc,
        susp,
        src_doc,
        src,
    }
}

// ---------------------------------------------------------------------------
// The scorer on answers known by hand
// ---------------------------------------------------------------------------

#[test]
fn perfect_detections_score_one() {
    let cases = [ann(0, 100..200, 5, 1000..1100), ann(1, 0..50, 5, 10..60)];
    let s = pan_scores(&cases, &cases);
    assert!((s.precision - 1.0).abs() < EPS, "{s:?}");
    assert!((s.recall - 1.0).abs() < EPS, "{s:?}");
    assert!((s.granularity - 1.0).abs() < EPS, "{s:?}");
    assert!((s.plagdet - 1.0).abs() < EPS, "{s:?}");
    assert_eq!((s.missed, s.spurious), (0, 0));
}

#[test]
fn no_detections_score_zero() {
    let cases = [ann(0, 100..200, 5, 1000..1100)];
    let s = pan_scores(&cases, &[]);
    assert_eq!((s.precision, s.recall, s.plagdet), (0.0, 0.0, 0.0), "{s:?}");
    assert_eq!(s.missed, 1);
}

#[test]
fn a_case_found_in_two_halves_has_granularity_two() {
    let cases = [ann(0, 100..200, 5, 1000..1100)];
    let halves = [
        ann(0, 100..150, 5, 1000..1050),
        ann(0, 150..200, 5, 1050..1100),
    ];
    let s = pan_scores(&cases, &halves);
    assert!((s.precision - 1.0).abs() < EPS, "{s:?}");
    assert!((s.recall - 1.0).abs() < EPS, "{s:?}");
    assert!((s.granularity - 2.0).abs() < EPS, "{s:?}");
    assert!((s.plagdet - 1.0 / 3f64.log2()).abs() < EPS, "{s:?}");
}

#[test]
fn a_detection_twice_as_long_has_precision_one_half() {
    let cases = [ann(0, 100..200, 5, 1000..1100)];
    let long = [ann(0, 100..300, 5, 1000..1200)];
    let s = pan_scores(&cases, &long);
    assert!((s.precision - 0.5).abs() < EPS, "{s:?}");
    assert!((s.recall - 1.0).abs() < EPS, "{s:?}");
    assert!((s.plagdet - 2.0 / 3.0).abs() < EPS, "{s:?}");
}

#[test]
fn a_detection_with_the_wrong_source_span_detects_nothing() {
    let cases = [ann(0, 100..200, 5, 1000..1100)];
    for wrong in [
        ann(0, 100..200, 5, 2000..2100), // right text, wrong place of S
        ann(0, 100..200, 6, 1000..1100), // another source document
        ann(1, 100..200, 5, 1000..1100), // another suspicious document
    ] {
        let s = pan_scores(&cases, std::slice::from_ref(&wrong));
        assert_eq!(
            (s.precision, s.recall, s.plagdet),
            (0.0, 0.0, 0.0),
            "{wrong:?}: {s:?}"
        );
        assert_eq!((s.missed, s.spurious), (1, 1));
    }
}

#[test]
fn a_detection_that_only_touches_a_case_counts_what_it_covers() {
    // 10 of the case's 100 + 100 bytes covered, on each side.
    let cases = [ann(0, 100..200, 5, 1000..1100)];
    let edge = [ann(0, 190..290, 5, 1090..1190)];
    let s = pan_scores(&cases, &edge);
    assert!((s.recall - 0.1).abs() < EPS, "{s:?}");
    assert!((s.precision - 0.1).abs() < EPS, "{s:?}");
}

/// PAN straight from its definitions, over explicit sets of characters.
fn brute_force(cases: &[Annotation], dets: &[Annotation]) -> (f64, f64, f64) {
    type Chars = HashSet<(bool, usize, usize)>; // (is source, document, offset)
    let chars = |a: &Annotation| -> Chars {
        let susp = a.susp.clone().map(|o| (false, a.susp_doc, o));
        susp.chain(a.src.clone().map(|o| (true, a.src_doc, o)))
            .collect()
    };
    let meet = |s: &Annotation, r: &Annotation| -> Chars {
        if detects(r, s) {
            chars(s).intersection(&chars(r)).copied().collect()
        } else {
            Chars::new()
        }
    };
    let mut rec = 0.0;
    let (mut gran, mut detected) = (0, 0);
    for s in cases {
        let all: Chars = dets.iter().flat_map(|r| meet(s, r)).collect();
        rec += all.len() as f64 / chars(s).len() as f64;
        let n = dets.iter().filter(|r| detects(r, s)).count();
        if n > 0 {
            detected += 1;
            gran += n;
        }
    }
    let mut prec = 0.0;
    for r in dets {
        let all: Chars = cases.iter().flat_map(|s| meet(s, r)).collect();
        prec += all.len() as f64 / chars(r).len() as f64;
    }
    let mean = |x: f64, n: usize| if n == 0 { 0.0 } else { x / n as f64 };
    let g = if detected == 0 {
        1.0
    } else {
        gran as f64 / detected as f64
    };
    (mean(prec, dets.len()), mean(rec, cases.len()), g)
}

#[test]
fn the_scorer_agrees_with_the_definitions_on_random_sets() {
    let mut rng = Rng::new(7);
    let span = |rng: &mut Rng| {
        let a = rng.below(60);
        a..a + 1 + rng.below(30)
    };
    for round in 0..300 {
        let make = |n: usize, rng: &mut Rng| -> Vec<Annotation> {
            (0..n)
                .map(|_| {
                    let (d, s) = (rng.below(2), rng.below(2));
                    ann(d, span(rng), s, span(rng))
                })
                .collect()
        };
        let n_cases = 1 + rng.below(4);
        let n_dets = rng.below(6);
        let cases = make(n_cases, &mut rng);
        let dets = make(n_dets, &mut rng);
        let got = pan_scores(&cases, &dets);
        let (p, r, g) = brute_force(&cases, &dets);
        let ctx = format!("round {round}: {cases:?} {dets:?} → {got:?}");
        assert!((got.precision - p).abs() < EPS, "precision {p}: {ctx}");
        assert!((got.recall - r).abs() < EPS, "recall {r}: {ctx}");
        assert!((got.granularity - g).abs() < EPS, "granularity {g}: {ctx}");
    }
}

// ---------------------------------------------------------------------------
// The generator: its truth is true
// ---------------------------------------------------------------------------

fn fixture_docs() -> Vec<Doc> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/gov-docs");
    let docs = load_docs(&dir, "gov-docs");
    assert!(
        docs.len() > 100,
        "corpus/gov-docs has {} documents",
        docs.len()
    );
    docs
}

fn syllables_of(text: &str) -> Vec<&str> {
    syllable_spans(text).into_iter().map(|s| &text[s]).collect()
}

#[test]
fn generated_cases_carry_their_truth() {
    let docs = fixture_docs();
    let opts = GenOptions {
        cases: 80,
        seed: 5,
        ..GenOptions::default()
    };
    let cases = generate(&docs, &opts);
    assert_eq!(cases.len(), 80);
    for c in &cases {
        let (s, t) = (&docs[c.source].text, &docs[c.target].text);
        assert_ne!(c.source, c.target);
        let original = &s[c.source_span.clone()];
        let inserted = &c.suspicious[c.suspicious_span.clone()];
        let n = syllables_of(original).len();
        assert_eq!(n, c.syllables, "case {}", c.id);
        assert!(
            (20..=400).contains(&n) || n == syllables_of(s).len(),
            "case {}: L = {n}",
            c.id
        );
        // T' is T with the passage (and one separator, maybe two) at insert_at.
        let (a, b) = (c.insert_at, c.suspicious.len() - (t.len() - c.insert_at));
        assert_eq!(&c.suspicious[..a], &t[..a]);
        assert_eq!(&c.suspicious[b..], &t[c.insert_at..]);
        assert!(
            c.suspicious_span.start >= a && c.suspicious_span.end < b,
            "case {}",
            c.id
        );
        assert!(c.suspicious[a..b].trim() == inserted, "case {}", c.id);
        check_obfuscation(c, original, inserted);
        if c.unique_source {
            assert_eq!(
                s.matches(original).count(),
                1,
                "case {}: {original:?}",
                c.id
            );
        }
    }
    let unique = cases.iter().filter(|c| c.unique_source).count();
    assert!(
        unique >= 76,
        "only {unique} of 80 passages are unique in their source"
    );
    // The same seed gives the same cases; another seed others.
    let again = generate(&docs, &opts);
    assert!(cases
        .iter()
        .zip(&again)
        .all(|(x, y)| x.suspicious == y.suspicious));
    let other = generate(&docs, &GenOptions { seed: 6, ..opts });
    assert!(cases
        .iter()
        .zip(&other)
        .any(|(x, y)| x.suspicious != y.suspicious));
}

fn check_obfuscation(c: &Case, original: &str, inserted: &str) {
    let (so, si) = (syllables_of(original), syllables_of(inserted));
    match c.obfuscation {
        Obfuscation::Verbatim => assert_eq!(original, inserted),
        Obfuscation::Numbers => {
            // Every number rewritten, same length; provinces (two syllables
            // each) swapped; nothing else moves.
            assert!(
                c.changes > 0,
                "case {}: nothing to change in {original:?}",
                c.id
            );
            assert_eq!(so.len(), si.len(), "case {}", c.id);
            for (x, y) in so.iter().zip(&si) {
                if x.chars().all(|ch| ch.is_ascii_digit()) {
                    assert!(x != y && x.len() == y.len(), "case {}: {x} → {y}", c.id);
                }
            }
            assert_ne!(original, inserted);
        }
        Obfuscation::Edits => {
            // 10–20 % of the syllables touched: the two differ, and not by more.
            assert_ne!(so, si, "case {}", c.id);
            assert!(
                c.changes >= 1 && c.changes as f64 <= 0.2 * so.len() as f64 + 1.0,
                "case {}",
                c.id
            );
            let diff = so.len().abs_diff(si.len());
            assert!(
                diff <= c.changes,
                "case {}: {} → {}",
                c.id,
                so.len(),
                si.len()
            );
        }
        Obfuscation::Reorder => {
            // The same syllables, in another order.
            assert_ne!(so, si, "case {}", c.id);
            let (mut a, mut b) = (so.clone(), si.clone());
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "case {}", c.id);
        }
    }
}

#[test]
fn obfuscations_change_what_they_say() {
    let mut rng = Rng::new(3);
    let (text, n) = change_numbers(&mut rng, "Năm 2020, ngày 15/3, chi 1.000.000 đồng");
    assert_eq!(n, 6, "{text}");
    assert!(
        text.starts_with("Năm 20") && !text.contains("2020") && !text.contains("15/3"),
        "{text}"
    );
    // Days and months stay days and months ("03" a month of one digit); the lengths stay.
    for _ in 0..200 {
        let (date, _) = change_numbers(&mut rng, "15/03/2020");
        let parts: Vec<usize> = date.split('/').map(|p| p.parse().unwrap()).collect();
        assert!(
            date.len() == 10 && (1..=31).contains(&parts[0]) && (1..=9).contains(&parts[1]),
            "{date}"
        );
    }
    let (text, n) = swap_provinces(
        &mut rng,
        "UBND tỉnh Kiên Giang; TỈNH KIÊN GIANG; Kiên Giangx",
    );
    assert_eq!(n, 2, "{text}");
    assert!(
        !text.contains("Kiên Giang;")
            && !text.contains("KIÊN GIANG;")
            && text.ends_with("Kiên Giangx"),
        "{text}"
    );
    let (sentences, seps) = split_sentences("Một hai. Ba 1.5 bốn;\n\nNăm sáu\nbảy");
    assert_eq!(sentences, ["Một hai.", "Ba 1.5 bốn;", "Năm sáu", "bảy"]);
    assert_eq!(seps, [" ", "\n\n", "\n", ""]);
    let (text, moved) = reorder_sentences(&mut rng, "Một hai. Ba bốn; Năm sáu");
    assert!(moved >= 2 && text != "Một hai. Ba bốn; Năm sáu", "{text}");
    let donor = ["xyz"];
    let (text, n) = edit_syllables(&mut rng, "a b c d e f g h i j", 0.2, &donor);
    assert_eq!(n, 2);
    assert_ne!(text, "a b c d e f g h i j");
    let (t, span) = insert("Dòng một.\nDòng hai.", "Dòng một.\n".len(), "Đoạn chèn");
    assert_eq!(t, "Dòng một.\nĐoạn chèn\nDòng hai.");
    assert_eq!(&t[span], "Đoạn chèn");
}

#[test]
fn the_truth_itself_scores_one_and_whole_documents_score_low() {
    let docs = fixture_docs();
    let cases = generate(
        &docs,
        &GenOptions {
            cases: 24,
            seed: 9,
            ..GenOptions::default()
        },
    );
    // The truth as detections: the whole pipeline (truth, score, rows) gives 1.
    let oracle: Vec<Vec<Annotation>> = cases.iter().map(|c| vec![truth(c)]).collect();
    for (name, s) in report_rows(&cases, &oracle, true) {
        assert!((s.plagdet - 1.0).abs() < EPS, "{name}: {s:?}");
    }
    // "All of T' is all of S" finds every case but is mostly wrong.
    let lazy: Vec<Vec<Annotation>> = cases
        .iter()
        .map(|c| {
            let whole = ann(
                c.id,
                0..c.suspicious.len(),
                c.source,
                0..docs[c.source].text.len(),
            );
            vec![whole]
        })
        .collect();
    let s = score(&cases, &lazy, |_| true);
    assert!((s.recall - 1.0).abs() < EPS && s.precision < 0.2, "{s:?}");
}

// ---------------------------------------------------------------------------
// The detector on the shipped corpus
// ---------------------------------------------------------------------------

#[test]
fn align_finds_reuse_in_the_shipped_corpus() {
    let docs = fixture_docs();
    let cases = generate(
        &docs,
        &GenOptions {
            cases: 40,
            seed: 17,
            ..GenOptions::default()
        },
    );
    for k in Obfuscation::ALL {
        assert!(
            cases.iter().filter(|c| c.obfuscation == k).count() >= 5,
            "{}",
            k.name()
        );
    }
    // Two configurations: the built-in boilerplate alone (two files compared on
    // their own), and with the collection's own formulae by document frequency,
    // as the service aligns (in 168 documents a run in 9 is boilerplate, so a
    // header copied verbatim is no longer reported).
    let configs = [
        (
            "built-in boilerplate",
            kehoach::reuse::AlignOptions::default(),
        ),
        ("the collection's boilerplate too", service_options(&docs)),
    ];
    // Issue 17's targets are plagdet >= 0.85 overall and >= 0.95 on verbatim and
    // number-edited passages. With the built-in boilerplate the detector measured
    // all 0.875, verbatim 1.000, numbers 0.931, edits 0.978 (session 9, unchanged
    // in session 11); with the collection's too, all 0.850, verbatim 0.947 (a
    // header), numbers 0.931, edits 0.978 (session 11). Since runs grow over
    // numbers that differ (session 13), numbers 0.992 in both, all 0.890 / 0.865,
    // verbatim 0.998 / 0.946. The floors sit a little under those; raise them as
    // the detector improves, never lower them to pass.
    let floors: [&[(&str, f64)]; 2] = [
        &[
            ("all", 0.87),
            ("verbatim", 0.97),
            ("numbers", 0.97),
            ("edits", 0.95),
        ],
        &[
            ("all", 0.83),
            ("verbatim", 0.93),
            ("numbers", 0.97),
            ("edits", 0.95),
        ],
    ];
    let unclean = cases.iter().filter(|c| !c.clean_pair).count();
    let repeated = cases.iter().filter(|c| !c.unique_source).count();
    let mut failures: Vec<String> = Vec::new();
    for ((config, opts), floors) in configs.iter().zip(floors) {
        let (found, spent) = run_align(&docs, &cases, opts);
        let rows = report_rows(&cases, &found, true);
        println!(
            "reuse on corpus/gov-docs, {config}: {} cases from {} documents ({unclean} pairs \
             already sharing a run, {repeated} passages repeated in their source), align {:.2} s\n{}",
            cases.len(),
            docs.len(),
            spent.as_secs_f64(),
            table(&rows)
        );
        let get = |name: &str| plagdet_of(&rows, name);
        for (name, target) in TARGETS {
            println!("target {name}: plagdet {:.3} (target {target})", get(name));
        }
        failures.extend(
            floors
                .iter()
                .filter(|(name, floor)| get(name) < *floor)
                .map(|(name, floor)| {
                    format!("{config}: {name}: plagdet {:.3} < {floor}", get(name))
                }),
        );
        // Passages of prose: what item 1 of the issue counts as reuse (a passage
        // made of formulae and citations is not reported, by design). Here the
        // issue's targets are the floors.
        let (prose, n) = prose_rows(&cases, &found);
        println!(
            "passages of prose ({n} of {}):\n{}",
            cases.len(),
            table(&prose)
        );
        for (name, target) in TARGETS {
            let got = plagdet_of(&prose, name);
            if got < target {
                failures.push(format!(
                    "{config}: prose {name}: plagdet {got:.3} < {target}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "below the floor: {}",
        failures.join(", ")
    );
}
