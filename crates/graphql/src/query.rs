//! The query and mutation roots.

use std::sync::Arc;

use async_graphql::{Context, Json, Object, Result, SimpleObject, ID};
use newsgraph_model as model;
use newsgraph_model::read::{EdgeDirection, Graph, PathSearchOutcome, RelationFilter, Subgraph};
use newsgraph_model::{fold, ActorId, DocumentId, EventId, RelationKind as ModelRelationKind};

use crate::export;
use crate::ports::{Article, IngestError, Reader, Written};
use crate::schema::{
    actor_page, document_page, error, id_key, internal, limits, paginate, parse_date, parse_id,
    ports, reader, relations_of, Actor, ActorConnection, ActorKind, ActorSort, Document,
    DocumentConnection, DocumentSort, ErrorCode, Event, EventConnection, IngestOutcome, Relation,
    RelationConnection, RelationKind, RelationSort,
};
use crate::serial::Serial;

/// Most hops a path search may take.
pub const MAX_HOPS: i32 = 8;
/// Most paths `paths` returns.
pub const MAX_PATHS: i32 = 50;
/// Deepest ego network or neighbourhood.
pub const MAX_DEPTH: i32 = 3;

/// A chain of relations between two actors.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Path {
    /// Number of relations on the path.
    pub length: i32,
    /// The relations, from the first actor to the second, each with its
    /// evidence and document (provenance).
    pub relations: Serial<Relation>,
}

/// A count per kind.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct KindCount {
    /// The kind, lowercase (`person`, `said`, ...).
    pub kind: String,
    /// How many.
    pub count: i64,
}

/// An actor with its number of relations.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct ActorDegree {
    /// The actor.
    pub actor: Actor,
    /// Relations it takes part in.
    pub degree: i64,
}

/// Counts of what the graph holds.
pub struct Stats;

#[Object(serial)]
impl Stats {
    /// Documents.
    async fn documents(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.document_count() as i64)
    }
    /// Actors.
    async fn actors(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.actor_count() as i64)
    }
    /// Relations.
    async fn relations(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.relation_count() as i64)
    }
    /// Events.
    async fn events(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.event_count() as i64)
    }
    /// Actors per kind.
    async fn actors_by_kind(&self, ctx: &Context<'_>) -> Result<Vec<KindCount>> {
        let view = reader(ctx)?;
        Ok(model::ActorKind::ALL
            .iter()
            .map(|k| KindCount {
                kind: k.as_str().to_owned(),
                count: view.actors().iter().filter(|a| a.kind == *k).count() as i64,
            })
            .collect())
    }
    /// Relations per kind.
    async fn relations_by_kind(&self, ctx: &Context<'_>) -> Result<Vec<KindCount>> {
        let view = reader(ctx)?;
        let mut counts = [0i64; 3];
        for r in view.relations() {
            counts[r.kind as usize] += 1;
        }
        Ok(ModelRelationKind::ALL
            .iter()
            .map(|k| KindCount {
                kind: k.as_str().to_owned(),
                count: counts[*k as usize],
            })
            .collect())
    }
    /// The actors with the most relations.
    async fn top_actors(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] limit: i32,
    ) -> Result<Vec<ActorDegree>> {
        if !(0..=1000).contains(&limit) {
            return Err(error(
                ErrorCode::LimitExceeded,
                "limit must be between 0 and 1000",
            ));
        }
        let view = reader(ctx)?;
        Ok(view
            .top_actors(limit as usize)
            .into_iter()
            .map(|(a, d)| ActorDegree {
                actor: Actor(a.clone()),
                degree: d as i64,
            })
            .collect())
    }
}

/// One ring of a neighbourhood.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Hop {
    /// Distance from the centre (1 = direct neighbours).
    pub depth: i32,
    /// Actors first reached at this distance.
    pub actor_count: i64,
    /// Relations followed from the previous ring.
    pub relation_count: i64,
    /// Up to 100 of the actors reached at this distance.
    pub actors: Vec<Actor>,
}

