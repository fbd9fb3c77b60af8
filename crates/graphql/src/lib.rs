//! # newsgraph-graphql
//!
//! The GraphQL schema over the stored graph, and the DOT / JSON writers the
//! CLI shares. The schema reads the store's in-memory [`GraphView`] (never
//! the disk, except a document's text) and writes through
//! [`Store::put_document`], so a mutation is visible to the next query
//! without a restart.
//!
//! No N+1: every nested field (a relation's subject, an actor's documents)
//! is an O(1) hash lookup in the in-memory view under a short read lock —
//! there is no per-item round trip to batch. Traversals (`shortestPath`,
//! `paths`, `neighborhood`, `dot`, `export`) run on the blocking pool with
//! a node-visit budget.
//!
//! Safety: every schema is built with depth, complexity and recursion
//! limits ([`Limits`]); list fields are paginated with a capped `first`;
//! [`execute`] — the one way requests should run — adds the bracket
//! nesting and alias limits ([`check_request`]) and a timeout, and gives
//! every error an `extensions.code`. The HTTP layer (in the CLI) adds
//! body-size and concurrency limits.
#![deny(missing_docs)]

pub mod export;
mod limits;
mod query;
mod schema;

use std::sync::Arc;
use std::time::Duration;

use async_graphql::{EmptySubscription, Request, Response, Schema, ServerError};
use newsgraph_store::Store;

pub use limits::{aliases_in, check_request, classify_errors};
pub use query::{MutationRoot, QueryRoot};
pub use schema::find_actor as find_actor_id;

/// Marker the HTTP layer puts in a request's data when the caller has not
/// shown a valid bearer token: mutations are then refused.
#[derive(Debug, Clone, Copy)]
pub struct Unauthorized;

/// The newsgraph schema type.
pub type NewsgraphSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Limits applied to every query.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest selection nesting accepted.
    pub depth: usize,
    /// Highest complexity (roughly, fields resolved) accepted.
    pub complexity: usize,
    /// Deepest recursion while parsing (fragments, nested values).
    pub recursion: usize,
    /// Most field aliases in one document.
    pub aliases: usize,
    /// Most graph nodes a traversal may visit.
    pub visit_budget: usize,
    /// Longest a request may run.
    pub timeout: Duration,
    /// Whether mutations are refused.
    pub read_only: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 16,
            complexity: 20_000,
            recursion: 32,
            aliases: 30,
            visit_budget: 100_000,
            timeout: Duration::from_secs(30),
            read_only: false,
        }
    }
}

/// Builds the schema over a store.
pub fn build_schema(store: Arc<Store>, limits: Limits) -> NewsgraphSchema {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .data(store)
        .data(limits)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .limit_recursive_depth(limits.recursion)
        .finish()
}

/// Runs a request with the nesting and alias limits ([`check_request`])
/// and the schema's time limit, and gives every error an `extensions.code`.
pub async fn execute(schema: &NewsgraphSchema, mut request: Request) -> Response {
    let limits = schema.data::<Limits>().copied().unwrap_or_default();
    if let Err(error) = check_request(&mut request, &limits) {
        return classify_errors(Response::from_errors(vec![error]));
    }
    let timeout = limits.timeout;
    let response = match tokio::time::timeout(timeout, schema.execute(request)).await {
        Ok(response) => response,
        Err(_) => Response::from_errors(vec![ServerError::new(
            format!("the query timed out after {} s", timeout.as_secs_f64()),
            None,
        )]),
    };
    classify_errors(response)
}

/// The schema's SDL, as committed in `schema/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .finish()
        .sdl()
}

#[cfg(test)]
mod tests;
