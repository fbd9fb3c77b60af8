//! The in-memory graph: a petgraph `StableGraph` with actors as nodes and
//! relations that have an object as edges, plus the indexes every query
//! needs (by name, by document, by actor in id order, distinct neighbours).
//! Rebuilt from sled on open and kept in step with every write, so queries
//! never touch the disk.
//!
//! Ids are hashes already, so the maps keyed by them use the Fx hasher
//! (SipHash was a tenth of every query and of the rebuild on open).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::ops::Bound;
use std::sync::Arc;

use newsgraph_model::{
    fold, Actor, ActorId, Document, DocumentGraph, DocumentId, Event, EventId, Relation,
    RelationId, RelationKind,
};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use petgraph::visit::NodeIndexable;
use rustc_hash::FxHashMap;

type Map<K, V> = FxHashMap<K, V>;

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

/// Index of a relation kind in per-kind counters.
fn slot(kind: RelationKind) -> usize {
    match kind {
        RelationKind::Said => 0,
        RelationKind::Requested => 1,
        RelationKind::Rejected => 2,
    }
}

/// One distinct neighbour of an actor: how many relations of each kind
/// link the two (either direction) and the smallest of their ids. Traversals
/// (neighbourhoods, paths) walk these instead of every relation: a hub of a
/// large store has a hundred thousand relations but a few thousand
/// neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Neighbor {
    actor: ActorId,
    node: NodeIndex,
    counts: [u32; 3],
    first: RelationId,
}

impl Neighbor {
    /// Relations of the given kinds (all kinds when empty) linking the two.
    fn relations(&self, kinds: &[RelationKind]) -> usize {
        if kinds.is_empty() {
            self.counts.iter().map(|c| *c as usize).sum()
        } else {
            RelationKind::ALL
                .iter()
                .filter(|k| kinds.contains(k))
                .map(|k| self.counts[slot(*k)] as usize)
                .sum()
        }
    }
}

/// A node's distinct neighbours, sorted by actor id, with what traversals
/// read most kept apart: the neighbours' node indices (4 bytes each, where
/// a [`Neighbor`] is 32) and the sum of their relation counts. A two-hop
/// neighbourhood reads tens of thousands of neighbours; reading only their
/// indices takes an eighth of the memory traffic. Every change goes through
/// the methods below, which keep the three in step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct NeighborList {
    entries: Vec<Neighbor>,
    /// `entries[i].node`, for each `i`.
    nodes: Vec<NodeIndex>,
    /// The sum of every entry's counts.
    relations: usize,
}

impl NeighborList {
    fn new(entries: Vec<Neighbor>) -> NeighborList {
        NeighborList {
            nodes: entries.iter().map(|n| n.node).collect(),
            relations: entries.iter().map(|n| n.relations(&[])).sum(),
            entries,
        }
    }

    fn entries(&self) -> &[Neighbor] {
        &self.entries
    }

    fn position(&self, actor: ActorId) -> Result<usize, usize> {
        self.entries.binary_search_by_key(&actor, |n| n.actor)
    }

    fn insert(&mut self, at: usize, entry: Neighbor) {
        self.relations += entry.relations(&[]);
        self.nodes.insert(at, entry.node);
        self.entries.insert(at, entry);
    }

    fn remove(&mut self, at: usize) {
        if at < self.entries.len() {
            let old = self.entries.remove(at);
            self.nodes.remove(at);
            self.relations -= old.relations(&[]).min(self.relations);
        }
    }

    /// Replaces entry `at` with one for the same neighbour.
    fn replace(&mut self, at: usize, entry: Neighbor) {
        if let Some(old) = self.entries.get_mut(at) {
            self.relations =
                self.relations - old.relations(&[]).min(self.relations) + entry.relations(&[]);
            *old = entry;
            if let Some(node) = self.nodes.get_mut(at) {
                *node = entry.node;
            }
        }
    }

    fn clear(&mut self) {
        *self = NeighborList::default();
    }
}

/// Relation records per chunk of the slab.
const CHUNK: usize = 4096;

type Record = (Relation, Option<EdgeIndex>);

/// The relations: records in a slab (no per-entry overhead beyond the
/// record; freed slots are reused) and an id index into it. The slab grows
/// by fixed chunks, so a rebuild never moves a record once placed (a
/// doubling vector, or a hash map of records, would copy them all again at
/// each growth and need up to twice the memory).
#[derive(Debug, Default)]
struct Relations {
    chunks: Vec<Vec<Option<Record>>>,
    index: Map<RelationId, u32>,
    free: Vec<u32>,
}

