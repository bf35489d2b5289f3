//! Sessions: the list, a session's timeline and sub-agent tree; and the actions wherever a
//! session is shown: abort, reset, delete, label and pin, kill a sub-agent with its children,
//! abort everything of an agent.

use clawtower_core::EngineError;
use clawtower_lifecycle::session_actions::{SessionChange, SessionState};
use clawtower_sessions::list::{list_sessions, SessionPage, SessionQuery};
use clawtower_sessions::timeline::{
    export_text, read_entry, read_timeline_start, ExportFormat, Timeline, TimelineEntry,
};
use clawtower_sessions::tree::{session_tree as tree_of, SessionTree};

use super::agents::with_lifecycle;
use super::blocking;
use crate::{ApiError, Runtime};

/// Every session matching `query`, a page of them.
pub async fn sessions(runtime: &Runtime, query: SessionQuery) -> Result<SessionPage, ApiError> {
    blocking(runtime, "sessions", move |rt| {
        list_sessions(rt.store(), &query)
    })
    .await
}

/// A session's timeline, texts cut to a preview.
pub async fn session_timeline(runtime: &Runtime, key: String) -> Result<Timeline, ApiError> {
    blocking(runtime, "session_timeline", move |rt| {
        rt.timelines().timeline(state_dir(rt)?, rt.store(), &key)
    })
    .await
}

/// The first `count` entries of a session's timeline (as [`session_timeline`]), read from the
/// head of its transcripts: a long session's window shows them while the rest is read.
pub async fn session_timeline_start(
    runtime: &Runtime,
    key: String,
    count: u32,
) -> Result<Timeline, ApiError> {
    blocking(runtime, "session_timeline_start", move |rt| {
        read_timeline_start(state_dir(rt)?, rt.store(), &key, count as usize)
    })
    .await
}

/// A session's timeline from its entry `from` on (as [`session_timeline`]), when the entry
/// before is still `after_id`, else whole: a window showing a session that grows asks for what
/// may have changed.
pub async fn session_timeline_since(
    runtime: &Runtime,
    key: String,
    from: u32,
    after_id: Option<String>,
) -> Result<Timeline, ApiError> {
    blocking(runtime, "session_timeline_since", move |rt| {
        let (from, after) = (from as usize, after_id.as_deref());
        rt.timelines()
            .since(state_dir(rt)?, rt.store(), &key, from, after)
    })
    .await
}

/// One timeline entry, whole.
pub async fn session_entry(
    runtime: &Runtime,
    key: String,
    id: String,
) -> Result<TimelineEntry, ApiError> {
    blocking(runtime, "session_entry", move |rt| {
        read_entry(state_dir(rt)?, rt.store(), &key, &id)
    })
    .await
}

/// The sub-agent tree `key` belongs to.
pub async fn session_tree(runtime: &Runtime, key: String) -> Result<SessionTree, ApiError> {
    blocking(runtime, "session_tree", move |rt| tree_of(rt.store(), &key)).await
}

/// A session exported whole.
pub async fn session_export(
    runtime: &Runtime,
    key: String,
    format: ExportFormat,
) -> Result<String, ApiError> {
    blocking(runtime, "session_export", move |rt| {
        export_text(state_dir(rt)?, rt.store(), &key, format)
    })
    .await
}

/// The OpenClaw state dir transcripts are read from; `NOT_FOUND` without an install.
fn state_dir(runtime: &Runtime) -> Result<&std::path::Path, EngineError> {
    runtime.state_dir().ok_or_else(|| {
        EngineError::NotFound(
            "OpenClaw install on this machine, so no transcript can be read".into(),
        )
    })
}

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

/// What OpenClaw holds on a session now (label, pinned, archived); `None` when it has none.
pub async fn session_state(
    runtime: &Runtime,
    key: String,
) -> Result<Option<SessionState>, ApiError> {
    with_lifecycle(runtime, async |l| l.session_state(&key).await).await
}

/// Kills a sub-agent and every session it spawned; how many runs were stopped.
pub async fn kill_session(runtime: &Runtime, key: String) -> Result<u32, ApiError> {
    with_lifecycle(runtime, async |l| l.kill_session(&key).await).await
}

/// Aborts every running turn of an agent; how many were stopped.
pub async fn abort_agent(runtime: &Runtime, id: String) -> Result<u32, ApiError> {
    with_lifecycle(runtime, async |l| l.abort_agent(&id).await).await
}
