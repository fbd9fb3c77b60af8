//! Query limits beyond depth and complexity, and the errors they raise:
//!
//! - the nesting of brackets (checked before the parser, which would
//!   otherwise overflow the stack) and the number of aliases (a cheap way
//!   to multiply work in one request), by [`check_request`];
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

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextResolve, NextValidation,
    ResolveInfo,
};
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Field, OperationType, Selection, SelectionSet, ServiceDocument,
    Type, TypeKind, TypeSystemDefinition, VariableDefinition,
};
use async_graphql::parser::Positioned;
use async_graphql::{
    Name, Request, Response, ServerError, ServerResult, ValidationResult, Value, Variables,
};

use crate::error::ErrorCode;
use crate::schema::{DEFAULT_FIRST, MAX_FIRST};
use crate::Limits;

fn count_aliases(set: &SelectionSet, count: &mut usize) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                if field.node.alias.is_some() {
                    *count += 1;
                }
                count_aliases(&field.node.selection_set.node, count);
            }
            Selection::InlineFragment(fragment) => {
                count_aliases(&fragment.node.selection_set.node, count)
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

/// Aliases in every operation and fragment of a document.
pub fn aliases_in(document: &ExecutableDocument) -> usize {
    let mut count = 0;
    for (_, op) in document.operations.iter() {
        count_aliases(&op.node.selection_set.node, &mut count);
    }
    for fragment in document.fragments.values() {
        count_aliases(&fragment.node.selection_set.node, &mut count);
    }
    count
}

/// The deepest nesting of `{`, `[` and `(` in a query text, outside
/// strings, block strings and comments.
pub fn nesting_in(query: &str) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

// ---------------------------------------------------------------------------
// Page-aware cost
// ---------------------------------------------------------------------------

/// How many items a list field without a page size (`neighbors`,
/// `Event.relations`, `Path.relations`) is assumed to hold: as many as a
/// page holds by default. It is an estimate; the [`QueryGuard`] holds the
/// real count to its budget.
pub const UNPAGED_LIST: u64 = DEFAULT_FIRST as u64;

/// Walks deeper than this (fragments spreading fragments) are refused
/// outright; async-graphql's own recursion limit refuses them anyway.
const MAX_WALK_DEPTH: usize = 256;

/// What the cost needs to know of one field of an object or interface type.
#[derive(Debug)]
struct FieldShape {
    /// The named type it returns, lists and non-null unwrapped.
    returns: String,
    /// Whether it returns a list.
    list: bool,
    /// Its page-size argument (`first` or `limit`) and that argument's
    /// default in the schema, if it has one.
    page: Option<(String, Option<u64>)>,
}

/// The shape of the schema's output types, read from its SDL, so that the
/// cost follows the schema without an annotation on every field.
#[derive(Debug, Default)]
struct CostModel {
    /// Type name, then field name.
    fields: HashMap<String, HashMap<String, FieldShape>>,
    query: String,
    mutation: Option<String>,
}

fn named(ty: &Type) -> (String, bool) {
    match &ty.base {
        BaseType::Named(name) => (name.to_string(), false),
        BaseType::List(inner) => (named(inner).0, true),
    }
}

impl CostModel {
    fn from_sdl(sdl: &str) -> Self {
        let document: ServiceDocument = match async_graphql::parser::parse_schema(sdl) {
            Ok(document) => document,
            Err(e) => {
                // Every field then counts once: the cost degrades to a
                // field count, and the other limits still hold.
                tracing::error!(
                    "the schema's own SDL does not parse ({e}); query cost counts fields only"
                );
                return Self::default();
            }
        };
        let mut model = CostModel {
            query: "Query".to_owned(),
            ..Self::default()
        };
        for definition in &document.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    if let Some(query) = &schema.node.query {
                        model.query = query.node.to_string();
                    }
                    model.mutation = schema.node.mutation.as_ref().map(|m| m.node.to_string());
                }
                TypeSystemDefinition::Type(ty) => {
                    let fields = match &ty.node.kind {
                        TypeKind::Object(object) => &object.fields,
                        TypeKind::Interface(interface) => &interface.fields,
                        _ => continue,
                    };
                    let shapes = fields
                        .iter()
                        .map(|field| {
                            let field = &field.node;
                            let (returns, list) = named(&field.ty.node);
                            let page = field
                                .arguments
                                .iter()
                                .find(|a| matches!(a.node.name.node.as_str(), "first" | "limit"))
                                .map(|a| {
                                    let default =
                                        a.node.default_value.as_ref().and_then(|v| match &v.node {
                                            Value::Number(n) => n.as_u64(),
                                            _ => None,
                                        });
                                    (a.node.name.node.to_string(), default)
                                });
                            (
                                field.name.node.to_string(),
                                FieldShape {
                                    returns,
                                    list,
                                    page,
                                },
                            )
                        })
                        .collect();
                    model.fields.insert(ty.node.name.node.to_string(), shapes);
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        model
    }

    fn field(&self, ty: &str, name: &str) -> Option<&FieldShape> {
        self.fields.get(ty)?.get(name)
    }
}

/// The model of this crate's schema, read once from its SDL.
fn cost_model() -> &'static CostModel {
    static MODEL: OnceLock<CostModel> = OnceLock::new();
    MODEL.get_or_init(|| CostModel::from_sdl(&crate::sdl()))
}

