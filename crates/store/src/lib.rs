//! # newsgraph-store
//!
//! Persistence for newsgraph: one sled database behind [`Store`], and the
//! in-memory petgraph [`GraphView`] that every query reads.
//!
//! The key design decision: **a document is the unit of change.** Every key
//! one article contributes (its document record, text, mentions, events,
//! relations and their forward and reverse edge indexes, the merged records
//! of the actors it touches) is written in ONE sled `apply_batch`, so after a
//! crash an article is either wholly present or wholly absent. A changed
//! article replaces its old graph in the same batch. The write is reported
//! done only after `flush_async` has made it durable.
//!
//! The view is rebuilt from sled on open and updated under the same lock as
//! each batch, so readers never see a half-applied article.
//!
//! See [`keys`] for the key layout and [`codec`] for the value encoding.
#![deny(missing_docs)]

pub mod codec;
#[allow(missing_docs)] // the table in the module doc documents every key
pub mod keys;
mod view;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock, RwLockReadGuard};

use newsgraph_model::{
    merge_mentions, Actor, ActorId, Document, DocumentGraph, DocumentId, Event, Mention, Relation,
    RelationId,
};

pub use view::{EdgeDirection, GraphView, Neighborhood, Subgraph};

/// The store format this code writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// sled failed (IO, corruption).
    #[error("store at '{path}': {source}")]
    Sled {
        /// The database directory.
        path: PathBuf,
        /// The underlying error.
        source: sled::Error,
    },
    /// A stored value could not be encoded or decoded.
    #[error("stored value is unreadable: {0}")]
    Codec(String),
    /// The store was written by a different format version.
    #[error("store at '{path}' has format version {found}; this newsgraph reads version {expected}{hint}")]
    Format {
        /// The database directory.
        path: PathBuf,
        /// The version found on disk.
        found: u32,
        /// The version this build reads.
        expected: u32,
        /// What to do about it.
        hint: &'static str,
    },
    /// Stored data contradicts itself.
    #[error("store is inconsistent: {0}")]
    Corrupt(String),
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// A new document was added.
    Added,
    /// An existing document (same file) was replaced.
    Replaced,
    /// The same content was already stored: nothing changed.
    Unchanged,
}

/// The sled database and the graph view built from it.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    db: sled::Db,
    view: RwLock<GraphView>,
    writer: Mutex<()>,
}

impl Store {
    /// Opens (or creates) the store at `path` and rebuilds the graph view.
    ///
    /// Refuses a store written by a newer format version.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        let db = sled::Config::new()
            .path(&path)
            .open()
            .map_err(|source| StoreError::Sled {
                path: path.clone(),
                source,
            })?;
        let store = Store {
            view: RwLock::new(GraphView::default()),
            writer: Mutex::new(()),
            path,
            db,
        };
        store.check_format()?;
        let view = store.load_view()?;
        *store.view.write().map_err(|_| poisoned())? = view;
        Ok(store)
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sled_err(&self, source: sled::Error) -> StoreError {
        StoreError::Sled {
            path: self.path.clone(),
            source,
        }
    }

    fn check_format(&self) -> Result<(), StoreError> {
        let key = keys::format();
        match self.db.get(&key).map_err(|e| self.sled_err(e))? {
            None => {
                let has_data = self
                    .db
                    .iter()
                    .next()
                    .transpose()
                    .map_err(|e| self.sled_err(e))?
                    .is_some();
                if has_data {
                    return Err(StoreError::Corrupt(format!(
                        "'{}' holds data but no format version: not a newsgraph store",
                        self.path.display()
                    )));
                }
                self.db
                    .insert(key, &FORMAT_VERSION.to_be_bytes())
                    .map_err(|e| self.sled_err(e))?;
                self.db.flush().map_err(|e| self.sled_err(e))?;
                Ok(())
            }
            Some(bytes) => {
                let found = <[u8; 4]>::try_from(bytes.as_ref())
                    .map(u32::from_be_bytes)
                    .map_err(|_| StoreError::Corrupt("format version key is malformed".into()))?;
                match found.cmp(&FORMAT_VERSION) {
                    std::cmp::Ordering::Equal => Ok(()),
                    std::cmp::Ordering::Greater => Err(StoreError::Format {
                        path: self.path.clone(),
                        found,
                        expected: FORMAT_VERSION,
                        hint: "; it was written by a newer newsgraph: upgrade newsgraph to open it",
                    }),
                    std::cmp::Ordering::Less => Err(StoreError::Format {
                        path: self.path.clone(),
                        found,
                        expected: FORMAT_VERSION,
                        hint:
                            "; no migration exists for it: re-ingest the articles into a new store",
                    }),
                }
            }
        }
    }

