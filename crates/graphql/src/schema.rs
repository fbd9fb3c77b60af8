//! The GraphQL object types, enums, connections and the shared helpers
//! for lookups, filters and pagination. The roots are in `query`.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_graphql::{Context, Enum, Object, Result, SimpleObject, ID};
use newsgraph_model as model;
use newsgraph_model::read::{EdgeDirection, Graph, GraphRead, RelationFilter};
use newsgraph_model::{fold, ActorId, EventId, RelationId, RelationKind as ModelRelationKind};

pub(crate) use crate::error::{error, internal, ErrorCode};
use crate::ports::{Ports, Reader};
use crate::serial::Serial;
use crate::Limits;

/// Largest `first` a list accepts.
pub const MAX_FIRST: usize = 1000;
/// `first` when none is given.
pub const DEFAULT_FIRST: usize = 50;

/// The ports the schema was built with.
pub(crate) fn ports<'a>(ctx: &Context<'a>) -> Result<&'a Ports> {
    ctx.data::<Ports>()
        .map_err(|_| internal("looking up the graph", "the schema has no ports"))
}

/// One consistent view of the graph, with name lookup.
pub(crate) fn reader<'a>(ctx: &Context<'a>) -> Result<Reader<'a>> {
    Ok(ports(ctx)?.reader())
}

pub(crate) fn limits(ctx: &Context<'_>) -> Limits {
    ctx.data::<Limits>().copied().unwrap_or_default()
}

/// What kind of participant an actor is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ActorKind {
    /// A named person.
    Person,
    /// An organization, institution, company, party or body.
    Organization,
    /// A country or its government.
    Country,
    /// A collective of people.
    Group,
}

impl From<model::ActorKind> for ActorKind {
    fn from(k: model::ActorKind) -> Self {
        match k {
            model::ActorKind::Person => ActorKind::Person,
            model::ActorKind::Organization => ActorKind::Organization,
            model::ActorKind::Country => ActorKind::Country,
            model::ActorKind::Group => ActorKind::Group,
        }
    }
}

impl From<ActorKind> for model::ActorKind {
    fn from(k: ActorKind) -> Self {
        match k {
            ActorKind::Person => model::ActorKind::Person,
            ActorKind::Organization => model::ActorKind::Organization,
            ActorKind::Country => model::ActorKind::Country,
            ActorKind::Group => model::ActorKind::Group,
        }
    }
}

/// What a relation asserts about its subject.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RelationKind {
    /// The subject made a public statement.
    Said,
    /// The subject asked, urged or demanded something of the object.
    Requested,
    /// The subject refused, rejected or opposed something of the object.
    Rejected,
}

impl From<ModelRelationKind> for RelationKind {
    fn from(k: ModelRelationKind) -> Self {
        match k {
            ModelRelationKind::Said => RelationKind::Said,
            ModelRelationKind::Requested => RelationKind::Requested,
            ModelRelationKind::Rejected => RelationKind::Rejected,
        }
    }
}

impl From<RelationKind> for ModelRelationKind {
    fn from(k: RelationKind) -> Self {
        match k {
            RelationKind::Said => ModelRelationKind::Said,
            RelationKind::Requested => ModelRelationKind::Requested,
            RelationKind::Rejected => ModelRelationKind::Rejected,
        }
    }
}

/// Which of an actor's relations to follow.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Direction {
    /// Relations the actor is the subject of.
    Out,
    /// Relations the actor is the object of.
    In,
    /// Both.
    Both,
}

impl From<Direction> for EdgeDirection {
    fn from(d: Direction) -> Self {
        match d {
            Direction::Out => EdgeDirection::Out,
            Direction::In => EdgeDirection::In,
            Direction::Both => EdgeDirection::Both,
        }
    }
}

/// Order of a list of relations.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum RelationSort {
    /// By id: stable, the default.
    #[default]
    Id,
    /// By the publication date of the supporting document, oldest first
    /// (undated last).
    DateAsc,
    /// By publication date, newest first (undated last).
    DateDesc,
}

/// Order of a list of actors.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum ActorSort {
    /// By id: stable, the default.
    #[default]
    Id,
    /// By name, case- and diacritic-insensitively.
    Name,
    /// By number of relations, most first.
    Degree,
}

