//! Paths and neighbourhoods: their answer types and what their resolvers
//! share (range checks, moving a large search off the runtime).

use async_graphql::{Result, SimpleObject};
use newsgraph_model::read::Graph;
use newsgraph_model::{ActorId, RelationKind as ModelRelationKind};

use crate::schema::{error, internal, Actor, ErrorCode, Relation, RelationKind};
use crate::serial::Serial;

/// A chain of relations between two actors.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Path {
    /// Number of relations on the path.
    pub length: i32,
    /// The relations, from the first actor to the second, each with its
    /// evidence and document (provenance).
    pub relations: Serial<Relation>,
}

/// One ring of a neighbourhood.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Hop {
    /// Distance from the centre (1 = direct neighbours).
    pub depth: i32,
    /// Actors first reached at this distance.
    pub actor_count: i64,
    /// Relations followed from the previous ring.
    pub relation_count: i64,
    /// Up to 100 of the actors reached at this distance.
    pub actors: Vec<Actor>,
}

/// The actors around one actor, ring by ring.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Neighborhood {
    /// The centre.
    pub center: Actor,
    /// One entry per distance.
    pub hops: Vec<Hop>,
    /// Actors within the depth (without the centre).
    pub actor_count: i64,
    /// Whether the visit budget cut the search short.
    pub truncated: bool,
}

pub(super) fn kinds_of(kinds: Option<Vec<RelationKind>>) -> Vec<ModelRelationKind> {
    kinds
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect()
}

pub(super) fn check_range(value: i32, max: i32, name: &str) -> Result<usize> {
    if (0..=max).contains(&value) {
        Ok(value as usize)
    } else {
        Err(error(
            ErrorCode::LimitExceeded,
            format!("{name} must be between 0 and {max}, not {value}"),
        ))
    }
}

/// Nodes a shortest-path search may visit on the async runtime before it
/// is moved to a blocking thread.
pub(super) const INLINE_VISITS: usize = 2_000;

/// The answer for the neighbourhood `hood` of the actor `center`.
pub(super) fn neighborhood_answer(
    view: &dyn Graph,
    center: ActorId,
    hood: &newsgraph_model::read::Neighborhood,
) -> Result<Neighborhood> {
    let center = view
        .actor(center)
        .cloned()
        .ok_or_else(|| error(ErrorCode::NotFound, format!("no actor with id {center}")))?;
    let hops: Vec<Hop> = hood
        .hops
        .iter()
        .zip(&hood.relations_per_hop)
        .enumerate()
        .map(|(i, (ids, rels))| Hop {
            depth: i as i32 + 1,
            actor_count: ids.len() as i64,
            relation_count: *rels as i64,
            actors: ids
                .iter()
                .take(100)
                .filter_map(|a: &ActorId| view.actor(*a).cloned())
                .map(Actor)
                .collect(),
        })
        .collect();
    Ok(Neighborhood {
        center: Actor(center),
        actor_count: hops.iter().map(|h| h.actor_count).sum(),
        hops,
        truncated: hood.truncated,
    })
}

/// Runs a CPU-heavy graph task off the async runtime.
pub(super) async fn off_runtime<T: Send + 'static>(
    task: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(task)
        .await
        .map_err(|e| internal("a graph traversal", e))?
}
