//! The GraphQL object types and what they share, one question per module:
//! `enums` (the enum types and their model counterparts), `pagination`
//! (page sizes, cursors, connections), `filters` (argument validation and
//! the lists that filter, sort and page), and one module per object type
//! (`actor`, `document` for documents and events, `relation`) and
//! `corroboration` (relation groups). The roots
//! are in `query`.

mod actor;
mod corroboration;
mod document;
mod enums;
mod filters;
mod pagination;
mod relation;

use async_graphql::{Context, Result};

pub(crate) use crate::error::{error, internal, ErrorCode};
use crate::ports::{Ports, Reader};
use crate::Limits;

pub(crate) use actor::Actor;
pub(crate) use corroboration::{corroboration, group_of, group_page, Corroboration, RelationGroup};
pub(crate) use document::{Document, Event};
pub use enums::*;
pub(crate) use filters::*;
pub(crate) use pagination::*;
pub(crate) use relation::Relation;

/// The ports the schema was built with.
pub(crate) fn ports<'a>(ctx: &Context<'a>) -> Result<&'a Ports> {
    ctx.data::<Ports>()
        .map_err(|_| internal("looking up the graph", "the schema has no ports"))
}

/// One consistent view of the graph, with name lookup.
pub(crate) fn reader<'a>(ctx: &Context<'a>) -> Result<Reader<'a>> {
    Ok(ports(ctx)?.reader())
}

pub(crate) fn limits(ctx: &Context<'_>) -> Limits {
    ctx.data::<Limits>().copied().unwrap_or_default()
}
