//! The engine's error type: every failure carries a stable [`ErrorCode`] the UI and scripts switch on.

use serde::Serialize;

/// Stable, machine-readable error codes. The UI switches on these; never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The ledger store could not be opened, read or written.
    StoreUnavailable,
    /// A filesystem operation failed.
    Io,
    /// Launch-at-login could not be read or changed.
    Autostart,
    /// The caller passed something invalid.
    InvalidInput,
    /// A bug or an unexpected state.
    Internal,
    /// The thing asked for does not exist (a budget id, an alert id…).
    NotFound,
    /// The OpenClaw gateway refused or could not be reached for a control action.
    Gateway,
}

/// Every error the engine returns.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// SQLite failed.
    #[error("ledger store error: {0}")]
    Store(#[from] rusqlite::Error),
    /// The store file is from a newer Clawtower than this one.
    #[error("the ledger store at {path} has schema version {found}, newer than this Clawtower understands ({supported}); update Clawtower")]
    StoreTooNew {
        /// Path of the database file.
        path: String,
        /// Version found in the file.
        found: i64,
        /// Highest version this build knows.
        supported: i64,
    },
    /// Filesystem failure, with what we were doing.
    #[error("{context}: {source}")]
    Io {
        /// What the engine was doing.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The caller passed something invalid.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// No usable data directory could be determined.
    #[error("no data directory: set CLAWTOWER_DATA_DIR or pass --data-dir")]
    NoDataDir,
    /// A stored record could not be read back.
    #[error("damaged record in the ledger store: {0}")]
    Corrupt(String),
    /// Nothing with that id.
    #[error("no {0}")]
    NotFound(String),
    /// A gateway control action failed (the gateway client's error, as its message; the
    /// gateway crate converts its errors into this).
    #[error("{0}")]
    Gateway(String),
    /// A pause could change nothing on the gateway.
    #[error("nothing could be paused: {0}")]
    NothingPaused(String),
}

impl EngineError {
    /// The stable code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            EngineError::Store(_)
            | EngineError::StoreTooNew { .. }
            | EngineError::NoDataDir
            | EngineError::Corrupt(_) => ErrorCode::StoreUnavailable,
            EngineError::NotFound(_) => ErrorCode::NotFound,
            EngineError::Gateway(_) | EngineError::NothingPaused(_) => ErrorCode::Gateway,
            EngineError::Io { .. } => ErrorCode::Io,
            EngineError::InvalidInput(_) => ErrorCode::InvalidInput,
        }
    }

    /// Wraps an I/O error with what the engine was doing.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        EngineError::Io {
            context: context.into(),
            source,
        }
    }
}

/// Result alias for the engine.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_screaming_snake_case() {
        let json = serde_json::to_string(&ErrorCode::StoreUnavailable).unwrap();
        assert_eq!(json, "\"STORE_UNAVAILABLE\"");
        assert_eq!(
            EngineError::InvalidInput("x".into()).code(),
            ErrorCode::InvalidInput
        );
    }
}
