//! The read port: what a reader of the graph (the GraphQL layer, the
//! exports) may ask of it, and the shapes of its answers.
//!
//! A reader holds a [`GraphSource`] and asks it for a [`GraphRead`], one
//! consistent view of the graph for as long as it is held (writers wait:
//! hold it briefly), with the document texts beside it. The source decides
//! how to answer: the store reads its in-memory indexes, and for a list of
//! relations ([`Graph::relation_candidates`]) it picks the narrowest index
//! that holds every match of the [`RelationFilter`], as a database picks
//! the index for a pattern. Readers never name the store, so they can be
//! tested against a small in-memory graph.

use std::sync::{Arc, RwLockReadGuard};

use crate::RelationKind;
use crate::{fold, Actor, ActorId, Document, DocumentId, Event, EventId, Relation, RelationId};

/// Which relations of an actor to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeDirection {
    /// Relations the actor is the subject of.
    Out,
    /// Relations the actor is the object of.
    In,
    /// Both.
    Both,
}

impl EdgeDirection {
    /// Whether `rel` is one of `actor`'s relations in this direction.
    pub fn admits(self, actor: ActorId, rel: &Relation) -> bool {
        match self {
            EdgeDirection::Out => rel.subject == actor,
            EdgeDirection::In => rel.object == Some(actor),
            EdgeDirection::Both => rel.subject == actor || rel.object == Some(actor),
        }
    }
}

/// What a budgeted search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSearchOutcome<T> {
    /// The answer.
    Found(T),
    /// There is none within the hop limit.
    NoPath,
    /// The visit budget ran out first.
    OverBudget,
}

/// Actors around a centre, by hop.
#[derive(Debug, Default, Clone)]
pub struct Neighborhood {
    /// Actor ids first reached at hop 1, 2, ...
    pub hops: Vec<Vec<ActorId>>,
    /// Relations traversed at each hop.
    pub relations_per_hop: Vec<usize>,
    /// Whether the visit budget cut the search short.
    pub truncated: bool,
}

/// A selection of the graph: some actors and relations among them.
#[derive(Debug, Default, Clone)]
pub struct Subgraph<'a> {
    /// The actors, in id order.
    pub actors: Vec<&'a Actor>,
    /// The relations, in id order.
    pub relations: Vec<&'a Relation>,
}

impl<'a> Subgraph<'a> {
    /// The selection without its relations below `min` confidence, and
    /// without the actors only those relations brought in (an actor with
    /// no relation left is kept only when nothing was dropped).
    pub fn at_least(mut self, min: crate::Confidence) -> Subgraph<'a> {
        let before = self.relations.len();
        self.relations.retain(|r| r.confidence >= min);
        if self.relations.len() == before {
            return self;
        }
        let ends: std::collections::HashSet<crate::ActorId> = self
            .relations
            .iter()
            .flat_map(|r| std::iter::once(r.subject).chain(r.object))
            .collect();
        self.actors.retain(|a| ends.contains(&a.id));
        self
    }
}

/// Which relations a list holds. Every condition given must hold; a
/// relation list is the relations that pass, in id order unless sorted.
#[derive(Debug, Default, Clone)]
pub struct RelationFilter {
    /// Only these kinds (any kind when empty).
    pub kinds: Vec<RelationKind>,
    /// Only the relations of this actor in this direction.
    pub actor: Option<(ActorId, EdgeDirection)>,
    /// Only relations whose other side (from `actor`) is this actor.
    pub counterpart: Option<ActorId>,
    /// Only relations with this subject.
    pub subject: Option<ActorId>,
    /// Only relations with this object.
    pub object: Option<ActorId>,
    /// Only relations this document supports.
    pub document: Option<DocumentId>,
    /// Only relations whose document was published on or after this day
    /// (YYYY-MM-DD).
    pub since: Option<String>,
    /// Only relations whose document was published on or before this day.
    pub until: Option<String>,
    /// Only relations whose quote or evidence sentence contains this text
    /// (case- and diacritic-insensitively).
    pub search: Option<String>,
    /// Only relations at least this confident.
    pub min_confidence: Option<crate::Confidence>,
}

impl RelationFilter {
    /// The folded search text, if any (fold once, match many).
    pub fn needle(&self) -> Option<String> {
        self.search.as_deref().map(fold)
    }

