//! Agents: list (with live status and spend), create, edit, and archive → restore → purge.
//! Archive and restore are sequences of steps, each recorded in the archive's manifest once done,
//! so a failure in between (the gateway gone, a file that cannot move, a full disk) leaves a
//! visible state that running the same command again completes.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::archive::{self, AgentConfig, ArchiveState, ArchiveView, Manifest, MovedFiles, Step};
use super::moves::move_tree;
use super::{audit, identity};
use clawtower_core::period::{now_local, now_ms, Period};
use clawtower_core::{EngineError, Result};
use clawtower_gateway::rpc::{AgentUpdate, NewAgent};
use clawtower_gateway::GatewayClient;
use clawtower_router::keys::{self, KeyDraft};
use clawtower_store::Store;

/// What the lifecycle commands work with: a connection to the gateway, the ledger, where the
/// archive lives and where OpenClaw keeps its agents, and who is acting (for the audit log).
pub struct Lifecycle<'a> {
    /// The gateway the agents are on.
    pub client: &'a GatewayClient,
    /// Its URL (kept in manifests).
    pub gateway_url: &'a str,
    /// The ledger (identities, router keys, the audit log).
    pub store: &'a Store,
    /// Clawtower's data dir (the archive is in it).
    pub data_root: &'a Path,
    /// OpenClaw's state dir (agents' directories are `<state>/agents/<id>`), when known.
    pub state_dir: Option<&'a Path>,
    /// Who acts: `app`, `cli` or `api`.
    pub actor: &'a str,
}

/// One agent, as the Agents page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgentRow {
    /// Its id.
    pub id: String,
    /// Its name (its id when it has none).
    pub name: String,
    /// Its emoji.
    pub emoji: Option<String>,
    /// `provider/model`.
    pub model: Option<String>,
    /// Its workspace directory.
    pub workspace: Option<String>,
    /// The gateway's default agent.
    pub is_default: bool,
    /// A turn of it is running now.
    pub running: bool,
    /// Its sessions.
    pub sessions: u32,
    /// Its latest activity, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub last_activity_ms: Option<i64>,
    /// What it spent today (local time).
    pub spend_today_usd: f64,
    /// What it spent in all, under every name it had.
    pub spend_total_usd: f64,
    /// Its stable identity (its history in the ledger).
    pub identity: String,
}

/// A new agent.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgentDraft {
    /// Its name (its id is the name in lowercase, other characters as dashes).
    pub name: String,
    /// `provider/model` (the default model when empty).
    #[serde(default)]
    pub model: Option<String>,
    /// Its workspace directory (OpenClaw's default when empty).
    #[serde(default)]
    pub workspace: Option<String>,
    /// An emoji.
    #[serde(default)]
    pub emoji: Option<String>,
}

/// Changes to an agent (what is `None` stays).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgentEdit {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New model.
    #[serde(default)]
    pub model: Option<String>,
    /// New emoji.
    #[serde(default)]
    pub emoji: Option<String>,
}

/// What a restore made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Restored {
    /// The agent's id now.
    pub agent_id: String,
    /// Its name now (`<name>-2` when its name was taken).
    pub name: String,
    /// Its cron jobs, created again.
    pub cron_jobs: u32,
    /// New router keys for it (its old ones were revoked): shown this once.
    pub new_keys: Vec<String>,
    /// Its old session store stayed in the archive (restored under another id, which OpenClaw
    /// would not open it under).
    pub sessions_archived: bool,
}

/// OpenClaw's agent id for a name (`normalizeAgentIdStrict`): lowercase, runs of other
/// characters than `a-z0-9_-` as one dash, no leading or trailing dash, at most 64.
pub fn agent_id_of(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let mut id = String::new();
    let mut dash = false;
    for c in lower.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            id.push(c);
            dash = false;
        } else if !dash {
            id.push('-');
            dash = true;
        }
    }
    id.trim_matches('-').chars().take(64).collect()
}

