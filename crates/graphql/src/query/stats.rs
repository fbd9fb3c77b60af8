//! `stats`: how much the graph holds.

use async_graphql::{Context, Object, Result, SimpleObject};
use newsgraph_model as model;
use newsgraph_model::RelationKind as ModelRelationKind;

use crate::schema::{error, reader, Actor, ErrorCode};

/// A count per kind.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct KindCount {
    /// The kind, lowercase (`person`, `said`, ...).
    pub kind: String,
    /// How many.
    pub count: i64,
}

/// An actor with its number of relations.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct ActorDegree {
    /// The actor.
    pub actor: Actor,
    /// Relations it takes part in.
    pub degree: i64,
}

/// Counts of what the graph holds.
pub struct Stats;

#[Object(serial)]
impl Stats {
    /// Documents.
    async fn documents(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.document_count() as i64)
    }
    /// Actors.
    async fn actors(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.actor_count() as i64)
    }
    /// Relations.
    async fn relations(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.relation_count() as i64)
    }
    /// Events.
    async fn events(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.event_count() as i64)
    }
    /// Actors per kind.
    async fn actors_by_kind(&self, ctx: &Context<'_>) -> Result<Vec<KindCount>> {
        let view = reader(ctx)?;
        Ok(model::ActorKind::ALL
            .iter()
            .map(|k| KindCount {
                kind: k.as_str().to_owned(),
                count: view.actors().iter().filter(|a| a.kind == *k).count() as i64,
            })
            .collect())
    }
    /// Relations per kind.
    async fn relations_by_kind(&self, ctx: &Context<'_>) -> Result<Vec<KindCount>> {
        let view = reader(ctx)?;
        let mut counts = [0i64; 3];
        for r in view.relations() {
            counts[r.kind as usize] += 1;
        }
        Ok(ModelRelationKind::ALL
            .iter()
            .map(|k| KindCount {
                kind: k.as_str().to_owned(),
                count: counts[*k as usize],
            })
            .collect())
    }
    /// The actors with the most relations.
    async fn top_actors(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] limit: i32,
    ) -> Result<Vec<ActorDegree>> {
        if !(0..=1000).contains(&limit) {
            return Err(error(
                ErrorCode::LimitExceeded,
                "limit must be between 0 and 1000",
            ));
        }
        let view = reader(ctx)?;
        Ok(view
            .top_actors(limit as usize)
            .into_iter()
            .map(|(a, d)| ActorDegree {
                actor: Actor(a.clone()),
                degree: d as i64,
            })
            .collect())
    }
}
