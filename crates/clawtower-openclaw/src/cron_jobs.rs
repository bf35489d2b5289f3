//! The names of OpenClaw's cron jobs, read where OpenClaw keeps them: the state database's
//! `cron_jobs` table (`<state>/state/openclaw.sqlite`, 2026.7.1 on) and, on older installs,
//! `<state>/cron/jobs.json`. A cron run's session key only carries its job's id
//! (`agent:<id>:cron:<jobId>:run:<sessionId>`).

use std::path::Path;

use rusqlite::Connection;
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
    let mut jobs = from_database(state_dir).unwrap_or_default();
    if let Ok(text) = std::fs::read_to_string(state_dir.join(LEGACY_JOBS)) {
        jobs.extend(from_legacy_file(&text));
    }
    jobs.retain(|j| !j.job_id.is_empty() && !j.name.trim().is_empty());
    jobs
}

/// The state database under `state_dir`, read only; `None` when it is missing or cannot be
/// opened.
pub(crate) fn open_state_db(state_dir: &Path) -> Option<Connection> {
    crate::layout::open_read_only(&state_dir.join(STATE_DB))
}

fn from_database(state_dir: &Path) -> Option<Vec<CronJobName>> {
    let conn = open_state_db(state_dir)?;
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
}
