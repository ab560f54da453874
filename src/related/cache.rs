//! One citation graph per index commit, shared.
//!
//! Building a [`Graph`] reads every stored document, so a service keeps one and
//! rebuilds it only when the index changes: the cache key is the searcher's set of
//! segments with their delete opstamps (a commit that adds, deletes or merges
//! documents changes it; a reload without changes does not). Callers that find the
//! graph stale while another caller is rebuilding it wait for that build instead of
//! starting their own. [`GraphCache::get`] blocks: call it on a blocking thread.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::Opstamp;

use super::Graph;
use crate::query::Engine;
use crate::Result;

type Key = BTreeMap<SegmentId, Option<Opstamp>>;

/// The citation graph of the engine's current commit, built lazily.
#[derive(Debug, Default)]
pub struct GraphCache {
    current: Mutex<Option<(Key, Arc<Graph>)>>,
    /// Held while building, so concurrent callers share one build.
    building: Mutex<()>,
    builds: std::sync::atomic::AtomicU64,
    /// Estimated bytes of the current graph, measured once when it is built.
    bytes: std::sync::atomic::AtomicU64,
}

impl GraphCache {
    /// An empty cache.
    pub fn new() -> GraphCache {
        GraphCache::default()
    }

    fn cached(&self, key: &Key) -> Option<Arc<Graph>> {
        let cur = self.current.lock().unwrap_or_else(|p| p.into_inner());
        cur.as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, g)| Arc::clone(g))
    }

    /// The graph of the engine's current commit: the cached one when the index has
    /// not changed since it was built, else a new one (built once, whoever asks).
    pub fn get(&self, engine: &Engine) -> Result<Arc<Graph>> {
        let searcher = engine.searcher();
        let key: Key = searcher.generation().segments().clone();
        if let Some(g) = self.cached(&key) {
            return Ok(g);
        }
        let _building = self.building.lock().unwrap_or_else(|p| p.into_inner());
        // Someone else may have built it while we waited.
        if let Some(g) = self.cached(&key) {
            return Ok(g);
        }
        let graph = Arc::new(Graph::build_on(engine, &searcher)?);
        self.bytes.store(
            crate::query::Weigh::weight(&*graph) as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        self.builds
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut cur = self.current.lock().unwrap_or_else(|p| p.into_inner());
        *cur = Some((key, Arc::clone(&graph)));
        Ok(graph)
    }

    /// Its entry (the graph of the last commit asked for), for `/healthz`.
    pub fn usage(&self) -> crate::query::CacheUsage {
        let cur = self.current.lock().unwrap_or_else(|p| p.into_inner());
        crate::query::CacheUsage {
            name: "citation graph".into(),
            entries: u64::from(cur.is_some()),
            bytes: self.bytes.load(std::sync::atomic::Ordering::Relaxed),
            max_entries: None,
            max_bytes: None,
            note: "one graph, of the last commit asked for; grows with documents and citations"
                .into(),
        }
    }

    /// How many graphs were built so far.
    pub fn builds(&self) -> u64 {
        self.builds.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Record;

    fn record(number: &str, date: &str, cites: &[&str]) -> Record {
        Record {
            number: Some(number.into()),
            date: date.parse().ok(),
            province: Some("Kiên Giang".into()),
            references: cites
                .iter()
                .map(|k| crate::document::Reference {
                    key: k.to_string(),
                    fold: crate::document::references::fold_number(k),
                    date: None,
                    issuer: None,
                    relation: None,
                    start: 0,
                    end: 0,
                    sentence: String::new(),
                    written: String::new(),
                })
                .collect(),
            text: format!("Kế hoạch số {number}"),
            ..Record::default()
        }
    }

    #[test]
    fn a_new_commit_triggers_a_rebuild_and_nothing_else_does() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let index = crate::index::open_or_create(dir).unwrap();
        let fields = crate::index::fields(&index, dir).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        writer
            .add_document(fields.to_document("a", "a", "h", record("1/KH-UBND", "2020-01-01", &[])))
            .unwrap();
        writer.commit().unwrap();
        let engine = Engine::open(dir).unwrap();
        let cache = GraphCache::new();

        let g1 = cache.get(&engine).unwrap();
        assert_eq!(g1.len(), 1);
        let again = cache.get(&engine).unwrap();
        assert!(Arc::ptr_eq(&g1, &again), "same commit: same graph");
        engine.reload().unwrap();
        assert!(
            Arc::ptr_eq(&g1, &cache.get(&engine).unwrap()),
            "a reload without a commit keeps the graph"
        );
        assert_eq!(cache.builds(), 1);

        writer
            .add_document(fields.to_document(
                "b",
                "b",
                "h",
                record("2/KH-UBND", "2020-02-01", &["1/KH-UBND"]),
            ))
            .unwrap();
        writer.commit().unwrap();
        engine.reload().unwrap();
        let g2 = cache.get(&engine).unwrap();
        assert!(!Arc::ptr_eq(&g1, &g2), "a commit rebuilds");
        assert_eq!(g2.len(), 2);
        assert_eq!(cache.builds(), 2);
        let cites: Vec<_> = g2
            .related("b", None, 10)
            .unwrap()
            .cites
            .into_iter()
            .filter_map(|c| c.document.map(|d| d.id))
            .collect();
        assert_eq!(cites, ["a"]);
    }

    #[test]
    fn concurrent_callers_share_one_build() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let index = crate::index::open_or_create(dir).unwrap();
        let fields = crate::index::fields(&index, dir).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        for i in 0..50 {
            writer
                .add_document(fields.to_document(
                    &format!("d{i}"),
                    "s",
                    "h",
                    record(&format!("{i}/KH-UBND"), "2020-01-01", &["1/KH-UBND"]),
                ))
                .unwrap();
        }
        writer.commit().unwrap();
        let engine = Engine::open(dir).unwrap();
        let cache = GraphCache::new();
        let graphs: Vec<Arc<Graph>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| cache.get(&engine).unwrap()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(cache.builds(), 1);
        assert!(graphs.iter().all(|g| Arc::ptr_eq(g, &graphs[0])));
    }
}
