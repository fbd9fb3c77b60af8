//! Key layout (format version 2): one prefix byte, then a big-endian
//! number, so that sled's byte order groups every key of a kind together.
//!
//! | prefix | key                      | value                                   |
//! |--------|--------------------------|-----------------------------------------|
//! | `0x00` | `"format"`               | format version, u32 BE                  |
//! | `d`    | write sequence number    | one document: its graph and its text, compressed (`codec::encode_document`) |
//! | `a`    | actor id                 | merged [`Actor`]                        |
//!
//! That is all: a document is one key plus the actor records it changes.
//! Every index a query uses (names, edges in both directions, actor ->
//! documents, file and content hash -> document) lives in the in-memory
//! `GraphView`, rebuilt from these records on open.
//!
//! Documents are keyed by the order they were written in, not by their
//! (hash-derived, so random) id: sled then only ever appends to the right
//! edge of its tree, instead of rewriting random leaves, which on an
//! archive-sized ingest halves the bytes written and the disk used; and a
//! rebuild reads them back in the order they were ingested, so the graph
//! it builds is the one the ingest built. Replacing a document removes its
//! old key and appends a new one. The store keeps document id -> key in
//! memory.
//!
//! Version 1 kept one key per document, text, mention, event and relation,
//! with sha, doc -> relations, actor -> docs and edge indexes beside them;
//! no reader used those indexes, and they were 95% of the keys a write had
//! to insert. `migrate` turns such a store into this layout.
//!
//! [`Actor`]: newsgraph_model::Actor

use newsgraph_model::ActorId;

pub const META: u8 = 0x00;
pub const DOCUMENT: u8 = b'd';
pub const ACTOR: u8 = b'a';

/// Prefixes of format version 1 that version 2 no longer writes (its `d`
/// and `a` keys are migrated in place).
pub mod v1 {
    pub const TEXT: u8 = b't';
    pub const SHA: u8 = b'h';
    pub const MENTION: u8 = b'm';
    pub const ACTOR_DOCS: u8 = b'M';
    pub const EVENT: u8 = b'e';
    pub const RELATION: u8 = b'r';
    pub const DOC_RELATIONS: u8 = b'R';
    pub const OUT_EDGE: u8 = b'o';
    pub const IN_EDGE: u8 = b'i';
    /// Every version-1-only prefix.
    pub const ALL: [u8; 9] = [
        TEXT,
        SHA,
        MENTION,
        ACTOR_DOCS,
        EVENT,
        RELATION,
        DOC_RELATIONS,
        OUT_EDGE,
        IN_EDGE,
    ];
}

pub fn format() -> Vec<u8> {
    let mut k = vec![META];
    k.extend_from_slice(b"format");
    k
}

fn one(prefix: u8, id: u64) -> [u8; 9] {
    let mut k = [0u8; 9];
    k[0] = prefix;
    k[1..].copy_from_slice(&id.to_be_bytes());
    k
}

/// A document's key: the sequence number of the write that stored it.
pub fn document(seq: u64) -> [u8; 9] {
    one(DOCUMENT, seq)
}

pub fn actor(id: ActorId) -> [u8; 9] {
    one(ACTOR, id.0)
}

/// The number of a one-number key.
pub fn first_id(key: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = key.get(1..9)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_by_prefix_then_big_endian_number() {
        let a = document(0xff);
        let b = document(0x100);
        assert!(a < b, "sequence numbers sort numerically");
        assert!(
            actor(ActorId(u64::MAX)) < a,
            "every actor sorts before every document"
        );
        assert_eq!(first_id(&a), Some(0xff));
        assert_eq!(first_id(&[1, 2]), None);
    }
}
