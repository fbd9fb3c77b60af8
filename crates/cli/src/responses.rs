//! The server's response cache: the answers to queries, kept by the exact
//! request body until the stored graph changes.
//!
//! A read-mostly graph is asked the same questions over and over (every
//! visitor of an actor's page in a front-end asks for the same
//! relations), and an answer is a pure function of the request and the
//! graph. So an error-free answer to a query (never a mutation) is kept,
//! keyed by the request body's bytes (a GET's by `GET ?` and its URL's
//! query string, which no JSON body can equal), together with the store's
//! [`generation`](newsgraph_store::Store::generation) it was computed at;
//! a change to the graph bumps the generation, and the next lookup drops
//! every answer kept before it. A repeat request then costs a hash of its
//! body instead of parsing, resolving and serialising. What is kept is
//! the answer's JSON only: the server sends it with the media type each
//! request's `Accept` asks for.
//!
//! The cache holds at most its byte budget (bodies and answers, plus a
//! fixed allowance per entry) in two generations of half the budget each
//! ([`Generations`], as the parsed-document cache): what is asked often
//! stays, without per-entry bookkeeping on every hit.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use axum::body::Bytes;
use newsgraph_graphql::generations::Generations;

/// Bytes counted for an entry beyond its body and answer (the map slot
/// and the two buffers' headers).
const ENTRY_OVERHEAD: usize = 96;

/// Kept answers (see the module documentation).
#[derive(Debug)]
pub struct ResponseCache {
    max_bytes: usize,
    state: Mutex<State>,
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Debug)]
struct State {
    /// The store generation every kept answer was computed at.
    graph: u64,
    answers: Generations<Bytes, Bytes>,
}

impl State {
    /// Moves to a newer store generation, dropping every answer; answers
    /// computed at an older one are refused (false).
    fn at(&mut self, graph: u64) -> bool {
        if graph > self.graph {
            self.graph = graph;
            self.answers.clear();
        }
        graph == self.graph
    }
}

fn entry_size(body: &Bytes, answer: &Bytes) -> usize {
    body.len() + answer.len() + ENTRY_OVERHEAD
}

/// What the cache holds and has done, for `/healthz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Requests answered from the cache.
    pub hits: u64,
    /// Requests looked up and not found.
    pub misses: u64,
    /// Answers held.
    pub entries: usize,
    /// Bytes held, counted as for the budget.
    pub bytes: usize,
    /// The budget.
    pub max_bytes: usize,
}

impl ResponseCache {
    /// A cache of at most `max_bytes`; `None` when that is 0 (no cache).
    pub fn new(max_bytes: usize) -> Option<ResponseCache> {
        (max_bytes > 0).then(|| ResponseCache {
            max_bytes,
            state: Mutex::new(State {
                graph: 0,
                answers: Generations::new(max_bytes / 2, entry_size),
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // Every update leaves the maps consistent before it can panic (it
        // cannot, short of allocation failure), so a poisoned lock's data
        // is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer kept for `body` at store generation `graph`.
    pub fn get(&self, body: &[u8], graph: u64) -> Option<Bytes> {
        let found = {
            let mut state = self.state();
            if state.at(graph) {
                state.answers.get(body)
            } else {
                None
            }
        };
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `answer` to `body`, computed at store generation `graph`
    /// (read before the request ran, and unchanged after it). An answer
    /// larger than half the budget is not kept.
    pub fn insert(&self, body: Bytes, answer: Bytes, graph: u64) {
        // A body read off a connection may share the connection's whole
        // read buffer; a key of its own keeps only its bytes alive.
        let body = Bytes::copy_from_slice(&body);
        let mut state = self.state();
        if state.at(graph) {
            state.answers.insert(body, answer);
        }
    }

    /// Counts for `/healthz`.
    pub fn stats(&self) -> CacheStats {
        let state = self.state();
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: state.answers.len(),
            bytes: state.answers.weight(),
            max_bytes: self.max_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    #[test]
    fn an_answer_is_found_by_its_exact_body_at_its_generation_only() {
        let cache = ResponseCache::new(1 << 20).unwrap();
        assert_eq!(cache.get(b"q1", 0), None);
        cache.insert(bytes("q1"), bytes("a1"), 0);
        assert_eq!(cache.get(b"q1", 0), Some(bytes("a1")));
        assert_eq!(cache.get(b"q1 ", 0), None, "bytes, not meaning");
        // The graph changed: everything kept before is gone, also for the
        // generation it was kept at.
        assert_eq!(cache.get(b"q1", 1), None);
        assert_eq!(cache.get(b"q1", 0), None);
        // An answer computed at an older generation is not kept.
        cache.insert(bytes("q2"), bytes("a2"), 0);
        assert_eq!(cache.get(b"q2", 1), None);
        assert_eq!(cache.stats().entries, 0);
        // One computed at a newer generation than the cache has seen
        // moves it on.
        cache.insert(bytes("q3"), bytes("a3"), 2);
        assert_eq!(cache.get(b"q3", 2), Some(bytes("a3")));
        let stats = cache.stats();
        assert_eq!((stats.hits, stats.misses, stats.entries), (2, 5, 1));
    }

    #[test]
    fn the_cache_stays_within_its_budget_and_keeps_what_is_asked() {
        let max = 64 * 1024;
        let cache = ResponseCache::new(max).unwrap();
        let answer = Bytes::from(vec![b'x'; 1000]);
        for i in 0..1000 {
            cache.insert(bytes(&format!("q{i}")), answer.clone(), 0);
            // q0 is asked between every two new answers.
            assert!(cache.get(b"q0", 0).is_some(), "q0 lost after q{i}");
            let stats = cache.stats();
            assert!(stats.bytes <= max, "{stats:?}");
        }
        let stats = cache.stats();
        assert!(stats.entries >= 30, "{stats:?}");
        assert!(cache.get(b"q999", 0).is_some());
        assert!(cache.get(b"q1", 0).is_none());
        // Too large to keep.
        cache.insert(bytes("big"), Bytes::from(vec![b'x'; max]), 0);
        assert!(cache.get(b"big", 0).is_none());
    }

    #[test]
    fn the_same_request_answered_twice_is_counted_once() {
        let cache = ResponseCache::new(1 << 20).unwrap();
        cache.insert(bytes("q"), bytes("answer"), 0);
        let once = cache.stats().bytes;
        cache.insert(bytes("q"), bytes("answer"), 0);
        assert_eq!(cache.stats().bytes, once);
        assert_eq!(cache.stats().entries, 1);
    }

    #[test]
    fn no_budget_is_no_cache() {
        assert!(ResponseCache::new(0).is_none());
    }
}
