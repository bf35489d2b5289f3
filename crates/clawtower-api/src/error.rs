//! The error every command returns: a stable code the UI switches on, and a sentence.

use clawtower_core::{EngineError, ErrorCode};
use serde::Serialize;

/// An error as every client receives it (`{"code": "NOT_FOUND", "message": "…"}`).
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error("{message}")]
pub struct ApiError {
    /// What kind of failure (stable).
    pub code: ErrorCode,
    /// A sentence for the user.
    pub message: String,
}

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// Blocking work that did not finish (it panicked: a bug).
    pub(crate) fn unfinished(what: &str) -> Self {
        ApiError::new(ErrorCode::Internal, format!("{what} did not finish"))
    }
}

/// Why `clawtower serve` refuses an HTTP request before any command runs (the body is an
/// [`ApiError`]-shaped `{"code", "message"}` with one of these codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RefusalCode {
    /// No token or session cookie, or a wrong one (401).
    Unauthorized,
    /// A state-changing call from another site (403).
    CrossOrigin,
    /// A `Host` this server does not answer to (421).
    Host,
}

impl From<EngineError> for ApiError {
    fn from(err: EngineError) -> Self {
        ApiError::new(err.code(), err.to_string())
    }
}
