//! Query and mutation roots and the GraphQL object types.

use std::sync::Arc;

use async_graphql::{Context, Enum, ErrorExtensions, Object, Result, SimpleObject, ID};
use newsgraph_model as model;
use newsgraph_model::{fold, ActorId, DocumentId, EventId, RelationKind as ModelRelationKind};
use newsgraph_store::{EdgeDirection, GraphView, Store, WriteOutcome};

use crate::{export, Limits};

/// Largest `first` a list accepts.
pub const MAX_FIRST: usize = 1000;
/// `first` when none is given.
pub const DEFAULT_FIRST: usize = 50;

fn error(code: &'static str, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message.into()).extend_with(|_, e| e.set("code", code))
}

fn store<'a>(ctx: &Context<'a>) -> Result<&'a Arc<Store>> {
    ctx.data::<Arc<Store>>()
        .map_err(|_| error("INTERNAL", "the schema has no store"))
}

fn limits(ctx: &Context<'_>) -> Limits {
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

/// Finds an actor by id, name or alias (case- and diacritic-insensitive),
/// or by a gazetteer form of a known entity ("Belgrade" -> Serbia).
pub fn find_actor(view: &GraphView, name_or_id: &str) -> Option<ActorId> {
    if let Ok(id) = name_or_id.parse::<ActorId>() {
        if view.actor(id).is_some() {
            return Some(id);
        }
    }
    let best = |name: &str| {
        view.actors_named(name)
            .into_iter()
            .max_by_key(|a| (view.actor_documents(a.id).len(), std::cmp::Reverse(a.id)))
            .map(|a| a.id)
    };
    best(name_or_id).or_else(|| {
        newsgraph_ingest::lexicon()
            .canonical(name_or_id)
            .and_then(best)
    })
}

fn require_actor(view: &GraphView, name_or_id: &str) -> Result<ActorId> {
    find_actor(view, name_or_id)
        .ok_or_else(|| error("NOT_FOUND", format!("no actor named '{name_or_id}'")))
}

fn parse_id<T: std::str::FromStr>(id: &str, what: &str) -> Result<T> {
    id.parse()
        .map_err(|_| error("BAD_USER_INPUT", format!("'{id}' is not a {what} id")))
}

fn page_size(first: Option<i32>) -> Result<usize> {
    match first {
        None => Ok(DEFAULT_FIRST),
        Some(n) if n < 0 => Err(error("BAD_USER_INPUT", "first must not be negative")),
        Some(n) if n as usize > MAX_FIRST => Err(error(
            "LIMIT_EXCEEDED",
            format!("first is {n}; at most {MAX_FIRST} items per page"),
        )),
        Some(n) => Ok(n as usize),
    }
}

/// Pagination info of a connection.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// Whether more items follow this page.
    pub has_next_page: bool,
    /// Cursor of the last item of this page (pass as `after`).
    pub end_cursor: Option<String>,
}

/// One page: items with their cursors, the page info, the total count.
type Page<T> = (Vec<(String, T)>, PageInfo, usize);

/// Slices `items` (sorted by their cursor key) after the `after` cursor.
fn paginate<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Page<T>> {
    let first = page_size(first)?;
    let total = items.len();
    let start = match after {
        None => 0,
        Some(cursor) => {
            let decoded = decode_cursor(&cursor)?;
            items.iter().position(|i| key(i) > decoded).unwrap_or(total)
        }
    };
    let mut page: Vec<(String, T)> = items
        .into_iter()
        .skip(start)
        .take(first + 1)
        .map(|i| (encode_cursor(&key(&i)), i))
        .collect();
    let has_next_page = page.len() > first;
    page.truncate(first);
    let end_cursor = page.last().map(|(c, _)| c.clone());
    Ok((
        page,
        PageInfo {
            has_next_page,
            end_cursor,
        },
        total,
    ))
}

fn encode_cursor(key: &str) -> String {
    format!("c{key}")
}

fn decode_cursor(cursor: &str) -> Result<String> {
    cursor.strip_prefix('c').map(str::to_owned).ok_or_else(|| {
        error(
            "BAD_USER_INPUT",
            format!("'{cursor}' is not a cursor from this API"),
        )
    })
}

macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty, $doc:literal) => {
        #[doc = concat!("A page of ", $doc, ".")]
        #[derive(SimpleObject)]
        pub struct $conn {
            /// The items of this page with their cursors.
            pub edges: Vec<$edge>,
            /// Where this page ends.
            pub page_info: PageInfo,
            /// How many items match in all pages.
            pub total_count: i64,
        }

        #[doc = concat!("One of ", $doc, " with its cursor.")]
        #[derive(SimpleObject)]
        pub struct $edge {
            /// Opaque cursor; pass as `after` to continue after this item.
            pub cursor: String,
            /// The item.
            pub node: $node,
        }

        impl $conn {
            fn from_page(page: Vec<(String, $node)>, page_info: PageInfo, total: usize) -> Self {
                $conn {
                    edges: page
                        .into_iter()
                        .map(|(cursor, node)| $edge { cursor, node })
                        .collect(),
                    page_info,
                    total_count: total as i64,
                }
            }
        }
    };
}

connection!(ActorConnection, ActorEdge, Actor, "actors");
connection!(DocumentConnection, DocumentEdge, Document, "documents");
connection!(EventConnection, EventEdge, Event, "events");
connection!(RelationConnection, RelationEdge, Relation, "relations");

/// A person, organization, country or group.
#[derive(Clone, Debug)]
pub struct Actor(model::Actor);

#[Object]
impl Actor {
    /// Stable id (16 hex digits).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
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
    /// Documents that mention this actor.
    async fn mentions(&self, ctx: &Context<'_>) -> Result<Vec<Document>> {
        let store = store(ctx)?;
        let view = store.view();
        Ok(view
            .actor_documents(self.0.id)
            .into_iter()
            .cloned()
            .map(Document)
            .collect())
    }
    /// This actor's relations: as subject (OUT), as object (IN) or both.
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Direction::Both")] direction: Direction,
        kind: Option<RelationKind>,
    ) -> Result<Vec<Relation>> {
        let store = store(ctx)?;
        let view = store.view();
        Ok(view
            .actor_relations(self.0.id, direction.into(), kind.map(Into::into))
            .into_iter()
            .cloned()
            .map(Relation)
            .collect())
    }
    /// Actors one relation away (either direction), optionally by kind.
    async fn neighbors(&self, ctx: &Context<'_>, kind: Option<RelationKind>) -> Result<Vec<Actor>> {
        let store = store(ctx)?;
        let view = store.view();
        Ok(view
            .neighbors(self.0.id, kind.map(Into::into))
            .into_iter()
            .cloned()
            .map(Actor)
            .collect())
    }
}

/// An ingested article.
#[derive(Clone, Debug)]
pub struct Document(model::Document);

#[Object]
impl Document {
    /// Stable id (16 hex digits).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// File name as ingested.
    async fn file(&self) -> &str {
        &self.0.file
    }
    /// Headline.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The outlet, when the text names it.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    /// Publication date (YYYY-MM-DD), when the text gives one.
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
    async fn actors(&self, ctx: &Context<'_>) -> Result<Vec<Actor>> {
        let store = store(ctx)?;
        let view = store.view();
        Ok(view
            .document_mentions(self.0.id)
            .into_iter()
            .cloned()
            .map(Actor)
            .collect())
    }
    /// Number of actors the document mentions.
    async fn actor_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(store(ctx)?.view().document_mentions(self.0.id).len() as i64)
    }
    /// Relations the document supports, in text order.
    async fn relations(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
    ) -> Result<Vec<Relation>> {
        let store = store(ctx)?;
        let view = store.view();
        let kind: Option<ModelRelationKind> = kind.map(Into::into);
        Ok(view
            .document_relations(self.0.id)
            .into_iter()
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .cloned()
            .map(Relation)
            .collect())
    }
    /// Number of relations the document supports.
    async fn relation_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(store(ctx)?.view().document_relations(self.0.id).len() as i64)
    }
    /// Number of events the document reports.
    async fn event_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let store = store(ctx)?;
        let view = store.view();
        let events: std::collections::BTreeSet<EventId> = view
            .document_relations(self.0.id)
            .iter()
            .filter_map(|r| r.event)
            .collect();
        Ok(events.len() as i64)
    }
    /// The article's text.
    async fn text(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        store(ctx)?.text(self.0.id).map_err(|e| {
            tracing::error!("reading text of {}: {e}", self.0.id);
            error("INTERNAL", "the document text could not be read")
        })
    }
}

