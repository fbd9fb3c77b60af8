//! The in-memory graph: a petgraph `StableGraph` with actors as nodes and
//! relations that have an object as edges, plus the indexes every query
//! needs (by name, by document, by direction). Rebuilt from sled on open and
//! kept in step with every write, so queries never touch the disk.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use newsgraph_model::{
    fold, Actor, ActorId, Document, DocumentGraph, DocumentId, Event, EventId, Relation,
    RelationId, RelationKind,
};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

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

/// The graph as queries see it.
#[derive(Debug, Default)]
pub struct GraphView {
    graph: StableGraph<ActorId, RelationId>,
    nodes: HashMap<ActorId, NodeIndex>,
    actors: HashMap<ActorId, Actor>,
    documents: BTreeMap<DocumentId, Document>,
    events: HashMap<EventId, Event>,
    relations: BTreeMap<RelationId, (Relation, Option<EdgeIndex>)>,
    doc_relations: HashMap<DocumentId, Vec<RelationId>>,
    doc_mentions: HashMap<DocumentId, Vec<ActorId>>,
    actor_docs: HashMap<ActorId, BTreeSet<DocumentId>>,
    out_relations: HashMap<ActorId, Vec<RelationId>>,
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
    pub fn actor(&self, id: ActorId) -> Option<&Actor> {
        self.actors.get(&id)
    }

    /// All actors, in id order.
    pub fn actors(&self) -> Vec<&Actor> {
        let mut all: Vec<&Actor> = self.actors.values().collect();
        all.sort_by_key(|a| a.id);
        all
    }

    /// Actors one of whose forms folds to `name`.
    pub fn actors_named(&self, name: &str) -> Vec<&Actor> {
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
        self.relations.get(&id).map(|(r, _)| r)
    }

    /// All relations, in id order.
    pub fn relations(&self) -> impl Iterator<Item = &Relation> {
        self.relations.values().map(|(r, _)| r)
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
    pub fn document_mentions(&self, doc: DocumentId) -> Vec<&Actor> {
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

    /// An actor's relations in one or both directions, optionally of one kind.
    pub fn actor_relations(
        &self,
        actor: ActorId,
        direction: EdgeDirection,
        kind: Option<RelationKind>,
    ) -> Vec<&Relation> {
        let mut ids: Vec<RelationId> = Vec::new();
        if matches!(direction, EdgeDirection::Out | EdgeDirection::Both) {
            ids.extend(self.out_relations.get(&actor).into_iter().flatten());
        }
        if matches!(direction, EdgeDirection::In | EdgeDirection::Both) {
            if let Some(node) = self.nodes.get(&actor) {
                ids.extend(
                    self.graph
                        .edges_directed(*node, Direction::Incoming)
                        .map(|e| *e.weight()),
                );
            }
        }
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.relation(id))
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .collect()
    }

    /// Actors one relation away (either direction), optionally via one kind.
    pub fn neighbors(&self, actor: ActorId, kind: Option<RelationKind>) -> Vec<&Actor> {
        let Some(node) = self.nodes.get(&actor) else {
            return Vec::new();
        };
        let mut seen = BTreeSet::new();
        for edge in self.graph.edges_directed(*node, Direction::Outgoing) {
            if self.edge_kind_matches(*edge.weight(), kind) {
                seen.insert(self.graph[edge.target()]);
            }
        }
        for edge in self.graph.edges_directed(*node, Direction::Incoming) {
            if self.edge_kind_matches(*edge.weight(), kind) {
                seen.insert(self.graph[edge.source()]);
            }
        }
        seen.remove(&actor);
        seen.into_iter()
            .filter_map(|id| self.actors.get(&id))
            .collect()
    }

    fn edge_kind_matches(&self, rel: RelationId, kind: Option<RelationKind>) -> bool {
        kind.is_none_or(|k| self.relation(rel).is_some_and(|r| r.kind == k))
    }

    /// The relations on a shortest chain from `from` to `to` (edges followed
    /// in either direction), at most `max_hops` long; `None` when there is
    /// no such chain. Visits at most `budget` nodes.
    pub fn shortest_path(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        budget: usize,
    ) -> Option<Vec<&Relation>> {
        let start = *self.nodes.get(&from)?;
        let goal = *self.nodes.get(&to)?;
        if start == goal {
            return Some(Vec::new());
        }
        let mut came_from: HashMap<NodeIndex, (NodeIndex, RelationId)> = HashMap::new();
        let mut queue = VecDeque::from([(start, 0usize)]);
        let mut visited = HashSet::from([start]);
        while let Some((node, depth)) = queue.pop_front() {
            if depth >= max_hops {
                continue;
            }
            let edges = self
                .graph
                .edges_directed(node, Direction::Outgoing)
                .map(|e| (e.target(), *e.weight()))
                .chain(
                    self.graph
                        .edges_directed(node, Direction::Incoming)
                        .map(|e| (e.source(), *e.weight())),
                );
            for (next, rel) in edges {
                if !visited.insert(next) {
                    continue;
                }
                if visited.len() > budget {
                    return None;
                }
                came_from.insert(next, (node, rel));
                if next == goal {
                    let mut path = Vec::new();
                    let mut at = goal;
                    while let Some((prev, rel)) = came_from.get(&at) {
                        path.extend(self.relation(*rel));
                        at = *prev;
                    }
                    path.reverse();
                    return Some(path);
                }
                queue.push_back((next, depth + 1));
            }
        }
        None
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
            for next in self.graph.neighbors_undirected(node) {
                if actors.len() >= budget {
                    break;
                }
                if actors.insert(self.graph[next]) {
                    queue.push_back((next, d + 1));
                }
            }
        }
        let mut relations = BTreeSet::new();
        for actor in &actors {
            for rel in self.actor_relations(*actor, EdgeDirection::Out, None) {
                if rel.object.is_none_or(|o| actors.contains(&o)) {
                    relations.insert(rel.id);
                }
            }
        }
        Subgraph {
            actors: actors.iter().filter_map(|id| self.actors.get(id)).collect(),
            relations: relations
                .iter()
                .filter_map(|id| self.relation(*id))
                .collect(),
        }
    }

