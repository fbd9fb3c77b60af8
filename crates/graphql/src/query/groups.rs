//! `relationGroups`: the relations of a filter grouped by (subject, kind,
//! object), with how many documents and outlets support each group (see
//! `schema::corroboration`).

use async_graphql::{Context, Object, Result};
use newsgraph_model::read::{EdgeDirection, RelationFilter};
use newsgraph_model::RelationKind as ModelRelationKind;

use crate::schema::{
    error, group_page, parse_confidence, parse_date, reader, ErrorCode, RelationGroupConnection,
    RelationKind,
};

/// The `relationGroups` field of the query root, flattened into it.
pub(crate) struct Groups;

#[Object]
impl Groups {
    /// Relations grouped by subject, kind and object, most corroborated
    /// first (most documents, then most outlets): each group with its
    /// `documentCount`, `sourceCount`, earliest and latest date, and
    /// evidence from each outlet. Filtered like `relations` (`actor`
    /// either side, `subject`, `object`, `kind`, `since`, `until`,
    /// `minConfidence`) before grouping, so the counts are of what the
    /// filter keeps; `minDocuments` keeps the groups with at least that
    /// many documents (e.g. 2: only what more than one document reports).
    #[allow(clippy::too_many_arguments)]
    async fn relation_groups(
        &self,
        ctx: &Context<'_>,
        actor: Option<String>,
        subject: Option<String>,
        object: Option<String>,
        kind: Option<RelationKind>,
        since: Option<String>,
        until: Option<String>,
        min_confidence: Option<f64>,
        #[graphql(default = 1)] min_documents: i32,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationGroupConnection> {
        let view = reader(ctx)?;
        let min_documents = usize::try_from(min_documents).map_err(|_| {
            error(
                ErrorCode::BadUserInput,
                format!("minDocuments must be 0 or more, not {min_documents}"),
            )
        })?;
        let resolve =
            |name: Option<String>| name.as_deref().map(|n| view.require_actor(n)).transpose();
        let kind: Option<ModelRelationKind> = kind.map(Into::into);
        let filter = RelationFilter {
            kinds: kind.into_iter().collect(),
            actor: resolve(actor)?.map(|a| (a, EdgeDirection::Both)),
            subject: resolve(subject)?,
            object: resolve(object)?,
            since: parse_date(since, "since")?,
            until: parse_date(until, "until")?,
            min_confidence: parse_confidence(min_confidence)?,
            ..RelationFilter::default()
        };
        group_page(
            &**view,
            view.relations_matching(&filter, None),
            min_documents,
            first,
            after,
        )
    }
}