/// Something requested or rejected.
#[derive(Clone, Debug)]
pub struct Event(model::Event);

#[Object]
impl Event {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
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
        Ok(store(ctx)?
            .view()
            .document(self.0.document)
            .cloned()
            .map(Document))
    }
    /// Relations about this event.
    async fn relations(&self, ctx: &Context<'_>) -> Result<Vec<Relation>> {
        let store = store(ctx)?;
        let view = store.view();
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
pub struct Relation(model::Relation);

#[Object]
impl Relation {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What the relation asserts.
    async fn kind(&self) -> RelationKind {
        self.0.kind.into()
    }
    /// Who said, requested or rejected.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        Ok(store(ctx)?.view().actor(self.0.subject).cloned().map(Actor))
    }
    /// Who was addressed, asked or rejected, when the text names them.
    async fn object(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        let store = store(ctx)?;
        let view = store.view();
        Ok(self
            .0
            .object
            .and_then(|o| view.actor(o))
            .cloned()
            .map(Actor))
    }
    /// The thing requested or rejected.
    async fn event(&self, ctx: &Context<'_>) -> Result<Option<Event>> {
        let store = store(ctx)?;
        let view = store.view();
        Ok(self.0.event.and_then(|e| view.event(e)).cloned().map(Event))
    }
    /// The document the evidence comes from.
    async fn document(&self, ctx: &Context<'_>) -> Result<Option<Document>> {
        Ok(store(ctx)?
            .view()
            .document(self.0.document)
            .cloned()
            .map(Document))
    }
    /// The supporting sentence and where it is.
    async fn evidence(&self) -> Evidence {
        Evidence {
            sentence: self.0.evidence.sentence.clone(),
            start: i64::from(self.0.evidence.span.start),
            end: i64::from(self.0.evidence.span.end),
        }
    }
    /// The quoted words, when the relation is a direct quote.
    async fn quote(&self) -> Option<&str> {
        self.0.quote.as_deref()
    }
}

/// A chain of relations between two actors.
#[derive(SimpleObject)]
pub struct Path {
    /// Number of relations on the path.
    pub length: i32,
    /// The relations, from the first actor to the second.
    pub relations: Vec<Relation>,
}

/// Counts of what the graph holds.
#[derive(SimpleObject)]
pub struct Stats {
    /// Documents.
    pub documents: i64,
    /// Actors.
    pub actors: i64,
    /// Relations.
    pub relations: i64,
    /// Events.
    pub events: i64,
}

/// The result of ingesting one article.
#[derive(SimpleObject)]
pub struct IngestResult {
    /// The stored document.
    pub document: Document,
    /// What happened.
    pub outcome: IngestOutcome,
    /// Actors the article mentions.
    pub actors: i32,
    /// Relations found.
    pub relations: i32,
    /// Events found.
    pub events: i32,
}

/// Read-only entry points.
pub struct QueryRoot;

#[Object]
impl QueryRoot {
    /// One actor by id, or by name or alias (case- and diacritic-insensitive;
    /// "Vucic", "Vučić" and "Belgrade" all work).
    async fn actor(
        &self,
        ctx: &Context<'_>,
        name: Option<String>,
        id: Option<ID>,
    ) -> Result<Option<Actor>> {
        let store = store(ctx)?;
        let view = store.view();
        let found = match (id, name) {
            (Some(id), _) => view.actor(parse_id(&id, "actor")?).cloned(),
            (None, Some(name)) => find_actor(&view, &name)
                .and_then(|a| view.actor(a))
                .cloned(),
            (None, None) => return Err(error("BAD_USER_INPUT", "give an actor's name or id")),
        };
        Ok(found.map(Actor))
    }

