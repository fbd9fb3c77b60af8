//! The codes every error carries in `extensions.code`, in one place, and
//! the constructors of errors that carry one.

use async_graphql::{ErrorExtensions, ServerError, Value};

/// What kind of failure an error is: its `extensions.code`, which clients
/// branch on (the message is for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The actor, document or event asked for does not exist.
    NotFound,
    /// The request is malformed or an argument is invalid.
    BadUserInput,
    /// The request is over a limit (size, cost, depth, time, page size).
    LimitExceeded,
    /// A mutation without the right to write.
    Unauthorized,
    /// The server failed; the log has the details.
    Internal,
}

impl ErrorCode {
    /// The code as clients see it (`NOT_FOUND`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::LimitExceeded => "LIMIT_EXCEEDED",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::Internal => "INTERNAL",
        }
    }

    /// Whether a server error carries this code.
    pub fn is_on(self, error: &ServerError) -> bool {
        error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .is_some_and(|code| *code == Value::from(self.as_str()))
    }

    /// Puts this code on a server error, replacing any other.
    pub fn set_on(self, error: &mut ServerError) {
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", Value::from(self.as_str()));
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A GraphQL error with `extensions.code`.
pub fn error(code: ErrorCode, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message.into()).extend_with(|_, e| e.set("code", code.as_str()))
}

/// An internal failure: logged in full, reported without detail.
pub fn internal(what: &str, detail: impl std::fmt::Display) -> async_graphql::Error {
    tracing::error!("{what}: {detail}");
    error(
        ErrorCode::Internal,
        format!("{what} failed; the server log has the details"),
    )
}
