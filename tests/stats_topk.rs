//! Top n-grams through the pruned path on an ingested synthetic corpus, checked
//! against brute force over `kehoach::analysis::analyze` of each text: the stored
//! syllable streams, whole corpus and subcorpora, both units, stop list and
//! min_freq, whatever threshold the pruning starts from; and the clear error for
//! an index built without the syllable stream.

mod common;
mod stats_fixture;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use kehoach::analysis::lexicon;
use kehoach::index::syllables;
use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::{Engine, Filters};
use kehoach::stats::top_terms_rounds;
use kehoach::stats::{Stats, Subcorpus, TopTermsRequest, Unit};
use stats_fixture::runs;
use tantivy::schema::Value;

const VOCAB: &[&str] = &[
    "của",
    "và",
    "kế",
    "hoạch",
    "thi",
    "đua",
    "tỉnh",
    "năm",
    "các",
    "là",
    "bao",
    "giờ",
    "phát",
    "triển",
    "kinh",
    "tế",
    "xã",
    "hội",
    "nông",
    "thôn",
    "mới",
    "số",
    "chuyển",
    "đổi",
    "người",
    "dân",
    "công",
    "tác",
    "khen",
    "thưởng",
    "Thủy",
    "hoà",
    "Đại",
];
const SEPARATORS: &[&str] = &[", ", ". ", "\n", "; ", " (", ") ", " - "];
const PROVINCES: &[&str] = &["Kiên Giang", "Đồng Tháp", "Hậu Giang"];

