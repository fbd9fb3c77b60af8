//! The `extensions.code` of the errors async-graphql raises itself
//! (parse, validation, limits), and one error per refused limit.

use std::collections::HashSet;

use async_graphql::{Response, ServerError};

use crate::error::ErrorCode;

pub(super) fn limit_exceeded(message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    ErrorCode::LimitExceeded.set_on(&mut error);
    error
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
            ErrorCode::LimitExceeded
        } else {
            ErrorCode::BadUserInput
        };
        code.set_on(error);
    }
    response
}

/// Keeps the first of several LIMIT_EXCEEDED errors with the same message:
/// once the [`QueryGuard`] refuses, every field still pending fails alike.
pub(crate) fn dedup_limit_errors(mut response: Response) -> Response {
    let mut seen = HashSet::new();
    response.errors.retain(|error| {
        let limit = ErrorCode::LimitExceeded.is_on(error);
        !limit || seen.insert(error.message.clone())
    });
    response
}
