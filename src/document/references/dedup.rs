//! Repeated citations of one document merged into one (spec §2.3).

use std::collections::HashMap;

use crate::document::Reference;

/// Merges repeated citations of one KEY into the most complete tuple (spec §2.3),
/// keeping apart two citations of one KEY with different dates (`26-NQ/TW` of 2008
/// and of 2018). Order of first appearance is kept.
pub fn dedup_references(refs: &[Reference]) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for r in refs {
        let slots = by_key.entry(r.key.clone()).or_default();
        let mut merged = false;
        for &i in slots.iter() {
            let Some(o) = out.get_mut(i) else { continue };
            let compatible = o.date.is_none() || r.date.is_none() || o.date == r.date;
            if compatible {
                if o.date.is_none() {
                    o.date = r.date;
                }
                if o.issuer.is_none() {
                    o.issuer = r.issuer.clone();
                }
                if o.relation.is_none() {
                    o.relation = r.relation.clone();
                }
                merged = true;
                break;
            }
        }
        if !merged {
            slots.push(out.len());
            out.push(r.clone());
        }
    }
    out
}