/// The actors around one actor, ring by ring.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Neighborhood {
    /// The centre.
    pub center: Actor,
    /// One entry per distance.
    pub hops: Vec<Hop>,
    /// Actors within the depth (without the centre).
    pub actor_count: i64,
    /// Whether the visit budget cut the search short.
    pub truncated: bool,
}

/// The result of ingesting one article.
#[derive(SimpleObject)]
#[graphql(serial)]
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

/// The result of deleting a document.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct DeleteResult {
    /// Whether a document was deleted.
    pub deleted: bool,
    /// Relations removed with it.
    pub relations: i32,
}

fn kinds_of(kinds: Option<Vec<RelationKind>>) -> Vec<ModelRelationKind> {
    kinds
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect()
}

fn check_range(value: i32, max: i32, name: &str) -> Result<usize> {
    if (0..=max).contains(&value) {
        Ok(value as usize)
    } else {
        Err(error(
            ErrorCode::LimitExceeded,
            format!("{name} must be between 0 and {max}, not {value}"),
        ))
    }
}

/// Nodes a shortest-path search may visit on the async runtime before it
/// is moved to a blocking thread.
const INLINE_VISITS: usize = 2_000;

/// The answer for the neighbourhood `hood` of the actor `center`.
fn neighborhood_answer(
    view: &dyn Graph,
    center: ActorId,
    hood: &newsgraph_model::read::Neighborhood,
) -> Result<Neighborhood> {
    let center = view
        .actor(center)
        .cloned()
        .ok_or_else(|| error(ErrorCode::NotFound, format!("no actor with id {center}")))?;
    let hops: Vec<Hop> = hood
        .hops
        .iter()
        .zip(&hood.relations_per_hop)
        .enumerate()
        .map(|(i, (ids, rels))| Hop {
            depth: i as i32 + 1,
            actor_count: ids.len() as i64,
            relation_count: *rels as i64,
            actors: ids
                .iter()
                .take(100)
                .filter_map(|a: &ActorId| view.actor(*a).cloned())
                .map(Actor)
                .collect(),
        })
        .collect();
    Ok(Neighborhood {
        center: Actor(center),
        actor_count: hops.iter().map(|h| h.actor_count).sum(),
        hops,
        truncated: hood.truncated,
    })
}

/// Runs a CPU-heavy graph task off the async runtime.
async fn off_runtime<T: Send + 'static>(
    task: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(task)
        .await
        .map_err(|e| internal("a graph traversal", e))?
}

/// What to draw or export: an ego network, a path, or a relation filter.
struct Selection {
    actor: Option<String>,
    depth: usize,
    from: Option<String>,
    to: Option<String>,
    max_hops: usize,
    kind: Option<ModelRelationKind>,
    subject: Option<String>,
    object: Option<String>,
    document: Option<DocumentId>,
}

impl Selection {
    fn resolve<'a>(&self, view: &'a Reader<'_>, budget: usize) -> Result<Subgraph<'a>> {
        if let Some(actor) = &self.actor {
            let id = view.require_actor(actor)?;
            let mut ego = view.ego_network(id, self.depth, budget.min(2_000));
            if let Some(k) = self.kind {
                ego.relations.retain(|r| r.kind == k);
            }
            return Ok(ego);
        }
        if let (Some(from), Some(to)) = (&self.from, &self.to) {
            let from = view.require_actor(from)?;
            let to = view.require_actor(to)?;
            let path = view
                .shortest_path(from, to, self.max_hops, budget)
                .unwrap_or_default();
            return Ok(view.selection(path));
        }
        if self.kind.is_some()
            || self.subject.is_some()
            || self.object.is_some()
            || self.document.is_some()
        {
            let relations = filtered_relations(
                view,
                self.kind,
                self.subject.as_deref(),
                self.object.as_deref(),
                self.document,
            )?;
            let capped: Vec<_> = relations.into_iter().take(5_000).collect();
            return Ok(view.selection(capped));
        }
        Err(error(
            ErrorCode::BadUserInput,
            "choose what to draw: actor (ego network), from + to (a path), or kind/subject/object/document (a relation filter)",
        ))
    }
}

