//! # newsgraph-graphql
//!
//! The GraphQL schema over the stored graph, and the DOT / JSON writers the
//! CLI shares. The schema reads the store's in-memory [`GraphView`] (never
//! the disk) and writes through [`Store::put_document`], so a mutation is
//! visible to the next query without a restart.
//!
//! Safety: every schema is built with depth, complexity and recursion
//! limits ([`Limits`]); list fields are paginated with a capped `first`;
//! graph traversals have a node-visit budget. The HTTP layer (in the CLI)
//! adds body-size, timeout and concurrency limits.
#![deny(missing_docs)]

pub mod export;
mod schema;

use std::sync::Arc;

use async_graphql::{EmptySubscription, Schema};
use newsgraph_store::{GraphView, Store};

pub use schema::{find_actor as find_actor_id, MutationRoot, QueryRoot};

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
    /// Most graph nodes a traversal may visit.
    pub visit_budget: usize,
    /// Whether mutations are refused.
    pub read_only: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 12,
            complexity: 20_000,
            recursion: 32,
            visit_budget: 100_000,
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

/// The schema's SDL, as committed in `schema/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .finish()
        .sdl()
}

/// The ego network of the actor named `name` as DOT (None: unknown actor).
pub fn actor_dot(view: &GraphView, name: &str, depth: usize, budget: usize) -> Option<String> {
    let actor = schema::find_actor(view, name)?;
    Some(export::to_dot(&view.ego_network(actor, depth, budget)))
}

#[cfg(test)]
mod tests;
