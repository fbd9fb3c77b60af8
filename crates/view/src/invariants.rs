//! The view's own consistency check.

use std::collections::BTreeMap;

use newsgraph_model::ActorId;

use crate::neighbors::NeighborList;
use crate::GraphView;

impl GraphView {
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
