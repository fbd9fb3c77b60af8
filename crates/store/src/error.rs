//! What can go wrong in the store: [`StoreError`], with the engine's own
//! error kept opaque ([`EngineError`]) and the ways stored data can
//! contradict itself named ([`Corruption`]).

use std::path::{Path, PathBuf};

use newsgraph_model::{DocumentId, RelationId};

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The storage engine failed (IO, damaged files, a lock held by
    /// another process).
    #[error("store at '{path}': {error}{hint}")]
    Engine {
        /// The database directory.
        path: PathBuf,
        /// The engine's error (not a `source`: the message includes it).
        error: EngineError,
        /// What it probably means.
        hint: &'static str,
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
    Corrupt(Corruption),
    /// A backup dump is unreadable, corrupt or truncated.
    #[error("dump {0}")]
    Dump(String),
    /// Reading or writing a file outside the engine failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A write or flush failed earlier (disk full, IO error): what the
    /// engine holds in memory may no longer be what is on disk, so the
    /// store refuses writes until it is reopened. Reads go on from the view.
    #[error("store at '{path}' refuses writes since an earlier write failed ({reason}); free space or fix the disk, then restart")]
    WritesDisabled {
        /// The database directory.
        path: PathBuf,
        /// The first failure.
        reason: String,
    },
    /// A restore was pointed at a store that already holds data.
    #[error("'{0}' is not empty: restore only into a new store directory")]
    NotEmpty(PathBuf),
}

/// An error of the storage engine. Opaque, so that no caller depends on
/// which engine the store uses; its message says what failed.
#[derive(Debug)]
pub struct EngineError(sled::Error);

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for EngineError {}

/// How stored data contradicts itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Corruption {
    /// The directory holds data but no format-version key.
    #[error("'{0}' holds data but no format version: not a newsgraph store")]
    NotAStore(PathBuf),
    /// The format-version key does not hold a version.
    #[error("format version key is malformed")]
    MalformedFormatKey,
    /// A document key that does not hold a write sequence number.
    #[error("malformed document key {0:02x?}")]
    MalformedDocumentKey(Vec<u8>),
    /// One document stored under two keys.
    #[error("document {id} is stored twice (writes {first} and {second})")]
    DocumentStoredTwice {
        /// The document.
        id: DocumentId,
        /// The earlier write.
        first: u64,
        /// The later write.
        second: u64,
    },
    /// A document the view holds has no record on disk.
    #[error("document {0} is in the view but not on disk")]
    MissingDocument(DocumentId),
    /// An evidence span that does not lie in its document's text.
    #[error("relation {relation}: evidence span {start}..{end} is not in the text of document {document}")]
    EvidenceOutsideText {
        /// The relation.
        relation: RelationId,
        /// The document.
        document: DocumentId,
        /// Start of the span.
        start: u32,
        /// End of the span.
        end: u32,
    },
    /// Merging an actor's mentions gave nothing.
    #[error("empty merge")]
    EmptyMerge,
    /// A version 1 store that does not hold together.
    #[error("version 1 store: {0}")]
    Version1(String),
    /// A thread panicked while it held the store's lock or read the store.
    #[error("{0}")]
    Panicked(&'static str),
}

impl From<Corruption> for StoreError {
    fn from(corruption: Corruption) -> StoreError {
        StoreError::Corrupt(corruption)
    }
}

/// The store's error for an engine failure at `path`, with a hint at what
/// it probably means.
pub(crate) fn engine_error(path: &Path, source: sled::Error) -> StoreError {
    let text = source.to_string();
    let hint = if text.contains("could not acquire lock") {
        ": another newsgraph process (a server or an ingest) has it open"
    } else if text.contains("Permission denied") || text.contains("Read-only file system") {
        ": the store directory is not writable (newsgraph opens its store read-write)"
    } else if text.contains("No space left") || text.contains("File too large") {
        ": the disk is full; free space and run again (nothing unacknowledged was kept)"
    } else {
        ""
    };
    StoreError::Engine {
        path: path.to_path_buf(),
        error: EngineError(source),
        hint,
    }
}

/// The error for a lock whose holder panicked.
pub(crate) fn poisoned() -> StoreError {
    Corruption::Panicked("a writer panicked while holding the store lock").into()
}
