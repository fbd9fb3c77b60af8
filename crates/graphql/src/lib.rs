//! # newsgraph-graphql
//!
//! The GraphQL schema over the graph, and the DOT / JSON writers the CLI
//! shares. The schema resolves against two ports ([`Ports`]): it reads
//! through the read port of `newsgraph-model` (`GraphSource`, which the
//! store implements over its in-memory view: never the disk, except a
//! document's text) and writes through the [`ports::Ingest`] port (which
//! the binary implements with the extractor and the store), so a mutation
//! is visible to the next query without a restart. It depends on neither
//! the store nor the extractor: its unit tests run over an in-memory graph.
//!
//! No N+1: every nested field (a relation's subject, an actor's documents)
//! is an O(1) hash lookup in the in-memory view under a short read lock —
//! there is no per-item round trip to batch. Traversals (`shortestPath`,
//! `paths`, `neighborhood`, `dot`, `export`) run on the blocking pool with
//! a node-visit budget.
//!
//! Safety: every schema is built with depth, complexity and recursion
//! limits ([`Limits`]) and a guard ([`QueryGuard`]) that refuses queries
//! over a page-aware cost, yields to the runtime while resolving, and stops
//! a request past its field budget or deadline; list fields are paginated
//! with a capped `first`; [`execute`] — the one way requests should run —
//! adds the bracket nesting, token, directive and alias limits
//! ([`check_request`]) and a timeout, and gives every error an
//! `extensions.code`. The HTTP layer (in the CLI) adds body-size,
//! body-time and concurrency limits.
#![deny(missing_docs)]

mod documents;
mod error;
pub mod export;
pub mod generations;
mod limits;
pub mod ports;
mod query;
mod schema;
mod serial;

use std::time::Duration;

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{EmptySubscription, Request, Response, Schema, SchemaBuilder, ServerError};
use documents::DocumentCache;

pub use error::ErrorCode;
pub use limits::{
    aliases_in, check_request, classify_errors, query_cost, QueryGuard, SMALL_QUERY_COST,
    UNPAGED_LIST,
};
pub use ports::{find_actor, Ports};
pub use query::{MutationRoot, QueryRoot};

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
    /// Highest complexity (fields written in the query, fragments
    /// expanded) accepted.
    pub complexity: usize,
    /// Highest page-aware cost accepted ([`query_cost`]: each field counted
    /// once per item of the pages it is in).
    pub cost: usize,
    /// Most fields one request may resolve ([`QueryGuard`]).
    pub fields: usize,
    /// Deepest recursion while parsing (fragments, nested values).
    pub recursion: usize,
    /// Most field aliases in one document, fragments included.
    pub aliases: usize,
    /// Most tokens in one document (names, values and punctuation; not
    /// commas, white space or comments), counted before it is parsed.
    pub tokens: usize,
    /// Most directives (`@include`, `@skip`, ...) in one document.
    pub directives: usize,
    /// Most graph nodes a traversal may visit.
    pub visit_budget: usize,
    /// Neighbour entries a neighbourhood may read on the async runtime (at
    /// most a few hundred microseconds of work) before it is moved to a
    /// blocking thread: handing a task to the blocking pool costs about
    /// 50 µs of CPU, as much as a typical two-hop neighbourhood itself.
    pub inline_scan: usize,
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
            // The Explorer's costliest query (15 actors with 300 relations
            // each) costs about 104,000; 1,000 actors with 1,000 relations
            // each cost 2,002,002.
            cost: 1_000_000,
            fields: 1_000_000,
            recursion: 32,
            // The Explorer asks for 15 actors in one request, by alias.
            aliases: 30,
            // The Explorer's longest query (those 15 aliased actors) has
            // about 1,030 tokens, GraphiQL's introspection query 160; 30
            // aliased actors would have about 2,060.
            tokens: 5_000,
            // None of the Explorer's queries uses a directive.
            directives: 50,
            visit_budget: 100_000,
            inline_scan: 100_000,
            timeout: Duration::from_secs(30),
            read_only: false,
        }
    }
}