/// The relations a filter of `dot` or `export` selects, as the export
/// lists them (a document's in its text order).
fn filtered_relations<'a>(
    view: &'a Reader<'_>,
    kind: Option<ModelRelationKind>,
    subject: Option<&str>,
    object: Option<&str>,
    document: Option<DocumentId>,
) -> Result<Vec<&'a model::Relation>> {
    let subject = subject.map(|s| view.require_actor(s)).transpose()?;
    let object = object.map(|o| view.require_actor(o)).transpose()?;
    let candidates: Vec<&model::Relation> = match (subject, object, document) {
        (Some(s), _, _) => view.actor_relations(s, EdgeDirection::Out, kind),
        (None, Some(o), _) => view.actor_relations(o, EdgeDirection::In, kind),
        (None, None, Some(d)) => view.document_relations(d),
        (None, None, None) => view.relations().collect(),
    };
    Ok(candidates
        .into_iter()
        .filter(|r| kind.is_none_or(|k| r.kind == k))
        .filter(|r| object.is_none_or(|o| r.object == Some(o)))
        .filter(|r| document.is_none_or(|d| r.document == d))
        .collect())
}

/// Read-only entry points.
pub struct QueryRoot;

#[Object(serial)]
impl QueryRoot {
    /// One actor by id, or by name or alias (case- and diacritic-insensitive;
    /// "Vucic", "Vučić" and "Belgrade" all work).
    async fn actor(
        &self,
        ctx: &Context<'_>,
        name: Option<String>,
        id: Option<ID>,
    ) -> Result<Option<Actor>> {
        let view = reader(ctx)?;
        let found = match (id, name) {
            (Some(id), _) => view.actor(parse_id(&id, "actor")?).cloned(),
            (None, Some(name)) => view.find_actor(&name).and_then(|a| view.actor(a)).cloned(),
            (None, None) => {
                return Err(error(ErrorCode::BadUserInput, "give an actor's name or id"))
            }
        };
        Ok(found.map(Actor))
    }

