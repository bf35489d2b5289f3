//! The error every fallible command returns: a stable code the UI switches on, and a message.

use clawtower_engine::{EngineError, ErrorCode};
use serde::Serialize;

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// What kind of failure (stable).
    pub code: ErrorCode,
    /// A sentence for the user.
    pub message: String,
}

impl AppError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
        }
    }
}

impl From<EngineError> for AppError {
    fn from(err: EngineError) -> Self {
        AppError::new(err.code(), err.to_string())
    }
}
