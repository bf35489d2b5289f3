//! Why a router configuration cannot be used (the config file's sections and its rules share it).

/// A configuration that cannot be used, with what to change.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);
