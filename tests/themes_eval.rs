//! Theme tagging against labels made by reading (issue 20), in four samples of
//! `../shared/corpora/gov-docs`, each document with the primary theme an analyst
//! would file it under and up to three secondary ones (how they were made: the
//! README beside them):
//! * `tests/fixtures/themes/labels.tsv`: every 5th path and the five seeds (162);
//! * `tests/fixtures/themes/labels_2.tsv`: every 10th path from the third (78),
//!   labelled later by another reader who saw neither the tagger nor its output;
//! * `tests/fixtures/themes/labels_3.tsv`: every 10th path from the eighth (77),
//!   labelled the same way, after the tagger was changed on sample 2;
//! * `tests/fixtures/themes/labels_4.tsv`: every 10th path from the fifth (79),
//!   labelled the same way in session 15, after that session's changes.
//!
//! Scores: **primary accuracy** (the tagger's primary theme is the labelled
//! primary; a document labelled `none` is right when it gets no theme),
//! **precision** of every assigned theme (is it among the labelled primary and
//! secondaries?) and **recall** of the labelled themes, overall and per theme.
//! In each sample, rows alternate between a `dev` half (whose misses were read
//! to improve the tagger) and a `check` half (read only for the figures).
//! Prints everything; asserts floors a little under what was measured. Skips
//! without the shared material.
//!
//! ```text
//! cargo test --release --test themes_eval -- --nocapture
//! KEHOACH_THEMES_DETAIL=1 cargo test --release --test themes_eval -- --nocapture
//! ```

mod common;

use std::collections::BTreeMap;

use kehoach::document::{ThemeMatch, Understander};

/// The samples: name and labels.
const SAMPLES: [(&str, &str); 4] = [
    ("1", include_str!("fixtures/themes/labels.tsv")),
    ("2", include_str!("fixtures/themes/labels_2.tsv")),
    ("3", include_str!("fixtures/themes/labels_3.tsv")),
    ("4", include_str!("fixtures/themes/labels_4.tsv")),
];

/// A dev half and a check half per sample.
const HALVES: usize = 2 * SAMPLES.len();

struct Label {
    file: String,
    primary: String,
    secondary: Vec<String>,
}

