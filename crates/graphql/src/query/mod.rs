//! The query and mutation roots, one question per module: `stats` (what
//! the graph holds), `traversal` (paths and neighbourhoods and what they
//! share), `draw` (the `dot` and `export` selections) and `mutation`
//! (writes). The query root's list and lookup fields are here.

mod draw;
mod groups;
mod mutation;
mod stats;
mod timeline;
mod traversal;

use std::sync::Arc;

use async_graphql::{Context, Object, Result, ID};
use newsgraph_model as model;
use newsgraph_model::read::{EdgeDirection, PathSearchOutcome, RelationFilter};
use newsgraph_model::{fold, DocumentId, EventId, RelationKind as ModelRelationKind};

use crate::schema::{
    actor_page, document_page, error, id_key, limits, paginate, parse_confidence, parse_date,
    parse_id, ports, reader, relations_of, Actor, ActorConnection, ActorKind, ActorSort, DateRange,
    Document, DocumentArgs, DocumentConnection, DocumentSort, ErrorCode, Event, EventConnection,
    PageArgs, Relation, RelationConnection, RelationKind, RelationSort,
};
use crate::serial::Serial;

use draw::Drawings;
use groups::Groups;
pub use mutation::MutationRoot;
use stats::Stats;
use timeline::Timelines;
use traversal::*;

/// Most hops a path search may take.
pub const MAX_HOPS: i32 = 8;
/// Most paths `paths` returns.
pub const MAX_PATHS: i32 = 50;
/// Deepest ego network or neighbourhood.
pub const MAX_DEPTH: i32 = 3;

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
        let args = DocumentArgs {
            since,
            until,
            search,
            sort,
        };
        document_page(view.documents().collect(), args, PageArgs { first, after })
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
        let dates = DateRange::parse(since, until)?;
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
            .filter(|e| dates.admits(e.date.as_deref()))
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
    /// document, publication-date range, evidence text and confidence
    /// (`minConfidence`, from 0 to 1).
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
        min_confidence: Option<f64>,
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
            min_confidence: parse_confidence(min_confidence)?,
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

    /// `dot` and `export`: one selection, two writers (see `draw`).
    #[graphql(flatten)]
    async fn drawings(&self) -> Drawings {
        Drawings
    }

    /// How much the graph holds: counts, counts by kind, top actors.
    async fn stats(&self) -> Stats {
        Stats
    }

    /// `timeline`: relation counts per day, week or month (see `timeline`).
    #[graphql(flatten)]
    async fn timelines(&self) -> Timelines {
        Timelines
    }

    /// `relationGroups`: relations grouped by subject, kind and object,
    /// with their corroboration (see `groups`).
    #[graphql(flatten)]
    async fn groups(&self) -> Groups {
        Groups
    }
}