    /// Actors, optionally filtered by a name/alias substring and by kind,
    /// ordered by id.
    async fn actors(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        kind: Option<ActorKind>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ActorConnection> {
        let store = store(ctx)?;
        let view = store.view();
        let needle = search.as_deref().map(fold);
        let kind: Option<model::ActorKind> = kind.map(Into::into);
        let items: Vec<model::Actor> = view
            .actors()
            .into_iter()
            .filter(|a| kind.is_none_or(|k| a.kind == k))
            .filter(|a| {
                needle
                    .as_ref()
                    .is_none_or(|n| a.forms().any(|f| fold(f).contains(n.as_str())))
            })
            .cloned()
            .collect();
        let (page, info, total) = paginate(items, |a| a.id.to_string(), first, after)?;
        Ok(ActorConnection::from_page(
            page.into_iter().map(|(c, a)| (c, Actor(a))).collect(),
            info,
            total,
        ))
    }

    /// Documents, ordered by id.
    async fn documents(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<DocumentConnection> {
        let store = store(ctx)?;
        let items: Vec<model::Document> = store.view().documents().cloned().collect();
        let (page, info, total) = paginate(items, |d| d.id.to_string(), first, after)?;
        Ok(DocumentConnection::from_page(
            page.into_iter().map(|(c, d)| (c, Document(d))).collect(),
            info,
            total,
        ))
    }

    /// One document by file name or id.
    async fn document(
        &self,
        ctx: &Context<'_>,
        file: Option<String>,
        id: Option<ID>,
    ) -> Result<Option<Document>> {
        let store = store(ctx)?;
        let view = store.view();
        let found = match (id, file) {
            (Some(id), _) => view
                .document(parse_id::<DocumentId>(&id, "document")?)
                .cloned(),
            (None, Some(file)) => view.document_by_file(&file).cloned(),
            (None, None) => return Err(error("BAD_USER_INPUT", "give a document's file or id")),
        };
        Ok(found.map(Document))
    }

    /// Events, optionally of one kind, ordered by id.
    async fn events(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<EventConnection> {
        let store = store(ctx)?;
        let view = store.view();
        let kind: Option<ModelRelationKind> = kind.map(Into::into);
        let items: Vec<model::Event> = view
            .events()
            .into_iter()
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .cloned()
            .collect();
        let (page, info, total) = paginate(items, |e| e.id.to_string(), first, after)?;
        Ok(EventConnection::from_page(
            page.into_iter().map(|(c, e)| (c, Event(e))).collect(),
            info,
            total,
        ))
    }

    /// One event by id.
    async fn event(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Event>> {
        let store = store(ctx)?;
        let id: EventId = parse_id(&id, "event")?;
        Ok(store.view().event(id).cloned().map(Event))
    }

    /// Relations filtered by kind, subject and object (names, aliases or
    /// ids) and document id, ordered by id.
    #[allow(clippy::too_many_arguments)] // one argument per GraphQL filter
    async fn relations(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
        subject: Option<String>,
        object: Option<String>,
        document: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let store = store(ctx)?;
        let view = store.view();
        let kind: Option<ModelRelationKind> = kind.map(Into::into);
        let subject = subject.map(|s| require_actor(&view, &s)).transpose()?;
        let object = object.map(|o| require_actor(&view, &o)).transpose()?;
        let document = document
            .map(|d| parse_id::<DocumentId>(&d, "document"))
            .transpose()?;
        let candidates: Vec<&model::Relation> = match (subject, object, document) {
            (Some(s), _, _) => view.actor_relations(s, EdgeDirection::Out, kind),
            (None, Some(o), _) => view.actor_relations(o, EdgeDirection::In, kind),
            (None, None, Some(d)) => view.document_relations(d),
            (None, None, None) => view.relations().collect(),
        };
        let mut items: Vec<model::Relation> = candidates
            .into_iter()
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .filter(|r| object.is_none_or(|o| r.object == Some(o)))
            .filter(|r| document.is_none_or(|d| r.document == d))
            .cloned()
            .collect();
        items.sort_by_key(|r| r.id);
        let (page, info, total) = paginate(items, |r| r.id.to_string(), first, after)?;
        Ok(RelationConnection::from_page(
            page.into_iter().map(|(c, r)| (c, Relation(r))).collect(),
            info,
            total,
        ))
    }

    /// The relations on a shortest chain between two actors (relations
    /// followed in either direction), or null when none is within `maxHops`.
    async fn shortest_path(
        &self,
        ctx: &Context<'_>,
        from: String,
        to: String,
        #[graphql(default = 6)] max_hops: i32,
    ) -> Result<Option<Path>> {
        if !(0..=12).contains(&max_hops) {
            return Err(error("LIMIT_EXCEEDED", "maxHops must be between 0 and 12"));
        }
        let store = store(ctx)?.clone();
        let budget = limits(ctx).visit_budget;
        let path = tokio::task::spawn_blocking(move || -> Result<Option<Vec<model::Relation>>> {
            let view = store.view();
            let from = require_actor(&view, &from)?;
            let to = require_actor(&view, &to)?;
            Ok(view
                .shortest_path(from, to, max_hops as usize, budget)
                .map(|rels| rels.into_iter().cloned().collect()))
        })
        .await
        .map_err(|e| {
            tracing::error!("shortest path task failed: {e}");
            error("INTERNAL", "the path search failed")
        })??;
        Ok(path.map(|rels| Path {
            length: rels.len() as i32,
            relations: rels.into_iter().map(Relation).collect(),
        }))
    }

    /// Graphviz DOT of an actor's ego network: every actor within `depth`
    /// relations and the relations among them.
    async fn dot(
        &self,
        ctx: &Context<'_>,
        actor: String,
        #[graphql(default = 1)] depth: i32,
    ) -> Result<String> {
        if !(0..=3).contains(&depth) {
            return Err(error("LIMIT_EXCEEDED", "depth must be between 0 and 3"));
        }
        let store = store(ctx)?;
        let view = store.view();
        let id = require_actor(&view, &actor)?;
        let budget = limits(ctx).visit_budget.min(2_000);
        Ok(export::to_dot(&view.ego_network(
            id,
            depth as usize,
            budget,
        )))
    }

    /// How much the graph holds.
    async fn stats(&self, ctx: &Context<'_>) -> Result<Stats> {
        let store = store(ctx)?;
        let view = store.view();
        Ok(Stats {
            documents: view.document_count() as i64,
            actors: view.actor_count() as i64,
            relations: view.relation_count() as i64,
            events: view.event_count() as i64,
        })
    }
}

/// Writes.
pub struct MutationRoot;

#[Object]
impl MutationRoot {
    /// Extracts and stores one article (replacing the document of the same
    /// file). The graph is updated for the next query; the write is durable
    /// before this returns.
    async fn ingest_article(
        &self,
        ctx: &Context<'_>,
        file: String,
        text: String,
    ) -> Result<IngestResult> {
        if limits(ctx).read_only {
            return Err(error("UNAUTHORIZED", "this server is read-only"));
        }
        if ctx.data_opt::<crate::Unauthorized>().is_some() {
            return Err(error("UNAUTHORIZED", "mutations need a valid bearer token"));
        }
        let store = store(ctx)?.clone();
        let name = file.rsplit(['/', '\\']).next().unwrap_or(&file).to_owned();
        if name.trim().is_empty() {
            return Err(error("BAD_USER_INPUT", "file must be a non-empty name"));
        }
        newsgraph_ingest::decode_article(
            &name,
            text.as_bytes(),
            newsgraph_ingest::DEFAULT_MAX_BYTES,
        )
        .map_err(|e| error("BAD_USER_INPUT", e.to_string()))?;
        let extracted =
            tokio::task::spawn_blocking(move || (newsgraph_ingest::extract(&name, &text), text))
                .await
                .map_err(|e| {
                    tracing::error!("extraction task failed: {e}");
                    error("INTERNAL", "extraction failed")
                })?;
        let (graph, text) = extracted;
        let outcome = store.put_document(&graph, &text).await.map_err(|e| {
            tracing::error!("storing '{}': {e}", graph.document.file);
            error("INTERNAL", "the article could not be stored")
        })?;
        let document = store
            .view()
            .document(graph.document.id)
            .cloned()
            .unwrap_or(graph.document.clone());
        Ok(IngestResult {
            document: Document(document),
            outcome: match outcome {
                WriteOutcome::Added => IngestOutcome::Added,
                WriteOutcome::Replaced => IngestOutcome::Replaced,
                WriteOutcome::Unchanged => IngestOutcome::Unchanged,
            },
            actors: graph.mentions.len() as i32,
            relations: graph.relations.len() as i32,
            events: graph.events.len() as i32,
        })
    }
}