/// The same schema without the [`QueryGuard`], for requests too small to
/// need it ([`SMALL_QUERY_COST`]): the guard threads every field
/// through a boxed future, which costs about half again the time of a
/// 50-relation page.
struct Unguarded(NewsgraphSchema);

fn schema_builder(
    ports: Ports,
    limits: Limits,
) -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .data(ports)
        .data(limits)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .limit_recursive_depth(limits.recursion)
}

/// Builds the schema over its ports.
pub fn build_schema(ports: Ports, limits: Limits) -> NewsgraphSchema {
    let unguarded = schema_builder(ports.clone(), limits).finish();
    schema_builder(ports, limits)
        .data(Unguarded(unguarded))
        .data(DocumentCache::default())
        .extension(QueryGuard {
            max_cost: limits.cost,
            max_fields: limits.fields,
            timeout: limits.timeout,
        })
        .finish()
}

/// Runs a request with the nesting, token, directive and alias limits
/// ([`check_request`]) and the schema's time limit, and gives every error
/// an `extensions.code`.
/// A request that costs little, with every list bounded by a page size,
/// runs without the [`QueryGuard`] (and its per-field cost): it cannot
/// resolve more than [`SMALL_QUERY_COST`] fields.
pub async fn execute(schema: &NewsgraphSchema, request: Request) -> Response {
    run(schema, request).await.response
}

/// What [`run`] gives back.
#[derive(Debug)]
pub struct Outcome {
    /// The answer, every error with an `extensions.code`.
    pub response: Response,
    /// Whether the operation that ran was a query (not a mutation): its
    /// answer then depends only on the request and the stored graph, so
    /// it may be kept until the graph changes (the server's response
    /// cache, keyed by the store's generation).
    pub query: bool,
}

/// [`execute`], also saying whether the request ran a query.
pub async fn run(schema: &NewsgraphSchema, mut request: Request) -> Outcome {
    let limits = schema.data::<Limits>().copied().unwrap_or_default();
    let documents = schema.data::<DocumentCache>();
    match documents.and_then(|cache| cache.get(&request.query)) {
        // Checked when it was kept; the limits are the schema's own.
        Some(document) => request.set_parsed_query(ExecutableDocument::clone(&document)),
        None => {
            if let Err(error) = check_request(&mut request, &limits) {
                return Outcome {
                    response: classify_errors(Response::from_errors(vec![error])),
                    query: false,
                };
            }
            if let (Some(cache), Ok(document)) = (documents, request.parsed_query()) {
                let document = document.clone();
                cache.insert(&request.query, document);
            }
        }
    }
    let name = request.operation_name.take();
    let query = request
        .parsed_query()
        .is_ok_and(|document| runs_a_query(document, name.as_deref()));
    request.operation_name = name;
    let schema = match schema.data::<Unguarded>() {
        Some(Unguarded(unguarded)) if limits::is_small(&mut request, &limits) => unguarded,
        _ => schema,
    };
    let timeout = limits.timeout;
    let response = match tokio::time::timeout(timeout, schema.execute(request)).await {
        Ok(response) => response,
        Err(_) => Response::from_errors(vec![ServerError::new(
            format!("the query timed out after {} s", timeout.as_secs_f64()),
            None,
        )]),
    };
    Outcome {
        response: classify_errors(limits::dedup_limit_errors(response)),
        query,
    }
}

/// Whether the operation a request names (or its only one) is a query.
/// A name that matches nothing, or several operations without a name, is
/// an error when the request runs, and is not a query here.
fn runs_a_query(document: &ExecutableDocument, name: Option<&str>) -> bool {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let operation = match (&document.operations, name) {
        (DocumentOperations::Single(operation), None) => Some(operation),
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        (DocumentOperations::Multiple(_), None) => None,
    };
    operation.is_some_and(|operation| operation.node.ty == OperationType::Query)
}

/// The schema's SDL, as committed in `schema/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .finish()
        .sdl()
}

#[cfg(test)]
mod tests;
