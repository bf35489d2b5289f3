//! The names of OpenClaw's cron jobs, read where OpenClaw keeps them: the state database's
//! `cron_jobs` table (`<state>/state/openclaw.sqlite`, 2026.7.1 on) and, on older installs,
//! `<state>/cron/jobs.json`. A cron run's session key only carries its job's id
//! (`agent:<id>:cron:<jobId>:run:<sessionId>`), and once OpenClaw deleted the run's session
//! (shortly after the run) its transcript is counted under `agent:<id>:<sessionId>`: the state
//! database's `task_runs` say which job each run's session belonged to (and what task each
//! sub-agent was given).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use serde::Deserialize;

/// A cron job as named by OpenClaw.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobName {
    /// Its id (the part of its runs' session keys after `cron:`).
    #[serde(rename = "id")]
    pub job_id: String,
    /// What its owner named it.
    pub name: String,
    /// The agent it runs as, when it names one.
    #[serde(default)]
    pub agent_id: Option<String>,
}

/// The state database, relative to the state dir.
const STATE_DB: &str = "state/openclaw.sqlite";
/// The legacy job file, relative to the state dir.
const LEGACY_JOBS: &str = "cron/jobs.json";

/// Every cron job OpenClaw keeps under `state_dir` (the database's first, then the legacy
/// file's), read only. A source that is missing, busy or not as expected gives none: names are
/// a nicety, never a reason to fail.
pub fn cron_job_names(state_dir: &Path) -> Vec<CronJobName> {
    let mut jobs = from_database(&state_dir.join(STATE_DB)).unwrap_or_default();
    if let Ok(text) = std::fs::read_to_string(state_dir.join(LEGACY_JOBS)) {
        jobs.extend(from_legacy_file(&text));
    }
    jobs.retain(|j| !j.job_id.is_empty() && !j.name.trim().is_empty());
    jobs
}

/// A cron run's session, as the state database's `task_runs` tell of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronRunSession {
    /// The run's session id (its transcript's).
    pub session_id: String,
    /// The job it ran.
    pub job_id: String,
}

/// What OpenClaw's state database tells of its recent runs (`task_runs`, kept about a week):
/// which job each cron run's session ran, and the task each sub-agent was given. Read only;
/// nothing when it is missing, busy or not as expected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskRuns {
    /// Cron runs' sessions and their jobs.
    pub cron_runs: Vec<CronRunSession>,
    /// Sub-agent sessions and the task each was given.
    pub spawned: Vec<SpawnedTask>,
}

/// A sub-agent's session and the task it was given (`sessions_spawn`'s `task`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpawnedTask {
    /// The sub-agent's session key.
    pub session_key: String,
    /// What it was asked to do.
    pub task: String,
}

/// Reads [`TaskRuns`] from the state database under `state_dir`.
pub fn task_runs(state_dir: &Path) -> TaskRuns {
    let mut runs = TaskRuns::default();
    let Some(conn) = open(&state_dir.join(STATE_DB)) else {
        return runs;
    };
    let Ok(mut stmt) = conn.prepare(
        "SELECT runtime, child_session_key, task FROM task_runs
         WHERE runtime IN ('cron', 'subagent') AND child_session_key IS NOT NULL",
    ) else {
        return runs;
    };
    let Ok(rows) = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    }) else {
        return runs;
    };
    for (runtime, key, task) in rows.filter_map(Result::ok) {
        match (runtime.as_str(), task) {
            ("cron", _) => runs.cron_runs.extend(run_session(&key)),
            ("subagent", Some(task)) if !task.trim().is_empty() => runs.spawned.push(SpawnedTask {
                session_key: key,
                task,
            }),
            _ => {}
        }
    }
    runs
}

/// The cron job a session runs for: `agent:<id>:cron:<job>:run:<session>`, and
/// `agent:<id>:cron:<job>` (where OpenClaw ≤ 2026.7.1 keeps a job's latest run).
pub fn cron_job_of(key: &str) -> Option<&str> {
    let mut parts = key.split(':');
    let cron =
        parts.next() == Some("agent") && parts.next().is_some() && parts.next() == Some("cron");
    parts.next().filter(|job| cron && !job.is_empty())
}

/// `agent:<id>:cron:<jobId>:run:<sessionId>` → the run's session.
fn run_session(key: &str) -> Option<CronRunSession> {
    let job_id = cron_job_of(key)?;
    let session_id = match key.splitn(6, ':').skip(4).collect::<Vec<_>>()[..] {
        ["run", id] if !id.is_empty() && !id.contains(':') => id,
        _ => return None,
    };
    Some(CronRunSession {
        session_id: session_id.to_string(),
        job_id: job_id.to_string(),
    })
}

