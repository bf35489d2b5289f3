//! Typed control methods for the lifecycle of sessions, agents and cron jobs, and the gateway's
//! own suspension: the calls the agent/session/cron lifecycle work will make. Answers keep every
//! field they do not name in `extra`; checked against real answers in
//! `tests/fixtures/ws-frames/methods.json`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::client::GatewayClient;
use super::error::GatewayError;

impl GatewayClient {
    /// `sessions.reset`: a new transcript generation for the same key.
    pub async fn reset_session(&self, key: &str) -> Result<SessionReset, GatewayError> {
        self.call("sessions.reset", &json!({"key": key, "reason": "reset"}))
            .await
    }

    /// `sessions.delete`; the transcript is archived (`*.jsonl.deleted.*.zst`) when asked.
    pub async fn delete_session(
        &self,
        key: &str,
        delete_transcript: bool,
    ) -> Result<SessionDeleted, GatewayError> {
        self.call(
            "sessions.delete",
            &json!({"key": key, "deleteTranscript": delete_transcript}),
        )
        .await
    }

    /// `sessions.patch`: label, pin, archive…
    pub async fn patch_session(
        &self,
        patch: &SessionPatch,
    ) -> Result<Map<String, Value>, GatewayError> {
        self.call("sessions.patch", patch).await
    }

    /// `agents.create`.
    pub async fn create_agent(&self, agent: &NewAgent) -> Result<AgentCreated, GatewayError> {
        self.call("agents.create", agent).await
    }

    /// `agents.update` (name, workspace, model).
    pub async fn update_agent(&self, update: &AgentUpdate) -> Result<(), GatewayError> {
        let _: Value = self.call("agents.update", update).await?;
        Ok(())
    }

    /// `agents.delete`; files go to the trash when asked.
    pub async fn delete_agent(
        &self,
        agent_id: &str,
        delete_files: bool,
    ) -> Result<Map<String, Value>, GatewayError> {
        self.call(
            "agents.delete",
            &json!({"agentId": agent_id, "deleteFiles": delete_files}),
        )
        .await
    }

    /// `cron.get`.
    pub async fn cron_job(&self, id: &str) -> Result<Map<String, Value>, GatewayError> {
        self.call("cron.get", &json!({ "id": id })).await
    }

    /// `cron.add` (the job definition as OpenClaw takes it); returns the stored job.
    pub async fn add_cron_job(&self, job: &Value) -> Result<Map<String, Value>, GatewayError> {
        self.call("cron.add", job).await
    }

    /// `cron.remove`.
    pub async fn remove_cron_job(&self, id: &str) -> Result<bool, GatewayError> {
        let answer: Removed = self.call("cron.remove", &json!({ "id": id })).await?;
        Ok(answer.removed)
    }

    /// `cron.run {mode: "force"}`: runs a job now.
    pub async fn run_cron_job(&self, id: &str) -> Result<CronRunStarted, GatewayError> {
        self.call("cron.run", &json!({"id": id, "mode": "force"}))
            .await
    }

    /// `gateway.suspend.prepare {drain: true}`: the gateway's own short freeze (it fails open
    /// after ~2 minutes unless renewed with the same `request_id`).
    pub async fn prepare_suspend(&self, request_id: &str) -> Result<Suspension, GatewayError> {
        self.call(
            "gateway.suspend.prepare",
            &json!({"requestId": request_id, "drain": true}),
        )
        .await
    }

    /// `gateway.suspend.resume`.
    pub async fn resume_suspended(&self, suspension_id: &str) -> Result<bool, GatewayError> {
        let answer: Resumed = self
            .call(
                "gateway.suspend.resume",
                &json!({ "suspensionId": suspension_id }),
            )
            .await?;
        Ok(answer.resumed)
    }
}

/// `sessions.reset`'s answer.
#[derive(Debug, Clone, Deserialize)]
pub struct SessionReset {
    /// The session key.
    pub key: String,
    /// The new session row.
    #[serde(default)]
    pub entry: Map<String, Value>,
}