    fn scan<T: serde::de::DeserializeOwned>(&self, prefix: u8) -> Result<Vec<T>, StoreError> {
        self.db
            .scan_prefix([prefix])
            .map(|item| {
                let (_, value) = item.map_err(|e| self.sled_err(e))?;
                codec::decode(&value)
            })
            .collect()
    }

    fn load_view(&self) -> Result<GraphView, StoreError> {
        let mut view = GraphView::default();
        for actor in self.scan::<Actor>(keys::ACTOR)? {
            view.put_actor(actor);
        }
        let mut graphs: std::collections::HashMap<DocumentId, DocumentGraph> =
            std::collections::HashMap::new();
        for document in self.scan::<Document>(keys::DOCUMENT)? {
            graphs.insert(
                document.id,
                DocumentGraph {
                    document,
                    mentions: Vec::new(),
                    events: Vec::new(),
                    relations: Vec::new(),
                },
            );
        }
        for mention in self.db.scan_prefix([keys::MENTION]) {
            let (key, value) = mention.map_err(|e| self.sled_err(e))?;
            let doc = keys::first_id(&key).map(DocumentId);
            let mention: Mention = codec::decode(&value)?;
            match doc.and_then(|d| graphs.get_mut(&d)) {
                Some(g) => g.mentions.push(mention),
                None => return Err(StoreError::Corrupt("mention of a missing document".into())),
            }
        }
        for event in self.scan::<Event>(keys::EVENT)? {
            match graphs.get_mut(&event.document) {
                Some(g) => g.events.push(event),
                None => return Err(StoreError::Corrupt("event of a missing document".into())),
            }
        }
        for relation in self.scan::<Relation>(keys::RELATION)? {
            match graphs.get_mut(&relation.document) {
                Some(g) => g.relations.push(relation),
                None => return Err(StoreError::Corrupt("relation of a missing document".into())),
            }
        }
        for graph in graphs.values_mut() {
            graph.relations.sort_by_key(|r| r.id);
            view.insert_document(graph, &[]);
        }
        Ok(view)
    }

