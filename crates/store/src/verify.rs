//! `Store::verify`: the invariants a store must keep, checked against the
//! records on disk, a view rebuilt from them, and the live view.
//!
//! These are the crash test's checks, and `newsgraph verify` runs them on
//! any store:
//!
//! 1. every key is known and every value decodes; no document is stored
//!    under two keys; its text hashes to the document's SHA-256 and every
//!    evidence sentence is the text at its span;
//! 2. within a document: every relation's subject and object is among the
//!    document's mentions, every relation's event among its events; no
//!    relation or event id is used twice in the store;
//! 3. every mentioned actor has a record, and every actor record is
//!    mentioned by some document (no orphans);
//! 4. the view rebuilt from disk equals the stored records, and the live
//!    view equals it (documents, actors, events, relations);
//! 5. the view's indexes agree with the records: forward (subject ->
//!    relations) and reverse (object -> relations, the petgraph's incoming
//!    edges), neighbours (the petgraph's edges both ways), actor ->
//!    documents, document -> relations, file and content hash ->
//!    document; and the view's own invariants hold (every relation's
//!    endpoints are nodes, every edge has its relation).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use newsgraph_model::{
    content_sha256, Actor, ActorId, Document, DocumentGraph, DocumentId, EventId, RelationId,
};

use crate::{codec, keys, Store, StoreError};
use newsgraph_view::{EdgeDirection, GraphView};

/// Violations are reported one per line; past this many, only counted.
const MAX_REPORTED: usize = 200;

#[derive(Default)]
struct Report {
    lines: Vec<String>,
    more: usize,
}

impl Report {
    fn push(&mut self, line: String) {
        if self.lines.len() < MAX_REPORTED {
            self.lines.push(line);
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.more > 0 {
            self.lines
                .push(format!("... and {} more violations", self.more));
        }
        self.lines
    }
}

impl Store {
    /// Checks that sled's records, a view rebuilt from them, the live view
    /// and its indexes all agree (see the module doc of `verify.rs` for
    /// the list). Returns one line per violation; empty means consistent.
    /// Errors only when the store cannot be read at all.
    pub fn verify(&self) -> Result<Vec<String>, StoreError> {
        let mut report = Report::default();
        let records = self.check_records(&mut report)?;
        match self.load_view() {
            Ok((disk, _)) => {
                for line in disk.check_invariants() {
                    report.push(format!("rebuilt view: {line}"));
                }
                compare_views("rebuilt view", &disk, &records, &mut report);
            }
            Err(e) => report.push(format!("the view cannot be rebuilt from disk: {e}")),
        }
        let live = self.view();
        for line in live.check_invariants() {
            report.push(format!("live view: {line}"));
        }
        compare_views("live view", &live, &records, &mut report);
        check_indexes(&live, &records, &mut report);
        Ok(report.finish())
    }