impl Relations {
    fn len(&self) -> usize {
        self.index.len()
    }

    fn contains(&self, id: RelationId) -> bool {
        self.index.contains_key(&id)
    }

    fn slot(&self, slot: u32) -> Option<&Record> {
        let slot = slot as usize;
        self.chunks.get(slot / CHUNK)?.get(slot % CHUNK)?.as_ref()
    }

    fn slot_mut(&mut self, slot: u32) -> Option<&mut Option<Record>> {
        let slot = slot as usize;
        self.chunks.get_mut(slot / CHUNK)?.get_mut(slot % CHUNK)
    }

    fn get(&self, id: RelationId) -> Option<&Record> {
        self.slot(*self.index.get(&id)?)
    }

    /// Places a record in a free slot (or a new one) without indexing it.
    fn place(&mut self, record: Record) -> u32 {
        if let Some(slot) = self.free.pop() {
            if let Some(free) = self.slot_mut(slot) {
                *free = Some(record);
                return slot;
            }
        }
        if self.chunks.last().is_none_or(|c| c.len() == CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        let n = self.chunks.len() - 1;
        let last = &mut self.chunks[n];
        last.push(Some(record));
        (n * CHUNK + last.len() - 1) as u32
    }

    /// Adds a relation whose id is not present; returns its slot.
    fn insert(&mut self, rel: Relation, edge: Option<EdgeIndex>) -> u32 {
        let id = rel.id;
        let slot = self.place((rel, edge));
        self.index.insert(id, slot);
        slot
    }

    fn remove(&mut self, id: RelationId) -> Option<Record> {
        let slot = self.index.remove(&id)?;
        let record = self.slot_mut(slot)?.take();
        self.free.push(slot);
        record
    }

    fn values(&self) -> impl Iterator<Item = &Record> {
        self.chunks.iter().flatten().flatten()
    }
}

/// Nodes seen by a traversal: one flag per node index.
struct Seen(Vec<bool>);

impl Seen {
    fn new(bound: usize) -> Seen {
        Seen(vec![false; bound])
    }

    /// Marks a node; true when it was not marked before.
    fn insert(&mut self, node: NodeIndex) -> bool {
        match self.0.get_mut(node.index()) {
            Some(flag) if !*flag => {
                *flag = true;
                true
            }
            _ => false,
        }
    }
}

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

    fn neighbor_list(&self, actor: ActorId) -> &[Neighbor] {
        self.nodes
            .get(&actor)
            .and_then(|n| self.adjacency.get(n.index()))
            .map_or(&[], NeighborList::entries)
    }

    /// Where `node`'s neighbours are, in the order of [`Self::neighbors_of`].
    fn neighbor_nodes(&self, node: NodeIndex) -> &[NodeIndex] {
        self.adjacency
            .get(node.index())
            .map_or(&[], |list| list.nodes.as_slice())
    }

