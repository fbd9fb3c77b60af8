//! The view as the read port ([`Graph`]): the lookups and traversals
//! readers ask for, and the choice of index for a relation filter.

use std::sync::Arc;

use newsgraph_model::read::{
    EdgeDirection, Graph, Neighborhood, PathSearchOutcome, RelationFilter, Subgraph,
};
use newsgraph_model::{
    Actor, ActorId, Document, DocumentId, Event, EventId, Relation, RelationId, RelationKind,
};

use crate::GraphView;

impl GraphView {
    /// Relations in id order after `after` from the narrowest index that
    /// holds every relation `filter` admits: an actor's relations (for a
    /// counterpart in both directions, those of whichever of the two has
    /// fewer), a subject's or an object's, a document's, or all.
    pub fn relation_candidates(
        &self,
        filter: &RelationFilter,
        after: Option<RelationId>,
    ) -> Box<dyn Iterator<Item = &Relation> + '_> {
        let actor = match (filter.actor, filter.subject, filter.object) {
            (Some((actor, EdgeDirection::Both)), _, _) => {
                let fewer = filter
                    .counterpart
                    .filter(|other| self.degree(*other) < self.degree(actor));
                Some((fewer.unwrap_or(actor), EdgeDirection::Both))
            }
            (Some(actor), _, _) => Some(actor),
            (None, Some(subject), _) => Some((subject, EdgeDirection::Out)),
            (None, None, Some(object)) => Some((object, EdgeDirection::In)),
            (None, None, None) => None,
        };
        match (actor, filter.document) {
            (Some((actor, direction)), _) => {
                Box::new(self.actor_relations_after(actor, direction, after))
            }
            (None, Some(document)) => {
                let mut relations = self.document_relations(document);
                relations.retain(|r| after.is_none_or(|after| r.id > after));
                relations.sort_unstable_by_key(|r| r.id);
                Box::new(relations.into_iter())
            }
            (None, None) => Box::new(self.relations_after(after)),
        }
    }
}

impl Graph for GraphView {
    fn actor_count(&self) -> usize {
        GraphView::actor_count(self)
    }
    fn document_count(&self) -> usize {
        GraphView::document_count(self)
    }
    fn relation_count(&self) -> usize {
        GraphView::relation_count(self)
    }
    fn event_count(&self) -> usize {
        GraphView::event_count(self)
    }
    fn actor(&self, id: ActorId) -> Option<&Arc<Actor>> {
        GraphView::actor(self, id)
    }
    fn actors(&self) -> Vec<&Arc<Actor>> {
        GraphView::actors(self)
    }
    fn actors_named(&self, name: &str) -> Vec<&Arc<Actor>> {
        GraphView::actors_named(self, name)
    }
    fn degree(&self, actor: ActorId) -> usize {
        GraphView::degree(self, actor)
    }
    fn neighbors(&self, actor: ActorId, kind: Option<RelationKind>) -> Vec<&Arc<Actor>> {
        GraphView::neighbors(self, actor, kind)
    }
    fn top_actors(&self, limit: usize) -> Vec<(&Arc<Actor>, usize)> {
        GraphView::top_actors(self, limit)
    }
    fn document(&self, id: DocumentId) -> Option<&Document> {
        GraphView::document(self, id)
    }
    fn document_by_file(&self, file: &str) -> Option<&Document> {
        GraphView::document_by_file(self, file)
    }
    fn documents(&self) -> Box<dyn Iterator<Item = &Document> + '_> {
        Box::new(GraphView::documents(self))
    }
    fn document_mentions(&self, doc: DocumentId) -> Vec<&Arc<Actor>> {
        GraphView::document_mentions(self, doc)
    }
    fn document_relations(&self, doc: DocumentId) -> Vec<&Relation> {
        GraphView::document_relations(self, doc)
    }
    fn actor_documents(&self, actor: ActorId) -> Vec<&Document> {
        GraphView::actor_documents(self, actor)
    }
    fn event(&self, id: EventId) -> Option<&Event> {
        GraphView::event(self, id)
    }
    fn events(&self) -> Vec<&Event> {
        GraphView::events(self)
    }
    fn relations(&self) -> Box<dyn Iterator<Item = &Relation> + '_> {
        Box::new(GraphView::relations(self))
    }
    fn actor_relations(
        &self,
        actor: ActorId,
        direction: EdgeDirection,
        kind: Option<RelationKind>,
    ) -> Vec<&Relation> {
        GraphView::actor_relations(self, actor, direction, kind)
    }
    fn relation_candidates(
        &self,
        filter: &RelationFilter,
        after: Option<RelationId>,
    ) -> Box<dyn Iterator<Item = &Relation> + '_> {
        GraphView::relation_candidates(self, filter, after)
    }
    fn shortest_path_search(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        budget: usize,
    ) -> PathSearchOutcome<Vec<&Relation>> {
        GraphView::shortest_path_search(self, from, to, max_hops, budget)
    }
    fn shortest_path(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        budget: usize,
    ) -> Option<Vec<&Relation>> {
        GraphView::shortest_path(self, from, to, max_hops, budget)
    }
    fn paths(
        &self,
        from: ActorId,
        to: ActorId,
        max_hops: usize,
        limit: usize,
        budget: usize,
    ) -> Vec<Vec<&Relation>> {
        GraphView::paths(self, from, to, max_hops, limit, budget)
    }
    fn neighborhood_within(
        &self,
        center: ActorId,
        depth: usize,
        kinds: &[RelationKind],
        budget: usize,
        max_scan: usize,
    ) -> Option<Neighborhood> {
        GraphView::neighborhood_within(self, center, depth, kinds, budget, max_scan)
    }
    fn neighborhood(
        &self,
        center: ActorId,
        depth: usize,
        kinds: &[RelationKind],
        budget: usize,
    ) -> Neighborhood {
        GraphView::neighborhood(self, center, depth, kinds, budget)
    }
    fn ego_network(&self, center: ActorId, depth: usize, budget: usize) -> Subgraph<'_> {
        GraphView::ego_network(self, center, depth, budget)
    }
    fn selection<'a>(&'a self, relations: Vec<&'a Relation>) -> Subgraph<'a> {
        GraphView::selection(self, relations)
    }
}
