//! The page-aware cost of a query: each field counted once per item of the
//! pages around it, from a model of the schema read from its SDL.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Field, OperationType, Selection, SelectionSet, ServiceDocument,
    Type, TypeKind, TypeSystemDefinition, VariableDefinition,
};
use async_graphql::parser::Positioned;
use async_graphql::{Name, Request, ServerError, Value, Variables};

use crate::schema::{DEFAULT_FIRST, MAX_FIRST};
use crate::Limits;

/// How many items a list field without a page size (`neighbors`,
/// `Event.relations`, `Path.relations`) is assumed to hold: as many as a
/// page holds by default. It is an estimate; the [`QueryGuard`] holds the
/// real count to its budget.
pub const UNPAGED_LIST: u64 = DEFAULT_FIRST as u64;

/// Walks deeper than this (fragments spreading fragments) are refused
/// outright; async-graphql's own recursion limit refuses them anyway.
pub(super) const MAX_WALK_DEPTH: usize = 256;

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