/// Order of a list of documents.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum DocumentSort {
    /// By id: stable, the default.
    #[default]
    Id,
    /// By publication date, newest first (undated last).
    DateDesc,
    /// By publication date, oldest first (undated last).
    DateAsc,
    /// By file name.
    File,
}

/// What an ingest did with the article.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum IngestOutcome {
    /// A new document was added.
    Added,
    /// The document (same file) was replaced by the new content.
    Replaced,
    /// The same content was already stored; nothing changed.
    Unchanged,
}

pub(crate) fn parse_id<T: std::str::FromStr>(id: &str, what: &str) -> Result<T> {
    id.parse().map_err(|_| {
        error(
            ErrorCode::BadUserInput,
            format!("'{id}' is not a {what} id"),
        )
    })
}

fn page_size(first: Option<i32>) -> Result<usize> {
    match first {
        None => Ok(DEFAULT_FIRST),
        Some(n) if n < 0 => Err(error(ErrorCode::BadUserInput, "first must not be negative")),
        Some(n) if n as usize > MAX_FIRST => Err(error(
            ErrorCode::LimitExceeded,
            format!("first is {n}; at most {MAX_FIRST} items per page"),
        )),
        Some(n) => Ok(n as usize),
    }
}

/// Pagination info of a connection.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(serial)]
pub struct PageInfo {
    /// Whether more items follow this page.
    pub has_next_page: bool,
    /// Cursor of the last item of this page (pass as `after`).
    pub end_cursor: Option<String>,
}

/// Where an item sits in its list: its cursor, encoded only when a query
/// asks for it (most front-ends read `nodes` and `pageInfo.endCursor`, so
/// most items never need one).
pub(crate) enum Cursor {
    /// The item's sort key.
    Key(String),
    /// The id of an item of a list in id order.
    Id(u64),
}

impl Cursor {
    /// The opaque cursor string.
    pub(crate) fn encode(&self) -> String {
        match self {
            Cursor::Key(key) => encode_cursor(key),
            Cursor::Id(id) => encode_cursor(&id_key(*id)),
        }
    }
}

/// One page: items with their cursors, the page info, the total count.
pub(crate) struct Page<T> {
    pub items: Vec<(Cursor, T)>,
    pub info: PageInfo,
    pub total: usize,
}

