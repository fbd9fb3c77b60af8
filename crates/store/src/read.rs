//! What readers get from the store: the view under a read lock, document
//! texts and evidence sentences (through a cache of recent texts), and the
//! read port ([`GraphSource`]) the GraphQL layer resolves against.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

use newsgraph_model::read::{Graph, GraphRead, GraphSource, ReadError};
use newsgraph_model::{DocumentId, Relation};

use crate::{codec, keys, Corruption, GraphView, Store, StoreError};

/// How many document texts [`Store::sentence`] keeps decoded.
const TEXT_CACHE_DOCUMENTS: usize = 1024;

/// Recently read document texts, oldest first out.
#[derive(Debug, Default)]
pub(crate) struct TextCache {
    texts: HashMap<DocumentId, Arc<str>>,
    order: std::collections::VecDeque<DocumentId>,
}

impl TextCache {
    fn insert(&mut self, doc: DocumentId, text: Arc<str>) {
        if self.texts.insert(doc, text).is_none() {
            self.order.push_back(doc);
        }
        while self.order.len() > TEXT_CACHE_DOCUMENTS {
            if let Some(old) = self.order.pop_front() {
                self.texts.remove(&old);
            }
        }
    }

    fn forget(&mut self, doc: DocumentId) {
        if self.texts.remove(&doc).is_some() {
            self.order.retain(|d| *d != doc);
        }
    }
}

impl Store {
    pub(crate) fn forget_text(&self, doc: DocumentId) {
        self.texts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .forget(doc);
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
        // A concurrent replacement moves the document to a new key; the
        // second look finds it there.
        for _ in 0..2 {
            let Some(seq) = self.seq_of(doc) else {
                return Ok(None);
            };
            if let Some(bytes) = self
                .db
                .get(keys::document(seq))
                .map_err(|e| self.sled_err(e))?
            {
                return codec::decode_document_text(&bytes).map(Some);
            }
        }
        Ok(None)
    }

    /// The evidence sentence of a relation of the view. The view keeps
    /// only the span of a sentence that is a slice of its document's text
    /// (the sentences would be a third of its memory); this slices it out
    /// of the stored text, through a cache of recently read texts. Empty
    /// when the document is gone (deleted since the relation was read).
    pub fn sentence(&self, rel: &Relation) -> Result<String, StoreError> {
        if !rel.evidence.sentence.is_empty() {
            return Ok(rel.evidence.sentence.clone());
        }
        let Some(text) = self.cached_text(rel.document)? else {
            return Ok(String::new());
        };
        let span = rel.evidence.span;
        text.get(span.start as usize..span.end as usize)
            .map(str::to_owned)
            .ok_or_else(|| {
                Corruption::EvidenceOutsideText {
                    relation: rel.id,
                    document: rel.document,
                    start: span.start,
                    end: span.end,
                }
                .into()
            })
    }

    /// Relations of the view with their evidence sentences filled in (for
    /// exports), reading each document's text once.
    pub fn with_sentences(&self, relations: &[&Relation]) -> Result<Vec<Relation>, StoreError> {
        let mut texts: HashMap<DocumentId, Option<Arc<str>>> = HashMap::new();
        let mut out = Vec::with_capacity(relations.len());
        for rel in relations {
            let mut full = (*rel).clone();
            if full.evidence.sentence.is_empty() {
                let text = match texts.get(&rel.document) {
                    Some(text) => text.clone(),
                    None => {
                        let text = self.text(rel.document)?.map(Arc::<str>::from);
                        texts.insert(rel.document, text.clone());
                        text
                    }
                };
                let span = rel.evidence.span;
                if let Some(sentence) = text
                    .as_deref()
                    .and_then(|t| t.get(span.start as usize..span.end as usize))
                {
                    full.evidence.sentence = sentence.to_owned();
                }
            }
            out.push(full);
        }
        Ok(out)
    }

    fn cached_text(&self, doc: DocumentId) -> Result<Option<Arc<str>>, StoreError> {
        let cache = || self.texts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(text) = cache().texts.get(&doc) {
            return Ok(Some(text.clone()));
        }
        let Some(text) = self.text(doc)? else {
            return Ok(None);
        };
        let text: Arc<str> = text.into();
        cache().insert(doc, text.clone());
        Ok(Some(text))
    }
}

impl GraphSource for Store {
    fn read(&self) -> GraphRead<'_> {
        let view: &RwLock<dyn Graph + Send + Sync> = &self.view;
        // As in `Store::view`: a poisoned lock's data is consistent.
        GraphRead::new(view.read().unwrap_or_else(PoisonError::into_inner), self)
    }

    fn text(&self, doc: DocumentId) -> Result<Option<String>, ReadError> {
        Store::text(self, doc).map_err(ReadError::new)
    }

    fn sentence(&self, rel: &Relation) -> Result<String, ReadError> {
        Store::sentence(self, rel).map_err(ReadError::new)
    }

    fn with_sentences(&self, relations: &[&Relation]) -> Result<Vec<Relation>, ReadError> {
        Store::with_sentences(self, relations).map_err(ReadError::new)
    }
}
