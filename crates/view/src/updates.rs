//! Keeping the view in step with the store: a document added, replaced
//! or removed, an actor record rewritten.

use newsgraph_model::{
    fold, Actor, ActorId, DocumentGraph, DocumentId, Event, Relation, RelationId, RelationKind,
};
use std::sync::Arc;

use crate::neighbors::{slot, Neighbor, NeighborList};
use crate::GraphView;

impl GraphView {
    /// Adds one document's graph (evidence sentences that are slices of
    /// the text already emptied). The actors must already be merged records.
    pub fn insert_document(&mut self, graph: &DocumentGraph, actors: &[Actor]) {
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

    pub(crate) fn insert_event(&mut self, event: Event) {
        let events = self.doc_events.entry(event.document).or_default();
        if !events.contains(&event.id) {
            events.push(event.id);
        }
        self.events.insert(event.id, event);
    }

    /// Removes one document and everything it alone contributed; actors in
    /// `dropped_actors` (no longer mentioned anywhere) are removed too.
    pub fn remove_document(&mut self, doc: DocumentId, dropped_actors: &[ActorId]) {
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

    /// Adds an actor record, or replaces the record of the same id (its
    /// names re-indexed; its relations kept).
    pub fn put_actor(&mut self, actor: Actor) {
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
}