/// Sorts `items` by `key` and slices the page after the `after` cursor.
/// Keys must be unique (they end with the item's id), so cursors are
/// stable while the data does not change.
pub(crate) fn paginate<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Page<T>> {
    let first = page_size(first)?;
    let total = items.len();
    let mut keyed: Vec<(String, T)> = items.into_iter().map(|i| (key(&i), i)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let start = match after {
        None => 0,
        Some(cursor) => {
            let decoded = decode_cursor(&cursor)?;
            keyed.partition_point(|(k, _)| *k <= decoded)
        }
    };
    let mut items: Vec<(Cursor, T)> = keyed
        .into_iter()
        .skip(start)
        .take(first + 1)
        .map(|(k, i)| (Cursor::Key(k), i))
        .collect();
    let has_next_page = items.len() > first;
    items.truncate(first);
    let end_cursor = items.last().map(|(c, _)| c.encode());
    Ok(Page {
        items,
        info: PageInfo {
            has_next_page,
            end_cursor,
        },
        total,
    })
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// An id as the 16 hex digits its `Display` writes, without the `fmt`
/// machinery: the sort key of every item of a list in id order (which for
/// a hub actor of a large store is a thousand keys per page).
pub(crate) fn id_key(id: u64) -> String {
    let mut digits = [0u8; 16];
    for (i, digit) in digits.iter_mut().enumerate() {
        *digit = HEX[((id >> ((15 - i) * 4)) & 0xf) as usize];
    }
    // ASCII digits: always valid UTF-8, so this borrows, then copies once.
    String::from_utf8_lossy(&digits).into_owned()
}

fn encode_cursor(key: &str) -> String {
    let mut out = String::with_capacity(1 + key.len() * 2);
    out.push('c');
    // Two hex digits per byte, without a `format!` (and its allocation)
    // per byte: every page item gets a cursor.
    for b in key.bytes() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

fn decode_cursor(cursor: &str) -> Result<String> {
    let bad = || {
        error(
            ErrorCode::BadUserInput,
            format!("'{cursor}' is not a cursor from this API"),
        )
    };
    let hex = cursor.strip_prefix('c').ok_or_else(bad)?;
    if hex.len() % 2 != 0 || hex.len() > 4096 {
        return Err(bad());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<std::result::Result<Vec<u8>, _>>()
        .map_err(|_| bad())?;
    String::from_utf8(bytes).map_err(|_| bad())
}

/// A date key that sorts undated items last in both directions.
fn date_key(date: Option<&str>, newest_first: bool) -> String {
    match date {
        Some(d) if newest_first => {
            // Invert the digits so that later dates sort first.
            let inverted: String = d
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(n) => char::from_digit(9 - n, 10).unwrap_or(c),
                    None => c,
                })
                .collect();
            format!("0{inverted}")
        }
        Some(d) => format!("0{d}"),
        None => "1".to_owned(),
    }
}

macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty, $doc:literal) => {
        #[doc = concat!("A page of ", $doc, ".")]
        pub struct $conn {
            edges: Vec<$edge>,
            page_info: PageInfo,
            total: Total,
        }

        #[Object(serial)]
        impl $conn {
            /// The items of this page with their cursors.
            async fn edges(&self) -> Serial<&$edge> {
                Serial(self.edges.iter().collect())
            }
            /// The items of this page, without cursors.
            async fn nodes(&self) -> Serial<&$node> {
                Serial(self.edges.iter().map(|e| &e.node).collect())
            }
            /// Where this page ends.
            async fn page_info(&self) -> &PageInfo {
                &self.page_info
            }
            /// How many items match, in all pages (counted only when asked).
            async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
                Ok(match &self.total {
                    Total::Known(n) => *n as i64,
                    Total::Count(count) => count(reader(ctx)?.graph()) as i64,
                })
            }
        }

        #[doc = concat!("One of ", $doc, " with its cursor.")]
        pub struct $edge {
            cursor: Cursor,
            node: $node,
        }

        #[doc = concat!("One of ", $doc, " with its cursor.")]
        #[Object(serial)]
        impl $edge {
            /// Opaque cursor; pass as `after` to continue after this item.
            async fn cursor(&self) -> String {
                self.cursor.encode()
            }
            /// The item.
            async fn node(&self) -> &$node {
                &self.node
            }
        }

        impl $conn {
            pub(crate) fn from_page<T>(page: Page<T>, wrap: impl Fn(T) -> $node) -> Self {
                $conn {
                    edges: page
                        .items
                        .into_iter()
                        .map(|(cursor, node)| $edge {
                            cursor,
                            node: wrap(node),
                        })
                        .collect(),
                    page_info: page.info,
                    total: Total::Known(page.total),
                }
            }
        }
    };
}

/// The `totalCount` of a connection: known from the page, or counted over
/// the view only when a query asks for it (a page read in id order does
/// not see every item).
pub(crate) enum Total {
    Known(usize),
    Count(Box<Counter>),
}

/// Counts the items of a connection over a view of the graph.
pub(crate) type Counter = dyn Fn(&GraphRead<'_>) -> usize + Send + Sync;

connection!(ActorConnection, ActorEdge, Actor, "actors");
connection!(DocumentConnection, DocumentEdge, Document, "documents");
connection!(EventConnection, EventEdge, Event, "events");
connection!(RelationConnection, RelationEdge, Relation, "relations");

/// The sort key of a relation in the order `sort`.
pub(crate) fn relation_key(sort: RelationSort, graph: &dyn Graph, r: &model::Relation) -> String {
    let date = || {
        graph
            .document(r.document)
            .and_then(|d| d.published.as_deref())
    };
    match sort {
        RelationSort::Id => id_key(r.id.0),
        RelationSort::DateAsc => format!("{}:{}", date_key(date(), false), r.id),
        RelationSort::DateDesc => format!("{}:{}", date_key(date(), true), r.id),
    }
}

/// Validates a YYYY-MM-DD date argument.
pub(crate) fn parse_date(date: Option<String>, name: &str) -> Result<Option<String>> {
    match date {
        None => Ok(None),
        Some(d) => {
            let ok = d.len() == 10
                && d.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                })
                && is_calendar_date(&d);
            if ok {
                Ok(Some(d))
            } else {
                Err(error(
                    ErrorCode::BadUserInput,
                    format!("{name} must be a date like 2022-12-18, not '{d}'"),
                ))
            }
        }
    }
}