    /// Reads every key, checks the records on their own (1-3) and returns
    /// them for the view checks.
    fn check_records(&self, report: &mut Report) -> Result<Records, StoreError> {
        let mut records = Records::default();
        let mut relation_ids: HashSet<RelationId> = HashSet::new();
        let mut event_ids: HashSet<EventId> = HashSet::new();
        let mut documents: Vec<(u64, DocumentGraph, String)> = Vec::new();
        for item in self.db.iter() {
            let (key, value) = item.map_err(|e| self.sled_err(e))?;
            let number = keys::first_id(&key).filter(|_| key.len() == 9);
            match (key.first().copied(), number) {
                (Some(keys::META), _) if key.as_ref() == keys::format().as_slice() => {}
                (Some(keys::DOCUMENT), Some(seq)) => match codec::decode_document(&value) {
                    Ok((graph, text)) => documents.push((seq, graph, text)),
                    Err(e) => report.push(format!("document key {seq}: {e}")),
                },
                (Some(keys::ACTOR), Some(id)) => match codec::decode::<Actor>(&value) {
                    Ok(actor) if actor.id.0 == id => {
                        records.actors.insert(actor.id, actor);
                    }
                    Ok(actor) => report.push(format!(
                        "actor record under key {} holds actor {}",
                        ActorId(id),
                        actor.id
                    )),
                    Err(e) => report.push(format!("actor {}: {e}", ActorId(id))),
                },
                _ => report.push(format!("unknown key {:02x?}", key.as_ref())),
            }
        }
        for (seq, graph, text) in documents {
            let id = graph.document.id;
            check_document(&graph, &text, &records.actors, report);
            for rel in &graph.relations {
                if !relation_ids.insert(rel.id) {
                    report.push(format!("relation id {} is used twice", rel.id));
                }
            }
            for event in &graph.events {
                if !event_ids.insert(event.id) {
                    report.push(format!("event id {} is used twice", event.id));
                }
            }
            if records.documents.insert(id, graph).is_some() {
                report.push(format!(
                    "document {id} is stored twice (the second time under key {seq})"
                ));
            }
        }
        let mentioned: HashSet<ActorId> = records
            .documents
            .values()
            .flat_map(|g| g.mentions.iter().map(|m| m.actor))
            .collect();
        for id in records.actors.keys() {
            if !mentioned.contains(id) {
                report.push(format!("actor {id} is mentioned by no document"));
            }
        }
        Ok(records)
    }
}

/// Everything on disk, decoded.
#[derive(Default)]
struct Records {
    documents: BTreeMap<DocumentId, DocumentGraph>,
    actors: BTreeMap<ActorId, Actor>,
}

fn check_document(
    graph: &DocumentGraph,
    text: &str,
    actors: &BTreeMap<ActorId, Actor>,
    report: &mut Report,
) {
    let doc = &graph.document;
    let (id, name) = (doc.id, &doc.file);
    if Document::id_for_file(name) != id {
        report.push(format!(
            "document {id} does not have the id of its file '{name}'"
        ));
    }
    if content_sha256(text) != doc.sha256 || text.len() as u64 != doc.bytes {
        report.push(format!(
            "document {id} ({name}): its text does not match its hash and length"
        ));
    }
    let mentioned: HashSet<ActorId> = graph.mentions.iter().map(|m| m.actor).collect();
    if mentioned.len() != graph.mentions.len() {
        report.push(format!("document {id} ({name}) mentions an actor twice"));
    }
    for actor in &mentioned {
        if !actors.contains_key(actor) {
            report.push(format!(
                "document {id} ({name}) mentions actor {actor}, which has no record"
            ));
        }
    }
    let events: HashSet<EventId> = graph.events.iter().map(|e| e.id).collect();
    for rel in &graph.relations {
        for endpoint in std::iter::once(rel.subject).chain(rel.object) {
            if !mentioned.contains(&endpoint) {
                report.push(format!(
                    "relation {} of document {id} ({name}) points at actor {endpoint}, which the document does not mention",
                    rel.id
                ));
            }
        }
        if let Some(event) = rel.event {
            if !events.contains(&event) {
                report.push(format!(
                    "relation {} of document {id} ({name}) points at missing event {event}",
                    rel.id
                ));
            }
        }
        let span = rel.evidence.span;
        if text.get(span.start as usize..span.end as usize) != Some(rel.evidence.sentence.as_str())
        {
            report.push(format!(
                "relation {} of document {id} ({name}): the evidence is not the text at its span",
                rel.id
            ));
        }
    }
}

/// The view holds exactly the stored records.
fn compare_views(which: &str, view: &GraphView, records: &Records, report: &mut Report) {
    let stored_relations: usize = records.documents.values().map(|g| g.relations.len()).sum();
    let stored_events: usize = records.documents.values().map(|g| g.events.len()).sum();
    let counts = (
        view.document_count(),
        view.actor_count(),
        view.relation_count(),
        view.event_count(),
    );
    let expected = (
        records.documents.len(),
        records.actors.len(),
        stored_relations,
        stored_events,
    );
    if counts != expected {
        report.push(format!(
            "{which} has {counts:?} (documents, actors, relations, events); disk has {expected:?}"
        ));
    }
    for (id, graph) in &records.documents {
        if view.document(*id) != Some(&graph.document) {
            report.push(format!("{which}: document {id} differs from disk"));
        }
        for rel in &graph.relations {
            // The view keeps sentences that are slices of the text as spans.
            let same = view.relation(rel.id).is_some_and(|held| {
                held == rel
                    || (held.evidence.sentence.is_empty() && {
                        let mut full = held.clone();
                        full.evidence.sentence.clone_from(&rel.evidence.sentence);
                        full == *rel
                    })
            });
            if !same {
                report.push(format!("{which}: relation {} differs from disk", rel.id));
            }
        }
        for event in &graph.events {
            if view.event(event.id) != Some(event) {
                report.push(format!("{which}: event {} differs from disk", event.id));
            }
        }
    }
    for (id, actor) in &records.actors {
        if view.actor(*id).map(Arc::as_ref) != Some(actor) {
            report.push(format!("{which}: actor {id} differs from disk"));
        }
    }
}

/// What the records say each actor's indexes should hold.
#[derive(Default)]
struct ActorIndexes {
    out: HashMap<ActorId, BTreeSet<RelationId>>,
    inc: HashMap<ActorId, BTreeSet<RelationId>>,
    neighbors: HashMap<ActorId, BTreeSet<ActorId>>,
    docs_of: HashMap<ActorId, BTreeSet<DocumentId>>,
}

impl ActorIndexes {
    fn of(records: &Records) -> ActorIndexes {
        let mut expected = ActorIndexes::default();
        for (id, graph) in &records.documents {
            for mention in &graph.mentions {
                expected
                    .docs_of
                    .entry(mention.actor)
                    .or_default()
                    .insert(*id);
            }
            for rel in &graph.relations {
                expected.out.entry(rel.subject).or_default().insert(rel.id);
                if let Some(object) = rel.object {
                    expected.inc.entry(object).or_default().insert(rel.id);
                    if object != rel.subject {
                        let neighbors = &mut expected.neighbors;
                        neighbors.entry(rel.subject).or_default().insert(object);
                        neighbors.entry(object).or_default().insert(rel.subject);
                    }
                }
            }
        }
        expected
    }
}

/// The live view's document indexes agree with one document's record.
fn check_document_indexes(
    view: &GraphView,
    id: DocumentId,
    graph: &DocumentGraph,
    report: &mut Report,
) {
    let indexed: Vec<RelationId> = view.document_relations(id).iter().map(|r| r.id).collect();
    let stored: Vec<RelationId> = graph.relations.iter().map(|r| r.id).collect();
    if indexed != stored {
        report.push(format!(
            "document {id}: the document -> relations index differs from its record"
        ));
    }
    let doc = &graph.document;
    if view.document_by_file(&doc.file).map(|d| d.id) != Some(id) {
        report.push(format!(
            "document {id}: the file index does not find it by '{}'",
            doc.file
        ));
    }
    if view
        .document_by_sha(&doc.sha256)
        .is_none_or(|d| d.sha256 != doc.sha256)
    {
        report.push(format!(
            "document {id}: the content index does not find its hash"
        ));
    }
}

/// The live view's indexes agree with the records.
fn check_indexes(view: &GraphView, records: &Records, report: &mut Report) {
    for (id, graph) in &records.documents {
        check_document_indexes(view, *id, graph, report);
    }
    let ActorIndexes {
        out,
        inc,
        neighbors,
        docs_of,
    } = ActorIndexes::of(records);
    let empty_rel = BTreeSet::new();
    let empty_actor = BTreeSet::new();
    let empty_doc = BTreeSet::new();
    for id in records.actors.keys() {
        let ids = |direction| -> BTreeSet<RelationId> {
            view.actor_relations(*id, direction, None)
                .iter()
                .map(|r| r.id)
                .collect()
        };
        if ids(EdgeDirection::Out) != *out.get(id).unwrap_or(&empty_rel) {
            report.push(format!(
                "actor {id}: the forward index (subject -> relations) differs from the records"
            ));
        }
        if ids(EdgeDirection::In) != *inc.get(id).unwrap_or(&empty_rel) {
            report.push(format!(
                "actor {id}: the reverse index (object -> relations, graph in-edges) differs from the records"
            ));
        }
        let around: BTreeSet<ActorId> = view.neighbors(*id, None).iter().map(|a| a.id).collect();
        if around != *neighbors.get(id).unwrap_or(&empty_actor) {
            report.push(format!(
                "actor {id}: the graph's edges give other neighbours than the records"
            ));
        }
        let documents: BTreeSet<DocumentId> =
            view.actor_documents(*id).iter().map(|d| d.id).collect();
        if documents != *docs_of.get(id).unwrap_or(&empty_doc) {
            report.push(format!(
                "actor {id}: the actor -> documents index differs from the records"
            ));
        }
    }
    for (actor, rels) in &out {
        if !records.actors.contains_key(actor) {
            report.push(format!(
                "{} relations have subject {actor}, which has no record",
                rels.len()
            ));
        }
    }
    for (actor, rels) in &inc {
        if !records.actors.contains_key(actor) {
            report.push(format!(
                "{} relations have object {actor}, which has no record",
                rels.len()
            ));
        }
    }
}