/// `sessions.delete`'s answer.
#[derive(Debug, Clone, Deserialize)]
pub struct SessionDeleted {
    /// Whether it was deleted.
    pub deleted: bool,
    /// Archived transcript files.
    #[serde(default)]
    pub archived: Vec<String>,
}

/// `sessions.patch` params: only what is set changes.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionPatch {
    /// Session key.
    pub key: String,
    /// New label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Pin or unpin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
    /// Archive (OpenClaw's own flag: out of its default lists) or bring back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    /// The session id the change is for (OpenClaw ≥ 2026.9 asks for it to archive: a session
    /// reset meanwhile is not archived by mistake).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_session_id: Option<String>,
}

/// `agents.create` params.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAgent {
    /// Name (also its id).
    pub name: String,
    /// Workspace directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    /// `provider/model`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// An emoji to show with its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emoji: Option<String>,
    /// An avatar (URL or path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

/// `agents.create`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentCreated {
    /// The new agent's id.
    pub agent_id: String,
    /// Its workspace.
    #[serde(default)]
    pub workspace: Option<String>,
}

/// `agents.update` params.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentUpdate {
    /// Agent id.
    pub agent_id: String,
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// New emoji.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emoji: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Removed {
    #[serde(default)]
    removed: bool,
}

/// `cron.run`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronRunStarted {
    /// Whether the run was queued.
    #[serde(default)]
    pub enqueued: bool,
    /// The run id (`manual:<job>:…`).
    #[serde(default)]
    pub run_id: Option<String>,
}

/// `gateway.suspend.prepare`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suspension {
    /// `ready`, `draining` or `busy`.
    pub status: String,
    /// The id to renew and resume with.
    #[serde(default)]
    pub suspension_id: Option<String>,
    /// When it fails open unless renewed.
    #[serde(default)]
    pub expires_at_ms: Option<i64>,
    /// What still runs, while draining.
    #[serde(default)]
    pub blockers: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct Resumed {
    #[serde(default)]
    resumed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queries::tests::recorded;

    fn answer<T: serde::de::DeserializeOwned>(method: &str) -> T {
        serde_json::from_value(recorded(method).1).unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    #[test]
    fn the_real_answers_decode() {
        let reset: SessionReset = answer("sessions.reset");
        assert_eq!(reset.key, "agent:main:throwaway");
        let deleted: SessionDeleted = answer("sessions.delete");
        assert!(deleted.deleted && deleted.archived[0].contains(".jsonl.deleted."));
        let created: AgentCreated = answer("agents.create");
        assert_eq!(created.agent_id, "ops");
        let removed: Removed = answer("cron.remove");
        assert!(removed.removed);
        let run: CronRunStarted = answer("cron.run");
        assert!(run.enqueued && run.run_id.unwrap().starts_with("manual:"));
        let suspension: Suspension = answer("gateway.suspend.prepare");
        assert_eq!(suspension.status, "draining");
        assert!(suspension.suspension_id.is_some() && !suspension.blockers.is_empty());
        let resumed: Resumed = answer("gateway.suspend.resume");
        assert!(resumed.resumed);
        let job: Map<String, Value> = answer("cron.get");
        assert_eq!(job["name"], "probe-job");
    }

    #[test]
    fn params_have_the_recorded_shape() {
        let same = |method: &str, ours: Value| assert_eq!(ours, recorded(method).0, "{method}");
        same(
            "sessions.patch",
            serde_json::to_value(SessionPatch {
                key: "agent:main:created".into(),
                label: Some("renamed".into()),
                pinned: Some(true),
                archived: None,
                expected_session_id: None,
            })
            .unwrap(),
        );
        same(
            "agents.create",
            serde_json::to_value(NewAgent {
                name: "ops".into(),
                workspace: Some("/home/user/.openclaw/workspace-ops".into()),
                model: Some("stub/stub-model".into()),
                emoji: None,
                avatar: None,
            })
            .unwrap(),
        );
        same(
            "agents.update",
            serde_json::to_value(AgentUpdate {
                agent_id: "ops".into(),
                name: Some("ops-renamed".into()),
                model: None,
                emoji: None,
            })
            .unwrap(),
        );
    }
}
