//! The Agents page: every agent with its status and spend; create, edit, archive, restore and
//! purge; the archived agents and the audit log.

use clawtower_lifecycle::agents::{AgentDraft, AgentEdit, AgentRow, Lifecycle, Restored};
use clawtower_lifecycle::archive::ArchiveView;
use clawtower_lifecycle::audit::{self, AuditEntry};
use clawtower_openclaw::{locate, OpenClawEnv};

use super::blocking;
use super::budgets::local_gateway;
use crate::{ApiError, Runtime};

/// Runs `work` with the lifecycle of the local gateway (connected now).
pub(crate) async fn with_lifecycle<T>(
    runtime: &Runtime,
    work: impl AsyncFnOnce(&Lifecycle<'_>) -> clawtower_core::Result<T>,
) -> Result<T, ApiError> {
    let (client, url) = local_gateway(runtime).await?;
    let state_dir =
        locate(&OpenClawEnv::from_process(), runtime.openclaw_home()).map(|l| l.state_dir);
    let lifecycle = Lifecycle {
        client: &client,
        gateway_url: &url,
        store: runtime.store(),
        data_root: runtime.engine().data_dir().root(),
        state_dir: state_dir.as_deref(),
        actor: runtime.host().actor(),
    };
    Ok(work(&lifecycle).await?)
}

/// Every agent of the local gateway with its live status, sessions and spend.
pub async fn agents(runtime: &Runtime) -> Result<Vec<AgentRow>, ApiError> {
    with_lifecycle(runtime, async |l| l.list().await).await
}

/// Creates an agent; returns its id.
pub async fn create_agent(runtime: &Runtime, draft: AgentDraft) -> Result<String, ApiError> {
    with_lifecycle(runtime, async |l| l.create(&draft).await).await
}

/// Changes an agent's name, model or emoji.
pub async fn edit_agent(runtime: &Runtime, id: String, edit: AgentEdit) -> Result<(), ApiError> {
    with_lifecycle(runtime, async |l| l.edit(&id, &edit).await).await
}

/// Archives an agent (recoverable); running it again completes an archive that stopped.
pub async fn archive_agent(runtime: &Runtime, id: String) -> Result<ArchiveView, ApiError> {
    with_lifecycle(runtime, async |l| l.archive(&id).await).await
}

/// Restores an archived agent.
pub async fn restore_agent(runtime: &Runtime, archive: String) -> Result<Restored, ApiError> {
    with_lifecycle(runtime, async |l| l.restore(&archive).await).await
}

/// Deletes an archive for good (`confirm`: the agent's name).
pub async fn purge_archive(
    runtime: &Runtime,
    archive: String,
    confirm: String,
) -> Result<(), ApiError> {
    with_lifecycle(runtime, async |l| l.purge(&archive, &confirm)).await
}

/// Every archived agent, newest first.
pub async fn archived_agents(runtime: &Runtime) -> Result<Vec<ArchiveView>, ApiError> {
    blocking(runtime, "archived_agents", |rt| {
        Ok(clawtower_lifecycle::archive::views(rt.engine().data_dir().root())?.0)
    })
    .await
}

/// The latest lifecycle actions, newest first.
pub async fn audit_log(runtime: &Runtime) -> Result<Vec<AuditEntry>, ApiError> {
    blocking(runtime, "audit_log", |rt| {
        rt.store().read(|c| audit::latest(c, 200))
    })
    .await
}
