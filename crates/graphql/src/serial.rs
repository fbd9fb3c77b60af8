//! Lists resolved item after item in the calling task.
//!
//! async-graphql resolves a `Vec` or a slice by joining one future per item
//! (through a `FuturesOrdered` past 30 items), and an object by joining one
//! future per field. Every resolver here answers from the in-memory view
//! without waiting on I/O, so running them concurrently gains nothing,
//! while the join machinery (a task allocation, a waker and a queue entry
//! per item) cost more than the items themselves on a page of 50
//! relations. Objects opt out with `#[Object(serial)]`; lists use
//! [`Serial`]. The schema does not change: a `Serial<T>` is the GraphQL
//! type `[T!]!`, exactly as a `Vec<T>`.

use std::borrow::Cow;

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerResult, Value};

/// A list whose items resolve one after another (see the module docs).
pub struct Serial<T>(pub Vec<T>);

impl<T> FromIterator<T> for Serial<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Serial(items.into_iter().collect())
    }
}

impl<T: OutputType> OutputType for Serial<T> {
    fn type_name() -> Cow<'static, str> {
        <Vec<T> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<T> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<T> as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let mut values = Vec::with_capacity(self.0.len());
        for (index, item) in self.0.iter().enumerate() {
            let ctx_index = ctx.with_index(index);
            let value = item
                .resolve(&ctx_index, field)
                .await
                .map_err(|error| ctx_index.set_error_path(error))?;
            values.push(value);
        }
        Ok(Value::List(values))
    }
}
