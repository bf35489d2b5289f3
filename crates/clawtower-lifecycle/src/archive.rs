//! The archive: one directory per archived agent under `<data dir>/archive/<agentId>-<UTC
//! stamp>/`, holding its files (`workspace/`, `agent/`) and `manifest.json` — what came from
//! where, its config entry and cron jobs, and which steps of the archive or restore are done
//! (so running the command again completes it). Owner-only, like everything in the data dir.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::moves::remove_tree;
use clawtower_core::{EngineError, Result};

/// The archive directory inside the data dir.
pub const ARCHIVE_DIR: &str = "archive";
const MANIFEST: &str = "manifest.json";

/// Where an archive stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ArchiveState {
    /// Archiving started and did not finish: archive again to complete it.
    Archiving,
    /// Archived: restore or purge.
    Archived,
    /// Restoring started and did not finish: restore again to complete it.
    Restoring,
    /// Restored under another id: the old session store, which OpenClaw binds to the old id,
    /// stays here until purged (its calls are in the ledger either way).
    Restored,
}

/// A step of archiving or restoring, recorded once done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// Its running turns were aborted.
    Aborted,
    /// Its cron jobs were switched off.
    CronsDisabled,
    /// It was removed from the gateway (files kept).
    Removed,
    /// Its cron jobs were removed from the gateway (saved here).
    CronsRemoved,
    /// Its files were moved into the archive.
    FilesMoved,
    /// (Restore) its files were moved back.
    FilesBack,
    /// (Restore) it was created again.
    Created,
    /// (Restore) its cron jobs were created again.
    CronsBack,
}

/// What an agent was configured with (from `agents.list` and `config.get`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentConfig {
    /// Its display name.
    pub name: String,
    /// `provider/model`, when it had its own.
    pub model: Option<String>,
    /// Its workspace directory.
    pub workspace: Option<String>,
    /// Its emoji.
    pub emoji: Option<String>,
    /// Its avatar.
    pub avatar: Option<String>,
    /// Its whole entry in openclaw.json, as the gateway showed it (secrets redacted).
    pub entry: Value,
}

/// One directory moved into the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MovedFiles {
    /// Where it was.
    pub from: PathBuf,
    /// Its name inside the archive directory (`workspace`, `agent`).
    pub inside: String,
}

/// An archive's manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The archive's id (its directory name).
    pub id: String,
    /// The agent's id when it was archived.
    pub agent_id: String,
    /// Its stable identity (its history in the ledger).
    pub identity: String,
    /// The gateway it was on.
    pub gateway_url: String,
    /// When archiving started, Unix ms.
    pub started_ms: i64,
    /// When archiving finished, Unix ms.
    pub archived_ms: Option<i64>,
    /// Where it stands.
    pub state: ArchiveState,
    /// Steps done (of the archive, then of the restore).
    pub done: Vec<Step>,
    /// Its configuration.
    pub config: AgentConfig,
    /// Its cron jobs, as `cron.get` gave them.
    pub cron_jobs: Vec<Value>,
    /// What was moved in.
    pub files: Vec<MovedFiles>,
    /// (Restore) the agent id it is being restored as.
    pub restored_as: Option<String>,
}

impl Manifest {
    /// Whether `step` is done.
    pub fn did(&self, step: Step) -> bool {
        self.done.contains(&step)
    }
}

/// An archive as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ArchiveView {
    /// The archive's id (give it to restore or purge).
    pub id: String,
    /// The agent's id when archived.
    pub agent_id: String,
    /// Its name.
    pub name: String,
    /// Its model, if it had its own.
    pub model: Option<String>,
    /// When it was archived (or archiving started), Unix ms.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub archived_ms: i64,
    /// Where it stands.
    pub state: ArchiveState,
    /// Its saved cron jobs.
    pub cron_jobs: u32,
    /// Where its files came from.
    pub files: Vec<String>,
    /// The agent it was restored as (state `restored`).
    pub restored_as: Option<String>,
}

impl From<&Manifest> for ArchiveView {
    fn from(m: &Manifest) -> Self {
        ArchiveView {
            id: m.id.clone(),
            agent_id: m.agent_id.clone(),
            name: m.config.name.clone(),
            model: m.config.model.clone(),
            archived_ms: m.archived_ms.unwrap_or(m.started_ms),
            state: m.state,
            cron_jobs: u32::try_from(m.cron_jobs.len()).unwrap_or(u32::MAX),
            files: m
                .files
                .iter()
                .map(|f| f.from.display().to_string())
                .collect(),
            restored_as: (m.state == ArchiveState::Restored)
                .then(|| m.restored_as.clone())
                .flatten(),
        }
    }
}

/// The archive root inside `data_root`.
pub fn root(data_root: &Path) -> PathBuf {
    data_root.join(ARCHIVE_DIR)
}

/// The directory of archive `id` (checked: an id is one path segment).
pub fn dir(data_root: &Path, id: &str) -> Result<PathBuf> {
    let plain = !id.is_empty() && id != "." && id != ".." && !id.contains(['/', '\\', '\0']);
    if !plain {
        return Err(EngineError::InvalidInput(format!(
            "\"{id}\" is not an archive id"
        )));
    }
    Ok(root(data_root).join(id))
}