/// A walk over one operation, with the fragments' costs remembered (a
/// fragment spread twice in each of 15 nested fragments is walked 15
/// times, not 32,768).
struct CostWalk<'a> {
    model: &'a CostModel,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    defaults: &'a [Positioned<VariableDefinition>],
    /// Fragment name and the page size it is spread in.
    memo: HashMap<(&'a str, Option<u64>), u64>,
    spreading: HashSet<&'a str>,
    depth: usize,
    /// Whether the length of a list of objects was estimated
    /// ([`UNPAGED_LIST`]) rather than bounded by a page size.
    estimated: bool,
}

/// A walk deeper than [`MAX_WALK_DEPTH`].
struct TooDeep;

impl<'a> CostWalk<'a> {
    /// The page size a field's `first` / `limit` argument asks for: its
    /// value (variables resolved), else the schema's default, else
    /// [`DEFAULT_FIRST`]; at most [`MAX_FIRST`] (larger pages are refused
    /// by the field itself).
    fn page_size(&self, field: &Field, argument: &str, default: Option<u64>) -> u64 {
        let given = field.get_argument(argument).and_then(|value| {
            let value = value.node.clone().into_const_with(|variable| {
                let given = self.variables.get(&variable).cloned();
                let declared = || {
                    self.defaults
                        .iter()
                        .find(|d| d.node.name.node == variable)
                        .and_then(|d| d.node.default_value().cloned())
                };
                given.or_else(declared).ok_or(())
            });
            match value {
                Ok(Value::Number(n)) => Some(n.as_i64().map_or(u64::MAX, |n| n.max(0) as u64)),
                _ => None,
            }
        });
        given
            .or(default)
            .unwrap_or(DEFAULT_FIRST as u64)
            .min(MAX_FIRST as u64)
    }

