//! The hash the extractor's maps use: the lexicon's tables are probed with
//! every token of every article, and SipHash (the std default) was a tenth
//! of extraction time. The keys are our own data files and the words of an
//! article, which only ever look keys up, so resistance to chosen
//! collisions buys nothing here. The mixing step is the one of rustc's
//! `FxHasher`.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

/// Multiply-rotate hashing of whole words (rustc's `FxHasher`).
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        // The last 1-7 bytes and their count, packed by hand: a short
        // copy into a buffer compiled to a call to memcpy.
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let packed = tail.iter().fold((tail.len() as u64) << 56, |word, &b| {
                (word << 8) | u64::from(b)
            });
            self.add(packed);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The table picks buckets with the low bits; the multiply leaves
        // its best bits at the top.
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_that_differ_anywhere_hash_apart() {
        let hash = |s: &str| {
            let mut h = FastHasher::default();
            std::hash::Hash::hash(s, &mut h);
            h.finish()
        };
        assert_ne!(hash("prime minister"), hash("prime ministers"));
        assert_ne!(hash("ab"), hash("ba"));
        assert_ne!(hash(""), hash("a"));
        let set: FastSet<&str> = ["said", "told", "urged"].into_iter().collect();
        assert!(set.contains("told") && !set.contains("tolds"));
    }
}
