//! Typed read-only methods (scope `operator.read`) for the dashboard: gateway health, status and
//! host, agents, tasks, logs, per-session usage, chat history, cron runs, session previews.
//! Each answer keeps every field it does not name in `extra`, so nothing the gateway says is lost;
//! the types are checked against real answers in `tests/fixtures/ws-frames/methods.json`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::client::GatewayClient;
use super::error::GatewayError;
use super::methods::{UsageCostParams, UsageTotals};

impl GatewayClient {
    /// `health`.
    pub async fn health(&self) -> Result<Health, GatewayError> {
        self.call("health", &json!({})).await
    }

    /// `status`.
    pub async fn status(&self) -> Result<RuntimeStatus, GatewayError> {
        self.call("status", &json!({})).await
    }

    /// `system.info`: the gateway's host.
    pub async fn system_info(&self) -> Result<SystemInfo, GatewayError> {
        self.call("system.info", &json!({})).await
    }

    /// `agents.list`.
    pub async fn agents(&self) -> Result<AgentList, GatewayError> {
        self.call("agents.list", &json!({})).await
    }

    /// `tasks.list` (sub-agents, automation runs…).
    pub async fn tasks(&self, params: &TasksParams) -> Result<Vec<Task>, GatewayError> {
        let list: TaskList = self.call("tasks.list", params).await?;
        Ok(list.tasks)
    }

    /// `logs.tail` from `cursor` (None: the latest lines).
    pub async fn logs_tail(&self, params: &LogsTailParams) -> Result<LogsTail, GatewayError> {
        self.call("logs.tail", params).await
    }

    /// `sessions.usage` over a date range.
    pub async fn sessions_usage(
        &self,
        params: &UsageCostParams,
    ) -> Result<SessionsUsage, GatewayError> {
        self.call("sessions.usage", params).await
    }

    /// `chat.history` of one session.
    pub async fn chat_history(
        &self,
        params: &ChatHistoryParams,
    ) -> Result<ChatHistory, GatewayError> {
        self.call("chat.history", params).await
    }

    /// `cron.runs` of one job.
    pub async fn cron_runs(&self, params: &CronRunsParams) -> Result<CronRuns, GatewayError> {
        self.call("cron.runs", params).await
    }

    /// `sessions.preview`: the last few messages of each session.
    pub async fn sessions_preview(
        &self,
        keys: &[String],
        limit: u32,
    ) -> Result<Vec<SessionPreview>, GatewayError> {
        let answer: Previews = self
            .call("sessions.preview", &json!({"keys": keys, "limit": limit}))
            .await?;
        Ok(answer.previews)
    }

    /// `sessions.describe`: one session as OpenClaw holds it now (archived ones included);
    /// `None` when it has no such session.
    pub async fn describe_session(
        &self,
        key: &str,
    ) -> Result<Option<SessionDescription>, GatewayError> {
        let answer: Described = self
            .call("sessions.describe", &json!({ "key": key }))
            .await?;
        Ok(answer.session)
    }
}

