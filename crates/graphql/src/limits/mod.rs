//! Query limits beyond depth and complexity, and the errors they raise:
//!
//! - the nesting of brackets (checked before the parser, which would
//!   otherwise overflow the stack) and the number of tokens, directives and
//!   aliases (cheap ways to multiply the work of one request), by
//!   [`check_request`], in one pass over the text that stops at the first
//!   token over a cap ([`lexical_counts`]);
//! - the page-aware cost of a query ([`query_cost`]): async-graphql's
//!   complexity counts the fields written in the query, so a page of 1,000
//!   actors with 1,000 relations each costs a handful of fields; the cost
//!   counts each field once per item of the pages around it;
//! - the fields a request resolves and the time it takes: resolving from
//!   the in-memory view is CPU-bound and never waits, so without a yield
//!   the request's timeout could not fire, and lists without a page size
//!   (`neighbors`) can fan out further than the cost estimated;
//! - the error codes of the errors async-graphql raises itself (parse,
//!   validation, limits), by [`classify_errors`].
//!
//! [`check_request`] runs in [`crate::execute`] before the schema, as it
//! must run before the parser. The cost and the resolution limits are one
//! schema extension, [`QueryGuard`], so that every way of running the
//! schema has them; it costs a boxed future per field (figures in
//! [`QueryGuard`]).

//!
//! One module per question: `precheck` (what is refused before parsing
//! and validation), `cost` (what a query may cost), `guard` (the extension
//! that holds resolution to its budget and deadline) and `codes` (the
//! `extensions.code` of the errors async-graphql raises itself).

mod codes;
mod cost;
mod guard;
mod precheck;

pub use codes::classify_errors;
pub(crate) use codes::dedup_limit_errors;
pub(crate) use cost::is_small;
pub use cost::{query_cost, SMALL_QUERY_COST, UNPAGED_LIST};
pub use guard::QueryGuard;
pub use precheck::{aliases_in, check_request};