    /// Whether one relation passes; `needle` is [`Self::needle`], and
    /// `sentence` gives a relation's evidence sentence (read only when
    /// every cheaper condition holds).
    pub fn admits(
        &self,
        graph: &dyn Graph,
        r: &Relation,
        needle: Option<&str>,
        sentence: impl Fn(&Relation) -> Option<String>,
    ) -> bool {
        let from = self.actor.map(|(actor, _)| actor);
        let dated = || {
            if self.since.is_none() && self.until.is_none() {
                return true;
            }
            let date = graph
                .document(r.document)
                .and_then(|d| d.published.as_deref());
            date.is_some_and(|d| {
                self.since.as_deref().is_none_or(|s| d >= s)
                    && self.until.as_deref().is_none_or(|u| d <= u)
            })
        };
        (self.kinds.is_empty() || self.kinds.contains(&r.kind))
            && self.min_confidence.is_none_or(|c| r.confidence >= c)
            && self
                .actor
                .is_none_or(|(actor, direction)| direction.admits(actor, r))
            && self.subject.is_none_or(|s| r.subject == s)
            && self.object.is_none_or(|o| r.object == Some(o))
            && self.document.is_none_or(|d| r.document == d)
            && self.counterpart.is_none_or(|c| {
                let other = if Some(r.subject) == from {
                    r.object
                } else {
                    Some(r.subject)
                };
                other == Some(c)
            })
            && dated()
            && needle.is_none_or(|n| {
                r.quote.as_deref().is_some_and(|q| fold(q).contains(n))
                    || sentence(r).is_some_and(|s| fold(&s).contains(n))
            })
    }
}

/// A failure to read what the graph refers to (a document's text). Its
/// message is for the log: it may name files and engine details.
#[derive(Debug)]
pub struct ReadError(Box<dyn std::error::Error + Send + Sync>);

impl ReadError {
    /// Wraps the source's own error.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> ReadError {
        ReadError(Box::new(error))
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// The graph as a reader sees it: lookups, lists and traversals over one
/// consistent state. Lists are in id order unless a method says otherwise.
pub trait Graph {
    /// Number of actors.
    fn actor_count(&self) -> usize;
    /// Number of documents.
    fn document_count(&self) -> usize;
    /// Number of relations.
    fn relation_count(&self) -> usize;
    /// Number of events.
    fn event_count(&self) -> usize;
    /// An actor by id.
    fn actor(&self, id: ActorId) -> Option<&Arc<Actor>>;
    /// All actors.
    fn actors(&self) -> Vec<&Arc<Actor>>;
    /// Actors one of whose forms folds to `name`.
    fn actors_named(&self, name: &str) -> Vec<&Arc<Actor>>;
    /// How many relations an actor takes part in (either side).
    fn degree(&self, actor: ActorId) -> usize;
    /// Actors one relation away (either direction), optionally via one kind.
    fn neighbors(&self, actor: ActorId, kind: Option<RelationKind>) -> Vec<&Arc<Actor>>;
    /// The `limit` actors with the most relations, most first.
    fn top_actors(&self, limit: usize) -> Vec<(&Arc<Actor>, usize)>;
    /// A document by id.
    fn document(&self, id: DocumentId) -> Option<&Document>;
    /// A document by its file name.
    fn document_by_file(&self, file: &str) -> Option<&Document>;
    /// All documents.
    fn documents(&self) -> Box<dyn Iterator<Item = &Document> + '_>;
    /// The actors a document mentions.
    fn document_mentions(&self, doc: DocumentId) -> Vec<&Arc<Actor>>;
    /// The relations a document supports, in the order it states them.
    fn document_relations(&self, doc: DocumentId) -> Vec<&Relation>;
    /// The documents that mention an actor.
    fn actor_documents(&self, actor: ActorId) -> Vec<&Document>;
    /// An event by id.
    fn event(&self, id: EventId) -> Option<&Event>;
    /// All events.
    fn events(&self) -> Vec<&Event>;
    /// All relations.
    fn relations(&self) -> Box<dyn Iterator<Item = &Relation> + '_>;
    /// An actor's relations in one or both directions, optionally of one
    /// kind.
    fn actor_relations(
        &self,
        actor: ActorId,
        direction: EdgeDirection,
        kind: Option<RelationKind>,
    ) -> Vec<&Relation>;
    /// Relations whose id follows `after` (all when `None`), lazily in id
    /// order, from the narrowest index that holds every relation `filter`
    /// admits: a superset of the matches (the caller applies
    /// [`RelationFilter::admits`]; [`GraphRead::relations_matching`] does
    /// both). A page of them costs what it reads.
    fn relation_candidates(
        &self,
        filter: &RelationFilter,
        after: Option<RelationId>,
    ) -> Box<dyn Iterator<Item = &Relation> + '_>;
    /// The relations on a shortest chain from `from` to `to` (relations
    /// followed in either direction), at most `max_hops` long, visiting at
    /// most `budget` actors; says whether the budget ran out.
    fn shortest_path_search(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        budget: usize,
    ) -> PathSearchOutcome<Vec<&Relation>>;
    /// Up to `limit` chains of relations from `from` to `to` with distinct
    /// actors, shortest first, each at most `max_hops` long; gives up after
    /// `budget` steps.
    fn paths(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        limit: usize,
        budget: usize,
    ) -> Vec<Vec<&Relation>>;
    /// Actors by distance from `center` up to `depth`, following relations
    /// of `kinds` (all when empty), visiting at most `budget` actors; `None`
    /// as soon as it has read more than `max_scan` neighbour entries.
    fn neighborhood_within(
        &self,
        center: ActorId,
        depth: usize,
        kinds: &[RelationKind],
        budget: usize,
        max_scan: usize,
    ) -> Option<Neighborhood>;
    /// Every actor within `depth` relations of `center` and every relation
    /// among them, visiting at most `budget` actors.
    fn ego_network(&self, center: ActorId, depth: usize, budget: usize) -> Subgraph<'_>;
    /// The subgraph made of some relations and their endpoints.
    fn selection<'a>(&'a self, relations: Vec<&'a Relation>) -> Subgraph<'a>;