    fn neighbors_of(&self, node: NodeIndex) -> &[Neighbor] {
        self.adjacency
            .get(node.index())
            .map_or(&[], NeighborList::entries)
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

    /// The relations on a shortest chain from `from` to `to` (edges followed
    /// in either direction), at most `max_hops` long; `None` when there is
    /// no such chain or the search visited more than `budget` nodes (see
    /// [`GraphView::shortest_path_search`]).
    pub fn shortest_path(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        budget: usize,
    ) -> Option<Vec<&Relation>> {
        match self.shortest_path_search(from, to, max_hops, budget) {
            PathSearchOutcome::Found(path) => Some(path),
            PathSearchOutcome::NoPath | PathSearchOutcome::OverBudget => None,
        }
    }

    /// The relations on a shortest chain from `from` to `to` (edges followed
    /// in either direction), at most `max_hops` long, visiting at most
    /// `budget` nodes; says whether the budget ran out. Between two actors
    /// of the chain the relation with the smallest id stands for them all.
    ///
    /// Searches from both ends at once, always widening the smaller
    /// frontier: between two hubs of a dense graph that meets after a few
    /// hundred nodes where a one-sided search would visit them all.
    pub fn shortest_path_search(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        budget: usize,
    ) -> PathSearchOutcome<Vec<&Relation>> {
        let (Some(&start), Some(&goal)) = (self.nodes.get(&from), self.nodes.get(&to)) else {
            return PathSearchOutcome::NoPath;
        };
        if start == goal {
            return PathSearchOutcome::Found(Vec::new());
        }
        let bound = self.graph.node_bound();
        // The node each node was reached from, per side (`None`: unseen).
        let mut came: [Vec<Option<NodeIndex>>; 2] = [vec![None; bound], vec![None; bound]];
        came[0][start.index()] = Some(start);
        came[1][goal.index()] = Some(goal);
        let mut frontiers = [vec![start], vec![goal]];
        let (mut hops, mut visited) = (0usize, 2usize);
        let meeting = 'search: loop {
            if hops >= max_hops || frontiers.iter().any(Vec::is_empty) {
                return PathSearchOutcome::NoPath;
            }
            let side = usize::from(frontiers[1].len() < frontiers[0].len());
            let mut next = Vec::new();
            for node in std::mem::take(&mut frontiers[side]) {
                for &neighbor in self.neighbor_nodes(node) {
                    let i = neighbor.index();
                    if came[side].get(i).is_none_or(Option::is_some) {
                        continue;
                    }
                    came[side][i] = Some(node);
                    if came[1 - side][i].is_some() {
                        break 'search neighbor;
                    }
                    visited += 1;
                    if visited > budget {
                        return PathSearchOutcome::OverBudget;
                    }
                    next.push(neighbor);
                }
            }
            frontiers[side] = next;
            hops += 1;
        };
        // Walk back to each end from where the searches met.
        let walk = |side: usize| {
            let mut chain = vec![meeting];
            let mut at = meeting;
            while let Some(prev) = came[side][at.index()].filter(|p| *p != at) {
                chain.push(prev);
                at = prev;
            }
            chain
        };
        let mut chain = walk(0);
        chain.reverse();
        chain.extend(walk(1).into_iter().skip(1));
        PathSearchOutcome::Found(
            chain
                .windows(2)
                .filter_map(|pair| self.link(pair[0], pair[1]))
                .filter_map(|n| self.relation(n.first))
                .collect(),
        )
    }

    /// The neighbour entry of `b` in `a`'s list.
    fn link(&self, a: NodeIndex, b: NodeIndex) -> Option<&Neighbor> {
        let b = *self.graph.node_weight(b)?;
        let list = self.neighbors_of(a);
        list.binary_search_by_key(&b, |n| n.actor)
            .ok()
            .map(|i| &list[i])
    }

    /// The ego network of an actor: every actor within `depth` relations
    /// (either direction) and every relation among them, visiting at most
    /// `budget` actors. Relations without an object are included for the
    /// actors in the network.
    pub fn ego_network(&self, center: ActorId, depth: usize, budget: usize) -> Subgraph<'_> {
        let mut actors = BTreeSet::new();
        let Some(start) = self.nodes.get(&center) else {
            return Subgraph::default();
        };
        let mut queue = VecDeque::from([(*start, 0usize)]);
        actors.insert(center);
        while let Some((node, d)) = queue.pop_front() {
            if d >= depth {
                continue;
            }
            for next in self.neighbors_of(node) {
                if actors.len() >= budget {
                    break;
                }
                if actors.insert(next.actor) {
                    queue.push_back((next.node, d + 1));
                }
            }
        }
        let mut relations = BTreeSet::new();
        for actor in &actors {
            for rel in self.actor_relations_after(*actor, EdgeDirection::Out, None) {
                if rel.object.is_none_or(|o| actors.contains(&o)) {
                    relations.insert(rel.id);
                }
            }
        }
        Subgraph {
            actors: actors
                .iter()
                .filter_map(|id| self.actors.get(id).map(Arc::as_ref))
                .collect(),
            relations: relations
                .iter()
                .filter_map(|id| self.relation(*id))
                .collect(),
        }
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

    /// Actors by distance from `center` (hop 1, hop 2, ...; up to `depth`),
    /// following relations of the given kinds in either direction, with
    /// the number of relations traversed per hop. Stops after visiting
    /// `budget` actors (`truncated` says so).
    pub fn neighborhood(
        &self,
        center: ActorId,
        depth: usize,
        kinds: &[RelationKind],
        budget: usize,
    ) -> Neighborhood {
        self.neighborhood_within(center, depth, kinds, budget, usize::MAX)
            .unwrap_or_default()
    }

