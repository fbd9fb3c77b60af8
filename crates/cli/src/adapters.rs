//! Where the crates meet: the GraphQL layer's ports over the store and the
//! extractor. The schema reads the store through the read port the store
//! implements itself; this adds the ingest port (extract with
//! `newsgraph-ingest`, write with `newsgraph-store`, names from the
//! extractor's gazetteer), so that the GraphQL crate depends on neither.

use std::sync::Arc;

use newsgraph_graphql::ports::{Article, Ingest, IngestError, Ingested, Written};
use newsgraph_graphql::Ports;
use newsgraph_model::DocumentId;
use newsgraph_store::{Store, WriteOutcome};

/// The ports of a schema over `store`.
pub fn ports(store: Arc<Store>) -> Ports {
    counted_ports(store, None)
}

/// What a mutation did to a stored document.
#[derive(Debug, Clone, Copy)]
pub enum Change {
    /// `ingestArticle` stored a new document.
    Added,
    /// `ingestArticle` replaced a document of the same file with new text.
    Replaced,
    /// `ingestArticle` was given the text already stored.
    Unchanged,
    /// `deleteDocument` removed one.
    Deleted,
}

/// Counts the documents the mutations change (the server's metrics).
pub trait CountChanges: Send + Sync {
    /// One document changed.
    fn count(&self, change: Change);
}

/// The ports of a schema over `store` that tell `written`, when given,
/// each document the mutations change.
pub fn counted_ports(store: Arc<Store>, written: Option<Arc<dyn CountChanges>>) -> Ports {
    Ports {
        graph: store.clone(),
        ingest: Arc::new(StoreIngest { store, written }),
    }
}

/// The ingest port: the extractor in front of the store.
struct StoreIngest {
    store: Arc<Store>,
    written: Option<Arc<dyn CountChanges>>,
}

impl StoreIngest {
    fn count(&self, change: Change) {
        if let Some(written) = &self.written {
            written.count(change);
        }
    }
}

fn failed(what: &'static str, detail: impl std::fmt::Display) -> IngestError {
    IngestError::Failed {
        what,
        detail: detail.to_string(),
    }
}

#[async_trait::async_trait]
impl Ingest for StoreIngest {
    async fn ingest_article(&self, article: Article) -> Result<Ingested, IngestError> {
        let Article {
            file,
            text,
            source,
            published,
            url,
            author,
        } = article;
        newsgraph_ingest::decode_article(
            &file,
            text.as_bytes(),
            newsgraph_ingest::DEFAULT_MAX_BYTES,
        )
        .map_err(|e| IngestError::BadInput(e.to_string()))?;
        let (mut graph, text) =
            tokio::task::spawn_blocking(move || (newsgraph_ingest::extract(&file, &text), text))
                .await
                .map_err(|e| failed("extraction", e))?;
        if let Some(s) = source {
            graph.document.source = Some(s);
        }
        if let Some(p) = published {
            graph.document.published = Some(p);
        }
        graph.document.url = url;
        graph.document.author = author;
        let outcome = self
            .store
            .put_document(&graph, &text)
            .await
            .map_err(|e| failed("storing the article", e))?;
        self.count(match outcome {
            WriteOutcome::Added => Change::Added,
            WriteOutcome::Replaced => Change::Replaced,
            WriteOutcome::Unchanged => Change::Unchanged,
        });
        let document = self
            .store
            .view()
            .document(graph.document.id)
            .cloned()
            .unwrap_or(graph.document.clone());
        Ok(Ingested {
            document,
            written: match outcome {
                WriteOutcome::Added => Written::Added,
                WriteOutcome::Replaced => Written::Replaced,
                WriteOutcome::Unchanged => Written::Unchanged,
            },
            actors: graph.mentions.len(),
            relations: graph.relations.len(),
            events: graph.events.len(),
        })
    }

    async fn delete_document(&self, id: DocumentId) -> Result<bool, IngestError> {
        let deleted = self
            .store
            .delete_document(id)
            .await
            .map_err(|e| failed("deleting the document", e))?;
        if deleted {
            self.count(Change::Deleted);
        }
        Ok(deleted)
    }

    fn canonical_name(&self, name: &str) -> Option<String> {
        newsgraph_ingest::lexicon()
            .canonical(name)
            .map(str::to_owned)
    }
}
