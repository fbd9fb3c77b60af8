//! Export of a graph selection: JSON in the evaluation's export format,
//! Graphviz DOT, and formats for other tools (GraphML, CSV for
//! `neo4j-admin database import`, JSON Lines). The CLI and the GraphQL
//! `dot`, `export`, `graphml`, `csv` and `jsonl` fields share these writers.
//!
//! Every writer but DOT writes the same [`Contents`]: the selection's
//! actors and relations, and the documents and events they refer to. The
//! JSON and JSON Lines exports keep a relation as one record, whatever it
//! points at; the graph formats (GraphML, CSV) make it one edge from its
//! subject to its [`Target`]: the object, or for a relation without one its
//! event, or else its document, so that no relation is lost. They add two
//! kinds of edges for what JSON lists inside records: a document
//! `MENTIONS` the selected actors it names, and `REPORTS` its events.

mod csv;
mod graphml;
mod jsonl;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use newsgraph_model::read::{Graph, GraphSource, ReadError, Subgraph};
use newsgraph_model::{
    Actor, ActorId, ActorKind, Document, DocumentId, Event, EventId, Relation, RelationKind,
};
use serde_json::{json, Value};

pub use self::csv::{to_csv, CsvFile, CSV_FILES};
pub use self::graphml::{to_graphml, xml_escape};
pub use self::jsonl::to_jsonl;

/// What an export of a selection holds, in the order every writer lists it.
#[derive(Debug, Default, Clone)]
pub struct Contents<'a> {
    /// Documents that support a selected relation or mention a selected
    /// actor, in id order, each with the selected actors it mentions (in
    /// the order the document gives them).
    pub documents: Vec<(&'a Document, Vec<ActorId>)>,
    /// The selected actors.
    pub actors: Vec<&'a Actor>,
    /// The events of the selected relations, in id order.
    pub events: Vec<&'a Event>,
    /// The selected relations.
    pub relations: Vec<&'a Relation>,
}

impl<'a> Contents<'a> {
    /// The contents of `selection`, its documents and events read from `view`.
    pub fn of(view: &'a dyn Graph, selection: &Subgraph<'a>) -> Contents<'a> {
        let actor_ids: BTreeSet<_> = selection.actors.iter().map(|a| a.id).collect();
        let mut docs: BTreeSet<DocumentId> =
            selection.relations.iter().map(|r| r.document).collect();
        for actor in &selection.actors {
            docs.extend(view.actor_documents(actor.id).iter().map(|d| d.id));
        }
        let documents = docs
            .iter()
            .filter_map(|id| view.document(*id))
            .map(|d| {
                let mentions = view
                    .document_mentions(d.id)
                    .iter()
                    .map(|a| a.id)
                    .filter(|a| actor_ids.contains(a))
                    .collect();
                (d, mentions)
            })
            .collect();
        let event_ids: BTreeSet<EventId> =
            selection.relations.iter().filter_map(|r| r.event).collect();
        Contents {
            documents,
            actors: selection.actors.clone(),
            events: event_ids.iter().filter_map(|id| view.event(*id)).collect(),
            relations: selection.relations.clone(),
        }
    }
}

/// The node a relation's edge points at in the graph formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// The relation's object, when the text names one.
    Actor(ActorId),
    /// Otherwise the thing requested or rejected, when there is one.
    Event(EventId),
    /// Otherwise the document the relation was read in.
    Document(DocumentId),
}

impl Target {
    /// Where `relation`'s edge points.
    pub fn of(relation: &Relation) -> Target {
        match (relation.object, relation.event) {
            (Some(object), _) => Target::Actor(object),
            (None, Some(event)) => Target::Event(event),
            (None, None) => Target::Document(relation.document),
        }
    }
}

/// The JSON export (see `shared/eval/ANNOTATION.md`, "Export format").
///
/// Documents are those that support a selected relation or mention a
/// selected actor; each lists the selected actors it mentions.
pub fn to_json(view: &dyn Graph, selection: &Subgraph<'_>) -> Value {
    let contents = Contents::of(view, selection);
    let documents: Vec<Value> = contents
        .documents
        .iter()
        .map(|(d, mentions)| document_json(d, mentions.iter().map(ToString::to_string).collect()))
        .collect();
    let actors: Vec<Value> = contents.actors.iter().map(|a| actor_json(a)).collect();
    let events: Vec<Value> = contents.events.iter().map(|e| event_json(e)).collect();
    let relations: Vec<Value> = contents
        .relations
        .iter()
        .map(|r| relation_json(r))
        .collect();
    json!({"documents": documents, "actors": actors, "events": events, "relations": relations})
}

