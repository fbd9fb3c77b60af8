//! The `Relation` type and its evidence.

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use newsgraph_model as model;

use super::*;
use crate::error::internal;

/// The sentence that supports a relation.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(serial)]
pub struct Evidence {
    /// The sentence, exactly as in the text.
    pub sentence: String,
    /// Byte offset of the sentence's start in the document text.
    pub start: i64,
    /// Byte offset one past the sentence's end.
    pub end: i64,
}

/// A said / requested / rejected relation.
#[derive(Clone, Debug)]
pub struct Relation(pub(crate) model::Relation);

#[Object(serial)]
impl Relation {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(id_key(self.0.id.0))
    }
    /// What the relation asserts.
    async fn kind(&self) -> RelationKind {
        self.0.kind.into()
    }
    /// Who said, requested or rejected.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        Ok(reader(ctx)?.actor(self.0.subject).cloned().map(Actor))
    }
    /// Who was addressed, asked or rejected, when the text names them.
    async fn object(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        let view = reader(ctx)?;
        Ok(self
            .0
            .object
            .and_then(|o| view.actor(o))
            .cloned()
            .map(Actor))
    }
    /// The thing requested or rejected.
    async fn event(&self, ctx: &Context<'_>) -> Result<Option<Event>> {
        let view = reader(ctx)?;
        Ok(self.0.event.and_then(|e| view.event(e)).cloned().map(Event))
    }
    /// How sure extraction is of this relation, from 0 to 1: computed from
    /// the construction that found it, how far its subject was resolved,
    /// whether it quotes and whom or what it names (README, "Confidence").
    async fn confidence(&self) -> f64 {
        self.0.confidence.score()
    }
    /// How many distinct documents and outlets support this relation's
    /// subject, kind and object in the whole graph (see `relationGroups`).
    async fn corroboration(&self, ctx: &Context<'_>) -> Result<Corroboration> {
        let view = reader(ctx)?;
        let group = group_of(&**view, &self.0);
        Ok(corroboration(&**view, &group))
    }
    /// The document the evidence comes from.
    async fn document(&self, ctx: &Context<'_>) -> Result<Option<Document>> {
        Ok(reader(ctx)?
            .document(self.0.document)
            .cloned()
            .map(Document))
    }
    /// The supporting sentence and where it is.
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Evidence> {
        let sentence = ports(ctx)?
            .graph
            .sentence(&self.0)
            .map_err(|e| internal("reading an evidence sentence", e))?;
        Ok(Evidence {
            sentence,
            start: i64::from(self.0.evidence.span.start),
            end: i64::from(self.0.evidence.span.end),
        })
    }
    /// The quoted words, when the relation is a direct quote.
    async fn quote(&self) -> Option<&str> {
        self.0.quote.as_deref()
    }
}