/// The id for agent `agent_id` archived at `now_ms`: `<agentId>-<UTC stamp>`.
pub fn new_id(agent_id: &str, now_ms: i64) -> String {
    let stamp = jiff::Timestamp::from_millisecond(now_ms)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|_| now_ms.to_string());
    format!("{agent_id}-{stamp}")
}

/// Writes `manifest` (atomically; the directory made owner-only).
pub fn save(data_root: &Path, manifest: &Manifest) -> Result<()> {
    let dir = dir(data_root, &manifest.id)?;
    let io = |e: std::io::Error| {
        EngineError::io(format!("cannot write the archive {}", dir.display()), e)
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    use std::os::unix::fs::PermissionsExt;
    for d in [root(data_root), dir.clone()] {
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    let bytes = serde_json::to_vec_pretty(manifest).expect("a manifest serializes");
    clawtower_core::paths::replace_private(&dir.join(MANIFEST), &bytes).map_err(io)
}

/// Reads archive `id`'s manifest.
pub fn load(data_root: &Path, id: &str) -> Result<Manifest> {
    let path = dir(data_root, id)?.join(MANIFEST);
    let text = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => EngineError::NotFound(format!("archive {id}")),
        _ => EngineError::io(format!("cannot read {}", path.display()), e),
    })?;
    serde_json::from_slice(&text)
        .map_err(|e| EngineError::Corrupt(format!("{}: {e}", path.display())))
}

/// Every archive, newest first; manifests that cannot be read are skipped (counted in the
/// second value, with the log saying which).
pub fn list(data_root: &Path) -> Result<(Vec<Manifest>, usize)> {
    let entries = match std::fs::read_dir(root(data_root)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(EngineError::io("cannot read the archive", e)),
    };
    let (mut all, mut unreadable) = (Vec::new(), 0);
    for entry in entries.flatten() {
        let id = entry.file_name().to_string_lossy().into_owned();
        match load(data_root, &id) {
            Ok(manifest) => all.push(manifest),
            Err(e) => {
                tracing::warn!(archive = %id, error = %e, "an archive's manifest cannot be read");
                unreadable += 1;
            }
        }
    }
    all.sort_by_key(|m| std::cmp::Reverse(m.archived_ms.unwrap_or(m.started_ms)));
    Ok((all, unreadable))
}

/// Every archive as lists show it, newest first, and how many could not be read.
pub fn views(data_root: &Path) -> Result<(Vec<ArchiveView>, usize)> {
    let (all, unreadable) = list(data_root)?;
    Ok((all.iter().map(ArchiveView::from).collect(), unreadable))
}

/// The latest unfinished archive of agent `agent_id`, if any (archiving it again completes it).
pub fn unfinished(data_root: &Path, agent_id: &str) -> Result<Option<Manifest>> {
    Ok(list(data_root)?
        .0
        .into_iter()
        .find(|m| m.agent_id == agent_id && m.state == ArchiveState::Archiving))
}

/// Deletes archive `id` and everything in it.
pub fn remove(data_root: &Path, id: &str) -> Result<()> {
    let dir = dir(data_root, id)?;
    remove_tree(&dir).map_err(|e| EngineError::io(format!("cannot remove {}", dir.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(id: &str, ms: i64) -> Manifest {
        Manifest {
            id: id.into(),
            agent_id: "ops".into(),
            identity: "ops".into(),
            gateway_url: "ws://127.0.0.1:18789".into(),
            started_ms: ms,
            archived_ms: None,
            state: ArchiveState::Archiving,
            done: vec![Step::Aborted],
            config: AgentConfig {
                name: "ops".into(),
                ..AgentConfig::default()
            },
            cron_jobs: vec![serde_json::json!({"name": "daily"})],
            files: Vec::new(),
            restored_as: None,
        }
    }

    #[test]
    fn manifests_round_trip_newest_first_and_ids_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        let id = new_id("ops", 1_795_230_517_850);
        assert_eq!(id, "ops-20261121T030837Z");
        save(dir.path(), &manifest(&id, 1)).unwrap();
        save(dir.path(), &manifest("ops-2", 2)).unwrap();
        std::fs::create_dir_all(root(dir.path()).join("junk")).unwrap();
        let (all, unreadable) = list(dir.path()).unwrap();
        assert_eq!(
            all.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            ["ops-2", id.as_str()]
        );
        assert_eq!(unreadable, 1);
        assert_eq!(load(dir.path(), &id).unwrap(), manifest(&id, 1));
        assert!(unfinished(dir.path(), "ops").unwrap().is_some());
        assert!(matches!(
            load(dir.path(), "nope"),
            Err(EngineError::NotFound(_))
        ));
        assert!(matches!(
            dir_check(dir.path(), "../x"),
            Err(EngineError::InvalidInput(_))
        ));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(root(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
        remove(dir.path(), "ops-2").unwrap();
        assert_eq!(list(dir.path()).unwrap().0.len(), 1);
    }

    fn dir_check(root: &Path, id: &str) -> Result<PathBuf> {
        super::dir(root, id)
    }
}