    /// How many relations an actor takes part in (either side).
    pub fn degree(&self, actor: ActorId) -> usize {
        let out = self.out_relations.get(&actor).map_or(0, Vec::len);
        let inc = self.nodes.get(&actor).map_or(0, |n| {
            self.graph.edges_directed(*n, Direction::Incoming).count()
        });
        out + inc
    }

    /// Every relation between two actors, in either direction.
    pub fn relations_between(&self, a: ActorId, b: ActorId) -> Vec<&Relation> {
        self.actor_relations(a, EdgeDirection::Both, None)
            .into_iter()
            .filter(|r| {
                (r.subject == a && r.object == Some(b)) || (r.subject == b && r.object == Some(a))
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
        let mut result = Neighborhood::default();
        let Some(start) = self.nodes.get(&center) else {
            return result;
        };
        let mut seen = HashSet::from([*start]);
        let mut frontier = vec![*start];
        for _ in 0..depth {
            let mut next = Vec::new();
            let mut relations = 0usize;
            for node in &frontier {
                let edges = self
                    .graph
                    .edges_directed(*node, Direction::Outgoing)
                    .map(|e| (e.target(), *e.weight()))
                    .chain(
                        self.graph
                            .edges_directed(*node, Direction::Incoming)
                            .map(|e| (e.source(), *e.weight())),
                    );
                for (other, rel) in edges {
                    if !kinds.is_empty()
                        && !self.relation(rel).is_some_and(|r| kinds.contains(&r.kind))
                    {
                        continue;
                    }
                    relations += 1;
                    if seen.len() >= budget {
                        result.truncated = true;
                        continue;
                    }
                    if seen.insert(other) {
                        next.push(other);
                    }
                }
            }
            result.relations_per_hop.push(relations);
            result
                .hops
                .push(next.iter().map(|n| self.graph[*n]).collect());
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        result
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
        let mut dist: HashMap<NodeIndex, usize> = HashMap::from([(goal, 0)]);
        let mut queue = VecDeque::from([goal]);
        let mut steps = 0usize;
        while let Some(node) = queue.pop_front() {
            let d = dist[&node];
            if d >= max_hops {
                continue;
            }
            for next in self.graph.neighbors_undirected(node) {
                steps += 1;
                if steps > budget {
                    break;
                }
                dist.entry(next).or_insert_with(|| {
                    queue.push_back(next);
                    d + 1
                });
            }
        }
        let Some(&shortest) = dist.get(&start) else {
            return Vec::new();
        };
        let mut found: Vec<Vec<&Relation>> = Vec::new();
        for length in shortest..=max_hops {
            let mut on_path = vec![start];
            let mut rels: Vec<RelationId> = Vec::new();
            self.paths_of_length(
                start,
                goal,
                length,
                &dist,
                &mut on_path,
                &mut rels,
                &mut found,
                limit,
                &mut steps,
                budget,
            );
            if found.len() >= limit || steps > budget {
                break;
            }
        }
        found
    }

    #[allow(clippy::too_many_arguments)]
    fn paths_of_length<'a>(
        &'a self,
        node: NodeIndex,
        goal: NodeIndex,
        left: usize,
        dist: &HashMap<NodeIndex, usize>,
        on_path: &mut Vec<NodeIndex>,
        rels: &mut Vec<RelationId>,
        found: &mut Vec<Vec<&'a Relation>>,
        limit: usize,
        steps: &mut usize,
        budget: usize,
    ) {
        if found.len() >= limit || *steps > budget {
            return;
        }
        if node == goal {
            if left == 0 {
                found.push(rels.iter().filter_map(|r| self.relation(*r)).collect());
            }
            return;
        }
        let mut nexts: Vec<(NodeIndex, RelationId)> = self
            .graph
            .edges_directed(node, Direction::Outgoing)
            .map(|e| (e.target(), *e.weight()))
            .chain(
                self.graph
                    .edges_directed(node, Direction::Incoming)
                    .map(|e| (e.source(), *e.weight())),
            )
            .collect();
        // One relation per neighbour: paths differ by their actors.
        nexts.sort();
        nexts.dedup_by_key(|(n, _)| *n);
        for (next, rel) in nexts {
            *steps += 1;
            if left == 0 || on_path.contains(&next) || dist.get(&next).is_none_or(|d| *d > left - 1)
            {
                continue;
            }
            on_path.push(next);
            rels.push(rel);
            self.paths_of_length(
                next,
                goal,
                left - 1,
                dist,
                on_path,
                rels,
                found,
                limit,
                steps,
                budget,
            );
            on_path.pop();
            rels.pop();
            if found.len() >= limit || *steps > budget {
                return;
            }
        }
    }

    /// The `limit` actors with the most relations, most first.
    pub fn top_actors(&self, limit: usize) -> Vec<(&Actor, usize)> {
        let mut all: Vec<(&Actor, usize)> = self
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
            actors: actors.iter().filter_map(|id| self.actors.get(id)).collect(),
            relations,
        }
    }

    /// Every actor and relation (a whole-graph selection for export).
    pub fn everything(&self) -> Subgraph<'_> {
        Subgraph {
            actors: self.actors(),
            relations: self.relations().collect(),
        }
    }

