//! A map bounded by weight, for caches of requests: the parsed-document
//! cache here and the server's response cache (in the CLI).
//!
//! Entries live in two generations of at most `limit` weight each: new
//! entries go into the newer one; when it is full it becomes the older one
//! and the generation before is dropped; an entry found in the older one
//! moves back into the newer. What is asked often stays, without any
//! bookkeeping on a hit in the newer generation (the common case).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// See the module documentation.
#[derive(Debug)]
pub struct Generations<K, V> {
    /// Weight one generation may hold.
    limit: usize,
    /// An entry's weight (1 to count entries, its size to count bytes).
    weigh: fn(&K, &V) -> usize,
    newer: HashMap<K, V>,
    newer_weight: usize,
    older: HashMap<K, V>,
    older_weight: usize,
}

impl<K: Hash + Eq, V: Clone> Generations<K, V> {
    /// Empty, each generation holding at most `limit` weight.
    pub fn new(limit: usize, weigh: fn(&K, &V) -> usize) -> Generations<K, V> {
        Generations {
            limit,
            weigh,
            newer: HashMap::new(),
            newer_weight: 0,
            older: HashMap::new(),
            older_weight: 0,
        }
    }

    /// The value kept for `key`, moved into the newer generation.
    pub fn get<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(value) = self.newer.get(key) {
            return Some(value.clone());
        }
        let (key, value) = self.older.remove_entry(key)?;
        self.older_weight -= (self.weigh)(&key, &value).min(self.older_weight);
        self.insert(key, value.clone());
        Some(value)
    }

    /// Keeps `value` for `key` (replacing what was kept for it); an entry
    /// heavier than a whole generation is not kept.
    pub fn insert(&mut self, key: K, value: V) {
        let weight = (self.weigh)(&key, &value);
        if weight > self.limit {
            return;
        }
        if let Some(old) = self.newer.remove(&key) {
            self.newer_weight -= (self.weigh)(&key, &old).min(self.newer_weight);
        }
        if let Some(old) = self.older.remove(&key) {
            self.older_weight -= (self.weigh)(&key, &old).min(self.older_weight);
        }
        if self.newer_weight + weight > self.limit {
            self.older = std::mem::take(&mut self.newer);
            self.older_weight = std::mem::take(&mut self.newer_weight);
        }
        self.newer_weight += weight;
        self.newer.insert(key, value);
    }

    /// Drops every entry.
    pub fn clear(&mut self) {
        *self = Generations::new(self.limit, self.weigh);
    }

    /// Entries kept.
    pub fn len(&self) -> usize {
        self.newer.len() + self.older.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The weight of the entries kept (at most twice the limit).
    pub fn weight(&self) -> usize {
        self.newer_weight + self.older_weight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_stays_bounded_and_what_is_asked_stays() {
        let mut kept: Generations<String, Vec<u8>> =
            Generations::new(10_000, |k, v| k.len() + v.len());
        kept.insert("hot".into(), vec![0; 100]);
        for i in 0..1_000 {
            kept.insert(format!("k{i}"), vec![0; 500]);
            assert!(kept.get("hot").is_some(), "hot lost after k{i}");
            assert!(kept.weight() <= 20_000, "{}", kept.weight());
        }
        assert!(kept.get("k999").is_some());
        assert!(kept.get("k0").is_none(), "an unused old entry went");
        kept.insert("heavy".into(), vec![0; 10_001]);
        assert!(kept.get("heavy").is_none(), "heavier than a generation");
    }

    #[test]
    fn a_key_kept_again_counts_once() {
        let mut kept: Generations<&str, usize> = Generations::new(100, |_, v| *v);
        kept.insert("a", 10);
        kept.insert("a", 20);
        assert_eq!((kept.len(), kept.weight()), (1, 20));
        kept.clear();
        assert!(kept.is_empty());
        assert_eq!(kept.weight(), 0);
    }
}