/// Whether a YYYY-MM-DD string (digits already checked) names a real day:
/// "2022-99-99" and "2023-02-30" are refused, not silently matched.
fn is_calendar_date(d: &str) -> bool {
    let field = |range: std::ops::Range<usize>| d.get(range).and_then(|s| s.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (field(0..4), field(5..7), field(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A page of the relations that pass `filter`, in the order `sort`.
///
/// In id order (the default) the page is read straight from the index the
/// graph chooses for the filter: it costs what it reads, however many
/// relations the index holds, and `totalCount` is counted only when
/// asked. Other orders sort every relation that passes.
pub(crate) fn relations_of(
    view: &GraphRead<'_>,
    filter: RelationFilter,
    sort: RelationSort,
    first: Option<i32>,
    after: Option<String>,
) -> Result<RelationConnection> {
    if sort != RelationSort::Id {
        let all: Vec<&model::Relation> = view.relations_matching(&filter, None).collect();
        let page = paginate(all, |r| relation_key(sort, &**view, r), first, after)?;
        return Ok(RelationConnection::from_page(page, |r| Relation(r.clone())));
    }
    let first = page_size(first)?;
    let after = after.map(|c| relation_cursor(&c)).transpose()?;
    let mut kept: Vec<&model::Relation> = view
        .relations_matching(&filter, after)
        .take(first + 1)
        .collect();
    let has_next_page = kept.len() > first;
    kept.truncate(first);
    let edges: Vec<RelationEdge> = kept
        .into_iter()
        .map(|r| RelationEdge {
            cursor: Cursor::Id(r.id.0),
            node: Relation(r.clone()),
        })
        .collect();
    let end_cursor = edges.last().map(|e| e.cursor.encode());
    let count = move |view: &GraphRead<'_>| view.relations_matching(&filter, None).count();
    Ok(RelationConnection {
        edges,
        page_info: PageInfo {
            has_next_page,
            end_cursor,
        },
        total: Total::Count(Box::new(count)),
    })
}

/// The relation id of a cursor of a list in id order.
fn relation_cursor(cursor: &str) -> Result<RelationId> {
    let key = decode_cursor(cursor)?;
    match u64::from_str_radix(&key, 16) {
        Ok(id) if key.len() == 16 => Ok(RelationId(id)),
        _ => Err(error(
            ErrorCode::BadUserInput,
            format!("'{cursor}' is not a cursor of a list in id order (was it taken with another sort?)"),
        )),
    }
}

/// A person, organization, country or group.
#[derive(Clone, Debug)]
pub struct Actor(pub(crate) Arc<model::Actor>);

/// Which of an actor's relations a list field holds: its arguments.
pub(crate) struct RelationArgs {
    pub direction: EdgeDirection,
    pub kinds: Vec<ModelRelationKind>,
    /// The other side, by name, alias or id.
    pub counterpart: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub search: Option<String>,
    pub sort: Option<RelationSort>,
}

impl RelationArgs {
    /// Relations of one kind in one direction, with no other condition.
    fn of(direction: EdgeDirection, kind: ModelRelationKind) -> RelationArgs {
        RelationArgs {
            direction,
            kinds: vec![kind],
            counterpart: None,
            since: None,
            until: None,
            search: None,
            sort: None,
        }
    }
}

/// Where a page starts and how long it is: a list field's `first` and
/// `after`.
pub(crate) struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
}

impl Actor {
    fn relation_list(
        &self,
        ctx: &Context<'_>,
        args: RelationArgs,
        page: PageArgs,
    ) -> Result<RelationConnection> {
        let view = reader(ctx)?;
        let counterpart = args
            .counterpart
            .map(|c| view.require_actor(&c))
            .transpose()?;
        let filter = RelationFilter {
            kinds: args.kinds,
            actor: Some((self.0.id, args.direction)),
            counterpart,
            since: parse_date(args.since, "since")?,
            until: parse_date(args.until, "until")?,
            search: args.search,
            ..RelationFilter::default()
        };
        let sort = args.sort.unwrap_or_default();
        relations_of(&view, filter, sort, page.first, page.after)
    }
}

#[Object(serial)]
impl Actor {
    /// Stable id (16 hex digits).
    async fn id(&self) -> ID {
        ID(id_key(self.0.id.0))
    }
    /// Canonical name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of actor this is.
    async fn kind(&self) -> ActorKind {
        self.0.kind.into()
    }
    /// Other names seen for this actor (spellings, titles, metonyms).
    async fn aliases(&self) -> &[String] {
        &self.0.aliases
    }
    /// Number of relations the actor takes part in (either side).
    async fn degree(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.degree(self.0.id) as i64)
    }
    /// Documents that mention this actor, optionally within a date range.
    async fn mentions(
        &self,
        ctx: &Context<'_>,
        since: Option<String>,
        until: Option<String>,
        sort: Option<DocumentSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<DocumentConnection> {
        let view = reader(ctx)?;
        let docs = view.actor_documents(self.0.id);
        document_page(docs, since, until, None, sort, first, after)
    }
    /// This actor's relations: as subject (OUT), as object (IN) or both,
    /// filtered by kind, counterpart actor (name, alias or id), the
    /// document's publication date and text in the evidence.
    #[allow(clippy::too_many_arguments)]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Direction::Both")] direction: Direction,
        kind: Option<RelationKind>,
        counterpart: Option<String>,
        since: Option<String>,
        until: Option<String>,
        search: Option<String>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let args = RelationArgs {
            direction: direction.into(),
            kinds: kind.map(Into::into).into_iter().collect(),
            counterpart,
            since,
            until,
            search,
            sort,
        };
        self.relation_list(ctx, args, PageArgs { first, after })
    }
    /// What this actor asked of others (optionally of one actor).
    async fn requests(
        &self,
        ctx: &Context<'_>,
        of: Option<String>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let args = RelationArgs {
            counterpart: of,
            sort,
            ..RelationArgs::of(EdgeDirection::Out, ModelRelationKind::Requested)
        };
        self.relation_list(ctx, args, PageArgs { first, after })
    }
    /// What others asked of this actor (optionally one requester).
    async fn requests_received(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let args = RelationArgs {
            counterpart: from,
            sort,
            ..RelationArgs::of(EdgeDirection::In, ModelRelationKind::Requested)
        };
        self.relation_list(ctx, args, PageArgs { first, after })
    }
    /// What this actor refused, rejected or opposed (optionally of one actor).
    async fn rejections(
        &self,
        ctx: &Context<'_>,
        of: Option<String>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let args = RelationArgs {
            counterpart: of,
            sort,
            ..RelationArgs::of(EdgeDirection::Out, ModelRelationKind::Rejected)
        };
        self.relation_list(ctx, args, PageArgs { first, after })
    }
    /// Rejections aimed at this actor (optionally by one actor).
    async fn rejections_received(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let args = RelationArgs {
            counterpart: from,
            sort,
            ..RelationArgs::of(EdgeDirection::In, ModelRelationKind::Rejected)
        };
        self.relation_list(ctx, args, PageArgs { first, after })
    }
    /// What this actor said (with quotes where it was quoted), optionally
    /// only statements containing `search`.
    async fn statements(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let args = RelationArgs {
            search,
            sort,
            ..RelationArgs::of(EdgeDirection::Out, ModelRelationKind::Said)
        };
        self.relation_list(ctx, args, PageArgs { first, after })
    }
    /// Every relation between this actor and another (name, alias or id),
    /// in both directions, with evidence.
    async fn interactions(
        &self,
        ctx: &Context<'_>,
        with: String,
        kind: Option<RelationKind>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let view = reader(ctx)?;
        let other = view.require_actor(&with)?;
        // The graph reads whichever side has fewer relations.
        let filter = RelationFilter {
            kinds: kind.map(Into::into).into_iter().collect(),
            actor: Some((self.0.id, EdgeDirection::Both)),
            counterpart: Some(other),
            ..RelationFilter::default()
        };
        relations_of(&view, filter, sort.unwrap_or_default(), first, after)
    }
    /// Actors one relation away (either direction), optionally by kind.
    async fn neighbors(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
    ) -> Result<Serial<Actor>> {
        let view = reader(ctx)?;
        Ok(view
            .neighbors(self.0.id, kind.map(Into::into))
            .into_iter()
            .take(MAX_FIRST)
            .cloned()
            .map(Actor)
            .collect())
    }
}

/// Pages documents with date filters, text search on titles and sort.
#[allow(clippy::too_many_arguments)]
pub(crate) fn document_page(
    docs: Vec<&model::Document>,
    since: Option<String>,
    until: Option<String>,
    search: Option<String>,
    sort: Option<DocumentSort>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<DocumentConnection> {
    let since = parse_date(since, "since")?;
    let until = parse_date(until, "until")?;
    let needle = search.as_deref().map(fold);
    let kept: Vec<&model::Document> = docs
        .into_iter()
        .filter(|d| {
            if since.is_none() && until.is_none() {
                return true;
            }
            d.published.as_deref().is_some_and(|p| {
                since.as_deref().is_none_or(|s| p >= s) && until.as_deref().is_none_or(|u| p <= u)
            })
        })
        .filter(|d| {
            needle.as_ref().is_none_or(|n| {
                fold(&d.title).contains(n.as_str()) || fold(&d.file).contains(n.as_str())
            })
        })
        .collect();
    let sort = sort.unwrap_or_default();
    let page = paginate(
        kept,
        |d| match sort {
            DocumentSort::Id => id_key(d.id.0),
            DocumentSort::DateDesc => {
                format!("{}:{}", date_key(d.published.as_deref(), true), d.id)
            }
            DocumentSort::DateAsc => {
                format!("{}:{}", date_key(d.published.as_deref(), false), d.id)
            }
            DocumentSort::File => format!("{}\0{}", d.file, d.id),
        },
        first,
        after,
    )?;
    Ok(DocumentConnection::from_page(page, |d| Document(d.clone())))
}

/// Pages actors with search, kind filter and sort.
pub(crate) fn actor_page(
    view: &dyn Graph,
    actors: Vec<&Arc<model::Actor>>,
    sort: Option<ActorSort>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<ActorConnection> {
    let sort = sort.unwrap_or_default();
    let page = paginate(
        actors,
        |a| match sort {
            ActorSort::Id => id_key(a.id.0),
            // NUL sorts before any character of a name, so that "Kosovo"
            // comes before "Kosovo police" (a ':' would sort after the space).
            ActorSort::Name => format!("{}\0{}", fold(&a.name), a.id),
            ActorSort::Degree => format!(
                "{:012}:{}",
                u32::MAX as usize - view.degree(a.id).min(u32::MAX as usize),
                a.id
            ),
        },
        first,
        after,
    )?;
    Ok(ActorConnection::from_page(page, |a| Actor(a.clone())))
}

/// An ingested article.
#[derive(Clone, Debug)]
pub struct Document(pub(crate) model::Document);

#[Object(serial)]
impl Document {
    /// Stable id (16 hex digits).
    async fn id(&self) -> ID {
        ID(id_key(self.0.id.0))
    }
    /// File name as ingested.
    async fn file(&self) -> &str {
        &self.0.file
    }
    /// Headline.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The outlet, when known.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    /// Publication date (YYYY-MM-DD), when known.
    async fn published(&self) -> Option<&str> {
        self.0.published.as_deref()
    }
    /// SHA-256 of the text.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// Size of the text in bytes.
    async fn bytes(&self) -> i64 {
        self.0.bytes as i64
    }
    /// Actors the document mentions.
    async fn actors(&self, ctx: &Context<'_>) -> Result<Serial<Actor>> {
        let view = reader(ctx)?;
        Ok(view
            .document_mentions(self.0.id)
            .into_iter()
            .cloned()
            .map(Actor)
            .collect())
    }
    /// Number of actors the document mentions.
    async fn actor_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.document_mentions(self.0.id).len() as i64)
    }
    /// Relations the document supports (text order by default).
    async fn relations(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let view = reader(ctx)?;
        let kinds: Vec<ModelRelationKind> = kind.map(Into::into).into_iter().collect();
        let kept: Vec<&model::Relation> = view
            .document_relations(self.0.id)
            .into_iter()
            .filter(|r| kinds.is_empty() || kinds.contains(&r.kind))
            .collect();
        // Text order: the evidence offset, then the id.
        let page = paginate(
            kept,
            |r| format!("{:010}:{}", r.evidence.span.start, r.id),
            first,
            after,
        )?;
        Ok(RelationConnection::from_page(page, |r| Relation(r.clone())))
    }
    /// Number of relations the document supports.
    async fn relation_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.document_relations(self.0.id).len() as i64)
    }
    /// Number of events the document reports.
    async fn event_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let view = reader(ctx)?;
        let events: BTreeSet<EventId> = view
            .document_relations(self.0.id)
            .iter()
            .filter_map(|r| r.event)
            .collect();
        Ok(events.len() as i64)
    }
    /// The article's text (evidence offsets point into it).
    async fn text(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        ports(ctx)?
            .graph
            .text(self.0.id)
            .map_err(|e| internal("reading a document's text", e))
    }
}

