//! A small least-recently-used cache (linear scan: meant for tens of entries),
//! bounded by its number of entries and by the bytes its values hold; and
//! [`PerSegment`], one value per index segment.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::index::SegmentId;
use tantivy::{Searcher, SegmentReader};

/// What a cached value holds on the heap, estimated in bytes (its own size plus
/// what it owns; shared parts counted once, by the cache that keeps them).
pub trait Weigh {
    /// Estimated bytes.
    fn weight(&self) -> usize;
}

impl<T: Weigh> Weigh for std::sync::Arc<T> {
    fn weight(&self) -> usize {
        T::weight(self)
    }
}

impl<T: Weigh> Weigh for Option<T> {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>() + self.as_ref().map_or(0, T::weight)
    }
}

impl<T: Weigh> Weigh for Vec<T> {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>() + self.iter().map(T::weight).sum::<usize>()
    }
}

impl Weigh for String {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>() + self.capacity()
    }
}

/// How full a cache is, and its limits (as `/healthz` shows them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CacheUsage {
    /// What the cache keeps.
    pub name: String,
    /// Entries now.
    pub entries: u64,
    /// Estimated bytes of the entries now.
    pub bytes: u64,
    /// Most entries kept (absent: one per index commit).
    pub max_entries: Option<u64>,
    /// Most bytes kept (absent: bounded by the corpus, see `note`).
    pub max_bytes: Option<u64>,
    /// How the cache is bounded, in words.
    pub note: String,
}

/// An LRU cache bounded by its number of entries and by the estimated bytes of
/// its values ([`Weigh`]), safe to share between threads. A value larger than
/// the byte limit is not kept.
#[derive(Debug)]
pub struct Lru<K, V> {
    capacity: usize,
    max_bytes: usize,
    entries: Mutex<Entries<K, V>>,
}

#[derive(Debug)]
struct Entries<K, V> {
    /// (key, value, its weight), least recently used first.
    list: Vec<(K, V, usize)>,
    bytes: usize,
}

impl<K: PartialEq, V: Clone + Weigh> Lru<K, V> {
    /// A cache holding at most `capacity` entries (0: caches nothing) and at most
    /// `max_bytes` of values.
    pub fn new(capacity: usize, max_bytes: usize) -> Self {
        Lru {
            capacity,
            max_bytes,
            entries: Mutex::new(Entries {
                list: Vec::new(),
                bytes: 0,
            }),
        }
    }

    /// The value of `key`, marking it most recently used.
    pub fn get(&self, key: &K) -> Option<V> {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let i = e.list.iter().position(|(k, _, _)| k == key)?;
        let entry = e.list.remove(i);
        let v = entry.1.clone();
        e.list.push(entry);
        Some(v)
    }

    /// Stores `value` under `key`, evicting the least recently used entries while
    /// the cache would hold too many entries or bytes.
    pub fn put(&self, key: K, value: V) {
        let weight = value.weight();
        if self.capacity == 0 || weight > self.max_bytes {
            return;
        }
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = e.list.iter().position(|(k, _, _)| k == &key) {
            let (_, _, w) = e.list.remove(i);
            e.bytes -= w;
        }
        while !e.list.is_empty()
            && (e.list.len() >= self.capacity || e.bytes + weight > self.max_bytes)
        {
            let (_, _, w) = e.list.remove(0);
            e.bytes -= w;
        }
        e.bytes += weight;
        e.list.push((key, value, weight));
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .list
            .len()
    }

    /// Entries, bytes and limits, under `name`.
    pub fn usage(&self, name: &str, note: &str) -> CacheUsage {
        let e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        CacheUsage {
            name: name.to_string(),
            entries: e.list.len() as u64,
            bytes: e.bytes as u64,
            max_entries: Some(self.capacity as u64),
            max_bytes: Some(self.max_bytes as u64),
            note: note.to_string(),
        }
    }
}

/// One value per index segment, built on first use and shared by the searches of
/// an engine (segments are immutable); values of segments gone (merged away or
/// deleted) are dropped by [`PerSegment::retain`].
#[derive(Debug)]
pub struct PerSegment<T> {
    values: Mutex<HashMap<SegmentId, Arc<T>>>,
}

impl<T> Default for PerSegment<T> {
    fn default() -> Self {
        PerSegment {
            values: Mutex::default(),
        }
    }
}

impl<T> PerSegment<T> {
    /// The value of `segment`, built by `build` on first use (outside the lock:
    /// two searches may build the same value once each).
    pub fn get_or_build(
        &self,
        segment: &SegmentReader,
        build: impl FnOnce() -> tantivy::Result<T>,
    ) -> tantivy::Result<Arc<T>> {
        let id = segment.segment_id();
        if let Some(v) = self.lock().get(&id) {
            return Ok(Arc::clone(v));
        }
        let v = Arc::new(build()?);
        self.lock().insert(id, Arc::clone(&v));
        Ok(v)
    }

    /// Forgets the values of segments not in `searcher`.
    pub fn retain(&self, searcher: &Searcher) {
        let live: HashSet<_> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        self.lock().retain(|id, _| live.contains(id));
    }

    /// The values now kept.
    pub fn values(&self) -> Vec<Arc<T>> {
        self.lock().values().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<T>>> {
        // A panic while holding the lock leaves a consistent map: keep using it.
        self.values.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Weigh for &str {
        fn weight(&self) -> usize {
            self.len()
        }
    }

    #[test]
    fn evicts_least_recently_used() {
        let c = Lru::new(2, 1 << 20);
        c.put(1, "a");
        c.put(2, "b");
        assert_eq!(c.get(&1), Some("a"));
        c.put(3, "c");
        assert_eq!(c.get(&2), None);
        assert_eq!(c.get(&1), Some("a"));
        assert_eq!(c.get(&3), Some("c"));
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn keeps_within_its_bytes() {
        let c = Lru::new(10, 10);
        c.put(1, "aaaa");
        c.put(2, "bbbb");
        assert_eq!(c.usage("t", "").bytes, 8);
        // A third value of 4 bytes evicts the oldest.
        c.put(3, "cccc");
        assert_eq!(c.get(&1), None);
        assert_eq!((c.len(), c.usage("t", "").bytes), (2, 8));
        // Replacing a key counts its new weight only.
        c.put(3, "cc");
        assert_eq!(c.usage("t", "").bytes, 6);
        // A value larger than the limit is not kept, and evicts nothing.
        c.put(4, "eleven char");
        assert_eq!((c.get(&4), c.len()), (None, 2));
    }
}