    /// Actors, optionally filtered by a name/alias substring (case- and
    /// diacritic-insensitive) and by kind.
    async fn actors(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        kind: Option<ActorKind>,
        sort: Option<ActorSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ActorConnection> {
        let view = reader(ctx)?;
        let needle = search.as_deref().map(fold);
        let kind: Option<model::ActorKind> = kind.map(Into::into);
        let items: Vec<&Arc<model::Actor>> = view
            .actors()
            .into_iter()
            .filter(|a| kind.is_none_or(|k| a.kind == k))
            .filter(|a| {
                needle
                    .as_ref()
                    .is_none_or(|n| a.forms().any(|f| fold(f).contains(n.as_str())))
            })
            .collect();
        actor_page(&**view, items, sort, first, after)
    }

    /// Documents, optionally within a publication-date range or with a
    /// title containing `search`.
    #[allow(clippy::too_many_arguments)]
    async fn documents(
        &self,
        ctx: &Context<'_>,
        since: Option<String>,
        until: Option<String>,
        search: Option<String>,
        sort: Option<DocumentSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<DocumentConnection> {
        let view = reader(ctx)?;
        document_page(
            view.documents().collect(),
            since,
            until,
            search,
            sort,
            first,
            after,
        )
    }

    /// One document by file name or id.
    async fn document(
        &self,
        ctx: &Context<'_>,
        file: Option<String>,
        id: Option<ID>,
    ) -> Result<Option<Document>> {
        let view = reader(ctx)?;
        let found = match (id, file) {
            (Some(id), _) => view
                .document(parse_id::<DocumentId>(&id, "document")?)
                .cloned(),
            (None, Some(file)) => view.document_by_file(&file).cloned(),
            (None, None) => {
                return Err(error(
                    ErrorCode::BadUserInput,
                    "give a document's file or id",
                ))
            }
        };
        Ok(found.map(Document))
    }

    /// Events (things requested or rejected), optionally of one kind, with
    /// a label containing `search`, or dated within a range.
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
        search: Option<String>,
        since: Option<String>,
        until: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<EventConnection> {
        let view = reader(ctx)?;
        let kind: Option<ModelRelationKind> = kind.map(Into::into);
        let since = parse_date(since, "since")?;
        let until = parse_date(until, "until")?;
        let needle = search.as_deref().map(fold);
        let items: Vec<&model::Event> = view
            .events()
            .into_iter()
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .filter(|e| {
                needle
                    .as_ref()
                    .is_none_or(|n| fold(&e.label).contains(n.as_str()))
            })
            .filter(|e| {
                if since.is_none() && until.is_none() {
                    return true;
                }
                e.date.as_deref().is_some_and(|d| {
                    since.as_deref().is_none_or(|s| d >= s)
                        && until.as_deref().is_none_or(|u| d <= u)
                })
            })
            .collect();
        let page = paginate(items, |e| id_key(e.id.0), first, after)?;
        Ok(EventConnection::from_page(page, |e| Event(e.clone())))
    }

    /// One event by id.
    async fn event(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Event>> {
        let id: EventId = parse_id(&id, "event")?;
        Ok(reader(ctx)?.event(id).cloned().map(Event))
    }

    /// Relations filtered by kind, subject, object, either side (`actor`),
    /// document, publication-date range and evidence text.
    #[allow(clippy::too_many_arguments)]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
        subject: Option<String>,
        object: Option<String>,
        actor: Option<String>,
        document: Option<ID>,
        since: Option<String>,
        until: Option<String>,
        search: Option<String>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let view = reader(ctx)?;
        let kind: Option<ModelRelationKind> = kind.map(Into::into);
        let document = document
            .map(|d| parse_id::<DocumentId>(&d, "document"))
            .transpose()?;
        let actor = actor
            .as_deref()
            .map(|a| view.require_actor(a))
            .transpose()?;
        let subject = subject
            .as_deref()
            .map(|s| view.require_actor(s))
            .transpose()?;
        let object = object
            .as_deref()
            .map(|o| view.require_actor(o))
            .transpose()?;
        let filter = RelationFilter {
            kinds: kind.into_iter().collect(),
            actor: actor.map(|a| (a, EdgeDirection::Both)),
            counterpart: None,
            subject,
            object,
            document,
            since: parse_date(since, "since")?,
            until: parse_date(until, "until")?,
            search,
        };
        relations_of(&view, filter, sort.unwrap_or_default(), first, after)
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
        let max_hops = check_range(max_hops, MAX_HOPS, "maxHops")?;
        let ports = ports(ctx)?.clone();
        let budget = limits(ctx).visit_budget;
        // Most searches meet within a few hundred nodes: try that here, and
        // hand only a search that needs more to a blocking thread (whose
        // hand-over costs more than such a search).
        let (from, to, quick) = {
            let view = ports.reader();
            let from = view.require_actor(&from)?;
            let to = view.require_actor(&to)?;
            let quick =
                match view.shortest_path_search(from, to, max_hops, budget.min(INLINE_VISITS)) {
                    PathSearchOutcome::Found(rels) => {
                        Some(Some(rels.into_iter().cloned().collect()))
                    }
                    PathSearchOutcome::NoPath => Some(None),
                    PathSearchOutcome::OverBudget => None,
                };
            (from, to, quick)
        };
        let path: Option<Vec<model::Relation>> = match quick {
            Some(answer) => answer,
            None => {
                off_runtime(move || {
                    Ok(ports
                        .reader()
                        .shortest_path(from, to, max_hops, budget)
                        .map(|rels| rels.into_iter().cloned().collect::<Vec<_>>()))
                })
                .await?
            }
        };
        Ok(path.map(|rels| Path {
            length: rels.len() as i32,
            relations: Serial(rels.into_iter().map(Relation).collect()),
        }))
    }

    /// Up to `limit` chains of relations between two actors with distinct
    /// actors on them, shortest first, each at most `maxHops` long.
    async fn paths(
        &self,
        ctx: &Context<'_>,
        from: String,
        to: String,
        #[graphql(default = 4)] max_hops: i32,
        #[graphql(default = 10)] limit: i32,
    ) -> Result<Vec<Path>> {
        let max_hops = check_range(max_hops, MAX_HOPS, "maxHops")?;
        let limit = check_range(limit, MAX_PATHS, "limit")?;
        let ports = ports(ctx)?.clone();
        let budget = limits(ctx).visit_budget;
        let paths = off_runtime(move || {
            let view = ports.reader();
            let from = view.require_actor(&from)?;
            let to = view.require_actor(&to)?;
            Ok(view
                .paths(from, to, max_hops, limit, budget)
                .into_iter()
                .map(|p| p.into_iter().cloned().collect::<Vec<_>>())
                .collect::<Vec<_>>())
        })
        .await?;
        Ok(paths
            .into_iter()
            .map(|rels| Path {
                length: rels.len() as i32,
                relations: Serial(rels.into_iter().map(Relation).collect()),
            })
            .collect())
    }

    /// The actors within `depth` relations of an actor, ring by ring, with
    /// counts per hop; optionally following only some relation kinds.
    async fn neighborhood(
        &self,
        ctx: &Context<'_>,
        actor: String,
        #[graphql(default = 2)] depth: i32,
        kinds: Option<Vec<RelationKind>>,
    ) -> Result<Neighborhood> {
        let depth = check_range(depth, MAX_DEPTH, "depth")?;
        let kinds = kinds_of(kinds);
        let ports = ports(ctx)?.clone();
        let limits = limits(ctx);
        let (budget, inline_scan) = (limits.visit_budget, limits.inline_scan);
        let (id, quick) = {
            let view = ports.reader();
            let id = view.require_actor(&actor)?;
            let quick = view
                .neighborhood_within(id, depth, &kinds, budget, inline_scan)
                .map(|hood| neighborhood_answer(&**view, id, &hood));
            (id, quick)
        };
        match quick {
            Some(answer) => answer,
            None => {
                off_runtime(move || {
                    let view = ports.reader();
                    let hood = view.neighborhood(id, depth, &kinds, budget);
                    neighborhood_answer(&**view, id, &hood)
                })
                .await
            }
        }
    }

    /// Graphviz DOT of a selection (the CLI's writer): an actor's ego
    /// network (`actor`, `depth`), the shortest path between two actors
    /// (`from`, `to`, `maxHops`), or the relations matching a filter
    /// (`kind`, `subject`, `object`, `document`).
    #[allow(clippy::too_many_arguments)]
    async fn dot(
        &self,
        ctx: &Context<'_>,
        actor: Option<String>,
        #[graphql(default = 1)] depth: i32,
        from: Option<String>,
        to: Option<String>,
        #[graphql(default = 6)] max_hops: i32,
        kind: Option<RelationKind>,
        subject: Option<String>,
        object: Option<String>,
        document: Option<ID>,
    ) -> Result<String> {
        let selection = Selection {
            actor,
            depth: check_range(depth, MAX_DEPTH, "depth")?,
            from,
            to,
            max_hops: check_range(max_hops, MAX_HOPS, "maxHops")?,
            kind: kind.map(Into::into),
            subject,
            object,
            document: document.map(|d| parse_id(&d, "document")).transpose()?,
        };
        let ports = ports(ctx)?.clone();
        let budget = limits(ctx).visit_budget;
        off_runtime(move || {
            let view = ports.reader();
            let sub = selection.resolve(&view, budget)?;
            export::with_evidence(&*ports.graph, &sub, export::to_dot)
                .map_err(|e| internal("reading evidence for DOT", e))
        })
        .await
    }

    /// The same selections as `dot`, as JSON in the export format (the
    /// one `newsgraph export --format json` writes).
    #[allow(clippy::too_many_arguments)]
    async fn export(
        &self,
        ctx: &Context<'_>,
        actor: Option<String>,
        #[graphql(default = 1)] depth: i32,
        from: Option<String>,
        to: Option<String>,
        #[graphql(default = 6)] max_hops: i32,
        kind: Option<RelationKind>,
        subject: Option<String>,
        object: Option<String>,
        document: Option<ID>,
    ) -> Result<Json<serde_json::Value>> {
        let selection = Selection {
            actor,
            depth: check_range(depth, MAX_DEPTH, "depth")?,
            from,
            to,
            max_hops: check_range(max_hops, MAX_HOPS, "maxHops")?,
            kind: kind.map(Into::into),
            subject,
            object,
            document: document.map(|d| parse_id(&d, "document")).transpose()?,
        };
        let ports = ports(ctx)?.clone();
        let budget = limits(ctx).visit_budget;
        off_runtime(move || {
            let view = ports.reader();
            let sub = selection.resolve(&view, budget)?;
            export::with_evidence(&*ports.graph, &sub, |sub| {
                Json(export::to_json(&**view, sub))
            })
            .map_err(|e| internal("reading evidence for the export", e))
        })
        .await
    }

    /// How much the graph holds: counts, counts by kind, top actors.
    async fn stats(&self) -> Stats {
        Stats
    }
}

/// Writes. Refused on a read-only server, and without the bearer token
/// when the server requires one.
pub struct MutationRoot;

fn check_writable(ctx: &Context<'_>) -> Result<()> {
    if limits(ctx).read_only {
        return Err(error(ErrorCode::Unauthorized, "this server is read-only"));
    }
    if ctx.data_opt::<crate::Unauthorized>().is_some() {
        return Err(error(
            ErrorCode::Unauthorized,
            "mutations need a valid bearer token (Authorization: Bearer ...)",
        ));
    }
    Ok(())
}

/// The GraphQL error for a failed write.
fn write_error(e: IngestError) -> async_graphql::Error {
    match e {
        IngestError::BadInput(message) => error(ErrorCode::BadUserInput, message),
        IngestError::Failed { what, detail } => internal(what, detail),
    }
}

#[Object(serial)]
impl MutationRoot {
    /// Extracts and stores one article, replacing the document of the same
    /// file. `source` and `published` (YYYY-MM-DD) override what the text
    /// says. The graph is updated for the next query; the write is durable
    /// before this returns.
    async fn ingest_article(
        &self,
        ctx: &Context<'_>,
        file: String,
        text: String,
        source: Option<String>,
        published: Option<String>,
    ) -> Result<IngestResult> {
        check_writable(ctx)?;
        let published = parse_date(published, "published")?;
        let ports = ports(ctx)?.clone();
        let name = file.rsplit(['/', '\\']).next().unwrap_or(&file).to_owned();
        if name.trim().is_empty() {
            return Err(error(
                ErrorCode::BadUserInput,
                "file must be a non-empty name",
            ));
        }
        let article = Article {
            file: name,
            text,
            source,
            published,
        };
        let ingested = ports
            .ingest
            .ingest_article(article)
            .await
            .map_err(write_error)?;
        Ok(IngestResult {
            document: Document(ingested.document),
            outcome: match ingested.written {
                Written::Added => IngestOutcome::Added,
                Written::Replaced => IngestOutcome::Replaced,
                Written::Unchanged => IngestOutcome::Unchanged,
            },
            actors: ingested.actors as i32,
            relations: ingested.relations as i32,
            events: ingested.events as i32,
        })
    }

    /// Removes a document and every relation, event and mention it alone
    /// contributed (actors no other document mentions go too), atomically.
    async fn delete_document(&self, ctx: &Context<'_>, id: ID) -> Result<DeleteResult> {
        check_writable(ctx)?;
        let id: DocumentId = parse_id(&id, "document")?;
        let ports = ports(ctx)?.clone();
        let relations = ports.reader().document_relations(id).len() as i32;
        let deleted = ports
            .ingest
            .delete_document(id)
            .await
            .map_err(write_error)?;
        Ok(DeleteResult {
            deleted,
            relations: if deleted { relations } else { 0 },
        })
    }
}