/// Something requested or rejected.
#[derive(Clone, Debug)]
pub struct Event(pub(crate) model::Event);

impl Event {
    fn actors_by(&self, ctx: &Context<'_>, kind: ModelRelationKind) -> Result<Serial<Actor>> {
        let view = reader(ctx)?;
        let ids: BTreeSet<ActorId> = view
            .document_relations(self.0.document)
            .into_iter()
            .filter(|r| r.event == Some(self.0.id) && r.kind == kind)
            .map(|r| r.subject)
            .collect();
        Ok(ids
            .into_iter()
            .filter_map(|id| view.actor(id).cloned())
            .map(Actor)
            .collect())
    }
}

#[Object(serial)]
impl Event {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(id_key(self.0.id.0))
    }
    /// The kind of relation that introduced it.
    async fn kind(&self) -> RelationKind {
        self.0.kind.into()
    }
    /// Short label from the text.
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// Date (YYYY-MM-DD), when the text gives one.
    async fn date(&self) -> Option<&str> {
        self.0.date.as_deref()
    }
    /// The reporting document.
    async fn document(&self, ctx: &Context<'_>) -> Result<Option<Document>> {
        Ok(reader(ctx)?
            .document(self.0.document)
            .cloned()
            .map(Document))
    }
    /// Who requested it.
    async fn requested_by(&self, ctx: &Context<'_>) -> Result<Serial<Actor>> {
        self.actors_by(ctx, ModelRelationKind::Requested)
    }
    /// Who rejected it.
    async fn rejected_by(&self, ctx: &Context<'_>) -> Result<Serial<Actor>> {
        self.actors_by(ctx, ModelRelationKind::Rejected)
    }
    /// Every relation about this event.
    async fn relations(&self, ctx: &Context<'_>) -> Result<Serial<Relation>> {
        let view = reader(ctx)?;
        Ok(view
            .document_relations(self.0.document)
            .into_iter()
            .filter(|r| r.event == Some(self.0.id))
            .cloned()
            .map(Relation)
            .collect())
    }
}

