//! # newsgraph-view
//!
//! The in-memory graph every query reads: a petgraph `StableGraph` with
//! actors as nodes and relations that have an object as edges, plus the
//! indexes every query needs (by name, by document, by actor in id order,
//! distinct neighbours). No IO: the store rebuilds it from its records on
//! open ([`ViewBuilder`]) and keeps it in step with every write
//! ([`GraphView::insert_document`], [`GraphView::remove_document`]);
//! [`MemoryGraph`] holds one beside its texts in memory, for tests and
//! tools that need a graph without a store.
//!
//! [`GraphView`] implements the read port ([`newsgraph_model::read::Graph`]):
//! it chooses the index a relation filter is read from.
//!
//! Ids are hashes already, so the maps keyed by them use the Fx hasher
//! (SipHash was a tenth of every query and of the rebuild on open).
#![deny(missing_docs)]

mod invariants;
mod memory;
mod neighbors;
mod port;
mod rebuild;
mod slab;
mod traversals;
mod updates;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use newsgraph_model::{
    fold, Actor, ActorId, Document, DocumentId, Event, EventId, Relation, RelationId, RelationKind,
};
use petgraph::stable_graph::{NodeIndex, StableGraph};
use rustc_hash::FxHashMap;

pub use memory::{MemoryGraph, MemoryWrite};
pub use newsgraph_model::read::{EdgeDirection, Neighborhood, PathSearchOutcome, Subgraph};
pub use rebuild::{ViewBuilder, ViewDocument};

use neighbors::NeighborList;
use slab::Relations;

type Map<K, V> = FxHashMap<K, V>;

/// The graph as queries see it.
#[derive(Debug, Default)]
pub struct GraphView {
    graph: StableGraph<ActorId, RelationId>,
    nodes: Map<ActorId, NodeIndex>,
    /// Shared, so that a query's answer holds an actor without copying it.
    actors: Map<ActorId, Arc<Actor>>,
    documents: BTreeMap<DocumentId, Document>,
    events: Map<EventId, Event>,
    doc_events: Map<DocumentId, Vec<EventId>>,
    relations: Relations,
    /// Every relation id, in order (for listing all relations by page).
    relation_order: BTreeSet<RelationId>,
    doc_relations: Map<DocumentId, Vec<RelationId>>,
    doc_mentions: Map<DocumentId, Vec<ActorId>>,
    actor_docs: Map<ActorId, BTreeSet<DocumentId>>,
    /// Every relation an actor takes part in (either side), in id order,
    /// with its slot in `relations`: a page of an actor's relations starts
    /// with a range lookup and reads each record without the id index.
    actor_relations: Map<ActorId, BTreeMap<RelationId, u32>>,
    /// Distinct neighbours per node index, sorted by actor id (so that
    /// traversals do not depend on the order nodes were created in).
    adjacency: Vec<NeighborList>,
    by_name: HashMap<String, BTreeSet<ActorId>>,
    by_sha: HashMap<String, DocumentId>,
    by_file: HashMap<String, DocumentId>,
}

impl GraphView {
    /// Number of actors.
    pub fn actor_count(&self) -> usize {
        self.actors.len()
    }

    /// Number of documents.
    pub fn document_count(&self) -> usize {
        self.documents.len()
    }

    /// Number of relations.
    pub fn relation_count(&self) -> usize {
        self.relations.len()
    }

    /// Number of events.
    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// An actor by id.
    pub fn actor(&self, id: ActorId) -> Option<&Arc<Actor>> {
        self.actors.get(&id)
    }

    /// All actors, in id order.
    pub fn actors(&self) -> Vec<&Arc<Actor>> {
        let mut all: Vec<&Arc<Actor>> = self.actors.values().collect();
        all.sort_by_key(|a| a.id);
        all
    }

    /// Actors one of whose forms folds to `name`.
    pub fn actors_named(&self, name: &str) -> Vec<&Arc<Actor>> {
        self.by_name
            .get(&fold(name))
            .into_iter()
            .flatten()
            .filter_map(|id| self.actors.get(id))
            .collect()
    }

    /// A document by id.
    pub fn document(&self, id: DocumentId) -> Option<&Document> {
        self.documents.get(&id)
    }

    /// A document by its file name.
    pub fn document_by_file(&self, file: &str) -> Option<&Document> {
        self.by_file.get(file).and_then(|id| self.documents.get(id))
    }

    /// The document holding this exact content, if any.
    pub fn document_by_sha(&self, sha256: &str) -> Option<&Document> {
        self.by_sha
            .get(sha256)
            .and_then(|id| self.documents.get(id))
    }

