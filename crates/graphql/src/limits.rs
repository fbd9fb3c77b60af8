//! Query limits beyond depth and complexity: the number of aliases (a cheap
//! way to multiply work in one request), and the error codes of the
//! errors async-graphql raises itself (parse, validation, limits).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Response, ServerError, ServerResult, Value, Variables};

/// Refuses documents that use more than `max` field aliases.
pub struct AliasLimit(pub usize);

impl ExtensionFactory for AliasLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AliasLimitExtension(self.0))
    }
}

struct AliasLimitExtension(usize);

fn count_aliases(set: &SelectionSet, count: &mut usize) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                if field.node.alias.is_some() {
                    *count += 1;
                }
                count_aliases(&field.node.selection_set.node, count);
            }
            Selection::InlineFragment(fragment) => {
                count_aliases(&fragment.node.selection_set.node, count)
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

/// Aliases in every operation and fragment of a document.
pub fn aliases_in(document: &ExecutableDocument) -> usize {
    let mut count = 0;
    for (_, op) in document.operations.iter() {
        count_aliases(&op.node.selection_set.node, &mut count);
    }
    for fragment in document.fragments.values() {
        count_aliases(&fragment.node.selection_set.node, &mut count);
    }
    count
}

#[async_trait::async_trait]
impl Extension for AliasLimitExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let aliases = aliases_in(&document);
        if aliases > self.0 {
            return Err(ServerError::new(
                format!(
                    "the query uses {aliases} aliases; at most {} are allowed",
                    self.0
                ),
                None,
            ));
        }
        Ok(document)
    }
}

/// Gives every error without an `extensions.code` one: limits become
/// LIMIT_EXCEEDED, everything else the caller sent wrong BAD_USER_INPUT.
pub fn classify_errors(mut response: Response) -> Response {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        let message = error.message.to_lowercase();
        let code = if [
            "too deep",
            "too complex",
            "recursion",
            "aliases",
            "too large",
            "timed out",
            "busy",
        ]
        .iter()
        .any(|m| message.contains(m))
        {
            "LIMIT_EXCEEDED"
        } else {
            "BAD_USER_INPUT"
        };
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", Value::from(code));
    }
    response
}
