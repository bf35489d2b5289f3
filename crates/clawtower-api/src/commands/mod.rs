//! The command functions, one per entry of [`crate::with_commands!`], by page.

mod agents;
mod budgets;
mod crons;
mod gateways;
pub(crate) mod info;
mod router;
mod sessions;
mod sinks;
mod usage;

pub use agents::*;
pub use budgets::*;
pub use crons::*;
pub use gateways::*;
pub use info::*;
pub use router::*;
pub use sessions::*;
pub use sinks::*;
pub use usage::*;

use crate::{ApiError, Runtime};

/// Runs blocking engine work on the blocking pool; its engine error becomes the command's.
pub(crate) async fn blocking<T: Send + 'static>(
    runtime: &Runtime,
    what: &'static str,
    work: impl FnOnce(&Runtime) -> clawtower_core::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    runtime
        .blocking(work)
        .await
        .ok_or_else(|| ApiError::unfinished(what))?
        .map_err(ApiError::from)
}
