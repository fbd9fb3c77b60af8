//! `dot` and `export`: what a selection of the graph is, and its writers.

use async_graphql::{Context, Json, Object, Result, SimpleObject, ID};
use newsgraph_model as model;
use newsgraph_model::read::{EdgeDirection, Subgraph};
use newsgraph_model::{Confidence, DocumentId, RelationKind as ModelRelationKind};

use super::*;
use crate::export;
use crate::ports::Reader;
use crate::schema::{
    error, internal, limits, parse_confidence, parse_id, ports, ErrorCode, RelationKind,
};

/// What to draw or export: an ego network, a path, or a relation filter.
struct Selection {
    actor: Option<String>,
    depth: usize,
    from: Option<String>,
    to: Option<String>,
    max_hops: usize,
    kind: Option<ModelRelationKind>,
    subject: Option<String>,
    object: Option<String>,
    document: Option<DocumentId>,
    /// Relations below it are left out, with the actors only they brought.
    min_confidence: Option<Confidence>,
}

impl Selection {
    fn resolve<'a>(&self, view: &'a Reader<'_>, budget: usize) -> Result<Subgraph<'a>> {
        let selected = self.select(view, budget)?;
        Ok(match self.min_confidence {
            Some(min) => selected.at_least(min),
            None => selected,
        })
    }

    fn select<'a>(&self, view: &'a Reader<'_>, budget: usize) -> Result<Subgraph<'a>> {
        if let Some(actor) = &self.actor {
            let id = view.require_actor(actor)?;
            let mut ego = view.ego_network(id, self.depth, budget.min(2_000));
            if let Some(k) = self.kind {
                ego.relations.retain(|r| r.kind == k);
            }
            return Ok(ego);
        }
        if let (Some(from), Some(to)) = (&self.from, &self.to) {
            let from = view.require_actor(from)?;
            let to = view.require_actor(to)?;
            let path = view
                .shortest_path(from, to, self.max_hops, budget)
                .unwrap_or_default();
            return Ok(view.selection(path));
        }
        if self.kind.is_some()
            || self.subject.is_some()
            || self.object.is_some()
            || self.document.is_some()
        {
            let relations = filtered_relations(
                view,
                self.kind,
                self.subject.as_deref(),
                self.object.as_deref(),
                self.document,
            )?;
            let capped: Vec<_> = relations.into_iter().take(5_000).collect();
            return Ok(view.selection(capped));
        }
        Err(error(
            ErrorCode::BadUserInput,
            "choose what to draw: actor (ego network), from + to (a path), or kind/subject/object/document (a relation filter)",
        ))
    }
}

/// The relations a filter of `dot` or `export` selects, as the export
/// lists them (a document's in its text order).
fn filtered_relations<'a>(
    view: &'a Reader<'_>,
    kind: Option<ModelRelationKind>,
    subject: Option<&str>,
    object: Option<&str>,
    document: Option<DocumentId>,
) -> Result<Vec<&'a model::Relation>> {
    let subject = subject.map(|s| view.require_actor(s)).transpose()?;
    let object = object.map(|o| view.require_actor(o)).transpose()?;
    let candidates: Vec<&model::Relation> = match (subject, object, document) {
        (Some(s), _, _) => view.actor_relations(s, EdgeDirection::Out, kind),
        (None, Some(o), _) => view.actor_relations(o, EdgeDirection::In, kind),
        (None, None, Some(d)) => view.document_relations(d),
        (None, None, None) => view.relations().collect(),
    };
    Ok(candidates
        .into_iter()
        .filter(|r| kind.is_none_or(|k| r.kind == k))
        .filter(|r| object.is_none_or(|o| r.object == Some(o)))
        .filter(|r| document.is_none_or(|d| r.document == d))
        .collect())
}

/// The `dot` and `export` fields of the query root, flattened into it:
/// the same selection arguments, each field with its own writer.
pub(crate) struct Drawings;

/// A selection drawn as DOT.
fn write_dot(view: &Reader<'_>, sub: &Subgraph<'_>) -> Result<String> {
    export::with_evidence(view.source(), sub, export::to_dot)
        .map_err(|e| internal("reading evidence for DOT", e))
}

/// A selection in the JSON export format.
fn write_json(view: &Reader<'_>, sub: &Subgraph<'_>) -> Result<Json<serde_json::Value>> {
    export::with_evidence(view.source(), sub, |sub| {
        Json(export::to_json(&***view, sub))
    })
    .map_err(|e| internal("reading evidence for the export", e))
}

/// A selection as GraphML.
fn write_graphml(view: &Reader<'_>, sub: &Subgraph<'_>) -> Result<String> {
    export::with_evidence(view.source(), sub, |sub| {
        export::to_graphml(&export::Contents::of(&***view, sub))
    })
    .map_err(|e| internal("reading evidence for GraphML", e))
}

