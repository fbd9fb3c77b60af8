//! Format migrations: an older store is rewritten in this version's layout
//! when it is opened, in one atomic batch (a crash during a migration
//! leaves the old store as it was).

use std::collections::BTreeMap;

use newsgraph_model::{Document, DocumentGraph, DocumentId, Event, Mention, Relation};

use std::path::Path;

use crate::error::engine_error;
use crate::{codec, keys, Corruption, StoreError, FORMAT_VERSION};

/// Version 1 kept one record per document, text, mention, event and
/// relation, with sha, doc -> relations, actor -> docs and edge indexes
/// beside them; version 2 keeps a document's graph and text in one
/// compressed value keyed by write order (here: document id order). Actor
/// records are the same in both.
pub(crate) fn from_v1(db: &sled::Db, path: &Path) -> Result<(), StoreError> {
    let sled_err = |source| engine_error(path, source);
    let graphs = read_v1(db, path)?;

    // Version 1's document keys hold ids where version 2's hold sequence
    // numbers: removals are staged first, so that a new key that happens
    // to equal an old one is written, not removed (a batch keeps the last
    // operation per key).
    let mut batch = sled::Batch::default();
    for prefix in keys::v1::ALL.into_iter().chain([keys::DOCUMENT]) {
        for item in db.scan_prefix([prefix]) {
            let (key, _) = item.map_err(sled_err)?;
            batch.remove(key);
        }
    }
    for (seq, (id, (mut graph, text))) in (0u64..).zip(graphs) {
        let text = text.ok_or_else(|| {
            StoreError::from(Corruption::Version1(format!("document {id} has no text")))
        })?;
        // Version 1 kept no order for a document's relations; version 1's
        // reader sorted them by id, and so does the migration.
        graph.relations.sort_by_key(|r| r.id);
        graph.events.sort_by_key(|e| e.id);
        batch.insert(&keys::document(seq), codec::encode_document(&graph, &text)?);
    }
    batch.insert(keys::format(), &FORMAT_VERSION.to_be_bytes());
    db.apply_batch(batch).map_err(sled_err)?;
    db.flush().map_err(sled_err)?;
    Ok(())
}

/// Version 2 kept a document without url and author; version 3 adds them
/// at the end of the document, so every document value is re-encoded (in
/// one batch, keys unchanged). Actor records are the same in both.
pub(crate) fn from_v2(db: &sled::Db, path: &Path) -> Result<(), StoreError> {
    reencode(db, path, codec::decode_document_v2)
}

/// Version 3 kept a relation without confidence; version 4 adds it at the
/// end of each relation, estimated for the relations already stored from
/// what they still tell of how they were found (see
/// [`Construction::Unrecorded`](newsgraph_model::confidence::Construction)).
pub(crate) fn from_v3(db: &sled::Db, path: &Path) -> Result<(), StoreError> {
    reencode(db, path, codec::decode_document_v3)
}

/// Decodes a document value of an older layout into its graph and text.
type DecodeOld = fn(&[u8]) -> Result<(DocumentGraph, String), StoreError>;

/// Re-encodes every document value read by `decode` in this version's
/// layout, in one batch (keys unchanged).
fn reencode(db: &sled::Db, path: &Path, decode: DecodeOld) -> Result<(), StoreError> {
    let sled_err = |source| engine_error(path, source);
    let mut batch = sled::Batch::default();
    for item in db.scan_prefix([keys::DOCUMENT]) {
        let (key, value) = item.map_err(sled_err)?;
        let (graph, text) = decode(&value)?;
        batch.insert(key, codec::encode_document(&graph, &text)?);
    }
    batch.insert(keys::format(), &FORMAT_VERSION.to_be_bytes());
    db.apply_batch(batch).map_err(sled_err)?;
    db.flush().map_err(sled_err)?;
    Ok(())
}

/// A version 1 store's documents: each graph and its text, by id.
type V1Graphs = BTreeMap<DocumentId, (DocumentGraph, Option<String>)>;

/// Every document of a version 1 store with its graph and text, by id.
fn read_v1(db: &sled::Db, path: &Path) -> Result<V1Graphs, StoreError> {
    let sled_err = |source| engine_error(path, source);
    let mut graphs: BTreeMap<DocumentId, (DocumentGraph, Option<String>)> = BTreeMap::new();
    for item in db.scan_prefix([keys::DOCUMENT]) {
        let (_, value) = item.map_err(sled_err)?;
        let document: Document = codec::decode::<codec::DocumentV2>(&value)?.into();
        graphs.insert(
            document.id,
            (
                DocumentGraph {
                    document,
                    mentions: Vec::new(),
                    events: Vec::new(),
                    relations: Vec::new(),
                },
                None,
            ),
        );
    }
    let missing = |what: &str, doc: Option<u64>| {
        StoreError::from(Corruption::Version1(format!(
            "{what} of missing document {:?}",
            doc.map(DocumentId)
        )))
    };
    for item in db.scan_prefix([keys::v1::TEXT]) {
        let (key, value) = item.map_err(sled_err)?;
        let doc = keys::first_id(&key);
        let entry = doc
            .and_then(|d| graphs.get_mut(&DocumentId(d)))
            .ok_or_else(|| missing("text", doc))?;
        entry.1 = Some(codec::decode::<String>(&value)?);
    }
    for item in db.scan_prefix([keys::v1::MENTION]) {
        let (key, value) = item.map_err(sled_err)?;
        let doc = keys::first_id(&key);
        let entry = doc
            .and_then(|d| graphs.get_mut(&DocumentId(d)))
            .ok_or_else(|| missing("mention", doc))?;
        entry.0.mentions.push(codec::decode::<Mention>(&value)?);
    }
    for item in db.scan_prefix([keys::v1::EVENT]) {
        let (_, value) = item.map_err(sled_err)?;
        let event: Event = codec::decode(&value)?;
        let entry = graphs
            .get_mut(&event.document)
            .ok_or_else(|| missing("event", Some(event.document.0)))?;
        entry.0.events.push(event);
    }
    for item in db.scan_prefix([keys::v1::RELATION]) {
        let (_, value) = item.map_err(sled_err)?;
        let relation: Relation = codec::decode::<codec::RelationV1>(&value)?.into();
        let entry = graphs
            .get_mut(&relation.document)
            .ok_or_else(|| missing("relation", Some(relation.document.0)))?;
        entry.0.relations.push(relation);
    }
    Ok(graphs)
}
