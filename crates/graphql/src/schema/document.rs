//! The `Document` and `Event` types.

use std::collections::BTreeSet;

use async_graphql::{Context, Object, Result, ID};
use newsgraph_model as model;
use newsgraph_model::{ActorId, EventId, RelationKind as ModelRelationKind};

use super::*;
use crate::error::internal;
use crate::serial::Serial;

/// An ingested article.
#[derive(Clone, Debug)]
pub struct Document(pub(crate) model::Document);

#[Object(serial)]
impl Document {
    /// Stable id (16 hex digits).
    async fn id(&self) -> ID {
        ID(id_key(self.0.id.0))
    }
    /// File name as ingested.
    async fn file(&self) -> &str {
        &self.0.file
    }
    /// Headline.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The outlet, when known.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    /// Publication date (YYYY-MM-DD), when known.
    async fn published(&self) -> Option<&str> {
        self.0.published.as_deref()
    }
    /// Where the article was published (its feed's `url`), when known.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Who wrote the article (its feed's `author`), when known.
    async fn author(&self) -> Option<&str> {
        self.0.author.as_deref()
    }
    /// SHA-256 of the text.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// Size of the text in bytes.
    async fn bytes(&self) -> i64 {
        self.0.bytes as i64
    }
    /// Actors the document mentions.
    async fn actors(&self, ctx: &Context<'_>) -> Result<Serial<Actor>> {
        let view = reader(ctx)?;
        Ok(view
            .document_mentions(self.0.id)
            .into_iter()
            .cloned()
            .map(Actor)
            .collect())
    }
    /// Number of actors the document mentions.
    async fn actor_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.document_mentions(self.0.id).len() as i64)
    }
    /// Relations the document supports (text order by default), of one
    /// kind and at least `minConfidence` (0 to 1) confident.
    async fn relations(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
        min_confidence: Option<f64>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let view = reader(ctx)?;
        let kinds: Vec<ModelRelationKind> = kind.map(Into::into).into_iter().collect();
        let min = parse_confidence(min_confidence)?;
        let kept: Vec<&model::Relation> = view
            .document_relations(self.0.id)
            .into_iter()
            .filter(|r| kinds.is_empty() || kinds.contains(&r.kind))
            .filter(|r| min.is_none_or(|c| r.confidence >= c))
            .collect();
        // Text order: the evidence offset, then the id.
        let page = paginate(
            kept,
            |r| format!("{:010}:{}", r.evidence.span.start, r.id),
            first,
            after,
        )?;
        Ok(RelationConnection::from_page(page, |r| Relation(r.clone())))
    }
    /// Number of relations the document supports.
    async fn relation_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.document_relations(self.0.id).len() as i64)
    }
    /// Number of events the document reports.
    async fn event_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let view = reader(ctx)?;
        let events: BTreeSet<EventId> = view
            .document_relations(self.0.id)
            .iter()
            .filter_map(|r| r.event)
            .collect();
        Ok(events.len() as i64)
    }
    /// The article's text (evidence offsets point into it).
    async fn text(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        ports(ctx)?
            .graph
            .text(self.0.id)
            .map_err(|e| internal("reading a document's text", e))
    }
}

/// Something requested or rejected.
#[derive(Clone, Debug)]
pub struct Event(pub(crate) model::Event);

impl Event {
    fn actors_by(&self, ctx: &Context<'_>, kind: ModelRelationKind) -> Result<Serial<Actor>> {
        let view = reader(ctx)?;
        let ids: BTreeSet<ActorId> = view
            .document_relations(self.0.document)
            .into_iter()
            .filter(|r| r.event == Some(self.0.id) && r.kind == kind)
            .map(|r| r.subject)
            .collect();
        Ok(ids
            .into_iter()
            .filter_map(|id| view.actor(id).cloned())
            .map(Actor)
            .collect())
    }
}

#[Object(serial)]
impl Event {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(id_key(self.0.id.0))
    }
    /// The kind of relation that introduced it.
    async fn kind(&self) -> RelationKind {
        self.0.kind.into()
    }
    /// Short label from the text.
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// Date (YYYY-MM-DD), when the text gives one.
    async fn date(&self) -> Option<&str> {
        self.0.date.as_deref()
    }
    /// The reporting document.
    async fn document(&self, ctx: &Context<'_>) -> Result<Option<Document>> {
        Ok(reader(ctx)?
            .document(self.0.document)
            .cloned()
            .map(Document))
    }
    /// Who requested it.
    async fn requested_by(&self, ctx: &Context<'_>) -> Result<Serial<Actor>> {
        self.actors_by(ctx, ModelRelationKind::Requested)
    }
    /// Who rejected it.
    async fn rejected_by(&self, ctx: &Context<'_>) -> Result<Serial<Actor>> {
        self.actors_by(ctx, ModelRelationKind::Rejected)
    }
    /// Every relation about this event.
    async fn relations(&self, ctx: &Context<'_>) -> Result<Serial<Relation>> {
        let view = reader(ctx)?;
        Ok(view
            .document_relations(self.0.document)
            .into_iter()
            .filter(|r| r.event == Some(self.0.id))
            .cloned()
            .map(Relation)
            .collect())
    }
}