    /// The cost of a selection set on type `ty` (None: a type the model
    /// does not know, such as introspection's), where `page` is the page
    /// size of the connection the set selects from, if it is one.
    fn set(
        &mut self,
        set: &'a SelectionSet,
        ty: Option<&'a str>,
        page: Option<u64>,
    ) -> Result<u64, TooDeep> {
        self.depth += 1;
        if self.depth > MAX_WALK_DEPTH {
            return Err(TooDeep);
        }
        let mut total = 0u64;
        for item in &set.items {
            let cost = match &item.node {
                Selection::Field(field) => self.field(&field.node, ty, page)?,
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(ty);
                    self.set(&fragment.node.selection_set.node, on, page)?
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    // An unknown or cyclic fragment costs nothing here: the
                    // validation that follows refuses the query.
                    match self.document.fragments.get(name) {
                        Some(fragment) if !self.spreading.contains(name) => {
                            if let Some(cost) = self.memo.get(&(name, page)) {
                                *cost
                            } else {
                                self.spreading.insert(name);
                                let on = fragment.node.type_condition.node.on.node.as_str();
                                let cost =
                                    self.set(&fragment.node.selection_set.node, Some(on), page);
                                self.spreading.remove(name);
                                let cost = cost?;
                                self.memo.insert((name, page), cost);
                                cost
                            }
                        }
                        _ => 0,
                    }
                }
            };
            total = total.saturating_add(cost);
        }
        self.depth -= 1;
        Ok(total)
    }

    fn field(
        &mut self,
        field: &'a Field,
        parent: Option<&'a str>,
        page: Option<u64>,
    ) -> Result<u64, TooDeep> {
        let children = &field.selection_set.node;
        let Some(shape) = parent.and_then(|p| self.model.field(p, field.name.node.as_str())) else {
            // Introspection (`__schema`, `__type`, `__typename`): its size
            // is bounded by the schema's, so each field counts once.
            return Ok(1u64.saturating_add(self.set(children, None, None)?));
        };
        let own_page = shape
            .page
            .as_ref()
            .map(|(argument, default)| self.page_size(field, argument, *default));
        // A list is as long as its own page, or the page of the connection
        // it is the `nodes` / `edges` of; a connection hands its page to its
        // lists.
        let (items, children_page) = if shape.list {
            let items = own_page.or(page).unwrap_or_else(|| {
                self.estimated |= !children.items.is_empty();
                UNPAGED_LIST
            });
            (items, None)
        } else {
            (1, own_page)
        };
        let inner = self.set(children, Some(shape.returns.as_str()), children_page)?;
        Ok(1u64.saturating_add(items.saturating_mul(inner)))
    }
}

/// A query's cost, and whether it is an upper bound.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cost {
    pub total: u64,
    /// Whether some list of objects has no page size, so that its length
    /// (and the total) is an estimate.
    pub estimated: bool,
}

/// The cost of a query: each field counts once per item it may be resolved
/// for, that is its count in the query times the page sizes of the lists
/// around it (`first`, or [`DEFAULT_FIRST`] when absent; `limit`; lists
/// without a page size count as [`UNPAGED_LIST`]). Variables are resolved
/// and fragments followed. With an `operation` name, that operation's cost;
/// without, the costliest operation's. None: fragments recurse deeper than
/// any valid query could.
pub fn query_cost(
    document: &ExecutableDocument,
    operation: Option<&str>,
    variables: &Variables,
) -> Option<u64> {
    measure(document, operation, variables).map(|cost| cost.total)
}

fn measure(
    document: &ExecutableDocument,
    operation: Option<&str>,
    variables: &Variables,
) -> Option<Cost> {
    let model = cost_model();
    let mut highest = Cost {
        total: 0,
        estimated: false,
    };
    for (name, op) in document.operations.iter() {
        if operation.is_some_and(|wanted| name.map(Name::as_str) != Some(wanted)) {
            continue;
        }
        let root = match op.node.ty {
            OperationType::Query => Some(model.query.as_str()),
            OperationType::Mutation => model.mutation.as_deref(),
            OperationType::Subscription => None,
        };
        let mut walk = CostWalk {
            model,
            document,
            variables,
            defaults: &op.node.variable_definitions,
            memo: HashMap::new(),
            spreading: HashSet::new(),
            depth: 0,
            estimated: false,
        };
        let total = walk.set(&op.node.selection_set.node, root, None).ok()?;
        highest.total = highest.total.max(total);
        highest.estimated |= walk.estimated;
    }
    Some(highest)
}

/// The [`Cost`] of a request, parsing it if it is not yet (and keeping the
/// parsed document in it).
pub(crate) fn request_cost(request: &mut Request) -> Result<Option<Cost>, ServerError> {
    // Taken out while the parsed document borrows the request.
    let variables = std::mem::take(&mut request.variables);
    let operation = request.operation_name.take();
    let cost = request
        .parsed_query()
        .map(|document| measure(document, operation.as_deref(), &variables));
    request.variables = variables;
    request.operation_name = operation;
    cost
}

