//! A small corpus with explicit metadata for the statistics tests, and brute-force
//! counting over `kehoach::analysis::analyze` of each text.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::Engine;
use kehoach::stats::Stats;

/// (id, title, text, province, date, type, issuer)
pub const DOCS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("kg-1", "Kế hoạch thi đua", "Kế hoạch thi đua năm 2019 của tỉnh. Phát động thi đua chuyển đổi số, thi đua khen thưởng.\nThi đua là yêu nước; yêu nước thì phải thi đua.", "Kiên Giang", "2019-10-08", "Kế hoạch", "UBND tỉnh"),
    ("kg-2", "Chuyển đổi số", "Chuyển đổi số và xây dựng nông thôn mới. Nông thôn mới, nông thôn mới kiểu mẫu; chuyển đổi số là ưu tiên của tỉnh.", "Kiên Giang", "2021-03-01", "Quyết định", "Sở Thông tin"),
    ("dt-1", "Thi đua chào mừng", "Thi đua chào mừng kỷ niệm ngày thành lập tỉnh. Đổi mới công tác thi đua, khen thưởng. Nông nghiệp thôn quê mới, sổ sách kế toán.", "Đồng Tháp", "2022-06-15", "Kế hoạch", "UBND tỉnh"),
    ("dt-2", "Sơ kết", "Chuyên đội sơ cứu và sổ sách kế toán của xã được kiểm tra. Số liệu thi đua được công bố; a a a a.", "Đồng Tháp", "2022", "Báo cáo", "Sở Tài chính"),
    ("hg-1", "", "Giá trị hợp đồng là số tiền lớn, thi đua sản xuất. Kế hoạch sản xuất nông nghiệp = kế hoạch của xã.", "Hậu Giang", "2020-01-01", "Kế hoạch", "UBND xã"),
    ("none-1", "Không rõ", "Thi đua, thi đua nữa, thi đua mãi.", "", "", "", ""),
];

pub fn jsonl() -> String {
    let mut out = String::new();
    for (id, title, text, province, date, ty, issuer) in DOCS {
        let mut o = serde_json::json!({"id": id, "text": text});
        let put = |o: &mut serde_json::Value, k: &str, v: &str| {
            if !v.is_empty() {
                o[k] = serde_json::Value::String(v.to_string());
            }
        };
        put(&mut o, "title", title);
        put(&mut o, "province", province);
        put(&mut o, "date", date);
        put(&mut o, "type", ty);
        put(&mut o, "issuer", issuer);
        out.push_str(&o.to_string());
        out.push('\n');
    }
    out
}

pub struct Fixture {
    pub _tmp: tempfile::TempDir,
    pub engine: Arc<Engine>,
    pub stats: Stats,
}

pub fn setup() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("records.jsonl");
    std::fs::write(&corpus, jsonl()).unwrap();
    let idx = tmp.path().join("index");
    let s = index::ingest(&idx, &[corpus], &IngestOptions::default(), &NoProgress).unwrap();
    assert_eq!(s.indexed as usize, DOCS.len(), "{s:#?}");
    let engine = Arc::new(Engine::open(&idx).unwrap());
    let stats = Stats::new(Arc::clone(&engine));
    Fixture {
        _tmp: tmp,
        engine,
        stats,
    }
}

/// One position of an analysed text: accented, folded, byte span.
#[derive(Debug, Clone)]
pub struct Tok {
    pub text: String,
    pub folded: String,
    pub start: usize,
    pub end: usize,
}

/// First token of every position (no Roman numerals in this corpus).
pub fn toks(text: &str) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut last = usize::MAX;
    for t in kehoach::analysis::analyze(text) {
        if t.position == last {
            continue;
        }
        last = t.position;
        assert_eq!(t.position, out.len(), "contiguous positions");
        out.push(Tok {
            text: t.text,
            folded: t.folded,
            start: t.start,
            end: t.end,
        });
    }
    out
}

/// Occurrence start positions of `term` in `text`, by brute force: the term is
/// compared in the folded view when typed without diacritics, else accented.
pub fn occurrences(text: &str, term: &str) -> Vec<usize> {
    let accented = kehoach::analysis::has_diacritics(term);
    let pat: Vec<String> = kehoach::query::syllables(term)
        .into_iter()
        .map(|(a, f)| if accented { a } else { f })
        .collect();
    let t = toks(text);
    let view = |k: &Tok| {
        if accented {
            k.text.clone()
        } else {
            k.folded.clone()
        }
    };
    (0..t.len())
        .filter(|&i| {
            i + pat.len() <= t.len() && pat.iter().enumerate().all(|(j, p)| &view(&t[i + j]) == p)
        })
        .collect()
}

/// Group key of a document for a grouping name.
pub fn group_key(doc: &(&str, &str, &str, &str, &str, &str, &str), by: &str) -> String {
    let (_, _, _, province, date, ty, issuer) = *doc;
    match by {
        "province" => province.to_string(),
        "type" => ty.to_string(),
        "issuer" => issuer.to_string(),
        "year" => date.get(..4).unwrap_or("").to_string(),
        "month" => {
            if date.len() >= 7 {
                date[..7].to_string()
            } else {
                date.get(..4).unwrap_or("").to_string()
            }
        }
        _ => String::new(),
    }
}

/// (occurrences, documents, group docs, group syllables) per group, by brute force.
pub fn brute_frequency(term: &str, by: &str) -> BTreeMap<String, (u64, u64, u64, u64)> {
    let mut m: BTreeMap<String, (u64, u64, u64, u64)> = BTreeMap::new();
    for d in DOCS {
        let e = m.entry(group_key(d, by)).or_default();
        let occ = occurrences(d.2, term).len() as u64;
        e.0 += occ;
        e.1 += u64::from(occ > 0);
        e.2 += 1;
        e.3 += toks(d.2).len() as u64;
    }
    m
}

/// Runs of the n-gram rule: a gap with anything but spaces/tabs breaks a run.
pub fn runs(text: &str) -> Vec<Vec<String>> {
    let t = toks(text);
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut prev_end = 0;
    for (i, k) in t.iter().enumerate() {
        let gap = &text[prev_end..k.start];
        if i == 0 || gap.chars().any(|c| c != ' ' && c != '\t') {
            out.push(Vec::new());
        }
        out.last_mut().unwrap().push(k.text.clone());
        prev_end = k.end;
    }
    out
}

/// Joins one run of syllables into lexicon words, written independently of the
/// library: greedy longest match of at most 4 syllables, a syllable that starts no
/// word stays alone.
pub fn lexicon_words(run: &[String], lex: &kehoach::analysis::lexicon::Lexicon) -> Vec<String> {
    let mut u = Vec::new();
    let mut i = 0;
    while i < run.len() {
        let mut len = 1;
        for l in (2..=4.min(run.len() - i)).rev() {
            if lex.words.contains(&run[i..i + l].join(" ")) {
                len = l;
                break;
            }
        }
        u.push(run[i..i + len].join(" "));
        i += len;
    }
    u
}