/// The first of `name`, `name-2`, `name-3`… whose id no agent has.
pub fn free_name(name: &str, taken: &HashSet<String>) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                name.to_string()
            } else {
                format!("{name}-{n}")
            }
        })
        .find(|candidate| !taken.contains(&agent_id_of(candidate)))
        .expect("some suffix is free")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionList {
    #[serde(default)]
    sessions: Vec<SessionEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionEntry {
    #[serde(default)]
    agent_id: Option<String>,
    #[serde(default)]
    has_active_run: bool,
    #[serde(default)]
    updated_at: Option<i64>,
}

/// The parts of an `agents.list` entry the page shows.
struct Listed {
    id: String,
    name: String,
    emoji: Option<String>,
    avatar: Option<String>,
    model: Option<String>,
    workspace: Option<String>,
}

fn listed(agent: &clawtower_gateway::rpc::AgentSummary) -> Listed {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let identity = agent.extra.get("identity");
    let model = match &agent.model {
        Value::String(m) => Some(m.clone()),
        other => text(other.get("primary")),
    };
    Listed {
        id: agent.id.clone(),
        name: text(agent.extra.get("name"))
            .or_else(|| text(identity.and_then(|i| i.get("name"))))
            .unwrap_or_else(|| agent.id.clone()),
        emoji: text(identity.and_then(|i| i.get("emoji")))
            .or_else(|| text(agent.extra.get("emoji"))),
        avatar: text(identity.and_then(|i| i.get("avatar"))),
        model,
        workspace: text(agent.extra.get("workspace")),
    }
}

/// Fields of a `cron.get` job that `cron.add` takes back.
const CRON_ADD_FIELDS: &[&str] = &[
    "name",
    "displayName",
    "agentId",
    "sessionKey",
    "description",
    "enabled",
    "deleteAfterRun",
    "schedule",
    "pacing",
    "trigger",
    "sessionTarget",
    "wakeMode",
    "payload",
    "delivery",
    "failureAlert",
];

/// A saved job as `cron.add` params for agent `agent_id` (its session key moved along).
fn cron_add_params(job: &Value, old_id: &str, agent_id: &str) -> Value {
    let mut params = Map::new();
    for field in CRON_ADD_FIELDS {
        if let Some(value) = job.get(*field).filter(|v| !v.is_null()) {
            params.insert((*field).to_string(), value.clone());
        }
    }
    if params.contains_key("agentId") {
        params.insert("agentId".into(), json!(agent_id));
    }
    if let Some(key) = params.get("sessionKey").and_then(Value::as_str) {
        if let Some(rest) = key.strip_prefix(&format!("agent:{old_id}:")) {
            params.insert(
                "sessionKey".into(),
                json!(format!("agent:{agent_id}:{rest}")),
            );
        }
    }
    Value::Object(params)
}

impl Lifecycle<'_> {
    /// Every agent of the gateway with its live status, sessions and spend.
    pub async fn list(&self) -> Result<Vec<AgentRow>> {
        let agents = self.client.agents().await?;
        let sessions: SessionList = self
            .client
            .call("sessions.list", &json!({"limit": 1000}))
            .await?;
        let mut per_agent: HashMap<String, (u32, bool, Option<i64>)> = HashMap::new();
        for s in &sessions.sessions {
            let Some(agent) = &s.agent_id else { continue };
            let e = per_agent.entry(agent.clone()).or_default();
            e.0 += 1;
            e.1 |= s.has_active_run;
            e.2 = e.2.max(s.updated_at);
        }
        let today = Period::Day.containing(&now_local())?.start_ms();
        let now = now_ms();
        self.store.with_conn(|c| {
            agents
                .agents
                .iter()
                .map(|agent| {
                    let l = listed(agent);
                    let identity = identity::current(c, &l.id, now)?;
                    let (sessions, running, last) =
                        per_agent.get(&l.id).copied().unwrap_or_default();
                    Ok(AgentRow {
                        is_default: agents.default_id.as_deref() == Some(l.id.as_str()),
                        spend_today_usd: identity::spend(c, &identity, today)?.as_usd(),
                        spend_total_usd: identity::spend(c, &identity, 0)?.as_usd(),
                        id: l.id,
                        name: l.name,
                        emoji: l.emoji,
                        model: l.model,
                        workspace: l.workspace,
                        running,
                        sessions,
                        last_activity_ms: last,
                        identity,
                    })
                })
                .collect()
        })
    }

    /// Creates an agent; returns its id.
    pub async fn create(&self, draft: &AgentDraft) -> Result<String> {
        let name = draft.name.trim();
        if agent_id_of(name).is_empty() {
            return Err(EngineError::InvalidInput(
                "an agent needs a name with at least one letter or digit".into(),
            ));
        }
        let outcome = async {
            let mut agent = NewAgent {
                name: name.to_string(),
                workspace: non_empty(&draft.workspace),
                model: non_empty(&draft.model),
                emoji: non_empty(&draft.emoji),
                avatar: None,
            };
            let mut answer = self.client.create_agent(&agent).await;
            // OpenClaw ≤ 2026.7.1 wants a workspace: its own convention, beside the state dir.
            if let (Err(e), None, Some(state)) = (&answer, &agent.workspace, self.state_dir) {
                if e.to_string().contains("required property 'workspace'") {
                    let dir = state.join(format!("workspace-{}", agent_id_of(name)));
                    agent.workspace = Some(dir.display().to_string());
                    answer = self.client.create_agent(&agent).await;
                }
            }
            let created = answer.map_err(|e| match e.to_string() {
                why if why.contains("WorkspaceVanishedError") => EngineError::Gateway(format!(
                    "{why} — OpenClaw protects a workspace that left within a day of being set \
                     up (an agent archived by that name?): give the new agent another workspace"
                )),
                _ => EngineError::from(e),
            })?;
            self.store
                .with_conn(|c| identity::current(c, &created.agent_id, now_ms()))?;
            Ok(created.agent_id)
        }
        .await;
        self.audit("agent.create", name, &outcome, |id| format!("id {id}"))?;
        outcome
    }

    /// Changes an agent's name, model or emoji.
    pub async fn edit(&self, agent_id: &str, edit: &AgentEdit) -> Result<()> {
        let outcome = self
            .client
            .update_agent(&AgentUpdate {
                agent_id: agent_id.to_string(),
                name: non_empty(&edit.name),
                model: non_empty(&edit.model),
                emoji: edit.emoji.clone(),
            })
            .await
            .map_err(EngineError::from);
        self.audit("agent.edit", agent_id, &outcome, |_| String::new())?;
        outcome
    }

    /// Archives an agent (or completes an archive that stopped half-way): its running turns
    /// aborted, its cron jobs saved and removed, its config saved, removed from the gateway,
    /// its files moved into the archive. Its history stays in the ledger.
    pub async fn archive(&self, agent_id: &str) -> Result<ArchiveView> {
        let outcome = self.archive_steps(agent_id).await;
        self.audit("agent.archive", agent_id, &outcome, |v| {
            format!("archive {}", v.id)
        })?;
        outcome
    }

    async fn archive_steps(&self, agent_id: &str) -> Result<ArchiveView> {
        let mut m = match archive::unfinished(self.data_root, agent_id)? {
            Some(m) => m,
            None => self.start_archive(agent_id).await?,
        };
        if !m.did(Step::Aborted) {
            for session in self.client.active_sessions(Some(agent_id)).await? {
                self.client.abort_session(&session.key).await?;
            }
            self.done(&mut m, Step::Aborted)?;
        }
        if !m.did(Step::CronsDisabled) {
            for id in job_ids(&m) {
                if self.client.cron_job(&id).await.is_ok() {
                    self.client.set_cron_job_enabled(&id, false).await?;
                }
            }
            self.done(&mut m, Step::CronsDisabled)?;
        }
        if !m.did(Step::Removed) {
            let present = self
                .client
                .agents()
                .await?
                .agents
                .iter()
                .any(|a| a.id == agent_id);
            if present {
                self.client.delete_agent(agent_id, false).await?;
            }
            self.done(&mut m, Step::Removed)?;
        }
        if !m.did(Step::CronsRemoved) {
            // (Newer gateways remove an agent's jobs with it.)
            for id in job_ids(&m) {
                if self.client.cron_job(&id).await.is_ok() {
                    self.client.remove_cron_job(&id).await?;
                }
            }
            self.done(&mut m, Step::CronsRemoved)?;
        }
        if !m.did(Step::FilesMoved) {
            let dir = archive::dir(self.data_root, &m.id)?;
            for (from, inside) in self.agent_files(&m) {
                let moved = m.files.iter().any(|f| f.inside == inside);
                if moved || !from.exists() {
                    continue;
                }
                move_tree(&from, &dir.join(&inside)).map_err(|e| {
                    EngineError::io(
                        format!("cannot move {} into the archive", from.display()),
                        e,
                    )
                })?;
                m.files.push(MovedFiles { from, inside });
                archive::save(self.data_root, &m)?;
            }
            self.done(&mut m, Step::FilesMoved)?;
        }
        let now = now_ms();
        self.store.with_conn(|c| identity::end(c, agent_id, now))?;
        m.state = ArchiveState::Archived;
        m.archived_ms = Some(now);
        archive::save(self.data_root, &m)?;
        Ok(ArchiveView::from(&m))
    }

    /// Reads what archiving needs before anything changes, and writes the manifest.
    async fn start_archive(&self, agent_id: &str) -> Result<Manifest> {
        let agents = self.client.agents().await?;
        let agent = agents
            .agents
            .iter()
            .find(|a| a.id == agent_id)
            .ok_or_else(|| EngineError::NotFound(format!("agent {agent_id}")))?;
        let l = listed(agent);
        // A workspace another agent also uses stays where it is.
        let shared = agents
            .agents
            .iter()
            .filter(|a| a.id != agent_id)
            .any(|a| l.workspace.is_some() && listed(a).workspace == l.workspace);
        let config = self.client.config_get().await?.source_config;
        let mut jobs = Vec::new();
        for job in self.client.cron_jobs().await? {
            if job.agent() == Some(agent_id) && !job.is_system_owned() {
                jobs.push(Value::Object(self.client.cron_job(&job.id).await?));
            }
        }
        let now = now_ms();
        let identity = self
            .store
            .with_conn(|c| identity::current(c, agent_id, now))?;
        let m = Manifest {
            id: archive::new_id(agent_id, now),
            agent_id: agent_id.to_string(),
            identity,
            gateway_url: self.gateway_url.to_string(),
            started_ms: now,
            archived_ms: None,
            state: ArchiveState::Archiving,
            done: Vec::new(),
            config: AgentConfig {
                name: l.name,
                model: l.model,
                workspace: if shared { None } else { l.workspace },
                emoji: l.emoji,
                avatar: l.avatar,
                entry: config_entry(&config, agent_id),
            },
            cron_jobs: jobs,
            files: Vec::new(),
            restored_as: None,
        };
        archive::save(self.data_root, &m)?;
        Ok(m)
    }

    /// The directories archiving moves: the workspace and `<state>/agents/<id>`.
    fn agent_files(&self, m: &Manifest) -> Vec<(PathBuf, String)> {
        let mut files = Vec::new();
        if let Some(workspace) = &m.config.workspace {
            files.push((PathBuf::from(workspace), "workspace".to_string()));
        }
        if let Some(state) = self.state_dir {
            files.push((state.join("agents").join(&m.agent_id), "agent".to_string()));
        }
        files
    }

    /// Restores an archived agent (or completes a restore that stopped half-way): under its
    /// name, or `<name>-2`, `-3`… when that is taken; its files moved back, its cron jobs made
    /// again, its router keys rotated; its history continues under the same identity.
    pub async fn restore(&self, archive_id: &str) -> Result<Restored> {
        let outcome = self.restore_steps(archive_id).await;
        self.audit("agent.restore", archive_id, &outcome, |r| {
            format!("restored as {}", r.agent_id)
        })?;
        outcome
    }

    async fn restore_steps(&self, archive_id: &str) -> Result<Restored> {
        let mut m = archive::load(self.data_root, archive_id)?;
        match m.state {
            ArchiveState::Archiving => {
                return Err(EngineError::InvalidInput(format!(
                    "archive {archive_id} is not complete: archive agent {} again to finish it first",
                    m.agent_id
                )))
            }
            ArchiveState::Restored => {
                return Err(EngineError::InvalidInput(format!(
                    "agent {} was restored as {} already; what is left here is its old session \
                     store, which OpenClaw binds to the old id (purge it when you no longer need it)",
                    m.agent_id,
                    m.restored_as.as_deref().unwrap_or("another agent")
                )))
            }
            ArchiveState::Archived | ArchiveState::Restoring => {}
        }
        let agents = self.client.agents().await?;
        if m.state == ArchiveState::Archived {
            let taken: HashSet<String> = agents.agents.iter().map(|a| a.id.clone()).collect();
            let name = free_name(&m.config.name, &taken);
            m.restored_as = Some(agent_id_of(&name));
            m.config.name = name;
            m.state = ArchiveState::Restoring;
            archive::save(self.data_root, &m)?;
        }
        let new_id = m.restored_as.clone().expect("a restore has its id");
        if !m.did(Step::FilesBack) {
            let dir = archive::dir(self.data_root, &m.id)?;
            for f in m.files.clone() {
                let inside = dir.join(&f.inside);
                let target = match (f.inside.as_str(), self.state_dir) {
                    // OpenClaw binds an agent's session store to its id: under another id it
                    // stays in the archive.
                    ("agent", _) if new_id != m.agent_id => continue,
                    ("agent", Some(state)) => state.join("agents").join(&new_id),
                    _ => free_path(&f.from),
                };
                if inside.exists() {
                    move_tree(&inside, &target).map_err(|e| {
                        EngineError::io(format!("cannot move the archive's {} back", f.inside), e)
                    })?;
                }
                if f.inside == "workspace" {
                    m.config.workspace = Some(target.display().to_string());
                }
                archive::save(self.data_root, &m)?;
            }
            self.done(&mut m, Step::FilesBack)?;
        }
        if !m.did(Step::Created) {
            if !agents.agents.iter().any(|a| a.id == new_id) {
                let created = self
                    .client
                    .create_agent(&NewAgent {
                        name: m.config.name.clone(),
                        workspace: m.config.workspace.clone(),
                        model: m.config.model.clone(),
                        emoji: m.config.emoji.clone(),
                        avatar: m.config.avatar.clone(),
                    })
                    .await?;
                if created.agent_id != new_id {
                    return Err(EngineError::Gateway(format!(
                        "OpenClaw named the restored agent {} instead of {new_id}",
                        created.agent_id
                    )));
                }
            }
            self.done(&mut m, Step::Created)?;
        }
        if !m.did(Step::CronsBack) {
            // A job an attempt that stopped made already (its answer lost with the connection,
            // or a later job refused) is there: each is made again only if it is missing.
            let mut there: Vec<String> = self
                .client
                .cron_jobs()
                .await?
                .into_iter()
                .filter(|j| j.agent() == Some(new_id.as_str()))
                .map(|j| j.name)
                .collect();
            for job in &m.cron_jobs {
                let name = job.get("name").and_then(Value::as_str).unwrap_or_default();
                if let Some(i) = there.iter().position(|n| n == name) {
                    there.swap_remove(i);
                    continue;
                }
                let params = cron_add_params(job, &m.agent_id, &new_id);
                // The scheduler learns of a new agent when the gateway reloads its config, a
                // moment after agents.create answers.
                let mut tries = 0;
                loop {
                    match self.client.add_cron_job(&params).await {
                        Err(e) if tries < 20 && e.to_string().contains("agent is unavailable") => {
                            tries += 1;
                            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                        }
                        other => break other.map(drop)?,
                    }
                }
            }
            self.done(&mut m, Step::CronsBack)?;
        }
        let now = now_ms();
        let new_keys = self.store.with_conn(|c| {
            identity::continue_as(c, &m.identity, &new_id, now)?;
            rotate_keys(c, &m.agent_id, &new_id, now)
        })?;
        let left = archive::dir(self.data_root, &m.id)?;
        let sessions_archived = m.files.iter().any(|f| left.join(&f.inside).exists());
        if sessions_archived {
            m.state = ArchiveState::Restored;
            archive::save(self.data_root, &m)?;
        } else {
            archive::remove(self.data_root, &m.id)?;
        }
        Ok(Restored {
            agent_id: new_id,
            name: m.config.name.clone(),
            cron_jobs: u32::try_from(m.cron_jobs.len()).unwrap_or(u32::MAX),
            new_keys,
            sessions_archived,
        })
    }

    /// Deletes an archive for good; `confirm` must be the agent's name (or id) as archived.
    /// Its history stays in the ledger.
    pub fn purge(&self, archive_id: &str, confirm: &str) -> Result<()> {
        let outcome = (|| {
            let m = archive::load(self.data_root, archive_id)?;
            let confirm = confirm.trim();
            if confirm != m.config.name && confirm != m.agent_id {
                return Err(EngineError::InvalidInput(format!(
                    "type the agent's name, {}, to purge its archive",
                    m.config.name
                )));
            }
            archive::remove(self.data_root, archive_id)
        })();
        self.audit("agent.purge", archive_id, &outcome, |_| String::new())?;
        outcome
    }

    fn done(&self, m: &mut Manifest, step: Step) -> Result<()> {
        m.done.push(step);
        archive::save(self.data_root, m)
    }

    /// Records `action` on `target` with its outcome (`detail` says what came of it).
    pub(crate) fn audit<T>(
        &self,
        action: &str,
        target: &str,
        outcome: &Result<T>,
        detail: impl FnOnce(&T) -> String,
    ) -> Result<()> {
        let (ok, why) = match outcome {
            Ok(value) => (detail(value), None),
            Err(e) => (String::new(), Some(e.to_string())),
        };
        let result = why.as_deref().map_or(Ok(ok.as_str()), Err);
        self.store
            .with_conn(|c| audit::record(c, self.actor, action, target, result, now_ms()))
    }
}

