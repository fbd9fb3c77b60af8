//! Walks over the graph: shortest paths, every path up to a length,
//! neighbourhoods ring by ring, ego networks. Each has a budget of nodes
//! or steps, so a query over a hub cannot run away.

use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;

use newsgraph_model::{ActorId, Relation, RelationId, RelationKind};
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::NodeIndexable;

use crate::{EdgeDirection, GraphView, Neighborhood, PathSearchOutcome, Subgraph};

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

impl GraphView {
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
