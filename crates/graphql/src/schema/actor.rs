//! The `Actor` type.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, ID};
use newsgraph_model as model;
use newsgraph_model::read::{EdgeDirection, RelationFilter};
use newsgraph_model::RelationKind as ModelRelationKind;

use super::*;
use crate::serial::Serial;

/// A person, organization, country or group.
#[derive(Clone, Debug)]
pub struct Actor(pub(crate) Arc<model::Actor>);

impl Actor {
    fn relation_list(
        &self,
        ctx: &Context<'_>,
        args: RelationArgs,
        page: PageArgs,
    ) -> Result<RelationConnection> {
        let view = reader(ctx)?;
        let counterpart = args
            .counterpart
            .map(|c| view.require_actor(&c))
            .transpose()?;
        let filter = RelationFilter {
            kinds: args.kinds,
            actor: Some((self.0.id, args.direction)),
            counterpart,
            since: parse_date(args.since, "since")?,
            until: parse_date(args.until, "until")?,
            search: args.search,
            min_confidence: parse_confidence(args.min_confidence)?,
            ..RelationFilter::default()
        };
        let sort = args.sort.unwrap_or_default();
        relations_of(&view, filter, sort, page.first, page.after)
    }
}

#[Object(serial)]
impl Actor {
    /// Stable id (16 hex digits).
    async fn id(&self) -> ID {
        ID(id_key(self.0.id.0))
    }
    /// Canonical name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of actor this is.
    async fn kind(&self) -> ActorKind {
        self.0.kind.into()
    }
    /// Other names seen for this actor (spellings, titles, metonyms).
    async fn aliases(&self) -> &[String] {
        &self.0.aliases
    }
    /// Number of relations the actor takes part in (either side).
    async fn degree(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(reader(ctx)?.degree(self.0.id) as i64)
    }
    /// Documents that mention this actor, optionally within a date range.
    async fn mentions(
        &self,
        ctx: &Context<'_>,
        since: Option<String>,
        until: Option<String>,
        sort: Option<DocumentSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<DocumentConnection> {
        let view = reader(ctx)?;
        let docs = view.actor_documents(self.0.id);
        let args = DocumentArgs {
            since,
            until,
            search: None,
            sort,
        };
        document_page(docs, args, PageArgs { first, after })
    }
    /// This actor's relations: as subject (OUT), as object (IN) or both,
    /// filtered by kind, counterpart actor (name, alias or id), the
    /// document's publication date, text in the evidence and confidence
    /// (`minConfidence`, from 0 to 1).
    #[allow(clippy::too_many_arguments)]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Direction::Both")] direction: Direction,
        kind: Option<RelationKind>,
        counterpart: Option<String>,
        since: Option<String>,
        until: Option<String>,
        search: Option<String>,
        min_confidence: Option<f64>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let args = RelationArgs {
            direction: direction.into(),
            kinds: kind.map(Into::into).into_iter().collect(),
            counterpart,
            since,
            until,
            search,
            min_confidence,
            sort,
        };
        self.relation_list(ctx, args, PageArgs { first, after })
    }
    /// `requests`, `requestsReceived`, `rejections`, `rejectionsReceived`
    /// and `statements` (see [`KindLists`]).
    #[graphql(flatten)]
    async fn kind_lists(&self) -> KindLists {
        KindLists(self.clone())
    }
    /// Every relation between this actor and another (name, alias or id),
    /// in both directions, with evidence; `minConfidence` (0 to 1) keeps
    /// only relations at least that confident.
    #[allow(clippy::too_many_arguments)]
    async fn interactions(
        &self,
        ctx: &Context<'_>,
        with: String,
        kind: Option<RelationKind>,
        min_confidence: Option<f64>,
        sort: Option<RelationSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let view = reader(ctx)?;
        let other = view.require_actor(&with)?;
        // The graph reads whichever side has fewer relations.
        let filter = RelationFilter {
            kinds: kind.map(Into::into).into_iter().collect(),
            actor: Some((self.0.id, EdgeDirection::Both)),
            counterpart: Some(other),
            min_confidence: parse_confidence(min_confidence)?,
            ..RelationFilter::default()
        };
        relations_of(&view, filter, sort.unwrap_or_default(), first, after)
    }
    /// Actors one relation away (either direction), optionally by kind.
    async fn neighbors(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
    ) -> Result<Serial<Actor>> {
        let view = reader(ctx)?;
        Ok(view
            .neighbors(self.0.id, kind.map(Into::into))
            .into_iter()
            .take(MAX_FIRST)
            .cloned()
            .map(Actor)
            .collect())
    }
}

/// An actor's relations of one kind in one direction, each list with one
/// optional condition: the fields flattened into [`Actor`] after
/// `relations`.
pub struct KindLists(Actor);

/// The fields of [`KindLists`]: `field(argument -> what the argument
/// sets) => direction kind`.
macro_rules! kind_lists {
    ($($(#[doc = $doc:literal])* $field:ident($arg:ident -> $sets:ident) => $direction:ident $kind:ident;)*) => {
        #[Object(serial)]
        impl KindLists {
            $(
                $(#[doc = $doc])*
                // `statements(search -> search)` names one field twice.
                #[allow(clippy::redundant_field_names)]
                async fn $field(
                    &self,
                    ctx: &Context<'_>,
                    $arg: Option<String>,
                    min_confidence: Option<f64>,
                    sort: Option<RelationSort>,
                    first: Option<i32>,
                    after: Option<String>,
                ) -> Result<RelationConnection> {
                    let args = RelationArgs {
                        $sets: $arg,
                        min_confidence,
                        sort,
                        ..RelationArgs::of(EdgeDirection::$direction, ModelRelationKind::$kind)
                    };
                    self.0.relation_list(ctx, args, PageArgs { first, after })
                }
            )*
        }
    };
}

kind_lists! {
    /// What this actor asked of others (optionally of one actor).
    requests(of -> counterpart) => Out Requested;
    /// What others asked of this actor (optionally one requester).
    requests_received(from -> counterpart) => In Requested;
    /// What this actor refused, rejected or opposed (optionally of one actor).
    rejections(of -> counterpart) => Out Rejected;
    /// Rejections aimed at this actor (optionally by one actor).
    rejections_received(from -> counterpart) => In Rejected;
    /// What this actor said (with quotes where it was quoted), optionally
    /// only statements containing `search`.
    statements(search -> search) => Out Said;
}