    /// Read access to the graph view.
    pub fn view(&self) -> RwLockReadGuard<'_, GraphView> {
        // A panic while holding the lock cannot leave the view half-written
        // (every mutation is computed first, then applied), so a poisoned
        // lock's data is still consistent.
        self.view.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The stored text of a document.
    pub fn text(&self, doc: DocumentId) -> Result<Option<String>, StoreError> {
        match self.db.get(keys::text(doc)).map_err(|e| self.sled_err(e))? {
            Some(bytes) => codec::decode(&bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Writes one article's graph atomically, replacing the document's
    /// previous graph (same file), and waits until it is durable.
    pub async fn put_document(
        &self,
        graph: &DocumentGraph,
        text: &str,
    ) -> Result<WriteOutcome, StoreError> {
        let outcome = self.apply_document(graph, text)?;
        if outcome != WriteOutcome::Unchanged {
            self.db.flush_async().await.map_err(|e| self.sled_err(e))?;
        }
        Ok(outcome)
    }

    /// Waits until every write so far is durable.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.db.flush_async().await.map_err(|e| self.sled_err(e))?;
        Ok(())
    }

    /// Removes a document and every relation, event and mention it alone
    /// contributed, atomically; returns whether it existed.
    pub async fn delete_document(&self, doc: DocumentId) -> Result<bool, StoreError> {
        let existed = {
            let _writer = self.writer.lock().map_err(|_| poisoned())?;
            if self.view().document(doc).is_none() {
                false
            } else {
                let mut batch = sled::Batch::default();
                let dropped = self.stage_removal(doc, &[], &mut batch)?;
                self.db.apply_batch(batch).map_err(|e| self.sled_err(e))?;
                let mut view = self.view.write().map_err(|_| poisoned())?;
                view.remove_document(doc, &dropped.dropped);
                for actor in dropped.rewritten {
                    view.put_actor(actor);
                }
                true
            }
        };
        if existed {
            self.db.flush_async().await.map_err(|e| self.sled_err(e))?;
        }
        Ok(existed)
    }

    fn apply_document(
        &self,
        graph: &DocumentGraph,
        text: &str,
    ) -> Result<WriteOutcome, StoreError> {
        let _writer = self.writer.lock().map_err(|_| poisoned())?;
        let doc = &graph.document;
        let existing = self.view().document(doc.id).cloned();
        if existing.as_ref().is_some_and(|d| d.sha256 == doc.sha256) {
            return Ok(WriteOutcome::Unchanged);
        }
        let mut batch = sled::Batch::default();
        let new_actors: Vec<ActorId> = graph.mentions.iter().map(|m| m.actor).collect();
        let removal = match &existing {
            Some(_) => self.stage_removal(doc.id, &new_actors, &mut batch)?,
            None => Removal::default(),
        };
        let merged = self.stage_insert(graph, text, &mut batch)?;
        self.db.apply_batch(batch).map_err(|e| self.sled_err(e))?;

        let mut view = self.view.write().map_err(|_| poisoned())?;
        if existing.is_some() {
            view.remove_document(doc.id, &removal.dropped);
            for actor in removal.rewritten {
                view.put_actor(actor);
            }
        }
        view.insert_document(graph, &merged);
        Ok(if existing.is_some() {
            WriteOutcome::Replaced
        } else {
            WriteOutcome::Added
        })
    }

    /// Stages the removal of a document's keys. Actors it mentioned that
    /// are not in `kept` get their merged record recomputed from the other
    /// documents, or are dropped when no other document mentions them.
    fn stage_removal(
        &self,
        doc: DocumentId,
        kept: &[ActorId],
        batch: &mut sled::Batch,
    ) -> Result<Removal, StoreError> {
        let view = self.view();
        let Some(old) = view.document(doc) else {
            return Ok(Removal::default());
        };
        batch.remove(&keys::document(doc));
        batch.remove(&keys::text(doc));
        batch.remove(keys::sha(&old.sha256));
        for rel in view.document_relations(doc) {
            batch.remove(&keys::relation(rel.id));
            batch.remove(&keys::doc_relation(doc, rel.id));
            batch.remove(&keys::out_edge(rel.subject, rel.id));
            if let Some(o) = rel.object {
                batch.remove(&keys::in_edge(o, rel.id));
            }
        }
        for event in view.events().into_iter().filter(|e| e.document == doc) {
            batch.remove(&keys::event(event.id));
        }
        let mut removal = Removal::default();
        for actor in view.document_mentions(doc) {
            batch.remove(&keys::mention(doc, actor.id));
            batch.remove(&keys::actor_doc(actor.id, doc));
            if kept.contains(&actor.id) {
                continue;
            }
            let others = self.mentions_elsewhere(actor.id, doc)?;
            match merge_mentions(&others) {
                Some(merged) => {
                    batch.insert(&keys::actor(actor.id), codec::encode(&merged)?);
                    removal.rewritten.push(merged);
                }
                None => {
                    batch.remove(&keys::actor(actor.id));
                    removal.dropped.push(actor.id);
                }
            }
        }
        Ok(removal)
    }

    fn mentions_elsewhere(
        &self,
        actor: ActorId,
        except: DocumentId,
    ) -> Result<Vec<Mention>, StoreError> {
        let mut out = Vec::new();
        for item in self.db.scan_prefix(keys::docs_of(actor)) {
            let (key, _) = item.map_err(|e| self.sled_err(e))?;
            let Some(doc) = keys::second_id(&key).map(DocumentId) else {
                return Err(StoreError::Corrupt("malformed actor-document key".into()));
            };
            if doc == except {
                continue;
            }
            if let Some(bytes) = self
                .db
                .get(keys::mention(doc, actor))
                .map_err(|e| self.sled_err(e))?
            {
                out.push(codec::decode(&bytes)?);
            }
        }
        Ok(out)
    }

    /// Stages every key of a document graph; returns the merged actor
    /// records it writes.
    fn stage_insert(
        &self,
        graph: &DocumentGraph,
        text: &str,
        batch: &mut sled::Batch,
    ) -> Result<Vec<Actor>, StoreError> {
        let doc = &graph.document;
        batch.insert(&keys::document(doc.id), codec::encode(doc)?);
        batch.insert(&keys::text(doc.id), codec::encode(&text)?);
        batch.insert(keys::sha(&doc.sha256), &doc.id.to_be_bytes());
        let view = self.view();
        let mut merged = Vec::with_capacity(graph.mentions.len());
        for mention in &graph.mentions {
            batch.insert(
                &keys::mention(doc.id, mention.actor),
                codec::encode(mention)?,
            );
            batch.insert(&keys::actor_doc(mention.actor, doc.id), &[]);
            // New forms are folded into the existing record: O(1) per
            // mention, however many documents already mention the actor.
            let actor = match view.actor(mention.actor) {
                Some(existing) => {
                    let as_mention = Mention {
                        actor: existing.id,
                        name: existing.name.clone(),
                        kind: existing.kind,
                        aliases: existing.aliases.clone(),
                    };
                    let mut actor = merge_mentions([&as_mention, mention])
                        .ok_or_else(|| StoreError::Corrupt("empty merge".into()))?;
                    actor.name = existing.name.clone();
                    actor.kind = existing.kind;
                    actor.aliases.retain(|a| *a != actor.name);
                    actor
                }
                None => mention.to_actor(),
            };
            batch.insert(&keys::actor(actor.id), codec::encode(&actor)?);
            merged.push(actor);
        }
        for event in &graph.events {
            batch.insert(&keys::event(event.id), codec::encode(event)?);
        }
        for rel in &graph.relations {
            batch.insert(&keys::relation(rel.id), codec::encode(rel)?);
            batch.insert(&keys::doc_relation(doc.id, rel.id), &[]);
            batch.insert(&keys::out_edge(rel.subject, rel.id), &[]);
            if let Some(o) = rel.object {
                batch.insert(&keys::in_edge(o, rel.id), &[]);
            }
        }
        Ok(merged)
    }

    /// Checks that sled's records and indexes agree with each other and
    /// with the graph view. Returns one line per violation.
    pub fn verify(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let disk = self.load_view()?;
        problems.extend(disk.check_invariants());
        let mut expect_out = std::collections::BTreeSet::new();
        let mut expect_in = std::collections::BTreeSet::new();
        for rel in disk.relations() {
            expect_out.insert(keys::out_edge(rel.subject, rel.id).to_vec());
            if let Some(o) = rel.object {
                expect_in.insert(keys::in_edge(o, rel.id).to_vec());
            }
            let indexed = self
                .db
                .contains_key(keys::doc_relation(rel.document, rel.id))
                .map_err(|e| self.sled_err(e))?;
            if !indexed {
                problems.push(format!(
                    "relation {} missing from its document index",
                    rel.id
                ));
            }
        }
        for (prefix, expected) in [(keys::OUT_EDGE, &expect_out), (keys::IN_EDGE, &expect_in)] {
            let mut found = std::collections::BTreeSet::new();
            for item in self.db.scan_prefix([prefix]) {
                let (key, _) = item.map_err(|e| self.sled_err(e))?;
                found.insert(key.to_vec());
            }
            for extra in found.difference(expected) {
                problems.push(format!(
                    "edge index '{}' entry without relation: {:?}",
                    prefix as char,
                    keys::second_id(extra).map(RelationId)
                ));
            }
            for missing in expected.difference(&found) {
                problems.push(format!(
                    "relation {:?} missing from edge index '{}'",
                    keys::second_id(missing).map(RelationId),
                    prefix as char
                ));
            }
        }
        let live = self.view();
        if live.relation_count() != disk.relation_count()
            || live.actor_count() != disk.actor_count()
            || live.document_count() != disk.document_count()
        {
            problems.push(format!(
                "view ({} documents, {} actors, {} relations) differs from disk ({}, {}, {})",
                live.document_count(),
                live.actor_count(),
                live.relation_count(),
                disk.document_count(),
                disk.actor_count(),
                disk.relation_count()
            ));
        }
        Ok(problems)
    }
}

#[derive(Debug, Default)]
struct Removal {
    dropped: Vec<ActorId>,
    rewritten: Vec<Actor>,
}

fn poisoned() -> StoreError {
    StoreError::Corrupt("a writer panicked while holding the store lock".into())
}

#[cfg(test)]
mod tests;
