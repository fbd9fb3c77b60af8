//! The mutation root: writes, through the ingest port.

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use newsgraph_model::DocumentId;

use crate::ports::{Article, IngestError, Written};
use crate::schema::{
    error, internal, limits, parse_date, parse_id, ports, Document, ErrorCode, IngestOutcome,
};

/// The result of ingesting one article.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct IngestResult {
    /// The stored document.
    pub document: Document,
    /// What happened.
    pub outcome: IngestOutcome,
    /// Actors the article mentions.
    pub actors: i32,
    /// Relations found.
    pub relations: i32,
    /// Events found.
    pub events: i32,
}

/// The result of deleting a document.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct DeleteResult {
    /// Whether a document was deleted.
    pub deleted: bool,
    /// Relations removed with it.
    pub relations: i32,
}

/// Writes. Refused on a read-only server, and without the bearer token
/// when the server requires one.
pub struct MutationRoot;

pub(super) fn check_writable(ctx: &Context<'_>) -> Result<()> {
    if limits(ctx).read_only {
        return Err(error(ErrorCode::Unauthorized, "this server is read-only"));
    }
    if ctx.data_opt::<crate::Unauthorized>().is_some() {
        return Err(error(
            ErrorCode::Unauthorized,
            "mutations need a valid bearer token (Authorization: Bearer ...)",
        ));
    }
    Ok(())
}

/// The GraphQL error for a failed write.
pub(super) fn write_error(e: IngestError) -> async_graphql::Error {
    match e {
        IngestError::BadInput(message) => error(ErrorCode::BadUserInput, message),
        IngestError::Failed { what, detail } => internal(what, detail),
    }
}

#[Object(serial)]
impl MutationRoot {
    /// Extracts and stores one article, replacing the document of the same
    /// file. `source` and `published` (YYYY-MM-DD) override what the text
    /// says; `url` and `author` are kept on the document. The graph is updated for the next query; the write is durable
    /// before this returns.
    // One argument per field of the article: the GraphQL API's shape.
    #[allow(clippy::too_many_arguments)]
    async fn ingest_article(
        &self,
        ctx: &Context<'_>,
        file: String,
        text: String,
        source: Option<String>,
        published: Option<String>,
        url: Option<String>,
        author: Option<String>,
    ) -> Result<IngestResult> {
        check_writable(ctx)?;
        let published = parse_date(published, "published")?;
        let ports = ports(ctx)?.clone();
        let name = file.rsplit(['/', '\\']).next().unwrap_or(&file).to_owned();
        if name.trim().is_empty() {
            return Err(error(
                ErrorCode::BadUserInput,
                "file must be a non-empty name",
            ));
        }
        let article = Article {
            file: name,
            text,
            source,
            published,
            url: url.filter(|u| !u.trim().is_empty()),
            author: author.filter(|a| !a.trim().is_empty()),
        };
        let ingested = ports
            .ingest
            .ingest_article(article)
            .await
            .map_err(write_error)?;
        Ok(IngestResult {
            document: Document(ingested.document),
            outcome: match ingested.written {
                Written::Added => IngestOutcome::Added,
                Written::Replaced => IngestOutcome::Replaced,
                Written::Unchanged => IngestOutcome::Unchanged,
            },
            actors: ingested.actors as i32,
            relations: ingested.relations as i32,
            events: ingested.events as i32,
        })
    }

    /// Removes a document and every relation, event and mention it alone
    /// contributed (actors no other document mentions go too), atomically.
    async fn delete_document(&self, ctx: &Context<'_>, id: ID) -> Result<DeleteResult> {
        check_writable(ctx)?;
        let id: DocumentId = parse_id(&id, "document")?;
        let ports = ports(ctx)?.clone();
        let relations = ports.reader().document_relations(id).len() as i32;
        let deleted = ports
            .ingest
            .delete_document(id)
            .await
            .map_err(write_error)?;
        Ok(DeleteResult {
            deleted,
            relations: if deleted { relations } else { 0 },
        })
    }
}