/// The state database, read only; `None` when it is missing or cannot be opened.
fn open(path: &Path) -> Option<Connection> {
    if !path.is_file() {
        return None;
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    conn.busy_timeout(Duration::from_millis(250)).ok()?;
    Some(conn)
}

fn from_database(path: &Path) -> Option<Vec<CronJobName>> {
    let conn = open(path)?;
    let mut stmt = conn
        .prepare("SELECT job_id, name, agent_id FROM cron_jobs ORDER BY updated_at")
        .ok()?;
    let rows = stmt
        .query_map([], |r| {
            Ok(CronJobName {
                job_id: r.get(0)?,
                name: r.get(1)?,
                agent_id: r.get(2)?,
            })
        })
        .ok()?;
    Some(rows.filter_map(Result::ok).collect())
}

/// `{"version": 1, "jobs": [...]}`; jobs without an id and a name are left out.
fn from_legacy_file(text: &str) -> Vec<CronJobName> {
    #[derive(Deserialize)]
    struct File {
        jobs: Vec<serde_json::Value>,
    }
    let Ok(file) = serde_json::from_str::<File>(text) else {
        return Vec::new();
    };
    file.jobs
        .into_iter()
        .filter_map(|job| serde_json::from_value(job).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_state_database_and_the_legacy_file_and_skips_what_it_cannot() {
        let dir = tempfile::tempdir().unwrap();
        assert!(cron_job_names(dir.path()).is_empty(), "no OpenClaw state");
        std::fs::create_dir_all(dir.path().join("state")).unwrap();
        let conn = Connection::open(dir.path().join(STATE_DB)).unwrap();
        conn.execute_batch(
            "CREATE TABLE cron_jobs (store_key TEXT NOT NULL, job_id TEXT NOT NULL, name TEXT NOT NULL,
                 agent_id TEXT, updated_at INTEGER NOT NULL, PRIMARY KEY (store_key, job_id));
             INSERT INTO cron_jobs VALUES ('k', 'j1', 'Nightly digest', 'main', 2),
                                          ('k', 'j2', '  ', NULL, 1);",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("cron")).unwrap();
        std::fs::write(
            dir.path().join(LEGACY_JOBS),
            r#"{"version":1,"jobs":[{"id":"old","name":"Old report","schedule":{}},{"id":"x"},7]}"#,
        )
        .unwrap();
        let names = cron_job_names(dir.path());
        assert_eq!(
            names,
            [
                CronJobName {
                    job_id: "j1".into(),
                    name: "Nightly digest".into(),
                    agent_id: Some("main".into())
                },
                CronJobName {
                    job_id: "old".into(),
                    name: "Old report".into(),
                    agent_id: None
                },
            ]
        );
        // Not OpenClaw's schema, not JSON: nothing, no error.
        std::fs::write(dir.path().join(LEGACY_JOBS), "{").unwrap();
        conn.execute_batch("DROP TABLE cron_jobs").unwrap();
        assert!(cron_job_names(dir.path()).is_empty());
    }

    #[test]
    fn reads_which_job_each_cron_run_ran_and_what_each_sub_agent_was_asked() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            task_runs(dir.path()),
            TaskRuns::default(),
            "no OpenClaw state"
        );
        std::fs::create_dir_all(dir.path().join("state")).unwrap();
        let conn = Connection::open(dir.path().join(STATE_DB)).unwrap();
        assert_eq!(
            task_runs(dir.path()),
            TaskRuns::default(),
            "no task_runs table"
        );
        // As OpenClaw 2026.9.6 writes them (other columns left out).
        conn.execute_batch(
            "CREATE TABLE task_runs (task_id TEXT PRIMARY KEY, runtime TEXT NOT NULL,
                 child_session_key TEXT, task TEXT NOT NULL);
             INSERT INTO task_runs VALUES
               ('t1', 'cron', 'agent:main:cron:ab43:run:2ccc2a32-a3e6-4064-b791-a4a2f483f4ce', 'job'),
               ('t2', 'subagent', 'agent:main:subagent:4232', 'Sub-agent task: reply PONG.'),
               ('t3', 'cron', NULL, 'job'),
               ('t4', 'cron', 'agent:main:cron:ab43', 'job'),
               ('t5', 'cron', 'agent:main:cron:ab43:run:', 'job'),
               ('t6', 'subagent', 'agent:main:subagent:99', '  '),
               ('t7', 'cli', 'agent:main:main', 'Hello there');",
        )
        .unwrap();
        assert_eq!(
            task_runs(dir.path()),
            TaskRuns {
                cron_runs: vec![CronRunSession {
                    session_id: "2ccc2a32-a3e6-4064-b791-a4a2f483f4ce".into(),
                    job_id: "ab43".into(),
                }],
                spawned: vec![SpawnedTask {
                    session_key: "agent:main:subagent:4232".into(),
                    task: "Sub-agent task: reply PONG.".into(),
                }],
            }
        );
    }
}
