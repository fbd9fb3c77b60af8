//! A graph held in memory beside its texts, without a store: the read
//! port for tests and tools that want a graph and no database.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use newsgraph_model::read::{Graph, GraphRead, GraphSource, ReadError};
use newsgraph_model::{merge_mentions, ActorId, DocumentGraph, DocumentId, Mention, Relation};

use crate::GraphView;

/// What [`MemoryGraph::insert`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryWrite {
    /// A new document.
    Added,
    /// The document of the same file was replaced.
    Replaced,
    /// The same content was held already.
    Unchanged,
}

/// Documents, their texts and the view over them, all in memory. Actor
/// records are merged from every document's mentions, as the store
/// merges them.
#[derive(Debug, Default)]
pub struct MemoryGraph {
    view: RwLock<GraphView>,
    held: RwLock<Held>,
}

#[derive(Debug, Default)]
struct Held {
    texts: HashMap<DocumentId, String>,
    mentions: HashMap<DocumentId, Vec<Mention>>,
}

impl Held {
    /// Every document's mentions of `actor`.
    fn mentions_of(&self, actor: ActorId) -> Vec<&Mention> {
        self.mentions
            .values()
            .flatten()
            .filter(|m| m.actor == actor)
            .collect()
    }
}

impl MemoryGraph {
    /// A graph of these documents (graph and text each).
    pub fn of(documents: impl IntoIterator<Item = (DocumentGraph, String)>) -> MemoryGraph {
        let graph = MemoryGraph::default();
        for (document, text) in documents {
            graph.insert(document, text);
        }
        graph
    }

    /// Adds one document, replacing the document of the same id.
    pub fn insert(&self, graph: DocumentGraph, text: String) -> MemoryWrite {
        let id = graph.document.id;
        let mut view = self.view.write().unwrap_or_else(PoisonError::into_inner);
        let replaced = match view.document(id) {
            Some(held) if held.sha256 == graph.document.sha256 => return MemoryWrite::Unchanged,
            Some(_) => true,
            None => false,
        };
        let mut held = self.held.write().unwrap_or_else(PoisonError::into_inner);
        if replaced {
            Self::forget(&mut view, &mut held, id);
        }
        held.texts.insert(id, text);
        held.mentions.insert(id, graph.mentions.clone());
        let actors: Vec<_> = graph
            .mentions
            .iter()
            .filter_map(|m| merge_mentions(held.mentions_of(m.actor)))
            .collect();
        view.insert_document(&graph, &actors);
        if replaced {
            MemoryWrite::Replaced
        } else {
            MemoryWrite::Added
        }
    }

    /// Removes a document and what it alone contributed; whether it was held.
    pub fn remove(&self, doc: DocumentId) -> bool {
        let mut view = self.view.write().unwrap_or_else(PoisonError::into_inner);
        if view.document(doc).is_none() {
            return false;
        }
        let mut held = self.held.write().unwrap_or_else(PoisonError::into_inner);
        Self::forget(&mut view, &mut held, doc);
        true
    }

    fn forget(view: &mut GraphView, held: &mut Held, doc: DocumentId) {
        held.texts.remove(&doc);
        let mentioned = held.mentions.remove(&doc).unwrap_or_default();
        let mut dropped = Vec::new();
        let mut rewritten = Vec::new();
        for mention in &mentioned {
            match merge_mentions(held.mentions_of(mention.actor)) {
                Some(actor) => rewritten.push(actor),
                None => dropped.push(mention.actor),
            }
        }
        view.remove_document(doc, &dropped);
        for actor in rewritten {
            view.put_actor(actor);
        }
    }
}

impl GraphSource for MemoryGraph {
    fn read(&self) -> GraphRead<'_> {
        let view: &RwLock<dyn Graph + Send + Sync> = &self.view;
        GraphRead::new(view.read().unwrap_or_else(PoisonError::into_inner), self)
    }

    fn text(&self, doc: DocumentId) -> Result<Option<String>, ReadError> {
        let held = self.held.read().unwrap_or_else(PoisonError::into_inner);
        Ok(held.texts.get(&doc).cloned())
    }

    fn sentence(&self, rel: &Relation) -> Result<String, ReadError> {
        if !rel.evidence.sentence.is_empty() {
            return Ok(rel.evidence.sentence.clone());
        }
        let span = rel.evidence.span;
        let held = self.held.read().unwrap_or_else(PoisonError::into_inner);
        Ok(held
            .texts
            .get(&rel.document)
            .and_then(|text| text.get(span.start as usize..span.end as usize))
            .unwrap_or_default()
            .to_owned())
    }

    fn with_sentences(&self, relations: &[&Relation]) -> Result<Vec<Relation>, ReadError> {
        relations
            .iter()
            .map(|rel| {
                let mut full = (*rel).clone();
                full.evidence.sentence = self.sentence(rel)?;
                Ok(full)
            })
            .collect()
    }
}
