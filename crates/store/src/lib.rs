//! # newsgraph-store
//!
//! Persistence for newsgraph: one sled database behind [`Store`], and the
//! in-memory petgraph [`GraphView`] (from `newsgraph-view`) that every
//! query reads, rebuilt from the records on open. The store is the read
//! port readers resolve against (`newsgraph_model::read::GraphSource`, in
//! `read.rs`): the view under a read lock, with document texts and
//! evidence sentences from the records. sled stays inside: its errors
//! reach callers as [`StoreError::Engine`], opaque.
//!
//! The key design decision: **a document is the unit of change.** Every key
//! one article contributes (its document record, its text, the merged
//! records of the actors it changes) is written in ONE sled `apply_batch`,
//! so after a crash an article is either wholly present or wholly absent. A
//! changed article replaces its old graph in the same batch. A write is
//! reported done only after a flush has made it durable: [`Store::put_document`]
//! flushes each write; bulk ingest applies many prepared documents
//! ([`Store::apply_prepared`]) and acknowledges them together after one
//! [`Store::flush_blocking`] (group commit).
//!
//! A document is two keys (its graph and its compressed text), not one key
//! per relation: the indexes queries use live in the view, which is rebuilt
//! from those records on open and updated under the same lock as each
//! batch, so readers never see a half-applied article. [`Store::verify`]
//! checks that records, view and indexes agree.
//!
//! See [`keys`] for the key layout, [`codec`] for the value encoding and
//! [`backup`] for the portable dump format.
#![deny(missing_docs)]

pub mod backup;
pub mod codec;
mod error;
#[allow(missing_docs)] // the table in the module doc documents every key
pub mod keys;
mod migrate;
mod read;
mod verify;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Mutex, RwLock};

use error::{engine_error, poisoned};

use newsgraph_model::{merge_mentions, Actor, ActorId, DocumentGraph, DocumentId, Mention};

pub use backup::DumpSummary;
pub use error::{Corruption, EngineError, StoreError};
pub use newsgraph_view::{EdgeDirection, GraphView, Neighborhood, PathSearchOutcome, Subgraph};

/// The store format this code writes and reads. Version 1, 2 and 3
/// stores are migrated on open (version 3 added the url and author of a
/// document, version 4 the confidence of a relation).
pub const FORMAT_VERSION: u32 = 4;

/// sled's page cache. Queries never read sled (the view holds the graph),
/// so the cache only serves writes and the rebuild on open; sled's default
/// (1 GiB) would be pure resident memory.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

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

/// One article's graph with its value (record and text, compressed)
/// already encoded, so that the CPU work of a write can run on any thread
/// and the writer only applies bytes.
#[derive(Debug)]
pub struct PreparedDocument {
    graph: DocumentGraph,
    value: Vec<u8>,
}

impl PreparedDocument {
    /// Encodes `graph`, extracted from `text`.
    pub fn new(mut graph: DocumentGraph, text: &str) -> Result<PreparedDocument, StoreError> {
        let value = codec::encode_document(&graph, text)?;
        // The view keeps a sentence that is a slice of the text as its span
        // only (see `Store::sentence`), as a rebuild does.
        for rel in &mut graph.relations {
            let span = rel.evidence.span;
            if text.get(span.start as usize..span.end as usize)
                == Some(rel.evidence.sentence.as_str())
            {
                rel.evidence.sentence = String::new();
            }
        }
        Ok(PreparedDocument { value, graph })
    }

    /// The graph that will be written (evidence sentences that are slices
    /// of the text left empty, as the view keeps them).
    pub fn graph(&self) -> &DocumentGraph {
        &self.graph
    }

    /// Bytes of the encoded value.
    pub fn encoded_len(&self) -> usize {
        self.value.len()
    }
}

/// Where each document is in sled (see [`keys`]: documents are keyed by
/// write sequence number).
#[derive(Debug, Default)]
struct Slots {
    seq_of: HashMap<DocumentId, u64>,
    next: u64,
}

/// The sled database and the graph view built from it.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    db: sled::Db,
    view: RwLock<GraphView>,
    slots: RwLock<Slots>,
    writer: Mutex<()>,
    /// Set by the first failed write or flush (see [`StoreError::WritesDisabled`]).
    failed: std::sync::OnceLock<String>,
    /// Recently read document texts, for evidence sentences.
    texts: Mutex<read::TextCache>,
    /// Bumped after every change to the stored graph (see
    /// [`Store::generation`]).
    generation: AtomicU64,
}

