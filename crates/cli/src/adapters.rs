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
    Ports {
        graph: store.clone(),
        ingest: Arc::new(StoreIngest { store }),
    }
}

/// The ingest port: the extractor in front of the store.
struct StoreIngest {
    store: Arc<Store>,
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
        self.store
            .delete_document(id)
            .await
            .map_err(|e| failed("deleting the document", e))
    }

    fn canonical_name(&self, name: &str) -> Option<String> {
        newsgraph_ingest::lexicon()
            .canonical(name)
            .map(str::to_owned)
    }
}