    /// [`Graph::shortest_path_search`], `None` when it found no chain.
    fn shortest_path(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        budget: usize,
    ) -> Option<Vec<&Relation>>;
    /// [`Graph::neighborhood_within`] without a limit on what it reads.
    fn neighborhood(
        &self,
        center: ActorId,
        depth: usize,
        kinds: &[RelationKind],
        budget: usize,
    ) -> Neighborhood;
}

/// Where a reader gets the graph and the texts its evidence points into.
pub trait GraphSource: Send + Sync {
    /// One consistent view of the graph, for as long as it is held.
    fn read(&self) -> GraphRead<'_>;
    /// A document's text (evidence spans point into it).
    fn text(&self, doc: DocumentId) -> Result<Option<String>, ReadError>;
    /// A relation's evidence sentence (a source may keep only its span).
    /// Empty when the document is gone.
    fn sentence(&self, rel: &Relation) -> Result<String, ReadError>;
    /// Relations with their evidence sentences filled in (for exports).
    fn with_sentences(&self, relations: &[&Relation]) -> Result<Vec<Relation>, ReadError>;
}

/// One consistent view of the graph (a read lock on it) and the source
/// of its texts.
pub struct GraphRead<'a> {
    graph: RwLockReadGuard<'a, dyn Graph + Send + Sync + 'static>,
    source: &'a dyn GraphSource,
}

impl<'a> GraphRead<'a> {
    /// The view `graph` of `source`.
    pub fn new(
        graph: RwLockReadGuard<'a, dyn Graph + Send + Sync + 'static>,
        source: &'a dyn GraphSource,
    ) -> GraphRead<'a> {
        GraphRead { graph, source }
    }

    /// The source this view was read from.
    pub fn source(&self) -> &'a dyn GraphSource {
        self.source
    }

    /// The relations that pass `filter` and whose id follows `after` (all
    /// when `None`), lazily in id order, read from the index the graph
    /// chooses for the filter.
    pub fn relations_matching<'s>(
        &'s self,
        filter: &'s RelationFilter,
        after: Option<RelationId>,
    ) -> impl Iterator<Item = &'s Relation> + 's {
        let graph: &'s (dyn Graph + Send + Sync) = &*self.graph;
        let needle = filter.needle();
        graph.relation_candidates(filter, after).filter(move |r| {
            filter.admits(graph, r, needle.as_deref(), |r| {
                self.source.sentence(r).ok()
            })
        })
    }
}

impl std::ops::Deref for GraphRead<'_> {
    type Target = dyn Graph + Send + Sync;

    fn deref(&self) -> &Self::Target {
        &*self.graph
    }
}