impl Store {
    /// Opens (or creates) the store at `path` and rebuilds the graph view.
    ///
    /// Migrates a store of an older format version; refuses one written by
    /// a newer version.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        let started = std::time::Instant::now();
        let db = open_db(&path)?;
        let sled_opened = started.elapsed();
        let store = Store {
            view: RwLock::new(GraphView::default()),
            slots: RwLock::new(Slots::default()),
            writer: Mutex::new(()),
            failed: std::sync::OnceLock::new(),
            texts: Mutex::new(read::TextCache::default()),
            generation: AtomicU64::new(0),
            path,
            db,
        };
        store.check_format()?;
        let (view, slots) = store.load_view()?;
        tracing::debug!(
            path = %store.path.display(),
            documents = view.document_count(),
            relations = view.relation_count(),
            sled_ms = sled_opened.as_millis() as u64,
            total_ms = started.elapsed().as_millis() as u64,
            "store opened"
        );
        *store.view.write().map_err(|_| poisoned())? = view;
        *store.slots.write().map_err(|_| poisoned())? = slots;
        Ok(store)
    }

    /// A number that changes whenever the stored graph does: it is bumped
    /// after an article is written or a document deleted, once both sled
    /// and the view hold the change. An answer computed while it kept one
    /// value describes the graph of that value; one computed across a
    /// change may mix both states, but it is then tagged with a value that
    /// is already stale (what the server's response cache relies on).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bytes sled's files take on disk (log, snapshot and blobs), as
    /// sled counts them: a few `stat`s, cheap enough for every scrape of
    /// the server's metrics.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        self.db.size_on_disk().map_err(|e| self.sled_err(e))
    }

    fn sled_err(&self, source: sled::Error) -> StoreError {
        engine_error(&self.path, source)
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
                    return Err(Corruption::NotAStore(self.path.clone()).into());
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
                    .map_err(|_| Corruption::MalformedFormatKey)?;
                match found {
                    FORMAT_VERSION => Ok(()),
                    1 => {
                        tracing::info!(path = %self.path.display(), "migrating the store from format version 1 to {FORMAT_VERSION}");
                        migrate::from_v1(&self.db, &self.path)
                    }
                    2 => {
                        tracing::info!(path = %self.path.display(), "migrating the store from format version 2 to {FORMAT_VERSION}");
                        migrate::from_v2(&self.db, &self.path)
                    }
                    3 => {
                        tracing::info!(path = %self.path.display(), "migrating the store from format version 3 to {FORMAT_VERSION}");
                        migrate::from_v3(&self.db, &self.path)
                    }
                    found if found > FORMAT_VERSION => Err(StoreError::Format {
                        path: self.path.clone(),
                        found,
                        expected: FORMAT_VERSION,
                        hint: "; it was written by a newer newsgraph: upgrade newsgraph to open it",
                    }),
                    found => Err(StoreError::Format {
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

    fn load_view(&self) -> Result<(GraphView, Slots), StoreError> {
        let mut actors = GraphView::default();
        for item in self.db.scan_prefix([keys::ACTOR]) {
            let (_, value) = item.map_err(|e| self.sled_err(e))?;
            actors.put_actor(codec::decode(&value)?);
        }
        let mut view = newsgraph_view::ViewBuilder::new(actors);
        let mut slots = Slots::default();
        let started = std::time::Instant::now();
        let decode = |value: &[u8]| {
            let graph = codec::decode_document_spans(value)?;
            Ok((graph.document.id, newsgraph_view::ViewDocument::from(graph)))
        };
        self.for_each_document(decode, |seq, (id, document)| {
            if let Some(other) = slots.seq_of.insert(id, seq) {
                return Err(Corruption::DocumentStoredTwice {
                    id,
                    first: other,
                    second: seq,
                }
                .into());
            }
            slots.next = seq + 1;
            view.add(document);
            Ok(())
        })?;
        let read = started.elapsed();
        let view = view.finish();
        tracing::debug!(
            read_ms = read.as_millis() as u64,
            total_ms = started.elapsed().as_millis() as u64,
            "view rebuilt"
        );
        Ok((view, slots))
    }

    /// Decodes every stored document with `decode` and calls `f` with its
    /// write sequence number and what `decode` made of it, in the order
    /// the documents were written.
    ///
    /// Decoding (decompressing, slicing the evidence out of the text) is
    /// most of the work of a rebuild, so it runs on worker threads (which
    /// also drop what `decode` does not keep) while one thread reads sled
    /// and this one calls `f` in order.
    fn for_each_document<T: Send>(
        &self,
        decode: impl Fn(&[u8]) -> Result<T, StoreError> + Sync,
        mut f: impl FnMut(u64, T) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 8);
        let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<(usize, Raw)>(workers * 2);
        let raw_rx = Mutex::new(raw_rx);
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<(usize, Decoded<T>)>(workers * 2);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let done_tx = done_tx.clone();
                let (raw_rx, decode) = (&raw_rx, &decode);
                scope.spawn(move || decode_chunks(raw_rx, decode, done_tx));
            }
            drop(done_tx);
            let reader = scope.spawn(move || self.read_document_chunks(raw_tx));
            let mut early = std::collections::BTreeMap::new();
            let mut next = 0usize;
            let mut outcome = Ok(());
            let mut calling = std::time::Duration::ZERO;
            for (n, decoded) in done_rx {
                early.insert(n, decoded);
                while let Some(decoded) = early.remove(&next) {
                    next += 1;
                    if outcome.is_ok() {
                        let at = std::time::Instant::now();
                        outcome = decoded.and_then(|docs| {
                            docs.into_iter().try_for_each(|(seq, doc)| f(seq, doc))
                        });
                        calling += at.elapsed();
                    }
                }
            }
            tracing::debug!(
                calling_ms = calling.as_millis() as u64,
                "documents read (the rest of the time waited for decoding)"
            );
            let read = reader
                .join()
                .unwrap_or_else(|_| Err(Corruption::Panicked("the store reader panicked").into()));
            read.and(outcome)
        })
    }

    /// Sends the stored documents' records to `raw_tx` in numbered chunks,
    /// in key (write) order; stops early when no one receives.
    fn read_document_chunks(&self, raw_tx: SyncSender<(usize, Raw)>) -> Result<(), StoreError> {
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut n = 0usize;
        for item in self.db.scan_prefix([keys::DOCUMENT]) {
            chunk.push(item.map_err(|e| self.sled_err(e))?);
            if chunk.len() == CHUNK {
                if raw_tx.send((n, std::mem::take(&mut chunk))).is_err() {
                    return Ok(());
                }
                n += 1;
            }
        }
        if !chunk.is_empty() {
            let _ = raw_tx.send((n, chunk));
        }
        Ok(())
    }

    fn seq_of(&self, doc: DocumentId) -> Option<u64> {
        let slots = self.slots.read().unwrap_or_else(|p| p.into_inner());
        slots.seq_of.get(&doc).copied()
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
            self.flush().await?;
        }
        Ok(outcome)
    }

    /// Writes one article's graph atomically (like [`Store::put_document`])
    /// without waiting for durability: call [`Store::flush`] or
    /// [`Store::flush_blocking`] before acknowledging it.
    pub fn apply_document(
        &self,
        graph: &DocumentGraph,
        text: &str,
    ) -> Result<WriteOutcome, StoreError> {
        if self.is_stored(&graph.document) {
            return Ok(WriteOutcome::Unchanged);
        }
        self.apply_prepared(PreparedDocument::new(graph.clone(), text)?)
    }

    /// Whether this exact document (same file, same content) is stored.
    pub fn is_stored(&self, document: &newsgraph_model::Document) -> bool {
        self.view()
            .document(document.id)
            .is_some_and(|d| d.sha256 == document.sha256)
    }

    /// Waits until every write so far is durable.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.writable()?;
        let flushed = self.db.flush_async().await;
        self.note_failure(flushed.map(drop))
    }

    /// Makes every write so far durable, blocking this thread.
    pub fn flush_blocking(&self) -> Result<(), StoreError> {
        self.writable()?;
        let flushed = self.db.flush();
        self.note_failure(flushed.map(drop))
    }

    /// Refuses writes once one has failed.
    fn writable(&self) -> Result<(), StoreError> {
        match self.failed.get() {
            Some(reason) => Err(StoreError::WritesDisabled {
                path: self.path.clone(),
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    fn note_failure(&self, result: sled::Result<()>) -> Result<(), StoreError> {
        result.map_err(|e| {
            let _ = self.failed.set(e.to_string());
            tracing::error!(path = %self.path.display(), error = %e, "a store write failed; refusing writes until restart");
            self.sled_err(e)
        })
    }

    /// Removes a document and every relation, event and mention it alone
    /// contributed, atomically; returns whether it existed.
    pub async fn delete_document(&self, doc: DocumentId) -> Result<bool, StoreError> {
        let existed = {
            let _writer = self.writer.lock().map_err(|_| poisoned())?;
            if self.view().document(doc).is_none() {
                false
            } else {
                let mut batch = Changes::default();
                let removal = self.stage_removal(doc, &[], &mut batch)?;
                self.commit(batch)?;
                self.slots
                    .write()
                    .map_err(|_| poisoned())?
                    .seq_of
                    .remove(&doc);
                self.forget_text(doc);
                let mut view = self.view.write().map_err(|_| poisoned())?;
                view.remove_document(doc, &removal.dropped);
                for actor in removal.rewritten {
                    view.put_actor(actor);
                }
                self.generation.fetch_add(1, Ordering::AcqRel);
                true
            }
        };
        if existed {
            self.flush().await?;
        }
        Ok(existed)
    }

    /// Applies one prepared article in one atomic batch, replacing the
    /// document's previous version, and updates the view. Not yet durable.
    pub fn apply_prepared(&self, prepared: PreparedDocument) -> Result<WriteOutcome, StoreError> {
        let _writer = self.writer.lock().map_err(|_| poisoned())?;
        let PreparedDocument { graph, value } = prepared;
        let doc = &graph.document;
        let existing = self.view().document(doc.id).map(|d| d.sha256.clone());
        if existing.as_deref() == Some(doc.sha256.as_str()) {
            return Ok(WriteOutcome::Unchanged);
        }
        let mut batch = Changes::default();
        let new_actors: Vec<ActorId> = graph.mentions.iter().map(|m| m.actor).collect();
        let removal = match &existing {
            Some(_) => self.stage_removal(doc.id, &new_actors, &mut batch)?,
            None => Removal::default(),
        };
        let seq = self.slots.read().map_err(|_| poisoned())?.next;
        batch.insert(&keys::document(seq), value);
        let changed = self.stage_actors(&graph, &mut batch)?;
        self.commit(batch)?;
        {
            let mut slots = self.slots.write().map_err(|_| poisoned())?;
            slots.seq_of.insert(doc.id, seq);
            slots.next = seq + 1;
        }

        self.forget_text(doc.id);
        let mut view = self.view.write().map_err(|_| poisoned())?;
        if existing.is_some() {
            view.remove_document(doc.id, &removal.dropped);
            for actor in removal.rewritten {
                view.put_actor(actor);
            }
        }
        view.insert_document(&graph, &changed);
        self.generation.fetch_add(1, Ordering::AcqRel);
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
        batch: &mut Changes,
    ) -> Result<Removal, StoreError> {
        let view = self.view();
        let Some(seq) = self.seq_of(doc).filter(|_| view.document(doc).is_some()) else {
            return Ok(Removal::default());
        };
        batch.remove(&keys::document(seq));
        let mut removal = Removal::default();
        for actor in view.document_mentions(doc) {
            if kept.contains(&actor.id) {
                continue;
            }
            let others = self.mentions_elsewhere(&view, actor.id, doc)?;
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

    /// How the documents other than `except` mention `actor`.
    fn mentions_elsewhere(
        &self,
        view: &GraphView,
        actor: ActorId,
        except: DocumentId,
    ) -> Result<Vec<Mention>, StoreError> {
        let mut out = Vec::new();
        for document in view.actor_documents(actor) {
            if document.id == except {
                continue;
            }
            let bytes = match self.seq_of(document.id) {
                Some(seq) => self
                    .db
                    .get(keys::document(seq))
                    .map_err(|e| self.sled_err(e))?,
                None => None,
            };
            let Some(bytes) = bytes else {
                return Err(Corruption::MissingDocument(document.id).into());
            };
            let head = codec::decode_document_head(&bytes)?;
            out.extend(head.mentions.into_iter().filter(|m| m.actor == actor));
        }
        Ok(out)
    }

    /// Stages the merged record of every actor the graph mentions whose
    /// record it changes (a new actor, or new surface forms); returns them.
    fn stage_actors(
        &self,
        graph: &DocumentGraph,
        batch: &mut Changes,
    ) -> Result<Vec<Actor>, StoreError> {
        let view = self.view();
        let mut changed = Vec::new();
        for mention in &graph.mentions {
            // New forms are folded into the existing record: O(1) per
            // mention, however many documents already mention the actor.
            let actor = match view.actor(mention.actor) {
                Some(existing) => {
                    let known = |form: &str| {
                        form == existing.name
                            || existing
                                .aliases
                                .binary_search_by(|a| a.as_str().cmp(form))
                                .is_ok()
                    };
                    if known(&mention.name) && mention.aliases.iter().all(|a| known(a)) {
                        continue;
                    }
                    let as_mention = Mention {
                        actor: existing.id,
                        name: existing.name.clone(),
                        kind: existing.kind,
                        aliases: existing.aliases.clone(),
                    };
                    let mut actor =
                        merge_mentions([&as_mention, mention]).ok_or(Corruption::EmptyMerge)?;
                    actor.name = existing.name.clone();
                    actor.kind = existing.kind;
                    actor.aliases.retain(|a| *a != actor.name);
                    if actor == **existing {
                        continue;
                    }
                    actor
                }
                None => mention.to_actor(),
            };
            batch.insert(&keys::actor(actor.id), codec::encode(&actor)?);
            changed.push(actor);
        }
        Ok(changed)
    }

    /// Applies one write's changes atomically.
    ///
    /// sled's `apply_batch` takes a global write lock that waits for any
    /// flush in progress, and stalls readers meanwhile; most articles change
    /// one key (their document: their actors are known already), and a
    /// single insert is atomic on its own and takes sled's lock-free path.
    fn commit(&self, changes: Changes) -> Result<(), StoreError> {
        self.writable()?;
        let mut changes = changes.0;
        let result = if changes.len() == 1 {
            match changes.pop() {
                Some((key, Some(value))) => self.db.insert(key, value).map(drop),
                Some((key, None)) => self.db.remove(key).map(drop),
                None => Ok(()),
            }
        } else {
            let mut batch = sled::Batch::default();
            for (key, value) in changes {
                match value {
                    Some(value) => batch.insert(key, value),
                    None => batch.remove(key),
                }
            }
            self.db.apply_batch(batch)
        };
        self.note_failure(result)
    }

    /// Every key and value of the store, in key order (for backups).
    fn records(&self) -> impl Iterator<Item = Result<(sled::IVec, sled::IVec), StoreError>> + '_ {
        self.db
            .iter()
            .map(|item| item.map_err(|e| self.sled_err(e)))
    }
}

/// Documents per chunk handed from the reader to the decoding workers.
const CHUNK: usize = 256;
/// A chunk of document records as read.
type Raw = Vec<(sled::IVec, sled::IVec)>;
/// A chunk decoded: each document's write sequence number and value.
type Decoded<T> = Result<Vec<(u64, T)>, StoreError>;

/// A decoding worker of [`Store::for_each_document`]: decodes the chunks
/// it takes from `raw_rx` until there are none, and sends them on.
fn decode_chunks<T>(
    raw_rx: &Mutex<Receiver<(usize, Raw)>>,
    decode: &(impl Fn(&[u8]) -> Result<T, StoreError> + Sync),
    done_tx: SyncSender<(usize, Decoded<T>)>,
) {
    loop {
        let next = match raw_rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((n, chunk)) = next else { return };
        let decoded = chunk
            .iter()
            .map(|(key, value)| {
                let seq = keys::first_id(key)
                    .ok_or_else(|| Corruption::MalformedDocumentKey(key.to_vec()))?;
                Ok((seq, decode(value)?))
            })
            .collect();
        if done_tx.send((n, decoded)).is_err() {
            return;
        }
    }
}

fn open_db(path: &Path) -> Result<sled::Db, StoreError> {
    let config = sled::Config::new()
        .path(path)
        .cache_capacity(CACHE_BYTES)
        .mode(sled::Mode::HighThroughput);
    // sled's IO threads may hold a just-closed database's file (and its
    // lock) a moment longer: a store closed by this process or one that is
    // exiting gets a second, not an error.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
    loop {
        match config.open() {
            Ok(db) => return Ok(db),
            Err(e)
                if e.to_string().contains("could not acquire lock")
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => return Err(engine_error(path, e)),
        }
    }
}

/// The keys one write changes, applied atomically by [`Store::commit`].
#[derive(Debug, Default)]
struct Changes(Vec<(Vec<u8>, Option<Vec<u8>>)>);

impl Changes {
    fn insert(&mut self, key: &[u8], value: impl Into<Vec<u8>>) {
        self.0.push((key.to_vec(), Some(value.into())));
    }

    fn remove(&mut self, key: &[u8]) {
        self.0.push((key.to_vec(), None));
    }
}

#[derive(Debug, Default)]
struct Removal {
    dropped: Vec<ActorId>,
    rewritten: Vec<Actor>,
}

#[cfg(test)]
mod tests;
