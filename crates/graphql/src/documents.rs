//! Parsed queries kept by their text.
//!
//! A front-end sends the same few query texts over and over with different
//! variables (the Explorer does; so does any app that follows GraphQL
//! practice). Parsing is a good part of a small request's cost (async-graphql's
//! pest parser takes 10-30 µs for a query of a few lines), so the documents
//! of queries that passed [`check_request`](crate::limits::check_request)
//! are kept and handed to the next request with the same text; only the
//! variable-dependent checks (cost, validation) run again.
//!
//! The cache is two generations ([`Generations`]) of at most [`GENERATION`]
//! texts each: a hit
//! in the older one moves the entry to the newer; when the newer is full it
//! becomes the older and the oldest texts go. Texts longer than
//! [`MAX_TEXT`] are not kept.

use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;

use crate::generations::Generations;

/// Texts per generation.
pub const GENERATION: usize = 512;

/// Longest query text kept (longer ones are parsed every time).
pub const MAX_TEXT: usize = 16 * 1024;

/// Parsed queries that passed the request checks, by text (see the module
/// docs).
pub(crate) struct DocumentCache {
    documents: Mutex<Generations<String, Arc<ExecutableDocument>>>,
}

impl Default for DocumentCache {
    fn default() -> Self {
        DocumentCache {
            documents: Mutex::new(Generations::new(GENERATION, |_, _| 1)),
        }
    }
}

impl DocumentCache {
    /// The parsed document of `query`, if it is kept.
    pub fn get(&self, query: &str) -> Option<Arc<ExecutableDocument>> {
        self.lock().get(query)
    }

    /// Keeps the parsed document of `query` (unless the text is too long).
    pub fn insert(&self, query: &str, document: ExecutableDocument) {
        if query.len() > MAX_TEXT {
            return;
        }
        self.lock().insert(query.to_owned(), Arc::new(document));
    }

    /// How many texts are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations<String, Arc<ExecutableDocument>>> {
        // The maps are valid after any panic (no entry is half-inserted).
        self.documents.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap()
    }

    #[test]
    fn the_cache_is_bounded_and_keeps_what_is_used() {
        let cache = DocumentCache::default();
        let text = |i: usize| format!("{{ a{i}: __typename }}");
        cache.insert(&text(0), document(&text(0)));
        for i in 1..=(3 * GENERATION) {
            cache.insert(&text(i), document(&text(i)));
            // Text 0 is asked for all along, so it is never the oldest.
            assert!(cache.get(&text(0)).is_some(), "text 0 dropped at {i}");
            assert!(cache.len() <= 2 * GENERATION);
        }
        assert!(cache.get(&text(1)).is_none(), "an unused old text went");
        assert!(cache.get(&text(3 * GENERATION)).is_some());
        let long = format!("{{ __typename {} }}", " ".repeat(MAX_TEXT));
        cache.insert(&long, document(&long));
        assert!(cache.get(&long).is_none(), "long texts are not kept");
    }
}
