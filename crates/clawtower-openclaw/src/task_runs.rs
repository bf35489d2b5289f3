//! What OpenClaw's state database (`<state>/state/openclaw.sqlite`, table `task_runs`, rows
//! kept about a week) tells of its recent runs: which cron job each run's session ran — once
//! OpenClaw deleted the run's session (shortly after the run) its transcript is counted under
//! `agent:<id>:<sessionId>`, which no longer names the job — and the task each sub-agent was
//! given.

use std::path::Path;

use crate::cron_jobs::open_state_db;
use clawtower_core::session_key::cron_job_of;

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
    let Some(conn) = open_state_db(state_dir) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn reads_which_job_each_cron_run_ran_and_what_each_sub_agent_was_asked() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            task_runs(dir.path()),
            TaskRuns::default(),
            "no OpenClaw state"
        );
        std::fs::create_dir_all(dir.path().join("state")).unwrap();
        let conn = Connection::open(dir.path().join("state/openclaw.sqlite")).unwrap();
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
