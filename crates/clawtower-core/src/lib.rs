//! What every Clawtower crate shares: the error type and its stable codes, exact money, calendar
//! periods, the data directory and owner-only files, network address checks, blocking work from
//! async code, and small text helpers.
//! It depends on no other Clawtower crate.

#![deny(missing_docs)]

pub mod blocking;
pub mod error;
pub mod gate;
pub mod money;
pub mod net;
pub mod paths;
pub mod period;
pub mod session_key;
pub mod text;
pub mod tls;

pub use error::{EngineError, ErrorCode, Result};
pub use money::NanoUsd;
pub use paths::DataDir;

/// The Clawtower version (the workspace version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
