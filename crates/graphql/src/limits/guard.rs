//! The guard on resolution: [`QueryGuard`] refuses a query over its cost,
//! yields to the runtime while resolving, and stops a request past its
//! field budget or deadline.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextResolve, NextValidation,
    ResolveInfo,
};
use async_graphql::{Request, ServerError, ServerResult, ValidationResult, Value};

use crate::schema::DEFAULT_FIRST;

use super::codes::limit_exceeded;
use super::cost::{request_cost, MAX_WALK_DEPTH};

/// Fields resolved between two yields to the runtime: often enough that a
/// timeout fires within a millisecond or so of its deadline, rarely enough
/// that the yield costs nothing measurable.
const YIELD_EVERY: usize = 256;
// A power of two, so that the check below is a mask.
const _: () = assert!(YIELD_EVERY.is_power_of_two());

/// A schema extension that holds each request to the limits that
/// async-graphql's validation does not know:
///
/// - the page-aware [`query_cost`], computed before validation and refused
///   after it (so that a query too deep or too complex by async-graphql's
///   own measures says so, rather than giving a cost that merely follows
///   from its depth);
/// - the fields actually resolved: it counts them, yields to the runtime
///   every [`YIELD_EVERY`] fields so that the request's timeout can fire
///   (resolution from the in-memory view never waits, so a fan-out query
///   would otherwise hold its worker thread to the end), and refuses
///   further fields with LIMIT_EXCEEDED once the request has resolved
///   `max_fields` fields or run past `timeout`.
///
/// With an extension registered async-graphql threads every field through
/// the extension chain (a boxed future, a type lookup and, for list items,
/// two type-name strings per field): measured in a release build, a
/// 47-relation page took 1.5 times as long to resolve, a fan-out of
/// 37,000 fields 1.9 times. [`crate::execute`] therefore runs small
/// queries whose lists all have a page size without it
/// ([`SMALL_QUERY_COST`]).
#[derive(Debug, Clone, Copy)]
pub struct QueryGuard {
    /// Highest [`query_cost`] accepted.
    pub max_cost: usize,
    /// Most fields one request may resolve.
    pub max_fields: usize,
    /// How long after it starts a request stops resolving.
    pub timeout: Duration,
}

impl ExtensionFactory for QueryGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GuardedRequest {
            limits: *self,
            // Instant + Duration panics on overflow; a deadline too far to
            // represent is no deadline.
            deadline: Instant::now().checked_add(self.timeout),
            cost: OnceLock::new(),
            resolved: AtomicUsize::new(0),
            timed_out: AtomicBool::new(false),
        })
    }
}

/// One request under guard.
struct GuardedRequest {
    limits: QueryGuard,
    deadline: Option<Instant>,
    /// The request's cost (None: its fragments recurse too deep to say).
    cost: OnceLock<Option<u64>>,
    resolved: AtomicUsize,
    timed_out: AtomicBool,
}

impl GuardedRequest {
    fn timed_out(&self) -> ServerError {
        limit_exceeded(format!(
            "the query timed out after {} s",
            self.limits.timeout.as_secs_f64()
        ))
    }

    fn cost_error(&self) -> Option<ServerError> {
        let max_cost = self.limits.max_cost as u64;
        match self.cost.get().copied().flatten() {
            Some(cost) if cost <= max_cost => None,
            Some(cost) => Some(limit_exceeded(format!(
                "the query is too complex: its cost is {} (each field counted once per item of \
                 the pages it is in: `first`, or {DEFAULT_FIRST} when absent); at most {} is allowed",
                thousands(cost),
                thousands(max_cost)
            ))),
            None => Some(limit_exceeded(format!(
                "the query is nested too deep: its fragments recurse more than {MAX_WALK_DEPTH} levels"
            ))),
        }
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for GuardedRequest {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        // Measured here, as the later hooks see no variables or operation
        // name; the parsed document is kept for the schema.
        let cost = request_cost(&mut request)?.map(|cost| cost.total);
        let _ = self.cost.set(cost);
        next.run(ctx, request).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let validated = next.run(ctx).await?;
        match self.cost_error() {
            Some(error) => Err(vec![error]),
            None => Ok(validated),
        }
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let resolved = self.resolved.fetch_add(1, Ordering::Relaxed) + 1;
        if resolved > self.limits.max_fields {
            return Err(limit_exceeded(format!(
                "the query resolves more than {} fields; ask for smaller pages or fewer levels",
                thousands(self.limits.max_fields as u64)
            )));
        }
        if self.timed_out.load(Ordering::Relaxed) {
            return Err(self.timed_out());
        }
        if resolved & (YIELD_EVERY - 1) == 0 {
            if self.deadline.is_some_and(|d| Instant::now() >= d) {
                self.timed_out.store(true, Ordering::Relaxed);
                return Err(self.timed_out());
            }
            tokio::task::yield_now().await;
        }
        next.run(ctx, info).await
    }
}

/// `1234567` as `1,234,567`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|group| std::str::from_utf8(group).unwrap_or_default())
        .collect();
    groups.join(",")
}
