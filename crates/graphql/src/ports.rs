//! The ports the schema resolves against, and what it holds of them.
//!
//! - Reads go through the read port of `newsgraph-model`
//!   ([`GraphSource`]): the store implements it over its in-memory view, a
//!   `MemoryGraph` of `newsgraph-view` in tests. The schema never names
//!   the store, and the source chooses the index a relation filter is read
//!   from.
//! - Writes and the extractor's knowledge go through [`Ingest`]:
//!   extracting and storing an article (`ingestArticle`), deleting a
//!   document, and the gazetteer's canonical names ("Belgrade" is Serbia)
//!   for actor lookup. The binary implements it where the extractor and
//!   the store meet.

use std::sync::Arc;

use async_graphql::Result;
use newsgraph_model::read::{Graph, GraphRead, GraphSource};
use newsgraph_model::{fold, ActorId, Document, DocumentId};

use crate::error::{error, ErrorCode};

/// An article to extract and store.
#[derive(Debug, Clone)]
pub struct Article {
    /// The file name (no directory).
    pub file: String,
    /// The text.
    pub text: String,
    /// The outlet, overriding what the text says.
    pub source: Option<String>,
    /// The publication date (YYYY-MM-DD), overriding what the text says.
    pub published: Option<String>,
    /// Where the article was published.
    pub url: Option<String>,
    /// Who wrote it.
    pub author: Option<String>,
}

/// What an ingest did with the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A new document was added.
    Added,
    /// The document of the same file was replaced by the new content.
    Replaced,
    /// The same content was already stored; nothing changed.
    Unchanged,
}

/// What an article became.
#[derive(Debug, Clone)]
pub struct Ingested {
    /// The stored document.
    pub document: Document,
    /// What the write did.
    pub written: Written,
    /// Actors the article mentions.
    pub actors: usize,
    /// Relations found.
    pub relations: usize,
    /// Events found.
    pub events: usize,
}

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The caller sent something that cannot be ingested (not text, too
    /// large, empty); the message says what.
    #[error("{0}")]
    BadInput(String),
    /// The server failed at `what`; `detail` is for the log.
    #[error("{what}: {detail}")]
    Failed {
        /// What was being done ("storing the article").
        what: &'static str,
        /// The underlying error.
        detail: String,
    },
}

/// Extraction and writes, and the extractor's names.
#[async_trait::async_trait]
pub trait Ingest: Send + Sync {
    /// Extracts and stores one article, replacing the document of the same
    /// file; durable when it returns.
    async fn ingest_article(&self, article: Article) -> Result<Ingested, IngestError>;
    /// Removes a document and every relation, event and mention it alone
    /// contributed; whether it existed.
    async fn delete_document(&self, id: DocumentId) -> Result<bool, IngestError>;
    /// The canonical name of a known entity one of whose forms `name` is
    /// ("Belgrade" → "Serbia"), from the extractor's gazetteer.
    fn canonical_name(&self, name: &str) -> Option<String>;
}

/// The ports a schema holds (in its data).
#[derive(Clone)]
pub struct Ports {
    /// Where the graph is read.
    pub graph: Arc<dyn GraphSource>,
    /// Where articles are written and names looked up.
    pub ingest: Arc<dyn Ingest>,
}

impl Ports {
    /// One consistent view of the graph, with name lookup.
    pub(crate) fn reader(&self) -> Reader<'_> {
        Reader {
            graph: self.graph.read(),
            ingest: &*self.ingest,
        }
    }
}

/// One consistent view of the graph (see [`GraphRead`]) and the lookup of
/// actors by name.
pub(crate) struct Reader<'a> {
    graph: GraphRead<'a>,
    ingest: &'a dyn Ingest,
}

impl<'a> Reader<'a> {
    /// The view.
    pub(crate) fn graph(&self) -> &GraphRead<'a> {
        &self.graph
    }

    /// The actor a name, alias, gazetteer form or id names (see
    /// [`find_actor`]).
    pub(crate) fn find_actor(&self, name_or_id: &str) -> Option<ActorId> {
        find_actor(&*self.graph, self.ingest, name_or_id)
    }

    /// [`Self::find_actor`], NOT_FOUND when there is none.
    pub(crate) fn require_actor(&self, name_or_id: &str) -> Result<ActorId> {
        self.find_actor(name_or_id).ok_or_else(|| {
            error(
                ErrorCode::NotFound,
                format!("no actor named '{name_or_id}'"),
            )
        })
    }
}

impl<'a> std::ops::Deref for Reader<'a> {
    type Target = GraphRead<'a>;

    fn deref(&self) -> &GraphRead<'a> {
        &self.graph
    }
}

/// Finds an actor by id, name or alias (case- and diacritic-insensitive),
/// or by a gazetteer form of a known entity ("Belgrade" -> Serbia).
pub fn find_actor(graph: &dyn Graph, ingest: &dyn Ingest, name_or_id: &str) -> Option<ActorId> {
    if let Ok(id) = name_or_id.parse::<ActorId>() {
        if graph.actor(id).is_some() {
            return Some(id);
        }
    }
    // An actor whose own name it is beats one that merely has it as an
    // alias ("Kosovo" is Kosovo, even if KFOR was once called "Kosovo").
    let best = |name: &str| {
        let folded = fold(name);
        graph
            .actors_named(name)
            .into_iter()
            .max_by_key(|a| {
                (
                    fold(&a.name) == folded,
                    graph.degree(a.id),
                    std::cmp::Reverse(a.id),
                )
            })
            .map(|a| a.id)
    };
    best(name_or_id).or_else(|| {
        ingest
            .canonical_name(name_or_id)
            .and_then(|name| best(&name))
    })
}