/// An actor as [`to_json`] writes it.
pub fn actor_json(actor: &Actor) -> Value {
    json!({"id": actor.id.to_string(), "name": actor.name, "kind": actor.kind.as_str(), "aliases": actor.aliases})
}

/// An event as [`to_json`] writes it.
pub fn event_json(event: &Event) -> Value {
    json!({"id": event.id.to_string(), "kind": event.kind.as_str(), "label": event.label,
           "date": event.date, "document": event.document.to_string()})
}

/// A relation as [`to_json`] writes it.
pub fn relation_json(r: &Relation) -> Value {
    json!({
        "id": r.id.to_string(),
        "subject": r.subject.to_string(),
        "relation": r.kind.as_str(),
        "object": r.object.map(|o| o.to_string()),
        "event": r.event.map(|e| e.to_string()),
        "document": r.document.to_string(),
        "evidence": r.evidence.sentence,
        "span": [r.evidence.span.start, r.evidence.span.end],
        "quote": r.quote,
        "confidence": r.confidence,
    })
}

/// A document as [`to_json`] writes it, with the ids of the actors it
/// mentions (in the order the document gives them).
pub fn document_json(document: &Document, mentions: Vec<String>) -> Value {
    json!({
        "id": document.id.to_string(),
        "file": document.file,
        "title": document.title,
        "source": document.source,
        "published": document.published,
        "url": document.url,
        "author": document.author,
        "sha256": document.sha256,
        "mentions": mentions,
    })
}

/// Runs `write` (one of the writers here) over `selection` with the
/// evidence sentences of its relations filled in: the view keeps only
/// their spans, and exports need the words.
pub fn with_evidence<T>(
    source: &dyn GraphSource,
    selection: &Subgraph<'_>,
    write: impl FnOnce(&Subgraph<'_>) -> T,
) -> Result<T, ReadError> {
    let full = source.with_sentences(&selection.relations)?;
    Ok(write(&Subgraph {
        actors: selection.actors.clone(),
        relations: full.iter().collect(),
    }))
}

/// Escapes a string for a double-quoted DOT string.
pub fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn shape(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Person => "ellipse",
        ActorKind::Organization => "box",
        ActorKind::Country => "hexagon",
        ActorKind::Group => "octagon",
    }
}

fn fill(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Person => "#fde2c8",
        ActorKind::Organization => "#d6e4f5",
        ActorKind::Country => "#d9f0d3",
        ActorKind::Group => "#eadcf2",
    }
}