/// `health`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// Overall.
    pub ok: bool,
    /// The default agent.
    #[serde(default)]
    pub default_agent_id: Option<String>,
    /// Per agent: heartbeat and sessions.
    #[serde(default)]
    pub agents: Vec<Map<String, Value>>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `status`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeStatus {
    /// Gateway process id.
    #[serde(default)]
    pub pid: Option<u64>,
    /// Node version.
    #[serde(default)]
    pub runtime_version: Option<String>,
    /// Everything else (sessions, heartbeat, channel summary, memory…).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `system.info`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    /// Host name.
    #[serde(default)]
    pub hostname: Option<String>,
    /// CPU architecture.
    #[serde(default)]
    pub arch: Option<String>,
    /// CPUs.
    #[serde(default)]
    pub cpu_count: Option<u32>,
    /// Memory, bytes.
    #[serde(default)]
    pub memory_total_bytes: Option<u64>,
    /// Free memory, bytes.
    #[serde(default)]
    pub memory_free_bytes: Option<u64>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `agents.list`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentList {
    /// The default agent.
    #[serde(default)]
    pub default_id: Option<String>,
    /// The agents.
    #[serde(default)]
    pub agents: Vec<AgentSummary>,
}

/// One agent.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentSummary {
    /// Agent id.
    pub id: String,
    /// Its model setting (`{primary: "provider/model"}`).
    #[serde(default)]
    pub model: Value,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `tasks.list` params.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TasksParams {
    /// Only tasks with this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Only this agent's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// At most this many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct TaskList {
    #[serde(default)]
    tasks: Vec<Task>,
}

/// A task: a sub-agent, an automation (cron) run…
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// Task id.
    pub id: String,
    /// `subagent`, `automation_run`…
    pub kind: String,
    /// `running`, `succeeded`…
    #[serde(default)]
    pub status: Option<String>,
    /// The session the task runs in.
    #[serde(default)]
    pub child_session_key: Option<String>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `logs.tail` params.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogsTailParams {
    /// Where the previous call stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<u64>,
    /// At most this many lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// `logs.tail`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogsTail {
    /// The log file.
    #[serde(default)]
    pub file: Option<String>,
    /// Where to continue.
    #[serde(default)]
    pub cursor: Option<u64>,
    /// Log lines (JSON text, as the gateway writes them).
    #[serde(default)]
    pub lines: Vec<String>,
    /// The file was rotated or truncated since the cursor.
    #[serde(default)]
    pub reset: bool,
}

/// `sessions.usage`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionsUsage {
    /// Per session.
    #[serde(default)]
    pub sessions: Vec<SessionUsage>,
    /// Sums.
    #[serde(default)]
    pub totals: UsageTotals,
    /// Aggregates by model, provider, agent, day.
    #[serde(default)]
    pub aggregates: Value,
}

/// One session's usage (`None` while OpenClaw's usage cache is refreshing).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionUsage {
    /// Session key.
    pub key: String,
    /// Transcript generation.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Sums.
    #[serde(default)]
    pub usage: Option<UsageTotals>,
}

/// `chat.history` params.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatHistoryParams {
    /// Session key.
    pub session_key: String,
    /// At most this many messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Continue from a previous answer's cursor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// `chat.history`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatHistory {
    /// Transcript generation.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Messages in transcript shape, each with `__openclaw {id, seq, runId}`.
    #[serde(default)]
    pub messages: Vec<Value>,
    /// Older messages exist.
    #[serde(default)]
    pub has_more: bool,
}

/// `cron.runs` params.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronRunsParams {
    /// Job id.
    pub id: String,
    /// At most this many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// `cron.runs`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronRuns {
    /// Runs, newest first.
    #[serde(default)]
    pub entries: Vec<CronRun>,
    /// More exist.
    #[serde(default)]
    pub has_more: bool,
}

/// One cron run. Note its usage keys are snake_case (`input_tokens`…), unlike elsewhere.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronRun {
    /// Job id.
    #[serde(default)]
    pub job_id: Option<String>,
    /// `succeeded`, `failed`…
    #[serde(default)]
    pub completion_status: Option<String>,
    /// How long.
    #[serde(default)]
    pub duration_ms: Option<u64>,
    /// When it ran.
    #[serde(default)]
    pub run_at_ms: Option<i64>,
    /// The run's session.
    #[serde(default)]
    pub session_key: Option<String>,
    /// Everything else (summary, usage, delivery…).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Deserialize)]
struct Previews {
    #[serde(default)]
    previews: Vec<SessionPreview>,
}

/// A session's last messages.
#[derive(Debug, Clone, Deserialize)]
pub struct SessionPreview {
    /// Session key.
    pub key: String,
    /// `ok`, or `cold` when not loaded.
    #[serde(default)]
    pub status: Option<String>,
    /// Messages: `{role, text}`.
    #[serde(default)]
    pub items: Vec<PreviewItem>,
}

/// One previewed message.
#[derive(Debug, Clone, Deserialize)]
pub struct PreviewItem {
    /// `user`, `assistant`…
    pub role: String,
    /// Its text.
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Deserialize)]
struct Described {
    #[serde(default)]
    session: Option<SessionDescription>,
}

