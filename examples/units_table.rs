//! Rebuilds `data/units.tsv`, the embedded gazetteer of administrative units below
//! the province, from the shared tables (`../shared/data/units/`, MIT, see
//! `data/LICENSE-units.txt`):
//!
//! ```sh
//! cargo run --example units_table -- ../shared/data/units > data/units.tsv
//! ```
//!
//! One row per unit, only the columns resolution needs (`kind, code, type, name,
//! province, district, new`):
//!
//! - `u`: a commune, ward or special zone of the two-level system in force since
//!   1 July 2025; `province` is its 2025 statistical province code. A unit renamed
//!   since (`units_2025_changes.tsv`) lists both names, `Phố Bảng|Phó Bảng`.
//! - `d`: a district before the reform (`huyện`, `quận`, `thị xã`, `thành phố`);
//!   `province` is the old province code.
//! - `o`: a commune, ward or town before the reform; `province` is the old province
//!   code, `district` the code of its `d` row, `new` the codes of the `u` units it
//!   went into (comma-separated; empty when the merge notes did not name one).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

fn rows(dir: &std::path::Path, file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(|f| f.trim().to_string()).collect())
        .collect()
}

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/data/units".into()),
    );
    // Renames since July 2025: the older name stays an alternative.
    let mut renamed: HashMap<String, String> = HashMap::new();
    for r in rows(&dir, "units_2025_changes.tsv") {
        if r.len() >= 5 && r[0] == "unit" && r[2] == "rename" {
            if let Some((_, old)) = r[3].split_once(' ') {
                renamed.insert(r[1].clone(), old.to_string());
            }
        }
    }
    println!("kind\tcode\ttype\tname\tprovince\tdistrict\tnew");
    for r in rows(&dir, "units_2025.tsv") {
        // province_code, province, unit_code, unit_type, unit
        let mut name = r[4].clone();
        if let Some(old) = renamed.get(&r[2]) {
            name = format!("{name}|{old}");
        }
        println!("u\t{}\t{}\t{}\t{}\t\t", r[2], r[3], name, r[0]);
    }
    // province_code, province, district_code, district_type, district, n_units
    let mut district_code: HashMap<(String, String, String), String> = HashMap::new();
    for r in rows(&dir, "districts_pre2025.tsv") {
        district_code.insert((r[0].clone(), r[3].clone(), r[4].clone()), r[2].clone());
        println!("d\t{}\t{}\t{}\t{}\t\t", r[2], r[3], r[4], r[0]);
    }
    // old_unit_code … new_unit_code (column 7)
    let mut merged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in rows(&dir, "merges_2025.tsv") {
        if r.len() > 6 && !r[6].is_empty() {
            merged.entry(r[0].clone()).or_default().insert(r[6].clone());
        }
    }
    for r in rows(&dir, "units_pre2025.tsv") {
        // province_code, province, district_type, district, unit_code, unit_type, unit
        let d = district_code
            .get(&(r[0].clone(), r[2].clone(), r[3].clone()))
            .cloned()
            .unwrap_or_default();
        let new = merged
            .get(&r[4])
            .map(|s| s.iter().cloned().collect::<Vec<_>>().join(","))
            .unwrap_or_default();
        println!("o\t{}\t{}\t{}\t{}\t{}\t{}", r[4], r[5], r[6], r[0], d, new);
    }
}