/// (id, text, province, year)
type Doc = (String, String, &'static str, u32);
/// Which documents a subcorpus holds, by brute force.
type Member = Box<dyn Fn(&Doc) -> bool>;

fn corpus() -> Vec<Doc> {
    let mut r = common::Rng(0x9e37_79b9_7f4a_7c15);
    (0..1500)
        .map(|i| {
            let mut text = String::new();
            for run in 0..(2 + r.next() % 9) {
                if run > 0 {
                    text.push_str(SEPARATORS[(r.next() % SEPARATORS.len() as u64) as usize]);
                }
                for k in 0..(1 + r.next() % 20) {
                    if k > 0 {
                        text.push(if r.next().is_multiple_of(9) {
                            '\t'
                        } else {
                            ' '
                        });
                    }
                    text.push_str(VOCAB[r.zipf(VOCAB.len())]);
                }
            }
            if i % 50 == 0 {
                text.push_str(". Đại hội XIII của tỉnh");
            }
            let province = PROVINCES[i % PROVINCES.len()];
            (format!("doc-{i}"), text, province, 2019 + (i % 4) as u32)
        })
        .collect()
}

struct Setup {
    _tmp: tempfile::TempDir,
    engine: Arc<Engine>,
    docs: Vec<Doc>,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let docs = corpus();
    let mut jsonl = String::new();
    for (id, text, province, year) in &docs {
        let o = serde_json::json!({
            "id": id, "text": text, "province": province, "date": format!("{year}-05-01"),
        });
        jsonl.push_str(&o.to_string());
        jsonl.push('\n');
    }
    let src = tmp.path().join("records.jsonl");
    std::fs::write(&src, jsonl).unwrap();
    let idx = tmp.path().join("index");
    let s = index::ingest(&idx, &[src], &IngestOptions::default(), &NoProgress).unwrap();
    assert_eq!(s.indexed as usize, docs.len());
    let engine = Arc::new(Engine::open(&idx).unwrap());
    Setup {
        _tmp: tmp,
        engine,
        docs,
    }
}

type Row = (usize, String, u64, u64);

/// Brute-force top rows: every n-gram of every run, stop rule, min_freq, sort,
/// first `keep` per n.
fn brute(texts: &[&str], req: &TopTermsRequest, keep: usize) -> Vec<Row> {
    let lex = lexicon::get();
    let words = req.unit == Unit::Words;
    let mut m: HashMap<(usize, String), (u64, u64)> = HashMap::new();
    for text in texts {
        let mut seen = HashSet::new();
        for run in runs(text) {
            let units: Vec<String> = if words {
                stats_fixture::lexicon_words(&run, lex)
            } else {
                run
            };
            for n in req.n_min..=req.n_max {
                for w in units.windows(n) {
                    let text = w.join(" ");
                    let hidden = req.hide_stopwords
                        && (lex.stopwords.contains(&w[0])
                            || lex.stopwords.contains(&w[n - 1])
                            || (!words && lex.stopwords.contains(&text)));
                    if hidden {
                        continue;
                    }
                    let k = (n, text);
                    let e = m.entry(k.clone()).or_default();
                    e.0 += 1;
                    if seen.insert(k) {
                        e.1 += 1;
                    }
                }
            }
        }
    }
    let mut all: Vec<Row> = m
        .into_iter()
        .filter(|(_, (tf, _))| *tf >= req.min_freq.max(1))
        .map(|((n, s), (tf, df))| (n, s, tf, df))
        .collect();
    all.sort_by(|a, b| (a.0, b.2, &a.1).cmp(&(b.0, a.2, &b.1)));
    let mut per: HashMap<usize, usize> = HashMap::new();
    all.retain(|r| {
        let c = per.entry(r.0).or_default();
        *c += 1;
        *c <= keep
    });
    all
}

fn rows(t: &kehoach::stats::TopTerms) -> Vec<Row> {
    t.rows
        .iter()
        .map(|r| (r.n, r.ngram.clone(), r.tf, r.df))
        .collect()
}

#[test]
fn stored_streams_are_the_runs_of_the_body() {
    let s = setup();
    let searcher = s.engine.searcher();
    let f = s.engine.fields();
    let by_id: HashMap<&str, &str> = s
        .docs
        .iter()
        .map(|d| (d.0.as_str(), d.1.as_str()))
        .collect();
    let mut checked = 0;
    for seg in searcher.segment_readers() {
        let store = seg.get_store_reader(1).unwrap();
        for d in seg.doc_ids_alive() {
            let doc: tantivy::TantivyDocument = store.get(d).unwrap();
            let id = doc.get_first(f.id).and_then(|v| v.as_str()).unwrap();
            let bytes = doc
                .get_first(f.syllables)
                .and_then(|v| v.as_bytes())
                .unwrap();
            let stream = std::str::from_utf8(bytes).unwrap();
            assert_eq!(syllables::read(&store, d, f.syllables).unwrap(), bytes);
            // Every stored value reads in place as tantivy reads it.
            let in_place = kehoach::index::stored::StoredDoc::read(&store, d).unwrap();
            assert!(in_place.in_place(), "{id} read whole");
            for (field, entry) in searcher.schema().fields() {
                let v = doc.get_first(field);
                if entry.is_stored() {
                    assert_eq!(in_place.text(field), v.and_then(|v| v.as_str()), "{id}");
                    assert_eq!(in_place.bytes(field), v.and_then(|v| v.as_bytes()), "{id}");
                }
            }
            let got: Vec<Vec<String>> = syllables::runs(stream)
                .map(|r| r.map(String::from).collect())
                .collect();
            assert_eq!(got, runs(by_id[id]), "{id}");
            assert_eq!(stream, syllables::encode(by_id[id]));
            checked += 1;
        }
    }
    assert_eq!(checked, s.docs.len());
}

#[test]
fn top_terms_equal_brute_force_on_corpus_and_subcorpora() {
    let s = setup();
    let searcher = s.engine.searcher();
    let subs: Vec<(Subcorpus, Member)> = vec![
        (Subcorpus::all(), Box::new(|_| true)),
        (
            Subcorpus {
                filters: Filters {
                    province: vec!["Đồng Tháp".into()],
                    ..Filters::default()
                },
                ..Subcorpus::default()
            },
            Box::new(|d| d.2 == "Đồng Tháp"),
        ),
        (
            Subcorpus {
                filters: Filters {
                    year: vec![2020, 2022],
                    ..Filters::default()
                },
                ..Subcorpus::default()
            },
            Box::new(|d| d.3 == 2020 || d.3 == 2022),
        ),
    ];
    let mut pruned = 0;
    for (sub, keep_doc) in &subs {
        let texts: Vec<&str> = s
            .docs
            .iter()
            .filter(|d| keep_doc(d))
            .map(|d| d.1.as_str())
            .collect();
        for (unit, hide, min_freq, n_min, n_max) in [
            (Unit::Syllables, true, 1, 1, 3),
            (Unit::Syllables, false, 1, 2, 4),
            (Unit::Syllables, true, 3, 3, 3),
            (Unit::Words, true, 1, 1, 3),
        ] {
            let req = TopTermsRequest {
                subcorpus: sub.clone(),
                n_min,
                n_max,
                limit: 100,
                unit,
                hide_stopwords: hide,
                min_freq,
            };
            // Rows are computed for the cache (1,000 per n) and cut at the limit.
            let want = brute(&texts, &req, 100);
            for first in [None, Some(1), Some(4), Some(30), Some(1 << 40)] {
                let (t, rounds) = top_terms_rounds(&s.engine, &searcher, &req, first).unwrap();
                let got: Vec<Row> = rows(&t)
                    .into_iter()
                    .filter({
                        let mut per: HashMap<usize, usize> = HashMap::new();
                        move |r| {
                            let c = per.entry(r.0).or_default();
                            *c += 1;
                            *c <= 100
                        }
                    })
                    .collect();
                assert_eq!(
                    got, want,
                    "{sub:?} {unit:?} hide={hide} min_freq={min_freq} first={first:?}"
                );
                assert_eq!(t.subcorpus_documents as usize, texts.len());
                if rounds.thresholds.last().is_some_and(|&t| t > min_freq) {
                    pruned += 1;
                }
            }
        }
    }
    assert!(pruned > 0, "the pruned path was exercised");
}

#[test]
fn stats_cache_serves_the_same_rows() {
    let s = setup();
    let stats = Stats::new(Arc::clone(&s.engine));
    let texts: Vec<&str> = s.docs.iter().map(|d| d.1.as_str()).collect();
    let req = TopTermsRequest {
        n_min: 1,
        n_max: 3,
        limit: 20,
        ..TopTermsRequest::default()
    };
    let cold = stats.top_terms(&req).unwrap();
    assert!(!cold.cached);
    assert_eq!(rows(&cold), brute(&texts, &req, 20));
    let warm = stats.top_terms(&req).unwrap();
    assert!(warm.cached);
    assert_eq!(warm.rows, cold.rows);
}

#[test]
fn an_index_without_syllable_streams_is_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let full = index::build_schema();
    let mut b = tantivy::schema::Schema::builder();
    for (_, entry) in full.fields() {
        if entry.name() != kehoach::index::names::SYLLABLES {
            b.add_field(entry.clone());
        }
    }
    tantivy::Index::create_in_dir(tmp.path(), b.build()).unwrap();
    let err = index::open(tmp.path()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("older") && msg.contains("rebuild"), "{msg}");
    assert!(Engine::open(tmp.path()).is_err());
}