/// One session as `sessions.describe` gives it (the fields Clawtower acts on).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionDescription {
    /// Session key.
    pub key: String,
    /// Its current transcript generation.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Its label.
    #[serde(default)]
    pub label: Option<String>,
    /// Pinned (OpenClaw lists it first).
    #[serde(default)]
    pub pinned: bool,
    /// Archived (out of OpenClaw's default lists; nothing deleted).
    #[serde(default)]
    pub archived: bool,
    /// Whether it is its agent's main session (OpenClaw ≥ 2026.9 says so).
    #[serde(default)]
    pub is_main: Option<bool>,
    /// The session that spawned it (a sub-agent).
    #[serde(default)]
    pub spawned_by: Option<String>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Real requests and answers recorded from OpenClaw 2026.9.6, by method.
    pub(crate) fn recorded(method: &str) -> (Value, Value) {
        let all: Value = serde_json::from_str(include_str!(
            "../../../tests/fixtures/ws-frames/methods.json"
        ))
        .unwrap();
        let entry = &all[method];
        assert!(entry.is_object(), "no recorded {method}");
        (entry["params"].clone(), entry["answer"].clone())
    }

    fn answer<T: serde::de::DeserializeOwned>(method: &str) -> T {
        serde_json::from_value(recorded(method).1).unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    #[test]
    fn the_real_answers_decode() {
        let health: Health = answer("health");
        assert!(health.ok && health.default_agent_id.as_deref() == Some("main"));
        let status: RuntimeStatus = answer("status");
        assert!(status.pid.is_some());
        let host: SystemInfo = answer("system.info");
        assert_eq!(host.cpu_count, Some(2));
        let agents: AgentList = answer("agents.list");
        assert_eq!(agents.agents[0].id, "main");
        let tasks: TaskList = answer("tasks.list");
        assert!(tasks.tasks.iter().any(|t| t.kind == "automation_run"));
        let logs: LogsTail = answer("logs.tail");
        assert!(!logs.lines.is_empty() && logs.cursor.is_some());
        let usage: SessionsUsage = answer("sessions.usage");
        assert_eq!(usage.sessions[0].key, "agent:main:main");
        let history: ChatHistory = answer("chat.history");
        assert!(history
            .messages
            .iter()
            .any(|m| m.pointer("/__openclaw/id").is_some()));
        let runs: CronRuns = answer("cron.runs");
        assert_eq!(
            runs.entries[0].completion_status.as_deref(),
            Some("succeeded")
        );
        let previews: Previews = answer("sessions.preview");
        assert_eq!(previews.previews[0].items[0].role, "assistant");
        let described: Described = answer("sessions.describe");
        let session = described.session.unwrap();
        assert_eq!(session.key, "agent:main:think");
        assert_eq!(session.is_main, Some(false));
        assert!(!session.pinned && !session.archived);
        let unknown: Described = serde_json::from_value(json!({"session": null})).unwrap();
        assert!(unknown.session.is_none());
    }

    #[test]
    fn params_have_the_recorded_shape() {
        let same = |method: &str, ours: Value| assert_eq!(ours, recorded(method).0, "{method}");
        same(
            "tasks.list",
            serde_json::to_value(TasksParams {
                limit: Some(5),
                ..Default::default()
            })
            .unwrap(),
        );
        same(
            "logs.tail",
            serde_json::to_value(LogsTailParams {
                limit: Some(5),
                cursor: None,
            })
            .unwrap(),
        );
        same(
            "chat.history",
            serde_json::to_value(ChatHistoryParams {
                session_key: "agent:main:main".into(),
                limit: Some(20),
                cursor: None,
            })
            .unwrap(),
        );
        let (params, _) = recorded("cron.runs");
        let id = params["id"].as_str().unwrap().to_string();
        same(
            "cron.runs",
            serde_json::to_value(CronRunsParams { id, limit: Some(5) }).unwrap(),
        );
    }
}