    /// [`Self::neighborhood`], or `None` as soon as it has read more than
    /// `max_scan` neighbour entries: a caller can answer small
    /// neighbourhoods where it is and move large ones elsewhere.
    pub fn neighborhood_within(
        &self,
        center: ActorId,
        depth: usize,
        kinds: &[RelationKind],
        budget: usize,
        max_scan: usize,
    ) -> Option<Neighborhood> {
        let mut result = Neighborhood::default();
        let Some(&start) = self.nodes.get(&center) else {
            return Some(result);
        };
        let mut seen = Seen::new(self.graph.node_bound());
        seen.insert(start);
        let mut visited = 1usize;
        let mut scanned = 0usize;
        let mut frontier = vec![start];
        for _ in 0..depth {
            let mut next: Vec<NodeIndex> = Vec::new();
            let mut relations = 0usize;
            for node in &frontier {
                let Some(list) = self.adjacency.get(node.index()) else {
                    continue;
                };
                scanned += list.nodes.len();
                if scanned > max_scan {
                    return None;
                }
                if kinds.is_empty() {
                    // Every neighbour is linked by some relation: only
                    // where each leads is read.
                    relations += list.relations;
                    for &neighbor in &list.nodes {
                        if visited >= budget {
                            result.truncated = true;
                            break;
                        }
                        if seen.insert(neighbor) {
                            visited += 1;
                            next.push(neighbor);
                        }
                    }
                    continue;
                }
                for neighbor in list.entries() {
                    let linking = neighbor.relations(kinds);
                    if linking == 0 {
                        continue;
                    }
                    relations += linking;
                    if visited >= budget {
                        result.truncated = true;
                        continue;
                    }
                    if seen.insert(neighbor.node) {
                        visited += 1;
                        next.push(neighbor.node);
                    }
                }
            }
            result.relations_per_hop.push(relations);
            result.hops.push(
                next.iter()
                    .filter_map(|n| self.graph.node_weight(*n).copied())
                    .collect(),
            );
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        Some(result)
    }

    /// Up to `limit` chains of relations from `from` to `to` with distinct
    /// actor sequences, shortest first, each at most `max_hops` long
    /// (relations followed in either direction). Gives up after `budget`
    /// steps of search.
    pub fn paths(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        limit: usize,
        budget: usize,
    ) -> Vec<Vec<&Relation>> {
        let (Some(&start), Some(&goal)) = (self.nodes.get(&from), self.nodes.get(&to)) else {
            return Vec::new();
        };
        if start == goal || limit == 0 {
            return Vec::new();
        }
        // Distances to the goal bound the search: a node at distance d
        // cannot finish a path with fewer than d hops left.
        let mut dist: Vec<Option<usize>> = vec![None; self.graph.node_bound()];
        dist[goal.index()] = Some(0);
        let mut queue = VecDeque::from([(goal, 0usize)]);
        let mut steps = 0usize;
        'bfs: while let Some((node, d)) = queue.pop_front() {
            if d >= max_hops {
                continue;
            }
            for &next in self.neighbor_nodes(node) {
                steps += 1;
                if steps > budget {
                    break 'bfs;
                }
                if let Some(slot @ None) = dist.get_mut(next.index()) {
                    *slot = Some(d + 1);
                    queue.push_back((next, d + 1));
                }
            }
        }
        let Some(shortest) = dist[start.index()] else {
            return Vec::new();
        };
        let mut search = PathSearch {
            view: self,
            goal,
            dist: &dist,
            on_path: vec![start],
            rels: Vec::new(),
            found: Vec::new(),
            limit,
            steps,
            budget,
        };
        for length in shortest..=max_hops {
            search.extend(start, length);
            if search.found.len() >= limit || search.steps > budget {
                break;
            }
        }
        search.found
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

    /// Adds one document's graph (evidence sentences that are slices of
    /// the text already emptied). The actors must already be merged records.
    pub(crate) fn insert_document(&mut self, graph: &DocumentGraph, actors: &[Actor]) {
        for actor in actors {
            self.put_actor(actor.clone());
        }
        let doc = &graph.document;
        self.by_sha.insert(doc.sha256.clone(), doc.id);
        self.by_file.insert(doc.file.clone(), doc.id);
        self.documents.insert(doc.id, doc.clone());
        let mentioned: Vec<ActorId> = graph.mentions.iter().map(|m| m.actor).collect();
        for actor in &mentioned {
            self.actor_docs.entry(*actor).or_default().insert(doc.id);
        }
        self.doc_mentions.insert(doc.id, mentioned);
        for event in &graph.events {
            self.insert_event(event.clone());
        }
        let mut rel_ids = Vec::with_capacity(graph.relations.len());
        for rel in &graph.relations {
            rel_ids.push(rel.id);
            self.insert_relation(rel.clone());
        }
        self.doc_relations.insert(doc.id, rel_ids);
    }

    fn insert_event(&mut self, event: Event) {
        let events = self.doc_events.entry(event.document).or_default();
        if !events.contains(&event.id) {
            events.push(event.id);
        }
        self.events.insert(event.id, event);
    }

    /// Removes one document and everything it alone contributed; actors in
    /// `dropped_actors` (no longer mentioned anywhere) are removed too.
    pub(crate) fn remove_document(&mut self, doc: DocumentId, dropped_actors: &[ActorId]) {
        if let Some(old) = self.documents.remove(&doc) {
            if self.by_sha.get(&old.sha256) == Some(&doc) {
                self.by_sha.remove(&old.sha256);
            }
            if self.by_file.get(&old.file) == Some(&doc) {
                self.by_file.remove(&old.file);
            }
        }
        for rel in self.doc_relations.remove(&doc).unwrap_or_default() {
            self.remove_relation(rel);
        }
        for event in self.doc_events.remove(&doc).unwrap_or_default() {
            if self.events.get(&event).is_some_and(|e| e.document == doc) {
                self.events.remove(&event);
            }
        }
        for actor in self.doc_mentions.remove(&doc).unwrap_or_default() {
            if let Some(docs) = self.actor_docs.get_mut(&actor) {
                docs.remove(&doc);
                if docs.is_empty() {
                    self.actor_docs.remove(&actor);
                }
            }
        }
        for actor in dropped_actors {
            self.remove_actor(*actor);
        }
    }

    pub(crate) fn put_actor(&mut self, actor: Actor) {
        if let Some(old) = self.actors.get(&actor.id) {
            let old_forms: Vec<String> = old.forms().map(fold).collect();
            self.unindex_names(actor.id, &old_forms);
        }
        for form in actor.forms() {
            self.by_name.entry(fold(form)).or_default().insert(actor.id);
        }
        if !self.nodes.contains_key(&actor.id) {
            let node = self.graph.add_node(actor.id);
            self.nodes.insert(actor.id, node);
            if self.adjacency.len() <= node.index() {
                self.adjacency
                    .resize_with(node.index() + 1, NeighborList::default);
            }
            // A reused index starts without neighbours.
            self.adjacency[node.index()].clear();
        }
        self.actors.insert(actor.id, Arc::new(actor));
    }

    fn unindex_names(&mut self, id: ActorId, forms: &[String]) {
        for form in forms {
            if let Some(ids) = self.by_name.get_mut(form) {
                ids.remove(&id);
                if ids.is_empty() {
                    self.by_name.remove(form);
                }
            }
        }
    }

    fn remove_actor(&mut self, id: ActorId) {
        if let Some(old) = self.actors.remove(&id) {
            let forms: Vec<String> = old.forms().map(fold).collect();
            self.unindex_names(id, &forms);
        }
        if let Some(node) = self.nodes.remove(&id) {
            self.graph.remove_node(node);
            if let Some(list) = self.adjacency.get_mut(node.index()) {
                list.clear();
            }
        }
        self.actor_relations.remove(&id);
        self.actor_docs.remove(&id);
    }

    pub(crate) fn insert_relation(&mut self, rel: Relation) {
        if self.relations.contains(rel.id) {
            self.remove_relation(rel.id);
        }
        let edge = match (self.nodes.get(&rel.subject), rel.object) {
            (Some(s), Some(o)) => self
                .nodes
                .get(&o)
                .map(|o| self.graph.add_edge(*s, *o, rel.id)),
            _ => None,
        };
        let (id, subject, object, kind) = (rel.id, rel.subject, rel.object, rel.kind);
        let slot = self.relations.insert(rel, edge);
        self.actor_relations
            .entry(subject)
            .or_default()
            .insert(id, slot);
        if let Some(o) = object {
            self.actor_relations.entry(o).or_default().insert(id, slot);
            if edge.is_some() && o != subject {
                self.link_pair(subject, o, kind, id);
            }
        }
        self.relation_order.insert(id);
    }

    /// Counts one more relation between `a` and `b` in both lists.
    fn link_pair(&mut self, a: ActorId, b: ActorId, kind: RelationKind, id: RelationId) {
        for (x, y) in [(a, b), (b, a)] {
            let (Some(&nx), Some(&ny)) = (self.nodes.get(&x), self.nodes.get(&y)) else {
                continue;
            };
            let Some(list) = self.adjacency.get_mut(nx.index()) else {
                continue;
            };
            match list.position(y) {
                Ok(i) => {
                    let mut entry = list.entries()[i];
                    entry.counts[slot(kind)] += 1;
                    entry.first = entry.first.min(id);
                    list.replace(i, entry);
                }
                Err(i) => {
                    let mut counts = [0; 3];
                    counts[slot(kind)] = 1;
                    list.insert(
                        i,
                        Neighbor {
                            actor: y,
                            node: ny,
                            counts,
                            first: id,
                        },
                    );
                }
            }
        }
    }

    /// Counts one relation less between `a` and `b` (already removed from
    /// the relation indexes).
    fn unlink_pair(&mut self, a: ActorId, b: ActorId, kind: RelationKind, id: RelationId) {
        let mut smallest = None;
        for (x, y) in [(a, b), (b, a)] {
            let Some(&nx) = self.nodes.get(&x) else {
                continue;
            };
            let Some(list) = self.adjacency.get(nx.index()) else {
                continue;
            };
            let Ok(i) = list.position(y) else {
                continue;
            };
            let mut entry = list.entries()[i];
            entry.counts[slot(kind)] = entry.counts[slot(kind)].saturating_sub(1);
            if entry.counts.iter().all(|c| *c == 0) {
                self.adjacency[nx.index()].remove(i);
                continue;
            }
            if entry.first == id {
                let first = *smallest.get_or_insert_with(|| {
                    self.relations_between(a, b)
                        .first()
                        .map_or(RelationId(u64::MAX), |r| r.id)
                });
                entry.first = first;
            }
            self.adjacency[nx.index()].replace(i, entry);
        }
    }

    fn remove_relation(&mut self, id: RelationId) {
        let Some((rel, edge)) = self.relations.remove(id) else {
            return;
        };
        self.relation_order.remove(&id);
        if let Some(edge) = edge {
            self.graph.remove_edge(edge);
        }
        for actor in std::iter::once(rel.subject).chain(rel.object) {
            if let Some(ids) = self.actor_relations.get_mut(&actor) {
                ids.remove(&id);
                if ids.is_empty() {
                    self.actor_relations.remove(&actor);
                }
            }
        }
        if let Some(o) = rel.object {
            if edge.is_some() && o != rel.subject {
                self.unlink_pair(rel.subject, o, rel.kind, id);
            }
        }
    }

    /// Every node's distinct neighbours, computed from all relations.
    fn neighbor_lists(&self) -> Vec<NeighborList> {
        let mut around: Vec<Map<ActorId, Neighbor>> = Vec::new();
        around.resize_with(self.graph.node_bound(), Map::default);
        for (rel, edge) in self.relations.values() {
            let Some(o) = rel.object.filter(|o| edge.is_some() && *o != rel.subject) else {
                continue;
            };
            for (x, y) in [(rel.subject, o), (o, rel.subject)] {
                let (Some(nx), Some(ny)) = (self.nodes.get(&x), self.nodes.get(&y)) else {
                    continue;
                };
                let Some(map) = around.get_mut(nx.index()) else {
                    continue;
                };
                let entry = map.entry(y).or_insert(Neighbor {
                    actor: y,
                    node: *ny,
                    counts: [0; 3],
                    first: rel.id,
                });
                entry.counts[slot(rel.kind)] += 1;
                entry.first = entry.first.min(rel.id);
            }
        }
        around
            .into_iter()
            .map(|map| {
                let mut list: Vec<Neighbor> = map.into_values().collect();
                list.sort_unstable_by_key(|n| n.actor);
                NeighborList::new(list)
            })
            .collect()
    }

    /// Checks the view's own invariants: every relation's endpoints exist,
    /// every edge has a relation, the per-actor and neighbour indexes agree
    /// with the relations. Returns one line per violation.
    pub fn check_invariants(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (rel, edge) in self.relations.values() {
            if !self.actors.contains_key(&rel.subject) {
                problems.push(format!(
                    "relation {} has missing subject {}",
                    rel.id, rel.subject
                ));
            }
            let slot = self.relations.index.get(&rel.id);
            let indexed = |actor: ActorId| {
                self.actor_relations
                    .get(&actor)
                    .and_then(|ids| ids.get(&rel.id))
                    .is_some_and(|s| Some(s) == slot)
            };
            if !indexed(rel.subject) || rel.object.is_some_and(|o| !indexed(o)) {
                problems.push(format!("relation {} is not indexed by its actors", rel.id));
            }
            if let Some(o) = rel.object {
                if !self.actors.contains_key(&o) {
                    problems.push(format!("relation {} has missing object {o}", rel.id));
                }
                if edge.is_none() {
                    problems.push(format!("relation {} has no graph edge", rel.id));
                }
            }
            if !self.documents.contains_key(&rel.document) {
                problems.push(format!("relation {} has missing document", rel.id));
            }
        }
        let indexed: usize = self.actor_relations.values().map(BTreeMap::len).sum();
        let sides: usize = self
            .relations
            .values()
            .map(|(r, _)| 1 + usize::from(r.object.is_some_and(|o| o != r.subject)))
            .sum();
        if indexed != sides || self.relation_order.len() != self.relations.len() {
            problems.push(format!(
                "actor relation index holds {indexed} entries for {sides} relation sides"
            ));
        }
        // The neighbour lists kept up to date equal ones made from scratch.
        let expected = self.neighbor_lists();
        let empty = NeighborList::default();
        let differing = (0..expected.len().max(self.adjacency.len()))
            .filter(|i| {
                expected.get(*i).unwrap_or(&empty) != self.adjacency.get(*i).unwrap_or(&empty)
            })
            .count();
        if differing > 0 {
            problems.push(format!(
                "the neighbour lists of {differing} nodes differ from the relations"
            ));
        }
        if self.graph.node_count() != self.actors.len() {
            problems.push(format!(
                "{} graph nodes for {} actors",
                self.graph.node_count(),
                self.actors.len()
            ));
        }
        problems
    }
}

/// The depth-first part of [`GraphView::paths`]: extends the chain in
/// `on_path` / `rels` towards the goal.
struct PathSearch<'a, 'd> {
    view: &'a GraphView,
    goal: NodeIndex,
    dist: &'d [Option<usize>],
    on_path: Vec<NodeIndex>,
    rels: Vec<RelationId>,
    found: Vec<Vec<&'a Relation>>,
    limit: usize,
    steps: usize,
    budget: usize,
}

impl PathSearch<'_, '_> {
    fn extend(&mut self, node: NodeIndex, left: usize) {
        if self.found.len() >= self.limit || self.steps > self.budget {
            return;
        }
        if node == self.goal {
            if left == 0 {
                let view = self.view;
                self.found
                    .push(self.rels.iter().filter_map(|r| view.relation(*r)).collect());
            }
            return;
        }
        // One relation per neighbour: paths differ by their actors.
        let view = self.view;
        for next in view.neighbors_of(node) {
            self.steps += 1;
            let too_far = self
                .dist
                .get(next.node.index())
                .copied()
                .flatten()
                .is_none_or(|d| left == 0 || d > left - 1);
            if too_far || self.on_path.contains(&next.node) {
                continue;
            }
            self.on_path.push(next.node);
            self.rels.push(next.first);
            self.extend(next.node, left - 1);
            self.on_path.pop();
            self.rels.pop();
            if self.found.len() >= self.limit || self.steps > self.budget {
                return;
            }
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

/// What the view keeps of a document's graph: its mentions only as actor
/// ids (the merged actor records hold the names). Made on the thread that
/// decoded the graph, so that the parts the view does not keep are freed
/// there, not by the thread building the view.
#[derive(Debug)]
pub(crate) struct ViewDocument {
    document: Document,
    mentioned: Vec<ActorId>,
    events: Vec<Event>,
    relations: Vec<Relation>,
}

impl From<DocumentGraph> for ViewDocument {
    fn from(graph: DocumentGraph) -> ViewDocument {
        ViewDocument {
            mentioned: graph.mentions.iter().map(|m| m.actor).collect(),
            document: graph.document,
            events: graph.events,
            relations: graph.relations,
        }
    }
}

/// Builds a view from whole documents at once: the rebuild on open.
///
/// Equivalent to `insert_document` for each document in turn, but the
/// records are moved in instead of cloned, and the indexes over all
/// relations (the id-ordered sets, per actor and overall, and the
/// neighbour lists) are built once at the end from sorted runs instead of
/// grown by millions of single inserts.
#[derive(Debug)]
pub(crate) struct ViewBuilder {
    view: GraphView,
    documents: Vec<(DocumentId, Document)>,
    /// Each actor's relations as slab slots (4 bytes each: the rebuild's
    /// largest temporary).
    sides: Map<ActorId, Vec<u32>>,
    /// Each relation's slot, in the order added.
    placed: Vec<(RelationId, u32)>,
}

impl ViewBuilder {
    /// Starts from a view that holds the actors (and nothing else).
    pub(crate) fn new(actors: GraphView) -> ViewBuilder {
        ViewBuilder {
            view: actors,
            documents: Vec::new(),
            sides: Map::default(),
            placed: Vec::new(),
        }
    }

    /// Adds one document.
    pub(crate) fn add(&mut self, document: ViewDocument) {
        let view = &mut self.view;
        let ViewDocument {
            document,
            mentioned,
            events,
            relations,
        } = document;
        let id = document.id;
        view.by_sha.insert(document.sha256.clone(), id);
        view.by_file.insert(document.file.clone(), id);
        self.documents.push((id, document));
        for actor in &mentioned {
            view.actor_docs.entry(*actor).or_default().insert(id);
        }
        view.doc_mentions.insert(id, mentioned);
        for event in events {
            view.insert_event(event);
        }
        let mut rel_ids = Vec::with_capacity(relations.len());
        for rel in relations {
            rel_ids.push(rel.id);
            let edge = match (view.nodes.get(&rel.subject), rel.object) {
                (Some(s), Some(o)) => view
                    .nodes
                    .get(&o)
                    .map(|o| view.graph.add_edge(*s, *o, rel.id)),
                _ => None,
            };
            let (id, subject, object) = (rel.id, rel.subject, rel.object);
            // Indexed in `finish`, at once.
            let slot = view.relations.place((rel, edge));
            self.placed.push((id, slot));
            self.sides.entry(subject).or_default().push(slot);
            if let Some(o) = object.filter(|o| *o != subject) {
                self.sides.entry(o).or_default().push(slot);
            }
        }
        view.doc_relations.insert(id, rel_ids);
    }

    /// The view. A key seen twice keeps its last value, as inserts would.
    pub(crate) fn finish(self) -> GraphView {
        let ViewBuilder {
            mut view,
            mut documents,
            sides,
            placed,
        } = self;
        // Stable sort: of equal keys the last added stays last, and
        // `BTreeMap::from_iter` keeps the last. The view held only actors.
        documents.sort_by_key(|(id, _)| *id);
        view.documents = documents.into_iter().collect();

        // The id index, sized once; a relation stored twice keeps the last.
        let mut index = Map::with_capacity_and_hasher(placed.len(), Default::default());
        for (id, slot) in placed {
            if let Some(old) = index.insert(id, slot) {
                // Emptied: the per-actor index below skips empty slots.
                if let Some(Some((_, Some(edge)))) = view.relations.slot_mut(old).map(|r| r.take())
                {
                    view.graph.remove_edge(edge);
                }
                view.relations.free.push(old);
            }
        }
        view.relations.index = index;

        // The three indexes over all relations only read the records: build
        // them side by side (a rebuild is mostly single-threaded otherwise).
        let (order, actor_relations, adjacency) = std::thread::scope(|scope| {
            let view = &view;
            let order = scope.spawn(move || {
                let mut ids: Vec<RelationId> = view.relations.index.keys().copied().collect();
                ids.sort_unstable();
                ids.into_iter().collect::<BTreeSet<RelationId>>()
            });
            let per_actor = scope.spawn(move || {
                let mut out: Map<ActorId, BTreeMap<RelationId, u32>> = Map::default();
                out.reserve(sides.len());
                for (actor, slots) in sides {
                    // A relation stored twice left its earlier slot empty.
                    let mut ids: Vec<(RelationId, u32)> = slots
                        .into_iter()
                        .filter_map(|slot| view.relations.slot(slot).map(|(r, _)| (r.id, slot)))
                        .collect();
                    ids.sort_unstable();
                    ids.dedup();
                    if !ids.is_empty() {
                        out.insert(actor, ids.into_iter().collect());
                    }
                }
                out
            });
            let adjacency = view.neighbor_lists();
            // A builder thread that panicked leaves its index empty, which
            // `check_invariants` (and `verify`) report.
            (
                order.join().unwrap_or_default(),
                per_actor.join().unwrap_or_default(),
                adjacency,
            )
        });
        view.relation_order = order;
        view.actor_relations = actor_relations;
        view.adjacency = adjacency;
        view
    }
}

/// A selection of the graph: some actors and relations among them.
#[derive(Debug, Default, Clone)]
pub struct Subgraph<'a> {
    /// The actors, in id order.
    pub actors: Vec<&'a Actor>,
    /// The relations, in id order.
    pub relations: Vec<&'a Relation>,
}
