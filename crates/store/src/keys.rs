//! Key layout: one prefix byte, then big-endian ids, so that sled's byte
//! order groups every key of a kind and every edge of an actor together.
//!
//! | prefix | key                          | value                         |
//! |--------|------------------------------|-------------------------------|
//! | `0x00` | `"format"`                   | format version, u32 BE        |
//! | `d`    | document id                  | [`Document`]                  |
//! | `t`    | document id                  | the article text              |
//! | `h`    | SHA-256 (hex bytes)          | document id (content index)   |
//! | `a`    | actor id                     | merged [`Actor`]              |
//! | `m`    | document id, actor id        | [`Mention`] (doc -> actors)   |
//! | `M`    | actor id, document id        | empty (actor -> docs)         |
//! | `e`    | event id                     | [`Event`]                     |
//! | `r`    | relation id                  | [`Relation`]                  |
//! | `R`    | document id, relation id     | empty (doc -> relations)      |
//! | `o`    | subject id, relation id      | empty (forward edge index)    |
//! | `i`    | object id, relation id       | empty (reverse edge index)    |
//!
//! [`Document`]: newsgraph_model::Document
//! [`Actor`]: newsgraph_model::Actor
//! [`Mention`]: newsgraph_model::Mention
//! [`Event`]: newsgraph_model::Event
//! [`Relation`]: newsgraph_model::Relation

use newsgraph_model::{ActorId, DocumentId, EventId, RelationId};

pub const META: u8 = 0x00;
pub const DOCUMENT: u8 = b'd';
pub const TEXT: u8 = b't';
pub const SHA: u8 = b'h';
pub const ACTOR: u8 = b'a';
pub const MENTION: u8 = b'm';
pub const ACTOR_DOCS: u8 = b'M';
pub const EVENT: u8 = b'e';
pub const RELATION: u8 = b'r';
pub const DOC_RELATIONS: u8 = b'R';
pub const OUT_EDGE: u8 = b'o';
pub const IN_EDGE: u8 = b'i';

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

fn two(prefix: u8, a: u64, b: u64) -> [u8; 17] {
    let mut k = [0u8; 17];
    k[0] = prefix;
    k[1..9].copy_from_slice(&a.to_be_bytes());
    k[9..].copy_from_slice(&b.to_be_bytes());
    k
}

pub fn document(id: DocumentId) -> [u8; 9] {
    one(DOCUMENT, id.0)
}

pub fn text(id: DocumentId) -> [u8; 9] {
    one(TEXT, id.0)
}

pub fn sha(hex: &str) -> Vec<u8> {
    let mut k = vec![SHA];
    k.extend_from_slice(hex.as_bytes());
    k
}

pub fn actor(id: ActorId) -> [u8; 9] {
    one(ACTOR, id.0)
}

pub fn mention(doc: DocumentId, actor: ActorId) -> [u8; 17] {
    two(MENTION, doc.0, actor.0)
}

pub fn mentions_of(doc: DocumentId) -> [u8; 9] {
    one(MENTION, doc.0)
}

pub fn actor_doc(actor: ActorId, doc: DocumentId) -> [u8; 17] {
    two(ACTOR_DOCS, actor.0, doc.0)
}

pub fn docs_of(actor: ActorId) -> [u8; 9] {
    one(ACTOR_DOCS, actor.0)
}

pub fn event(id: EventId) -> [u8; 9] {
    one(EVENT, id.0)
}

pub fn relation(id: RelationId) -> [u8; 9] {
    one(RELATION, id.0)
}

pub fn doc_relation(doc: DocumentId, rel: RelationId) -> [u8; 17] {
    two(DOC_RELATIONS, doc.0, rel.0)
}

pub fn relations_of(doc: DocumentId) -> [u8; 9] {
    one(DOC_RELATIONS, doc.0)
}

pub fn out_edge(subject: ActorId, rel: RelationId) -> [u8; 17] {
    two(OUT_EDGE, subject.0, rel.0)
}

pub fn in_edge(object: ActorId, rel: RelationId) -> [u8; 17] {
    two(IN_EDGE, object.0, rel.0)
}

/// The second id of a two-id key.
pub fn second_id(key: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = key.get(9..17)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

/// The id of a one-id key.
pub fn first_id(key: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = key.get(1..9)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_by_prefix_then_big_endian_id() {
        let a = out_edge(ActorId(1), RelationId(0xffff));
        let b = out_edge(ActorId(2), RelationId(0));
        assert!(a < b, "all edges of actor 1 sort before actor 2");
        assert_eq!(first_id(&a), Some(1));
        assert_eq!(second_id(&a), Some(0xffff));
        assert!(a.starts_with(&one(OUT_EDGE, 1)));
        assert_eq!(second_id(&[1, 2]), None);
    }
}
