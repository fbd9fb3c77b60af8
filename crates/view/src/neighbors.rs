//! Each actor's distinct neighbours: the lists traversals walk instead of
//! every relation.

use newsgraph_model::{ActorId, RelationId, RelationKind};
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::NodeIndexable;

use crate::{GraphView, Map};

/// Index of a relation kind in per-kind counters.
pub(crate) fn slot(kind: RelationKind) -> usize {
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
pub(crate) struct Neighbor {
    pub(crate) actor: ActorId,
    pub(crate) node: NodeIndex,
    pub(crate) counts: [u32; 3],
    pub(crate) first: RelationId,
}

impl Neighbor {
    /// Relations of the given kinds (all kinds when empty) linking the two.
    pub(crate) fn relations(&self, kinds: &[RelationKind]) -> usize {
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
pub(crate) struct NeighborList {
    pub(crate) entries: Vec<Neighbor>,
    /// `entries[i].node`, for each `i`.
    pub(crate) nodes: Vec<NodeIndex>,
    /// The sum of every entry's counts.
    pub(crate) relations: usize,
}

impl NeighborList {
    pub(crate) fn new(entries: Vec<Neighbor>) -> NeighborList {
        NeighborList {
            nodes: entries.iter().map(|n| n.node).collect(),
            relations: entries.iter().map(|n| n.relations(&[])).sum(),
            entries,
        }
    }

    pub(crate) fn entries(&self) -> &[Neighbor] {
        &self.entries
    }

    pub(crate) fn position(&self, actor: ActorId) -> Result<usize, usize> {
        self.entries.binary_search_by_key(&actor, |n| n.actor)
    }

    pub(crate) fn insert(&mut self, at: usize, entry: Neighbor) {
        self.relations += entry.relations(&[]);
        self.nodes.insert(at, entry.node);
        self.entries.insert(at, entry);
    }

    pub(crate) fn remove(&mut self, at: usize) {
        if at < self.entries.len() {
            let old = self.entries.remove(at);
            self.nodes.remove(at);
            self.relations -= old.relations(&[]).min(self.relations);
        }
    }

    /// Replaces entry `at` with one for the same neighbour.
    pub(crate) fn replace(&mut self, at: usize, entry: Neighbor) {
        if let Some(old) = self.entries.get_mut(at) {
            self.relations =
                self.relations - old.relations(&[]).min(self.relations) + entry.relations(&[]);
            *old = entry;
            if let Some(node) = self.nodes.get_mut(at) {
                *node = entry.node;
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        *self = NeighborList::default();
    }
}

impl GraphView {
    pub(crate) fn neighbor_list(&self, actor: ActorId) -> &[Neighbor] {
        self.nodes
            .get(&actor)
            .and_then(|n| self.adjacency.get(n.index()))
            .map_or(&[], NeighborList::entries)
    }

    /// Where `node`'s neighbours are, in the order of [`Self::neighbors_of`].
    pub(crate) fn neighbor_nodes(&self, node: NodeIndex) -> &[NodeIndex] {
        self.adjacency
            .get(node.index())
            .map_or(&[], |list| list.nodes.as_slice())
    }

    pub(crate) fn neighbors_of(&self, node: NodeIndex) -> &[Neighbor] {
        self.adjacency
            .get(node.index())
            .map_or(&[], NeighborList::entries)
    }

    /// The neighbour entry of `b` in `a`'s list.
    pub(crate) fn link(&self, a: NodeIndex, b: NodeIndex) -> Option<&Neighbor> {
        let b = *self.graph.node_weight(b)?;
        let list = self.neighbors_of(a);
        list.binary_search_by_key(&b, |n| n.actor)
            .ok()
            .map(|i| &list[i])
    }

    /// Every node's distinct neighbours, computed from all relations.
    pub(crate) fn neighbor_lists(&self) -> Vec<NeighborList> {
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
}
