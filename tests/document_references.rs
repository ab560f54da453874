//! Citation extraction quality on the labelled dev set (`data/references_dev.tsv`,
//! format in spec/references.md §2.3). Prints the scores; fails below the bar.
//! Skips (with a message) when the shared material is absent.

use std::collections::HashSet;
use std::path::PathBuf;

use kehoach::document::{dedup_references, extract_references, fold_key, CTX};

fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("KEHOACH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")));
    p.is_dir().then_some(p)
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Gold {
    key: String,
    date: String,
    issuer: String,
}

fn parse_expected(s: &str) -> Vec<Gold> {
    if s.trim() == "NONE" {
        return Vec::new();
    }
    s.split(';')
        .filter(|x| !x.is_empty())
        .map(|t| {
            let mut f = t.split('|');
            Gold {
                key: f.next().unwrap_or("").to_string(),
                date: f.next().unwrap_or("").to_string(),
                issuer: f.next().unwrap_or("").to_string(),
            }
        })
        .collect()
}

fn prf(tp: usize, pred: usize, gold: usize) -> (f64, f64) {
    let p = if pred == 0 {
        1.0
    } else {
        tp as f64 / pred as f64
    };
    let r = if gold == 0 {
        1.0
    } else {
        tp as f64 / gold as f64
    };
    (p, r)
}

#[test]
fn dev_set_scores() {
    let Some(shared) = shared() else {
        println!("SKIP: shared material not found (set KEHOACH_SHARED)");
        return;
    };
    let path = shared.join("data/references_dev.tsv");
    let Ok(tsv) = std::fs::read_to_string(&path) else {
        println!("SKIP: {} not readable", path.display());
        return;
    };
    let (mut k_tp, mut k_pred, mut k_gold) = (0, 0, 0);
    let (mut kd_tp, mut kd_pred, mut kd_gold) = (0, 0, 0);
    let (mut f_tp, mut f_pred, mut f_gold) = (0, 0, 0);
    let (mut iss_ok, mut iss_n) = (0, 0);
    let mut lines = 0;
    for (n, line) in tsv.lines().enumerate() {
        let Some((snippet, expected)) = line.split_once('\t') else {
            continue;
        };
        lines += 1;
        let text = unescape(snippet);
        let gold = parse_expected(expected);
        let got = dedup_references(&extract_references(&text));
        // Spans must point at the reference in the snippet.
        for r in &got {
            assert!(
                r.start <= r.end && r.end <= text.len(),
                "line {}: bad span",
                n + 1
            );
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
        let gk: HashSet<&str> = gold.iter().map(|g| g.key.as_str()).collect();
        let pk: HashSet<&str> = got.iter().map(|r| r.key.as_str()).collect();
        let gf: HashSet<String> = gold.iter().map(|g| fold_key(&g.key)).collect();
        let pf: HashSet<String> = got.iter().map(|r| r.fold.clone()).collect();
        let gkd: HashSet<(String, String)> = gold
            .iter()
            .map(|g| (g.key.clone(), g.date.clone()))
            .collect();
        let pkd: HashSet<(String, String)> = got
            .iter()
            .map(|r| {
                (
                    r.key.clone(),
                    r.date.map(|d| d.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        k_tp += gk.intersection(&pk).count();
        k_pred += pk.len();
        k_gold += gk.len();
        f_tp += gf.intersection(&pf).count();
        f_pred += pf.len();
        f_gold += gf.len();
        kd_tp += gkd.intersection(&pkd).count();
        kd_pred += pkd.len();
        kd_gold += gkd.len();
        for g in gold.iter().filter(|g| !g.issuer.is_empty()) {
            iss_n += 1;
            let mine = got
                .iter()
                .find(|r| {
                    r.key == g.key
                        && (g.date.is_empty()
                            || r.date.map(|d| d.to_string()) == Some(g.date.clone()))
                })
                .and_then(|r| r.issuer.clone())
                .unwrap_or_default();
            if mine == g.issuer {
                iss_ok += 1;
            } else {
                println!(
                    "issuer miss line {}: want {:?} got {:?}",
                    n + 1,
                    g.issuer,
                    mine
                );
            }
        }
        if gk != pk || gkd != pkd {
            println!("line {}: want {:?}\n          got  {:?}", n + 1, gkd, pkd);
        }
    }
    let (kp, kr) = prf(k_tp, k_pred, k_gold);
    let (fp, fr) = prf(f_tp, f_pred, f_gold);
    let (dp, dr) = prf(kd_tp, kd_pred, kd_gold);
    let iss = iss_ok as f64 / iss_n.max(1) as f64;
    println!(
        "references_dev.tsv: {lines} snippets, {k_gold} gold references ({CTX} = own province)"
    );
    println!("KEY       P={kp:.3} R={kr:.3}");
    println!("FOLD      P={fp:.3} R={fr:.3}");
    println!("KEY+DATE  P={dp:.3} R={dr:.3}");
    println!("ISSUER    exact={iss:.3} ({iss_ok}/{iss_n})");
    assert!(lines >= 40, "dev set unexpectedly small");
    assert!(kp >= 0.98 && kr >= 0.98, "KEY below bar");
    assert!(dp >= 0.95 && dr >= 0.95, "KEY+DATE below bar");
    assert!(iss >= 0.90, "ISSUER below bar");
}

#[test]
fn own_number_and_non_references() {
    assert!(extract_references("Số: 325 /KH-SCT").is_empty());
    assert!(extract_references("Địa chỉ: Số 12/3 đường Nguyễn Trung Trực").is_empty());
    assert!(extract_references("đạt 98/100 chỉ tiêu; ngày 13/9/2019").is_empty());
    let r = extract_references("Công văn số 45/SCT ngày 02/01/2020");
    assert_eq!(r.first().map(|x| x.key.as_str()), Some("45/SCT"));
    assert_eq!(
        r.first()
            .and_then(|x| x.date.map(|d| d.to_string()))
            .as_deref(),
        Some("2020-01-02")
    );
}