/// The sentence that supports a relation.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(serial)]
pub struct Evidence {
    /// The sentence, exactly as in the text.
    pub sentence: String,
    /// Byte offset of the sentence's start in the document text.
    pub start: i64,
    /// Byte offset one past the sentence's end.
    pub end: i64,
}

/// A said / requested / rejected relation.
#[derive(Clone, Debug)]
pub struct Relation(pub(crate) model::Relation);

#[Object(serial)]
impl Relation {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(id_key(self.0.id.0))
    }
    /// What the relation asserts.
    async fn kind(&self) -> RelationKind {
        self.0.kind.into()
    }
    /// Who said, requested or rejected.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        Ok(reader(ctx)?.actor(self.0.subject).cloned().map(Actor))
    }
    /// Who was addressed, asked or rejected, when the text names them.
    async fn object(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        let view = reader(ctx)?;
        Ok(self
            .0
            .object
            .and_then(|o| view.actor(o))
            .cloned()
            .map(Actor))
    }
    /// The thing requested or rejected.
    async fn event(&self, ctx: &Context<'_>) -> Result<Option<Event>> {
        let view = reader(ctx)?;
        Ok(self.0.event.and_then(|e| view.event(e)).cloned().map(Event))
    }
    /// The document the evidence comes from.
    async fn document(&self, ctx: &Context<'_>) -> Result<Option<Document>> {
        Ok(reader(ctx)?
            .document(self.0.document)
            .cloned()
            .map(Document))
    }
    /// The supporting sentence and where it is.
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Evidence> {
        let sentence = ports(ctx)?
            .graph
            .sentence(&self.0)
            .map_err(|e| internal("reading an evidence sentence", e))?;
        Ok(Evidence {
            sentence,
            start: i64::from(self.0.evidence.span.start),
            end: i64::from(self.0.evidence.span.end),
        })
    }
    /// The quoted words, when the relation is a direct quote.
    async fn quote(&self) -> Option<&str> {
        self.0.quote.as_deref()
    }
}
