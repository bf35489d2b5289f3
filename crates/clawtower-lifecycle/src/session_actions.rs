//! Session actions: abort, reset, delete (OpenClaw archives the transcript), label and pin; kill
//! a sub-agent with every session it spawned; abort everything of an agent. Each goes through the
//! gateway's RPCs and into the audit log.

use clawtower_core::session_key::SessionKind;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::agents::Lifecycle;
use clawtower_core::{EngineError, Result};
use clawtower_gateway::rpc::SessionDescription;
use clawtower_gateway::rpc::SessionPatch;

/// What to change on a session (what is `None` stays).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionChange {
    /// A new label (empty: no label).
    #[serde(default)]
    pub label: Option<String>,
    /// Pin or unpin.
    #[serde(default)]
    pub pinned: Option<bool>,
    /// Archive in OpenClaw (its own flag: the session leaves its default lists, nothing is
    /// deleted) or bring back.
    #[serde(default)]
    pub archived: Option<bool>,
}

/// A session's state in OpenClaw, as the session actions show and toggle it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    /// Its label, if it has one.
    pub label: Option<String>,
    /// Pinned: OpenClaw lists it first.
    pub pinned: bool,
    /// Archived in OpenClaw: out of its default lists, nothing deleted.
    pub archived: bool,
    /// OpenClaw pins only sessions no other session spawned (not sub-agents), and none while
    /// archived (archiving unpins).
    pub can_pin: bool,
    /// OpenClaw never archives an agent's main session.
    pub can_archive: bool,
}

impl From<SessionDescription> for SessionState {
    fn from(d: SessionDescription) -> Self {
        let sub_agent = d.spawned_by.is_some() || d.key.contains(":subagent:");
        // OpenClaw 2026.7 does not say `isMain`: its main sessions are `agent:<id>:main`.
        let main = d
            .is_main
            .unwrap_or_else(|| SessionKind::of(&d.key) == SessionKind::Main);
        SessionState {
            label: d.label.filter(|l| !l.is_empty()),
            pinned: d.pinned,
            archived: d.archived,
            can_pin: !sub_agent && !d.archived,
            can_archive: !main && d.key != "global",
        }
    }
}

#[derive(Deserialize)]
struct Rows {
    #[serde(default)]
    sessions: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    key: String,
    #[serde(default)]
    agent_id: Option<String>,
    #[serde(default)]
    has_active_run: bool,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    spawned_by: Option<String>,
    #[serde(default)]
    parent_session_key: Option<String>,
}

impl Row {
    /// A turn runs in it (OpenClaw 2026.9 lists a sub-agent's run by its status).
    fn running(&self) -> bool {
        self.has_active_run || self.status.as_deref() == Some("running")
    }

    fn parent(&self) -> Option<&str> {
        self.spawned_by
            .as_deref()
            .or(self.parent_session_key.as_deref())
    }
}

/// `key` and every session spawned from it, at any depth (parents first).
fn subtree(rows: &[Row], key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].clone();
        for row in rows.iter().filter(|r| r.parent() == Some(parent.as_str())) {
            if !out.contains(&row.key) {
                out.push(row.key.clone());
            }
        }
        i += 1;
    }
    out
}