/// A selection as JSON Lines.
fn write_jsonl(view: &Reader<'_>, sub: &Subgraph<'_>) -> Result<String> {
    export::with_evidence(view.source(), sub, |sub| {
        export::to_jsonl(&export::Contents::of(&***view, sub))
    })
    .map_err(|e| internal("reading evidence for JSON Lines", e))
}

/// A file of a several-file export.
#[derive(SimpleObject, Debug, Clone)]
struct ExportFile {
    /// The file name, e.g. `nodes-actors.csv`.
    name: String,
    /// The file's whole text.
    content: String,
}

/// A selection as neo4j-admin import CSV files.
fn write_csv(view: &Reader<'_>, sub: &Subgraph<'_>) -> Result<Vec<ExportFile>> {
    let files = export::with_evidence(view.source(), sub, |sub| {
        export::to_csv(&export::Contents::of(&***view, sub))
    })
    .map_err(|e| internal("reading evidence for CSV", e))?;
    Ok(files
        .into_iter()
        .map(|f| ExportFile {
            name: f.name.to_owned(),
            content: f.content,
        })
        .collect())
}

/// Resolves the selection off the runtime and writes it with `write`.
async fn draw<T: Send + 'static>(
    ctx: &Context<'_>,
    selection: Selection,
    write: fn(&Reader<'_>, &Subgraph<'_>) -> Result<T>,
) -> Result<T> {
    let ports = ports(ctx)?.clone();
    let budget = limits(ctx).visit_budget;
    off_runtime(move || {
        let view = ports.reader();
        let sub = selection.resolve(&view, budget)?;
        write(&view, &sub)
    })
    .await
}

/// The fields of [`Drawings`]: each takes the selection arguments and
/// writes what they select with its writer.
macro_rules! drawings {
    ($($(#[doc = $doc:literal])* $field:ident -> $answer:ty = $write:ident;)*) => {
        #[Object(serial)]
        impl Drawings {
            $(
                $(#[doc = $doc])*
                #[allow(clippy::too_many_arguments)]
                async fn $field(
                    &self,
                    ctx: &Context<'_>,
                    actor: Option<String>,
                    #[graphql(default = 1)] depth: i32,
                    from: Option<String>,
                    to: Option<String>,
                    #[graphql(default = 6)] max_hops: i32,
                    kind: Option<RelationKind>,
                    subject: Option<String>,
                    object: Option<String>,
                    document: Option<ID>,
                    min_confidence: Option<f64>,
                ) -> Result<$answer> {
                    let selection = Selection {
                        actor,
                        depth: check_range(depth, MAX_DEPTH, "depth")?,
                        from,
                        to,
                        max_hops: check_range(max_hops, MAX_HOPS, "maxHops")?,
                        kind: kind.map(Into::into),
                        subject,
                        object,
                        document: document.map(|d| parse_id(&d, "document")).transpose()?,
                        min_confidence: parse_confidence(min_confidence)?,
                    };
                    draw(ctx, selection, $write).await
                }
            )*
        }
    };
}

drawings! {
    /// Graphviz DOT of a selection (the CLI's writer): an actor's ego
    /// network (`actor`, `depth`), the shortest path between two actors
    /// (`from`, `to`, `maxHops`), or the relations matching a filter
    /// (`kind`, `subject`, `object`, `document`); with `minConfidence`
    /// (0 to 1), without the relations less confident than that.
    dot -> String = write_dot;
    /// The same selections as `dot`, as JSON in the export format (the
    /// one `newsgraph export --format json` writes).
    export -> Json<serde_json::Value> = write_json;
    /// The same selections as `dot`, as GraphML (for Gephi, NetworkX,
    /// yEd; the one `newsgraph export --format graphml` writes): documents,
    /// actors and events as nodes; relations as edges from their subject to
    /// their object (or, without one, to their event, else their document),
    /// and documents' `mentions` and `reports` edges.
    graphml -> String = write_graphml;
    /// The same selections as `dot`, as CSV files in the layout
    /// `neo4j-admin database import` reads (the files `newsgraph export
    /// --format csv -o DIR` writes): `nodes-documents.csv`,
    /// `nodes-actors.csv`, `nodes-events.csv`, then
    /// `relationships-to-actors.csv`, `relationships-to-events.csv`,
    /// `relationships-to-documents.csv` (relations by what they point at, as
    /// in `graphml`), `relationships-mentions.csv` and
    /// `relationships-reports.csv`.
    csv -> Vec<ExportFile> = write_csv;
    /// The same selections as `dot`, as JSON Lines (the one `newsgraph
    /// export --format jsonl` writes): the records of `export`, one per
    /// line, each with a `type` (`document`, `actor`, `event`, then
    /// `relation`).
    jsonl -> String = write_jsonl;
}
