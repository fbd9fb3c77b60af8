//! The rebuild on open: a view made from every stored document at once.

use std::collections::{BTreeMap, BTreeSet};

use newsgraph_model::{ActorId, Document, DocumentGraph, DocumentId, Event, Relation, RelationId};

use crate::{GraphView, Map};

/// What the view keeps of a document's graph: its mentions only as actor
/// ids (the merged actor records hold the names). Made on the thread that
/// decoded the graph, so that the parts the view does not keep are freed
/// there, not by the thread building the view.
#[derive(Debug)]
pub struct ViewDocument {
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
pub struct ViewBuilder {
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
    pub fn new(actors: GraphView) -> ViewBuilder {
        ViewBuilder {
            view: actors,
            documents: Vec::new(),
            sides: Map::default(),
            placed: Vec::new(),
        }
    }

    /// Adds one document.
    pub fn add(&mut self, document: ViewDocument) {
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
    pub fn finish(self) -> GraphView {
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