    /// All documents, in id order.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.documents.values()
    }

    /// An event by id.
    pub fn event(&self, id: EventId) -> Option<&Event> {
        self.events.get(&id)
    }

    /// All events, in id order.
    pub fn events(&self) -> Vec<&Event> {
        let mut all: Vec<&Event> = self.events.values().collect();
        all.sort_by_key(|e| e.id);
        all
    }

    /// A relation by id.
    pub fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.relations.get(id).map(|(r, _)| r)
    }

    /// All relations, in id order.
    pub fn relations(&self) -> impl Iterator<Item = &Relation> {
        self.relations_after(None)
    }

    /// The relations whose id follows `after` (all when `None`), in id
    /// order: one page of all relations costs its own length, not a sort.
    pub fn relations_after(&self, after: Option<RelationId>) -> impl Iterator<Item = &Relation> {
        self.relation_order
            .range((
                after.map_or(Bound::Unbounded, Bound::Excluded),
                Bound::Unbounded,
            ))
            .filter_map(|id| self.relation(*id))
    }

    /// The relations a document supports, in the order it states them.
    pub fn document_relations(&self, doc: DocumentId) -> Vec<&Relation> {
        self.doc_relations
            .get(&doc)
            .into_iter()
            .flatten()
            .filter_map(|id| self.relation(*id))
            .collect()
    }

    /// The actors a document mentions.
    pub fn document_mentions(&self, doc: DocumentId) -> Vec<&Arc<Actor>> {
        self.doc_mentions
            .get(&doc)
            .into_iter()
            .flatten()
            .filter_map(|id| self.actors.get(id))
            .collect()
    }

    /// The documents that mention an actor.
    pub fn actor_documents(&self, actor: ActorId) -> Vec<&Document> {
        self.actor_docs
            .get(&actor)
            .into_iter()
            .flatten()
            .filter_map(|id| self.documents.get(id))
            .collect()
    }

    /// An actor's relations in one or both directions, optionally of one
    /// kind, in id order.
    pub fn actor_relations(
        &self,
        actor: ActorId,
        direction: EdgeDirection,
        kind: Option<RelationKind>,
    ) -> Vec<&Relation> {
        self.actor_relations_after(actor, direction, None)
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .collect()
    }

    /// An actor's relations in one or both directions whose id follows
    /// `after` (all when `None`), lazily in id order: a page costs what it
    /// reads, however many relations the actor has.
    pub fn actor_relations_after(
        &self,
        actor: ActorId,
        direction: EdgeDirection,
        after: Option<RelationId>,
    ) -> impl Iterator<Item = &Relation> {
        self.actor_relations
            .get(&actor)
            .into_iter()
            .flat_map(move |ids| {
                ids.range((
                    after.map_or(Bound::Unbounded, Bound::Excluded),
                    Bound::Unbounded,
                ))
            })
            .filter_map(|(_, slot)| self.relations.slot(*slot).map(|(r, _)| r))
            .filter(move |r| direction.admits(actor, r))
    }

    /// Actors one relation away (either direction), optionally via one
    /// kind, in id order.
    pub fn neighbors(&self, actor: ActorId, kind: Option<RelationKind>) -> Vec<&Arc<Actor>> {
        let kinds: Vec<RelationKind> = kind.into_iter().collect();
        self.neighbor_list(actor)
            .iter()
            .filter(|n| n.relations(&kinds) > 0)
            .filter_map(|n| self.actors.get(&n.actor))
            .collect()
    }

    /// How many relations an actor takes part in (either side).
    pub fn degree(&self, actor: ActorId) -> usize {
        self.actor_relations.get(&actor).map_or(0, BTreeMap::len)
    }

    /// Every relation between two actors, in either direction, in id order.
    pub fn relations_between(&self, a: ActorId, b: ActorId) -> Vec<&Relation> {
        // Scan the actor with fewer relations.
        let (one, other) = if self.degree(a) <= self.degree(b) {
            (a, b)
        } else {
            (b, a)
        };
        self.actor_relations_after(one, EdgeDirection::Both, None)
            .filter(|r| {
                (r.subject == one && r.object == Some(other))
                    || (r.subject == other && r.object == Some(one))
            })
            .collect()
    }

    /// The `limit` actors with the most relations, most first.
    pub fn top_actors(&self, limit: usize) -> Vec<(&Arc<Actor>, usize)> {
        let mut all: Vec<(&Arc<Actor>, usize)> = self
            .actors
            .values()
            .map(|a| (a, self.degree(a.id)))
            .collect();
        all.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.id.cmp(&y.0.id)));
        all.truncate(limit);
        all
    }

    /// The subgraph made of some relations and their endpoints.
    pub fn selection<'a>(&'a self, relations: Vec<&'a Relation>) -> Subgraph<'a> {
        let mut actors = BTreeSet::new();
        for r in &relations {
            actors.insert(r.subject);
            actors.extend(r.object);
        }
        Subgraph {
            actors: actors
                .iter()
                .filter_map(|id| self.actors.get(id).map(Arc::as_ref))
                .collect(),
            relations,
        }
    }

    /// Every actor and relation (a whole-graph selection for export).
    pub fn everything(&self) -> Subgraph<'_> {
        Subgraph {
            actors: self.actors().into_iter().map(Arc::as_ref).collect(),
            relations: self.relations().collect(),
        }
    }
}