fn labels(tsv: &str) -> Vec<Label> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Label {
                file: f[0].to_string(),
                primary: f[1].to_string(),
                secondary: f
                    .get(2)
                    .map(|s| {
                        s.split('|')
                            .filter(|x| !x.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Counts for one half of the set.
#[derive(Default)]
struct Score {
    docs: usize,
    primary_right: usize,
    assigned: usize,
    assigned_right: usize,
    labelled: usize,
    labelled_found: usize,
    /// theme → (assigned, assigned right, labelled, labelled found)
    per_theme: BTreeMap<String, [usize; 4]>,
    misses: Vec<String>,
}

impl Score {
    fn precision(&self) -> f64 {
        self.assigned_right as f64 / self.assigned.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.labelled_found as f64 / self.labelled.max(1) as f64
    }
    fn accuracy(&self) -> f64 {
        self.primary_right as f64 / self.docs.max(1) as f64
    }

    /// Scores one labelled document's `themes`; `detail` prints what is wrong
    /// or missed.
    fn add(&mut self, l: &Label, themes: &[ThemeMatch], detail: bool) {
        let got: Vec<&str> = themes.iter().map(|t| t.id.as_str()).collect();
        let truth: Vec<&str> = std::iter::once(l.primary.as_str())
            .filter(|p| *p != "none")
            .chain(l.secondary.iter().map(String::as_str))
            .collect();
        self.docs += 1;
        let primary = got.first().copied().unwrap_or("none");
        if primary == l.primary {
            self.primary_right += 1;
        } else {
            self.misses.push(format!(
                "{}: primary {} (labelled {}{}), got {:?}",
                l.file,
                primary,
                l.primary,
                if l.secondary.is_empty() {
                    String::new()
                } else {
                    format!(" | {}", l.secondary.join(", "))
                },
                themes
                    .iter()
                    .map(|t| format!("{} {:.1} {:?}", t.id, t.score, t.matched))
                    .collect::<Vec<_>>()
            ));
        }
        for g in &got {
            let right = truth.contains(g);
            if !right && detail {
                if let Some(t) = themes.iter().find(|t| t.id == *g) {
                    println!(
                        "WRONG {} {g} {:.1} {:?} {:?} | labelled {} {:?}",
                        l.file, t.score, t.matched, t.evidence, l.primary, l.secondary
                    );
                }
            }
            self.assigned += 1;
            self.assigned_right += usize::from(right);
            let e = self.per_theme.entry(g.to_string()).or_default();
            e[0] += 1;
            e[1] += usize::from(right);
        }
        for t in &truth {
            let found = got.contains(t);
            if !found && detail {
                println!("MISSED {} {t} | got {got:?}", l.file);
            }
            self.labelled += 1;
            self.labelled_found += usize::from(found);
            let e = self.per_theme.entry(t.to_string()).or_default();
            e[2] += 1;
            e[3] += usize::from(found);
        }
    }
}

/// Two readers labelled sample 3 apart (the second saw the README up to the third
/// sample, the first two label files and the taxonomy, not the first reader's
/// labels): how far people agree is how far a label can be trusted, and the most
/// a tagger can be expected to reach. Needs nothing of `../shared`.
#[test]
fn two_readers_of_sample_3_agree() {
    let first = labels(SAMPLES[2].1);
    let second = labels(include_str!("fixtures/themes/labels_3_second_reader.tsv"));
    let files = |l: &[Label]| l.iter().map(|x| x.file.clone()).collect::<Vec<_>>();
    assert_eq!(
        files(&first),
        files(&second),
        "the same documents, in order"
    );
    let mut s = Score::default();
    for (a, b) in first.iter().zip(&second) {
        let themes: Vec<ThemeMatch> = std::iter::once(&b.primary)
            .chain(&b.secondary)
            .enumerate()
            .map(|(k, id)| ThemeMatch {
                id: id.clone(),
                primary: k == 0,
                ..ThemeMatch::default()
            })
            .collect();
        s.add(a, &themes, false);
    }
    println!(
        "second reader against the first, {} documents: primary accuracy {:.3}  precision {:.3}  recall {:.3}",
        s.docs,
        s.accuracy(),
        s.precision(),
        s.recall()
    );
    // The issue's targets (0.85 each) are below what two readers reach: labels
    // this consistent can hold a tagger to them.
    for (name, got) in [
        ("primary accuracy", s.accuracy()),
        ("precision", s.precision()),
        ("recall", s.recall()),
    ] {
        assert!(got >= 0.85, "readers disagree: {name} {got:.3}");
    }
}

#[test]
fn themes_agree_with_labels_made_by_reading() {
    let Some(shared) = common::shared_dir() else {
        println!("SKIP: shared material not found (set KEHOACH_SHARED)");
        return;
    };
    let u = Understander::new();
    // KEHOACH_THEMES_DETAIL=1 also prints the dev halves' wrong and missed themes.
    let detail = std::env::var_os("KEHOACH_THEMES_DETAIL").is_some();
    // Each sample's dev half, then its check half.
    let mut halves: [Score; HALVES] = Default::default();
    let mut themes_per_doc = 0usize;
    let rows = SAMPLES.iter().enumerate().flat_map(|(k, (_, tsv))| {
        labels(tsv)
            .into_iter()
            .enumerate()
            .map(move |(n, l)| (2 * k + n % 2, l))
    });
    for (half, l) in rows {
        let path = if let Some(rest) = l.file.strip_prefix("seeds/") {
            shared.join("seeds").join(rest)
        } else {
            shared.join("corpora").join(&l.file)
        };
        let Ok(bytes) = std::fs::read(&path) else {
            println!("SKIP row: {} not readable", path.display());
            continue;
        };
        // A file the reader refuses (one gov-doc holds NUL bytes) is reported
        // and left out, as ingest would.
        let r = match u.read(&path, &bytes) {
            Ok(r) => r,
            Err(e) => {
                println!("SKIP row: {e}");
                continue;
            }
        };
        themes_per_doc += r.themes.len();
        halves[half].add(&l, &r.themes, detail && half % 2 == 0);
    }
    let total_docs: usize = halves.iter().map(|h| h.docs).sum();
    assert!(
        total_docs > 100,
        "only {total_docs} labelled documents read"
    );
    report(&halves, themes_per_doc, total_docs);
    // Floors: a little under the figures measured when they were last raised;
    // raise them as tagging improves, never lower them to pass. Session 20 (a
    // lexicon word straddling two words of the context hides no keyword):
    // 0.848, 0.862, 0.766; with `công nghệ số`, the field's name, a keyword of
    // digital transformation (read in a dev miss; no check half changed): 0.851,
    // 0.863, 0.768. Session 21: a district's `Phòng …` heads an agency's name
    // like a `Sở` (read in a dev miss; no check half changed): 0.853, 0.863,
    // 0.768. Session 26: the issuer's field weighs for a theme the words give
    // (what readers do, as the README says: a tax office's letter is filed
    // under finance; two dev primaries gained, one lost): 0.858, 0.868, 0.771
    // (check halves 0.838, 0.870, 0.748 -> 0.843, 0.877, 0.754); statistics
    // (`*thống kê`) a word of socio-economic development, as three readers filed
    // general indicator sets (two dev primaries gained, none lost): 0.866,
    // 0.867, 0.776 (check halves 0.848, 0.871, 0.757). Session 19
    // (`trong` cuts a title's scope; province names are words): 0.841, 0.863, 0.762. Four samples
    // since session 15: 0.838, 0.860, 0.763 (the fourth, labelled after the
    // session's changes: 0.722, 0.855, 0.763). Three samples:
    // 0.867, 0.862, 0.763 since secondaries need ground of their own, a title
    // keyword or a part of the body where their keywords are dense, and 45% of
    // the best score (session 15; 0.870, 0.751 at half the best score; 0.825,
    // 0.769 with any two keywords leading a part, anchors counting);
    // session 14: 0.867, 0.803, 0.769 (0.816, 0.805, 0.755 when the third
    // sample came; two: 0.824, 0.806, 0.758, and
    // 0.808, 0.779, 0.747 when the second sample came; on the first alone then:
    // 0.826, 0.812, 0.783; session 11: 0.770, 0.770, 0.767; session 9: 0.652,
    // 0.706, 0.675; before issue 20's changes 0.596, 0.364, 0.823 with 3.5 themes
    // a document).
    let [acc, prec, rec] = together(halves.iter());
    println!("\nall    primary accuracy {acc:.3}  precision {prec:.3}  recall {rec:.3}");
    let floors = [
        ("accuracy", acc, 0.86),
        ("precision", prec, 0.86),
        ("recall", rec, 0.77),
    ];
    let failures: Vec<String> = floors
        .iter()
        .filter(|(_, v, floor)| v < floor)
        .map(|(n, v, floor)| format!("{n} {v:.3} < {floor}"))
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
}

/// Primary accuracy, precision and recall of `halves` counted together.
fn together<'a>(halves: impl Iterator<Item = &'a Score> + Clone) -> [f64; 3] {
    let sum = |f: fn(&Score) -> usize| halves.clone().map(f).sum::<usize>();
    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    [
        ratio(sum(|s| s.primary_right), sum(|s| s.docs)),
        ratio(sum(|s| s.assigned_right), sum(|s| s.assigned)),
        ratio(sum(|s| s.labelled_found), sum(|s| s.labelled)),
    ]
}

/// Prints every half, the per-theme table and the dev halves' primary misses.
fn report(halves: &[Score; HALVES], themes_per_doc: usize, total_docs: usize) {
    let names = SAMPLES
        .iter()
        .flat_map(|(sample, _)| ["dev", "check"].map(|h| format!("{h} {sample}")));
    for (name, s) in names.zip(halves) {
        println!(
            "{name:<8} docs {:>3}  primary accuracy {:.3}  precision {:.3} ({}/{})  recall {:.3} ({}/{})",
            s.docs,
            s.accuracy(),
            s.precision(),
            s.assigned_right,
            s.assigned,
            s.recall(),
            s.labelled_found,
            s.labelled
        );
    }
    // The halves of one kind together: the check halves are what to expect on
    // documents the tagger was not tuned on.
    for (name, first) in [("dev", 0), ("check", 1)] {
        let [acc, prec, rec] = together(halves.iter().skip(first).step_by(2));
        println!(
            "{name:<6} halves  primary accuracy {acc:.3}  precision {prec:.3}  recall {rec:.3}"
        );
    }
    println!(
        "themes per document: {:.2}",
        themes_per_doc as f64 / total_docs as f64
    );
    println!("\nper theme (all halves): assigned, precision, labelled, recall");
    let mut all: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for s in halves {
        for (k, v) in &s.per_theme {
            let e = all.entry(k.clone()).or_default();
            for i in 0..4 {
                e[i] += v[i];
            }
        }
    }
    for (k, v) in &all {
        println!(
            "  {k:<36} {:>3} {:>6.2} {:>3} {:>6.2}",
            v[0],
            v[1] as f64 / v[0].max(1) as f64,
            v[2],
            v[3] as f64 / v[2].max(1) as f64
        );
    }
    println!("\nprimary misses (dev halves):");
    for m in halves.iter().step_by(2).flat_map(|h| &h.misses) {
        println!("  {m}");
    }
}