/// The ids of the saved cron jobs.
fn job_ids(m: &Manifest) -> Vec<String> {
    m.cron_jobs
        .iter()
        .filter_map(|j| j.get("id").and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// An agent's entry in openclaw.json: `agents.entries.<id>`, or its item in `agents.list`.
fn config_entry(config: &Value, agent_id: &str) -> Value {
    if let Some(entry) = config.pointer(&format!("/agents/entries/{agent_id}")) {
        return entry.clone();
    }
    config
        .pointer("/agents/list")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|a| a.get("id").and_then(Value::as_str) == Some(agent_id))
        })
        .cloned()
        .unwrap_or(Value::Null)
}

/// `path` when nothing is there, else the first free `<path>-restored`, `-restored-2`…
fn free_path(path: &Path) -> PathBuf {
    if !path.exists() {
        return path.to_path_buf();
    }
    (1..)
        .map(|n| {
            let suffix = if n == 1 {
                "-restored".to_string()
            } else {
                format!("-restored-{n}")
            };
            PathBuf::from(format!("{}{suffix}", path.display()))
        })
        .find(|p| !p.exists())
        .expect("some suffix is free")
}

/// Revokes agent `old_id`'s active router keys and makes one with the same limits for
/// `new_id` in place of each; returns the new keys (shown once).
fn rotate_keys(
    conn: &rusqlite::Connection,
    old_id: &str,
    new_id: &str,
    now: i64,
) -> Result<Vec<String>> {
    let mut made = Vec::new();
    for key in keys::list(conn)? {
        let active = key.revoked_ms.is_none() && key.expires_ms.is_none_or(|e| e > now);
        if key.agent_id != old_id || !active {
            continue;
        }
        keys::revoke(conn, key.id, now)?;
        let draft = KeyDraft {
            agent_id: new_id.to_string(),
            name: key.name.clone(),
            models: key.models.clone(),
            expires_ms: key.expires_ms,
            limits: key.limits,
        };
        made.push(keys::create(conn, &draft, now)?.1);
    }
    Ok(made)
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_free_names_follow_openclaw() {
        assert_eq!(agent_id_of(" Build Box! "), "build-box");
        assert_eq!(agent_id_of("--ops--"), "ops");
        assert_eq!(agent_id_of("Ops_2"), "ops_2");
        let taken: HashSet<String> = ["ops", "ops-2"].map(String::from).into();
        assert_eq!(free_name("Ops", &taken), "Ops-3");
        assert_eq!(free_name("research", &taken), "research");
    }

    #[test]
    fn a_saved_job_goes_back_to_the_restored_agent() {
        let job = json!({"id": "j1", "name": "daily", "agentId": "ops", "enabled": true,
            "sessionKey": "agent:ops:main", "state": {"nextRunAtMs": 5}, "createdAtMs": 1,
            "schedule": {"kind": "every", "everyMs": 60000}, "payload": {"kind": "agentTurn", "message": "hi"},
            "sessionTarget": "isolated", "wakeMode": "now", "configRevision": "x"});
        let params = cron_add_params(&job, "ops", "ops-2");
        assert_eq!(
            params,
            json!({"name": "daily", "agentId": "ops-2", "enabled": true,
            "sessionKey": "agent:ops-2:main", "schedule": {"kind": "every", "everyMs": 60000},
            "payload": {"kind": "agentTurn", "message": "hi"}, "sessionTarget": "isolated", "wakeMode": "now"})
        );
    }

    #[test]
    fn config_entries_come_from_either_form() {
        let entries = json!({"agents": {"entries": {"ops": {"name": "ops"}}}});
        assert_eq!(config_entry(&entries, "ops"), json!({"name": "ops"}));
        let list = json!({"agents": {"list": [{"id": "main"}, {"id": "ops", "workspace": "/w"}]}});
        assert_eq!(
            config_entry(&list, "ops"),
            json!({"id": "ops", "workspace": "/w"})
        );
        assert_eq!(config_entry(&list, "nope"), Value::Null);
    }

    #[test]
    fn a_restored_workspace_never_lands_on_another() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("workspace-ops");
        assert_eq!(free_path(&ws), ws);
        std::fs::create_dir(&ws).unwrap();
        assert_eq!(free_path(&ws), dir.path().join("workspace-ops-restored"));
    }
}