impl Lifecycle<'_> {
    async fn session_rows(&self) -> Result<Vec<Row>> {
        let rows: Rows = self
            .client
            .call("sessions.list", &json!({"limit": 1000}))
            .await?;
        Ok(rows.sessions)
    }

    /// What OpenClaw holds on a session now (label, pinned, archived, and which of those it
    /// lets change); `None` when it has no such session.
    pub async fn session_state(&self, key: &str) -> Result<Option<SessionState>> {
        let described = self.client.describe_session(key).await?;
        Ok(described.map(SessionState::from))
    }

    /// Stops a session's running turn and drops its queued ones; returns whether one ran.
    pub async fn abort_session(&self, key: &str) -> Result<bool> {
        let outcome = self
            .client
            .abort_session(key)
            .await
            .map(|a| a.stopped())
            .map_err(EngineError::from);
        self.audit("session.abort", key, &outcome, |ran| {
            if *ran {
                "a run was stopped"
            } else {
                "nothing was running"
            }
            .to_string()
        })?;
        outcome
    }

    /// Starts a new transcript for the session (the old one is kept by OpenClaw).
    pub async fn reset_session(&self, key: &str) -> Result<()> {
        let outcome = self
            .client
            .reset_session(key)
            .await
            .map(drop)
            .map_err(EngineError::from);
        self.audit("session.reset", key, &outcome, |_| String::new())?;
        outcome
    }

    /// Deletes a session; OpenClaw archives its transcript (its calls stay in the ledger).
    pub async fn delete_session(&self, key: &str) -> Result<()> {
        let outcome = self
            .client
            .delete_session(key, true)
            .await
            .map_err(EngineError::from)
            .and_then(|d| {
                if d.deleted {
                    Ok(d.archived.len())
                } else {
                    Err(EngineError::NotFound(format!("session {key}")))
                }
            });
        self.audit("session.delete", key, &outcome, |n| {
            format!("{n} transcript file(s) archived")
        })?;
        outcome.map(drop)
    }

    /// Labels or pins a session.
    pub async fn change_session(&self, key: &str, change: &SessionChange) -> Result<()> {
        let mut patch = SessionPatch {
            key: key.to_string(),
            label: change.label.as_ref().map(|l| l.trim().to_string()),
            pinned: change.pinned,
            archived: change.archived,
            expected_session_id: None,
        };
        let outcome = async {
            match self.client.patch_session(&patch).await {
                // OpenClaw ≥ 2026.9 archives only the session id it is told (2026.7 refuses the
                // field): asked again with the one it lists now.
                Err(e) if e.to_string().contains("expectedSessionId required") => {
                    patch.expected_session_id = self
                        .client
                        .describe_session(key)
                        .await?
                        .and_then(|d| d.session_id);
                    self.client.patch_session(&patch).await?;
                    Ok(())
                }
                other => other.map(drop).map_err(EngineError::from),
            }
        }
        .await;
        self.audit("session.change", key, &outcome, |_| {
            let mut said = Vec::new();
            if let Some(label) = &change.label {
                said.push(format!("label \"{}\"", label.trim()));
            }
            if let Some(pinned) = change.pinned {
                said.push(if pinned { "pinned" } else { "unpinned" }.to_string());
            }
            if let Some(archived) = change.archived {
                said.push(if archived { "archived" } else { "unarchived" }.to_string());
            }
            said.join(", ")
        })?;
        outcome
    }

    /// Kills a sub-agent: aborts its session and every session it spawned, at any depth;
    /// returns how many runs were stopped.
    pub async fn kill_session(&self, key: &str) -> Result<u32> {
        let outcome = async {
            let rows = self.session_rows().await?;
            let mut stopped = 0;
            for k in subtree(&rows, key) {
                let running = rows.iter().any(|r| r.key == k && r.running());
                if running || k == key {
                    stopped += u32::from(self.client.abort_session(&k).await?.stopped());
                }
            }
            Ok(stopped)
        }
        .await;
        self.audit("session.kill", key, &outcome, |n| {
            format!("{n} run(s) stopped")
        })?;
        outcome
    }

    /// Aborts every running turn of an agent; returns how many were stopped.
    pub async fn abort_agent(&self, agent_id: &str) -> Result<u32> {
        let outcome = async {
            let mut stopped = 0;
            for row in self.session_rows().await? {
                if row.running() && row.agent_id.as_deref() == Some(agent_id) {
                    stopped += u32::from(self.client.abort_session(&row.key).await?.stopped());
                }
            }
            Ok(stopped)
        }
        .await;
        self.audit("agent.abort", agent_id, &outcome, |n| {
            format!("{n} run(s) stopped")
        })?;
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, parent: Option<&str>) -> Row {
        Row {
            key: key.into(),
            agent_id: Some("main".into()),
            has_active_run: true,
            status: None,
            spawned_by: parent.map(String::from),
            parent_session_key: None,
        }
    }

    #[test]
    fn a_kill_reaches_every_descendant_once() {
        let rows = [
            row("agent:main:main", None),
            row("agent:main:subagent:a", Some("agent:main:main")),
            row("agent:main:subagent:b", Some("agent:main:subagent:a")),
            row("agent:main:subagent:c", Some("agent:main:main")),
            row("agent:main:other", None),
        ];
        assert_eq!(
            subtree(&rows, "agent:main:subagent:a"),
            ["agent:main:subagent:a", "agent:main:subagent:b"]
        );
        assert_eq!(subtree(&rows, "agent:main:main").len(), 4);
    }

    fn state(described: serde_json::Value) -> SessionState {
        serde_json::from_value::<SessionDescription>(described)
            .unwrap()
            .into()
    }

    #[test]
    fn a_state_offers_only_what_openclaw_allows() {
        // 2026.9 says which session is the main one; 2026.7 names it by its key.
        let main = state(json!({"key": "agent:main:main", "isMain": true, "pinned": true}));
        assert!(main.pinned && main.can_pin && !main.can_archive);
        let old_main = state(json!({"key": "agent:ops:main", "label": ""}));
        assert!(!old_main.can_archive && old_main.label.is_none());
        let custom = state(json!({"key": "agent:main:probe", "label": "L", "archived": true}));
        assert_eq!(
            custom,
            SessionState {
                label: Some("L".into()),
                pinned: false,
                archived: true,
                can_pin: false,
                can_archive: true,
            }
        );
        let sub = state(json!({"key": "agent:main:subagent:u1", "isMain": false}));
        assert!(!sub.can_pin && sub.can_archive);
        let spawned = state(json!({"key": "agent:main:x", "spawnedBy": "agent:main:main"}));
        assert!(!spawned.can_pin);
    }
}
