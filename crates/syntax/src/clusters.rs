//! Word clusters: each word's place in a binary tree of words that occur
//! in like contexts (hierarchical Brown clusters, from the PyPI package
//! `spacy-lookups-data`, MIT licence; `data/clusters.txt`, made by
//! `scripts/syntax/gen_clusters.py`). Words the treebank never shows
//! still get the cluster of the words they behave like, which is what the
//! tagger and the parser read them by.

use std::sync::OnceLock;

use crate::features::{hash_str, mix};

/// The table as shipped: a comment header, then `word<TAB>cluster` lines.
const TABLE: &str = include_str!("../data/clusters.txt");

/// The prefix lengths (path steps from the root) the templates read, the
/// whole path last.
pub const PREFIXES: [u32; 2] = [4, 8];

/// What a word without a cluster reads as, at every length.
pub const NO_CLUSTER: [u64; 3] = [0x4e4f_434c_0004, 0x4e4f_434c_0008, 0x4e4f_434c_00ff];

/// Word (hash of the lower-cased form) to cluster path.
pub struct Clusters {
    paths: rustc_hash::FxHashMap<u64, u64>,
    crc: u32,
}

impl Clusters {
    /// Reads a table in the shipped format; a malformed line is an error
    /// naming it.
    pub fn parse(text: &str) -> Result<Clusters, String> {
        let mut paths = rustc_hash::FxHashMap::default();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let (word, path) = line
                .rsplit_once('\t')
                .ok_or_else(|| format!("clusters line {}: no tab", n + 1))?;
            let path: u64 = path
                .parse()
                .map_err(|e| format!("clusters line {}: {e}", n + 1))?;
            paths.insert(hash_str(word), path);
        }
        Ok(Clusters {
            paths,
            crc: crc32fast::hash(text.as_bytes()),
        })
    }

    /// The CRC-32 of the table's text: a model records the table it was
    /// trained with.
    pub fn crc(&self) -> u32 {
        self.crc
    }

    /// Number of words held.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Whether no word is held.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The hashed prefixes of the cluster of the word whose lower-cased
    /// form hashes to `lower` ([`PREFIXES`], then the whole path).
    pub fn of(&self, lower: u64) -> [u64; 3] {
        match self.paths.get(&lower) {
            None => NO_CLUSTER,
            Some(&path) => {
                let prefix = |k: u32| mix(u64::from(k), path & ((1u64 << k) - 1));
                [prefix(PREFIXES[0]), prefix(PREFIXES[1]), mix(64, path)]
            }
        }
    }
}

/// The shipped table, read once.
pub fn english() -> &'static Clusters {
    static TABLE_ONCE: OnceLock<Clusters> = OnceLock::new();
    TABLE_ONCE.get_or_init(|| {
        // The table is compiled in and checked by the tests below; a
        // damaged build falls back to no clusters rather than panicking.
        Clusters::parse(TABLE).unwrap_or(Clusters {
            paths: Default::default(),
            crc: 0,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_reads_and_groups_like_words() {
        let c = Clusters::parse(TABLE).expect("the shipped table parses");
        assert!(c.len() > 50_000, "{} words", c.len());
        let of = |w: &str| c.of(hash_str(w));
        // Verbs of asking share a cluster; a noun does not.
        assert_eq!(of("asked")[2], of("urged")[2]);
        assert_ne!(of("asked")[2], of("government")[2]);
        // Institutions share an ancestor below the top.
        assert_eq!(of("government")[0], of("ministry")[0]);
        assert_eq!(of("qwxzvbnm"), NO_CLUSTER);
    }

    #[test]
    fn a_malformed_line_is_named() {
        let e = Clusters::parse("# x\nword\t12\nbad line\n").err();
        assert_eq!(e.as_deref(), Some("clusters line 3: no tab"));
        let e = Clusters::parse("w\tx1\n").err().unwrap_or_default();
        assert!(e.starts_with("clusters line 1:"), "{e}");
    }
}
