//! A small least-recently-used cache (linear scan: meant for tens of entries).

use std::sync::Mutex;

/// An LRU cache bounded by its number of entries, safe to share between threads.
#[derive(Debug)]
pub struct Lru<K, V> {
    capacity: usize,
    entries: Mutex<Vec<(K, V)>>,
}

impl<K: PartialEq, V: Clone> Lru<K, V> {
    /// A cache holding at most `capacity` entries (0: caches nothing).
    pub fn new(capacity: usize) -> Self {
        Lru {
            capacity,
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The value of `key`, marking it most recently used.
    pub fn get(&self, key: &K) -> Option<V> {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let i = e.iter().position(|(k, _)| k == key)?;
        let entry = e.remove(i);
        let v = entry.1.clone();
        e.push(entry);
        Some(v)
    }

    /// Stores `value` under `key`, evicting the least recently used entry if full.
    pub fn put(&self, key: K, value: V) {
        if self.capacity == 0 {
            return;
        }
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        e.retain(|(k, _)| k != &key);
        while e.len() >= self.capacity {
            e.remove(0);
        }
        e.push((key, value));
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used() {
        let c = Lru::new(2);
        c.put(1, "a");
        c.put(2, "b");
        assert_eq!(c.get(&1), Some("a"));
        c.put(3, "c");
        assert_eq!(c.get(&2), None);
        assert_eq!(c.get(&1), Some("a"));
        assert_eq!(c.get(&3), Some("c"));
        assert_eq!(c.len(), 2);
    }
}
