//! Export of a graph selection: JSON in the evaluation's export format, and
//! Graphviz DOT. The CLI and the GraphQL `dot` field share these writers.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use newsgraph_model::read::{Graph, GraphSource, ReadError, Subgraph};
use newsgraph_model::{ActorKind, Document, DocumentId, RelationKind};
use serde_json::{json, Value};

/// The JSON export (see `shared/eval/ANNOTATION.md`, "Export format").
///
/// Documents are those that support a selected relation or mention a
/// selected actor; each lists the selected actors it mentions.
pub fn to_json(view: &dyn Graph, selection: &Subgraph<'_>) -> Value {
    let actor_ids: BTreeSet<_> = selection.actors.iter().map(|a| a.id).collect();
    let mut docs: BTreeSet<DocumentId> = selection.relations.iter().map(|r| r.document).collect();
    for actor in &selection.actors {
        docs.extend(view.actor_documents(actor.id).iter().map(|d| d.id));
    }
    let documents: Vec<Value> = docs
        .iter()
        .filter_map(|id| view.document(*id))
        .map(|d| {
            let mentions: Vec<String> = view
                .document_mentions(d.id)
                .iter()
                .filter(|a| actor_ids.contains(&a.id))
                .map(|a| a.id.to_string())
                .collect();
            document_json(d, mentions)
        })
        .collect();
    let actors: Vec<Value> = selection
        .actors
        .iter()
        .map(|a| json!({"id": a.id.to_string(), "name": a.name, "kind": a.kind.as_str(), "aliases": a.aliases}))
        .collect();
    let event_ids: BTreeSet<_> = selection.relations.iter().filter_map(|r| r.event).collect();
    let events: Vec<Value> = event_ids
        .iter()
        .filter_map(|id| view.event(*id))
        .map(|e| {
            json!({"id": e.id.to_string(), "kind": e.kind.as_str(), "label": e.label,
                   "date": e.date, "document": e.document.to_string()})
        })
        .collect();
    let relations: Vec<Value> = selection
        .relations
        .iter()
        .map(|r| {
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
            })
        })
        .collect();
    json!({"documents": documents, "actors": actors, "events": events, "relations": relations})
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
mod tests {
    use super::*;

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