/// The colour of a relation kind's edges.
pub fn edge_colour(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Said => "#4a6fa5",
        RelationKind::Requested => "#d9822b",
        RelationKind::Rejected => "#c23030",
    }
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// Graphviz DOT for a selection: actors as nodes shaped by kind, relations
/// with an object as edges coloured and labelled by kind (parallel ones
/// merged with a count), evidence sentences in tooltips. Relations without
/// an object are counted in their subject's tooltip.
pub fn to_dot(selection: &Subgraph<'_>) -> String {
    let mut out = String::from("digraph newsgraph {\n");
    out.push_str("  graph [rankdir=LR, overlap=false, splines=true, fontname=\"Helvetica\"];\n");
    out.push_str("  node [style=filled, fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    let mut solo: BTreeMap<_, BTreeMap<RelationKind, usize>> = BTreeMap::new();
    let mut edges: BTreeMap<(_, _, RelationKind), Vec<&str>> = BTreeMap::new();
    for r in &selection.relations {
        match r.object {
            Some(o) => edges
                .entry((r.subject, o, r.kind))
                .or_default()
                .push(&r.evidence.sentence),
            None => {
                *solo
                    .entry(r.subject)
                    .or_default()
                    .entry(r.kind)
                    .or_default() += 1
            }
        }
    }
    for a in &selection.actors {
        let mut tooltip = format!("{} ({})", a.name, a.kind.as_str());
        if !a.aliases.is_empty() {
            let _ = write!(tooltip, "\naliases: {}", a.aliases.join(", "));
        }
        if let Some(counts) = solo.get(&a.id) {
            for (kind, n) in counts {
                let _ = write!(tooltip, "\n{}: {n} without an addressee", kind.as_str());
            }
        }
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\", shape={}, fillcolor=\"{}\", tooltip=\"{}\"];",
            a.id,
            dot_escape(&a.name),
            shape(a.kind),
            fill(a.kind),
            dot_escape(&clip(&tooltip, 600))
        );
    }
    for ((s, o, kind), evidence) in &edges {
        let label = if evidence.len() > 1 {
            format!("{} ×{}", kind.as_str(), evidence.len())
        } else {
            kind.as_str().to_owned()
        };
        let tooltip: Vec<String> = evidence.iter().take(5).map(|e| clip(e, 300)).collect();
        let _ = writeln!(
            out,
            "  \"{s}\" -> \"{o}\" [label=\"{}\", color=\"{}\", fontcolor=\"{}\", tooltip=\"{}\"];",
            dot_escape(&label),
            edge_colour(*kind),
            edge_colour(*kind),
            dot_escape(&tooltip.join("\n\n"))
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use newsgraph_model::{Evidence, RelationId, Span};

    /// A small graph whose strings need escaping in every format: quotes,
    /// commas, a line break, `<&>`; a relation with an object and an
    /// event, and one with neither.
    pub(crate) struct Tricky {
        document: Document,
        actors: Vec<Actor>,
        event: Event,
        relations: Vec<Relation>,
    }

    impl Tricky {
        pub(crate) fn new() -> Tricky {
            let doc = DocumentId(0xd1);
            Tricky {
                document: Document {
                    id: doc,
                    file: "a,b.txt".into(),
                    title: "Title \"x\"".into(),
                    source: None,
                    published: Some("2024-01-02".into()),
                    sha256: "abc".into(),
                    bytes: 40,
                    url: None,
                    author: None,
                },
                actors: vec![
                    Actor {
                        id: ActorId(1),
                        name: "Smith, \"Jo\" <&>".into(),
                        kind: ActorKind::Person,
                        aliases: vec!["J.".into(), "Jo".into()],
                    },
                    Actor {
                        id: ActorId(2),
                        name: "NATO".into(),
                        kind: ActorKind::Organization,
                        aliases: vec![],
                    },
                ],
                event: Event {
                    id: EventId(0xe1),
                    kind: RelationKind::Requested,
                    label: "the <return> & \"rest\"".into(),
                    date: None,
                    document: doc,
                },
                relations: vec![
                    Relation {
                        id: RelationId(0xa1),
                        kind: RelationKind::Requested,
                        subject: ActorId(1),
                        object: Some(ActorId(2)),
                        event: Some(EventId(0xe1)),
                        document: doc,
                        evidence: Evidence {
                            sentence: "He said: \"go, now\"\nand left.".into(),
                            span: Span { start: 3, end: 29 },
                        },
                        quote: Some("go, now".into()),
                        confidence: newsgraph_model::Confidence::from_hundredths(85),
                    },
                    Relation {
                        id: RelationId(0xa2),
                        kind: RelationKind::Said,
                        subject: ActorId(2),
                        object: None,
                        event: None,
                        document: doc,
                        evidence: Evidence {
                            sentence: "Fine.".into(),
                            span: Span { start: 30, end: 35 },
                        },
                        quote: None,
                        confidence: newsgraph_model::Confidence::from_hundredths(5),
                    },
                ],
            }
        }

        pub(crate) fn contents(&self) -> Contents<'_> {
            Contents {
                documents: vec![(&self.document, vec![ActorId(1), ActorId(2)])],
                actors: self.actors.iter().collect(),
                events: vec![&self.event],
                relations: self.relations.iter().collect(),
            }
        }
    }

    #[test]
    fn a_relation_points_at_its_object_else_its_event_else_its_document() {
        let tricky = Tricky::new();
        let mut r = tricky.relations[0].clone();
        assert_eq!(Target::of(&r), Target::Actor(ActorId(2)));
        r.object = None;
        assert_eq!(Target::of(&r), Target::Event(EventId(0xe1)));
        r.event = None;
        assert_eq!(Target::of(&r), Target::Document(DocumentId(0xd1)));
    }

    #[test]
    fn dot_strings_are_escaped() {
        assert_eq!(dot_escape("a \"b\" \\ c\nd"), "a \\\"b\\\" \\\\ c\\nd");
    }

    #[test]
    fn empty_selection_is_a_valid_graph() {
        let dot = to_dot(&Subgraph::default());
        assert!(dot.starts_with("digraph newsgraph {"));
        assert!(dot.trim_end().ends_with('}'));
    }
}
