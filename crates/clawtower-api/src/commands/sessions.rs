//! Session actions, wherever a session is shown: abort, reset, delete, label and pin, kill a
//! sub-agent with its children, abort everything of an agent.

use clawtower_lifecycle::sessions::SessionChange;

use super::agents::with_lifecycle;
use crate::{ApiError, Runtime};

/// Stops a session's running turn (and its queued ones); whether one was running.
pub async fn abort_session(runtime: &Runtime, key: String) -> Result<bool, ApiError> {
    with_lifecycle(runtime, async |l| l.abort_session(&key).await).await
}

/// Starts a new transcript for the session.
pub async fn reset_session(runtime: &Runtime, key: String) -> Result<(), ApiError> {
    with_lifecycle(runtime, async |l| l.reset_session(&key).await).await
}

/// Deletes a session (OpenClaw archives its transcript; its calls stay in the ledger).
pub async fn delete_session(runtime: &Runtime, key: String) -> Result<(), ApiError> {
    with_lifecycle(runtime, async |l| l.delete_session(&key).await).await
}

/// Labels or pins a session.
pub async fn change_session(
    runtime: &Runtime,
    key: String,
    change: SessionChange,
) -> Result<(), ApiError> {
    with_lifecycle(runtime, async |l| l.change_session(&key, &change).await).await
}

/// Kills a sub-agent and every session it spawned; how many runs were stopped.
pub async fn kill_session(runtime: &Runtime, key: String) -> Result<u32, ApiError> {
    with_lifecycle(runtime, async |l| l.kill_session(&key).await).await
}

/// Aborts every running turn of an agent; how many were stopped.
pub async fn abort_agent(runtime: &Runtime, id: String) -> Result<u32, ApiError> {
    with_lifecycle(runtime, async |l| l.abort_agent(&id).await).await
}