    /// Adds one document's graph. The actors must already be merged records.
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
            self.events.insert(event.id, event.clone());
        }
        let mut rel_ids = Vec::with_capacity(graph.relations.len());
        for rel in &graph.relations {
            rel_ids.push(rel.id);
            self.insert_relation(rel.clone());
        }
        self.doc_relations.insert(doc.id, rel_ids);
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
        self.events.retain(|_, e| e.document != doc);
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
        }
        self.actors.insert(actor.id, actor);
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
        }
        self.out_relations.remove(&id);
        self.actor_docs.remove(&id);
    }

    pub(crate) fn insert_relation(&mut self, rel: Relation) {
        let edge = match (self.nodes.get(&rel.subject), rel.object) {
            (Some(s), Some(o)) => self
                .nodes
                .get(&o)
                .map(|o| self.graph.add_edge(*s, *o, rel.id)),
            _ => None,
        };
        self.out_relations
            .entry(rel.subject)
            .or_default()
            .push(rel.id);
        self.relations.insert(rel.id, (rel, edge));
    }

    fn remove_relation(&mut self, id: RelationId) {
        if let Some((rel, edge)) = self.relations.remove(&id) {
            if let Some(edge) = edge {
                self.graph.remove_edge(edge);
            }
            if let Some(out) = self.out_relations.get_mut(&rel.subject) {
                out.retain(|r| *r != id);
            }
        }
    }

    /// Checks the view's own invariants: every relation's endpoints exist,
    /// every edge has a relation. Returns one line per violation.
    pub fn check_invariants(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (rel, edge) in self.relations.values() {
            if !self.actors.contains_key(&rel.subject) {
                problems.push(format!(
                    "relation {} has missing subject {}",
                    rel.id, rel.subject
                ));
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
/// records are moved in instead of cloned, and the two ordered maps
/// (relations, documents) are bulk-loaded from one sorted run at the end
/// instead of grown by a million random inserts: on a 100,000-article
/// store that is most of the time of an open.
#[derive(Debug)]
pub(crate) struct ViewBuilder {
    view: GraphView,
    relations: Vec<(RelationId, (Relation, Option<EdgeIndex>))>,
    documents: Vec<(DocumentId, Document)>,
}

impl ViewBuilder {
    /// Starts from a view that holds the actors (and nothing else).
    pub(crate) fn new(actors: GraphView) -> ViewBuilder {
        ViewBuilder {
            view: actors,
            relations: Vec::new(),
            documents: Vec::new(),
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
            view.events.insert(event.id, event);
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
            view.out_relations
                .entry(rel.subject)
                .or_default()
                .push(rel.id);
            self.relations.push((rel.id, (rel, edge)));
        }
        view.doc_relations.insert(id, rel_ids);
    }

    /// The view. A key seen twice keeps its last value, as inserts would.
    pub(crate) fn finish(self) -> GraphView {
        let ViewBuilder {
            mut view,
            mut relations,
            mut documents,
        } = self;
        // Stable sorts: of equal keys the last added stays last, and
        // `BTreeMap::from_iter` keeps the last. The view held only actors.
        relations.sort_by_key(|(id, _)| *id);
        documents.sort_by_key(|(id, _)| *id);
        view.relations = relations.into_iter().collect();
        view.documents = documents.into_iter().collect();
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