/// Requests that cost at most this, with every list bounded by a page
/// size, resolve at most this many fields: a few tens of milliseconds,
/// short enough to run without the [`QueryGuard`] and its per-field cost.
pub const SMALL_QUERY_COST: u64 = 50_000;

/// Whether a request is small enough to run without the [`QueryGuard`]
/// (see [`SMALL_QUERY_COST`]), and within the cost limit it would check.
pub(crate) fn is_small(request: &mut Request, limits: &Limits) -> bool {
    let small = SMALL_QUERY_COST.min(limits.cost as u64);
    matches!(
        request_cost(request),
        Ok(Some(Cost { total, estimated: false })) if total <= small
    )
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|group| std::str::from_utf8(group).unwrap_or_default())
        .collect();
    groups.join(",")
}

fn limit_exceeded(message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    ErrorCode::LimitExceeded.set_on(&mut error);
    error
}

/// Checks a request against the limits the schema cannot check itself,
/// and leaves it parsed (the schema then does not parse it again):
///
/// - brackets nested deeper than twice the recursion limit are refused
///   before parsing: the parser recurses once per level of a nested list
///   or object value and has no limit of its own there, so a few kilobytes
///   of `[[[[...` overflowed a worker's stack and aborted the whole server;
/// - more than `limits.aliases` field aliases are refused.
pub fn check_request(request: &mut Request, limits: &Limits) -> Result<(), ServerError> {
    let max_nesting = limits.recursion.saturating_mul(2);
    let nesting = nesting_in(&request.query);
    if nesting > max_nesting {
        return Err(ServerError::new(
            format!(
                "the query is nested too deep: {nesting} levels of brackets; at most {max_nesting} are allowed"
            ),
            None,
        ));
    }
    let aliases = aliases_in(request.parsed_query()?);
    if aliases > limits.aliases {
        return Err(ServerError::new(
            format!(
                "the query uses {aliases} aliases; at most {} are allowed",
                limits.aliases
            ),
            None,
        ));
    }
    Ok(())
}

/// Gives every error without an `extensions.code` one: limits become
/// LIMIT_EXCEEDED, everything else the caller sent wrong BAD_USER_INPUT.
pub fn classify_errors(mut response: Response) -> Response {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        let message = error.message.to_lowercase();
        let code = if [
            "too deep",
            "too complex",
            "recursion",
            "aliases",
            "too large",
            "timed out",
            "busy",
        ]
        .iter()
        .any(|m| message.contains(m))
        {
            ErrorCode::LimitExceeded
        } else {
            ErrorCode::BadUserInput
        };
        code.set_on(error);
    }
    response
}

// ---------------------------------------------------------------------------
// The guard on resolution
// ---------------------------------------------------------------------------

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

/// Keeps the first of several LIMIT_EXCEEDED errors with the same message:
/// once the [`QueryGuard`] refuses, every field still pending fails alike.
pub(crate) fn dedup_limit_errors(mut response: Response) -> Response {
    let mut seen = HashSet::new();
    response.errors.retain(|error| {
        let limit = ErrorCode::LimitExceeded.is_on(error);
        !limit || seen.insert(error.message.clone())
    });
    response
}

#[cfg(test)]
mod tests {
    use super::nesting_in;

    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        assert_eq!(nesting_in("{ a }"), 1);
        assert_eq!(nesting_in("{ a(x: [[1]]) { b } }"), 4);
        assert_eq!(nesting_in(r#"{ a(s: "[[[[{{{{") }"#), 2);
        assert_eq!(nesting_in(r#"{ a(s: "\"[[[[") }"#), 2);
        assert_eq!(nesting_in("{ a(s: \"\"\"[[[ \\\"\"\" [[[\"\"\") }"), 2);
        assert_eq!(nesting_in("# [[[[[\n{ a }"), 1);
        // Unbalanced closers do not underflow.
        assert_eq!(nesting_in("}}} { a }"), 1);
        // An unterminated string or block string ends the scan.
        assert_eq!(nesting_in("{ a(s: \"[[[[ "), 2);
        assert_eq!(nesting_in("{ a(s: \"\"\"[[[[ "), 2);
    }
}
